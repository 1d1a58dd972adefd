// HTML → document model. Decodes GBK/GB2312 pages as GB18030 (BOM, then the HTTP header, then <meta>, then
// sniffing), picks the article body out of the portal chrome, and expands rowspan/colspan into the grid.
import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { Block, DocumentModel, ReadHints, Reader, TableCell } from '../model.ts';
import { flag } from '../report.ts';
import { InputError } from '../../core/errors.ts';
import { decodeHtml } from './encoding.ts';

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

/** Deepest nesting of container tags that are never closed implicitly (a linear scan, no parse). */
export function nestingDepth(html: string): number {
  const re = /<(\/?)(div|span|font|table|section|article|blockquote|center|ul|ol|b|i|u|strong|em)\b[^>]*?(\/?)>/gi;
  let depth = 0;
  let max = 0;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    if (m[3]) continue;
    depth = m[1] ? Math.max(0, depth - 1) : depth + 1;
    if (depth > max) max = depth;
  }
  return max;
}

/** Replaces base64 data: URIs (inline images) by "data:," without a regex over megabytes of base64. */
export function dropDataUris(html: string): string {
  const out: string[] = [];
  let from = 0;
  for (let i = html.indexOf('data:', 0); i >= 0; i = html.indexOf('data:', from)) {
    const b64 = html.indexOf(';base64,', i);
    if (b64 < 0 || b64 - i > 60) {
      out.push(html.slice(from, i + 5));
      from = i + 5;
      continue;
    }
    let j = b64 + 8;
    while (j < html.length && /[A-Za-z0-9+/=\s]/.test(html[j])) j++;
    out.push(html.slice(from, i), 'data:,');
    from = j;
  }
  out.push(html.slice(from));
  return out.join('');
}

export function readHtml(bytes: Uint8Array, hints: ReadHints = {}): DocumentModel {
  // Decoded here rather than by cheerio.loadBuffer: the same precedence (BOM, header, <meta>), plus GBK sniffing for
  // pages that declare nothing; and htmlparser2 parses a page in a few ms where parse5 streaming took ~100 ms.
  let text = decodeHtml(bytes, hints.contentType);
  // Word-exported pages inline images as base64; they carry no text and would only cost memory.
  if (text.length > 1 << 20) text = dropDataUris(text);
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
  const blocks = body ? toBlocks($, body) : [];
  const flags = [];
  if (body && isListPage(body, blocks)) flags.push(flag('NOT_A_REPORT', null, 'a list page of links, not a report'));
  return { format: 'html', blocks, meta, flags };
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
    const n = stack.pop()!;
    if (n.type !== 'tag' && n.type !== 'script' && n.type !== 'style') continue;
    const el = n as Element;
    const name = el.tagName.toLowerCase();
    if (name === 'meta' && el.attribs.name && el.attribs.content !== undefined)
      idx.meta.set(el.attribs.name.toLowerCase(), el.attribs.content);
    else if (name === 'title' && idx.title === null) idx.title = textOf(el);
    const id = el.attribs?.id;
    const classes = el.attribs?.class?.split(/\s+/) ?? [];
    for (const sel of BODY_SELECTORS) {
      const hit = sel.startsWith('#')
        ? id === sel.slice(1)
        : sel.startsWith('.')
          ? classes.includes(sel.slice(1))
          : name === sel;
      if (hit) idx.candidates.set(sel, [...(idx.candidates.get(sel) ?? []), el]);
    }
    const kids = el.children ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  return idx;
}

/** "发布时间：2022-01-20" in the page chrome, for portals without a PubDate meta. */
function printedDate($: cheerio.CheerioAPI): string | null {
  const root = $.root().get(0);
  if (!root) return null;
  const m = /(?:发布|发文|公开|成文)(?:时间|日期)\s*[:：]\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})/.exec(
    textOf(root).slice(0, 200000),
  );
  return m ? `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}` : null;
}

