// Migrations on a fresh database: applied once, re-runs are no-ops, concurrent runs don't race; the region
// registry is loaded completely and idempotently; the committed views SQL is what db/views.ts generates.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { createTestDatabase } from '../helpers/db.ts';
import { migrate, migrationFiles } from '../../db/migrate.ts';
import { VIEWS_FILE, viewsSql } from '../../db/views.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: pg.Pool;
before(async () => {
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  pool.on('error', () => {});
});
after(async () => {
  await pool?.end();
  await db?.drop();
});

const one = async (sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows;

describe('migrations', () => {
  test('apply on a fresh database, concurrently, exactly once; re-running is a no-op', async () => {
    const names = migrationFiles().map((m) => m.name);
    assert.deepEqual(names.slice(0, 2), ['001_init', '002_views']);
    // Three processes' worth of connections migrating at once: one applies, the others wait and find nothing to do.
    const runs = await Promise.all([migrate(pool), migrate(pool), migrate(pool)]);
    assert.deepEqual(runs.map((r) => r.applied.length).sort(), [0, 0, names.length]);
    assert.deepEqual(
      runs.map((r) => r.regionsLoaded).sort((a, b) => a - b),
      [0, 0, 6823],
    );
    assert.deepEqual(
      (await one('SELECT name FROM schema_migrations ORDER BY version')).map((r) => r.name),
      names,
    );
    assert.deepEqual(
      runs.map((r) => r.portalsLoaded).sort((a, b) => a - b),
      [0, 0, 2846],
    );
    const again = await migrate(pool);
    assert.deepEqual(again, { applied: [], regionsLoaded: 0, portalsLoaded: 0, portalConflicts: [] });
  });

  test('regions: all 2,846 county-level codes in force in 2024, plus the historical ones with their years', async () => {
    const [counts] = await one(`SELECT
        count(*)::int AS total,
        count(*) FILTER (WHERE level = '县级' AND valid_from <= 2024 AND (valid_to IS NULL OR 2024 < valid_to))::int AS county_2024,
        count(*) FILTER (WHERE valid_to IS NOT NULL)::int AS historical
      FROM regions`);
    assert.equal(counts.total, 6823);
    assert.equal(counts.county_2024, 2846);
    assert.ok(counts.historical > 1000, `historical rows: ${counts.historical}`);
    const suibin = await one(`SELECT name, province, prefecture, level FROM regions
      WHERE code = '230422' AND valid_from <= 2021 AND (valid_to IS NULL OR 2021 < valid_to)`);
    assert.deepEqual(suibin, [{ name: '绥滨县', province: '黑龙江省', prefecture: '鹤岗市', level: '县级' }]);
    const qiaodong = await one(`SELECT valid_from, valid_to, status, successor FROM regions WHERE code = '130103'`);
    assert.deepEqual(qiaodong, [{ valid_from: 1983, valid_to: 2014, status: '弃用', successor: '130102;130104' }]);
    // A code kept through a rename appears once per validity period.
    const [renamed] = await one(
      `SELECT count(*)::int AS n FROM (SELECT code FROM regions GROUP BY code HAVING count(*) > 1) x`,
    );
    assert.ok(renamed.n > 0);
  });

  test('a changed registry row is rewritten by the next migrate, untouched rows are not', async () => {
    await pool.query(`UPDATE regions SET name = 'X' WHERE code = '230422'`);
    assert.deepEqual(await migrate(pool), { applied: [], regionsLoaded: 1, portalsLoaded: 0, portalConflicts: [] });
    assert.equal((await one(`SELECT name FROM regions WHERE code = '230422'`))[0].name, '绥滨县');
  });

  test('db/migrations/002_views.sql is the output of db/views.ts (one source of truth: the template keys)', () => {
    assert.equal(
      readFileSync(VIEWS_FILE, 'utf8'),
      viewsSql(),
      'run `npx tsx db/views.ts` (migrate re-applies the changed file)',
    );
  });
});
