// Property: PDF-style text where labels wrap around the number lines (numbers after, between the fragments, before
// the label, broken 4 + 3) never yields a wrong value without a flag on its row. Clean layouts read completely;
// damaged ones (a label reworded beyond recognition, a numbers line lost) cost nulls with a flag, never a shift.
// Measure the counts at scale: npx tsx test/extract/measure-wrapped.ts 300
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extract } from '../../extractors/extract.ts';
import { countShifts, distinctReport, renderHardText, type Damage, type ShiftCounts } from './pdf-layouts.ts';

const read = (s: string) => extract(Buffer.from(s), { filename: 'r.txt' });
const counts = (): ShiftCounts => ({ cells: 0, silentWrong: 0, flaggedWrong: 0, nulls: 0, examples: [] });

test('wrapped labels around number lines: 200 random reports, nothing wrong, almost everything read', async () => {
  const tally = counts();
  for (let seed = 1; seed <= 200; seed++) {
    const want = distinctReport(seed);
    const got = await read(renderHardText(want, seed));
    countShifts(got, want, tally, `seed ${seed}`);
    // The only flags: rows left empty because their numbers could not be placed, each saying so, and a row's numbering
    // read as an extra leading number ("3 283 183 …") that the row total leaves out.
    for (const flag of got.flags)
      assert.match(
        `${flag.code} ${flag.message}`,
        /^ROW_MISSING .*could belong to it or to a neighbouring row|^ROW_EXTRA_VALUES 8 values where 7 expected; read values 2–8, left out: \d$/,
        `seed ${seed}: ${flag.code} ${flag.path} ${flag.message}`,
      );
  }
  assert.ok(tally.cells > 30000);
  assert.deepEqual([tally.silentWrong, tally.flaggedWrong, tally.examples], [0, 0, []]);
  assert.ok(tally.nulls < tally.cells * 0.02, `nulls ${tally.nulls} of ${tally.cells}`);
});

for (const [name, damage] of [
  ['a label reworded', { reword: 0.1 }],
  ['a numbers line lost', { dropNumbers: 0.1 }],
] as Array<[string, Damage]>) {
  test(`${name}: 100 random reports, no value wrong without a flag`, async () => {
    const tally = counts();
    let unsure = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const want = distinctReport(seed);
      const got = await read(renderHardText(want, seed, undefined, damage));
      countShifts(got, want, tally, `seed ${seed}`);
      unsure += got.flags.filter(
        (f) => f.code === 'ROW_MISSING' && /could belong to it or to a neighbouring row/.test(f.message ?? ''),
      ).length;
      // A row left empty is said to be: every null where a number is printed has a flag on its row.
      for (const table of ['active', 'requests'] as const)
        for (const [row, wantRow] of Object.entries(want[table] ?? {}))
          if (Object.values(wantRow ?? {}).some((v) => v !== null) && !got[table]?.[row])
            assert.ok(
              got.flags.some((f) => f.path === `${table}.${row}`),
              `seed ${seed}: ${table}.${row} empty without a flag`,
            );
    }
    assert.deepEqual(tally.examples, []);
    assert.equal(tally.silentWrong, 0);
    // The damage must actually cost something, or this test proves nothing.
    assert.ok(tally.nulls > tally.cells * 0.03, `nulls ${tally.nulls} of ${tally.cells}`);
    if (damage.dropNumbers) assert.ok(unsure > 0, 'some rows are ambiguous and flagged as such');
  });
}

