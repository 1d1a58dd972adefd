// Tables printed without ruling lines: rebuilt from text positions.
// - Number columns come from lines that carry three or more numbers ("strong" rows); a region is a run of number
//   lines whose numbers all sit on those columns.
// - Each number line is a row. Label text (left of the number columns) is split into sub-columns by x; in each
//   sub-column the fragments chained to the row by line spacing (a wrapped label: lines closer than 1.46 line
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
  for (const item of items) {
    const text = item.str.trim();
    const parts = text.split(/\s+/);
    if (parts.length > 1 && parts.every((p) => NUMBER.test(p))) {
      const charWidth = (item.x1 - item.x0) / text.length;
      let pos = 0;
      for (const part of parts) {
        const at = text.indexOf(part, pos);
        out.push({ ...item, str: part, x0: item.x0 + at * charWidth, x1: item.x0 + (at + part.length) * charWidth });
        pos = at + part.length;
      }
    } else out.push({ ...item, str: text });
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
const centreY = (i: Item) => (i.y0 + i.y1) / 2;

function groupByY(items: Item[], size: number): Item[][] {
  const sorted = [...items].sort((a, b) => centreY(a) - centreY(b));
  const out: Item[][] = [];
  for (const item of sorted) {
    const cur = out[out.length - 1];
    if (cur && Math.abs(centreY(item) - centreY(cur[0])) < 0.5 * size) cur.push(item);
    else out.push([item]);
  }
  return out.map((l) => l.sort((a, b) => a.x0 - b.x0));
}

export function positionalTables(input: Item[]): { tables: PosTable[]; rest: Item[] } {
  if (!input.length) return { tables: [], rest: input };
  const items = splitNumbers(input);
  const size = items.map((i) => i.size).sort((a, b) => a - b)[Math.floor(items.length / 2)] || 10;
  const isNum = (i: Item) => NUMBER.test(i.str);
  const lines: NumLine[] = joinWrappedDigits(
    groupByY(items.filter(isNum), size).map((nums) => ({
      y: centreY(nums[0]),
      y0: Math.min(...nums.map((n) => n.y0)),
      y1: Math.max(...nums.map((n) => n.y1)),
      nums,
    })),
    size,
  );
  const words = items.filter((i) => !isNum(i));
  // A table row's numbers stand apart with nothing but space between them; prose ("2024年1月1日") has words there.
  const clean = (line: NumLine) =>
    line.nums.every(
      (num, index) =>
        index === 0 ||
        (num.x0 - line.nums[index - 1].x1 > 0.8 * size &&
          !words.some(
            (word) =>
              Math.abs(centreY(word) - line.y) < 0.5 * size &&
              word.x0 >= line.nums[index - 1].x1 - 0.1 &&
              word.x1 <= num.x0 + 0.1,
          )),
    );
  const used = new Set<Item>();
  const taken = new Set<NumLine>();
  const tables: PosTable[] = [];
  let strong = 0;
  while (strong < lines.length) {
    if (lines[strong].nums.length < 3 || !clean(lines[strong])) {
      strong++;
      continue;
    }
    // Columns from the strong row; the region grows over rows whose numbers sit on them.
    const cols = lines[strong].nums.map(mid);
    const onCols = (num: Item) => cols.some((x) => Math.abs(x - mid(num)) < 1.5 * size);
    const zone = Math.min(...lines[strong].nums.map((n) => n.x0)) - 0.5 * size;
    let last = strong;
    // a region may start above its first strong row (a one-number row), but only from rows that fit
    let first = strong;
    while (
      first > 0 &&
      clean(lines[first - 1]) &&
      lines[first - 1].nums.every(onCols) &&
      !headerBetween(words, lines[first - 1], lines[first], zone)
    )
      first--;
    while (
      last + 1 < lines.length &&
      clean(lines[last + 1]) &&
      lines[last + 1].nums.every(onCols) &&
      !headerBetween(words, lines[last], lines[last + 1], zone)
    )
      last++;
    const rows = lines.slice(first, last + 1);
    // one row is a table when it is wide (the last row of a table cut by a page break, the appeals table's one row)
    if (rows.length < 2 && rows[0].nums.length < 5) {
      strong = last + 1;
      continue;
    }
    // lines a wrapped label never runs into: other number lines and header text in the number zone
    const headers = words.filter((w) => w.x0 >= zone).map(centreY);
    const stops = [...lines.map((l) => l.y), ...headers];
    tables.push(build(rows, cols, zone, words, size, used, stops, headers));
    rows.forEach((r) => taken.add(r));
    strong = last + 1;
  }
  // Rows of one or two numbers (行政许可 5) have no strong row to give columns: a header line above them does
  // ("信息内容  本年处理决定数量"): its second and later segments are the columns.
  // a row is label then numbers: no text after its first number (prose interleaves them)
  const rowLike = (line: NumLine) =>
    !words.some((w) => Math.abs(centreY(w) - line.y) < 0.5 * size && w.x1 > line.nums[0].x0 + 0.1);
  const numberYs = lines.map((l) => l.y);
  const headerRows = headerLines(words, size).filter(
    (h) => !numberYs.some((y) => Math.abs(y - centreY(h[0])) < 0.5 * size),
  );
  for (const header of headerRows) {
    const cols = header.slice(1).map(mid);
    // numbers sit right of the label column, one per header column (nearest by x: a header centred over a wide
    // merged cell and its left-aligned number are far apart, but still nearest to each other)
    const zone = header[0].x1 + 0.5 * size;
    const nearest = (num: Item) =>
      cols.reduce((k, x, q) => (Math.abs(x - mid(num)) < Math.abs(cols[k] - mid(num)) ? q : k), 0);
    const fits = (line: NumLine) =>
      line.nums.every((n) => n.x0 >= zone) && new Set(line.nums.map(nearest)).size === line.nums.length;
    const below = lines.filter((l) => l.y > centreY(header[0]) && !taken.has(l));
    // a header cell wrapped onto more lines ("本年" / "处理决定数量"): its lines, right below and above the first
    // number line, belong to the header
    let headerBottom = centreY(header[0]);
    for (;;) {
      const wrapped = words.filter(
        (word) =>
          word.x0 >= zone &&
          centreY(word) > headerBottom + 0.5 * size &&
          centreY(word) - headerBottom <= 1.46 * size &&
          (!below.length || centreY(word) < below[0].y0),
      );
      if (!wrapped.length) break;
      headerBottom = Math.max(...wrapped.map(centreY));
    }
    const rows: NumLine[] = [];
    for (const line of below) {
      const prevY = rows.length ? rows[rows.length - 1].y1 : headerBottom + 0.5 * size;
      if (!clean(line) || !fits(line) || !rowLike(line)) break;
      if (words.some((w) => w.x0 >= zone && centreY(w) > prevY && centreY(w) < line.y0)) break;
      rows.push(line);
    }
    if (!rows.length) continue;
    const headers = words.filter((w) => w.x0 >= zone).map(centreY);
    tables.push(build(rows, cols, zone, words, size, used, [...lines.map((l) => l.y), ...headers], headers));
    rows.forEach((r) => taken.add(r));
  }
  tables.sort((a, b) => a.bbox[1] - b.bbox[1]);
  return { tables, rest: input.filter((it) => !consumed(it, used, tables)) };
}

/**
 * A number too wide for its cell wraps: "105140" prints as "10514" with "0" on the next line, at the same left edge.
 * A line of numbers is such a wrap, and is joined to the line above, only when it holds fewer numbers than that
 * line (a row of its own fills every column), every number on it starts where a number of the line right above
 * starts, and that number is as wide as the column holds (no number in that column, wrapped nowhere, is wider by
 * half a digit or more). Two numbers stacked in a roomy column are left apart (the mapper flags the cell); so is a
 * line of which only some numbers fit the rule.
 */
function joinWrappedDigits(lines: NumLine[], size: number): NumLine[] {
  const edge = 0.3 * size;
  const below = (upper: NumLine, lower: NumLine) => lower.y - upper.y <= 1.45 * size;
  const under = (upper: NumLine, num: Item) => upper.nums.find((above) => Math.abs(above.x0 - num.x0) < edge);
  // numbers that sit right above a same-edge number on the next line could be wrapped: they do not set the width
  const maybeWrapped = new Set<Item>();
  lines.forEach((line, index) => {
    const next = lines[index + 1];
    if (next && below(line, next))
      for (const num of next.nums) {
        const above = under(line, num);
        if (above) maybeWrapped.add(above);
      }
  });
  const widest = (left: number) =>
    Math.max(
      0,
      ...lines.flatMap((line) =>
        line.nums
          .filter((num) => !maybeWrapped.has(num) && Math.abs(num.x0 - left) < edge)
          .map((num) => num.x1 - num.x0),
      ),
    );
  const out: NumLine[] = [];
  for (const line of lines) {
    const upper = out[out.length - 1];
    const pairs = upper && below(upper, line) ? line.nums.map((num) => [under(upper, num), num] as const) : [];
    const wraps =
      pairs.length > 0 &&
      pairs.length < upper.nums.length &&
      pairs.every(([above, num]) => {
        if (!above) return false;
        const digitWidth = (num.x1 - num.x0) / num.str.length;
        const room = widest(above.x0);
        return room > 0 && above.x1 - above.x0 + 0.5 * digitWidth >= room;
      });
    if (!wraps) {
      out.push(line);
      continue;
    }
    const joined = upper.nums.map((num) => {
      const rest = pairs.find(([above]) => above === num)?.[1];
      return rest ? { ...num, str: num.str + rest.str, x1: Math.max(num.x1, rest.x1), y1: rest.y1 } : num;
    });
    out[out.length - 1] = { ...upper, y1: Math.max(upper.y1, line.y1), nums: joined };
  }
  return out;
}

/** Lines of two or more text segments set apart by wide gaps, none of them a number: table header rows. */
function headerLines(words: Item[], size: number): Item[][] {
  const out: Item[][] = [];
  for (const line of groupByY(words, size)) {
    const segs: Item[] = [];
    for (const word of line) {
      const last = segs[segs.length - 1];
      if (last && word.x0 - last.x1 < 1.5 * size)
        segs[segs.length - 1] = { ...last, str: last.str + word.str, x1: word.x1 };
      else segs.push({ ...word });
    }
    if (segs.length >= 2) out.push(segs);
  }
  return out;
}

/** Non-number text in the number zone between two number lines: a header row, so a table boundary. */
function headerBetween(words: Item[], upper: NumLine, lower: NumLine, zone: number): boolean {
  return words.some((w) => w.x0 >= zone && centreY(w) > upper.y1 && centreY(w) < lower.y0);
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
  const labels = words.filter((w) => w.x1 <= zone + size && centreY(w) >= top - 6 * size && centreY(w) <= bottom);
  // Label sub-columns: the x ranges covered by label fragments, joined where they touch (letter-spaced "规 章" is one
  // column). Fragments wider than half the label zone (a label merged across sub-columns) do not join columns.
  const minX = Math.min(...labels.map((w) => w.x0), zone);
  const narrow = labels.filter((w) => w.x1 - w.x0 < 0.5 * (zone - minX)).sort((a, b) => a.x0 - b.x0);
  // A left edge where three or more runs of two or more characters start, each set apart from the text before it on
  // its line, is a column's edge however close the column before it comes (a group label "三、本年度办理结果" 5 pt
  // left of "（一）予以公开"). Justified text is cut into touching runs, letter-spaced labels into one-character runs:
  // neither makes an edge.
  const detached = groupByY(labels, size).flatMap((line) =>
    line.filter((w, index) => w.str.length >= 2 && (index === 0 || w.x0 - line[index - 1].x1 >= 0.3 * size)),
  );
  const edges = detached
    .map((w) => w.x0)
    .filter((x0, index, all) => all.filter((other, at) => at !== index && Math.abs(other - x0) < 0.5).length >= 2);
  const spans: Array<[number, number]> = [];
  for (const word of narrow) {
    const last = spans[spans.length - 1];
    const edge = last && word.x0 > last[0] + size && edges.some((x0) => Math.abs(x0 - word.x0) < 0.5);
    if (last && !edge && word.x0 <= last[1] + 0.8 * size) last[1] = Math.max(last[1], word.x1);
    else spans.push([word.x0, word.x1]);
  }
  // an edge starts a column even where only wide runs (not part of any span) begin there
  const starts = [...spans.map((sp) => sp[0]), ...edges].sort((a, b) => a - b);
  const subs = starts.length ? starts.filter((x0, index) => index === 0 || x0 - starts[index - 1] > size) : [minX];
  const byEdge = (word: Item) => {
    let sub = 0;
    for (let q = 1; q < subs.length; q++) if (word.x0 >= subs[q] - 0.5 * size) sub = q;
    return sub;
  };
  // a run that touches the run before it on its line continues that run's text (a label across a merged cell)
  const subOfWord = new Map<Item, number>();
  for (const line of groupByY(labels, size))
    line.forEach((word, index) => {
      const before = line[index - 1];
      const touching = before && word.x0 - before.x1 < 0.3 * size;
      subOfWord.set(word, touching ? subOfWord.get(before)! : byEdge(word));
    });
  const subOf = (word: Item) => subOfWord.get(word) ?? byEdge(word);
  const topAligned =
    rows.filter((r) => labels.some((w) => Math.abs(centreY(w) - r.y) < 0.5 * size)).length >= 0.7 * rows.length;
  // a hair over 1.45 line heights: LibreOffice sets CJK lines exactly 1.45 apart, and rounding must not cut a label
  const step = 1.46 * size;
  const out: PosCell[][] = [];
  for (const [rowIndex, row] of rows.entries()) {
    const next = rows[rowIndex + 1];
    const prev = rows[rowIndex - 1];
    const cells: PosCell[] = [];
    for (let k = 0; k < Math.max(1, subs.length); k++) {
      const pool = labels.filter((w) => subOf(w) === k && !used.has(w));
      const chain: Item[] = pool.filter((w) => Math.abs(centreY(w) - row.y) < 0.5 * size);
      // downwards: the label wraps under its first line, never into the next row's line
      let y = chain.length ? Math.max(...chain.map(centreY)) : row.y;
      for (;;) {
        const nxt = pool.filter(
          (word) =>
            !chain.includes(word) &&
            centreY(word) > y + 0.5 * size &&
            centreY(word) - y <= step &&
            (!next || centreY(word) < next.y - 0.5 * size) &&
            !stops.some((t) => t > row.y + 0.5 * size && t < centreY(word) + 0.5 * size),
        );
        if (!nxt.length) break;
        chain.push(...nxt);
        y = Math.max(...nxt.map(centreY));
      }
      // a line right above a header row is that header's caption ("第二十条第（五）项"), not the end of this label
      if (y > row.y + 0.5 * size && headers.some((t) => t > y + 0.5 * size && t - y <= step + 0.5 * size)) {
        const lastY = y;
        for (let q = chain.length - 1; q >= 0; q--)
          if (Math.abs(centreY(chain[q]) - lastY) < 0.5 * size) chain.splice(q, 1);
      }
      if (!topAligned) {
        let topY = chain.length ? Math.min(...chain.map(centreY)) : row.y;
        for (;;) {
          const above = pool.filter(
            (word) =>
              !chain.includes(word) &&
              centreY(word) < topY - 0.5 * size &&
              topY - centreY(word) <= step &&
              (!prev || centreY(word) > prev.y + 0.5 * size) &&
              !stops.some((t) => t < row.y - 0.5 * size && t > centreY(word) - 0.5 * size),
          );
          if (!above.length) break;
          chain.push(...above);
          topY = Math.min(...above.map(centreY));
        }
      }
      chain.forEach((w) => used.add(w));
      const ordered = groupByY(chain, size).flat();
      let text = '';
      for (const word of ordered)
        text += text && !CJK.test(text.slice(-1)) && !CJK.test(word.str[0]) ? ` ${word.str}` : word.str;
      cells.push({
        text,
        bbox: chain.length
          ? [
              Math.min(...chain.map((w) => w.x0)),
              Math.min(...chain.map((w) => w.y0)),
              Math.max(...chain.map((w) => w.x1)),
              Math.max(...chain.map((w) => w.y1)),
            ]
          : [subs[k] ?? 0, row.y0, subs[k] ?? 0, row.y1],
      });
    }
    const numCells: PosCell[] = cols.map((x) => ({ text: '', bbox: [x, row.y0, x, row.y1] }));
    for (const num of row.nums) {
      let col = 0;
      for (let q = 1; q < cols.length; q++) if (Math.abs(cols[q] - mid(num)) < Math.abs(cols[col] - mid(num))) col = q;
      const cell = numCells[col];
      // Two numbers on one column stay apart ("3 4"): the mapper flags them instead of guessing.
      cell.bbox = cell.text
        ? [Math.min(cell.bbox[0], num.x0), num.y0, Math.max(cell.bbox[2], num.x1), num.y1]
        : [num.x0, num.y0, num.x1, num.y1];
      cell.text = cell.text ? `${cell.text} ${num.str}` : num.str;
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
function consumed(item: Item, used: Set<Item>, tables: PosTable[]): boolean {
  for (const placed of used)
    if (placed.y0 === item.y0 && placed.x0 === item.x0 && placed.str === item.str.trim()) return true;
  const x = (item.x0 + item.x1) / 2;
  const y = (item.y0 + item.y1) / 2;
  return (
    NUMBER.test(item.str.trim().split(/\s+/)[0] ?? '') &&
    tables.some((table) =>
      table.rows.some((row) =>
        row.some((c) => c.text && x >= c.bbox[0] - 1 && x <= c.bbox[2] + 1 && y >= c.bbox[1] - 1 && y <= c.bbox[3] + 1),
      ),
    )
  );
}
