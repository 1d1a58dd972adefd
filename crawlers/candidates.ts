// What the crawl knows about one listed report while it runs, and which of its fetched files are its documents.

export interface DocRef {
  url: string;
  sha256: string;
  kind: 'article' | 'attachment';
}

export interface Found {
  title: string;
  agency: string | null;
  year: number;
  articleUrl: string;
  listDate: string | null;
  /** A list entry that links straight to a file: the file is the report. */
  direct: boolean;
  /** Listed under a cut title: confirmed (or dropped) by the article's full title. */
  provisional?: boolean;
  articleSha?: string;
  articleOk?: boolean;
  /** The article page carries the report's tables itself. */
  holds?: boolean;
  siteIdCode?: string | null;
  pubDate?: string | null;
  attachments: string[];
  docs: Map<string, { sha256: string; kind: 'article' | 'attachment' }>;
}

/** The fetched attachments, plus the article when it carries the tables itself or has no attachment at all
 *  (a text-only or image report). Empty when nothing of the report could be fetched. */
export function documentsOf(report: Found): DocRef[] {
  if (!report.direct && !report.articleOk) return [];
  const docs: DocRef[] = [];
  if (!report.direct && report.articleSha && (report.holds || report.attachments.length === 0))
    docs.push({ url: report.articleUrl, sha256: report.articleSha, kind: 'article' });
  for (const [url, doc] of report.docs) docs.push({ url, ...doc });
  return docs;
}
