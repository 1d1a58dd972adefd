// `nianbao crawl --portal URL | --region CODE | --all [--allow-private] [--no-load] [--json]`: find and archive
// reports, then extract and load them (in-process, or queued for the workers when REDIS_URL is set).
import type { PortalSummary } from '../../crawlers/crawl-portal.ts';
import type { Portal } from '../../db/store-types.ts';
import type { OpenedStore } from '../../db/store.ts';
import type { InProcessRuntime } from '../inprocess.ts';
import type { Enqueuer } from '../jobs/job-types.ts';
import type { Queues } from '../queues.ts';
import { parse, positiveInt } from '../args.ts';
import type { Command } from '../command.ts';
import { InputError, UsageError } from '../../core/errors.ts';
import { config } from '../../core/config.ts';
import { log } from '../../core/log.ts';
import { InterruptedError, trapInterrupts } from '../interrupt.ts';

const usage = `usage: nianbao crawl (--portal URL | --region CODE | --all) [--allow-private] [--no-load] [--max-requests N]
                     [--rate PER_MINUTE] [--browser auto|always|never] [--json]

Finds each portal's 政府信息公开年报 column, walks it, and archives every report article and attachment
(conditional requests: a re-crawl of an unchanged portal downloads almost nothing), then extracts and loads what it
archived: in this process, or with REDIS_URL set queued for \`nianbao worker\`. The first crawl of a portal verifies
its home page (SiteIDCode and site name against the county). Progress goes to stderr; --json prints
{ "portals": [ { url, platform, outcome, verification, pages_fetched, entries, bytes, reports, errors } ], "load" }.
Exit 1 when a portal failed (broken listing, no column, aborted: see \`nianbao status\`), 130 on Ctrl-C.
  --portal URL       crawl this portal (added to the store when new)
  --region CODE      crawl the enabled portals of a county (行政区划代码)
  --all              crawl every enabled portal
  --allow-private    allow loopback/private addresses (the local simulator); off-portal hosts stay refused
  --no-load          archive only: queue no extraction (\`nianbao reextract\` can extract later)
  --max-requests N   crawl budget per portal (default 1000)
  --rate N           requests per minute per portal, evenly spaced (default 60; 6000 for a loopback
                     portal with --allow-private, i.e. the local simulator)
  --browser MODE     JS-rendered lists: auto (Chromium when installed), always, never`;

const fmtBytes = (n: number) => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : `${(n / 1024).toFixed(0)} KB`);

