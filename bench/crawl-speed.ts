// Crawl: pages/second and bytes against the portal simulator at the given politeness settings, then a second crawl
// of the unchanged portals and its byte ratio (conditional requests and hash dedup make it small).
import { performance } from 'node:perf_hooks';
import { crawlPortal } from '../crawlers/crawl-portal.ts';
import { startSimulator } from '../simulator/server.ts';
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
        const portal = await testStore.store.ensurePortal({
          baseUrl: simulated.url,
          regionCode: simulated.regionCode,
          name: simulated.name,
          platform: 'auto',
        });
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
    };
  } finally {
    await testStore.cleanup();
    await sim.close();
  }
}
