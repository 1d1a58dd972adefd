// OCR end to end on the generated corpus (test/gen/ocr: office reports rendered at 150/300 dpi, noisy and skewed,
// a page turned 90°, wrapped as image-only PDFs) and the committed scan: no wrong value without a flag, most
// cells read, OCR_USED on every report. Skipped, saying why, when tesseract or pdftoppm is not installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extract, toReport } from '../../extractors/extract.ts';
import { parseCell } from '../../extractors/template/numbers.ts';
import { InputError } from '../../core/errors.ts';
import { ocrAvailability } from '../../extractors/readers/ocr/engine.ts';
import { scoreDoc, type Expected } from '../accuracy/score.ts';
import { scoreVariants } from './variants.ts';
import { buildOcrCorpus, VARIANTS } from '../gen/ocr/build.ts';
import { PDFDocument } from 'pdf-lib';

/** The generated corpus holding one variant (built once, then reused from the temporary folder). */
const variantCorpus = (name: string) =>
  buildOcrCorpus(
    undefined,
    VARIANTS.filter((variant) => variant.name === name),
  );

const OFFICE = join(dirname(fileURLToPath(import.meta.url)), '..', 'corpus', 'office');
const available = await ocrAvailability();
const skip = 'unavailable' in available ? `OCR not available here: ${available.unavailable}` : false;

/** Least share of cells read right per variant (measured, minus a margin for tesseract builds). */
const FLOOR: Record<string, number> = { dpi150: 0.98, dpi300: 0.98, 'noisy-skewed': 0.98, turned: 0.98 };

/** The 300 dpi variant costs the most and tells the least here: `npm run accuracy` and bench/ocr.ts cover it. */
const TESTED = VARIANTS.filter((variant) => variant.name !== 'dpi300');

test('generated scans: 0 wrong values without a flag, most cells right, OCR_USED on each', { skip }, async () => {
  for (const score of await scoreVariants(TESTED)) {
    const { correct, cells, wrong, wrongSilent, miss, missSilent } = score.totals;
    const line = `${score.variant}: ${correct}/${cells} right, ${miss} null (${missSilent} unflagged), ${wrong} wrong (${wrongSilent} unflagged), ${Math.round(score.msPerPage)} ms/page`;
    console.log(line);
    assert.equal(
      wrongSilent,
      0,
      `${line}: ${JSON.stringify(score.docs.flatMap((d) => d.failures.filter((f) => f.silent)))}`,
    );
    assert.equal(missSilent, 0, line);
    assert.ok(correct / cells >= FLOOR[score.variant], line);
    assert.ok(score.ocrUsed, `${score.variant}: every report says OCR_USED`);
    assert.ok(
      score.docs.every((d) => !d.error),
      `${score.variant}: ${score.docs.map((d) => d.error).join(' ')}`,
    );
  }
});

test(
  'the committed scan (page 2 of seed-001 at 70 dpi) reads without a wrong value, flagged OCR_USED',
  { skip },
  async () => {
    const report = await extract(new Uint8Array(readFileSync(join(OFFICE, 'special-scan.pdf'))), {
      filename: 'scan.pdf',
    });
    assert.ok(report.flags.some((f) => f.code === 'OCR_USED' && f.severity === 'info'));
    assert.ok(!report.flags.some((f) => f.code === 'NO_TEXT_LAYER'));
    const truth = JSON.parse(readFileSync(join(OFFICE, 'seed-001.expected.json'), 'utf8')) as Expected;
    const score = scoreDoc('special-scan.pdf', 'pdf', 'ocr', { requests: truth.requests }, report);
    const read = report.cells.filter((c) => c.path.startsWith('requests.') && c.value !== null).length;
    assert.equal(score.cells.wrong, 0, JSON.stringify(score.failures.filter((f) => f.outcome === 'wrong')));
    assert.ok(read >= 40, `${read} request cells read`);
  },
);

