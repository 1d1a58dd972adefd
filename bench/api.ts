// API latency of `nianbao serve`: p50/p95 per endpoint over a store holding the three test sources (HTML, PDF,
// DOCX) plus N synthetic reports (copies of the HTML report under other agencies and documents), requested one at
// a time over HTTP on 127.0.0.1 after a warm-up. Called by bench/run.ts (section `api`).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStore } from '../db/store.ts';
import type { Report } from '../extractors/report.ts';
import { createApp } from '../serve/app.ts';
import { listen } from '../serve/server.ts';
import { createTestDatabase } from '../test/helpers/db.ts';
import { loadSources } from '../test/serve/fixture.ts';
import { quantile, round } from './stats.ts';

export interface ApiLatency {
  endpoint: string;
  requests: number;
  p50_ms: number;
  p95_ms: number;
  bytes: number;
}

export interface ApiBenchResult {
  reports: number;
  endpoints: ApiLatency[];
}

export async function benchApi(opts: { reports?: number; requests?: number } = {}): Promise<ApiBenchResult> {
  const extra = opts.reports ?? 200;
  const requests = opts.requests ?? 40;
  const db = await createTestDatabase();
  const home = await mkdtemp(join(tmpdir(), 'nianbao-bench-api-'));
  const store = await openStore({ databaseUrl: db.url, home, syncPortals: 'never', log: () => {} });
  try {
    const keys = await loadSources(store);
    const { rows } = await store.pool.query(`SELECT data FROM reports WHERE report_key = $1`, [keys.html]);
    const template = rows[0].data as Report;
    for (let i = 0; i < extra; i++) {
      const doc = await store.archiveDocument(Buffer.from(`bench api document ${i}`), { url: `bench://api/${i}` });
      const copy: Report = { ...template, agency: `绥滨县第${i}镇人民政府`, year: 2019 + (i % 6), flags: [] };
      await store.upsertReport(copy, { sha256: doc.sha256, url: `bench://api/${i}` });
    }
    const app = createApp({ pool: store.pool, readDocument: (sha) => store.readDocument(sha) });
    const server = await listen(app, '127.0.0.1', 0);
    const endpoints = [
      '/api/reports?limit=50',
      '/api/reports?region=230422&year=2021',
      `/api/reports/${keys.html}`,
      `/api/reports/${keys.pdf}/cells?limit=200`,
      '/api/coverage?limit=100',
      `/api/coverage?province=${encodeURIComponent('黑龙江省')}&limit=500`,
      '/api/flags?limit=100',
      `/reports/${keys.html}?cell=requests.new.natural_person`,
      `/reports/${keys.html}/source?cell=requests.new.natural_person`,
      '/',
    ];
    const results: ApiLatency[] = [];
    try {
      for (const endpoint of endpoints) {
        const times: number[] = [];
        let bytes = 0;
        for (let i = 0; i < requests + 3; i++) {
          const started = performance.now();
          const res = await fetch(server.url + endpoint);
          const body = await res.arrayBuffer();
          if (!res.ok) throw new Error(`${endpoint}: HTTP ${res.status}`);
          if (i >= 3) times.push(performance.now() - started);
          bytes = body.byteLength;
        }
        results.push({
          endpoint,
          requests,
          p50_ms: round(quantile(times, 0.5), 1),
          p95_ms: round(quantile(times, 0.95), 1),
          bytes,
        });
      }
    } finally {
      await server.close();
    }
    return { reports: extra + 3, endpoints: results };
  } finally {
    await store.close();
    await db.drop();
    await rm(home, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchApi({ reports: Number(process.argv[2] ?? 200) });
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}
