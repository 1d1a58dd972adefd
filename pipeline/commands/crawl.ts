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
    const { values: o } = parse(argv, {
      portal: { type: 'string' },
      region: { type: 'string' },
      all: { type: 'boolean' },
      'allow-private': { type: 'boolean' },
      'max-requests': { type: 'string' },
      rate: { type: 'string' },
      browser: { type: 'string' },
    });
    const targets = [o.portal !== undefined, o.region !== undefined, !!o.all].filter(Boolean).length;
    if (targets !== 1) throw new UsageError('give exactly one of --portal URL, --region CODE, --all');
    if (o.portal !== undefined && !/^https?:\/\/[^/]+/i.test(o.portal))
      throw new UsageError(`--portal needs an http(s) URL, got '${o.portal}'`);
    if (o.region !== undefined && !/^\d{6}$/.test(o.region))
      throw new UsageError(`--region needs a 6-digit code, got '${o.region}'`);
    const num = (name: string, v: string | undefined) => {
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} must be a positive integer`);
      return n;
    };
    const maxRequests = num('max-requests', o['max-requests']);
    const perMinute = num('rate', o.rate);
    if (o.browser !== undefined && !['auto', 'always', 'never'].includes(o.browser))
      throw new UsageError('--browser must be auto, always or never');

    const { openStoreFromEnv } = await import('../store.ts');
    const { crawlPortal } = await import('../../crawlers/crawl-portal.ts');
    const store = await openStoreFromEnv();
    try {
      let portals: Portal[];
      if (o.portal !== undefined) portals = [await store.ensurePortal({ baseUrl: o.portal })];
      else portals = await store.listPortals({ regionCode: o.region, enabledOnly: true });
      if (!portals.length)
        throw new InputError(
          o.region ? `no enabled portal for region ${o.region} (see crawlers/portals.yaml)` : 'no enabled portals',
        );

      const out = [];
      let failed = 0;
      for (const portal of portals) {
        const started = Date.now();
        let last = 0;
        const summary = await crawlPortal(portal, store, {
          allowPrivate: !!o['allow-private'],
          maxRequests,
          rate: perMinute ? { perMinute } : undefined,
          browser: o.browser as 'auto' | 'always' | 'never' | undefined,
          onProgress: (p) => {
            const now = Date.now();
            if (now - last < 2000) return;
            last = now;
            const secs = (now - started) / 1000;
            log.info(
              `${portal.baseUrl}: ${p.pages} pages, ${fmtBytes(p.bytes)}, ${(p.pages / Math.max(secs, 0.001)).toFixed(1)} pages/s`,
            );
          },
        });
        if (!summary.reports.length && summary.errors.length) failed++;
        out.push(summary);
        log.info(
          `${portal.baseUrl}: done in ${((Date.now() - started) / 1000).toFixed(1)} s — ${summary.reports.length} reports, ${summary.errors.length} errors`,
        );
      }
      if (o.json) {
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
          ...out.map((s) => [
            s.url,
            s.platform,
            String(s.pages_fetched),
            fmtBytes(s.bytes),
            String(s.reports.length),
            String(s.errors.length),
          ]),
        ];
        const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
        process.stdout.write(
          rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ')).join('\n') + '\n',
        );
        for (const s of out) for (const e of s.errors.slice(0, 10)) log.warn(`  ${e.url}: ${e.error}`);
      }
      if (failed) log.error(`nianbao crawl: ${failed} portal(s) yielded no report and had errors`);
      return failed ? 1 : 0;
    } finally {
      await store.close();
    }
  },
} satisfies Command;
