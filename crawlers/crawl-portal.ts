// crawlPortal: discover a portal's annual-report column, walk it with the CMS adapter, classify entries, fetch
// report articles and attachments, and record everything in the store. Crawlee's BasicCrawler schedules the jobs
// (concurrency, rate, budget); all HTTP goes through the safe Fetcher.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BasicCrawler, Configuration, log } from '@crawlee/http';
import type { Portal, Store } from '../db/store-types.ts';
import { documentsOf, type Found } from './candidates.ts';
import { classifyTitle, placeOf, type PortalPlace } from './classify.ts';
import { decodeHtml } from '../extractors/readers/encoding.ts';
import { discoverJobs, isColumnPage } from './discover.ts';
import { Fetcher, FetchError, type FetchRequest, type FetchResult } from './fetcher.ts';
import { articleHoldsReport, extractLinks, isAttachmentUrl, pageMeta, type Link, type PageMeta } from './links.ts';
import { RefusedError } from './net.ts';
import type { AdapterContext, FetchedPage, Job } from './platforms/base.ts';
import { adapterFor } from './platforms/index.ts';

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
  onProgress?(p: { portal: string; pages: number; bytes: number; url: string; status: number | null }): void;
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
  platform: string;
  pages_fetched: number;
  bytes: number;
  reports: ReportSummary[];
  errors: Array<{ url: string; error: string }>;
  runId: number;
  candidates: number[];
  documents: Array<{ url: string; sha256: string; kind: 'article' | 'attachment'; candidateId: number }>;
  /** Candidates marked gone in this run (null when the crawl was incomplete and nothing was marked). */
  gone: number | null;
}

const TRUNCATED = /(\.{3}|…+|‥)\s*$/;

