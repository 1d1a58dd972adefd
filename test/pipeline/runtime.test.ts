// Both runtimes on stub handlers: job-id idempotency, crawl → extract → load chaining, retries with backoff for
// transient errors, permanent errors recorded on the document and not retried.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Store } from '../../db/store-types.ts';
import { InProcessRuntime } from '../../pipeline/inprocess.ts';
import { PermanentError } from '../../core/errors.ts';
import type { Handlers, JobContext } from '../../pipeline/jobs/job-types.ts';
import { Queues, startWorkers, type QueueConfig } from '../../pipeline/queues.ts';
import { testQueueConfig, waitFor } from './helpers.ts';

const sha = (c: string) => c.repeat(64);

interface Scenario {
  handlers: Handlers;
  runs: Map<string, number>;
  errors: Array<{ sha256: string; reason: string; permanent: boolean }>;
  loaded: string[];
  store: Store;
}

// crawl yields 4 documents (one listed twice); 'a' extracts fine, 'b' fails twice then works, 'c' is corrupt
// (permanent), 'd' fails every time (transient).
function scenario(): Scenario {
  const runs = new Map<string, number>();
  const errors: Scenario['errors'] = [];
  const loaded: string[] = [];
  const count = (k: string) => runs.set(k, (runs.get(k) ?? 0) + 1).get(k)!;
  const store = {
    async recordDocumentError(sha256: string, reason: string, permanent: boolean) {
      errors.push({ sha256, reason, permanent });
    },
  } as unknown as Store;
  const handlers: Handlers = {
    async crawl(_data, ctx: JobContext) {
      count('crawl');
      for (const name of ['a', 'b', 'c', 'd', 'a'])
        await ctx.enqueue('extract', { sha256: sha(name), url: `http://x/${name}` });
      return null;
    },
    async extract(job, ctx) {
      const attempt = count(`extract:${job.url}`);
      if (job.url.endsWith('/c')) throw new PermanentError('corrupt PDF: no xref table');
      if (job.url.endsWith('/d')) throw new Error('ECONNRESET');
      if (job.url.endsWith('/b') && attempt < 3) throw new Error('blob store busy');
      await ctx.enqueue('load', { doc: job, extractorVersion: '9.9.9', report: { template: 'unknown' } as never });
      return null;
    },
    async load(job) {
      count(`load:${job.doc.url}`);
      loaded.push(job.doc.url);
      return null;
    },
  };
  return { handlers, runs, errors, loaded, store };
}

function check(fixture: Scenario, attempts: number) {
  assert.equal(fixture.runs.get('crawl'), 1, 'the crawl job was enqueued twice but ran once');
  assert.equal(fixture.runs.get('extract:http://x/a'), 1, 'document a listed twice, extracted once');
  assert.equal(fixture.runs.get('extract:http://x/b'), 3, 'b retried until it worked');
  assert.equal(fixture.runs.get('extract:http://x/c'), 1, 'a permanent failure is not retried');
  assert.equal(fixture.runs.get('extract:http://x/d'), attempts, 'a transient failure is retried up to the attempts');
  assert.deepEqual([...fixture.loaded].sort(), ['http://x/a', 'http://x/b']);
  const errs = [...fixture.errors].sort((x, y) => x.sha256.localeCompare(y.sha256));
  assert.equal(errs.length, 2);
  assert.deepEqual([errs[0].sha256, errs[0].permanent], [sha('c'), true]);
  assert.match(errs[0].reason, /corrupt PDF/);
  assert.deepEqual([errs[1].sha256, errs[1].permanent], [sha('d'), false]);
  assert.match(errs[1].reason, /ECONNRESET/);
}

describe('in-process runtime', () => {
  it('chains, deduplicates, retries transient errors and records permanent ones', async () => {
    const fixture = scenario();
    const runtime = new InProcessRuntime({
      store: fixture.store,
      handlers: fixture.handlers,
      retry: { attempts: 4, backoffMs: 1 },
      log: () => {},
    });
    assert.equal(runtime.add('crawl', { portalId: 1, runKey: 'r1' }), true);
    assert.equal(runtime.add('crawl', { portalId: 1, runKey: 'r1' }), false);
    await runtime.idle();
    check(fixture, 4);
    assert.deepEqual(runtime.failed.map((f) => [f.queue, f.permanent, f.attempts]).sort(), [
      ['extract', false, 4],
      ['extract', true, 1],
    ]);
    assert.deepEqual(runtime.done, { crawl: 1, extract: 2, load: 2 });
  });
});

describe('BullMQ runtime', () => {
  const cfg: QueueConfig = testQueueConfig({
    retry: { attempts: 3, backoffMs: 10 },
    lockDurationMs: 5000,
    stalledIntervalMs: 5000,
  });
  const queues = new Queues(cfg);
  after(async () => {
    await queues.obliterate();
    await queues.close();
  });

  it('does the same through Redis', async () => {
    const fixture = scenario();
    const workers = await startWorkers({
      cfg,
      store: fixture.store,
      handlers: fixture.handlers,
      concurrency: 2,
      log: () => {},
    });
    try {
      assert.equal(await queues.enqueue('crawl', { portalId: 1, runKey: 'r1' }), true);
      assert.equal(await queues.enqueue('crawl', { portalId: 1, runKey: 'r1' }), false);
      for (let i = 0; i < 500; i++) {
        const counts = await queues.counts();
        const busy = Object.values(counts).some((x) => x.waiting + x.active + x.delayed + x.prioritized > 0);
        if (!busy && counts.load.completed === 2 && counts.extract.failed === 2) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      check(fixture, 3);
      const failed = await queues.queues.extract.getFailed();
      assert.deepEqual(failed.map((j) => j.id!.split(':')[1]).sort(), [sha('c'), sha('d')]);
      assert.equal(failed.find((j) => j.id!.includes(sha('c')))!.attemptsMade, 1, 'UnrecoverableError: no retry');
      // Enqueued again (next night's crawl): the exhausted transient failure runs again, the permanent one does not.
      assert.equal(await queues.enqueue('extract', { sha256: sha('c'), url: 'http://x/c' }), false);
      assert.equal(await queues.enqueue('extract', { sha256: sha('d'), url: 'http://x/d' }), true);
      await waitFor(
        async () => (fixture.runs.get('extract:http://x/d') ?? 0) >= 6 && (await queues.counts()).extract.failed === 2,
        10_000,
        'the failed extractions',
      );
      assert.equal(fixture.runs.get('extract:http://x/d'), 6, 'three more attempts');
      assert.equal(fixture.runs.get('extract:http://x/c'), 1);
    } finally {
      await workers.close();
    }
  });

  it('close() lets the running job finish before the worker stops (graceful shutdown)', async () => {
    let started = false;
    let finished = false;
    const store = { recordDocumentError: async () => {} } as unknown as Store;
    const workers = await startWorkers({
      cfg,
      store,
      queues: ['crawl'],
      log: () => {},
      handlers: {
        async crawl() {
          started = true;
          await new Promise((r) => setTimeout(r, 400));
          finished = true;
          return null;
        },
      },
    });
    await queues.enqueue('crawl', { portalId: 9, runKey: 'shutdown' });
    await waitFor(() => started, 10_000, 'the job to start');
    await workers.close();
    assert.ok(finished, 'the job ran to its end');
    const job = await queues.queues.crawl.getJob('crawl:9:shutdown');
    assert.ok(await job!.isCompleted());
  });
});
