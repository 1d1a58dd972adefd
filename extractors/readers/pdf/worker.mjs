// pdf.js host: a worker thread started without the TypeScript loader. pdf.js is ~3 MB of plain JavaScript; run
// through tsx it took 4x the memory (≈520 MB instead of ≈120 MB) and twice the start-up. This file only talks to
// pdf.js and sends back plain data (text items, the drawing operations tables are made of, metadata); everything
// else happens in the TypeScript reader. One pdf.js per process: this worker is a singleton (see pdfjs.ts).
//
// Two ways of driving pdf.js (workerData.engine):
// - 'fast' (the reader): pdf.js' modern build with the few things Node 20 lacks provided here, font faces never
//   loaded and glyph outlines never built (text and rulings use neither), and pdf.js' own worker core reached
//   through an in-thread port that hands messages over instead of structured-cloning them. Profiled on the corpus,
//   these were half of the worker's time: the legacy build's core-js polyfills (Array.prototype.push alone 16%),
//   glyph outlines built because disableFontFace is set (19%), structured clones of every message, font programs
//   included (13%).
// - 'reference': pdf.js as its documentation drives it in Node (legacy build, disableFontFace, cloned messages).
//   test/pdf/engine-parity.test.ts reads every committed PDF both ways and requires the same document model.
import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { setFlagsFromString } from 'node:v8';
import { runInThisContext } from 'node:vm';

// pdf.js is a few MB of code that runs a short while per document: compiled to baseline code at once (Sparkplug,
// which V8 otherwise waits for feedback before using) rather than interpreted for its first documents. Measured on
// the corpus' first 8 PDFs, one round: 104 → 80 ms median per document. The flag is V8's, for the whole process
// (the reference engine, a baseline, goes without).
if (workerData.engine !== 'reference') setFlagsFromString('--always-sparkplug');

const fast = workerData.engine !== 'reference';

