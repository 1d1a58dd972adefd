// PDF → document model. Tables come from ruling lines (the only method that keeps a wrapped label with its numbers),
// with a fallback that rebuilds rows from text positions for tables printed without lines. Every cell keeps
// {page, bbox} (viewport points, origin top-left) so a number can be found again on the page.
import type { Block, DocumentModel, Reader, TableCell } from '../model.ts';
import type { SourceAt } from '../report.ts';
import { flag } from '../report.ts';
import { InputError } from '../../core/errors.ts';
import { readRawPdf, type RawPdf, type RawPage } from './pdf/pdfjs.ts';
import { rulingTables } from './pdf/rulings.ts';
import { cellText, isFurniture, median, pageItems, toLines, toParagraphs, type Item, type Line } from './pdf/text.ts';
import { continues, join, partOf, round, toGrid, type BBox, type GridCell, type TablePart } from './pdf/tables.ts';
import { positionalTables } from './pdf/positional.ts';

type Piece =
  | { kind: 'para'; page: number; y: number; text: string; heading: boolean; bbox: BBox }
  | { kind: 'table'; page: number; y: number; bbox: BBox; part: TablePart | null; rows: GridCell[][] | null };

async function openPdf(bytes: Uint8Array): Promise<RawPdf> {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (!head.includes('%PDF-')) throw new InputError('not a PDF: no %PDF- header');
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 2048))).toString('latin1');
  if (!tail.includes('%%EOF')) throw new InputError('truncated PDF: no %%EOF marker at the end of the file');
  try {
    // a worker stopped under another document's time limit: this one deserves a second try on a fresh worker
    return await readRawPdf(bytes).catch((e: Error) =>
      e.name === 'WorkerError' ? readRawPdf(bytes) : Promise.reject(e),
    );
  } catch (e) {
    const err = e as Error;
    if (err.name === 'PasswordException') throw new InputError('encrypted PDF: a password is required to open it');
    if (err.name === 'Timeout') throw new InputError(`PDF too slow to read: ${err.message}`);
    throw new InputError(`corrupt PDF: ${err.message}`);
  }
}

function pdfDate(s: unknown): string | null {
  const m = typeof s === 'string' ? /^(?:D:)?(\d{4})(\d{2})?(\d{2})?/.exec(s) : null;
  if (!m) return null;
  return `${m[1]}-${m[2] ?? '01'}-${m[3] ?? '01'}`;
}

function inside(x: number, y: number, b: { x0: number; y0: number; x1: number; y1: number }, tol = 1): boolean {
  return x >= b.x0 - tol && x <= b.x1 + tol && y >= b.y0 - tol && y <= b.y1 + tol;
}

function layoutPage(raw: RawPage) {
  const items = pageItems(raw);
  const tables = rulingTables(raw).filter((t) => t.rows * t.cols > 1);
  const byCell = new Map<object, Item[]>();
  const free: Item[] = [];
  for (const it of items) {
    const cx = (it.x0 + it.x1) / 2;
    const cy = (it.y0 + it.y1) / 2;
    const t = tables.find((tb) => inside(cx, cy, tb));
    const c = t?.cells.find((cl) => inside(cx, cy, cl, 0.5));
    if (c) {
      const list = byCell.get(c) ?? [];
      list.push(it);
      byCell.set(c, list);
    } else free.push(it);
  }
  return { page: raw.n, width: raw.width, height: raw.height, items, tables, byCell, free, hasImage: raw.image };
}

