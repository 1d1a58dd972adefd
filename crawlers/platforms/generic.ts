// Plain static sites: the column links to reports and to sub-columns (per year, 乡镇/街道, 部门). Sub-columns under
// the column's folder are walked breadth-first to a bounded depth, which also bounds calendar-style link spaces;
// every list page is paged from what it declares; a shell's same-host frame is read as the list. A column whose
// main content shows no report-like link but runs scripts is a JS shell: rendered in the browser when one is
// available (the last resort: the other adapters read the lists such pages declare).
import { extractLinks } from '../links.ts';
import { browserWanted, dirOf, renderInBrowser, type PlatformAdapter } from './base.ts';
import { followFrames, followPaging, followSubColumns } from './follow.ts';

const REPORTISH = /年度报告|年报/;

/** The page without its navigation (header, nav, footer, menus): a menu item saying 年报 is not a list. */
function mainContent(html: string): string {
  return html
    .replace(/<(nav|header|footer)\b[\s\S]*?<\/\1>/gi, '')
    .replace(
      /<(div|ul)\b[^>]*(?:class|id)=["'][^"']*\b(?:nav|menu|header|footer|top|banner)\w*[^"']*["'][\s\S]*?<\/\1>/gi,
      '',
    );
}

export const generic: PlatformAdapter = {
  name: 'generic',
  detect: () => 'no CMS family recognised: static links, sub-columns, declared paging',
  async handle(job, page, ctx) {
    const links = extractLinks(page.html, page.finalUrl);
    const added = await ctx.addEntries(links, page.url);
    const root = String(job.data?.root ?? dirOf(page.finalUrl));
    await followPaging(job, page, ctx, 'generic:list', added);
    const frames = await followFrames(job, page, ctx, 'generic:list');
    const shown = extractLinks(mainContent(page.html), page.finalUrl);
    if (
      job.label === 'column' &&
      !frames &&
      !shown.some((l) => REPORTISH.test(l.title) && l.url !== page.finalUrl) &&
      /<script\b/i.test(page.html)
    ) {
      if (browserWanted(ctx)) await renderInBrowser(page, ctx);
      else ctx.listFailed(page.url, 'the column shows no links without JavaScript and no browser is available');
    }
    await followSubColumns(job, page, ctx, 'generic:list', links, { root });
  },
};
