// Tables without ruling lines, rebuilt from text positions: numbers wrapped in narrow columns, label columns that
// nearly touch, labels across a merged cell, a table's last row alone on a page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import readPdf from '../../extractors/readers/pdf.ts';
import { positionalTables } from '../../extractors/readers/pdf/positional.ts';
import type { Item } from '../../extractors/readers/pdf/text.ts';

const SIZE = 10;
const DIGIT = 6.34;
/** A run of text whose baseline is at `baseline`, starting at `left` (digits 6.34 wide, CJK 10). */
const run = (str: string, left: number, baseline: number): Item => ({
  str,
  x0: left,
  x1: left + [...str].reduce((width, char) => width + (/[\d.]/.test(char) ? DIGIT : SIZE), 0),
  y0: baseline - SIZE,
  y1: baseline,
  size: SIZE,
});
const COLS = [213, 258, 303, 348, 393, 438, 484];
/** A row: its label at x 77.5 (2.3 pt lower, as LibreOffice sets it) and one number per column. */
const row = (label: string, baseline: number, numbers: string[]) => [
  run(label, 77.5, baseline + 2.3),
  ...numbers.map((num, col) => run(num, COLS[col], baseline)),
];
const cells = (items: Item[]) =>
  positionalTables(items).tables.map((table) => table.rows.map((r) => r.map((c) => c.text)));

test('a number too wide for its column wraps onto the next line: joined into one number', () => {
  const items = [
    ...row('一、本年新收', 60, ['105', '258', '135', '322', '634', '102', '1556']),
    ...row('二、上年结转', 81.3, ['10514', '25832', '13566', '32255', '63427', '10213', '34235']),
    // "105140", "102132", "342352" do not fit: their last digit prints on the next line, at the same left edge
    run('0', COLS[0], 93),
    run('2', COLS[5], 93),
    run('2', COLS[6], 93),
    ...row('三、予以公开', 110.3, ['11', '10', '23', '27', '20', '31', '99229']),
  ];
  assert.deepEqual(cells(items), [
    [
      ['一、本年新收', '105', '258', '135', '322', '634', '102', '1556'],
      ['二、上年结转', '105140', '25832', '13566', '32255', '63427', '102132', '342352'],
      ['三、予以公开', '11', '10', '23', '27', '20', '31', '99229'],
    ],
  ]);
});

test('numbers stacked in a column with room, or a full row right below: never joined', () => {
  const stacked = [
    ...row('一、本年新收', 60, ['10514', '258', '135', '322', '634', '102', '1556']),
    ...row('二、上年结转', 81.3, ['3', '25', '13', '32', '63', '10', '146']),
    // "4" under "3" where the column holds five digits: two numbers in one cell, left for the mapper to flag
    run('4', COLS[0], 93),
    ...row('三、予以公开', 110.3, ['11', '10', '23', '27', '20', '31', '122']),
  ];
  const [table] = cells(stacked);
  assert.ok(!table.some((cellsOfRow) => cellsOfRow.includes('34')), JSON.stringify(table));
  // rows set one line apart, every column filled: rows, not wraps
  const tight = [
    ...row('规章', 60, ['21', '32', '36', '1', '2', '3', '95']),
    ...row('行政规范性文件', 71.7, ['35', '27', '11', '4', '5', '6', '88']),
  ];
  assert.deepEqual(
    cells(tight)[0].map((cellsOfRow) => cellsOfRow[1]),
    ['21', '35'],
  );
});

test('a group label 5 pt left of the item labels is its own column; a label across both stays whole', () => {
  const items = [
    // "一、…" runs across both label columns (a merged cell), cut by the PDF into touching runs
    run('一、本年新', 77.5, 62.3),
    run('收政府信息公开', 127.5, 62.3),
    ...COLS.map((x, col) => run(String(40 + col), x, 60)),
    run('三、', 77.5, 90.3),
    run('（一）予以公开', 122.6, 90.3),
    ...COLS.map((x, col) => run(String(10 + col), x, 88)),
    run('本年度', 77.5, 104.8),
    run('（二）部分公开', 122.6, 118.3),
    ...COLS.map((x, col) => run(String(20 + col), x, 116)),
    run('（三）不予公开', 122.6, 146.3),
    ...COLS.map((x, col) => run(String(30 + col), x, 144)),
  ];
  const [table] = cells(items);
  assert.deepEqual(
    table.map((cellsOfRow) => cellsOfRow.slice(0, 2)),
    [
      ['一、本年新收政府信息公开', ''],
      ['三、本年度', '（一）予以公开'],
      ['', '（二）部分公开'],
      ['', '（三）不予公开'],
    ],
  );
});

test("a table's last row alone at the top of a page is still a table when it is wide", () => {
  const items = row('四、结转下年度继续办理', 60, ['1', '3', '4', '4', '6', '9', '27']);
  assert.deepEqual(cells(items), [[['四、结转下年度继续办理', '1', '3', '4', '4', '6', '9', '27']]]);
  // a short line of numbers alone (a date, a phone number) is not
  assert.deepEqual(cells([run('电话', 77.5, 62.3), run('0561', COLS[0], 60), run('3238810', COLS[1], 60)]), []);
});

test('a label cut by a page break joins its row; the numbers stay with it', async () => {
  const corpus = new URL('../corpus/office/unruled-seed-001.pdf', import.meta.url);
  const model = await readPdf(new Uint8Array(readFileSync(corpus)));
  const rows = model.blocks.flatMap((block) => (block.kind === 'table' ? block.rows : []));
  const row = rows.find((cellsOfRow) => cellsOfRow.some((cell) => cell.text.startsWith('2.申请人逾期')));
  assert.ok(row, 'the row is there');
  assert.deepEqual(row.map((cell) => cell.text).slice(-8), [
    '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
    '11',
    '2',
    '40',
    '21',
    '31',
    '40',
    '145',
  ]);
  // the carried lines are not left behind as paragraphs on the next page
  assert.ok(!model.blocks.some((block) => block.kind === 'paragraph' && block.text === '未按收'));
});
