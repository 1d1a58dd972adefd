// crawlPortal: discover a portal's annual-report column, walk it with the CMS adapter, classify entries, fetch
// report articles and attachments, and record everything in the store. Crawlee's BasicCrawler schedules the jobs
// (concurrency, rate, budget); each job goes to the route of its label; all HTTP goes through the safe Fetcher.
import { BasicCrawler, Configuration, log } from '@crawlee/http';
import { FetchError, RefusedError } from '../core/errors.ts';
import type { Portal, Store } from '../db/store-types.ts';
import { decodeHtml } from '../extractors/readers/encoding.ts';
import { imageInfo } from '../extractors/readers/images.ts';
import { documentsOf } from './candidates.ts';
import { classifyTitle, placeOf } from './classify.ts';
import {
  articleFullTitle,
  goneDecision,
  listingShrank,
  runOutcome,
  servedFileName,
  triageEntry,
} from './crawl-rules.ts';
import { CrawlState, jobKey, type CrawlError, type ListHandled } from './crawl-state.ts';
import { discoverJobs, isColumnPage } from './discover.ts';
import { Fetcher, siteHosts, type FetchRequest, type FetchResult } from './fetcher.ts';
import {
  articleContent,
  articleHoldsReport,
  articleImages,
  extractLinks,
  isAttachmentUrl,
  pageMeta,
  type Link,
} from './links.ts';
import type { AdapterContext, FetchedPage, Job } from './platforms/base.ts';
import { ADAPTERS, adapterFor } from './platforms/index.ts';
import { Router } from './router.ts';
import { verifyHome } from './verify.ts';
import type { CrawlOutcome, Verification } from '../db/store-types.ts';
import { config } from '../core/config.ts';

export interface CrawlOptions {
  /** Let the crawl reach loopback/private addresses (the local simulator). Off-portal hosts stay refused. */
  allowPrivate?: boolean;
  /** Crawl budget: jobs (pages, list requests, attachments) per portal. */
  maxRequests?: number;
  /** Largest document accepted; bigger bodies are aborted and recorded as errors. */
  maxBytes?: number;
  /** Requests per minute (evenly spaced) and parallel requests, per portal. Default 60/min (6000 on loopback), 2. */
  rate?: { perMinute?: number; concurrency?: number };
  retries?: number;
  backoffMs?: number;
  timeoutMs?: number;
  /** JS-rendered lists: 'auto' uses Chromium when present. */
  browser?: 'auto' | 'always' | 'never';
  maxListDepth?: number;
  /** Aborting it stops the crawl: the run is recorded as interrupted (not as a budget stop), nothing marked gone. */
  signal?: AbortSignal;
  onProgress?(progress: { portal: string; pages: number; bytes: number; url: string; status: number | null }): void;
}

export interface ReportSummary {
  agency: string | null;
  year: number | null;
  title: string;
  url: string;
  documents: string[];
}

export interface PortalSummary {
  url: string;
  /** The adapter that handled the column page (else the platform asked for, else 'unknown'). */
  platform: string;
  pages_fetched: number;
  bytes: number;
  reports: ReportSummary[];
  errors: CrawlError[];
  /** Each column page: which adapter handled it and why. */
  lists: ListHandled[];
  runId: number;
  candidates: number[];
  documents: Array<{ url: string; sha256: string; kind: 'article' | 'attachment'; candidateId: number }>;
  /** Candidates marked gone in this run (null when the crawl was incomplete and nothing was marked). */
  gone: number | null;
  /** complete / partial (nothing marked gone) / failed (the portal is broken: an operator must look) / interrupted. */
  outcome: CrawlOutcome;
  /** Report-like entries the column pages offered (the yardstick of the next run's listing). */
  entries: number;
  /** The home page's identity check, when this run made one (first sight of the portal, or after a move). */
  verification: Verification | null;
}

/** What the route handlers share: the portal, its store, fetcher and state, and the queue. */
interface Crawl {
  portal: Portal;
  store: Store;
  runId: number;
  state: CrawlState;
  fetcher: Fetcher;
  /** The portal's host, and its www./bare twin: portals commonly redirect one to the other. */
  hosts: string[];
  adapterContext: AdapterContext;
  /** Every URL a list page has offered: a further page that offers none of its own did not advance. */
  listed: Set<string>;
  add(job: Job, forefront?: boolean): Promise<void>;
}

