// Load-time cross-report flags (CARRYOVER_MISMATCH, DUPLICATE_VERSION) do not depend on the order reports are loaded
// in, nor on loads running concurrently; supersedes add and remove them; data.flags and report_flags always agree.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { withTestStore, type TestStore } from '../helpers/db.ts';
import { openStore } from '../../db/store.ts';
import type { Report } from '../../extractors/report.ts';
import type { DocumentOrigin } from '../../core/origin.ts';
import { archiveDistinct, makeReport, type ReportSpec } from './fixtures.ts';

let testStore: TestStore;
before(async () => {
  testStore = await withTestStore();
});
after(async () => {
  await testStore?.cleanup();
});

const archived = (name: string) => archiveDistinct(testStore.store, 'flags', name);

/** A report whose carried_over / carried_forward rows are `co` / `cf` in every column, with optional overrides. */
function report(agency: string, year: number, spec: ReportSpec & { co?: Record<string, number | null> } = {}): Report {
  const report = makeReport({ agency, year, ...spec });
  Object.assign(report.requests!.carried_over!, spec.co ?? {});
  return report;
}

/**
 * The flags of each labelled document's current report, from report_flags, as `origin code path message` with
 * document hashes replaced by their labels (so two runs with different documents compare). Asserts that the stored
 * JSON holds the same flags in the same order.
 */
async function flagsByLabel(docs: Record<string, DocumentOrigin>): Promise<Record<string, string[]>> {
  const labels = new Map(Object.entries(docs).map(([l, c]) => [c.sha256.slice(0, 12), l]));
  const out: Record<string, string[]> = {};
  for (const [label, ctx] of Object.entries(docs)) {
    const cur = await testStore.store.currentReport(ctx.sha256);
    assert.ok(cur, `${label} loaded`);
    const { rows } = await testStore.store.pool.query(
      'SELECT ord, code, severity, path, message, origin FROM report_flags WHERE report_id = $1 ORDER BY ord',
      [cur.id],
    );
    assert.deepEqual(
      rows.map((r) => r.ord),
      rows.map((_, i) => i),
      `${label}: flag ords are 0..n-1`,
    );
    assert.deepEqual(
      rows.map((r) => [r.code, r.severity, r.path, r.message]),
      cur.report.flags.map((f) => [f.code, f.severity, f.path ?? null, f.message]),
      `${label}: report_flags = data.flags`,
    );
    out[label] = rows.map((row) =>
      `${row.origin} ${row.code} ${row.path ?? '-'} ${row.message}`.replace(
        /document ([0-9a-f]{12})/g,
        (_, h: string) => `document <${labels.get(h) ?? h}>`,
      ),
    );
  }
  return out;
}

const loadOnly = (flags: Record<string, string[]>) =>
  Object.fromEntries(Object.entries(flags).map(([k, v]) => [k, v.filter((l) => l.startsWith('load '))]));

function permutations<T>(items: T[]): T[][] {
  return items.length <= 1
    ? [items]
    : items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((p) => [x, ...p]));
}

let agencies = 0;
/** A fresh agency per scenario, so scenarios in one database do not see each other. */
const newAgency = () => `绥滨县测试${++agencies}号乡人民政府`;

