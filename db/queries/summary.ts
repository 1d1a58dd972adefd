// SQL behind the `nianbao demo` summary and the pipeline tests: what got loaded, by template and flag, and the
// loaded values by source URL for comparison with ground truth.
import type { Report } from '../../extractors/report.ts';
import type { Queryable } from './queryable.ts';

export interface LoadSummary {
  portals: number;
  documents: number;
  reports: number;
  byTemplate: Record<string, number>;
  flagsByCode: Record<string, number>;
  documentErrors: number;
}

export async function loadSummary(db: Queryable): Promise<LoadSummary> {
  const one = async (sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0].n);
  const byTemplate: Record<string, number> = {};
  for (const row of (
    await db.query<{ template: string; n: string }>(
      `SELECT template, count(*) AS n FROM reports WHERE status = 'current' GROUP BY 1 ORDER BY 1`,
    )
  ).rows)
    byTemplate[row.template] = Number(row.n);
  const flagsByCode: Record<string, number> = {};
  for (const row of (
    await db.query<{ code: string; n: string }>(
      `SELECT f.code, count(*) AS n FROM report_flags f JOIN reports r ON r.id = f.report_id AND r.status = 'current'
      GROUP BY 1 ORDER BY 2 DESC, 1`,
    )
  ).rows)
    flagsByCode[row.code] = Number(row.n);
  return {
    portals: await one(`SELECT count(*) AS n FROM portals`),
    documents: await one(`SELECT count(*) AS n FROM documents`),
    reports: await one(`SELECT count(*) AS n FROM reports WHERE status = 'current'`),
    byTemplate,
    flagsByCode,
    documentErrors: await one(`SELECT count(*) AS n FROM documents WHERE extraction_error IS NOT NULL`),
  };
}

export interface LoadedReport {
  id: number;
  url: string;
  sha256: string;
  fetchedAt: Date | null;
  report: Report;
}

/** Current reports keyed by every URL their document was seen at (candidate links and the load's source URL). */
export async function currentReportsByUrl(db: Queryable): Promise<Map<string, LoadedReport>> {
  const { rows } = await db.query<{ id: string; url: string; sha256: string; fetched_at: Date | null; data: Report }>(
    `SELECT r.id, u.url, r.document_sha256 AS sha256, r.fetched_at, r.data
       FROM reports r
       JOIN LATERAL (SELECT r.source_url AS url
                     UNION SELECT cd.url FROM candidate_documents cd WHERE cd.sha256 = r.document_sha256) u ON true
      WHERE r.status = 'current'`,
  );
  const out = new Map<string, LoadedReport>();
  for (const row of rows)
    out.set(row.url, {
      id: Number(row.id),
      url: row.url,
      sha256: row.sha256,
      fetchedAt: row.fetched_at,
      report: row.data,
    });
  return out;
}

/**
 * The rows a re-run must reproduce exactly: reports, cells, flags (load-time ones included: the store recomputes
 * them whatever the load order), sections, without ids and timestamps.
 */
export async function contentSnapshot(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ line: string }>(
    `SELECT concat_ws(' | ', 'report', r.document_sha256, r.extractor_version, r.status, r.region_code, r.year, r.template,
                      r.agency_name, r.title, r.source_url) AS line
       FROM reports r
     UNION ALL
     SELECT concat_ws(' | ', 'cell', r.document_sha256, r.extractor_version, c.ord, c.path, c.value, c.raw, c.at::text)
       FROM report_cells c JOIN reports r ON r.id = c.report_id
     UNION ALL
     SELECT concat_ws(' | ', 'flag', r.document_sha256, r.extractor_version, f.ord, f.code, f.severity, f.path, f.message, f.origin)
       FROM report_flags f JOIN reports r ON r.id = f.report_id
     UNION ALL
     SELECT concat_ws(' | ', 'section', r.document_sha256, r.extractor_version, s.key, md5(coalesce(s.text, '')))
       FROM report_sections s JOIN reports r ON r.id = s.report_id
     ORDER BY 1`,
  );
  return rows.map((r) => r.line);
}
