// The pipeline end to end on the portal simulator: simulator → crawl → extract → load, in-process; the same with two
// `nianbao worker` processes on Redis; a worker SIGKILLed mid-extraction; `nianbao reextract` without network.
// Each run has its own database, blob directory and Redis key prefix; runs must leave identical content.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { contentSnapshot, currentReportsByUrl } from '../../db/queries/summary.ts';
import type { Portal } from '../../db/store-types.ts';
import { EXTRACTOR_VERSION } from '../../extractors/version.ts';
import { accuracy, values } from '../../pipeline/accuracy.ts';
import { Queues, type QueueConfig } from '../../pipeline/queues.ts';
import { runToCompletion } from '../../pipeline/run.ts';
import { startSimulator, type Simulator } from '../../simulator/server.ts';
import { withTestStore, type TestStore } from '../helpers/db.ts';
import {
  BIN,
  type Child,
  REDIS_URL,
  ROOT,
  spawnChild,
  stopChild,
  testQueueConfig,
  waitFor,
  workerEnv,
} from './helpers.ts';
import { registerPortals } from '../../simulator/register.ts';

const RUN_KEY = 'e2e';
/** pipeline/queues.ts defaults, set explicitly so a value exported in the shell running the tests cannot leak in. */
const PRODUCTION_LOCKS = { NIANBAO_LOCK_MS: '60000', NIANBAO_STALLED_MS: '30000' };

