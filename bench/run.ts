// `npm run bench [-- --quick] [-- --only extraction,load,e2e,crawl,export,api,ocr] [--max-files N] [--load-reports N]
// [--no-embedded]`: the figures that tell us where we stand.
// Writes bench/results.json (machine-readable, with the machine's cores and memory) and docs/benchmarks.md.
import { cpus, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { config } from '../core/config.ts';
import { benchCorpus, type BenchFormat } from './corpus.ts';
import { benchExtraction, type FormatResult } from './extraction.ts';
import { round } from './stats.ts';
import { log } from '../core/log.ts';
import type { FamilyRecall } from './crawl-speed.ts';
import type { ExportBench } from './export.ts';
import type { ApiBenchResult } from './api.ts';
import type { OcrBench } from './ocr.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    only: { type: 'string' },
    out: { type: 'string' },
    'max-files': { type: 'string' },
    'no-docs': { type: 'boolean' },
    'load-reports': { type: 'string' },
    'no-embedded': { type: 'boolean' },
  },
});
const quick = !!values.quick;
const sections = new Set((values.only ?? 'extraction,load,e2e,crawl,export,api,ocr').split(','));
const maxFiles = Number(values['max-files'] ?? (quick ? 8 : 60));
const outFile = values.out ?? join(root, 'bench/results.json');
const started = Date.now();

const corpus = benchCorpus(root);
const results: Record<string, unknown> = {
  generated_at: new Date().toISOString(),
  mode: quick ? 'quick' : 'full',
  machine: {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? null,
    memory_gb: round(totalmem() / 2 ** 30, 1),
    node: process.version,
  },
  corpus: Object.fromEntries(Object.entries(corpus).map(([k, v]) => [k, v.length])),
};

let extraction: FormatResult[] = [];
if (sections.has('extraction')) {
  extraction = benchExtraction(corpus, { rounds: quick ? 1 : 5, maxFiles });
  results.extraction = extraction;
}

let loadPerS: number | null = null;
if (sections.has('load')) {
  const { extract } = await import('../extractors/extract.ts');
  const { readFileSync } = await import('node:fs');
  const samples = [];
  for (const file of [...corpus.text, ...corpus.html].slice(0, 10))
    samples.push(await extract(readFileSync(file), { filename: file }));
  const { benchLoad } = await import('./load.ts');
  const loadReports = Number(values['load-reports'] ?? (quick ? 40 : 300));
  const load = await benchLoad(samples, loadReports, { embedded: !values['no-embedded'] });
  results.load = load;
  loadPerS = load.find((l) => l.target === 'local')?.reports_per_s ?? null;
}

if (sections.has('e2e')) {
  const { benchEndToEnd } = await import('./e2e.ts');
  const mix = [
    ...corpus.pdf.slice(0, quick ? 6 : 40),
    ...corpus.html.slice(0, quick ? 3 : 20),
    ...corpus.docx.slice(0, quick ? 2 : 10),
    ...corpus.doc.slice(0, quick ? 2 : 10),
  ];
  results.end_to_end = await benchEndToEnd(mix, {
    workers: [1, 2],
    redisUrl: config().redisUrl ?? 'redis://127.0.0.1:6379',
  });
}

if (sections.has('crawl')) {
  const { benchCrawl } = await import('./crawl-speed.ts');
  // Full runs use the crawler's default politeness (60 requests/min per portal, 2 at a time); quick runs raise the
  // rate so the section fits in the two-minute budget, and say so in the results.
  results.crawl = await benchCrawl(
    quick ? { perMinute: 1200, concurrency: 2, maxPortals: 1 } : { perMinute: 60, concurrency: 2, maxPortals: 4 },
  );
}

if (sections.has('export'))
  results.export = await (await import('./export.ts')).benchExport(quick ? [100, 400] : [300, 1200]);
if (sections.has('api')) results.api = await (await import('./api.ts')).benchApi(quick ? { reports: 50 } : {});
if (sections.has('ocr')) results.ocr = await (await import('./ocr.ts')).benchOcr(quick ? [150] : [150, 200, 300]);

