// Table pictures inside articles (test/gen/ocr/images.ts: an office report whose prose stays text and whose tables
// are pictures cut out of its PDF): an HTML page with inline data: images and a DOCX with pictures in word/media are
// read by OCR into the one model, placed where each picture sat. No wrong value without a flag, most cells right,
// OCR_USED. (Pictures linked by URL are the crawl's: test/crawl/article-images.test.ts.) Skipped, saying why, when
// tesseract or pdftoppm is not installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { extract } from '../../extractors/extract.ts';
import { ocrAvailability } from '../../extractors/readers/ocr/engine.ts';
import { scoreDoc, type Expected } from '../accuracy/score.ts';
import { buildImageCorpus, IMAGE_VARIANTS, imageVariantFiles } from '../gen/ocr/images.ts';

const available = await ocrAvailability();
const skip = 'unavailable' in available ? `OCR not available here: ${available.unavailable}` : false;

/** Least share of cells read right (measured 200/200 and 186 of 198, minus a margin for tesseract builds). */
const FLOOR: Record<string, number> = { 'html-image': 0.95, 'docx-image': 0.9 };

for (const variant of IMAGE_VARIANTS)
  test(
    `${variant.name}: table pictures in a ${variant.format.toUpperCase()} article are read`,
    { skip },
    async (context) => {
      const dir = await buildImageCorpus(undefined, [variant]);
      for (const [file, expectedFile] of imageVariantFiles(dir, variant)) {
        const expected = JSON.parse(readFileSync(expectedFile, 'utf8')) as Expected;
        const report = await extract(new Uint8Array(readFileSync(file)), { filename: `article.${variant.format}` });
        const { cells, failures } = scoreDoc(file, variant.format, `ocr/${variant.name}`, expected, report);
        const line = `${variant.name}: ${cells.correct}/${cells.total} right, ${cells.miss} null (${cells.missSilent} unflagged), ${cells.wrong} wrong (${cells.wrongSilent} unflagged)`;
        context.diagnostic(line);
        assert.equal(cells.wrongSilent, 0, `${line}: ${JSON.stringify(failures.filter((f) => f.silent))}`);
        assert.equal(cells.missSilent, 0, line);
        assert.ok(cells.correct >= FLOOR[variant.name] * cells.total, line);
        const used = report.flags.find((flag) => flag.code === 'OCR_USED');
        assert.ok(used, `${variant.name}: OCR_USED`);
        assert.match(used.message ?? '', /picture|image/i, used.message);
      }
    },
  );
