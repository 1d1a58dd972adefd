// TRS WCM: pages index.html, index_1.html … whose links are written by JS (createPageHTML in its signatures,
// countPage), so the page count is read from the script (comments removed), never from static links. Year and
// township sub-columns (gknb2023/, 2023n/xzjd/) are further TRS lists, paged the same way. Attachments are linked
// with appendix="true" or written by document.write inside a script (links.ts reads both).
import { extractLinks } from '../links.ts';
import { withoutScriptComments } from '../paging.ts';
import { dirOf, type PlatformAdapter } from './base.ts';
import { followFrames, followPaging, followSubColumns } from './follow.ts';

export const trs: PlatformAdapter = {
  name: 'trs',
  detect: (_url, html) => {
    const clean = withoutScriptComments(html);
    if (/createPageHTML\s*\(/.test(clean)) return 'TRS createPageHTML pager';
    if (/var\s+countPage\s*=/.test(clean)) return 'TRS countPage variable';
    if (/TRS_Editor|appendix=["']true["']/.test(html)) return 'TRS_Editor / appendix markup';
    return false;
  },
  async handle(job, page, ctx) {
    const links = extractLinks(page.html, page.finalUrl);
    const added = await ctx.addEntries(links, page.url);
    await followPaging(job, page, ctx, 'trs:list', added);
    await followFrames(job, page, ctx, 'trs:list');
    await followSubColumns(job, page, ctx, 'trs:list', links, { root: String(job.data?.root ?? dirOf(page.finalUrl)) });
  },
};
