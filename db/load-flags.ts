// The cross-report quality flags the store sets at load time (SCHEMA.md: CARRYOVER_MISMATCH, DUPLICATE_VERSION).
// loadTimeFlags is pure: given one agency's current reports, the flags each of them must carry. recheckLoadFlags
// applies it in the database for every report a change can affect (a load, an agency merge), so the result depends
// on what is loaded, never on the order it was loaded in.
import type pg from 'pg';
import { flagsRaisedBy } from '../core/flags.ts';
import type { Flag, Row } from '../extractors/report.ts';
import { flag } from '../extractors/report.ts';
import { REQUEST_COLUMNS } from '../extractors/template/keys.ts';

/** Codes computed here (the registry's `loader` codes); an incoming copy in a report is dropped. */
export const LOAD_TIME_FLAGS: ReadonlySet<string> = new Set(flagsRaisedBy('loader'));

/** Load-time flags of one report against its listing (crawl origin), not against other reports: they stay as raised
 *  when the cross-report flags are recomputed. */
export const LISTING_FLAGS: ReadonlySet<string> = new Set(['REGION_CONFLICT', 'LISTING_YEAR_CONFLICT']);

/** Where the document and its listing disagree. The document's own values win; each flag names both. */
export function listingConflicts(
  document: { region: string | null; year: number | null },
  listing: { region: string | null; year: number | null },
  regionName: (code: string) => string | null,
): Flag[] {
  const named = (code: string) => `${code}${regionName(code) ? ` ${regionName(code)}` : ''}`;
  const out: Flag[] = [];
  if (document.region && listing.region && document.region !== listing.region)
    out.push(
      flag(
        'REGION_CONFLICT',
        'region_code',
        `document names ${named(document.region)}; listed on the portal of ${named(listing.region)}`,
      ),
    );
  if (document.year && listing.year && document.year !== listing.year)
    out.push(
      flag('LISTING_YEAR_CONFLICT', 'year', `document year ${document.year}; the listing gives ${listing.year}`),
    );
  return out;
}

/** One current report of an agency, as far as the load-time checks need it. */
export interface AgencyReport {
  sha256: string;
  year: number;
  carriedOver?: Row | null;
  carriedForward?: Row | null;
}

// Other reports are named by document hash, not report id: ids depend on load order and differ between databases.
const doc = (sha: string) => `document ${sha.slice(0, 12)}`;

/**
 * The load-time flags of `self` among `all` (the agency's current reports, `self` included). CARRYOVER_MISMATCH: per
 * column, against every current report of the previous year (several only when that year is itself duplicated);
 * blank or missing values are skipped. DUPLICATE_VERSION: once, naming the other documents of the same year.
 */
export function loadTimeFlags(self: AgencyReport, all: readonly AgencyReport[]): Flag[] {
  const bySha = (a: AgencyReport, b: AgencyReport) => (a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : 0);
  const out: Flag[] = [];
  const prev = all.filter((r) => r.year === self.year - 1 && r.sha256 !== self.sha256).sort(bySha);
  const carriedOver = self.carriedOver;
  for (const previous of prev) {
    const carriedForward = previous.carriedForward;
    if (!carriedOver || !carriedForward) continue;
    for (const [col] of REQUEST_COLUMNS) {
      const thisYear = carriedOver[col];
      const lastYear = carriedForward[col];
      if (typeof thisYear === 'number' && typeof lastYear === 'number' && thisYear !== lastYear)
        out.push(
          flag(
            'CARRYOVER_MISMATCH',
            `requests.carried_over.${col}`,
            `上年结转 ${thisYear} ≠ ${previous.year} ${doc(previous.sha256)} 结转下年度 ${lastYear}`,
          ),
        );
    }
  }
  const dups = all.filter((r) => r.year === self.year && r.sha256 !== self.sha256).sort(bySha);
  if (dups.length)
    out.push(
      flag(
        'DUPLICATE_VERSION',
        null,
        `another document for this agency and year: ${dups.map((d) => doc(d.sha256)).join(', ')}`,
      ),
    );
  return out;
}

