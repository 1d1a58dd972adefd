// What a fault test compares against: the same simulator portals crawled, extracted and loaded in-process with no
// fault, as a content snapshot (reports, cells, provenance, flags) that a disturbed run must end identical to.
import { contentSnapshot } from '../../db/queries/summary.ts';
import type { OpenedStore } from '../../db/store.ts';
import type { Portal } from '../../db/store-types.ts';
import { InProcessRuntime } from '../../pipeline/inprocess.ts';
import { registerPortals } from '../../simulator/register.ts';
import type { Simulator } from '../../simulator/server.ts';

/** The first `count` simulator portals as store rows. */
export function simulatorPortals(store: OpenedStore, sim: Simulator, count: number): Promise<Portal[]> {
  return registerPortals(store, sim.truth.portals.slice(0, count));
}

/** Crawls `count` portals into `store` with `runtime` (default: a plain in-process runtime) and snapshots it. */
export async function undisturbedSnapshot(
  store: OpenedStore,
  sim: Simulator,
  count: number,
  runKey: string,
  runtime: InProcessRuntime = new InProcessRuntime({ store, log: () => {} }),
): Promise<Awaited<ReturnType<typeof contentSnapshot>>> {
  for (const portal of await simulatorPortals(store, sim, count))
    runtime.add('crawl', { portalId: portal.id, runKey, allowPrivate: true });
  await runtime.idle();
  return contentSnapshot(store.pool);
}