if (!values.only || sections.has('hostile')) results.hostile = await (await import('./hostile.ts')).benchHostile();

results.scaling = scaling(
  extraction,
  loadPerS,
  results.end_to_end as Array<{ runtime: string; workers: number; docsPerSecond: number }> | undefined,
);
results.seconds = round((Date.now() - started) / 1000, 1);

mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, JSON.stringify(results, null, 2) + '\n');
const table = render(results);
process.stdout.write(table + '\n');
if (!values['no-docs']) writeDocs(table);
log.info(`bench: wrote ${outFile} in ${results.seconds} s`);

/** One machine with N cores for 1,000,000 documents at the national mix, from the measured per-format medians. */
function scaling(
  extraction: FormatResult[],
  loadRate: number | null,
  e2e?: Array<{ runtime: string; workers: number; docsPerSecond: number }>,
) {
  const ms = (formats: BenchFormat[]) => {
    const medians = extraction.filter((r) => !r.engine && formats.includes(r.format)).map((r) => r.median_ms);
    return medians.length ? medians.reduce((a, b) => a + b, 0) / medians.length : null;
  };
  const mix: Array<[string, number, number | null]> = [
    ['pdf', 0.6, ms(['pdf'])],
    ['html', 0.25, ms(['html', 'gbk_html'])],
    ['docx/doc', 0.1, ms(['docx', 'doc'])],
    ['other (text)', 0.05, ms(['text'])],
  ];
  if (mix.some(([, , t]) => t === null)) return { note: 'not every format was measured in this run' };
  const extractMs = mix.reduce((a, [, w, t]) => a + w * (t as number), 0);
  const loadMs = loadRate ? 1000 / loadRate : 0;
  const perDocMs = extractMs + loadMs;
  const hours = (cores: number) => round((1e6 * perDocMs) / cores / 3.6e6, 1);
  const measured = e2e?.find((m) => m.runtime === 'bullmq' && m.workers === 2);
  return {
    documents: 1_000_000,
    mix: Object.fromEntries(mix.map(([k, w, t]) => [k, { share: w, median_ms: round(t as number, 1) }])),
    cpu_ms_per_document: round(perDocMs, 1),
    extract_ms_per_document: round(extractMs, 1),
    load_ms_per_document: round(loadMs, 1),
    hours_by_cores: Object.fromEntries([2, 8, 16, 64].map((n) => [n, hours(n)])),
    documents_per_worker: Object.fromEntries([2, 8, 16, 64].map((n) => [n, Math.ceil(1e6 / n)])),
    measured_two_workers_hours: measured ? round(1e6 / measured.docsPerSecond / 3600, 1) : null,
    assumptions:
      'one worker per core, CPU-bound extraction, Postgres on its own machine; crawl time is bounded by per-host politeness, not CPU',
  };
}

