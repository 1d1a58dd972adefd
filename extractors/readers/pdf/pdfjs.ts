// The one pdf.js of the process: the copy pdf-parse bundles (a second pdfjs-dist version in the same process fails
// with "API version does not match Worker version"). Loaded lazily once; CMaps and standard fonts come from that copy's
// own folders on disk, so PDFs with non-embedded Chinese fonts (STSong-Light + UniGB-UCS2-H) still give text.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/* eslint-disable @typescript-eslint/no-explicit-any -- pdf.js and pdf-parse geometry are typed loosely on purpose */
export interface PdfLibs {
  pdfjs: any;
  /** pdf-parse's ruling-line geometry (LineStore, Line, Point, Rectangle). */
  geometry: { LineStore: any; Line: any; Point: any; Rectangle: any };
  cMapUrl: string;
  standardFontDataUrl: string;
}

let libs: Promise<PdfLibs> | undefined;

export function pdfLibs(): Promise<PdfLibs> {
  libs ??= (async () => {
    const require = createRequire(import.meta.url);
    const fromPdfParse = createRequire(require.resolve('pdf-parse'));
    const pdfjsDir = dirname(fromPdfParse.resolve('pdfjs-dist/package.json'));
    // Same file URL as pdf-parse's own import, hence the same module instance.
    const pdfjs = await import(pathToFileURL(join(pdfjsDir, 'legacy/build/pdf.mjs')).href);
    const pp: any = await import('pdf-parse');
    return {
      pdfjs,
      geometry: { LineStore: pp.LineStore, Line: pp.Line, Point: pp.Point, Rectangle: pp.Rectangle },
      cMapUrl: join(pdfjsDir, 'cmaps') + '/',
      standardFontDataUrl: join(pdfjsDir, 'standard_fonts') + '/',
    };
  })();
  return libs;
}
