// No private, loopback or link-local address is fetched without --allow-private, whatever form the URL gives it:
// decimal, hex and octal IPv4, shortened IPv4, IPv6 and IPv4-mapped IPv6, userinfo, a name that resolves there, a
// redirect from an allowed host. A local server counts what reaches it: nothing may.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { RefusedError } from '../../core/errors.ts';
import { Fetcher } from '../../crawlers/fetcher.ts';
import type { Store } from '../../db/store-types.ts';

let server: Server;
let port: number;
let reached = 0;

before(async () => {
  server = createServer((request, response) => {
    reached++;
    if (request.url === '/robots.txt') return response.end('');
    // An allowed host sending the crawler on to the same machine under another name.
    if (request.url === '/away') {
      response.writeHead(302, { location: `http://[::ffff:7f00:1]:${port}/inside` });
      return response.end();
    }
    response.end('<p>inside</p>');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  port = (server.address() as AddressInfo).port;
});
after(() => new Promise<void>((ok) => server.close(() => ok())));

const store = {
  recordFetch: async () => 1,
  previousFetch: async () => null,
  archiveDocument: async (bytes: Uint8Array) => ({ sha256: 'x', size: bytes.length, path: 'x', isNew: true }),
} as unknown as Store;

/** A fetcher that treats the URL's own host as the portal, so only the private-address rule can refuse it. */
const fetcherFor = (url: string, allowPrivate = false) =>
  new Fetcher({ minIntervalMs: 0, store, runId: 1, hosts: [new URL(url).host], allowPrivate, retries: 0 });

test('every literal form of a private address is refused before a connection is made', async () => {
  const forms = [
    `http://127.0.0.1:${port}/`,
    `http://2130706433:${port}/`,
    `http://0x7f000001:${port}/`,
    `http://0x7f.0.0.1:${port}/`,
    `http://0177.0.0.1:${port}/`,
    `http://017700000001:${port}/`,
    `http://127.1:${port}/`,
    `http://[::1]:${port}/`,
    `http://[::ffff:127.0.0.1]:${port}/`,
    `http://[0:0:0:0:0:ffff:7f00:1]:${port}/`,
    `http://user:password@127.0.0.1:${port}/`,
    `http://0.0.0.0:${port}/`,
    `http://[::]:${port}/`,
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.1/',
    'http://172.16.0.1/',
    'http://192.168.1.1/',
    'http://100.64.0.1/',
    'http://[fe80::1]/',
    'http://[fd00::1]/',
  ];
  for (const url of forms) {
    const error = await fetcherFor(url)
      .fetch({ url })
      .then(
        () => null,
        (err: unknown) => err,
      );
    assert.ok(error instanceof RefusedError, `${url} was not refused: ${String(error)}`);
    assert.equal(error.reason, 'private-address', url);
  }
  assert.equal(reached, 0, 'no request reached the local server');
});

test('a name that resolves to a private address is refused when it is resolved, before connecting', async () => {
  const url = `http://localhost:${port}/`;
  const error = await fetcherFor(url)
    .fetch({ url })
    .then(
      () => null,
      (err: unknown) => err,
    );
  assert.ok(error instanceof RefusedError, String(error));
  assert.equal(error.reason, 'private-address');
  assert.equal(reached, 0);
});

test('schemes other than http(s) are refused', () => {
  for (const url of ['file:///etc/passwd', 'gopher://127.0.0.1:70/', 'ftp://127.0.0.1/', 'data:text/html,x'])
    assert.throws(() => fetcherFor('http://portal.example/').checkUrl(url), RefusedError, url);
});

test('a redirect from an allowed host to the machine under another name is refused', async () => {
  const url = `http://127.0.0.1:${port}/away`;
  // The portal itself is allowed (the simulator case), so the redirect is followed up to its target's check.
  const error = await fetcherFor(url, true)
    .fetch({ url })
    .then(
      () => null,
      (err: unknown) => err,
    );
  assert.ok(error instanceof RefusedError, String(error));
  assert.equal(error.reason, 'off-portal');
  const seen = reached;
  assert.ok(seen >= 1 && seen <= 2, `robots.txt and /away only, saw ${seen}`);
});
