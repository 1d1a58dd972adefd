// Extraction per format: one child process per format (cold start and peak RSS are per process), plus the
// reference tools on the same PDF and DOC files.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchFormat } from './corpus.ts';
import { measureReference, type ReferenceResult } from './reference.ts';
import { log } from '../core/log.ts';

export interface FormatResult {
  format: BenchFormat;
  /** 'reference': the PDF reader on pdf.js driven as documented (the fast engine's baseline, same run). */
  engine?: string;
  documents: number;
  runs: number;
  failures: number;
  median_ms: number;
  p95_ms: number;
  docs_per_s: number;
  peak_rss_mb: number;
  cold_start_ms: number;
  /** CPU time (user + system, every thread) per document, mean. */
  cpu_mean_ms?: number;
  reference?: ReferenceResult & { ratio_median: number; ratio_cpu: number | null };
  references?: Array<ReferenceResult & { ratio_median: number; ratio_cpu: number | null }>;
  missing_references?: string[];
}

const INSTALL: Record<string, string> = {
  pdftotext: 'apt-get install poppler-utils',
  antiword: 'apt-get install antiword',
  catdoc: 'apt-get install catdoc',
};

const child = fileURLToPath(new URL('./extract-child.ts', import.meta.url));

export function benchExtraction(
  corpus: Record<BenchFormat, string[]>,
  opts: { rounds: number; maxFiles: number },
): FormatResult[] {
  const results: FormatResult[] = [];
  const references = new Map<string, ReferenceResult | null>();
  type Run = { format: BenchFormat; all: string[]; engine?: string };
  const runs = (Object.entries(corpus) as Array<[BenchFormat, string[]]>).flatMap(([format, all]): Run[] =>
    format === 'pdf'
      ? [
          { format, all },
          { format, all, engine: 'reference' },
        ]
      : [{ format, all }],
  );
  for (const { format, all, engine } of runs) {
    const files = all.slice(0, opts.maxFiles);
    if (!files.length) continue;
    const label = engine ? `${format}:${engine}` : format;
    log.info(`bench: extraction ${label} (${files.length} documents × ${opts.rounds})…`);
    // taskset pins the child to one core: "docs/s on one core".
    const cmd = ['--import', 'tsx', child, label, String(opts.rounds), ...files];
    const res = spawnSync('taskset', ['-c', '0', process.execPath, ...cmd], { encoding: 'utf8', maxBuffer: 16 << 20 });
    const out =
      res.status === 0
        ? res.stdout
        : spawnSync(process.execPath, cmd, { encoding: 'utf8', maxBuffer: 16 << 20 }).stdout;
    const line = out.trim().split('\n').pop();
    if (!line) {
      log.warn(`bench: extraction ${label} failed: ${res.stderr.split('\n').slice(-3).join(' ')}`);
      continue;
    }
    const result = JSON.parse(line) as FormatResult;
    const refs = format === 'pdf' ? ['pdftotext'] : format === 'doc' ? ['antiword', 'catdoc'] : [];
    const measured = refs
      .map((tool) => {
        // both PDF engines are set against one measurement of the tool
        const key = `${tool} ${files.length}`;
        if (!references.has(key)) references.set(key, measureReference(tool as 'pdftotext', files, opts.rounds));
        const ref = references.get(key)!;
        // a missing reference is said, not silently left out of the table: the ratio is the figure that counts
        if (!ref) {
          log.warn(`bench: ${tool} is not installed (${INSTALL[tool]}): no ${format} ratio in this run`);
          result.missing_references = [...(result.missing_references ?? []), tool];
        }
        return ref;
      })
      .filter((x): x is ReferenceResult => !!x)
      .map((ref) => ({
        ...ref,
        ratio_median: result.median_ms / ref.median_ms,
        ratio_cpu: ref.cpu_mean_ms && result.cpu_mean_ms ? result.cpu_mean_ms / ref.cpu_mean_ms : null,
      }));
    if (measured.length) {
      result.reference = measured[0];
      result.references = measured;
    }
    results.push(result);
  }
  return results;
}
