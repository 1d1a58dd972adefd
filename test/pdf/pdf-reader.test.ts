// The PDF reader on the special cases: scans, non-embedded CJK fonts, unreadable files, provenance, tables without
// ruling lines, wrapped numbers and page breaks inside tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import readPdf from '../../extractors/readers/pdf.ts';
import type { TableBlock, TextBlock } from '../../extractors/model.ts';
import { extract } from '../../extractors/extract.ts';
import { InputError } from '../../core/errors.ts';
import { cellText, type Line } from '../../extractors/readers/pdf/text.ts';
import { join as joinParts, toGrid, type TablePart } from '../../extractors/readers/pdf/tables.ts';
import { nonEmbeddedCjkPdf } from '../gen/office/handmade.ts';
import { ocrAvailability } from '../../extractors/readers/ocr/engine.ts';

const CORPUS = join(dirname(fileURLToPath(import.meta.url)), '..', 'corpus', 'office');
const file = (n: string) => new Uint8Array(readFileSync(join(CORPUS, n)));
const tables = (model: { blocks: Array<TextBlock | TableBlock> }) =>
  model.blocks.filter((b): b is TableBlock => b.kind === 'table');
const texts = (t: TableBlock) => t.rows.map((r) => r.map((c) => c.text));

test('a scan (image, no text) is read by OCR, or flagged NO_TEXT_LAYER + OCR_UNAVAILABLE where OCR cannot run', async () => {
  const ocr = 'engine' in (await ocrAvailability());
  const model = await readPdf(file('special-scan.pdf'));
  const report = await extract(file('special-scan.pdf'), { filename: 'scan.pdf' });
  if (ocr) {
    assert.ok(model.flags.some((f) => f.code === 'OCR_USED'));
    assert.ok(!report.flags.some((f) => f.code === 'NO_TEXT_LAYER'));
    assert.ok(report.cells.length > 0, 'the OCR words reach the mapper');
  } else {
    assert.deepEqual(model.flags.map((f) => f.code).sort(), ['NO_TEXT_LAYER', 'OCR_UNAVAILABLE']);
    assert.equal(model.blocks.length, 0);
    assert.ok(report.flags.some((f) => f.code === 'NO_TEXT_LAYER' && f.severity === 'error'));
    assert.equal(report.cells.length, 0);
  }
});

test('a non-embedded STSong-Light font reads through the CMaps', async () => {
  const model = await readPdf(file('special-cjk-font.pdf'));
  const paras = model.blocks.filter((b): b is TextBlock => b.kind === 'paragraph').map((b) => b.text);
  assert.deepEqual(paras, ['某县2022年政府信息公开工作年度报告', '二、主动公开政府信息情况']);
  assert.deepEqual(texts(tables(model)[0]), [
    ['信息内容', '本年制发件数', '本年废止件数', '现行有效件数'],
    ['规章', '12', '3', '45'],
    ['行政规范性文件', '6', '1', '78'],
  ]);
  assert.deepEqual(model.flags, []);
});

test('a table without ruling lines is rebuilt from text positions', async () => {
  const bytes = nonEmbeddedCjkPdf({
    paragraphs: ['二、主动公开政府信息情况'],
    table: {
      ruled: false,
      widths: [150, 90, 90, 90],
      rows: [
        ['规章', '12', '3', '45'],
        ['行政规范性文件', '6', '', '78'],
        ['行政许可', '105', '0', '7'],
      ],
    },
  });
  const [table] = tables(await readPdf(new Uint8Array(bytes)));
  assert.ok(table, 'a table is found');
  assert.deepEqual(texts(table), [
    ['规章', '12', '3', '45'],
    ['行政规范性文件', '6', '', '78'],
    ['行政许可', '105', '0', '7'],
  ]);
  assert.equal(table.rows[0][1].at.page, 1);
});

test('borders drawn as thin filled rectangles (Word, WPS) are ruling lines too', async () => {
  const bytes = nonEmbeddedCjkPdf({
    paragraphs: ['二、主动公开政府信息情况'],
    table: {
      borders: 'fill',
      widths: [150, 90, 90, 90],
      rows: [
        ['信息内容', '本年制发件数', '本年废止件数', '现行有效件数'],
        ['规章', '12', '', '45'],
      ],
    },
  });
  const [table] = tables(await readPdf(new Uint8Array(bytes)));
  assert.deepEqual(texts(table), [
    ['信息内容', '本年制发件数', '本年废止件数', '现行有效件数'],
    ['规章', '12', '', '45'],
  ]);
  const box = table.rows[1][1].at.bbox!;
  assert.ok(Math.abs(box[0] - 210) < 1 && Math.abs(box[2] - 300) < 1, `cell box ${box}`);
});

