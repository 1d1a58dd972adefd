// Postgres restarted mid-run, for real: a private embedded server (its own data directory and port, started and
// stopped by this test) is stopped and started again while the in-process runtime loads the simulator's reports.
// The process survives (no unhandled 'error' from a pooled client), the jobs that failed on the lost connection are
// retried, and the database ends identical to an undisturbed run on the shared test server: reports, cells, flags,
// sections — nothing lost, nothing duplicated.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveDatabase, stopEmbedded } from '../../db/connect.ts';
import { contentSnapshot } from '../../db/queries/summary.ts';
import type { Store } from '../../db/store-types.ts';
import { openStore, type OpenedStore } from '../../db/store.ts';
import { InProcessRuntime } from '../../pipeline/inprocess.ts';
import { startSimulator, type Simulator } from '../../simulator/server.ts';
import { withTestStore, type TestStore } from '../helpers/db.ts';
import { simulatorPortals, undisturbedSnapshot } from './undisturbed.ts';

const RUN_KEY = 'restart';
const PORTALS = 2;

function runtimeFor(store: Store, onLoad?: (loads: number) => void, log: (line: string) => void = () => {}) {
  let loads = 0;
  return new InProcessRuntime({
    store,
    retry: { attempts: 6, backoffMs: 500 },
    log,
    onSettled: (queue, ok) => {
      if (queue === 'load' && ok) onLoad?.(++loads);
    },
  });
}

describe('Postgres restarted mid-run', { timeout: 300_000 }, () => {
  let sim: Simulator;
  let baseline: TestStore;
  let home: string;
  let privateStore: OpenedStore | null = null;
  before(async () => {
    sim = await startSimulator({ port: 0, seed: 5 });
    home = await mkdtemp(join(tmpdir(), 'nianbao-pg-restart-'));
  });
  after(async () => {
    await privateStore?.close().catch(() => {});
    await stopEmbedded(home).catch(() => {});
    await rm(home, { recursive: true, force: true });
    await baseline?.cleanup();
    await sim.close();
  });

  it('the run recovers and the database is identical to an undisturbed run', async () => {
    baseline = await withTestStore();
    const expected = await undisturbedSnapshot(baseline.store, sim, PORTALS, RUN_KEY, runtimeFor(baseline.store));
    assert.ok(expected.length > 100, 'the undisturbed run loaded reports');

    const target = await resolveDatabase({ databaseUrl: null, home, log: () => {} });
    // What met the outage: a pooled connection's error, or a job's failed query (then retried).
    const outage: string[] = [];
    privateStore = await openStore({ databaseUrl: target.url, home, log: (line) => outage.push(line) });
    const store = privateStore;
    let restarted: Promise<void> | null = null;
    const disturbed = runtimeFor(
      store,
      (loads) => {
        // After the third load: the server goes away under the running jobs and comes back on the same port.
        if (loads !== 3) return;
        restarted = (async () => {
          await stopEmbedded(home);
          await new Promise((resolve) => setTimeout(resolve, 1000));
          const again = await resolveDatabase({ databaseUrl: null, home, log: () => {} });
          assert.equal(again.url, target.url, 'restarted on the same port');
        })();
      },
      (line) => {
        if (line.startsWith('retry ')) outage.push(line);
      },
    );
    for (const portal of await simulatorPortals(store, sim, PORTALS))
      disturbed.add('crawl', { portalId: portal.id, runKey: RUN_KEY, allowPrivate: true });
    await disturbed.idle();
    assert.ok(restarted, 'the server was restarted during the run');
    await restarted;
    assert.ok(outage.length > 0, 'the restart was felt: a connection error or a retried job');
    assert.deepEqual(
      disturbed.failed.filter((failure) => !failure.permanent),
      [],
      'every job that met the restart succeeded on a retry',
    );
    assert.deepEqual(await contentSnapshot(store.pool), expected, 'identical to the undisturbed run');
  });
});
