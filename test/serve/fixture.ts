// A store with three real reports for the serve tests and the API benchmark: a GBK HTML page (merged cells), a PDF
// and a DOCX from the test corpus, each fetched (a fetches row), archived, extracted and loaded as a crawl would.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sha256 } from '../../db/blobs.ts';
import type { OpenedStore } from '../../db/store.ts';
import { extract } from '../../extractors/extract.ts';

const corpus = (path: string) => fileURLToPath(new URL(`../corpus/${path}`, import.meta.url));

export const SOURCES = {
  html: {
    file: corpus('seeds/000_8d6632e4e8c36cd9_gbk.html'),
    url: 'http://www.suibin.gov.cn/art/2022/1/20/art_1_1.html',
    contentType: 'text/html; charset=gbk',
  },
  pdf: {
    file: corpus('office/random-000.pdf'),
    url: 'http://www.mile.gov.cn/uploadfiles/2025/01/report.pdf',
    contentType: 'application/pdf',
  },
  docx: {
    file: corpus('seeds/001_ed2c0e5ea058809d_docx.docx'),
    url: 'http://www.xiangshan.gov.cn/files/report.docx',
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  },
} as const;
export type SourceFormat = keyof typeof SOURCES;

/** Loads the three sources; returns each report's key (first 16 hex of the document's SHA-256). */
export async function loadSources(store: OpenedStore): Promise<Record<SourceFormat, string>> {
  const keys = {} as Record<SourceFormat, string>;
  for (const [format, source] of Object.entries(SOURCES) as Array<[SourceFormat, (typeof SOURCES)[SourceFormat]]>) {
    const bytes = await readFile(source.file);
    const hash = sha256(bytes);
    const fetchedAt = new Date('2025-02-03T04:05:06Z');
    const fetchId = await store.recordFetch({
      url: source.url,
      status: 200,
      headers: { 'content-type': source.contentType },
      sha256: hash,
      size: bytes.length,
      fetchedAt,
    });
    await store.archiveDocument(bytes, { url: source.url, contentType: source.contentType, fetchId });
    const report = await extract(bytes, { url: source.url, contentType: source.contentType });
    await store.upsertReport(report, { sha256: hash, url: source.url, fetchedAt: fetchedAt.toISOString() });
    keys[format] = hash.slice(0, 16);
  }
  return keys;
}
