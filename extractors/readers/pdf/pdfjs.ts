// The one pdf.js of the process: the copy pdf-parse bundles (a second pdfjs-dist version in the same process fails
// with "API version does not match Worker version"), hosted in one long-lived worker thread (worker.mjs) that runs
// without the TypeScript loader. CMaps and standard fonts come from that copy's own folders on disk, so PDFs with
// non-embedded Chinese fonts (STSong-Light + UniGB-UCS2-H) still give text. A document that hangs pdf.js is
// stopped after a time limit; the worker is then replaced.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface RawItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
}

/** Drawing records: save, restore, transform, stroked path bbox, filled path bbox. */
export type DrawOp = ['q'] | ['Q'] | ['cm', number, number, number, number, number, number] | ['S' | 'f', number, number, number, number];

export interface RawPage {
  n: number;
  width: number;
  height: number;
  /** Viewport transform at scale 1 (PDF user space → top-left origin). */
  transform: number[];
  items: RawItem[];
  draw: DrawOp[];
  image: boolean;
}

export interface RawPdf {
  pages: RawPage[];
  info: { Title: string | null; CreationDate: string | null };
}

export class PdfError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

const TIME_LIMIT_MS = Number(process.env.NIANBAO_PDF_TIMEOUT_MS ?? 120_000);

function locations() {
  const require = createRequire(import.meta.url);
  const fromPdfParse = createRequire(require.resolve('pdf-parse'));
  const dir = dirname(fromPdfParse.resolve('pdfjs-dist/package.json'));
  return {
    pdfjsUrl: pathToFileURL(join(dir, 'legacy/build/pdf.mjs')).href,
    cMapUrl: join(dir, 'cmaps') + '/',
    standardFontDataUrl: join(dir, 'standard_fonts') + '/',
  };
}

type Pending = { resolve: (r: RawPdf) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };
let worker: Worker | undefined;
const pending = new Map<number, Pending>();
let nextId = 1;

function start(): Worker {
  const w = new Worker(new URL('./worker.mjs', import.meta.url), { workerData: locations(), execArgv: [] });
  w.unref();
  w.on('message', (m: { id: number; result?: RawPdf; error?: { name: string; message: string } }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    clearTimeout(p.timer);
    if (!pending.size) w.unref();
    if (m.error) p.reject(new PdfError(m.error.name, m.error.message));
    else p.resolve(m.result!);
  });
  const fail = (e: Error) => {
    if (worker === w) worker = undefined;
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      p.reject(new PdfError('WorkerError', `pdf.js stopped: ${e.message}`));
      pending.delete(id);
    }
  };
  w.on('error', fail);
  w.on('exit', (code) => fail(new Error(`exit code ${code}`)));
  return w;
}

/** Reads every page of a PDF in the pdf.js worker. */
export function readRawPdf(bytes: Uint8Array): Promise<RawPdf> {
  worker ??= start();
  const w = worker;
  const id = nextId++;
  const copy = new Uint8Array(bytes); // transferred to the worker, the caller keeps its bytes
  return new Promise<RawPdf>((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new PdfError('Timeout', `pdf.js did not finish within ${TIME_LIMIT_MS / 1000} s`));
      // a runaway document takes the worker with it; the next read starts a fresh one
      if (worker === w) worker = undefined;
      void w.terminate();
    }, TIME_LIMIT_MS);
    pending.set(id, { resolve, reject, timer });
    w.ref();
    w.postMessage({ id, bytes: copy }, [copy.buffer]);
  });
}
