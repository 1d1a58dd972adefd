// Loading reports: idempotence, supersede by extractor version, rejection of invalid reports, provenance,
// load-time cross-report flags, gap filling from the load context, concurrent loads, researcher views.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { withTestStore, type TestStore } from '../helpers/db.ts';
import { openStore } from '../../db/store.ts';
import { SchemaError } from '../../extractors/validate.ts';
import { makeReport } from './fixtures.ts';
import type { DocumentOrigin } from '../../core/origin.ts';

let testStore: TestStore;
before(async () => {
  testStore = await withTestStore();
});
after(async () => {
  await testStore?.cleanup();
});

const FETCHED = new Date('2024-03-01T08:00:00Z');

/** Records a fetch and archives distinct bytes for it: the documents row a report must point at. */
async function archived(name: string): Promise<DocumentOrigin> {
  const url = `http://www.suibin.gov.cn/art/2022/1/20/${name}.html`;
  const bytes = Buffer.from(`<html><body>${name}</body></html>`);
  const fetchId = await testStore.store.recordFetch({
    url,
    status: 200,
    fetchedAt: FETCHED,
    headers: { 'Content-Type': 'text/html' },
  });
  const doc = await testStore.store.archiveDocument(bytes, { url, contentType: 'text/html', fetchId });
  return { sha256: doc.sha256, url };
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  return Number((await testStore.store.pool.query(`SELECT count(*) AS n FROM ${sql}`, params)).rows[0].n);
}

async function counts() {
  return {
    reports: await count('reports'),
    cells: await count('report_cells'),
    sections: await count('report_sections'),
    flags: await count('report_flags'),
    agencies: await count('agencies'),
  };
}

