// Field-by-field comparison of two reports, as readable differences: metadata, every cell (value, raw, position),
// every flag (code, severity, path; messages are free text and not compared).
import type { Report } from '../../extractors/report.ts';

export interface CompareOptions {
  /** Compare cell positions and raw text (golden files) or only values (round trips through a renderer). */
  provenance?: boolean;
  /** Only these flag codes are compared (e.g. the arithmetic ones in property tests); all when unset. */
  flagCodes?: string[];
}

export function compareReports(
  got: Report,
  want: Partial<Report>,
  opts: CompareOptions = { provenance: true },
): string[] {
  const d: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  for (const k of [
    'schema',
    'template',
    'title',
    'agency',
    'year',
    'region_code',
    'published_at',
    'period',
    'format',
  ] as const)
    if (k in want && !same(got[k] ?? null, want[k] ?? null))
      d.push(`${k}: got ${JSON.stringify(got[k])}, want ${JSON.stringify(want[k])}`);
  for (const t of ['active', 'requests', 'appeals'] as const) {
    if (!(t in want)) continue;
    const g = got[t] ?? {};
    const w = want[t] ?? {};
    if ((got[t] === null) !== (want[t] === null))
      d.push(`${t}: got ${got[t] === null ? 'null' : 'a table'}, want ${want[t] === null ? 'null' : 'a table'}`);
    for (const row of new Set([...Object.keys(g), ...Object.keys(w)])) {
      if (!(row in g)) d.push(`${t}.${row}: missing`);
      else if (!(row in w)) d.push(`${t}.${row}: unexpected row`);
      else
        for (const col of new Set([...Object.keys(g[row] ?? {}), ...Object.keys(w[row] ?? {})]))
          if (!same(g[row]?.[col], w[row]?.[col]))
            d.push(`${t}.${row}.${col}: got ${g[row]?.[col]}, want ${w[row]?.[col]}`);
    }
  }
  if (want.sections)
    for (const [k, v] of Object.entries(want.sections))
      if (!same(got.sections[k] ?? null, v)) d.push(`sections.${k} differs`);
  if (want.cells && opts.provenance) {
    const byPath = new Map(got.cells.map((c) => [c.path, c]));
    for (const c of want.cells) {
      const g = byPath.get(c.path);
      if (!g) d.push(`cell ${c.path}: missing`);
      else if (!same([g.raw, g.value, g.at], [c.raw, c.value, c.at]))
        d.push(
          `cell ${c.path}: got ${JSON.stringify([g.raw, g.value, g.at])}, want ${JSON.stringify([c.raw, c.value, c.at])}`,
        );
      byPath.delete(c.path);
    }
    for (const p of byPath.keys()) d.push(`cell ${p}: unexpected`);
  }
  if (want.flags) {
    const key = (f: { code: string; severity: string; path?: string | null }) =>
      `${f.code} ${f.severity} ${f.path ?? ''}`;
    const keep = (f: { code: string }) => !opts.flagCodes || opts.flagCodes.includes(f.code);
    const g = got.flags.filter(keep).map(key).sort();
    const w = want.flags.filter(keep).map(key).sort();
    for (const f of w) if (!g.includes(f)) d.push(`flag missing: ${f}`);
    for (const f of g) if (!w.includes(f)) d.push(`flag unexpected: ${f}`);
  }
  return d;
}
