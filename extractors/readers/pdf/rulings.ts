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
  const hs: Seg[] = [];
  const vs: Seg[] = [];
  let ctm = [1, 0, 0, 1, 0, 0];
  const stack: number[][] = [];
  // A rectangle given in user space → viewport box.
  const box = (x0: number, y0: number, x1: number, y1: number) => {
    const m = multiply(page.transform, ctm);
    const ap = (x: number, y: number) => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
    const p = [ap(x0, y0), ap(x1, y1)];
    return [
      Math.min(p[0][0], p[1][0]),
      Math.min(p[0][1], p[1][1]),
      Math.max(p[0][0], p[1][0]),
      Math.max(p[0][1], p[1][1]),
    ];
  };
  const addBox = (b: number[], outline: boolean) => {
    const w = b[2] - b[0];
    const h = b[3] - b[1];
    if (w > 5 && h <= HAIRLINE) hs.push({ at: (b[1] + b[3]) / 2, a: b[0], b: b[2] });
    else if (h > 5 && w <= HAIRLINE) vs.push({ at: (b[0] + b[2]) / 2, a: b[1], b: b[3] });
    else if (outline && w > 5 && h > 5) {
      hs.push({ at: b[1], a: b[0], b: b[2] }, { at: b[3], a: b[0], b: b[2] });
      vs.push({ at: b[0], a: b[1], b: b[3] }, { at: b[2], a: b[1], b: b[3] });
    }
  };
  for (const op of page.draw) {
    if (op[0] === 'q') stack.push(ctm);
    else if (op[0] === 'Q') ctm = stack.pop() ?? ctm;
    else if (op[0] === 'cm') ctm = multiply(ctm, op.slice(1) as number[]);
    else addBox(box(op[1], op[2], op[3], op[4]), op[0] === 'S');
  }
  return grids(merge(hs), merge(vs));
}

/** Joins collinear segments that overlap or touch. */
function merge(segs: Seg[]): Seg[] {
  const sorted = [...segs].sort((p, q) => p.at - q.at || p.a - q.a);
  const out: Seg[] = [];
  for (const s of sorted) {
    const m = out.find((o) => Math.abs(o.at - s.at) < TOL && s.a <= o.b + TOL && s.b >= o.a - TOL);
    if (m) {
      m.a = Math.min(m.a, s.a);
      m.b = Math.max(m.b, s.b);
    } else out.push({ ...s });
  }
  return out;
}

const crosses = (h: Seg, v: Seg) => v.at >= h.a - TOL && v.at <= h.b + TOL && h.at >= v.a - TOL && h.at <= v.b + TOL;

/** Sorted positions with those closer than TOL to the previous kept one merged into it. */
export function cluster(xs: number[]): number[] {
  const out: number[] = [];
  for (const x of [...xs].sort((p, q) => p - q)) if (!out.length || x - out[out.length - 1] > TOL) out.push(x);
  return out;
}

/** Covered length of [a, b] by the segments at this position. */
function covered(segs: Seg[], at: number, a: number, b: number): number {
  let len = 0;
  for (const s of segs) if (Math.abs(s.at - at) < TOL) len += Math.max(0, Math.min(b, s.b) - Math.max(a, s.a));
  return len;
}

function grids(hs: Seg[], vs: Seg[]): RulingTable[] {
  // Connected components of crossing segments: one component per table.
  const parent = [...hs, ...vs].map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  hs.forEach((h, i) =>
    vs.forEach((v, j) => {
      if (crosses(h, v)) parent[find(i)] = find(hs.length + j);
    }),
  );
  const groups = new Map<number, { h: Seg[]; v: Seg[] }>();
  hs.forEach((h, i) => {
    const g = groups.get(find(i)) ?? { h: [], v: [] };
    g.h.push(h);
    groups.set(find(i), g);
  });
  vs.forEach((v, j) => {
    const g = groups.get(find(hs.length + j)) ?? { h: [], v: [] };
    g.v.push(v);
    groups.set(find(hs.length + j), g);
  });
  const out: RulingTable[] = [];
  for (const { h, v } of groups.values()) {
    if (h.length < 2 || v.length < 2) continue;
    const rowY = cluster(h.map((s) => s.at));
    const colX = cluster(v.map((s) => s.at));
    const R = rowY.length - 1;
    const C = colX.length - 1;
    if (R < 1 || C < 1) continue;
    // Elementary cells joined where the border between them is (mostly) absent.
    const id = (r: number, c: number) => r * C + c;
    const p = Array.from({ length: R * C }, (_, i) => i);
    const f = (i: number): number => (p[i] === i ? i : (p[i] = f(p[i])));
    for (let r = 0; r < R; r++)
      for (let c = 0; c < C; c++) {
        const hgt = rowY[r + 1] - rowY[r];
        const wid = colX[c + 1] - colX[c];
        if (c + 1 < C && covered(v, colX[c + 1], rowY[r], rowY[r + 1]) < 0.5 * hgt) p[f(id(r, c + 1))] = f(id(r, c));
        if (r + 1 < R && covered(h, rowY[r + 1], colX[c], colX[c + 1]) < 0.5 * wid) p[f(id(r + 1, c))] = f(id(r, c));
      }
    const spans = new Map<number, { r0: number; r1: number; c0: number; c1: number }>();
    for (let r = 0; r < R; r++)
      for (let c = 0; c < C; c++) {
        const k = f(id(r, c));
        const s = spans.get(k);
        if (!s) spans.set(k, { r0: r, r1: r, c0: c, c1: c });
        else
          Object.assign(s, {
            r0: Math.min(s.r0, r),
            r1: Math.max(s.r1, r),
            c0: Math.min(s.c0, c),
            c1: Math.max(s.c1, c),
          });
      }
    const cells: GridCell[] = [...spans.values()].map((s) => ({
      x0: colX[s.c0],
      y0: rowY[s.r0],
      x1: colX[s.c1 + 1],
      y1: rowY[s.r1 + 1],
      row: s.r0,
      col: s.c0,
      rowspan: s.r1 - s.r0 + 1,
      colspan: s.c1 - s.c0 + 1,
    }));
    out.push({ x0: colX[0], y0: rowY[0], x1: colX[C], y1: rowY[R], rows: R, cols: C, colX, cells });
  }
  return out.sort((a, b) => a.y0 - b.y0);
}
