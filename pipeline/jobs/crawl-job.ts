// Crawl one portal (or every enabled portal of one host, one after another, so no host ever sees two of our crawls
// at once), then enqueue one extract job per archived document: the chain crawl → extract.
import type { Portal } from '../../db/store-types.ts';
import type { CrawlJobData, JobContext } from './job-types.ts';

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
    // The load context (agency, year, publication date, SiteIDCode of the candidate) and the archived content type
    // come from the store, exactly as `reextract` will read them later, so a re-extraction of unchanged bytes gets the
    // same hints and reproduces the same report.
    const known = new Map((await ctx.store.listDocuments({ regionCode: portal.regionCode })).map((d) => [d.sha256, d]));
    let added = 0;
    for (const d of summary.documents) {
      const listed = known.get(d.sha256);
      const lc = listed?.loadContext;
      const ok = await ctx.enqueue('extract', {
        sha256: d.sha256,
        url: lc?.sourceUrl ?? d.url,
        kind: d.kind,
        candidateId: lc?.candidateId ?? d.candidateId ?? null,
        portalId: portal.id,
        regionCode: lc?.regionCode ?? portal.regionCode,
        siteIdCode: lc?.siteIdCode ?? null,
        agency: lc?.agency ?? null,
        year: lc?.year ?? null,
        publishedAt: lc?.publishedAt ?? null,
        fetchedAt: lc?.fetchedAt ? new Date(lc.fetchedAt).toISOString() : null,
        contentType: listed?.contentType ?? null,
      });
      if (ok) added++;
    }
    documents += summary.documents.length;
    enqueued += added;
    ctx.log(
      `crawl portal ${portal.id} ${portal.baseUrl}: ${summary.documents.length} documents, ${added} new extract jobs`,
    );
  }
  return { portals: portals.length, documents, enqueued };
}

export function hostOf(url: string): string {
  return new URL(url).host.toLowerCase();
}

export async function portalsFor(data: CrawlJobData, ctx: JobContext): Promise<Portal[]> {
  if (data.portalId !== undefined) {
    const p = (await ctx.store.listPortals()).find((x) => x.id === data.portalId);
    if (!p) throw new Error(`portal ${data.portalId} not found`);
    return [p];
  }
  if (data.host) {
    return (await ctx.store.listPortals({ enabledOnly: true })).filter((p) => hostOf(p.baseUrl) === data.host);
  }
  throw new Error('crawl job names neither portalId nor host');
}
