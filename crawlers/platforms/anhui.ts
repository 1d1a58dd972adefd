// Anhui-style 政务公开平台 (/public/column/{siteId}?type=4&catId=…&action=list): the static page is an empty shell
// filled by JS from a JSON endpoint. The JSON endpoint named in the page script is paged directly; the list is
// rendered in a browser only when the script names none (or with --browser always).
import { extractLinks, type Link } from '../links.ts';
import { jsonPageCount } from '../paging.ts';
import { browserWanted, renderInBrowser, type AdapterContext, type FetchedPage, type PlatformAdapter } from './base.ts';

/** The list endpoint from the shell's script: fetch('…?…&page=' + page) or $.ajax({url:'…'}). */
export function listEndpoint(html: string, base: string): string | null {
  const call = /(?:fetch|\$\.(?:get|getJSON|ajax))\(\s*(?:\{\s*url\s*:\s*)?['"]([^'"]+)['"]/.exec(html);
  return call ? new URL(call[1], base).toString() : null;
}

function jsonItems(json: unknown, base: string): { links: Link[]; pageCount: number | null } {
  const body = json as Record<string, unknown>;
  const arr = (Array.isArray(body) ? body : (body.data ?? body.list ?? body.rows ?? body.records ?? [])) as Array<
    Record<string, unknown>
  >;
  const links = arr
    .map((item) => ({
      url: String(item.url ?? item.link ?? item.href ?? ''),
      title: String(item.title ?? item.name ?? ''),
      date: item.date ? String(item.date) : null,
    }))
    .filter((l) => l.url && l.title)
    .map((l) => ({ ...l, url: new URL(l.url, base).toString() }));
  // Array answers carry no count; an object's count is read as for every JSON list (pages, or total over page size).
  return { links, pageCount: Array.isArray(body) ? null : jsonPageCount(body, arr.length || 1) };
}

async function viaApi(page: FetchedPage, ctx: AdapterContext): Promise<void> {
  const endpoint = listEndpoint(page.html, page.finalUrl);
  if (!endpoint)
    return ctx.listFailed(page.url, 'JS-rendered list: no data endpoint found in the page script and no browser');
  for (let n = 1, count = 1; n <= count && n <= 200; n++) {
    const url = /[?&]page=$/.test(endpoint)
      ? endpoint + n
      : `${endpoint}${endpoint.includes('?') ? '&' : '?'}page=${n}`;
    const res = await ctx.fetchPage({ url, label: 'anhui:api', referrer: page.url });
    let parsed;
    try {
      parsed = jsonItems(JSON.parse(res.html), res.finalUrl);
    } catch (err) {
      return ctx.listFailed(url, `list endpoint did not return JSON: ${(err as Error).message}`);
    }
    await ctx.addEntries(parsed.links, url);
    if (!parsed.links.length) break;
    count = parsed.pageCount ?? count + 1;
  }
}

export const anhui: PlatformAdapter = {
  name: 'anhui',
  detect: (url, html) =>
    /\/public\/column\/\d+/.test(url)
      ? 'Anhui platform /public/column/{siteId} URL'
      : /\/public\/column\/[^"']*catId=/.test(html)
        ? 'Anhui platform column links'
        : false,
  async handle(_job, page, ctx) {
    const staticLinks = extractLinks(page.html, page.finalUrl);
    await ctx.addEntries(staticLinks, page.url);
    // The endpoint the shell declares is read directly; the browser is the last resort (or asked for: 'always').
    const declared = listEndpoint(page.html, page.finalUrl) !== null;
    if (browserWanted(ctx) && (ctx.options.browser === 'always' || !declared)) {
      // A page that rendered but shows no report-like entry did not really render its list: fall back.
      const rendered = await renderInBrowser(page, ctx, 'ul a, #list a, .list a');
      if (rendered.some((l) => /年度报告|年报/.test(l.title))) return;
      ctx.error(page.url, 'browser rendering failed; falling back to the list endpoint');
    }
    await viaApi(page, ctx);
  },
};
