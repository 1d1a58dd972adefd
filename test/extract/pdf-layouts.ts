// Harder PDF-text layouts than renderText(…, {style:'pdf'}): what text extraction of unruled PDF tables leaves when a
// long label wraps. Per row, at random: label and numbers on one line; the label broken over 2–3 lines with the
// numbers after it, between its fragments (on a line of their own or at the end of a fragment), or before the whole
// label; the 7 numbers of a row broken 4 + 3 over two lines. Values are distinct and non-zero so a row shifted onto
// its neighbour is a wrong value, not a lucky equal one.
import { type Report, type Row } from '../../extractors/report.ts';
import { arithmeticFlags } from '../../extractors/template/checks.ts';
import { REQUEST_COLUMNS } from '../../extractors/template/keys.ts';
import { isValueText } from '../../extractors/template/numbers.ts';
import { prng, randomReport, type RandomReport } from '../../simulator/reports/random-report.ts';
import { layout } from '../../simulator/reports/render.ts';

const APPLICANTS = REQUEST_COLUMNS.map(([c]) => c as string).filter((c) => c !== 'total');

/** A consistent random report whose table values are non-zero and (almost always) distinct across rows. */
export function distinctReport(seed: number): RandomReport {
  const report = randomReport(seed, { inconsistent: false });
  const rnd = prng(seed * 7919 + 1);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  for (const row of Object.values(report.active!) as Row[])
    for (const column of Object.keys(row))
      row[column] =
        column === 'amount'
          ? int(1, 99999) / 100
          : column === 'change'
            ? (rnd() < 0.5 ? -1 : 1) * int(1, 99)
            : int(1, 999);
  const requests = report.requests as Record<string, Row>;
  const results = Object.keys(requests).filter((k) => !['new', 'carried_over', 'total', 'carried_forward'].includes(k));
  for (const column of APPLICANTS) {
    let total = 0;
    for (const result of results) total += requests[result][column] = int(1, 300);
    requests.total[column] = total;
    const carriedForward = int(1, 99);
    const carriedOver = int(1, total + carriedForward - 1);
    requests.carried_forward[column] = carriedForward;
    requests.carried_over[column] = carriedOver;
    requests.new[column] = total + carriedForward - carriedOver;
  }
  for (const row of Object.values(requests)) row.total = APPLICANTS.reduce((s, c) => s + (row[c] as number), 0);
  report.flags = arithmeticFlags({ requests: report.requests, appeals: report.appeals });
  return report;
}

export type RowLayout = 'line' | 'after' | 'between' | 'between-mixed' | 'tail-mixed' | 'before' | 'split';
export const ROW_LAYOUTS: RowLayout[] = ['line', 'after', 'between', 'between-mixed', 'tail-mixed', 'before', 'split'];

/** `label` cut into 2 or 3 non-empty fragments at random places (as is when too short). */
function fragments(label: string, rnd: () => number): string[] {
  const chars = [...label];
  if (chars.length < 4) return [label];
  const pieceCount = chars.length >= 9 && rnd() < 0.5 ? 3 : 2;
  const cuts = new Set<number>();
  while (cuts.size < pieceCount - 1) cuts.add(1 + Math.floor(rnd() * (chars.length - 1)));
  const at = [0, ...[...cuts].sort((a, b) => a - b), chars.length];
  return at.slice(1).map((end, i) => chars.slice(at[i], end).join(''));
}

export interface Damage {
  /** Share of rows whose label is reworded beyond recognition (no keyword left). */
  reword?: number;
  /** Share of rows whose numbers line is lost. */
  dropNumbers?: number;
}

/**
 * The report as PDF-extracted text; `only` forces one layout for every row with values (else random per row).
 * `damage` makes rows unplaceable, to check that their neighbours are not shifted into them.
 */
export function renderHardText(report: Report, seed: number, only?: RowLayout, damage: Damage = {}): string {
  const rnd = prng(seed);
  const out: string[] = [];
  for (const item of layout(report, { wrapLabels: false })) {
    if ('p' in item) {
      out.push(item.p);
      continue;
    }
    for (const row of item.table) {
      // "1.属于国家秘密" is a label: only what reads as a value is one (renderText's digit test is looser).
      const labels = row.filter((c) => c.text && !isValueText(c.text)).map((c) => c.text);
      const values = row.filter((c) => c.text && isValueText(c.text)).map((c) => c.text);
      let label = labels.join('');
      if (values.length && damage.reword && rnd() < damage.reword)
        label = `未列明事项${'甲乙丙丁'[Math.floor(rnd() * 4)]}`;
      if (values.length && damage.dropNumbers && rnd() < damage.dropNumbers) values.length = 0;
      if (!values.length) {
        out.push(label);
        continue;
      }
      const nums = values.join(' ');
      const how = only ?? ROW_LAYOUTS[Math.floor(rnd() * ROW_LAYOUTS.length)];
      const pieces = fragments(label, rnd);
      if (how === 'line' || pieces.length < 2) out.push(`${label} ${nums}`);
      else if (how === 'after') out.push(...pieces, nums);
      else if (how === 'between') out.push(pieces[0], nums, ...pieces.slice(1));
      else if (how === 'between-mixed') out.push(`${pieces[0]} ${nums}`, ...pieces.slice(1));
      else if (how === 'tail-mixed') out.push(...pieces.slice(0, -1), `${pieces[pieces.length - 1]} ${nums}`);
      else if (how === 'before') out.push(nums, ...pieces);
      else if (values.length === 7) out.push(label, values.slice(0, 4).join(' '), values.slice(4).join(' '));
      else out.push(...pieces, nums);
    }
  }
  return out.filter((l) => l !== '').join('\n\n') + '\n';
}

export interface ShiftCounts {
  cells: number;
  /** A value that differs from the document's with no flag on its row: the failure that must never happen. */
  silentWrong: number;
  /** A wrong value with a flag on its row (or cell). */
  flaggedWrong: number;
  /** null where the document prints a number. */
  nulls: number;
  examples: string[];
}

/** Cell by cell comparison of sections 二/三/四 of `got` with `want`. */
export function countShifts(got: Report, want: Report, into: ShiftCounts, label: string): void {
  for (const table of ['active', 'requests', 'appeals'] as const) {
    for (const [row, wantRow] of Object.entries(want[table] ?? {})) {
      const rowPath = `${table}.${row}`;
      const flagged = got.flags.some((f) => f.path === rowPath || (f.path ?? '').startsWith(`${rowPath}.`));
      for (const [col, wanted] of Object.entries(wantRow ?? {})) {
        if (wanted === null) continue;
        into.cells++;
        const gotValue = got[table]?.[row]?.[col] ?? null;
        if (gotValue === null) into.nulls++;
        else if (gotValue !== wanted) {
          if (flagged) into.flaggedWrong++;
          else {
            into.silentWrong++;
            if (into.examples.length < 20)
              into.examples.push(`${label} ${rowPath}.${col}: got ${gotValue}, want ${wanted}`);
          }
        }
      }
    }
  }
}
