// OCR of the PDF pages that carry no text: each is rendered, recognised in the pool (at most OCR_PROCESSES
// tesseracts at once, each with a time and memory limit) and given back as a RawPage like any other, so the PDF
// reader and the one mapper read it as they read a text layer.
import { loadConfig } from '../../../core/config.ts';
import type { RawPage } from '../pdf/pdfjs.ts';
import { ocrAvailability, type OcrEngine } from './engine.ts';
import { ocrPage, type OcrPage } from './page.ts';
import { inPool } from './pool.ts';
import { rasteriser } from './raster.ts';
import { rereadCells } from './reread.ts';
import type { DocumentModel } from '../../model.ts';

/**
 * Rendering resolution. Measured on the generated corpus (bench/ocr.ts): 150 dpi reads tables from 150 and 300 dpi
 * scans best (200 lost wrapped numbers on one report); a coarse scan (under 120 ppi, the committed 70 ppi one) is
 * enlarged to 200, where tesseract reads its labels (at 150 it lost the template's signature words).
 */
export const OCR_DPI = 150;
export const COARSE_SCAN_DPI = 200;
const COARSE_BELOW_PPI = 120;
/** Long side of a rendered page, in pixels: an A4 page at 280 dpi; memory per page stays near 10 MB a copy. */
export const MAX_SIDE_PX = 3300;

export interface OcrResult {
  /** the pages given, in order, with OCR items and rulings */
  pages: RawPage[];
  /** per page, what OCR found (orientation, skew, words, confidence) */
  found: OcrPage[];
  /** cells read again, digits only, page by page (reread.ts); null for a page not read with OCR */
  reread: NonNullable<DocumentModel['reread']>;
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

/** `dpi`: one rendering resolution for every page (the benchmark); else chosen per page as above. */
export async function ocrPages(
  bytes: Uint8Array,
  pages: RawPage[],
  engine: OcrEngine,
  dpi?: number,
): Promise<OcrResult> {
  const timeoutMs = loadConfig().ocrPageMs;
  const raster = await rasteriser(bytes, engine.pdftoppm, engine.pdfimages, timeoutMs);
  try {
    const resolution = await raster.imageResolution();
    const found = await Promise.all(
      pages.map((raw) =>
        inPool(async () => {
          const coarse = (resolution.get(raw.n) ?? Infinity) < COARSE_BELOW_PPI;
          // a poster-sized page is rendered smaller: its long side stays within MAX_SIDE_PX
          const fits = Math.floor((MAX_SIDE_PX * 72) / Math.max(raw.width, raw.height, 1));
          const pageDpi = Math.max(36, Math.min(dpi ?? (coarse ? COARSE_SCAN_DPI : OCR_DPI), fits));
          return ocrPage(await raster.page(raw.n, pageDpi), {
            binary: engine.tesseract,
            languages: engine.languages,
            dpi: pageDpi,
            timeoutMs,
            labelsTwice: true,
          });
        }),
      ),
    );
    const options = { binary: engine.tesseract, languages: engine.languages, dpi: OCR_DPI, timeoutMs };
    const reread: OcrResult['reread'] = async (cells) => {
      const out: (string | null)[] = cells.map(() => null);
      const byPage = new Map<number, number[]>();
      cells.forEach((cell, index) => byPage.set(cell.page, [...(byPage.get(cell.page) ?? []), index]));
      await Promise.all(
        [...byPage].map(async ([pageNo, indexes]) => {
          const page = found[pages.findIndex((raw) => raw.n === pageNo)];
          if (!page) return;
          const read = await inPool(() =>
            rereadCells(
              page,
              indexes.map((index) => cells[index].bbox),
              options,
            ),
          );
          indexes.forEach((index, at) => (out[index] = read[at]));
        }),
      );
      return out;
    };
    return { pages: pages.map((raw, index) => asRawPage(raw, found[index])), found, reread };
  } finally {
    await raster.close();
  }
}

export { ocrAvailability };