test('encrypted, truncated, corrupt and non-PDF input give InputError with the reason', async () => {
  await assert.rejects(
    readPdf(file('special-encrypted.pdf')),
    (e: Error) => e instanceof InputError && /encrypted/.test(e.message),
  );
  await assert.rejects(
    readPdf(file('special-truncated.pdf')),
    (e: Error) => e instanceof InputError && /truncated/.test(e.message),
  );
  const garbage = Buffer.from(
    '%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\nthis is not a pdf body\n%%EOF\n',
    'latin1',
  );
  await assert.rejects(
    readPdf(new Uint8Array(garbage)),
    (e: Error) => e instanceof InputError && /PDF/.test(e.message),
  );
  await assert.rejects(
    readPdf(new Uint8Array(Buffer.from('<html>not a pdf</html>'))),
    (e: Error) => e instanceof InputError && /not a PDF/.test(e.message),
  );
});

test('every cell of a report read from PDF points at its page and box', async () => {
  const report = await extract(file('seed-001.pdf'), { filename: 'seed-001.pdf' });
  assert.ok(report.cells.length > 150);
  for (const cell of report.cells) {
    assert.ok(Number.isInteger(cell.at.page) && cell.at.page! >= 1, `${cell.path} page`);
    const box = cell.at.bbox!;
    assert.ok(
      box.length === 4 && box[0] < box[2] && box[1] < box[3] && box[2] <= 595.5 && box[3] <= 842.5,
      `${cell.path} bbox ${box}`,
    );
  }
  // the printed raw text at that spot is the value
  const total = report.cells.find((c) => c.path === 'requests.new.total')!;
  assert.equal(total.raw, String(total.value));
});

test('tables cut by page breaks come back whole, with merged cells expanded', async () => {
  const model = await readPdf(file('random-000.pdf'));
  const found = tables(model);
  assert.equal(found.length, 3, 'sections 二, 三 and 四: one table each');
  const requestsTable = found[1];
  const pages = new Set(requestsTable.rows.flat().map((c) => c.at.page));
  assert.ok(pages.size >= 2, 'section 三 spans pages');
  const labels = requestsTable.rows.map((r) => r[2].text);
  assert.ok(labels.includes('2.其他法律行政法规禁止公开'), 'a label split by the break is one label again');
  for (const row of requestsTable.rows) assert.equal(row.length, requestsTable.rows[0].length, 'rectangular');
  const merged = requestsTable.rows.flat().filter((c) => !c.origin);
  assert.ok(
    merged.length > 0 && merged.every((c) => c.text === requestsTable.rows[c.at.row!][c.at.col!].text),
    'copies repeat their origin',
  );
  assert.ok(
    requestsTable.rows.slice(4).every((r) => r[0].text === '三、本年度办理结果' || /^四|^[一二]、/.test(r[0].text)),
    'the merged 办理结果 label is carried across pages',
  );
});

const line = (text: string, left: number, right: number, y = 0): Line => ({
  text,
  x0: left,
  x1: right,
  y0: y,
  y1: y + 10,
  size: 10,
  items: [],
});

test('digits broken by a wrap are one number; digits stacked in a wide cell stay apart', () => {
  // cell 22.3 wide, 5.5 padding: room for one digit (6.4) but not two
  assert.deepEqual(cellText([line('2', 105.5, 111.9), line('8', 105.5, 111.9, 12)], 22.3, 5.5), {
    text: '28',
    full: true,
  });
  assert.deepEqual(cellText([line('217', 5.5, 24.7), line('08', 5.5, 18.3, 12)], 30, 5.5), {
    text: '21708',
    full: false,
  });
  assert.equal(cellText([line('217', 5.5, 24.7)], 30, 5.5).full, true);
  assert.deepEqual(cellText([line('12', 5.5, 18.3), line('5', 5.5, 11.9, 12)], 60, 5.5), { text: '12 5', full: false });
  assert.equal(cellText([line('法律服务机', 0, 50), line('构', 0, 10, 12)], 60, 2).text, '法律服务机构');
});

