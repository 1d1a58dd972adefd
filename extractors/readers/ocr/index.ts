// OCR of the PDF pages that carry no text: each is rendered, recognised in the pool (at most OCR_PROCESSES
// tesseracts at once, each with a time and memory limit) and given back as a RawPage like any other, so the PDF
// reader and the one mapper read it as they read a text layer.
import { loadConfig } from '../../../core/config.ts';
import type { RawPage } from '../pdf/pdfjs.ts';
import { ocrAvailability, type OcrEngine } from './engine.ts';
import { ocrPage, type OcrPage } from './page.ts';
import { inPool } from './pool.ts';
import { rasteriser } from './raster.ts';

/** Rendering resolution: the measured best trade of digits read against time (bench/ocr.ts). */
export const OCR_DPI = 150;

export interface OcrResult {
  /** the pages given, in order, with OCR items and rulings */
  pages: RawPage[];
  /** per page, what OCR found (orientation, skew, words, confidence) */
  found: OcrPage[];
}

/** The page as a text layer would describe it: items and drawings in viewport points, identity transform. */
function asRawPage(raw: RawPage, page: OcrPage): RawPage {
  return {
    n: raw.n,
    width: page.width,
    height: page.height,
    transform: [1, 0, 0, 1, 0, 0],
    items: page.items,
    draw: page.draw,
    image: raw.image,
  };
}

export async function ocrPages(
  bytes: Uint8Array,
  pages: RawPage[],
  engine: OcrEngine,
  dpi = OCR_DPI,
): Promise<OcrResult> {
  const timeoutMs = loadConfig().ocrPageMs;
  const raster = await rasteriser(bytes, engine.pdftoppm, timeoutMs);
  try {
    const found = await Promise.all(
      pages.map((raw) =>
        inPool(async () =>
          ocrPage(await raster.page(raw.n, dpi), {
            binary: engine.tesseract,
            languages: engine.languages,
            dpi,
            timeoutMs,
          }),
        ),
      ),
    );
    return { pages: pages.map((raw, index) => asRawPage(raw, found[index])), found };
  } finally {
    await raster.close();
  }
}

export { ocrAvailability };
