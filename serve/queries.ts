// The read-only SQL behind the web interface and the JSON API, over the researcher views (db/README.md) and the
// archive tables. Every value reaches Postgres as a parameter.
import type pg from 'pg';
import type { Paging } from './params.ts';

export interface ReportFilter {
  region: string | null;
  year: number | null;
  agency: string | null;
  template: string | null;
}

/** Fields of a report listing, current reports only (v_reports + flag counts of report_quality). */
const REPORT_FIELDS = `r.report_key AS key, r.agency, r.agency_kind, r.region_code, r.province, r.prefecture, r.county,
  r.year, r.template, r.title, r.published_at, r.document_sha256, r.source_url, r.fetched_at, r.extractor,
  q.errors::int, q.warnings::int, q.infos::int, q.cells::int`;

const REPORT_WHERE = `($1::text IS NULL OR r.region_code LIKE $1 || '%') AND ($2::int IS NULL OR r.year = $2)
  AND ($3::text IS NULL OR strpos(r.agency, $3) > 0) AND ($4::text IS NULL OR r.template = $4)`;

export async function listReports(pool: pg.Pool, filter: ReportFilter, page: Paging) {
  const args = [filter.region, filter.year, filter.agency, filter.template];
  const [{ rows }, counted] = await Promise.all([
    pool.query(
      `SELECT ${REPORT_FIELDS} FROM v_reports r JOIN report_quality q ON q.report_id = r.report_id
       WHERE ${REPORT_WHERE}
       ORDER BY r.region_code NULLS LAST, r.year NULLS LAST, r.agency, r.report_key LIMIT $5 OFFSET $6`,
      [...args, page.limit, page.offset],
    ),
    pool.query(`SELECT count(*)::int AS total FROM v_reports r WHERE ${REPORT_WHERE}`, args),
  ]);
  return { total: counted.rows[0].total as number, items: rows };
}

/** Every version (extractor run) of the document under a key, the current one first. */
export async function reportVersions(pool: pg.Pool, key: string) {
  const { rows } = await pool.query(
    `SELECT r.id::int AS report_id, r.status, r.extractor, r.extractor_version, r.loaded_at, r.superseded_by::int,
       r.template, r.agency_name AS agency, r.region_code, r.year, q.errors::int, q.warnings::int, q.infos::int,
       q.cells::int
     FROM reports r JOIN report_quality q ON q.report_id = r.id
     WHERE r.report_key = $1 ORDER BY (r.status = 'current') DESC, r.loaded_at DESC, r.id DESC`,
    [key],
  );
  return rows as Array<{ report_id: number; status: string; extractor_version: string } & Record<string, unknown>>;
}

/** One version of a report with its region and agency (as v_reports has them, but for superseded rows too). */
export async function reportDetail(pool: pg.Pool, reportId: number) {
  const { rows } = await pool.query(
    `SELECT r.report_key AS key, r.id::int AS report_id, r.status, r.agency_name AS agency, a.kind AS agency_kind,
       a.norm_name AS agency_identity, r.region_code, g.province, g.prefecture, g.name AS county, r.year, r.template,
       r.title, r.published_at, r.document_sha256, r.source_url, r.fetched_at, r.loaded_at, r.extractor,
       r.extractor_version, d.path AS blob_path, d.content_type, d.size::int AS document_size, d.first_url, r.data
     FROM reports r
     JOIN documents d ON d.sha256 = r.document_sha256
     LEFT JOIN agencies a ON a.id = r.agency_id
     LEFT JOIN LATERAL (
       SELECT g.* FROM regions g WHERE g.code = r.region_code
       ORDER BY (r.year IS NOT NULL AND g.valid_from <= r.year AND (g.valid_to IS NULL OR r.year < g.valid_to)) DESC,
                g.valid_from DESC
       LIMIT 1
     ) g ON true
     WHERE r.id = $1`,
    [reportId],
  );
  return rows[0] ?? null;
}

export interface CellRow {
  path: string;
  value: number | null;
  raw: string | null;
  at: Record<string, unknown>;
  document: string;
  source_url: string | null;
  fetched_at: Date | null;
}

