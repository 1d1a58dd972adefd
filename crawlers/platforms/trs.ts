// TRS WCM: pages index.html, index_1.html … whose links are written by JS (createPageHTML / countPage), so the
// page count is read from the script variables, never from static links.
import { extractLinks } from '../links.ts';
import { dirOf, type PlatformAdapter } from './base.ts';

export function trsPages(html: string): { count: number; current: number; prefix: string; ext: string } | null {
  const call =
    /createPageHTML\(\s*(?:'[^']*'\s*,\s*)?(\d+)\s*,\s*(\d+)\s*,\s*["']([\w-]+)["']\s*,\s*["'](\w+)["']/.exec(html);
  if (call) return { count: Number(call[1]), current: Number(call[2]), prefix: call[3], ext: call[4] };
  const countPage = /var\s+countPage\s*=\s*(\d+)/.exec(html);
  if (!countPage) return null;
  const cur = /var\s+currentPage\s*=\s*(\d+)/.exec(html);
  return { count: Number(countPage[1]), current: cur ? Number(cur[1]) : 0, prefix: 'index', ext: 'html' };
}

export const trs: PlatformAdapter = {
  name: 'trs',
  detect: (_url, html) => /createPageHTML|var\s+countPage\s*=|TRS_Editor/.test(html),
  async handle(job, page, ctx) {
    await ctx.addEntries(extractLinks(page.html, page.finalUrl), page.url);
    if (job.label !== 'column') return;
    const pg = trsPages(page.html);
    if (!pg || pg.count <= 1) return;
    // Page 2 is prefix_1 on most sites (0-based) but prefix_2 on some: ask for one past the end to cover both.
    for (let i = 1; i <= pg.count; i++)
      await ctx.enqueue({
        url: new URL(`${pg.prefix}_${i}.${pg.ext}`, dirOf(page.finalUrl)).toString(),
        label: 'trs:list',
        referrer: page.url,
        data: { probe: i === pg.count },
      });
  },
};