export default {
  usage,
  async run(argv) {
    const { values: options } = parse(argv, {
      portal: { type: 'string' },
      region: { type: 'string' },
      all: { type: 'boolean' },
      'allow-private': { type: 'boolean' },
      'max-requests': { type: 'string' },
      rate: { type: 'string' },
      browser: { type: 'string' },
      'no-load': { type: 'boolean' },
    });
    const targets = [options.portal !== undefined, options.region !== undefined, !!options.all].filter(Boolean).length;
    if (targets !== 1) throw new UsageError('give exactly one of --portal URL, --region CODE, --all');
    if (options.portal !== undefined && !/^https?:\/\/[^/]+/i.test(options.portal))
      throw new UsageError(`--portal needs an http(s) URL, got '${options.portal}'`);
    if (options.region !== undefined && !/^\d{6}$/.test(options.region))
      throw new UsageError(`--region needs a 6-digit code, got '${options.region}'`);
    const maxRequests = positiveInt('max-requests', options['max-requests']);
    const perMinute = positiveInt('rate', options.rate);
    if (options.browser !== undefined && !['auto', 'always', 'never'].includes(options.browser))
      throw new UsageError('--browser must be auto, always or never');

    const { openStoreFromEnv } = await import('../store.ts');
    const { crawlPortal } = await import('../../crawlers/crawl-portal.ts');
    const store = await openStoreFromEnv();
    const interrupt = trapInterrupts(log.info);
    const loader = options['no-load'] ? null : await Loader.start(store, interrupt.signal);
    try {
      let portals: Portal[];
      if (options.portal !== undefined) portals = [await store.ensurePortal({ baseUrl: options.portal })];
      else portals = await store.listPortals({ regionCode: options.region, enabledOnly: true });
      if (!portals.length)
        throw new InputError(
          options.region
            ? `no enabled portal for region ${options.region} (see crawlers/portals.yaml)`
            : 'no enabled portals',
        );

      const out: PortalSummary[] = [];
      for (const portal of portals) {
        if (interrupt.received) break;
        const started = Date.now();
        let last = 0;
        const summary = await crawlPortal(portal, store, {
          allowPrivate: !!options['allow-private'],
          maxRequests,
          rate: perMinute ? { perMinute } : undefined,
          browser: options.browser as 'auto' | 'always' | 'never' | undefined,
          signal: interrupt.signal,
          onProgress: (crawled) => {
            const now = Date.now();
            if (now - last < 2000) return;
            last = now;
            const secs = (now - started) / 1000;
            log.info(
              `${portal.baseUrl}: ${crawled.pages} pages, ${fmtBytes(crawled.bytes)}, ${(crawled.pages / Math.max(secs, 0.001)).toFixed(1)} pages/s`,
            );
          },
        });
        out.push(summary);
        await loader?.add(summary, portal);
        const check = summary.verification;
        if (check && check.verdict !== 'verified')
          log.warn(`${portal.baseUrl}: portal ${check.verdict}: ${check.reason}`);
        log.info(
          `${portal.baseUrl}: ${summary.outcome} in ${((Date.now() - started) / 1000).toFixed(1)} s — ${summary.reports.length} reports, ${summary.errors.length} errors`,
        );
      }
      const load = loader ? await loader.finish() : null;
      const failed = out.filter((summary) => summary.outcome === 'failed');
      if (options.json) {
        const portalsJson = out.map((summary) => ({
          url: summary.url,
          platform: summary.platform,
          outcome: summary.outcome,
          verification: summary.verification,
          lists: summary.lists,
          pages_fetched: summary.pages_fetched,
          entries: summary.entries,
          bytes: summary.bytes,
          gone: summary.gone,
          reports: summary.reports,
          errors: summary.errors,
        }));
        process.stdout.write(JSON.stringify({ portals: portalsJson, load }, null, 2) + '\n');
      } else {
        const rows = [
          ['portal', 'platform', 'outcome', 'verdict', 'pages', 'bytes', 'reports', 'errors'],
          ...out.map((summary) => [
            summary.url,
            summary.platform,
            summary.outcome,
            summary.verification?.verdict ?? '-',
            String(summary.pages_fetched),
            fmtBytes(summary.bytes),
            String(summary.reports.length),
            String(summary.errors.length),
          ]),
        ];
        const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
        process.stdout.write(
          rows
            .map((r) => r.map((c, i) => (i < 4 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '))
            .join('\n') + '\n',
        );
        if (load)
          process.stdout.write(
            `load (${load.runtime}): ${load.queued} document(s) queued for extraction` +
              (load.runtime === 'in-process' ? `, ${load.loaded} report(s) loaded, ${load.failed.length} failed` : '') +
              '\n',
          );
        for (const summary of out)
          for (const error of summary.errors.slice(0, 10)) log.warn(`  [${error.kind}] ${error.url}: ${error.error}`);
      }
      interrupt.check(
        () =>
          `crawled ${out.filter((summary) => summary.outcome !== 'interrupted').length} of ${portals.length} portal(s)`,
      );
      if (failed.length) log.error(`nianbao crawl: ${failed.length} portal(s) failed (see nianbao status)`);
      return failed.length || load?.failed.length ? 1 : 0;
    } catch (err) {
      if (interrupt.received && !(err instanceof InterruptedError))
        throw new InterruptedError(interrupt.received, (err as Error).message);
      throw err;
    } finally {
      interrupt.dispose();
      await loader?.close();
      await store.close();
    }
  },
} satisfies Command;

/** Extraction and loading of what each crawl archived: an in-process runtime, or the BullMQ queues (REDIS_URL). */
class Loader {
  queued = 0;
  private constructor(
    private readonly store: OpenedStore,
    private readonly enqueue: Enqueuer['enqueue'],
    private readonly runtime: InProcessRuntime | null,
    private readonly queues: Queues | null,
  ) {}

  static async start(store: OpenedStore, signal: AbortSignal): Promise<Loader> {
    if (config().redisUrl) {
      const { Queues, queueConfigFromEnv } = await import('../queues.ts');
      const queues = new Queues(queueConfigFromEnv());
      return new Loader(store, (queue, data) => queues.enqueue(queue, data), null, queues);
    }
    const { InProcessRuntime } = await import('../inprocess.ts');
    const runtime = new InProcessRuntime({ store, signal, log: log.debug });
    return new Loader(store, (queue, data) => Promise.resolve(runtime.add(queue, data)), runtime, null);
  }

  async add(summary: PortalSummary, portal: Portal): Promise<void> {
    const { queueArchived } = await import('../jobs/crawl-job.ts');
    this.queued += await queueArchived(summary, portal, this.store, this.enqueue);
  }

  async finish() {
    await this.runtime?.idle();
    return {
      runtime: this.runtime ? ('in-process' as const) : ('bullmq' as const),
      queued: this.queued,
      loaded: this.runtime?.done.load ?? 0,
      failed: (this.runtime?.failed ?? []).map((job) => ({ queue: job.queue, id: job.id, reason: job.reason })),
    };
  }

  async close(): Promise<void> {
    this.runtime?.close();
    await this.queues?.close();
  }
}
