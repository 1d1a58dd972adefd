// The Hanweb 信息公开 module (older Zhejiang, Harbin): the column page carries the module's search form, POSTed to
// /module/xxgk/search.jsp with infotypeId, jdid, area, divid, sortfield, currpage, texttype, fbtime; the answer lists
// rows tr.tr_main_value_odd/even and says only 共N页. Reports are rendered by the module itself
// (xxgkAnnualReport.jsp?area=<unit>&fbtime=<year>), so a list link to one is the report page.
// Units: the shell frames the module's unit tree (`/module/xxgk/tree.jsp?divid=…&area=…&standardXxgk=…`); a
// department or township is a tree node whose link is its own tree.jsp URL with its own area (and divid). Each unit
// is listed by the same form with its area and divid, and any report page the tree links to
// (xxgkAnnualReport.jsp) is an entry. The tree is walked breadth-first to maxListDepth, at most MAX_UNITS units per
// tree page, every request a queued job (counted against the crawl's budget).
import { extractLinks } from '../links.ts';
import { pageCount } from '../paging.ts';
import type { AdapterContext, FetchedPage, Job, PlatformAdapter } from './base.ts';

const FORM = /<form\b[^>]*action=["']([^"']*\/module\/xxgk\/search\.jsp)[^"']*["'][^>]*>([\s\S]*?)<\/form>/i;
const TREE_URL = /["']([^"'<>\s]*\/module\/xxgk\/tree\.jsp\?[^"'<>\s]*)["']/gi;
const REPORT_PAGE = /\/module\/xxgk\/xxgkAnnualReport\.jsp\?/i;
const MODULE_LIST = /\/module\/xxgk\/(?:tree|search)\.jsp(?:\?|$)/i;
const MAX_PAGES = 200;
const MAX_UNITS = 100;

interface SearchForm {
  url: string;
  fields: Record<string, string>;
}

/** The module's form: action and its named inputs (hidden or not). */
export function searchForm(html: string, base: string): SearchForm | null {
  const form = FORM.exec(html);
  if (!form) return null;
  const fields: Record<string, string> = {};
  for (const input of form[2].matchAll(/<input\b([^>]*)>/gi)) {
    const name = /\bname=["']([^"']+)["']/.exec(input[1])?.[1];
    if (name) fields[name] = /\bvalue=["']([^"']*)["']/.exec(input[1])?.[1] ?? '';
  }
  return { url: new URL(form[1], base).toString(), fields };
}

export interface TreeUnit {
  url: string;
  area: string;
  divid: string | null;
}

/** The tree.jsp URLs a page names (a frame's src, a node's link), each with the unit's area and divid. */
export function treeUnits(html: string, base: string): TreeUnit[] {
  const units = new Map<string, TreeUnit>();
  for (const match of html.matchAll(TREE_URL)) {
    let url: URL;
    try {
      url = new URL(match[1].replace(/&amp;/g, '&'), base);
    } catch {
      continue;
    }
    const area = url.searchParams.get('area');
    if (area === null || units.has(area)) continue;
    url.hash = '';
    units.set(area, { url: url.toString(), area, divid: url.searchParams.get('divid') || null });
  }
  return [...units.values()];
}

/** The rows of a search.jsp answer (the module's odd/even row classes), else every link of the answer. */
function rows(html: string): string {
  const parts = [...html.matchAll(/<tr\b[^>]*class=["']tr_main_value_(?:odd|even)["'][^>]*>([\s\S]*?)<\/tr>/gi)];
  return parts.length ? parts.map((m) => m[1]).join('\n') : html;
}

function searchJob(form: SearchForm, current: number, referrer: string, label = 'xxgk:search'): Job {
  return {
    url: form.url,
    label,
    method: 'POST',
    form: { ...form.fields, currpage: String(current) },
    referrer,
  };
}

/** Every page of one unit's search: page 1 is `first` when the engine fetched it already, else fetched here. */
async function search(ctx: AdapterContext, form: SearchForm, referrer: string, first?: FetchedPage) {
  let pages = 1;
  for (let current = 1; current <= pages && current <= MAX_PAGES; current++) {
    const answer = current === 1 && first ? first : await ctx.fetchPage(searchJob(form, current, referrer));
    const added = await ctx.addEntries(extractLinks(rows(answer.html), answer.finalUrl), form.url);
    if (current === 1) pages = pageCount(answer.html)?.count ?? 1;
    else if (added === 0)
      return ctx.listFailed(
        form.url,
        `paging did not advance: search.jsp area=${form.fields.area ?? ''} currpage=${current} repeats entries already seen`,
      );
  }
}

interface TreeData {
  action: string;
  fields: Record<string, string>;
  depth: number;
  [key: string]: unknown;
}

/** Queue the tree pages of units not listed yet (the column's own unit is listed by its form). */
async function queueTrees(ctx: AdapterContext, units: TreeUnit[], data: TreeData, referrer: string) {
  if (data.depth > ctx.options.maxListDepth) return;
  for (const unit of units.slice(0, MAX_UNITS))
    if (ctx.onPortal(unit.url)) await ctx.enqueue({ url: unit.url, label: 'xxgk:tree', referrer, data: { ...data } });
}

async function handleTree(job: Job, page: FetchedPage, ctx: AdapterContext) {
  const data = job.data as TreeData;
  const own = treeUnits(`"${job.url}"`, job.url)[0];
  // A tree that names report pages itself (the module renders them): those links are entries.
  const reports = extractLinks(page.html, page.finalUrl).filter((link) => REPORT_PAGE.test(link.url));
  if (reports.length) await ctx.addEntries(reports, job.url);
  if (own && own.area !== data.fields.area) {
    const form = {
      url: data.action,
      fields: { ...data.fields, area: own.area, divid: own.divid ?? data.fields.divid },
    };
    await ctx.enqueue(searchJob(form, 1, job.url, 'xxgk:unit'));
  }
  const units = treeUnits(page.html, page.finalUrl).filter((unit) => unit.area !== own?.area);
  await queueTrees(ctx, units, { ...data, depth: data.depth + 1 }, job.url);
}

export const xxgk: PlatformAdapter = {
  name: 'xxgk',
  detect(url, html) {
    if (FORM.test(html)) return 'Hanweb 信息公开 module search form (/module/xxgk/search.jsp)';
    return MODULE_LIST.test(new URL(url).pathname + '?') ? 'Hanweb 信息公开 module unit tree or search page' : false;
  },
  async handle(job, page, ctx) {
    if (job.label === 'xxgk:tree') return handleTree(job, page, ctx);
    if (job.label === 'xxgk:unit') {
      const form = { url: job.url, fields: { ...job.form } };
      return search(ctx, form, job.referrer ?? job.url, page);
    }
    const form = searchForm(page.html, page.finalUrl);
    // A tree or search page reached as the column itself: the form's infotypeId and jdid are not known here.
    if (!form)
      return ctx.listFailed(page.url, 'Hanweb 信息公开 module page without the module search form: units not listed');
    await search(ctx, form, page.url);
    await queueTrees(
      ctx,
      treeUnits(page.html, page.finalUrl),
      { action: form.url, fields: form.fields, depth: 1 },
      page.url,
    );
  },
};
