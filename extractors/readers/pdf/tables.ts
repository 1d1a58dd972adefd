// Ruling tables → grids, across pages. A table cut by a page break comes back as one part per page, often with
// different column boundaries (the second part has sub-columns the first lacks), a vertically merged label that
// restarts empty on the new page, and a row that was split in two by the break. Parts are joined on their outer
// edges, gridded on the union of their column boundaries, and the break is mended where the evidence is clear.
import { cluster, type RulingTable } from './rulings.ts';
import { CJK, DIGITS, ENUMERATED } from './text.ts';

export type BBox = [number, number, number, number];

export interface PartCell {
  text: string;
  page: number;
  bbox: BBox;
  row: number;
  rowspan: number;
  x0: number;
  x1: number;
  /** Digits whose last line fills the cell: the number may go on in the next line, even on the next page. */
  full: boolean;
}

export interface TablePart {
  page: number;
  lastPage: number;
  y0: number;
  x0: number;
  x1: number;
  rows: number;
  colX: number[];
  cells: PartCell[];
  /** Row indexes at which a new page starts. */
  breaks: number[];
}

export interface GridCell {
  /** Copies made by span expansion share their origin's id. */
  id: number;
  text: string;
  page: number;
  bbox: BBox;
  origin: boolean;
  rowspan: number;
  colspan: number;
  full: boolean;
}

export const round = (box: number[]): BBox => box.map((v) => Math.round(v * 10) / 10) as BBox;

export function partOf(
  table: RulingTable,
  page: number,
  textOf: (cell: RulingTable['cells'][number]) => { text: string; full: boolean },
): TablePart {
  return {
    page,
    lastPage: page,
    y0: table.y0,
    x0: table.x0,
    x1: table.x1,
    rows: table.rows,
    colX: [...table.colX],
    breaks: [],
    cells: table.cells.map((cell) => ({
      ...textOf(cell),
      page,
      bbox: round([cell.x0, cell.y0, cell.x1, cell.y1]),
      row: cell.row,
      rowspan: cell.rowspan,
      x0: cell.x0,
      x1: cell.x1,
    })),
  };
}

/** Same outer edges, on the next page: the same table going on (the caller checks nothing lies between). */
export function continues(upper: TablePart, lower: TablePart): boolean {
  return lower.page === upper.lastPage + 1 && Math.abs(upper.x0 - lower.x0) < 3 && Math.abs(upper.x1 - lower.x1) < 3;
}

const rowText = (part: TablePart, row: number) =>
  part.cells
    .filter((c) => c.row === row)
    .sort((x, y) => x.x0 - y.x0)
    .map((c) => c.text)
    .join('|');

export function join(upper: TablePart, lower: TablePart): TablePart {
  // A header repeated on the new page (Word's "repeat header rows") is dropped.
  let skip = 0;
  for (const headerRows of [3, 2, 1])
    if (
      lower.rows > headerRows &&
      upper.rows > headerRows &&
      Array.from({ length: headerRows }, (_, r) => r).every(
        (r) => rowText(lower, r) && rowText(lower, r) === rowText(upper, r),
      )
    ) {
      skip = headerRows;
      break;
    }
  const moved = lower.cells
    .filter((c) => c.row + c.rowspan > skip)
    .map((cell) => {
      const row = Math.max(cell.row, skip);
      return { ...cell, row: row - skip + upper.rows, rowspan: cell.row + cell.rowspan - row };
    });
  return {
    ...upper,
    lastPage: lower.page,
    rows: upper.rows + lower.rows - skip,
    colX: [...upper.colX, ...lower.colX],
    cells: [...upper.cells, ...moved],
    breaks: [...upper.breaks, upper.rows, ...lower.breaks.map((r) => r - skip + upper.rows)],
  };
}

let nextId = 1;

export function toGrid(part: TablePart): GridCell[][] {
  const colX = cluster(part.colX);
  const nearest = (x: number) => {
    let best = 0;
    for (let k = 1; k < colX.length; k++) if (Math.abs(colX[k] - x) < Math.abs(colX[best] - x)) best = k;
    return best;
  };
  const colCount = Math.max(1, colX.length - 1);
  const grid: (GridCell | undefined)[][] = Array.from({ length: part.rows }, () =>
    Array.from<GridCell | undefined>({ length: colCount }),
  );
  for (const partCell of part.cells) {
    const firstCol = nearest(partCell.x0);
    const endCol = Math.max(firstCol + 1, nearest(partCell.x1));
    const cell: GridCell = {
      id: nextId++,
      text: partCell.text,
      page: partCell.page,
      bbox: partCell.bbox,
      origin: true,
      rowspan: partCell.rowspan,
      colspan: endCol - firstCol,
      full: partCell.full,
    };
    for (let r = partCell.row; r < partCell.row + partCell.rowspan && r < part.rows; r++)
      for (let k = firstCol; k < endCol && k < colCount; k++)
        if (!grid[r][k]) grid[r][k] = r === partCell.row && k === firstCol ? cell : { ...cell, origin: false };
  }
  // A position no detected cell covers (a broken ruling) is an empty cell, not a hole.
  const out = grid.map((row) =>
    row.map(
      (cell, col) =>
        cell ?? {
          id: nextId++,
          text: '',
          page: part.page,
          bbox: round([colX[col], part.y0, colX[col + 1] ?? colX[col], part.y0]),
          origin: true,
          rowspan: 1,
          colspan: 1,
          full: false,
        },
    ),
  );
  // In page order: a label carried onto page 2 must be in place before it can be carried onto page 3.
  let removed = 0;
  for (const breakRow of [...part.breaks].sort((x, y) => x - y)) removed += mendBreak(out, breakRow - removed);
  return sync(out);
}

