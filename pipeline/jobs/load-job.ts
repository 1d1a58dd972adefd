// Load one extracted report: the store validates, deduplicates and supersedes older extractor versions.
import type { LoadResult } from '../../db/store-types.ts';
import { trace } from './trace.ts';
import type { JobContext, LoadJobData } from './job-types.ts';

export async function loadJob(data: LoadJobData, ctx: JobContext): Promise<LoadResult> {
  trace('load', 'start', data.doc.sha256);
  const result = await ctx.store.upsertReport(data.report, data.doc);
  trace('load', 'end', data.doc.sha256);
  return result;
}
