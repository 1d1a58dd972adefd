// Redis restarted mid-run, for real: a private redis-server (its own port and AOF directory, started and stopped by
// this test, never the shared one) is stopped and started again while BullMQ workers crawl, extract and load the
// simulator. The workers reconnect, and the database ends identical to an undisturbed in-process run.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { contentSnapshot } from '../../db/queries/summary.ts';
import { QUEUE_NAMES } from '../../pipeline/jobs/job-types.ts';
import { Queues, startWorkers, type QueueConfig } from '../../pipeline/queues.ts';
import { startSimulator, type Simulator } from '../../simulator/server.ts';
import { withTestStore, type TestStore } from '../helpers/db.ts';
import { waitFor } from '../pipeline/helpers.ts';
import { simulatorPortals, undisturbedSnapshot } from './undisturbed.ts';

const RUN_KEY = 'redis-restart';
const PORTALS = 2;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A private redis-server with AOF in `dir`; resolves once it accepts connections. */
async function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const redis = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  redis.stdout!.on('data', (chunk) => (output += chunk));
  await waitFor(() => /Ready to accept connections/.test(output), 20_000, 'redis-server to start');
  return redis;
}

async function stopRedis(redis: ChildProcess): Promise<void> {
  if (redis.exitCode !== null) return;
  const exited = new Promise((resolve) => redis.once('exit', resolve));
  redis.kill('SIGTERM');
  await exited;
}

describe('Redis restarted mid-run', { timeout: 300_000 }, () => {
  let sim: Simulator;
  let dir: string;
  let redis: ChildProcess | null = null;
  const stores: TestStore[] = [];
  before(async () => {
    sim = await startSimulator({ port: 0, seed: 9 });
    dir = await mkdtemp(join(tmpdir(), 'nianbao-redis-'));
  });
  after(async () => {
    if (redis) await stopRedis(redis);
    await rm(dir, { recursive: true, force: true });
    for (const store of stores) await store.cleanup();
    await sim.close();
  });

  it('the workers reconnect and the database is identical to an undisturbed run', async () => {
    const baseline = await withTestStore();
    stores.push(baseline);
    const expected = await undisturbedSnapshot(baseline.store, sim, PORTALS, RUN_KEY);
    assert.ok(expected.length > 100);

    const port = await freePort();
    redis = await startRedis(port, dir);
    const testStore = await withTestStore();
    stores.push(testStore);
    const cfg: QueueConfig = {
      redisUrl: `redis://127.0.0.1:${port}`,
      prefix: 'nianbao-restart',
      retry: { attempts: 6, backoffMs: 500 },
      lockDurationMs: 30_000,
      stalledIntervalMs: 5_000,
    };
    const queues = new Queues(cfg);
    const workers = await startWorkers({ cfg, store: testStore.store, concurrency: 2, log: () => {} });
    try {
      const portals = await simulatorPortals(testStore.store, sim, PORTALS);
      for (const portal of portals)
        await queues.enqueue('crawl', { portalId: portal.id, runKey: RUN_KEY, allowPrivate: true });
      await waitFor(() => workers.stats.done.load >= 3, 120_000, 'the first loads');
      await stopRedis(redis);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      redis = await startRedis(port, dir);
      await waitFor(
        async () => {
          const counts = await queues.counts();
          const busy = QUEUE_NAMES.some(
            (queue) =>
              counts[queue].waiting + counts[queue].active + counts[queue].delayed + (counts[queue].prioritized ?? 0),
          );
          return !busy && counts.crawl.completed + counts.crawl.failed === portals.length;
        },
        180_000,
        'the queues to drain after the restart',
      );
      const failed = await queues.queues.load.getFailed(0, 50);
      assert.deepEqual(
        failed.map((job) => `${job.id}: ${job.failedReason}`),
        [],
      );
    } finally {
      await workers.close();
      await queues.close();
    }
    assert.deepEqual(await contentSnapshot(testStore.store.pool), expected, 'identical to the undisturbed run');
  });
});