export async function crawlPortal(portal: Portal, store: Store, opts: CrawlOptions = {}): Promise<PortalSummary> {
  process.env.CRAWLEE_STORAGE_DIR ??= join(tmpdir(), 'nianbao-crawlee');
  if (!process.env.NIANBAO_DEBUG) log.setLevel(log.LEVELS.OFF);
  const base = new URL(portal.baseUrl);
  const runId = await store.startCrawlRun(portal.id, portal.baseUrl);
  const errors: PortalSummary['errors'] = [];
  const error = (url: string, message: string) => errors.push({ url, error: message });
  let pages = 0;
  // The portal's host, and its www./bare twin: portals commonly redirect one to the other.
  const hosts = [base.host, base.host.startsWith('www.') ? base.host.slice(4) : `www.${base.host}`];
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
      opts.onProgress?.({ portal: portal.baseUrl, pages, bytes: fetcher.bytes, url, status }),
  });
  let place: PortalPlace = placeOf(portal.regionCode, portal.name);
  // A portal added by URL alone: its pages' SiteIDCode (first 6 digits = 行政区划代码) names the county, which
  // the classifier needs to tell this county's reports from reposted neighbours'.
  // SiteIDCode of each list page: a report linked straight to its file has no article page to carry one.
  const pageSiteId = new Map<string, string | null>();
  const learnPlace = (meta: PageMeta, url: string) => {
    const siteId = meta.siteIdCode;
    pageSiteId.set(url, siteId);
    if (place.county) return;
    const code = siteId?.slice(0, 6);
    if (code && /^\d{6}$/.test(code)) place = placeOf(code, null);
  };
  const found = new Map<string, Found>();
  const rejected = new Set<string>();
  let platform = portal.platform && portal.platform !== 'auto' ? portal.platform : 'unknown';
  let columnFound = false;
  let listFailed = false;
  let handled = 0;
  const enqueued = new Set<string>();
  const maxRequests = opts.maxRequests ?? 1000;
  const key = (j: Job) => `${j.method ?? 'GET'} ${j.url} ${j.form ? new URLSearchParams(j.form).toString() : ''}`;

  /** A transient failure (5xx, network) of a page we archived before falls back to that copy, so one bad night
   *  neither hides a report nor marks it gone. 4xx and refusals stay failures. */
  const fetchResilient = async (req: FetchRequest): Promise<FetchResult> => {
    try {
      return await fetcher.fetch(req);
    } catch (e) {
      const transient =
        e instanceof FetchError && (e.status === null || e.status >= 500) && !/too large|redirect/.test(e.message);
      if (!transient || (req.method ?? 'GET') !== 'GET') throw e;
      const prev = await store.previousFetch(req.url);
      const body = prev?.sha256 ? await store.readDocument(prev.sha256).catch(() => null) : null;
      if (!prev?.sha256 || !body) throw e;
      error(req.url, `${(e as Error).message}; used the copy archived on ${prev.fetchedAt.toISOString().slice(0, 10)}`);
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
  };

  const fetchPage = async (job: Job): Promise<FetchedPage> => {
    const r = await fetchResilient({
      url: job.url,
      method: job.method,
      form: job.form,
      referrer: job.referrer ?? null,
    });
    pages++;
    const html = decodeHtml(r.body, r.headers['content-type']);
    const meta = pageMeta(html);
    learnPlace(meta, job.url);
    return {
      url: job.url,
      finalUrl: r.finalUrl,
      html,
      contentType: r.headers['content-type'] ?? null,
      meta,
      sha256: r.sha256,
    };
  };

  const ctx: AdapterContext = {
    fetchPage,
    enqueue: (job) => add(job),
    addEntries,
    error,
    recordBrowserFetch: async (url, status) => {
      pages++;
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

  async function add(job: Job, forefront = false): Promise<void> {
    const k = key(job);
    if (enqueued.has(k)) return;
    enqueued.add(k);
    await crawler.addRequests([{ url: job.url, uniqueKey: k, label: job.label, userData: { job } }], { forefront });
  }

  async function addEntries(links: Link[], from: string): Promise<void> {
    for (const l of links) {
      if (found.has(l.url) || rejected.has(l.url)) continue;
      // A list text cut with "..." decides nothing: a report-ish one is fetched and judged by its full title.
      const truncated = TRUNCATED.test(l.title);
      const v = classifyTitle(l.title.replace(TRUNCATED, ''), place, { truncated });
      if (!v.report && !(truncated && /信息公开|年报|年度报/.test(l.title) && !isAttachmentUrl(l.url))) continue;
      try {
        fetcher.checkUrl(l.url);
      } catch (e) {
        rejected.add(l.url);
        error(l.url, (e as Error).message);
        continue;
      }
      if (!(await fetcher.allowedByRobots(l.url))) {
        rejected.add(l.url);
        error(l.url, 'refused: robots.txt disallows');
        continue;
      }
      const direct = isAttachmentUrl(l.url);
      found.set(l.url, {
        title: l.title,
        agency: v.report ? v.agency : null,
        year: v.report ? v.year : 0,
        provisional: truncated && !direct,
        articleUrl: l.url,
        listDate: l.date ?? null,
        direct,
        attachments: direct ? [l.url] : [],
        docs: new Map(),
        siteIdCode: direct ? (pageSiteId.get(from) ?? null) : undefined,
      });
      await add(
        direct
          ? { url: l.url, label: 'attachment', referrer: from, data: { article: l.url } }
          : { url: l.url, label: 'article', referrer: from },
        true,
      );
    }
  }

  async function handle(job: Job, prefetched?: FetchedPage): Promise<void> {
    switch (job.label) {
      case 'home':
      case 'hub': {
        const page = await fetchPage(job);
        // A portal registered by its column URL (…/zfxxgknb/): the page is the column itself.
        if (isColumnPage(page)) return handle({ ...job, label: 'column', data: undefined }, page);
        for (const j of discoverJobs(page, hosts, Number(job.data?.depth ?? 0))) await add(j);
        return;
      }
      case 'article': {
        const f = found.get(job.url)!;
        const { html, meta, finalUrl, sha256 } = await fetchPage(job);
        if (f.provisional) {
          const full = (meta.articleTitle ?? '').replace(/[_|｜-][^_|｜-]*(网|政府|门户|平台)$/, '').trim();
          const v = full ? classifyTitle(full, place) : null;
          if (!v?.report) {
            found.delete(job.url);
            rejected.add(job.url);
            return;
          }
          Object.assign(f, { title: full, agency: v.agency, year: v.year, provisional: false });
        }
        f.articleOk = true;
        f.articleSha = sha256;
        f.siteIdCode = meta.siteIdCode;
        f.pubDate = meta.pubDate;
        f.holds = articleHoldsReport(html);
        f.attachments = extractLinks(html, finalUrl)
          .filter((l) => isAttachmentUrl(l.url))
          .map((l) => l.url);
        for (const a of f.attachments) {
          try {
            fetcher.checkUrl(a);
          } catch (e) {
            error(a, (e as Error).message);
            continue;
          }
          await add({ url: a, label: 'attachment', referrer: job.url, data: { article: job.url } }, true);
        }
        return;
      }
      case 'attachment': {
        const f = found.get(String(job.data?.article))!;
        const r = await fetchResilient({ url: job.url, referrer: job.referrer ?? null });
        pages++;
        f.docs.set(job.url, { sha256: r.sha256, kind: 'attachment' });
        return;
      }
      default: {
        const page = prefetched ?? (await fetchPage(job));
        if (job.label === 'column') columnFound = true;
        const adapter = adapterFor(
          job.label === 'column' ? platform : job.label.split(':')[0],
          page.finalUrl,
          page.html,
        );
        if (job.label === 'column' && platform === 'unknown') platform = adapter.name;
        await adapter.handle(job, page, ctx);
      }
    }
  }

  // A robots.txt Crawl-delay slows us further than our own rate, never the reverse.
  const delay = (await fetcher.robotsFor(portal.baseUrl).catch(() => null))?.crawlDelay ?? null;
  const perMinute = Math.max(
    1,
    Math.min(opts.rate?.perMinute ?? defaultRate, delay ? Math.floor(60 / delay) : Infinity),
  );
  fetcher.opts.minIntervalMs = 60_000 / perMinute;
  const crawler = new BasicCrawler(
    {
      maxConcurrency: opts.rate?.concurrency ?? 2,
      maxRequestsPerMinute: perMinute,
      maxRequestsPerCrawl: maxRequests,
      maxRequestRetries: 0, // the fetcher retries with backoff; a failed job is final
      requestHandlerTimeoutSecs: 600,
      useSessionPool: false,
      async requestHandler({ request }) {
        handled++;
        const job = request.userData.job as Job;
        try {
          await handle(job);
        } catch (e) {
          const err = e as Error;
          // A probed page past the end (TRS 0/1-based page numbering) is expected to be missing.
          if (job.data?.probe && err instanceof FetchError && err.status === 404) return;
          // A list page that failed leaves the listing incomplete: nothing may be declared gone on this run.
          if (!['article', 'attachment'].includes(job.label)) listFailed = true;
          error(
            job.url,
            err instanceof RefusedError || err instanceof FetchError ? err.message : `${err.name}: ${err.message}`,
          );
        }
      },
    },
    new Configuration({
      persistStorage: false,
      memoryMbytes: Number(process.env.CRAWLEE_MEMORY_MBYTES) || 1024,
      storageClientOptions: { persistStorage: false },
    }),
  );

  const entry = portal.entryUrls?.length
    ? portal.entryUrls.map((u) => ({ url: u, label: 'column' }))
    : [{ url: portal.baseUrl, label: 'home' }];
  for (const j of entry) await add(j);
  let fatal: string | null = null;
  try {
    await crawler.run();
  } catch (e) {
    fatal = (e as Error).message;
    error(portal.baseUrl, `crawl aborted: ${fatal}`);
  } finally {
    await crawler.teardown().catch(() => {});
  }
  const budgetHit = enqueued.size > handled;
  if (budgetHit)
    error(
      portal.baseUrl,
      `crawl budget of ${maxRequests} requests exhausted; ${enqueued.size - handled} queued jobs left`,
    );
  if (!columnFound) error(portal.baseUrl, 'no annual-report column found (home page / 信息公开 navigation)');

  // One candidate per listed report whose documents could be fetched.
  const summary: PortalSummary = {
    url: portal.baseUrl,
    platform,
    pages_fetched: pages,
    bytes: fetcher.bytes,
    reports: [],
    errors,
    runId,
    candidates: [],
    documents: [],
    gone: null,
  };
  for (const f of found.values()) {
    if (!f.direct && !f.articleOk) continue;
    const docs = documentsOf(f);
    if (!docs.length) {
      error(f.articleUrl, 'report found but none of its documents could be fetched');
      continue;
    }
    const id = await store.upsertCandidate({
      portalId: portal.id,
      runId,
      agency: f.agency,
      year: f.year,
      title: f.title,
      articleUrl: f.articleUrl,
      publishedAt: f.pubDate ?? f.listDate,
      siteIdCode: f.siteIdCode ?? null,
      documents: docs,
    });
    summary.candidates.push(id);
    summary.reports.push({
      agency: f.agency,
      year: f.year,
      title: f.title,
      url: f.articleUrl,
      documents: docs.map((d) => d.url),
    });
    for (const d of docs) summary.documents.push({ ...d, candidateId: id });
  }
  // Only a complete crawl may declare reports gone: a budget stop, a failed list page or a missing column proves
  // nothing.
  if (!budgetHit && columnFound && !fatal && !listFailed) summary.gone = await store.markGone(portal.id, runId);
  else if (listFailed) error(portal.baseUrl, 'a list page failed: no report marked gone on this run');
  await store.finishCrawlRun(
    runId,
    {
      pages_fetched: pages,
      bytes: fetcher.bytes,
      reports: summary.reports.length,
      errors: errors.length,
      platform,
      gone: summary.gone,
    },
    fatal,
  );
  return summary;
}
