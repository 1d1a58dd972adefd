// The review layer: corrections and flag verdicts keyed by (report key, path) survive re-extraction, retraction
// restores what was in force before, bad input gets a one-line error, and the extracted data is never touched.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { withTestStore, type TestStore } from '../helpers/db.ts';
import { makeReport } from './fixtures.ts';
import { InputError } from '../../core/errors.ts';
import {
  correctCell,
  NotFoundError,
  retractCorrection,
  reviewFlag,
  reviewsOf,
  type CorrectionInput,
  type FlagReviewInput,
} from '../../db/reviews.ts';
import type { Report } from '../../extractors/report.ts';

let testStore: TestStore;
before(async () => {
  testStore = await withTestStore();
});
after(async () => {
  await testStore?.cleanup();
});

const pool = () => testStore.store.pool;

/** Archives distinct bytes and loads `report` for them; returns the report key and the document origin. */
async function loaded(name: string, report: Report) {
  const url = `http://www.suibin.gov.cn/art/2022/1/20/${name}.html`;
  const fetchId = await testStore.store.recordFetch({ url, status: 200, fetchedAt: new Date(), headers: {} });
  const doc = await testStore.store.archiveDocument(Buffer.from(`<html>${name}</html>`), {
    url,
    contentType: 'text/html',
    fetchId,
  });
  const origin = { sha256: doc.sha256, url };
  const { reportId } = await testStore.store.upsertReport(report, origin);
  const key = (await pool().query('SELECT report_key FROM reports WHERE id = $1', [reportId])).rows[0].report_key;
  return { key: key as string, origin, reportId };
}

/** The report with one cell's value changed, in both the table and the cell list. */
function withValue(report: Report, path: string, value: number | null): Report {
  const copy = structuredClone(report);
  const [section, row, col] = path.split('.');
  (copy as any)[section][row][col] = value;
  const cell = copy.cells.find((c) => c.path === path)!;
  cell.value = value;
  cell.raw = value === null ? '' : String(value);
  return copy;
}

/** A digest of everything extracted: the review layer must never change it. */
async function extractedDigest(): Promise<string> {
  const { rows } = await pool().query(`SELECT
    (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY id), '')) FROM reports t) ||
    (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY report_id, ord), '')) FROM report_cells t) ||
    (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY report_id, ord), '')) FROM report_flags t) AS digest`);
  return rows[0].digest;
}

async function corrections(key: string) {
  return (await pool().query('SELECT * FROM v_corrections WHERE report_key = $1 ORDER BY path', [key])).rows;
}

const WANG = { reviewer: '王研究员' };

