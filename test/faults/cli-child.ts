// A `nianbao` child process for the fault tests: its output, a wait for a line on stderr, and a bounded wait for
// its exit (killed with SIGKILL past the bound, so a hang fails the test instead of stalling the suite).
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN, ROOT } from '../pipeline/helpers.ts';

export interface CliChild {
  proc: ChildProcess;
  out(): string;
  err(): string;
  /** Resolves once stderr matches; rejects after `ms`. */
  waitFor(pattern: RegExp, ms: number): Promise<void>;
  /** Exit code (or 128 + signal number); rejects when the process is still running after `ms`. */
  exit(ms: number): Promise<number>;
}

const SIGNALS: Record<string, number> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

export function startCli(args: string[], env: NodeJS.ProcessEnv): CliChild {
  const proc = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_NO_WARNINGS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (chunk) => (out += chunk));
  proc.stderr!.on('data', (chunk) => (err += chunk));
  const exited = new Promise<number>((resolve) =>
    proc.on('exit', (code, signal) => resolve(code ?? 128 + (SIGNALS[signal ?? ''] ?? 0))),
  );
  return {
    proc,
    out: () => out,
    err: () => err,
    waitFor(pattern, ms) {
      return new Promise((resolve, reject) => {
        const deadline = setTimeout(() => {
          proc.stderr!.off('data', check);
          reject(new Error(`no ${pattern} on stderr within ${ms} ms:\n${err}`));
        }, ms);
        const check = () => {
          if (!pattern.test(err)) return;
          clearTimeout(deadline);
          proc.stderr!.off('data', check);
          resolve();
        };
        proc.stderr!.on('data', check);
        check();
      });
    },
    async exit(ms) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          proc.kill('SIGKILL');
          reject(new Error(`still running after ${ms} ms (killed):\n${err}`));
        }, ms);
      });
      try {
        return await Promise.race([exited, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** A stack trace line, which no failure or stop may print without --debug. */
export const STACK_LINE = /^\s+at .+[(:]\d+/m;
