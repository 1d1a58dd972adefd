// Hanweb 大汉 JCMS: the first records sit in <script type="text/xml"><datastore> (invisible to an HTML parser);
// the rest come from POST dataproxy.jsp?startrecord&endrecord&perpage with the form of `var param_{unitid}={…}`.
import { extractLinks } from '../links.ts';
import type { PlatformAdapter } from './base.ts';

const GROUP = 45; // the usual jpage batch: 3 pages × 15

function params(html: string): Record<string, string> | null {
  const m = /var\s+param_(\d+)\s*=\s*\{([^}]*)\}/.exec(html);
  if (!m) return null;
  const out: Record<string, string> = {};
  for (const kv of m[2].matchAll(/(\w+)\s*:\s*(?:'([^']*)'|"([^"]*)"|([^,\s}]+))/g))
    out[kv[1]] = kv[2] ?? kv[3] ?? kv[4] ?? '';
  out.unitid ??= m[1];
  return out;
}

function records(html: string): string {
  const parts = [...html.matchAll(/<record>\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*<\/record>/g)].map((m) => m[1]);
  return parts.length ? parts.join('\n') : html;
}

export const hanweb: PlatformAdapter = {
  name: 'hanweb',
  detect: (url, html) =>
    /<datastore>|\/module\/web\/jpage\/|\/module\/jslib\/jquery\/jpage\/|var\s+param_\d+\s*=/.test(html) ||
    /\/col\/col\d+\//.test(url),
  async handle(job, page, ctx) {
    const recs = records(page.html);
    const links = extractLinks(recs, page.finalUrl);
    await ctx.addEntries(links, page.url);
    if (job.label !== 'column') return;
    const p = params(page.html);
    if (!p) return;
    const total = Number(p.totalRecord ?? /<totalrecord>(\d+)<\/totalrecord>/.exec(page.html)?.[1] ?? 0);
    const shown = (page.html.match(/<record>/g) ?? []).length;
    if (!(total > shown)) return;
    const proxy =
      /proxyUrl\s*:\s*['"]([^'"]+)['"]/.exec(page.html)?.[1] ??
      /href="([^"?]*dataproxy\.jsp)/.exec(page.html)?.[1] ??
      '/module/web/jpage/dataproxy.jsp';
    const form: Record<string, string> = {
      col: p.col ?? '1',
      appid: p.appid ?? '1',
      webid: p.webid ?? '',
      path: p.path ?? '/',
      columnid: p.columnid ?? '',
      sourceContentType: p.sourceContentType ?? '1',
      unitid: p.unitid,
      webname: p.webname ?? '',
      permissiontype: p.permissiontype ?? '0',
    };
    // The page's own jpage call says how many records one request carries (perPage × groupSize).
    const per = Number(/perPage\s*:\s*(\d+)/.exec(page.html)?.[1] ?? 15);
    const groups = Number(/groupSize\s*:\s*(\d+)/.exec(page.html)?.[1] ?? 3);
    const group = per * groups > 0 && per * groups <= 500 ? per * groups : GROUP;
    for (let start = 1; start <= total; start += group) {
      const url = new URL(proxy, page.finalUrl);
      url.search = `startrecord=${start}&endrecord=${Math.min(start + group - 1, total)}&perpage=${per}`;
      await ctx.enqueue({ url: url.toString(), label: 'hanweb:proxy', method: 'POST', form, referrer: page.url });
    }
  },
};
