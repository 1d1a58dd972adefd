// The JSON API and the server-rendered pages against Postgres: every list is the view's rows, paged with the total;
// cells carry their provenance; bad parameters are a one-line 400, unknown keys a 404; versions under one key after a
// re-extraction; the archived HTML served inert. Pages: portal health puts broken, then stale portals first; quality
// counts flags by code and lists the worst reports first; the codebook page lists every codebook() column; a report
// page lays out its values under the template's labels, each linking to ?cell=.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { sha256 } from '../../db/blobs.ts';
import { extract } from '../../extractors/extract.ts';
import { codebook } from '../../dataset/codebook.ts';
import { createApp } from '../../serve/app.ts';
import { markHtmlCell } from '../../serve/source/html-mark.ts';
import { readHtml } from '../../extractors/readers/html.ts';
import { listen, type Running } from '../../serve/server.ts';
import { withTestStore, type TestStore } from '../helpers/db.ts';
import { loadSources, SOURCES, type SourceFormat } from './fixture.ts';

let testStore: TestStore;
let server: Running;
let keys: Record<SourceFormat, string>;
let app: ReturnType<typeof createApp>;

async function get(path: string): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(server.url + path);
  const text = await res.text();
  const json = res.headers.get('content-type')?.includes('json');
  return { status: res.status, body: json ? JSON.parse(text) : text, headers: res.headers };
}

const iso = (time: Date | null) => (time ? time.toISOString() : null);

before(async () => {
  testStore = await withTestStore();
  keys = await loadSources(testStore.store);
  app = createApp({ pool: testStore.store.pool, readDocument: (sha) => testStore.store.readDocument(sha) });
  server = await listen(app, '127.0.0.1', 0);
});
after(async () => {
  await server?.close();
  await testStore?.cleanup();
});

async function page(path: string): Promise<string> {
  const res = await app.request(path);
  assert.equal(res.status, 200, path);
  return res.text();
}

