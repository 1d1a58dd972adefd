// pdf.js host: a worker thread started without the TypeScript loader. pdf.js is ~3 MB of plain JavaScript; run
// through tsx it took 4x the memory (≈520 MB instead of ≈120 MB) and twice the start-up. This file only talks to
// pdf.js and sends back plain data (text items, the drawing operations tables are made of, metadata); everything
// else happens in the TypeScript reader. One pdf.js per process: this worker is a singleton (see pdfjs.ts).
import { parentPort, workerData } from 'node:worker_threads';

const pdfjs = await import(workerData.pdfjsUrl);
const OPS = pdfjs.OPS;
const IMAGE = new Set([
  OPS.paintImageXObject,
  OPS.paintInlineImageXObject,
  OPS.paintImageMaskXObject,
  OPS.paintImageXObjectRepeat,
]);
const STROKE = new Set([OPS.stroke, OPS.closeStroke]);
const FILL = new Set([OPS.fill, OPS.eoFill]);

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
    disableFontFace: true,
    verbosity: 0,
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