/** A report's cells with their provenance (v_cell_provenance), in path order. */
export async function reportCells(pool: pg.Pool, reportId: number, page?: Paging) {
  const { rows } = await pool.query<CellRow>(
    `SELECT path, value::float8 AS value, raw, at, document_sha256 AS document, source_url, fetched_at
     FROM v_cell_provenance WHERE report_id = $1 ORDER BY path
     LIMIT $2 OFFSET $3`,
    [reportId, page?.limit ?? null, page?.offset ?? 0],
  );
  const { rows: counted } = await pool.query(`SELECT count(*)::int AS total FROM report_cells WHERE report_id = $1`, [
    reportId,
  ]);
  return { total: counted[0].total as number, items: rows };
}

export interface FlagRow {
  code: string;
  severity: string;
  path: string | null;
  message: string;
  origin: string;
}

export async function reportFlags(pool: pg.Pool, reportId: number): Promise<FlagRow[]> {
  const { rows } = await pool.query<FlagRow>(
    `SELECT code, severity, path, message, origin FROM report_flags WHERE report_id = $1 ORDER BY ord`,
    [reportId],
  );
  return rows;
}

/** Every fetch of the document's bytes or of a URL it was found at, newest first. */
export async function fetchHistory(pool: pg.Pool, sha256: string) {
  const { rows } = await pool.query(
    `WITH urls AS (
       SELECT first_url AS url FROM documents WHERE sha256 = $1
       UNION SELECT source_url FROM reports WHERE document_sha256 = $1 AND source_url IS NOT NULL
       UNION SELECT url FROM candidate_documents WHERE sha256 = $1
     )
     SELECT f.id::int, f.url, f.final_url, f.method, f.status, f.sha256, f.size::int, f.fetched_at, f.not_modified,
       f.error, f.run_id::int, f.content_type
     FROM fetches f
     WHERE f.sha256 = $1 OR f.url IN (SELECT url FROM urls) OR f.final_url IN (SELECT url FROM urls)
     ORDER BY f.fetched_at DESC, f.id DESC LIMIT 200`,
    [sha256],
  );
  return rows;
}

/** Flags of current reports by code, with how many reports carry each. */
export async function flagCounts(pool: pg.Pool, filter: { severity: string | null; code: string | null }) {
  const { rows } = await pool.query(
    `SELECT f.code, f.severity, count(*)::int AS flags, count(DISTINCT f.report_id)::int AS reports
     FROM report_flags f JOIN reports r ON r.id = f.report_id
     WHERE r.status = 'current' AND ($1::text IS NULL OR f.severity = $1) AND ($2::text IS NULL OR f.code = $2)
     GROUP BY f.code, f.severity
     ORDER BY array_position(ARRAY['error', 'warning', 'info'], f.severity), count(*) DESC, f.code`,
    [filter.severity, filter.code],
  );
  return rows as Array<{ code: string; severity: string; flags: number; reports: number }>;
}

/** Current reports with the most errors, then warnings. */
export async function worstReports(pool: pg.Pool, page: Paging, code: string | null = null) {
  const { rows } = await pool.query(
    `SELECT q.report_key AS key, q.agency, q.region_code, q.year, q.template, q.errors::int, q.warnings::int,
       q.infos::int, q.flag_codes, q.cells::int, q.cells_null::int
     FROM report_quality q
     WHERE q.status = 'current' AND ($3::text IS NULL OR $3 = ANY(q.flag_codes))
     ORDER BY q.errors DESC, q.warnings DESC, q.cells_null DESC, q.report_key LIMIT $1 OFFSET $2`,
    [page.limit, page.offset, code],
  );
  return rows;
}

/** Flags of current reports, one row each, for the API. */
export async function listFlags(
  pool: pg.Pool,
  filter: { severity: string | null; code: string | null; region: string | null; year: number | null },
  page: Paging,
) {
  const where = `r.status = 'current' AND ($1::text IS NULL OR f.severity = $1) AND ($2::text IS NULL OR f.code = $2)
    AND ($3::text IS NULL OR r.region_code LIKE $3 || '%') AND ($4::int IS NULL OR r.year = $4)`;
  const args = [filter.severity, filter.code, filter.region, filter.year];
  const [{ rows }, counted] = await Promise.all([
    pool.query(
      `SELECT r.report_key AS key, r.region_code, r.year, r.agency_name AS agency, f.code, f.severity, f.path,
         f.message, f.origin
       FROM report_flags f JOIN reports r ON r.id = f.report_id WHERE ${where}
       ORDER BY r.report_key, f.ord LIMIT $5 OFFSET $6`,
      [...args, page.limit, page.offset],
    ),
    pool.query(
      `SELECT count(*)::int AS total FROM report_flags f JOIN reports r ON r.id = f.report_id WHERE ${where}`,
      args,
    ),
  ]);
  return { total: counted.rows[0].total as number, items: rows };
}

