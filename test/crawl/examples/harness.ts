// Runs one CMS adapter over a saved page with a recording AdapterContext: what the adapter hands to the engine
// (entries), queues (jobs), fetches itself (pagination requests) and reports (errors), without a network or a
// browser. Shared by test/crawl/adapter-examples.test.ts and tools/scaffold-adapter.ts.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FetchError } from '../../../core/errors.ts';
import { Fetcher } from '../../../crawlers/fetcher.ts';
import { pageMeta } from '../../../crawlers/links.ts';
import type { AdapterContext, FetchedPage, Job, PlatformAdapter } from '../../../crawlers/platforms/base.ts';
import type { Store } from '../../../db/store-types.ts';

export const EXAMPLES_DIR = new URL('.', import.meta.url).pathname;

/** `<case>.expected.json`: the input beside `<case>.html`, and what the adapter did with it. */
export interface ExampleFile {
  /** Where the page comes from (a shared fixture, the simulator, hand-made), for the next reader. */
  source: string;
  /** The job the page answered: its URL (also the final URL) and label; `data` as the engine would pass it. */
  job: Job;
  /** Further pages the adapter may fetch itself, by URL (a POST by "URL form-urlencoded") → file in the same
   *  folder; other requests answer HTTP 404. */
  serve?: Record<string, string>;
  /** List-entry URLs earlier pages of the crawl had already offered (a further page is judged new against them). */
  seen?: string[];
  expected: ExampleResult;
}

export interface ExampleResult {
  entries: Array<{ from: string; url: string; title: string; date: string | null }>;
  enqueued: Job[];
  fetched: Job[];
  /** `listFailed`: reported as an incomplete listing (nothing may be marked gone), not only as an error. */
  errors: Array<{ url: string; error: string; listFailed?: boolean }>;
}

export interface Example {
  adapter: string;
  name: string;
  dir: string;
  html: string;
  file: ExampleFile;
}

/** Every `<adapter>/<case>.html` with its `<case>.expected.json`. */
export function loadExamples(adapter: string): Example[] {
  const dir = join(EXAMPLES_DIR, adapter);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith('.expected.json'))
    .sort()
    .map((name) => {
      const base = name.slice(0, -'.expected.json'.length);
      return {
        adapter,
        name: base,
        dir,
        html: readFileSync(join(dir, `${base}.html`), 'utf8'),
        file: JSON.parse(readFileSync(join(dir, name), 'utf8')) as ExampleFile,
      };
    });
}

/** The portal's host and its www./bare twin, as crawlPortal allows them. */
function hostsOf(url: string): string[] {
  const host = new URL(url).host;
  return [host, host.startsWith('www.') ? host.slice(4) : `www.${host}`];
}

function saved(url: string, html: string): FetchedPage {
  return { url, finalUrl: url, html, contentType: 'text/html', meta: pageMeta(html), sha256: '' };
}

/** The crawl's own URL rule (Fetcher.checkUrl) for a portal at `url`: scheme, host, private literal address. */
export function onPortalRule(url: string): (target: string) => boolean {
  const fetcher = new Fetcher({ store: null as unknown as Store, runId: null, hosts: hostsOf(url) });
  return (target) => {
    try {
      fetcher.checkUrl(target);
      return true;
    } catch {
      return false;
    }
  };
}

/** Runs the adapter on the example page. A throw out of handle() is recorded as an error on the page's URL. */
export async function runExample(adapter: PlatformAdapter, example: Example): Promise<ExampleResult> {
  const { job, serve = {} } = example.file;
  const result: ExampleResult = { entries: [], enqueued: [], fetched: [], errors: [] };
  // What the engine would answer "how many of these are new" from: every URL offered so far in this run.
  const listed = new Set<string>(example.file.seen ?? []);
  const context: AdapterContext = {
    async fetchPage(request) {
      result.fetched.push(request);
      // A POST answer is saved under "URL form" (one endpoint answers each form differently), a GET under its URL.
      const file = (request.form && serve[`${request.url} ${new URLSearchParams(request.form)}`]) || serve[request.url];
      if (!file) throw new FetchError('HTTP 404', 'http-status', request.url, 404);
      return saved(request.url, readFileSync(join(example.dir, file), 'utf8'));
    },
    async enqueue(request) {
      result.enqueued.push(request);
    },
    async addEntries(links, from) {
      let fresh = 0;
      for (const link of links) {
        result.entries.push({ from, url: link.url, title: link.title, date: link.date ?? null });
        if (!listed.has(link.url)) fresh++;
        listed.add(link.url);
      }
      return fresh;
    },
    error(url, message) {
      result.errors.push({ url, error: message });
    },
    listFailed(url, message) {
      result.errors.push({ url, error: message, listFailed: true });
    },
    async recordBrowserFetch(url) {
      throw new Error(`the browser ran on ${url} although options.browser is 'never'`);
    },
    onPortal: onPortalRule(job.url),
    options: { browser: 'never', maxListDepth: 3 },
  };
  try {
    await adapter.handle(job, saved(job.url, example.html), context);
  } catch (err) {
    result.errors.push({ url: job.url, error: `thrown: ${(err as Error).message}` });
  }
  // JSON has no undefined: compare what the file can hold.
  return JSON.parse(JSON.stringify(result)) as ExampleResult;
}

/** Writes what the adapter does now as the example's expectation (NIANBAO_UPDATE_EXAMPLES=1, or the scaffold). */
export function writeExpected(example: Example, result: ExampleResult): void {
  const file: ExampleFile = { ...example.file, expected: result };
  writeFileSync(join(example.dir, `${example.name}.expected.json`), JSON.stringify(file, null, 2) + '\n');
}
