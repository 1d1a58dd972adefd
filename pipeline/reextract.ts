// Re-extraction of archived documents without the network: bytes from the blob store, crawl context from the
// database, results loaded under the current extractor version (the store supersedes older versions and keeps them).
import type { CurrentReport, DocumentListing, LoadAction, Store } from '../db/store-types.ts';
import { diffReports, isEmpty, type ReportDiff } from './diff.ts';
import { extractDocument } from './jobs/extract-job.ts';
import { isPermanent } from '../core/errors.ts';

export interface ReextractChange extends ReportDiff {
  sha256: string;
  url: string;
  action: LoadAction | 'failed';
  report_id: number | null;
  previous_report_id: number | null;
  previous_extractor: string | null;
  error?: string;
}

export interface ReextractResult {
  documents: number;
  /** Only when stopped early: the documents there were to re-extract. */
  of?: number;
  reports_changed: number;
  changes: ReextractChange[];
}

export async function reextract(
  store: Store,
  filter: { regionCode: string; year?: number | null },
  onProgress?: (done: number, total: number) => void,
  /** Aborted: stops between documents (the one being re-extracted is finished); `documents` counts those done. */
  signal?: AbortSignal,
): Promise<ReextractResult> {
  const docs = await store.listDocuments({ regionCode: filter.regionCode, year: filter.year ?? null });
  const changes: ReextractChange[] = [];
  let changed = 0;
  let done = 0;
  for (const [index, doc] of docs.entries()) {
    if (signal?.aborted) break;
    done++;
    const change = await one(store, doc);
    // A new version that reproduces the old values and flags exactly is loaded but is not a change.
    if (change.action === 'failed' || !isEmpty(change)) {
      changed++;
      changes.push(change);
    }
    onProgress?.(index + 1, docs.length);
  }
  return { documents: done, reports_changed: changed, changes, ...(done < docs.length ? { of: docs.length } : {}) };
}

async function one(store: Store, doc: DocumentListing): Promise<ReextractChange> {
  const before: CurrentReport | null = await store.currentReport(doc.sha256);
  const base = {
    sha256: doc.sha256,
    url: doc.origin.url,
    previous_report_id: before?.id ?? null,
    previous_extractor: before?.extractor ?? null,
  };
  try {
    const report = await extractDocument(store, doc.sha256, {
      url: doc.origin.url,
      contentType: doc.origin.contentType ?? undefined,
    });
    const result = await store.upsertReport(report, doc.origin);
    // Compare what is stored (gaps filled, load-time flags) with what was stored before.
    const after = await store.currentReport(doc.sha256);
    return {
      ...base,
      action: result.action,
      report_id: result.reportId,
      ...diffReports(before?.report ?? null, after?.report ?? report),
    };
  } catch (err) {
    const message = String((err as Error)?.message ?? err).split('\n')[0];
    await store.recordDocumentError(doc.sha256, `reextract: ${message}`, isPermanent(err));
    return {
      ...base,
      action: 'failed',
      report_id: null,
      error: message,
      values: [],
      flags_added: [],
      flags_removed: [],
      metadata: [],
    };
  }
}
