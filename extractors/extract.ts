// One document → the common schema: detect the format, read it into the document model, map the template, add
// metadata and flags, validate. THE entry point the pipeline and crawlers code against.
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { InputError } from '../core/errors.ts';
import type { DocumentModel, ReadHints } from './model.ts';
import { flag, type Flag, type Report } from './report.ts';
import { detectFormat } from './detect-format.ts';
import { readerFor } from './readers/index.ts';
import { mapTemplate } from './template/map.ts';
import { metadataOf } from './metadata/index.ts';
import { bodyLevel, plausibilityFlags } from './template/plausible.ts';
import { assertValid } from './validate.ts';
import { EXTRACTOR_NAME, EXTRACTOR_VERSION } from './version.ts';

export type { ReadHints } from './model.ts';

/**
 * No report document comes near this (the crawler archives at most 20 MB); beyond it a reader would only spend
 * memory: a 50 MB PDF of zeros took pdf.js 10 s and 2 GB to refuse.
 */
export const MAX_DOCUMENT_BYTES = 32 * 1024 * 1024;

const tooLarge = (size: number) =>
  new InputError(
    `${(size / 1048576).toFixed(0)} MB exceeds the ${MAX_DOCUMENT_BYTES / 1048576} MB limit for one document: not a report`,
  );

export async function extract(bytes: Uint8Array, hints: ReadHints = {}): Promise<Report> {
  if (bytes.length > MAX_DOCUMENT_BYTES) throw tooLarge(bytes.length);
  const format = detectFormat(bytes, hints);
  const read = await readerFor(format);
  let model: DocumentModel;
  try {
    model = await read(bytes, hints);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot read ${format}: ${String((err as Error)?.message ?? err).split('\n')[0]}`);
  }
  const report = toReport(model);
  return model.reread ? rereadDoubtful(model, report) : report;
}

/** Cells a second look may settle: OCR doubted or contradicted them, or left them empty or unreadable. */
const REREAD_FLAGS = new Set(['OCR_LOW_CONFIDENCE', 'CELL_BLANK', 'CELL_UNPARSEABLE']);

/**
 * A scan's cells that OCR left null (a check disagrees, tesseract was unsure, nothing or debris was read) are read
 * again from their boxes; the mapper takes a second reading only where the arithmetic then holds (confidence.ts).
 * Cells on pages with a text layer have no second reading. A failed second look leaves the first report: its cells
 * are already null with a flag.
 */
async function rereadDoubtful(model: DocumentModel, report: Report): Promise<Report> {
  const doubtful = new Set(report.flags.filter((f) => REREAD_FLAGS.has(f.code)).map((f) => f.path));
  const cells = report.cells.filter((cell) => doubtful.has(cell.path) && cell.at.page && cell.at.bbox);
  if (!cells.length) return report;
  const read = await model.reread!(cells.map((cell) => ({ page: cell.at.page!, bbox: cell.at.bbox! }))).catch(
    () => null,
  );
  const rereads = new Map<string, string>();
  cells.forEach((cell, index) => {
    const text = read?.[index];
    if (text && text !== cell.raw) rereads.set(cell.path, text);
  });
  return rereads.size ? toReport(model, rereads) : report;
}

export async function extractFile(path: string): Promise<Report> {
  let bytes: Buffer;
  try {
    // Checked before reading: /dev/zero, a FIFO or a huge file would be read until memory runs out.
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (!info.isFile()) throw new InputError(`not a regular file (a device, FIFO or socket): ${path}`);
    if (info.size > MAX_DOCUMENT_BYTES) throw tooLarge(info.size);
    bytes = await readFile(path);
    if (bytes.length > MAX_DOCUMENT_BYTES) throw tooLarge(bytes.length);
  } catch (err) {
    if (err instanceof InputError) throw err;
    const error = err as NodeJS.ErrnoException;
    throw new InputError(
      error.code === 'ENOENT'
        ? `no such file: ${path}`
        : error.code === 'EISDIR'
          ? `is a directory: ${path}`
          : `cannot read ${path}: ${error.message}`,
    );
  }
  return extract(bytes, { filename: basename(path) });
}

/** The document model → a schema-valid report. Exported for readers' tests and the benchmark. */
export function toReport(model: DocumentModel, rereads?: ReadonlyMap<string, string>): Report {
  const fullText = model.blocks
    .map((block) =>
      block.kind === 'paragraph'
        ? block.text
        : block.rows
            .map((tableRow) =>
              tableRow
                .filter((c) => c.origin)
                .map((c) => c.text)
                .join(' '),
            )
            .join('\n'),
    )
    .join('\n');
  const mapped = mapTemplate(model, rereads);
  const meta = metadataOf(model, fullText);
  const flags: Flag[] = [...model.flags];
  const notReport = notAReport(model, mapped.headings.length, mapped.cells.length, meta.title, fullText);
  if (notReport && !flags.some((f) => f.code === 'NOT_A_REPORT')) flags.push(flag('NOT_A_REPORT', null, notReport));
  const isReport = !flags.some((f) => f.code === 'NOT_A_REPORT');
  if (isReport) {
    flags.push(...mapped.flags, ...meta.flags);
    flags.push(...plausibilityFlags(mapped, bodyLevel(meta.agency, meta.title)));
    if (mapped.template === '2019' && meta.year !== null && meta.year >= 2021)
      flags.push(flag('TEMPLATE_OUTDATED', 'template', `the 2019 tables in a report for ${meta.year}`));
    if (mapped.template === 'unknown' && !mapped.headings.length)
      flags.push(flag('TEMPLATE_UNRECOGNIZED', 'template', 'no section headings and no standard tables found'));
  }
  const report: Report = {
    schema: 'nianbao.report/1',
    template: mapped.template,
    title: meta.title,
    agency: meta.agency,
    year: meta.year,
    region_code: meta.region_code,
    published_at: meta.published_at,
    period: meta.period,
    active: isReport ? mapped.active : null,
    requests: isReport ? mapped.requests : null,
    appeals: isReport ? mapped.appeals : null,
    sections: isReport ? mapped.sections : {},
    flags,
    cells: isReport ? mapped.cells : [],
    extractor: `${EXTRACTOR_NAME}@${EXTRACTOR_VERSION}`,
    format: model.format,
  };
  assertValid(report);
  return report;
}

/** Why the document is not an annual report (a 年报解读, a list of links, a notice), or null when it may be one. */
function notAReport(
  model: DocumentModel,
  headings: number,
  cells: number,
  title: string | null,
  text: string,
): string | null {
  // An explanation page is not the report even when it copies the report's tables (it would count twice).
  const titles = [title, model.meta.title].filter(Boolean).join(' ');
  if (/解读|图解|一图读懂|答记者问/.test(titles)) return `an explanation page (${titles.slice(0, 40)}), not the report`;
  if (cells > 0 || headings >= 3) return null;
  if (!text.trim()) return 'the document has no text';
  if (!/年度报告|年报/.test(text.slice(0, 5000))) return 'no annual report heading or tables in the document';
  if (headings === 0)
    return 'mentions an annual report but has none of its sections or tables (a notice or a list page?)';
  return null;
}
