// robots.txt per origin, parsed with robots-parser. A missing or unreadable robots.txt allows everything (RFC 9309:
// 4xx → allow all); a 5xx means "assume disallowed" for the whole site.
import { createRequire } from 'node:module';

// robots-parser is CommonJS (module.exports = fn); its typings claim an ES default export.
const robotsParser = createRequire(import.meta.url)('robots-parser') as (
  url: string,
  text: string,
) => { isAllowed(url: string, ua?: string): boolean | undefined; getCrawlDelay(ua?: string): number | undefined };

export interface RobotsRules {
  isAllowed(url: string): boolean;
  /** Crawl-delay in seconds for our user agent, when the site sets one. */
  crawlDelay: number | null;
}

export function parseRobots(robotsUrl: string, status: number | null, text: string, userAgent: string): RobotsRules {
  if (status !== null && status >= 500) return { isAllowed: () => false, crawlDelay: null };
  if (status !== 200) return { isAllowed: () => true, crawlDelay: null };
  const rules = robotsParser(robotsUrl, text);
  const delay = rules.getCrawlDelay(userAgent);
  return {
    isAllowed: (url) => rules.isAllowed(url, userAgent) !== false,
    crawlDelay: typeof delay === 'number' && delay > 0 ? delay : null,
  };
}
