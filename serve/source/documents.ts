// An archived document for display: its bytes from the blob store, its format, and the reader's document model (the
// model says where every table, row and column is, exactly as extraction counted them). The last few are kept in
// memory: clicking through one report's cells reads the same document again and again.
import type { DocumentModel, Format } from '../../extractors/model.ts';
import { detectFormat } from '../../extractors/detect-format.ts';
import { readerFor } from '../../extractors/readers/index.ts';
import { htmlMarker, type HtmlMarker } from './html-mark.ts';

export interface SourceDocument {
  sha256: string;
  bytes: Buffer;
  format: Format;
  contentType: string | null;
}

export interface DocumentSource {
  load(sha256: string, meta: { contentType: string | null; url: string | null }): Promise<SourceDocument>;
  /** The reader's model of the document (not for PDF, which the browser renders itself). */
  model(doc: SourceDocument): Promise<DocumentModel>;
  /** An HTML document parsed and made inert once, to serve with one cell marked after another. */
  marker(doc: SourceDocument): Promise<HtmlMarker>;
}

const KEEP = 16;

export function documentSource(read: (sha256: string) => Promise<Buffer>): DocumentSource {
  const docs = new Map<string, Promise<SourceDocument>>();
  const models = new Map<string, Promise<DocumentModel>>();
  const markers = new Map<string, Promise<HtmlMarker>>();
  const remember = <T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> => {
    const hit = cache.get(key);
    if (hit) {
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    const made = make();
    cache.set(key, made);
    made.catch(() => cache.delete(key));
    while (cache.size > KEEP) cache.delete(cache.keys().next().value!);
    return made;
  };
  return {
    load: (sha256, meta) =>
      remember(docs, sha256, async () => {
        const bytes = await read(sha256);
        const format = detectFormat(bytes, { contentType: meta.contentType ?? undefined, url: meta.url ?? undefined });
        return { sha256, bytes, format, contentType: meta.contentType };
      }),
    model(doc) {
      return remember(models, doc.sha256, async () =>
        (await readerFor(doc.format))(doc.bytes, { contentType: doc.contentType ?? undefined }),
      );
    },
    marker(doc) {
      return remember(markers, doc.sha256, async () => htmlMarker(doc.bytes, doc.contentType, await this.model(doc)));
    },
  };
}
