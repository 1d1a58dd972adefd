// The nightly crawl job (and `nianbao crawl`) on the simulator: scheduled crawls take every registry portal with a
// URL unless disabled; a job whose portal failed fails (permanently, naming the portal) after queueing what the other
// portals archived, instead of completing as a success.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { InProcessRuntime } from '../../pipeline/inprocess.ts';
import { groupByHost } from '../../pipeline/schedule.ts';
import { withTestStore, type TestStore } from '../helpers/db.ts';
import { startSimulator, type Simulator } from '../../simulator/server.ts';

let sim: Simulator;
let testStore: TestStore;
before(async () => {
  sim = await startSimulator({ seed: 7 });
  testStore = await withTestStore();
});
after(async () => {
  await testStore?.cleanup();
  await sim?.close();
});

test('scheduled crawls: every portal with a URL unless disabled, one scheduler per host', async () => {
  const enabled = await testStore.store.listPortals({ enabledOnly: true });
  assert.equal(enabled.length, 2841 - 3);
  assert.ok(enabled.every((portal) => portal.baseUrl));
  assert.equal(groupByHost(enabled).size, enabled.length, 'registry hosts are unique');
});

test('a crawl job whose portal failed fails permanently; the healthy portal on the host was crawled and loaded', async () => {
  const [healthy, broken] = sim.truth.portals;
  await testStore.store.ensurePortal({ baseUrl: healthy.url, regionCode: healthy.regionCode });
  await testStore.store.ensurePortal({ baseUrl: broken.url, regionCode: broken.regionCode });
  sim.setOutage(broken.url);
  const runtime = new InProcessRuntime({ store: testStore.store, log: () => {} });
  try {
    runtime.add('crawl', { host: new URL(sim.url).host, runKey: 'nightly-test', allowPrivate: true });
    await runtime.idle();
  } finally {
    sim.setOutage(null);
  }
  const crawl = runtime.failed.filter((job) => job.queue === 'crawl');
  assert.equal(crawl.length, 1, JSON.stringify(runtime.failed));
  assert.equal(crawl[0].permanent, true);
  assert.match(crawl[0].reason, new RegExp(`1 of 2 portal\\(s\\) failed: ${broken.url.replace(/[.?]/g, '\\$&')}`));
  assert.ok(runtime.done.load >= healthy.reports.length, `${runtime.done.load} loaded`);
});
