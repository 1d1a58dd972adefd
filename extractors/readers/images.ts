// Table images inside an article (an HTML page's inline data: images, a DOCX's word/media pictures): many county
// reports paste their tables as a picture. When the article's text lacks the template's tables, each image is
// wrapped as one page of an image-only PDF and read by the PDF reader — OCR in the pool, rulings from the raster,
// the same table builder and confidences — and the blocks it gives are placed where the image sat. The one mapper
// does the rest.
import { deflateSync, inflateSync } from 'node:zlib';
import type { Block, DocumentModel, TableCell } from '../model.ts';
import { flag, type Flag } from '../report.ts';
import type { Scored } from '../template/confidence.ts';

/** Images kept from one document (decoded, held in memory until OCR): a report has a handful of tables. */
export const MAX_IMAGES = 16;
/** One encoded image: a table screenshot is tens to hundreds of KB, a 300 dpi page scan a few MB. */
export const MAX_IMAGE_BYTES = 8 * 1024 * 1024;
/** Decoded pixels of one image: beyond this it is a poster or a bomb, not a table (an A4 page at 300 dpi is 8.7 M). */
export const MAX_IMAGE_PIXELS = 25_000_000;
/** Narrower images are icons, seals, logos and QR codes; a short one may be the rest of a table cut by a page. */
const MIN_WIDTH = 300;
const MIN_HEIGHT = 24;
/** Page height (points) of stacked pictures: 3300 px at 200 dpi, what OCR renders without reducing it. */
const MAX_PAGE_POINTS = 1188;
/** A picture shorter than this (points) is the rest of a table: it joins the page of the picture before it. */
const SLIVER_POINTS = 120;
/** The reference an extracted image leaves in the markup: `nianbao-image:<key>`. */
export const IMAGE_REF = 'nianbao-image:';

export interface ImageInfo {
  type: 'jpeg' | 'png';
  width: number;
  height: number;
  /** JPEG colour components (1 grey, 3 YCbCr/RGB, 4 CMYK) */
  components: number;
}

/** An image of the article, where it sits: before `blocks[before]` of the model read from the text. */
export interface PlacedImage {
  before: number;
  bytes: Uint8Array;
}

const isBase64 = (code: number) =>
  (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 43 || code === 47;
const isSpace = (code: number) => code === 32 || code === 9 || code === 10 || code === 13 || code === 12;

/**
 * Inline `data:image/jpeg|png;base64,…` images taken out of the markup before it is parsed (megabytes of base64 in
 * attribute values cost the parser ~20× their size): each kept one is decoded and replaced by `nianbao-image:<n>`,
 * the rest (beyond `maxImages` or MAX_IMAGE_BYTES, other types) by "data:,". One linear scan, no regex over base64;
 * with `maxImages` 0 it only strips them.
 */
export function takeDataImages(
  html: string,
  maxImages = MAX_IMAGES,
): { html: string; images: Map<string, Uint8Array>; dropped: number } {
  const images = new Map<string, Uint8Array>();
  let dropped = 0;
  const out: string[] = [];
  let from = 0;
  for (let start = html.indexOf('data:', 0); start >= 0; start = html.indexOf('data:', from)) {
    const b64 = html.indexOf(';base64,', start);
    if (b64 < 0 || b64 - start > 60) {
      out.push(html.slice(from, start + 5));
      from = start + 5;
      continue;
    }
    let end = b64 + 8;
    for (let code = html.charCodeAt(end); isBase64(code) || isSpace(code) || code === 61; code = html.charCodeAt(end))
      end++;
    const type = html
      .slice(start + 5, b64)
      .trim()
      .toLowerCase();
    const ours = /^image\/(p?jpe?g|png)$/.test(type);
    if (ours && images.size < maxImages && ((end - b64 - 8) * 3) / 4 <= MAX_IMAGE_BYTES * 1.01) {
      const key = String(images.size);
      images.set(key, new Uint8Array(Buffer.from(html.slice(b64 + 8, end), 'base64')));
      out.push(html.slice(from, start), IMAGE_REF + key);
    } else {
      if (ours) dropped++;
      out.push(html.slice(from, start), 'data:,');
    }
    from = end;
  }
  out.push(html.slice(from));
  return { html: out.join(''), images, dropped };
}

/** Type and size from the header alone (JPEG's SOF marker, PNG's IHDR); null for anything else. */
export function imageInfo(bytes: Uint8Array): ImageInfo | null {
  if (bytes.length > 24 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) {
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.toString('latin1', 12, 16) !== 'IHDR') return null;
    return { type: 'png', width: view.readUInt32BE(16), height: view.readUInt32BE(20), components: 0 };
  }
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1];
    if (marker === 0xff) {
      at++;
      continue;
    }
    const length = (bytes[at + 2] << 8) | bytes[at + 3];
    // SOF0–SOF15 but DHT (C4), JPG (C8) and DAC (CC): the frame header holds the size
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (bytes[at + 4] !== 8) return null; // 12-bit JPEG: not what a table picture is
      return {
        type: 'jpeg',
        height: (bytes[at + 5] << 8) | bytes[at + 6],
        width: (bytes[at + 7] << 8) | bytes[at + 8],
        components: bytes[at + 9],
      };
    }
    if (marker === 0xda) return null;
    at += 2 + length;
  }
  return null;
}

