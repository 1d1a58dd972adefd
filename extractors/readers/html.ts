// HTML → document model. Decodes GBK/GB2312 pages as GB18030 (BOM, then the HTTP header, then <meta>, then
// sniffing), picks the article body out of the portal chrome, and expands rowspan/colspan into the grid.
import * as cheerio from 'cheerio';
import type { AnyNode, Element, Text } from 'domhandler';
import type { Block, DocumentModel, ReadHints, Reader, TableCell } from '../model.ts';
import { flag } from '../report.ts';
import { InputError } from '../../core/errors.ts';
import { decodeHtml } from './encoding.ts';
import { IMAGE_REF, MAX_IMAGES, takeDataImages, withImageTables, type PlacedImage } from './images.ts';

/** Where CMS families put the article: TRS (#zoom, .TRS_Editor), Hanweb (#zoom, .bt_content), generic. */
const BODY_SELECTORS = [
  '.TRS_Editor',
  '#zoom',
  '#UCAP-CONTENT',
  '.bt_content',
  '#Zoom',
  '.article-content',
  '.art_con',
  '.zwnr',
  '#zwnr',
  '.article',
  'article',
  '.content',
  '#content',
  '.detail',
  '.main-txt',
];
const BLOCK = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'li',
  'ul',
  'ol',
  'tr',
  'table',
  'blockquote',
  'center',
  'dd',
  'dt',
  'dl',
  'pre',
  'form',
  'header',
  'footer',
  'body',
  'html',
]);
const SKIP = new Set([
  'script',
  'style',
  'noscript',
  'iframe',
  'object',
  'svg',
  'select',
  'option',
  'button',
  'input',
  'textarea',
  'head',
  'template',
]);
const MAX_SPAN = 1000;
/** No annual report page comes near this once inline images are dropped; parsing more costs ~20× in memory. */
export const MAX_HTML_CHARS = 16 * 1024 * 1024;
const MAX_PARSE5_DEPTH = 1000;
/** Even htmlparser2 slows down quadratically beyond this; no real page comes near. */
const MAX_DEPTH = 20000;

/**
 * Tags that never nest (void) or that a parser closes implicitly (an unclosed <p>/<td>/<li> of a Word export ends at
 * the next sibling): counting them would make real pages look deep.
 */
const NOT_NESTING = new Set(
  (
    'area base br col embed hr img input link meta param source track wbr keygen command basefont bgsound frame ' +
    'p li dt dd tr td th option optgroup thead tbody tfoot colgroup caption rb rt rp html head body'
  ).split(' '),
);

/**
 * Deepest nesting of the page's tags (a linear scan, no parse). Every tag name counts (a hostile page nests <nav>,
 * <x-a> or any name as well as <div>) except those of NOT_NESTING.
 */
export function nestingDepth(html: string): number {
  const anyTag = /<(\/?)([A-Za-z][A-Za-z0-9:-]*)\b[^>]*?(\/?)>/g;
  let depth = 0;
  let max = 0;
  for (let tag = anyTag.exec(html); tag; tag = anyTag.exec(html)) {
    if (tag[3] || NOT_NESTING.has(tag[2].toLowerCase())) continue;
    depth = tag[1] ? Math.max(0, depth - 1) : depth + 1;
    if (depth > max) max = depth;
  }
  return max;
}

/** The model from the page's text alone (images are not read: see `parseHtml` and the default reader). */
export function readHtml(bytes: Uint8Array, hints: ReadHints = {}): DocumentModel {
  return parseHtml(bytes, hints).model;
}

export interface ParsedHtml {
  model: DocumentModel;
  /** the article's images (those in `images`, or the page's own data: images), where they sit among the blocks */
  placed: PlacedImage[];
  /** data: images beyond the limits of images.ts, not kept */
  dropped: number;
}

/**
 * `images`: pictures the markup refers to as `nianbao-image:<key>` (the DOCX reader's); without it the page's own
 * data: images are taken out before parsing and referred to that way.
 */
