// Cells read by OCR: never a wrong digit without a flag. A reader marks each OCR table cell with its confidence
// (the least confident word in it, 0–1); a text layer's cells have none and are untouched here. After mapping:
// - an OCR cell in a row/column check that disagrees (勾稽关系, the checks of checks.ts) is null unless another
//   check it takes part in holds: which of the unconfirmed cells is misread cannot be told;
// - an OCR cell below OCR_MIN_CONFIDENCE is null unless a check it takes part in holds with its value as read
//   (the arithmetic is the evidence that the doubtful digit is right);
// each such cell keeps its raw text and gets OCR_LOW_CONFIDENCE.
// Before that, a failing check may be settled by second readings of its cells (the reader's digits-only look at
// each cell alone, extract.ts): taken only when exactly one smallest set of them makes the check hold and breaks no
// check that held (OCR_REREAD).
import type { TableCell } from '../model.ts';
import { flag, type Cell, type Flag, type Report, type SourceAt } from '../report.ts';
import { APPEAL_COLUMNS, APPEAL_GROUPS, REQUEST_COLUMNS, RESULT_ROWS } from './keys.ts';
import { parseCell } from './numbers.ts';

/** A model table cell that may carry an OCR confidence. */
export type Scored<T = TableCell> = T & { confidence?: number };

/** Below this (tesseract's word confidence / 100) an OCR number is not taken without arithmetic to back it. */
export const OCR_MIN_CONFIDENCE = 0.9;

// A cell's position object is shared by the model cell, its token and the report cell: it identifies the cell
// through the mapping without widening the report's Cell type. Filled by stream.ts while one model is mapped.
const confidenceAt = new WeakMap<SourceAt, number>();

export function noteConfidence(cell: Scored): void {
  if (cell.confidence !== undefined) confidenceAt.set(cell.at, cell.confidence);
}

interface Check {
  paths: string[];
  holds: boolean;
}

const APPLICANTS = REQUEST_COLUMNS.map(([c]) => c).filter((c) => c !== 'total');
const near = (a: number, b: number) => Math.abs(a - b) < 1e-6;

/** Every check of checks.ts that can be computed (all its cells are numbers), and whether it holds. */
function checksOf(report: Pick<Report, 'requests' | 'appeals'>): Check[] {
  const out: Check[] = [];
  const add = (
    paths: string[],
    value: (path: string) => number | null | undefined,
    holds: (values: number[]) => boolean,
  ) => {
    const values = paths.map(value);
    if (values.every((v): v is number => typeof v === 'number')) out.push({ paths, holds: holds(values) });
  };
  const requests = report.requests;
  if (requests) {
    const value = (path: string) => {
      const [, row, col] = path.split('.');
      return requests[row]?.[col];
    };
    for (const row of Object.keys(requests))
      add(
        [...APPLICANTS, 'total'].map((c) => `requests.${row}.${c}`),
        value,
        (vals) =>
          near(
            vals.slice(0, -1).reduce((a, b) => a + b, 0),
            vals[vals.length - 1],
          ),
      );
    for (const [column] of REQUEST_COLUMNS) {
      add(
        ['new', 'carried_over', 'total', 'carried_forward'].map((r) => `requests.${r}.${column}`),
        value,
        (vals) => near(vals[0] + vals[1], vals[2] + vals[3]),
      );
      const present = RESULT_ROWS.filter((k) => k in requests);
      if (present.length === RESULT_ROWS.length - ('other' in requests ? 3 : 1))
        add(
          [...present, 'total'].map((r) => `requests.${r}.${column}`),
          value,
          (vals) =>
            near(
              vals.slice(0, -1).reduce((a, b) => a + b, 0),
              vals[vals.length - 1],
            ),
        );
    }
  }
  const appeals = report.appeals;
  if (appeals)
    for (const [group] of APPEAL_GROUPS)
      add(
        APPEAL_COLUMNS.map(([c]) => `appeals.${group}.${c}`),
        (path) => appeals[group]?.[path.split('.')[2]],
        (vals) => near(vals[0] + vals[1] + vals[2] + vals[3], vals[4]),
      );
  return out;
}

