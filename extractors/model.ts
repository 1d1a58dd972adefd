// The one document model. Every reader (text, HTML, DOCX, DOC, PDF) produces it; the template mapper consumes it.
// Readers keep source positions on everything so each number can be traced back to the spot it was read from.
import type { Flag, SourceAt } from './report.ts';

export type Format = 'text' | 'html' | 'docx' | 'doc' | 'pdf';

export interface TextBlock {
  kind: 'paragraph';
  text: string;
  /** true when the source marks it as a heading (<h1>-<h6>, Word heading style, bold centred line); a hint only. */
  heading?: boolean;
  at: SourceAt;
}

export interface TableCell {
  text: string;
  at: SourceAt;
  /** false for the copies that rowspan/colspan expansion puts in the grid; true on the cell as printed. */
  origin: boolean;
  rowspan: number;
  colspan: number;
}

/** A table as a rectangular grid: merged cells are expanded so that grid[r][c] is the cell covering (r, c). */
export interface TableBlock {
  kind: 'table';
  /** 0-based index of the table in the document (the `table` of a cell's `at`). */
  index: number;
  rows: TableCell[][];
  at: SourceAt;
}

export type Block = TextBlock | TableBlock;

export interface DocumentMeta {
  /** <title>, ArticleTitle meta, document properties, or the first heading. */
  title?: string | null;
  /** YYYY-MM-DD: PubDate meta, file metadata. */
  publishedAt?: string | null;
  /** The SiteIDCode meta of a portal page (first 6 digits = division code). */
  siteIdCode?: string | null;
  siteName?: string | null;
  pages?: number;
}

export interface DocumentModel {
  format: Format;
  blocks: Block[];
  meta: DocumentMeta;
  /** Problems the reader itself saw (NO_TEXT_LAYER, NOT_A_REPORT for a list page …); the mapper adds the rest. */
  flags: Flag[];
  /**
   * Scanned PDFs only (a function: never across a thread): table cells read again by OCR, digits only, from their
   * boxes on the page as displayed; null where nothing was read. extract.ts asks it about the cells a row/column
   * check contradicts.
   */
  reread?: (
    cells: ReadonlyArray<{ page: number; bbox: [number, number, number, number] }>,
  ) => Promise<(string | null)[]>;
}

export interface ReadHints {
  filename?: string;
  contentType?: string;
  url?: string;
  /**
   * Pictures an HTML page shows by URL (`<img src>`), fetched and archived with it: absolute URL → bytes. County
   * articles paste their tables as uploaded images; without them such a page has no tables to read.
   */
  images?: ReadonlyMap<string, Uint8Array>;
}

export type Reader = (bytes: Uint8Array, hints?: ReadHints) => Promise<DocumentModel>;