describe('the JSON API', () => {
  test('/api/reports: the current reports of v_reports, filtered and paged, with the total', async () => {
    const { rows } = await testStore.store.pool.query(
      `SELECT report_key, agency, region_code, year, template, document_sha256 FROM v_reports
       ORDER BY region_code, year, agency, report_key`,
    );
    const all = await get('/api/reports');
    assert.equal(all.status, 200);
    assert.equal(all.body.total, 3);
    assert.deepEqual(
      all.body.items.map((r: any) => [r.key, r.agency, r.region_code, r.year, r.template, r.document_sha256]),
      rows.map((r) => [r.report_key, r.agency, r.region_code, r.year, r.template, r.document_sha256]),
    );
    const second = await get('/api/reports?limit=1&offset=1');
    assert.deepEqual(
      [second.body.total, second.body.items.length, second.body.items[0].key],
      [3, 1, rows[1].report_key],
    );
    const filtered = await get('/api/reports?region=23&year=2021&template=2021');
    assert.deepEqual(
      filtered.body.items.map((r: any) => r.key),
      [keys.html],
    );
    const byAgency = await get(`/api/reports?agency=${encodeURIComponent('渠沟镇')}`);
    assert.deepEqual(
      byAgency.body.items.map((r: any) => r.key),
      [keys.docx],
    );
  });

  test('/api/reports/:key/cells: every cell with its provenance, as v_cell_provenance has it, over pages', async () => {
    for (const key of Object.values(keys)) {
      const { rows } = await testStore.store.pool.query(
        `SELECT path, value::float8 AS value, raw, at, document_sha256, source_url, fetched_at FROM v_cell_provenance
         WHERE report_key = $1 AND report_status = 'current' ORDER BY path`,
        [key],
      );
      assert.ok(rows.length > 50);
      const items: any[] = [];
      let total = -1;
      for (let offset = 0; offset < rows.length; offset += 70) {
        const page = await get(`/api/reports/${key}/cells?limit=70&offset=${offset}`);
        assert.equal(page.status, 200);
        total = page.body.total;
        items.push(...page.body.items);
      }
      assert.equal(total, rows.length);
      assert.deepEqual(
        items,
        rows.map((row) => ({
          path: row.path,
          value: row.value,
          raw: row.raw,
          at: row.at,
          document: row.document_sha256,
          source_url: row.source_url,
          fetched_at: iso(row.fetched_at),
        })),
      );
      assert.equal(items[0].fetched_at, '2025-02-03T04:05:06.000Z');
    }
  });

  test('/api/coverage and /api/flags are the rows of v_coverage and report_flags', async () => {
    const { rows: coverage } = await testStore.store.pool.query(
      `SELECT region_code, year, state, bodies FROM v_coverage WHERE region_code LIKE '5325%' ORDER BY region_code, year`,
    );
    const api = await get('/api/coverage?region=5325&limit=500');
    assert.equal(api.body.total, coverage.length);
    assert.deepEqual(
      api.body.items.map((c: any) => [c.region_code, c.year, c.state, c.bodies]),
      coverage.map((c) => [c.region_code, c.year, c.state, c.bodies]),
    );
    assert.ok(api.body.items.some((c: any) => c.region_code === '532504' && c.year === 2024 && c.state === 'loaded'));
    const loaded = await get('/api/coverage?state=loaded');
    assert.equal(loaded.body.total, 3);

    const { rows: flags } = await testStore.store.pool.query(
      `SELECT r.report_key, f.code, f.severity, f.path, f.message FROM report_flags f JOIN reports r ON r.id = f.report_id
       WHERE r.status = 'current' ORDER BY r.report_key, f.ord`,
    );
    const first = await get('/api/flags?limit=500');
    assert.equal(first.body.total, flags.length);
    assert.deepEqual(
      first.body.items.map((f: any) => [f.key, f.code, f.severity, f.path, f.message]),
      flags.map((f) => [f.report_key, f.code, f.severity, f.path, f.message]),
    );
    const byCode = await get('/api/flags/codes');
    const counts = new Map<string, number>();
    for (const flag of flags) counts.set(flag.code, (counts.get(flag.code) ?? 0) + 1);
    assert.deepEqual(
      Object.fromEntries(byCode.body.items.map((row: any) => [row.code, row.flags])),
      Object.fromEntries(counts),
    );
    const warnings = await get('/api/flags?severity=warning&limit=1');
    assert.equal(warnings.body.total, flags.filter((f) => f.severity === 'warning').length);
  });

  test('bad parameters are a one-line 400 JSON error; an unknown key or endpoint a 404', async () => {
    for (const path of [
      '/api/reports?year=21',
      '/api/reports?limit=0',
      '/api/reports?limit=100000',
      '/api/reports?offset=-1',
      '/api/reports?region=2304221',
      '/api/reports?template=2020',
      '/api/coverage?state=done',
      '/api/flags?severity=fatal',
      '/api/reports/NOT-A-KEY',
      `/api/reports/${keys.html}/cells?limit=x`,
    ]) {
      const res = await get(path);
      assert.equal(res.status, 400, path);
      assert.equal(Object.keys(res.body).join(), 'error', path);
      assert.match(res.body.error, /^[^\n]+$/, path);
    }
    assert.equal((await get('/api/reports/0000000000000000')).status, 404);
    assert.equal((await get('/api/reports/0000000000000000/cells')).status, 404);
    assert.equal((await get('/api/nothing')).status, 404);
    assert.equal((await get('/reports/0000000000000000')).status, 404);
    assert.equal((await get(`/reports/${keys.html}?cell=x`)).status, 400);
  });

  test('a re-extraction keeps the key: both versions are listed under it, each readable', async () => {
    const bytes = await readFile(SOURCES.docx.file);
    const report = await extract(bytes, { url: SOURCES.docx.url });
    report.extractor = 'nianbao-extract@99.0.0';
    await testStore.store.upsertReport(report, { sha256: sha256(bytes), url: SOURCES.docx.url });
    const detail = await get(`/api/reports/${keys.docx}`);
    assert.equal(detail.body.key, keys.docx);
    assert.equal(detail.body.extractor_version, '99.0.0');
    assert.deepEqual(
      detail.body.versions.map((v: any) => [v.extractor_version, v.status]),
      [
        ['99.0.0', 'current'],
        [detail.body.versions[1].extractor_version, 'superseded'],
      ],
    );
    const old = await get(
      `/api/reports/${keys.docx}/cells?version=${detail.body.versions[1].extractor_version}&limit=1`,
    );
    assert.equal(old.body.status, 'superseded');
    const page = await get(`/reports/${keys.docx}`);
    assert.match(page.body, /versions under this key \(2\)/);
    assert.equal((await get('/api/reports')).body.total, 3);
  });

  test('the archived HTML is served inert: scripts and handlers removed, a CSP that runs none', async () => {
    const res = await get(`/reports/${keys.html}/source?cell=requests.new.natural_person`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-security-policy')!, /^sandbox; default-src 'none'/);
    assert.equal(res.headers.get('x-nianbao-marked'), 'yes');
    const hostile = Buffer.from(
      `<html><head><script>alert(1)</script><meta http-equiv="refresh" content="0;url=http://x.example/"></head>
       <body><div id="zoom"><p onclick="steal()">${'正文'.repeat(60)}</p><a href="javascript:steal()">x</a>
       <table><tr><td>a</td><td onmouseover="steal()">1</td></tr></table><iframe src="http://x.example/"></iframe></div></body></html>`,
    );
    const marked = markHtmlCell(hostile, 'text/html; charset=utf-8', readHtml(hostile), { table: 0, row: 0, col: 1 });
    assert.equal(marked.marked, true);
    assert.doesNotMatch(marked.html, /<script|onclick|onmouseover|javascript:|<iframe|http-equiv/i);
    assert.match(marked.html, /<td id="nianbao-cell" data-nianbao-at="0,0,1">1<\/td>/);
  });
});

// After the API's tests: these add crawl runs and portals.
describe('the pages', () => {
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
