// The template mapper on documents with known defects: each defect yields the value the document supports and
// the flag that says why, at the right path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extract } from '../../extractors/extract.ts';
import type { FlagCode, Report } from '../../extractors/report.ts';
import { randomReport } from '../../simulator/reports/random-report.ts';
import { renderText } from '../../simulator/reports/render.ts';
import { compareReports } from './compare.ts';

const base = randomReport(11, { template: '2021', inconsistent: false });
const text = renderText(base);
const run = (s: string) => extract(Buffer.from(s), { filename: 'r.txt' });
const flagsOf = (r: Report, code: FlagCode) => r.flags.filter((f) => f.code === code).map((f) => f.path);
const line = (s: string, label: string) => s.split('\n').find((l) => l.includes(label))!;

test('text round trip of random reports, both templates', async () => {
  for (let seed = 1; seed <= 30; seed++) {
    const want = randomReport(seed, { blankRate: seed % 3 ? 0 : 0.05 });
    const got = await run(renderText(want));
    assert.deepEqual(compareReports(got, { ...want, published_at: null }, { provenance: false }), [], `seed ${seed}`);
    assert.ok(
      got.cells.every((c) => typeof c.at.line === 'number'),
      'text cells carry their line',
    );
  }
});

test('PDF-style text (labels broken over lines, numbers on their own line) of random reports', async () => {
  for (let seed = 100; seed < 130; seed++) {
    const want = randomReport(seed);
    const got = await run(renderText(want, { style: 'pdf', seed }));
    assert.deepEqual(compareReports(got, { ...want, published_at: null }, { provenance: false }), [], `seed ${seed}`);
  }
});

test('placeholders and blanks: CELL_UNPARSEABLE keeps the raw text, CELL_BLANK is null', async () => {
  const row = line(text, '（一）予以公开').split('\t');
  const cells = row.length - 7;
  const patched = [...row.slice(0, cells), '—', '无', '', ...row.slice(cells + 3)].join('\t');
  const report = await run(text.replace(line(text, '（一）予以公开'), patched));
  assert.equal(report.requests!.granted!.natural_person, null);
  assert.equal(report.requests!.granted!.commercial, null);
  assert.equal(report.requests!.granted!.research, null);
  assert.deepEqual(flagsOf(report, 'CELL_UNPARSEABLE'), [
    'requests.granted.natural_person',
    'requests.granted.commercial',
  ]);
  assert.deepEqual(flagsOf(report, 'CELL_BLANK'), ['requests.granted.research']);
  assert.equal(report.cells.find((c) => c.path === 'requests.granted.commercial')!.raw, '无');
  // The blanked cells make the dependent checks uncomputable, so no mismatch is reported for them.
  assert.deepEqual(
    report.flags.filter((f) => /MISMATCH/.test(f.code) && /natural_person|commercial|research/.test(f.path ?? '')),
    [],
  );
});

test('8 numbers where 7 are expected: the arithmetic picks the alignment, and it is flagged', async () => {
  const granted = base.requests!.granted!;
  const values = ['natural_person', 'commercial', 'research', 'social_org', 'legal_service', 'other_org', 'total'].map(
    (c) => granted[c],
  );
  const wrong = (values[6] as number) + 5;
  const patched = `（一）予以公开\t${wrong}\t${values.join('\t')}`;
  const report = await run(text.replace(line(text, '（一）予以公开'), patched));
  assert.deepEqual(Object.values(report.requests!.granted!), values, 'the stray leading number is skipped');
  assert.deepEqual(flagsOf(report, 'ROW_EXTRA_VALUES'), ['requests.granted']);
});

test('a truncated table: ROW_MISSING for each absent row, rows left out, balance check skipped', async () => {
  const lines = text.split('\n');
  const cut = lines.findIndex((l) => l.includes('2.重复申请'));
  const end = lines.findIndex((l) => l.startsWith('四、政府信息公开行政复议'));
  const report = await run([...lines.slice(0, cut), '', ...lines.slice(end)].join('\n'));
  const missing = flagsOf(report, 'ROW_MISSING');
  assert.ok(
    missing.includes('requests.rejected_repeat') &&
      missing.includes('requests.carried_forward') &&
      missing.includes('requests.total'),
  );
  assert.ok(!('carried_forward' in report.requests!));
  assert.deepEqual(flagsOf(report, 'BALANCE_MISMATCH'), []);
  assert.equal(report.requests!.rejected_petition!.total, base.requests!.rejected_petition!.total);
});

test('inconsistent arithmetic is reported per column / row / group', async () => {
  const broken = structuredClone(base);
  broken.requests!.carried_forward!.research = (broken.requests!.carried_forward!.research as number) + 1;
  const report = await run(renderText(broken));
  assert.ok(flagsOf(report, 'BALANCE_MISMATCH').includes('requests.research'));
  assert.ok(flagsOf(report, 'ROW_TOTAL_MISMATCH').includes('requests.carried_forward.total'));
});

