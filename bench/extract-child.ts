// One process per format: cold start (module load + first document), then per-document times and peak RSS.
// Run by bench/run.ts as: node --import tsx bench/extract-child.ts FORMAT[:reference] ROUNDS FILE…
// (`pdf:reference`: the PDF reader on pdf.js driven as documented, the baseline of the fast engine.)
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { median, quantile } from './stats.ts';

const [formatArg, roundsArg, ...files] = process.argv.slice(2);
const [format, engine] = formatArg.split(':');
const rounds = Number(roundsArg) || 1;
const docs = files.map((f) => ({ name: basename(f), bytes: readFileSync(f) }));

const started = performance.now();
const { extract } = await import('../extractors/extract.ts');
if (engine === 'reference') (await import('../extractors/readers/pdf.ts')).usePdfEngine('reference');
let failures = 0;
const first = docs[0];
await extract(first.bytes, { filename: first.name }).catch(() => failures++);
const coldStartMs = performance.now() - started;

const times: number[] = [];
let cpuMs = 0;
for (let r = 0; r < rounds; r++) {
  for (const doc of docs) {
    const docStarted = performance.now();
    // user + system time of every thread (pdf.js runs in a worker thread): steadier than wall time when shared
    const cpuStarted = process.cpuUsage();
    try {
      await extract(doc.bytes, { filename: doc.name });
    } catch {
      if (r === 0) failures++;
    }
    times.push(performance.now() - docStarted);
    const cpu = process.cpuUsage(cpuStarted);
    cpuMs += (cpu.user + cpu.system) / 1000;
  }
}
const total = times.reduce((a, b) => a + b, 0);
process.stdout.write(
  JSON.stringify({
    format,
    ...(engine ? { engine } : {}),
    documents: docs.length,
    runs: times.length,
    failures,
    median_ms: median(times),
    p95_ms: quantile(times, 0.95),
    docs_per_s: (times.length / total) * 1000,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    cold_start_ms: coldStartMs,
    cpu_mean_ms: cpuMs / times.length,
  }) + '\n',
);
