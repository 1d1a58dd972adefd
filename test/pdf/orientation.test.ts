// Turned pages read upright: /Rotate 90/180/270, pages turned differently in one document, pages drawn sideways on
// landscape paper. The corpus (test/corpus/rotated, from test/pdf/gen-rotated.ts) is the seed PDFs turned, so each
// must read as its seed does, cell for cell, with boxes where the numbers are on screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import readPdf from '../../extractors/readers/pdf.ts';
import type { DocumentModel } from '../../extractors/model.ts';
import { findCorpus, scoreCorpus, summarise } from '../accuracy/run.ts';
import { mixedDirections, sidewaysPages, turnedPages } from './gen-rotated.ts';

const CORPUS = join(dirname(fileURLToPath(import.meta.url)), '..', 'corpus');
const seed = (name: string) => new Uint8Array(readFileSync(join(CORPUS, 'office', `${name}.pdf`)));

const cellTexts = (model: DocumentModel) =>
  model.blocks.flatMap((block) => (block.kind === 'table' ? [block.rows.map((row) => row.map((c) => c.text))] : []));
const paragraphs = (model: DocumentModel) =>
  model.blocks.flatMap((block) => (block.kind === 'paragraph' ? [block.text] : []));

test('every /Rotate, and pages turned differently in one document: the seed read cell for cell', async () => {
  const original = await readPdf(seed('seed-000'));
  assert.ok(cellTexts(original).length >= 3);
  for (const turn of [90, 180, 270]) {
    const turned = await readPdf(await turnedPages(seed('seed-000'), () => turn));
    assert.deepEqual(cellTexts(turned), cellTexts(original), `/Rotate ${turn}`);
    assert.deepEqual(paragraphs(turned), paragraphs(original), `/Rotate ${turn}`);
  }
  // the tables cross page breaks: the join must hold when the next page is turned another way
  const mixed = await readPdf(await turnedPages(seed('seed-000'), (index) => (index * 90) % 360));
  assert.deepEqual(cellTexts(mixed), cellTexts(original));
});

test('pages drawn sideways on landscape paper, with and without /Rotate turning them back', async () => {
  const original = await readPdf(seed('seed-004'));
  for (const thenRotate of [0, 90]) {
    const sideways = await readPdf(await sidewaysPages(seed('seed-004'), thenRotate));
    assert.deepEqual(cellTexts(sideways), cellTexts(original), `drawn sideways, /Rotate ${thenRotate}`);
    assert.equal(sideways.flags.length, 0);
  }
});

test('a turned page: every box is where the text is on screen (inside the turned page, width and height swapped)', async () => {
  const model = await readPdf(await turnedPages(seed('seed-001'), () => 90));
  // A4 portrait turned by /Rotate 90 shows as 841.89 wide and 595.3 high
  for (const block of model.blocks) {
    const boxes = block.kind === 'table' ? block.rows.flat().map((cell) => cell.at.bbox!) : [block.at.bbox!];
    for (const [left, top, right, bottom] of boxes)
      assert.ok(
        left >= 0 && right <= 842 && top >= 0 && bottom <= 596 && left <= right && top <= bottom,
        `${boxes[0]}`,
      );
  }
  // on screen the text runs down the page: a table's columns are stacked top to bottom, its rows right to left
  const table = model.blocks.find((block) => block.kind === 'table' && block.rows.length > 3);
  assert.ok(table?.kind === 'table');
  const [first, second] = [table.rows[0][0].at.bbox!, table.rows[1][0].at.bbox!];
  assert.ok(second[2] <= first[0] + 1, `row 2 (${second}) is left of row 1 (${first})`);
});

test('numbers printed in two directions on one page: read in the main one, and flagged', async () => {
  const model = await readPdf(await mixedDirections(seed('seed-000')));
  const flags = model.flags.filter((item) => item.code === 'TEXT_DIRECTION_MIXED');
  assert.equal(flags.length, 1);
  assert.match(flags[0].message ?? '', /^page 1: \d+ digits/);
});

test('the rotated corpus: every cell right, nothing wrong without a flag', { timeout: 120_000 }, async () => {
  const docs = findCorpus([join(CORPUS, 'rotated')]);
  assert.ok(docs.length >= 6, `${docs.length} documents`);
  const summary = summarise(await scoreCorpus(docs));
  for (const set of ['rotated/turned pdf', 'rotated/sideways pdf']) {
    const stats = summary.bySetFormat[set];
    assert.ok(stats && stats.cells > 350, `${set}: ${JSON.stringify(stats)}`);
    assert.equal(stats.cellAccuracy, 1, `${set}: ${stats.miss} missed, ${stats.wrong} wrong`);
  }
});
