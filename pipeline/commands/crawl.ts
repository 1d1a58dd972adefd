// `nianbao crawl --portal URL | --region CODE | --all [--allow-private] [--json]`: find and archive reports.
import type { Portal } from '../../db/store-types.ts';
import { parse } from '../args.ts';
import type { Command } from '../command.ts';
import { InputError, UsageError } from '../../core/errors.ts';
import { log } from '../../core/log.ts';

const usage = `usage: nianbao crawl (--portal URL | --region CODE | --all) [--allow-private] [--max-requests N]
                     [--rate PER_MINUTE] [--browser auto|always|never] [--json]

Finds each portal's 政府信息公开年报 column, walks it, and archives every report article and attachment
(conditional requests: a re-crawl of an unchanged portal downloads almost nothing). Progress goes to stderr;
--json prints { "portals": [ { url, platform, pages_fetched, bytes, reports, errors } ] } on stdout.
  --portal URL       crawl this portal (added to the store when new)
  --region CODE      crawl the enabled portals of a county (行政区划代码)
  --all              crawl every enabled portal
  --allow-private    allow loopback/private addresses (the local simulator); off-portal hosts stay refused
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
    });
    const targets = [options.portal !== undefined, options.region !== undefined, !!options.all].filter(Boolean).length;
    if (targets !== 1) throw new UsageError('give exactly one of --portal URL, --region CODE, --all');
    if (options.portal !== undefined && !/^https?:\/\/[^/]+/i.test(options.portal))
      throw new UsageError(`--portal needs an http(s) URL, got '${options.portal}'`);
    if (options.region !== undefined && !/^\d{6}$/.test(options.region))
      throw new UsageError(`--region needs a 6-digit code, got '${options.region}'`);
    const num = (name: string, raw: string | undefined) => {
      if (raw === undefined) return undefined;
      const value = Number(raw);
      if (!Number.isInteger(value) || value <= 0) throw new UsageError(`--${name} must be a positive integer`);
      return value;
    };
    const maxRequests = num('max-requests', options['max-requests']);
    const perMinute = num('rate', options.rate);
    if (options.browser !== undefined && !['auto', 'always', 'never'].includes(options.browser))
      throw new UsageError('--browser must be auto, always or never');

    const { openStoreFromEnv } = await import('../store.ts');
    const { crawlPortal } = await import('../../crawlers/crawl-portal.ts');
    const store = await openStoreFromEnv();
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

      const out = [];
      let failed = 0;
      for (const portal of portals) {
        const started = Date.now();
        let last = 0;
        const summary = await crawlPortal(portal, store, {
          allowPrivate: !!options['allow-private'],
          maxRequests,
          rate: perMinute ? { perMinute } : undefined,
          browser: options.browser as 'auto' | 'always' | 'never' | undefined,
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
        if (!summary.reports.length && summary.errors.length) failed++;
        out.push(summary);
        log.info(
          `${portal.baseUrl}: done in ${((Date.now() - started) / 1000).toFixed(1)} s — ${summary.reports.length} reports, ${summary.errors.length} errors`,
        );
      }
      if (options.json) {
        const portalsJson = out.map(({ url, platform, pages_fetched, bytes, reports, errors }) => ({
          url,
          platform,
          pages_fetched,
          bytes,
          reports,
          errors,
        }));
        process.stdout.write(JSON.stringify({ portals: portalsJson }, null, 2) + '\n');
      } else {
        const rows = [
          ['portal', 'platform', 'pages', 'bytes', 'reports', 'errors'],
          ...out.map((portalSummary) => [
            portalSummary.url,
            portalSummary.platform,
            String(portalSummary.pages_fetched),
            fmtBytes(portalSummary.bytes),
            String(portalSummary.reports.length),
            String(portalSummary.errors.length),
          ]),
        ];
        const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
        process.stdout.write(
          rows
            .map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '))
            .join('\n') + '\n',
        );
        for (const portalSummary of out)
          for (const error of portalSummary.errors.slice(0, 10)) log.warn(`  ${error.url}: ${error.error}`);
      }
      if (failed) log.error(`nianbao crawl: ${failed} portal(s) yielded no report and had errors`);
      return failed ? 1 : 0;
    } finally {
      await store.close();
    }
  },
} satisfies Command;
