// `nianbao schedule`: one BullMQ job scheduler per host (its portals crawled one after another), cron in
// Asia/Shanghai, stale hosts removed on re-registration; the scheduled job crawls exactly that host's portals.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Portal } from '../../db/store-types.ts';
import { portalsFor } from '../../pipeline/jobs/crawl-job.ts';
import { Queues } from '../../pipeline/queues.ts';
import { groupByHost, listNightly, registerNightly } from '../../pipeline/schedule.ts';
import { withTestStore, type TestStore } from '../helpers/db.ts';
import { testQueueConfig } from './helpers.ts';

const portal = (id: number, baseUrl: string, enabled = true): Portal => ({
  id,
  baseUrl,
  enabled,
  regionCode: '230422',
  name: null,
  platform: 'auto',
  entryUrls: [],
});

describe('nightly schedule', () => {
  const queues = new Queues(
    testQueueConfig({
      retry: { attempts: 3, backoffMs: 1000 },
      lockDurationMs: 30000,
      stalledIntervalMs: 30000,
    }),
  );
  let testStore: TestStore;
  before(async () => {
    testStore = await withTestStore();
  });
  after(async () => {
    await queues.obliterate();
    await queues.close();
    await testStore.cleanup();
  });

  it('groups portals by host, ignoring disabled ones', () => {
    const groups = groupByHost([
      portal(1, 'http://a.gov.cn/x/'),
      portal(2, 'https://A.gov.cn/y/'),
      portal(3, 'http://b.gov.cn/'),
      portal(4, 'http://c.gov.cn/', false),
    ]);
    assert.deepEqual([...groups.keys()], ['a.gov.cn', 'b.gov.cn']);
    assert.deepEqual(
      groups.get('a.gov.cn')!.map((p) => p.id),
      [1, 2],
    );
  });

  it('registers one scheduler per host, updates the cron and drops hosts without portals', async () => {
    const portals = [portal(1, 'http://a.gov.cn/x/'), portal(2, 'http://a.gov.cn/y/'), portal(3, 'http://b.gov.cn/')];
    let list = await registerNightly(queues, portals);
    assert.deepEqual(
      list.map((e) => [e.id, e.cron, e.tz, e.portals]),
      [
        ['nightly-a.gov.cn', '0 2 * * *', 'Asia/Shanghai', 2],
        ['nightly-b.gov.cn', '0 2 * * *', 'Asia/Shanghai', 1],
      ],
    );
    assert.ok(list.every((e) => e.next && Date.parse(e.next) > Date.now()));
    list = await registerNightly(queues, portals.slice(0, 2), '30 3 * * *');
    assert.deepEqual(
      list.map((e) => [e.id, e.cron]),
      [['nightly-a.gov.cn', '30 3 * * *']],
    );
    assert.deepEqual(
      (await listNightly(queues)).map((e) => e.host),
      ['a.gov.cn'],
    );
    const sched = await queues.queues.crawl.getJobScheduler('nightly-a.gov.cn');
    assert.deepEqual(sched?.template?.data, { host: 'a.gov.cn', runKey: 'nightly' });
  });

  it('a host job resolves to the enabled portals of that host only', async () => {
    const first = await testStore.store.ensurePortal({
      baseUrl: 'http://sched-a.example/x/',
      regionCode: '230422',
      entryUrls: [],
    });
    const second = await testStore.store.ensurePortal({
      baseUrl: 'http://sched-a.example/y/',
      regionCode: '230422',
      entryUrls: [],
    });
    await testStore.store.ensurePortal({ baseUrl: 'http://sched-b.example/', regionCode: '230422', entryUrls: [] });
    const ctx = { store: testStore.store, log: () => {}, enqueue: async () => true };
    assert.deepEqual(
      (await portalsFor({ host: 'sched-a.example', runKey: 'r' }, ctx)).map((p) => p.id).sort(),
      [first.id, second.id].sort(),
    );
    assert.deepEqual(await portalsFor({ host: 'nohost.example', runKey: 'r' }, ctx), []);
    assert.deepEqual(
      (await portalsFor({ portalId: second.id, runKey: 'r' }, ctx)).map((p) => p.baseUrl),
      ['http://sched-a.example/y/'],
    );
  });
});
