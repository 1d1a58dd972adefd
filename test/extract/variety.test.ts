// Property over the realistic-variety generator (test/gen/variety.ts): reports printed with the failure classes of
// issue #13, on seeds the committed corpus (test/corpus/variety, seeds 1–12) does not use. No value may be wrong
// without a flag, no printed number may come back null without one, and metadata the document states is read;
// the share of nulls (with their flag) per class, and per print style, is reported as a diagnostic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extract } from '../../extractors/extract.ts';
import { scoreDoc, totals, type DocScore, type Expected } from '../accuracy/score.ts';
import { CLASSES, varietyDocs } from '../gen/variety.ts';

const SEEDS = 12;
const FIRST = 100;

for (const cls of CLASSES)
  test(`variety ${cls}: ${SEEDS} seeds, nothing wrong or null without a flag`, async (context) => {
    const scores: DocScore[] = [];
    const byStyle = new Map<string, DocScore[]>();
    for (let seed = FIRST; seed < FIRST + SEEDS; seed++)
      for (const doc of varietyDocs(cls, seed)) {
        const got = await extract(doc.bytes, { filename: `${doc.name}.${doc.ext}` });
        const score = scoreDoc(doc.name, doc.ext, cls, doc.truth as Expected, got);
        scores.push(score);
        byStyle.set(doc.style ?? doc.ext, [...(byStyle.get(doc.style ?? doc.ext) ?? []), score]);
      }
    const sums = totals(scores);
    const problems = scores.flatMap((score) => [
      ...score.failures.filter((f) => f.silent).map((f) => `${score.file}.${score.format} ${f.path}: got ${f.got}`),
      ...score.meta.failures.map((m) => `${score.file}.${score.format} ${m}`),
    ]);
    assert.deepEqual(problems.slice(0, 10), []);
    assert.equal(sums.missSilent, 0, 'a printed number came back null with no flag on it');
    assert.ok(sums.cells > 1000, `only ${sums.cells} cells: the generator printed too little`);
    context.diagnostic(
      `${cls}: ${sums.cells} cells, right ${(sums.cellAccuracy * 100).toFixed(2)}%, null with a flag ${sums.miss}, ` +
        `wrong with a flag ${sums.wrong}, guard refusals ${sums.refusals}`,
    );
    // Per print style (test/gen/variety.ts PipeVariant / LayoutMode; tab and html for the other formats).
    for (const [style, styleScores] of [...byStyle].sort(([a], [b]) => a.localeCompare(b))) {
      const part = totals(styleScores);
      context.diagnostic(
        `  ${style}: ${part.docs} documents, ${part.cells} cells, right ${part.correct}, null with a flag ` +
          `${part.miss - part.missSilent}, wrong ${part.wrong}`,
      );
    }
  });
