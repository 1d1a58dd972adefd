// The database refuses bad rows by itself (db/migrations/010_constraints.sql), not only through the loader: each
// statement below writes one bad row directly with SQL and must fail with a constraint violation (class 23), while
// the same row made right is accepted.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { withTestStore, type TestStore } from '../helpers/db.ts';

const SHA = 'a'.repeat(64);
const PATH = `aa/aa/${SHA}`;

describe('constraints refuse bad rows written directly', { timeout: 120_000 }, () => {
  let testStore: TestStore;
  let reportId: number;
  before(async () => {
    testStore = await withTestStore();
    const db = testStore.store.pool;
    await db.query(`INSERT INTO documents (sha256, size, path, first_url) VALUES ($1, 10, $2, 'http://x/a.pdf')`, [
      SHA,
      PATH,
    ]);
    const { rows } = await db.query(
      `INSERT INTO reports (document_sha256, extractor, extractor_version, template, source_url, data, year)
       VALUES ($1, 'nianbao@1', '1', '2021', 'http://x/a.pdf', '{}', 2022) RETURNING id`,
      [SHA],
    );
    reportId = rows[0].id;
  });
  after(() => testStore.cleanup());

  const bad: Array<[string, string, unknown[]?]> = [
    [
      'document: negative size',
      `INSERT INTO documents (sha256, size, path, first_url) VALUES ('${'b'.repeat(64)}', -1, 'bb/bb/${'b'.repeat(64)}', 'u')`,
    ],
    [
      'document: path not derived from the hash',
      `INSERT INTO documents (sha256, size, path, first_url) VALUES ('${'c'.repeat(64)}', 1, 'elsewhere', 'u')`,
    ],
    [
      'document: empty URL',
      `INSERT INTO documents (sha256, size, path, first_url) VALUES ('${'d'.repeat(64)}', 1, 'dd/dd/${'d'.repeat(64)}', '')`,
    ],
    [
      'document: hash not hex',
      `INSERT INTO documents (sha256, size, path, first_url) VALUES ('XYZ', 1, 'XY/Z/XYZ', 'u')`,
    ],
    [
      'document: permanent error without a reason',
      `UPDATE documents SET error_permanent = true WHERE sha256 = '${SHA}'`,
    ],
    ['document: empty error text', `UPDATE documents SET extraction_error = '' WHERE sha256 = '${SHA}'`],
    ['fetch: status 42', `INSERT INTO fetches (url, status) VALUES ('http://x/', 42)`],
    ['fetch: unknown method', `INSERT INTO fetches (url, method) VALUES ('http://x/', 'DELETE')`],
    ['fetch: negative size', `INSERT INTO fetches (url, size) VALUES ('http://x/', -5)`],
    ['fetch: empty URL', `INSERT INTO fetches (url) VALUES ('')`],
    [
      'crawl run: finished before it started',
      `INSERT INTO crawl_runs (portal_url, started_at, finished_at) VALUES ('u', now(), now() - interval '1 hour')`,
    ],
    ['crawl run: stats not an object', `INSERT INTO crawl_runs (portal_url, stats) VALUES ('u', '[1]')`],
    ['report: year 1899', `UPDATE reports SET year = 1899 WHERE id = $1`, ['id']],
    ['report: template outside the enum', `UPDATE reports SET template = '2030' WHERE id = $1`, ['id']],
    ['report: status outside the enum', `UPDATE reports SET status = 'deleted' WHERE id = $1`, ['id']],
    ['report: data not an object', `UPDATE reports SET data = '"x"' WHERE id = $1`, ['id']],
    [
      'report: superseded by itself',
      `UPDATE reports SET status = 'superseded', superseded_by = id WHERE id = $1`,
      ['id'],
    ],
    [
      'report: current but superseded by another',
      `INSERT INTO reports (document_sha256, extractor, extractor_version, template, source_url, data, superseded_by, status) VALUES ('${SHA}', 'n', '2', '2021', 'u', '{}', $1, 'current')`,
      ['id'],
    ],
    ['report: empty extractor version', `UPDATE reports SET extractor_version = '' WHERE id = $1`, ['id']],
    ['report: published_at not a date', `UPDATE reports SET published_at = 'last week' WHERE id = $1`, ['id']],
    ['report: region code not 6 digits', `UPDATE reports SET region_code = '12' WHERE id = $1`, ['id']],
    [
      'report: document that does not exist',
      `INSERT INTO reports (document_sha256, extractor, extractor_version, template, source_url, data) VALUES ('${'e'.repeat(64)}', 'n', '1', '2021', 'u', '{}')`,
    ],
    [
      'cell: negative position',
      `INSERT INTO report_cells (report_id, ord, path, at) VALUES ($1, -1, 'requests.new.total', '{}')`,
      ['id'],
    ],
    [
      'cell: path not a schema path',
      `INSERT INTO report_cells (report_id, ord, path, at) VALUES ($1, 0, 'DROP TABLE', '{}')`,
      ['id'],
    ],
    [
      'cell: provenance not an object',
      `INSERT INTO report_cells (report_id, ord, path, at) VALUES ($1, 0, 'requests.new.total', '3')`,
      ['id'],
    ],
    [
      'cell: report that does not exist',
      `INSERT INTO report_cells (report_id, ord, path, at) VALUES (-7, 0, 'requests.new.total', '{}')`,
    ],
    [
      'flag: code not from the registry shape',
      `INSERT INTO report_flags (report_id, ord, code, severity) VALUES ($1, 0, 'oops lower', 'error')`,
      ['id'],
    ],
    [
      'flag: severity outside the enum',
      `INSERT INTO report_flags (report_id, ord, code, severity) VALUES ($1, 0, 'CELL_BLANK', 'fatal')`,
      ['id'],
    ],
    [
      'flag: origin outside the enum',
      `INSERT INTO report_flags (report_id, ord, code, severity, origin) VALUES ($1, 0, 'CELL_BLANK', 'info', 'user')`,
      ['id'],
    ],
    ['section: empty key', `INSERT INTO report_sections (report_id, key, text) VALUES ($1, '', 'x')`, ['id']],
    [
      'agency: empty name',
      `INSERT INTO agencies (region_code, norm_name, name, kind) VALUES ('230422', '', '', 'office')`,
    ],
    [
      'agency: kind outside the enum',
      `INSERT INTO agencies (region_code, norm_name, name, kind) VALUES ('230422', 'x', 'x', 'ministry')`,
    ],
    [
      'candidate: year 3000',
      `INSERT INTO candidates (portal_id, title, article_url, year) SELECT id, 't', 'u', 3000 FROM portals LIMIT 1`,
    ],
    [
      'candidate: empty title',
      `INSERT INTO candidates (portal_id, title, article_url) SELECT id, '', 'u' FROM portals LIMIT 1`,
    ],
    [
      'candidate: portal that does not exist',
      `INSERT INTO candidates (portal_id, title, article_url) VALUES (-1, 't', 'u')`,
    ],
  ];

  for (const [what, sql, params] of bad)
    it(`refuses ${what}`, async () => {
      const values = (params ?? []).map((param) => (param === 'id' ? reportId : param));
      await assert.rejects(testStore.store.pool.query(sql, values), (err: { code?: string; message: string }) => {
        assert.match(err.code ?? '', /^23/, `a constraint violation, not ${err.code}: ${err.message}`);
        return true;
      });
    });

  it('accepts the same rows made right', async () => {
    const db = testStore.store.pool;
    await db.query(`INSERT INTO fetches (url, status, method, size) VALUES ('http://x/', 200, 'GET', 5)`);
    await db.query(
      `INSERT INTO report_cells (report_id, ord, path, at, value) VALUES ($1, 0, 'requests.new.total', '{"line": 3}', -2)`,
      [reportId],
    );
    await db.query(`INSERT INTO report_flags (report_id, ord, code, severity) VALUES ($1, 0, 'CELL_BLANK', 'info')`, [
      reportId,
    ]);
    await db.query(`UPDATE documents SET extraction_error = 'corrupt', error_permanent = true WHERE sha256 = $1`, [
      SHA,
    ]);
    await db.query(
      `UPDATE reports SET published_at = '2023-01-20', year = 2022, region_code = '230422' WHERE id = $1`,
      [reportId],
    );
  });
});
