// Round trip of the committed corpus (npm run corpus): each seed rendered to UTF-8 HTML, GBK HTML without a charset
// and DOCX extracts back to the substituted numbers (the truth, recomputed here from the seed), and matches its
// <stem>.expected.json cell by cell, positions included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractFile } from '../../extractors/extract.ts';
import type { Report } from '../../extractors/report.ts';
import { substitute } from '../gen/build-corpus.ts';
import { compareReports } from './compare.ts';

const dir = new URL('../corpus/seeds/', import.meta.url).pathname;
const seeds = new URL('../examples/seeds/', import.meta.url).pathname;
const files = existsSync(dir) ? readdirSync(dir).filter((f) => !f.endsWith('.json')) : [];

test('the corpus has each seed as UTF-8 HTML, GBK HTML and DOCX', () => {
  const seedNames = readdirSync(seeds)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => f.replace(/\.txt$/, ''));
  for (const seedName of seedNames)
    for (const kind of ['_utf8.html', '_gbk.html', '_docx.docx'])
      assert.ok(files.includes(seedName + kind), `missing ${seedName}${kind}: run npm run corpus`);
});

for (const file of files) {
  test(`corpus round trip: ${file}`, async () => {
    const got = await extractFile(join(dir, file));
    const seed = file.replace(/_(utf8|gbk|docx)\.[a-z]+$/, '');
    const truth = substitute(JSON.parse(readFileSync(join(seeds, `${seed}.expected.json`), 'utf8')) as Report);
    assert.deepEqual(
      compareReports(
        got,
        { template: truth.template, active: truth.active, requests: truth.requests, appeals: truth.appeals },
        { provenance: false },
      ),
      [],
    );
    const want = JSON.parse(readFileSync(join(dir, file.replace(/\.[^.]+$/, '') + '.expected.json'), 'utf8')) as Report;
    assert.deepEqual(compareReports(got, want), []);
  });
}
