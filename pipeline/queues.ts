// The BullMQ runtime (REDIS_URL set): queues crawl → extract → load shared by any number of worker processes on any
// number of machines. Everything they share goes through Redis (jobs) and Postgres (results); document bytes are
// read from the blob store, which must therefore be a volume every worker mounts (NIANBAO_HOME).
import { Queue, UnrecoverableError, WaitingError, Worker, type Job, type JobsOptions } from 'bullmq';
import type { Store } from '../db/store-types.ts';
import { isPermanent } from '../core/errors.ts';
import { handlers as defaultHandlers, recordFailure } from './jobs/index.ts';
import { rootCause, throwStorageFault } from './storage-fault.ts';
import { config, loadConfig } from '../core/config.ts';
import { log as defaultLog } from '../core/log.ts';
import {
  jobIdFor,
  QUEUE_NAMES,
  type Handlers,
  type JobContext,
  type JobDataMap,
  type QueueName,
  type RetryPolicy,
} from './jobs/job-types.ts';

export interface QueueConfig {
  redisUrl: string;
  /** Redis key prefix: lets tests (and several deployments) share one Redis. */
  prefix: string;
  retry: RetryPolicy;
  /** A job whose worker stops renewing its lock (killed, frozen) is handed to another worker after this long. */
  lockDurationMs: number;
  stalledIntervalMs: number;
}

/** The queue settings of the given environment (default: this process's). */
export function queueConfigFromEnv(env?: NodeJS.ProcessEnv): QueueConfig {
  const settings = env ? loadConfig(env) : config();
  if (!settings.redisUrl)
    throw new Error('REDIS_URL is not set: queues need Redis (without it, commands run in-process)');
  return {
    redisUrl: settings.redisUrl,
    prefix: settings.queuePrefix,
    retry: { attempts: settings.attempts, backoffMs: settings.backoffMs },
    lockDurationMs: settings.lockMs,
    stalledIntervalMs: settings.stalledMs,
  };
}

function connection(cfg: QueueConfig) {
  // Workers block on Redis: never give up on a command (BullMQ requires maxRetriesPerRequest null for workers).
  return { url: cfg.redisUrl, maxRetriesPerRequest: null };
}

export function jobOptions(cfg: QueueConfig, id: string, queue: QueueName): JobsOptions {
  return {
    jobId: id,
    attempts: cfg.retry.attempts,
    backoff: { type: 'exponential', delay: cfg.retry.backoffMs },
    // Completed crawl/extract ids (small payloads) are kept a week, so a document re-listed by tonight's crawl is not
    // extracted again. A load job carries a whole report: drop it once loaded (the store's upsert is idempotent
    // anyway), or Redis would hold every report of the week.
    removeOnComplete: queue === 'load' ? { count: 1000 } : { age: 7 * 24 * 3600, count: 200_000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  };
}

export class Queues {
  readonly queues: Record<QueueName, Queue>;
  constructor(readonly cfg: QueueConfig) {
    const queue = (name: QueueName) => {
      const created = new Queue(name, { connection: connection(cfg), prefix: cfg.prefix });
      // Without a listener ioredis prints every failed reconnect as an unhandled error; the commands that need Redis
      // fail on their own, and the reconnection goes on.
      created.on('error', (err) => defaultLog.debug(`queue ${name}: ${err.message}`));
      return created;
    };
    this.queues = { crawl: queue('crawl'), extract: queue('extract'), load: queue('load') };
  }

  /**
   * Adds the job unless a job with its id exists. A job that failed after using up its retries (a transient cause:
   * network, database, disk) is retried when enqueued again, e.g. by the next night's crawl; one that failed
   * permanently (unreadable document, fewer attempts made) is not.
   */
  async enqueue<Q extends QueueName>(queue: Q, data: JobDataMap[Q]): Promise<boolean> {
    const id = jobIdFor(queue, data);
    const target = this.queues[queue];
    const existing = await target.getJob(id);
    if (existing) {
      if (
        existing.failedReason &&
        existing.attemptsMade >= (existing.opts.attempts ?? 1) &&
        (await existing.isFailed())
      ) {
        await existing.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        return true;
      }
      return false;
    }
    await target.add(queue, data, jobOptions(this.cfg, id, queue));
    return true;
  }

  async counts(): Promise<Record<QueueName, Record<string, number>>> {
    const out = {} as Record<QueueName, Record<string, number>>;
    for (const name of QUEUE_NAMES) {
      out[name] = await this.queues[name].getJobCounts(
        'waiting',
        'active',
        'delayed',
        'completed',
        'failed',
        'prioritized',
      );
    }
    return out;
  }

  /** The failed jobs of every queue, the first `perQueue` of each (BullMQ's order), with the queue they are in. */
  async failed(perQueue: number): Promise<Array<{ queue: QueueName; job: Job }>> {
    const out: Array<{ queue: QueueName; job: Job }> = [];
    for (const queue of QUEUE_NAMES)
      for (const job of await this.queues[queue].getFailed(0, perQueue - 1)) out.push({ queue, job });
    return out;
  }

  /** Deletes every key of these queues (tests; never touches other prefixes). */
  async obliterate(): Promise<void> {
    for (const queue of Object.values(this.queues)) await queue.obliterate({ force: true });
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((q) => q.close()));
  }
}

