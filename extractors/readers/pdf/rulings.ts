// Ruling-line tables of one page, from the drawing operators: strokes and hairline fills (Word and WPS draw borders
// as thin filled rectangles). pdf-parse's getTable() returns only cell strings (no rectangles, no spans) and its
// grid builder misses cells whose borders merely touch, so the grid is rebuilt here: segments → connected
// components → row/column pivots → elementary cells merged where no border separates them.
import type { RawPage } from './pdfjs.ts';
import { multiply } from './text.ts';

export interface GridCell {
  /** Viewport coordinates (points, origin top-left). */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  row: number;
  col: number;
  rowspan: number;
  colspan: number;
}

export interface RulingTable {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  rows: number;
  cols: number;
  /** Column boundaries (x), cols + 1 of them: used to recognise the same table continuing on the next page. */
  colX: number[];
  cells: GridCell[];
}

const HAIRLINE = 2.5; // a filled rectangle thinner than this is a border line, not a shaded cell

const TOL = 2; // points: borders of one cell drawn separately rarely meet exactly

interface Seg {
  /** horizontal: y fixed, a..b along x; vertical: x fixed, a..b along y */
  at: number;
  a: number;
  b: number;
}

export function rulingTables(page: RawPage): RulingTable[] {
  const horizontals: Seg[] = [];
  const verticals: Seg[] = [];
  let ctm = [1, 0, 0, 1, 0, 0];
  const stack: number[][] = [];
  // A rectangle given in user space → viewport box.
  const box = (startX: number, startY: number, endX: number, endY: number) => {
    const matrix = multiply(page.transform, ctm);
    const apply = (x: number, y: number) => [
      matrix[0] * x + matrix[2] * y + matrix[4],
      matrix[1] * x + matrix[3] * y + matrix[5],
    ];
    const corners = [apply(startX, startY), apply(endX, endY)];
    return [
      Math.min(corners[0][0], corners[1][0]),
      Math.min(corners[0][1], corners[1][1]),
      Math.max(corners[0][0], corners[1][0]),
      Math.max(corners[0][1], corners[1][1]),
    ];
  };
  const addBox = (rect: number[], outline: boolean) => {
    const width = rect[2] - rect[0];
    const height = rect[3] - rect[1];
    if (width > 5 && height <= HAIRLINE) horizontals.push({ at: (rect[1] + rect[3]) / 2, a: rect[0], b: rect[2] });
    else if (height > 5 && width <= HAIRLINE) verticals.push({ at: (rect[0] + rect[2]) / 2, a: rect[1], b: rect[3] });
    else if (outline && width > 5 && height > 5) {
      horizontals.push({ at: rect[1], a: rect[0], b: rect[2] }, { at: rect[3], a: rect[0], b: rect[2] });
      verticals.push({ at: rect[0], a: rect[1], b: rect[3] }, { at: rect[2], a: rect[1], b: rect[3] });
    }
  };
  for (const drawOp of page.draw) {
    if (drawOp[0] === 'q') stack.push(ctm);
    else if (drawOp[0] === 'Q') ctm = stack.pop() ?? ctm;
    else if (drawOp[0] === 'cm') ctm = multiply(ctm, drawOp.slice(1) as number[]);
    else addBox(box(drawOp[1], drawOp[2], drawOp[3], drawOp[4]), drawOp[0] === 'S');
  }
  return grids(merge(horizontals), merge(verticals));
}

/** Joins collinear segments that overlap or touch. */
function merge(segs: Seg[]): Seg[] {
  const sorted = [...segs].sort((p, q) => p.at - q.at || p.a - q.a);
  const out: Seg[] = [];
  for (const seg of sorted) {
    const joined = out.find((o) => Math.abs(o.at - seg.at) < TOL && seg.a <= o.b + TOL && seg.b >= o.a - TOL);
    if (joined) {
      joined.a = Math.min(joined.a, seg.a);
      joined.b = Math.max(joined.b, seg.b);
    } else out.push({ ...seg });
  }
  return out;
}

const crosses = (h: Seg, v: Seg) => v.at >= h.a - TOL && v.at <= h.b + TOL && h.at >= v.a - TOL && h.at <= v.b + TOL;

