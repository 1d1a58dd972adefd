// Every simulator portal, the core four and the real-world families, crawled by auto-detection as a new user
// would: recall and precision of report documents against the ground truth, printed as one table, 100%/100% each;
// and each column records the adapter that handled it and why.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { crawlPortal, type PortalSummary } from '../../crawlers/crawl-portal.ts';
import { browserAvailable } from '../../crawlers/chromium.ts';
import { startSimulator, type Simulator } from '../../simulator/server.ts';
import { withTestStore, type TestStore } from '../helpers/db.ts';

let sim: Simulator;
let testStore: TestStore;
const summaries = new Map<string, PortalSummary>();
// A portal whose lists only a browser can read is crawled with Debian's Chromium (installed by .ci/run); without
// one, it must fail by name (tested below) and stays out of the recall table.
const withBrowser = browserAvailable();
const crawled = () => sim.truth.portals.filter((truth) => withBrowser || !truth.needsBrowser);

before(async () => {
  sim = await startSimulator({ seed: 3, families: true });
  testStore = await withTestStore();
  for (const truth of sim.truth.portals) {
    const portal = await testStore.store.ensurePortal({
      baseUrl: truth.url,
      regionCode: truth.regionCode,
      name: truth.name,
    });
    summaries.set(
      truth.slug,
      await crawlPortal(portal, testStore.store, {
        allowPrivate: true,
        rate: { perMinute: 60_000, concurrency: 2 },
        backoffMs: 5,
        browser: truth.needsBrowser ? 'auto' : 'never',
      }),
    );
  }
});

after(async () => {
  await testStore?.cleanup();
  await sim?.close();
});

interface Row {
  portal: string;
  platform: string;
  adapter: string;
  truth: number;
  found: number;
  recall: number;
  precision: number;
  pages: number;
}

function rows(): Row[] {
  return crawled().map((truth) => {
    const summary = summaries.get(truth.slug)!;
    const expected = new Set(truth.reports.flatMap((r) => r.documents));
    const got = new Set(summary.reports.flatMap((r) => r.documents));
    const hit = [...got].filter((doc) => expected.has(doc)).length;
    return {
      portal: truth.slug,
      platform: truth.platform,
      adapter: summary.platform,
      truth: expected.size,
      found: got.size,
      recall: expected.size ? hit / expected.size : 1,
      precision: got.size ? hit / got.size : 0,
      pages: summary.pages_fetched,
    };
  });
}

test('recall and precision 100% on every simulator portal (table printed)', () => {
  const table = rows();
  const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
  console.log(
    ['portal      platform  adapter   reports found  recall  precision  pages']
      .concat(
        table.map(
          (row) =>
            `${row.portal.padEnd(12)}${row.platform.padEnd(10)}${row.adapter.padEnd(10)}${String(row.truth).padStart(7)}${String(row.found).padStart(6)}  ${pct(row.recall).padStart(6)}  ${pct(row.precision).padStart(9)}  ${String(row.pages).padStart(5)}`,
        ),
      )
      .join('\n'),
  );
  assert.ok(table.length >= 9, `${table.length} portals`);
  if (!withBrowser) console.log('(no Chromium: the portals only a browser can read are left out of this table)');
  for (const row of table) {
    const summary = summaries.get(row.portal)!;
    const missing = sim.truth.portals
      .find((truth) => truth.slug === row.portal)!
      .reports.flatMap((r) => r.documents)
      .filter((doc) => !summary.reports.some((r) => r.documents.includes(doc)));
    assert.deepEqual(missing, [], `${row.portal}: missed (errors: ${JSON.stringify(summary.errors.slice(0, 5))})`);
    assert.equal(row.precision, 1, `${row.portal}: precision`);
    assert.equal(row.adapter, row.platform, `${row.portal}: adapter`);
  }
});

test('a single-page channel (Shandong /gongkai/): read in the browser, every page clicked; without one, a named failure', () => {
  const truth = sim.truth.portals.find((one) => one.slug === 'pingyin')!;
  const summary = summaries.get('pingyin')!;
  assert.ok(truth.needsBrowser);
  assert.ok(
    summary.lists.every((list) => list.adapter === 'gongkai'),
    JSON.stringify(summary.lists),
  );
  if (withBrowser) {
    // Three channels (the county's and two sub-channels), each paged by clicking: more than one data request each.
    const calls = [...sim.hits.keys()].filter((key) => key.startsWith('/p/pingyin/gongkai/datacall?'));
    for (const section of ['gov', 'dept', 'town'])
      assert.ok(
        calls.filter((key) => key.includes(`section=${section}&`)).length >= 2,
        `${section}: ${calls.join(' ')}`,
      );
    assert.equal(summary.outcome, 'complete');
  } else {
    assert.equal(summary.reports.length, 0);
    assert.equal(summary.gone, null);
    assert.ok(summary.errors.some((err) => /single-page app.*no browser is available/.test(err.error)));
  }
});

