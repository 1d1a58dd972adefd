// The /{site}/cNNN/…shtml family (Heilongjiang ≈70, Xinjiang, Sichuan, Tibet): static lists zfxxgkMultiList.shtml /
// xxgk_list.shtml in numbered channel folders, articles /{site}/cNNN/YYYYMM/<32hex>.shtml, paging printed (共N页) or
// by page scripts. Department and township columns are sibling channel folders (…/c100232/), linked from the
// column's menu, so sub-columns are followed across channels, not only under the column's folder.
import { extractLinks } from '../links.ts';
import { dirOf, type PlatformAdapter } from './base.ts';
import { followFrames, followPaging, followSubColumns } from './follow.ts';

const CHANNEL_LIST = /\/c\d{4,}\/[\w-]*\.shtml$/i;
const CHANNEL_ARTICLE = /\/c\d{4,}\/\d{6}\/[0-9a-f]{32}\.shtml/i;

/** The site prefix the channels live under: /{site}/ of /{site}/cNNN/…. */
function sitePrefix(url: string): string {
  return url.replace(/\/c\d{4,}\/[^?#]*$/i, '/');
}

export const cnnn: PlatformAdapter = {
  name: 'cnnn',
  detect: (url, html) =>
    CHANNEL_LIST.test(new URL(url).pathname) && CHANNEL_ARTICLE.test(html)
      ? 'channel list /cNNN/…shtml with /cNNN/YYYYMM/<32hex>.shtml articles'
      : false,
  async handle(job, page, ctx) {
    const links = extractLinks(page.html, page.finalUrl);
    const added = await ctx.addEntries(links, page.url);
    await followPaging(job, page, ctx, 'cnnn:list', added);
    await followFrames(job, page, ctx, 'cnnn:list');
    const site = sitePrefix(page.finalUrl);
    await followSubColumns(job, page, ctx, 'cnnn:list', links, {
      root: String(job.data?.root ?? dirOf(page.finalUrl)),
      elsewhere: (url) => url.startsWith(site) && CHANNEL_LIST.test(new URL(url).pathname),
    });
  },
};