export const readPdf: Reader = async (bytes) => {
  const doc = await openPdf(bytes);
  const pages = doc.pages.map(layoutPage);
  const bodySize = median(pages.flatMap((pg) => pg.items.map((i) => i.size))) || 10;

  const pieces: Piece[] = [];
  for (const pg of pages) {
    const local: Piece[] = [];
    for (const t of pg.tables) {
      const lines = new Map(t.cells.map((c) => [c, toLines(pg.byCell.get(c) ?? [])]));
      // The table's cell padding: the smallest gap between a cell's left border and its text.
      const gaps = [...lines].filter(([, ls]) => ls.length).map(([c, ls]) => Math.min(...ls.map((l) => l.x0 - c.x0)));
      const padding = gaps.length ? Math.max(0, Math.min(...gaps)) : 0;
      const part = partOf(t, pg.page, (c) => cellText(lines.get(c) ?? [], c.x1 - c.x0, padding));
      local.push({ kind: 'table', page: pg.page, y: t.y0, bbox: round([t.x0, t.y0, t.x1, t.y1]), part, rows: null });
    }
    const pos = positionalTables(pg.free);
    const lines = toLines(pos.rest).filter((l) => !isFurniture(l, pg.height));
    const left = Math.min(...lines.map((l) => l.x0));
    const right = Math.max(...lines.map((l) => l.x1), ...pg.tables.map((t) => t.x1));
    for (const t of pos.tables)
      local.push({
        kind: 'table',
        page: pg.page,
        y: t.bbox[1],
        bbox: round(t.bbox),
        part: null,
        rows: t.rows.map((r, ri) =>
          r.map((c, ci) => ({
            id: -(ri * 1000 + ci + 1),
            text: c.text,
            page: pg.page,
            bbox: round(c.bbox),
            origin: true,
            rowspan: 1,
            colspan: 1,
            full: false,
          })),
        ),
      });
    // Prose is not merged across a table: cut the lines at each table's top.
    const cuts = [...pos.tables.map((t) => t.bbox[1]), ...pg.tables.map((t) => t.y0)].sort((a, b) => a - b);
    const runs: Line[][] = [[]];
    let ci = 0;
    for (const l of lines) {
      let cut = false;
      while (ci < cuts.length && cuts[ci] <= l.y0) {
        ci++;
        cut = true;
      }
      if (cut) runs.push([]);
      runs[runs.length - 1].push(l);
    }
    for (const run of runs)
      for (const para of toParagraphs(run, left, right, pg.width, bodySize))
        local.push({
          kind: 'para',
          page: pg.page,
          y: para.y0,
          text: para.text,
          heading: para.heading,
          bbox: round([para.x0, para.y0, para.x1, para.y1]),
        });
    local.sort((a, b) => a.y - b.y);
    pieces.push(...local);
  }

  const joined = joinAcrossPages(pieces);
  const blocks: Block[] = [];
  let tableIndex = 0;
  for (const pc of joined) {
    if (pc.kind === 'para') {
      blocks.push({
        kind: 'paragraph',
        text: pc.text,
        ...(pc.heading ? { heading: true } : {}),
        at: { page: pc.page, bbox: pc.bbox },
      });
      continue;
    }
    const index = tableIndex++;
    const grid = pc.rows ?? toGrid(pc.part!);
    // A copy points at its origin's position, as in the other readers.
    const pos = new Map<number, [number, number]>();
    grid.forEach((row, r) => row.forEach((c, k) => (c.origin && !pos.has(c.id) ? pos.set(c.id, [r, k]) : undefined)));
    const rows: TableCell[][] = grid.map((row, r) =>
      row.map((c, k) => {
        const [or, ok] = c.origin ? [r, k] : (pos.get(c.id) ?? [r, k]);
        const at: SourceAt = { page: c.page, bbox: c.bbox, table: index, row: or, col: ok };
        return { text: c.text, at, origin: c.origin, rowspan: c.rowspan, colspan: c.colspan };
      }),
    );
    blocks.push({ kind: 'table', index, rows, at: { page: pc.page, bbox: pc.bbox, table: index } });
  }

  const flags = [];
  const textless = pages.filter((pg) => !pg.items.some((i) => i.str.trim()));
  if (pages.length && textless.length === pages.length)
    flags.push(flag('NO_TEXT_LAYER', null, `no page of the ${pages.length} carries a text layer (a scan?)`));
  else if (textless.some((pg) => pg.hasImage))
    flags.push(
      flag(
        'NO_TEXT_LAYER',
        null,
        `pages ${textless
          .filter((pg) => pg.hasImage)
          .map((pg) => pg.page)
          .join(', ')} are images without text`,
      ),
    );

  const rawTitle = doc.info.Title?.trim() ?? '';
  const title = rawTitle.replace(/^Microsoft Word - /, '').replace(/\.(docx?|wps)$/i, '') || null;
  return {
    format: 'pdf',
    blocks,
    meta: { title, publishedAt: pdfDate(doc.info.CreationDate), pages: doc.pages.length },
    flags,
  } satisfies DocumentModel;
};

/**
 * A table that ends a page and a table that starts the next one, with the same outer edges and nothing in between
 * (page numbers are already dropped), are one table.
 */
function joinAcrossPages(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const pc of pieces) {
    const prev = out[out.length - 1];
    if (pc.kind === 'table' && prev?.kind === 'table' && pc.part && prev.part && continues(prev.part, pc.part)) {
      prev.part = join(prev.part, pc.part);
      continue;
    }
    out.push(pc);
  }
  return out;
}

export default readPdf;
