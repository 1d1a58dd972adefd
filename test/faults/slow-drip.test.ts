// A server that drips its bytes (one every 100 ms, never idle long enough for the socket timeout) is cut off by the
// fetcher's total deadline per request, robots.txt included; a robots.txt that cannot be reached means "assume
// complete disallow" (RFC 9309 §2.3.1.4), a missing one (404) allows.
import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { after, describe, it } from 'node:test';
import { FetchError, RefusedError } from '../../core/errors.ts';
import { Fetcher } from '../../crawlers/fetcher.ts';
import type { FetchInput, Store } from '../../db/store-types.ts';

function memoryStore(fetches: FetchInput[]): Store {
  return {
    recordFetch: async (fetch: FetchInput) => (fetches.push(fetch), fetches.length),
    previousFetch: async () => null,
    archiveDocument: async (bytes: Uint8Array) => ({ sha256: 'x', size: bytes.length, path: 'x', isNew: true }),
  } as unknown as Store;
}

/** One byte every 100 ms for up to a minute: far past any deadline of these tests. */
function drip(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/plain' });
  let sent = 0;
  const timer = setInterval(() => {
    if (res.destroyed || sent++ > 600) {
      clearInterval(timer);
      res.end();
      return;
    }
    res.write('a');
  }, 100);
  res.on('close', () => clearInterval(timer));
}

type Robots = 'drip' | 'dropped' | '503' | 'missing';

/** A site of its own (robots.txt is per origin): robots.txt answered as `robots`, /page dripping or "ok". */
async function site(robots: Robots, page: 'drip' | 'ok'): Promise<{ host: string; server: Server }> {
  const server = createServer((req, res) => {
    if (req.url === '/robots.txt') {
      if (robots === 'drip') return drip(res);
      if (robots === 'dropped') return res.socket?.destroy();
      return res.writeHead(robots === '503' ? 503 : 404).end();
    }
    if (req.url === '/page') return page === 'drip' ? drip(res) : res.writeHead(200).end('ok');
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { host: `127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

describe('slow-drip servers and unreachable robots.txt', { timeout: 60_000 }, () => {
  const servers: Server[] = [];
  after(() => Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve)))));

  async function attempt(robots: Robots, page: 'drip' | 'ok') {
    const { host, server } = await site(robots, page);
    servers.push(server);
    const fetches: FetchInput[] = [];
    const fetcher = new Fetcher({
      store: memoryStore(fetches),
      runId: 1,
      hosts: [host],
      allowPrivate: true,
      minIntervalMs: 0,
      retries: 0,
      timeoutMs: 2_000,
      deadlineMs: 1_500,
    });
    const started = performance.now();
    const outcome = await fetcher.fetch({ url: `http://${host}/page`, archive: false }).then(
      (result) => ({ result, error: null }),
      (error: unknown) => ({ result: null, error }),
    );
    return { ...outcome, fetches, seconds: (performance.now() - started) / 1000 };
  }

  it('a page that drips fails as a timeout at the deadline, not at the end of the drip', async () => {
    const { error, fetches, seconds } = await attempt('missing', 'drip');
    assert.ok(error instanceof FetchError, String(error));
    assert.equal(error.reason, 'timeout');
    assert.match(error.message, /deadline: no complete response within 1500 ms/);
    assert.ok(seconds < 10, `cut off near the deadline (${seconds} s)`);
    assert.match(String(fetches.at(-1)?.error), /deadline/, 'the failed fetch is recorded with its reason');
  });

  for (const [robots, why] of [
    ['drip', 'a robots.txt that drips (deadline)'],
    ['dropped', 'a robots.txt whose connection is dropped'],
    ['503', 'a robots.txt answering 503'],
  ] as const) {
    it(`${why}: the site is assumed disallowed, the page is never requested`, async () => {
      const { error, fetches, seconds } = await attempt(robots, 'ok');
      assert.ok(error instanceof RefusedError, String(error));
      assert.equal(error.reason, 'robots');
      assert.ok(!fetches.some((fetch) => fetch.url.endsWith('/page')), 'no request for the page');
      assert.ok(seconds < 10, `decided near the deadline (${seconds} s)`);
    });
  }

  it('a missing robots.txt (404) allows the page', async () => {
    const { result, error } = await attempt('missing', 'ok');
    assert.equal(error, null);
    assert.equal(result?.status, 200);
    assert.equal(result?.body.toString(), 'ok');
  });
});