describe('load-time flags', () => {
  test('CARRYOVER_MISMATCH: every load order of three years gives the same flags on every report', async () => {
    const results: Array<Record<string, string[]>> = [];
    for (const order of permutations(['2020', '2021', '2022'])) {
      const agency = newAgency();
      const reports: Record<string, Report> = {
        2020: report(agency, 2020, { carriedForward: 4 }),
        // 5 and 9 differ from 2020's 4; research is blank (skipped); the rest match.
        2021: report(agency, 2021, {
          carriedOver: 4,
          carriedForward: 6,
          co: { natural_person: 5, commercial: 9, research: null },
        }),
        2022: report(agency, 2022, { carriedOver: 6, co: { total: 7 } }),
      };
      const docs: Record<string, DocumentOrigin> = {};
      for (const y of ['2020', '2021', '2022']) docs[y] = await archived(`carry-${y}`);
      for (const y of order) await testStore.store.upsertReport(reports[y], docs[y]);
      results.push(await flagsByLabel(docs));
    }
    for (const result of results.slice(1)) assert.deepEqual(result, results[0]);
    assert.deepEqual(loadOnly(results[0]), {
      2020: [],
      2021: [
        'load CARRYOVER_MISMATCH requests.carried_over.natural_person 上年结转 5 ≠ 2020 document <2020> 结转下年度 4',
        'load CARRYOVER_MISMATCH requests.carried_over.commercial 上年结转 9 ≠ 2020 document <2020> 结转下年度 4',
      ],
      2022: ['load CARRYOVER_MISMATCH requests.carried_over.total 上年结转 7 ≠ 2021 document <2021> 结转下年度 6'],
    });
    // The extractor's own flags stay first and untouched.
    assert.deepEqual(results[0][2020], ['extractor CELL_BLANK requests.granted.research blank']);
  });

  test('DUPLICATE_VERSION on every copy, and the next year checked against each copy, in any load order', async () => {
    const results: Array<Record<string, string[]>> = [];
    for (const order of permutations(['A', 'B', 'N'])) {
      const agency = newAgency();
      const reports: Record<string, Report> = {
        A: report(agency, 2022, { carriedForward: 4 }),
        B: report(agency, 2022, { carriedForward: 4, co: {} }),
        N: report(agency, 2023, { carriedOver: 4 }),
      };
      reports.B.requests!.carried_forward!.other_org = 5; // a re-publication that corrected one number
      const docs: Record<string, DocumentOrigin> = {};
      for (const label of ['A', 'B', 'N']) docs[label] = await archived(`dup-${label}`);
      for (const label of order) await testStore.store.upsertReport(reports[label], docs[label]);
      results.push(await flagsByLabel(docs));
    }
    for (const result of results.slice(1)) assert.deepEqual(result, results[0]);
    assert.deepEqual(loadOnly(results[0]), {
      A: ['load DUPLICATE_VERSION - another document for this agency and year: document <B>'],
      B: ['load DUPLICATE_VERSION - another document for this agency and year: document <A>'],
      N: ['load CARRYOVER_MISMATCH requests.carried_over.other_org 上年结转 4 ≠ 2022 document <B> 结转下年度 5'],
    });
  });

  test('concurrent loads of neighbouring years and a duplicate over separate connections always end with the full set', async () => {
    const others = await Promise.all(
      [0, 1].map(() => openStore({ databaseUrl: testStore.url, home: testStore.home, log: () => {} })),
    );
    const stores = [testStore.store, ...others];
    try {
      const scenario = async (concurrent: boolean) => {
        const agency = newAgency();
        const loads: Array<[string, Report]> = [
          ['2020', report(agency, 2020, { carriedForward: 3 })],
          ['2021', report(agency, 2021, { carriedOver: 3, co: { commercial: 8 } })],
          ['2021bis', report(agency, 2021, { carriedOver: 3, co: { research: 7 } })],
        ];
        const docs: Record<string, DocumentOrigin> = {};
        for (const [label] of loads) docs[label] = await archived(`conc-${label}`);
        if (concurrent) await Promise.all(loads.map(([k, r], i) => stores[i].upsertReport(r, docs[k])));
        else
          for (const [label, report] of [...loads].reverse()) await testStore.store.upsertReport(report, docs[label]);
        return flagsByLabel(docs);
      };
      const expected = await scenario(false);
      assert.deepEqual(loadOnly(expected), {
        2020: [],
        2021: [
          'load CARRYOVER_MISMATCH requests.carried_over.commercial 上年结转 8 ≠ 2020 document <2020> 结转下年度 3',
          'load DUPLICATE_VERSION - another document for this agency and year: document <2021bis>',
        ],
        '2021bis': [
          'load CARRYOVER_MISMATCH requests.carried_over.research 上年结转 7 ≠ 2020 document <2020> 结转下年度 3',
          'load DUPLICATE_VERSION - another document for this agency and year: document <2021>',
        ],
      });
      for (let i = 0; i < 10; i++) assert.deepEqual(await scenario(true), expected, `concurrent round ${i + 1}`);
    } finally {
      await Promise.all(others.map((s) => s.close()));
    }
  });

  test('superseding one of two duplicates keeps exactly the right DUPLICATE_VERSION flags', async () => {
    const agency = newAgency();
    const docs = { A: await archived('sup-A'), B: await archived('sup-B') };
    const first = await testStore.store.upsertReport(report(agency, 2022), docs.A);
    await testStore.store.upsertReport(report(agency, 2022), docs.B);
    const both = {
      A: ['load DUPLICATE_VERSION - another document for this agency and year: document <B>'],
      B: ['load DUPLICATE_VERSION - another document for this agency and year: document <A>'],
    };
    assert.deepEqual(loadOnly(await flagsByLabel(docs)), both);

    // A newer extractor re-reads A: still two documents for 2022, so both current reports keep one flag each.
    const second = await testStore.store.upsertReport(
      { ...report(agency, 2022), extractor: 'nianbao-extract@0.2.0' },
      docs.A,
    );
    assert.equal(second.action, 'superseded');
    assert.deepEqual(loadOnly(await flagsByLabel(docs)), both);
    const dupRows = async () =>
      (
        await testStore.store.pool.query(
          `SELECT r.document_sha256 AS sha, r.status FROM report_flags f JOIN reports r ON r.id = f.report_id
        WHERE f.code = 'DUPLICATE_VERSION' AND r.agency_name = $1 ORDER BY r.id`,
          [agency],
        )
      ).rows;
    assert.deepEqual((await dupRows()).filter((r) => r.status === 'current').length, 2);
    // The superseded report keeps the flags it had (audit).
    assert.equal((await dupRows()).filter((r) => r.status === 'superseded' && r.sha === docs.A.sha256).length, 1);

    // A newer extractor finds B is the 2023 report: A is alone in 2022 and loses its flag; B is compared with A.
    const secondB = await testStore.store.upsertReport(
      { ...report(agency, 2023, { carriedOver: 2 }), extractor: 'nianbao-extract@0.2.0' },
      docs.B,
    );
    assert.equal(secondB.action, 'superseded');
    assert.deepEqual(loadOnly(await flagsByLabel(docs)), { A: [], B: [] });
    const flagRows = (
      await testStore.store.pool.query('SELECT flag_codes, infos FROM report_quality WHERE report_id = $1', [
        second.reportId,
      ])
    ).rows[0];
    assert.deepEqual([flagRows.flag_codes, Number(flagRows.infos)], [['CELL_BLANK'], 1]);
    assert.notEqual(first.reportId, second.reportId);
  });

  test('re-running a load (unchanged) repairs load-time flags an older store left out', async () => {
    const agency = newAgency();
    const docs = { 2020: await archived('fix-2020'), 2021: await archived('fix-2021') };
    await testStore.store.upsertReport(report(agency, 2020, { carriedForward: 4 }), docs[2020]);
    const r2021 = report(agency, 2021, { carriedOver: 5 });
    const { reportId } = await testStore.store.upsertReport(r2021, docs[2021]);
    const full = await flagsByLabel(docs);
    assert.equal(loadOnly(full)[2021].length, 7);
    // What the order-dependent store left when 2020 was loaded after 2021: no load-time flags on 2021.
    await testStore.store.pool.query(`DELETE FROM report_flags WHERE report_id = $1 AND origin = 'load'`, [reportId]);
    await testStore.store.pool.query(
      `UPDATE reports SET data = jsonb_set(data, '{flags}', (SELECT jsonb_agg(f) FROM jsonb_array_elements(data->'flags') f
         WHERE f->>'code' <> 'CARRYOVER_MISMATCH')) WHERE id = $1`,
      [reportId],
    );
    assert.deepEqual(loadOnly(await flagsByLabel(docs))[2021], []);
    assert.equal((await testStore.store.upsertReport(r2021, docs[2021])).action, 'unchanged');
    assert.deepEqual(await flagsByLabel(docs), full);
  });

  test('every report in the database: report_flags rows = data.flags, origin load exactly for the load-time codes', async () => {
    const { rows } = await testStore.store.pool.query(
      `SELECT r.id FROM reports r
        WHERE (SELECT coalesce(jsonb_agg(jsonb_build_array(f.ord, f.code, f.severity, f.path, f.message, f.origin = 'load') ORDER BY f.ord), '[]')
                 FROM report_flags f WHERE f.report_id = r.id)
              IS DISTINCT FROM
              (SELECT coalesce(jsonb_agg(jsonb_build_array(e.ord - 1, e.f->>'code', e.f->>'severity', e.f->>'path', e.f->>'message',
                        e.f->>'code' IN ('CARRYOVER_MISMATCH', 'DUPLICATE_VERSION')) ORDER BY e.ord), '[]')
                 FROM jsonb_array_elements(r.data->'flags') WITH ORDINALITY AS e(f, ord))`,
    );
    assert.deepEqual(rows, []);
    assert.ok(
      Number(
        (await testStore.store.pool.query(`SELECT count(*) AS n FROM report_flags WHERE origin = 'load'`)).rows[0].n,
      ) > 20,
    );
  });
});
