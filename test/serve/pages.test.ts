// The server-rendered pages against the database: portal health puts broken, then stale portals first; quality counts
// flags by code as report_flags does and lists the worst reports first; the codebook page lists every codebook()
// column; a report page lays out its values under the template's labels, each linking to ?cell=.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { codebook } from '../../dataset/codebook.ts';
import { createApp } from '../../serve/app.ts';
import { withTestStore, type TestStore } from '../helpers/db.ts';
import { loadSources, type SourceFormat } from './fixture.ts';

let testStore: TestStore;
let keys: Record<SourceFormat, string>;
let app: ReturnType<typeof createApp>;

async function page(path: string): Promise<string> {
  const res = await app.request(path);
  assert.equal(res.status, 200, path);
  return res.text();
}

describe('the pages', () => {
  before(async () => {
    testStore = await withTestStore();
    keys = await loadSources(testStore.store);
    app = createApp({ pool: testStore.store.pool, readDocument: (sha) => testStore.store.readDocument(sha) });
  });
  after(async () => testStore?.cleanup());

  test('portal health: broken portals first, then stale ones, then the rest', async () => {
    const { store } = testStore;
    const run = async (name: string, outcome: 'complete' | 'failed', daysAgo = 0) => {
      const portal = await store.ensurePortal({ baseUrl: `http://www.${name}.gov.cn/`, name, regionCode: '230422' });
      const runId = await store.startCrawlRun(portal.id, portal.baseUrl);
      const errors =
        outcome === 'failed' ? [{ url: portal.baseUrl, error: 'HTTP 503', kind: 'http-status' as const }] : [];
      await store.finishCrawlRun(runId, {}, null, { outcome, errors });
      await store.pool.query(
        `UPDATE crawl_runs SET started_at = started_at - make_interval(days => $2),
         finished_at = finished_at - make_interval(days => $2) WHERE id = $1`,
        [runId, daysAgo],
      );
    };
    await run('fine', 'complete');
    await run('old', 'complete', 40);
    await run('down', 'failed');
    const html = await page('/portals');
    const order = [...html.matchAll(/<tr class="health-(\w+)">[\s\S]*?www\.(\w+)\.gov\.cn/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(order, [
      ['broken', 'down'],
      ['stale', 'old'],
      ['ok', 'fine'],
    ]);
    assert.match(html, /http-status: HTTP 503/);
  });

  test('quality: flags by code as in report_flags, the reports with most errors first', async () => {
    const { rows } = await testStore.store.pool.query(
      `SELECT f.code, count(*)::int AS flags, count(DISTINCT f.report_id)::int AS reports FROM report_flags f
       JOIN reports r ON r.id = f.report_id WHERE r.status = 'current' GROUP BY f.code`,
    );
    assert.ok(rows.length > 1);
    const html = await page('/quality');
    for (const row of rows) {
      const shown = new RegExp(
        `\\?code=${row.code}">${row.code}</a>[\\s\\S]*?<td class="num">${row.flags}</td>\\s*<td class="num">${row.reports}</td>`,
      );
      assert.match(html, shown, row.code);
    }
    const { rows: worst } = await testStore.store.pool.query(
      `SELECT report_key FROM report_quality WHERE status = 'current'
       ORDER BY errors DESC, warnings DESC, cells_null DESC, report_key`,
    );
    const listed = [...html.matchAll(/<a href="\/reports\/([0-9a-f]{16})">/g)].map((m) => m[1]);
    assert.deepEqual(
      listed,
      worst.map((row) => row.report_key),
    );
  });

  test('the codebook page lists every exported column of codebook()', async () => {
    const html = await page('/codebook');
    const entries = codebook();
    assert.ok(entries.length > 100);
    for (const table of new Set(entries.map((entry) => entry.table))) {
      const section = html.split(`<h2 id="${table}">`)[1]?.split('<h2 id=')[0];
      assert.ok(section, table);
      for (const entry of entries.filter((e) => e.table === table))
        assert.ok(section.includes(`<code>${entry.name}</code>`), `${table}.${entry.name}`);
    }
  });

  test('a report page shows each value under its template labels, linking to its cell', async () => {
    const { rows } = await testStore.store.pool.query(
      `SELECT path, value::float8 AS value FROM v_cell_provenance WHERE report_key = $1 AND value IS NOT NULL`,
      [keys.pdf],
    );
    const html = await page(`/reports/${keys.pdf}`);
    for (const { path, value } of rows)
      assert.match(
        html,
        new RegExp(`data-path="${path}"[^>]*>\\s*<a href="/reports/${keys.pdf}\\?cell=${path}">${value}</a\\s*>`),
        path,
      );
    for (const label of ['二、主动公开政府信息情况', '（一）予以公开', '行政复议', '本年收费金额（单位：万元）'])
      assert.ok(html.includes(label), label);
  });
});