export function parseHtml(bytes: Uint8Array, hints: ReadHints = {}, images?: Map<string, Uint8Array>): ParsedHtml {
  // Decoded here rather than by cheerio.loadBuffer: the same precedence (BOM, header, <meta>), plus GBK sniffing for
  // pages that declare nothing; and htmlparser2 parses a page in a few ms where parse5 streaming took ~100 ms.
  let text = decodeHtml(bytes, hints.contentType);
  let dropped = 0;
  // Word-exported pages and county articles inline pictures as base64: the kept ones (bounded in count and size)
  // are decoded before parsing, the markup keeps a short reference; the rest carries no text and would only cost
  // memory, so it goes too (and all of it where the pictures come from elsewhere, as the DOCX reader's do).
  if (!images) ({ html: text, images, dropped } = takeDataImages(text));
  else if (text.length > 1 << 20) text = takeDataImages(text, 0).html;
  if (text.length > MAX_HTML_CHARS)
    throw new InputError(
      `HTML page of ${Math.round(text.length / 1048576)} M characters exceeds the ${MAX_HTML_CHARS / 1048576} M limit: not a report page`,
    );
  // parse5 (cheerio's default) repairs broken markup as browsers do (unclosed <td>/<p> of Word exports), but is
  // quadratic on absurd nesting; htmlparser2 takes those pages.
  const depth = nestingDepth(text);
  if (depth > MAX_DEPTH)
    throw new InputError(`HTML nested ${depth} levels deep (limit ${MAX_DEPTH}): a broken or hostile page`);
  const $ =
    depth > MAX_PARSE5_DEPTH
      ? cheerio.load(text, {
          xml: { xmlMode: false, decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
        })
      : cheerio.load(text);
  const idx = index($);
  const metaOf = (name: string) => idx.meta.get(name.toLowerCase())?.trim() || null;
  const meta = {
    title: metaOf('ArticleTitle') ?? (idx.title?.trim() || null),
    publishedAt: metaOf('PubDate') ?? metaOf('publishdate') ?? metaOf('firstpublishedtime') ?? printedDate($),
    siteIdCode: metaOf('SiteIDCode'),
    siteName: metaOf('SiteName'),
  };
  const body = pickBody($, idx);
  const pictures = images;
  const placed: PlacedImage[] = [];
  const onImage = (src: string | undefined, before: number) => {
    const bytes = src?.startsWith(IMAGE_REF) ? pictures.get(src.slice(IMAGE_REF.length)) : linkedImage(src, hints);
    if (bytes && placed.length < MAX_IMAGES) placed.push({ before, bytes });
  };
  const blocks = body ? toBlocks($, body, onImage) : [];
  const flags = [];
  if (body && isListPage(body, blocks)) flags.push(flag('NOT_A_REPORT', null, 'a list page of links, not a report'));
  return { model: { format: 'html', blocks, meta, flags }, placed, dropped };
}

/** A picture the page links (`<img src="/uploads/…">`), among those fetched with it (hints.images). */
function linkedImage(src: string | undefined, hints: ReadHints): Uint8Array | undefined {
  if (!src || !hints.images?.size) return undefined;
  try {
    return hints.images.get(new URL(src.trim(), hints.url).href);
  } catch {
    return undefined; // no page URL to resolve a relative src against, or a malformed one
  }
}

interface Index {
  meta: Map<string, string>;
  title: string | null;
  /** Elements matching each BODY_SELECTORS entry, in document order. */
  candidates: Map<string, Element[]>;
}

/** One pass over the DOM for what would otherwise be two dozen selector queries, each a full walk. */
function index($: cheerio.CheerioAPI): Index {
  const idx: Index = { meta: new Map(), title: null, candidates: new Map() };
  const stack: AnyNode[] = [...($.root().get(0)?.children ?? [])].reverse();
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type !== 'tag' && node.type !== 'script' && node.type !== 'style') continue;
    const element = node as Element;
    const name = element.tagName.toLowerCase();
    if (name === 'meta' && element.attribs.name && element.attribs.content !== undefined)
      idx.meta.set(element.attribs.name.toLowerCase(), element.attribs.content);
    else if (name === 'title' && idx.title === null) idx.title = textOf(element);
    const id = element.attribs?.id;
    const classes = element.attribs?.class?.split(/\s+/) ?? [];
    for (const sel of BODY_SELECTORS) {
      const hit = sel.startsWith('#')
        ? id === sel.slice(1)
        : sel.startsWith('.')
          ? classes.includes(sel.slice(1))
          : name === sel;
      if (hit) idx.candidates.set(sel, [...(idx.candidates.get(sel) ?? []), element]);
    }
    const kids = element.children ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  return idx;
}

