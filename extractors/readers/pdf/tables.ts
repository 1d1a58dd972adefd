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

export const round = (b: number[]): BBox => b.map((v) => Math.round(v * 10) / 10) as BBox;

export function partOf(
  t: RulingTable,
  page: number,
  textOf: (c: RulingTable['cells'][number]) => { text: string; full: boolean },
): TablePart {
  return {
    page,
    lastPage: page,
    y0: t.y0,
    x0: t.x0,
    x1: t.x1,
    rows: t.rows,
    colX: [...t.colX],
    breaks: [],
    cells: t.cells.map((c) => ({
      ...textOf(c),
      page,
      bbox: round([c.x0, c.y0, c.x1, c.y1]),
      row: c.row,
      rowspan: c.rowspan,
      x0: c.x0,
      x1: c.x1,
    })),
  };
}

/** Same outer edges, on the next page: the same table going on (the caller checks nothing lies between). */
export function continues(a: TablePart, b: TablePart): boolean {
  return b.page === a.lastPage + 1 && Math.abs(a.x0 - b.x0) < 3 && Math.abs(a.x1 - b.x1) < 3;
}

const rowText = (p: TablePart, r: number) =>
  p.cells
    .filter((c) => c.row === r)
    .sort((x, y) => x.x0 - y.x0)
    .map((c) => c.text)
    .join('|');

export function join(a: TablePart, b: TablePart): TablePart {
  // A header repeated on the new page (Word's "repeat header rows") is dropped.
  let skip = 0;
  for (const k of [3, 2, 1])
    if (
      b.rows > k &&
      a.rows > k &&
      Array.from({ length: k }, (_, r) => r).every((r) => rowText(b, r) && rowText(b, r) === rowText(a, r))
    ) {
      skip = k;
      break;
    }
  const moved = b.cells
    .filter((c) => c.row + c.rowspan > skip)
    .map((c) => {
      const row = Math.max(c.row, skip);
      return { ...c, row: row - skip + a.rows, rowspan: c.row + c.rowspan - row };
    });
  return {
    ...a,
    lastPage: b.page,
    rows: a.rows + b.rows - skip,
    colX: [...a.colX, ...b.colX],
    cells: [...a.cells, ...moved],
    breaks: [...a.breaks, a.rows, ...b.breaks.map((r) => r - skip + a.rows)],
  };
}

let nextId = 1;

export function toGrid(p: TablePart): GridCell[][] {
  const colX = cluster(p.colX);
  const nearest = (v: number) => {
    let best = 0;
    for (let k = 1; k < colX.length; k++) if (Math.abs(colX[k] - v) < Math.abs(colX[best] - v)) best = k;
    return best;
  };
  const C = Math.max(1, colX.length - 1);
  const grid: (GridCell | undefined)[][] = Array.from({ length: p.rows }, () => new Array(C).fill(undefined));
  for (const c of p.cells) {
    const c0 = nearest(c.x0);
    const c1 = Math.max(c0 + 1, nearest(c.x1));
    const cell: GridCell = {
      id: nextId++,
      text: c.text,
      page: c.page,
      bbox: c.bbox,
      origin: true,
      rowspan: c.rowspan,
      colspan: c1 - c0,
      full: c.full,
    };
    for (let r = c.row; r < c.row + c.rowspan && r < p.rows; r++)
      for (let k = c0; k < c1 && k < C; k++)
        if (!grid[r][k]) grid[r][k] = r === c.row && k === c0 ? cell : { ...cell, origin: false };
  }
  // A position no detected cell covers (a broken ruling) is an empty cell, not a hole.
  const out = grid.map((row) =>
    row.map(
      (c, k) =>
        c ?? {
          id: nextId++,
          text: '',
          page: p.page,
          bbox: round([colX[k], p.y0, colX[k + 1] ?? colX[k], p.y0]),
          origin: true,
          rowspan: 1,
          colspan: 1,
          full: false,
        },
    ),
  );
  // In page order: a label carried onto page 2 must be in place before it can be carried onto page 3.
  let removed = 0;
  for (const b of [...p.breaks].sort((x, y) => x - y)) removed += mendBreak(out, b - removed);
  return sync(out);
}