test('each column records the adapter that handled it and why; no family portal reports a paging error', () => {
  for (const [slug, summary] of summaries) {
    assert.ok(summary.lists.length >= 1, `${slug}: no column recorded`);
    for (const list of summary.lists) assert.ok(list.adapter && list.why, `${slug}: ${JSON.stringify(list)}`);
    const paging = summary.errors.filter((err) => /paging did not advance|no known list mechanism/.test(err.error));
    // (A browser-only portal crawled without one has no list mechanism by design: its failure is tested above.)
    if (withBrowser || !sim.truth.portals.find((truth) => truth.slug === slug)!.needsBrowser)
      assert.deepEqual(paging, [], slug);
  }
});

test('hulan: the module tree is walked; department and township reports come from their own units', () => {
  const hulan = sim.truth.portals.find((truth) => truth.slug === 'hulan')!;
  const summary = summaries.get('hulan')!;
  const trees = [...sim.hits.keys()].filter((key) => key.startsWith('/p/hulan/module/xxgk/tree.jsp?'));
  const areas = new Set(trees.map((key) => new URLSearchParams(key.slice(key.indexOf('?'))).get('area')));
  assert.deepEqual([...areas].sort(), ['230111000', '230111100', '230111200', '230111201']);
  // The county's own form lists only the government's reports: the others were found through the units.
  const units = hulan.reports.filter((report) => !report.agency.endsWith('呼兰区人民政府'));
  assert.ok(units.length >= 7, `${units.length} unit reports`);
  for (const report of units)
    assert.ok(
      summary.reports.some((found) => found.url === report.articleUrl),
      `${report.id} (${report.agency}) not found`,
    );
  assert.equal(summary.outcome, 'complete');
  assert.deepEqual(summary.errors, []);
});

test('attachments on the object-storage host are fetched as documents, nothing else is asked of that host', () => {
  const storageDocs = [...sim.hits.keys()].filter((key) => key.startsWith('storage:'));
  const chunan = sim.truth.portals.find((truth) => truth.slug === 'chunan')!;
  const onStorage = chunan.reports.flatMap((r) => r.documents).filter((doc) => !doc.startsWith(sim.url));
  assert.ok(onStorage.length > 0);
  for (const key of storageDocs) assert.match(key, /^storage:(\/cms_files\/.*\.pdf|\/robots\.txt)$/);
});

test('a column no adapter can read is "no known list mechanism", a failed listing that marks nothing gone', async () => {
  const jinhu = sim.truth.portals.find((truth) => truth.slug === 'jinhu')!;
  const column = new URL('zfxxgk/ndbg/old/index.html', jinhu.url).toString();
  const portal = await testStore.store.ensurePortal({
    baseUrl: jinhu.url + 'old/',
    regionCode: jinhu.regionCode,
    name: jinhu.name,
    entryUrls: [column],
  });
  const summary = await crawlPortal(portal, testStore.store, { allowPrivate: true, browser: 'never', backoffMs: 5 });
  assert.equal(summary.reports.length, 0);
  assert.equal(summary.gone, null);
  assert.deepEqual(summary.lists, [{ url: column, adapter: 'generic', why: summary.lists[0].why }]);
  assert.ok(
    summary.errors.some((err) => err.url === column && err.error.startsWith(`no known list mechanism on ${column}`)),
    JSON.stringify(summary.errors),
  );
});

test('titles, agencies and years match the truth: cut list titles confirmed from the article or the file name', () => {
  for (const truth of crawled()) {
    const byUrl = new Map(summaries.get(truth.slug)!.reports.map((report) => [report.url, report]));
    for (const expected of truth.reports) {
      const found = byUrl.get(expected.articleUrl);
      assert.ok(found, `${expected.id} found`);
      if (found.title.endsWith('...')) continue; // a file kept on a cut title that classified: nothing to confirm by
      assert.equal(found.title, expected.title, expected.id);
      assert.equal(found.agency, expected.agency, expected.id);
      assert.equal(found.year, expected.year, expected.id);
    }
  }
});
