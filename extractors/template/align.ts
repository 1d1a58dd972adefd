// Number lines → template rows for prose tables (PDF text: labels wrapped over lines, each row's numbers on a line
// that may come after the label, between its fragments or before it). Nearest-label guessing shifts whole blocks of
// rows silently, so the assignment is made only where the evidence leaves one choice:
//  - the section's label text is concatenated (numbers removed) and each template row is anchored, in template
//    order, at its keyword; a number line sits at an offset in that text;
//  - a number line inside a keyword, or on the same line as a keyword, belongs to that row; on the same line as a
//    fragment found in only one neighbour's printed label, to that neighbour; otherwise to the row whose keyword
//    precedes it or the one whose keyword follows it;
//  - every row takes at most one number line, in template order, as many lines as possible are placed; a line → row
//    pair that every such assignment shares is certain, any other row that some assignment fills is ambiguous.
// The arithmetic is not used to choose: it stays an independent check on what was read.
import type { Run, Token } from './stream.ts';
import { distinctive, fuzzyKey } from './labels.ts';

export interface AlignRow {
  key: string;
  cols: number;
  /** Keyword of the row in the section text. */
  keyword: RegExp;
  /** The template's printed label (normalised), for fragment evidence. */
  label: string;
  /** The template's small table the row belongs to (section 二's 第二十条 items); rows without one share one table. */
  table?: string;
  /** Its column headers (normalised). */
  headers?: string[];
}

export interface Aligned {
  got: Map<string, { run: Run; values: Token[] }>;
  /** Rows whose numbers were printed but could not be placed with confidence, with the reason. */
  ambiguous: Map<string, string>;
}

interface Group {
  p: number;
  own: [number, number];
  values: Token[];
  run: Run;
}

export function alignProse(runs: Run[], rows: AlignRow[]): Aligned {
  let text = '';
  const groups: Group[] = [];
  for (const run of runs) {
    text += run.label;
    groups.push({
      p: text.length,
      own: [text.length - run.own.length, text.length],
      values: run.values.filter((v) => v.text),
      run,
    });
  }
  text += runs[runs.length - 1]?.after ?? '';

  // Anchors: each row's keyword, searched in template order after the previous anchor.
  const anchors: Array<{ row: AlignRow; s: number; e: number }> = [];
  let cursor = 0;
  for (const row of rows) {
    const keywordPattern = new RegExp(row.keyword.source, 'g');
    keywordPattern.lastIndex = cursor;
    const found = keywordPattern.exec(text);
    if (!found) continue;
    anchors.push({ row, s: found.index, e: found.index + found[0].length });
    cursor = found.index + found[0].length;
  }
  anchorFuzzy(anchors, groups, rows, text);
  const got: Aligned['got'] = new Map();
  const ambiguous: Aligned['ambiguous'] = new Map();
  if (!anchors.length) return { got, ambiguous };

  const left = (offset: number) => {
    let index = anchors.length - 1;
    while (index >= 0 && anchors[index].e > offset) index--;
    return index;
  };
  const inside = (p: number) => anchors.findIndex((a) => a.s < p && p < a.e);

  // Numbers broken over lines with no label between them (4 + 3) are one row while they fit its columns.
  const merged: Group[] = [];
  for (const group of groups) {
    const prev = merged[merged.length - 1];
    const anchor = anchors[inside(group.p) >= 0 ? inside(group.p) : left(group.p)];
    if (
      prev &&
      prev.p === group.p &&
      group.own[0] === group.own[1] &&
      anchor &&
      prev.values.length < anchor.row.cols &&
      prev.values.length + group.values.length <= anchor.row.cols
    )
      prev.values = [...prev.values, ...group.values];
    else merged.push({ ...group, values: [...group.values] });
  }

  const candidates = merged.map((group) => {
    const within = inside(group.p);
    if (within >= 0) return [within];
    const [ownStart, ownEnd] = group.own;
    const onLine = anchors.findIndex((a) => a.s < ownEnd && ownStart < a.e);
    if (onLine >= 0) return [onLine];
    const before = left(group.p);
    const after = anchors.findIndex((a) => a.s >= group.p);
    const choices = [before, after].filter((x) => x >= 0);
    const own = text.slice(ownStart, ownEnd);
    if (choices.length === 2 && own.length >= 2) {
      const inL = anchors[before].row.label.includes(own);
      const inR = anchors[after].row.label.includes(own);
      if (inL !== inR) return [inL ? before : after];
    }
    return choices;
  });

  dropForeignRows(candidates, merged, anchors, rows, text);

  // Two scorings must agree (see solve): by count of number lines left out, and by how well each line's count fits
  // its row's columns. Either alone can be sure of a wrong answer on a damaged table; their consensus was not.
  const rowCount = anchors.length;
  const plain = solve(candidates, rowCount, 1, () => 0);
  const fitted = solve(candidates, rowCount, 3, (j, c) => Math.abs(anchors[c].row.cols - merged[j].values.length));
  for (let c = 0; c < rowCount; c++) {
    const [byCount, byFit] = [plain.get(c), fitted.get(c)];
    if (!byCount && !byFit) continue;
    const key = anchors[c].row.key;
    if (byCount?.certain !== undefined && byCount.certain === byFit?.certain) {
      got.set(key, { run: merged[byCount.certain].run, values: merged[byCount.certain].values });
      continue;
    }
    const groups = [...new Set([...(byCount?.groups ?? []), ...(byFit?.groups ?? [])])];
    const lines = groups.map((g) => merged[g].run.values[0]?.at.line).filter((l) => l !== undefined);
    ambiguous.set(
      key,
      `numbers near this row's label (line${lines.length > 1 ? 's' : ''} ${lines.join(', ')}) could belong to it or to a neighbouring row: the label is wrapped around number lines, so the row is left empty rather than guessed`,
    );
  }
  return { got, ambiguous };
}

