// A township's series printed under three forms of its name is one agency, so the carry-over check runs across it;
// bare names join only an unambiguous township; the merge step repairs a database made with the old normaliser.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { createTestDatabase, withTestStore, type TestStore } from '../helpers/db.ts';
import { mergeAgencies } from '../../db/agency-merge.ts';
import { AGENCY_NORMALISER_VERSION } from '../../db/agency.ts';
import { migrate } from '../../db/migrate.ts';
import { openStore } from '../../db/store.ts';
import type { Report } from '../../extractors/report.ts';
import { archiveDistinct, makeReport } from './fixtures.ts';

let testStore: TestStore;
before(async () => {
  testStore = await withTestStore();
});
after(async () => {
  await testStore?.cleanup();
});

const archived = (label: string) => archiveDistinct(testStore.store, 'identity', label);

async function load(report: Report, label = 'doc'): Promise<number> {
  return (await testStore.store.upsertReport(report, await archived(label))).reportId;
}

const query = async (sql: string, params: unknown[] = []) => (await testStore.store.pool.query(sql, params)).rows;

/** The agency of each report, and that agency's row. */
async function agenciesOf(ids: number[]) {
  return query(
    `SELECT r.id AS report_id, a.id, a.norm_name, a.kind FROM reports r JOIN agencies a ON a.id = r.agency_id
      WHERE r.id = ANY($1) ORDER BY r.year, r.id`,
    [ids],
  );
}

async function loadFlags(reportId: number): Promise<string[]> {
  const rows = await query(
    `SELECT code, path FROM report_flags WHERE report_id = $1 AND origin = 'load' ORDER BY ord`,
    [reportId],
  );
  return rows.map((row) => `${row.code} ${row.path ?? '-'}`);
}

/** A three-year series of one township under three printed names; 2021's carried_over is wrong in one column. */
function series(names: [string, string, string]): Report[] {
  const reports = [
    makeReport({ agency: names[0], year: 2019, carriedForward: 3 }),
    makeReport({ agency: names[1], year: 2020, carriedOver: 3, carriedForward: 5 }),
    makeReport({ agency: names[2], year: 2021, carriedOver: 5 }),
  ];
  reports[2].requests!.carried_over!.commercial = 9;
  return reports;
}

