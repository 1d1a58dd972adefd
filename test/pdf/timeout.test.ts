// A PDF that keeps pdf.js busy past the time limit is an InputError, and the worker is replaced, not left running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../core/errors.ts';

const CORPUS = join(dirname(fileURLToPath(import.meta.url)), '..', 'corpus', 'office');

test('time limit: InputError, then a fresh worker reads the next document', async () => {
  process.env.NIANBAO_PDF_TIMEOUT_MS = '1';
  const { default: readPdf } = await import('../../extractors/readers/pdf.ts');
  const bytes = new Uint8Array(readFileSync(join(CORPUS, 'seed-001.pdf')));
  await assert.rejects(readPdf(bytes), (e: Error) => e instanceof InputError && /too slow/.test(e.message));
  process.env.NIANBAO_PDF_TIMEOUT_MS = '60000';
  const model = await readPdf(bytes);
  assert.ok(model.blocks.some((b) => b.kind === 'table'));
  delete process.env.NIANBAO_PDF_TIMEOUT_MS;
});
