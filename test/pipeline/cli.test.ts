// The pipeline's commands as a user runs them: `nianbao demo` on a fresh database (the README's main job), then
// `status --json` on what it loaded; usage errors exit 2, missing Redis exits 1 with one line.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { diffReports } from '../../pipeline/diff.ts';
import type { Report } from '../../extractors/report.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { BIN, ROOT } from './helpers.ts';

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, NODE_NO_WARNINGS: '1', ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

describe('nianbao demo and status', { timeout: 300_000 }, () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let home: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    db = await createTestDatabase();
    home = await mkdtemp(join(tmpdir(), 'nianbao-demo-'));
    env = { DATABASE_URL: db.url, NIANBAO_HOME: home, REDIS_URL: '' };
  });
  after(async () => {
    await db.drop();
    await rm(home, { recursive: true, force: true });
  });

  it('demo --json: crawls, extracts and loads every simulator report; one JSON document on stdout', async () => {
    const result = await run(['demo', '--json', '--port', '0'], env);
    assert.equal(result.code, 0, result.err);
    const demo = JSON.parse(result.out);
    assert.equal(demo.run.runtime, 'in-process');
    assert.equal(demo.run.done.crawl, 4);
    assert.ok(demo.accuracy.expected >= 40, 'the simulator publishes its reports');
    assert.ok(
      demo.accuracy.loaded + demo.summary.documentErrors >= demo.accuracy.expected,
      'each report loaded or its failure recorded',
    );
    assert.deepEqual(demo.accuracy.metadataWrong, []);
    assert.equal(demo.summary.reports, demo.accuracy.loaded);
    assert.deepEqual(demo.accuracy.provenanceGaps, []);
    assert.match(demo.psql, /^psql '/);
    assert.match(result.err, /portal simulator at http:\/\/127\.0\.0\.1:\d+/);
  });

  it('status --json: coverage and last crawls from the database, no queues without Redis', async () => {
    const result = await run(['status', '--json'], env);
    assert.equal(result.code, 0, result.err);
    const status = JSON.parse(result.out);
    assert.equal(status.queues, null);
    assert.ok(status.throughput.last_hour > 0);
    const crawled = status.portals.filter((p: { started_at: string | null }) => p.started_at);
    assert.equal(crawled.length, 4);
    assert.ok(status.coverage.reduce((a: number, c: { reports: number }) => a + c.reports, 0) > 0);
  });

  it('usage errors exit 2; commands that need Redis exit 1 with one line', async () => {
    for (const args of [
      ['reextract'],
      ['reextract', '--region', '12'],
      ['worker', '--concurrency', '0'],
      ['schedule', '--cron', 'nope'],
      ['demo', '--port', 'x'],
    ]) {
      const result = await run(args, env);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.err}`);
    }
    for (const args of [['worker'], ['schedule']]) {
      const result = await run(args, env);
      assert.equal(result.code, 1);
      assert.match(result.err, /REDIS_URL is not set/);
      assert.equal(result.err.trim().split('\n').length, 1);
    }
  });
});

describe('diffReports', () => {
  const base = {
    schema: 'nianbao.report/1',
    template: '2021',
    title: 't',
    agency: 'a',
    year: 2021,
    region_code: '230422',
    active: null,
    requests: { new: { natural_person: 3, total: 5 } },
    appeals: null,
    sections: {},
    cells: [],
    flags: [{ code: 'CELL_BLANK', severity: 'info', path: 'requests.new.research' }],
  } as unknown as Report;

  it('lists changed values, flags and metadata, nothing when equal', () => {
    assert.deepEqual(diffReports(base, base), { values: [], flags_added: [], flags_removed: [], metadata: [] });
    const after = {
      ...base,
      year: 2022,
      requests: { new: { natural_person: 4, total: 5, research: 1 } },
      flags: [{ code: 'ROW_TOTAL_MISMATCH', severity: 'warning', path: 'requests.new' }],
    } as unknown as Report;
    assert.deepEqual(diffReports(base, after), {
      values: [
        { path: 'requests.new.natural_person', before: 3, after: 4 },
        { path: 'requests.new.research', before: undefined, after: 1 },
      ],
      flags_added: ['ROW_TOTAL_MISMATCH requests.new'],
      flags_removed: ['CELL_BLANK requests.new.research'],
      metadata: [{ field: 'year', before: 2021, after: 2022 }],
    });
  });
});
