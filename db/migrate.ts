// Migrations: db/migrations/NNN_name.sql, recorded in schema_migrations with the checksum of what ran.
// A versioned file runs once, in order. A repeatable file (its text carries the REPEATABLE marker: the generated
// researcher views) runs after the versioned ones whenever its checksum differs from the recorded one, or when any
// migration ran before it (which may have dropped what it defines); it must therefore be re-runnable
// (DROP … IF EXISTS CASCADE, then CREATE). Everything runs in one transaction under an advisory lock, so concurrent
// processes never race and a failed run changes nothing.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type pg from 'pg';
import { loadRegions } from '../data/areacodes.ts';
import { mergeAgencies } from './agency-merge.ts';
import { loadRegistryPortals } from './registry.ts';

const DIR = new URL('./migrations/', import.meta.url);
/** Arbitrary constant: the advisory lock key of "migrating nianbao". */
const LOCK_KEY = 72_019_2021;
/** A line of the file that makes it repeatable. */
export const REPEATABLE_MARKER = '-- repeatable: re-applied by migrate whenever this file changes';

export interface Migration {
  version: string;
  name: string;
  sql: string;
  repeatable: boolean;
  /** sha256 of the file's text. */
  checksum: string;
}

/** The migration files of `dir` (default db/migrations/; tests pass a copy), in version order. */
export function migrationFiles(dir: URL = DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{3}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const sql = readFileSync(new URL(file, dir), 'utf8');
      return {
        version: file.slice(0, 3),
        name: file.replace(/\.sql$/, ''),
        sql,
        repeatable: sql.split('\n').includes(REPEATABLE_MARKER),
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

export interface MigrateResult {
  /** Names of the files that ran, versioned ones first; a repeatable one is listed each time it runs. */
  applied: string[];
  /** Region rows written (0 when the table already matched the registry). */
  regionsLoaded: number;
  /** National portal registry rows written (0 when `portals` already matched data/portals/county-portals.csv). */
  portalsLoaded: number;
  /** Registry codes loaded without their URL because another portal row holds it. */
  portalConflicts: string[];
}

/** `registry`: load the national portal registry (default: with the project's own migrations, whose schema it needs;
 *  a test's copied subset of migrations may predate it). */
export async function migrate(pool: pg.Pool, opts: { dir?: URL; registry?: boolean } = {}): Promise<MigrateResult> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    // Databases migrated before repeatable files existed have no checksums: their repeatable files run once more.
    await client.query('ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text');
    const recorded = new Map(
      (
        await client.query<{ version: string; checksum: string | null }>(
          'SELECT version, checksum FROM schema_migrations',
        )
      ).rows.map((row) => [row.version, row.checksum]),
    );
    const files = migrationFiles(opts.dir);
    const pending = [
      ...files.filter((file) => !file.repeatable && !recorded.has(file.version)),
      ...files.filter((file) => file.repeatable),
    ];
    const applied: string[] = [];
    // Once anything ran, every later repeatable file runs too: a re-created view may have dropped (CASCADE) the
    // views a later file built on it.
    let earlierRan = false;
    for (const file of pending) {
      if (file.repeatable && !earlierRan && recorded.get(file.version) === file.checksum) continue;
      try {
        await client.query(file.sql);
      } catch (err) {
        throw new Error(`migration ${file.name} failed: ${(err as Error).message}`);
      }
      await client.query(
        `INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)
         ON CONFLICT (version) DO UPDATE SET name = EXCLUDED.name, checksum = EXCLUDED.checksum, applied_at = now()`,
        [file.version, file.name, file.checksum],
      );
      applied.push(file.name);
      earlierRan = true;
    }
    const regionsLoaded = await loadRegionsTable(client);
    // After the registry: re-normalising agencies needs the regions' names. A no-op unless the normaliser changed.
    await mergeAgencies(client);
    const portals = (opts.registry ?? !opts.dir) ? await loadRegistryPortals(client) : { written: 0, conflicts: [] };
    await client.query('COMMIT');
    return { applied, regionsLoaded, portalsLoaded: portals.written, portalConflicts: portals.conflicts };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** Upserts the vendored registry into `regions` (key: code, valid_from); skipped when the table already matches. */
async function loadRegionsTable(client: pg.PoolClient): Promise<number> {
  const regions = loadRegions();
  const col = <K extends keyof (typeof regions)[number]>(k: K) => regions.map((r) => r[k]);
  const params = [
    col('code'),
    col('validFrom'),
    col('validTo'),
    col('name'),
    col('province'),
    col('prefecture'),
    col('level'),
    col('status'),
    col('successor'),
  ];
  const input = `SELECT * FROM unnest($1::text[], $2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[],
    $8::text[], $9::text[]) AS t(code, valid_from, valid_to, name, province, prefecture, level, status, successor)`;
  // Only rows that differ are written, so a re-run touches nothing.
  const res = await client.query(
    `INSERT INTO regions (code, valid_from, valid_to, name, province, prefecture, level, status, successor)
     SELECT t.* FROM (${input}) t
     LEFT JOIN regions g ON g.code = t.code AND g.valid_from = t.valid_from
     WHERE g.code IS NULL OR (g.valid_to, g.name, g.province, g.prefecture, g.level, g.status, g.successor)
       IS DISTINCT FROM (t.valid_to, t.name, t.province, t.prefecture, t.level, t.status, t.successor)
     ON CONFLICT (code, valid_from) DO UPDATE SET valid_to = EXCLUDED.valid_to, name = EXCLUDED.name,
       province = EXCLUDED.province, prefecture = EXCLUDED.prefecture, level = EXCLUDED.level,
       status = EXCLUDED.status, successor = EXCLUDED.successor`,
    params,
  );
  return res.rowCount ?? 0;
}
