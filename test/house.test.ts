// The house rules run with the tests, so `npm test` (and so .ci/run) fails on unformatted or unlinted code, as on
// a type error (typecheck.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));

test('prettier --check finds every file formatted (npm run format fixes it)', { timeout: 120_000 }, () => {
  const res = spawnSync(bin('prettier'), ['--check', '.'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(res.status, 0, `not formatted:\n${res.stdout}${res.stderr}`);
});

test('oxlint reports no errors (npm run lint)', { timeout: 120_000 }, () => {
  const res = spawnSync(bin('oxlint'), ['--format', 'unix', '.'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(res.status, 0, `lint errors:\n${res.stdout}${res.stderr}`);
});
