// `nianbao crawl` exit codes as an operator's script sees them: 1 when a portal failed (not 0 with "N errors"), 130
// on Ctrl-C with "interrupted" (not "budget exhausted"), and the run recorded with that outcome.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { createTestDatabase } from '../helpers/db.ts';
import { startSimulator, type Simulator } from '../../simulator/server.ts';

const BIN = new URL('../../bin/nianbao.js', import.meta.url).pathname;
let sim: Simulator;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let home: string;

/** Runs nianbao; `interruptOn`: send SIGINT once stderr shows it (the crawl is under way, its signal handler set). */
function run(args: string[], interruptOn?: RegExp): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, DATABASE_URL: db.url, NIANBAO_HOME: home, NODE_NO_WARNINGS: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    let sent = false;
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (interruptOn && !sent && interruptOn.test(stderr)) sent = child.kill('SIGINT');
    });
    child.on('close', (code) => ok({ code, stdout, stderr }));
  });
}

before(async () => {
  sim = await startSimulator({ seed: 6 });
  db = await createTestDatabase();
  home = await mkdtemp(join(tmpdir(), 'nianbao-exit-'));
});
after(async () => {
  await sim?.close();
  await db?.drop();
  if (home) await rm(home, { recursive: true, force: true });
});

test('a portal that fails makes the crawl exit 1, its outcome and error kinds shown', { timeout: 60_000 }, async () => {
  const truth = sim.truth.portals[0];
  sim.setOutage(truth.url);
  try {
    const result = await run(['crawl', '--portal', truth.url, '--allow-private', '--json']);
    assert.equal(result.code, 1, result.stderr);
    const [summary] = JSON.parse(result.stdout).portals;
    assert.equal(summary.outcome, 'failed');
    assert.ok(summary.errors.some((error: { kind: string }) => error.kind === 'http-status'));
    assert.match(result.stderr, /1 portal\(s\) failed/);
  } finally {
    sim.setOutage(null);
  }
});

test('Ctrl-C: exit 130, says interrupted, the run is recorded as interrupted', { timeout: 60_000 }, async () => {
  const truth = sim.truth.portals[1];
  // 60 requests a minute: the crawl is still running at its first progress line, when the signal comes.
  const result = await run(['crawl', '--portal', truth.url, '--allow-private', '--rate', '60'], /pages\/s/);
  assert.equal(result.code, 130, result.stderr);
  assert.match(result.stderr, /interrupted/);
  assert.doesNotMatch(result.stderr, /budget/);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT outcome FROM crawl_runs WHERE portal_url = $1`, [truth.url]);
    assert.deepEqual(rows, [{ outcome: 'interrupted' }]);
  } finally {
    await client.end();
  }
});
