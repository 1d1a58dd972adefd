// Plain static sites: the column links to reports and to sub-columns (per year, 乡镇/街道, 部门). Sub-columns under
// the column's folder are walked breadth-first to a bounded depth, which also bounds calendar-style link spaces.
// A column that shows no report-like link at all but runs scripts is a JS shell: rendered in the browser when
// one is available.
import { extractLinks, isAttachmentUrl } from '../links.ts';
import { browserWanted, dirOf, renderInBrowser, type PlatformAdapter } from './base.ts';

const LISTISH = /\/$|\/index(_\d+)?\.s?html?$|\/list(_\d+)?\.s?html?$|[?&](page|pageNum|currpage)=\d+/i;
const REPORTISH = /年度报告|年报|信息公开/;

export const generic: PlatformAdapter = {
  name: 'generic',
  detect: () => true,
  async handle(job, page, ctx) {
    const links = extractLinks(page.html, page.finalUrl);
    await ctx.addEntries(links, page.url);
    const root = String(job.data?.root ?? dirOf(page.finalUrl));
    const depth = Number(job.data?.depth ?? 0);
    if (
      job.label === 'column' &&
      !links.some((l) => REPORTISH.test(l.title) && l.url !== page.finalUrl) &&
      /<script\b/i.test(page.html)
    ) {
      if (browserWanted(ctx)) await renderInBrowser(page, ctx);
      else ctx.error(page.url, 'the column shows no links without JavaScript and no browser is available');
    }
    if (depth >= ctx.options.maxListDepth) return;
    for (const link of links) {
      if (
        !link.url.startsWith(root) ||
        link.url === page.finalUrl ||
        isAttachmentUrl(link.url) ||
        !LISTISH.test(new URL(link.url).pathname + new URL(link.url).search)
      )
        continue;
      await ctx.enqueue({ url: link.url, label: 'generic:list', referrer: page.url, data: { root, depth: depth + 1 } });
    }
  },
};
