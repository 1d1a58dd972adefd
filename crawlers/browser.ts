// Renders JS-filled list pages with Playwright (Crawlee's PlaywrightCrawler on Debian's Chromium) and returns the
// links the page shows, following its rendered "下一页" links. Every browser request is checked against the same
// host rule as the fetcher; anything else is aborted before it leaves the browser.
import { Configuration, PlaywrightCrawler, log } from '@crawlee/playwright';
import { chromium, type Route } from 'playwright-core';
import { USER_AGENT } from './fetcher.ts';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.ts';
import { extractLinks, type Link } from './links.ts';
import { config } from '../core/config.ts';

export { browserAvailable, CHROMIUM, CHROMIUM_ARGS } from './chromium.ts';

export interface RenderResult {
  pages: Array<{ url: string; status: number | null; html: string }>;
  links: Link[];
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
      },
    },
    new Configuration({ persistStorage: false, memoryMbytes: 2048, storageClientOptions: { persistStorage: false } }),
  );
  await crawler.run([startUrl]);
  await crawler.teardown().catch(() => {});
  return { pages, links };
}
