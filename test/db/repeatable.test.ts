// The generated views are a repeatable migration: re-run when their file changes (or after a versioned migration),
// skipped while the recorded checksum matches, and databases migrated before checksums existed migrate cleanly.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { createTestDatabase } from '../helpers/db.ts';
import { migrate, migrationFiles } from '../../db/migrate.ts';
import { viewsSql } from '../../db/views.ts';

const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A copy of db/migrations/ the test may change, and a fresh database. */
async function setup(): Promise<{ dir: URL; pool: pg.Pool }> {
  const path = mkdtempSync(join(tmpdir(), 'nianbao-migrations-'));
  cpSync(new URL('../../db/migrations/', import.meta.url), path, { recursive: true });
  const db = await createTestDatabase();
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  pool.on('error', () => {});
  cleanups.push(
    () => rmSync(path, { recursive: true, force: true }),
    () => db.drop(),
    () => pool.end(),
  );
  return { dir: pathToFileURL(path + '/'), pool };
}

async function columns(pool: pg.Pool, view: string): Promise<string[]> {
  const { rows } = await pool.query(
    `SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`,
    [view],
  );
  return rows.map((row) => row.column_name);
}

/** A mark on the view that disappears when the view is re-created. */
async function viewComment(pool: pg.Pool): Promise<string | null> {
  return (await pool.query(`SELECT obj_description('v_reports'::regclass, 'pg_class') AS comment`)).rows[0].comment;
}

test('a changed views file is re-applied by the next migrate; an unchanged one is not', async () => {
  const { dir, pool } = await setup();
  const versioned = migrationFiles(dir).filter((file) => !file.repeatable);
  const repeatable = migrationFiles(dir).filter((file) => file.repeatable);
  assert.deepEqual(
    (await migrate(pool, { dir })).applied,
    [...versioned, ...repeatable].map((file) => file.name),
  );
  await pool.query(`COMMENT ON VIEW v_reports IS 'marked'`);
  assert.deepEqual((await migrate(pool, { dir })).applied, []);
  assert.equal(await viewComment(pool), 'marked', 'unchanged checksum: the views were not re-created');

  // The generator's output with one more column, as a change to db/views.ts would produce.
  const changed = viewsSql().replace(
    'r.loaded_at, r.extractor, r.data\nFROM reports r',
    'r.loaded_at, r.extractor, r.data, r.status AS probe_status\nFROM reports r',
  );
  assert.notEqual(changed, viewsSql());
  writeFileSync(new URL('002_views.sql', dir), changed);
  // Every repeatable file after it runs too: the CASCADE may have dropped views they built on 002's.
  assert.deepEqual(
    (await migrate(pool, { dir })).applied,
    repeatable.filter((file) => file.name >= '002_views').map((file) => file.name),
  );
  assert.equal((await columns(pool, 'v_reports')).at(-1), 'probe_status');
  assert.equal(await viewComment(pool), null);
  assert.ok((await columns(pool, 'v_requests')).includes('granted_total'), 'views dropped by CASCADE are back');
  const [recorded] = (await pool.query(`SELECT checksum FROM schema_migrations WHERE version = '002'`)).rows;
  assert.equal(recorded.checksum, migrationFiles(dir).find((file) => file.name === '002_views')!.checksum);
  assert.deepEqual((await migrate(pool, { dir })).applied, []);

  // A versioned migration may drop what the views use: they are re-created after it even when unchanged.
  writeFileSync(new URL('999_probe.sql', dir), 'DROP VIEW v_requests;\n');
  assert.deepEqual((await migrate(pool, { dir })).applied, ['999_probe', ...repeatable.map((file) => file.name)]);
  assert.ok((await columns(pool, 'v_requests')).includes('granted_total'));
});

test('a database that recorded 002_views before checksums existed migrates cleanly, once', async () => {
  const { dir, pool } = await setup();
  // The state such a database is in: the old schema_migrations (no checksum), every file applied.
  await pool.query(`CREATE TABLE schema_migrations (
    version text PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const files = migrationFiles(dir);
  for (const file of [...files.filter((one) => !one.repeatable), ...files.filter((one) => one.repeatable)]) {
    await pool.query(file.sql);
    await pool.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [file.version, file.name]);
  }
  assert.deepEqual(
    (await migrate(pool, { dir })).applied,
    migrationFiles(dir)
      .filter((file) => file.repeatable)
      .map((file) => file.name),
  );
  assert.ok((await columns(pool, 'v_requests')).includes('granted_total'));
  assert.deepEqual((await migrate(pool, { dir })).applied, []);
  assert.deepEqual(
    (await pool.query('SELECT name FROM schema_migrations ORDER BY version')).rows.map((row) => row.name),
    migrationFiles(dir).map((file) => file.name),
  );
});

test('the committed views file is marked repeatable and drops what it creates first', () => {
  const views = migrationFiles().find((file) => file.name === '002_views')!;
  assert.equal(views.repeatable, true);
  assert.equal(migrationFiles().find((file) => file.name === '001_init')!.repeatable, false);
  const sql = readFileSync(new URL('../../db/migrations/002_views.sql', import.meta.url), 'utf8');
  assert.ok(sql.indexOf('DROP VIEW IF EXISTS') < sql.indexOf('CREATE VIEW'));
});