describe('agency identity at load time', () => {
  test('连生乡 (2019), 绥滨县连生乡人民政府 (2020), 连生乡人民政府 (2021) are one agency; the wrong carry-over is flagged', async () => {
    const ids: number[] = [];
    for (const report of series(['连生乡', '绥滨县连生乡人民政府', '连生乡人民政府'])) ids.push(await load(report));
    const rows = await agenciesOf(ids);
    assert.equal(new Set(rows.map((row) => row.id)).size, 1, 'one agency');
    assert.deepEqual([rows[0].norm_name, rows[0].kind], ['连生乡', 'township']);
    assert.deepEqual(await loadFlags(ids[1]), []);
    assert.deepEqual(await loadFlags(ids[2]), ['CARRYOVER_MISMATCH requests.carried_over.commercial']);
    const names = await query('SELECT name FROM agency_names WHERE agency_id = $1 ORDER BY name', [rows[0].id]);
    assert.deepEqual(
      names.map((row) => row.name),
      ['绥滨县连生乡人民政府', '连生乡', '连生乡人民政府'].sort(),
    );
    // db/README's series query: any printed name finds the whole series.
    const years = await query(
      `SELECT year, agency, carried_over_total, carried_forward_total FROM v_requests
        WHERE region_code = '230422'
          AND agency_id IN (SELECT agency_id FROM agency_names WHERE name = '连生乡') ORDER BY year`,
    );
    assert.deepEqual(
      years.map((row) => [row.year, row.agency, row.carried_over_total, row.carried_forward_total]),
      [
        [2019, '连生乡', '1', '3'],
        [2020, '绥滨县连生乡人民政府', '3', '5'],
        [2021, '连生乡人民政府', '5', '2'],
      ],
    );
  });

  test('a street under 街道 / 街道办事处 / 街道办 / 街道人民政府 is one street agency', async () => {
    const forms = ['城南街道', '绥滨县城南街道办事处', '城南街道办', '城南街道人民政府'];
    const ids: number[] = [];
    for (const [index, agency] of forms.entries()) ids.push(await load(makeReport({ agency, year: 2015 + index })));
    const rows = await agenciesOf(ids);
    assert.equal(new Set(rows.map((row) => row.id)).size, 1);
    assert.deepEqual([rows[0].norm_name, rows[0].kind], ['城南街道', 'street']);
  });

  test('the county government and its office stay two agencies under all their forms', async () => {
    const government = ['绥滨县人民政府', '县政府', '绥滨县政府'];
    const office = ['绥滨县人民政府办公室', '县政府办公室', '绥滨县政府办'];
    const ids: number[] = [];
    for (const [index, agency] of [...government, ...office].entries())
      ids.push(await load(makeReport({ agency, year: 2010 + index })));
    const rows = await agenciesOf(ids);
    assert.deepEqual(
      [...new Set(rows.map((row) => `${row.norm_name} ${row.kind}`))],
      ['政府 government', '政府办公室 office'],
    );
  });

  test('a name without 乡/镇 joins the region’s agency only when exactly one candidate matches', async () => {
    // One candidate, loaded first: 北山 joins 北山乡.
    const withSuffix = await load(makeReport({ agency: '绥滨县北山乡人民政府', year: 2020 }));
    const bare = await load(makeReport({ agency: '北山', year: 2021 }));
    assert.equal(new Set((await agenciesOf([withSuffix, bare])).map((row) => row.id)).size, 1);

    // The bare name first: the suffixed form takes its agency over (renamed, kind fixed).
    const bareFirst = await load(makeReport({ agency: '南山', year: 2020 }));
    const [before] = await agenciesOf([bareFirst]);
    assert.deepEqual([before.norm_name, before.kind], ['南山', 'other']);
    const suffixedLater = await load(makeReport({ agency: '南山镇人民政府', year: 2021 }));
    const both = await agenciesOf([bareFirst, suffixedLater]);
    assert.deepEqual(
      both.map((row) => [row.id, row.norm_name, row.kind]),
      [
        [before.id, '南山镇', 'township'],
        [before.id, '南山镇', 'township'],
      ],
    );

    // Two candidates (东岗乡 and 东岗镇 both exist): 东岗 is neither; the two townships stay apart.
    const xiang = await load(makeReport({ agency: '东岗乡人民政府', year: 2021 }));
    const zhen = await load(makeReport({ agency: '东岗镇人民政府', year: 2021 }));
    const ambiguous = await load(makeReport({ agency: '东岗', year: 2021 }));
    const three = await agenciesOf([xiang, zhen, ambiguous]);
    assert.equal(new Set(three.map((row) => row.id)).size, 3);
    assert.deepEqual(three.map((row) => row.norm_name).sort(), ['东岗', '东岗乡', '东岗镇']);
    // Only within the region: 北山 printed for another county is that county's body.
    const elsewhere = await load(makeReport({ agency: '北山', year: 2021, regionCode: '230421' }));
    assert.notEqual((await agenciesOf([elsewhere]))[0].id, (await agenciesOf([bare]))[0].id);
  });

  test('the bare and the suffixed form loaded concurrently over separate connections still meet', async () => {
    const other = await openStore({ databaseUrl: testStore.url, home: testStore.home, log: () => {} });
    try {
      for (let round = 0; round < 8; round++) {
        const stem = `并发${round}`;
        const docs = [await archived(`conc-${round}-a`), await archived(`conc-${round}-b`)];
        // Alternate which connection gets which form.
        const forms = round % 2 ? [stem, `绥滨县${stem}乡人民政府`] : [`${stem}乡人民政府`, stem];
        const [first, second] = await Promise.all([
          testStore.store.upsertReport(makeReport({ agency: forms[0], year: 2020 }), docs[0]),
          other.upsertReport(makeReport({ agency: forms[1], year: 2021 }), docs[1]),
        ]);
        const rows = await agenciesOf([first.reportId, second.reportId]);
        assert.deepEqual(
          rows.map((row) => [row.id, row.norm_name, row.kind]),
          [0, 1].map(() => [rows[0].id, `${stem}乡`, 'township']),
          `round ${round}`,
        );
      }
    } finally {
      await other.close();
    }
  });
});

