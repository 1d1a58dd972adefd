// The hostile corpus' worst case (test/hostile): every file through the extractor in one child process; reports
// how each ended, the slowest file and the peak RSS, so a guard that regresses shows up as a number.
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { log } from '../core/log.ts';
import { generate } from '../test/hostile/generate.ts';
import type { CaseResult } from '../test/hostile/run-corpus.ts';
import { spawnCorpus } from '../test/hostile/spawn-corpus.ts';
import { round } from './stats.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface HostileBench {
  files: number;
  outcomes: Record<string, number>;
  worst_seconds: number;
  worst_file: string | null;
  peak_rss_mb: number;
  /** The process died or was killed (then the file it was reading). */
  crashed: string | null;
}

export async function benchHostile(): Promise<HostileBench> {
  const dir = join(root, 'bench/tmp/hostile');
  const cases = await generate(dir);
  const run = await spawnCorpus(dir, { timeoutMs: 1_200_000, inheritStderr: true });
  const results = run.results;
  const crashed = run.code === 0 ? null : `${run.signal ?? `exit ${run.code}`} reading ${run.lastStarted}`;
  await rm(dir, { recursive: true, force: true });
  const outcomes: Record<string, number> = {};
  for (const result of results) outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1;
  const worst = results.reduce<CaseResult | null>(
    (max, result) => (!max || result.seconds > max.seconds ? result : max),
    null,
  );
  const bench: HostileBench = {
    files: cases.length,
    outcomes,
    worst_seconds: round(worst?.seconds ?? 0, 2),
    worst_file: worst?.file ?? null,
    peak_rss_mb: Math.max(0, ...results.map((result) => result.peakRssMb)),
    crashed,
  };
  log.info(
    `bench hostile: ${bench.files} files (${Object.entries(outcomes)
      .map(([outcome, count]) => `${outcome} ${count}`)
      .join(', ')}), worst ${bench.worst_seconds} s (${bench.worst_file}), peak RSS ${bench.peak_rss_mb} MB` +
      (crashed ? `, CRASHED: ${crashed}` : ''),
  );
  return bench;
}
