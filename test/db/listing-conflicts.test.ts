// Listing and document disagree: the document's region and year are kept, and REGION_CONFLICT /
// LISTING_YEAR_CONFLICT (load-time, origin 'load') name both values; they survive the cross-report recheck.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { DocumentOrigin } from '../../core/origin.ts';
import { listingConflicts } from '../../db/load-flags.ts';
import { withTestStore, type TestStore } from '../helpers/db.ts';
import { makeReport } from './fixtures.ts';

let testStore: TestStore;
before(async () => {
  testStore = await withTestStore();
});
after(async () => testStore?.cleanup());

async function archived(name: string): Promise<DocumentOrigin> {
  const url = `http://www.suibin.gov.cn/art/2022/1/20/${name}.html`;
  const doc = await testStore.store.archiveDocument(Buffer.from(`<html>${name}</html>`), { url });
  return { sha256: doc.sha256, url };
}

test('no conflict when either side is silent or both agree', () => {
  const none = () => null;
  assert.deepEqual(listingConflicts({ region: '230422', year: 2021 }, { region: null, year: null }, none), []);
  assert.deepEqual(listingConflicts({ region: '230422', year: 2021 }, { region: '230422', year: 2021 }, none), []);
});

test('a document of another county and year than its listing: kept as printed, flagged with both', async () => {
  const origin = { ...(await archived('conflict')), regionCode: '230422', year: 2022 };
  const report = makeReport({ agency: '集贤县人民政府', regionCode: '230521', year: 2021 });
  const { reportId } = await testStore.store.upsertReport(report, origin);
  const { rows } = await testStore.store.pool.query(
    `SELECT r.region_code, r.year, f.code, f.message, f.origin FROM reports r JOIN report_flags f ON f.report_id = r.id
     WHERE r.id = $1 AND f.code IN ('REGION_CONFLICT', 'LISTING_YEAR_CONFLICT') ORDER BY f.ord`,
    [reportId],
  );
  assert.deepEqual(rows, [
    {
      region_code: '230521',
      year: 2021,
      code: 'REGION_CONFLICT',
      message: 'document names 230521 集贤县; listed on the portal of 230422 绥滨县',
      origin: 'load',
    },
    {
      region_code: '230521',
      year: 2021,
      code: 'LISTING_YEAR_CONFLICT',
      message: 'document year 2021; the listing gives 2022',
      origin: 'load',
    },
  ]);
  // A second report of the agency a year later re-checks the first one's cross-report flags: the conflicts stay.
  const next = makeReport({ agency: '集贤县人民政府', regionCode: '230521', year: 2022, carriedOver: 9 });
  await testStore.store.upsertReport(next, await archived('next'));
  const { rows: flags } = await testStore.store.pool.query(
    `SELECT f.code FROM report_flags f WHERE f.report_id = $1 ORDER BY f.ord`,
    [reportId],
  );
  const codes = flags.map((row) => row.code);
  assert.ok(codes.includes('REGION_CONFLICT') && codes.includes('LISTING_YEAR_CONFLICT'), codes.join());
  const { rows: data } = await testStore.store.pool.query(
    `SELECT jsonb_array_length(data->'flags') AS n, (SELECT count(*)::int FROM report_flags WHERE report_id = $1) AS rows
     FROM reports WHERE id = $1`,
    [reportId],
  );
  assert.equal(data[0].n, data[0].rows, 'data.flags and report_flags agree');
});