/** Sorted positions with those closer than TOL to the previous kept one merged into it. */
export function cluster(positions: number[]): number[] {
  const out: number[] = [];
  for (const x of [...positions].sort((p, q) => p - q)) if (!out.length || x - out[out.length - 1] > TOL) out.push(x);
  return out;
}

/** Covered length of [start, end] by the segments at this position. */
function covered(segs: Seg[], at: number, start: number, end: number): number {
  let len = 0;
  for (const seg of segs)
    if (Math.abs(seg.at - at) < TOL) len += Math.max(0, Math.min(end, seg.b) - Math.max(start, seg.a));
  return len;
}

function grids(horizontals: Seg[], verticals: Seg[]): RulingTable[] {
  // Connected components of crossing segments: one component per table.
  const parent = [...horizontals, ...verticals].map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  horizontals.forEach((horizontal, hIndex) =>
    verticals.forEach((vertical, vIndex) => {
      if (crosses(horizontal, vertical)) parent[find(hIndex)] = find(horizontals.length + vIndex);
    }),
  );
  const groups = new Map<number, { horizontals: Seg[]; verticals: Seg[] }>();
  horizontals.forEach((horizontal, hIndex) => {
    const group = groups.get(find(hIndex)) ?? { horizontals: [], verticals: [] };
    group.horizontals.push(horizontal);
    groups.set(find(hIndex), group);
  });
  verticals.forEach((vertical, vIndex) => {
    const group = groups.get(find(horizontals.length + vIndex)) ?? { horizontals: [], verticals: [] };
    group.verticals.push(vertical);
    groups.set(find(horizontals.length + vIndex), group);
  });
  const out: RulingTable[] = [];
  for (const group of groups.values()) {
    if (group.horizontals.length < 2 || group.verticals.length < 2) continue;
    const rowY = cluster(group.horizontals.map((s) => s.at));
    const colX = cluster(group.verticals.map((s) => s.at));
    const rowCount = rowY.length - 1;
    const colCount = colX.length - 1;
    if (rowCount < 1 || colCount < 1) continue;
    // Elementary cells joined where the border between them is (mostly) absent.
    const id = (r: number, c: number) => r * colCount + c;
    const cellParent = Array.from({ length: rowCount * colCount }, (_, i) => i);
    const root = (i: number): number => (cellParent[i] === i ? i : (cellParent[i] = root(cellParent[i])));
    for (let r = 0; r < rowCount; r++)
      for (let c = 0; c < colCount; c++) {
        const hgt = rowY[r + 1] - rowY[r];
        const wid = colX[c + 1] - colX[c];
        if (c + 1 < colCount && covered(group.verticals, colX[c + 1], rowY[r], rowY[r + 1]) < 0.5 * hgt)
          cellParent[root(id(r, c + 1))] = root(id(r, c));
        if (r + 1 < rowCount && covered(group.horizontals, rowY[r + 1], colX[c], colX[c + 1]) < 0.5 * wid)
          cellParent[root(id(r + 1, c))] = root(id(r, c));
      }
    const spans = new Map<number, { r0: number; r1: number; c0: number; c1: number }>();
    for (let r = 0; r < rowCount; r++)
      for (let c = 0; c < colCount; c++) {
        const cellRoot = root(id(r, c));
        const span = spans.get(cellRoot);
        if (!span) spans.set(cellRoot, { r0: r, r1: r, c0: c, c1: c });
        else
          Object.assign(span, {
            r0: Math.min(span.r0, r),
            r1: Math.max(span.r1, r),
            c0: Math.min(span.c0, c),
            c1: Math.max(span.c1, c),
          });
      }
    const cells: GridCell[] = [...spans.values()].map((span) => ({
      x0: colX[span.c0],
      y0: rowY[span.r0],
      x1: colX[span.c1 + 1],
      y1: rowY[span.r1 + 1],
      row: span.r0,
      col: span.c0,
      rowspan: span.r1 - span.r0 + 1,
      colspan: span.c1 - span.c0 + 1,
    }));
    out.push({
      x0: colX[0],
      y0: rowY[0],
      x1: colX[colCount],
      y1: rowY[rowCount],
      rows: rowCount,
      cols: colCount,
      colX,
      cells,
    });
  }
  return out.sort((a, b) => a.y0 - b.y0);
}
