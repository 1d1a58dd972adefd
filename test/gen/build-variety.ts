// `npx tsx test/gen/build-variety.ts` (also run by `npm run corpus`): writes the realistic-variety corpus (test/gen/variety.ts) to test/corpus/variety/ as
// <class>-<seed>.<ext> with <class>-<seed>.<ext>.expected.json (the truth), so that `npm run accuracy` scores it per
// class and per format. The files are generated: rebuild them after changing the generator, never edit them.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLASSES, varietyDocs } from './variety.ts';

export const VARIETY_SEEDS = 12;
const outDir = new URL('../corpus/variety/', import.meta.url).pathname;

export function buildVariety() {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  let count = 0;
  for (const cls of CLASSES)
    for (let seed = 1; seed <= VARIETY_SEEDS; seed++)
      for (const doc of varietyDocs(cls, seed)) {
        const file = `${doc.name}.${doc.ext}`;
        writeFileSync(join(outDir, file), doc.bytes);
        writeFileSync(join(outDir, `${file}.expected.json`), JSON.stringify(doc.truth, null, 1) + '\n');
        count++;
      }
  console.error(`corpus:variety: ${count} documents in ${outDir}`);
}

if (import.meta.url === `file://${process.argv[1]}`) buildVariety();
