// `nianbao crawl` as scripts use it: --json prints exactly the spec/CLI.md document on stdout, exit codes 0/1/2.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createTestDatabase } from '../helpers/db.ts';
import { startSimulator, type Simulator } from '../../simulator/server.ts';
import { runCli } from '../helpers/cli.ts';

let sim: Simulator;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let home: string;

const run = (args: string[]) => runCli(args, { databaseUrl: db.url, home });

before(async () => {
  sim = await startSimulator({ seed: 3 });
  db = await createTestDatabase();
  home = await mkdtemp(join(tmpdir(), 'nianbao-crawl-cli-'));
});
after(async () => {
  await sim?.close();
  await db?.drop();
  if (home) await rm(home, { recursive: true, force: true });
});

test(
  'crawl --portal URL --allow-private --json: one JSON document of spec/CLI.md on stdout',
  { timeout: 120_000 },
  async () => {
    const truth = sim.truth.portals.find((x) => x.platform === 'trs')!;
    const result = await run(['crawl', '--portal', truth.url, '--allow-private', '--rate', '60000', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const doc = JSON.parse(result.stdout);
    assert.deepEqual(Object.keys(doc), ['portals', 'load']);
    const [summary] = doc.portals;
    assert.deepEqual(Object.keys(summary), [
      'url',
      'platform',
      'outcome',
      'verification',
      'lists',
      'pages_fetched',
      'entries',
      'bytes',
      'gone',
      'reports',
      'errors',
    ]);
    assert.equal(summary.outcome, 'complete');
    // Crawl means data: what was archived is extracted and loaded in this process (no REDIS_URL).
    assert.equal(doc.load.runtime, 'in-process');
    assert.ok(doc.load.queued >= truth.reports.length, JSON.stringify(doc.load));
    assert.equal(doc.load.loaded, doc.load.queued);
    assert.deepEqual(doc.load.failed, []);
    assert.equal(summary.url, truth.url);
    assert.equal(summary.platform, 'trs');
    assert.ok(summary.lists.length >= 1 && summary.lists.every((list: { adapter: string }) => list.adapter === 'trs'));
    assert.equal(summary.reports.length, truth.reports.length);
    for (const rep of summary.reports)
      assert.deepEqual(Object.keys(rep), ['agency', 'year', 'title', 'url', 'documents']);
    // titles from GB2312 pages, county learned from the SiteIDCode (the portal was added by URL alone)
    assert.deepEqual(
      summary.reports.map((x: { title: string }) => x.title).sort(),
      truth.reports.map((x) => x.title).sort(),
    );
    assert.match(result.stderr, /complete in .* reports/);
  },
);

test('without --allow-private the simulator on 127.0.0.1 is refused: exit 1, one-line reason', async () => {
  const truth = sim.truth.portals[0];
  const result = await run(['crawl', '--portal', truth.url]);
  assert.equal(result.code, 1);
  assert.equal(result.stdout.split('\n')[0].trim().split(/\s+/)[0], 'portal');
  assert.match(result.stderr, /refused: private address 127\.0\.0\.1/);
});

test('usage errors exit 2; an unknown region exits 1', async () => {
  assert.equal((await run(['crawl'])).code, 2);
  assert.equal((await run(['crawl', '--portal', 'x', '--all'])).code, 2);
  assert.equal((await run(['crawl', '--portal', 'ftp://a'])).code, 2);
  assert.equal((await run(['crawl', '--region', '12'])).code, 2);
  const result = await run(['crawl', '--region', '659999']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /^nianbao crawl: no enabled portal for region 659999/);
});
