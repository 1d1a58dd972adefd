// Character sets of Chinese government documents: UTF-8 (with or without BOM), GBK/GB2312 (decoded as GB18030, a
// superset), and the odd UTF-16 export. Decoding never throws: undecodable bytes become U+FFFD.

/** The label to decode with, from a BOM, a declared label, or by sniffing (valid UTF-8, else GB18030). */
export function sniffEncoding(bytes: Uint8Array, declared?: string | null): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const label = normaliseLabel(declared);
  if (label) return label;
  return isUtf8(bytes) ? 'utf-8' : 'gb18030';
}

/** gb2312/gbk/x-gbk all decode as GB18030 (a superset: real pages labelled gb2312 use GBK characters). */
export function normaliseLabel(label?: string | null): string | null {
  if (!label) return null;
  const l = label.trim().toLowerCase().replace(/^["']|["']$/g, '');
  if (/^(gb2312|gbk|x-gbk|gb18030|cp936|windows-936|euc-cn)$/.test(l)) return 'gb18030';
  if (/^utf-?8$/.test(l)) return 'utf-8';
  try {
    new TextDecoder(l);
    return l;
  } catch {
    return null;
  }
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
