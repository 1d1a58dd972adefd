// Runs crawl → extract → load for a set of portals to completion: in-process by default, or through BullMQ workers
// started in this process when REDIS_URL is set. Used by `nianbao demo` and the measurements.
import { config } from '../core/config.ts';
import { log as defaultLog } from '../core/log.ts';
import type { Portal, Store } from '../db/store-types.ts';
import { InProcessRuntime, type FailedJob } from './inprocess.ts';
import { QUEUE_NAMES, type QueueName } from './jobs/job-types.ts';
import { Progress } from './progress.ts';
import { Queues, queueConfigFromEnv, startWorkers } from './queues.ts';

export interface RunResult {
  runtime: 'in-process' | 'bullmq';
  done: Record<QueueName, number>;
  failed: FailedJob[];
  seconds: number;
  /** Stopped by `signal` before the queues were empty; `left` jobs were not done (the next run does them). */
  interrupted: boolean;
  left: number;
}

export async function runToCompletion(opts: {
  store: Store;
  portals: Portal[];
  runKey: string;
  allowPrivate?: boolean;
  log?: (m: string) => void;
  progress?: boolean;
  /** Aborted: no further job starts; the running ones settle (in-process) or are handed back (BullMQ). */
  signal?: AbortSignal;
}): Promise<RunResult> {
  const log = opts.log ?? defaultLog.info;
  const started = Date.now();
  const progress = opts.progress === false ? null : new Progress('documents');
  if (!config().redisUrl) {
    const runtime = new InProcessRuntime({
      store: opts.store,
      log,
      signal: opts.signal,
      onSettled: (queue) => {
        if (!progress) return;
        const counts = runtime.counts;
        progress.update(
          runtime.done.load + runtime.failed.filter((f) => f.queue !== 'crawl').length,
          runtime.done.load +
            counts.extract.waiting +
            counts.extract.active +
            counts.load.waiting +
            counts.load.active +
            runtime.failed.filter((f) => f.queue !== 'crawl').length,
          queue === 'crawl' ? `crawled ${runtime.done.crawl}/${opts.portals.length} portals` : undefined,
        );
      },
    });
    for (const portal of opts.portals)
      runtime.add('crawl', { portalId: portal.id, runKey: opts.runKey, allowPrivate: opts.allowPrivate });
    await runtime.idle();
    progress?.finish();
    return {
      runtime: 'in-process',
      done: { ...runtime.done },
      failed: runtime.failed,
      seconds: (Date.now() - started) / 1000,
      interrupted: Boolean(opts.signal?.aborted) && runtime.left > 0,
      left: runtime.left,
    };
  }
  const cfg = queueConfigFromEnv();
  const queues = new Queues(cfg);
  const workers = await startWorkers({ cfg, store: opts.store, log, concurrency: 1, signal: opts.signal });
  let left = 0;
  try {
    for (const portal of opts.portals)
      await queues.enqueue('crawl', { portalId: portal.id, runKey: opts.runKey, allowPrivate: opts.allowPrivate });
    // Done when no queue has work left (other workers on the same Redis may help; that is fine).
    for (;;) {
      const counts = await queues.counts();
      const busy = QUEUE_NAMES.some(
        (q) => counts[q].waiting + counts[q].active + counts[q].delayed + (counts[q].prioritized ?? 0) > 0,
      );
      progress?.update(
        workers.stats.done.load,
        workers.stats.done.load +
          counts.extract.waiting +
          counts.extract.active +
          counts.load.waiting +
          counts.load.active,
      );
      if (!busy) break;
      if (opts.signal?.aborted) {
        left = QUEUE_NAMES.reduce((total, q) => total + counts[q].waiting + counts[q].delayed + counts[q].active, 0);
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    progress?.finish();
    const failed: FailedJob[] = (await queues.failed(1000)).map(({ queue, job }) => ({
      queue,
      id: String(job.id),
      attempts: job.attemptsMade,
      // A job that failed before using its attempts was failed on purpose (UnrecoverableError): permanent.
      permanent: job.attemptsMade < (job.opts.attempts ?? 1),
      reason: job.failedReason,
    }));
    return {
      runtime: 'bullmq',
      done: { ...workers.stats.done },
      failed,
      seconds: (Date.now() - started) / 1000,
      interrupted: left > 0,
      left,
    };
  } finally {
    await workers.close();
    await queues.close();
  }
}
