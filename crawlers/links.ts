// Link extraction from raw HTML, including links inside <script> bodies and CDATA (Hanweb datastores, TRS
// document.write) that an HTML parser does not see. Title from the title= attribute when present (list texts
// are often truncated with "…").
import * as cheerio from 'cheerio';

export interface Link {
  url: string;
  title: string;
  date?: string | null;
}

const ANCHOR = /<a\b([^>]*)>([\s\S]*?)<\/a>/gi;
const ATTR = (name: string) => new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i');
const DATE = /((?:19|20)\d{2})[-./年](\d{1,2})[-./月](\d{1,2})/;

function attr(attrs: string, name: string): string | null {
  const value = ATTR(name).exec(attrs);
  return value ? (value[1] ?? value[2] ?? value[3] ?? '') : null;
}

/** The text of an HTML fragment, entities decoded. A fragment with no markup, entity, NUL or CR is its own text:
 *  parsing it would change nothing, and a parse per anchor dominated the cost of a list page. */
function decoded(html: string): string {
  return /[<&\0\r]/.test(html) ? cheerio.load(`<p>${html}</p>`).text() : html;
}

function text(html: string): string {
  return decoded(html).replace(/\s+/g, ' ').trim();
}

const CATEGORY_FRAGMENT = /^#(\d+|\/[\w/-]+)$/;
// The first quoted path-like string of a script link: window.open('…'), location.href='…', openUrl("…").
const SCRIPT_URL = /['"]((?:https?:\/\/|\.{0,2}\/)[^'"\s]+|[\w./-]+\.(?:s?html?|jsp|aspx?|php|pdf|docx?|wps))['"]/i;

/** A link hidden in `javascript:` or an onclick handler (shells and embeds write their lists that way). */
function scriptTarget(href: string | null, onclick: string | null): string | null {
  const trimmed = href?.trim() ?? '';
  if (trimmed && !/^(javascript:|#)/i.test(trimmed)) return trimmed;
  const script = (/^javascript:/i.test(trimmed) ? trimmed : '') + ' ' + (onclick ?? '');
  return SCRIPT_URL.exec(script)?.[1] ?? (trimmed || null);
}

/** Same-page frames: `<iframe src>` / `<frame src>`, resolved. */
export function frameSources(html: string, baseUrl: string): string[] {
  const out = new Set<string>();
  for (const frame of html.matchAll(/<i?frame\b([^>]*)>/gi)) {
    const src = attr(frame[1], 'src');
    if (!src || /^(javascript:|about:|data:)/i.test(src.trim())) continue;
    try {
      out.add(new URL(decoded(src).trim(), baseUrl).toString());
    } catch {
      continue;
    }
  }
  return [...out];
}

export function extractLinks(html: string, baseUrl: string): Link[] {
  const out: Link[] = [];
  const seen = new Set<string>();
  for (const anchor of html.matchAll(ANCHOR)) {
    const href = scriptTarget(attr(anchor[1], 'href'), attr(anchor[1], 'onclick'));
    if (!href || /^(javascript:|mailto:|#)/i.test(href.trim())) continue;
    let url: string;
    try {
      url = new URL(decoded(href).trim(), baseUrl).toString();
    } catch {
      continue;
    }
    // A fragment that names a category (gkmlpt's `index#2571`, a router's `#/list/12`) is the list itself.
    if (!CATEGORY_FRAGMENT.test(new URL(url).hash)) url = url.replace(/#.*$/, '');
    const title = text(attr(anchor[1], 'title') ?? '') || text(anchor[2]);
    // The date usually follows the anchor inside the same list item.
    const after = html.slice((anchor.index ?? 0) + anchor[0].length, (anchor.index ?? 0) + anchor[0].length + 120);
    const date = DATE.exec(after.split(/<a\b|<\/li>|<\/tr>/i)[0] ?? '');
    if (seen.has(url + '\u0000' + title)) continue;
    seen.add(url + '\u0000' + title);
    out.push({ url, title, date: date ? `${date[1]}-${date[2].padStart(2, '0')}-${date[3].padStart(2, '0')}` : null });
  }
  return out;
}

const DOC_EXT = /\.(pdf|docx?|wps|xlsx?|rtf|ofd|et)$/i;

/** Attachment links: document extensions in the path or in a download script's filename= parameter. */
export function isAttachmentUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    if (DOC_EXT.test(parsed.pathname)) return true;
    for (const value of parsed.searchParams.values()) if (DOC_EXT.test(value)) return true;
    return /downfile|download/i.test(parsed.pathname) && parsed.search.length > 0;
  } catch {
    return false;
  }
}

export interface PageMeta {
  siteIdCode: string | null;
  siteName: string | null;
  articleTitle: string | null;
  pubDate: string | null;
}

export function pageMeta(html: string): PageMeta {
  const $ = cheerio.load(html);
  const meta = (n: string) => $(`meta[name="${n}"]`).attr('content')?.trim() || null;
  const pub = meta('PubDate') ?? meta('pubdate') ?? meta('publishdate');
  const date = pub ? DATE.exec(pub) : null;
  return {
    siteIdCode: meta('SiteIDCode'),
    siteName: meta('SiteName'),
    articleTitle: meta('ArticleTitle') ?? ($('title').text().trim() || null),
    pubDate: date ? `${date[1]}-${date[2].padStart(2, '0')}-${date[3].padStart(2, '0')}` : null,
  };
}

/** Pictures an article pastes its tables as: a report has a handful (more are a gallery, not tables). */
export const MAX_ARTICLE_IMAGES = 16;
/** Formats the OCR reads (extractors/readers/images.ts); a path without an extension may be any of them. */
const IMAGE_PATH = /\.(?:jpe?g|png)$|\/[^./]*$/i;

/**
 * The pictures in the article's content (not its header, menus or footer: logos and QR codes), as absolute URLs in
 * page order, at most MAX_ARTICLE_IMAGES. data: images stay in the page; the extractor reads those itself.
 */
export function articleImages(html: string | ArticleContent, baseUrl: string): string[] {
  const $ = typeof html === 'string' ? articleContent(html) : html;
  const out = new Set<string>();
  $('img[src]').each((_, element) => {
    const src = $(element).attr('src')!.trim();
    if (!src || /^data:/i.test(src) || out.size >= MAX_ARTICLE_IMAGES) return;
    try {
      const url = new URL(src, baseUrl);
      if (/^https?:$/.test(url.protocol) && IMAGE_PATH.test(url.pathname)) out.add(url.href);
    } catch {
      // an unparseable src shows nothing in a browser either
    }
  });
  return [...out];
}

/** Does the article page itself carry the report (tables), rather than only pointing to an attachment? */
export function articleHoldsReport(html: string | ArticleContent): boolean {
  const $ = typeof html === 'string' ? articleContent(html) : html;
  return $('table td').length >= 6;
}

export type ArticleContent = cheerio.CheerioAPI;

/** The article page parsed once, without what is not its content (scripts, styles, menus, header and footer). */
export function articleContent(html: string): ArticleContent {
  const $ = cheerio.load(html);
  $('script,style,nav,header,footer').remove();
  return $;
}
