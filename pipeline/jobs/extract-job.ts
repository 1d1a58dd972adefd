// Extract one archived document (bytes from the store, never from the network), then enqueue its load.
import { EXTRACTOR_VERSION } from '../../extractors/version.ts';
import { trace } from './trace.ts';
import { InputError, PermanentError } from '../../core/errors.ts';
import type { ExtractJobData, JobContext } from './job-types.ts';
import type { Store } from '../../db/store-types.ts';
import type { ReadHints } from '../../extractors/model.ts';
import type { Report } from '../../extractors/report.ts';

export async function extractJob(data: ExtractJobData, ctx: JobContext): Promise<{ template: string; flags: number }> {
  const report = await extractDocument(ctx.store, data.sha256, {
    url: data.url,
    contentType: data.contentType ?? undefined,
  });
  await ctx.enqueue('load', { doc: data, extractorVersion: EXTRACTOR_VERSION, report });
  return { template: report.template, flags: report.flags.length };
}

/** Archived bytes → report. Unreadable input (corrupt, encrypted, empty) always fails the same way: PermanentError. */
export async function extractDocument(store: Store, sha256: string, hints: ReadHints): Promise<Report> {
  // Imported on first use, then kept: one pdf.js per long-lived process, and none in crawl-only workers.
  const { extract } = await import('../../extractors/extract.ts');
  const bytes = await store.readDocument(sha256);
  // The pictures the page showed, archived by the crawl: its tables when they were pasted as images.
  const images = new Map<string, Uint8Array>();
  for (const image of await store.documentImages(sha256)) images.set(image.url, await store.readDocument(image.sha256));
  trace('extract', 'start', sha256);
  try {
    const report = await extract(bytes, images.size ? { ...hints, images } : hints);
    trace('extract', 'end', sha256);
    return report;
  } catch (err) {
    trace('extract', 'error', sha256);
    if (err instanceof InputError) throw new PermanentError(err.message);
    throw err;
  }
}
