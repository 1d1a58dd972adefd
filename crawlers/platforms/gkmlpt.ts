// Guangdong's 政府信息公开目录平台 (gkmlpt, every Guangdong site): /gkmlpt/index or /gkmlpt/annualreport is a shell
// with `window._CONFIG = {SID:'…', TREE:[…]}`; the category is in the URL fragment (`#2629`), else the TREE node
// named 年报; the list is the JSON API GET /gkmlpt/api/all/{catId}?page={n}&sid={SID} → {total, articles:[{title,
// url, display_publish_time, …}]}. Attachments are /attachment/… on the portal host.
import type { Link } from '../links.ts';
import type { AdapterContext, FetchedPage, PlatformAdapter } from './base.ts';
import { jsonPageCount } from '../paging.ts';

const CONFIG = /window\._CONFIG\s*=\s*\{/;

/** SID and the category: the URL fragment first (the link named it), else the TREE node whose name says 年报. */
export function gkmlptTarget(html: string, url: string): { sid: string; category: string | null } | null {
  const sid = /\bSID\s*:\s*['"]?([\w-]+)/.exec(html)?.[1];
  if (!sid) return null;
  const fragment = /#(\d+)$/.exec(url)?.[1];
  if (fragment) return { sid, category: fragment };
  for (const node of html.matchAll(
    /\{\s*["']?id["']?\s*:\s*['"]?(\d+)['"]?\s*,\s*["']?name["']?\s*:\s*['"]([^'"]+)['"]/g,
  ))
    if (/年报|年度报告/.test(node[2])) return { sid, category: node[1] };
  return { sid, category: null };
}

/** display_publish_time is a date string on some sites and epoch seconds on others. */
function publishDate(value: unknown): string | null {
  if (typeof value === 'number' && value > 0) return new Date(value * 1000).toISOString().slice(0, 10);
  const date = /(\d{4})-(\d{2})-(\d{2})/.exec(String(value ?? ''));
  return date ? date[0] : null;
}

function articles(body: string, base: string): { links: Link[]; total: number | null; shown: number } | null {
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    const list = (json.articles ?? (json.data as Record<string, unknown> | undefined)?.articles ?? []) as Array<
      Record<string, unknown>
    >;
    const links = list
      .filter((item) => item.url && item.title)
      .map((item) => ({
        url: new URL(String(item.url), base).toString(),
        title: String(item.title),
        date: publishDate(item.display_publish_time),
      }));
    return { links, total: jsonPageCount(json, list.length || 1), shown: list.length };
  } catch {
    return null;
  }
}

async function viaApi(page: FetchedPage, ctx: AdapterContext, sid: string, category: string): Promise<void> {
  let pages = 1;
  for (let pageNo = 1; pageNo <= pages && pageNo <= 200; pageNo++) {
    // The API sits beside the shell: …/gkmlpt/api/all/{category} (the site may live under a path prefix).
    const url = new URL(page.finalUrl.replace(/\/gkmlpt\/.*$/, `/gkmlpt/api/all/${category}`));
    url.search = `page=${pageNo}&sid=${encodeURIComponent(sid)}`;
    const answer = await ctx.fetchPage({ url: url.toString(), label: 'gkmlpt:api', referrer: page.url });
    const parsed = articles(answer.html, page.finalUrl);
    if (!parsed) return ctx.listFailed(url.toString(), 'gkmlpt API did not answer JSON with articles');
    const added = await ctx.addEntries(parsed.links, url.toString());
    if (pageNo === 1) pages = parsed.total ?? 1;
    else if (added === 0 && parsed.shown > 0)
      return ctx.listFailed(
        url.toString(),
        `paging did not advance: gkmlpt page ${pageNo} repeats entries already seen`,
      );
  }
}

export const gkmlpt: PlatformAdapter = {
  name: 'gkmlpt',
  detect: (url, html) =>
    CONFIG.test(html) && /\bSID\s*:/.test(html)
      ? 'gkmlpt window._CONFIG with SID'
      : /\/gkmlpt\/(?:index|annualreport)/.test(url)
        ? 'gkmlpt URL'
        : false,
  async handle(job, page, ctx) {
    const target = gkmlptTarget(page.html, job.url);
    if (!target) return ctx.listFailed(page.url, 'gkmlpt page without window._CONFIG.SID');
    if (!target.category)
      return ctx.listFailed(page.url, 'gkmlpt: no category in the URL fragment and no 年报 node in _CONFIG.TREE');
    await viaApi(page, ctx, target.sid, target.category);
  },
};
