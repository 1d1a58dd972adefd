// DOCX → HTML (mammoth) → the HTML path, so Word tables and portal tables are read by the same code. mammoth
// keeps w:gridSpan as colspan and w:vMerge as rowspan (checked in test/extract/readers.test.ts).
import mammoth from 'mammoth';
import { checkInflated } from './zip-guard.ts';
import { InputError } from '../../core/errors.ts';
import type { Reader } from '../model.ts';
import { parseHtml } from './html.ts';
import { IMAGE_REF, MAX_IMAGE_BYTES, MAX_IMAGES, withImageTables } from './images.ts';

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

/**
 * Pictures (word/media/*) are kept as bytes and referred to by key, not inlined as base64 (mammoth's default) for the
 * HTML reader to strip: JPEG and PNG ones, at most MAX_IMAGES, each at most MAX_IMAGE_BYTES (the archive's inflated
 * total is bounded by checkZip). A table pasted as a picture is then read with OCR where it sits (images.ts).
 */
function keepImages() {
  const images = new Map<string, Uint8Array>();
  let dropped = 0;
  const convert = mammoth.images.imgElement(async (image) => {
    if (!/^image\/(p?jpe?g|png)$/i.test(image.contentType ?? '')) return { src: '' };
    if (images.size >= MAX_IMAGES) {
      dropped++;
      return { src: '' };
    }
    const bytes = new Uint8Array(await image.read());
    if (bytes.length > MAX_IMAGE_BYTES) {
      dropped++;
      return { src: '' };
    }
    const key = String(images.size);
    images.set(key, bytes);
    return { src: IMAGE_REF + key };
  });
  return { images, convert, dropped: () => dropped };
}

const reader: Reader = async (bytes, hints) => {
  checkZip(bytes);
  let html: string;
  const kept = keepImages();
  try {
    html = (
      await mammoth.convertToHtml(
        { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
        { convertImage: kept.convert },
      )
    ).value;
  } catch (err) {
    throw new InputError(`corrupt DOCX: ${String((err as Error).message ?? err).split('\n')[0]}`);
  }
  const { model, placed } = parseHtml(
    Buffer.from(`<html><head><meta charset="utf-8"></head><body><div id="docx">${html}</div></body></html>`),
    { ...hints, contentType: 'text/html; charset=utf-8' },
    kept.images,
  );
  return withImageTables({ ...model, format: 'docx', meta: { ...model.meta, title: null } }, placed, kept.dropped());
};
export default reader;
