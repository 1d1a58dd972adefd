// Portal health on the simulator: verification on first sight (verified, mismatch, a move to another host), errors
// stored by kind, a listing that shrank is a failed listing (nothing marked gone), an interrupted crawl says so, and
// v_portal_health / v_coverage show it all to the operator.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { crawlPortal, type CrawlOptions } from '../../crawlers/crawl-portal.ts';
import { portalHealth } from '../../db/queries/coverage.ts';
import { withTestStore, type TestStore } from '../helpers/db.ts';
import { startSimulator, type Simulator } from '../../simulator/server.ts';

const OPTS: CrawlOptions = {
  allowPrivate: true,
  rate: { perMinute: 60_000, concurrency: 2 },
  backoffMs: 5,
  retries: 0,
};

describe('portal health on the simulator', () => {
  let sim: Simulator;
  let testStore: TestStore;
  let mover: Server;
  const query = (sql: string, params: unknown[] = []) => testStore.store.pool.query(sql, params);
  // By id: the national registry holds the real portal of each simulated county, which no test may reach.
  const reread = async (id: number) => (await testStore.store.listPortals()).find((portal) => portal.id === id)!;

  before(async () => {
    sim = await startSimulator({ seed: 5 });
    testStore = await withTestStore();
  });
  after(async () => {
    await testStore?.cleanup();
    await sim?.close();
    if (mover) await new Promise((ok) => mover.close(ok));
  });

  test('first sight: the county own site is verified, with its evidence stored', async () => {
    const truth = sim.truth.portals[0];
    const portal = await testStore.store.ensurePortal({ baseUrl: truth.url, regionCode: truth.regionCode });
    const summary = await crawlPortal(portal, testStore.store, OPTS);
    assert.equal(summary.verification?.verdict, 'verified', summary.verification?.reason);
    assert.equal(summary.outcome, 'complete');
    const { rows } = await query(
      `SELECT v.verdict, v.site_id_code, v.site_name, p.verdict AS portal_verdict
       FROM portal_verifications v JOIN portals p ON p.id = v.portal_id WHERE v.portal_id = $1`,
      [portal.id],
    );
    assert.deepEqual(rows, [
      {
        verdict: 'verified',
        site_id_code: `${truth.regionCode}0001`,
        site_name: `${truth.name}人民政府`,
        portal_verdict: 'verified',
      },
    ]);
    // Verified once: the next crawl does not read the home page again for it.
    const again = await crawlPortal(await reread(portal.id), testStore.store, OPTS);
    assert.equal(again.verification, null);
  });

  test("another county's site is a mismatch: shown, and its reports are not filed under the county", async () => {
    const truth = sim.truth.portals[1];
    // As a registry row listing the wrong site: the portal claims county 110101 (东城区).
    const portal = await testStore.store.ensurePortal({ baseUrl: truth.url, regionCode: '110101', name: '东城区' });
    const summary = await crawlPortal(portal, testStore.store, OPTS);
    assert.equal(summary.verification?.verdict, 'mismatch');
    assert.match(
      summary.verification!.reason,
      new RegExp(`SiteIDCode ${truth.regionCode}0001 is of division ${truth.regionCode}`),
    );
    assert.ok(summary.reports.length > 0);
    const { rows } = await query(
      `SELECT DISTINCT a.region_code FROM candidates c JOIN agencies a ON a.id = c.agency_id WHERE c.portal_id = $1`,
      [portal.id],
    );
    assert.ok(rows.length > 0);
    assert.ok(
      rows.every((row) => row.region_code !== '110101'),
      `filed under ${rows.map((row) => row.region_code)}`,
    );
    const listed = await testStore.store.listDocuments({ regionCode: '110101' });
    assert.ok(listed.every((doc) => doc.origin.regionCode !== '110101'));
    const broken = await portalHealth(testStore.store.pool, { brokenOnly: true });
    assert.ok(broken.some((health) => health.portal_id === portal.id && health.verdict === 'mismatch'));
  });

  test('a home page that redirects to another host: followed, recorded as moved, verified there', async () => {
    const truth = sim.truth.portals[2];
    // The old address is localhost:<port>, the new one the simulator's 127.0.0.1:<port>: another host.
    mover = createServer((req, res) => {
      res.writeHead(301, { location: truth.url });
      res.end();
    });
    await new Promise<void>((ok) => mover.listen(0, '127.0.0.1', ok));
    const oldUrl = `http://localhost:${(mover.address() as AddressInfo).port}/`;
    const portal = await testStore.store.ensurePortal({ baseUrl: oldUrl, regionCode: truth.regionCode });
    const summary = await crawlPortal(portal, testStore.store, OPTS);
    assert.equal(summary.verification?.verdict, 'verified', summary.verification?.reason);
    assert.equal(summary.verification!.finalUrl, truth.url);
    const { rows } = await query('SELECT moved_to FROM portals WHERE id = $1', [portal.id]);
    assert.equal(rows[0].moved_to, truth.url);
    assert.ok(summary.reports.length > 0, 'the crawl went on at the new host');
  });

  test('a portal verified before that moves later: the next crawl follows, records and re-verifies', async () => {
    const truth = sim.truth.portals[2];
    const oldUrl = `http://localhost:${(mover.address() as AddressInfo).port}/later/`;
    const portal = await testStore.store.ensurePortal({ baseUrl: oldUrl, regionCode: truth.regionCode });
    // As if verified at its old address on an earlier night.
    await query(`UPDATE portals SET verdict = 'verified' WHERE id = $1`, [portal.id]);
    const summary = await crawlPortal(await reread(portal.id), testStore.store, OPTS);
    assert.equal(summary.verification?.verdict, 'verified', JSON.stringify(summary.errors));
    assert.equal(summary.outcome, 'complete');
    const { rows } = await query('SELECT moved_to FROM portals WHERE id = $1', [portal.id]);
    assert.equal(rows[0].moved_to, truth.url);
  });

  test('a listing far shorter than the last complete run is a failed listing: an error, nothing marked gone', async () => {
    const truth = sim.truth.portals[3];
    const portal = await testStore.store.ensurePortal({ baseUrl: truth.url, regionCode: truth.regionCode });
    const first = await crawlPortal(portal, testStore.store, OPTS);
    assert.equal(first.outcome, 'complete');
    assert.ok(first.entries >= 4, `${first.entries} entries`);
    const live = truth.reports.filter((report) => !report.removed);
    // A template change that hides every report but one (distractors, reposts and cut titles stay listed).
    for (const report of live.slice(1)) sim.removeReport(report.id);
    const second = await crawlPortal(await reread(portal.id), testStore.store, OPTS);
    assert.equal(second.outcome, 'failed', `entries ${first.entries} then ${second.entries}`);
    assert.equal(second.gone, null);
    const listing = second.errors.filter((error) => error.kind === 'listing');
    assert.ok(
      listing.some((error) => /last complete run/.test(error.error)),
      JSON.stringify(second.errors),
    );
    const { rows } = await query(
      `SELECT count(*)::int AS gone FROM candidates WHERE portal_id = $1 AND gone_at IS NOT NULL`,
      [portal.id],
    );
    assert.equal(rows[0].gone, 0);
    const stored = await query(`SELECT kind, count(*)::int AS n FROM crawl_errors WHERE run_id = $1 GROUP BY kind`, [
      second.runId,
    ]);
    assert.ok(stored.rows.some((row) => row.kind === 'listing'));
    const [health] = (await portalHealth(testStore.store.pool)).filter((row) => row.portal_id === portal.id);
    assert.equal(health.last_outcome, 'failed');
    assert.equal(health.consecutive_failures, 1);
    assert.ok(health.last_success_at);
    assert.match(health.last_error!, /^listing: /);
  });

  test('a portal that answers 503 everywhere: failed, its errors are http-status', async () => {
    const truth = sim.truth.portals[0];
    const portal = await testStore.store.ensurePortal({ baseUrl: `${truth.url}?down=1`, regionCode: truth.regionCode });
    sim.setOutage(truth.url);
    try {
      const summary = await crawlPortal(portal, testStore.store, OPTS);
      assert.equal(summary.outcome, 'failed');
      assert.ok(summary.errors.some((error) => error.kind === 'http-status' && error.status === 503));
      assert.ok(summary.errors.some((error) => error.kind === 'listing'));
    } finally {
      sim.setOutage(null);
    }
  });

  test('reports listed but none fetched: failed, not a portal whose reports are all gone', async () => {
    // A simulator of its own: no archived copy of these articles to fall back on.
    const fresh = await startSimulator({ seed: 9 });
    try {
      const truth = fresh.truth.portals.find((portal) => portal.slug === 'suibin')!;
      const portal = await testStore.store.ensurePortal({ baseUrl: truth.url, regionCode: truth.regionCode });
      fresh.setOutage(`${truth.url}art/`);
      const summary = await crawlPortal(portal, testStore.store, OPTS);
      assert.equal(summary.outcome, 'failed');
      assert.equal(summary.gone, null);
      assert.ok(summary.errors.some((error) => error.kind === 'listing' && /none could be fetched/.test(error.error)));
      assert.ok(summary.errors.some((error) => error.kind === 'http-status' && error.status === 503));
    } finally {
      await fresh.close();
    }
  });

  test('an interrupted crawl says interrupted (not budget), marks nothing gone', async () => {
    const truth = sim.truth.portals[1];
    const portal = await testStore.store.ensurePortal({
      baseUrl: `${truth.url}?again=1`,
      regionCode: truth.regionCode,
    });
    const controller = new AbortController();
    const summary = await crawlPortal(portal, testStore.store, {
      ...OPTS,
      rate: { perMinute: 600, concurrency: 1 },
      onProgress: (progress) => progress.pages >= 2 && controller.abort(),
      signal: controller.signal,
    });
    assert.equal(summary.outcome, 'interrupted');
    assert.equal(summary.gone, null);
    assert.ok(summary.errors.some((error) => error.kind === 'interrupted'));
    assert.ok(!summary.errors.some((error) => /budget/.test(error.error)), JSON.stringify(summary.errors));
    const { rows } = await query('SELECT outcome FROM crawl_runs WHERE id = $1', [summary.runId]);
    assert.equal(rows[0].outcome, 'interrupted');
  });
});
