// The reader-model view of DOCX/DOC/text sources: a text document's cells say only {line}, shared by a whole table
// row, so the marked cell must be the one on that line printing the value; every value of a real text report marks
// exactly one cell, in the row of its label and with its raw text. DOC and DOCX reports: the {table,row,col} cell.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as cheerio from 'cheerio';
import { extract } from '../../extractors/extract.ts';
import { readText } from '../../extractors/readers/text.ts';
import { readerFor } from '../../extractors/readers/index.ts';
import { detectFormat } from '../../extractors/detect-format.ts';
import { renderModel } from '../../serve/source/model-view.ts';

const FILE = fileURLToPath(new URL('../corpus/variety/labels-001.txt', import.meta.url));

test('a text report: each value marks the one cell on its line that prints it', async () => {
  const bytes = await readFile(FILE);
  const model = readText(bytes.toString('utf8'));
  const report = await extract(bytes, { filename: FILE });
  const cells = report.cells.filter((cell) => cell.raw && cell.label);
  assert.ok(cells.length > 100);
  for (const cell of cells) {
    const { html, found } = renderModel(model, cell.at, cell.raw);
    assert.ok(found, cell.path);
    const $ = cheerio.load(html.text);
    const marked = $('#nianbao-cell');
    assert.equal(marked.length, 1, cell.path);
    assert.equal(marked.text(), cell.raw, cell.path);
    // the row of the marked cell holds the printed label the value was matched by
    const row = marked.closest('tr').text().replace(/\s+/g, '').normalize('NFKC');
    assert.ok(row.includes(cell.label!.slice(-6)), `${cell.path}: ${row} lacks ${cell.label}`);
  }
});

for (const file of ['office/seed-000.doc', 'office/seed-000.docx'])
  test(`a ${file.split('.').pop()!.toUpperCase()} report: each value marks its {table,row,col} cell, in its label's row`, async () => {
    const path = fileURLToPath(new URL(`../corpus/${file}`, import.meta.url));
    const bytes = await readFile(path);
    const model = await (await readerFor(detectFormat(bytes, { filename: path })))(bytes, { filename: path });
    const report = await extract(bytes, { filename: path });
    const cells = report.cells.filter((cell) => cell.raw && cell.at.table !== undefined);
    assert.ok(cells.length > 100, file);
    for (const cell of cells) {
      const { html, found } = renderModel(model, cell.at, cell.raw);
      assert.ok(found, cell.path);
      const $ = cheerio.load(html.text);
      const marked = $('#nianbao-cell');
      assert.equal(marked.length, 1);
      assert.equal(marked.attr('data-at'), `${cell.at.table},${cell.at.row},${cell.at.col}`);
      assert.ok(marked.text().replace(/\s+/g, '').includes(cell.raw!.replace(/\s+/g, '')), `${file} ${cell.path}`);
      if (cell.label && !marked.attr('rowspan')) {
        const row = marked.closest('tr').text().replace(/\s+/g, '').normalize('NFKC');
        // a label merged over several rows (（三）不予公开) sits in an earlier <tr>; its own part is in this one
        assert.ok(row.includes(cell.label.slice(-4)), `${file} ${cell.path}: ${row} lacks ${cell.label}`);
      }
    }
  });

test('a position the model does not have marks nothing and says so', () => {
  const model = readText('一、总体情况\n正文\n');
  assert.deepEqual(renderModel(model, { table: 3, row: 1, col: 1 }, '5').found, false);
  assert.deepEqual(renderModel(model, { line: 99 }, '5').found, false);
  assert.deepEqual(renderModel(model, { line: 2 }, '正文').found, true);
});