export interface WorkerStats {
  done: Record<QueueName, number>;
  failed: Record<QueueName, number>;
}

export interface Workers {
  stats: WorkerStats;
  workers: Worker[];
  /** Finishes the current jobs (or hands them back) and disconnects. */
  close(): Promise<void>;
}

export async function startWorkers(opts: {
  cfg: QueueConfig;
  store: Store;
  queues?: QueueName[];
  concurrency?: number;
  handlers?: Partial<Handlers>;
  log?: (m: string) => void;
  /** Aborted when the process is asked to stop: a job that fails after that is handed back, not failed. */
  signal?: AbortSignal;
}): Promise<Workers> {
  const { cfg, store } = opts;
  const log = opts.log ?? defaultLog.info;
  const handlers = { ...defaultHandlers, ...opts.handlers } as Handlers;
  const producer = new Queues(cfg);
  const ctx: JobContext = { store, log, signal: opts.signal, enqueue: (q, d) => producer.enqueue(q, d) };
  const stats: WorkerStats = { done: { crawl: 0, extract: 0, load: 0 }, failed: { crawl: 0, extract: 0, load: 0 } };
  const names = opts.queues ?? [...QUEUE_NAMES];
  // Load the heavy modules before taking jobs, so the first job is not slow and "ready" means ready.
  if (!opts.handlers?.extract && names.includes('extract')) await import('../extractors/extract.ts');
  if (!opts.handlers?.crawl && names.includes('crawl')) await import('../crawlers/crawl-portal.ts');
  const workers: Worker[] = [];
  for (const name of names) {
    const handler = handlers[name] as (d: unknown, c: JobContext) => Promise<unknown>;
    const worker = new Worker(
      name,
      async (job: Job, token?: string) => {
        const started = Date.now();
        try {
          const result = await handler(job.data, ctx);
          if (name === 'crawl') throwStorageFault(store, started);
          return result;
        } catch (caught) {
          const err = name === 'crawl' ? rootCause(store, started, caught) : caught;
          // Stopped by a signal (the job was cut short, or its store or network went away as the process stops):
          // back to the queue without using an attempt or recording a failure, so another worker does it in full.
          if (opts.signal?.aborted && !isPermanent(err)) {
            log(`${name} job ${job.id} handed back (stopping): ${(err as Error).message}`);
            await job.moveToWait(token);
            throw new WaitingError();
          }
          const permanent = isPermanent(err);
          const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
          if (permanent || last) await recordFailure(name, job.data as never, err, permanent, ctx);
          // UnrecoverableError: BullMQ fails the job now instead of retrying it.
          throw permanent ? new UnrecoverableError((err as Error).message) : err;
        }
      },
      {
        connection: connection(cfg),
        prefix: cfg.prefix,
        concurrency: opts.concurrency ?? 1,
        lockDuration: cfg.lockDurationMs,
        stalledInterval: cfg.stalledIntervalMs,
        maxStalledCount: 2,
      },
    );
    worker.on('completed', () => stats.done[name]++);
    worker.on('failed', (job, err) => {
      stats.failed[name]++;
      log(`${name} job ${job?.id} failed (attempt ${job?.attemptsMade}): ${err.message}`);
    });
    worker.on('error', (err) => log(`${name} worker error: ${err.message}`));
    workers.push(worker);
  }
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  return {
    stats,
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await producer.close();
    },
  };
}