type Tables = Pick<Report, 'requests' | 'appeals'>;

const tableOf = (report: Tables, path: string) => {
  const [section, row, col] = path.split('.') as ['requests' | 'appeals', string, string];
  return { row: report[section]?.[row], col };
};

/** Second readings, cell path → text; see the head of this file. */
export function applyRereads(report: Tables, cells: Cell[], flags: Flag[], rereads: ReadonlyMap<string, string>): void {
  if (!rereads.size) return;
  const byPath = new Map(cells.map((cell) => [cell.path, cell]));
  const put = (path: string, value: number | null) => {
    const { row, col } = tableOf(report, path);
    if (row) row[col] = value;
  };
  const key = (check: Check) => check.paths.join('|');
  const MAX_CANDIDATES = 8;
  // each round settles one check; a settled cell may then confirm its neighbours' checks
  for (let round = 0; round < 16; round++) {
    const before = checksOf(report);
    const held = new Set(before.filter((check) => check.holds).map(key));
    const settle = (check: Check) => {
      const candidates = check.paths
        .flatMap((path) => {
          const cell = byPath.get(path);
          const text = rereads.get(path);
          const parsed = parseCell(text);
          if (!cell || text === undefined || !confidenceAt.has(cell.at) || parsed.kind !== 'number') return [];
          return parsed.value === cell.value ? [] : [{ cell, text, value: parsed.value }];
        })
        .slice(0, MAX_CANDIDATES);
      const subsets = (size: number, from = 0): (typeof candidates)[] =>
        size === 0
          ? [[]]
          : candidates.slice(from).flatMap((one, at) => subsets(size - 1, from + at + 1).map((rest) => [one, ...rest]));
      for (let size = 1; size <= candidates.length; size++) {
        const working = subsets(size).filter((subset) => {
          for (const { cell, value } of subset) put(cell.path, value);
          const after = checksOf(report);
          const ok =
            after.some((other) => key(other) === key(check) && other.holds) &&
            after.every((other) => other.holds || !held.has(key(other)));
          for (const { cell } of subset) put(cell.path, cell.value);
          return ok;
        });
        if (working.length > 1) return false;
        if (working.length === 0) continue;
        for (const { cell, text, value } of working[0]) {
          flags.push(
            flag(
              'OCR_REREAD',
              cell.path,
              `OCR read ${JSON.stringify(cell.raw)} on the page and ${JSON.stringify(text)} from the cell alone, digits only; the second reading makes a failing row/column check hold`,
            ),
          );
          put(cell.path, value);
          cell.value = value;
          cell.raw = text;
        }
        return true;
      }
      return false;
    };
    if (!before.filter((check) => !check.holds).some(settle)) return;
  }
}

/** Nulls the OCR cells that are doubtful or contradicted (see above), in the tables and in `cells`. */
export function ocrConfidenceFlags(
  report: Pick<Report, 'active' | 'requests' | 'appeals'>,
  cells: Cell[],
  flags: Flag[],
): void {
  const scored = cells.filter((cell) => cell.value !== null && confidenceAt.has(cell.at));
  if (!scored.length) return;
  const checks = checksOf(report);
  for (const cell of scored) {
    const confidence = confidenceAt.get(cell.at)!;
    const mine = checks.filter((check) => check.paths.includes(cell.path));
    const contradicted = mine.some((check) => !check.holds);
    const confirmed = mine.some((check) => check.holds);
    // a cell a holding check confirms stands even beside a failing one: the misread cell is among the others
    if (confirmed || (!contradicted && confidence >= OCR_MIN_CONFIDENCE)) continue;
    const [section, row, col] = cell.path.split('.') as ['active' | 'requests' | 'appeals', string, string];
    const table = report[section]?.[row];
    if (table) table[col] = null;
    cell.value = null;
    flags.push(
      flag(
        'OCR_LOW_CONFIDENCE',
        cell.path,
        contradicted
          ? `OCR read ${JSON.stringify(cell.raw)}, but a row/column check it is part of disagrees`
          : `OCR read ${JSON.stringify(cell.raw)} with confidence ${confidence.toFixed(2)} and no check confirms it`,
      ),
    );
  }
}
