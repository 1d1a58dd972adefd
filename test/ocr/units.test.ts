// The OCR pieces that need no tesseract: TSV parsing, rasters, ruling lines and skew found in a drawn image, number
// columns settled with evidence, and the mapper's rule that a doubtful OCR cell is null unless arithmetic holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Cell, Flag, Row } from '../../extractors/report.ts';
import { parseTsv } from '../../extractors/readers/ocr/tesseract.ts';
import { readPgm, rotate, toPgm, turnUpright, type Gray } from '../../extractors/readers/ocr/image.ts';
import { eraseRulings, findRulings } from '../../extractors/readers/ocr/lines.ts';
import { skewDegrees } from '../../extractors/readers/ocr/deskew.ts';
import { settleNumberColumns, settleNumberRows } from '../../extractors/readers/ocr/cells.ts';
import { unreadMinus } from '../../extractors/readers/ocr/minus.ts';
import { applyRereads, noteConfidence, ocrConfidenceFlags, type Scored } from '../../extractors/template/confidence.ts';
import { turnBack } from '../../extractors/readers/pdf/orientation.ts';
import type { TableCell } from '../../extractors/model.ts';

/** A white page with a 3 × 3 grid of 1-px lines, each cell holding a dark 6 × 8 blob (a "digit"). */
function gridImage(): Gray {
  const width = 400;
  const height = 300;
  const data = new Uint8Array(width * height).fill(255);
  const ink = (x: number, y: number) => (data[y * width + x] = 0);
  for (const y of [50, 110, 170, 230]) for (let x = 50; x <= 350; x++) ink(x, y);
  for (const x of [50, 150, 250, 350]) for (let y = 50; y <= 230; y++) ink(x, y);
  for (const [left, top] of [
    [100, 80],
    [200, 140],
    [300, 200],
  ])
    for (let y = top; y < top + 8; y++) for (let x = left; x < left + 6; x++) ink(x, y);
  return { width, height, data };
}

test('tesseract TSV → words with pixel boxes, confidences and their line', () => {
  const tsv = [
    'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext',
    '1\t1\t0\t0\t0\t0\t0\t0\t1240\t1754\t-1\t',
    '5\t1\t1\t1\t2\t1\t100\t200\t30\t20\t96.5\t153',
    '5\t1\t1\t1\t2\t2\t140\t200\t30\t20\t-1\t ',
    '5\t1\t1\t1\t2\t3\t180\t201\t60\t22\t71\t予以公开',
  ].join('\n');
  assert.deepEqual(parseTsv(tsv), [
    { text: '153', x0: 100, y0: 200, x1: 130, y1: 220, conf: 96.5, line: '1.1.2' },
    { text: '予以公开', x0: 180, y0: 201, x1: 240, y1: 223, conf: 71, line: '1.1.2' },
  ]);
});

test('PGM round trip; a quarter turn moves pixels as orientation.ts turns a page', () => {
  const image: Gray = { width: 3, height: 2, data: Uint8Array.from([0, 1, 2, 3, 4, 5]) };
  assert.deepEqual(readPgm(toPgm(image)), image);
  assert.throws(() => readPgm(Buffer.from('P6\n1 1\n255\n\0\0\0')), /8-bit binary PGM/);
  for (const turns of [1, 2, 3] as const) {
    const turned = turnUpright(image, turns);
    const matrix = turnBack(turns, image.width - 1, image.height - 1);
    for (let y = 0; y < image.height; y++)
      for (let x = 0; x < image.width; x++) {
        const toX = matrix[0] * x + matrix[2] * y + matrix[4];
        const toY = matrix[1] * x + matrix[3] * y + matrix[5];
        assert.equal(turned.data[toY * turned.width + toX], image.data[y * image.width + x], `turns ${turns}`);
      }
  }
});

