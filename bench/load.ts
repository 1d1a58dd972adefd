// Load: reports/second upserted into Postgres through the store (validation, agency resolution, cells, flags,
// cross-report checks, one transaction each), on the local server and on the embedded default.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStore } from '../db/store.ts';
import { stopEmbedded } from '../db/connect.ts';
import type { Report } from '../extractors/report.ts';
import { createTestDatabase } from '../test/helpers/db.ts';
import { log } from '../core/log.ts';

export interface LoadResult {
  target: 'local' | 'embedded';
  reports: number;
  seconds: number;
  reports_per_s: number;
  cells_per_s: number;
}

async function loadInto(
  databaseUrl: string | null,
  home: string,
  reports: Report[],
  target: LoadResult['target'],
): Promise<LoadResult> {
  const store = await openStore({ databaseUrl, home, syncPortals: 'never', log: () => {} });
  try {
    // Each report gets a document of its own (archived first, outside the clock): a load is one document's result.
    const shas: string[] = [];
    for (let i = 0; i < reports.length; i++) {
      shas.push(
        (await store.archiveDocument(Buffer.from(`bench load document ${i}`), { url: `bench://load/${i}` })).sha256,
      );
    }
    const started = performance.now();
    let cells = 0;
    for (let i = 0; i < reports.length; i++) {
      await store.upsertReport(reports[i], {
        sha256: shas[i],
        url: `bench://load/${i}`,
        fetchedAt: new Date().toISOString(),
      });
      cells += reports[i].cells.length;
    }
    const seconds = (performance.now() - started) / 1000;
    return {
      target,
      reports: reports.length,
      seconds,
      reports_per_s: reports.length / seconds,
      cells_per_s: cells / seconds,
    };
  } finally {
    await store.close();
  }
}

export async function benchLoad(samples: Report[], count: number, opts: { embedded: boolean }): Promise<LoadResult[]> {
  // Distinct agencies and years so the cross-report checks see realistic neighbours, not one agency n times.
  const reports = Array.from({ length: count }, (_, index) => {
    const report = structuredClone(samples[index % samples.length]);
    report.agency = `${report.agency ?? '某乡人民政府'}${Math.floor(index / 6)}`;
    report.year = 2019 + (index % 6);
    return report;
  });
  const out: LoadResult[] = [];
  const home = await mkdtemp(join(tmpdir(), 'nianbao-bench-'));
  try {
    log.info(`bench: load ${count} reports into the local server…`);
    const db = await createTestDatabase();
    try {
      out.push(await loadInto(db.url, home, reports, 'local'));
    } finally {
      await db.drop();
    }
    if (opts.embedded) {
      log.info(`bench: load ${count} reports into embedded Postgres (initdb outside the clock)…`);
      const ehome = await mkdtemp(join(tmpdir(), 'nianbao-bench-embedded-'));
      try {
        out.push(await loadInto(null, ehome, reports, 'embedded'));
      } finally {
        await stopEmbedded(ehome).catch(() => false);
        await rm(ehome, { recursive: true, force: true });
      }
    }
  } finally {
    await rm(home, { recursive: true, force: true });
  }
  return out;
}
