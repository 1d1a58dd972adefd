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
export function values(report: Partial<Pick<Report, 'active' | 'requests' | 'appeals'>>): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const section of ['active', 'requests', 'appeals'] as const) {
    for (const [row, cols] of Object.entries(report[section] ?? {})) {
      for (const [col, value] of Object.entries(cols ?? {})) out.set(`${section}.${row}.${col}`, value);
    }
  }
  return out;
}

export function accuracy(truth: TruthLike[], loaded: Map<string, LoadedReport>): Accuracy {
  const result: Accuracy = {
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
  for (const truthReport of truth) {
    if (truthReport.removed) continue;
    result.expected++;
    const got = truthReport.documents.map((u) => loaded.get(u)).find(Boolean);
    if (!got) {
      result.missing.push(truthReport.id);
      continue;
    }
    result.loaded++;
    // What the document itself says wins over the portal's listing. A document that names no county (region_code
    // null in its ground truth) may still be resolved from its agency's name, so only a stated region is checked.
    const expected = truthReport.expectedPath
      ? (JSON.parse(readFileSync(truthReport.expectedPath, 'utf8')) as Report)
      : null;
    const region = expected ? expected.region_code : truthReport.regionCode;
    const year = expected?.year ?? truthReport.year;
    if ((region && got.report.region_code !== region) || got.report.year !== year) {
      result.metadataWrong.push(
        `${truthReport.id}: region ${got.report.region_code} year ${got.report.year}, expected ${region ?? 'any'} ${year}`,
      );
    }
    if (!got.url || !got.fetchedAt || got.report.cells.some((c) => !c.at || Object.keys(c.at).length === 0))
      result.provenanceGaps.push(truthReport.id);
    if (!expected) continue;
    const want = values(expected);
    const have = values(got.report);
    result.withValues++;
    for (const [path, value] of want) {
      result.cells++;
      if (have.get(path) === value) result.cellsCorrect++;
      else if (result.mismatches.length < 20)
        result.mismatches.push({ report: truthReport.id, path, expected: value, got: have.get(path) });
    }
  }
  return result;
}
