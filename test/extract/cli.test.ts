// `nianbao extract`: one JSON document on stdout with --json, a summary by default, exit 1 with one line and no
// stack for unreadable files, 2 for usage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { problems } from '../../extractors/validate.ts';

const bin = new URL('../../bin/nianbao.js', import.meta.url).pathname;
const seed = new URL('../examples/seeds/003_51af981e71d3738d.txt', import.meta.url).pathname;
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [bin, 'extract', ...args], {
    encoding: 'utf8',
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });

test('--json prints exactly one schema-valid object', () => {
  const result = cli(seed, '--json');
  assert.equal(result.status, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.deepEqual(problems(report), []);
  assert.equal(report.agency, '腰屯乡人民政府');
  assert.match(report.extractor, /^nianbao-extract@\d+\.\d+\.\d+$/);
});

test('summary by default', () => {
  const result = cli(seed);
  assert.equal(result.status, 0);
  assert.match(result.stdout, /template\s+2021/);
  assert.match(result.stdout, /region\s+230521/);
  assert.match(result.stdout, /ROW_EXTRA_VALUES ×14/);
});

test('exit 1 with one line for unreadable input, 2 for usage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-cli-'));
  try {
    const junk = join(dir, 'junk.pdf.zip');
    writeFileSync(junk, Buffer.from('PK\x03\x04garbage'));
    for (const file of [junk, join(dir, 'missing.html')]) {
      const result = cli(file, '--json');
      assert.equal(result.status, 1);
      assert.equal(result.stdout, '');
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      assert.doesNotMatch(result.stderr, /\s+at /);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(cli().status, 2);
  assert.equal(cli('a', 'b').status, 2);
  assert.equal(cli('--bogus').status, 2);
});
