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

export interface AlignRow {
  key: string;
  cols: number;
  /** Keyword of the row in the section text. */
  keyword: RegExp;
  /** The template's printed label (normalised), for fragment evidence. */
  label: string;
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

export function alignProse(rs: Run[], rows: AlignRow[]): Aligned {
  let text = '';
  const groups: Group[] = [];
  for (const run of rs) {
    text += run.label;
    groups.push({
      p: text.length,
      own: [text.length - run.own.length, text.length],
      values: run.values.filter((v) => v.text),
      run,
    });
  }
  text += rs[rs.length - 1]?.after ?? '';

  // Anchors: each row's keyword, searched in template order after the previous anchor.
  const anchors: Array<{ row: AlignRow; s: number; e: number }> = [];
  let cursor = 0;
  for (const row of rows) {
    const re = new RegExp(row.keyword.source, 'g');
    re.lastIndex = cursor;
    const m = re.exec(text);
    if (!m) continue;
    anchors.push({ row, s: m.index, e: m.index + m[0].length });
    cursor = m.index + m[0].length;
  }
  const got: Aligned['got'] = new Map();
  const ambiguous: Aligned['ambiguous'] = new Map();
  if (!anchors.length) return { got, ambiguous };

  const left = (p: number) => {
    let i = anchors.length - 1;
    while (i >= 0 && anchors[i].e > p) i--;
    return i;
  };
  const inside = (p: number) => anchors.findIndex((a) => a.s < p && p < a.e);

  // Numbers broken over lines with no label between them (4 + 3) are one row while they fit its columns.
  const merged: Group[] = [];
  for (const g of groups) {
    const prev = merged[merged.length - 1];
    const a = anchors[inside(g.p) >= 0 ? inside(g.p) : left(g.p)];
    if (
      prev &&
      prev.p === g.p &&
      g.own[0] === g.own[1] &&
      a &&
      prev.values.length < a.row.cols &&
      prev.values.length + g.values.length <= a.row.cols
    )
      prev.values = [...prev.values, ...g.values];
    else merged.push({ ...g, values: [...g.values] });
  }

  const candidates = merged.map((g) => {
    const i = inside(g.p);
    if (i >= 0) return [i];
    const [os, oe] = g.own;
    const onLine = anchors.findIndex((a) => a.s < oe && os < a.e);
    if (onLine >= 0) return [onLine];
    const l = left(g.p);
    const r = anchors.findIndex((a) => a.s >= g.p);
    const c = [l, r].filter((x) => x >= 0);
    const own = text.slice(os, oe);
    if (c.length === 2 && own.length >= 2) {
      const inL = anchors[l].row.label.includes(own);
      const inR = anchors[r].row.label.includes(own);
      if (inL !== inR) return [inL ? l : r];
    }
    return c;
  });

  // Two scorings must agree (see solve): by count of number lines left out, and by how well each line's count fits
  // its row's columns. Either alone can be sure of a wrong answer on a damaged table; their consensus was not.
  const n = anchors.length;
  const plain = solve(candidates, n, 1, () => 0);
  const fitted = solve(candidates, n, 3, (j, c) => Math.abs(anchors[c].row.cols - merged[j].values.length));
  for (let c = 0; c < n; c++) {
    const [p, q] = [plain.get(c), fitted.get(c)];
    if (!p && !q) continue;
    const key = anchors[c].row.key;
    if (p?.certain !== undefined && p.certain === q?.certain) {
      got.set(key, { run: merged[p.certain].run, values: merged[p.certain].values });
      continue;
    }
    const groups = [...new Set([...(p?.groups ?? []), ...(q?.groups ?? [])])];
    const lines = groups.map((g) => merged[g].run.values[0]?.at.line).filter((l) => l !== undefined);
    ambiguous.set(
      key,
      `numbers near this row's label (line${lines.length > 1 ? 's' : ''} ${lines.join(', ')}) could belong to it or to a neighbouring row: the label is wrapped around number lines, so the row is left empty rather than guessed`,
    );
  }
  return { got, ambiguous };
}

/**
 * Least-cost assignments of number lines (in order) to rows (strictly increasing): leaving a line out costs `skip`,
 * placing line j on row c costs `fit(j, c)`. Forward and backward passes count the least-cost assignments, so for each
 * row: the lines some best assignment puts there, and the one line every best assignment puts there (if any).
 */
function solve(
  candidates: number[][],
  n: number,
  skip: number,
  fit: (j: number, c: number) => number,
): Map<number, { groups: number[]; certain?: number }> {
  const m = candidates.length;
  type Cell = { cost: number; ways: number };
  const better = (x: Cell, cost: number, ways: number) => {
    if (cost < x.cost) ((x.cost = cost), (x.ways = ways));
    else if (cost === x.cost) x.ways += ways;
  };
  const grid = () =>
    Array.from({ length: m + 1 }, () => Array.from({ length: n + 1 }, () => ({ cost: Infinity, ways: 0 })));
  // f[j][r+1]: lines < j done, last row used r (−1 = none). b[j][r+1]: lines ≥ j to do, last row used r.
  const f = grid();
  f[0][0] = { cost: 0, ways: 1 };
  for (let j = 0; j < m; j++)
    for (let r = -1; r < n; r++) {
      const x = f[j][r + 1];
      if (x.cost === Infinity) continue;
      better(f[j + 1][r + 1], x.cost + skip, x.ways);
      for (const c of candidates[j]) if (c > r) better(f[j + 1][c + 1], x.cost + fit(j, c), x.ways);
    }
  const b = grid();
  for (let r = -1; r < n; r++) b[m][r + 1] = { cost: 0, ways: 1 };
  for (let j = m - 1; j >= 0; j--)
    for (let r = -1; r < n; r++) {
      const x = b[j][r + 1];
      better(x, b[j + 1][r + 1].cost + skip, b[j + 1][r + 1].ways);
      for (const c of candidates[j]) if (c > r) better(x, b[j + 1][c + 1].cost + fit(j, c), b[j + 1][c + 1].ways);
    }
  const best = b[0][0];
  const out = new Map<number, { groups: number[]; certain?: number }>();
  for (let j = 0; j < m; j++)
    for (const c of candidates[j]) {
      let ways = 0;
      for (let r = -1; r < c; r++)
        if (f[j][r + 1].cost + fit(j, c) + b[j + 1][c + 1].cost === best.cost)
          ways += f[j][r + 1].ways * b[j + 1][c + 1].ways;
      if (!ways) continue;
      const u = out.get(c) ?? { groups: [] };
      u.groups.push(j);
      if (ways === best.ways) u.certain = j;
      out.set(c, u);
    }
  for (const u of out.values()) if (u.groups.length > 1) delete u.certain;
  return out;
}
