// Where a document came from, in one shape from the crawl to the loader: the extract job's payload, the load job's
// `doc`, what `listDocuments` returns for re-extraction and what `upsertReport` fills gaps from. It travels as JSON
// through Redis, so times are ISO strings. Field names are the payload's: renaming one breaks jobs already queued.
export interface DocumentOrigin {
  sha256: string;
  /** Where these bytes were found: the candidate's document URL, else the URL they were first archived from. */
  url: string;
  kind?: 'article' | 'attachment' | null;
  candidateId?: number | null;
  portalId?: number | null;
  /** Region of the portal the document was found on (fills region_code when the document alone cannot name it). */
  regionCode?: string | null;
  siteIdCode?: string | null;
  agency?: string | null;
  year?: number | null;
  publishedAt?: string | null;
  /** ISO time of the fetch that archived these bytes. */
  fetchedAt?: string | null;
  contentType?: string | null;
}