function render(results: Record<string, unknown>): string {
  const lines: string[] = [];
  const machine = results.machine as { cores: number; memory_gb: number; cpu: string; node: string };
  lines.push(
    `machine: ${machine.cores} cores, ${machine.memory_gb} GB, ${machine.cpu}, node ${machine.node}; mode ${results.mode}`,
  );
  const extraction = (results.extraction ?? []) as FormatResult[];
  if (extraction.length) {
    lines.push(
      '',
      '| format | docs | median ms | p95 ms | docs/s (1 core) | peak RSS MB | cold start ms | CPU ms/doc | reference (median ms, CPU ms/doc, RSS MB) | ratio (median; CPU) |',
      '|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const format of extraction) {
      const refs = format.references ?? [];
      const missing = (format.missing_references ?? []).map((tool) => `${tool} not installed`);
      const ref =
        [
          ...refs.map(
            (x) =>
              `${x.tool} ${round(x.median_ms)} ms, ${x.cpu_mean_ms === null ? '–' : round(x.cpu_mean_ms)} ms CPU, ${round(x.peak_rss_mb)} MB`,
          ),
          ...missing,
        ].join('; ') || '–';
      const ratio =
        refs
          .map((x) => `${round(x.ratio_median)}×; ${x.ratio_cpu === null ? '–' : `${round(x.ratio_cpu)}×`}`)
          .join(' / ') || '–';
      lines.push(
        `| ${format.format}${format.engine ? ` (${format.engine} pdf.js)` : ''} | ${format.documents} | ${round(format.median_ms)} | ${round(format.p95_ms)} | ${round(format.docs_per_s)} | ${round(format.peak_rss_mb)} | ${round(format.cold_start_ms)} | ${format.cpu_mean_ms === undefined ? '–' : round(format.cpu_mean_ms)} | ${ref} | ${ratio} |`,
      );
    }
  }
  const load = results.load as
    Array<{ target: string; reports: number; reports_per_s: number; cells_per_s: number }> | undefined;
  if (load?.length) {
    lines.push('', '| load target | reports | reports/s | cells/s |', '|---|---|---|---|');
    for (const row of load)
      lines.push(`| ${row.target} | ${row.reports} | ${round(row.reports_per_s)} | ${round(row.cells_per_s)} |`);
  }
  const e2e = results.end_to_end as
    Array<{ runtime: string; workers: number; documents: number; docsPerSecond: number; failed: number }> | undefined;
  if (e2e?.length) {
    lines.push('', '| end to end (extract + load) | workers | documents | docs/s | failed |', '|---|---|---|---|---|');
    for (const row of e2e)
      lines.push(
        `| ${row.runtime} | ${row.workers} | ${row.documents} | ${round(row.docsPerSecond, 2)} | ${row.failed} |`,
      );
  }
  const crawl = results.crawl as
    | {
        portals: number;
        per_minute: number;
        concurrency: number;
        pages: number;
        bytes: number;
        pages_per_s: number;
        reports: number;
        recrawl_bytes: number;
        recrawl_byte_ratio: number;
        families?: FamilyRecall[];
      }
    | undefined;
  if (crawl) {
    lines.push(
      '',
      '| crawl | portals | rate limit | pages | pages/s | bytes | reports | re-crawl bytes | re-crawl ratio |',
      '|---|---|---|---|---|---|---|---|---|',
    );
    lines.push(
      `| simulator | ${crawl.portals} | ${crawl.per_minute}/min × ${crawl.concurrency} | ${crawl.pages} | ${round(crawl.pages_per_s, 2)} | ${crawl.bytes} | ${crawl.reports} | ${crawl.recrawl_bytes} | ${round(crawl.recrawl_byte_ratio * 100, 1)}% |`,
    );
    if (crawl.families?.length) {
      lines.push(
        '',
        '| crawl recall per family | portal | adapter | reports | found | recall | precision | pages | pages per report | errors |',
        '|---|---|---|---|---|---|---|---|---|---|',
      );
      for (const row of crawl.families)
        lines.push(
          `| ${row.family} | ${row.portal} | ${row.adapter} | ${row.reports} | ${row.found} | ${round(row.recall * 100, 1)}% | ${round(row.precision * 100, 1)}% | ${row.pages} | ${round(row.pages_per_report, 2)} | ${row.errors} |`,
        );
    }
  }
  const exported = results.export as ExportBench[] | undefined;
  if (exported?.length) {
    lines.push(
      '',
      '| export (csv + parquet) | reports | rows | long rows | MB written | seconds | rows/s | peak RSS MB (heap cap) |',
      '|---|---|---|---|---|---|---|---|',
    );
    for (const row of exported)
      lines.push(
        `| snapshot | ${row.reports} | ${row.rows} | ${row.long_rows} | ${round(row.bytes / 2 ** 20, 1)} | ${round(row.seconds, 1)} | ${round(row.rows_per_s)} | ${round(row.peak_rss_mb)} (${row.heap_limit_mb}) |`,
      );
  }
  const api = results.api as ApiBenchResult | undefined;
  if (api?.endpoints.length) {
    lines.push('', `| API (${api.reports} reports) | requests | p50 ms | p95 ms | bytes |`, '|---|---|---|---|---|');
    for (const row of api.endpoints)
      lines.push(
        `| ${row.endpoint} | ${row.requests} | ${round(row.p50_ms, 1)} | ${round(row.p95_ms, 1)} | ${row.bytes} |`,
      );
  }
  const ocr = results.ocr as OcrBench | undefined;
  if (ocr?.skipped) lines.push('', `OCR: not measured (${ocr.skipped})`);
  else if (ocr?.rows.length) {
    lines.push(
      '',
      `| OCR (tesseract, ${ocr.processes} at once) | dpi | pages | ms/page | CPU ms/page | peak RSS MB | words/page |`,
      '|---|---|---|---|---|---|---|',
    );
    for (const row of ocr.rows)
      lines.push(
        `| image-only PDF | ${row.dpi} | ${row.pages} | ${row.msPerPage} | ${row.cpuMsPerPage ?? '–'} | ${row.peakRssMb ?? '–'} | ${row.wordsPerPage} |`,
      );
  }
  const scaling = results.scaling as
    | {
        cpu_ms_per_document?: number;
        hours_by_cores?: Record<string, number>;
        measured_two_workers_hours?: number | null;
        note?: string;
      }
    | undefined;
  if (scaling?.hours_by_cores) {
    lines.push(
      '',
      `national estimate: 1,000,000 documents at 60% PDF / 25% HTML / 10% DOCX+DOC / 5% other = ${scaling.cpu_ms_per_document} CPU-ms per document;`,
    );
    lines.push(
      `  ${Object.entries(scaling.hours_by_cores)
        .map(([n, h]) => `${n} cores: ${h} h`)
        .join(', ')}` +
        (scaling.measured_two_workers_hours
          ? `; measured with 2 workers here: ${scaling.measured_two_workers_hours} h`
          : ''),
    );
  } else if (scaling?.note) lines.push('', `national estimate: ${scaling.note}`);
  return lines.join('\n');
}