if (fast) {
  // The modern build uses these on Node ≥ 22. Without transferToFixedLength, constructPath loses its path data and
  // ruling lines vanish with no error: the parity test checks that ruled PDFs still yield their lines.
  Promise.withResolvers ??= function withResolvers() {
    let resolve, reject;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
  ArrayBuffer.prototype.transferToFixedLength ??= function transferToFixedLength(length = this.byteLength) {
    const copy = new ArrayBuffer(length);
    new Uint8Array(copy).set(new Uint8Array(this, 0, Math.min(length, this.byteLength)));
    return copy;
  };
  // Only rendering uses these; the build constructs one DOMMatrix when it loads. Empty classes make any other use
  // fail loudly (a missing method) rather than compute something wrong.
  globalThis.DOMMatrix ??= class DOMMatrix {};
  globalThis.Path2D ??= class Path2D {};
  globalThis.ImageData ??= class ImageData {};
  // Font faces "load" at once: no glyph is ever drawn here, and pdf.js then skips building glyph outlines.
  globalThis.FontFace ??= class FontFace {
    constructor(family) {
      this.family = family;
      this.loaded = Promise.resolve(this);
    }
  };
}

const build = fast ? 'build' : 'legacy/build';
// The modern build warns on loading, through console.warn, that Node should use the legacy one: we do on purpose,
// and a worker's console is the process's, where every extraction would repeat it.
const consoleWarn = console.warn;
console.warn = () => {};
const pdfjs = await import(`${workerData.pdfjsDir}/${build}/pdf.mjs`).finally(() => (console.warn = consoleWarn));
const OPS = pdfjs.OPS;
const IMAGE = new Set([
  OPS.paintImageXObject,
  OPS.paintInlineImageXObject,
  OPS.paintImageMaskXObject,
  OPS.paintImageXObjectRepeat,
]);
const STROKE = new Set([OPS.stroke, OPS.closeStroke]);
const FILL = new Set([OPS.fill, OPS.eoFill]);

/**
 * One end of an in-thread channel between pdf.js' API and its worker core. Messages are handed over, not cloned,
 * so what pdf.js changes after sending must be copied when it is sent: stream chunks, which pdf.js reuses right
 * after enqueueing them (the text content object gets fresh `items`, OperatorList.flush() empties its arrays). A
 * shallow copy of the chunk and of its arrays is enough for both; the parity test is the guard.
 */
class HandOverPort {
  listeners = new Set();
  peer = null;
  queue = Promise.resolve();
  postMessage(message) {
    const chunk = message?.chunk;
    if (chunk && typeof chunk === 'object') {
      const copy = {};
      for (const key of Object.keys(chunk)) copy[key] = Array.isArray(chunk[key]) ? chunk[key].slice() : chunk[key];
      message = { ...message, chunk: copy };
    }
    const peer = this.peer;
    // delivered later, as a real port would: pdf.js relies on send() returning before the reply arrives
    this.queue.then(() => {
      for (const listener of peer.listeners) listener.call(peer, { data: message });
    });
  }
  addEventListener(_type, listener) {
    this.listeners.add(listener);
  }
  removeEventListener(_type, listener) {
    this.listeners.delete(listener);
  }
  terminate() {
    this.listeners.clear();
  }
}

/**
 * pdf.js converts every embedded Type1 font into an OpenType file (a CFF program compiled from the Type1 charstrings,
 * then the OpenType tables around it) for the browser to draw with: a fifth of the worker's time on the corpus, and
 * the result is only ever handed to FontFace, which is stubbed here. The conversion is cut from the worker core's
 * source before it is loaded; what text extraction reads from the font program (its encoding, glyph names, font
 * matrix, accented-glyph map) is still parsed. Each cut must match exactly once: another pdf.js fails loudly here,
 * and test/pdf/engine-parity.test.ts compares the result with unpatched pdf.js on every committed PDF.
 */
const CUTS = [
  // Type1Font: no CFF program compiled; font.data stays undefined, which pdf.js sends as "no font file"
  [
    '    this.data = this.wrap(name, type2Charstrings, this.charstrings, subrs, properties);\n',
    '    this.data = undefined;\n',
  ],
  // Font.convert: the glyph mapping is built as before, the OpenType file is not
  [
    '    const unitsPerEm = properties.fontMatrix ? 1 / Math.max(',
    '    if (font.data === undefined) return undefined;\n    const unitsPerEm = properties.fontMatrix ? 1 / Math.max(',
  ],
];

/**
 * The worker core's source with the cuts above, run as a script: an ES module can only be loaded from a URL, and a
 * data: URL of its 2.7 MB cost ≈30 MB more memory than the file (the URL is kept, and copied, as the module's name).
 * Its one `import.meta` use (where to find a wasm decoder, under the build folder) is given the file's URL, its
 * export becomes the script's result; a module is strict code, so is the script.
 */
async function loadWorkerCore() {
  const url = new URL(`${workerData.pdfjsDir}/build/pdf.worker.mjs`);
  let source = await readFile(url, 'utf8');
  const cuts = [
    ...CUTS,
    ['import.meta.url', JSON.stringify(url.href)],
    ['export { WorkerMessageHandler };', 'return { WorkerMessageHandler };'],
  ];
  for (const [from, to] of cuts) {
    const at = source.indexOf(from);
    if (at < 0 || source.indexOf(from, at + 1) >= 0)
      throw new Error(
        `pdf.js worker core at ${url.pathname} is not the one worker.mjs was written for (cut: ${from.trim()})`,
      );
    source = source.slice(0, at) + to + source.slice(at + from.length);
  }
  return runInThisContext(`(function () {\n'use strict';\n${source}\n})`, { filename: url.href })();
}

let pdfWorker = null;
if (fast) {
  const { WorkerMessageHandler } = await loadWorkerCore();
  const apiSide = new HandOverPort();
  const coreSide = new HandOverPort();
  apiSide.peer = coreSide;
  coreSide.peer = apiSide;
  WorkerMessageHandler.initializeFromPort(coreSide);
  pdfWorker = new pdfjs.PDFWorker({ port: apiSide, verbosity: 0 });
}
/** Font faces go nowhere (see FontFace above). */
const ownerDocument = { fonts: { add() {}, delete() {} } };

async function readPage(doc, pageNo) {
  const page = await doc.getPage(pageNo);
  const viewport = page.getViewport({ scale: 1 });
  const [content, ops] = await Promise.all([page.getTextContent(), page.getOperatorList()]);
  const items = [];
  for (const item of content.items)
    if ('str' in item) items.push({ str: item.str, transform: item.transform, width: item.width, height: item.height });
  // The drawing operations that ruling lines are made of, as small records.
  const draw = [];
  let image = false;
  for (let i = 0; i < ops.fnArray.length; i++) {
    const opCode = ops.fnArray[i];
    const args = ops.argsArray[i];
    if (IMAGE.has(opCode)) image = true;
    else if (opCode === OPS.save) draw.push(['q']);
    else if (opCode === OPS.restore) draw.push(['Q']);
    else if (opCode === OPS.transform) draw.push(['cm', ...args]);
    else if (opCode === OPS.constructPath) {
      // the path's bounding box [minX, minY, maxX, maxY]; Infinity when the path is empty
      const minMax = args?.[2];
      if (!minMax || minMax[0] === Infinity) continue;
      if (STROKE.has(args[0])) draw.push(['S', minMax[0], minMax[1], minMax[2], minMax[3]]);
      else if (FILL.has(args[0])) draw.push(['f', minMax[0], minMax[1], minMax[2], minMax[3]]);
    }
  }
  page.cleanup();
  return {
    n: pageNo,
    width: viewport.width,
    height: viewport.height,
    transform: viewport.transform,
    items,
    draw,
    image,
  };
}

async function read(msg) {
  const doc = await pdfjs.getDocument({
    data: msg.bytes,
    cMapUrl: workerData.cMapUrl,
    cMapPacked: true,
    standardFontDataUrl: workerData.standardFontDataUrl,
    isEvalSupported: false,
    useSystemFonts: false,
    verbosity: 0,
    ...(fast ? { worker: pdfWorker, disableFontFace: false, ownerDocument } : { disableFontFace: true }),
  }).promise;
  try {
    const pages = [];
    for (let n = 1; n <= doc.numPages; n++) {
      try {
        pages.push(await readPage(doc, n));
      } catch (err) {
        throw Object.assign(new Error(`page ${n} cannot be read: ${err?.message ?? err}`), { name: 'PageError' });
      }
    }
    let info = {};
    try {
      info = (await doc.getMetadata()).info ?? {};
    } catch {
      // broken metadata is not a reason to lose the text
    }
    return {
      pages,
      info: {
        Title: typeof info.Title === 'string' ? info.Title : null,
        CreationDate: typeof info.CreationDate === 'string' ? info.CreationDate : null,
      },
    };
  } finally {
    await doc.destroy();
  }
}

parentPort.on('message', (msg) => {
  read(msg).then(
    (result) => parentPort.postMessage({ id: msg.id, result }),
    (err) =>
      parentPort.postMessage({
        id: msg.id,
        error: { name: err?.name ?? 'Error', message: String(err?.message ?? err) },
      }),
  );
});
