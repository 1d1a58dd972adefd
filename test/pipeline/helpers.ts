// Shared by the pipeline tests: the environment a `nianbao worker` child process gets (the same names the compose
// file sets), spawning and stopping such children, and a private Redis key prefix per test.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { config } from '../../core/config.ts';
import type { QueueConfig } from '../../pipeline/queues.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/nianbao.js', import.meta.url));
export const REDIS_URL = config().testRedisUrl;

export function testPrefix(): string {
  return `nianbao-test-${randomBytes(4).toString('hex')}`;
}

/** Queues on the test Redis under a private prefix; a test states only the retry and lock timing it is about. */
export function testQueueConfig(
  timing: Pick<QueueConfig, 'retry' | 'lockDurationMs' | 'stalledIntervalMs'>,
): QueueConfig {
  return { redisUrl: REDIS_URL, prefix: testPrefix(), ...timing };
}

/** What the deployment sets for every worker (docker-compose.yml must set exactly these). */
export interface DeploymentEnv {
  DATABASE_URL: string;
  REDIS_URL: string;
  NIANBAO_HOME: string;
  NIANBAO_QUEUE_PREFIX: string;
}

export function workerEnv(deployment: DeploymentEnv, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...deployment, NIANBAO_HEALTH_SECONDS: '2', NODE_NO_WARNINGS: '1', ...extra };
}

export interface Child {
  proc: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Spawns `node <script> args` (default: the nianbao CLI) and resolves once it prints its ready line. */
export async function spawnChild(args: string[], env: NodeJS.ProcessEnv, script = BIN): Promise<Child> {
  const node = script.endsWith('.ts') ? ['--import', 'tsx', script] : [script];
  const proc = spawn(process.execPath, [...node, ...args], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child did not get ready:\n${err}`)), 90_000);
    proc.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      if (/\bready:/.test(err)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`child exited (${code}) before ready:\n${err}`));
    });
  });
  return { proc, stderr: () => err, exited };
}

export async function stopChild(child: Child, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill(signal);
  return child.exited;
}

export async function waitFor(cond: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
