// Character sets of Chinese government pages and documents: UTF-8 (with or without BOM), GBK/GB2312 (decoded as
// GB18030, a superset), and the odd UTF-16 export. One module for the crawler and the readers. Decoding never
// throws: undecodable bytes become U+FFFD.

/** gb2312/gbk/x-gbk all decode as GB18030 (a superset: real pages labelled gb2312 use GBK characters). */
export function normaliseLabel(label?: string | null): string | null {
  if (!label) return null;
  const name = label
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '');
  if (/^(gb2312|gbk|x-gbk|gb_2312|gb2312-80|gb18030|cp936|windows-936|euc-cn)$/.test(name)) return 'gb18030';
  if (/^utf-?8$/.test(name)) return 'utf-8';
  try {
    new TextDecoder(name);
    return name;
  } catch {
    return null;
  }
}

/** The charset an HTML page declares: the HTTP Content-Type header first, then <meta charset> in its first 4 KB. */
export function declaredCharset(bytes: Uint8Array, contentType?: string | null): string | null {
  const header = normaliseLabel(/charset\s*=\s*["']?([\w-]+)/i.exec(contentType ?? '')?.[1]);
  if (header) return header;
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4096)).toString('latin1');
  return normaliseLabel(/<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1]);
}

/**
 * The label to decode with: a BOM, then the declared label, then sniffing (valid UTF-8, else GB18030). A page
 * declared UTF-8 whose bytes are not UTF-8 is GBK mislabelled by its server, which is common enough to distrust.
 */
export function sniffEncoding(bytes: Uint8Array, declared?: string | null): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const label = normaliseLabel(declared);
  const utf8 = label === null || label === 'utf-8' ? isUtf8(bytes) : false;
  if (label && !(label === 'utf-8' && !utf8)) return label;
  return utf8 ? 'utf-8' : 'gb18030';
}

function isUtf8(bytes: Uint8Array): boolean {
  // A prefix is enough to decide, and keeps this cheap on 50 MB inputs; back off to a char boundary.
  let end = Math.min(bytes.length, 1 << 16);
  if (end < bytes.length) while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end), { stream: end < bytes.length });
    return true;
  } catch {
    return false;
  }
}

export function decodeText(bytes: Uint8Array, declared?: string | null): string {
  return new TextDecoder(sniffEncoding(bytes, declared)).decode(bytes).replace(/^\uFEFF/, '');
}

/** The charset to decode an HTML page with (BOM → header → meta → sniff). */
export function htmlCharset(bytes: Uint8Array, contentType?: string | null): string {
  return sniffEncoding(bytes, declaredCharset(bytes, contentType));
}

/** An HTML page's text from its raw bytes, whatever it declares (crawlers read links and metas from it). */
export function decodeHtml(bytes: Uint8Array, contentType?: string | null): string {
  return decodeText(bytes, declaredCharset(bytes, contentType));
}
