// ONE generic golden test: every example document under test/examples/** is extracted and compared, cell by cell
// and flag by flag, with <name>.expected.json beside it. A missing expected file is written and the test fails,
// asking for a human review of the new file against the source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractFile } from '../../extractors/extract.ts';
import type { Report } from '../../extractors/report.ts';
import { compareReports } from './compare.ts';

const root = new URL('../examples/', import.meta.url).pathname;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return walk(path);
    return /\.expected\.json$|\.md$/.test(name) ? [] : [path];
  });
}

for (const file of walk(root)) {
  const expectedPath = file.replace(/\.[^./]+$/, '') + '.expected.json';
  test(`golden: ${file.slice(root.length)}`, async () => {
    const got = await extractFile(file);
    if (!existsSync(expectedPath)) {
      writeFileSync(expectedPath, JSON.stringify(stable(got), null, 1) + '\n');
      assert.fail(`wrote ${expectedPath}: review it against the source by hand, then re-run`);
    }
    const want = JSON.parse(readFileSync(expectedPath, 'utf8')) as Report;
    const diffs = compareReports(got, want);
    assert.deepEqual(diffs, [], `${file}:\n${diffs.slice(0, 30).join('\n')}`);
  });
}

/** The expected file leaves out what changes with every release (the extractor version). */
function stable(report: Report): Omit<Report, 'extractor'> {
  const { extractor: _omit, ...rest } = report;
  return rest;
}
