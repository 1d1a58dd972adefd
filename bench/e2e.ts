// End to end: archived bytes → extract → load, documents/second with 1 and 2 `nianbao worker` processes on the
// local Redis (and the in-process runtime, the embedded default).
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { openStore } from '../db/store.ts';
import { measureInProcess, measureWorkers, type Measurement } from '../pipeline/measure.ts';
import type { DocumentOrigin } from '../core/origin.ts';
import { createTestDatabase } from '../test/helpers/db.ts';
import { log } from '../core/log.ts';

export async function benchEndToEnd(
  files: string[],
  opts: { workers: number[]; redisUrl: string | null },
): Promise<Measurement[]> {
  const out: Measurement[] = [];
  const runs: Array<number | 'in-process'> = ['in-process', ...(opts.redisUrl ? opts.workers : [])];
  for (const run of runs) {
    // A fresh database per run: the same documents must be extracted and loaded again, not found 'unchanged'.
    const db = await createTestDatabase();
    const home = await mkdtemp(join(tmpdir(), 'nianbao-bench-e2e-'));
    const store = await openStore({ databaseUrl: db.url, home, syncPortals: 'never', log: () => {} });
    try {
      const docs: DocumentOrigin[] = [];
      for (const file of files) {
        const archived = await store.archiveDocument(readFileSync(file), { url: `bench://corpus/${basename(file)}` });
        docs.push({
          sha256: archived.sha256,
          url: `bench://corpus/${basename(file)}`,
          kind: 'attachment',
          fetchedAt: new Date().toISOString(),
        });
      }
      log.info(
        `bench: end to end, ${run === 'in-process' ? 'in-process' : `${run} worker(s)`}, ${docs.length} documents…`,
      );
      out.push(
        run === 'in-process'
          ? await measureInProcess(store, docs)
          : await measureWorkers({ workers: run, docs, databaseUrl: db.url, home, redisUrl: opts.redisUrl! }),
      );
    } finally {
      await store.close();
      await db.drop();
      await rm(home, { recursive: true, force: true });
    }
  }
  return out;
}
