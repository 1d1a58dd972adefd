// Reports of both templates for the dataset tests and the export benchmark: the seed documents
// (test/examples/seeds, three on the 2021 tables and two on the 2019 tables) extracted by the real extractor and
// loaded through the store, each copy as a document of its own (distinct bytes, so a distinct report key).
import { readFileSync, readdirSync } from 'node:fs';
import { extract } from '../../extractors/extract.ts';
import type { Report } from '../../extractors/report.ts';
import type { Store } from '../../db/store-types.ts';

const SEEDS = new URL('../examples/seeds/', import.meta.url);

export function seedFiles(): string[] {
  return readdirSync(SEEDS)
    .filter((name) => /^00[0-4]_.*\.txt$/.test(name))
    .sort();
}

/** Extracts the seeds once; the reports and the bytes they came from. */
export async function seedReports(): Promise<Array<{ name: string; bytes: Buffer; report: Report }>> {
  const out = [];
  for (const name of seedFiles()) {
    const bytes = readFileSync(new URL(name, SEEDS));
    out.push({ name, bytes, report: await extract(bytes, { filename: name }) });
  }
  return out;
}

/** Loads `copies` copies of every seed; copy i > 0 of a report covers year + i (a series per agency). */
export async function loadSeeds(store: Store, copies = 1): Promise<number> {
  const seeds = await seedReports();
  let loaded = 0;
  for (let copy = 0; copy < copies; copy++)
    for (const { name, bytes, report } of seeds) {
      const url = `http://www.example.gov.cn/seeds/${copy}/${name}`;
      const doc = await store.archiveDocument(Buffer.concat([bytes, Buffer.from(`\n<!-- copy ${copy} -->\n`)]), {
        url,
        contentType: 'text/plain',
      });
      const year = report.year === null ? null : report.year + copy;
      await store.upsertReport({ ...report, year }, { sha256: doc.sha256, url, fetchedAt: '2024-03-01T08:00:00Z' });
      loaded++;
    }
  return loaded;
}
