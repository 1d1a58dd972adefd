// Tables printed without ruling lines: rebuild rows from text positions. A run of consecutive lines that each hold a
// label and at least two numbers separated by wide gaps becomes a table; the numbers are placed in columns anchored
// on their x positions across the run, the text before them is the row label.
import type { Item, Line } from './text.ts';

export interface PosCell {
  text: string;
  bbox: [number, number, number, number];
}

export interface PosTable {
  /** index range of the lines it was built from */
  first: number;
  last: number;
  rows: PosCell[][];
  bbox: [number, number, number, number];
}

const NUMBER = /^[+-]?\d[\d,]*(\.\d+)?$/;

interface Segment {
  text: string;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** Splits a line at gaps wider than ~1.5 characters. */
function segments(line: Line): Segment[] {
  const out: Segment[] = [];
  let cur: Item[] = [];
  const flush = () => {
    if (!cur.length) return;
    const text = cur.map((i) => i.str).join('').replace(/\s+/g, ' ').trim();
    if (text) {
      // pdf.js may deliver "0 0 0" as one run: split on inner spaces when all parts are numbers.
      const parts = text.split(' ');
      if (parts.length > 1 && parts.every((p) => NUMBER.test(p))) {
        const x0 = cur[0].x0;
        const x1 = cur[cur.length - 1].x1;
        const w = (x1 - x0) / text.length;
        let pos = 0;
        for (const p of parts) {
          const at = text.indexOf(p, pos);
          out.push({ text: p, x0: x0 + at * w, x1: x0 + (at + p.length) * w, y0: line.y0, y1: line.y1 });
          pos = at + p.length;
        }
      } else {
        out.push({ text, x0: cur[0].x0, x1: cur[cur.length - 1].x1, y0: line.y0, y1: line.y1 });
      }
    }
    cur = [];
  };
  for (const it of line.items) {
    const prev = cur[cur.length - 1];
    if (prev && it.x0 - prev.x1 > 1.5 * it.size) flush();
    cur.push(it);
  }
  flush();
  return out;
}

function tabular(segs: Segment[]): boolean {
  const nums = segs.filter((s) => NUMBER.test(s.text)).length;
  return nums >= 2 && segs.length >= 3 && NUMBER.test(segs[segs.length - 1].text);
}

export function positionalTables(lines: Line[]): PosTable[] {
  const segs = lines.map(segments);
  const out: PosTable[] = [];
  let i = 0;
  while (i < lines.length) {
    if (!tabular(segs[i])) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < lines.length && tabular(segs[j + 1])) j++;
    if (j > i) out.push(build(segs.slice(i, j + 1), i, j));
    i = j + 1;
  }
  return out;
}

function build(rows: Segment[][], first: number, last: number): PosTable {
  const size = Math.max(...rows.flat().map((s) => s.y1 - s.y0), 8);
  // Column anchors: right edges of numbers (numbers are usually right- or centre-aligned), clustered.
  const edges = rows.flatMap((r) => r.filter((s) => NUMBER.test(s.text)).map((s) => (s.x0 + s.x1) / 2)).sort((a, b) => a - b);
  const anchors: number[][] = [];
  for (const x of edges) {
    const c = anchors[anchors.length - 1];
    if (c && x - c[c.length - 1] < 1.2 * size) c.push(x);
    else anchors.push([x]);
  }
  const centres = anchors.map((c) => c.reduce((a, b) => a + b, 0) / c.length);
  const firstNumX = Math.min(...centres) - 1.2 * size;
  const grid: PosCell[][] = rows.map((r) => {
    const label = r.filter((s) => (s.x0 + s.x1) / 2 < firstNumX || !NUMBER.test(s.text));
    const row: PosCell[] = [
      label.length
        ? { text: label.map((s) => s.text).join(''), bbox: [label[0].x0, label[0].y0, label[label.length - 1].x1, label[0].y1] }
        : { text: '', bbox: [r[0].x0, r[0].y0, r[0].x0, r[0].y1] },
    ];
    const cols: PosCell[] = centres.map((x) => ({ text: '', bbox: [x, r[0].y0, x, r[0].y1] }));
    for (const s of r) {
      if (label.includes(s)) continue;
      const mid = (s.x0 + s.x1) / 2;
      let k = 0;
      for (let q = 1; q < centres.length; q++) if (Math.abs(centres[q] - mid) < Math.abs(centres[k] - mid)) k = q;
      const cell = cols[k];
      // Two numbers landing in one column stay apart ("3 4"): the mapper flags them instead of guessing.
      cell.text = cell.text ? `${cell.text} ${s.text}` : s.text;
      cell.bbox = cell.text === s.text ? [s.x0, s.y0, s.x1, s.y1] : [cell.bbox[0], s.y0, s.x1, s.y1];
    }
    return row.concat(cols);
  });
  const all = rows.flat();
  return {
    first, last, rows: grid,
    bbox: [Math.min(...all.map((s) => s.x0)), Math.min(...all.map((s) => s.y0)), Math.max(...all.map((s) => s.x1)), Math.max(...all.map((s) => s.y1))],
  };
}
