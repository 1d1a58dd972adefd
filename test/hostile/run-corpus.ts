// Runs every file of a generated hostile corpus (test/hostile/generate.ts) through the extractor, one after another
// in this process, and prints one JSON line per file: its outcome, seconds and the process's peak RSS so far.
//   npx tsx test/hostile/run-corpus.ts DIR
// A "start" line precedes each file, so a crash or a hang names the file that caused it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../core/errors.ts';
import { extractFile } from '../../extractors/extract.ts';
import type { Report } from '../../extractors/report.ts';
import { compareReports } from '../extract/compare.ts';
import type { HostileCase } from './generate.ts';

export type Outcome = 'error' | 'correct' | 'flagged' | 'silent-wrong' | 'unflagged' | 'crash';

export interface CaseResult {
  file: string;
  outcome: Outcome;
  detail: string;
  seconds: number;
  /** Peak resident memory of the process so far, MB (readers run in its threads). */
  peakRssMb: number;
}

/** What a report means for a hostile case: read right, or wrong with a flag that says so, or silently wrong. */
export function judge(report: Report, hostile: HostileCase): { outcome: Outcome; detail: string } {
  const newFlags = report.flags.filter((flag) => !hostile.truthFlags.includes(flag.code)).map((flag) => flag.code);
  if (hostile.truth) {
    const differences = compareReports(report, hostile.truth, { provenance: false });
    if (!differences.length) return { outcome: 'correct', detail: '' };
    return newFlags.length
      ? { outcome: 'flagged', detail: [...new Set(newFlags)].join(',') }
      : { outcome: 'silent-wrong', detail: differences.slice(0, 3).join('; ') };
  }
  // No known right answer (junk, bombs): only a flag can say what the bytes are.
  return report.flags.length
    ? { outcome: 'flagged', detail: [...new Set(report.flags.map((flag) => flag.code))].join(',') }
    : { outcome: 'unflagged', detail: `template ${report.template}, ${report.cells.length} cells, no flag` };
}

export async function runCase(dir: string, hostile: HostileCase): Promise<CaseResult> {
  const started = performance.now();
  let verdict: { outcome: Outcome; detail: string };
  try {
    verdict = judge(await extractFile(join(dir, hostile.file)), hostile);
  } catch (err) {
    const error = err as Error;
    const oneLine = !String(error.message).includes('\n');
    verdict =
      err instanceof InputError && oneLine
        ? { outcome: 'error', detail: error.message }
        : { outcome: 'crash', detail: `${error.name}: ${String(error.stack ?? error.message).slice(0, 500)}` };
  }
  return {
    file: hostile.file,
    ...verdict,
    seconds: (performance.now() - started) / 1000,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: run-corpus.ts DIR');
  const cases = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as HostileCase[];
  for (const hostile of cases) {
    process.stdout.write(JSON.stringify({ start: hostile.file }) + '\n');
    process.stdout.write(JSON.stringify(await runCase(dir, hostile)) + '\n');
  }
  // The pdf.js and reader threads are unref'd, but a library timer must not keep a finished run alive.
  process.exit(0);
}
