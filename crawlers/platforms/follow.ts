// The list rules every adapter shares: page a static list from whatever it declares (or, declaring nothing but
// showing a pager, until a page brings nothing new), check that paging advanced, and follow same-host frames.
import { frameSources, isAttachmentUrl, type Link } from '../links.ts';
import { pageCount, pageStem, staticPages } from '../paging.ts';
import type { AdapterContext, FetchedPage, Job } from './base.ts';

/** Open-ended paging (no count declared) stops here even if every page brings something new. */
export const OPEN_PAGING_LIMIT = 50;

const PAGER = /下一页|下页|尾页|末页|>\s*下\s*一\s*页|class=["'][^"']*\b(?:page|pager|pagination)\b/i;

/** Paging state carried by a further page's job. */
interface PagingData {
  /** The list's first page, for errors and the "did it advance" check. */
  first: string;
  /** Page number of this job. */
  page: number;
  probe?: boolean;
  /** Open-ended: queue the next page only if this one brought anything new. */
  open?: boolean;
}

function pagingOf(job: Job): PagingData | null {
  return (job.data?.paging as PagingData | undefined) ?? null;
}

/** Queues the further pages of a static list page under `label`. `added` is how many entries the page brought
 *  that no earlier list page of this crawl had: a further page that brings none means the server ignored the page
 *  suffix (an error), or, when paging open-ended, that the list has ended. */
export async function followPaging(
  job: Job,
  page: FetchedPage,
  ctx: AdapterContext,
  label: string,
  added: number,
): Promise<void> {
  const paging = pagingOf(job);
  if (paging) {
    if (added === 0 && !paging.open && !paging.probe)
      ctx.listFailed(
        job.url,
        `paging did not advance: page ${paging.page} of ${paging.first} repeats entries already seen`,
      );
    if (paging.open && added > 0 && paging.page < OPEN_PAGING_LIMIT) {
      const { dir, stem, ext } = pageStem(paging.first, null);
      await ctx.enqueue({
        url: `${dir}${stem}_${paging.page}.${ext}`,
        label,
        referrer: job.url,
        data: { ...job.data, paging: { ...paging, page: paging.page + 1, probe: true } },
      });
    }
    return;
  }
  const found = pageCount(page.html);
  // `current` tells the numbering only on the first page (0 or 1); on `stem_N` both numberings say N.
  const furtherPage = /_\d+\.s?html?$/i.test(new URL(page.finalUrl).pathname);
  const declared = found && furtherPage ? { ...found, oneBased: null } : found;
  if (declared && declared.count > 1) {
    for (const further of staticPages(page.finalUrl, declared))
      await ctx.enqueue({
        url: further.url,
        label,
        referrer: page.url,
        data: {
          ...job.data,
          probe: further.probe,
          paging: { first: page.finalUrl, page: further.page, probe: further.probe },
        },
      });
    return;
  }
  if (declared || !PAGER.test(page.html)) return;
  // A pager without a count: page 2 is `stem_1` on most templates; each page that brings news asks for the next.
  const { dir, stem, ext } = pageStem(page.finalUrl, null);
  await ctx.enqueue({
    url: `${dir}${stem}_1.${ext}`,
    label,
    referrer: page.url,
    data: { ...job.data, probe: true, paging: { first: page.finalUrl, page: 2, open: true, probe: true } },
  });
}

/** Same-host frames of a shell page: the list lives in the framed page. */
export async function followFrames(job: Job, page: FetchedPage, ctx: AdapterContext, label: string): Promise<number> {
  let queued = 0;
  for (const src of frameSources(page.html, page.finalUrl)) {
    if (!ctx.onPortal(src) || src === page.finalUrl) continue;
    await ctx.enqueue({ url: src, label, referrer: page.url, data: { ...job.data, paging: undefined, frame: true } });
    queued++;
  }
  return queued;
}

const LISTISH =
  /\/$|\/(?:index|list|default)(?:_\d+)?\.s?html?$|\/[\w-]*list[\w-]*\.s?html?$|[?&](?:page|pageNum|currpage)=\d+/i;
/** Link texts of sub-columns of an annual-report column: years, 乡镇/街道, 部门, 年报. */
const SUBCOLUMN_TEXT =
  /^\s*(?:19|20)\d{2}\s*年?度?\s*$|乡镇|街道|部门|单位|年报|年度报告|县直|区直|市直|^\s*(?:19|20)\d{2}/;

export interface SubColumnRule {
  /** Sub-columns live under this URL prefix (the column's folder); null: only `elsewhere` links are followed. */
  root: string | null;
  /** Further sub-column links outside `root` (e.g. Hanweb's `/col/colN/` department columns), by URL and text. */
  elsewhere?: (url: string, title: string) => boolean;
}

/** Walks sub-columns (year, department, township, several levels) breadth-first to options.maxListDepth. */
export async function followSubColumns(
  job: Job,
  page: FetchedPage,
  ctx: AdapterContext,
  label: string,
  links: Link[],
  rule: SubColumnRule,
): Promise<void> {
  const depth = Number(job.data?.depth ?? 0);
  if (depth >= ctx.options.maxListDepth) return;
  for (const link of links) {
    if (link.url === page.finalUrl || link.url === page.url || isAttachmentUrl(link.url) || !ctx.onPortal(link.url))
      continue;
    const url = new URL(link.url);
    const under = rule.root !== null && link.url.startsWith(rule.root) && LISTISH.test(url.pathname + url.search);
    const other = !under && !!rule.elsewhere?.(link.url, link.title) && SUBCOLUMN_TEXT.test(link.title);
    if (!under && !other) continue;
    await ctx.enqueue({
      url: link.url,
      label,
      referrer: page.url,
      data: { root: rule.root ?? undefined, depth: depth + 1 },
    });
  }
}
