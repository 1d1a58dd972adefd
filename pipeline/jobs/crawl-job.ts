// Crawl one portal (or every enabled portal of one host, one after another, so no host ever sees two of our crawls
// at once), then enqueue one extract job per archived document: the chain crawl → extract.
import type { DocumentOrigin } from '../../core/origin.ts';
import type { DocumentListing, Portal } from '../../db/store-types.ts';
import type { CrawlJobData, JobContext } from './job-types.ts';

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
  for (const portal of portals) {
    const summary = await crawlPortal(portal, ctx.store, { allowPrivate: data.allowPrivate ?? false });
    const known = new Map((await ctx.store.listDocuments({ regionCode: portal.regionCode })).map((d) => [d.sha256, d]));
    let added = 0;
    for (const crawled of summary.documents) {
      if (await ctx.enqueue('extract', originOf(crawled, known.get(crawled.sha256), portal))) added++;
    }
    documents += summary.documents.length;
    enqueued += added;
    ctx.log(
      `crawl portal ${portal.id} ${portal.baseUrl}: ${summary.documents.length} documents, ${added} new extract jobs`,
    );
  }
  return { portals: portals.length, documents, enqueued };
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