type Queryable = pg.Pool | pg.PoolClient;

/**
 * Recomputes the load-time flags of every current report of each (agency, year) and of the year after: the reports
 * whose CARRYOVER_MISMATCH or DUPLICATE_VERSION a change in (agency, year) can alter. A report's load-time flags are
 * the tail of its data.flags and its report_flags rows with origin 'load'; both are rewritten together, and only when
 * they change. The caller holds the agencies' locks. Returns how many reports had their flags rewritten.
 */
export async function recheckLoadFlags(query: Queryable, keys: Array<[number, number]>): Promise<number> {
  if (!keys.length) return 0;
  const { rows } = await query.query(
    `SELECT id, document_sha256, agency_id, year, data->'flags' AS flags,
            data #> '{requests,carried_over}' AS co, data #> '{requests,carried_forward}' AS cf
       FROM reports WHERE status = 'current' AND agency_id = ANY($1::bigint[]) AND year IS NOT NULL`,
    [[...new Set(keys.map(([a]) => a))]],
  );
  const all = rows.map((row) => ({
    id: Number(row.id),
    agencyId: Number(row.agency_id),
    flags: row.flags as Flag[],
    sha256: row.document_sha256 as string,
    year: row.year as number,
    carriedOver: row.co,
    carriedForward: row.cf,
  }));
  const targets = new Set(keys.flatMap(([a, y]) => [`${a}:${y}`, `${a}:${y + 1}`]));
  const sig = (fs: Flag[]) => JSON.stringify(fs.map((f) => [f.code, f.severity, f.path ?? null, f.message]));
  let rewritten = 0;
  for (const row of all) {
    if (!targets.has(`${row.agencyId}:${row.year}`)) continue;
    const fresh = [
      ...row.flags.filter((f) => LISTING_FLAGS.has(f.code)),
      ...loadTimeFlags(
        row,
        all.filter((o) => o.agencyId === row.agencyId),
      ),
    ];
    if (sig(row.flags.filter((f) => LOAD_TIME_FLAGS.has(f.code))) === sig(fresh)) continue;
    const kept = row.flags.filter((f) => !LOAD_TIME_FLAGS.has(f.code));
    await query.query(`UPDATE reports SET data = jsonb_set(data, '{flags}', $2::jsonb) WHERE id = $1`, [
      row.id,
      JSON.stringify([...kept, ...fresh]),
    ]);
    await query.query(`DELETE FROM report_flags WHERE report_id = $1 AND origin = 'load'`, [row.id]);
    await writeFlagRows(query, row.id, 'load', kept.length);
    rewritten++;
  }
  return rewritten;
}

/** report_flags rows straight from the stored JSON (so they cannot disagree with it): data.flags from `from` on. */
export async function writeFlagRows(
  query: Queryable,
  reportId: number,
  origin: 'extractor' | 'load',
  from: number,
): Promise<void> {
  await query.query(
    `INSERT INTO report_flags (report_id, ord, code, severity, path, message, origin)
     SELECT $1, e.ord - 1, e.f->>'code', e.f->>'severity', e.f->>'path', e.f->>'message', $2
     FROM reports r, jsonb_array_elements(r.data->'flags') WITH ORDINALITY AS e(f, ord) WHERE r.id = $1 AND e.ord > $3`,
    [reportId, origin, from],
  );
}

/**
 * Transaction-scoped locks on these agencies, taken in key order (so two transactions never wait on each other in a
 * cycle): loads of one agency run one after the other and each sees the reports the previous one committed.
 */
export async function lockAgencies(query: Queryable, agencyIds: number[]): Promise<void> {
  if (!agencyIds.length) return;
  const { rows } = await query.query(
    `SELECT DISTINCT hashtextextended('agency:' || a, 0) AS k FROM unnest($1::bigint[]) AS a ORDER BY k`,
    [agencyIds],
  );
  for (const row of rows) await query.query('SELECT pg_advisory_xact_lock($1::bigint)', [row.k]);
}
