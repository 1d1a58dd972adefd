// Scoring one extracted report against the report it was rendered from. Pure functions: the harness (run.ts), the
// tests and the benchmark share them.
import type { Flag, Report } from '../../extractors/report.ts';
import { values } from '../../pipeline/accuracy.ts';

/** What a corpus document should give: a report (partial is fine) or, for unreadable input, an error. */
export interface Expected {
  template?: string;
  active?: Report['active'];
  requests?: Report['requests'];
  appeals?: Report['appeals'];
  /** Flags it must raise; a flag without `path` matches that code on any path. */
  flags?: Array<Pick<Flag, 'code'> & { path?: string | null }>;
  /** Unreadable documents: the error's name ('InputError') and a fragment of its message. */
  error?: { name: string; message?: string };
  /** Checked on the first paragraphs/title for special documents (e.g. a non-embedded CJK font). */
  title?: string | null;
  /** Metadata the document states (the variety corpus: a report without its title line). */
  year?: number | null;
  agency?: string | null;
}

export interface CellScore {
  path: string;
  expected: number | null;
  got: number | null | undefined;
  outcome: 'correct' | 'miss' | 'wrong';
  /** wrong and no warning/error flag on its row: the worst failure. */
  silent?: boolean;
}

export interface DocScore {
  file: string;
  format: string;
  set: string;
  error?: string;
  errorExpected?: boolean;
  errorOk?: boolean;
  /** miss = null where a number is printed; missSilent = such a null with no flag pointing at it. */
  cells: { total: number; correct: number; miss: number; missSilent: number; wrong: number; wrongSilent: number };
  /** Rows the wrapped-label guard left empty (ROW_MISSING "could belong…") although the document prints them. */
  refusals: number;
  /** Metadata fields the expectation names (year, agency) and how many came out right. */
  meta: { total: number; correct: number; failures: string[] };
  templateOk: boolean | null;
  /** expected flags found (recall) and raised flags that were expected (precision), by code|path */
  flags: { expected: number; got: number; matched: number; gotExpected: number };
  failures: CellScore[];
}

/** Does a warning/error flag point at this cell's row (or the cell, its column or its whole table)? */
export function flagged(flags: Flag[], path: string): boolean {
  const [section, row, col] = path.split('.');
  const rowPath = `${section}.${row}`;
  return flags.some((flag) => {
    if (flag.severity === 'info' || !flag.path) return false;
    const flagPath = flag.path;
    return (
      flagPath === path ||
      flagPath === rowPath ||
      flagPath === section ||
      flagPath.startsWith(`${rowPath}.`) ||
      path.startsWith(`${flagPath}.`) ||
      // a column flag is `<section>.<column>` (BALANCE_MISMATCH on requests.natural_person); `requests.total` names
      // the 总计 row, not the total column, so it flags only that row (matched above)
      (col !== undefined && col !== 'total' && flagPath === `${section}.${col}`)
    );
  });
}

