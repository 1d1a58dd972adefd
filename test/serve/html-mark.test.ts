// Marking a value's cell in an archived HTML page, over the HTML test corpus (seed pages in UTF-8 and GBK with merged
// cells, and the label-variety pages): for a sample of every page's values, exactly one <td>/<th> is marked, it is
// the one the reader read the value from (its text holds the raw value), and it carries the value's {table,row,col}.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as cheerio from 'cheerio';
import { extract } from '../../extractors/extract.ts';
import { readHtml } from '../../extractors/readers/html.ts';
import { htmlMarker, markHtmlCell } from '../../serve/source/html-mark.ts';

const corpus = (dir: string) => fileURLToPath(new URL(`../corpus/${dir}/`, import.meta.url));

async function pages(): Promise<string[]> {
  const seeds = (await readdir(corpus('seeds')))
    .filter((name) => name.endsWith('.html'))
    .map((n) => corpus('seeds') + n);
  const variety = (await readdir(corpus('variety')))
    .filter((name) => name.endsWith('.html'))
    .slice(0, 4)
    .map((name) => corpus('variety') + name);
  return [...seeds, ...variety];
}

test('every sampled value of the HTML corpus marks exactly its own cell', async () => {
  const files = await pages();
  assert.ok(files.length >= 14);
  let checked = 0;
  for (const file of files) {
    const bytes = await readFile(file);
    const report = await extract(bytes, { filename: file });
    // one marker per page, as the server keeps it: each mark leaves no trace for the next
    const marker = htmlMarker(bytes, null, readHtml(bytes));
    const cells = report.cells.filter((cell) => cell.raw && cell.at.table !== undefined);
    assert.ok(cells.length > 20, file);
    // a spread of the page's values: first, last and every tenth
    const sample = cells.filter((_, i) => i % 10 === 0 || i === cells.length - 1);
    for (const cell of sample) {
      const marked = marker.mark(cell.at);
      assert.equal(marked.marked, true, `${file} ${cell.path}: ${marked.note}`);
      const $ = cheerio.load(marked.html);
      const element = $('#nianbao-cell');
      assert.equal(element.length, 1);
      assert.ok(/^t[dh]$/.test(element.prop('tagName')!.toLowerCase()));
      assert.equal(element.attr('data-nianbao-at'), `${cell.at.table},${cell.at.row},${cell.at.col}`);
      assert.ok(element.text().replace(/\s+/g, '').includes(cell.raw!.replace(/\s+/g, '')), `${file} ${cell.path}`);
      checked++;
    }
  }
  assert.ok(checked > 100, `${checked} values checked`);
});

test('a position that is not in the page marks nothing and says why', async () => {
  const [file] = await pages();
  const bytes = await readFile(file);
  const marked = markHtmlCell(bytes, null, readHtml(bytes), { table: 40, row: 0, col: 0 });
  assert.equal(marked.marked, false);
  assert.match(marked.note!, /^table 40 row 0 column 0 was not found in the archived page$/);
  assert.doesNotMatch(marked.html, /id="nianbao-cell"/);
});
