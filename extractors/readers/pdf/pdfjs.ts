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
export type DrawOp =
  ['q'] | ['Q'] | ['cm', number, number, number, number, number, number] | ['S' | 'f', number, number, number, number];

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

/** Per document; NIANBAO_PDF_TIMEOUT_MS overrides. */
const timeLimitMs = () => Number(process.env.NIANBAO_PDF_TIMEOUT_MS ?? 120_000);

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
interface Host {
  worker: Worker;
  /** Requests in flight on this worker: a worker that dies fails only its own. */
  pending: Map<number, Pending>;
}
let host: Host | undefined;
let nextId = 1;

/** Ends a request: its timer is cleared and an idle worker no longer keeps the process alive. */
function settle(h: Host, id: number): Pending | undefined {
  const p = h.pending.get(id);
  if (!p) return undefined;
  h.pending.delete(id);
  clearTimeout(p.timer);
  if (!h.pending.size) h.worker.unref();
  return p;
}

function start(): Host {
  const w = new Worker(new URL('./worker.mjs', import.meta.url), { workerData: locations(), execArgv: [] });
  const h: Host = { worker: w, pending: new Map() };
  w.unref();
  w.on('message', (m: { id: number; result?: RawPdf; error?: { name: string; message: string } }) => {
    const p = settle(h, m.id);
    if (!p) return;
    if (m.error) p.reject(new PdfError(m.error.name, m.error.message));
    else p.resolve(m.result!);
  });
  const fail = (e: Error) => {
    if (host === h) host = undefined;
    for (const id of [...h.pending.keys()])
      settle(h, id)?.reject(new PdfError('WorkerError', `pdf.js stopped: ${e.message}`));
  };
  w.on('error', fail);
  w.on('exit', (code) => fail(new Error(`exit code ${code}`)));
  return h;
}

/** Reads every page of a PDF in the pdf.js worker. */
export function readRawPdf(bytes: Uint8Array): Promise<RawPdf> {
  host ??= start();
  const h = host;
  const id = nextId++;
  const copy = new Uint8Array(bytes); // transferred to the worker, the caller keeps its bytes
  const limit = timeLimitMs();
  return new Promise<RawPdf>((resolve, reject) => {
    const timer = setTimeout(() => {
      settle(h, id)?.reject(new PdfError('Timeout', `pdf.js did not finish within ${limit / 1000} s`));
      // a runaway document takes its worker with it; the next read starts a fresh one
      if (host === h) host = undefined;
      void h.worker.terminate();
    }, limit);
    h.pending.set(id, { resolve, reject, timer });
    h.worker.ref();
    h.worker.postMessage({ id, bytes: copy }, [copy.buffer]);
  });
}
