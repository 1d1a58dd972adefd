// What `nianbao status` tells an operator after faults: interrupted crawl runs, documents whose extraction failed for
// a retryable reason, and the commands that retry them; permanent failures are not offered for a retry.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { attention, renderAttention } from '../../pipeline/status-attention.ts';
import { withTestStore, type TestStore } from '../helpers/db.ts';
import { startCli } from './cli-child.ts';

describe('status: what to retry', { timeout: 120_000 }, () => {
  let testStore: TestStore;
  before(async () => {
    testStore = await withTestStore();
    const db = testStore.store.pool;
    const portal = await testStore.store.ensurePortal({
      baseUrl: 'http://127.0.0.1:9/p/test/',
      regionCode: '230422',
      name: 'test county',
      platform: 'auto',
      entryUrls: [],
    });
    const { rows: runs } = await db.query(
      `INSERT INTO crawl_runs (portal_id, portal_url, outcome, finished_at) VALUES ($1, $2, 'interrupted', now())
       RETURNING id::int`,
      [portal.id, portal.baseUrl],
    );
    await db.query(
      `INSERT INTO crawl_runs (portal_id, portal_url, started_at) VALUES ($1, $2, now() - interval '2 days')`,
      [portal.id, 'http://127.0.0.1:9/p/abandoned/'],
    );
    for (const [letter, error, permanent] of [
      ['a', 'extract: blob store /x: cannot read ab/cd (EIO: i/o error)', false],
      ['b', 'extract: corrupt PDF: no %%EOF', true],
    ] as const) {
      const url = `http://127.0.0.1:9/${letter}.pdf`;
      const { sha256 } = await testStore.store.archiveDocument(Buffer.from(letter), { url });
      await testStore.store.recordDocumentError(sha256, error, permanent);
      await testStore.store.upsertCandidate({
        portalId: portal.id,
        runId: runs[0].id,
        agency: null,
        year: 2022,
        title: `${letter} 2022年政府信息公开工作年度报告`,
        articleUrl: `http://127.0.0.1:9/${letter}.html`,
        publishedAt: null,
        siteIdCode: null,
        documents: [{ sha256, url, kind: 'attachment' }],
      });
    }
  });
  after(() => testStore.cleanup());

  it('lists interrupted and abandoned runs, retryable documents by county, and the commands to retry them', async () => {
    const state = await attention(testStore.store.pool);
    assert.deepEqual(
      state.interruptedRuns.map((run) => [run.portal_url, run.outcome]),
      [
        ['http://127.0.0.1:9/p/test/', 'interrupted'],
        ['http://127.0.0.1:9/p/abandoned/', null],
      ],
    );
    assert.deepEqual(
      state.retryableDocuments.map((row) => [row.region_code, row.documents]),
      [['230422', 1]],
    );
    assert.match(state.retryableDocuments[0].example, /EIO/);
    assert.deepEqual(state.commands, [
      'nianbao crawl --portal http://127.0.0.1:9/p/test/',
      'nianbao crawl --portal http://127.0.0.1:9/p/abandoned/',
      'nianbao reextract --region 230422',
    ]);
    assert.ok(renderAttention(state).includes('to retry:'));
  });

  it('`nianbao status` prints the section', async () => {
    const status = startCli(['status'], { DATABASE_URL: testStore.url, NIANBAO_HOME: testStore.home, REDIS_URL: '' });
    assert.equal(await status.exit(60_000), 0, status.err());
    assert.match(status.out(), /^interrupted or abandoned crawl runs: 2$/m);
    assert.match(status.out(), /^documents whose extraction failed for a retryable reason: 1$/m);
    assert.match(status.out(), /^ {2}nianbao reextract --region 230422$/m);
  });
});
