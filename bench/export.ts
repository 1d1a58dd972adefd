// Export: rows/s and peak RSS of `nianbao export` (CSV and Parquet) of N loaded reports. Each export runs in a child
// process of its own so its peak RSS is the export's alone; two sizes show whether memory grows with the data
// (it should not: COPY streams, Parquet goes by bounded row groups).
// bench/run.ts calls benchExport(); `node --import tsx bench/export.ts [N…]` runs it alone.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { log } from '../core/log.ts';
import { exportDataset } from '../dataset/export.ts';
import { openStore } from '../db/store.ts';
import { createTestDatabase } from '../test/helpers/db.ts';
import { makeReport } from '../test/db/fixtures.ts';

export interface ExportBench {
  reports: number;
  rows: number;
  long_rows: number;
  bytes: number;
  seconds: number;
  rows_per_s: number;
  peak_rss_mb: number;
  heap_limit_mb: number;
}

const SELF = fileURLToPath(import.meta.url);
/** The export child runs under this V8 heap cap: finishing at every size shows the heap does not grow with the data
 *  (RSS alone also counts what the garbage collector has not yet returned). */
export const HEAP_LIMIT_MB = 96;

/** N hand-made 2021 reports (182 cells each) of distinct agencies over six years, each its own document. */
async function load(databaseUrl: string, home: string, count: number): Promise<void> {
  const store = await openStore({ databaseUrl, home, syncPortals: 'never', log: () => {} });
  try {
    for (let i = 0; i < count; i++) {
      const url = `bench://export/${i}`;
      const doc = await store.archiveDocument(Buffer.from(`bench export document ${i}`), { url });
      const report = makeReport({ agency: `绥滨县第${Math.floor(i / 6)}乡人民政府`, year: 2019 + (i % 6) });
      await store.upsertReport(report, { sha256: doc.sha256, url, fetchedAt: '2024-03-01T08:00:00Z' });
    }
  } finally {
    await store.close();
  }
}

/** Child side: one export, its figures as a JSON line on stdout. */
async function child(databaseUrl: string, home: string, out: string): Promise<void> {
  const store = await openStore({ databaseUrl, home, syncPortals: 'never', log: () => {} });
  try {
    const started = performance.now();
    const { manifest } = await exportDataset(store.pool, { out, formats: ['csv', 'parquet'] });
    const seconds = (performance.now() - started) / 1000;
    const rows = manifest.tables.reduce((sum, table) => sum + table.rows, 0);
    process.stdout.write(
      JSON.stringify({
        reports: manifest.reports,
        rows,
        long_rows: manifest.tables.find((table) => table.name === 'long')?.rows ?? 0,
        bytes: manifest.files.reduce((sum, file) => sum + file.bytes, 0),
        seconds,
        rows_per_s: rows / seconds,
        peak_rss_mb: process.resourceUsage().maxRSS / 1024,
        heap_limit_mb: HEAP_LIMIT_MB,
      }) + '\n',
    );
  } finally {
    await store.close();
  }
}

function runChild(databaseUrl: string, home: string, out: string): Promise<ExportBench> {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [`--max-old-space-size=${HEAP_LIMIT_MB}`, '--import', 'tsx', SELF, '--child', databaseUrl, home, out],
      { env: { ...process.env, NODE_NO_WARNINGS: '1', NIANBAO_LOG_LEVEL: 'warn' }, maxBuffer: 1 << 24 },
      (err, stdout, stderr) =>
        err ? reject(new Error(`export child failed: ${stderr || err.message}`)) : resolve(JSON.parse(stdout)),
    ),
  );
}

export async function benchExport(sizes: number[] = [300, 1200]): Promise<ExportBench[]> {
  const results: ExportBench[] = [];
  for (const count of sizes) {
    const db = await createTestDatabase();
    const home = await mkdtemp(join(tmpdir(), 'nianbao-bench-export-'));
    try {
      log.info(`bench: export of ${count} reports (loading them first, outside the clock)…`);
      await load(db.url, home, count);
      results.push(await runChild(db.url, home, join(home, 'out')));
    } finally {
      await db.drop();
      await rm(home, { recursive: true, force: true });
    }
  }
  return results;
}

if (process.argv[1] === SELF) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') await child(args[1], args[2], args[3]);
  else {
    const sizes = args.map(Number).filter((n) => Number.isInteger(n) && n > 0);
    process.stdout.write(JSON.stringify(await benchExport(sizes.length ? sizes : undefined), null, 2) + '\n');
  }
}