interface RouteContext {
  job: Job;
  /** The page already fetched under another label (a home page that is the column itself). */
  page?: FetchedPage;
}

export async function crawlPortal(portal: Portal, store: Store, opts: CrawlOptions = {}): Promise<PortalSummary> {
  // Crawlee reads its storage directory from the environment itself.
  process.env.CRAWLEE_STORAGE_DIR ??= config().crawleeStorageDir;
  if (!config().debug) log.setLevel(log.LEVELS.OFF);
  const base = new URL(portal.baseUrl);
  const runId = await store.startCrawlRun(portal.id, portal.baseUrl);
  const state = new CrawlState(placeOf(portal.regionCode, portal.name), portal.platform);
  const hosts = siteHosts(base.host);
  // Politeness protects other people's servers: 1 request/s by default. A loopback target reached with
  // allowPrivate is our own machine (the portal simulator), where the default is 100/s.
  const loopback = !!opts.allowPrivate && /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/i.test(base.hostname);
  const defaultRate = loopback ? 6000 : 60;
  const fetcher = new Fetcher({
    store,
    runId,
    hosts,
    minIntervalMs: 60_000 / (opts.rate?.perMinute ?? defaultRate),
    allowPrivate: opts.allowPrivate,
    maxBytes: opts.maxBytes,
    retries: opts.retries,
    backoffMs: opts.backoffMs,
    timeoutMs: opts.timeoutMs,
    onResponse: ({ url, status }) =>
      opts.onProgress?.({ portal: portal.baseUrl, pages: state.pages, bytes: fetcher.bytes, url, status }),
  });

  let crawler: BasicCrawler | null = null;
  const crawl: Crawl = {
    portal,
    store,
    runId,
    state,
    fetcher,
    hosts,
    adapterContext: null as unknown as AdapterContext,
    listed: new Set(),
    async add(job, forefront = false) {
      const key = jobKey(job);
      if (state.enqueued.has(key)) return;
      state.enqueued.add(key);
      await crawler!.addRequests([{ url: job.url, uniqueKey: key, label: job.label, userData: { job } }], {
        forefront,
      });
    },
  };
  crawl.adapterContext = adapterContext(crawl, opts);
  const router = crawlRouter(crawl);

  // A robots.txt Crawl-delay slows us further than our own rate, never the reverse.
  const delay = (await fetcher.robotsFor(portal.baseUrl).catch(() => null))?.crawlDelay ?? null;
  const perMinute = Math.max(
    1,
    Math.min(opts.rate?.perMinute ?? defaultRate, delay ? Math.floor(60 / delay) : Infinity),
  );
  fetcher.opts.minIntervalMs = 60_000 / perMinute;
  const maxRequests = opts.maxRequests ?? 1000;
  // The home page read to verify the portal is part of its budget.
  if (!portal.verdict && !opts.signal?.aborted) await verifyAtHome(crawl);
  crawler = jobCrawler(state, router, {
    concurrency: opts.rate?.concurrency ?? 2,
    perMinute,
    maxRequests: Math.max(1, maxRequests - state.pages),
  });

  const entry = portal.entryUrls?.length
    ? portal.entryUrls.map((url) => ({ url, label: 'column' }))
    : [{ url: portal.baseUrl, label: 'home' }];
  for (const job of entry) await crawl.add(job);
  let fatal: string | null = null;
  const onAbort = () => {
    state.interrupted = true;
    crawler?.stop('interrupted');
  };
  if (opts.signal?.aborted) state.interrupted = true;
  else opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (!state.interrupted) await crawler.run();
  } catch (err) {
    fatal = (err as Error).message;
    state.fail(portal.baseUrl, err, `crawl aborted: ${fatal}`);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    await crawler.teardown().catch(() => {});
  }
  const left = state.enqueued.size - state.handled;
  if (state.interrupted)
    state.error(portal.baseUrl, `crawl interrupted; ${left} queued jobs left undone`, 'interrupted');
  else if (state.budgetHit)
    state.error(
      portal.baseUrl,
      `crawl budget of ${maxRequests} requests exhausted; ${left} queued jobs left`,
      'budget',
    );
  let listingFailed = false;
  if (state.interrupted) {
    // What an interrupted run did not reach says nothing about the portal.
  } else if (!state.columnFound) {
    listingFailed = true;
    state.error(portal.baseUrl, 'no annual-report column found (home page / 信息公开 navigation)', 'listing');
  } else if (state.reportish === 0 && !fatal) {
    // Zero entries is a listing no adapter could read, never an empty success (and never a reason to mark gone).
    state.listFailed = true;
    listingFailed = true;
    for (const list of state.lists)
      state.error(
        list.url,
        `no known list mechanism on ${list.url} (handled by ${list.adapter}: ${list.why})`,
        'listing',
      );
  } else if (!fatal && !state.budgetHit) {
    const lastComplete = await store.lastCompleteListing(portal.id);
    if (listingShrank(state.reportish, lastComplete)) {
      state.listFailed = true;
      listingFailed = true;
      state.error(
        portal.baseUrl,
        `the listing offered ${state.reportish} report entries, the last complete run ${lastComplete}: a broken listing, not gone reports`,
        'listing',
      );
    }
  }
  return finishCrawl(crawl, fatal, listingFailed);
}

