// The fast pdf.js engine (modern build, no font faces or glyph outlines, messages handed over instead of cloned) must
// give the document model that pdf.js driven as documented gives, on every committed PDF. The trap it guards:
// without one of Node 20's missing built-ins, or with a message pdf.js reuses after sending, text or ruling lines
// vanish with no error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readPdfWith } from '../../extractors/readers/pdf.ts';
import { readRawPdf } from '../../extractors/readers/pdf/pdfjs.ts';
import { rulingTables } from '../../extractors/readers/pdf/rulings.ts';

const CORPUS = join(dirname(fileURLToPath(import.meta.url)), '..', 'corpus');

function pdfsUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return pdfsUnder(path);
    return entry.name.endsWith('.pdf') ? [path] : [];
  });
}

const outcome = (engine: 'fast' | 'reference', bytes: Buffer) =>
  readPdfWith(new Uint8Array(bytes), engine).then(
    // a scan's model carries its second-look function (one per reading): compared by presence
    ({ reread, ...model }) => ({ model, reread: typeof reread }),
    (error: Error) => ({ error: `${error.name}: ${error.message}` }),
  );

test('every committed PDF: the same document model on both engines', { timeout: 300_000 }, async () => {
  const files = pdfsUnder(CORPUS);
  assert.ok(files.length >= 50, `only ${files.length} PDFs under test/corpus`);
  for (const file of files) {
    const bytes = readFileSync(file);
    const [fast, reference] = [await outcome('fast', bytes), await outcome('reference', bytes)];
    assert.deepEqual(fast, reference, relative(CORPUS, file));
  }
});

test('ruled PDFs still yield their ruling lines on the fast engine', async () => {
  const bytes = readFileSync(join(CORPUS, 'office', 'seed-000.pdf'));
  const [fast, reference] = [
    await readRawPdf(new Uint8Array(bytes), 'fast'),
    await readRawPdf(new Uint8Array(bytes), 'reference'),
  ];
  const tablesOf = (pages: typeof fast.pages) => pages.flatMap((page) => rulingTables(page));
  const lines = tablesOf(fast.pages);
  assert.ok(lines.length >= 3, `${lines.length} ruled tables`);
  assert.ok(
    fast.pages.every((page) => page.draw.length > 0),
    'a page lost its drawing operations',
  );
  assert.deepEqual(lines, tablesOf(reference.pages));
});