/**
 * A local row the template does not have (Hubei's 其他主动公开文件 after 规范性文件), printed label first and its numbers
 * after it: those numbers are its own, not the row above's. Left in, they put two number lines under one anchor and
 * the guard refuses the real row. Taken only where no template row can be the one printed there: the section prints
 * labels before numbers (its first numbers follow the first anchor); another number line follows the row above's
 * label with nothing but filling instructions between; the text between that line and these numbers is a label of
 * its own, no part of a neighbour's printed label, near no template row, and no column header (so still the row
 * above's small table); and that table has no row left unanchored after the row above (a reworded label looks the
 * same as a local row, and only the template's order tells them apart).
 */
function dropForeignRows(
  candidates: number[][],
  merged: Group[],
  anchors: Array<{ row: AlignRow; s: number; e: number }>,
  rows: AlignRow[],
  text: string,
) {
  if (!anchors.length || !merged.length || merged[0].p < anchors[0].e) return;
  const han = (from: number, to: number) => distinctive(text.slice(from, to)).replace(/[^\p{Script=Han}]/gu, '');
  const headers = [...new Set(rows.flatMap((row) => row.headers ?? []))].filter((h) => [...h].length >= 3);
  const isHeader = (printed: string) =>
    /第[一二三四五六七八九十\d]+条|信息内容/.test(printed) || headers.some((h) => printed.includes(h));
  // The number line right after each anchor's label, when nothing of substance is printed between (only the first
  // line after an anchor can be, so each stretch of text is looked at once).
  const firstHug = new Map<number, number>();
  merged.forEach((group, line) => {
    const previous = line > 0 ? merged[line - 1].p : -1;
    for (const anchor of candidates[line]) {
      const end = anchors[anchor].e;
      if (!firstHug.has(anchor) && previous <= end && end <= group.p && han(end, group.p) === '')
        firstHug.set(anchor, line);
    }
  });
  const order = new Map(rows.map((row, index) => [row.key, index]));
  merged.forEach((group, line) => {
    if (line === 0 || !candidates[line].length) return;
    const before = Math.min(...candidates[line]);
    if (anchors[before].e > group.p) return; // inside or on the line of a keyword
    const from = Math.max(anchors[before].e, merged[line - 1].p);
    const own = han(from, group.p);
    if ([...own].length < 2 || isHeader(text.slice(from, group.p))) return;
    const next = anchors[before + 1];
    if (anchors[before].row.label.includes(own) || next?.row.label.includes(own)) return;
    if (fuzzyKey(own, rows, new Set(), -1)) return;
    const above = anchors[before].row;
    const upTo = next ? order.get(next.row.key)! : rows.length;
    if (rows.slice(order.get(above.key)! + 1, upTo).some((row) => row.table === above.table)) return;
    if (!((firstHug.get(before) ?? line) < line)) return;
    candidates[line] = [];
  });
}

/**
 * Rows no keyword found ("行政事业收费", "2.其他法律行政止公开"): anchored at the label text nearest a number line
 * (its own line, else the label lines just before it) when that text is nearest to the row's template label
 * (labels.ts fuzzyKey) and sits between the anchors of the rows before and after it, so template order holds.
 */
