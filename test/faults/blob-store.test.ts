// The blob store's disk full (a 600 KB tmpfs when root may mount one, else an injected ENOSPC) or read-only (a
// read-only mount, else a 0555 directory for a non-root user): the crawl job fails with the blob store's error
// (recorded, never a silent drop), no documents row points at bytes that are not there, and once the disk is fixed
// a second run loads every report of the simulator.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, readdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { after, before, describe, it } from 'node:test';
import type { BlobStore } from '../../db/blobs.ts';
import type { Portal } from '../../db/store-types.ts';
import { currentReportsByUrl } from '../../db/queries/summary.ts';
import { accuracy } from '../../pipeline/accuracy.ts';
import { InProcessRuntime } from '../../pipeline/inprocess.ts';
import { startSimulator, type Simulator } from '../../simulator/server.ts';
import { withTestStore, type TestStore } from '../helpers/db.ts';
import { registerPortals } from '../../simulator/register.ts';

const isRoot = userInfo().uid === 0;

async function run(testStore: TestStore, portals: Portal[], runKey: string) {
  const runtime = new InProcessRuntime({
    store: testStore.store,
    retry: { attempts: 2, backoffMs: 50 },
    log: () => {},
  });
  for (const portal of portals) runtime.add('crawl', { portalId: portal.id, runKey, allowPrivate: true });
  await runtime.idle();
  return runtime;
}

async function blobFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile() && !entry.name.endsWith('.tmp')).map((entry) => entry.name);
}

/** No documents row without its blob: the store writes the blob first. */
async function assertNoDanglingRows(testStore: TestStore): Promise<void> {
  const { rows } = await testStore.store.pool.query<{ sha256: string }>('SELECT sha256 FROM documents');
  const files = new Set(await blobFiles(testStore.blobDir));
  assert.deepEqual(
    rows.map((row) => row.sha256).filter((sha) => !files.has(sha)),
    [],
  );
}

describe('blob store full or read-only', { timeout: 300_000 }, () => {
  let sim: Simulator;
  const stores: TestStore[] = [];
  const mounts: string[] = [];
  before(async () => {
    sim = await startSimulator({ port: 0, seed: 11 });
  });
  after(async () => {
    for (const dir of mounts) spawnSync('umount', [dir]);
    await sim.close();
    for (const store of stores) await store.cleanup();
  });

  async function fresh(): Promise<{ testStore: TestStore; portals: Portal[] }> {
    const testStore = await withTestStore();
    stores.push(testStore);
    const portals = await registerPortals(testStore.store, sim.truth.portals.slice(0, 2));
    return { testStore, portals };
  }

  const truthOf = (portals: Portal[]) =>
    sim.truth.portals.filter((portal) => portals.some((p) => p.baseUrl === portal.url)).flatMap((p) => p.reports);

  it('disk full: the crawl fails with ENOSPC, recorded; after space is freed everything loads', async () => {
    const { testStore, portals } = await fresh();
    await mkdir(testStore.blobDir, { recursive: true });
    let restore = async () => {};
    const mounted =
      isRoot && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=600k', 'tmpfs', testStore.blobDir]).status === 0;
    if (mounted) {
      mounts.push(testStore.blobDir);
      restore = async () => {
        spawnSync('umount', [testStore.blobDir]);
        mounts.splice(mounts.indexOf(testStore.blobDir), 1);
      };
    } else {
      // No small filesystem to fill: the blob store's writes fail as a full disk's would, after 3 documents.
      const blobs = (testStore.store as unknown as { blobs: BlobStore }).blobs;
      const put = blobs.put.bind(blobs);
      let written = 0;
      blobs.put = async (hash, bytes) => {
        if (written++ >= 3) return put(hash, new Uint8Array(0)).then(() => Promise.reject(enospc()));
        return put(hash, bytes);
      };
      restore = async () => {
        blobs.put = put;
      };
    }
    const full = await run(testStore, portals, 'full');
    const crawlFailures = full.failed.filter((failure) => failure.queue === 'crawl');
    assert.ok(crawlFailures.length > 0, 'the crawl job fails');
    for (const failure of crawlFailures) {
      assert.equal(failure.permanent, false, 'retryable once the disk is fixed');
      assert.match(failure.reason, /^blob store .+: cannot store [0-9a-f]{12} \(ENOSPC: /);
    }
    await assertNoDanglingRows(testStore);

    await restore();
    const fixed = await run(testStore, portals, 'fixed');
    assert.deepEqual(
      fixed.failed.filter((failure) => !failure.permanent),
      [],
    );
    const acc = accuracy(truthOf(portals), await currentReportsByUrl(testStore.store.pool));
    assert.equal(acc.loaded, acc.expected, `missing after recovery: ${acc.missing.join(', ')}`);
    await assertNoDanglingRows(testStore);
  });

  it('read-only: the crawl fails with the blob store error; nothing is loaded without its bytes', async (context) => {
    const { testStore, portals } = await fresh();
    await mkdir(testStore.blobDir, { recursive: true });
    if (isRoot) {
      if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', testStore.blobDir]).status !== 0)
        return context.skip('root without permission to mount a read-only tmpfs');
      mounts.push(testStore.blobDir);
    } else await chmod(testStore.blobDir, 0o555);
    const readOnly = await run(testStore, portals, 'ro');
    const crawlFailures = readOnly.failed.filter((failure) => failure.queue === 'crawl');
    assert.equal(crawlFailures.length, portals.length, 'every crawl job fails');
    for (const failure of crawlFailures) assert.match(failure.reason, /^blob store .+ \((EROFS|EACCES): /);
    assert.equal(readOnly.done.load, 0);
    const { rows } = await testStore.store.pool.query('SELECT count(*)::int AS n FROM documents');
    assert.equal(rows[0].n, 0, 'no documents row without its blob');
  });
});

function enospc(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
}
