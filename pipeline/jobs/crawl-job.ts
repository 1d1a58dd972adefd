// Crawl one portal (or every enabled portal of one host, one after another, so no host ever sees two of our crawls
// at once), then enqueue one extract job per archived document: the chain crawl → extract. A portal whose crawl
// failed (broken listing, no column, aborted) fails the job after the other portals ran: a scheduled crawl that
// found nothing is not a success.
import { PermanentError } from '../../core/errors.ts';
import type { DocumentOrigin } from '../../core/origin.ts';
import type { PortalSummary } from '../../crawlers/crawl-portal.ts';
import type { DocumentListing, Portal, Store } from '../../db/store-types.ts';
import type { CrawlJobData, Enqueuer, JobContext } from './job-types.ts';

/** A document of the crawl summary (what `crawlPortal` archived in this run). */
interface CrawledDocument {
  sha256: string;
  url: string;
  kind: 'article' | 'attachment';
  candidateId?: number | null;
}

export async function crawlJob(
  data: CrawlJobData,
  ctx: JobContext,
): Promise<{ portals: number; documents: number; enqueued: number }> {
  // Imported on first use: a process that only extracts never loads the crawler (and the reverse).
  const { crawlPortal } = await import('../../crawlers/crawl-portal.ts');
  const portals = await portalsFor(data, ctx);
  let documents = 0;
  let enqueued = 0;
  const failed: string[] = [];
  let interrupted = false;
  for (const portal of portals) {
    if (ctx.signal?.aborted) {
      interrupted = true;
      break;
    }
    const summary = await crawlPortal(portal, ctx.store, {
      allowPrivate: data.allowPrivate ?? false,
      signal: ctx.signal,
    });
    const added = await queueArchived(summary, portal, ctx.store, ctx.enqueue);
    documents += summary.documents.length;
    enqueued += added;
    ctx.log(
      `crawl portal ${portal.id} ${portal.baseUrl}: ${summary.outcome}, ${summary.documents.length} documents, ${added} new extract jobs`,
    );
    if (summary.outcome === 'interrupted') interrupted = true;
    if (summary.outcome === 'failed')
      failed.push(`${portal.baseUrl}: ${summary.errors.find((e) => e.kind === 'listing')?.error ?? 'crawl failed'}`);
  }
  // Interrupted work is retried; a broken portal stays broken until someone looks (nianbao status lists it).
  if (interrupted) throw new Error(`crawl interrupted after ${documents} documents (${enqueued} extract jobs queued)`);
  if (failed.length)
    throw new PermanentError(`${failed.length} of ${portals.length} portal(s) failed: ${failed.join('; ')}`);
  return { portals: portals.length, documents, enqueued };
}

/** One extract job per document the crawl archived (their load jobs follow); returns how many were new. A portal
 *  whose home page showed another body's site files nothing under its county on that evidence alone. */
export async function queueArchived(
  summary: PortalSummary,
  portal: Portal,
  store: Store,
  enqueue: Enqueuer['enqueue'],
): Promise<number> {
  const mismatch = (summary.verification?.verdict ?? portal.verdict) === 'mismatch';
  const filed = mismatch ? { ...portal, regionCode: null } : portal;
  const known = new Map((await store.listDocuments({ regionCode: portal.regionCode })).map((d) => [d.sha256, d]));
  let added = 0;
  for (const crawled of summary.documents)
    if (await enqueue('extract', originOf(crawled, known.get(crawled.sha256), filed))) added++;
  return added;
}

/**
 * The one place a crawl summary document becomes a DocumentOrigin. Agency, year, publication date, SiteIDCode and the
 * archived content type come from the store, exactly as `reextract` will read them later, so a re-extraction of
 * unchanged bytes gets the same hints and reproduces the same report.
 */
export function originOf(
  crawled: CrawledDocument,
  listed: DocumentListing | undefined,
  portal: Portal,
): DocumentOrigin {
  const stored = listed?.origin;
  return {
    sha256: crawled.sha256,
    url: stored?.url ?? crawled.url,
    kind: crawled.kind,
    candidateId: stored?.candidateId ?? crawled.candidateId ?? null,
    portalId: portal.id,
    regionCode: stored?.regionCode ?? portal.regionCode,
    siteIdCode: stored?.siteIdCode ?? null,
    agency: stored?.agency ?? null,
    year: stored?.year ?? null,
    publishedAt: stored?.publishedAt ?? null,
    fetchedAt: stored?.fetchedAt ?? null,
    contentType: stored?.contentType ?? null,
  };
}

export function hostOf(url: string): string {
  return new URL(url).host.toLowerCase();
}

export async function portalsFor(data: CrawlJobData, ctx: JobContext): Promise<Portal[]> {
  if (data.portalId !== undefined) {
    const portal = (await ctx.store.listPortals()).find((x) => x.id === data.portalId);
    if (!portal) throw new Error(`portal ${data.portalId} not found`);
    return [portal];
  }
  if (data.host) {
    return (await ctx.store.listPortals({ enabledOnly: true })).filter((p) => hostOf(p.baseUrl) === data.host);
  }
  throw new Error('crawl job names neither portalId nor host');
}