test('ruling lines are found in the raster, glyph-sized ink is not, and erasing leaves the glyphs', () => {
  const image = gridImage();
  const rulings = findRulings(image, 128, 40, 4);
  assert.equal(rulings.horizontals.length, 4);
  assert.equal(rulings.verticals.length, 4);
  assert.deepEqual(
    rulings.horizontals.map((seg) => [seg.x0, seg.x1, seg.y0]),
    [50, 110, 170, 230].map((y) => [50, 350, y]),
  );
  const erased = eraseRulings(image, rulings, 128);
  assert.equal(erased.data[50 * image.width + 200], 255, 'a border pixel is white');
  assert.equal(erased.data[82 * image.width + 102], 0, 'a glyph pixel is kept');
});

test('skew is measured to a tenth of a degree and rotating back straightens the lines', () => {
  const image = gridImage();
  const skewed = rotate(image, 1.5);
  const found = skewDegrees(skewed, 128);
  assert.ok(Math.abs(found - 1.5) <= 0.2, `found ${found}°`);
  assert.equal(skewDegrees(image, 128), 0);
  const straight = rotate(skewed, -found);
  assert.equal(findRulings(straight, 160, 200, 6).horizontals.length, 4);
});

const cell = (text: string, confidence?: number): Scored<TableCell> => ({
  text,
  at: { page: 1, bbox: [0, 0, 1, 1] },
  origin: true,
  rowspan: 1,
  colspan: 1,
  ...(confidence === undefined ? {} : { confidence }),
});

test('number columns: look-alike letters become digits only there, under the threshold; debris becomes "?"', () => {
  const rows = [
    [cell('信息内容', 0.9), cell('数量', 0.9), cell('金额', 0.9)],
    [cell('规章', 0.95), cell('12', 0.96), cell('1O', 0.95)],
    [cell('规范性文件', 0.95), cell('理工', 0.5), cell('30', 0.97)],
    [cell('行政许可', 0.95), cell('5', 0.96), cell('7', 0.97)],
    [cell('行政处罚', 0.95), cell('8', 0.96), cell('9', 0.97)],
    [cell('Sl', 0.95), cell('4', 0.96), cell('6', 0.97)],
  ];
  settleNumberColumns(rows);
  assert.equal(rows[1][2].text, '10');
  assert.ok(rows[1][2].confidence! < 0.9, 'a resolved look-alike needs arithmetic to stand');
  assert.equal(rows[2][1].text, '?');
  assert.equal(rows[5][0].text, 'Sl', 'a label column is left alone');
  const textLayer = [[cell('1O'), cell('12'), cell('13'), cell('14')]];
  settleNumberColumns(textLayer);
  assert.equal(textLayer[0][0].text, '1O', 'a text layer is never touched');
});

test('a row of numbers: a number with a speck read as a dot is the number, doubtful; other debris is "?"', () => {
  // section 四's one row, "15." between 5 and 5: taken for row numbering, it would shift 行政复议 onto the next group
  const row = [
    cell('3', 0.95),
    cell('4', 0.95),
    cell('5', 0.95),
    cell('15.', 0.95),
    cell('5', 0.95),
    cell('了', 0.6),
    cell('7', 0.95),
  ];
  settleNumberRows([row]);
  assert.deepEqual(
    row.map((c) => c.text),
    ['3', '4', '5', '15', '5', '?', '7'],
  );
  assert.ok(row[3].confidence! < 0.9, 'only arithmetic keeps it');
  const label = [cell('1.', 0.95), cell('5', 0.95)];
  settleNumberRows([label]);
  assert.equal(label[0].text, '1.', "a row's own numbering, first in the row, stays");
});

