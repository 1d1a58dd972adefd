// The simulator's portals as rows of the store, the way the demo, the benchmarks and the tests register them:
// by URL, with the county, name and platform the simulator says they have and no entry columns (discovery runs).
import type { Portal, Store } from '../db/store-types.ts';
import type { GroundTruth } from './server.ts';

export async function registerPortals(
  store: Pick<Store, 'ensurePortal'>,
  portals: readonly GroundTruth['portals'][number][],
): Promise<Portal[]> {
  const registered: Portal[] = [];
  for (const portal of portals)
    registered.push(
      await store.ensurePortal({
        baseUrl: portal.url,
        regionCode: portal.regionCode,
        name: portal.name,
        platform: portal.platform,
        entryUrls: [],
      }),
    );
  return registered;
}