export function scoreDoc(
  file: string,
  format: string,
  set: string,
  expected: Expected,
  got: Report | null,
  err?: Error,
): DocScore {
  const score: DocScore = {
    file,
    format,
    set,
    cells: { total: 0, correct: 0, miss: 0, missSilent: 0, wrong: 0, wrongSilent: 0 },
    refusals: 0,
    meta: { total: 0, correct: 0, failures: [] },
    templateOk: null,
    flags: { expected: 0, got: 0, matched: 0, gotExpected: 0 },
    failures: [],
  };
  if (expected.error) {
    score.errorExpected = true;
    score.errorOk =
      !!err &&
      err.name === expected.error.name &&
      (!expected.error.message || err.message.includes(expected.error.message));
    if (err) score.error = `${err.name}: ${err.message}`;
    return score;
  }
  if (err || !got) {
    score.error = err ? `${err.name}: ${err.message}` : 'no report';
  }
  const gotValues = got ? values(got) : new Map<string, number | null>();
  for (const [path, want] of values(expected)) {
    score.cells.total++;
    const have = gotValues.get(path);
    if (have === want) {
      score.cells.correct++;
      continue;
    }
    if (have === null || have === undefined) {
      score.cells.miss++;
      if (!got || !flagged(got.flags, path)) score.cells.missSilent++;
      score.failures.push({ path, expected: want, got: have, outcome: 'miss' });
    } else {
      score.cells.wrong++;
      const silent = !flagged(got!.flags, path);
      if (silent) score.cells.wrongSilent++;
      score.failures.push({ path, expected: want, got: have, outcome: 'wrong', silent });
    }
  }
  const refused = new Set(
    (got?.flags ?? [])
      .filter((f) => f.code === 'ROW_MISSING' && /could belong/.test(f.message ?? ''))
      .map((f) => f.path ?? ''),
  );
  for (const table of ['active', 'requests', 'appeals'] as const)
    for (const [row, cols] of Object.entries(expected[table] ?? {}))
      if (refused.has(`${table}.${row}`) && Object.values(cols ?? {}).some((v) => v !== null)) score.refusals++;
  for (const field of ['year', 'agency'] as const) {
    if (expected[field] === undefined) continue;
    score.meta.total++;
    if (got && got[field] === expected[field]) score.meta.correct++;
    else score.meta.failures.push(`${field}: want ${expected[field]} got ${got?.[field]}`);
  }
  if (expected.template !== undefined) score.templateOk = !!got && got.template === expected.template;
  if (expected.flags && got) {
    const want = expected.flags;
    score.flags.expected = want.length;
    const raised = [...new Map(got.flags.map((f) => [`${f.code}|${f.path ?? ''}`, f])).values()];
    const hit = (w: (typeof want)[number], f: Flag) => f.code === w.code && (w.path == null || f.path === w.path);
    score.flags.got = raised.length;
    score.flags.matched = want.filter((w) => raised.some((f) => hit(w, f))).length;
    score.flags.gotExpected = raised.filter((f) => want.some((w) => hit(w, f))).length;
  }
  return score;
}

export interface Totals {
  docs: number;
  cells: number;
  correct: number;
  miss: number;
  missSilent: number;
  wrong: number;
  wrongSilent: number;
  refusals: number;
  metaTotal: number;
  metaCorrect: number;
  cellAccuracy: number;
  templateAccuracy: number | null;
  flagPrecision: number | null;
  flagRecall: number | null;
  errorsExpected: number;
  errorsOk: number;
  unexpectedErrors: number;
}

export function totals(docs: DocScore[]): Totals {
  const sum = (f: (d: DocScore) => number) => docs.reduce((a, d) => a + f(d), 0);
  const withTemplate = docs.filter((d) => d.templateOk !== null);
  const flagGot = sum((d) => d.flags.got);
  const flagExp = sum((d) => d.flags.expected);
  const cells = sum((d) => d.cells.total);
  const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 100000) / 100000 : null);
  return {
    docs: docs.length,
    cells,
    correct: sum((d) => d.cells.correct),
    miss: sum((d) => d.cells.miss),
    missSilent: sum((d) => d.cells.missSilent),
    wrong: sum((d) => d.cells.wrong),
    wrongSilent: sum((d) => d.cells.wrongSilent),
    refusals: sum((d) => d.refusals),
    metaTotal: sum((d) => d.meta.total),
    metaCorrect: sum((d) => d.meta.correct),
    cellAccuracy:
      ratio(
        sum((d) => d.cells.correct),
        cells,
      ) ?? 1,
    templateAccuracy: ratio(withTemplate.filter((d) => d.templateOk).length, withTemplate.length),
    flagPrecision: ratio(
      sum((d) => d.flags.gotExpected),
      flagGot,
    ),
    flagRecall: ratio(
      sum((d) => d.flags.matched),
      flagExp,
    ),
    errorsExpected: docs.filter((d) => d.errorExpected).length,
    errorsOk: docs.filter((d) => d.errorOk).length,
    unexpectedErrors: docs.filter((d) => !d.errorExpected && d.error).length,
  };
}
