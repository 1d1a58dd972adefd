// The JS-rendered (Anhui-style) list through Playwright + Debian Chromium: the static shell has no report links,
// the browser sees them all, and never touches another host.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { browserAvailable, CHROMIUM } from '../../crawlers/browser.ts';
import { crawlPortal } from '../../crawlers/crawl-portal.ts';
import { extractLinks } from '../../crawlers/links.ts';
import { withTestStore, type TestStore } from '../helpers/db.ts';
import { startSimulator, type Simulator } from '../../simulator/server.ts';

const skip = browserAvailable() ? false : `no Chromium at ${CHROMIUM}: the browser path cannot run here`;
let sim: Simulator;
let testStore: TestStore;

before(async () => {
  if (skip) return;
  sim = await startSimulator({ seed: 2 });
  testStore = await withTestStore();
});
after(async () => {
  await testStore?.cleanup();
  await sim?.close();
});

test('the Anhui list is a JS shell: no report link in its static HTML', { skip }, async () => {
  const truth = sim.truth.portals.find((x) => x.platform === 'anhui')!;
  const html = await (await fetch(truth.columnUrl)).text();
  assert.equal(extractLinks(html, truth.columnUrl).filter((l) => /年度报告/.test(l.title)).length, 0);
});

test('Playwright renders the Anhui list and its pages: every report found', { skip, timeout: 120_000 }, async () => {
  const truth = sim.truth.portals.find((x) => x.platform === 'anhui')!;
  const portal = await testStore.store.ensurePortal({
    baseUrl: truth.url,
    regionCode: truth.regionCode,
    name: truth.name,
  });
  const summary = await crawlPortal(portal, testStore.store, {
    allowPrivate: true,
    rate: { perMinute: 60_000 },
    backoffMs: 5,
    browser: 'always',
  });
  assert.equal(summary.platform, 'anhui');
  assert.ok(!summary.errors.some((e) => /browser rendering failed/.test(e.error)), JSON.stringify(summary.errors));
  const got = new Set(summary.reports.flatMap((r) => r.documents));
  assert.deepEqual(
    truth.reports.flatMap((r) => r.documents).filter((d) => !got.has(d)),
    [],
  );
  assert.equal(summary.reports.length, truth.reports.length);
  // The JSON endpoint was called by the page (the browser), every page of it.
  const api = [...sim.hits.keys()].filter((k) => k.includes('list.json'));
  assert.ok(api.length >= Math.ceil((truth.reports.length + 4) / 4), `list endpoint pages requested: ${api.join(' ')}`);
});

test(
  'an unknown CMS whose column is a JS shell: the generic adapter renders it in the browser',
  { skip, timeout: 120_000 },
  async () => {
    const truth = sim.truth.portals.find((x) => x.platform === 'anhui')!;
    const portal = await testStore.store.ensurePortal({
      baseUrl: truth.columnUrl,
      regionCode: truth.regionCode,
      name: truth.name,
      platform: 'generic',
      entryUrls: [truth.columnUrl],
    });
    const summary = await crawlPortal(portal, testStore.store, {
      allowPrivate: true,
      rate: { perMinute: 60_000 },
      backoffMs: 5,
      browser: 'always',
    });
    assert.equal(summary.platform, 'generic');
    assert.equal(summary.reports.length, truth.reports.length, JSON.stringify(summary.errors));
  },
);
