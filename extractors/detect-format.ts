// The format of a document from its bytes first (magic numbers, zip contents, markup), the name and content type
// only as a tie-breaker: portals serve PDFs as application/octet-stream and Word files named .html.
import { unzipSync } from 'fflate';
import CFB from 'cfb';
import { InputError } from '../core/errors.ts';
import type { Format, ReadHints } from './model.ts';
import { checkCompoundFile } from './readers/doc/cfb-guard.ts';

const EXT: Record<string, Format> = {
  pdf: 'pdf',
  doc: 'doc',
  wps: 'doc',
  docx: 'docx',
  html: 'html',
  htm: 'html',
  shtml: 'html',
  xhtml: 'html',
  txt: 'text',
};

export function detectFormat(bytes: Uint8Array, hints: ReadHints = {}): Format {
  if (!bytes.length) throw new InputError('empty file');
  const head = Buffer.from(bytes.subarray(0, 1024));
  if (head.subarray(0, 1024).includes('%PDF-')) return 'pdf';
  if (head.readUInt32BE(0) === 0xd0cf11e0 && bytes.length >= 8 && head.readUInt32BE(4) === 0xa1b11ae1)
    return oleFormat(bytes);
  // RTF is 7-bit text: without this it would be read as a plain-text report full of control words.
  if (
    head
      .toString('latin1')
      .replace(/^\xEF\xBB\xBF/, '')
      .trimStart()
      .startsWith('{\\rtf')
  )
    throw new InputError('an RTF document: RTF documents are not supported yet (convert it to DOCX or PDF)');
  if (head[0] === 0x50 && head[1] === 0x4b) return zipFormat(bytes);
  const ext = /\.([a-z0-9]+)$/i.exec(hints.filename ?? hints.url?.split(/[?#]/)[0] ?? '')?.[1]?.toLowerCase();
  if (looksBinary(bytes)) {
    throw new InputError(`not a document: binary data${ext ? ` named .${ext}` : ''} with no known signature`);
  }
  const start = head
    .toString('latin1')
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
    .trimStart()
    .slice(0, 512)
    .toLowerCase();
  if (
    /^<(!doctype\s+html|html|head|body|meta|title|div|table|p[\s>]|\?xml[^>]*>\s*<html)/.test(start) ||
    /<(html|body|table|div)[\s>]/.test(head.toString('latin1').toLowerCase())
  )
    return 'html';
  if (/html/.test(hints.contentType ?? '') || (ext && EXT[ext] === 'html' && /<[a-z!]/i.test(start))) return 'html';
  return 'text';
}

/** A zip is a DOCX when it holds word/document.xml; any other zip (xlsx, an archive) is not a document. */
function zipFormat(bytes: Uint8Array): Format {
  let names: string[];
  try {
    // Only the directory is needed: the filter keeps fflate from inflating any entry.
    names = [];
    unzipSync(bytes, { filter: (f) => (names.push(f.name), false) });
  } catch (err) {
    throw new InputError(`corrupt zip: ${String((err as Error).message ?? err)}`);
  }
  if (names.includes('word/document.xml')) return 'docx';
  if (names.some((n) => n.startsWith('xl/'))) throw new InputError('a spreadsheet (xlsx), not a report document');
  if (names.some((n) => n.startsWith('ppt/'))) throw new InputError('a presentation (pptx), not a report document');
  throw new InputError(`a zip archive without word/document.xml (${names.length} entries), not a document`);
}

/** What an OLE compound file holds, by its stream names; only a WordDocument stream (Word, WPS) is a DOC. */
const OLE_KINDS: Array<[RegExp, string]> = [
  [/^(Workbook|Book)$/, 'an Excel workbook (.xls)'],
  [/^PowerPoint Document$/, 'a PowerPoint presentation (.ppt)'],
  [/^__substg1\.0_|^__properties_version1\.0$/, 'an Outlook message (.msg)'],
  [/^VisioDocument$/, 'a Visio drawing (.vsd)'],
  [/^EncryptedPackage$/, 'a password-protected (encrypted) Office document'],
  [/^Contents$|^CONTENTS$/, 'a Works or Publisher file'],
];

function oleFormat(bytes: Uint8Array): Format {
  let names: string[];
  try {
    // cfb follows sector chains unchecked: a looping FAT must be caught before it reads the directory.
    checkCompoundFile(bytes);
    names = CFB.read(bytes, { type: 'buffer' }).FileIndex.map((e) => e.name);
  } catch {
    return 'doc'; // a damaged directory: the DOC reader says what is wrong with it
  }
  if (names.includes('WordDocument')) return 'doc';
  for (const [pattern, what] of OLE_KINDS)
    if (names.some((n) => pattern.test(n))) throw new InputError(`${what}, not a report document`);
  // the streams a person would recognise: not the root, not the "\x01CompObj" / "\x05SummaryInformation" kind
  const streams = names.filter((n) => n && n !== 'Root Entry' && n.charCodeAt(0) >= 0x20).slice(0, 6);
  throw new InputError(
    `an OLE compound file without a WordDocument stream (${streams.join(', ') || 'no streams'}), not a Word document`,
  );
}

/** NUL bytes or many control characters in the first 4 KB: not text in any encoding we read. */
function looksBinary(bytes: Uint8Array): boolean {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return false; // UTF-16
  const scanned = Math.min(bytes.length, 4096);
  let ctrl = 0;
  for (let i = 0; i < scanned; i++) {
    const byte = bytes[i];
    if (byte === 0) return true;
    if (byte < 9 || (byte > 13 && byte < 32 && byte !== 27)) ctrl++;
  }
  return ctrl > scanned * 0.05;
}
