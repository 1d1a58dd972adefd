// Ctrl-C and SIGTERM of the commands that run work, a busy simulator port, and a store that cannot be opened: each
// ends the process in bounded time with one line saying what happened, and the exit code of spec/CLI.md (130/143
// for a signal), never a normal summary.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase } from '../helpers/db.ts';
import { STACK_LINE, startCli } from './cli-child.ts';

describe('signals and startup failures', { timeout: 240_000 }, () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let home: string;
  let env: NodeJS.ProcessEnv;
  let busy: Server;
  let busyPort: number;
  before(async () => {
    db = await createTestDatabase();
    home = await mkdtemp(join(tmpdir(), 'nianbao-signals-'));
    env = { DATABASE_URL: db.url, NIANBAO_HOME: home, REDIS_URL: '' };
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    busyPort = (busy.address() as { port: number }).port;
  });
  after(async () => {
    await new Promise((resolve) => busy.close(resolve));
    await db.drop();
    await rm(home, { recursive: true, force: true });
  });

  it('demo on a busy port falls back to a free one; Ctrl-C mid-run exits 130 with what was done, no summary', async () => {
    const demo = startCli(['demo', '--port', String(busyPort)], env);
    await demo.waitFor(/crawl portal \d+ /, 90_000);
    demo.proc.kill('SIGINT');
    const code = await demo.exit(90_000);
    assert.equal(code, 130, demo.err());
    assert.match(demo.err(), new RegExp(`port ${busyPort} is busy: the simulator takes a free port`));
    assert.doesNotMatch(demo.err(), /EADDRINUSE/);
    assert.doesNotMatch(demo.err(), STACK_LINE);
    assert.match(demo.err(), /^nianbao demo: interrupted by SIGINT: demo stopped after crawling \d+ portal/m);
    assert.equal(demo.out(), '', 'no summary that could pass for a finished run');
  });

  it('SIGTERM stops the demo with exit 143', async () => {
    const demo = startCli(['demo', '--port', '0'], env);
    await demo.waitFor(/portal simulator at /, 90_000);
    demo.proc.kill('SIGTERM');
    const code = await demo.exit(90_000);
    assert.equal(code, 143, demo.err());
    assert.match(demo.err(), /^nianbao demo: interrupted by SIGTERM: /m);
    assert.equal(demo.out(), '');
  });

  it('a store that cannot be opened ends the demo at once with one line, nothing left running', async () => {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    const demo = startCli(['demo', '--port', '0'], { ...env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' });
    const code = await demo.exit(60_000);
    assert.equal(code, 1, demo.err());
    assert.doesNotMatch(demo.err(), STACK_LINE);
    assert.doesNotMatch(demo.err(), /portal simulator at/, 'the simulator is not started before the store');
    assert.match(demo.err(), /^nianbao demo: .+/m);
  });

  it('reextract: SIGINT during the run exits 130 and says how far it got', async () => {
    const demo = startCli(['demo', '--port', '0'], env);
    assert.equal(await demo.exit(150_000), 0, demo.err());
    const region = await firstRegion(db.url);
    assert.match(region, /^\d{6}$/, 'the demo archived documents of a region');
    const reextract = startCli(['reextract', '--region', region], env);
    await reextract.waitFor(/documents/, 60_000);
    reextract.proc.kill('SIGINT');
    const code = await reextract.exit(60_000);
    assert.doesNotMatch(reextract.err(), STACK_LINE);
    // A region whose documents were all done before the signal arrived finishes normally; that is not a stop.
    if (code === 0) assert.match(reextract.out(), /re-extracted with/);
    else {
      assert.equal(code, 130, reextract.err());
      assert.match(reextract.err(), /^nianbao reextract: interrupted by SIGINT: re-extracted \d+ of \d+ document/m);
    }
  });
});

async function firstRegion(url: string): Promise<string> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT region_code FROM reports WHERE region_code IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
    );
    return rows[0]?.region_code ?? '';
  } finally {
    await client.end();
  }
}
