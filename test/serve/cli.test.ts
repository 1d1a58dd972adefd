// `nianbao serve` as a user runs it: prints its URL and token, answers on 127.0.0.1, refuses a bad option or a port
// in use in one line (exit 2 / 1), and stops cleanly on SIGINT and SIGTERM (exit 0, the port released).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { BIN, runCli } from '../helpers/cli.ts';
import { withTestStore, type TestStore } from '../helpers/db.ts';

let testStore: TestStore;

/** The status of a GET that names `host` in its Host header (fetch cannot set it). */
function statusWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) =>
    get(`${url}/api/reports`, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject),
  );
}

function start(args: string[]) {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], {
    env: { ...process.env, DATABASE_URL: testStore.url, NIANBAO_HOME: testStore.home, NODE_NO_WARNINGS: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const started = new Promise<{ url: string; token: string }>((resolve, reject) => {
    child.stdout.on('data', () => {
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (line && stdout.includes('\n')) resolve(JSON.parse(line));
    });
    exited.then((code) => reject(new Error(`serve exited ${code} before starting: ${stderr}`)));
  });
  started.catch(() => {}); // awaited by the tests that start in --json mode
  return { child, started, exited, output: () => ({ stdout, stderr }) };
}

describe('nianbao serve', () => {
  before(async () => {
    testStore = await withTestStore();
  });
  after(async () => testStore?.cleanup());

  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    test(`starts on 127.0.0.1 with a token and stops on ${signal}`, async () => {
      const run = start(['--port', '0', '--json']);
      const { url, token } = await run.started;
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(token, /^[0-9a-f]{64}$/);
      const res = await fetch(`${url}/api/reports`);
      assert.deepEqual(await res.json(), { total: 0, limit: 50, offset: 0, items: [] });
      run.child.kill(signal);
      assert.equal(await run.exited, 0);
      assert.match(
        run.output().stderr,
        new RegExp(`^nianbao serve: ${signal}: stopping\nnianbao serve: stopped \\(${signal}\\)\n$`),
      );
      await assert.rejects(fetch(`${url}/api/reports`));
    });

  test('the text start-up names the URL and the review token', async () => {
    const run = start(['--port', '0']);
    await new Promise<void>((resolve) =>
      run.child.stdout.on('data', () => run.output().stdout.includes('Ctrl-C') && resolve()),
    );
    const { stdout } = run.output();
    assert.match(stdout, /^nianbao serve: http:\/\/127\.0\.0\.1:\d+\//);
    const token = /review token \(Authorization: Bearer …, for the review actions only\): ([0-9a-f]{64})\n/.exec(
      stdout,
    )?.[1];
    assert.ok(token, stdout);
    // the printed token is the one the review routes take: without it 401, with it the request gets through (404:
    // no such report in this empty database)
    const url = /^nianbao serve: (http:\/\/[\d.:]+)\//.exec(stdout)![1];
    const post = (headers: Record<string, string>) =>
      fetch(`${url}/api/reports/0000000000000000/flags/review`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify({
          code: 'CELL_BLANK',
          path: 'requests.new.total',
          decision: 'confirmed',
          reviewer: 'test',
        }),
      });
    assert.equal((await post({})).status, 401);
    assert.equal((await post({ Authorization: `Bearer ${'0'.repeat(64)}` })).status, 401);
    assert.equal((await post({ Authorization: `Bearer ${token}` })).status, 404);
    // on the loopback it answers only to its own names: a page elsewhere whose DNS name was rebound to 127.0.0.1
    // cannot read through it
    const port = new URL(url).port;
    assert.equal(await statusWithHost(url, `127.0.0.1:${port}`), 200);
    assert.equal(await statusWithHost(url, `localhost:${port}`), 200);
    assert.equal(await statusWithHost(url, `attacker.example:${port}`), 421);
    run.child.kill('SIGINT');
    assert.equal(await run.exited, 0);
  });

  test('a bad option is a usage error; a port in use fails in one line', async () => {
    const bad = await runCli(['serve', '--port', 'http'], { databaseUrl: testStore.url, home: testStore.home });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^nianbao serve: --port must be a positive integer\n$/);
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const busy = await runCli(['serve', '--port', String(port)], {
        databaseUrl: testStore.url,
        home: testStore.home,
      });
      assert.equal(busy.code, 1);
      assert.match(busy.stderr, new RegExp(`port ${port} on 127.0.0.1 is in use`));
      assert.equal(busy.stderr.trim().split('\n').length, 1);
    } finally {
      taken.close();
    }
  });
});