const originOf = (grid: GridCell[][], id: number): GridCell | undefined => {
  for (const row of grid) for (const cell of row) if (cell.id === id && cell.origin) return cell;
  return undefined;
};

const isDigits = (text: string) => DIGITS.test(text);

/**
 * A number above a cell of text on the new page: two rows, unless it is a label's enumerator whose words OCR lost
 * ("3" of "3.补正后…", the rest "后申请内容仍不明确" over the break) and words of a label, not a placeholder, go on.
 */
const isNumberAbove = (above: string, below: string) =>
  isDigits(above) && !(/^\d{1,2}[.、．]?$/.test(above) && (below.match(/[\u3400-\u9fff]/g) ?? []).length >= 4);

/** Repairs what a page break did to row `breakRow` (the first row on the new page). */
function mendBreak(grid: GridCell[][], breakRow: number): number {
  if (breakRow <= 0 || breakRow >= grid.length) return 0;
  const lastOld = grid[breakRow - 1];
  const firstNew = grid[breakRow];
  // 1. A vertically merged label restarts as an empty cell on the new page: it is the same cell going on.
  for (let c = 0; c < firstNew.length; c++) {
    const blank = firstNew[c];
    if (!blank.origin || blank.text || (c > 0 && firstNew[c - 1].id === blank.id)) continue;
    const above = originOf(grid, lastOld[c].id);
    if (
      !above ||
      !above.text ||
      isDigits(above.text) ||
      above.colspan !== blank.colspan ||
      (c > 0 && lastOld[c - 1].id === lastOld[c].id)
    )
      continue;
    // the label above was merged down, or the empty cell is itself merged down: a blank would not be
    if (!(above.rowspan > 1 || !lastOld[c].origin || blank.rowspan > 1)) continue;
    for (const row of grid)
      for (let k = 0; k < row.length; k++) if (row[k].id === blank.id) row[k] = { ...above, origin: false };
    above.rowspan += blank.rowspan;
  }
  // 2. A row split by the break: the new page's first row holds only the rest of the label (and the rest of numbers
  //    that filled their cells). Anything else — a number under a number that did not fill its cell, a label that
  //    starts with its own enumerator — means two rows, which stay apart.
  const starts = firstNew
    .map((cell, col) => ({ cell, col }))
    .filter(({ cell, col }) => cell.origin && (col === 0 || firstNew[col - 1].id !== cell.id));
  const filled = starts.filter(({ cell }) => cell.text);
  if (!filled.length) return 0;
  for (const { cell, col } of starts) {
    const above = originOf(grid, lastOld[col].id);
    if (!above || above.colspan !== cell.colspan || (col > 0 && lastOld[col - 1].id === lastOld[col].id)) return 0;
    // a label merged down over the rows of the new page is the rest of a label merged down on the old one
    if (cell.rowspan !== 1 && !(cell.text && above.text && !isDigits(above.text))) return 0;
    if (!cell.text) continue;
    if (ENUMERATED.test(cell.text)) return 0;
    if (
      isDigits(cell.text) ? !(isDigits(above.text) && above.full) : !above.text || isNumberAbove(above.text, cell.text)
    )
      return 0;
  }
  for (const { cell, col } of filled) {
    const above = originOf(grid, lastOld[col].id)!;
    above.text = isDigits(cell.text)
      ? above.text + cell.text
      : above.text + (CJK.test(above.text.slice(-1)) || CJK.test(cell.text[0]) ? '' : ' ') + cell.text;
    above.full = cell.full;
    if (cell.rowspan > 1) {
      // the merged label goes on below: its copies become the old cell's copies
      above.rowspan += cell.rowspan;
      for (const row of grid)
        for (let k = 0; k < row.length; k++) if (row[k].id === cell.id) row[k] = { ...above, origin: false };
    }
  }
  for (const row of grid)
    for (const cell of row)
      if (
        cell.origin &&
        grid.indexOf(row) < breakRow &&
        cell.rowspan > 1 &&
        grid.indexOf(row) + cell.rowspan > breakRow
      )
        cell.rowspan--;
  grid.splice(breakRow, 1);
  return 1;
}

/** Copies take their origin's final text and spans. */
function sync(grid: GridCell[][]): GridCell[][] {
  const origins = new Map<number, GridCell>();
  for (const row of grid) for (const cell of row) if (cell.origin) origins.set(cell.id, cell);
  return grid.map((row) => row.map((c) => (c.origin ? c : { ...(origins.get(c.id) ?? c), origin: false })));
}