test('a numbers line between two rows with no other evidence is left empty with a flag, not guessed', async () => {
  // 规章's numbers are lost; one numbers line sits between 规章 and 行政规范性文件, both wrapped: whose is it?
  const doc = [
    '二、主动公开政府信息情况',
    '第二十条第（一）项',
    '信息内容 本年制发件数 本年废止件数 现行有效件数',
    '规',
    '章',
    '11 12 13',
    '行政规范',
    '性文件',
    '第二十条第（五）项',
    '信息内容 本年处理决定数量',
    '行政许可 5',
    '第二十条第（六）项',
    '信息内容 本年处理决定数量',
    '行政处罚 6',
    '行政强制 7',
    '第二十条第（八）项',
    '信息内容 本年收费金额（单位：万元）',
    '行政事业性收费 8',
    '三、收到和处理政府信息公开申请情况',
    '四、政府信息公开行政复议、行政诉讼情况',
    '五、存在的主要问题及改进情况',
    '六、其他需要报告的事项',
  ].join('\n');
  const report = await read(doc);
  assert.equal(report.active?.regulations, undefined);
  assert.equal(report.active?.normative_documents, undefined);
  for (const row of ['regulations', 'normative_documents'])
    assert.match(
      report.flags.find((f) => f.path === `active.${row}`)?.message ?? '',
      /could belong to it or to a neighbouring row/,
    );
  assert.deepEqual(
    [report.active?.licensing, report.active?.penalty, report.active?.coercion, report.active?.fees],
    [{ decisions: 5 }, { decisions: 6 }, { decisions: 7 }, { amount: 8 }],
  );
});

test('no section headings and a prose sentence ending in numbers: 60 random reports, no value wrong without a flag', async () => {
  const tally = counts();
  for (let seed = 1; seed <= 60; seed++) {
    const want = distinctReport(seed);
    // Tables found anywhere in the document: keywords also occur in prose ("制定规章 3 件" is not a row).
    const text = renderHardText(want, seed)
      .split('\n')
      .filter((l) => !/^(二、主动公开|三、收到和处理|四、政府信息公开行政)/.test(l))
      .join('\n')
      .replace(/(一、总体情况\n+)/, '$1我局制定规章 3 件，本年新收申请 12 件。\n');
    countShifts(await read(text), want, tally, `seed ${seed}`);
  }
  assert.deepEqual(tally.examples, []);
  assert.equal(tally.silentWrong, 0);
  assert.ok(tally.nulls < tally.cells * 0.5, `nulls ${tally.nulls} of ${tally.cells}`);
});

/** Section 二 of a 2019 report printed one cell per line, with `extra` lines after 规范性文件's numbers. */
function localRowDoc(extra: string[]): string {
  return [
    '二、主动公开政府信息情况',
    '第二十条第(一)项',
    '信息内容',
    '本年新',
    '制作数量',
    '本年新',
    '公开数量',
    '对外公开总数量',
    '规章(设区的市应提供相关数据)',
    '0',
    '0',
    '0',
    '规范性文件(行政机关制定发布的决定、公告、通告等公文)',
    '34',
    '4',
    '47',
    ...extra,
    '三、收到和处理政府信息公开申请情况',
    '四、政府信息公开行政复议、行政诉讼情况',
  ].join('\n\n');
}

test("a province's own row after a template row (其他主动公开文件) keeps its numbers: the row above is still read", async () => {
  const report = await read(
    localRowDoc(['其他主动公开文件(含以本单位名义签发的、除规范性文件以外的文件)', '5', '6', '7']),
  );
  assert.deepEqual(report.active?.normative_documents, { new_made: 34, new_published: 4, total_published: 47 });
  assert.deepEqual(report.active?.regulations, { new_made: 0, new_published: 0, total_published: 0 });
  assert.ok(!report.flags.some((f) => f.path === 'active.normative_documents'));
});

test('numbers under an unknown label where a template row of that table is still unread are not given away', async () => {
  // 行政许可 reworded beyond recognition, under its own table header: it may be that row, so its numbers stay in play.
  const report = await read(
    localRowDoc([
      '第二十条第(五)项',
      '信息内容',
      '上一年项目数量',
      '本年增/减',
      '处理决定数量',
      '审批类事项',
      '5',
      '6',
      '7',
    ]),
  );
  assert.equal(report.active?.normative_documents, undefined);
  assert.match(
    report.flags.find((f) => f.path === 'active.normative_documents')?.message ?? '',
    /could belong to it or to a neighbouring row/,
  );
});
