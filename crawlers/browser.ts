// Renders JS-filled list pages with Playwright (Crawlee's PlaywrightCrawler on Debian's Chromium) and returns the
// links the page shows, following its rendered "下一页" links or clicking a single-page app's "next" control. Every
// browser request is checked against the same host rule as the fetcher; anything else is aborted before it leaves
// the browser.
import { Configuration, PlaywrightCrawler, log } from '@crawlee/playwright';
import { chromium, type Page, type Route } from 'playwright-core';
import { USER_AGENT } from './fetcher.ts';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.ts';
import { extractLinks, type Link } from './links.ts';
import { config } from '../core/config.ts';

export { browserAvailable, CHROMIUM, CHROMIUM_ARGS } from './chromium.ts';

export interface RenderResult {
  pages: Array<{ url: string; status: number | null; html: string }>;
  links: Link[];
}

/** A pager's "next" control that is not a link to follow (a single-page app's button or span): its text. */
const NEXT_CONTROL = /^\s*(?:下一页|下页|后页|›|>)\s*$/;
/** The page's link targets, as one string (evaluated in the page). */
const ANCHORS = `[...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')).join('\\n')`;

/**
 * Pages a single-page list by clicking its "next" control while each click shows links not seen before (a pager
 * that ignores the click, or has reached its end, shows none), at most `maxClicks` times.
 */
async function clickThrough(page: Page, seen: Set<string>, maxClicks: number): Promise<Link[]> {
  const out: Link[] = [];
  for (let click = 0; click < maxClicks; click++) {
    const control = page
      .locator('a:not([href]), a[href^="javascript"], a[href="#"], button, span, li')
      .filter({ hasText: NEXT_CONTROL })
      .last();
    if (!(await control.count()) || !(await control.isVisible().catch(() => false))) break;
    const disabled = await control.evaluate(
      (el) => el.closest('[disabled], .disabled, [aria-disabled="true"]') !== null,
    );
    if (disabled) break;
    // 'networkidle' was reached once already and would not wait again: wait for the links to change instead.
    const before = await page.evaluate<string>(ANCHORS);
    await control.click({ timeout: 5000 }).catch(() => {});
    await page
      .waitForFunction(`${ANCHORS} !== ${JSON.stringify(before)}`, undefined, { timeout: 5000 })
      .catch(() => {});
    const fresh = extractLinks(await page.content(), page.url()).filter((l) => !seen.has(l.url));
    if (!fresh.length) break;
    for (const link of fresh) seen.add(link.url);
    out.push(...fresh);
  }
  return out;
}

export async function renderLists(
  startUrl: string,
  options: { allowed(url: string): boolean; maxPages: number; waitSelector?: string },
): Promise<RenderResult> {
  if (!config().debug) log.setLevel(log.LEVELS.OFF);
  const pages: RenderResult['pages'] = [];
  const links: Link[] = [];
  const crawler = new PlaywrightCrawler(
    {
      launchContext: {
        launcher: chromium,
        userAgent: USER_AGENT,
        // Playwright's own SIGINT handler would exit the process with 130 before the command can stop its jobs
        // and say what was done (pipeline/interrupt.ts); the browser is closed with the crawler instead.
        launchOptions: {
          executablePath: CHROMIUM,
          args: CHROMIUM_ARGS,
          headless: true,
          handleSIGINT: false,
          handleSIGTERM: false,
          handleSIGHUP: false,
        },
      },
      browserPoolOptions: { useFingerprints: false, maxOpenPagesPerBrowser: 1 },
      maxConcurrency: 1,
      maxRequestsPerCrawl: options.maxPages,
      maxRequestRetries: 1,
      requestHandlerTimeoutSecs: 30,
      preNavigationHooks: [
        async ({ page }) => {
          await page.route('**/*', (route: Route) =>
            options.allowed(route.request().url()) ? route.continue() : route.abort('blockedbyclient'),
          );
        },
      ],
      async requestHandler({ page, request, response, crawler: self }) {
        // The list is filled after load by a data request: wait for anchors in the main content, or give up quietly.
        await page.waitForLoadState('networkidle').catch(() => {});
        if (options.waitSelector) await page.waitForSelector(options.waitSelector, { timeout: 5000 }).catch(() => {});
        const html = await page.content();
        pages.push({ url: request.url, status: response?.status() ?? null, html });
        const found = extractLinks(html, page.url());
        links.push(...found);
        const next = found.filter((l) => /下一页|下页|next/i.test(l.title) && options.allowed(l.url));
        if (next.length) await self.addRequests(next.map((l) => ({ url: l.url })));
        else links.push(...(await clickThrough(page, new Set(found.map((l) => l.url)), options.maxPages)));
      },
    },
    new Configuration({ persistStorage: false, memoryMbytes: 2048, storageClientOptions: { persistStorage: false } }),
  );
  await crawler.run([startUrl]);
  await crawler.teardown().catch(() => {});
  return { pages, links };
}
