// Tables printed without ruling lines: rebuilt from text positions.
// - Number columns come from lines that carry three or more numbers ("strong" rows); a region is a run of number
//   lines whose numbers all sit on those columns.
// - Each number line is a row. Label text (left of the number columns) is split into sub-columns by x; in each
//   sub-column the fragments chained to the row by line spacing (a wrapped label: lines closer than 1.45 line
//   heights) are that row's label cell. Labels centred on their numbers chain upwards too.
// - Text in the number zone that is not a number (a header row) ends the region: headers stay paragraphs.
// Anything not placed in a row stays text for the paragraphs.
import { CJK, type Item } from './text.ts';

export interface PosCell {
  text: string;
  bbox: [number, number, number, number];
}

export interface PosTable {
  rows: PosCell[][];
  bbox: [number, number, number, number];
}

const NUMBER = /^[+-]?\d[\d,]*(\.\d+)?$/;

/** Items holding "0 0 0" (one run) are split into one item per number. */
function splitNumbers(items: Item[]): Item[] {
  const out: Item[] = [];
  for (const it of items) {
    const text = it.str.trim();
    const parts = text.split(/\s+/);
    if (parts.length > 1 && parts.every((p) => NUMBER.test(p))) {
      const w = (it.x1 - it.x0) / text.length;
      let pos = 0;
      for (const p of parts) {
        const at = text.indexOf(p, pos);
        out.push({ ...it, str: p, x0: it.x0 + at * w, x1: it.x0 + (at + p.length) * w });
        pos = at + p.length;
      }
    } else out.push({ ...it, str: text });
  }
  return out;
}

interface NumLine {
  y: number;
  y0: number;
  y1: number;
  nums: Item[];
}

const mid = (i: Item) => (i.x0 + i.x1) / 2;
const cy = (i: Item) => (i.y0 + i.y1) / 2;

function groupByY(items: Item[], size: number): Item[][] {
  const sorted = [...items].sort((a, b) => cy(a) - cy(b));
  const out: Item[][] = [];
  for (const it of sorted) {
    const cur = out[out.length - 1];
    if (cur && Math.abs(cy(it) - cy(cur[0])) < 0.5 * size) cur.push(it);
    else out.push([it]);
  }
  return out.map((l) => l.sort((a, b) => a.x0 - b.x0));
}

export function positionalTables(input: Item[]): { tables: PosTable[]; rest: Item[] } {
  if (!input.length) return { tables: [], rest: input };
  const items = splitNumbers(input);
  const size = items.map((i) => i.size).sort((a, b) => a - b)[Math.floor(items.length / 2)] || 10;
  const isNum = (i: Item) => NUMBER.test(i.str);
  const lines: NumLine[] = groupByY(items.filter(isNum), size).map((nums) => ({
    y: cy(nums[0]),
    y0: Math.min(...nums.map((n) => n.y0)),
    y1: Math.max(...nums.map((n) => n.y1)),
    nums,
  }));
  const words = items.filter((i) => !isNum(i));
  // A table row's numbers stand apart with nothing but space between them; prose ("2024年1月1日") has words there.
  const clean = (l: NumLine) =>
    l.nums.every(
      (n, k) =>
        k === 0 ||
        (n.x0 - l.nums[k - 1].x1 > 0.8 * size &&
          !words.some(
            (w) => Math.abs(cy(w) - l.y) < 0.5 * size && w.x0 >= l.nums[k - 1].x1 - 0.1 && w.x1 <= n.x0 + 0.1,
          )),
    );
  const used = new Set<Item>();
  const taken = new Set<NumLine>();
  const tables: PosTable[] = [];
  let i = 0;
  while (i < lines.length) {
    if (lines[i].nums.length < 3 || !clean(lines[i])) {
      i++;
      continue;
    }
    // Columns from the strong row; the region grows over rows whose numbers sit on them.
    const cols = lines[i].nums.map(mid);
    const on = (n: Item) => cols.some((x) => Math.abs(x - mid(n)) < 1.5 * size);
    const zone = Math.min(...lines[i].nums.map((n) => n.x0)) - 0.5 * size;
    let j = i;
    // a region may start above its first strong row (a one-number row), but only from rows that fit
    let s = i;
    while (
      s > 0 &&
      clean(lines[s - 1]) &&
      lines[s - 1].nums.every(on) &&
      !headerBetween(words, lines[s - 1], lines[s], zone)
    )
      s--;
    while (
      j + 1 < lines.length &&
      clean(lines[j + 1]) &&
      lines[j + 1].nums.every(on) &&
      !headerBetween(words, lines[j], lines[j + 1], zone)
    )
      j++;
    const rows = lines.slice(s, j + 1);
    if (rows.length < 2) {
      i = j + 1;
      continue;
    }
    // lines a wrapped label never runs into: other number lines and header text in the number zone
    const headers = words.filter((w) => w.x0 >= zone).map(cy);
    const stops = [...lines.map((l) => l.y), ...headers];
    tables.push(build(rows, cols, zone, words, size, used, stops, headers));
    rows.forEach((r) => taken.add(r));
    i = j + 1;
  }
  // Rows of one or two numbers (行政许可 5) have no strong row to give columns: a header line above them does
  // ("信息内容  本年处理决定数量"): its second and later segments are the columns.
  // a row is label then numbers: no text after its first number (prose interleaves them)
  const rowLike = (l: NumLine) => !words.some((w) => Math.abs(cy(w) - l.y) < 0.5 * size && w.x1 > l.nums[0].x0 + 0.1);
  const numberYs = lines.map((l) => l.y);
  for (const h of headerLines(words, size).filter((h) => !numberYs.some((y) => Math.abs(y - cy(h[0])) < 0.5 * size))) {
    const cols = h.slice(1).map(mid);
    // numbers sit right of the label column, one per header column (nearest by x: a header centred over a wide
    // merged cell and its left-aligned number are far apart, but still nearest to each other)
    const zone = h[0].x1 + 0.5 * size;
    const nearest = (n: Item) =>
      cols.reduce((k, x, q) => (Math.abs(x - mid(n)) < Math.abs(cols[k] - mid(n)) ? q : k), 0);
    const fits = (l: NumLine) =>
      l.nums.every((n) => n.x0 >= zone) && new Set(l.nums.map(nearest)).size === l.nums.length;
    const below = lines.filter((l) => l.y > cy(h[0]) && !taken.has(l));
    const rows: NumLine[] = [];
    for (const l of below) {
      const prevY = rows.length ? rows[rows.length - 1].y1 : cy(h[0]) + 0.5 * size;
      if (!clean(l) || !fits(l) || !rowLike(l)) break;
      if (words.some((w) => w.x0 >= zone && cy(w) > prevY && cy(w) < l.y0)) break;
      rows.push(l);
    }
    if (!rows.length) continue;
    const headers = words.filter((w) => w.x0 >= zone).map(cy);
    tables.push(build(rows, cols, zone, words, size, used, [...lines.map((l) => l.y), ...headers], headers));
    rows.forEach((r) => taken.add(r));
  }
  tables.sort((a, b) => a.bbox[1] - b.bbox[1]);
  return { tables, rest: input.filter((it) => !consumed(it, used, tables)) };
}

