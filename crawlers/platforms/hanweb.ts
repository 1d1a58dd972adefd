// Hanweb 大汉 JCMS classic. The first records sit in <script type="text/xml"><datastore> (invisible to an HTML
// parser) or in a JS array `InitDataNNN=['<li>…']`; the rest come from POST dataproxy.jsp?startrecord&endrecord&
// perpage with the form of `var param_{unitid}={…}` or of the jpage call's inline `ajaxParam:{…}`. The total is in
// param_, in the jpage options, in <totalrecord>, or nowhere (then groups are asked for until one brings nothing
// new). Some servers ignore startrecord and page by `page` only: a group that repeats what was seen switches to
// that. Department and township columns are further /col/colN/ pages linked from the column.
import { extractLinks } from '../links.ts';
import type { AdapterContext, FetchedPage, Job, PlatformAdapter } from './base.ts';
import { followSubColumns, OPEN_PAGING_LIMIT } from './follow.ts';

const GROUP = 45; // the usual jpage batch: 3 pages × 15
/** Servers paging by `page` cap perpage near 300 (dahan.py); ask for no more than this per page. */
const PAGE_MODE_SIZE = 100;

/** The proxy form: `var param_N = {…}`, else the jpage call's `ajaxParam: {…}`. */
export function proxyParams(html: string): Record<string, string> | null {
  const declared = /var\s+param_(\d+)\s*=\s*\{([^}]*)\}/.exec(html);
  const inline = declared ? null : /ajaxParam\s*:\s*\{([^}]*)\}/.exec(html);
  const body = declared?.[2] ?? inline?.[1];
  if (body === undefined) return null;
  const out: Record<string, string> = {};
  for (const pair of body.matchAll(/(\w+)\s*:\s*(?:'([^']*)'|"([^"]*)"|([^,\s}]+))/g))
    out[pair[1]] = pair[2] ?? pair[3] ?? pair[4] ?? '';
  if (declared) out.unitid ??= declared[1];
  return out;
}

/** The list records of a page: datastore CDATA, else InitData arrays, else the page itself. */
function records(html: string): { text: string; count: number } {
  const parts = [...html.matchAll(/<record>\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*<\/record>/g)].map((m) => m[1]);
  if (parts.length) return { text: parts.join('\n'), count: parts.length };
  const arrays = [...html.matchAll(/InitData\d*\s*=\s*\[([\s\S]*?)\]\s*;?/g)].map((m) => m[1]);
  if (arrays.length) {
    const text = arrays.join('\n');
    return { text, count: (text.match(/<a\b/gi) ?? []).length };
  }
  return { text: html, count: 0 };
}