/** "发布时间：2022-01-20" in the page chrome, for portals without a PubDate meta. */
function printedDate($: cheerio.CheerioAPI): string | null {
  const root = $.root().get(0);
  if (!root) return null;
  const date =
    /(?:发布|发文|公开|成文)(?:时间|日期)\s*[:：]\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})/.exec(
      textOf(root).slice(0, 200000),
    );
  return date ? `${date[1]}-${date[2].padStart(2, '0')}-${date[3].padStart(2, '0')}` : null;
}

/** The article body: a known CMS container with real text, else the element holding most of the non-link text. */
function pickBody($: cheerio.CheerioAPI, idx: Index): Element | null {
  for (const sel of BODY_SELECTORS) {
    const found = (idx.candidates.get(sel) ?? []).find((e) => visible(e) >= 100);
    if (found) return found;
  }
  let node = ($('body').get(0) ?? $.root().children().get(0)) as Element | undefined;
  if (!node) return null;
  const score = (e: Element) => visible(e) - 2 * linkText(e);
  // Descend while one child holds nearly all of the parent's text: portal chrome falls away, the article stays.
  for (let depth = 0; depth < 200; depth++) {
    const own = score(node);
    const kids = $(node)
      .children()
      .toArray()
      .filter((k) => !SKIP.has(k.tagName) && k.tagName !== 'table') as Element[];
    let best: Element | null = null;
    let bestScore = -Infinity;
    for (const kid of kids) {
      const kidScore = score(kid);
      if (kidScore > bestScore) {
        best = kid;
        bestScore = kidScore;
      }
    }
    if (!best || bestScore < own * 0.8) break;
    node = best;
  }
  return node;
}

function isListPage(body: Element, blocks: Block[]): boolean {
  if (blocks.some((b) => b.kind === 'table' && b.rows.length > 3)) return false;
  if (countTags(body, 'a') < 15) return false;
  return linkText(body) > visible(body) * 0.5;
}

/**
 * Walks the body in document order: paragraphs at block boundaries and <br>, innermost tables as grids; each <img>
 * is told to `onImage` with the number of blocks before it (one inside a table: after the table).
 */
