// The three handlers, and what happens when a job fails for good (recorded on its document).
import { crawlJob } from './crawl-job.ts';
import { extractJob } from './extract-job.ts';
import { loadJob } from './load-job.ts';
import { type Handlers, type JobContext, type JobDataMap, type QueueName } from './job-types.ts';

export const handlers: Handlers = { crawl: crawlJob, extract: extractJob, load: loadJob };

/** Records a final failure (permanent, or transient with retries used up) on the document it concerns. */
export async function recordFailure<Q extends QueueName>(
  queue: Q,
  data: JobDataMap[Q],
  err: unknown,
  permanent: boolean,
  ctx: JobContext,
): Promise<void> {
  const sha =
    queue === 'extract'
      ? (data as JobDataMap['extract']).sha256
      : queue === 'load'
        ? (data as JobDataMap['load']).doc.sha256
        : null;
  const reason = `${queue}: ${String((err as Error)?.message ?? err).split('\n')[0]}`;
  ctx.log(`${permanent ? 'permanent' : 'final'} failure ${reason}${sha ? ` (document ${sha.slice(0, 12)})` : ''}`);
  if (!sha) return;
  try {
    await ctx.store.recordDocumentError(sha, reason, permanent);
  } catch (recordError) {
    ctx.log(`could not record the failure of ${sha}: ${(recordError as Error).message}`);
  }
}
