// SQL behind `nianbao coverage` and the health part of `nianbao status`: the views of db/migrations/004_coverage.sql.
import type { Queryable } from './queryable.ts';

/** One cell of the national matrix, as v_coverage has it. */
export interface CoverageCell {
  region_code: string;
  county: string;
  province: string;
  prefecture: string | null;
  year: number;
  state: CoverageState;
  bodies: number;
  bodies_year_before: number;
  listed: number;
}

export const COVERAGE_STATES = [
  'loaded',
  'stale',
  'unreadable',
  'no report listed',
  'crawl failing',
  'unverified',
  'no portal',
] as const;
export type CoverageState = (typeof COVERAGE_STATES)[number];

export interface PortalHealth {
  portal_id: number;
  region_code: string | null;
  name: string | null;
  base_url: string;
  enabled: boolean;
  verdict: string | null;
  moved_to: string | null;
  last_run_at: string | null;
  last_outcome: string | null;
  last_success_at: string | null;
  last_failure_at: string | null;
  last_error: string | null;
  consecutive_failures: number;
}

/** The latest report year whose due date (31 January of the next year) has passed on `today`. */
export function latestDueYear(today = new Date()): number {
  const year = today.getUTCFullYear();
  const due = today.getUTCMonth() > 0 || today.getUTCDate() > 31;
  return due ? year - 1 : year - 2;
}

export async function coverageCells(
  db: Queryable,
  filter: { year?: number | null; province?: string | null; states?: CoverageState[] } = {},
): Promise<CoverageCell[]> {
  const { rows } = await db.query<CoverageCell & Record<string, unknown>>(
    `SELECT region_code, county, province, prefecture, year, state, bodies, bodies_year_before, listed
     FROM v_coverage
     WHERE ($1::int IS NULL OR year = $1) AND ($2::text IS NULL OR province = $2 OR province LIKE $2 || '%')
       AND ($3::text[] IS NULL OR state = ANY($3))
     ORDER BY region_code, year`,
    [filter.year ?? null, filter.province ?? null, filter.states ?? null],
  );
  return rows;
}

export interface ProvinceTotals {
  province: string;
  counties: number;
  states: Record<CoverageState, number>;
  bodies: number;
}

/** Per province (in code order) and for the whole country (last): how many counties are in each state. */
export function provinceTotals(cells: CoverageCell[]): ProvinceTotals[] {
  const byProvince = new Map<string, ProvinceTotals>();
  const zero = () => Object.fromEntries(COVERAGE_STATES.map((state) => [state, 0])) as Record<CoverageState, number>;
  const national: ProvinceTotals = { province: '全国', counties: 0, states: zero(), bodies: 0 };
  for (const cell of cells) {
    let totals = byProvince.get(cell.province);
    if (!totals)
      byProvince.set(cell.province, (totals = { province: cell.province, counties: 0, states: zero(), bodies: 0 }));
    for (const row of [totals, national]) {
      row.counties++;
      row.states[cell.state]++;
      row.bodies += cell.bodies;
    }
  }
  return [...byProvince.values(), national];
}

/** Broken portals first (failed last run, most consecutive failures first), then the rest that ever ran. */
export async function portalHealth(db: Queryable, opts: { brokenOnly?: boolean } = {}): Promise<PortalHealth[]> {
  const { rows } = await db.query<Record<string, any>>(
    `SELECT * FROM v_portal_health
     WHERE last_run_at IS NOT NULL AND (NOT $1 OR last_outcome = 'failed' OR verdict = 'mismatch')
     ORDER BY (last_outcome = 'failed') DESC, consecutive_failures DESC, (verdict = 'mismatch') DESC, portal_id`,
    [opts.brokenOnly ?? false],
  );
  const iso = (time: Date | null) => time?.toISOString() ?? null;
  return rows.map((row) => ({
    portal_id: Number(row.portal_id),
    region_code: row.region_code,
    name: row.name,
    base_url: row.base_url,
    enabled: row.enabled,
    verdict: row.verdict,
    moved_to: row.moved_to,
    last_run_at: iso(row.last_run_at),
    last_outcome: row.last_outcome,
    last_success_at: iso(row.last_success_at),
    last_failure_at: iso(row.last_failure_at),
    last_error: row.last_error,
    consecutive_failures: Number(row.consecutive_failures),
  }));
}

export interface PortalVerdict {
  portal_id: number;
  base_url: string;
  region_code: string | null;
  verdict: string | null;
  reason: string | null;
  moved_to: string | null;
}

/** Each portal's latest verification: verdict and the one-line evidence behind it. */
export async function portalVerdicts(db: Queryable, portalIds: number[]): Promise<PortalVerdict[]> {
  const { rows } = await db.query<Record<string, any>>(
    `SELECT p.id, p.base_url, p.region_code, p.verdict, p.moved_to,
       (SELECT v.reason FROM portal_verifications v WHERE v.portal_id = p.id ORDER BY v.checked_at DESC, v.id DESC LIMIT 1)
         AS reason
     FROM portals p WHERE p.id = ANY($1::bigint[]) ORDER BY p.id`,
    [portalIds],
  );
  return rows.map((row) => ({
    portal_id: Number(row.id),
    base_url: row.base_url,
    region_code: row.region_code,
    verdict: row.verdict,
    reason: row.reason,
    moved_to: row.moved_to,
  }));
}
