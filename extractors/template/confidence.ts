// Cells read by OCR: never a wrong digit without a flag. A reader marks each OCR table cell with its confidence
// (the least confident word in it, 0–1); a text layer's cells have none and are untouched here. After mapping:
// - an OCR cell in a row/column check that disagrees (勾稽关系, the checks of checks.ts) is null unless another
//   check it takes part in holds: which of the unconfirmed cells is misread cannot be told;
// - an OCR cell below OCR_MIN_CONFIDENCE is null unless a check it takes part in holds with its value as read
//   (the arithmetic is the evidence that the doubtful digit is right);
// each such cell keeps its raw text and gets OCR_LOW_CONFIDENCE.
// Before that, a failing check may be settled by second readings of its cells (the reader's digits-only look at
// each cell alone, extract.ts): taken only when exactly one set of them makes the check hold and breaks no
// check that held (OCR_REREAD); where two sets would, the cells they differ on are null (OCR_LOW_CONFIDENCE).
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
  /** null: a cell of it is not a number (blank, unreadable, not printed) */
  holds: boolean | null;
}

const APPLICANTS = REQUEST_COLUMNS.map(([c]) => c).filter((c) => c !== 'total');
const near = (a: number, b: number) => Math.abs(a - b) < 1e-6;

type Tables = Pick<Report, 'requests' | 'appeals'>;

/** A cell path ("requests.granted.total") → its row in the report's tables and its column. */
const tableOf = (report: Partial<Pick<Report, 'active' | 'requests' | 'appeals'>>, path: string) => {
  const [section, row, col] = path.split('.') as ['active' | 'requests' | 'appeals', string, string];
  return { row: report[section]?.[row], col };
};

const valueAt = (report: Tables, path: string) => {
  const { row, col } = tableOf(report, path);
  return row?.[col];
};

