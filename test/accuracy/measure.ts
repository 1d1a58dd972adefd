// Speed and memory of the PDF and DOC readers next to the C tools (pdftotext -layout, antiword, catdoc) on the same
// files. Each side runs in its own process so peak RSS is its own. Reusable by the benchmark:
//   measureReader('pdf', files) / measureCommand(['pdftotext', '-layout', '{}', '-'], files)
// `node --import tsx test/accuracy/measure.ts [DIR] [--json]` prints the comparison for test/corpus/office.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

export interface Measure {
  tool: string;
  files: number;
  medianMs: number;
  p90Ms: number;
  /** First document in a fresh process: module loading, pdf.js start-up. */
  coldMs: number;
  peakRssMb: number;
}

const median = (xs: number[], q = 0.5) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(s.length * q))] : 0;
};
const r1 = (x: number) => Math.round(x * 10) / 10;

/** Our reader in a child process (so its RSS is not the caller's): every file once, after a cold first one. */
export function measureReader(format: 'pdf' | 'doc', files: string[]): Measure {
  const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', format, ...files], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  return JSON.parse(out) as Measure;
}

async function child(format: 'pdf' | 'doc', files: string[]) {
  const t0 = performance.now();
  const read = (await import(format === 'pdf' ? '../../extractors/readers/pdf.ts' : '../../extractors/readers/doc.ts')).default;
  const bytes = files.map((f) => new Uint8Array(readFileSync(f)));
  await read(bytes[0]);
  const coldMs = performance.now() - t0;
  const times: number[] = [];
  for (const b of bytes) {
    const t = performance.now();
    await read(b);
    times.push(performance.now() - t);
  }
  const m: Measure = {
    tool: `nianbao ${format} reader`, files: files.length, medianMs: r1(median(times)), p90Ms: r1(median(times, 0.9)), coldMs: r1(coldMs),
    peakRssMb: r1(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(JSON.stringify(m));
}

/** An external command per file ('{}' = the file): wall time per run and the largest child's peak RSS. */
export function measureCommand(argv: string[], files: string[]): Measure {
  const py = `
import json, resource, subprocess, sys, time
argv, files = json.loads(sys.argv[1]), json.loads(sys.argv[2])
ts = []
for f in files:
    t = time.perf_counter()
    subprocess.run([f if a == '{}' else a for a in argv], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ts.append((time.perf_counter() - t) * 1000)
print(json.dumps({"times": ts, "rss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))`;
  const { times, rss } = JSON.parse(execFileSync('python3', ['-c', py, JSON.stringify(argv), JSON.stringify(files)], { encoding: 'utf8' })) as { times: number[]; rss: number };
  return { tool: argv.filter((a) => a !== '{}' && a !== '-').join(' '), files: files.length, medianMs: r1(median(times)), p90Ms: r1(median(times, 0.9)), coldMs: r1(times[0] ?? 0), peakRssMb: r1(rss / 1024) };
}

export function officeComparison(dir = join(HERE, '..', 'corpus', 'office')) {
  const names = readdirSync(dir).sort();
  const pdfs = names.filter((n) => /^(seed|random)-\d+\.pdf$/.test(n)).map((n) => join(dir, n));
  const docs = names.filter((n) => /^(seed|random)-\d+\.doc$/.test(n)).map((n) => join(dir, n));
  const rows = [
    measureReader('pdf', pdfs),
    measureCommand(['pdftotext', '-layout', '{}', '-'], pdfs),
    measureReader('doc', docs),
    measureCommand(['antiword', '{}'], docs),
    measureCommand(['catdoc', '{}'], docs),
  ];
  return rows;
}

function print(rows: Measure[]) {
  const [pdf, pdftotext, doc, antiword, catdoc] = rows;
  const ratio = (a: Measure, b: Measure) => `${r1(a.medianMs / b.medianMs)}× time, ${r1(a.peakRssMb / b.peakRssMb)}× RSS`;
  console.log(`${'tool'.padEnd(24)} files  median ms   p90 ms  cold ms  peak RSS MB`);
  for (const m of rows)
    console.log(`${m.tool.padEnd(24)} ${String(m.files).padStart(5)} ${String(m.medianMs).padStart(10)} ${String(m.p90Ms).padStart(8)} ${String(m.coldMs).padStart(8)} ${String(m.peakRssMb).padStart(12)}`);
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
