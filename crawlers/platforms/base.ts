// What a CMS-family adapter does: turn the annual-report column page (and the pages it leads to) into list entries.
// The crawl engine (crawlers/crawl-portal.ts) owns fetching, classification, articles and attachments.
import { browserAvailable } from '../chromium.ts';
import type { Link, PageMeta } from '../links.ts';

export interface Job {
  url: string;
  label: string;
  method?: 'GET' | 'POST';
  form?: Record<string, string>;
  referrer?: string;
  data?: Record<string, unknown>;
}

export interface FetchedPage {
  url: string;
  finalUrl: string;
  html: string;
  contentType: string | null;
  /** Read once when fetched: the crawl learns the county from it and discovery recognises a column by it. */
  meta: PageMeta;
  /** Of the archived bytes. */
  sha256: string;
}

export interface AdapterContext {
  /** Fetch a page through the crawl's safe fetcher and decode it. */
  fetchPage(job: Job): Promise<FetchedPage>;
  /** Queue a further list page (counted against the budget). */
  enqueue(job: Job): Promise<void>;
  /** Hand over list entries: the engine classifies them and follows the reports. Resolves to how many of them no
   *  earlier list page of this crawl had offered (0: the page brought nothing new). */
  addEntries(links: Link[], from: string): Promise<number>;
  error(url: string, message: string): void;
  /** A list could not be read completely (paging did not advance, an API answered nonsense): recorded, and the
   *  listing counts as incomplete, so nothing is marked gone on this run. */
  listFailed(url: string, message: string): void;
  /** Record a page a browser loaded (outside the fetcher) in the fetch log. */
  recordBrowserFetch(url: string, status: number | null): Promise<void>;
  /** May the crawl request this URL at all (scheme, portal host, private address)? The fetcher's own rule. */
  onPortal(url: string): boolean;
  options: { browser: 'auto' | 'always' | 'never'; maxListDepth: number };
}

export interface PlatformAdapter {
  name: string;
  /** Recognises the CMS from the column page's URL and markup: why it did (the crawl records it), else false. */
  detect(url: string, html: string): string | false;
  /** Where (besides the portal) this family keeps its documents, e.g. a province's object storage, as patterns of
   *  `host/path`. The crawl fetches attachments there (documents only, the same safety rules); never list pages. */
  attachmentHosts?: RegExp[];
  /** Handles the column page (label 'column') and the adapter's own list jobs (labels `${name}:*`). */
  handle(job: Job, page: FetchedPage, ctx: AdapterContext): Promise<void>;
}

export function dirOf(url: string): string {
  const parsed = new URL(url);
  parsed.search = '';
  parsed.hash = '';
  return parsed.toString().replace(/[^/]*$/, '');
}

/** Should a JS-filled list be rendered in the browser (by the crawl's --browser mode and a Chromium present)? */
export function browserWanted(ctx: AdapterContext): boolean {
  const mode = ctx.options.browser;
  return mode === 'always' || (mode === 'auto' && browserAvailable());
}

/** Renders the page in the browser, confined to the portal's hosts; the pages it loaded go to the fetch log (a
 *  failed one also to the errors) and the links it showed to the engine. Returns those links. */
export async function renderInBrowser(page: FetchedPage, ctx: AdapterContext, waitSelector?: string): Promise<Link[]> {
  const { renderLists } = await import('../browser.ts');
  const rendered = await renderLists(page.finalUrl, { allowed: (u) => ctx.onPortal(u), maxPages: 50, waitSelector });
  for (const loaded of rendered.pages) {
    await ctx.recordBrowserFetch(loaded.url, loaded.status);
    if (loaded.status !== null && loaded.status >= 400) ctx.error(loaded.url, `browser: HTTP ${loaded.status}`);
  }
  await ctx.addEntries(rendered.links, page.url);
  return rendered.links;
}
