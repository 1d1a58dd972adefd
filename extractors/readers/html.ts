// HTML → document model. Decodes GBK/GB2312 pages as GB18030 (BOM, then the HTTP header, then <meta>, then
// sniffing), picks the article body out of the portal chrome, and expands rowspan/colspan into the grid.
import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { Block, DocumentModel, ReadHints, Reader, TableCell } from '../model.ts';
import { flag } from '../report.ts';
import { normaliseLabel, sniffEncoding } from './encoding.ts';

/** Where CMS families put the article: TRS (#zoom, .TRS_Editor), Hanweb (#zoom, .bt_content), generic. */
const BODY_SELECTORS = ['.TRS_Editor', '#zoom', '#UCAP-CONTENT', '.bt_content', '#Zoom', '.article-content', '.art_con', '.zwnr', '#zwnr', '.article', 'article', '.content', '#content', '.detail', '.main-txt'];
const BLOCK = new Set(['p', 'div', 'section', 'article', 'main', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'ul', 'ol', 'tr', 'table', 'blockquote', 'center', 'dd', 'dt', 'dl', 'pre', 'form', 'header', 'footer', 'body', 'html']);
const SKIP = new Set(['script', 'style', 'noscript', 'iframe', 'object', 'svg', 'select', 'option', 'button', 'input', 'textarea', 'head', 'template']);
const MAX_SPAN = 1000;

export function declaredCharset(bytes: Uint8Array, contentType?: string): string | null {
  const header = /charset\s*=\s*["']?([\w-]+)/i.exec(contentType ?? '')?.[1];
  if (header && normaliseLabel(header)) return header;
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  const meta = /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1];
  return meta ?? null;
}

export function readHtml(bytes: Uint8Array, hints: ReadHints = {}): DocumentModel {
  const label = sniffEncoding(bytes, declaredCharset(bytes, hints.contentType));
  const $ = cheerio.loadBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    encoding: { transportLayerEncodingLabel: label },
  });
  const metaOf = (name: string) => $(`meta[name="${name}" i]`).attr('content')?.trim() || null;
  const meta = {
    title: metaOf('ArticleTitle') ?? ($('title').first().text().trim() || null),
    publishedAt: metaOf('PubDate') ?? metaOf('pubdate') ?? metaOf('publishdate'),
    siteIdCode: metaOf('SiteIDCode'),
    siteName: metaOf('SiteName'),
  };
  const body = pickBody($);
  const blocks = body ? toBlocks($, body) : [];
  const flags = [];
  if (body && isListPage($, body, blocks)) flags.push(flag('NOT_A_REPORT', null, 'a list page of links, not a report'));
  return { format: 'html', blocks, meta, flags };
}

/** The article body: a known CMS container with real text, else the element holding most of the non-link text. */
function pickBody($: cheerio.CheerioAPI): Element | null {
  for (const sel of BODY_SELECTORS) {
    const el = $(sel).toArray().find((e) => $(e).text().replace(/\s+/g, '').length >= 100);
    if (el) return el as Element;
  }
  let node = ($('body').get(0) ?? $.root().children().get(0)) as Element | undefined;
  if (!node) return null;
  const score = (e: Element) => $(e).text().replace(/\s+/g, '').length - 2 * $(e).find('a').text().replace(/\s+/g, '').length;
  // Descend while one child holds nearly all of the parent's text: portal chrome falls away, the article stays.
  for (let depth = 0; depth < 200; depth++) {
    const own = score(node);
    const kids = $(node).children().toArray().filter((k) => !SKIP.has(k.tagName) && k.tagName !== 'table') as Element[];
    let best: Element | null = null;
    let bestScore = -Infinity;
    for (const k of kids) {
      const s = score(k);
      if (s > bestScore) (best = k), (bestScore = s);
    }
    if (!best || bestScore < own * 0.8) break;
    node = best;
  }
  return node;
}

function isListPage($: cheerio.CheerioAPI, body: Element, blocks: Block[]): boolean {
  if (blocks.some((b) => b.kind === 'table' && b.rows.length > 3 && !$(body).find('table a').length)) return false;
  const links = $(body).find('a');
  if (links.length < 15) return false;
  const linkText = links.text().replace(/\s+/g, '').length;
  const all = $(body).text().replace(/\s+/g, '').length;
  return linkText > all * 0.5;
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
    if (name === 'table' && !$(el).find('table').length) {
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
  const trs = $(table).find('tr').toArray().filter((tr) => $(tr).closest('table').get(0) === table);
  const rows: TableCell[][] = [];
  trs.forEach((tr, r) => {
    rows[r] ??= [];
    let c = 0;
    for (const td of $(tr).children('td,th').toArray()) {
      while (rows[r][c]) c++;
      const rowspan = span($(td).attr('rowspan'), MAX_SPAN);
      const colspan = span($(td).attr('colspan'), 100);
      const at = { table: index, row: r, col: c };
      const text = cellText($, td as Element);
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
    for (let c = 0; c < width; c++) row[c] ??= { text: '', at: { table: index, row: r, col: c }, origin: false, rowspan: 1, colspan: 1 };
  return { kind: 'table', index, rows, at: { table: index } };
}

function span(v: string | undefined, max: number): number {
  const n = Number.parseInt(v ?? '1', 10);
  return Number.isFinite(n) && n >= 1 ? Math.min(n, max) : 1;
}

/** Cell text with <br>/<p> as line breaks (wrapped labels) and &nbsp; as a space (a blank cell stays blank). */
function cellText($: cheerio.CheerioAPI, td: Element): string {
  const parts: string[] = [];
  const walk = (n: AnyNode) => {
    if (n.type === 'text') parts.push((n as unknown as { data: string }).data);
    else if (n.type === 'tag') {
      const name = (n as Element).tagName.toLowerCase();
      if (SKIP.has(name)) return;
      if (name === 'br' || name === 'p' || name === 'div') parts.push('\n');
      for (const k of (n as Element).children) walk(k);
    }
  };
  for (const k of td.children) walk(k);
  return parts.join('').replace(/[\u00a0\u3000 \t]+/g, ' ').replace(/ *\n[\n ]*/g, '\n').trim();
}

const reader: Reader = async (bytes, hints) => readHtml(bytes, hints);
export default reader;
