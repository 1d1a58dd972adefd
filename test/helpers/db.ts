// Test databases on the shared local server: each test gets its own database and drops it afterwards.
// Base server URL: TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { config } from '../../core/config.ts';
import { openStore, type OpenedStore } from '../../db/store.ts';

const BASE_URL = config().testDatabaseUrl;

function withDatabase(base: string, db: string): string {
  const url = new URL(base);
  url.pathname = '/' + db;
  return url.toString();
}

async function admin<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: BASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh empty database `nianbao_test_<random>`; drop() removes it even with open connections (WITH (FORCE)). */
export async function createTestDatabase(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `nianbao_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  let dropped = false;
  return {
    name,
    url: withDatabase(BASE_URL, name),
    async drop() {
      if (dropped) return;
      dropped = true;
      await admin(async (client) => {
        // Give closing connections a moment to go (pg's pool.end() resolves before its sockets close): FORCE is
        // for leaked connections, not for killing ones that are already saying goodbye (their clients would throw).
        for (let i = 0; i < 50; i++) {
          const { rows } = await client.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [
            name,
          ]);
          if (!rows[0].n) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      });
    },
  };
}

export interface TestStore {
  store: OpenedStore;
  url: string;
  /** Temporary NIANBAO_HOME; blobs live in `${home}/blobs`. */
  home: string;
  blobDir: string;
  cleanup(): Promise<void>;
}

/** A migrated store on a fresh test database with a temporary blob directory. Call cleanup() in `after`. */
export async function withTestStore(): Promise<TestStore> {
  const db = await createTestDatabase();
  const home = await mkdtemp(join(tmpdir(), 'nianbao-test-'));
  let store: OpenedStore;
  try {
    store = await openStore({ databaseUrl: db.url, home });
  } catch (err) {
    await db.drop();
    await rm(home, { recursive: true, force: true });
    throw err;
  }
  return {
    store,
    url: db.url,
    home,
    blobDir: join(home, 'blobs'),
    async cleanup() {
      await store.close().catch(() => {});
      await db.drop();
      await rm(home, { recursive: true, force: true });
    },
  };
}
