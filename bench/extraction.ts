// Extraction per format: one child process per format (cold start and peak RSS are per process), plus the
// reference tools on the same PDF and DOC files.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchFormat } from './corpus.ts';
import { measureReference, type ReferenceResult } from './reference.ts';
import { log } from '../core/log.ts';

export interface FormatResult {
  format: BenchFormat;
  documents: number;
  runs: number;
  failures: number;
  median_ms: number;
  p95_ms: number;
  docs_per_s: number;
  peak_rss_mb: number;
  cold_start_ms: number;
  reference?: ReferenceResult & { ratio_median: number };
  references?: Array<ReferenceResult & { ratio_median: number }>;
}

const child = fileURLToPath(new URL('./extract-child.ts', import.meta.url));

export function benchExtraction(
  corpus: Record<BenchFormat, string[]>,
  opts: { rounds: number; maxFiles: number },
): FormatResult[] {
  const results: FormatResult[] = [];
  for (const [format, all] of Object.entries(corpus) as Array<[BenchFormat, string[]]>) {
    const files = all.slice(0, opts.maxFiles);
    if (!files.length) continue;
    log.info(`bench: extraction ${format} (${files.length} documents × ${opts.rounds})…`);
    // taskset pins the child to one core: "docs/s on one core".
    const cmd = ['--import', 'tsx', child, format, String(opts.rounds), ...files];
    const res = spawnSync('taskset', ['-c', '0', process.execPath, ...cmd], { encoding: 'utf8', maxBuffer: 16 << 20 });
    const out =
      res.status === 0
        ? res.stdout
        : spawnSync(process.execPath, cmd, { encoding: 'utf8', maxBuffer: 16 << 20 }).stdout;
    const line = out.trim().split('\n').pop();
    if (!line) {
      log.warn(`bench: extraction ${format} failed: ${res.stderr.split('\n').slice(-3).join(' ')}`);
      continue;
    }
    const result = JSON.parse(line) as FormatResult;
    const refs = format === 'pdf' ? ['pdftotext'] : format === 'doc' ? ['antiword', 'catdoc'] : [];
    const measured = refs
      .map((tool) => measureReference(tool as 'pdftotext', files, opts.rounds))
      .filter((x): x is ReferenceResult => !!x)
      .map((ref) => ({ ...ref, ratio_median: result.median_ms / ref.median_ms }));
    if (measured.length) {
      result.reference = measured[0];
      result.references = measured;
    }
    results.push(result);
  }
  return results;
}
