// `nianbao worker`: long-lived BullMQ workers. One process keeps one pdf.js warm across documents; run one per core
// and as many machines as needed: they cooperate through Redis and Postgres only.
import { parse, positiveInt } from '../args.ts';
import type { Command } from '../command.ts';
import { config } from '../../core/config.ts';
import { UsageError } from '../../core/errors.ts';
import { createLogger } from '../../core/log.ts';
import { QUEUE_NAMES, type QueueName } from '../jobs/job-types.ts';
import { queueConfigFromEnv, startWorkers, type Workers } from '../queues.ts';
import { exitCodeOf, trapInterrupts } from '../interrupt.ts';
import { openStoreFromEnv } from '../store.ts';

const usage = `usage: nianbao worker [--queues crawl,extract,load] [--concurrency N]

Runs queue workers until SIGTERM/SIGINT (the current jobs finish or are handed back). Needs REDIS_URL.
environment: REDIS_URL, DATABASE_URL, NIANBAO_HOME (blob store: a volume shared by all workers),
  NIANBAO_QUEUE_PREFIX (default nianbao), NIANBAO_ATTEMPTS (5), NIANBAO_BACKOFF_MS (5000),
  NIANBAO_LOCK_MS (60000), NIANBAO_STALLED_MS (30000), NIANBAO_HEALTH_SECONDS (60)`;

export default {
  usage,
  async run(argv) {
    const { values } = parse(argv, { queues: { type: 'string' }, concurrency: { type: 'string' } });
    const queues = parseQueues(values.queues);
    const concurrency = positiveInt('concurrency', values.concurrency) ?? 1;
    if (!config().redisUrl)
      throw new Error(
        'REDIS_URL is not set: `nianbao worker` needs Redis (without it, `nianbao demo` runs the pipeline in-process)',
      );
    const cfg = queueConfigFromEnv();
    const store = await openStoreFromEnv();
    const log = createLogger(`[worker ${process.pid}] `).info;
    const interrupt = trapInterrupts(log);
    let workers: Workers | null = null;
    try {
      workers = await startWorkers({ cfg, store, queues, concurrency, log, signal: interrupt.signal });
      log(`ready: queues ${queues.join(',')}, concurrency ${concurrency}, prefix ${cfg.prefix}`);
      const stats = workers.stats;
      const started = Date.now();
      const healthMs = config().healthSeconds * 1000;
      const health = setInterval(() => {
        const done = sum(stats.done);
        const secs = (Date.now() - started) / 1000;
        log(
          `health: done ${done} (${fmt(stats.done)}), failed ${sum(stats.failed)}, ` +
            `${(done / secs).toFixed(2)} jobs/s, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`,
        );
      }, healthMs || 60_000);
      health.unref();
      // A worker runs until it is told to stop.
      await new Promise<void>((resolve) => interrupt.signal.addEventListener('abort', () => resolve(), { once: true }));
      clearInterval(health);
    } finally {
      interrupt.dispose();
      // Let the running jobs finish (or hand them back), then close; on every path, so nothing keeps the process up.
      await workers?.close();
      await store.close();
      // Work is handed back and connections closed; a library timer left behind must not keep the process up.
      const code = interrupt.received ? exitCodeOf(interrupt.received) : 1;
      setTimeout(() => process.exit(code), 2000).unref();
    }
    const stats = workers.stats;
    interrupt.check(
      () =>
        `worker stopped: done ${sum(stats.done)} (${fmt(stats.done)}), failed ${sum(stats.failed)}; ` +
        'running jobs finished or were handed back to the queue',
    );
    return 0;
  },
} satisfies Command;

function parseQueues(list: string | undefined): QueueName[] {
  if (!list) return [...QUEUE_NAMES];
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names)
    if (!(QUEUE_NAMES as readonly string[]).includes(name))
      throw new UsageError(`unknown queue '${name}' (crawl, extract, load)`);
  return names as QueueName[];
}

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
const fmt = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
