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
  const ts = await withTestStore();
  try {
    const portals = sim.truth.portals.slice(0, opts.maxPortals);
    const crawlAll = async () => {
      let pages = 0;
      let bytes = 0;
      let reports = 0;
      const t0 = performance.now();
      for (const p of portals) {
        const portal = await ts.store.ensurePortal({
          baseUrl: p.url,
          regionCode: p.regionCode,
          name: p.name,
          platform: 'auto',
        });
        const s = await crawlPortal(portal, ts.store, {
          allowPrivate: true,
          rate: { perMinute: opts.perMinute, concurrency: opts.concurrency },
          browser: 'never',
        });
        pages += s.pages_fetched;
        bytes += s.bytes;
        reports += s.reports.length;
      }
      return { pages, bytes, reports, seconds: (performance.now() - t0) / 1000 };
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
    await ts.cleanup();
    await sim.close();
  }
}
