// Property: random schema-valid reports (both templates, blanks, wrapped labels, consistent or broken arithmetic)
// rendered to HTML (every seed, UTF-8 or GBK) and DOCX (a subset) come back with identical values and exactly the
// flags the expected report implies (CELL_BLANK per blank, the arithmetic flags, nothing else).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extract } from '../../extractors/extract.ts';
import { problems } from '../../extractors/validate.ts';
import { randomReport } from '../../simulator/reports/random-report.ts';
import { renderDocx, renderHtmlBytes } from '../../simulator/reports/render.ts';
import { compareReports } from './compare.ts';

const HTML_SEEDS = 200;
const DOCX_SEEDS = 30;

const variant = (seed: number) => ({
  wrapLabels: seed % 2 === 0,
  amountInYuan: seed % 3 === 0,
  signedChange: seed % 5 === 0,
  seed,
});

test('random reports are schema-valid and carry the flags their arithmetic implies', () => {
  let inconsistent = 0;
  for (let seed = 1; seed <= HTML_SEEDS; seed++) {
    const report = randomReport(seed, { blankRate: seed % 4 === 0 ? 0.05 : 0 });
    assert.deepEqual(problems(report), [], `seed ${seed}`);
    if (report.flags.some((f) => /MISMATCH/.test(f.code))) inconsistent++;
  }
  // The generator must exercise both branches, or the property below proves little.
  assert.ok(inconsistent > HTML_SEEDS * 0.1 && inconsistent < HTML_SEEDS * 0.5, `inconsistent: ${inconsistent}`);
});

test(`HTML round trip: ${HTML_SEEDS} random reports`, async () => {
  const failures: string[] = [];
  const templates = new Set<string>();
  for (let seed = 1; seed <= HTML_SEEDS; seed++) {
    const want = randomReport(seed, { blankRate: seed % 4 === 0 ? 0.05 : 0 });
    templates.add(want.template);
    const bytes = renderHtmlBytes(want, {
      ...variant(seed),
      encoding: seed % 7 === 0 ? 'gbk' : 'utf-8',
      declare: seed % 14 !== 0,
    });
    const got = await extract(bytes, { filename: 'report.html' });
    const differences = compareReports(got, want, { provenance: false });
    if (differences.length) failures.push(`seed ${seed} (${want.template}): ${differences.slice(0, 5).join('; ')}`);
    for (const cell of got.cells)
      if (cell.at.table === undefined) failures.push(`seed ${seed}: cell ${cell.path} has no table position`);
  }
  assert.deepEqual([...templates].sort(), ['2019', '2021']);
  assert.deepEqual(failures.slice(0, 10), []);
});

test(`DOCX round trip: ${DOCX_SEEDS} random reports`, async () => {
  const failures: string[] = [];
  for (let seed = 1000; seed < 1000 + DOCX_SEEDS; seed++) {
    const want = randomReport(seed, { blankRate: seed % 3 === 0 ? 0.05 : 0 });
    const got = await extract(await renderDocx(want, variant(seed)), { filename: 'report.docx' });
    assert.equal(got.format, 'docx');
    // A DOCX carries no publication date of its own (portal pages do).
    const differences = compareReports(got, { ...want, published_at: null }, { provenance: false });
    if (differences.length) failures.push(`seed ${seed} (${want.template}): ${differences.slice(0, 5).join('; ')}`);
  }
  assert.deepEqual(failures.slice(0, 10), []);
});
