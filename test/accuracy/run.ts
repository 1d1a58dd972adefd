// `npm run accuracy [-- DIR…] [--json]`: every document with an expected JSON under test/corpus/** and
// test/examples/** through extract() in-process; prints cell accuracy (wrong values, and wrong values no flag points
// at, apart; nulls with and without a flag; rows the wrapped-label guard refused; metadata), template accuracy, flag precision/recall per format, per set and overall, and the worst documents.
// Writes test/accuracy/summary.json (git-ignored: a run's output, not a fixture).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extract } from '../../extractors/extract.ts';
import { scoreDoc, totals, type DocScore, type Expected, type Totals } from './score.ts';
import { ocrAvailability } from '../../extractors/readers/ocr/engine.ts';
import { buildOcrCorpus, VARIANTS } from '../gen/ocr/build.ts';
import { buildImageCorpus, IMAGE_VARIANTS, imageVariantFiles } from '../gen/ocr/images.ts';
import { variantFiles } from '../ocr/variants.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CorpusDoc {
  file: string;
  expectedFile: string;
  format: string;
  /** The corpus the document belongs to: its folder and name prefix ("office/seed", "office/random", …). */
  set: string;
}

/**
 * Documents with an expectation: `<name>.expected.json` beside `<name>.<ext>`; several renderings of one report
 * (`seed-000.pdf`, `seed-000.doc`) share it, and `<name>.<ext>.expected.json` overrides it for one file.
 */
export function findCorpus(roots = [join(ROOT, 'test/corpus'), join(ROOT, 'test/examples')]): CorpusDoc[] {
  const out: CorpusDoc[] = [];
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        walk(path);
        continue;
      }
      if (name.endsWith('.json') || name.startsWith('.') || name.endsWith('.md')) continue;
      const own = `${path}.expected.json`;
      const shared = join(dir, `${basename(name, extname(name))}.expected.json`);
      const expectedFile = exists(own) ? own : exists(shared) ? shared : null;
      if (!expectedFile) continue;
      const rel = relative(join(ROOT, 'test'), dir).replace(/^(corpus|examples)\//, '');
      const prefix = /^[a-z]+/i.exec(name)?.[0];
      out.push({ file: path, expectedFile, format: formatOf(name), set: prefix ? `${rel}/${prefix}` : rel });
    }
  };
  for (const root of roots) walk(root);
  return out;
}

