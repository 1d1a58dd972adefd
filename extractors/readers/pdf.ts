// PDF → document model. Tables come from ruling lines (the only method that keeps a wrapped label with its numbers),
// with a fallback that rebuilds rows from text positions for tables printed without lines. Every cell keeps
// {page, bbox} (viewport points, origin top-left) so a number can be found again on the page.
import type { Block, DocumentModel, Reader, TableCell } from '../model.ts';
import type { SourceAt } from '../report.ts';
import { flag } from '../report.ts';
import { InputError } from '../../core/errors.ts';
import { readRawPdf, type PdfEngine, type RawPage, type RawPdf } from './pdf/pdfjs.ts';
import { OCR_MIN_CONFIDENCE, type Scored } from '../template/confidence.ts';
import { rulingTables } from './pdf/rulings.ts';
import { cellText, isFurniture, median, pageItems, toLines, toParagraphs, type Item, type Line } from './pdf/text.ts';
import { continues, join, partOf, round, toGrid, type BBox, type GridCell, type TablePart } from './pdf/tables.ts';
import { positionalTables } from './pdf/positional.ts';
import { upright, type UprightPage } from './pdf/orientation.ts';
import { ocrAvailability, ocrPages } from './ocr/index.ts';
import { settleNumberColumns, settleNumberRows } from './ocr/cells.ts';
import type { Flag } from '../report.ts';

type Piece =
  | { kind: 'para'; page: number; y: number; text: string; heading: boolean; bbox: BBox }
  | { kind: 'table'; page: number; y: number; bbox: BBox; part: TablePart | null; rows: GridCell[][] | null };

async function openPdf(bytes: Uint8Array, engine: PdfEngine): Promise<RawPdf> {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (!head.includes('%PDF-')) throw new InputError('not a PDF: no %PDF- header');
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 2048))).toString('latin1');
  if (!tail.includes('%%EOF')) throw new InputError('truncated PDF: no %%EOF marker at the end of the file');
  try {
    // a worker stopped under another document's time limit: this one deserves a second try on a fresh worker
    return await readRawPdf(bytes, engine).catch((error: Error) =>
      error.name === 'WorkerError' ? readRawPdf(bytes, engine) : Promise.reject(error),
    );
  } catch (caught) {
    const err = caught as Error;
    if (err.name === 'PasswordException') throw new InputError('encrypted PDF: a password is required to open it');
    if (err.name === 'Timeout') throw new InputError(`PDF too slow to read: ${err.message}`);
    throw new InputError(`corrupt PDF: ${err.message}`);
  }
}

function pdfDate(value: unknown): string | null {
  const date = typeof value === 'string' ? /^(?:D:)?(\d{4})(\d{2})?(\d{2})?/.exec(value) : null;
  if (!date) return null;
  return `${date[1]}-${date[2] ?? '01'}-${date[3] ?? '01'}`;
}

function inside(x: number, y: number, box: { x0: number; y0: number; x1: number; y1: number }, tol = 1): boolean {
  return x >= box.x0 - tol && x <= box.x1 + tol && y >= box.y0 - tol && y <= box.y1 + tol;
}

function layoutPage(turned: UprightPage) {
  const raw = turned.page;
  const items = pageItems(raw);
  const tables = rulingTables(raw).filter((t) => t.rows * t.cols > 1);
  const byCell = new Map<object, Item[]>();
  const free: Item[] = [];
  for (const item of items) {
    const x = (item.x0 + item.x1) / 2;
    const y = (item.y0 + item.y1) / 2;
    const table = tables.find((tb) => inside(x, y, tb));
    const cell = table?.cells.find((cl) => inside(x, y, cl, 0.5));
    if (cell) {
      const list = byCell.get(cell) ?? [];
      list.push(item);
      byCell.set(cell, list);
    } else free.push(item);
  }
  return {
    page: raw.n,
    width: raw.width,
    height: raw.height,
    items,
    tables,
    byCell,
    free,
    hasImage: raw.image,
    turned,
  };
}

