// `nianbao portals discover` on the simulator's prefecture portal (双鸭山市): the counties' own sites (from the home
// page's block and its 网站地图) are verified and stored; a department's site, another county's site and a dead link
// are listed, not stored.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { createTestDatabase } from '../helpers/db.ts';
import { startPrefecturePortal, type PrefecturePortal } from '../../simulator/prefecture.ts';
import { startSimulator, type Simulator } from '../../simulator/server.ts';
import { runCli } from '../helpers/cli.ts';

let sim: Simulator;
let prefecture: PrefecturePortal;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let home: string;

const run = (args: string[]) => runCli(args, { databaseUrl: db.url, home });

before(async () => {
  sim = await startSimulator({ seed: 2 });
  prefecture = await startPrefecturePortal(sim);
  db = await createTestDatabase();
  home = await mkdtemp(join(tmpdir(), 'nianbao-discover-'));
});
after(async () => {
  await prefecture?.close();
  await sim?.close();
  await db?.drop();
  if (home) await rm(home, { recursive: true, force: true });
});

test('proposals are verified before acceptance; failures are listed, not stored', { timeout: 60_000 }, async () => {
  const result = await run([
    'portals',
    'discover',
    '--prefecture',
    '230500',
    '--url',
    prefecture.url,
    '--allow-private',
    '--json',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const found = JSON.parse(result.stdout);
  const statuses = Object.fromEntries(
    found.proposals.map((proposal: { code: string; status: string }) => [proposal.code, proposal.status]),
  );
  const wanted = { verified: 'accepted', mismatch: 'rejected', failed: 'failed' } as const;
  assert.deepEqual(
    statuses,
    Object.fromEntries(Object.entries(prefecture.expected).map(([code, verdict]) => [code, wanted[verdict]])),
  );
  const department = found.proposals.find((proposal: { code: string }) => proposal.code === '230522');
  assert.match(department.verification.reason, /department/);
  assert.deepEqual(
    found.unlisted.map((county: { code: string }) => county.code),
    ['230502', '230503', '230505', '230506', '230524', '230522', '230521', '230523']
      .filter((code) => !(code in prefecture.expected))
      .sort(),
  );
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT region_code, base_url, verdict FROM portals WHERE source = 'discovered' ORDER BY region_code`,
    );
    const siteOf = (code: string) => sim.truth.portals.find((portal) => portal.regionCode === code)!.url;
    assert.deepEqual(rows, [
      { region_code: '230503', base_url: `${prefecture.url}lingdong/`, verdict: 'verified' },
      { region_code: '230521', base_url: siteOf('230521'), verdict: 'verified' },
      { region_code: '230523', base_url: siteOf('230523'), verdict: 'verified' },
    ]);
  } finally {
    await client.end();
  }
});

test('usage: a county code is not a prefecture; no known URL asks for --url', async () => {
  assert.equal((await run(['portals', 'discover', '--prefecture', '230521'])).code, 2);
  const unknown = await run(['portals', 'discover', '--prefecture', '230500']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /give --url URL/);
});
