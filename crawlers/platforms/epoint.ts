// Epoint EWB (徐州, 宿迁, 营口, Shanghai 长宁 …): the column govInfoPub(right).html?categorynum=… is filled from
// POST …/rest/lightfrontaction/getgovinfolist with the JSON {siteGuid, categorynum, deptcode, pageIndex, pageSize}
// (sent as the form field `params`); siteGuid is declared in webBuilderCommon.js / ajaxReq.js, which the page
// loads. The answer is {custom: {data: [{infourl, realtitle, infodate}], total}}; pageIndex is 0-based.
import type { Link } from '../links.ts';
import type { AdapterContext, FetchedPage, PlatformAdapter } from './base.ts';

const API = /['"]([^'"]*\/rest\/lightfrontaction\/getgovinfolist)['"]/;
const SITE_GUID = /siteGuid\s*[:=]\s*['"]([\w-]{8,})['"]/;
const PAGE_SIZE = 20;

/** siteGuid from the page, else from the site scripts it loads. */
async function siteGuid(page: FetchedPage, ctx: AdapterContext): Promise<string | null> {
  const own = SITE_GUID.exec(page.html)?.[1];
  if (own) return own;
  for (const script of page.html.matchAll(
    /<script\b[^>]*src=["']([^"']*(?:webBuilderCommon|ajaxReq)[^"']*\.js)["']/gi,
  )) {
    const url = new URL(script[1], page.finalUrl).toString();
    if (!ctx.onPortal(url)) continue;
    const body = await ctx.fetchPage({ url, label: 'epoint:script', referrer: page.url });
    const found = SITE_GUID.exec(body.html)?.[1];
    if (found) return found;
  }
  return null;
}

function parseAnswer(body: string, base: string): { links: Link[]; total: number | null } | null {
  try {
    const json = JSON.parse(body) as { custom?: { data?: Array<Record<string, unknown>>; total?: unknown } };
    const data = json.custom?.data;
    if (!Array.isArray(data)) return null;
    const links = data
      .filter((item) => item.infourl && item.realtitle)
      .map((item) => ({
        url: new URL(String(item.infourl), base).toString(),
        title: String(item.realtitle),
        date: /^\d{4}-\d{2}-\d{2}/.exec(String(item.infodate ?? ''))?.[0] ?? null,
      }));
    const total = Number(json.custom?.total ?? NaN);
    return { links, total: Number.isFinite(total) ? total : null };
  } catch {
    return null;
  }
}

export const epoint: PlatformAdapter = {
  name: 'epoint',
  detect: (url, html) =>
    API.test(html)
      ? 'Epoint getgovinfolist API in the page script'
      : /govInfoPub\(right\)\.html/i.test(url)
        ? 'Epoint govInfoPub(right).html column URL'
        : false,
  async handle(_job, page, ctx) {
    const categorynum =
      /[?&]categorynum=([\w-]+)/.exec(page.url)?.[1] ?? /categorynum\s*[:=]\s*['"]([\w-]+)/.exec(page.html)?.[1];
    const guid = await siteGuid(page, ctx);
    if (!categorynum || !guid) return ctx.listFailed(page.url, 'Epoint column without categorynum or siteGuid');
    const api = new URL(API.exec(page.html)?.[1] ?? '/EWB-FRONT/rest/lightfrontaction/getgovinfolist', page.finalUrl);
    let pages = 1;
    for (let index = 0; index < pages && index < 200; index++) {
      const params = { siteGuid: guid, categorynum, deptcode: '', pageIndex: index, pageSize: PAGE_SIZE };
      const job = {
        url: api.toString(),
        label: 'epoint:api',
        method: 'POST' as const,
        form: { params: JSON.stringify(params) },
        referrer: page.url,
      };
      const answer = await ctx.fetchPage(job);
      const parsed = parseAnswer(answer.html, page.finalUrl);
      if (!parsed) return ctx.listFailed(api.toString(), 'Epoint getgovinfolist did not answer {custom: {data}}');
      const added = await ctx.addEntries(parsed.links, api.toString());
      if (index === 0) pages = parsed.total === null ? 1 : Math.ceil(parsed.total / Math.max(parsed.links.length, 1));
      else if (added === 0)
        return ctx.listFailed(
          api.toString(),
          `paging did not advance: getgovinfolist pageIndex=${index} repeats entries`,
        );
    }
  },
};
