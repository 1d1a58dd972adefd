// Load one extracted report: the store validates, deduplicates and supersedes older extractor versions.
import type { LoadContext, LoadResult } from '../../db/store-types.ts';
import { trace } from './trace.ts';
import type { DocumentJobData, JobContext, LoadJobData } from './job-types.ts';

export async function loadJob(data: LoadJobData, ctx: JobContext): Promise<LoadResult> {
  trace('load', 'start', data.doc.sha256);
  const r = await ctx.store.upsertReport(data.report, loadContext(data.doc));
  trace('load', 'end', data.doc.sha256);
  return r;
}

export function loadContext(doc: DocumentJobData): LoadContext {
  return {
    documentSha256: doc.sha256,
    sourceUrl: doc.url,
    fetchedAt: doc.fetchedAt ? new Date(doc.fetchedAt) : null,
    regionCode: doc.regionCode ?? null,
    siteIdCode: doc.siteIdCode ?? null,
    agency: doc.agency ?? null,
    year: doc.year ?? null,
    publishedAt: doc.publishedAt ?? null,
    candidateId: doc.candidateId ?? null,
  };
}
