// robots.txt per origin, parsed with robots-parser. RFC 9309 §2.3.1: a missing robots.txt (4xx) allows everything;
// an unreachable one (5xx, network error, timeout, a body that cannot be read) means "assume complete disallow".
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

/** `status` null: no HTTP answer at all (network error, timeout). */
export function parseRobots(robotsUrl: string, status: number | null, text: string, userAgent: string): RobotsRules {
  if (status === null || status >= 500) return { isAllowed: () => false, crawlDelay: null };
  if (status !== 200) return { isAllowed: () => true, crawlDelay: null };
  const rules = robotsParser(robotsUrl, text);
  const delay = rules.getCrawlDelay(userAgent);
  return {
    isAllowed: (url) => rules.isAllowed(url, userAgent) !== false,
    crawlDelay: typeof delay === 'number' && delay > 0 ? delay : null,
  };
}
