// Hanweb jpaas, the new generation (Zhejiang, migrated Jiangsu/Shandong sites): the column page holds no records.
// A script declares the unit API in its attributes (`<script src="…/unitbuild.js" url="/api-gateway/jpaas-publish-
// server/front/page/build/unit" queryData="{'tagId':…,'pageId':…}" webId=… tplSetId=… pageType="column">`); a GET
// with those keys returns JSON whose data.html holds `li > a[href][title]` and `div.pagination rows= count=
// pageNo=`. Page k is asked for only as paramJson={"pageNo":k,"pageSize":rows}: bare pageNo is ignored by the
// server, so every page is checked to bring something new. Attachments often sit on the province's object
// storage (…oss….gov.cn/cms_files/…).
import { extractLinks } from '../links.ts';
import type { AdapterContext, FetchedPage, PlatformAdapter } from './base.ts';
import { OPEN_PAGING_LIMIT } from './follow.ts';

const UNIT_SCRIPT = /<script\b(?=[^>]*\bunitbuild\b|[^>]*jpaas-publish-server)([^>]*)>/i;

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of tag.matchAll(/([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) out[pair[1]] = pair[2] ?? pair[3] ?? '';
  return out;
}

/** queryData is JSON written with single quotes. */
function queryData(raw: string | undefined): Record<string, string> {
  if (!raw) return {};
  try {
    const parsed = JSON.parse(raw.replace(/&quot;/g, '"').replace(/'/g, '"')) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)]));
  } catch {
    return {};
  }
}

/** The unit API request of the page, without paramJson; null when the page declares none. */
export function unitRequest(html: string, base: string): URL | null {
  const tag = UNIT_SCRIPT.exec(html);
  if (!tag) return null;
  const attrs = attributes(tag[1]);
  const api = attrs.url ?? '/api-gateway/jpaas-publish-server/front/page/build/unit';
  const url = new URL(api, base);
  const keys: Record<string, string> = {
    parseType: attrs.parseType ?? attrs.parsetype ?? 'bulidstatic',
    webId: attrs.webId ?? attrs.webid ?? '',
    tplSetId: attrs.tplSetId ?? attrs.tplsetid ?? '',
    pageType: attrs.pageType ?? attrs.pagetype ?? 'column',
    ...queryData(attrs.queryData ?? attrs.querydata),
  };
  for (const [key, value] of Object.entries(keys)) url.searchParams.set(key, value);
  return url;
}

function answerHtml(body: string): string | null {
  try {
    const json = JSON.parse(body) as { data?: { html?: unknown } | string };
    const data = json.data;
    return typeof data === 'string' ? data : typeof data?.html === 'string' ? data.html : null;
  } catch {
    return null;
  }
}

async function viaUnitApi(page: FetchedPage, ctx: AdapterContext, request: URL): Promise<void> {
  // Ask for the declared rows when the column page states them; the server may cap the size, so the number of
  // pages comes from what page 1 actually held.
  const rows = Number(/\brows=["']?(\d+)/.exec(page.html)?.[1] ?? 15) || 15;
  let pages = 1;
  for (let pageNo = 1; pageNo <= pages && pageNo <= OPEN_PAGING_LIMIT * 4; pageNo++) {
    const url = new URL(request);
    url.searchParams.set('paramJson', JSON.stringify({ pageNo, pageSize: rows }));
    const answer = await ctx.fetchPage({ url: url.toString(), label: 'jpaas:unit', referrer: page.url });
    const html = answerHtml(answer.html);
    if (html === null) return ctx.listFailed(url.toString(), 'jpaas unit API did not answer JSON with data.html');
    const links = extractLinks(html, page.finalUrl);
    const added = await ctx.addEntries(links, url.toString());
    if (pageNo === 1) {
      const pager = /<div\b[^>]*class=["'][^"']*pagination[^>]*>/i.exec(html)?.[0] ?? '';
      const count = Number(/\bcount=["']?(\d+)/.exec(pager)?.[1] ?? NaN);
      pages = Number.isFinite(count) && links.length ? Math.ceil(count / links.length) : 1;
    } else if (added === 0)
      return ctx.listFailed(
        url.toString(),
        `paging did not advance: jpaas page ${pageNo} of ${page.url} repeats page 1`,
      );
  }
}

export const jpaas: PlatformAdapter = {
  name: 'jpaas',
  detect: (_url, html) => (UNIT_SCRIPT.test(html) ? 'Hanweb jpaas unit API declared in script attributes' : false),
  attachmentHosts: [/^[\w-]+\.oss[\w.-]*\.gov\.cn(?::\d+)?\/cms_files\//, /^[^/]+\/cms_files\/[\w/-]+\/attach\//],
  async handle(_job, page, ctx) {
    const request = unitRequest(page.html, page.finalUrl);
    if (!request) return ctx.listFailed(page.url, 'jpaas column without a unit API script');
    await viaUnitApi(page, ctx, request);
  },
};