test('mapper: a doubtful OCR cell is null unless a check holds; a failing check nulls its OCR cells', () => {
  const columns = ['natural_person', 'commercial', 'research', 'social_org', 'legal_service', 'other_org', 'total'];
  const make = (row: string, values: number[], confidences: number[]) => {
    const cells: Cell[] = [];
    const table: Row = {};
    values.forEach((value, index) => {
      const model = cell(String(value), confidences[index]);
      noteConfidence(model);
      table[columns[index]] = value;
      cells.push({ path: `requests.${row}.${columns[index]}`, raw: String(value), value, at: model.at });
    });
    return { cells, table };
  };
  const sure = Array(7).fill(0.97);
  const holds = make('granted', [1, 2, 3, 4, 5, 6, 21], [0.5, ...sure.slice(1)]);
  const fails = make('partial', [1, 2, 3, 4, 5, 6, 22], sure);
  const unchecked = make('new', [1, 2, 3, 4, 5, 6, 0], [0.97, 0.6, 0.97, 0.97, 0.97, 0.97, 0.97]);
  // 'new' has no total to check against: give it one that cannot be computed (a text-layer null)
  unchecked.table.total = null;
  unchecked.cells.pop();
  const flags: Flag[] = [];
  const requests = { granted: holds.table, partial: fails.table, new: unchecked.table };
  ocrConfidenceFlags(
    { active: null, requests, appeals: null },
    [...holds.cells, ...fails.cells, ...unchecked.cells],
    flags,
  );
  assert.equal(requests.granted.natural_person, 1, 'a low-confidence cell confirmed by its row total stays');
  assert.ok(
    Object.values(requests.partial).every((v) => v === null),
    'a row whose total disagrees is null',
  );
  assert.equal(requests.new.commercial, null, 'a low-confidence cell with no check is null');
  assert.equal(requests.new.natural_person, 1);
  assert.equal(flags.filter((f) => f.code === 'OCR_LOW_CONFIDENCE').length, 8);
  assert.ok(flags.every((f) => f.severity === 'warning' && f.path));
});

test('mapper: a second reading is taken only when it alone makes a failing check hold', () => {
  const columns = ['natural_person', 'commercial', 'research', 'social_org', 'legal_service', 'other_org', 'total'];
  const run = (values: (number | null)[], rereads: Record<string, string>) => {
    const cells: Cell[] = [];
    const row: Row = {};
    const flags: Flag[] = [];
    values.forEach((value, index) => {
      const model = cell(value === null ? '' : String(value), value === null ? undefined : 0.97);
      noteConfidence(model);
      row[columns[index]] = value;
      const path = `requests.granted.${columns[index]}`;
      cells.push({ path, raw: model.text, value, at: model.at });
      if (value === null) flags.push({ code: 'CELL_BLANK', severity: 'info', path, message: 'blank cell' });
    });
    const tables = { active: null, requests: { granted: row }, appeals: null };
    applyRereads(tables, cells, flags, new Map(Object.entries(rereads).map(([c, t]) => [`requests.granted.${c}`, t])));
    ocrConfidenceFlags(tables, cells, flags);
    return { row, flags, cells };
  };
  // a speck read as a digit (433 for 33): the cell alone reads 33 and the row adds up
  const fixed = run([1, 2, 3, 4, 5, 433, 48], { other_org: '33', natural_person: '1' });
  assert.deepEqual(Object.values(fixed.row), [1, 2, 3, 4, 5, 33, 48]);
  assert.deepEqual(
    fixed.flags.map((f) => [f.code, f.path]),
    [['OCR_REREAD', 'requests.granted.other_org']],
  );
  assert.equal(fixed.cells.find((c) => c.path.endsWith('other_org'))?.raw, '33');
  // two second readings that each would make it hold: which cell was misread cannot be told
  const ambiguous = run([1, 2, 3, 4, 5, 6, 22], { natural_person: '2', total: '21' });
  assert.equal(ambiguous.row.natural_person, null);
  assert.equal(ambiguous.row.total, null);
  assert.deepEqual(
    ambiguous.flags.map((f) => f.code),
    ['OCR_LOW_CONFIDENCE', 'OCR_LOW_CONFIDENCE'],
  );
  // a row read shifted on the page (8 4 for 4 8): it adds up with the first readings and with the second, so the
  // cells the two ways differ on are not taken either way; the readings both ways take are
  const shifted = run([1, null, 8, 4, 2, 3, 9], { commercial: '8', research: '4', social_org: '8', total: '26' });
  assert.deepEqual(shifted.row, {
    natural_person: 1,
    commercial: 8,
    research: null,
    social_org: null,
    legal_service: 2,
    other_org: 3,
    total: 26,
  });
  assert.deepEqual(shifted.flags.map((f) => `${f.code} ${f.path?.split('.')[2]}`).sort(), [
    'OCR_LOW_CONFIDENCE research',
    'OCR_LOW_CONFIDENCE social_org',
    'OCR_REREAD commercial',
    'OCR_REREAD total',
  ]);
  // a cell the page reading left empty: its second reading completes the row, which then adds up
  const blank = run([1, 2, 3, 4, 5, null, 21], { other_org: '6' });
  assert.equal(blank.row.other_org, 6);
  assert.deepEqual(
    blank.flags.map((f) => f.code),
    ['OCR_REREAD'],
  );
  // a 0 read in an empty cell is no evidence (the row adds up with the cell blank): it stays blank
  const zero = run([1, 2, 3, 4, 5, null, 15], { other_org: '0' });
  assert.equal(zero.row.other_org, null);
  assert.deepEqual(
    zero.flags.map((f) => f.code),
    ['CELL_BLANK'],
  );
  // an empty cell that reads as a number no check confirms is not blank: null, flagged as a doubtful reading
  const unconfirmed = run([1, 2, 3, 4, 5, null, 21], { other_org: '9' });
  assert.equal(unconfirmed.row.other_org, null);
  assert.deepEqual(
    unconfirmed.flags.map((f) => [f.code, f.path]),
    [['OCR_LOW_CONFIDENCE', 'requests.granted.other_org']],
  );
});

