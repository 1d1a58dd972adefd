// Runs a reader in a worker thread with a heap limit and a time limit, so that input able to exhaust V8's heap or
// spin a parser (a DOCX whose document.xml is hundreds of MB, a DOC whose structure loops, a page of deep markup) ends
// as an InputError for that document while the process, and the queue worker in it, lives on. One long-lived thread
// per process, one document at a time (a new thread after one dies); bytes are copied in, the model is copied out.
import { Worker } from 'node:worker_threads';
import { InputError } from '../../core/errors.ts';
import type { DocumentModel, Format, ReadHints, Reader } from '../model.ts';

/** Heap a reader may use for one document; the largest real report needs a few hundred MB. */
export const SANDBOX_HEAP_MB = 1024;
/** A reader still busy after this long is stopped; the slowest real DOCX/DOC reads in a few seconds. */
export const SANDBOX_TIMEOUT_MS = 120_000;

interface Reply {
  id: number;
  model?: DocumentModel;
  error?: { name: string; message: string };
}

interface Waiting {
  resolve(model: DocumentModel): void;
  reject(error: Error): void;
  /** DOCX, DOC…: the sandbox's own errors name the format. */
  label: string;
}

let thread: { worker: Worker; waiting: Map<number, Waiting> } | null = null;
let nextId = 1;
let queue: Promise<unknown> = Promise.resolve();

function start(): NonNullable<typeof thread> {
  const worker = new Worker(new URL('./sandbox-worker.mjs', import.meta.url), {
    resourceLimits: { maxOldGenerationSizeMb: SANDBOX_HEAP_MB },
    execArgv: [],
  });
  const current = { worker, waiting: new Map<number, Waiting>() };
  worker.unref();
  worker.on('message', (reply: Reply) => {
    const waiting = current.waiting.get(reply.id);
    if (!waiting) return;
    current.waiting.delete(reply.id);
    if (reply.error) {
      const error =
        reply.error.name === 'InputError' ? new InputError(reply.error.message) : new Error(reply.error.message);
      waiting.reject(error);
    } else waiting.resolve(reply.model!);
  });
  const died = (why: string) => {
    if (thread === current) thread = null;
    for (const [id, waiting] of current.waiting) {
      current.waiting.delete(id);
      waiting.reject(new InputError(`${waiting.label} ${why}`));
    }
  };
  worker.on('error', (err: NodeJS.ErrnoException) =>
    died(
      err.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? `needs more than ${SANDBOX_HEAP_MB} MB of memory to read: refusing it`
        : `reader stopped: ${err.message.split('\n')[0]}`,
    ),
  );
  worker.on('exit', (code) => died(`reader stopped (exit code ${code})`));
  return current;
}

function readOnce(format: Format, bytes: Uint8Array, hints: ReadHints, timeoutMs: number): Promise<DocumentModel> {
  thread ??= start();
  const current = thread;
  const id = nextId++;
  return new Promise<DocumentModel>((resolve, reject) => {
    const timer = setTimeout(() => {
      current.waiting.delete(id);
      reject(new InputError(`${format.toUpperCase()} still being read after ${timeoutMs / 1000} s: refusing it`));
      if (thread === current) thread = null;
      void current.worker.terminate();
    }, timeoutMs);
    const settle = () => {
      clearTimeout(timer);
      if (!current.waiting.size) current.worker.unref();
    };
    current.waiting.set(id, {
      resolve: (model) => (settle(), resolve(model)),
      reject: (error) => (settle(), reject(error)),
      label: format.toUpperCase(),
    });
    current.worker.ref();
    current.worker.postMessage({ id, format, bytes, hints });
  });
}

/** The reader of `format`, run in the sandbox, one document at a time. */
export function sandboxed(format: Format, timeoutMs = SANDBOX_TIMEOUT_MS): Reader {
  return (bytes, hints = {}) => {
    const turn = queue.then(() => readOnce(format, bytes, hints, timeoutMs));
    queue = turn.catch(() => {});
    return turn;
  };
}
