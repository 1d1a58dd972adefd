// Where the browser is, apart from the Playwright code (crawlers/browser.ts): asking whether one is present must not
// load Playwright, which the adapters import only when they render a page.
import { existsSync } from 'node:fs';
import { config } from '../core/config.ts';

export const CHROMIUM = config().chromium;
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function browserAvailable(): boolean {
  return existsSync(CHROMIUM);
}
