// The generated OCR corpus: office corpus PDFs (whose truth is their expected JSON) rendered to images and wrapped
// again as image-only PDFs, one per variant — resolution, noise, skew, JPEG quality, a page turned a quarter. Built
// at test time into a temporary folder (a few MB of JPEG: too much to commit), each PDF beside a copy of its
// expected JSON so the accuracy harness scores it like any corpus document. Needs pdftoppm (poppler-utils).
//
//   node --import tsx test/gen/ocr/build.ts [DIR]   writes the corpus and prints where
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { PDFDocument } from 'pdf-lib';
import { prng } from '../../../simulator/reports/random-report.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const OFFICE = join(ROOT, 'test/corpus/office');

export interface Variant {
  name: string;
  dpi: number;
  /** JPEG quality 0–1 */
  quality: number;
  /** grey-level noise amplitude (uniform ±) */
  noise: number;
  /** degrees clockwise */
  skew: number;
  /** quarter turns clockwise of the whole page image (a scan fed sideways) */
  turns: 0 | 1;
}

export const VARIANTS: Variant[] = [
  { name: 'dpi150', dpi: 150, quality: 0.85, noise: 0, skew: 0, turns: 0 },
  { name: 'dpi300', dpi: 300, quality: 0.85, noise: 0, skew: 0, turns: 0 },
  { name: 'noisy-skewed', dpi: 150, quality: 0.6, noise: 24, skew: 1.2, turns: 0 },
  { name: 'turned', dpi: 150, quality: 0.8, noise: 8, skew: 0, turns: 1 },
];

/** The office documents each variant is made of: a 2019 and a 2021 report, tables ruled (kept few: OCR is slow). */
export const SOURCES: Record<string, string[]> = {
  dpi150: ['seed-001.pdf'],
  dpi300: ['random-003.pdf'],
  'noisy-skewed': ['random-003.pdf'],
  turned: ['seed-001.pdf'],
};

async function pageJpeg(
  png: Buffer,
  variant: Variant,
  seed: number,
): Promise<{ jpeg: Buffer; width: number; height: number }> {
  const image = await loadImage(png);
  const odd = variant.turns === 1;
  const width = odd ? image.height : image.width;
  const height = odd ? image.width : image.height;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.translate(width / 2, height / 2);
  ctx.rotate(((variant.skew + variant.turns * 90) * Math.PI) / 180);
  ctx.drawImage(image, -image.width / 2, -image.height / 2);
  if (variant.noise) {
    const pixels = ctx.getImageData(0, 0, width, height);
    const rnd = prng(seed);
    for (let i = 0; i < pixels.data.length; i += 4) {
      const grey = Math.max(0, Math.min(255, pixels.data[i] + (rnd() * 2 - 1) * variant.noise));
      pixels.data[i] = pixels.data[i + 1] = pixels.data[i + 2] = grey;
    }
    ctx.putImageData(pixels, 0, 0);
  }
  return { jpeg: await canvas.encode('jpeg', Math.round(variant.quality * 100)), width, height };
}

/** One source PDF as an image-only PDF of this variant: every page one JPEG, page size kept. */
export async function imageOnlyPdf(source: string, variant: Variant): Promise<Uint8Array> {
  const work = mkdtempSync(join(tmpdir(), 'nianbao-ocr-gen-'));
  try {
    execFileSync('pdftoppm', ['-png', '-gray', '-r', String(variant.dpi), source, join(work, 'p')]);
    const pngs = readdirSync(work)
      .filter((n) => n.endsWith('.png'))
      .sort();
    const pdf = await PDFDocument.create();
    for (const [index, name] of pngs.entries()) {
      const { jpeg, width, height } = await pageJpeg(readFileSync(join(work, name)), variant, index + 1);
      const embedded = await pdf.embedJpg(jpeg);
      const page = pdf.addPage([(width * 72) / variant.dpi, (height * 72) / variant.dpi]);
      page.drawImage(embedded, { x: 0, y: 0, width: page.getWidth(), height: page.getHeight() });
    }
    return await pdf.save();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Writes every variant of its sources into `dir` (`<variant>/<source>.pdf` + expected JSON); skips what exists. */
export async function buildOcrCorpus(
  dir = join(tmpdir(), 'nianbao-ocr-corpus-1'),
  variants = VARIANTS,
): Promise<string> {
  for (const variant of variants) {
    const out = join(dir, variant.name);
    mkdirSync(out, { recursive: true });
    for (const source of SOURCES[variant.name] ?? []) {
      const stem = source.replace(/\.pdf$/, '');
      const target = join(out, `ocr-${stem}.pdf`);
      if (!existsSync(target)) writeFileSync(target, await imageOnlyPdf(join(OFFICE, source), variant));
      copyFileSync(join(OFFICE, `${stem}.expected.json`), join(out, `ocr-${stem}.expected.json`));
    }
  }
  return dir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(await buildOcrCorpus(process.argv[2]));