/** Crawlee schedules the jobs (concurrency, rate, budget); each goes to its route. A failed job is recorded, and a
 *  failed list page leaves the listing incomplete. */
function jobCrawler(
  state: CrawlState,
  router: Router<RouteContext>,
  limits: { concurrency: number; perMinute: number; maxRequests: number },
): BasicCrawler {
  return new BasicCrawler(
    {
      maxConcurrency: limits.concurrency,
      maxRequestsPerMinute: limits.perMinute,
      maxRequestsPerCrawl: limits.maxRequests,
      maxRequestRetries: 0, // the fetcher retries with backoff; a failed job is final
      requestHandlerTimeoutSecs: 600,
      useSessionPool: false,
      async requestHandler({ request }) {
        state.handled++;
        const job = request.userData.job as Job;
        try {
          await router.route({ job });
        } catch (caught) {
          const err = caught as Error;
          // A probed page past the end (TRS 0/1-based page numbering) is expected to be missing.
          if (job.data?.probe && err instanceof FetchError && err.status === 404) return;
          // A list page that failed leaves the listing incomplete: nothing may be declared gone on this run.
          if (!['article', 'attachment', 'image'].includes(job.label)) state.listFailed = true;
          state.fail(
            job.url,
            err,
            err instanceof RefusedError || err instanceof FetchError ? err.message : `${err.name}: ${err.message}`,
          );
        }
      },
    },
    new Configuration({
      persistStorage: false,
      memoryMbytes: config().crawleeMemoryMbytes,
      storageClientOptions: { persistStorage: false },
    }),
  );
}

/** A transient failure (5xx, network) of a page we archived before falls back to that copy, so one bad night
 *  neither hides a report nor marks it gone. 4xx, size and redirect failures and refusals stay failures. */
async function fetchResilient(crawl: Crawl, req: FetchRequest): Promise<FetchResult> {
  try {
    return await crawl.fetcher.fetch(req);
  } catch (err) {
    const transient =
      err instanceof FetchError &&
      (err.status === null || err.status >= 500) &&
      err.reason !== 'too-large' &&
      err.reason !== 'redirect';
    if (!transient || (req.method ?? 'GET') !== 'GET') throw err;
    const prev = await crawl.store.previousFetch(req.url);
    const body = prev?.sha256 ? await crawl.store.readDocument(prev.sha256).catch(() => null) : null;
    if (!prev?.sha256 || !body) throw err;
    crawl.state.fail(
      req.url,
      err,
      `${(err as Error).message}; used the copy archived on ${prev.fetchedAt.toISOString().slice(0, 10)}`,
    );
    return {
      url: req.url,
      finalUrl: req.url,
      status: 200,
      headers: {},
      body,
      notModified: true,
      sha256: prev.sha256,
      fetchId: 0,
      downloaded: 0,
    };
  }
}

