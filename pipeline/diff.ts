// What changed between two extractions of the same document: values by cell path, flags by code and path, and the
// metadata researchers filter on. Used by `nianbao reextract` to say what a new extractor version did.
import { values } from './accuracy.ts';
import type { Flag, Report } from '../extractors/report.ts';

export interface ValueChange {
  path: string;
  before: number | null | undefined;
  after: number | null | undefined;
}
export interface ReportDiff {
  values: ValueChange[];
  flags_added: string[];
  flags_removed: string[];
  metadata: Array<{ field: string; before: unknown; after: unknown }>;
}

const flagKey = (f: Flag) => (f.path ? `${f.code} ${f.path}` : f.code);
const META = ['template', 'agency', 'year', 'region_code', 'title', 'published_at'] as const;

export function diffReports(before: Report | null, after: Report): ReportDiff {
  const a = before ? values(before) : new Map<string, number | null>();
  const b = values(after);
  const changes: ValueChange[] = [];
  for (const path of new Set([...a.keys(), ...b.keys()])) {
    if (a.get(path) !== b.get(path)) changes.push({ path, before: a.get(path), after: b.get(path) });
  }
  changes.sort((x, y) => x.path.localeCompare(y.path));
  const fa = new Set((before?.flags ?? []).map(flagKey));
  const fb = new Set(after.flags.map(flagKey));
  return {
    values: changes,
    flags_added: [...fb].filter((k) => !fa.has(k)).sort(),
    flags_removed: [...fa].filter((k) => !fb.has(k)).sort(),
    metadata: META.filter((k) => (before?.[k] ?? null) !== (after[k] ?? null)).map((k) => ({
      field: k,
      before: before?.[k] ?? null,
      after: after[k] ?? null,
    })),
  };
}

export function isEmpty(d: ReportDiff): boolean {
  return !d.values.length && !d.flags_added.length && !d.flags_removed.length && !d.metadata.length;
}
