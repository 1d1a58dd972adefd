// OCR cost per rendering resolution: ms/page (wall and CPU, tesseract included) and peak RSS, each resolution in a
// fresh child process so its figures are its own. Pages are the generated 300 ppi scan of an office report
// (test/gen/ocr), so the rendering resolution alone sets the work. `benchOcr()` is what bench/run.ts calls;
// `node --import tsx bench/ocr.ts` prints the rows. CPU and RSS come from GNU time (/usr/bin/time), which counts the
// tesseract processes too; without it they are null.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRawPdf } from '../extractors/readers/pdf/pdfjs.ts';
import { ocrAvailability } from '../extractors/readers/ocr/engine.ts';
import { ocrPages } from '../extractors/readers/ocr/index.ts';
import { OCR_PROCESSES } from '../extractors/readers/ocr/pool.ts';
import { buildOcrCorpus, VARIANTS } from '../test/gen/ocr/build.ts';

export interface OcrBenchRow {
  dpi: number;
  pages: number;
  /** wall time per page with OCR_PROCESSES tesseracts at once */
  msPerPage: number;
  /** CPU per page, node and tesseract together (null without GNU time) */
  cpuMsPerPage: number | null;
  /** the largest process of the run: node or one tesseract (null without GNU time) */
  peakRssMb: number | null;
  /** words read per page: the same pages at every resolution */
  wordsPerPage: number;
}

export interface OcrBench {
  processes: number;
  rows: OcrBenchRow[];
  /** set when OCR cannot run here */
  skipped?: string;
}

const TIME = '/usr/bin/time';
const round1 = (x: number) => Math.round(x * 10) / 10;

/** One resolution in a child: { ms, pages, words } on stdout; GNU time's "%U %S %M" as the last stderr line. */
function runChild(dpi: number, pdf: string): Promise<OcrBenchRow> {
  const self = fileURLToPath(import.meta.url);
  const node = [process.execPath, '--import', 'tsx', self, '--child', String(dpi), pdf];
  const timed = existsSync(TIME);
  const [binary, ...args] = timed ? [TIME, '-f', '%U %S %M', ...node] : node;
  return new Promise((resolve, reject) =>
    execFile(binary, args, { maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`OCR bench at ${dpi} dpi failed: ${stderr.trim().split('\n').pop()}`));
      const { ms, pages, words } = JSON.parse(stdout) as { ms: number; pages: number; words: number };
      const usage = timed ? stderr.trim().split('\n').pop()!.split(' ').map(Number) : null;
      resolve({
        dpi,
        pages,
        msPerPage: round1(ms / pages),
        cpuMsPerPage: usage ? round1(((usage[0] + usage[1]) * 1000) / pages) : null,
        peakRssMb: usage ? round1(usage[2] / 1024) : null,
        wordsPerPage: round1(words / pages),
      });
    }),
  );
}

export async function benchOcr(dpis = [150, 200, 300]): Promise<OcrBench> {
  const available = await ocrAvailability();
  if ('unavailable' in available) return { processes: OCR_PROCESSES, rows: [], skipped: available.unavailable };
  const dir = await buildOcrCorpus(
    undefined,
    VARIANTS.filter((v) => v.name === 'dpi300'),
  );
  const pdf = join(dir, 'dpi300', 'ocr-random-003.pdf');
  const rows: OcrBenchRow[] = [];
  for (const dpi of dpis) rows.push(await runChild(dpi, pdf));
  return { processes: OCR_PROCESSES, rows };
}

async function child(dpi: number, pdf: string) {
  const available = await ocrAvailability();
  if ('unavailable' in available) throw new Error(available.unavailable);
  const bytes = new Uint8Array(readFileSync(pdf));
  const raw = await readRawPdf(bytes);
  const started = performance.now();
  const result = await ocrPages(bytes, raw.pages, available.engine, dpi);
  const ms = performance.now() - started;
  const words = result.found.reduce((sum, page) => sum + page.words, 0);
  process.stdout.write(JSON.stringify({ ms, pages: raw.pages.length, words }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') await child(Number(argv[1]), argv[2]);
  else console.log(JSON.stringify(await benchOcr(), null, 2));
}
