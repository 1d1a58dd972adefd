// Decode an HTML page from its raw bytes: BOM → HTTP charset → <meta charset> → UTF-8 validity sniff.
// gb2312/gbk are decoded as GB18030 (a superset); Crawlee's decoding misses GBK pages served without a header.
import iconv from 'iconv-lite';

const ALIASES: Record<string, string> = { gb2312: 'gb18030', gbk: 'gb18030', 'x-gbk': 'gb18030', gb_2312: 'gb18030', 'gb2312-80': 'gb18030', cp936: 'gb18030' };

function normalise(label: string | null | undefined): string | null {
  if (!label) return null;
  const l = label.trim().toLowerCase().replace(/^["']|["']$/g, '');
  const name = ALIASES[l] ?? l;
  return iconv.encodingExists(name) ? name : null;
}

export function charsetFromContentType(ct: string | null | undefined): string | null {
  const m = /charset\s*=\s*["']?([\w-]+)/i.exec(ct ?? '');
  return normalise(m?.[1]);
}

/** Looks for <meta charset> / http-equiv Content-Type in the first 4 KB, read as latin1 so any encoding parses. */
export function charsetFromMeta(buf: Uint8Array): string | null {
  const head = Buffer.from(buf.buffer, buf.byteOffset, Math.min(buf.byteLength, 4096)).toString('latin1');
  const m = /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head);
  return normalise(m?.[1]);
}

function isValidUtf8(buf: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return true;
  } catch {
    return false;
  }
}

export function detectCharset(buf: Uint8Array, contentType?: string | null): string {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return 'utf-8';
  const declared = charsetFromContentType(contentType) ?? charsetFromMeta(buf);
  // A page declared UTF-8 that is not valid UTF-8 is almost always GBK mislabelled by the server.
  if (declared && !(declared === 'utf-8' && !isValidUtf8(buf))) return declared;
  return isValidUtf8(buf) ? 'utf-8' : 'gb18030';
}

export function decodeHtml(buf: Uint8Array, contentType?: string | null): string {
  const charset = detectCharset(buf, contentType);
  return iconv.decode(Buffer.from(buf), charset).replace(/^\uFEFF/, '');
}
