// Field-by-field comparison of two reports, as readable differences: metadata, every cell (value, raw, position),
// every flag (code, severity, path; messages are free text and not compared).
import type { FlagCode, Report } from '../../extractors/report.ts';

export interface CompareOptions {
  /** Compare cell positions and raw text (golden files) or only values (round trips through a renderer). */
  provenance?: boolean;
  /** Only these flag codes are compared (e.g. the arithmetic ones in property tests); all when unset. */
  flagCodes?: FlagCode[];
}

export function compareReports(
  got: Report,
  want: Partial<Report>,
  opts: CompareOptions = { provenance: true },
): string[] {
  const differences: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  for (const field of [
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
    if (field in want && !same(got[field] ?? null, want[field] ?? null))
      differences.push(`${field}: got ${JSON.stringify(got[field])}, want ${JSON.stringify(want[field])}`);
  for (const table of ['active', 'requests', 'appeals'] as const) {
    if (!(table in want)) continue;
    const gotTable = got[table] ?? {};
    const wantTable = want[table] ?? {};
    if ((got[table] === null) !== (want[table] === null))
      differences.push(
        `${table}: got ${got[table] === null ? 'null' : 'a table'}, want ${want[table] === null ? 'null' : 'a table'}`,
      );
    for (const row of new Set([...Object.keys(gotTable), ...Object.keys(wantTable)])) {
      if (!(row in gotTable)) differences.push(`${table}.${row}: missing`);
      else if (!(row in wantTable)) differences.push(`${table}.${row}: unexpected row`);
      else
        for (const col of new Set([...Object.keys(gotTable[row] ?? {}), ...Object.keys(wantTable[row] ?? {})]))
          if (!same(gotTable[row]?.[col], wantTable[row]?.[col]))
            differences.push(`${table}.${row}.${col}: got ${gotTable[row]?.[col]}, want ${wantTable[row]?.[col]}`);
    }
  }
  if (want.sections)
    for (const [key, text] of Object.entries(want.sections))
      if (!same(got.sections[key] ?? null, text)) differences.push(`sections.${key} differs`);
  if (want.cells && opts.provenance) {
    const byPath = new Map(got.cells.map((c) => [c.path, c]));
    for (const cell of want.cells) {
      const gotCell = byPath.get(cell.path);
      if (!gotCell) differences.push(`cell ${cell.path}: missing`);
      else if (!same([gotCell.raw, gotCell.value, gotCell.at], [cell.raw, cell.value, cell.at]))
        differences.push(
          `cell ${cell.path}: got ${JSON.stringify([gotCell.raw, gotCell.value, gotCell.at])}, ` +
            `want ${JSON.stringify([cell.raw, cell.value, cell.at])}`,
        );
      byPath.delete(cell.path);
    }
    for (const path of byPath.keys()) differences.push(`cell ${path}: unexpected`);
  }
  if (want.flags) {
    const key = (flag: { code: string; severity: string; path?: string | null }) =>
      `${flag.code} ${flag.severity} ${flag.path ?? ''}`;
    const keep = (f: { code: FlagCode }) => !opts.flagCodes || opts.flagCodes.includes(f.code);
    const gotFlags = got.flags.filter(keep).map(key).sort();
    const wantFlags = want.flags.filter(keep).map(key).sort();
    for (const flagKey of wantFlags) if (!gotFlags.includes(flagKey)) differences.push(`flag missing: ${flagKey}`);
    for (const flagKey of gotFlags) if (!wantFlags.includes(flagKey)) differences.push(`flag unexpected: ${flagKey}`);
  }
  return differences;
}
