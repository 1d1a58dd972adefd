// robots.txt per origin, parsed with robots-parser. A missing or unreadable robots.txt allows everything (RFC 9309:
// 4xx → allow all); a 5xx means "assume disallowed" for the whole site.
import { createRequire } from 'node:module';

// robots-parser is CommonJS (module.exports = fn); its typings claim an ES default export.
const robotsParser = createRequire(import.meta.url)('robots-parser') as (url: string, text: string) => { isAllowed(url: string, ua?: string): boolean | undefined };

export interface RobotsRules { isAllowed(url: string): boolean }

export function parseRobots(robotsUrl: string, status: number | null, text: string, userAgent: string): RobotsRules {
  if (status !== null && status >= 500) return { isAllowed: () => false };
  if (status !== 200) return { isAllowed: () => true };
  const rules = robotsParser(robotsUrl, text);
  return { isAllowed: (url) => rules.isAllowed(url, userAgent) !== false };
}
