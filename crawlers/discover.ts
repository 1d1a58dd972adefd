// Finding the annual-report column from a portal's home page or its 信息公开 hub, by link text and URL slug — never
// by hard-coded year paths (they drift and move).
import { extractLinks } from './links.ts';
import type { FetchedPage, Job } from './platforms/base.ts';

const COLUMN_TEXT = /政府信息公开(工作)?年(度)?报(告)?|信息公开年报|政务公开年报|政府信息公开年度报告/;
const COLUMN_HREF = /\/(zfxxgknb|gknb|ndbg|xxgknb)[\w-]*\/?/i;
const HUB_TEXT = /政府信息公开|信息公开|政务公开/;
/** How many hub levels (home → 信息公开 → …) are searched for the column. */
const MAX_HUB_DEPTH = 2;

/** A page that is itself the column (a portal registered by its column URL, …/zfxxgknb/). */
export function isColumnPage(page: FetchedPage): boolean {
  return COLUMN_HREF.test(new URL(page.finalUrl).pathname) || COLUMN_TEXT.test(page.meta.articleTitle ?? '');
}

/** Column links on this page, else hub links to look further (up to MAX_HUB_DEPTH). */
export function discoverJobs(page: FetchedPage, hosts: string[], depth: number): Job[] {
  const links = extractLinks(page.html, page.finalUrl).filter(
    (l) => hosts.includes(new URL(l.url).host) && !/解读/.test(l.title),
  );
  const column = links.filter(
    (link) =>
      COLUMN_TEXT.test(link.title) ||
      (COLUMN_HREF.test(new URL(link.url).pathname) && link.title.length <= 12 && !/\d{4}/.test(link.title)),
  );
  if (column.length) return column.slice(0, 3).map((l) => ({ url: l.url, label: 'column', referrer: page.url }));
  if (depth >= MAX_HUB_DEPTH) return [];
  return links
    .filter((l) => HUB_TEXT.test(l.title) && l.title.length <= 12)
    .slice(0, 3)
    .map((l) => ({ url: l.url, label: 'hub', referrer: page.url, data: { depth: depth + 1 } }));
}
