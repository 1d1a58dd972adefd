// `DATABASE_URL= nianbao db migrate` on a fresh NIANBAO_HOME: initialises and starts the embedded Postgres, applies
// the migrations, prints a URL psql connects to; a second run reuses the running server; `db stop` stops it.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = new URL('../../bin/nianbao.js', import.meta.url).pathname;
let home = '';

function env(): NodeJS.ProcessEnv {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NIANBAO_HOME: home };
  delete childEnv.DATABASE_URL;
  return childEnv;
}

/** The process lives and is not a zombie (a stopped server nobody reaped yet is gone all the same); a few seconds. */
async function running(pid: number): Promise<boolean> {
  for (let tries = 0; tries < 50; tries++) {
    let state = '';
    try {
      state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
    } catch {
      return false;
    }
    if (state === 'Z' || state === 'X') return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

const nianbao = (...args: string[]) => run(process.execPath, [BIN, ...args], { env: env(), timeout: 120_000 });

after(async () => {
  if (!home) return;
  await nianbao('db', 'stop').catch(() => {});
  await rm(home, { recursive: true, force: true });
});

test('embedded default: db migrate starts it, psql connects with the printed URL, db stop stops it', async () => {
  home = await mkdtemp(join(tmpdir(), 'nianbao-embedded-'));
  const first = await nianbao('db', 'migrate', '--json');
  const out = JSON.parse(first.stdout);
  assert.match(out.url, /^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/nianbao$/);
  // Every migration of the tree, whatever their number (the views one is re-applied last when it changes).
  const migrations = readdirSync(new URL('../../db/migrations/', import.meta.url))
    .filter((file) => /^\d{3}_[a-z0-9_]+\.sql$/.test(file))
    .map((file) => file.replace(/\.sql$/, ''));
  assert.deepEqual([...out.applied].sort(), migrations.sort());
  assert.deepEqual([out.regions, out.regions_in_force_2024], [6823, 2846]);
  // crawlers/portals.yaml's four, plus the national registry once it is loaded (db/migrations/003).
  assert.ok(out.portals >= 4, `${out.portals} portals`);
  assert.match(first.stderr, /embedded Postgres started .*psql '/);

  const psql = await run('psql', [out.url, '-Atc', `SELECT count(*) FROM regions WHERE code = '230422'`]);
  assert.equal(psql.stdout.trim(), '1');

  const second = await nianbao('db', 'migrate', '--json');
  assert.deepEqual(JSON.parse(second.stdout), { ...out, applied: [] });
  assert.match(second.stderr, /embedded Postgres running/);

  const pidFile = join(home, 'pg', 'postmaster.pid');
  assert.ok(existsSync(pidFile));
  const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  assert.deepEqual(JSON.parse((await nianbao('db', 'stop', '--json')).stdout), { stopped: true });
  assert.ok(!existsSync(pidFile));
  // Our server is gone (not asked of its port: another test's embedded server may take the freed port at once).
  assert.ok(!(await running(postmaster)), `postmaster ${postmaster} still running after db stop`);
  assert.deepEqual(JSON.parse((await nianbao('db', 'stop', '--json')).stdout), { stopped: false });
});