function anchorFuzzy(
  anchors: Array<{ row: AlignRow; s: number; e: number }>,
  groups: Group[],
  rows: AlignRow[],
  text: string,
) {
  const order = new Map(rows.map((row, index) => [row.key, index]));
  for (const group of groups) {
    if (!group.values.length) continue;
    // The label nearest the numbers: the line they are printed on, else the last one, two or three label lines.
    const parts = group.run.parts;
    const tries =
      group.own[1] > group.own[0] ? [parts.length - 1] : [parts.length - 1, parts.length - 2, parts.length - 3];
    for (const from of tries.filter((index) => index >= 0)) {
      const printed = parts.slice(from).join('');
      const [start, end] = [group.p - printed.length, group.p];
      if (end - start < 2 || text.slice(start, end) !== printed) break;
      if (anchors.some((a) => a.s < end && start < a.e)) break;
      const free = rows.filter((row) => !anchors.some((a) => a.row.key === row.key));
      const key = fuzzyKey(printed, free, new Set(), -1);
      if (!key) continue;
      const index = order.get(key)!;
      const before = anchors.filter((a) => order.get(a.row.key)! < index);
      const after = anchors.filter((a) => order.get(a.row.key)! > index);
      if (before.some((a) => a.e > start) || after.some((a) => a.s < end)) break;
      anchors.push({ row: rows[index], s: start, e: end });
      anchors.sort((x, y) => x.s - y.s);
      break;
    }
  }
}

/**
 * Least-cost assignments of number lines (in order) to rows (strictly increasing): leaving a line out costs `skip`,
 * placing line j on row c costs `fit(j, c)`. Forward and backward passes count the least-cost assignments, so for each
 * row: the lines some best assignment puts there, and the one line every best assignment puts there (if any).
 */
function solve(
  candidates: number[][],
  rowCount: number,
  skip: number,
  fit: (j: number, c: number) => number,
): Map<number, { groups: number[]; certain?: number }> {
  const lineCount = candidates.length;
  type Cell = { cost: number; ways: number };
  const better = (x: Cell, cost: number, ways: number) => {
    if (cost < x.cost) {
      x.cost = cost;
      x.ways = ways;
    } else if (cost === x.cost) x.ways += ways;
  };
  const grid = () =>
    Array.from({ length: lineCount + 1 }, () =>
      Array.from({ length: rowCount + 1 }, () => ({ cost: Infinity, ways: 0 })),
    );
  // forward[j][r+1]: lines < j done, last row used r (−1 = none). backward[j][r+1]: lines ≥ j to do, last row used r.
  const forward = grid();
  forward[0][0] = { cost: 0, ways: 1 };
  for (let j = 0; j < lineCount; j++)
    for (let r = -1; r < rowCount; r++) {
      const x = forward[j][r + 1];
      if (x.cost === Infinity) continue;
      better(forward[j + 1][r + 1], x.cost + skip, x.ways);
      for (const candidate of candidates[j])
        if (candidate > r) better(forward[j + 1][candidate + 1], x.cost + fit(j, candidate), x.ways);
    }
  const backward = grid();
  for (let r = -1; r < rowCount; r++) backward[lineCount][r + 1] = { cost: 0, ways: 1 };
  for (let j = lineCount - 1; j >= 0; j--)
    for (let r = -1; r < rowCount; r++) {
      const x = backward[j][r + 1];
      better(x, backward[j + 1][r + 1].cost + skip, backward[j + 1][r + 1].ways);
      for (const candidate of candidates[j])
        if (candidate > r)
          better(x, backward[j + 1][candidate + 1].cost + fit(j, candidate), backward[j + 1][candidate + 1].ways);
    }
  const best = backward[0][0];
  const out = new Map<number, { groups: number[]; certain?: number }>();
  for (let j = 0; j < lineCount; j++)
    for (const candidate of candidates[j]) {
      let ways = 0;
      for (let r = -1; r < candidate; r++)
        if (forward[j][r + 1].cost + fit(j, candidate) + backward[j + 1][candidate + 1].cost === best.cost)
          ways += forward[j][r + 1].ways * backward[j + 1][candidate + 1].ways;
      if (!ways) continue;
      const placed = out.get(candidate) ?? { groups: [] };
      placed.groups.push(j);
      if (ways === best.ways) placed.certain = j;
      out.set(candidate, placed);
    }
  for (const placed of out.values()) if (placed.groups.length > 1) delete placed.certain;
  return out;
}
