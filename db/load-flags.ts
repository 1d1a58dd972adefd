// The cross-report quality flags the store sets at load time (SCHEMA.md: CARRYOVER_MISMATCH, DUPLICATE_VERSION).
// Pure: given one agency's current reports, the flags each of them must carry. The store recomputes them for every
// report a load can affect, so the result depends on what is loaded, never on the order it was loaded in.
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
