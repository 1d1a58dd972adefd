// The embedded runtime (no REDIS_URL): the same handlers, job ids, retries with exponential backoff and
// crawl → extract → load chaining as the BullMQ workers, inside one process. Job ids seen in this process are never
// run twice; across processes the store's idempotent upsert makes a repeated load a no-op.
import type { Store } from '../db/store-types.ts';
import { isPermanent } from '../core/errors.ts';
import { log as defaultLog } from '../core/log.ts';
import { handlers as defaultHandlers, recordFailure } from './jobs/index.ts';
import { rootCause, throwStorageFault } from './storage-fault.ts';
import {
  jobIdFor,
  QUEUE_NAMES,
  retryPolicyFromEnv,
  type Handlers,
  type JobContext,
  type JobDataMap,
  type QueueName,
  type RetryPolicy,
} from './jobs/job-types.ts';

export interface FailedJob {
  queue: QueueName;
  id: string;
  attempts: number;
  permanent: boolean;
  reason: string;
}

export interface InProcessOptions {
  store: Store;
  handlers?: Partial<Handlers>;
  concurrency?: Partial<Record<QueueName, number>>;
  retry?: RetryPolicy;
  log?: (message: string) => void;
  /** Called after each finished job (progress reporting). */
  onSettled?: (queue: QueueName, ok: boolean) => void;
  /** Aborted (SIGINT/SIGTERM): stop() — no further job starts. */
  signal?: AbortSignal;
}

interface Pending {
  queue: QueueName;
  id: string;
  data: unknown;
  attempt: number;
}

export class InProcessRuntime {
  readonly done: Record<QueueName, number> = { crawl: 0, extract: 0, load: 0 };
  readonly failed: FailedJob[] = [];
  private readonly seen = new Set<string>();
  private readonly waiting: Record<QueueName, Pending[]> = { crawl: [], extract: [], load: [] };
  private readonly running: Record<QueueName, number> = { crawl: 0, extract: 0, load: 0 };
  private delayed = 0;
  private idleWaiters: Array<() => void> = [];
  private readonly handlers: Handlers;
  private readonly concurrency: Record<QueueName, number>;
  private readonly retry: RetryPolicy;
  private readonly ctx: JobContext;
  private closed = false;
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly opts: InProcessOptions) {
    this.handlers = { ...defaultHandlers, ...opts.handlers } as Handlers;
    // Extraction is CPU-bound (one core each); loads and crawls wait on I/O.
    this.concurrency = { crawl: 2, extract: 1, load: 4, ...opts.concurrency };
    this.retry = opts.retry ?? retryPolicyFromEnv();
    const log = opts.log ?? defaultLog.info;
    this.ctx = { store: opts.store, log, signal: opts.signal, enqueue: (q, d) => Promise.resolve(this.add(q, d)) };
    if (opts.signal?.aborted) this.stopped = true;
    else opts.signal?.addEventListener('abort', () => this.stop(), { once: true });
  }

  /** Adds a job; false when a job with the same id was already added to this runtime. */
  add<Q extends QueueName>(queue: Q, data: JobDataMap[Q]): boolean {
    if (this.closed) throw new Error('runtime closed');
    const id = jobIdFor(queue, data);
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    this.waiting[queue].push({ queue, id, data, attempt: 1 });
    queueMicrotask(() => this.pump());
    return true;
  }

  get counts(): Record<QueueName, { waiting: number; active: number }> {
    const out = {} as Record<QueueName, { waiting: number; active: number }>;
    for (const queue of QUEUE_NAMES) out[queue] = { waiting: this.waiting[queue].length, active: this.running[queue] };
    return out;
  }

  /** Resolves when every queue is empty, nothing runs and no retry is pending. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
  }

  /**
   * Starts no further job (waiting ones and pending retries stay undone, counted by `left`); `idle()` then resolves
   * once the running jobs have settled. Jobs they enqueue are kept out as well.
   */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.delayed = 0;
    this.pump();
  }

  /** Jobs not done when the runtime was stopped: waiting, or waiting for a retry. */
  get left(): number {
    return QUEUE_NAMES.reduce((total, q) => total + this.waiting[q].length, 0) + this.retrying.size;
  }

  private readonly retrying = new Set<string>();

  private isIdle(): boolean {
    if (this.stopped) return QUEUE_NAMES.every((q) => this.running[q] === 0);
    return this.delayed === 0 && QUEUE_NAMES.every((q) => this.waiting[q].length === 0 && this.running[q] === 0);
  }

  private pump(): void {
    if (this.stopped) {
      if (this.isIdle()) for (const wake of this.idleWaiters.splice(0)) wake();
      return;
    }
    // Downstream first: finishing documents frees memory before more are produced.
    for (const queue of ['load', 'extract', 'crawl'] as const) {
      while (this.running[queue] < this.concurrency[queue] && this.waiting[queue].length) {
        const job = this.waiting[queue].shift()!;
        this.running[queue]++;
        void this.execute(job).finally(() => {
          this.running[queue]--;
          this.pump();
        });
      }
    }
    if (this.isIdle()) for (const wake of this.idleWaiters.splice(0)) wake();
  }

  private async execute(job: Pending): Promise<void> {
    const handler = this.handlers[job.queue] as (d: unknown, c: JobContext) => Promise<unknown>;
    const started = Date.now();
    try {
      await handler(job.data, this.ctx);
      if (job.queue === 'crawl') throwStorageFault(this.ctx.store, started);
      this.done[job.queue]++;
      this.opts.onSettled?.(job.queue, true);
    } catch (caught) {
      const err = job.queue === 'crawl' ? rootCause(this.ctx.store, started, caught) : caught;
      const permanent = isPermanent(err);
      // A job cut short by the stop is left undone (not a failure): the next run does it.
      if (this.stopped && !permanent) {
        this.waiting[job.queue].push(job);
        return;
      }
      if (!permanent && job.attempt < this.retry.attempts) {
        const delay = this.retry.backoffMs * 2 ** (job.attempt - 1);
        this.ctx.log(
          `retry ${job.id} in ${delay} ms (attempt ${job.attempt}/${this.retry.attempts}): ${(err as Error).message}`,
        );
        this.delayed++;
        this.retrying.add(job.id);
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.retrying.delete(job.id);
          this.delayed--;
          this.waiting[job.queue].push({ ...job, attempt: job.attempt + 1 });
          this.pump();
        }, delay);
        this.timers.add(timer);
        return;
      }
      this.failed.push({
        queue: job.queue,
        id: job.id,
        attempts: job.attempt,
        permanent,
        reason: (err as Error).message,
      });
      await recordFailure(job.queue, job.data as never, err, permanent, this.ctx);
      this.opts.onSettled?.(job.queue, false);
    }
  }
}
