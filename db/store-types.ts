// The store API that crawlers, extractors' loader and the pipeline call. db/store.ts implements it on Postgres;
// it is the only code that writes SQL. Kept as an interface so each caller names exactly what it needs.
import type { DocumentOrigin } from '../core/origin.ts';
import type { Report } from '../extractors/report.ts';

export interface FetchInput {
  runId?: number | null;
  url: string;
  finalUrl?: string | null;
  method?: string;
  status?: number | null;
  /** Only the headers that matter: content-type, content-length, etag, last-modified, content-disposition, location. */
  headers?: Record<string, string>;
  sha256?: string | null;
  size?: number | null;
  fetchedAt?: Date;
  referrer?: string | null;
  error?: string | null;
  /** true when the server answered 304 Not Modified to a conditional request. */
  notModified?: boolean;
}

export interface PreviousFetch {
  url: string;
  etag: string | null;
  lastModified: string | null;
  sha256: string | null;
  fetchedAt: Date;
}

export interface ArchivedDocument {
  sha256: string;
  size: number;
  /** Path of the blob, relative to the blob store root. */
  path: string;
  /** false when these bytes were already archived (dedup by hash). */
  isNew: boolean;
}

/** A report found on a portal: one publishing body, one year, an article page and/or attachments. */
export interface Candidate {
  portalId: number;
  runId: number;
  agency: string | null;
  year: number | null;
  title: string;
  articleUrl: string;
  publishedAt?: string | null;
  siteIdCode?: string | null;
  /** The documents that hold the report: the article page itself when it has the tables, and/or attachments. */
  documents: Array<{ url: string; sha256: string; kind: 'article' | 'attachment' }>;
}

export type LoadAction = 'inserted' | 'unchanged' | 'superseded';

export interface LoadResult {
  reportId: number;
  action: LoadAction;
  /** The report rows this load superseded (older extractor versions of the same document). */
  superseded: number[];
}

export interface Portal {
  id: number;
  regionCode: string | null;
  name: string | null;
  baseUrl: string;
  /** CMS family: hanweb, trs, anhui, generic … or 'auto' to detect. */
  platform: string;
  entryUrls: string[];
  enabled: boolean;
  /** Division codes a genuine portal's SiteIDCode may start with (national registry); empty when unknown. */
  siteidPrefixes?: string[];
  /** The latest verification verdict; null before the first crawl read the home page. */
  verdict?: Verdict | null;
}

export type Verdict = 'verified' | 'mismatch' | 'unknown';

/** What the home page said about whose site it is, and the verdict drawn from it. */
export interface Verification {
  url: string;
  finalUrl: string | null;
  verdict: Verdict;
  siteIdCode: string | null;
  siteName: string | null;
  reason: string;
}

/** Kinds of crawl error, from the error types of core/errors.ts (never from message text). */
export type CrawlErrorKind =
  | 'network'
  | 'http-status'
  | 'robots'
  | 'off-portal'
  | 'private-address'
  | 'budget'
  | 'parse'
  | 'listing'
  | 'interrupted'
  | 'other';

export type CrawlOutcome = 'complete' | 'partial' | 'failed' | 'interrupted';

export interface CrawlRunHealth {
  outcome: CrawlOutcome;
  errors: Array<{ url: string; error: string; kind: CrawlErrorKind; status?: number | null }>;
}

export interface Store extends StoreReads {
  // portals (crawlers/portals.yaml is the human-edited source; syncPortals loads it)
  listPortals(filter?: { regionCode?: string; enabledOnly?: boolean }): Promise<Portal[]>;
  /** Finds the portal by base URL or adds it (crawl --portal URL, the simulator's portals). */
  ensurePortal(p: {
    baseUrl: string;
    regionCode?: string | null;
    name?: string | null;
    platform?: string;
    entryUrls?: string[];
  }): Promise<Portal>;