/**
 * A PNG as 8-bit grey (alpha over white): the PDF is given plain samples so that every colour type, bit depth and
 * transparency reads alike. Interlaced PNGs are not decoded (null): no table screenshot was seen in one.
 */
export function pngToGray(bytes: Uint8Array): { width: number; height: number; data: Uint8Array } | null {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let width = 0;
  let height = 0;
  let depth = 0;
  let colour = 0;
  let palette: Uint8Array | null = null;
  let paletteAlpha: Uint8Array | null = null;
  const idat: Buffer[] = [];
  for (let at = 8; at + 8 <= view.length;) {
    const length = view.readUInt32BE(at);
    const type = view.toString('latin1', at + 4, at + 8);
    const data = view.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      [width, height, depth, colour] = [data.readUInt32BE(0), data.readUInt32BE(4), data[8], data[9]];
      if (data[12] !== 0) return null;
    } else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS' && colour === 3) paletteAlpha = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    at += 12 + length;
  }
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[colour];
  if (!width || !height || !channels || width * height > MAX_IMAGE_PIXELS || (colour === 3 && !palette)) return null;
  if (![1, 2, 4, 8, 16].includes(depth)) return null;
  const bitsPerPixel = channels * depth;
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  const step = Math.max(1, bitsPerPixel >> 3);
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(idat), { maxOutputLength: height * (stride + 1) });
  } catch {
    return null;
  }
  if (raw.length < height * (stride + 1)) return null;
  // undo the per-row filters in place (PNG spec: None, Sub, Up, Average, Paeth)
  const rows = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const left = x >= step ? rows[row + x - step] : 0;
      const above = y ? rows[row - stride + x] : 0;
      const upLeft = y && x >= step ? rows[row - stride + x - step] : 0;
      let value = line[x];
      if (filter === 1) value += left;
      else if (filter === 2) value += above;
      else if (filter === 3) value += (left + above) >> 1;
      else if (filter === 4) {
        const guess = left + above - upLeft;
        const [toLeft, toAbove, toUpLeft] = [Math.abs(guess - left), Math.abs(guess - above), Math.abs(guess - upLeft)];
        value += toLeft <= toAbove && toLeft <= toUpLeft ? left : toAbove <= toUpLeft ? above : upLeft;
      }
      rows[row + x] = value;
    }
  }
  const max = (1 << depth) - 1;
  const sample = (row: number, index: number): number => {
    if (depth === 8) return rows[row + index];
    if (depth === 16) return rows[row + index * 2];
    const bit = index * depth;
    return (rows[row + (bit >> 3)] >> (8 - depth - (bit & 7))) & max;
  };
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    for (let x = 0; x < width; x++) {
      const first = x * channels;
      let grey: number;
      let alpha = 255;
      if (colour === 3) {
        const index = sample(row, first);
        const [red, green, blue] = [
          palette![index * 3] ?? 0,
          palette![index * 3 + 1] ?? 0,
          palette![index * 3 + 2] ?? 0,
        ];
        grey = 0.299 * red + 0.587 * green + 0.114 * blue;
        alpha = paletteAlpha?.[index] ?? 255;
      } else {
        // grey below 8 bits is stretched to 0–255; colour and alpha are 8 or 16 bits (the high byte is taken)
        const scale = depth >= 8 ? 1 : 255 / max;
        if (channels >= 3)
          grey = 0.299 * sample(row, first) + 0.587 * sample(row, first + 1) + 0.114 * sample(row, first + 2);
        else grey = sample(row, first) * scale;
        if (channels === 2 || channels === 4) alpha = sample(row, first + channels - 1) * scale;
      }
      out[y * width + x] = Math.round((grey * alpha + 255 * (255 - alpha)) / 255);
    }
  }
  return { width, height, data: out };
}

