// The hostile corpus' worst case (test/hostile): every file through the extractor in one child process; reports
// how each ended, the slowest file and the peak RSS, so a guard that regresses shows up as a number.
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { log } from '../core/log.ts';
import { generate } from '../test/hostile/generate.ts';
import type { CaseResult } from '../test/hostile/run-corpus.ts';
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
  const runner = join(root, 'test/hostile/run-corpus.ts');
  const { results, crashed } = await new Promise<{ results: CaseResult[]; crashed: string | null }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', runner, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 1_200_000);
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const lines = stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as CaseResult | { start: string });
      const done = lines.filter((line): line is CaseResult => 'outcome' in line);
      const last = lines.filter((line): line is { start: string } => 'start' in line).at(-1)?.start ?? null;
      resolve({ results: done, crashed: code === 0 ? null : `${signal ?? `exit ${code}`} reading ${last}` });
    });
  });
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
