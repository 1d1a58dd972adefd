// SQL behind `nianbao status`: failures, last crawl per portal, coverage by region and year, recent throughput.
import type { Queryable } from './queryable.ts';

export interface DocumentFailure {
  sha256: string;
  url: string;
  reason: string;
  permanent: boolean;
  at: string | null;
}
export interface LastCrawl {
  portal_id: number;
  base_url: string;
  region_code: string | null;
  enabled: boolean;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
  stats: Record<string, unknown> | null;
}
export interface Coverage {
  region_code: string | null;
  year: number | null;
  reports: number;
  flagged_error: number;
}
export interface Throughput {
  last_hour: number;
  last_day: number;
  total: number;
  documents: number;
}

export async function documentFailures(
  db: Queryable,
  limit = 50,
): Promise<{ total: number; permanent: number; recent: DocumentFailure[] }> {
  const {
    rows: [counts],
  } = await db.query<{ total: string; permanent: string }>(
    `SELECT count(*) AS total, count(*) FILTER (WHERE error_permanent) AS permanent
       FROM documents WHERE extraction_error IS NOT NULL`,
  );
  const { rows } = await db.query<{
    sha256: string;
    first_url: string;
    extraction_error: string;
    error_permanent: boolean;
    error_at: Date | null;
  }>(
    `SELECT sha256, first_url, extraction_error, error_permanent, error_at
       FROM documents WHERE extraction_error IS NOT NULL
      ORDER BY error_at DESC NULLS LAST LIMIT $1`,
    [limit],
  );
  return {
    total: Number(counts.total),
    permanent: Number(counts.permanent),
    recent: rows.map((row) => ({
      sha256: row.sha256,
      url: row.first_url,
      reason: row.extraction_error,
      permanent: row.error_permanent,
      at: row.error_at?.toISOString() ?? null,
    })),
  };
}

export async function lastCrawls(db: Queryable): Promise<LastCrawl[]> {
  const { rows } = await db.query<Record<string, any>>(
    `SELECT DISTINCT ON (p.id) p.id AS portal_id, p.base_url, p.region_code, p.enabled,
            r.started_at, r.finished_at, r.error, r.stats
       FROM portals p LEFT JOIN crawl_runs r ON r.portal_id = p.id
      ORDER BY p.id, r.started_at DESC NULLS LAST`,
  );
  return rows.map((row) => ({
    portal_id: Number(row.portal_id),
    base_url: row.base_url,
    region_code: row.region_code,
    enabled: row.enabled,
    started_at: row.started_at?.toISOString() ?? null,
    finished_at: row.finished_at?.toISOString() ?? null,
    error: row.error,
    stats: row.stats,
  }));
}

export async function coverage(db: Queryable): Promise<Coverage[]> {
  const { rows } = await db.query<Record<string, any>>(
    `SELECT r.region_code, r.year, count(*) AS reports,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM report_flags f WHERE f.report_id = r.id AND f.severity = 'error')) AS flagged_error
       FROM reports r WHERE r.status = 'current'
      GROUP BY r.region_code, r.year ORDER BY r.region_code NULLS LAST, r.year NULLS LAST`,
  );
  return rows.map((row) => ({
    region_code: row.region_code,
    year: row.year,
    reports: Number(row.reports),
    flagged_error: Number(row.flagged_error),
  }));
}

export async function throughput(db: Queryable): Promise<Throughput> {
  const {
    rows: [row],
  } = await db.query<Record<string, string>>(
    `SELECT count(*) FILTER (WHERE loaded_at > now() - interval '1 hour') AS last_hour,
            count(*) FILTER (WHERE loaded_at > now() - interval '1 day') AS last_day,
            count(*) AS total,
            (SELECT count(*) FROM documents) AS documents
       FROM reports`,
  );
  return {
    last_hour: Number(row.last_hour),
    last_day: Number(row.last_day),
    total: Number(row.total),
    documents: Number(row.documents),
  };
}