/** Everything the merge step may touch, for comparing two states. */
async function snapshot() {
  return {
    agencies: await query('SELECT id, region_code, norm_name, name, kind FROM agencies ORDER BY id'),
    names: await query('SELECT agency_id, name, first_seen FROM agency_names ORDER BY agency_id, name'),
    reports: await query('SELECT id, agency_id, status, data FROM reports ORDER BY id'),
    flags: await query('SELECT * FROM report_flags ORDER BY report_id, ord'),
    candidates: await query('SELECT id, agency_id FROM candidates ORDER BY id'),
  };
}

describe('merge step on a database made with the old normaliser', () => {
  test('merges the split agencies into the lowest id, keeps every name, report and flag, raises the missed flag; idempotent', async () => {
    // The 2019 report loads normally; then the database is put back into what normaliser 1 made of the series:
    // 连生乡 → 连生乡, 绥滨县连生乡人民政府 and 连生乡人民政府 → 连生乡政府 (two agencies, no carry-over check between them).
    const ids: number[] = [];
    for (const report of series(['太平乡', '绥滨县太平乡人民政府', '太平乡人民政府'])) ids.push(await load(report));
    const [kept] = await agenciesOf(ids);
    const split = Number(
      (
        await query(
          `INSERT INTO agencies (region_code, norm_name, name, kind)
           VALUES ('230422', '太平乡政府', '绥滨县太平乡人民政府', 'township') RETURNING id`,
        )
      )[0].id,
    );
    // A street the old classifier called a government, under its old identity.
    const street = Number(
      (
        await query(
          `INSERT INTO agencies (region_code, norm_name, name, kind)
           VALUES ('230422', '北门街道政府', '北门街道人民政府', 'government') RETURNING id`,
        )
      )[0].id,
    );
    await query(`UPDATE reports SET agency_id = $1 WHERE id = ANY($2)`, [split, ids.slice(1)]);
    await query(`DELETE FROM agency_names WHERE agency_id = $1 AND name <> '太平乡'`, [kept.id]);
    await query(
      `INSERT INTO agency_names (agency_id, name) VALUES ($1, '绥滨县太平乡人民政府'), ($1, '太平乡人民政府'),
       ($2, '北门街道人民政府')`,
      [split, street],
    );
    // A listing entry of the split agency.
    const portal = await testStore.store.ensurePortal({ baseUrl: 'http://www.suibin.gov.cn/', regionCode: '230422' });
    const runId = await testStore.store.startCrawlRun(portal.id, portal.baseUrl);
    const candidate = await testStore.store.upsertCandidate({
      portalId: portal.id,
      agency: '太平乡人民政府',
      year: 2021,
      title: '太平乡人民政府2021年政府信息公开工作年度报告',
      articleUrl: 'http://www.suibin.gov.cn/art/2022/1/20/taiping.html',
      runId,
      documents: [],
    });
    await query('UPDATE candidates SET agency_id = $1 WHERE id = $2', [split, candidate]);
    // Two documents of 永安镇 for 2020, loaded under the two identities normaliser 1 gave them.
    const copies = [
      await load(makeReport({ agency: '永安镇', year: 2020 }), 'yongan-a'),
      await load(makeReport({ agency: '永安镇人民政府', year: 2020 }), 'yongan-b'),
    ];
    const yongan = Number(
      (
        await query(
          `INSERT INTO agencies (region_code, norm_name, name, kind)
           VALUES ('230422', '永安镇政府', '永安镇人民政府', 'township') RETURNING id`,
        )
      )[0].id,
    );
    await query('UPDATE reports SET agency_id = $1 WHERE id = $2', [yongan, copies[1]]);
    await query(`UPDATE agency_names SET agency_id = $1 WHERE name = '永安镇人民政府'`, [yongan]);
    // The flags the old, split store left: none across the split agencies.
    await query(`DELETE FROM report_flags WHERE report_id = ANY($1) AND origin = 'load'`, [[...ids, ...copies]]);
    await query(
      `UPDATE reports SET data = jsonb_set(data, '{flags}', coalesce((SELECT jsonb_agg(f) FROM jsonb_array_elements(data->'flags') f
         WHERE f->>'code' NOT IN ('CARRYOVER_MISMATCH', 'DUPLICATE_VERSION')), '[]')) WHERE id = ANY($1)`,
      [[...ids, ...copies]],
    );
    await query(`UPDATE agency_normaliser SET version = '1'`);
    for (const id of [...ids, ...copies]) assert.deepEqual(await loadFlags(id), []);
    const before = await snapshot();

    await migrate(testStore.store.pool);

    const after = await snapshot();
    const rows = await agenciesOf(ids);
    assert.deepEqual(
      rows.map((row) => [row.id, row.norm_name, row.kind]),
      ids.map(() => [kept.id, '太平乡', 'township']),
      'the series is one agency, the lowest id',
    );
    assert.equal(
      after.agencies.find((a) => Number(a.id) === split),
      undefined,
      'the duplicate row is gone',
    );
    assert.deepEqual(
      after.agencies.find((a) => Number(a.id) === street),
      { id: String(street), region_code: '230422', norm_name: '北门街道', name: '北门街道人民政府', kind: 'street' },
    );
    assert.equal(after.candidates.find((c) => Number(c.id) === candidate)?.agency_id, String(kept.id));
    assert.deepEqual(
      after.names.filter((n) => n.agency_id === kept.id).map((n) => n.name),
      ['太平乡', '太平乡人民政府', '绥滨县太平乡人民政府'].sort(),
    );
    // No report lost, no extractor flag lost; the carry-over flag is back, in both stores of flags.
    assert.deepEqual(
      after.reports.map((r) => r.id),
      before.reports.map((r) => r.id),
    );
    const extractorFlags = (s: typeof before) => s.flags.filter((f) => f.origin === 'extractor');
    assert.deepEqual(extractorFlags(after), extractorFlags(before));
    assert.deepEqual(await loadFlags(ids[2]), ['CARRYOVER_MISMATCH requests.carried_over.commercial']);
    const data = after.reports.find((r) => Number(r.id) === ids[2])!.data as Report;
    assert.deepEqual(
      data.flags.filter((f) => f.code === 'CARRYOVER_MISMATCH').map((f) => f.path),
      ['requests.carried_over.commercial'],
    );
    // Both copies of 永安镇 2020 now name each other.
    for (const copy of copies) assert.deepEqual(await loadFlags(copy), ['DUPLICATE_VERSION -']);
    assert.equal(new Set((await agenciesOf(copies)).map((row) => row.id)).size, 1);
    const recorded = await query('SELECT version, agencies_merged, reports_reflagged FROM agency_normaliser');
    assert.deepEqual(recorded, [{ version: AGENCY_NORMALISER_VERSION, agencies_merged: 2, reports_reflagged: 3 }]);

    // Idempotent: the next migrate skips the step; forced, it finds nothing to do and changes nothing.
    await migrate(testStore.store.pool);
    const client = await testStore.store.pool.connect();
    try {
      await client.query('BEGIN');
      const again = await mergeAgencies(client, { force: true });
      await client.query('COMMIT');
      assert.deepEqual(
        [again.ran, again.merged, again.updated, again.reportsRepointed, again.candidatesRepointed, again.reflagged],
        [true, 0, 0, 0, 0, 0],
      );
    } finally {
      client.release();
    }
    const third = await snapshot();
    assert.deepEqual(third, after);
  });
});