/** Lines of two or more text segments set apart by wide gaps, none of them a number: table header rows. */
function headerLines(words: Item[], size: number): Item[][] {
  const out: Item[][] = [];
  for (const line of groupByY(words, size)) {
    const segs: Item[] = [];
    for (const w of line) {
      const last = segs[segs.length - 1];
      if (last && w.x0 - last.x1 < 1.5 * size) segs[segs.length - 1] = { ...last, str: last.str + w.str, x1: w.x1 };
      else segs.push({ ...w });
    }
    if (segs.length >= 2) out.push(segs);
  }
  return out;
}

/** Non-number text in the number zone between two number lines: a header row, so a table boundary. */
function headerBetween(words: Item[], a: NumLine, b: NumLine, zone: number): boolean {
  return words.some((w) => w.x0 >= zone && cy(w) > a.y1 && cy(w) < b.y0);
}

function build(
  rows: NumLine[],
  cols: number[],
  zone: number,
  words: Item[],
  size: number,
  used: Set<Item>,
  stops: number[],
  headers: number[],
): PosTable {
  const top = rows[0].y0 - 0.2 * size;
  const bottom = rows[rows.length - 1].y1 + 6 * size;
  const labels = words.filter((w) => w.x1 <= zone + size && cy(w) >= top - 6 * size && cy(w) <= bottom);
  // Label sub-columns: the x ranges covered by label fragments, joined where they touch (letter-spaced "规 章" is one
  // column). Fragments wider than half the label zone (a label merged across sub-columns) do not join columns.
  const minX = Math.min(...labels.map((w) => w.x0), zone);
  const narrow = labels.filter((w) => w.x1 - w.x0 < 0.5 * (zone - minX)).sort((a, b) => a.x0 - b.x0);
  const spans: Array<[number, number]> = [];
  for (const w of narrow) {
    const last = spans[spans.length - 1];
    if (last && w.x0 <= last[1] + 0.8 * size) last[1] = Math.max(last[1], w.x1);
    else spans.push([w.x0, w.x1]);
  }
  const subs = spans.length ? spans.map((sp) => sp[0]) : [minX];
  const subOf = (w: Item) => {
    let k = 0;
    for (let q = 1; q < subs.length; q++) if (w.x0 >= subs[q] - 0.5 * size) k = q;
    return k;
  };
  const topAligned =
    rows.filter((r) => labels.some((w) => Math.abs(cy(w) - r.y) < 0.5 * size)).length >= 0.7 * rows.length;
  const step = 1.45 * size;
  const out: PosCell[][] = [];
  for (const [ri, r] of rows.entries()) {
    const next = rows[ri + 1];
    const prev = rows[ri - 1];
    const cells: PosCell[] = [];
    for (let k = 0; k < Math.max(1, subs.length); k++) {
      const pool = labels.filter((w) => subOf(w) === k && !used.has(w));
      const chain: Item[] = pool.filter((w) => Math.abs(cy(w) - r.y) < 0.5 * size);
      // downwards: the label wraps under its first line, never into the next row's line
      let y = chain.length ? Math.max(...chain.map(cy)) : r.y;
      for (;;) {
        const nxt = pool.filter(
          (w) =>
            !chain.includes(w) &&
            cy(w) > y + 0.5 * size &&
            cy(w) - y <= step &&
            (!next || cy(w) < next.y - 0.5 * size) &&
            !stops.some((t) => t > r.y + 0.5 * size && t < cy(w) + 0.5 * size),
        );
        if (!nxt.length) break;
        chain.push(...nxt);
        y = Math.max(...nxt.map(cy));
      }
      // a line right above a header row is that header's caption ("第二十条第（五）项"), not the end of this label
      if (y > r.y + 0.5 * size && headers.some((t) => t > y + 0.5 * size && t - y <= step + 0.5 * size)) {
        const lastY = y;
        for (let q = chain.length - 1; q >= 0; q--) if (Math.abs(cy(chain[q]) - lastY) < 0.5 * size) chain.splice(q, 1);
      }
      if (!topAligned) {
        let y2 = chain.length ? Math.min(...chain.map(cy)) : r.y;
        for (;;) {
          const up = pool.filter(
            (w) =>
              !chain.includes(w) &&
              cy(w) < y2 - 0.5 * size &&
              y2 - cy(w) <= step &&
              (!prev || cy(w) > prev.y + 0.5 * size) &&
              !stops.some((t) => t < r.y - 0.5 * size && t > cy(w) - 0.5 * size),
          );
          if (!up.length) break;
          chain.push(...up);
          y2 = Math.min(...up.map(cy));
        }
      }
      chain.forEach((w) => used.add(w));
      const ordered = groupByY(chain, size).flat();
      let text = '';
      for (const w of ordered) text += text && !CJK.test(text.slice(-1)) && !CJK.test(w.str[0]) ? ` ${w.str}` : w.str;
      cells.push({
        text,
        bbox: chain.length
          ? [
              Math.min(...chain.map((w) => w.x0)),
              Math.min(...chain.map((w) => w.y0)),
              Math.max(...chain.map((w) => w.x1)),
              Math.max(...chain.map((w) => w.y1)),
            ]
          : [subs[k] ?? 0, r.y0, subs[k] ?? 0, r.y1],
      });
    }
    const numCells: PosCell[] = cols.map((x) => ({ text: '', bbox: [x, r.y0, x, r.y1] }));
    for (const n of r.nums) {
      let k = 0;
      for (let q = 1; q < cols.length; q++) if (Math.abs(cols[q] - mid(n)) < Math.abs(cols[k] - mid(n))) k = q;
      const c = numCells[k];
      // Two numbers on one column stay apart ("3 4"): the mapper flags them instead of guessing.
      c.bbox = c.text ? [Math.min(c.bbox[0], n.x0), n.y0, Math.max(c.bbox[2], n.x1), n.y1] : [n.x0, n.y0, n.x1, n.y1];
      c.text = c.text ? `${c.text} ${n.str}` : n.str;
    }
    out.push([...cells, ...numCells]);
  }
  const all = out.flat().map((c) => c.bbox);
  return {
    rows: out,
    bbox: [
      Math.min(...all.map((b) => b[0])),
      Math.min(...all.map((b) => b[1])),
      Math.max(...all.map((b) => b[2])),
      Math.max(...all.map((b) => b[3])),
    ],
  };
}

/** An input item is consumed when it became a number cell or (after splitting) a label fragment. */
function consumed(it: Item, used: Set<Item>, tables: PosTable[]): boolean {
  for (const u of used) if (u.y0 === it.y0 && u.x0 === it.x0 && u.str === it.str.trim()) return true;
  const cx = (it.x0 + it.x1) / 2;
  const y = (it.y0 + it.y1) / 2;
  return (
    NUMBER.test(it.str.trim().split(/\s+/)[0] ?? '') &&
    tables.some((t) =>
      t.rows.some((r) =>
        r.some((c) => c.text && cx >= c.bbox[0] - 1 && cx <= c.bbox[2] + 1 && y >= c.bbox[1] - 1 && y <= c.bbox[3] + 1),
      ),
    )
  );
}