let engine: PdfEngine = 'fast';
/** The benchmark measures the reference engine too, so the speed-up is a ratio from one run. */
export function usePdfEngine(chosen: PdfEngine): void {
  engine = chosen;
}

export const readPdf: Reader = (bytes) => readPdfWith(bytes, engine);

/** The reader on either pdf.js engine: the parity test compares the two. */
export async function readPdfWith(bytes: Uint8Array, using: PdfEngine): Promise<DocumentModel> {
  const doc = await openPdf(bytes, using);
  const scans = await readScans(bytes, doc);
  const pages = scans.pages.map((raw) => layoutPage(upright(raw)));
  // boxes are found on the upright page and given back where they are on screen
  const onScreen = (page: number, bbox: BBox): BBox => round(pages[page - 1]?.turned.toViewport(bbox) ?? bbox);
  const bodySize = median(pages.flatMap((layout) => layout.items.map((i) => i.size))) || 10;

  const pieces: Piece[] = [];
  for (const layout of pages) {
    const local: Piece[] = [];
    for (const table of layout.tables) {
      const lines = new Map(table.cells.map((c) => [c, toLines(layout.byCell.get(c) ?? [])]));
      // The table's cell padding: the smallest gap between a cell's left border and its text.
      const gaps = [...lines].filter(([, ls]) => ls.length).map(([c, ls]) => Math.min(...ls.map((l) => l.x0 - c.x0)));
      // (on an OCR page the median: debris left at a border would otherwise make the padding nil)
      const scanned = layout.items.some((item) => item.confidence !== undefined);
      const padding = gaps.length ? Math.max(0, scanned ? median(gaps) : Math.min(...gaps)) : 0;
      const part = partOf(table, layout.page, (c) => cellText(lines.get(c) ?? [], c.x1 - c.x0, padding));
      const bbox = round([table.x0, table.y0, table.x1, table.y1]);
      local.push({ kind: 'table', page: layout.page, y: table.y0, bbox, part, rows: null });
    }
    const pos = positionalTables(layout.free);
    const lines = toLines(pos.rest.map(doubtInProse)).filter((l) => !isFurniture(l, layout.height));
    const left = Math.min(...lines.map((l) => l.x0));
    const right = Math.max(...lines.map((l) => l.x1), ...layout.tables.map((t) => t.x1));
    for (const table of pos.tables)
      local.push({
        kind: 'table',
        page: layout.page,
        y: table.bbox[1],
        bbox: round(table.bbox),
        part: null,
        rows: table.rows.map((row, rowIndex) =>
          row.map((cell, colIndex) => ({
            id: -(rowIndex * 1000 + colIndex + 1),
            text: cell.text,
            page: layout.page,
            bbox: round(cell.bbox),
            origin: true,
            rowspan: 1,
            colspan: 1,
            full: false,
          })),
        ),
      });
    // Prose is not merged across a table: cut the lines at each table's top.
    const cuts = [...pos.tables.map((t) => t.bbox[1]), ...layout.tables.map((t) => t.y0)].sort((a, b) => a - b);
    const runs: Line[][] = [[]];
    let nextCut = 0;
    for (const line of lines) {
      let cut = false;
      while (nextCut < cuts.length && cuts[nextCut] <= line.y0) {
        nextCut++;
        cut = true;
      }
      if (cut) runs.push([]);
      runs[runs.length - 1].push(line);
    }
    for (const run of runs)
      for (const para of toParagraphs(run, left, right, layout.width, bodySize))
        local.push({
          kind: 'para',
          page: layout.page,
          y: para.y0,
          text: para.text,
          heading: para.heading,
          bbox: round([para.x0, para.y0, para.x1, para.y1]),
        });
    local.sort((a, b) => a.y - b.y);
    pieces.push(...local);
  }

  const joined = joinAcrossPages(carryLabelsOver(pieces));
  const blocks: Block[] = [];
  let tableIndex = 0;
  for (const piece of joined) {
    if (piece.kind === 'para') {
      blocks.push({
        kind: 'paragraph',
        text: piece.text,
        ...(piece.heading ? { heading: true } : {}),
        at: { page: piece.page, bbox: onScreen(piece.page, piece.bbox) },
      });
      continue;
    }
    const index = tableIndex++;
    const grid = piece.rows ?? toGrid(piece.part!);
    // A copy points at its origin's position, as in the other readers.
    const pos = new Map<number, [number, number]>();
    grid.forEach((row, r) => row.forEach((c, k) => (c.origin && !pos.has(c.id) ? pos.set(c.id, [r, k]) : undefined)));
    const rows: TableCell[][] = grid.map((row, rowIndex) =>
      row.map((cell, colIndex) => {
        const [originRow, originCol] = cell.origin ? [rowIndex, colIndex] : (pos.get(cell.id) ?? [rowIndex, colIndex]);
        const bbox = onScreen(cell.page, cell.bbox);
        const at: SourceAt = { page: cell.page, bbox, table: index, row: originRow, col: originCol };
        const out: Scored<TableCell> = {
          text: cell.text,
          at,
          origin: cell.origin,
          rowspan: cell.rowspan,
          colspan: cell.colspan,
        };
        const confidence = cellConfidence(pages[cell.page - 1]?.items ?? [], cell.bbox);
        if (confidence !== undefined) out.confidence = confidence;
        return out;
      }),
    );
    settleNumberColumns(rows);
    settleNumberRows(rows);
    blocks.push({
      kind: 'table',
      index,
      rows,
      at: { page: piece.page, bbox: onScreen(piece.page, piece.bbox), table: index },
    });
  }

  const flags: Flag[] = [...scans.flags];
  const textless = pages.filter((layout) => !layout.items.some((i) => i.str.trim()));
  if (pages.length && textless.length === pages.length)
    flags.push(flag('NO_TEXT_LAYER', null, `no page of the ${pages.length} carries a text layer (a scan?)`));
  else if (textless.some((layout) => layout.hasImage))
    flags.push(
      flag(
        'NO_TEXT_LAYER',
        null,
        `pages ${textless
          .filter((layout) => layout.hasImage)
          .map((layout) => layout.page)
          .join(', ')} are images without text`,
      ),
    );

  const mixed = pages.filter((layout) => layout.turned.strayDigits > 0);
  if (mixed.length)
    flags.push(
      flag(
        'TEXT_DIRECTION_MIXED',
        null,
        `${mixed
          .map((layout) => `page ${layout.page}: ${layout.turned.strayDigits} digits`)
          .join(', ')} printed in another direction than the page's text`,
      ),
    );

  const rawTitle = doc.info.Title?.trim() ?? '';
  const title = rawTitle.replace(/^Microsoft Word - /, '').replace(/\.(docx?|wps)$/i, '') || null;
  return {
    format: 'pdf',
    blocks,
    meta: { title, publishedAt: pdfDate(doc.info.CreationDate), pages: doc.pages.length },
    flags,
    ...(scans.reread ? { reread: scans.reread } : {}),
  } satisfies DocumentModel;
}

