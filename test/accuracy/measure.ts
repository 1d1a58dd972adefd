// Speed and memory of the PDF and DOC readers alone (no template mapping) next to the C tools (pdftotext -layout,
// antiword, catdoc) on the same files. Each side runs in its own process so peak RSS is its own. The C tools are timed
// by bench/reference.ts, the same code `npm run bench` compares whole extractions with.
// `node --import tsx test/accuracy/measure.ts [DIR] [--json]` prints the comparison for test/corpus/office.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureReference } from '../../bench/reference.ts';
import { median, quantile } from '../../bench/stats.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

export interface Measure {
  tool: string;
  files: number;
  medianMs: number;
  p95Ms: number;
  /** Our readers only: the first document in a fresh process (module loading, pdf.js start-up). */
  coldMs?: number;
  peakRssMb: number;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Our reader in a child process (so its RSS is not the caller's): every file once, after a cold first one. */
export function measureReader(format: 'pdf' | 'doc', files: string[]): Measure {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', format, ...files],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    },
  );
  return JSON.parse(out) as Measure;
}

async function child(format: 'pdf' | 'doc', files: string[]) {
  const start = performance.now();
  const read = (await import(format === 'pdf' ? '../../extractors/readers/pdf.ts' : '../../extractors/readers/doc.ts'))
    .default;
  const bytes = files.map((f) => new Uint8Array(readFileSync(f)));
  await read(bytes[0]);
  const coldMs = performance.now() - start;
  const times: number[] = [];
  for (const content of bytes) {
    const started = performance.now();
    await read(content);
    times.push(performance.now() - started);
  }
  const measure: Measure = {
    tool: `nianbao ${format} reader`,
    files: files.length,
    medianMs: round1(median(times)),
    p95Ms: round1(quantile(times, 0.95)),
    coldMs: round1(coldMs),
    peakRssMb: round1(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(JSON.stringify(measure));
}

/** A C tool run once per file (that is how it is used). */
function measureTool(tool: 'pdftotext' | 'antiword' | 'catdoc', files: string[]): Measure {
  const reference = measureReference(tool, files);
  if (!reference) throw new Error(`${tool} is not installed`);
  return {
    tool: reference.tool,
    files: reference.documents,
    medianMs: round1(reference.median_ms),
    p95Ms: round1(reference.p95_ms),
    peakRssMb: round1(reference.peak_rss_mb),
  };
}

export function officeComparison(dir = join(HERE, '..', 'corpus', 'office')) {
  const names = readdirSync(dir).sort();
  const pdfs = names.filter((n) => /^(seed|random)-\d+\.pdf$/.test(n)).map((n) => join(dir, n));
  const docs = names.filter((n) => /^(seed|random)-\d+\.doc$/.test(n)).map((n) => join(dir, n));
  const rows = [
    measureReader('pdf', pdfs),
    measureTool('pdftotext', pdfs),
    measureReader('doc', docs),
    measureTool('antiword', docs),
    measureTool('catdoc', docs),
  ];
  return rows;
}

function print(rows: Measure[]) {
  const [pdf, pdftotext, doc, antiword, catdoc] = rows;
  const ratio = (ours: Measure, theirs: Measure) =>
    `${round1(ours.medianMs / theirs.medianMs)}× time, ${round1(ours.peakRssMb / theirs.peakRssMb)}× RSS`;
  console.log(`${'tool'.padEnd(24)} files  median ms   p95 ms  cold ms  peak RSS MB`);
  for (const row of rows)
    console.log(
      `${row.tool.padEnd(24)} ${String(row.files).padStart(5)} ${String(row.medianMs).padStart(10)} ${String(row.p95Ms).padStart(8)} ${String(row.coldMs ?? '').padStart(8)} ${String(row.peakRssMb).padStart(12)}`,
    );
  console.log(`\nPDF reader vs pdftotext -layout: ${ratio(pdf, pdftotext)}`);
  console.log(`DOC reader vs antiword: ${ratio(doc, antiword)}; vs catdoc: ${ratio(doc, catdoc)}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') await child(args[1] as 'pdf' | 'doc', args.slice(2));
  else {
    const rows = officeComparison(args.find((a) => !a.startsWith('--')));
    if (args.includes('--json')) process.stdout.write(JSON.stringify(rows) + '\n');
    else print(rows);
  }
}
