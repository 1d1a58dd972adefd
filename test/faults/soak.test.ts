// A bounded soak: `nianbao worker` processes on Redis (this test's own key prefix) run the simulator while a random
// worker is SIGKILLed every few seconds and a fresh one takes its place (4 kills, seeded). Killed jobs come back
// through the stalled-job check; the load is idempotent. The database must end identical to an undisturbed
// in-process run: nothing lost, nothing duplicated.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { contentSnapshot } from '../../db/queries/summary.ts';
import { QUEUE_NAMES } from '../../pipeline/jobs/job-types.ts';
import { Queues, type QueueConfig } from '../../pipeline/queues.ts';
import { prng } from '../../simulator/reports/random-report.ts';
import { startSimulator, type Simulator } from '../../simulator/server.ts';
import { withTestStore, type TestStore } from '../helpers/db.ts';
import { type Child, REDIS_URL, spawnChild, testQueueConfig, waitFor, workerEnv } from '../pipeline/helpers.ts';
import { simulatorPortals, undisturbedSnapshot } from './undisturbed.ts';

const RUN_KEY = 'soak';
const KILLS = 4;
const PORTALS = 3;

describe('soak: random worker kills', { timeout: 420_000 }, () => {
  let sim: Simulator;
  const stores: TestStore[] = [];
  const children: Child[] = [];
  let queues: Queues | null = null;
  before(async () => {
    sim = await startSimulator({ port: 0, seed: 21 });
  });
  after(async () => {
    for (const child of children) if (child.proc.exitCode === null) child.proc.kill('SIGKILL');
    await queues?.obliterate().catch(() => {});
    await queues?.close();
    for (const store of stores) await store.cleanup();
    await sim.close();
  });

  it('ends identical to an undisturbed run', async () => {
    const baseline = await withTestStore();
    stores.push(baseline);
    const expected = await undisturbedSnapshot(baseline.store, sim, PORTALS, RUN_KEY);

    const testStore = await withTestStore();
    stores.push(testStore);
    const cfg: QueueConfig = testQueueConfig({
      retry: { attempts: 8, backoffMs: 200 },
      lockDurationMs: 4000,
      stalledIntervalMs: 1000,
    });
    queues = new Queues(cfg);
    // A killed worker's job is handed on after its 4 s lock lapses; readers run off the main thread (sandbox,
    // pdf.js), so a live worker renews its lock in time.
    const env = workerEnv(
      { DATABASE_URL: testStore.url, REDIS_URL, NIANBAO_HOME: testStore.home, NIANBAO_QUEUE_PREFIX: cfg.prefix },
      { NIANBAO_LOCK_MS: '4000', NIANBAO_STALLED_MS: '1000', NIANBAO_ATTEMPTS: '8', NIANBAO_BACKOFF_MS: '200' },
    );
    const live: Child[] = [];
    const start = async () => {
      const child = await spawnChild(['worker'], env);
      children.push(child);
      live.push(child);
    };
    await start();
    await start();
    const portals = await simulatorPortals(testStore.store, sim, PORTALS);
    for (const portal of portals)
      await queues.enqueue('crawl', { portalId: portal.id, runKey: RUN_KEY, allowPrivate: true });
    const random = prng(16);
    for (let kill = 0; kill < KILLS; kill++) {
      await new Promise((resolve) => setTimeout(resolve, 2500 + random() * 2500));
      const victim = live.splice(Math.floor(random() * live.length), 1)[0];
      victim.proc.kill('SIGKILL');
      await victim.exited;
      await start();
    }
    await waitFor(
      async () => {
        const counts = await queues!.counts();
        const busy = QUEUE_NAMES.some(
          (queue) =>
            counts[queue].waiting + counts[queue].active + counts[queue].delayed + (counts[queue].prioritized ?? 0),
        );
        return !busy && counts.crawl.completed + counts.crawl.failed === portals.length;
      },
      240_000,
      'the queues to drain',
    );
    const failed = [];
    for (const queue of QUEUE_NAMES)
      for (const job of await queues.queues[queue].getFailed(0, 50)) failed.push(`${job.id}: ${job.failedReason}`);
    assert.deepEqual(failed, [], 'no job failed for good');
    assert.deepEqual(await contentSnapshot(testStore.store.pool), expected, 'identical to the undisturbed run');
  });
});
