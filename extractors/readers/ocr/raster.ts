// Pages as grey rasters, rendered by pdftoppm (poppler): the page as displayed — /Rotate, clipping, several
// images or an image over vector art — at a chosen resolution, one PGM per page. A scan's embedded image is at
// whatever resolution the scanner used; rendering normalises it to the resolution tesseract reads best.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../../core/errors.ts';
import { readPgm, type Gray } from './image.ts';
import { MEMORY_LIMIT_MB } from './tesseract.ts';

/** A document written once to a private temporary directory; `pages` renders from it; `close` removes it. */
export async function rasteriser(bytes: Uint8Array, pdftoppm: string, pdfimages: string, timeoutMs: number) {
  const dir = await mkdtemp(join(tmpdir(), 'nianbao-ocr-'));
  const pdf = join(dir, 'doc.pdf');
  await writeFile(pdf, bytes);
  const page = (pageNo: number, dpi: number): Promise<Gray> =>
    new Promise((resolve, reject) => {
      const out = join(dir, `p${pageNo}-${dpi}`);
      const args = ['-gray', '-r', String(dpi), '-f', String(pageNo), '-l', String(pageNo), '-singlefile', pdf, out];
      // the same address-space bound as tesseract (tesseract.ts): a hostile page cannot take the machine's memory
      const bounded = ['-c', `ulimit -v ${MEMORY_LIMIT_MB * 1024} && exec "$0" "$@"`, pdftoppm, ...args];
      execFile('/bin/sh', bounded, { timeout: timeoutMs }, (error) => {
        if (error)
          return reject(
            new InputError(`OCR: page ${pageNo} cannot be rendered: ${String(error.message).split('\n')[0]}`),
          );
        readFile(`${out}.pgm`)
          .then((data) => rm(`${out}.pgm`).then(() => resolve(readPgm(data))))
          .catch(reject);
      });
    });
  /** Resolution (pixels per inch) of the sharpest image on each page, from `pdfimages -list`; none when it fails. */
  const imageResolution = (): Promise<Map<number, number>> =>
    new Promise((resolve) =>
      execFile(pdfimages, ['-list', pdf], { timeout: timeoutMs }, (error, stdout) => {
        const byPage = new Map<number, number>();
        if (!error)
          for (const row of stdout.split('\n').slice(2)) {
            const cols = row.trim().split(/\s+/);
            const [pageNo, ppi] = [Number(cols[0]), Number(cols[12])];
            if (pageNo > 0 && ppi > 0) byPage.set(pageNo, Math.max(byPage.get(pageNo) ?? 0, ppi));
          }
        resolve(byPage);
      }),
    );
  return { page, imageResolution, close: () => rm(dir, { recursive: true, force: true }) };
}