function toBlocks(
  $: cheerio.CheerioAPI,
  body: Element,
  onImage: (src: string | undefined, before: number) => void,
): Block[] {
  const blocks: Block[] = [];
  let buf = '';
  let tables = 0;
  const flush = () => {
    const text = buf.replace(/[\u00a0\u3000 \t\r\n]+/g, ' ').trim();
    if (text) blocks.push({ kind: 'paragraph', text, at: {} });
    buf = '';
  };
  // An explicit stack instead of recursion: hostile pages nest tags tens of thousands deep.
  const stack: Array<AnyNode | 'flush'> = [body];
  while (stack.length) {
    const node = stack.pop()!;
    if (node === 'flush') {
      flush();
      continue;
    }
    if (node.type === 'text') {
      buf += (node as Text).data;
      continue;
    }
    if (node.type !== 'tag' && node.type !== 'root') continue;
    const element = node as Element;
    const name = element.tagName?.toLowerCase();
    if (SKIP.has(name)) continue;
    if (name === 'br') {
      flush();
      continue;
    }
    if (name === 'img') {
      flush();
      onImage(element.attribs.src, blocks.length);
      continue;
    }
    if (name === 'table' && countTags(element, 'table') === 1) {
      flush();
      const table = grid($, element, tables);
      if (table) {
        blocks.push(table);
        tables++;
      }
      for (const img of imagesIn(element)) onImage(img.attribs.src, blocks.length);
      continue;
    }
    const block = BLOCK.has(name) || name === 'td' || name === 'th';
    if (block) {
      flush();
      stack.push('flush');
    }
    const kids = element.children ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  flush();
  return blocks;
}

/** A table's rows (its own, not nested ones) → a rectangular grid with merged cells expanded. */
function grid($: cheerio.CheerioAPI, table: Element, index: number): Block | null {
  // The table's own rows: direct <tr> children or those of its thead/tbody/tfoot, never a nested table's.
  const rowElements: Element[] = [];
  for (const child of table.children) {
    if (child.type !== 'tag') continue;
    const name = (child as Element).tagName.toLowerCase();
    if (name === 'tr') rowElements.push(child as Element);
    else if (name === 'thead' || name === 'tbody' || name === 'tfoot')
      for (const rowElement of (child as Element).children)
        if (rowElement.type === 'tag' && (rowElement as Element).tagName.toLowerCase() === 'tr')
          rowElements.push(rowElement as Element);
  }
  const rows: TableCell[][] = [];
  rowElements.forEach((rowElement, row) => {
    rows[row] ??= [];
    let col = 0;
    for (const cellElement of $(rowElement).children('td,th').toArray()) {
      while (rows[row][col]) col++;
      const rowspan = span($(cellElement).attr('rowspan'), MAX_SPAN);
      const colspan = span($(cellElement).attr('colspan'), 100);
      const at = { table: index, row, col };
      const text = cellText(cellElement as Element);
      for (let dr = 0; dr < rowspan && row + dr < rowElements.length; dr++) {
        rows[row + dr] ??= [];
        for (let dc = 0; dc < colspan; dc++)
          rows[row + dr][col + dc] = { text, at, origin: dr === 0 && dc === 0, rowspan, colspan };
      }
      col += colspan;
    }
  });
  if (!rows.length) return null;
  const width = Math.max(...rows.map((r) => r.length));
  for (const [rowIndex, row] of rows.entries())
    for (let c = 0; c < width; c++)
      row[c] ??= { text: '', at: { table: index, row: rowIndex, col: c }, origin: false, rowspan: 1, colspan: 1 };
  return { kind: 'table', index, rows, at: { table: index } };
}

function span(value: string | undefined, max: number): number {
  const count = Number.parseInt(value ?? '1', 10);
  return Number.isFinite(count) && count >= 1 ? Math.min(count, max) : 1;
}

/**
 * Text of a subtree without recursion (hostile pages nest tags 100,000 deep). With `lines`, <br>/<p>/<div> become
 * line breaks (wrapped labels in cells) and &nbsp; a space, so a blank cell stays blank.
 */
export function textOf(node: AnyNode, lines = false): string {
  const parts: string[] = [];
  const stack: AnyNode[] = [node];
  while (stack.length) {
    const current = stack.pop()!;
    if (current.type === 'text') {
      parts.push((current as Text).data);
      continue;
    }
    if (current.type !== 'tag' && current.type !== 'root') continue;
    const element = current as Element;
    if (element.tagName && SKIP.has(element.tagName.toLowerCase())) continue;
    if (lines && element !== node && /^(br|p|div)$/i.test(element.tagName)) parts.push('\n');
    const kids = element.children ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  return parts.join('');
}

function cellText(cell: Element): string {
  return textOf(cell, true)
    .replace(/[\u00a0\u3000 \t]+/g, ' ')
    .replace(/ *\n[\n ]*/g, '\n')
    .trim();
}

const visible = (n: AnyNode) => textOf(n).replace(/\s+/g, '').length;
const linkText = (root: AnyNode) => {
  let total = 0;
  const stack: AnyNode[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type !== 'tag') continue;
    if ((node as Element).tagName.toLowerCase() === 'a') total += visible(node);
    else for (const kid of (node as Element).children) stack.push(kid);
  }
  return total;
};
const imagesIn = (root: AnyNode): Element[] => {
  const out: Element[] = [];
  const stack: AnyNode[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type !== 'tag') continue;
    if ((node as Element).tagName.toLowerCase() === 'img') out.push(node as Element);
    const kids = (node as Element).children;
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  return out;
};
const countTags = (root: AnyNode, tag: string) => {
  let count = 0;
  const stack: AnyNode[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type !== 'tag') continue;
    if ((node as Element).tagName.toLowerCase() === tag) count++;
    for (const kid of (node as Element).children) stack.push(kid);
  }
  return count;
};

/** The page read, and its pictures read with OCR when its text lacks the template's tables (images.ts). */
const reader: Reader = async (bytes, hints) => {
  const { model, placed, dropped } = parseHtml(bytes, hints);
  return withImageTables(model, placed, dropped);
};
export default reader;