describe('review layer', () => {
  test('a correction survives re-extraction under the same key, with the new extracted value and stale right', async () => {
    const report = makeReport({ agency: '绥滨县连生乡人民政府' });
    const { key, origin, reportId } = await loaded('survive', report);
    assert.match(key, /^[0-9a-f]{16}$/);
    const digest = await extractedDigest();

    // Two cells corrected: one the next extractor version fixes, one it leaves alone.
    const fixed = await correctCell(pool(), key, {
      path: 'requests.new.commercial',
      value: 11,
      reason: '原表第二行第二列印为11，提取为1',
      ...WANG,
    });
    assert.deepEqual(
      [fixed.reportKey, fixed.path, fixed.extractedValue, fixed.extractedRaw, fixed.correctedValue, fixed.retracts],
      [key, 'requests.new.commercial', 1, '1', 11, null],
    );
    assert.equal(fixed.extractorVersionSeen, '0.1.0');
    const kept = await correctCell(pool(), key, {
      path: 'requests.granted.research',
      value: 4,
      reason: 'blank in the extraction, 4 in the PDF',
      ...WANG,
    });
    assert.equal(kept.extractedValue, null);
    const blanked = await correctCell(pool(), key, {
      path: 'active.regulations.in_force',
      value: null,
      reason: 'the page prints no number here',
      ...WANG,
    });
    assert.equal(blanked.correctedValue, null);
    assert.equal(await extractedDigest(), digest, 'corrections write nothing into the extracted tables');

    let rows = await corrections(key);
    assert.deepEqual(rows.map(summary), [
      ['active.regulations.in_force', 3, null, 3, false],
      ['requests.granted.research', null, 4, null, false],
      ['requests.new.commercial', 1, 11, 1, false],
    ]);
    assert.ok(rows.every((r) => Number(r.report_id) === reportId && r.extractor_version === '0.1.0'));

    // Re-extraction: a new report row, same key; the next version reads 11 where the reviewer said 11.
    const newer = await testStore.store.upsertReport(
      { ...withValue(report, 'requests.new.commercial', 11), extractor: 'nianbao-extract@0.2.0' },
      origin,
    );
    assert.equal(newer.action, 'superseded');
    assert.notEqual(newer.reportId, reportId);
    rows = await corrections(key);
    assert.deepEqual(rows.map(summary), [
      ['active.regulations.in_force', 3, null, 3, false],
      ['requests.granted.research', null, 4, null, false],
      ['requests.new.commercial', 11, 11, 1, true],
    ]);
    assert.ok(rows.every((r) => Number(r.report_id) === newer.reportId && r.extractor_version === '0.2.0'));
    assert.ok(rows.every((r) => r.extractor_version_seen === '0.1.0' && r.cell_present));
    assert.deepEqual(
      rows.map((r) => [r.reason, r.reviewer]),
      [
        ['the page prints no number here', '王研究员'],
        ['blank in the extraction, 4 in the PDF', '王研究员'],
        ['原表第二行第二列印为11，提取为1', '王研究员'],
      ],
    );
    assert.ok(rows.every((r) => r.created_at instanceof Date));

    // The superseded version is untouched: its cell still says what that extractor read.
    const old = await pool().query(`SELECT value FROM report_cells WHERE report_id = $1 AND path = $2`, [
      reportId,
      'requests.new.commercial',
    ]);
    assert.equal(num(old.rows[0].value), 1);

    // A cell the new version no longer has: stale, not present.
    const dropped = structuredClone(report);
    dropped.cells = dropped.cells.filter((c) => c.path !== 'appeals.review.upheld');
    await correctCell(pool(), key, { path: 'appeals.review.upheld', value: 2, reason: '复议维持2件', ...WANG });
    await testStore.store.upsertReport({ ...dropped, extractor: 'nianbao-extract@0.3.0' }, origin);
    const lost = (await corrections(key)).find((r) => r.path === 'appeals.review.upheld');
    assert.deepEqual([lost.cell_present, lost.stale, lost.extracted_value], [false, true, null]);
  });

  test('retraction: the previous correction is in force again, then the extraction; each only once', async () => {
    const { key } = await loaded('retract', makeReport({ agency: '绥滨县北岗乡人民政府' }));
    const path = 'requests.new.natural_person';
    const first = await correctCell(pool(), key, { path, value: 5, reason: 'first reading', ...WANG });
    const second = await correctCell(pool(), key, { path, value: 6, reason: 'second reading', reviewer: '李' });
    assert.equal(num((await corrections(key))[0].corrected_value), 6, 'the latest correction wins');

    const retraction = await retractCorrection(pool(), second.id, { reason: 'misread the row', reviewer: '李' });
    assert.deepEqual([retraction.retracts, retraction.correctedValue, retraction.path], [second.id, null, path]);
    let rows = await corrections(key);
    assert.deepEqual(
      rows.map((r) => [Number(r.correction_id), num(r.corrected_value)]),
      [[first.id, 5]],
    );

    await assert.rejects(
      retractCorrection(pool(), second.id, { reason: 'again', ...WANG }),
      oneLine(InputError, `correction ${second.id} is already retracted (by ${retraction.id})`),
    );
    await assert.rejects(
      retractCorrection(pool(), retraction.id, { reason: 'undo the undo', ...WANG }),
      oneLine(InputError, `entry ${retraction.id} is a retraction (of ${second.id}), not a correction`),
    );
    await assert.rejects(retractCorrection(pool(), 987654, { reason: 'x', ...WANG }), oneLine(NotFoundError, /987654/));

    await retractCorrection(pool(), first.id, { reason: 'the extraction was right', ...WANG });
    rows = await corrections(key);
    assert.equal(rows.length, 0);

    const reviews = await reviewsOf(pool(), key);
    assert.deepEqual(reviews.corrections, []);
    assert.deepEqual(
      reviews.history.corrections.map((c) => [c.correctedValue, c.retracts, c.reason]),
      [
        [5, null, 'first reading'],
        [6, null, 'second reading'],
        [null, second.id, 'misread the row'],
        [null, first.id, 'the extraction was right'],
      ],
    );
  });

  test('flag verdicts: the latest wins, and flag_still_present follows re-extraction', async () => {
    const report = makeReport({ agency: '绥滨县福兴乡人民政府' });
    const { key, origin } = await loaded('flags', report);
    const flag = { code: 'CELL_BLANK', path: 'requests.granted.research' };
    const confirmed = await reviewFlag(pool(), key, { ...flag, decision: 'confirmed', ...WANG });
    assert.deepEqual(
      [confirmed.decision, confirmed.reason, confirmed.extractorVersionSeen],
      ['confirmed', null, '0.1.0'],
    );
    await reviewFlag(pool(), key, { ...flag, decision: 'dismissed', reason: '  原表此格确为空  ', reviewer: '李' });
    let reviews = await reviewsOf(pool(), key);
    assert.deepEqual(
      reviews.flags.map((f) => [f.code, f.path, f.decision, f.reason, f.reviewer, f.flagStillPresent]),
      [['CELL_BLANK', 'requests.granted.research', 'dismissed', '原表此格确为空', '李', true]],
    );
    assert.equal(reviews.history.flagReviews.length, 2);

    await testStore.store.upsertReport({ ...report, flags: [], extractor: 'nianbao-extract@0.2.0' }, origin);
    reviews = await reviewsOf(pool(), key);
    assert.equal(reviews.extractorVersion, '0.2.0');
    assert.deepEqual(
      reviews.flags.map((f) => [f.decision, f.flagStillPresent, f.extractorVersionSeen]),
      [['dismissed', false, '0.1.0']],
    );
  });

  test('invalid input: one-line errors, nothing written', async () => {
    const { key } = await loaded(
      'invalid',
      makeReport({
        agency: '绥滨县忠仁镇人民政府',
        flags: [
          { code: 'CELL_BLANK', severity: 'info', path: 'requests.granted.research', message: 'blank' },
          { code: 'TEMPLATE_UNRECOGNIZED', severity: 'warning', message: 'whole report' },
        ],
      }),
    );
    const cell: CorrectionInput = { path: 'requests.new.commercial', value: 9, reason: 'why', reviewer: '王' };
    const flag: FlagReviewInput = {
      code: 'CELL_BLANK',
      path: 'requests.granted.research',
      decision: 'confirmed',
      reviewer: '王',
    };
    const countEntries = async () =>
      Number(
        (
          await pool().query(
            'SELECT (SELECT count(*) FROM cell_corrections) + (SELECT count(*) FROM flag_reviews) AS n',
          )
        ).rows[0].n,
      );
    const before = await countEntries();
    const digest = await extractedDigest();
    const cases: [() => Promise<unknown>, new (...a: any[]) => Error, RegExp][] = [
      [() => correctCell(pool(), 'ffffffffffffffff', cell), NotFoundError, /^unknown report key ffffffffffffffff$/],
      [
        () => correctCell(pool(), 'nope', cell),
        NotFoundError,
        /^unknown report key "nope" \(a key is 16 lowercase hex/,
      ],
      [
        () => correctCell(pool(), key, { ...cell, path: 'requests.new.nobody' }),
        InputError,
        /^requests\.new\.nobody is not a cell of report [0-9a-f]{16} \(extractor 0\.1\.0\)$/,
      ],
      [() => correctCell(pool(), key, { ...cell, reason: '   ' }), InputError, /^reason must not be blank$/],
      [() => correctCell(pool(), key, { ...cell, reason: undefined as any }), InputError, /^reason is required$/],
      [() => correctCell(pool(), key, { ...cell, reviewer: '' }), InputError, /^reviewer is required$/],
      [
        () => correctCell(pool(), key, { ...cell, reviewer: 'x'.repeat(101) }),
        InputError,
        /^reviewer is 101 characters long \(at most 100\)$/,
      ],
      [() => correctCell(pool(), key, { ...cell, reviewer: 'a\nb' }), InputError, /^reviewer must be one line$/],
      [
        () => correctCell(pool(), key, { ...cell, value: Number.NaN }),
        InputError,
        /^value must be a finite number or null \(blank\), not NaN$/,
      ],
      [() => correctCell(pool(), key, { ...cell, value: Infinity }), InputError, /^value must be a finite number/],
      [
        () => correctCell(pool(), key, { ...cell, value: '9' as any }),
        InputError,
        /^value must be a finite number or null \(blank\), not "9"$/,
      ],
      [
        () => correctCell(pool(), key, { ...cell, value: 1 }),
        InputError,
        /^requests\.new\.commercial is already extracted as 1: nothing to correct$/,
      ],
      [
        () => reviewFlag(pool(), key, { ...flag, code: 'ROW_TOTAL' }),
        InputError,
        /^report [0-9a-f]{16} does not raise flag ROW_TOTAL$/,
      ],
      [
        () => reviewFlag(pool(), key, { ...flag, path: 'requests.new.total' }),
        InputError,
        /raises CELL_BLANK at requests\.granted\.research, not at requests\.new\.total$/,
      ],
      [
        () => reviewFlag(pool(), key, { ...flag, path: undefined }),
        InputError,
        /raises CELL_BLANK at requests\.granted\.research: give the flag's path$/,
      ],
      [
        () => reviewFlag(pool(), key, { ...flag, decision: 'maybe' as any }),
        InputError,
        /^decision must be 'confirmed' or 'dismissed', not "maybe"$/,
      ],
      [() => reviewFlag(pool(), key, { ...flag, reviewer: '  ' }), InputError, /^reviewer must not be blank$/],
      [() => reviewFlag(pool(), 'ffffffffffffffff', flag), NotFoundError, /^unknown report key/],
      [() => reviewsOf(pool(), '0000000000000000'), NotFoundError, /^unknown report key 0000000000000000$/],
    ];
    for (const [attempt, type, message] of cases) await assert.rejects(attempt, oneLine(type, message));
    assert.equal(await countEntries(), before);
    assert.equal(await extractedDigest(), digest);

    // A flag on the whole report is named without a path.
    const whole = await reviewFlag(pool(), key, {
      code: 'TEMPLATE_UNRECOGNIZED',
      decision: 'confirmed',
      reviewer: '王',
    });
    assert.equal(whole.path, null);
  });

  test('the tables are append-only: Postgres refuses an update or delete', async () => {
    const { key } = await loaded('append', makeReport({ agency: '绥滨县新富乡人民政府' }));
    const entry = await correctCell(pool(), key, {
      path: 'requests.new.total',
      value: 60,
      reason: '合计有误',
      ...WANG,
    });
    await assert.rejects(
      pool().query('UPDATE cell_corrections SET corrected_value = 1 WHERE id = $1', [entry.id]),
      /cell_corrections is append-only/,
    );
    await assert.rejects(pool().query('DELETE FROM flag_reviews'), /flag_reviews is append-only/);
    // A retraction must name the same key and path as the correction it withdraws.
    await assert.rejects(
      pool().query(
        `INSERT INTO cell_corrections (report_key, path, reason, reviewer, extractor_version_seen, retracts)
         VALUES ($1, 'requests.new.commercial', 'x', 'y', '0.1.0', $2)`,
        [key, entry.id],
      ),
      /foreign key/,
    );
  });
});

/** A v_corrections row as [path, extracted, corrected, extracted at review, stale]. */
function summary(row: Record<string, any>) {
  return [row.path, num(row.extracted_value), num(row.corrected_value), num(row.extracted_value_at_review), row.stale];
}

function num(value: string | null): number | null {
  return value === null ? null : Number(value);
}

/** An assert.rejects validator: the error's type, a one-line message matching `message`. */
function oneLine(type: new (...a: any[]) => Error, message: string | RegExp) {
  return (err: Error) => {
    assert.ok(err instanceof type, `${err.name}: ${err.message} is not a ${type.name}`);
    assert.ok(!err.message.includes('\n'), `one line: ${err.message}`);
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  };
}
