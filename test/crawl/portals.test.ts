// End-to-end crawls of the portal simulator into a test database: recall/precision against the ground truth, the
// traps, GBK decoding, and re-crawls (conditional requests, a changed report, a removed one).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { crawlPortal, type CrawlOptions, type PortalSummary } from '../../crawlers/crawl-portal.ts';
import type { FetchInput, Portal, Store } from '../../db/store-types.ts';
import { withTestStore, type TestStore } from '../helpers/db.ts';
import { startSimulator, type Simulator } from '../../simulator/server.ts';

const OPTS: CrawlOptions = {
  allowPrivate: true,
  rate: { perMinute: 60_000, concurrency: 2 },
  backoffMs: 5,
  browser: 'never',
};

/** The store, with every recordFetch call kept for assertions. */
function spy(store: Store, fetches: FetchInput[]): Store {
  return new Proxy(store, {
    get(target, prop, recv) {
      if (prop === 'recordFetch') return (f: FetchInput) => (fetches.push(f), target.recordFetch(f));
      const value = Reflect.get(target, prop, recv);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('crawling the portal simulator', () => {
  let sim: Simulator;
  let testStore: TestStore;
  let db: pg.Client;
  const fetches: FetchInput[] = [];
  let store: Store;
  const portals = new Map<string, Portal>();
  const first = new Map<string, PortalSummary>();
  const second = new Map<string, PortalSummary>();

  before(async () => {
    sim = await startSimulator({ seed: 1 });
    testStore = await withTestStore();
    db = new pg.Client({ connectionString: testStore.url });
    await db.connect();
    store = spy(testStore.store, fetches);
    for (const truth of sim.truth.portals) {
      // platform left to auto-detection; region code as in crawlers/portals.yaml
      portals.set(
        truth.slug,
        await store.ensurePortal({ baseUrl: truth.url, regionCode: truth.regionCode, name: truth.name }),
      );
    }
    for (const truth of sim.truth.portals)
      first.set(truth.slug, await crawlPortal(portals.get(truth.slug)!, store, OPTS));
  });

  after(async () => {
    await db?.end();
    await testStore?.cleanup();
    await sim?.close();
  });

  test('every portal: platform detected, recall 100%, precision >= 99% of report documents', () => {
    for (const truth of sim.truth.portals) {
      const summary = first.get(truth.slug)!;
      assert.equal(summary.platform, truth.platform, `${truth.slug} platform`);
      const truthDocs = new Set(truth.reports.flatMap((r) => r.documents));
      const got = new Set(summary.reports.flatMap((r) => r.documents));
      const missing = [...truthDocs].filter((d) => !got.has(d));
      const extra = [...got].filter((d) => !truthDocs.has(d));
      assert.deepEqual(missing, [], `${truth.slug}: missed report documents`);
      assert.ok(
        got.size > 0 && (got.size - extra.length) / got.size >= 0.99,
        `${truth.slug}: precision, extra ${extra.join(', ')}`,
      );
      assert.equal(summary.reports.length, truth.reports.length, `${truth.slug}: one report per truth report`);
      assert.equal(summary.documents.length, truthDocs.size, `${truth.slug}: documents handed to the pipeline`);
    }
  });

  test('agency, year and title match the truth (GB2312 pages without a charset header included)', () => {
    for (const truth of sim.truth.portals) {
      const byUrl = new Map(first.get(truth.slug)!.reports.map((r) => [r.url, r]));
      for (const expected of truth.reports) {
        const found = byUrl.get(expected.articleUrl);
        assert.ok(found, `${expected.id} found`);
        // A file linked straight from a list that cuts titles keeps the cut title: there is no page to read.
        if (found.title.endsWith('...'))
          assert.ok(
            expected.title.startsWith(found.title.slice(0, -3)) && /\.(pdf|docx?|wps)$/.test(found.url),
            found.title,
          );
        else assert.equal(found.title, expected.title);
        assert.equal(found.agency, expected.agency);
        assert.equal(found.year, expected.year);
      }
    }
  });

  test('candidates carry the SiteIDCode and publication date of the article page', async () => {
    const { rows } = await db.query('SELECT article_url, site_id_code, published_at FROM candidates');
    const truth = new Map(
      sim.truth.portals.flatMap((p) => p.reports.map((r) => [r.articleUrl, { code: p.regionCode, r }] as const)),
    );
    assert.equal(rows.length, truth.size);
    for (const row of rows) {
      const expected = truth.get(row.article_url)!;
      assert.equal(row.site_id_code.slice(0, 6), expected.code);
      assert.match(row.published_at, /^\d{4}-\d{2}-\d{2}$/);
    }
  });

  test('distractors are not taken: 解读, 通知, 报表, another county’s report', () => {
    const all = [...first.values()].flatMap((s) => s.reports.map((r) => r.title));
    assert.ok(!all.some((t) => /解读|通知|报表/.test(t)), 'no interpretation/notice/website-report page');
    for (const truth of sim.truth.portals) {
      for (const report of first.get(truth.slug)!.reports)
        assert.ok(
          report.agency === null ||
            !/^(萝北县|友谊县|杜集区|饶河县|集贤县)/.test(report.agency) ||
            truth.name === report.agency.slice(0, 3),
          `${truth.slug}: ${report.title}`,
        );
    }
  });

  test('traps stay bounded: robots.txt, private and other hosts, redirect loop, 30 MB file, calendar', () => {
    const baoqing = first.get('baoqing')!;
    for (const prefix of sim.truth.disallowed) {
      const path = new URL(prefix).pathname;
      assert.ok(![...sim.hits.keys()].some((k) => k.startsWith(path)), `robots-disallowed ${path} requested`);
    }
    for (const url of sim.truth.offsite) {
      assert.ok(!fetches.some((f) => f.url === url || f.finalUrl === url), `off-site ${url} reached the fetch log`);
    }
    const refused = [...first.values()]
      .flatMap((s) => s.errors)
      .filter((e) => e.error.startsWith('refused: off-portal host'));
    for (const host of ['10.12.0.5', '192.168.10.20', 'www.baoqing.example', '10.0.3.7'])
      assert.ok(
        refused.some((e) => e.error.endsWith(host)),
        `refusal of ${host} reported`,
      );
    assert.ok(
      baoqing.errors.some((e) => e.url.startsWith(sim.truth.redirectLoop) && /redirect loop/.test(e.error)),
      'redirect loop reported',
    );
    const loopHits = [...sim.hits].filter(([k]) => k.includes('/loop/')).reduce((n, [, c]) => n + c, 0);
    assert.ok(loopHits <= 2, `redirect loop followed ${loopHits} times`);
    assert.ok(
      baoqing.errors.some((e) => e.url === sim.truth.bigFile && /too large/.test(e.error)),
      '30 MB file refused at the size limit',
    );
    assert.ok(baoqing.bytes < 5 * 1024 * 1024, `generic portal downloaded ${baoqing.bytes} bytes`);
    const calendar = [...sim.hits.keys()].filter((k) => k.includes('/calendar/'));
    // depth 3 from the column, both directions: 2024-01, then ±1 and ±2 months
    assert.ok(calendar.length > 0 && calendar.length <= 5, `calendar pages fetched: ${calendar.length}`);
    assert.ok(
      baoqing.errors.some((e) => /HTTP 500/.test(e.error)) && baoqing.errors.some((e) => /HTTP 404/.test(e.error)),
      '404 and 500 recorded',
    );
  });

  test('every fetch is recorded and every report document is archived', async () => {
    for (const summary of first.values()) {
      for (const doc of summary.documents) {
        assert.ok(
          fetches.some((f) => f.url === doc.url && f.sha256 === doc.sha256),
          `fetch of ${doc.url} recorded`,
        );
        const bytes = await testStore.store.readDocument(doc.sha256);
        assert.ok(bytes.length > 0);
      }
    }
    assert.ok(
      fetches.every((f) => f.runId),
      'fetches tied to a crawl run',
    );
  });

  test('a second crawl of unchanged portals downloads <= 10% of the first', async () => {
    for (const truth of sim.truth.portals)
      second.set(truth.slug, await crawlPortal(portals.get(truth.slug)!, store, OPTS));
    for (const truth of sim.truth.portals) {
      const firstRun = first.get(truth.slug)!,
        secondRun = second.get(truth.slug)!;
      assert.ok(
        secondRun.bytes <= firstRun.bytes * 0.1,
        `${truth.slug}: ${secondRun.bytes} bytes vs ${firstRun.bytes}`,
      );
      assert.deepEqual(secondRun.candidates.sort(), firstRun.candidates.sort(), `${truth.slug}: same candidates`);
      assert.deepEqual(secondRun.documents.map((d) => d.sha256).sort(), firstRun.documents.map((d) => d.sha256).sort());
      assert.equal(secondRun.gone, 0);
    }
  });

  test('a changed report is re-archived as a new version of the same candidate; a removed one is marked gone', async () => {
    const suibin = sim.truth.portals.find((p) => p.slug === 'suibin')!;
    const changed = suibin.reports.find((r) => r.kind !== 'html')!;
    const removed = suibin.reports.find((r) => r.id !== changed.id && r.kind === 'html')!;
    await sim.changeReport(changed.id);
    sim.removeReport(removed.id);
    const before = first.get('suibin')!;
    const third = await crawlPortal(portals.get('suibin')!, store, OPTS);
    const oldDoc = before.documents.find((d) => d.url === changed.documents[0])!;
    const newDoc = third.documents.find((d) => d.url === changed.documents[0])!;
    assert.notEqual(newDoc.sha256, oldDoc.sha256, 'new bytes, new sha256');
    assert.equal(newDoc.candidateId, oldDoc.candidateId, 'same candidate');
    const { rows: versions } = await db.query(
      'SELECT sha256 FROM candidate_documents WHERE candidate_id = $1 ORDER BY first_seen',
      [newDoc.candidateId],
    );
    assert.deepEqual(
      new Set(versions.map((v) => v.sha256)),
      new Set([oldDoc.sha256, newDoc.sha256]),
      'both versions linked',
    );
    assert.equal(third.gone, 1);
    const { rows } = await db.query('SELECT gone_at FROM candidates WHERE article_url = $1', [removed.articleUrl]);
    assert.equal(rows.length, 1, 'the removed report is kept');
    assert.ok(rows[0].gone_at instanceof Date, 'gone with a date');
    assert.ok(!third.reports.some((r) => r.url === removed.articleUrl));
  });

  test('a transient outage (503) of an article or a list page falls back to the archived copy: nothing hidden, nothing gone', async () => {
    const jixian = sim.truth.portals.find((x) => x.slug === 'jixian')!;
    const before = second.get('jixian')!;
    for (const prefix of [jixian.reports[0].articleUrl, jixian.columnUrl.replace(/index\.html$/, 'index_1.html')]) {
      sim.setOutage(prefix);
      try {
        const summary = await crawlPortal(portals.get('jixian')!, store, { ...OPTS, retries: 1 });
        assert.deepEqual(summary.candidates.sort(), before.candidates.sort(), `outage of ${prefix}: same candidates`);
        assert.equal(summary.gone, 0);
        assert.ok(
          summary.errors.some(
            (e) => e.url === prefix && /HTTP 503; used the copy archived on \d{4}-\d{2}-\d{2}/.test(e.error),
          ),
          JSON.stringify(summary.errors),
        );
      } finally {
        sim.setOutage(null);
      }
    }
  });

  test('the crawl budget bounds an unbounded calendar; an incomplete crawl marks nothing gone', async () => {
    const column = sim.truth.portals.find((x) => x.slug === 'baoqing')!.columnUrl;
    const portal = await store.ensurePortal({
      baseUrl: column,
      regionCode: '230523',
      name: '宝清县',
      entryUrls: [column],
    });
    const before = fetches.length;
    const summary = await crawlPortal(portal, store, { ...OPTS, maxRequests: 12, maxListDepth: 1000 });
    const made = fetches.slice(before).filter((f) => !f.url.endsWith('/robots.txt'));
    assert.ok(made.length <= 12, `${made.length} fetches for a budget of 12`);
    assert.ok(
      summary.errors.some((e) => /budget of 12 requests exhausted/.test(e.error)),
      'budget exhaustion reported',
    );
    assert.equal(summary.gone, null);
  });

  test('a portal registered by its column URL (no home page, no entry URLs) is crawled from that column', async () => {
    const jixian = sim.truth.portals.find((x) => x.slug === 'jixian')!;
    const portal = await store.ensurePortal({ baseUrl: jixian.columnUrl });
    const summary = await crawlPortal(portal, store, OPTS);
    assert.equal(summary.platform, 'trs');
    assert.deepEqual(summary.reports.map((r) => r.title).sort(), jixian.reports.map((r) => r.title).sort());
    assert.deepEqual(summary.errors, []);
  });

  test('the summary and the crawl run name the adapter that handled the column, not the platform asked for', async () => {
    const jixian = sim.truth.portals.find((x) => x.slug === 'jixian')!;
    const portal = await store.ensurePortal({
      baseUrl: jixian.url + 'zwgk/',
      platform: 'nosuch',
      entryUrls: [jixian.columnUrl],
    });
    assert.equal(portal.platform, 'nosuch');
    const summary = await crawlPortal(portal, store, OPTS);
    assert.equal(summary.platform, 'trs');
    const { rows } = await db.query('SELECT stats FROM crawl_runs WHERE id = $1', [summary.runId]);
    assert.equal(rows[0].stats.platform, 'trs');
    // Each list is recorded with the adapter that read it and why that adapter was chosen.
    assert.ok(summary.lists.length >= 1);
    assert.deepEqual(rows[0].stats.lists, summary.lists);
    for (const list of rows[0].stats.lists) {
      assert.equal(list.adapter, 'trs');
      assert.ok(typeof list.why === 'string' && list.why.length > 0, JSON.stringify(list));
    }
  });
});