  // crawl side
  startCrawlRun(portalId: number | null, portalUrl: string): Promise<number>;
  /** Closes the run with its counts; `health` stores its outcome and every error by kind. */
  finishCrawlRun(
    runId: number,
    stats: Record<string, unknown>,
    error?: string | null,
    health?: CrawlRunHealth,
  ): Promise<void>;
  /** Entries listed by the portal's last complete run (the yardstick of a listing that shrank), or null. */
  lastCompleteListing(portalId: number): Promise<number | null>;
  /** Stores a verification and makes its verdict the portal's; a move to another host is recorded as moved_to. */
  recordVerification(portalId: number, runId: number | null, verification: Verification): Promise<void>;
  recordFetch(f: FetchInput): Promise<number>;
  previousFetch(url: string): Promise<PreviousFetch | null>;
  archiveDocument(
    bytes: Uint8Array,
    meta: { url: string; contentType?: string | null; fetchId?: number | null },
  ): Promise<ArchivedDocument>;
  readDocument(sha256: string): Promise<Buffer>;
  /** The pictures an archived HTML page shows by URL (db/migrations/014): recorded as the crawl fetches them. */
  recordDocumentImages(sha256: string, images: Array<{ url: string; sha256: string }>): Promise<void>;
  /** The pictures recorded for a document, in the order they were recorded; [] for none. */
  documentImages(sha256: string): Promise<Array<{ url: string; sha256: string }>>;
  /**
   * The last blob-store failure of archiveDocument at or after `since` (epoch ms), or null. A crawl records a failed
   * archive as one page error among others; the job runners ask this after a crawl (since its start), so that bytes
   * that could not be kept (disk full, read-only) fail the crawl job instead of vanishing.
   */
  storageFault?(since: number): Error | null;
  upsertCandidate(c: Candidate): Promise<number>;
  /** Marks the portal's candidates not seen in this run as gone (gone_at = now); never deletes. Returns how many. */
  markGone(portalId: number, runId: number): Promise<number>;

  // load side
  /**
   * Validates against the schema first; throws SchemaError naming the field and writes nothing if invalid. The
   * origin fills the report's region/agency/year/publication gaps and records where the numbers came from.
   */
  upsertReport(report: Report, origin: DocumentOrigin): Promise<LoadResult>;
  recordDocumentError(sha256: string, reason: string, permanent: boolean): Promise<void>;

  close(): Promise<void>;
}

// ---- Added with db/store.ts: read-side helpers the loader and pipeline need (pure SQL on the store's tables).

export interface DocumentInfo {
  sha256: string;
  size: number;
  /** Path of the blob, relative to the blob store root. */
  path: string;
  contentType: string | null;
  /** URL the bytes were first archived from, and that fetch (when recorded). */
  firstUrl: string;
  firstFetchId: number | null;
  firstFetchedAt: Date | null;
  firstSeen: Date;
  extractionError: string | null;
  errorPermanent: boolean;
}

/** An archived document with the crawl context it was found in (for re-extraction without network). */
export interface DocumentListing extends DocumentInfo {
  candidateId: number | null;
  portalId: number | null;
  kind: 'article' | 'attachment' | null;
  title: string | null;
  /** The current report loaded from this document, if any. */
  reportId: number | null;
  reportExtractor: string | null;
  /** Ready to pass to upsertReport with a re-extracted report (the crawl job enqueues the same). */
  origin: DocumentOrigin;
}

export interface CurrentReport {
  /** Internal row id: a re-extraction gets a new one. */
  id: number;
  /** The stable public key (first 16 hex digits of the document's SHA-256), shared by every extractor version. */
  reportKey: string;
  extractor: string;
  extractorVersion: string;
  agencyId: number | null;
  regionCode: string | null;
  year: number | null;
  loadedAt: Date;
  /** The report as loaded (gaps filled from the load context, load-time flags included). */
  report: Report;
}

export interface PortalSync {
  /** Entries in the file. */
  portals: number;
  inserted: number;
  updated: number;
  /** Registry counties whose row an entry overrides (URL, entries, platform, enabled). */
  overrides: number;
  /** Registry rows whose override left the file: back to the registry's URL. */
  restored: number;
  /** Portals that came from the file earlier and are no longer in it: disabled, not deleted. */
  disabled: number;
}

export interface StoreReads {
  getDocument(sha256: string): Promise<DocumentInfo | null>;
  listDocuments(filter?: { regionCode?: string | null; year?: number | null }): Promise<DocumentListing[]>;
  currentReport(documentSha256: string): Promise<CurrentReport | null>;
  /** Loads crawlers/portals.yaml (or the given file) into `portals`, keyed by base URL. */
  syncPortals(file?: string | URL): Promise<PortalSync>;
}