const part = (page: number, rows: Array<Array<[string, number, number, boolean?]>>, colX: number[]): TablePart => ({
  page,
  lastPage: page,
  y0: 0,
  x0: colX[0],
  x1: colX[colX.length - 1],
  rows: rows.length,
  colX,
  breaks: [],
  cells: rows.flatMap((row, rowIndex) =>
    row.map(([text, left, right, full]) => ({
      text,
      page,
      bbox: [left, rowIndex, right, rowIndex + 1] as [number, number, number, number],
      row: rowIndex,
      rowspan: 1,
      x0: left,
      x1: right,
      full: !!full,
    })),
  ),
});

test('a row split by a page break is rejoined only on clear evidence', () => {
  const cols = [0, 100, 130, 160];
  const upper = part(
    1,
    [
      [
        ['1.属于国家秘密', 0, 100],
        ['3', 100, 130],
        ['4', 130, 160],
      ],
      [
        ['2.其他法律行政法', 0, 100],
        ['217', 100, 130, true],
        ['5', 130, 160],
      ],
    ],
    cols,
  );
  const rest = part(
    2,
    [
      [
        ['规禁止公开', 0, 100],
        ['08', 100, 130],
        ['', 130, 160],
      ],
      [
        ['3.危及安全', 0, 100],
        ['1', 100, 130],
        ['2', 130, 160],
      ],
    ],
    cols,
  );
  assert.deepEqual(
    toGrid(joinParts(upper, rest)).map((r) => r.map((c) => c.text)),
    [
      ['1.属于国家秘密', '3', '4'],
      ['2.其他法律行政法规禁止公开', '21708', '5'],
      ['3.危及安全', '1', '2'],
    ],
  );
  // a number under a number that did not fill its cell: two rows
  const numberBelow = part(
    2,
    [
      [
        ['规禁止公开', 0, 100],
        ['8', 100, 130],
        ['', 130, 160],
      ],
    ],
    cols,
  );
  const upperShort = part(
    1,
    [
      [
        ['2.其他', 0, 100],
        ['21', 100, 130],
        ['5', 130, 160],
      ],
    ],
    cols,
  );
  assert.equal(toGrid(joinParts(upperShort, numberBelow)).length, 2);
  // a first row with its own enumerator: a new row, even when only the label is there
  const enumerated = part(
    2,
    [
      [
        ['3.危及安全', 0, 100],
        ['', 100, 130],
        ['', 130, 160],
      ],
    ],
    cols,
  );
  assert.equal(toGrid(joinParts(upper, enumerated)).length, 3);
  // the old half reads only its enumerator (a scan lost "补正" of "3.补正"): the label's words go on over the break
  const enumeratorOnly = part(
    1,
    [
      [
        ['3', 0, 100],
        ['47', 100, 130],
        ['268', 130, 160],
      ],
    ],
    cols,
  );
  const words = part(
    2,
    [
      [
        ['后申请内容仍不明确', 0, 100],
        ['', 100, 130],
        ['', 130, 160],
      ],
    ],
    cols,
  );
  assert.deepEqual(
    toGrid(joinParts(enumeratorOnly, words)).map((r) => r.map((c) => c.text)),
    [['3后申请内容仍不明确', '47', '268']],
  );
  // …but a number above a placeholder in its column is two rows
  const placeholder = part(
    2,
    [
      [
        ['无', 0, 100],
        ['', 100, 130],
        ['', 130, 160],
      ],
    ],
    cols,
  );
  assert.equal(toGrid(joinParts(enumeratorOnly, placeholder)).length, 2);
});

test('a header row repeated on the new page is dropped', () => {
  const cols = [0, 100, 130];
  const upper = part(
    1,
    [
      [
        ['信息内容', 0, 100],
        ['数量', 100, 130],
      ],
      [
        ['规章', 0, 100],
        ['1', 100, 130],
      ],
    ],
    cols,
  );
  const lower = part(
    2,
    [
      [
        ['信息内容', 0, 100],
        ['数量', 100, 130],
      ],
      [
        ['行政许可', 0, 100],
        ['2', 100, 130],
      ],
    ],
    cols,
  );
  assert.deepEqual(
    toGrid(joinParts(upper, lower)).map((r) => r.map((c) => c.text)),
    [
      ['信息内容', '数量'],
      ['规章', '1'],
      ['行政许可', '2'],
    ],
  );
});
