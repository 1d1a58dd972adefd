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
  const beforeValues = before ? values(before) : new Map<string, number | null>();
  const afterValues = values(after);
  const changes: ValueChange[] = [];
  for (const path of new Set([...beforeValues.keys(), ...afterValues.keys()])) {
    if (beforeValues.get(path) !== afterValues.get(path))
      changes.push({ path, before: beforeValues.get(path), after: afterValues.get(path) });
  }
  changes.sort((x, y) => x.path.localeCompare(y.path));
  const beforeFlags = new Set((before?.flags ?? []).map(flagKey));
  const afterFlags = new Set(after.flags.map(flagKey));
  return {
    values: changes,
    flags_added: [...afterFlags].filter((k) => !beforeFlags.has(k)).sort(),
    flags_removed: [...beforeFlags].filter((k) => !afterFlags.has(k)).sort(),
    metadata: META.filter((k) => (before?.[k] ?? null) !== (after[k] ?? null)).map((field) => ({
      field,
      before: before?.[field] ?? null,
      after: after[field] ?? null,
    })),
  };
}

export function isEmpty(diff: ReportDiff): boolean {
  return !diff.values.length && !diff.flags_added.length && !diff.flags_removed.length && !diff.metadata.length;
}
