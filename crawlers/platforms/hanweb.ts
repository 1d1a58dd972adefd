// Hanweb 大汉 JCMS: the first records sit in <script type="text/xml"><datastore> (invisible to an HTML parser);
// the rest come from POST dataproxy.jsp?startrecord&endrecord&perpage with the form of `var param_{unitid}={…}`.
import { extractLinks } from '../links.ts';
import type { PlatformAdapter } from './base.ts';

const GROUP = 45; // the usual jpage batch: 3 pages × 15

function params(html: string): Record<string, string> | null {
  const declaration = /var\s+param_(\d+)\s*=\s*\{([^}]*)\}/.exec(html);
  if (!declaration) return null;
  const out: Record<string, string> = {};
  for (const pair of declaration[2].matchAll(/(\w+)\s*:\s*(?:'([^']*)'|"([^"]*)"|([^,\s}]+))/g))
    out[pair[1]] = pair[2] ?? pair[3] ?? pair[4] ?? '';
  out.unitid ??= declaration[1];
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
    const param = params(page.html);
    if (!param) return;
    const total = Number(param.totalRecord ?? /<totalrecord>(\d+)<\/totalrecord>/.exec(page.html)?.[1] ?? 0);
    const shown = (page.html.match(/<record>/g) ?? []).length;
    if (!(total > shown)) return;
    const proxy =
      /proxyUrl\s*:\s*['"]([^'"]+)['"]/.exec(page.html)?.[1] ??
      /href="([^"?]*dataproxy\.jsp)/.exec(page.html)?.[1] ??
      '/module/web/jpage/dataproxy.jsp';
    const form: Record<string, string> = {
      col: param.col ?? '1',
      appid: param.appid ?? '1',
      webid: param.webid ?? '',
      path: param.path ?? '/',
      columnid: param.columnid ?? '',
      sourceContentType: param.sourceContentType ?? '1',
      unitid: param.unitid,
      webname: param.webname ?? '',
      permissiontype: param.permissiontype ?? '0',
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