test('2019 tables in a report on 2022: TEMPLATE_OUTDATED; year conflict between title and 统计期限', async () => {
  const old = randomReport(5, { template: '2019', inconsistent: false });
  const rendered = renderText({ ...old, year: 2022, title: old.title!.replace(/\d{4}年/, '2022年') });
  const report = await run(rendered);
  assert.equal(report.template, '2019');
  assert.deepEqual(flagsOf(report, 'TEMPLATE_OUTDATED'), ['template']);
  const conflicting = await run(
    rendered.replace(/统计期限自2022年1月1日起至2022年12月31日止/, '统计期限自2021年1月1日起至2021年12月31日止'),
  );
  assert.equal(conflicting.year, 2022, 'the title year is kept');
  assert.deepEqual(flagsOf(conflicting, 'YEAR_CONFLICT'), ['year']);
});

test('no year in the title or 统计期限: the year before publication, flagged YEAR_INFERRED', async () => {
  const { renderHtml } = await import('../../simulator/reports/render.ts');
  const untitled = {
    ...base,
    title: `${base.agency}政府信息公开工作年度报告`,
    published_at: `${base.year! + 1}-01-20`,
  };
  const html = renderHtml(untitled).replace(/[^。>]*统计期限[^。<]*。?/g, '');
  assert.doesNotMatch(html, /统计期限/);
  const report = await extract(Buffer.from(html));
  assert.equal(report.year, base.year);
  assert.deepEqual(flagsOf(report, 'YEAR_INFERRED'), ['year']);
  assert.deepEqual(flagsOf(await extract(Buffer.from(renderHtml(base))), 'YEAR_INFERRED'), []);
});

test('a missing section heading: SECTION_MISSING', async () => {
  const report = await run(text.replace('五、存在的主要问题及改进情况', '').replace(base.sections.problems!, ''));
  assert.deepEqual(flagsOf(report, 'SECTION_MISSING'), ['sections.problems']);
});

test('prose report without tables: pre2019 or TEMPLATE_UNRECOGNIZED, never a made-up table', async () => {
  const report = await run(
    '某某县2016年政府信息公开工作年度报告\n一、概述\n本年度……\n二、主动公开政府信息的情况\n共公开信息120条。\n三、依申请公开政府信息和不予公开政府信息的情况\n无。\n四、政府信息公开的收费及减免情况\n无。\n五、因政府信息公开申请行政复议、提起行政诉讼的情况\n无。\n六、存在的主要问题及改进措施\n……\n',
  );
  assert.ok(['pre2019', 'unknown'].includes(report.template));
  assert.equal(report.requests, null);
  assert.equal(report.cells.length, 0);
});

test('a 年报解读 that copies the tables is still not the report; a page published before the year ended is a YEAR_CONFLICT', async () => {
  const { renderHtml } = await import('../../simulator/reports/render.ts');
  const report = await extract(Buffer.from(renderHtml({ ...base, title: `${base.title}解读` })));
  assert.deepEqual(flagsOf(report, 'NOT_A_REPORT'), [null]);
  assert.equal(report.cells.length, 0);
  const early = await extract(Buffer.from(renderHtml({ ...base, published_at: `${base.year}-06-01` })));
  assert.deepEqual(flagsOf(early, 'YEAR_CONFLICT'), ['year']);
  assert.equal(early.year, base.year);
});

test('a sentence ending in a number does not take the place of the table row', async () => {
  const { renderHtml } = await import('../../simulator/reports/render.ts');
  const html = renderHtml(base).replace(
    '二、主动公开政府信息情况</span></p>',
    '二、主动公开政府信息情况</span></p><p>本年度制发行政规范性文件 99</p>',
  );
  const report = await extract(Buffer.from(html));
  assert.deepEqual(report.active!.normative_documents, base.active!.normative_documents);
  assert.deepEqual(
    report.flags.filter((f) => f.path?.startsWith('active')),
    [],
  );
});

test('a navigation line "政府信息公开年报" before the article is not taken for the title', async () => {
  const { renderHtml } = await import('../../simulator/reports/render.ts');
  const html = renderHtml(base).replace(
    '<div class="TRS_Editor">',
    '<div class="TRS_Editor"><p><a href="/nb/">政府信息公开年报</a></p>',
  );
  const report = await extract(Buffer.from(html));
  assert.equal(report.title, base.title);
  assert.equal(report.agency, base.agency);
});

test('a mangled number ("0?") stays in its column as CELL_UNPARSEABLE; its neighbours keep their places', async () => {
  const lines = text.split('\n');
  const appealsHeading = lines.findIndex((l) => l.startsWith('四、政府信息公开行政复议'));
  const row = lines.findIndex((l, k) => k > appealsHeading && /^[\d\t-]+$/.test(l) && l.split('\t').length === 15);
  const cells = lines[row].split('\t');
  cells[1] = `${cells[1]}?`;
  lines[row] = cells.join('\t');
  const report = await run(lines.join('\n'));
  assert.equal(report.appeals!.review!.corrected, null);
  assert.deepEqual(flagsOf(report, 'CELL_UNPARSEABLE'), ['appeals.review.corrected']);
  assert.equal(report.appeals!.suit_after_review!.total, base.appeals!.suit_after_review!.total);
  assert.equal(report.cells.find((c) => c.path === 'appeals.review.corrected')!.raw, cells[1]);
});

