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
}

export async function runToCompletion(opts: {
  store: Store;
  portals: Portal[];
  runKey: string;
  allowPrivate?: boolean;
  log?: (m: string) => void;
  progress?: boolean;
}): Promise<RunResult> {
  const log = opts.log ?? defaultLog.info;
  const started = Date.now();
  const progress = opts.progress === false ? null : new Progress('documents');
  if (!config().redisUrl) {
    const rt = new InProcessRuntime({
      store: opts.store,
      log,
      onSettled: (q) => {
        if (!progress) return;
        const c = rt.counts;
        progress.update(
          rt.done.load + rt.failed.filter((f) => f.queue !== 'crawl').length,
          rt.done.load +
            c.extract.waiting +
            c.extract.active +
            c.load.waiting +
            c.load.active +
            rt.failed.filter((f) => f.queue !== 'crawl').length,
          q === 'crawl' ? `crawled ${rt.done.crawl}/${opts.portals.length} portals` : undefined,
        );
      },
    });
    for (const p of opts.portals)
      rt.add('crawl', { portalId: p.id, runKey: opts.runKey, allowPrivate: opts.allowPrivate });
    await rt.idle();
    progress?.finish();
    return { runtime: 'in-process', done: { ...rt.done }, failed: rt.failed, seconds: (Date.now() - started) / 1000 };
  }
  const cfg = queueConfigFromEnv();
  const queues = new Queues(cfg);
  const workers = await startWorkers({ cfg, store: opts.store, log, concurrency: 1 });
  try {
    for (const p of opts.portals)
      await queues.enqueue('crawl', { portalId: p.id, runKey: opts.runKey, allowPrivate: opts.allowPrivate });
    // Done when no queue has work left (other workers on the same Redis may help; that is fine).
    for (;;) {
      const c = await queues.counts();
      const busy = QUEUE_NAMES.some((q) => c[q].waiting + c[q].active + c[q].delayed + (c[q].prioritized ?? 0) > 0);
      progress?.update(
        workers.stats.done.load,
        workers.stats.done.load + c.extract.waiting + c.extract.active + c.load.waiting + c.load.active,
      );
      if (!busy) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    progress?.finish();
    const failed: FailedJob[] = [];
    for (const q of QUEUE_NAMES) {
      for (const j of await queues.queues[q].getFailed(0, 999)) {
        // A job that failed before using its attempts was failed on purpose (UnrecoverableError): permanent.
        failed.push({
          queue: q,
          id: String(j.id),
          attempts: j.attemptsMade,
          permanent: j.attemptsMade < (j.opts.attempts ?? 1),
          reason: j.failedReason,
        });
      }
    }
    return { runtime: 'bullmq', done: { ...workers.stats.done }, failed, seconds: (Date.now() - started) / 1000 };
  } finally {
    await workers.close();
    await queues.close();
  }
}