/** Portals that were crawled, broken (last run failed) and stale (no success for STALE_DAYS) first. */
export const STALE_DAYS = 30;

export async function portalHealthPage(pool: pg.Pool, page: Paging) {
  const stale = `(h.last_success_at IS NULL OR h.last_success_at < now() - make_interval(days => ${STALE_DAYS}))`;
  const [{ rows }, counted] = await Promise.all([
    pool.query(
      `SELECT h.portal_id::int, h.region_code, h.name, h.base_url, h.enabled, h.verdict, h.moved_to, h.last_run_at,
         h.last_outcome, h.last_success_at, h.last_failure_at, h.last_error, h.consecutive_failures,
         CASE WHEN h.last_outcome = 'failed' THEN 'broken' WHEN ${stale} THEN 'stale' ELSE 'ok' END AS health
       FROM v_portal_health h WHERE h.last_run_at IS NOT NULL
       ORDER BY (h.last_outcome = 'failed') DESC, ${stale} DESC, h.consecutive_failures DESC,
         h.last_success_at NULLS FIRST, h.portal_id
       LIMIT $1 OFFSET $2`,
      [page.limit, page.offset],
    ),
    pool.query(
      `SELECT count(*) FILTER (WHERE last_run_at IS NOT NULL)::int AS crawled,
         count(*) FILTER (WHERE last_run_at IS NULL)::int AS never_crawled FROM v_portal_health`,
    ),
  ]);
  return { ...(counted.rows[0] as { crawled: number; never_crawled: number }), items: rows };
}

export interface CoverageFilter {
  province: string | null;
  region: string | null;
  year: number | null;
  state: string | null;
}

const COVERAGE_WHERE = `($1::text IS NULL OR province = $1) AND ($2::text IS NULL OR region_code LIKE $2 || '%')
  AND ($3::int IS NULL OR year = $3) AND ($4::text IS NULL OR state = $4)`;

/**
 * Cells of the county × year matrix (v_coverage), in code and year order. The total comes with the rows (a window
 * count: the view is computed once); only a page past the end needs a count of its own.
 */
export async function coverageCells(pool: pg.Pool, filter: CoverageFilter, page?: Paging) {
  const args = [filter.province, filter.region, filter.year, filter.state];
  const { rows } = await pool.query(
    `SELECT region_code, county, province, prefecture, year, state, bodies, bodies_year_before, listed,
       count(*) OVER ()::int AS total
     FROM v_coverage WHERE ${COVERAGE_WHERE} ORDER BY region_code, year LIMIT $5 OFFSET $6`,
    [...args, page?.limit ?? null, page?.offset ?? 0],
  );
  const total = rows.length
    ? (rows[0].total as number)
    : ((await pool.query(`SELECT count(*)::int AS total FROM v_coverage WHERE ${COVERAGE_WHERE}`, args)).rows[0]
        .total as number);
  const items = rows.map(({ total: _total, ...cell }) => cell) as CoverageCellRow[];
  return { total, items };
}

export interface CoverageCellRow {
  region_code: string;
  county: string;
  province: string;
  prefecture: string | null;
  year: number;
  state: string;
  bodies: number;
  bodies_year_before: number;
  listed: number;
}

/** Per province and year: counties in each state. */
export async function coverageByProvince(pool: pg.Pool) {
  const { rows } = await pool.query(
    `SELECT province, min(region_code) AS first_code, year, state, count(*)::int AS counties,
       count(*) FILTER (WHERE bodies > 0)::int AS with_reports
     FROM v_coverage GROUP BY province, year, state ORDER BY first_code, year`,
  );
  return rows as Array<{ province: string; year: number; state: string; counties: number; with_reports: number }>;
}

/** Counties with anything listed or loaded in some year: the part of the matrix that has data. */
export async function coverageWithData(pool: pg.Pool) {
  const { rows } = await pool.query(
    `SELECT c.region_code, c.county, c.province, c.prefecture, c.year, c.state, c.bodies, c.listed
     FROM v_coverage c
     WHERE c.region_code IN (SELECT region_code FROM v_coverage WHERE bodies > 0 OR listed > 0)
     ORDER BY c.region_code, c.year`,
  );
  return rows as CoverageCellRow[];
}