/** The declared total: param_'s totalRecord, the jpage options, <totalrecord>; null when the page gives none. */
function declaredTotal(html: string, param: Record<string, string>): number | null {
  const raw =
    param.totalRecord ??
    /jpage\s*\(\s*\{[\s\S]*?totalRecord\s*:\s*['"]?(\d+)/.exec(html)?.[1] ??
    /<totalrecord>(\d+)<\/totalrecord>/i.exec(html)?.[1];
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : null;
}

interface Proxy {
  url: string;
  form: Record<string, string>;
  per: number;
  group: number;
  total: number | null;
  column: string;
}

function proxyOf(page: FetchedPage, param: Record<string, string>): Proxy {
  const html = page.html;
  const path =
    /proxyUrl\s*:\s*['"]([^'"]+)['"]/.exec(html)?.[1] ??
    /['"]([^'"?]*dataproxy\.jsp)/.exec(html)?.[1] ??
    '/module/web/jpage/dataproxy.jsp';
  const form: Record<string, string> = {
    col: param.col ?? '1',
    appid: param.appid ?? '1',
    webid: param.webid ?? '',
    path: param.path ?? '/',
    columnid: param.columnid ?? '',
    sourceContentType: param.sourceContentType ?? '1',
    unitid: param.unitid ?? '',
    webname: param.webname ?? '',
    permissiontype: param.permissiontype ?? '0',
  };
  // The page's own jpage call says how many records one request carries (perPage × groupSize).
  const per = Number(/perPage\s*:\s*['"]?(\d+)/.exec(html)?.[1] ?? 15) || 15;
  const groups = Number(/groupSize\s*:\s*['"]?(\d+)/.exec(html)?.[1] ?? 3) || 3;
  const group = per * groups > 0 && per * groups <= 500 ? per * groups : GROUP;
  return {
    url: new URL(path, page.finalUrl).toString(),
    form,
    per,
    group,
    total: declaredTotal(html, param),
    column: page.finalUrl,
  };
}

function groupJob(proxy: Proxy, start: number, referrer: string, open: boolean): Job {
  const end = proxy.total === null ? start + proxy.group - 1 : Math.min(start + proxy.group - 1, proxy.total);
  const url = new URL(proxy.url);
  url.search = `startrecord=${start}&endrecord=${end}&perpage=${proxy.per}`;
  return {
    url: url.toString(),
    label: 'hanweb:proxy',
    method: 'POST',
    form: proxy.form,
    referrer,
    data: { proxy, start, open },
  };
}

function pageJob(proxy: Proxy, pageNo: number, referrer: string): Job {
  const url = new URL(proxy.url);
  url.search = `page=${pageNo}&perpage=${PAGE_MODE_SIZE}`;
  return {
    url: url.toString(),
    label: 'hanweb:page',
    method: 'POST',
    form: proxy.form,
    referrer,
    data: { proxy, pageNo },
  };
}

async function column(job: Job, page: FetchedPage, ctx: AdapterContext, shown: number): Promise<void> {
  const param = proxyParams(page.html);
  if (param) {
    const proxy = proxyOf(page, param);
    if (proxy.total === null) {
      // No total anywhere: the next group, and each group that brings news asks for the one after it.
      if (shown > 0) await ctx.enqueue(groupJob(proxy, shown + 1, page.url, true));
    } else
      for (let start = shown + 1; start <= proxy.total; start += proxy.group)
        await ctx.enqueue(groupJob(proxy, start, page.url, false));
  }
  const links = extractLinks(page.html, page.finalUrl);
  await followSubColumns(job, page, ctx, 'hanweb:column', links, {
    // Hanweb columns are flat (/col/colN/): department and township columns are other /col/ pages, not subfolders.
    root: null,
    elsewhere: (url) => /\/col\/col\d+\/(?:index\.html)?$/.test(new URL(url).pathname),
  });
}

/** A proxy answer: a group that brought nothing new although it had records means the server ignored startrecord
 *  (it answers the first group whatever is asked): switch to paging by `page`. */
async function proxyAnswer(job: Job, ctx: AdapterContext, added: number, count: number): Promise<void> {
  const proxy = job.data?.proxy as Proxy | undefined;
  if (!proxy) return; // an answer fetched without its column (a saved page): nothing to continue from
  const start = Number(job.data?.start);
  if (count > 0 && added === 0) {
    // Page 1 of `page` paging is larger than the datastore's first group: start there.
    await ctx.enqueue(pageJob(proxy, 1, job.url));
    return;
  }
  if (job.data?.open && added > 0 && start / proxy.group < OPEN_PAGING_LIMIT)
    await ctx.enqueue(groupJob(proxy, start + proxy.group, job.url, true));
}

async function pageAnswer(job: Job, ctx: AdapterContext, added: number): Promise<void> {
  const proxy = job.data?.proxy as Proxy | undefined;
  if (!proxy) return;
  const pageNo = Number(job.data?.pageNo);
  const pages = proxy.total === null ? OPEN_PAGING_LIMIT : Math.ceil(proxy.total / PAGE_MODE_SIZE);
  if (added === 0 && pageNo > 1) {
    // With a declared total still unread, neither startrecord nor page moved the list on: say so.
    if (proxy.total !== null && pageNo <= pages)
      ctx.listFailed(job.url, `paging did not advance on ${proxy.column}: the proxy ignores startrecord and page`);
    return;
  }
  if (pageNo < pages) await ctx.enqueue(pageJob(proxy, pageNo + 1, job.url));
}

export const hanweb: PlatformAdapter = {
  name: 'hanweb',
  detect: (url, html) => {
    if (/<datastore>/.test(html)) return 'Hanweb datastore';
    if (/InitData\d*\s*=\s*\[/.test(html)) return 'Hanweb InitData array';
    if (/var\s+param_\d+\s*=|ajaxParam\s*:\s*\{/.test(html)) return 'Hanweb jpage proxy form';
    if (/\/module\/(?:web\/jpage|jslib\/jquery\/jpage|jpage)\//.test(html)) return 'Hanweb jpage script';
    if (/\/col\/col\d+\//.test(url) && !/jpaas|unitbuild/i.test(html)) return 'Hanweb /col/colN/ column URL';
    return false;
  },
  async handle(job, page, ctx) {
    const recs = records(page.html);
    const added = await ctx.addEntries(extractLinks(recs.text, page.finalUrl), page.url);
    if (job.label === 'column' || job.label === 'hanweb:column') return column(job, page, ctx, recs.count);
    if (job.label === 'hanweb:proxy') return proxyAnswer(job, ctx, added, recs.count);
    if (job.label === 'hanweb:page') return pageAnswer(job, ctx, added);
  },
};
