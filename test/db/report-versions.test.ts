// Versions under one key: re-extracting a document keeps its report_key; every extractor version stays queryable in
// v_report_versions; the cells of the key's current version are keyed by (report_key, path).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { withTestStore, type TestStore } from '../helpers/db.ts';
import type { DocumentOrigin } from '../../core/origin.ts';
import { makeReport } from './fixtures.ts';

let testStore: TestStore;
before(async () => {
  testStore = await withTestStore();
});
after(async () => {
  await testStore?.cleanup();
});

async function archived(name: string): Promise<{ origin: DocumentOrigin; bytes: Buffer }> {
  const url = `http://www.suibin.gov.cn/art/2022/1/20/${name}.html`;
  const bytes = Buffer.from(`<html><body>${name}</body></html>`);
  const doc = await testStore.store.archiveDocument(bytes, { url, contentType: 'text/html' });
  return { origin: { sha256: doc.sha256, url }, bytes };
}

const query = async (sql: string, params: unknown[] = []) => (await testStore.store.pool.query(sql, params)).rows;

describe('report versions', () => {
  test('a re-extraction keeps the key; the old version is superseded in v_report_versions, the new one current', async () => {
    const { origin, bytes } = await archived('versions');
    const report = makeReport({ agency: '绥滨县北岗乡人民政府', year: 2021 });
    const first = await testStore.store.upsertReport(report, origin);
    const changed = structuredClone(report);
    changed.requests!.new!.total = 999;
    changed.cells.find((c) => c.path === 'requests.new.total')!.value = 999;
    const second = await testStore.store.upsertReport({ ...changed, extractor: 'nianbao-extract@0.2.0' }, origin);
    assert.equal(second.action, 'superseded');
    assert.notEqual(second.reportId, first.reportId, 'report ids are internal: a new row per version');

    // Anyone holding the bytes can recompute the key.
    const key = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
    const versions = await query(
      `SELECT report_key, report_id, status, extractor, extractor_version, superseded_by, superseded_by_version,
              agency, region_code, year, loaded_at IS NOT NULL AS loaded
         FROM v_report_versions WHERE report_key = $1 ORDER BY loaded_at, report_id`,
      [key],
    );
    assert.deepEqual(versions, [
      {
        report_key: key,
        report_id: String(first.reportId),
        status: 'superseded',
        extractor: 'nianbao-extract@0.1.0',
        extractor_version: '0.1.0',
        superseded_by: String(second.reportId),
        superseded_by_version: '0.2.0',
        agency: '绥滨县北岗乡人民政府',
        region_code: '230422',
        year: 2021,
        loaded: true,
      },
      {
        report_key: key,
        report_id: String(second.reportId),
        status: 'current',
        extractor: 'nianbao-extract@0.2.0',
        extractor_version: '0.2.0',
        superseded_by: null,
        superseded_by_version: null,
        agency: '绥滨县北岗乡人民政府',
        region_code: '230422',
        year: 2021,
        loaded: true,
      },
    ]);
    assert.deepEqual(
      [(await testStore.store.currentReport(origin.sha256))?.reportKey, key.length],
      [key, 16],
      'the store names the current version by the same key',
    );
    // The researcher views show the current version under the same key.
    assert.deepEqual(await query('SELECT report_id FROM v_reports WHERE report_key = $1', [key]), [
      { report_id: String(second.reportId) },
    ]);

    // The key's current version has every cell, once per path; the superseded one keeps its own.
    const cells = await query(
      `SELECT path, value FROM v_cell_provenance WHERE report_key = $1 AND report_status = 'current' ORDER BY path`,
      [key],
    );
    assert.equal(cells.length, report.cells.length);
    assert.equal(new Set(cells.map((c) => c.path)).size, cells.length);
    assert.equal(cells.find((c) => c.path === 'requests.new.total')?.value, '999');
    const old = await query(
      `SELECT value FROM v_cell_provenance WHERE report_key = $1 AND report_status = 'superseded'
          AND path = 'requests.new.total'`,
      [key],
    );
    assert.equal(old.length, 1);
    assert.notEqual(old[0].value, '999');
  });

  test('(report_key, path) names one cell of the current versions across the database', async () => {
    const { origin } = await archived('second-doc');
    await testStore.store.upsertReport(makeReport({ agency: '绥滨县福兴乡人民政府', year: 2020 }), origin);
    const dups = await query(
      `SELECT report_key, path, count(*) AS n FROM v_cell_provenance WHERE report_status = 'current'
        GROUP BY report_key, path HAVING count(*) > 1`,
    );
    assert.deepEqual(dups, []);
    assert.ok(Number((await query('SELECT count(*) AS n FROM v_cell_provenance'))[0].n) > 0);
  });

  test('a report that reads one cell path twice is refused naming the path, and nothing is written', async () => {
    const { origin } = await archived('dup-path');
    const report = makeReport({ agency: '绥滨县北山乡人民政府', year: 2021 });
    report.cells.push({ ...report.cells[0] });
    const before = await query('SELECT count(*) AS n FROM reports');
    await assert.rejects(testStore.store.upsertReport(report, origin), {
      message: `report.cells: path ${report.cells[0].path} occurs more than once`,
    });
    assert.deepEqual(await query('SELECT count(*) AS n FROM reports'), before);
  });
});
