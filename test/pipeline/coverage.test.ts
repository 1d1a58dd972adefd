// Coverage against the fixed denominator and staleness, on the simulator: a fresh database covers all 2,846 counties
// (unverified or no portal); a crawled and loaded county's cells are loaded / stale by the due-date rule; a county
// whose portal fails shows it; `nianbao coverage` and `nianbao status` print the same.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { crawlPortal, type CrawlOptions } from '../../crawlers/crawl-portal.ts';
import { coverageCells, latestDueYear, provinceTotals } from '../../db/queries/coverage.ts';
import { InProcessRuntime } from '../../pipeline/inprocess.ts';
import { queueArchived } from '../../pipeline/jobs/crawl-job.ts';
import { withTestStore, type TestStore } from '../helpers/db.ts';
import { startSimulator, type Simulator } from '../../simulator/server.ts';
import { runCli } from '../helpers/cli.ts';

const OPTS: CrawlOptions = {
  allowPrivate: true,
  rate: { perMinute: 60_000 },
  backoffMs: 5,
  retries: 0,
  browser: 'never',
};
let sim: Simulator;
let testStore: TestStore;

const run = (args: string[]) => runCli(args, { databaseUrl: testStore.url, home: testStore.home });

before(async () => {
  sim = await startSimulator({ seed: 4 });
  testStore = await withTestStore();
});
after(async () => {
  await testStore?.cleanup();
  await sim?.close();
});

test('a fresh database: every county of the registry, none covered yet', async () => {
  const cells = await coverageCells(testStore.store.pool, { year: 2024 });
  assert.equal(cells.length, 2846);
  const national = provinceTotals(cells).at(-1)!;
  assert.equal(national.counties, 2846);
  // 5 counties without a URL and 3 whose listed URL is the prefecture's (disabled in portals.yaml).
  assert.deepEqual([national.states['no portal'], national.states.unverified], [8, 2838]);
});

test('a crawled, loaded county: loaded cells with bodies, stale ones past the due date', async () => {
  const truth = sim.truth.portals[0];
  // The county's registry row pointed at the simulator, as a portals.yaml override would.
  await testStore.store.pool.query(`UPDATE portals SET base_url = $2, source = 'yaml' WHERE registry_code = $1`, [
    truth.regionCode,
    truth.url,
  ]);
  const [portal] = await testStore.store.listPortals({ regionCode: truth.regionCode });
  const summary = await crawlPortal(portal, testStore.store, OPTS);
  assert.equal(summary.outcome, 'complete');
  const runtime = new InProcessRuntime({ store: testStore.store, log: () => {} });
  await queueArchived(summary, portal, testStore.store, (queue, data) => Promise.resolve(runtime.add(queue, data)));
  await runtime.idle();
  assert.deepEqual(runtime.failed, []);

  const cells = (await coverageCells(testStore.store.pool)).filter((cell) => cell.region_code === truth.regionCode);
  const { rows } = await testStore.store.pool.query(
    `SELECT year, count(DISTINCT agency_id)::int AS bodies FROM reports
     WHERE status = 'current' AND region_code = $1 GROUP BY year`,
    [truth.regionCode],
  );
  const bodies = new Map(rows.map((row) => [row.year as number, row.bodies as number]));
  assert.ok(bodies.size >= 3, 'reports of several years loaded');
  for (const cell of cells) {
    const due = cell.year <= latestDueYear();
    const mine = bodies.get(cell.year) ?? 0;
    const before = bodies.get(cell.year - 1) ?? 0;
    const expected = mine ? (due && mine < before ? 'stale' : 'loaded') : due ? 'stale' : 'no report listed';
    assert.equal(cell.state, expected, `${cell.year}: ${mine} bodies, ${before} the year before`);
    assert.equal(cell.bodies, mine);
  }
  const status = await run(['status', '--json']);
  assert.equal(status.code, 0, status.stderr);
  const stale = JSON.parse(status.stdout).stale;
  assert.equal(stale.year, latestDueYear());
  assert.ok(stale.counties.some((cell: { region_code: string }) => cell.region_code === truth.regionCode));
});

test('a county whose portal fails: crawl failing, and nianbao coverage prints the matrix', async () => {
  const truth = sim.truth.portals[1];
  await testStore.store.pool.query(`UPDATE portals SET base_url = $2, source = 'yaml' WHERE registry_code = $1`, [
    truth.regionCode,
    truth.url,
  ]);
  const [portal] = await testStore.store.listPortals({ regionCode: truth.regionCode });
  sim.setOutage(truth.url);
  try {
    assert.equal((await crawlPortal(portal, testStore.store, OPTS)).outcome, 'failed');
  } finally {
    sim.setOutage(null);
  }
  const mine = (await coverageCells(testStore.store.pool, { year: 2024 })).find(
    (x) => x.region_code === truth.regionCode,
  )!;
  assert.equal(mine.state, 'crawl failing');

  const text = await run(['coverage', '--year', '2024']);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^全国\s+2846\s/m);
  const csv = await run(['coverage', '--csv', '--year', '2024']);
  assert.equal(csv.stdout.trim().split('\n').length, 2847);
  const json = JSON.parse((await run(['coverage', '--json', '--year', '2024', '--province', '北京市'])).stdout);
  assert.equal(json.cells.length, 16);
  assert.equal((await run(['coverage', '--province', '火星'])).code, 2);
});