function writeDocs(table: string) {
  const doc = `# Benchmarks

Measured by \`npm run bench\` (full) or \`npm run bench -- --quick\` (under two minutes) on the committed corpus
(\`test/examples\`, \`test/corpus\`); machine-readable figures in \`bench/results.json\`. Machines are noisy: read the
figures as ratios against the references measured in the same run (\`pdftotext -layout\` for PDF, \`antiword\` and
\`catdoc\` for DOC, one process per file as they are used), not as promises.

- extraction: one child process per format, pinned to one core (\`taskset -c 0\`); cold start = module load + first
  document; peak RSS = the process's maximum resident set. \`pdf (reference pdf.js)\` is the same PDF reader on pdf.js
  driven as documented (legacy build, glyph outlines, cloned messages): the baseline of the fast engine, in the same
  run (test/pdf/engine-parity.test.ts keeps the two models identical). A reference tool that is not installed is
  named in its column (\`apt-get install poppler-utils antiword catdoc\`). CPU ms/doc: user + system time per
  document, mean (every thread of the process; for a reference tool, its process from start to exit): on a shared
  machine the CPU ratio is the steadier one, the wall-time median moves with whatever else runs.
- load: reports upserted through the store (schema validation, agency, cells, sections, flags, cross-report checks,
  one transaction each) into the local server and into embedded Postgres.
- end to end: archived documents → extract → load, in-process and with 1 and 2 \`nianbao worker\` processes on Redis.
- crawl: the portal simulator at the stated politeness (requests/min per portal × concurrency), then a re-crawl of
  the unchanged portals (conditional requests + hash dedup).
- export: \`nianbao export\` (CSV by COPY + Parquet in bounded row groups) of N loaded reports in a child process with
  a capped heap: rows/s and peak RSS at two sizes (flat RSS = constant memory).
- API: \`nianbao serve\`'s endpoints and report page over the test sources plus synthetic reports, p50/p95 latency.
- OCR: image-only PDF pages read by tesseract at each resolution: wall and CPU ms per page, peak RSS.

## Latest run

${table}

## Reproduce

\`\`\`sh
npm ci
npm run bench -- --quick     # about two minutes
npm run bench                # the full run
\`\`\`
`;
  mkdirSync(join(root, 'docs'), { recursive: true });
  writeFileSync(join(root, 'docs/benchmarks.md'), doc);
}