async function fetchPage(crawl: Crawl, job: Job): Promise<FetchedPage> {
  const response = await fetchResilient(crawl, {
    url: job.url,
    method: job.method,
    form: job.form,
    referrer: job.referrer ?? null,
  });
  crawl.state.pages++;
  const html = decodeHtml(response.body, response.headers['content-type']);
  const meta = pageMeta(html);
  crawl.state.learnPlace(meta, job.url);
  return {
    url: job.url,
    finalUrl: response.finalUrl,
    html,
    contentType: response.headers['content-type'] ?? null,
    meta,
    sha256: response.sha256,
  };
}

function adapterContext(crawl: Crawl, opts: CrawlOptions): AdapterContext {
  const { state, store, runId, fetcher } = crawl;
  return {
    fetchPage: (job) => fetchPage(crawl, job),
    enqueue: (job) => crawl.add(job),
    addEntries: (links, from) => addEntries(crawl, links, from),
    error: state.error,
    listFailed: (url, message) => {
      state.listFailed = true;
      state.error(url, message, 'listing');
    },
    recordBrowserFetch: async (url, status) => {
      state.pages++;
      await store.recordFetch({
        runId,
        url,
        finalUrl: url,
        method: 'GET',
        status,
        error: status !== null && status >= 400 ? `HTTP ${status} (browser)` : null,
      });
    },
    onPortal: (url) => {
      try {
        fetcher.checkUrl(url);
        return true;
      } catch {
        return false;
      }
    },
    options: { browser: opts.browser ?? 'auto', maxListDepth: opts.maxListDepth ?? 3 },
  };
}

/** List entries from any list page: reports (and report-ish cut titles) are followed, the rest dropped. */
async function addEntries(crawl: Crawl, links: Link[], from: string): Promise<number> {
  const { state, fetcher } = crawl;
  let fresh = 0;
  for (const link of links) {
    if (!crawl.listed.has(link.url)) {
      crawl.listed.add(link.url);
      fresh++;
    }
    if (state.found.has(link.url) || state.rejected.has(link.url)) continue;
    const triage = triageEntry(link.title, state.place, link.url);
    if (triage.verdict === 'reject') continue;
    state.reportish++;
    try {
      fetcher.checkUrl(link.url, isAttachmentUrl(link.url));
    } catch (err) {
      state.rejected.add(link.url);
      state.fail(link.url, err);
      continue;
    }
    if (!(await fetcher.allowedByRobots(link.url))) {
      state.rejected.add(link.url);
      state.error(link.url, 'refused: robots.txt disallows', 'robots');
      continue;
    }
    const direct = isAttachmentUrl(link.url);
    state.found.set(link.url, {
      title: link.title,
      agency: triage.agency,
      year: triage.year,
      provisional: triage.verdict === 'provisional',
      articleUrl: link.url,
      listDate: link.date ?? null,
      direct,
      attachments: direct ? [link.url] : [],
      docs: new Map(),
      siteIdCode: direct ? (state.pageSiteId.get(from) ?? null) : undefined,
    });
    await crawl.add(
      direct
        ? { url: link.url, label: 'attachment', referrer: from, data: { article: link.url } }
        : { url: link.url, label: 'article', referrer: from },
      true,
    );
  }
  return fresh;
}