test('a row label no template row is near (misread, garbled) is read by place only where one row is missing', async () => {
  const garbled = text.replace('3.危及“三安全一稳定”', '言运示');
  const got = await run(garbled);
  assert.deepEqual(got.requests?.denied_safety_stability, base.requests?.denied_safety_stability);
  const byPlace = got.flags.filter((f) => f.code === 'ROW_BY_POSITION');
  assert.deepEqual(
    byPlace.map((f) => f.path),
    ['requests.denied_safety_stability'],
  );
  assert.match(byPlace[0].message ?? '', /言运示/);
  // numbered without its dot, as OCR drops it ("2复请" for "2.重复申请"): still a label, read by place
  const dotless = await run(text.replace('3.危及“三安全一稳定”', '3运示'));
  assert.deepEqual(dotless.requests?.denied_safety_stability, base.requests?.denied_safety_stability);
  assert.deepEqual(flagsOf(dotless, 'ROW_BY_POSITION'), ['requests.denied_safety_stability']);
  // Two neighbouring rows unreadable: neither can be told by place, so both stay missing.
  const two = await run(garbled.replace('4.保护第三方合法权益', '卜口'));
  assert.equal(two.requests?.denied_safety_stability, undefined);
  assert.equal(two.requests?.denied_third_party, undefined);
  assert.deepEqual(flagsOf(two, 'ROW_BY_POSITION'), []);
  assert.ok(flagsOf(two, 'ROW_MISSING').includes('requests.denied_safety_stability'));
  // …unless each keeps its numbering, as OCR does where it garbles the words: the next rows in order, numbered so
  const numbered = await run(
    text.replace('3.危及“三安全一稳定”', '3.言运示').replace('4.保护第三方合法权益', '4.卜口'),
  );
  assert.deepEqual(numbered.requests?.denied_safety_stability, base.requests?.denied_safety_stability);
  assert.deepEqual(numbered.requests?.denied_third_party, base.requests?.denied_third_party);
  assert.deepEqual(flagsOf(numbered, 'ROW_BY_POSITION'), [
    'requests.denied_safety_stability',
    'requests.denied_third_party',
  ]);
  // a numbering that is not the next row's places nothing
  const skipped = await run(text.replace('3.危及“三安全一稳定”', '5.言运示').replace('4.保护第三方合法权益', '6.卜口'));
  assert.equal(skipped.requests?.denied_safety_stability, undefined);
  assert.equal(skipped.requests?.denied_third_party, undefined);
});

test('a table printed empty, also as the labels-only text of an export that drops empty cells: its rows, cells null, TABLE_BLANK', async () => {
  for (const template of ['2019', '2021'] as const) {
    const want = randomReport(7, { template, blankRate: 1 });
    const tabs = renderText(want);
    // One cell per line, empty cells dropped: only the header and row labels are left.
    const labelsOnly = tabs
      .split('\n')
      .flatMap((l) => l.split('\t'))
      .filter((l) => l.trim())
      .join('\n');
    for (const [name, text] of [
      ['tab table', tabs],
      ['labels only', labelsOnly],
    ]) {
      const got = await run(text);
      const diffs = compareReports(got, { ...want, published_at: null }, { provenance: false });
      assert.deepEqual(
        diffs.filter((d) => !/TABLE_BLANK/.test(d)),
        [],
        `${template} ${name}`,
      );
      assert.deepEqual(flagsOf(got, 'TABLE_BLANK').sort(), ['active', 'appeals', 'requests'], `${template} ${name}`);
      assert.deepEqual(flagsOf(got, 'TABLES_MISSING'), [], `${template} ${name}`);
    }
    // A stray number after a row label: which of the row's columns it was printed in cannot be told.
    const stray = labelsOnly.replace(/^(.*予以公开.*)$/m, '$1\n3');
    const got = await run(stray);
    assert.deepEqual(flagsOf(got, 'VALUES_UNPLACED'), ['requests.granted']);
    assert.ok(got.cells.every((c) => c.value === null));
  }
});

test('labels without values are no blank table where the section prints its numbers in prose or in a table', async () => {
  const report = randomReport(8, { template: '2021' });
  const got = await run(renderText(report));
  assert.deepEqual(flagsOf(got, 'TABLE_BLANK'), []);
  const prose = renderText(randomReport(8, { template: '2021', blankRate: 1 })).replace(
    /^(.*予以公开.*)$/m,
    '本年度共受理申请12件，其中予以公开8件。\n$1',
  );
  const read = await run(
    prose
      .split('\n')
      .flatMap((l) => l.split('\t'))
      .filter((l) => l.trim())
      .join('\n'),
  );
  assert.ok(!flagsOf(read, 'TABLE_BLANK').includes('requests'), 'a sentence with numbers in the section');
});