const originOf = (grid: GridCell[][], id: number): GridCell | undefined => {
  for (const row of grid) for (const c of row) if (c.id === id && c.origin) return c;
  return undefined;
};

const isDigits = (s: string) => DIGITS.test(s);

/** Repairs what a page break did to row b (the first row on the new page). */
function mendBreak(grid: GridCell[][], b: number): number {
  if (b <= 0 || b >= grid.length) return 0;
  const A = grid[b - 1];
  const B = grid[b];
  // 1. A vertically merged label restarts as an empty cell on the new page: it is the same cell going on.
  for (let c = 0; c < B.length; c++) {
    const nb = B[c];
    if (!nb.origin || nb.text || (c > 0 && B[c - 1].id === nb.id)) continue;
    const above = originOf(grid, A[c].id);
    if (
      !above ||
      !above.text ||
      isDigits(above.text) ||
      above.colspan !== nb.colspan ||
      (c > 0 && A[c - 1].id === A[c].id)
    )
      continue;
    // the label above was merged down, or the empty cell is itself merged down: a blank would not be
    if (!(above.rowspan > 1 || !A[c].origin || nb.rowspan > 1)) continue;
    for (const row of grid)
      for (let k = 0; k < row.length; k++) if (row[k].id === nb.id) row[k] = { ...above, origin: false };
    above.rowspan += nb.rowspan;
  }
  // 2. A row split by the break: the new page's first row holds only the rest of the label (and the rest of numbers
  //    that filled their cells). Anything else — a number under a number that did not fill its cell, a label that
  //    starts with its own enumerator — means two rows, which stay apart.
  const starts = B.map((cell, c) => ({ cell, c })).filter(
    ({ cell, c }) => cell.origin && (c === 0 || B[c - 1].id !== cell.id),
  );
  const filled = starts.filter(({ cell }) => cell.text);
  if (!filled.length) return 0;
  for (const { cell, c } of starts) {
    const a = originOf(grid, A[c].id);
    if (!a || a.colspan !== cell.colspan || (c > 0 && A[c - 1].id === A[c].id)) return 0;
    // a label merged down over the rows of the new page is the rest of a label merged down on the old one
    if (cell.rowspan !== 1 && !(cell.text && a.text && !isDigits(a.text))) return 0;
    if (!cell.text) continue;
    if (ENUMERATED.test(cell.text)) return 0;
    if (isDigits(cell.text) ? !(isDigits(a.text) && a.full) : !a.text || isDigits(a.text)) return 0;
  }
  for (const { cell, c } of filled) {
    const a = originOf(grid, A[c].id)!;
    a.text = isDigits(cell.text)
      ? a.text + cell.text
      : a.text + (CJK.test(a.text.slice(-1)) || CJK.test(cell.text[0]) ? '' : ' ') + cell.text;
    a.full = cell.full;
    if (cell.rowspan > 1) {
      // the merged label goes on below: its copies become the old cell's copies
      a.rowspan += cell.rowspan;
      for (const row of grid)
        for (let k = 0; k < row.length; k++) if (row[k].id === cell.id) row[k] = { ...a, origin: false };
    }
  }
  for (const row of grid)
    for (const c of row)
      if (c.origin && grid.indexOf(row) < b && c.rowspan > 1 && grid.indexOf(row) + c.rowspan > b) c.rowspan--;
  grid.splice(b, 1);
  return 1;
}

/** Copies take their origin's final text and spans. */
function sync(grid: GridCell[][]): GridCell[][] {
  const origins = new Map<number, GridCell>();
  for (const row of grid) for (const c of row) if (c.origin) origins.set(c.id, c);
  return grid.map((row) => row.map((c) => (c.origin ? c : { ...(origins.get(c.id) ?? c), origin: false })));
}
