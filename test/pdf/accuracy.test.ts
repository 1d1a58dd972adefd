// The committed office corpus through extract(), scored by the accuracy harness: the acceptance bar of the PDF and
// DOC readers. Regenerate the corpus with `npm run corpus:office` (needs LibreOffice); this test does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findCorpus, scoreCorpus, summarise, type Summary } from '../accuracy/run.ts';
import { ocrAvailability } from '../../extractors/readers/ocr/engine.ts';

const CORPUS = join(dirname(fileURLToPath(import.meta.url)), '..', 'corpus', 'office');

let summary: Summary;
test('office corpus: score every document', { timeout: 240_000 }, async () => {
  const docs = findCorpus([CORPUS]);
  assert.ok(docs.length >= 100, `corpus has ${docs.length} documents; run npm run corpus:office`);
  summary = summarise(await scoreCorpus(docs));
});

test('seed-derived reports: every cell right in every format', () => {
  for (const fmt of ['pdf', 'doc', 'docx']) {
    const stats = summary.bySetFormat[`office/seed ${fmt}`];
    assert.ok(stats && stats.docs === 5 && stats.cells > 900, `seed ${fmt}: ${JSON.stringify(stats)}`);
    assert.equal(stats.cellAccuracy, 1, `seed ${fmt}: ${stats.miss} missed, ${stats.wrong} wrong`);
    assert.equal(stats.templateAccuracy, 1);
  }
});

test('random reports: PDF cell accuracy at least 99.5%, DOC 100%', () => {
  const pdf = summary.bySetFormat['office/random pdf'];
  assert.ok(pdf.docs >= 30 && pdf.cells > 5000);
  assert.ok(pdf.cellAccuracy >= 0.995, `random PDF cell accuracy ${pdf.cellAccuracy}`);
  assert.equal(pdf.templateAccuracy, 1);
  const doc = summary.bySetFormat['office/random doc'];
  assert.equal(doc.cellAccuracy, 1, `random DOC: ${doc.miss} missed, ${doc.wrong} wrong`);
});

test('tables printed without ruling lines: rebuilt from positions, most cells right', () => {
  const stats = summary.bySetFormat['office/unruled pdf'];
  assert.ok(stats && stats.docs === 3);
  // the fallback loses rows it cannot place (nulls, flagged ROW_MISSING) rather than guess: see the next test
  assert.ok(stats.cellAccuracy >= 0.99, `unruled PDF cell accuracy ${stats.cellAccuracy}`);
  assert.equal(stats.wrong, 0, `unruled PDF: ${stats.wrong} wrong values`);
  assert.equal(stats.templateAccuracy, 1);
});

test('no value is ever wrong without a flag on its row', () => {
  const silent = summary.docs.flatMap((doc) =>
    doc.failures.filter((f) => f.silent).map((f) => `${doc.file} ${f.path}: want ${f.expected} got ${f.got}`),
  );
  assert.deepEqual(silent, []);
});

test('unreadable documents fail with InputError; readable ones never fail', () => {
  const stats = summary.overall;
  assert.ok(stats.errorsExpected >= 4);
  assert.equal(
    stats.errorsOk,
    stats.errorsExpected,
    JSON.stringify(summary.docs.filter((d) => d.errorExpected && !d.errorOk).map((d) => [d.file, d.error])),
  );
  assert.equal(
    stats.unexpectedErrors,
    0,
    JSON.stringify(summary.docs.filter((d) => !d.errorExpected && d.error).map((d) => [d.file, d.error])),
  );
});

test('expected flags are raised (blanks, arithmetic, scans)', async () => {
  const scan = summary.docs.find((d) => d.file.endsWith('special-scan.pdf'));
  if ('engine' in (await ocrAvailability())) {
    assert.equal(summary.overall.flagRecall, 1);
    assert.ok(scan && scan.flags.matched === 1, 'the scan is read by OCR (OCR_USED)');
  } else {
    // Without tesseract the scan is flagged NO_TEXT_LAYER + OCR_UNAVAILABLE (test/pdf/pdf-reader.test.ts): every
    // other expected flag must still be raised.
    const others = summary.docs.filter((doc) => doc !== scan);
    const expected = others.reduce((sum, doc) => sum + doc.flags.expected, 0);
    assert.equal(
      others.reduce((sum, doc) => sum + doc.flags.matched, 0),
      expected,
    );
  }
});
