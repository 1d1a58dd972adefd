// Extract one archived document (bytes from the store, never from the network), then enqueue its load.
import { EXTRACTOR_VERSION } from '../../extractors/version.ts';
import { InputError } from '../errors.ts';
import { trace } from './trace.ts';
import { PermanentError, type ExtractJobData, type JobContext } from './types.ts';

export async function extractJob(data: ExtractJobData, ctx: JobContext): Promise<{ template: string; flags: number }> {
  // Imported on first use, then kept: one pdf.js per long-lived process, and none in crawl-only workers.
  const { extract } = await import('../../extractors/extract.ts');
  const bytes = await ctx.store.readDocument(data.sha256);
  trace('extract', 'start', data.sha256);
  let report;
  try {
    report = await extract(bytes, { url: data.url, contentType: data.contentType ?? undefined });
  } catch (err) {
    trace('extract', 'error', data.sha256);
    // Unreadable input (corrupt, encrypted, empty) fails the same way every time: do not retry it.
    if (err instanceof InputError) throw new PermanentError((err as Error).message);
    throw err;
  }
  trace('extract', 'end', data.sha256);
  await ctx.enqueue('load', { doc: data, extractorVersion: EXTRACTOR_VERSION, report });
  return { template: report.template, flags: report.flags.length };
}
