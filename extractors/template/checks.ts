// The template's arithmetic (勾稽关系). A check whose cells are missing or blank is skipped, not failed: the
// ROW_MISSING / CELL_BLANK flags already say why.
import { flag, type Flag, type Report } from '../report.ts';
import { APPEAL_GROUPS, REQUEST_COLUMNS, RESULT_ROWS } from './keys.ts';

const APPLICANTS = REQUEST_COLUMNS.map(([c]) => c).filter((c) => c !== 'total');
const nearlyEqual = (a: number, b: number) => Math.abs(a - b) < 1e-6;
const num = (x: number | null | undefined): x is number => typeof x === 'number';

/** The parts' sum when the total and every part are numbers and the sum differs from the total; else null. */
function mismatchedSum(total: number | null | undefined, parts: (number | null | undefined)[]): number | null {
  if (!num(total) || !parts.every(num)) return null;
  const sum = parts.reduce((acc, part) => acc + part, 0);
  return nearlyEqual(sum, total) ? null : sum;
}

export function arithmeticFlags(report: Pick<Report, 'requests' | 'appeals'>): Flag[] {
  const flags: Flag[] = [];
  const requests = report.requests;
  if (requests) {
    for (const [column] of REQUEST_COLUMNS) {
      const [fresh, carriedOver, total, carriedForward] = [
        requests.new?.[column],
        requests.carried_over?.[column],
        requests.total?.[column],
        requests.carried_forward?.[column],
      ];
      if (
        num(fresh) &&
        num(carriedOver) &&
        num(total) &&
        num(carriedForward) &&
        !nearlyEqual(fresh + carriedOver, total + carriedForward)
      )
        flags.push(
          flag(
            'BALANCE_MISMATCH',
            `requests.${column}`,
            `${column}: new ${fresh} + carried over ${carriedOver} ` +
              `≠ total ${total} + carried forward ${carriedForward}`,
          ),
        );
    }
    for (const [row, values] of Object.entries(requests)) {
      if (!values) continue;
      const sum = mismatchedSum(
        values.total,
        APPLICANTS.map((c) => values[c]),
      );
      if (sum !== null)
        flags.push(
          flag(
            'ROW_TOTAL_MISMATCH',
            `requests.${row}.total`,
            `${row}: total ${values.total} ≠ sum of applicant columns ${sum}`,
          ),
        );
    }
    const present = RESULT_ROWS.filter((k) => k in requests);
    // Only computable when every result row of the printed layout is there (2019: other; 2021: other_*).
    const complete = present.length === RESULT_ROWS.length - ('other' in requests ? 3 : 1);
    if (requests.total && complete) {
      for (const [column] of REQUEST_COLUMNS) {
        const total = requests.total[column];
        const sum = mismatchedSum(
          total,
          present.map((k) => requests[k]?.[column]),
        );
        if (sum !== null)
          flags.push(
            flag(
              'RESULT_TOTAL_MISMATCH',
              `requests.total.${column}`,
              `${column}: （七）总计 ${total} ≠ sum of results ${sum}`,
            ),
          );
      }
    }
  }
  if (report.appeals) {
    for (const [group] of APPEAL_GROUPS) {
      const appeal = report.appeals[group];
      if (!appeal) continue;
      const sum = mismatchedSum(appeal.total, [appeal.upheld, appeal.corrected, appeal.other, appeal.pending]);
      if (sum !== null)
        flags.push(
          flag(
            'APPEALS_TOTAL_MISMATCH',
            `appeals.${group}.total`,
            `${group}: total ${appeal.total} ≠ sum of its four parts ${sum}`,
          ),
        );
    }
  }
  return flags;
}
