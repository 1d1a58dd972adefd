// End-to-end throughput of extract + load on archived documents: documents/second with N `nianbao worker` processes
// on Redis (N ≥ 1), or in-process. Reusable by `npm run bench`; workers are started and ready before the clock runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Store } from '../db/store-types.ts';
import { InProcessRuntime } from './inprocess.ts';
import { Queues, type QueueConfig } from './queues.ts';
import type { DocumentOrigin } from '../core/origin.ts';

const BIN = fileURLToPath(new URL('../bin/nianbao.js', import.meta.url));

export interface Measurement {
  runtime: string;
  workers: number;
  documents: number;
  seconds: number;
  docsPerSecond: number;
  failed: number;
  /** CPU seconds the worker processes spent (user + system; Linux /proc), a figure that other load does not skew. */
  cpuSeconds?: number | null;
}

/** In this process, one extraction at a time (the embedded default). */
export async function measureInProcess(store: Store, docs: DocumentOrigin[]): Promise<Measurement> {
  const runtime = new InProcessRuntime({ store, log: () => {}, retry: { attempts: 1, backoffMs: 0 } });
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  for (const doc of docs) runtime.add('extract', doc);
  await runtime.idle();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {
    runtime: 'in-process',
    workers: 1,
    documents: docs.length,
    seconds,
    docsPerSecond: docs.length / seconds,
    failed: runtime.failed.length,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

/** N worker child processes (`nianbao worker --queues extract,load`) on a private queue prefix, removed afterwards. */
export async function measureWorkers(opts: {
  workers: number;
  docs: DocumentOrigin[];
  databaseUrl: string;
  home: string;
  redisUrl: string;
}): Promise<Measurement> {
  const cfg: QueueConfig = {
    redisUrl: opts.redisUrl,
    prefix: `nianbao-measure-${randomBytes(4).toString('hex')}`,
    retry: { attempts: 1, backoffMs: 0 },
    lockDurationMs: 60_000,
    stalledIntervalMs: 30_000,
  };
  const queues = new Queues(cfg);
  const env = {
    ...process.env,
    DATABASE_URL: opts.databaseUrl,
    NIANBAO_HOME: opts.home,
    REDIS_URL: opts.redisUrl,
    NIANBAO_QUEUE_PREFIX: cfg.prefix,
    NIANBAO_ATTEMPTS: '1',
  };
  const children: ChildProcess[] = [];
  try {
    for (let i = 0; i < opts.workers; i++) children.push(await startWorker(env));
    const cpuAtReady = children
      .map((c) => cpuSecondsOf(c.pid))
      .reduce<number | null>((a, b) => (a === null || b === null ? null : a + b), 0);
    const started = performance.now();
    await Promise.all(opts.docs.map((d) => queues.enqueue('extract', d)));
    let failed = 0;
    for (;;) {
      const counts = await queues.counts();
      failed = counts.extract.failed + counts.load.failed;
      // Completed load jobs are removed early (they carry whole reports): count extractions, then wait for loads.
      const pending =
        counts.load.waiting +
        counts.load.active +
        counts.load.delayed +
        counts.extract.waiting +
        counts.extract.active +
        counts.extract.delayed;
      if (counts.extract.completed + counts.extract.failed >= opts.docs.length && pending === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = children
      .map((c) => cpuSecondsOf(c.pid))
      .reduce<number | null>((a, b) => (a === null || b === null ? null : a + b), 0);
    const cpuSeconds = cpu === null || cpuAtReady === null ? null : cpu - cpuAtReady;
    return {
      runtime: 'bullmq',
      workers: opts.workers,
      documents: opts.docs.length,
      seconds,
      docsPerSecond: opts.docs.length / seconds,
      failed,
      cpuSeconds,
    };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
    await queues.obliterate();
    await queues.close();
  }
}

/** utime + stime of a process from /proc (Linux), in seconds; null elsewhere. */
function cpuSecondsOf(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    // After "pid (comm) ", field 3 is state; utime and stime are fields 14 and 15 of the full line.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

function startWorker(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'worker', '--queues', 'extract,load'], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      if (/\bready:/.test(err)) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}): ${err.slice(-500)}`)));
  });
}