describe('pipeline end to end', { timeout: 600_000 }, () => {
  let sim: Simulator;
  const stores: TestStore[] = [];
  const queues: Queues[] = [];
  const children: Child[] = [];
  let baseline: string[] = [];
  let first: TestStore;

  before(async () => {
    sim = await startSimulator({ seed: 1 });
  });
  after(async () => {
    for (const child of children) await stopChild(child, 'SIGKILL');
    for (const queue of queues) {
      await queue.obliterate();
      await queue.close();
    }
    await sim.close();
    for (const store of stores) await store.cleanup();
  });

  async function freshStore(): Promise<{ ts: TestStore; portals: Portal[] }> {
    const testStore = await withTestStore();
    stores.push(testStore);
    const portals = await registerPortals(testStore.store, sim.truth.portals);
    return { ts: testStore, portals };
  }

  /** A fresh store with its own queue prefix, an empty worker trace file and the environment a worker deploys with. */
  async function queuedStore() {
    const { ts: testStore, portals } = await freshStore();
    const cfg: QueueConfig = testQueueConfig({
      retry: { attempts: 3, backoffMs: 200 },
      lockDurationMs: 30_000,
      stalledIntervalMs: 30_000,
    });
    const producer = new Queues(cfg);
    queues.push(producer);
    const traceFile = join(testStore.home, 'trace.log');
    writeFileSync(traceFile, '');
    const deployment = {
      DATABASE_URL: testStore.url,
      REDIS_URL,
      NIANBAO_HOME: testStore.home,
      NIANBAO_QUEUE_PREFIX: cfg.prefix,
    };
    return { ts: testStore, portals, q: producer, traceFile, deployment };
  }

  async function drain(queues: Queues, portals: number): Promise<void> {
    await waitFor(
      async () => {
        const counts = await queues.counts();
        const busy = Object.values(counts).some((x) => x.waiting + x.active + x.delayed + x.prioritized > 0);
        return !busy && counts.crawl.completed + counts.crawl.failed === portals;
      },
      300_000,
      'the queues to drain',
    );
  }

  /** Extraction steps from the trace file (NIANBAO_TRACE_FILE) the workers append to. */
  function traceLines(file: string): Array<{ pid: number; step: string; sha: string }> {
    return readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' '))
      .filter(([, queue]) => queue === 'extract')
      .map(([pid, , step, sha]) => ({ pid: Number(pid), step, sha }));
  }

  it('in-process: every simulator report is loaded with the right values and traceable cells', async () => {
    const { ts: testStore, portals } = await freshStore();
    first = testStore;
    const run = await runToCompletion({
      store: testStore.store,
      portals,
      runKey: RUN_KEY,
      allowPrivate: true,
      progress: false,
      log: () => {},
    });
    assert.equal(run.runtime, 'in-process');
    assert.equal(run.done.crawl, portals.length);
    assert.deepEqual(
      run.failed.filter((f) => !f.permanent),
      [],
      'no transient failure left',
    );

    const truth = sim.truth.portals.flatMap((p) => p.reports);
    const acc = accuracy(truth, await currentReportsByUrl(testStore.store.pool));
    // A report whose document cannot be read must say so on the document, never vanish.
    const { rows: errs } = await testStore.store.pool.query(
      `SELECT first_url FROM documents WHERE extraction_error IS NOT NULL`,
    );
    const failedUrls = new Set(errs.map((r) => r.first_url));
    const unexplained = truth.filter((t) => acc.missing.includes(t.id) && !t.documents.some((u) => failedUrls.has(u)));
    assert.deepEqual(
      unexplained.map((t) => t.id),
      [],
      'missing reports without a recorded error',
    );
    assert.ok(acc.loaded > 0, 'something was loaded');
    for (const expected of truth.filter((x) => x.expectedPath && !x.removed))
      assert.ok(!acc.missing.includes(expected.id), `${expected.id} (real document) loaded`);
    assert.deepEqual(acc.metadataWrong, [], 'region and year as the simulator published them');
    assert.deepEqual(acc.provenanceGaps, []);
    // Values: the pipeline stores exactly what the extractor reads from the archived bytes (nothing lost, shifted or
    // re-typed on the way), and that is the ground truth, cell for cell.
    const { extract } = await import('../../extractors/extract.ts');
    const loaded = await currentReportsByUrl(testStore.store.pool);
    const portalRegion = new Map(
      sim.truth.portals.flatMap((p) => p.reports.flatMap((t) => t.documents.map((u) => [u, p.regionCode] as const))),
    );
    let compared = 0;
    for (const [url, report] of loaded) {
      if (report.url !== url) continue;
      const direct = await extract(await testStore.store.readDocument(report.sha256), { url });
      assert.deepEqual(values(report.report), values(direct), `${url}: loaded values = extracted values`);
      assert.deepEqual(
        report.report.cells.map((c) => [c.path, c.raw, c.value, c.at]),
        direct.cells.map((c) => [c.path, c.raw, c.value, c.at]),
        `${url}: cells`,
      );
      assert.equal(
        report.report.region_code,
        direct.region_code ?? portalRegion.get(url),
        `${url}: region from the document, else from the portal`,
      );
      compared++;
    }
    assert.equal(compared, acc.loaded);
    assert.ok(acc.withValues > 0, 'the simulator serves documents with ground-truth values');
    assert.deepEqual(acc.mismatches, [], `values vs ground truth: ${acc.cellsCorrect}/${acc.cells}`);
    assert.equal(acc.cellsCorrect, acc.cells);

    // Cell → report → document URL and fetch time, in SQL, as a researcher would follow it.
    const { rows } = await testStore.store.pool.query(
      `SELECT c.path, c.at, r.source_url, r.fetched_at, f.url AS fetch_url
         FROM report_cells c JOIN reports r ON r.id = c.report_id AND r.status = 'current'
         LEFT JOIN fetches f ON f.sha256 = r.document_sha256 AND f.url = r.source_url`,
    );
    assert.ok(rows.length > 0);
    const docUrls = new Set(truth.flatMap((t) => t.documents));
    for (const row of rows) {
      assert.ok(docUrls.has(row.source_url), `cell ${row.path} traces to a simulator document (${row.source_url})`);
      assert.ok(
        row.fetched_at instanceof Date && row.fetch_url === row.source_url,
        `cell ${row.path} traces to the fetch`,
      );
      assert.ok(Object.keys(row.at).length > 0, `cell ${row.path} has a source position`);
    }
    // Everything, load-time cross-report flags included: the store recomputes those whatever the load order.
    baseline = await contentSnapshot(testStore.store.pool);
    assert.ok(
      baseline.some((l) => l.endsWith(' | load')),
      'the simulator has cross-report flags to compare',
    );
    assert.ok(baseline.some((l) => l.startsWith('cell |')));
  });

  it('two worker processes on Redis: no document extracted twice, nothing lost', async () => {
    assert.ok(baseline.length, 'needs the in-process run');
    const { ts: testStore, portals, q: queues, traceFile, deployment } = await queuedStore();
    // The production lock settings, whatever the calling shell exports: a job is handed to another worker only when
    // its lock lapses, and a short lock lapses under CPU load while a healthy worker is mid-extraction.
    const env = workerEnv(deployment, { NIANBAO_TRACE_FILE: traceFile, ...PRODUCTION_LOCKS });
    const workers = [await spawnChild(['worker'], env), await spawnChild(['worker', '--concurrency', '1'], env)];
    children.push(...workers);
    for (const portal of portals)
      await queues.enqueue('crawl', { portalId: portal.id, runKey: RUN_KEY, allowPrivate: true });
    for (const portal of portals)
      assert.equal(await queues.enqueue('crawl', { portalId: portal.id, runKey: RUN_KEY, allowPrivate: true }), false);
    await drain(queues, portals.length);
    for (const worker of workers)
      // SIGTERM: the jobs finished or handed back, then exit 143 (spec/CLI.md), not a crash.
      assert.equal(await stopChild(worker), 143, `SIGTERM: clean stop\n${worker.stderr().slice(-3000)}`);

    const starts = traceLines(traceFile).filter((l) => l.step === 'start');
    const perSha = new Map<string, number>();
    for (const start of starts) perSha.set(start.sha, (perSha.get(start.sha) ?? 0) + 1);
    assert.ok(perSha.size > 0);
    assert.deepEqual(
      [...perSha].filter(([, n]) => n > 1),
      [],
      'each document extracted once',
    );
    const {
      rows: [docs],
    } = await testStore.store.pool.query(
      `SELECT count(*)::int AS n FROM documents d WHERE EXISTS (SELECT 1 FROM candidate_documents cd WHERE cd.sha256 = d.sha256)`,
    );
    assert.equal(perSha.size, docs.n, 'every archived report document was extracted');
    assert.deepEqual(
      await contentSnapshot(testStore.store.pool),
      baseline,
      'same reports, cells and flags as the in-process run',
    );
  });

  it('a worker SIGKILLed mid-extraction: its job is retried by the other worker, the database ends identical', async () => {
    assert.ok(baseline.length, 'needs the in-process run');
    const { ts: testStore, portals, q: queues, traceFile, deployment } = await queuedStore();
    // Only the worker that will be killed takes its jobs with a short lock, so its job is declared stalled within
    // seconds, not the production 60 s. The healthy workers keep the production lock (a 1.5 s lock lapses under CPU
    // load while they extract, and their jobs would run twice or fail as stalled) and check for stalled jobs often.
    const stuckEnv = workerEnv(deployment, {
      NIANBAO_TRACE_FILE: traceFile,
      NIANBAO_LOCK_MS: '1500',
      NIANBAO_STALLED_MS: '500',
    });
    const env = workerEnv(deployment, {
      NIANBAO_TRACE_FILE: traceFile,
      ...PRODUCTION_LOCKS,
      NIANBAO_STALLED_MS: '500',
    });
    const stuck = await spawnChild([], stuckEnv, join(ROOT, 'test/pipeline/stuck-worker.ts'));
    children.push(stuck);
    // The healthy worker crawls and loads first; it joins extraction only after the stuck one holds a job.
    const crawler = await spawnChild(['worker', '--queues', 'crawl,load'], env);
    children.push(crawler);
    for (const portal of portals)
      await queues.enqueue('crawl', { portalId: portal.id, runKey: RUN_KEY, allowPrivate: true });
    await waitFor(
      () => traceLines(traceFile).some((l) => l.step === 'hold'),
      120_000,
      'the stuck worker to take a job',
    );
    const held = traceLines(traceFile).find((l) => l.step === 'hold')!;
    assert.equal(held.pid, stuck.proc.pid);
    stuck.proc.kill('SIGKILL');
    assert.equal(await stuck.exited, null);
    const healthy = await spawnChild(['worker', '--queues', 'extract'], env);
    children.push(healthy);
    await drain(queues, portals.length);
    for (const worker of [crawler, healthy]) assert.equal(await stopChild(worker), 143, worker.stderr().slice(-3000));

    const lines = traceLines(traceFile);
    assert.ok(
      lines.some((l) => l.sha === held.sha && l.pid === healthy.proc.pid && l.step === 'start'),
      'the held document was extracted by the other worker',
    );
    // Only the killed worker's job changed hands: every document was extracted once by a healthy worker.
    const starts = new Map<string, number>();
    for (const line of lines.filter((x) => x.step === 'start')) starts.set(line.sha, (starts.get(line.sha) ?? 0) + 1);
    assert.deepEqual(
      [...starts].filter(([, n]) => n > 1),
      [],
      'no healthy job handed over',
    );
    const job = await queues.queues.extract.getJob(`extract:${held.sha}:${EXTRACTOR_VERSION}`);
    assert.ok(job && (await job.isCompleted()), 'the stalled job completed');
    assert.deepEqual(await contentSnapshot(testStore.store.pool), baseline, 'identical to the undisturbed run');
  });

  it('reextract --region changes only that county and touches no network', async () => {
    assert.ok(first, 'needs the in-process run');
    await sim.close();
    const pool = first.store.pool;
    const target = sim.truth.portals[0].regionCode;
    const targetShas = (await first.store.listDocuments({ regionCode: target })).map((d) => d.sha256);
    assert.ok(targetShas.length > 0);
    // Make every current report look like the output of an older extractor that got one value wrong.
    await pool.query(
      `UPDATE reports SET extractor_version = '0.0.1', extractor = 'nianbao-extract@0.0.1',
              data = jsonb_set(data, '{requests,new,total}', '-1'::jsonb, false)
        WHERE status = 'current' AND data->'requests'->'new' ? 'total'`,
    );
    const tampered = (
      await pool.query(
        `SELECT count(*)::int AS n FROM reports WHERE document_sha256 = ANY($1) AND extractor_version = '0.0.1'`,
        [targetShas],
      )
    ).rows[0].n;
    assert.ok(tampered > 0);
    const othersBefore = await rowsOutside(pool, targetShas);
    assert.ok(othersBefore.length > 0);
    const fetchesBefore = (await pool.query(`SELECT count(*)::int AS n FROM fetches`)).rows[0].n;

    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--import',
        join(ROOT, 'test/pipeline/no-network.ts'),
        BIN,
        'reextract',
        '--region',
        target,
        '--json',
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          DATABASE_URL: first.url,
          NIANBAO_HOME: first.home,
          REDIS_URL: '',
          NODE_NO_WARNINGS: '1',
        },
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    const code = await new Promise((r) => child.on('exit', r));
    assert.equal(code, 0, err);
    assert.doesNotMatch(err, /NETWORK ATTEMPT/);
    const result = JSON.parse(out);
    assert.equal(result.documents, targetShas.length);
    assert.equal(result.reports_changed, tampered);
    for (const change of result.changes) {
      assert.ok(targetShas.includes(change.sha256));
      assert.equal(change.action, 'superseded');
      assert.equal(change.previous_extractor, 'nianbao-extract@0.0.1');
      assert.deepEqual(
        change.values.map((v: { path: string; before: number }) => [v.path, v.before]),
        [['requests.new.total', -1]],
      );
      // Flags, cross-report ones included, and metadata do not move: only the tampered value does.
      assert.deepEqual([change.flags_added, change.flags_removed, change.metadata], [[], [], []]);
    }
    // Superseded rows stay for audit; the new ones are current under this extractor version.
    const { rows: statuses } = await pool.query(
      `SELECT status, extractor_version, count(*)::int AS n FROM reports WHERE document_sha256 = ANY($1) GROUP BY 1, 2 ORDER BY 1, 2`,
      [targetShas],
    );
    assert.deepEqual(
      statuses.filter((r) => r.status === 'superseded').map((r) => [r.extractor_version, r.n]),
      [['0.0.1', tampered]],
    );
    assert.deepEqual(
      statuses.filter((r) => r.status === 'current').map((r) => r.extractor_version),
      [EXTRACTOR_VERSION],
    );
    assert.deepEqual(await rowsOutside(pool, targetShas), othersBefore, 'other counties untouched');
    assert.equal(
      (await pool.query(`SELECT count(*)::int AS n FROM fetches`)).rows[0].n,
      fetchesBefore,
      'no fetch recorded',
    );
  });
});

async function rowsOutside(pool: TestStore['store']['pool'], shas: string[]): Promise<string[]> {
  const { rows } = await pool.query(
    `SELECT concat_ws(' | ', r.id, r.status, r.extractor_version, r.data::text, r.loaded_at,
            (SELECT string_agg(c.path || '=' || coalesce(c.value::text, '∅'), ',' ORDER BY c.ord) FROM report_cells c WHERE c.report_id = r.id),
            (SELECT string_agg(f.code, ',' ORDER BY f.ord) FROM report_flags f WHERE f.report_id = r.id)) AS line
       FROM reports r WHERE NOT (r.document_sha256 = ANY($1)) ORDER BY r.id`,
    [shas],
  );
  return rows.map((r) => r.line);
}
