// DOCX → HTML (mammoth) → the HTML path, so Word tables and portal tables are read by the same code. mammoth
// keeps w:gridSpan as colspan and w:vMerge as rowspan (checked in test/extract/readers.test.ts).
import mammoth from 'mammoth';
import { checkInflated } from './zip-guard.ts';
import { InputError } from '../../core/errors.ts';
import type { Reader } from '../model.ts';
import { readHtml } from './html.ts';

/** Refuse archives that inflate beyond this: a report is a few MB; a zip bomb is gigabytes. */
export const MAX_UNZIPPED = 256 * 1024 * 1024;
/**
 * word/document.xml beyond this is refused before mammoth parses it: its DOM takes 30–40× the XML (30 MB of
 * paragraphs exhaust a 1 GB heap, 15 MB take 28 s), while a long real report's is 1–3 MB.
 */
export const MAX_DOCUMENT_XML = 8 * 1024 * 1024;

/**
 * Encrypted entries are refused; then zip-guard reads the central directory once (declared sizes over the limit are
 * refused before inflating) and inflates for real both ways, since the directory can lie and mammoth reads it.
 */
export function checkZip(bytes: Uint8Array): void {
  // General-purpose bit 0 of any local header: the entry is encrypted.
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (
    let i = view.indexOf('PK\x03\x04', 0, 'latin1');
    i >= 0 && i + 8 <= view.length;
    i = view.indexOf('PK\x03\x04', i + 4, 'latin1')
  )
    if (view.readUInt16LE(i + 6) & 1)
      throw new InputError('encrypted DOCX: password-protected documents cannot be read');
  checkInflated(bytes, { total: MAX_UNZIPPED, entry: { name: /^word\/document\.xml$/i, max: MAX_DOCUMENT_XML } });
}

/** Images carry no text: mammoth's default would inflate each one and inline it as base64 for readHtml to strip. */
const NO_IMAGE = mammoth.images.imgElement(async () => ({ src: '' }));

const reader: Reader = async (bytes, hints) => {
  checkZip(bytes);
  let html: string;
  try {
    html = (
      await mammoth.convertToHtml(
        { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
        { convertImage: NO_IMAGE },
      )
    ).value;
  } catch (err) {
    throw new InputError(`corrupt DOCX: ${String((err as Error).message ?? err).split('\n')[0]}`);
  }
  const model = readHtml(
    Buffer.from(`<html><head><meta charset="utf-8"></head><body><div id="docx">${html}</div></body></html>`),
    { ...hints, contentType: 'text/html; charset=utf-8' },
  );
  return { ...model, format: 'docx', meta: { ...model.meta, title: null } };
};
export default reader;
