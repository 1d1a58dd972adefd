// The Hanweb 信息公开 module (older Zhejiang, Harbin): the column page carries the module's search form, POSTed to
// /module/xxgk/search.jsp with infotypeId, jdid, area, divid, sortfield, currpage, texttype, fbtime; the answer lists
// rows tr.tr_main_value_odd/even and says only 共N页. Reports are rendered by the module itself
// (xxgkAnnualReport.jsp?area=<unit>&fbtime=<year>), so a list link to one is the report page.
import { extractLinks } from '../links.ts';
import { pageCount } from '../paging.ts';
import type { AdapterContext, FetchedPage, PlatformAdapter } from './base.ts';

const FORM = /<form\b[^>]*action=["']([^"']*\/module\/xxgk\/search\.jsp)[^"']*["'][^>]*>([\s\S]*?)<\/form>/i;
const MAX_PAGES = 200;

/** The module's form: action and its named inputs (hidden or not). */
export function searchForm(html: string, base: string): { url: string; fields: Record<string, string> } | null {
  const form = FORM.exec(html);
  if (!form) return null;
  const fields: Record<string, string> = {};
  for (const input of form[2].matchAll(/<input\b([^>]*)>/gi)) {
    const name = /\bname=["']([^"']+)["']/.exec(input[1])?.[1];
    if (name) fields[name] = /\bvalue=["']([^"']*)["']/.exec(input[1])?.[1] ?? '';
  }
  return { url: new URL(form[1], base).toString(), fields };
}

/** The rows of a search.jsp answer (the module's odd/even row classes), else every link of the answer. */
function rows(html: string): string {
  const parts = [...html.matchAll(/<tr\b[^>]*class=["']tr_main_value_(?:odd|even)["'][^>]*>([\s\S]*?)<\/tr>/gi)];
  return parts.length ? parts.map((m) => m[1]).join('\n') : html;
}

async function search(page: FetchedPage, ctx: AdapterContext, form: { url: string; fields: Record<string, string> }) {
  let pages = 1;
  for (let current = 1; current <= pages && current <= MAX_PAGES; current++) {
    const job = {
      url: form.url,
      label: 'xxgk:search',
      method: 'POST' as const,
      form: { ...form.fields, currpage: String(current) },
      referrer: page.url,
    };
    const answer = await ctx.fetchPage(job);
    const added = await ctx.addEntries(extractLinks(rows(answer.html), answer.finalUrl), form.url);
    if (current === 1) pages = pageCount(answer.html)?.count ?? 1;
    else if (added === 0)
      return ctx.listFailed(
        form.url,
        `paging did not advance: search.jsp currpage=${current} repeats entries already seen`,
      );
  }
}

export const xxgk: PlatformAdapter = {
  name: 'xxgk',
  detect: (_url, html) => (FORM.test(html) ? 'Hanweb 信息公开 module search form (/module/xxgk/search.jsp)' : false),
  async handle(_job, page, ctx) {
    await search(page, ctx, searchForm(page.html, page.finalUrl)!);
  },
};
