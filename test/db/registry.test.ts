// The national portal registry (data/portals/county-portals.csv): its shape against the division registry, and its
// loading by migrate (all 2,846 counties, idempotent, adopting an existing row that holds a registry URL).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { countyLevel } from '../../data/areacodes.ts';
import { csvFields, loadCountyPortals, parseCountyPortals } from '../../data/portals.ts';
import { migrate } from '../../db/migrate.ts';
import { readPortalsFile } from '../../db/portals.ts';
import { withTestStore, type TestStore } from '../helpers/db.ts';

const rows = loadCountyPortals();

describe('county-portals.csv shape', () => {
  test('every county-level code in force in 2024 once, and no other', () => {
    const inForce = new Set(countyLevel(2024).map((region) => region.code));
    const codes = rows.map((row) => row.code);
    assert.equal(codes.length, 2846);
    assert.equal(new Set(codes).size, codes.length, 'a code listed twice');
    assert.deepEqual(
      codes.filter((code) => !inForce.has(code)),
      [],
    );
    assert.deepEqual(
      [...inForce].filter((code) => !codes.includes(code)),
      [],
    );
  });

  test('URLs: at least 2,841, well-formed http(s) with a source, hosts unique', () => {
    const listed = rows.filter((row) => row.url);
    assert.ok(listed.length >= 2841, `${listed.length} URLs`);
    const hosts = new Map<string, string>();
    for (const row of listed) {
      const url = new URL(row.url!);
      assert.ok(['http:', 'https:'].includes(url.protocol), `${row.code}: ${row.url}`);
      assert.ok(row.source, `${row.code}: a URL without its source`);
      const host = url.hostname.replace(/^www\./, '');
      assert.ok(!hosts.has(host), `${row.code} and ${hosts.get(host)} share host ${host}`);
      hosts.set(host, row.code);
    }
    for (const row of rows.filter((item) => !item.url)) assert.ok(row.note, `${row.code}: no URL and no note why`);
  });

  test('every county may carry its own code as SiteIDCode prefix', () => {
    for (const row of rows) assert.ok(row.siteidPrefixes.includes(row.code), row.code);
  });

  test('quoted fields keep their commas; a malformed row names its line', () => {
    assert.deepEqual(csvFields('a,"b,c ""d""",e'), ['a', 'b,c "d"', 'e']);
    const header =
      'code,name,province,prefecture,url,source,probe_2026_04,final_url,policy_url,cms_hint,siteid_prefixes,note';
    assert.throws(() => parseCountyPortals(`${header}\n12345,x,,,,,,,,,,`), /line 2: code '12345' is not 6 digits/);
    assert.throws(() => parseCountyPortals(`${header}\n123456,x`), /line 2: 2 fields, expected 12/);
  });

  test('every override in crawlers/portals.yaml names a registry county', () => {
    const codes = new Set(rows.map((row) => row.code));
    for (const entry of readPortalsFile()) if (!entry.baseUrl) assert.ok(codes.has(entry.regionCode!));
  });
});

describe('loading the registry', () => {
  let testStore: TestStore;
  before(async () => {
    testStore = await withTestStore();
  });
  after(async () => testStore?.cleanup());

  test('migrate loads every county once; a re-run writes nothing', async () => {
    assert.equal(testStore.store.migration.portalsLoaded, 2846);
    assert.deepEqual(testStore.store.migration.portalConflicts, []);
    const again = await migrate(testStore.store.pool);
    assert.deepEqual([again.portalsLoaded, again.portalConflicts], [0, []]);
    const { rows: counts } = await testStore.store.pool.query(
      `SELECT count(*)::int AS rows, count(DISTINCT registry_code)::int AS codes,
         count(*) FILTER (WHERE base_url IS NULL)::int AS without_url,
         count(*) FILTER (WHERE registry_source = 'policy-transparency-china')::int AS ptc
       FROM portals WHERE registry_code IS NOT NULL`,
    );
    assert.deepEqual(counts[0], { rows: 2846, codes: 2846, without_url: 5, ptc: 3 });
  });

  test('a row that already holds a registry URL is adopted, not duplicated', async () => {
    const pool = testStore.store.pool;
    const { rows: before } = await pool.query(`SELECT id, base_url FROM portals WHERE registry_code = '230521'`);
    // As a database from before the registry: the county's URL added by `crawl --portal`, no registry row.
    await pool.query(`UPDATE portals SET registry_code = NULL, region_code = NULL, source = 'manual' WHERE id = $1`, [
      before[0].id,
    ]);
    await pool.query(`DELETE FROM portals WHERE id = $1`, [before[0].id]);
    const manual = await testStore.store.ensurePortal({ baseUrl: before[0].base_url });
    const result = await migrate(pool);
    assert.deepEqual([result.portalsLoaded, result.portalConflicts], [1, []]);
    const { rows: after } = await pool.query(
      `SELECT id, region_code, source FROM portals WHERE registry_code = '230521'`,
    );
    assert.deepEqual(after, [{ id: String(manual.id), region_code: '230521', source: 'registry' }]);
  });
});