describe('upgrade of a database migrated before 012', () => {
  test('012 back-fills agency_names from agencies, reports and candidates; the merge step then joins the series', async () => {
    // Migrations up to 011 only, the data an old store wrote (normaliser 1), then the full migrate.
    const path = mkdtempSync(join(tmpdir(), 'nianbao-migrations-'));
    const db = await createTestDatabase();
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    pool.on('error', () => {});
    try {
      for (const file of readdirSync(new URL('../../db/migrations/', import.meta.url)))
        if (/^0(0\d|1[01])_.*\.sql$/.test(file))
          cpSync(new URL(`../../db/migrations/${file}`, import.meta.url), join(path, file));
      await migrate(pool, { dir: pathToFileURL(path + '/') });
      const ids = await oldDatabase(pool);
      await migrate(pool);

      const rows = async (sql: string) => (await pool.query(sql)).rows;
      assert.deepEqual(await rows('SELECT id, norm_name, name, kind FROM agencies ORDER BY id'), [
        { id: String(ids.agencies[0]), norm_name: '连生乡', name: '连生乡', kind: 'township' },
      ]);
      assert.deepEqual(
        (await rows('SELECT agency_id, name FROM agency_names')).map((r) => `${r.agency_id} ${r.name}`).sort(),
        ['连生乡', '连生乡人民政府', '绥滨县连生乡人民政府', '连生乡政府']
          .map((name) => `${ids.agencies[0]} ${name}`)
          .sort(),
      );
      assert.deepEqual(await rows(`SELECT report_id, code, path, origin FROM report_flags ORDER BY report_id, ord`), [
        {
          report_id: String(ids.reports[0]),
          code: 'CELL_BLANK',
          path: 'requests.granted.research',
          origin: 'extractor',
        },
        {
          report_id: String(ids.reports[1]),
          code: 'CELL_BLANK',
          path: 'requests.granted.research',
          origin: 'extractor',
        },
        {
          report_id: String(ids.reports[1]),
          code: 'CARRYOVER_MISMATCH',
          path: 'requests.carried_over.total',
          origin: 'load',
        },
      ]);
      assert.deepEqual(await rows('SELECT DISTINCT agency_id FROM candidates'), [
        { agency_id: String(ids.agencies[0]) },
      ]);
    } finally {
      await pool.end();
      await db.drop();
      rmSync(path, { recursive: true, force: true });
    }
  });
});

