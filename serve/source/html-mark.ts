// The archived HTML page with one table cell marked, made inert. The cell is found the way the HTML reader counts
// (extractors/readers/html.ts): `table` is the index among the innermost tables of the article body that have rows,
// `row` is the index among the table's own <tr> (direct, or in its thead/tbody/tfoot), `col` the grid column after
// rowspan/colspan expansion. The reader's body choice is not exported, so each table the reader produced is matched,
// in order, to the page's innermost tables by its grid text; the cell is then the <td>/<th> covering (row, col).
import * as cheerio from 'cheerio';
import type { Element } from 'domhandler';
import type { DocumentModel, TableBlock } from '../../extractors/model.ts';
import { decodeHtml } from '../../extractors/readers/encoding.ts';
import { nestingDepth, textOf } from '../../extractors/readers/html.ts';

/** The reader's parser switch (html.ts MAX_PARSE5_DEPTH): the same tree, so the same tables and rows. */
const PARSE5_DEPTH = 1000;
const MARK_ID = 'nianbao-cell';

interface DomGrid {
  table: Element;
  /** grid[r][c] = the <td>/<th> covering (r, c), undefined past a short row. */
  cells: Element[][];
  signature: string;
}

const cellText = (cell: Element) =>
  textOf(cell, true)
    .replace(/[\u00a0\u3000 \t]+/g, ' ')
    .replace(/ *\n[\n ]*/g, '\n')
    .trim();

function spanOf(value: string | undefined, max: number): number {
  const count = Number.parseInt(value ?? '1', 10);
  return Number.isFinite(count) && count >= 1 ? Math.min(count, max) : 1;
}

function ownRows(table: Element): Element[] {
  const rows: Element[] = [];
  const isTag = (node: { type: string }, ...names: string[]) =>
    node.type === 'tag' && names.includes((node as Element).tagName.toLowerCase());
  for (const child of table.children) {
    if (isTag(child, 'tr')) rows.push(child as Element);
    else if (isTag(child, 'thead', 'tbody', 'tfoot'))
      for (const row of (child as Element).children) if (isTag(row, 'tr')) rows.push(row as Element);
  }
  return rows;
}

/** The same expansion as the reader's grid(): texts for matching, elements for marking. */
function domGrid($: cheerio.CheerioAPI, table: Element): DomGrid | null {
  const rowElements = ownRows(table);
  if (!rowElements.length) return null;
  const texts: string[][] = [];
  const cells: Element[][] = [];
  rowElements.forEach((rowElement, row) => {
    texts[row] ??= [];
    cells[row] ??= [];
    let col = 0;
    for (const cell of $(rowElement).children('td,th').toArray() as Element[]) {
      while (texts[row][col] !== undefined) col++;
      const rowspan = spanOf($(cell).attr('rowspan'), 1000);
      const colspan = spanOf($(cell).attr('colspan'), 100);
      const text = cellText(cell);
      for (let dr = 0; dr < rowspan && row + dr < rowElements.length; dr++) {
        texts[row + dr] ??= [];
        cells[row + dr] ??= [];
        for (let dc = 0; dc < colspan; dc++) {
          texts[row + dr][col + dc] = text;
          cells[row + dr][col + dc] = cell;
        }
      }
      col += colspan;
    }
  });
  const width = Math.max(...texts.map((r) => r.length));
  const signature = texts.map((r) => Array.from({ length: width }, (_, c) => r[c] ?? '').join('\u0001')).join('\u0002');
  return { table, cells, signature };
}

function modelSignature(block: TableBlock): string {
  return block.rows.map((r) => r.map((c) => c.text).join('\u0001')).join('\u0002');
}

/** Makes the page inert: no script, no frame or plugin, no handler attribute, no javascript: URL, no refresh. */
function neutralise($: cheerio.CheerioAPI): void {
  // forms stay (ASP.NET portals wrap the whole page in one); the CSP's sandbox and form-action 'none' stop them
  $('script, noscript, iframe, frame, frameset, object, embed, applet, base, link, meta[http-equiv]').remove();
  for (const element of $('*').toArray() as Element[]) {
    for (const name of Object.keys(element.attribs ?? {})) {
      const value = element.attribs[name];
      if (/^on/i.test(name) || /^\s*(javascript|vbscript|data):/i.test(value ?? '') || name === 'srcdoc')
        delete element.attribs[name];
    }
  }
}

export interface MarkedPage {
  html: string;
  /** Whether the requested cell was found and marked. */
  marked: boolean;
  /** Why it was not, for the page to say. */
  note: string | null;
}

/** One archived page, parsed and made inert once; each mark() serialises it with one cell marked. */
export interface HtmlMarker {
  mark(at: { table?: number; row?: number; col?: number } | null): MarkedPage;
}

/** The reader's tables (by their `table` index) → the page's innermost tables with the same grid text, in order. */
function matchTables($: cheerio.CheerioAPI, model: DocumentModel): Map<number, DomGrid> {
  const innermost = ($('table').toArray() as Element[]).filter((t) => $(t).find('table').length === 0);
  const grids = innermost.map((t) => domGrid($, t)).filter((g): g is DomGrid => g !== null);
  const found = new Map<number, DomGrid>();
  let next = 0;
  for (const block of model.blocks) {
    if (block.kind !== 'table') continue;
    const signature = modelSignature(block);
    let at = next;
    while (at < grids.length && grids[at].signature !== signature) at++;
    if (at >= grids.length) continue; // not found: the later tables may still match
    found.set(block.index, grids[at]);
    next = at + 1;
  }
  return found;
}

/**
 * The page of `bytes`, inert, ready to be served with a cell marked (id nianbao-cell) as UTF-8 HTML. `model` is what
 * the reader made of the same bytes (its table order is the `table` of every cell).
 */
export function htmlMarker(bytes: Uint8Array, contentType: string | null, model: DocumentModel): HtmlMarker {
  const text = decodeHtml(bytes, contentType);
  const $ =
    nestingDepth(text) > PARSE5_DEPTH
      ? cheerio.load(text, { xml: { xmlMode: false, decodeEntities: true, lowerCaseTags: true } })
      : cheerio.load(text);
  // matched before anything is removed, on the same tree the reader saw
  const tables = matchTables($, model);
  neutralise($);
  $('head').prepend(
    '<meta charset="utf-8"><style>#nianbao-cell{outline:3px solid #ff6f00 !important;background:#ffe0b2 !important;}</style>',
  );
  return {
    mark(at) {
      if (!at || at.table === undefined || at.row === undefined || at.col === undefined)
        return { html: $.html(), marked: false, note: null };
      const cell = tables.get(at.table)?.cells[at.row]?.[at.col];
      if (!cell)
        return {
          html: $.html(),
          marked: false,
          note: `table ${at.table} row ${at.row} column ${at.col} was not found in the archived page`,
        };
      const before = cell.attribs.id;
      cell.attribs.id = MARK_ID;
      cell.attribs['data-nianbao-at'] = `${at.table},${at.row},${at.col}`;
      try {
        return { html: $.html(), marked: true, note: null };
      } finally {
        if (before === undefined) delete cell.attribs.id;
        else cell.attribs.id = before;
        delete cell.attribs['data-nianbao-at'];
      }
    },
  };
}

/** One cell of one page marked (htmlMarker for a single use). */
export function markHtmlCell(
  bytes: Uint8Array,
  contentType: string | null,
  model: DocumentModel,
  at: { table?: number; row?: number; col?: number } | null,
): MarkedPage {
  return htmlMarker(bytes, contentType, model).mark(at);
}

export const HTML_MARK_ID = MARK_ID;
