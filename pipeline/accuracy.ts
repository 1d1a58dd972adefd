// Loaded reports vs the simulator's ground truth: is every report there, are its values right to the cell, and can
// every cell be traced back to a URL, a fetch time and a spot in the document.
import { readFileSync } from 'node:fs';
import type { LoadedReport } from '../db/queries/summary.ts';
import type { Report } from '../extractors/report.ts';

export interface TruthLike {
  id: string;
  regionCode: string;
  year: number;
  documents: string[];
  expectedPath: string | null;
  removed: boolean;
}

export interface Accuracy {
  /** Reports the simulator publishes (removed ones excluded). */
  expected: number;
  loaded: number;
  missing: string[];
  /** Reports with a ground-truth values file, and their cells. */
  withValues: number;
  cells: number;
  cellsCorrect: number;
  mismatches: Array<{ report: string; path: string; expected: number | null; got: number | null | undefined }>;
  /** Loaded reports whose region or year differs from the truth. */
  metadataWrong: string[];
  /** Loaded reports with a cell lacking a source position, or the report lacking source URL / fetch time. */
  provenanceGaps: string[];
}

/** Every numeric value of a report as path → value (null = blank cell); absent sections and rows give no paths. */
export function values(r: Partial<Pick<Report, 'active' | 'requests' | 'appeals'>>): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const section of ['active', 'requests', 'appeals'] as const) {
    for (const [row, cols] of Object.entries(r[section] ?? {})) {
      for (const [col, v] of Object.entries(cols ?? {})) out.set(`${section}.${row}.${col}`, v);
    }
  }
  return out;
}

export function accuracy(truth: TruthLike[], loaded: Map<string, LoadedReport>): Accuracy {
  const a: Accuracy = {
    expected: 0,
    loaded: 0,
    missing: [],
    withValues: 0,
    cells: 0,
    cellsCorrect: 0,
    mismatches: [],
    metadataWrong: [],
    provenanceGaps: [],
  };
  for (const t of truth) {
    if (t.removed) continue;
    a.expected++;
    const got = t.documents.map((u) => loaded.get(u)).find(Boolean);
    if (!got) {
      a.missing.push(t.id);
      continue;
    }
    a.loaded++;
    // What the document itself says wins over the portal's listing. A document that names no county (region_code
    // null in its ground truth) may still be resolved from its agency's name, so only a stated region is checked.
    const expected = t.expectedPath ? (JSON.parse(readFileSync(t.expectedPath, 'utf8')) as Report) : null;
    const region = expected ? expected.region_code : t.regionCode;
    const year = expected?.year ?? t.year;
    if ((region && got.report.region_code !== region) || got.report.year !== year) {
      a.metadataWrong.push(
        `${t.id}: region ${got.report.region_code} year ${got.report.year}, expected ${region ?? 'any'} ${year}`,
      );
    }
    if (!got.url || !got.fetchedAt || got.report.cells.some((c) => !c.at || Object.keys(c.at).length === 0))
      a.provenanceGaps.push(t.id);
    if (!expected) continue;
    const want = values(expected);
    const have = values(got.report);
    a.withValues++;
    for (const [path, v] of want) {
      a.cells++;
      if (have.get(path) === v) a.cellsCorrect++;
      else if (a.mismatches.length < 20) a.mismatches.push({ report: t.id, path, expected: v, got: have.get(path) });
    }
  }
  return a;
}