test('a minus sign left out of a number word makes it doubtful; digits, brackets and empty space do not', () => {
  // 80 × 30 white, a cell border at x 4, a "1" drawn as a full-height bar at x 40–42, rows 6–23.
  const page = (extra: (x: number, y: number) => boolean): Gray => {
    const data = new Uint8Array(80 * 30).fill(255);
    for (let y = 0; y < 30; y++)
      for (let x = 0; x < 80; x++)
        if (x === 4 || (x >= 40 && x <= 42 && y >= 6 && y <= 23) || extra(x, y)) data[y * 80 + x] = 0;
    return { width: 80, height: 30, data };
  };
  const border = [{ x0: 4, y0: 0, x1: 4, y1: 29 }];
  const word = { text: '1', x0: 40, y0: 6, x1: 42, y1: 23, conf: 95, line: '1.1.1' };
  const dash = (x: number, y: number) => x >= 28 && x <= 35 && y >= 14 && y <= 15;
  assert.equal(unreadMinus(word, page(dash), border, 128).conf, 89, 'a dash left of the digits');
  // tesseract's box taking in the sign it did not read
  assert.equal(unreadMinus({ ...word, x0: 28 }, page(dash), border, 128).conf, 89, 'a dash inside the box');
  assert.equal(
    unreadMinus(
      word,
      page(() => false),
      border,
      128,
    ).conf,
    95,
    'nothing left of the digits',
  );
  const bracket = (x: number, y: number) => x === 32 && y >= 6 && y <= 23;
  assert.equal(unreadMinus(word, page(bracket), border, 128).conf, 95, 'a bracket has ink above and below');
  assert.equal(unreadMinus({ ...word, text: '-1' }, page(dash), border, 128).conf, 95, 'a sign that was read');
  assert.equal(unreadMinus({ ...word, conf: 70 }, page(dash), border, 128).conf, 70, 'already doubtful');
});