/** One route per page kind; an adapter's own list jobs (`hanweb:proxy`, `trs:list`…) go to that adapter. */
function crawlRouter(crawl: Crawl): Router<RouteContext> {
  const { state, fetcher, hosts } = crawl;
  const router = Router.create<RouteContext>();

  const discover = async ({ job }: RouteContext) => {
    let page: FetchedPage;
    try {
      page = await fetchPage(crawl, job);
    } catch (err) {
      // A portal verified before whose home page now redirects to another host has moved: followed, recorded,
      // verified there, and crawled there.
      const moved =
        job.label === 'home' &&
        job.url === crawl.portal.baseUrl &&
        !state.verification &&
        err instanceof RefusedError &&
        err.reason === 'off-portal' &&
        err.url !== job.url;
      if (!moved) throw err;
      await verifyAtHome(crawl);
      page = await fetchPage(crawl, job);
    }
    // A portal registered by its column URL (…/zfxxgknb/): the page is the column itself.
    if (isColumnPage(page)) return router.route({ job: { ...job, label: 'column', data: undefined }, page });
    for (const next of discoverJobs(page, hosts, Number(job.data?.depth ?? 0))) await crawl.add(next);
  };
  router.addHandler('home', discover);
  router.addHandler('hub', discover);

  router.addHandler('column', async ({ job, page: prefetched }) => {
    const page = prefetched ?? (await fetchPage(crawl, job));
    state.columnFound = true;
    const { adapter, why } = adapterFor(state.platform, page.finalUrl, page.html);
    if (state.platform === 'unknown') state.platform = adapter.name;
    state.adapterRan ??= adapter.name;
    state.lists.push({ url: page.finalUrl, adapter: adapter.name, why });
    fetcher.opts.documentHosts = [...new Set([...fetcher.opts.documentHosts, ...(adapter.attachmentHosts ?? [])])];
    await adapter.handle(job, page, crawl.adapterContext);
  });

  for (const adapter of ADAPTERS)
    router.addHandler(`${adapter.name}:*`, async ({ job, page: prefetched }) => {
      const page = prefetched ?? (await fetchPage(crawl, job));
      await adapter.handle(job, page, crawl.adapterContext);
    });

  router.addHandler('article', async ({ job }) => {
    const report = state.found.get(job.url)!;
    const { html, meta, finalUrl, sha256 } = await fetchPage(crawl, job);
    if (report.provisional) {
      const full = articleFullTitle(meta.articleTitle);
      const verdict = full ? classifyTitle(full, state.place) : null;
      if (!verdict?.report) {
        state.found.delete(job.url);
        state.rejected.add(job.url);
        return;
      }
      Object.assign(report, { title: full, agency: verdict.agency, year: verdict.year, provisional: false });
    }
    report.articleOk = true;
    report.articleSha = sha256;
    report.siteIdCode = meta.siteIdCode;
    report.pubDate = meta.pubDate;
    const content = articleContent(html);
    report.holds = articleHoldsReport(content);
    report.attachments = extractLinks(html, finalUrl)
      .filter((link) => isAttachmentUrl(link.url))
      .map((link) => link.url);
    // The article is the report's document but prints no tables and links no file: its tables are pictures.
    const images = !report.holds && !report.attachments.length ? articleImages(content, finalUrl) : [];
    for (const [url, label] of [
      ...report.attachments.map((url) => [url, 'attachment'] as const),
      ...images.map((url) => [url, 'image'] as const),
    ]) {
      try {
        fetcher.checkUrl(url, true);
      } catch (err) {
        state.fail(url, err);
        continue;
      }
      await crawl.add({ url, label, referrer: job.url, data: { article: job.url } }, true);
    }
  });

  router.addHandler('image', async ({ job }) => {
    const report = state.found.get(String(job.data?.article))!;
    const response = await fetchResilient(crawl, { url: job.url, referrer: job.referrer ?? null, document: true });
    state.pages++;
    // A spacer GIF or an icon served under a picture's name is no table: nothing to keep for the extractor.
    if (!imageInfo(response.body)) return;
    await crawl.store.recordDocumentImages(report.articleSha!, [{ url: job.url, sha256: response.sha256 }]);
  });

  router.addHandler('attachment', async ({ job }) => {
    const report = state.found.get(String(job.data?.article))!;
    const response = await fetchResilient(crawl, { url: job.url, referrer: job.referrer ?? null, document: true });
    state.pages++;
    if (report.provisional && report.direct) {
      // A file listed under a cut title: its served name decides (it has no article page to read).
      const name = servedFileName(response.headers['content-disposition'], response.finalUrl);
      const verdict = classifyTitle(name, state.place);
      if (!verdict.report) {
        state.found.delete(job.url);
        state.rejected.add(job.url);
        return;
      }
      Object.assign(report, { title: name, agency: verdict.agency, year: verdict.year, provisional: false });
    }
    report.docs.set(job.url, { sha256: response.sha256, kind: 'attachment' });
  });

  return router;
}

/** One candidate per listed report whose documents could be fetched; reports gone only after a complete listing;
 *  the run closed in the store. */
