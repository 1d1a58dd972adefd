// ONE generic golden test: every example document under test/examples/** is extracted and compared, cell by cell
// and flag by flag, with <name>.expected.json beside it. A missing expected file is written and the test fails,
// asking for a human review of the new file against the source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractFile } from '../../extractors/extract.ts';
import type { FlagCode, Report } from '../../extractors/report.ts';
import { plausibilityFlags, type BodyLevel } from '../../extractors/template/plausible.ts';
import { compareReports } from './compare.ts';

const root = new URL('../examples/', import.meta.url).pathname;

/**
 * Real fixtures the extractor does not read right yet: the expected JSON says what the document prints, this says
 * why the output differs. The test checks the difference is still there (and fails once fixed, to be removed here).
 */
const KNOWN_FAILURES: Record<string, string> = {};

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return walk(path);
    return /\.expected\.json$|\.md$/.test(name) ? [] : [path];
  });
}

for (const file of walk(root)) {
  const expectedPath = file.replace(/\.[^./]+$/, '') + '.expected.json';
  const name = file.slice(root.length);
  const knownFailure = KNOWN_FAILURES[name];
  test(`golden: ${name}${knownFailure ? ' (KNOWN FAILURE)' : ''}`, async (context) => {
    const got = await extractFile(file);
    if (!existsSync(expectedPath)) {
      writeFileSync(expectedPath, JSON.stringify(stable(got), null, 1) + '\n');
      assert.fail(`wrote ${expectedPath}: review it against the source by hand, then re-run`);
    }
    const want = JSON.parse(readFileSync(expectedPath, 'utf8')) as Report & RealFlagExpectations;
    const diffs = name.startsWith('real/') ? realDifferences(got, want) : compareReports(got, want);
    if (knownFailure) {
      // Kept so the bug stays visible without failing the suite; once it is fixed this fails: remove the entry.
      context.diagnostic(`known failure (${knownFailure}):\n${diffs.slice(0, 30).join('\n')}`);
      assert.notDeepEqual(diffs, [], `${name} now extracts as expected: remove it from KNOWN_FAILURES`);
      return;
    }
    assert.deepEqual(diffs, [], `${file}:\n${diffs.slice(0, 30).join('\n')}`);
  });
}

/**
 * Real fixtures (test/examples/real/) list only the flags the printed table calls for: `flags` must each be raised
 * (code, and path when given; severity and message are not compared) and none of `flags_absent` may be.
 */
interface RealFlagExpectations {
  flags_absent?: Array<{ code: FlagCode; path?: string | null }>;
  /** The body's real level (from the source, also when the excerpt does not name it): its printed values must pass. */
  body_level?: BodyLevel;
}

function realDifferences(got: Report, want: Report & RealFlagExpectations): string[] {
  const { flags: present = [], flags_absent: absent = [], body_level: level, ...tables } = want;
  const hits = (rule: { code: FlagCode; path?: string | null }) =>
    got.flags.filter((f) => f.code === rule.code && (rule.path == null || f.path === rule.path));
  return [
    ...compareReports(got, tables),
    ...present.filter((rule) => !hits(rule).length).map((rule) => `flag missing: ${rule.code} ${rule.path ?? '*'}`),
    // Real values are the evidence for the bounds: none of them may be called implausible for the body's level.
    ...(level ? plausibilityFlags(tables, level) : []).map((f) => `real value beyond a bound: ${f.path} ${f.message}`),
    ...absent.flatMap((rule) =>
      hits(rule).map((f) => `flag unexpected: ${f.code} ${f.path ?? ''} (${(f.message ?? '').slice(0, 120)})`),
    ),
  ];
}

/** The expected file leaves out what changes with every release (the extractor version). */
function stable(report: Report): Omit<Report, 'extractor'> {
  const { extractor: _omit, ...rest } = report;
  return rest;
}
