// Crawl: pages/second and bytes against the portal simulator at the given politeness settings, then a second crawl
// of the unchanged portals and its byte ratio (conditional requests and hash dedup make it small). Then recall per
// family: every simulator portal (the core four and the real-world families) crawled by auto-detection, with the
// politeness cost as pages fetched per report found (rate-independent, so it runs at the loopback rate).
import { performance } from 'node:perf_hooks';
import { crawlPortal } from '../crawlers/crawl-portal.ts';
import { startSimulator, type GroundTruth } from '../simulator/server.ts';
import type { Portal, Store } from '../db/store-types.ts';
import { withTestStore } from '../test/helpers/db.ts';
import { log } from '../core/log.ts';

export interface CrawlBench {
  portals: number;
  per_minute: number;
  concurrency: number;
  pages: number;
  bytes: number;
  seconds: number;
  pages_per_s: number;
  reports: number;
  recrawl_pages: number;
  recrawl_bytes: number;
  recrawl_byte_ratio: number;
  families: FamilyRecall[];
}

export interface FamilyRecall {
  portal: string;
  /** The adapter expected (the simulator's ground truth) and the one the crawl chose. */
  family: string;
  adapter: string;
  reports: number;
  found: number;
  recall: number;
  precision: number;
  pages: number;
  pages_per_report: number;
  errors: number;
}

/** A simulator portal as a new user adds it: its URL, county and name, the platform left to auto-detection. */
function asNewPortal(store: Pick<Store, 'ensurePortal'>, portal: GroundTruth['portals'][number]): Promise<Portal> {
  return store.ensurePortal({
    baseUrl: portal.url,
    regionCode: portal.regionCode,
    name: portal.name,
    platform: 'auto',
  });
}

/** Every simulator portal crawled as a new user would (platform auto): recall/precision of report documents. */
export async function benchFamilies(): Promise<FamilyRecall[]> {
  const sim = await startSimulator({ seed: 1, families: true });
  const testStore = await withTestStore();
  try {
    const out: FamilyRecall[] = [];
    for (const truth of sim.truth.portals) {
      const portal = await asNewPortal(testStore.store, truth);
      const summary = await crawlPortal(portal, testStore.store, {
        allowPrivate: true,
        rate: { perMinute: 60_000, concurrency: 2 },
        // a portal only a browser can read gets Chromium where there is one (its row then says how it was read)
        browser: truth.needsBrowser ? 'auto' : 'never',
      });
      const expected = new Set(truth.reports.flatMap((r) => r.documents));
      const got = new Set(summary.reports.flatMap((r) => r.documents));
      const hit = [...got].filter((doc) => expected.has(doc)).length;
      out.push({
        portal: truth.slug,
        family: truth.platform,
        adapter: summary.platform,
        reports: truth.reports.length,
        found: summary.reports.length,
        recall: expected.size ? hit / expected.size : 1,
        precision: got.size ? hit / got.size : 0,
        pages: summary.pages_fetched,
        pages_per_report: summary.reports.length ? summary.pages_fetched / summary.reports.length : NaN,
        errors: summary.errors.length,
      });
    }
    return out;
  } finally {
    await testStore.cleanup();
    await sim.close();
  }
}

export async function benchCrawl(opts: {
  perMinute: number;
  concurrency: number;
  maxPortals: number;
}): Promise<CrawlBench> {
  const sim = await startSimulator({ seed: 1 });
  const testStore = await withTestStore();
  try {
    const portals = sim.truth.portals.slice(0, opts.maxPortals);
    const crawlAll = async () => {
      let pages = 0;
      let bytes = 0;
      let reports = 0;
      const started = performance.now();
      for (const simulated of portals) {
        const portal = await asNewPortal(testStore.store, simulated);
        const summary = await crawlPortal(portal, testStore.store, {
          allowPrivate: true,
          rate: { perMinute: opts.perMinute, concurrency: opts.concurrency },
          browser: 'never',
        });
        pages += summary.pages_fetched;
        bytes += summary.bytes;
        reports += summary.reports.length;
      }
      return { pages, bytes, reports, seconds: (performance.now() - started) / 1000 };
    };
    log.info(
      `bench: crawl ${portals.length} simulator portal(s) at ${opts.perMinute}/min, concurrency ${opts.concurrency}…`,
    );
    const first = await crawlAll();
    log.info('bench: re-crawl of the unchanged portals…');
    const second = await crawlAll();
    log.info('bench: recall per family (every simulator portal, auto-detected)…');
    const families = await benchFamilies();
    return {
      portals: portals.length,
      per_minute: opts.perMinute,
      concurrency: opts.concurrency,
      pages: first.pages,
      bytes: first.bytes,
      seconds: first.seconds,
      pages_per_s: first.pages / first.seconds,
      reports: first.reports,
      recrawl_pages: second.pages,
      recrawl_bytes: second.bytes,
      recrawl_byte_ratio: first.bytes ? second.bytes / first.bytes : NaN,
      families,
    };
  } finally {
    await testStore.cleanup();
    await sim.close();
  }
}
