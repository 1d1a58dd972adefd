// The template's arithmetic (勾稽关系). A check whose cells are missing or blank is skipped, not failed: the
// ROW_MISSING / CELL_BLANK flags already say why.
import { flag, type Flag, type Report } from '../report.ts';
import { APPEAL_GROUPS, REQUEST_COLUMNS, RESULT_ROWS } from './keys.ts';

const APPLICANTS = REQUEST_COLUMNS.map(([c]) => c).filter((c) => c !== 'total');
const eq = (a: number, b: number) => Math.abs(a - b) < 1e-6;
const num = (x: number | null | undefined): x is number => typeof x === 'number';

export function arithmeticFlags(r: Pick<Report, 'requests' | 'appeals'>): Flag[] {
  const flags: Flag[] = [];
  const q = r.requests;
  if (q) {
    for (const [c] of REQUEST_COLUMNS) {
      const [a, b, t, f] = [q.new?.[c], q.carried_over?.[c], q.total?.[c], q.carried_forward?.[c]];
      if (num(a) && num(b) && num(t) && num(f) && !eq(a + b, t + f))
        flags.push(
          flag(
            'BALANCE_MISMATCH',
            `requests.${c}`,
            `${c}: new ${a} + carried over ${b} ≠ total ${t} + carried forward ${f}`,
          ),
        );
    }
    for (const [row, v] of Object.entries(q)) {
      if (!v) continue;
      const parts = APPLICANTS.map((c) => v[c]);
      if (
        num(v.total) &&
        parts.every(num) &&
        !eq(
          parts.reduce((s, x) => s + x, 0),
          v.total,
        )
      )
        flags.push(
          flag(
            'ROW_TOTAL_MISMATCH',
            `requests.${row}.total`,
            `${row}: total ${v.total} ≠ sum of applicant columns ${parts.reduce((s, x) => s + x, 0)}`,
          ),
        );
    }
    const present = RESULT_ROWS.filter((k) => k in q);
    // Only computable when every result row of the printed layout is there (2019: other; 2021: other_*).
    const complete = present.length === RESULT_ROWS.length - ('other' in q ? 3 : 1);
    if (q.total && complete) {
      for (const [c] of REQUEST_COLUMNS) {
        const parts = present.map((k) => q[k]?.[c]);
        const t = q.total[c];
        if (
          num(t) &&
          parts.every(num) &&
          !eq(
            parts.reduce((s, x) => s + x, 0),
            t,
          )
        )
          flags.push(
            flag(
              'RESULT_TOTAL_MISMATCH',
              `requests.total.${c}`,
              `${c}: （七）总计 ${t} ≠ sum of results ${parts.reduce((s, x) => s + x, 0)}`,
            ),
          );
      }
    }
  }
  if (r.appeals) {
    for (const [g] of APPEAL_GROUPS) {
      const v = r.appeals[g];
      if (!v) continue;
      const parts = [v.upheld, v.corrected, v.other, v.pending];
      if (
        num(v.total) &&
        parts.every(num) &&
        !eq(
          parts.reduce((s, x) => s + x, 0),
          v.total,
        )
      )
        flags.push(
          flag(
            'APPEALS_TOTAL_MISMATCH',
            `appeals.${g}.total`,
            `${g}: total ${v.total} ≠ sum of its four parts ${parts.reduce((s, x) => s + x, 0)}`,
          ),
        );
    }
  }
  return flags;
}
