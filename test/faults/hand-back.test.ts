// A BullMQ worker asked to stop (SIGINT/SIGTERM → the runtime's abort signal) while a job runs: a job cut short by
// the stop goes back to the queue without using an attempt and without a failure record, so another worker does it
// in full; it is never completed half done nor failed for good.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Queues, startWorkers, type QueueConfig } from '../../pipeline/queues.ts';
import type { JobDataMap } from '../../pipeline/jobs/job-types.ts';
import type { Store } from '../../db/store-types.ts';
import { testQueueConfig, waitFor } from '../pipeline/helpers.ts';

describe('a stopped worker hands its job back', { timeout: 60_000 }, () => {
  const cfg: QueueConfig = testQueueConfig({
    retry: { attempts: 3, backoffMs: 100 },
    lockDurationMs: 30_000,
    stalledIntervalMs: 30_000,
  });
  const queues = new Queues(cfg);
  after(async () => {
    await queues.obliterate();
    await queues.close();
  });

  it('the job is waiting again, no attempt used, nothing recorded', async () => {
    const recorded: string[] = [];
    const store = {
      recordDocumentError: async (sha: string) => void recorded.push(sha),
    } as unknown as Store;
    const controller = new AbortController();
    let started = false;
    const workers = await startWorkers({
      cfg,
      store,
      queues: ['extract'],
      signal: controller.signal,
      log: () => {},
      handlers: {
        extract: (_data: JobDataMap['extract'], ctx) =>
          new Promise((_resolve, reject) => {
            started = true;
            // A long extraction that notices the stop and gives up, as the handlers do through ctx.signal.
            ctx.signal?.addEventListener('abort', () => reject(new Error('stopped by SIGTERM')), { once: true });
          }),
      },
    });
    const sha = 'f'.repeat(64);
    await queues.enqueue('extract', { sha256: sha, url: 'http://127.0.0.1:9/x.pdf' } as JobDataMap['extract']);
    await waitFor(() => started, 20_000, 'the worker to take the job');
    controller.abort('SIGTERM');
    await workers.close();
    const job = (await queues.queues.extract.getJobs(['waiting', 'active', 'failed', 'completed', 'delayed']))[0];
    assert.ok(job, 'the job still exists');
    assert.equal(await job.getState(), 'waiting');
    assert.equal(job.attemptsMade, 0, 'no attempt used');
    assert.equal(job.failedReason ?? null, null);
    assert.deepEqual(recorded, [], 'no failure recorded on the document');
  });
});
