// The generated OCR corpus scored cell by cell, per variant: what test/ocr, `npm run accuracy` and bench/ocr.ts
// share. Each document goes through extract() like any PDF; the truth is the source report's expected JSON.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { extract } from '../../extractors/extract.ts';
import type { Report } from '../../extractors/report.ts';
import { buildOcrCorpus, VARIANTS, type Variant } from '../gen/ocr/build.ts';
import { scoreDoc, totals, type DocScore, type Expected, type Totals } from '../accuracy/score.ts';

export interface VariantScore {
  variant: string;
  docs: DocScore[];
  totals: Totals;
  pages: number;
  msPerPage: number;
  /** every report carries OCR_USED */
  ocrUsed: boolean;
}

/** Files of one variant: [pdf, expected JSON] pairs. */
export function variantFiles(dir: string, variant: string): Array<[string, string]> {
  return readdirSync(join(dir, variant))
    .filter((name) => name.endsWith('.pdf'))
    .sort()
    .map((name) => [join(dir, variant, name), join(dir, variant, name.replace(/\.pdf$/, '.expected.json'))]);
}

export async function scoreVariants(variants: Variant[] = VARIANTS): Promise<VariantScore[]> {
  const dir = await buildOcrCorpus(undefined, variants);
  const out: VariantScore[] = [];
  for (const variant of variants) {
    const docs: DocScore[] = [];
    let pages = 0;
    let ms = 0;
    let ocrUsed = true;
    for (const [file, expectedFile] of variantFiles(dir, variant.name)) {
      const expected = JSON.parse(readFileSync(expectedFile, 'utf8')) as Expected;
      const started = performance.now();
      let report: Report | null = null;
      try {
        report = await extract(new Uint8Array(readFileSync(file)), { filename: 'scan.pdf' });
        docs.push(scoreDoc(file, 'pdf', `ocr/${variant.name}`, expected, report));
      } catch (error) {
        docs.push(scoreDoc(file, 'pdf', `ocr/${variant.name}`, expected, null, error as Error));
      }
      ms += performance.now() - started;
      const used = report?.flags.find((f) => f.code === 'OCR_USED');
      ocrUsed &&= Boolean(used);
      pages += Number(/^pages ([\d, ]+) read/.exec(used?.message ?? '')?.[1].split(',').length ?? 0);
    }
    out.push({ variant: variant.name, docs, totals: totals(docs), pages, msPerPage: pages ? ms / pages : 0, ocrUsed });
  }
  return out;
}
