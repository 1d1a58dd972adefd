// The hostile corpus (test/hostile/generate.ts, ≥ 100 files, several of 50–200 MB, generated into a temporary
// directory): each file ends in a one-line InputError, a report read right, or a report with a flag saying it is not
// right. Run in a child process, so a crash (a V8 fatal error, an abort) fails this test instead of the suite, and
// a hang is cut off. The bounds are generous limits against hangs and runaway memory, not performance figures
// (those are `npm run bench`'s: bench/hostile.ts).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generate, type HostileCase } from './generate.ts';
import type { CaseResult } from './run-corpus.ts';
import { spawnCorpus } from './spawn-corpus.ts';

/** Per file: far beyond any reader's normal time, short of "hangs". */
const MAX_SECONDS = 120;
/** The whole process, readers' threads included. */
const MAX_RSS_MB = 4096;

describe('hostile corpus', { timeout: 900_000 }, () => {
  let dir: string;
  let cases: HostileCase[];
  let results: CaseResult[] = [];
  let exit: { code: number | null; signal: string | null; stderr: string; lastStarted: string | null };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nianbao-hostile-'));
    cases = await generate(dir);
    const run = await spawnCorpus(dir, { timeoutMs: 600_000 });
    results = run.results;
    exit = { code: run.code, signal: run.signal, stderr: run.stderr, lastStarted: run.lastStarted };
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('has at least 100 files', () => assert.ok(cases.length >= 100, `${cases.length} files`));

  it('the run ends: no crash of the process, no hang', () => {
    assert.equal(exit.signal, null, `killed (${exit.signal}) while reading ${exit.lastStarted}`);
    assert.equal(exit.code, 0, `exit ${exit.code} while reading ${exit.lastStarted}:\n${exit.stderr.slice(-2000)}`);
    assert.equal(results.length, cases.length, 'a result for every file');
  });

  it('every file: a one-line InputError, a right report, or a flagged one; never silently wrong', () => {
    const bad = results.filter((result) => !['error', 'correct', 'flagged'].includes(result.outcome));
    assert.deepEqual(
      bad.map((result) => `${result.file}: ${result.outcome} ${result.detail}`),
      [],
    );
    // A known report read from damaged bytes may be right; it is never wrong without a word.
    assert.ok(results.filter((result) => result.outcome === 'error').length >= cases.length / 2);
  });

  it('within the time and memory bounds', () => {
    const slow = results.filter((result) => result.seconds > MAX_SECONDS);
    assert.deepEqual(
      slow.map((result) => `${result.file}: ${result.seconds.toFixed(1)} s`),
      [],
    );
    const peak = Math.max(...results.map((result) => result.peakRssMb));
    assert.ok(peak < MAX_RSS_MB, `peak RSS ${peak} MB`);
  });
});