/** The article body: a known CMS container with real text, else the element holding most of the non-link text. */
function pickBody($: cheerio.CheerioAPI, idx: Index): Element | null {
  for (const sel of BODY_SELECTORS) {
    const el = (idx.candidates.get(sel) ?? []).find((e) => visible(e) >= 100);
    if (el) return el;
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
    for (const k of kids) {
      const s = score(k);
      if (s > bestScore) ((best = k), (bestScore = s));
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

/** Walks the body in document order: paragraphs at block boundaries and <br>, innermost tables as grids. */
function toBlocks($: cheerio.CheerioAPI, body: Element): Block[] {
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
    const n = stack.pop()!;
    if (n === 'flush') {
      flush();
      continue;
    }
    if (n.type === 'text') {
      buf += (n as unknown as { data: string }).data;
      continue;
    }
    if (n.type !== 'tag' && n.type !== 'root') continue;
    const el = n as Element;
    const name = el.tagName?.toLowerCase();
    if (SKIP.has(name)) continue;
    if (name === 'br') {
      flush();
      continue;
    }
    if (name === 'table' && countTags(el, 'table') === 1) {
      flush();
      const t = grid($, el, tables);
      if (t) {
        blocks.push(t);
        tables++;
      }
      continue;
    }
    const block = BLOCK.has(name) || name === 'td' || name === 'th';
    if (block) {
      flush();
      stack.push('flush');
    }
    const kids = el.children ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  flush();
  return blocks;
}

/** A table's rows (its own, not nested ones) → a rectangular grid with merged cells expanded. */
function grid($: cheerio.CheerioAPI, table: Element, index: number): Block | null {
  // The table's own rows: direct <tr> children or those of its thead/tbody/tfoot, never a nested table's.
  const trs: Element[] = [];
  for (const k of table.children) {
    if (k.type !== 'tag') continue;
    const name = (k as Element).tagName.toLowerCase();
    if (name === 'tr') trs.push(k as Element);
    else if (name === 'thead' || name === 'tbody' || name === 'tfoot')
      for (const tr of (k as Element).children)
        if (tr.type === 'tag' && (tr as Element).tagName.toLowerCase() === 'tr') trs.push(tr as Element);
  }
  const rows: TableCell[][] = [];
  trs.forEach((tr, r) => {
    rows[r] ??= [];
    let c = 0;
    for (const td of $(tr).children('td,th').toArray()) {
      while (rows[r][c]) c++;
      const rowspan = span($(td).attr('rowspan'), MAX_SPAN);
      const colspan = span($(td).attr('colspan'), 100);
      const at = { table: index, row: r, col: c };
      const text = cellText(td as Element);
      for (let dr = 0; dr < rowspan && r + dr < trs.length; dr++) {
        rows[r + dr] ??= [];
        for (let dc = 0; dc < colspan; dc++)
          rows[r + dr][c + dc] = { text, at, origin: dr === 0 && dc === 0, rowspan, colspan };
      }
      c += colspan;
    }
  });
  if (!rows.length) return null;
  const width = Math.max(...rows.map((r) => r.length));
  for (const [r, row] of rows.entries())
    for (let c = 0; c < width; c++)
      row[c] ??= { text: '', at: { table: index, row: r, col: c }, origin: false, rowspan: 1, colspan: 1 };
  return { kind: 'table', index, rows, at: { table: index } };
}

function span(v: string | undefined, max: number): number {
  const n = Number.parseInt(v ?? '1', 10);
  return Number.isFinite(n) && n >= 1 ? Math.min(n, max) : 1;
}

/**
 * Text of a subtree without recursion (hostile pages nest tags 100,000 deep). With `lines`, <br>/<p>/<div> become
 * line breaks (wrapped labels in cells) and &nbsp; a space, so a blank cell stays blank.
 */
export function textOf(node: AnyNode, lines = false): string {
  const parts: string[] = [];
  const stack: AnyNode[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'text') {
      parts.push((n as unknown as { data: string }).data);
      continue;
    }
    if (n.type !== 'tag' && n.type !== 'root') continue;
    const el = n as Element;
    if (el.tagName && SKIP.has(el.tagName.toLowerCase())) continue;
    if (lines && el !== node && /^(br|p|div)$/i.test(el.tagName)) parts.push('\n');
    const kids = el.children ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  return parts.join('');
}

function cellText(td: Element): string {
  return textOf(td, true)
    .replace(/[\u00a0\u3000 \t]+/g, ' ')
    .replace(/ *\n[\n ]*/g, '\n')
    .trim();
}

const visible = (n: AnyNode) => textOf(n).replace(/\s+/g, '').length;
const linkText = (n: AnyNode) => {
  let total = 0;
  const stack: AnyNode[] = [n];
  while (stack.length) {
    const x = stack.pop()!;
    if (x.type !== 'tag') continue;
    if ((x as Element).tagName.toLowerCase() === 'a') total += visible(x);
    else for (const k of (x as Element).children) stack.push(k);
  }
  return total;
};
const countTags = (n: AnyNode, tag: string) => {
  let count = 0;
  const stack: AnyNode[] = [n];
  while (stack.length) {
    const x = stack.pop()!;
    if (x.type !== 'tag') continue;
    if ((x as Element).tagName.toLowerCase() === tag) count++;
    for (const k of (x as Element).children) stack.push(k);
  }
  return count;
};

const reader: Reader = async (bytes, hints) => readHtml(bytes, hints);
export default reader;
