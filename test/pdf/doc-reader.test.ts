// The legacy Word reader (.doc / OLE .wps) and format detection of office attachments served under wrong names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import readDoc from '../../extractors/readers/doc.ts';
import readPdf from '../../extractors/readers/pdf.ts';
import type { DocumentModel, TableBlock } from '../../extractors/model.ts';
import { detectFormat } from '../../extractors/detect-format.ts';
import { extract } from '../../extractors/extract.ts';
import { InputError } from '../../core/errors.ts';

const CORPUS = join(dirname(fileURLToPath(import.meta.url)), '..', 'corpus', 'office');
const file = (n: string) => new Uint8Array(readFileSync(join(CORPUS, n)));
const tables = (m: DocumentModel) => m.blocks.filter((b): b is TableBlock => b.kind === 'table');
const grid = (t: TableBlock) => t.rows.map((r) => r.map((c) => c.text.replace(/\s+/g, '')));

test('DOC tables: rows at the row marks, colspans from the cell boundaries, vertical merges as rowspans', async () => {
  const model = await readDoc(file('seed-001.doc'));
  assert.equal(model.format, 'doc');
  const [activeTable, requestsTable, reviewsTable] = tables(model);
  assert.ok(activeTable && requestsTable && reviewsTable, 'three tables');
  assert.deepEqual(grid(activeTable)[2], ['规章', '21', '32', '36']);
  const header = requestsTable.rows[0][0];
  assert.equal(header.origin, true);
  assert.equal(header.colspan, 3);
  assert.equal(header.rowspan, 3);
  assert.equal(requestsTable.rows[2][1].origin, false);
  assert.equal(requestsTable.rows[2][1].text, header.text);
  const result = requestsTable.rows.findIndex((r) => r[0].text === '三、本年度办理结果' && r[0].origin);
  assert.ok(result > 0 && requestsTable.rows[result][0].rowspan > 15, 'the 办理结果 label is merged down');
  for (const row of requestsTable.rows) assert.equal(row.length, 10, 'rectangular');
  for (const row of requestsTable.rows) for (const cell of row) assert.equal(typeof cell.at.table, 'number');
});

test('DOC and PDF renderings of one report read into the same grids', async () => {
  for (const name of ['seed-001', 'random-002', 'random-007']) {
    const doc = tables(await readDoc(file(`${name}.doc`))).map(grid);
    const pdf = tables(await readPdf(file(`${name}.pdf`))).map(grid);
    assert.deepEqual(doc, pdf, name);
  }
});

test('an OLE Word file named .wps reads like the .doc it is', async () => {
  const wps = await extract(file('special-seed-004.wps'), { filename: 'report.wps' });
  const doc = await extract(file('seed-004.doc'), { filename: 'seed-004.doc' });
  assert.equal(wps.format, 'doc');
  assert.deepEqual(wps.requests, doc.requests);
  assert.deepEqual(wps.active, doc.active);
});

test('corrupt, truncated and non-Word input give InputError', async () => {
  for (const name of ['special-truncated.doc', 'special-garbled.doc'])
    await assert.rejects(
      readDoc(file(name)),
      (e: Error) => e instanceof InputError && /DOC|Word/.test(e.message),
      name,
    );
  await assert.rejects(
    readDoc(new Uint8Array(Buffer.from('{\\rtf1\\ansi hello}'))),
    (e: Error) => e instanceof InputError && /RTF/.test(e.message),
  );
  await assert.rejects(
    readDoc(file('seed-000.docx')),
    (e: Error) => e instanceof InputError && /ZIP|DOCX/.test(e.message),
  );
  await assert.rejects(
    readDoc(new Uint8Array(Buffer.from('WPS Office 2000 proprietary bytes......'))),
    (e: Error) => e instanceof InputError && /OLE/.test(e.message),
  );
});

test('attachments under wrong names or content types are detected from their bytes', () => {
  const pdf = file('seed-000.pdf');
  const doc = file('seed-000.doc');
  assert.equal(detectFormat(pdf, { filename: 'download.bin', contentType: 'application/octet-stream' }), 'pdf');
  assert.equal(detectFormat(pdf, { filename: 'report.doc' }), 'pdf');
  assert.equal(detectFormat(pdf, { url: 'http://example.gov.cn/attach?id=3', contentType: 'text/html' }), 'pdf');
  assert.equal(detectFormat(doc, { filename: 'report.wps' }), 'doc');
  assert.equal(detectFormat(doc, { filename: 'report.pdf', contentType: 'application/pdf' }), 'doc');
  assert.equal(detectFormat(doc, { filename: 'report.docx' }), 'doc');
  assert.equal(detectFormat(file('seed-000.docx'), { filename: 'report.doc' }), 'docx');
});
