// The one pdf.js of the process: the copy pdf-parse bundles (a second pdfjs-dist version in the same process fails
// with "API version does not match Worker version"), hosted in one long-lived worker thread (worker.mjs) that runs
// without the TypeScript loader. CMaps and standard fonts come from that copy's own folders on disk, so PDFs with
// non-embedded Chinese fonts (STSong-Light + UniGB-UCS2-H) still give text. A document that hangs pdf.js is
// stopped after a time limit; the worker is then replaced.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { loadConfig } from '../../../core/config.ts';

export interface RawItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
  /** OCR words only: tesseract's confidence, 0–1 (a text layer is certain and has none). */
  confidence?: number;
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
// Read on each document: the setting may change between documents in one process (tests do).
const timeLimitMs = () => loadConfig().pdfTimeoutMs;

/** 'fast' is the reader's; 'reference' drives pdf.js as documented, for the parity test (see worker.mjs). */
export type PdfEngine = 'fast' | 'reference';

function locations(engine: PdfEngine) {
  const require = createRequire(import.meta.url);
  const fromPdfParse = createRequire(require.resolve('pdf-parse'));
  const dir = dirname(fromPdfParse.resolve('pdfjs-dist/package.json'));
  return {
    engine,
    pdfjsDir: pathToFileURL(dir).href,
    cMapUrl: join(dir, 'cmaps') + '/',
    standardFontDataUrl: join(dir, 'standard_fonts') + '/',
  };
}

type Pending = { resolve: (pdf: RawPdf) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };
interface Host {
  worker: Worker;
  /** Requests in flight on this worker: a worker that dies fails only its own. */
  pending: Map<number, Pending>;
}
const hosts = new Map<PdfEngine, Host>();
let nextId = 1;

/** Ends a request: its timer is cleared and an idle worker no longer keeps the process alive. */
function settle(owner: Host, id: number): Pending | undefined {
  const request = owner.pending.get(id);
  if (!request) return undefined;
  owner.pending.delete(id);
  clearTimeout(request.timer);
  if (!owner.pending.size) owner.worker.unref();
  return request;
}

interface Reply {
  id: number;
  result?: RawPdf;
  error?: { name: string; message: string };
}

function start(engine: PdfEngine): Host {
  const worker = new Worker(new URL('./worker.mjs', import.meta.url), { workerData: locations(engine), execArgv: [] });
  const started: Host = { worker, pending: new Map() };
  worker.unref();
  worker.on('message', (reply: Reply) => {
    const request = settle(started, reply.id);
    if (!request) return;
    if (reply.error) request.reject(new PdfError(reply.error.name, reply.error.message));
    else request.resolve(reply.result!);
  });
  const fail = (error: Error) => {
    if (hosts.get(engine) === started) hosts.delete(engine);
    // settle() deletes from the map: iterate a copy of its keys
    for (const id of Array.from(started.pending.keys()))
      settle(started, id)?.reject(new PdfError('WorkerError', `pdf.js stopped: ${error.message}`));
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
  return started;
}

/** Reads every page of a PDF in the pdf.js worker. */
export function readRawPdf(bytes: Uint8Array, engine: PdfEngine = 'fast'): Promise<RawPdf> {
  const current = hosts.get(engine) ?? start(engine);
  hosts.set(engine, current);
  const id = nextId++;
  const copy = new Uint8Array(bytes); // transferred to the worker, the caller keeps its bytes
  const limit = timeLimitMs();
  return new Promise<RawPdf>((resolve, reject) => {
    const timer = setTimeout(() => {
      settle(current, id)?.reject(new PdfError('Timeout', `pdf.js did not finish within ${limit / 1000} s`));
      // a runaway document takes its worker with it; the next read starts a fresh one
      if (hosts.get(engine) === current) hosts.delete(engine);
      void current.worker.terminate();
    }, limit);
    current.pending.set(id, { resolve, reject, timer });
    current.worker.ref();
    current.worker.postMessage({ id, bytes: copy }, [copy.buffer]);
  });
}