test(
  'a text PDF with its table pages pasted as images: only those pages are OCR-read, into one report',
  { skip },
  async () => {
    const dir = await variantCorpus('dpi150');
    const text = await PDFDocument.load(readFileSync(join(OFFICE, 'seed-001.pdf')));
    const scan = await PDFDocument.load(readFileSync(join(dir, 'dpi150', 'ocr-seed-001.pdf')));
    const mixed = await PDFDocument.create();
    const [first] = await mixed.copyPages(text, [0]);
    mixed.addPage(first);
    for (const page of await mixed.copyPages(scan, scan.getPageIndices().slice(1))) mixed.addPage(page);
    const report = await extract(await mixed.save(), { filename: 'mixed.pdf' });
    const used = report.flags.find((f) => f.code === 'OCR_USED');
    assert.match(used?.message ?? '', /^pages 2, 3, 4 read with OCR/);
    assert.ok(!report.flags.some((f) => f.code === 'NO_TEXT_LAYER'));
    const truth = JSON.parse(readFileSync(join(OFFICE, 'seed-001.expected.json'), 'utf8')) as Expected;
    const score = scoreDoc('mixed.pdf', 'pdf', 'ocr', truth, report);
    assert.equal(score.cells.wrongSilent, 0, JSON.stringify(score.failures));
    assert.ok(score.cells.correct / score.cells.total >= 0.95, JSON.stringify(score.cells));
  },
);

test('NIANBAO_OCR=off: a scan is NO_TEXT_LAYER with OCR_UNAVAILABLE saying why, and still a report', async () => {
  process.env.NIANBAO_OCR = 'off';
  try {
    const report = await extract(new Uint8Array(readFileSync(join(OFFICE, 'special-scan.pdf'))), {
      filename: 'scan.pdf',
    });
    assert.ok(report.flags.some((f) => f.code === 'NO_TEXT_LAYER' && f.severity === 'error'));
    const why = report.flags.find((f) => f.code === 'OCR_UNAVAILABLE');
    assert.match(why?.message ?? '', /NIANBAO_OCR=off/);
    assert.ok(!report.flags.some((f) => f.code === 'OCR_USED'));
  } finally {
    delete process.env.NIANBAO_OCR;
  }
});

test('a page over its OCR time limit is an InputError, and the next document reads', { skip }, async () => {
  const dir = await variantCorpus('turned');
  const bytes = new Uint8Array(readFileSync(join(dir, 'turned', 'ocr-seed-001.pdf')));
  process.env.NIANBAO_OCR_PAGE_MS = '5';
  try {
    await assert.rejects(extract(bytes, { filename: 'scan.pdf' }), (error: Error) => {
      assert.ok(error instanceof InputError, String(error));
      assert.match(error.message, /OCR page too slow|cannot be rendered/);
      return true;
    });
  } finally {
    delete process.env.NIANBAO_OCR_PAGE_MS;
  }
  const report = await extract(new Uint8Array(readFileSync(join(OFFICE, 'special-scan.pdf'))), {
    filename: 'scan.pdf',
  });
  assert.ok(report.flags.some((f) => f.code === 'OCR_USED'));
});

test(
  'cells of a page scanned sideways are read again from their boxes on the page as displayed',
  { skip },
  async () => {
    const dir = await variantCorpus('turned');
    const { readPdf } = await import('../../extractors/readers/pdf.ts');
    const model = await readPdf(new Uint8Array(readFileSync(join(dir, 'turned', 'ocr-seed-001.pdf'))));
    assert.ok(model.reread, 'a scanned PDF can be read again');
    const report = toReport(model);
    const used = report.flags.find((f) => f.code === 'OCR_USED')?.message ?? '';
    const turned = [...used.matchAll(/page (\d+): [^;]*turned/g)].map((m) => Number(m[1]));
    assert.ok(turned.length, used);
    const cells = report.cells
      .filter((c) => c.value !== null && turned.includes(c.at.page ?? 0) && c.at.bbox)
      .slice(0, 12);
    assert.ok(cells.length >= 6, `${cells.length} cells read on the turned pages`);
    const again = await model.reread(cells.map((c) => ({ page: c.at.page!, bbox: c.at.bbox! })));
    const same = cells.filter((c, i) => parseCell(again[i]).value === c.value);
    assert.ok(same.length >= cells.length - 1, `${same.length}/${cells.length}: ${JSON.stringify(again)}`);
  },
);
