// Runs test/hostile/run-corpus.ts on a generated corpus in a child process and collects its JSON lines: the test
// (test/hostile/hostile.test.ts) and the benchmark (bench/hostile.ts) both read the corpus this way, so a crash or a
// hang ends the child, not the caller, and names the file it was reading.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CaseResult } from './run-corpus.ts';

const RUNNER = fileURLToPath(new URL('./run-corpus.ts', import.meta.url));

export interface CorpusRun {
  /** One per file that finished. */
  results: CaseResult[];
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The child's stderr; empty when `inheritStderr`. */
  stderr: string;
  /** The file last started: the one a crash or a kill interrupted. */
  lastStarted: string | null;
}

/** `timeoutMs`: the child is killed (SIGKILL) after this long. */
export function spawnCorpus(dir: string, opts: { timeoutMs: number; inheritStderr?: boolean }): Promise<CorpusRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', RUNNER, dir], {
      stdio: ['ignore', 'pipe', opts.inheritStderr ? 'inherit' : 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.stdout?.on('data', (chunk) => (stdout += chunk));
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const lines = stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as CaseResult | { start: string });
      resolve({
        results: lines.filter((line): line is CaseResult => 'outcome' in line),
        code,
        signal,
        stderr,
        lastStarted: lines.filter((line): line is { start: string } => 'start' in line).at(-1)?.start ?? null,
      });
    });
  });
}