/**
 * Prose carries no confidence to the mapper, which may still read a number from it (a table printed as text): an
 * OCR number in prose that tesseract was not sure of is marked ("12?"), so it reads as a value that is not a number
 * (null, flagged) rather than as a number.
 */
function doubtInProse(item: Item): Item {
  const doubtful = item.confidence !== undefined && item.confidence < OCR_MIN_CONFIDENCE;
  return doubtful && /^[+-]?\d[\d,]*(\.\d+)?$/.test(item.str.trim()) ? { ...item, str: `${item.str.trim()}?` } : item;
}

/** The least confident OCR word inside a cell's box (upright page points); none for a text layer's cell. */
function cellConfidence(items: Item[], bbox: BBox): number | undefined {
  let least: number | undefined;
  for (const item of items) {
    if (
      item.confidence === undefined ||
      !inside((item.x0 + item.x1) / 2, (item.y0 + item.y1) / 2, { x0: bbox[0], y0: bbox[1], x1: bbox[2], y1: bbox[3] })
    )
      continue;
    least = Math.min(least ?? 1, item.confidence);
  }
  return least;
}

/**
 * Pages with an image and no text (a scan, a table pasted as a picture) are read with OCR when tesseract is
 * installed; their RawPages are replaced by what OCR found. Without it they stay textless (NO_TEXT_LAYER below)
 * and OCR_UNAVAILABLE says why.
 */