/**
 * The resolution a picture is given as a PDF page, which OCR then renders at its own (ocr/index.ts: 150 dpi, a
 * coarse picture under 120 ppi enlarged to 200). A template table spans about the text width (6.5 in), so a picture
 * `width` pixels wide is taken as that many pixels per 6.5 in: a 600 px screen capture (labels ~14 px high) is
 * enlarged, a 1,000 px one read as it is, a 300 dpi scan reduced. Measured on the generated articles: a 708 px table
 * of a narrow page read 183/198 cells so (enlarged ×1.8) against 169 at 1:1.
 */
export function assumedPpi(width: number): number {
  return Math.max(72, Math.min(300, width / 6.5));
}

/** A picture as a PDF image XObject's dictionary entries and data: JPEG as it is, PNG decoded to grey. */
function xobject(bytes: Uint8Array): { info: ImageInfo; dict: string; data: Buffer } {
  const info = imageInfo(bytes);
  if (!info) throw new Error('not a JPEG or PNG picture');
  if (info.type === 'jpeg') {
    const space = info.components === 1 ? '/DeviceGray' : info.components === 4 ? '/DeviceCMYK' : '/DeviceRGB';
    const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return { info, dict: `/ColorSpace ${space} /BitsPerComponent 8 /Filter /DCTDecode`, data };
  }
  const grey = pngToGray(bytes);
  if (!grey) throw new Error('PNG picture not decodable (interlaced or damaged)');
  const dict = '/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode';
  return { info, dict, data: deflateSync(grey.data, { level: 6 }) };
}

/**
 * An image-only PDF: each page the pictures given for it stacked top to bottom, left-aligned, at one resolution (that
 * of its widest picture), so a table pasted as several pictures is one table on the page.
 */