/** Every check of checks.ts whose rows are there, and whether it holds (null when a cell is not a number). */
function checksOf(report: Pick<Report, 'requests' | 'appeals'>): Check[] {
  const out: Check[] = [];
  const add = (paths: string[], holds: (values: number[]) => boolean) => {
    const values = paths.map((path) => valueAt(report, path));
    out.push({ paths, holds: values.every((v): v is number => typeof v === 'number') ? holds(values) : null });
  };
  const requests = report.requests;
  if (requests) {
    for (const row of Object.keys(requests))
      add(
        [...APPLICANTS, 'total'].map((c) => `requests.${row}.${c}`),
        (vals) =>
          near(
            vals.slice(0, -1).reduce((a, b) => a + b, 0),
            vals[vals.length - 1],
          ),
      );
    for (const [column] of REQUEST_COLUMNS) {
      add(
        ['new', 'carried_over', 'total', 'carried_forward'].map((r) => `requests.${r}.${column}`),
        (vals) => near(vals[0] + vals[1], vals[2] + vals[3]),
      );
      const present = RESULT_ROWS.filter((k) => k in requests);
      if (present.length === RESULT_ROWS.length - ('other' in requests ? 3 : 1))
        add(
          [...present, 'total'].map((r) => `requests.${r}.${column}`),
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
        (vals) => near(vals[0] + vals[1] + vals[2] + vals[3], vals[4]),
      );
  return out;
}

/** Flags a cell loses when its second reading is taken or shows it was not empty. */
const SUPERSEDED = new Set(['CELL_BLANK', 'CELL_UNPARSEABLE']);

/**
 * Second readings, cell path → text; see the head of this file. A cell the page reading left empty or unreadable
 * takes part too: a check it made uncomputable may hold with its second reading (never with a 0, which adds no
 * evidence: the check would hold with the cell blank). One that reads as a number no check confirms is not blank:
 * null with OCR_LOW_CONFIDENCE.
 */
export function applyRereads(report: Tables, cells: Cell[], flags: Flag[], rereads: ReadonlyMap<string, string>): void {
  if (!rereads.size) return;
  const byPath = new Map(cells.map((cell) => [cell.path, cell]));
  const put = (path: string, value: number | null) => {
    const { row, col } = tableOf(report, path);
    if (row) row[col] = value;
  };
  const disputedPaths = new Set<string>();
  const secondReading = (cell: Cell) => {
    const text = rereads.get(cell.path);
    if (disputedPaths.has(cell.path)) return null;
    const parsed = parseCell(text);
    if (text === undefined || parsed.kind !== 'number' || parsed.value === cell.value) return null;
    return cell.value === null && parsed.value === 0 ? null : { cell, text, value: parsed.value };
  };
  const drop = (path: string, codes: Set<string>) => {
    for (let at = flags.length - 1; at >= 0; at--)
      if (flags[at].path === path && codes.has(flags[at].code)) flags.splice(at, 1);
  };
  const key = (check: Check) => check.paths.join('|');
  const MAX_CANDIDATES = 8;
  // each round settles one check; a settled cell may then confirm its neighbours' checks
  for (let round = 0; round < 16; round++) {
    const before = new Map(checksOf(report).map((check) => [key(check), check.holds]));
    const settle = (check: Check) => {
      const candidates = check.paths.flatMap((path) => {
        const cell = byPath.get(path);
        const second = cell && secondReading(cell);
        return second ? [second] : [];
      });
      // every cell that is not a number must have a second reading for the check to be computed
      const required = candidates.filter(({ cell }) => cell.value === null);
      const missing = check.paths.filter((path) => typeof valueAt(report, path) !== 'number');
      if (missing.length !== required.length) return false;
      const optional = candidates.filter(({ cell }) => cell.value !== null).slice(0, MAX_CANDIDATES);
      const subsets = (size: number, from = 0): (typeof optional)[] =>
        size === 0
          ? [[]]
          : optional.slice(from).flatMap((one, at) => subsets(size - 1, from + at + 1).map((rest) => [one, ...rest]));
      const working: (typeof optional)[] = [];
      for (let size = 0; size <= optional.length; size++)
        for (const subset of subsets(size)) {
          const change = [...required, ...subset];
          if (!change.length) continue;
          for (const { cell, value } of change) put(cell.path, value);
          const after = checksOf(report);
          // the check holds, and none that held or could not be computed now fails
          if (
            after.some((other) => key(other) === key(check) && other.holds === true) &&
            after.every((other) => other.holds !== false || before.get(key(other)) === false)
          )
            working.push(change);
          for (const { cell } of change) put(cell.path, cell.value);
        }
      if (!working.length) return false;
      // Where two ways make the check hold (a row read shifted on the page, "8 4" for "4 8", adds up with its
      // first readings too) the cells they differ on cannot be told: null, never to be settled again. A second
      // reading every way takes is taken.
      const candidatesOf = [...required, ...optional];
      const taken = candidatesOf.filter((candidate) => working.every((change) => change.includes(candidate)));
      const disputed = candidatesOf.filter(
        (candidate) => working.some((change) => change.includes(candidate)) && !taken.includes(candidate),
      );
      for (const { cell, text, value } of taken) {
        flags.push(
          flag(
            'OCR_REREAD',
            cell.path,
            `OCR read ${JSON.stringify(cell.raw)} on the page and ${JSON.stringify(text)} from the cell alone, digits only; with the second reading a row/column check that ${cell.value === null ? 'could not be computed' : 'failed'} holds`,
          ),
        );
        drop(cell.path, SUPERSEDED);
        put(cell.path, value);
        cell.value = value;
        cell.raw = text;
      }
      for (const { cell, text } of disputed) {
        flags.push(
          flag(
            'OCR_LOW_CONFIDENCE',
            cell.path,
            `OCR read ${JSON.stringify(cell.raw)} on the page and ${JSON.stringify(text)} from the cell alone; a row/column check holds with either, so neither is taken`,
          ),
        );
        drop(cell.path, SUPERSEDED);
        put(cell.path, null);
        cell.value = null;
        disputedPaths.add(cell.path);
      }
      return true;
    };
    const open = checksOf(report).filter((check) => check.holds !== true);
    if (!open.some(settle)) break;
  }
  // an empty cell whose second reading is a number that no check confirms: not blank, not known either
  for (const cell of cells) {
    const second = cell.value === null ? secondReading(cell) : null;
    if (!second) continue;
    drop(cell.path, SUPERSEDED);
    flags.push(
      flag(
        'OCR_LOW_CONFIDENCE',
        cell.path,
        `OCR left the cell ${cell.raw ? `as ${JSON.stringify(cell.raw)}` : 'empty'} on the page; read alone it shows ${JSON.stringify(second.text)}, which no check confirms`,
      ),
    );
    cell.raw = second.text;
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
    const contradicted = mine.some((check) => check.holds === false);
    const confirmed = mine.some((check) => check.holds === true);
    // a cell a holding check confirms stands even beside a failing one: the misread cell is among the others
    if (confirmed || (!contradicted && confidence >= OCR_MIN_CONFIDENCE)) continue;
    const { row, col } = tableOf(report, cell.path);
    if (row) row[col] = null;
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
