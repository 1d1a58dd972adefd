// `node --import tsx test/pdf/gen-rotated.ts`: the rotated-page corpus (test/corpus/rotated), made from the committed
// LibreOffice seed PDFs with pdf-lib, so the truth is the seed report's own expected JSON. Each file is a way real
// reports arrive turned: every page carrying /Rotate 90, 180 or 270; pages turned differently within one document
// (a table crossing from an upright page to a turned one); the pages drawn sideways on landscape paper (text matrix
// turned, no /Rotate); and drawn sideways then turned back by /Rotate, so they read upright on screen.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument, degrees } from 'pdf-lib';

const TEST = join(dirname(fileURLToPath(import.meta.url)), '..');
const SEEDS = join(TEST, 'corpus', 'office');
const OUT = join(TEST, 'corpus', 'rotated');

/** Every page of the seed with /Rotate set per page (index → degrees). */
export async function turnedPages(seed: Uint8Array, rotation: (index: number) => number): Promise<Uint8Array> {
  const doc = await PDFDocument.load(seed);
  doc.getPages().forEach((page, index) => page.setRotation(degrees(rotation(index))));
  return doc.save({ useObjectStreams: false });
}

/** Each seed page drawn a quarter turn counter-clockwise on landscape paper; `thenRotate` sets /Rotate on it. */
export async function sidewaysPages(seed: Uint8Array, thenRotate = 0): Promise<Uint8Array> {
  const source = await PDFDocument.load(seed);
  const doc = await PDFDocument.create();
  const embedded = await doc.embedPages(source.getPages());
  for (const form of embedded) {
    const page = doc.addPage([form.height, form.width]);
    // turned about its lower-left corner, the form lies left of the origin: shift it right by its height
    page.drawPage(form, { x: form.height, y: 0, rotate: degrees(90) });
    if (thenRotate) page.setRotation(degrees(thenRotate));
  }
  return doc.save({ useObjectStreams: false });
}

/**
 * One landscape page with two seed pages on it: the first upright on the left, the second turned on the right —
 * text in two directions on one page.
 */
export async function mixedDirections(seed: Uint8Array): Promise<Uint8Array> {
  const source = await PDFDocument.load(seed);
  const doc = await PDFDocument.create();
  const [first, second] = await doc.embedPages(source.getPages().slice(0, 2));
  const page = doc.addPage([first.width + second.height, Math.max(first.height, second.width)]);
  page.drawPage(first, { x: 0, y: 0 });
  page.drawPage(second, { x: first.width + second.height, y: 0, rotate: degrees(90) });
  return doc.save({ useObjectStreams: false });
}

const VARIANTS: Array<{ name: string; seed: string; make: (seed: Uint8Array) => Promise<Uint8Array> }> = [
  { name: 'turned-090-seed-001', seed: 'seed-001', make: (seed) => turnedPages(seed, () => 90) },
  { name: 'turned-180-seed-002', seed: 'seed-002', make: (seed) => turnedPages(seed, () => 180) },
  { name: 'turned-270-seed-003', seed: 'seed-003', make: (seed) => turnedPages(seed, () => 270) },
  { name: 'turned-mixed-seed-000', seed: 'seed-000', make: (seed) => turnedPages(seed, (index) => (index * 90) % 360) },
  { name: 'sideways-seed-004', seed: 'seed-004', make: (seed) => sidewaysPages(seed) },
  { name: 'sideways-upright-seed-002', seed: 'seed-002', make: (seed) => sidewaysPages(seed, 90) },
];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  mkdirSync(OUT, { recursive: true });
  for (const variant of VARIANTS) {
    const seed = new Uint8Array(readFileSync(join(SEEDS, `${variant.seed}.pdf`)));
    writeFileSync(join(OUT, `${variant.name}.pdf`), await variant.make(seed));
    copyFileSync(join(SEEDS, `${variant.seed}.expected.json`), join(OUT, `${variant.name}.expected.json`));
    process.stdout.write(`${variant.name}.pdf\n`);
  }
}