export function imagePdf(pages: Uint8Array[][]): Uint8Array {
  const objects: Buffer[] = [];
  const add = (body: Buffer) => objects.push(body) + 2; // objects 1 and 2 are the catalog and the page tree
  const pageRefs: number[] = [];
  for (const pictures of pages) {
    const images = pictures.map(xobject);
    const ppi = assumedPpi(Math.max(...images.map((image) => image.info.width)));
    const sizes = images.map(({ info }) => [(info.width * 72) / ppi, (info.height * 72) / ppi]);
    const width = Number(Math.max(...sizes.map(([w]) => w)).toFixed(3));
    const height = Number(sizes.reduce((sum, [, h]) => sum + h, 0).toFixed(3));
    const refs: string[] = [];
    const draws: string[] = [];
    let below = height;
    images.forEach(({ info, dict, data }, index) => {
      const ref = add(
        Buffer.concat([
          Buffer.from(
            `<< /Type /XObject /Subtype /Image /Width ${info.width} /Height ${info.height} ${dict} /Length ${data.length} >>\nstream\n`,
            'latin1',
          ),
          data,
          Buffer.from('\nendstream', 'latin1'),
        ]),
      );
      const [drawnWidth, drawnHeight] = sizes[index];
      below -= drawnHeight;
      refs.push(`/Im${index} ${ref} 0 R`);
      draws.push(
        `q ${drawnWidth.toFixed(3)} 0 0 ${drawnHeight.toFixed(3)} 0 ${Math.max(0, below).toFixed(3)} cm /Im${index} Do Q`,
      );
    });
    const draw = draws.join('\n');
    const content = add(Buffer.from(`<< /Length ${draw.length} >>\nstream\n${draw}\nendstream`, 'latin1'));
    pageRefs.push(
      add(
        Buffer.from(
          `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${width} ${height}] /Resources << /XObject << ${refs.join(' ')} >> >> /Contents ${content} 0 R >>`,
          'latin1',
        ),
      ),
    );
  }
  const all = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>', 'latin1'),
    Buffer.from(`<< /Type /Pages /Kids [${pageRefs.map((n) => `${n} 0 R`).join(' ')}] /Count ${pageRefs.length} >>`),
    ...objects,
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = parts[0].length;
  const offsets: number[] = [];
  all.forEach((body, index) => {
    offsets.push(offset);
    const piece = Buffer.concat([Buffer.from(`${index + 1} 0 obj\n`, 'latin1'), body, Buffer.from('\nendobj\n')]);
    parts.push(piece);
    offset += piece.length;
  });
  const xref = [
    'xref',
    `0 ${all.length + 1}`,
    '0000000000 65535 f ',
    ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n `),
    'trailer',
    `<< /Size ${all.length + 1} /Root 1 0 R >>`,
    'startxref',
    String(offset),
    '%%EOF\n',
  ].join('\n');
  parts.push(Buffer.from(xref, 'latin1'));
  return new Uint8Array(Buffer.concat(parts));
}

/** Does the model read from the text alone give the template's three tables, each with a number? */
async function textHasTables(model: DocumentModel): Promise<boolean> {
  const { mapTemplate } = await import('../template/map.ts');
  const mapped = mapTemplate(model);
  const filled = (section: Record<string, Record<string, number | null> | null> | null) =>
    Boolean(section) && Object.values(section!).some((row) => row && Object.values(row).some((v) => v !== null));
  return filled(mapped.active) && filled(mapped.requests) && filled(mapped.appeals);
}

const describe = (n: number, info: ImageInfo) => `${n} (${info.type.toUpperCase()} ${info.width}×${info.height})`;

/**
 * The article's images read with OCR and their blocks placed where each image sat, when the text lacks the
 * template's tables. Images too small to hold a table are passed over; without tesseract (or with NIANBAO_OCR=off)
 * the model is returned as read, flagged OCR_UNAVAILABLE. Tables found in images are numbered after the article's
 * own (the `table` of an HTML cell stays that of its <table> in the page).
 */
export async function withImageTables(
  model: DocumentModel,
  placed: PlacedImage[],
  dropped = 0,
): Promise<DocumentModel> {
  const candidates = placed
    .map((image, index) => ({ ...image, n: index + 1, info: imageInfo(image.bytes) }))
    .filter(
      (image): image is typeof image & { info: ImageInfo } =>
        image.info !== null &&
        image.info.width >= MIN_WIDTH &&
        image.info.height >= MIN_HEIGHT &&
        image.info.width * image.info.height <= MAX_IMAGE_PIXELS,
    );
  if (!candidates.length || (await textHasTables(model))) return model;
  const { ocrAvailability } = await import('./ocr/engine.ts');
  const available = await ocrAvailability();
  const list = candidates.map((image) => image.n).join(', ');
  const flags: Flag[] = [...model.flags];
  if ('unavailable' in available) {
    flags.push(flag('OCR_UNAVAILABLE', null, `article images ${list} not read: ${available.unavailable}`));
    return { ...model, flags };
  }
  const { readPdf } = await import('./pdf.ts');
  // images with nothing between them (a table pasted as several pictures) are pages of one PDF: the PDF reader
  // joins a table that goes on from one to the next as it does across pages
  const runs: (typeof candidates)[] = [];
  for (const image of candidates) {
    const last = runs[runs.length - 1];
    if (last && last[last.length - 1].before === image.before && last[last.length - 1].n === image.n - 1)
      last.push(image);
    else runs.push([image]);
  }
  // a run is stacked into pages no taller than OCR renders whole at 200 dpi (ocr/index.ts MAX_SIDE_PX); a short
  // picture (the rest of a row cut by a page break) stays with the one before it whatever the height
  const pagesOf = (run: typeof candidates) => {
    const pages: (typeof candidates)[] = [];
    let height = 0;
    for (const image of run) {
      const points = (image.info.height * 72) / assumedPpi(image.info.width);
      if (!pages.length || (height + points > MAX_PAGE_POINTS && points >= SLIVER_POINTS)) {
        pages.push([]);
        height = 0;
      }
      pages[pages.length - 1].push(image);
      height += points;
    }
    return pages;
  };
  let nextTable = Math.max(-1, ...model.blocks.map((b) => (b.kind === 'table' ? b.index : -1))) + 1;
  const inserts: Array<{ before: number; blocks: Block[] }> = [];
  const read: string[] = [];
  const failed: string[] = [];
  for (const run of runs) {
    const names = run.map((image) => describe(image.n, image.info)).join(', ');
    const pages = pagesOf(run);
    let found: DocumentModel;
    try {
      found = await readPdf(imagePdf(pages.map((page) => page.map((image) => image.bytes))));
    } catch (error) {
      failed.push(`${names}: ${String((error as Error).message).split('\n')[0]}`);
      continue;
    }
    const used = found.flags.find((f) => f.code === 'OCR_USED');
    if (!used) {
      const why = found.flags.find((f) => f.code === 'OCR_UNAVAILABLE')?.message ?? 'no OCR result';
      failed.push(`${names}: ${why}`);
      continue;
    }
    // the PDF reader's "page k" of this run holds images pages[k-1] of the article
    const detail = (used.message ?? '')
      .replace(/^pages [\d, ]+ read with OCR /, '')
      .replace(/\bpage (\d+)\b/g, (_, page: string) => {
        const images = pages[Number(page) - 1]?.map((image) => image.n) ?? [];
        return images.length ? `image${images.length > 1 ? 's' : ''} ${images.join('+')}` : `page ${page}`;
      });
    read.push(`${names} ${detail}`);
    const blocks: Block[] = found.blocks.map((block): Block => {
      if (block.kind === 'paragraph')
        return { kind: 'paragraph', text: block.text, ...(block.heading ? { heading: true } : {}), at: {} };
      const index = nextTable++;
      const rows = block.rows.map((row) =>
        row.map((cell: Scored<TableCell>) => {
          const out: Scored<TableCell> = {
            text: cell.text,
            at: { table: index, row: cell.at.row, col: cell.at.col },
            origin: cell.origin,
            rowspan: cell.rowspan,
            colspan: cell.colspan,
          };
          if (cell.confidence !== undefined) out.confidence = cell.confidence;
          return out;
        }),
      );
      return { kind: 'table', index, rows, at: { table: index } };
    });
    inserts.push({ before: run[0].before, blocks });
  }
  const blocks = [...model.blocks];
  for (const insert of [...inserts].reverse()) blocks.splice(insert.before, 0, ...insert.blocks);
  const beyond = dropped ? ` (${dropped} more beyond the ${MAX_IMAGES}-image limit not read)` : '';
  if (read.length) flags.push(flag('OCR_USED', null, `article images read with OCR: ${read.join('; ')}${beyond}`));
  if (failed.length) flags.push(flag('OCR_UNAVAILABLE', null, `article images not read: ${failed.join('; ')}`));
  return { ...model, blocks, flags };
}