async function finishCrawl(crawl: Crawl, fatal: string | null, listFailedHere: boolean): Promise<PortalSummary> {
  let listingFailed = listFailedHere;
  const { portal, store, runId, state, fetcher } = crawl;
  const summary: PortalSummary = {
    url: portal.baseUrl,
    platform: state.adapterRan ?? state.platform,
    pages_fetched: state.pages,
    bytes: fetcher.bytes,
    reports: [],
    errors: state.errors,
    lists: state.lists,
    runId,
    candidates: [],
    documents: [],
    gone: null,
    outcome: 'complete',
    entries: state.reportish,
    verification: state.verification,
  };
  for (const report of state.found.values()) {
    if (!report.direct && !report.articleOk) continue;
    const docs = documentsOf(report);
    if (!docs.length) {
      state.error(report.articleUrl, 'report found but none of its documents could be fetched', 'network');
      continue;
    }
    const id = await store.upsertCandidate({
      portalId: portal.id,
      runId,
      agency: report.agency,
      year: report.year,
      title: report.title,
      articleUrl: report.articleUrl,
      publishedAt: report.pubDate ?? report.listDate,
      siteIdCode: report.siteIdCode ?? null,
      documents: docs,
    });
    summary.candidates.push(id);
    summary.reports.push({
      agency: report.agency,
      year: report.year,
      title: report.title,
      url: report.articleUrl,
      documents: docs.map((doc) => doc.url),
    });
    for (const doc of docs) summary.documents.push({ ...doc, candidateId: id });
  }
  // Reports listed but not one fetched is a dead portal behind a live list (or a blocked document host), never a
  // portal whose reports are all gone.
  if (!listingFailed && !state.interrupted && !state.budgetHit && state.found.size > 0 && !summary.reports.length) {
    state.listFailed = true;
    listingFailed = true;
    state.error(portal.baseUrl, `${state.found.size} report(s) listed, none could be fetched`, 'listing');
  }
  const decision = goneDecision({
    budgetHit: state.budgetHit,
    columnFound: state.columnFound,
    fatal: !!fatal,
    listFailed: state.listFailed,
    interrupted: state.interrupted,
  });
  summary.outcome = runOutcome({
    budgetHit: state.budgetHit,
    columnFound: state.columnFound,
    fatal: !!fatal,
    listFailed: state.listFailed,
    interrupted: state.interrupted,
    listingFailed,
  });
  if (decision.markGone) summary.gone = await store.markGone(portal.id, runId);
  else if (decision.blockers.includes('list-failed'))
    state.error(portal.baseUrl, 'a list page failed: no report marked gone on this run', 'listing');
  await store.finishCrawlRun(
    runId,
    {
      pages_fetched: state.pages,
      bytes: fetcher.bytes,
      reports: summary.reports.length,
      errors: state.errors.length,
      platform: summary.platform,
      gone: summary.gone,
      entries: summary.entries,
      outcome: summary.outcome,
      // Which adapter read each list, and why it was chosen: how an operator sees a family misdetected.
      lists: summary.lists,
    },
    fatal,
    { outcome: summary.outcome, errors: state.errors },
  );
  return summary;
}

/** First sight of a portal: is its home page the county's own site? A redirect to another host is the site having
 *  moved: followed (the new host joins this crawl's hosts), recorded and verified there. */
async function verifyAtHome(crawl: Crawl): Promise<void> {
  const { portal, state, store, runId, hosts } = crawl;
  const county = {
    code: portal.regionCode,
    name: placeOf(portal.regionCode, portal.name).county,
    prefixes: portal.siteidPrefixes,
  };
  let url = portal.baseUrl;
  for (let hop = 0; hop < 3; hop++) {
    try {
      const page = await fetchPage(crawl, { url, label: 'home' });
      const check = verifyHome(county, {
        url: portal.baseUrl,
        finalUrl: page.finalUrl,
        html: page.html,
        meta: page.meta,
      });
      state.verification = check;
      await store.recordVerification(portal.id, runId, check);
      return;
    } catch (err) {
      if (!(err instanceof RefusedError && err.reason === 'off-portal')) {
        state.fail(url, err, `home page unreadable, portal not verified: ${(err as Error).message}`);
        return;
      }
      hosts.push(...siteHosts(new URL(err.url).host));
      url = err.url;
    }
  }
}