describe('upsertReport', () => {
  test('loading the same document and extractor twice leaves one report; a higher version supersedes', async () => {
    const ctx = await archived('idem');
    const report = makeReport({ agency: '绥滨县北岗乡人民政府' });
    const first = await testStore.store.upsertReport(report, ctx);
    assert.equal(first.action, 'inserted');
    const again = await testStore.store.upsertReport(report, ctx);
    assert.deepEqual(again, { reportId: first.reportId, action: 'unchanged', superseded: [] });
    assert.equal(await count('reports WHERE document_sha256 = $1', [ctx.sha256]), 1);
    assert.equal(await count('report_cells WHERE report_id = $1', [first.reportId]), report.cells.length);

    const newer = await testStore.store.upsertReport({ ...report, extractor: 'nianbao-extract@0.2.0' }, ctx);
    assert.equal(newer.action, 'superseded');
    assert.deepEqual(newer.superseded, [first.reportId]);
    const rows = (
      await testStore.store.pool.query(
        'SELECT id, status, superseded_by, extractor_version FROM reports WHERE document_sha256 = $1 ORDER BY id',
        [ctx.sha256],
      )
    ).rows;
    assert.deepEqual(
      rows.map((r) => [Number(r.id), r.status, r.superseded_by && Number(r.superseded_by), r.extractor_version]),
      [
        [first.reportId, 'superseded', newer.reportId, '0.1.0'],
        [newer.reportId, 'current', null, '0.2.0'],
      ],
    );
    // The old rows stay for audit.
    assert.equal(await count('report_cells WHERE report_id = $1', [first.reportId]), report.cells.length);

    // Never regress: an older extractor (or the same one again) changes nothing.
    for (const version of ['0.1.0', '0.2.0', '0.1.9'])
      assert.deepEqual(
        await testStore.store.upsertReport({ ...report, extractor: `nianbao-extract@${version}` }, ctx),
        {
          reportId: newer.reportId,
          action: 'unchanged',
          superseded: [],
        },
      );
    assert.equal(await count('reports WHERE document_sha256 = $1', [ctx.sha256]), 2);
    assert.equal((await testStore.store.currentReport(ctx.sha256))?.id, newer.reportId);
    assert.equal((await testStore.store.currentReport(ctx.sha256))?.extractorVersion, '0.2.0');
  });

  test('an invalid report is rejected naming the field, and nothing is written', async () => {
    const ctx = await archived('invalid');
    const before = await counts();
    const bad = makeReport({ agency: '绥滨县某某局' }) as unknown as Record<string, any>;
    bad.requests.new.natural_person = '七';
    await assert.rejects(testStore.store.upsertReport(bad as any, ctx), (err: Error) => {
      assert.ok(err instanceof SchemaError);
      assert.match(err.message, /\/requests\/new\/natural_person must be number,null/);
      return true;
    });
    await assert.rejects(
      testStore.store.upsertReport({ ...makeReport(), template: '2020' } as any, ctx),
      /\/template must be equal to one of the allowed values/,
    );
    assert.deepEqual(await counts(), before);
  });

  test('a report for a document that was never archived is refused with the reason', async () => {
    const before = await counts();
    await assert.rejects(
      testStore.store.upsertReport(makeReport(), { sha256: 'f'.repeat(64), url: 'http://x.test/' }),
      /is not archived/,
    );
    assert.deepEqual(await counts(), before);
  });

  test('every cell keeps raw and at, and traces to document, URL and fetch time via v_cell_provenance', async () => {
    const ctx = await archived('provenance');
    const report = makeReport({ agency: '绥滨县绥东镇人民政府' });
    const { reportId } = await testStore.store.upsertReport(report, ctx);
    const { rows } = await testStore.store.pool.query(
      'SELECT * FROM v_cell_provenance WHERE report_id = $1 ORDER BY path',
      [reportId],
    );
    assert.equal(rows.length, report.cells.length);
    for (const row of rows) {
      const cell = report.cells.find((c) => c.path === row.path)!;
      assert.deepEqual(row.at, cell.at);
      assert.equal(row.raw, cell.raw);
      assert.equal(row.value === null ? null : Number(row.value), cell.value);
      assert.equal(row.document_sha256, ctx.sha256);
      assert.equal(row.source_url, ctx.url);
      assert.equal(row.document_first_url, ctx.url);
      assert.equal((row.fetched_at as Date).toISOString(), FETCHED.toISOString());
      assert.equal(row.report_status, 'current');
    }
    const blank = rows.find((r) => r.path === 'requests.granted.research');
    assert.deepEqual([blank.value, blank.raw], [null, '']);
    const flags = (
      await testStore.store.pool.query('SELECT code, severity, path, origin FROM report_flags WHERE report_id = $1', [
        reportId,
      ])
    ).rows;
    assert.deepEqual(flags, [
      { code: 'CELL_BLANK', severity: 'info', path: 'requests.granted.research', origin: 'extractor' },
    ]);
    const sections = (
      await testStore.store.pool.query('SELECT key FROM report_sections WHERE report_id = $1 ORDER BY key', [reportId])
    ).rows;
    assert.deepEqual(
      sections.map((s) => s.key),
      ['overview', 'problems'],
    );
  });

  test('region comes from the load context (portal, else SiteIDCode) and AGENCY_UNRESOLVED is dropped', async () => {
    const unresolved = [
      { code: 'AGENCY_UNRESOLVED' as const, severity: 'warning' as const, path: 'region_code', message: 'no county' },
    ];
    const fromPortal = await archived('ctx-portal');
    const loadedFromPortal = await testStore.store.upsertReport(
      makeReport({ agency: '连生乡人民政府', regionCode: null, year: null, flags: unresolved }),
      { ...fromPortal, regionCode: '230422', year: 2020, publishedAt: '2021-01-15' },
    );
    const cur = (await testStore.store.currentReport(fromPortal.sha256))!;
    assert.equal(cur.id, loadedFromPortal.reportId);
    assert.deepEqual(
      [cur.regionCode, cur.year, cur.report.region_code, cur.report.year, cur.report.published_at],
      ['230422', 2020, '230422', 2020, '2022-01-20'],
    );
    assert.ok(!cur.report.flags.some((f) => f.code === 'AGENCY_UNRESOLVED'));
    assert.equal(
      await count(`report_flags WHERE report_id = $1 AND code = 'AGENCY_UNRESOLVED'`, [loadedFromPortal.reportId]),
      0,
    );

    // SiteIDCode: its first 6 digits, when the registry knows them; the same body as above (printed with its county).
    const fromSite = await archived('ctx-site');
    const loadedFromSite = await testStore.store.upsertReport(
      makeReport({ agency: '绥滨县连生乡政府', regionCode: null, year: 2021, flags: unresolved }),
      { ...fromSite, siteIdCode: '2304220001' },
    );
    const agencyIds = (
      await testStore.store.pool.query('SELECT DISTINCT agency_id FROM reports WHERE id = ANY($1)', [
        [loadedFromPortal.reportId, loadedFromSite.reportId],
      ])
    ).rows;
    assert.equal(agencyIds.length, 1, '连生乡人民政府 and 绥滨县连生乡政府 in 230422 are one agency');

    // An unknown SiteIDCode prefix resolves nothing: the flag stays.
    const fromNowhere = await archived('ctx-unknown');
    const loadedFromNowhere = await testStore.store.upsertReport(
      makeReport({ agency: '某镇人民政府', regionCode: null, flags: unresolved }),
      {
        ...fromNowhere,
        siteIdCode: '9999990001',
      },
    );
    assert.equal(
      await count(`report_flags WHERE report_id = $1 AND code = 'AGENCY_UNRESOLVED'`, [loadedFromNowhere.reportId]),
      1,
    );
    assert.equal((await testStore.store.currentReport(fromNowhere.sha256))!.regionCode, null);
  });

  test('CARRYOVER_MISMATCH per column against the previous year of the same agency', async () => {
    const agency = '绥滨县忠仁镇人民政府';
    await testStore.store.upsertReport(
      makeReport({ agency, year: 2020, carriedForward: 4 }),
      await archived('carry-2020'),
    );
    // Same body printed differently (full-width space, 政府 for 人民政府): still the same agency.
    const ok = await testStore.store.upsertReport(
      makeReport({ agency: '绥滨县　忠仁镇政府', year: 2021, carriedOver: 4 }),
      await archived('carry-2021-ok'),
    );
    assert.equal(await count(`report_flags WHERE report_id = $1 AND code = 'CARRYOVER_MISMATCH'`, [ok.reportId]), 0);

    const report = makeReport({ agency, year: 2021, carriedOver: 4 });
    report.requests!.carried_over!.commercial = 9;
    report.requests!.carried_over!.research = null; // blank: skipped, not a mismatch
    const bad = await testStore.store.upsertReport(report, await archived('carry-2021-bad'));
    const flags = (
      await testStore.store.pool.query(
        `SELECT code, severity, path, message, origin FROM report_flags WHERE report_id = $1 AND code = 'CARRYOVER_MISMATCH'`,
        [bad.reportId],
      )
    ).rows;
    assert.equal(flags.length, 1);
    assert.equal(flags[0].path, 'requests.carried_over.commercial');
    assert.equal(flags[0].severity, 'warning');
    assert.equal(flags[0].origin, 'load');
    assert.match(flags[0].message, /9 .*2020.*4/);
    // The stored JSON says the same as the rows.
    const cur = (await testStore.store.currentReport(
      (await testStore.store.pool.query('SELECT document_sha256 FROM reports WHERE id = $1', [bad.reportId])).rows[0]
        .document_sha256,
    ))!;
    assert.ok(
      cur.report.flags.some((f) => f.code === 'CARRYOVER_MISMATCH' && f.path === 'requests.carried_over.commercial'),
    );

    // No previous year: nothing to compare.
    const lone = await testStore.store.upsertReport(
      makeReport({ agency: '绥滨县福兴乡人民政府', year: 2021, carriedOver: 7 }),
      await archived('carry-lone'),
    );
    assert.equal(await count(`report_flags WHERE report_id = $1 AND code = 'CARRYOVER_MISMATCH'`, [lone.reportId]), 0);
  });

  test('DUPLICATE_VERSION when another document reports the same agency and year', async () => {
    const agency = '绥滨县绥滨镇人民政府';
    const docA = await archived('dup-a');
    const first = await testStore.store.upsertReport(makeReport({ agency, year: 2022 }), docA);
    assert.equal(await count(`report_flags WHERE report_id = $1 AND code = 'DUPLICATE_VERSION'`, [first.reportId]), 0);
    const docB = await archived('dup-b');
    const second = await testStore.store.upsertReport(makeReport({ agency, year: 2022 }), docB);
    // Both copies carry it, each naming the other document (by hash: report ids differ between databases).
    for (const [id, other] of [
      [second.reportId, docA],
      [first.reportId, docB],
    ] as const) {
      const flags = (
        await testStore.store.pool.query(
          `SELECT severity, message, origin FROM report_flags WHERE report_id = $1 AND code = 'DUPLICATE_VERSION'`,
          [id],
        )
      ).rows;
      assert.equal(flags.length, 1);
      assert.deepEqual([flags[0].severity, flags[0].origin], ['info', 'load']);
      assert.match(flags[0].message, new RegExp(`document ${other.sha256.slice(0, 12)}`));
    }
    // A different year of the same agency is no duplicate.
    const other = await testStore.store.upsertReport(makeReport({ agency, year: 2023 }), await archived('dup-c'));
    assert.equal(await count(`report_flags WHERE report_id = $1 AND code = 'DUPLICATE_VERSION'`, [other.reportId]), 0);
  });

  test('concurrent loads of one document over separate connections (as from several workers) leave exactly one report', async () => {
    const ctx = await archived('concurrent');
    const others = await Promise.all(
      [0, 1, 2].map(() => openStore({ databaseUrl: testStore.url, home: testStore.home, log: () => {} })),
    );
    try {
      const report = makeReport({ agency: '绥滨县连生乡人民政府', year: 2019 });
      const results = await Promise.all(
        [testStore.store, ...others, testStore.store, ...others].map((s) => s.upsertReport(report, ctx)),
      );
      assert.equal(results.filter((r) => r.action === 'inserted').length, 1);
      assert.equal(new Set(results.map((r) => r.reportId)).size, 1);
      assert.equal(await count('reports WHERE document_sha256 = $1', [ctx.sha256]), 1);
      // And a concurrent upgrade supersedes once.
      const newer = { ...report, extractor: 'nianbao-extract@0.3.0' };
      const upgrades = await Promise.all([testStore.store, ...others].map((s) => s.upsertReport(newer, ctx)));
      assert.equal(upgrades.filter((r) => r.action === 'superseded').length, 1);
      assert.equal(await count(`reports WHERE document_sha256 = $1 AND status = 'current'`, [ctx.sha256]), 1);
    } finally {
      await Promise.all(others.map((s) => s.close()));
    }
  });

  test('views: one wide row per current report with readable column names', async () => {
    const ctx = await archived('views');
    const report = makeReport({ agency: '绥滨县人民政府', year: 2018 });
    const { reportId } = await testStore.store.upsertReport(report, ctx);
    await testStore.store.upsertReport({ ...report, extractor: 'nianbao-extract@0.9.0' }, ctx);
    const cur = (await testStore.store.currentReport(ctx.sha256))!;
    const req = (await testStore.store.pool.query('SELECT * FROM v_requests WHERE document_sha256 = $1', [ctx.sha256]))
      .rows;
    assert.equal(req.length, 1, 'the superseded report is not in the views');
    const wide = req[0];
    assert.equal(Number(wide.report_id), cur.id);
    assert.notEqual(cur.id, reportId);
    assert.deepEqual(
      [
        wide.agency,
        wide.region_code,
        wide.county,
        wide.prefecture,
        wide.province,
        wide.year,
        wide.template,
        wide.agency_kind,
      ],
      ['绥滨县人民政府', '230422', '绥滨县', '鹤岗市', '黑龙江省', 2018, '2021', 'government'],
    );
    for (const [row, cols] of Object.entries(report.requests!))
      for (const [col, value] of Object.entries(cols!))
        assert.equal(wide[`${row}_${col}`] === null ? null : Number(wide[`${row}_${col}`]), value, `${row}_${col}`);
    assert.equal(Number(wide.new_natural_person), 0);
    assert.equal(Number(wide.carried_forward_total), 2);
    assert.ok('other_no_fee_total' in wide && 'other_total' in wide, '2019 and 2021 rows both have columns');
    assert.equal(wide.other_total, null);
    assert.equal(
      Object.keys(wide).filter((key) =>
        /_(natural_person|commercial|research|social_org|legal_service|other_org|total)$/.test(key),
      ).length,
      26 * 7,
    );

    const act = (await testStore.store.pool.query('SELECT * FROM v_active WHERE report_id = $1', [cur.id])).rows[0];
    assert.deepEqual(
      [act.regulations_in_force, act.licensing_decisions, act.regulations_new_made].map((x) => x && Number(x)),
      [3, 12, null],
    );
    const app = (await testStore.store.pool.query('SELECT * FROM v_appeals WHERE report_id = $1', [cur.id])).rows[0];
    assert.deepEqual(
      [app.review_upheld, app.review_total, app.suit_direct_total].map((x) => x && Number(x)),
      [1, 1, null],
    );
    assert.equal(Object.keys(app).filter((k) => /^(review|suit_direct|suit_after_review)_/.test(k)).length, 15);

    const quality = (await testStore.store.pool.query('SELECT * FROM report_quality WHERE report_id = $1', [cur.id]))
      .rows[0];
    assert.deepEqual(
      [
        Number(quality.errors),
        Number(quality.warnings),
        Number(quality.infos),
        quality.flag_codes,
        Number(quality.cells),
        Number(quality.cells_null),
      ],
      [0, 0, 1, ['CELL_BLANK'], report.cells.length, 1],
    );
  });
});
