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

export function extractLinks(html: string, baseUrl: string): Link[] {
  const out: Link[] = [];
  const seen = new Set<string>();
  for (const anchor of html.matchAll(ANCHOR)) {
    const href = attr(anchor[1], 'href');
    if (!href || /^(javascript:|mailto:|#)/i.test(href.trim())) continue;
    let url: string;
    try {
      url = new URL(decoded(href).trim(), baseUrl).toString();
    } catch {
      continue;
    }
    url = url.replace(/#.*$/, '');
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

/** Does the article page itself carry the report (tables), rather than only pointing to an attachment? */
export function articleHoldsReport(html: string): boolean {
  const $ = cheerio.load(html);
  $('script,style,nav,header,footer').remove();
  return $('table td').length >= 6;
}
