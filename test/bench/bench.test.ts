// The bench script runs on a tiny input and writes every figure it promises; no figure is asserted here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test('npm run bench runs on a tiny input and writes results.json', { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-bench-test-'));
  try {
    const out = join(dir, 'results.json');
    const res = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'bench/run.ts',
        '--quick',
        '--only',
        'extraction,load',
        '--max-files',
        '1',
        '--load-reports',
        '3',
        '--no-embedded',
        '--no-docs',
        '--out',
        out,
      ],
      { encoding: 'utf8', timeout: 170_000 },
    );
    assert.equal(res.status, 0, res.stderr);
    const results = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(results.mode, 'quick');
    assert.ok(results.machine.cores >= 1 && results.machine.memory_gb > 0);
    assert.ok(results.extraction.length >= 1, 'at least one format measured');
    for (const format of results.extraction) {
      for (const key of ['median_ms', 'p95_ms', 'docs_per_s', 'peak_rss_mb', 'cold_start_ms'])
        assert.equal(typeof format[key], 'number', `${format.format}.${key}`);
      assert.equal(format.failures, 0, `${format.format} documents failed to extract`);
    }
    assert.equal(results.load[0].target, 'local');
    assert.equal(results.load[0].reports, 3);
    assert.match(res.stdout, /\| format \| docs \| median ms/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
