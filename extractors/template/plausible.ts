// Plausibility: a value no real body reports is kept as read but flagged VALUE_IMPLAUSIBLE with the bound it
// passes and why. The bounds (spec/SCHEMA.md "Plausibility") are per body level, because a township and a
// provincial public security department differ by orders of magnitude in 行政处罚; they are deliberately wide so that
// only misreads (a page number glued to a count, 元 read as 万元, two cells run together) and typing slips pass them.
import { flag, type Flag, type Report } from '../report.ts';

export type BodyLevel = 'township' | 'other';

interface Bound {
  /** Dotted path prefix: a table, a row, or a row's column. */
  path: string;
  township: number;
  other: number;
  why: string;
}

/** Largest plausible value per cell; the first bound whose path prefixes the cell's applies. */
export const BOUNDS: Bound[] = [
  { path: 'active.regulations', township: 5000, other: 5000, why: '规章 are made by provinces and large cities only' },
  { path: 'active.normative_documents', township: 5000, other: 50000, why: 'normative documents issued or in force' },
  {
    path: 'active.penalty',
    township: 200000,
    other: 50000000,
    why: 'penalty decisions (traffic police count millions)',
  },
  { path: 'active.coercion', township: 20000, other: 5000000, why: 'coercion decisions' },
  { path: 'active.licensing', township: 200000, other: 50000000, why: 'licensing decisions' },
  { path: 'active.other_services', township: 200000, other: 50000000, why: 'other service items' },
  { path: 'active.fees.amount', township: 100000, other: 100000000, why: 'fees in 万元 (10⁸ 万元 = 1 万亿元)' },
  { path: 'active.procurement.amount', township: 1000000, other: 100000000, why: 'procurement in 万元' },
  { path: 'active', township: 200000, other: 10000000, why: 'item counts of section 二' },
  { path: 'requests', township: 50000, other: 500000, why: 'applications a body receives or handles in a year' },
  { path: 'appeals', township: 5000, other: 50000, why: 'reviews and suits about disclosure' },
];

/** Townships, towns and street offices: the level the template is filled in most often, with the smallest counts. */
export function bodyLevel(agency: string | null, title: string | null): BodyLevel {
  const name = agency ?? title ?? '';
  return /(?:乡|镇|街道|苏木|街道办事处)(?:人民政府|办事处|党工委)?$|(?:乡|镇)人民政府|街道办事处/.test(name)
    ? 'township'
    : 'other';
}

/** Negative counts are possible only in 本年增/减. */
export function plausibilityFlags(report: Pick<Report, 'active' | 'requests' | 'appeals'>, level: BodyLevel): Flag[] {
  const out: Flag[] = [];
  for (const table of ['active', 'requests', 'appeals'] as const)
    for (const [row, cols] of Object.entries(report[table] ?? {}))
      for (const [col, value] of Object.entries(cols ?? {})) {
        if (value === null) continue;
        const path = `${table}.${row}.${col}`;
        if (value < 0 && col !== 'change') {
          out.push(flag('VALUE_IMPLAUSIBLE', path, `${value}: a count or amount cannot be negative`));
          continue;
        }
        const bound = BOUNDS.find((b) => path === b.path || path.startsWith(`${b.path}.`));
        if (!bound) continue;
        const limit = bound[level];
        if (Math.abs(value) > limit)
          out.push(
            flag(
              'VALUE_IMPLAUSIBLE',
              path,
              `${value} exceeds ${limit} for a ${level === 'township' ? 'township-level body' : 'body'} (${bound.why}); kept as read`,
            ),
          );
      }
  return out;
}