function exists(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function formatOf(name: string): string {
  const ext = extname(name).slice(1).toLowerCase();
  return ext === 'htm' || ext === 'shtml' ? 'html' : ext || 'none';
}

export async function scoreCorpus(docs: CorpusDoc[]): Promise<DocScore[]> {
  const out: DocScore[] = [];
  for (const doc of docs) {
    const expected = JSON.parse(readFileSync(doc.expectedFile, 'utf8')) as Expected;
    try {
      const report = await extract(new Uint8Array(readFileSync(doc.file)), { filename: basename(doc.file) });
      out.push(scoreDoc(rel(doc.file), doc.format, doc.set, expected, report));
    } catch (error) {
      out.push(scoreDoc(rel(doc.file), doc.format, doc.set, expected, null, error as Error));
    }
  }
  return out;
}

const rel = (p: string) => relative(ROOT, p);

export interface Summary {
  overall: Totals;
  byFormat: Record<string, Totals>;
  bySet: Record<string, Totals>;
  bySetFormat: Record<string, Totals>;
  worst: Array<{ file: string; accuracy: number; error?: string; failures: DocScore['failures']; meta: string[] }>;
  docs: DocScore[];
}

export function summarise(scores: DocScore[]): Summary {
  const group = (key: (d: DocScore) => string) => {
    const byKey = new Map<string, DocScore[]>();
    for (const score of scores) byKey.set(key(score), [...(byKey.get(key(score)) ?? []), score]);
    return Object.fromEntries([...byKey].sort().map(([k, v]) => [k, totals(v)]));
  };
  const acc = (score: DocScore) =>
    score.cells.total
      ? score.cells.correct / score.cells.total
      : score.errorExpected
        ? score.errorOk
          ? 1
          : 0
        : score.error
          ? 0
          : 1;
  return {
    overall: totals(scores),
    byFormat: group((d) => d.format),
    bySet: group((d) => d.set),
    bySetFormat: group((d) => `${d.set} ${d.format}`),
    worst: [...scores]
      .filter((d) => acc(d) < 1 || d.cells.wrong || (d.error && !d.errorOk) || d.meta.failures.length)
      .sort((a, b) => acc(a) - acc(b) || b.cells.wrongSilent - a.cells.wrongSilent)
      .slice(0, 10)
      .map((score) => ({
        file: score.file,
        accuracy: Math.round(acc(score) * 10000) / 10000,
        error: score.error,
        failures: score.failures.slice(0, 8),
        meta: score.meta.failures,
      })),
    docs: scores,
  };
}

function pct(x: number | null): string {
  return x === null ? '   –   ' : `${(x * 100).toFixed(2).padStart(6)}%`;
}

export function table(summary: Summary): string {
  // right | null with a flag | null without | wrong with a flag | wrong silently | rows the guard refused | metadata
  const line = (name: string, sums: Totals) =>
    [
      name.padEnd(28),
      String(sums.docs).padStart(4),
      String(sums.cells).padStart(7),
      pct(sums.cellAccuracy),
      String(sums.miss - sums.missSilent).padStart(5),
      String(sums.missSilent).padStart(5),
      String(sums.wrong - sums.wrongSilent).padStart(5),
      String(sums.wrongSilent).padStart(6),
      String(sums.refusals).padStart(6),
      sums.metaTotal ? `${sums.metaCorrect}/${sums.metaTotal}`.padStart(7) : '      –',
      pct(sums.templateAccuracy),
      pct(sums.flagPrecision),
      pct(sums.flagRecall),
      `${sums.errorsOk}/${sums.errorsExpected}${sums.unexpectedErrors ? ` (+${sums.unexpectedErrors} unexpected)` : ''}`,
    ].join(' ');
  const head =
    `${'group'.padEnd(28)} docs   cells    right null+ nullØ wrng+ wrongØ refuse    meta tmpl acc  flag P   flag R  errors ok\n` +
    `${''.padEnd(28)} (null+/wrng+: with a flag on the cell or row; Ø: no flag; refuse: rows the wrapped-label guard left empty)`;
  const rows = [
    head,
    '-- by format',
    ...Object.entries(summary.byFormat).map(([k, t]) => line(k, t)),
    '-- by corpus and format',
    ...Object.entries(summary.bySetFormat).map(([k, t]) => line(k, t)),
    '--',
    line('overall', summary.overall),
  ];
  if (summary.worst.length) {
    rows.push('', 'worst documents:');
    for (const worst of summary.worst)
      rows.push(
        `  ${worst.file}  ${(worst.accuracy * 100).toFixed(1)}%${worst.error ? `  ${worst.error}` : ''}${
          worst.failures.length
            ? '  e.g. ' +
              worst.failures
                .slice(0, 3)
                .map((f) => `${f.path}: want ${f.expected} got ${f.got}${f.silent ? ' (SILENT)' : ''}`)
                .join('; ')
            : ''
        }${worst.meta.length ? `  metadata: ${worst.meta.join('; ')}` : ''}`,
      );
  }
  return rows.join('\n');
}

/** The generated image-only PDFs and articles with table pictures (test/gen/ocr), one set per variant ("ocr/dpi150" …). */
async function ocrCorpus(): Promise<CorpusDoc[]> {
  const available = await ocrAvailability();
  if ('unavailable' in available) {
    console.error(`accuracy: OCR variants skipped: ${available.unavailable}`);
    return [];
  }
  const dir = await buildOcrCorpus();
  const images = await buildImageCorpus();
  return [
    ...VARIANTS.flatMap((variant) =>
      variantFiles(dir, variant.name).map(([file, expectedFile]) => ({
        file,
        expectedFile,
        format: 'pdf',
        set: `ocr/${variant.name}`,
      })),
    ),
    // table pictures inside HTML and DOCX articles ("ocr/html-image", "ocr/docx-image")
    ...IMAGE_VARIANTS.flatMap((variant) =>
      imageVariantFiles(images, variant).map(([file, expectedFile]) => ({
        file,
        expectedFile,
        format: variant.format,
        set: `ocr/${variant.name}`,
      })),
    ),
  ];
}

async function main(argv: string[]) {
  const json = argv.includes('--json');
  const roots = argv.filter((a) => !a.startsWith('--'));
  const docs = findCorpus(roots.length ? roots : undefined);
  // the generated OCR variants join the default run (built on the fly; skipped, saying why, without tesseract)
  if (!roots.length) docs.push(...(await ocrCorpus()));
  if (!docs.length) {
    console.error('accuracy: no documents with an expected JSON found');
    return 1;
  }
  console.error(`accuracy: ${docs.length} documents`);
  const summary = summarise(await scoreCorpus(docs));
  writeFileSync(join(ROOT, 'test/accuracy/summary.json'), JSON.stringify(summary, null, 2) + '\n');
  if (json) process.stdout.write(JSON.stringify(summary) + '\n');
  else console.log(table(summary));
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error?.stack ?? String(error));
      process.exit(1);
    },
  );
}
