// Versioned migrations: db/migrations/NNN_name.sql, applied in order, each recorded in schema_migrations.
// All pending files run in one transaction under an advisory lock, so concurrent processes never race.
import { readdirSync, readFileSync } from 'node:fs';
import type pg from 'pg';
import { loadRegions } from '../data/areacodes.ts';

const DIR = new URL('./migrations/', import.meta.url);
/** Arbitrary constant: the advisory lock key of "migrating nianbao". */
const LOCK_KEY = 72_019_2021;

export interface Migration {
  version: string;
  name: string;
  sql: string;
}

export function migrationFiles(): Migration[] {
  return readdirSync(DIR)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: f.slice(0, 3),
      name: f.replace(/\.sql$/, ''),
      sql: readFileSync(new URL(f, DIR), 'utf8'),
    }));
}

export interface MigrateResult {
  applied: string[];
  /** Region rows written (0 when the table already matched the registry). */
  regionsLoaded: number;
}

export async function migrate(pool: pg.Pool): Promise<MigrateResult> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set(
      (await client.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version),
    );
    const applied: string[] = [];
    for (const m of migrationFiles()) {
      if (done.has(m.version)) continue;
      try {
        await client.query(m.sql);
      } catch (err) {
        throw new Error(`migration ${m.name} failed: ${(err as Error).message}`);
      }
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.name);
    }
    const regionsLoaded = await loadRegionsTable(client);
    await client.query('COMMIT');
    return { applied, regionsLoaded };
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