/**
 * What the store before 012 left for 连生乡: two agencies (连生乡; 连生乡政府 for 绥滨县连生乡人民政府), a 2019 report on
 * the first, a 2020 report (printed 连生乡人民政府, carried_over.total 4 ≠ 2019's 3) and a listing entry on the second.
 */
async function oldDatabase(pool: pg.Pool): Promise<{ agencies: number[]; reports: number[] }> {
  const one = async (sql: string, params: unknown[] = []) => Number((await pool.query(sql, params)).rows[0].id);
  const agencies = [
    await one(`INSERT INTO agencies (region_code, norm_name, name, kind)
               VALUES ('230422', '连生乡', '连生乡', 'township') RETURNING id`),
    await one(`INSERT INTO agencies (region_code, norm_name, name, kind)
               VALUES ('230422', '连生乡政府', '绥滨县连生乡人民政府', 'township') RETURNING id`),
  ];
  const reports: number[] = [];
  for (const [index, [agency, printed, year, carriedOver, carriedForward]] of (
    [
      [agencies[0], '连生乡', 2019, 1, 3],
      [agencies[1], '连生乡人民政府', 2020, 3, 5],
    ] as const
  ).entries()) {
    const sha = createHash('sha256').update(`old ${index}`).digest('hex');
    await pool.query(
      `INSERT INTO documents (sha256, size, path, first_url) VALUES ($1, 1, $2, 'http://www.suibin.gov.cn/old')`,
      [sha, `${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}`],
    );
    const data = makeReport({ agency: printed, year, carriedOver, carriedForward });
    if (index === 1) data.requests!.carried_over!.total = 4;
    const id = await one(
      `INSERT INTO reports (document_sha256, extractor, extractor_version, agency_id, agency_name, region_code, year,
         template, source_url, data)
       VALUES ($1, $2, '0.1.0', $3, $4, '230422', $5, '2021', 'http://www.suibin.gov.cn/old', $6) RETURNING id`,
      [sha, data.extractor, agency, printed, year, JSON.stringify(data)],
    );
    await pool.query(
      `INSERT INTO report_flags (report_id, ord, code, severity, path, message, origin)
       SELECT $1, e.ord - 1, e.f->>'code', e.f->>'severity', e.f->>'path', e.f->>'message', 'extractor'
         FROM reports r, jsonb_array_elements(r.data->'flags') WITH ORDINALITY AS e(f, ord) WHERE r.id = $1`,
      [id],
    );
    reports.push(id);
  }
  const portal = await one(`INSERT INTO portals (base_url, region_code) VALUES ('http://www.suibin.gov.cn/', '230422')
                            RETURNING id`);
  await pool.query(
    `INSERT INTO candidates (portal_id, agency_id, agency_name, year, title, article_url)
     VALUES ($1, $2, '连生乡政府', 2020, 't', 'http://www.suibin.gov.cn/old.html')`,
    [portal, agencies[1]],
  );
  return { agencies, reports };
}