async function readScans(
  bytes: Uint8Array,
  doc: RawPdf,
): Promise<{ pages: RawPage[]; flags: Flag[]; reread?: DocumentModel['reread'] }> {
  const scanned = doc.pages.filter((raw) => raw.image && !raw.items.some((item) => item.str.trim()));
  if (!scanned.length) return { pages: doc.pages, flags: [] };
  const available = await ocrAvailability();
  const list = scanned.map((raw) => raw.n).join(', ');
  if ('unavailable' in available)
    return {
      pages: doc.pages,
      flags: [flag('OCR_UNAVAILABLE', null, `pages ${list} not read: ${available.unavailable}`)],
    };
  const ocr = await ocrPages(bytes, scanned, available.engine);
  const byNumber = new Map(ocr.pages.map((raw) => [raw.n, raw]));
  const detail = ocr.found
    .map((found, index) => {
      const turned = found.turns ? `, turned ${found.turns * 90}°` : '';
      const skew = found.skew ? `, deskewed ${found.skew}°` : '';
      const words = `${found.words} words at ${found.dpi} dpi, mean confidence ${Math.round(found.meanConf)}`;
      return `page ${scanned[index].n}: ${words}${turned}${skew}`;
    })
    .join('; ');
  return {
    pages: doc.pages.map((raw) => byNumber.get(raw.n) ?? raw),
    flags: [flag('OCR_USED', null, `pages ${list} read with OCR (tesseract ${available.engine.languages}): ${detail}`)],
    reread: ocr.reread,
  };
}

/**
 * A label cut by a page break in a table without ruling lines: the last row of a page's last table has the start
 * of its label ("2.申请人逾期"), the rest tops the next page in the same narrow column ("未按收" "费通知" …), and the
 * table goes on below it. Those lines join the label; anything wider than the label column, or not followed by a
 * table on its page, stays a paragraph.
 */
function carryLabelsOver(pieces: Piece[]): Piece[] {
  const out = [...pieces];
  for (let i = 0; i < out.length; i++) {
    const table = out[i];
    if (table.kind !== 'table' || !table.rows?.length) continue;
    const firstNext = out.findIndex((piece, index) => index > i && piece.page !== table.page);
    if (firstNext < 0 || out[firstNext].page !== table.page + 1) continue;
    // nothing after the table on its own page
    if (firstNext !== i + 1) continue;
    const lastRow = table.rows[table.rows.length - 1];
    const label = [...lastRow].reverse().find((cell) => cell.text && !/^[\d.,\s+-]+$/.test(cell.text));
    if (!label) continue;
    const [left, , right] = label.bbox;
    let end = firstNext;
    while (
      end < out.length &&
      out[end].page === table.page + 1 &&
      out[end].kind === 'para' &&
      out[end].bbox[0] >= left - 2 &&
      out[end].bbox[2] <= right + 2
    )
      end++;
    const following = out[end];
    if (end === firstNext || following?.kind !== 'table' || following.page !== table.page + 1) continue;
    const carried = out.slice(firstNext, end).map((piece) => (piece.kind === 'para' ? piece.text : ''));
    label.text += carried.join('');
    out.splice(firstNext, end - firstNext);
  }
  return out;
}

/**
 * A table that ends a page and a table that starts the next one, with the same outer edges and nothing in between
 * (page numbers are already dropped), are one table.
 */
function joinAcrossPages(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const piece of pieces) {
    const prev = out[out.length - 1];
    if (
      piece.kind === 'table' &&
      prev?.kind === 'table' &&
      piece.part &&
      prev.part &&
      continues(prev.part, piece.part)
    ) {
      prev.part = join(prev.part, piece.part);
      continue;
    }
    out.push(piece);
  }
  return out;
}

export default readPdf;
