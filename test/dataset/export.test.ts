// nianbao export on reports of both templates: the Parquet read back by a second library (hyparquet) and the CSV
// parsed back equal Postgres value for value; the manifest's checksums are right; every column of every file is in
// the codebook; corrections sit beside the extracted values; nothing to export fails.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { InputError } from '../../core/errors.ts';
import { InterruptedError } from '../../pipeline/interrupt.ts';
import { codebook } from '../../dataset/codebook.ts';
import { exportDataset, type ExportResult } from '../../dataset/export.ts';
import type { Manifest } from '../../dataset/manifest.ts';
import { TABLES, tableSql, type Table } from '../../dataset/tables.ts';
import { createTestDatabase, withTestStore, type TestStore } from '../helpers/db.ts';
import { runCli } from '../helpers/cli.ts';
import { loadSeeds } from './seeds.ts';
import { makeReport } from '../db/fixtures.ts';

let testStore: TestStore;
let out: string;
let result: ExportResult;
let madeKey: string;
const NOW = new Date('2026-01-15T09:30:00Z');

/** RFC 4180 with COPY's NULL convention: an unquoted empty field is null, a quoted one the empty string. */
function parseCsv(text: string): Array<Array<string | null>> {
  const rows: Array<Array<string | null>> = [];
  let row: Array<string | null> = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') {
      quoted = true;
      wasQuoted = true;
    } else if (char === ',' || char === '\n') {
      row.push(field === '' && !wasQuoted ? null : field);
      field = '';
      wasQuoted = false;
      if (char === '\n') {
        rows.push(row);
        row = [];
      }
    } else field += char;
  }
  assert.equal(field + row.length, '0', 'the file ends with a record terminator');
  return rows;
}

function arrayBuffer(path: string): ArrayBuffer {
  const bytes = readFileSync(path);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** One comparable form for a Postgres value and a Parquet value of the same column. */
function normal(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'bigint') return Number(value);
  return value;
}

function pgNormal(table: Table, row: Record<string, unknown>): unknown[] {
  return table.columns.map((column) => {
    const value = row[column.name];
    if (value === null || value === undefined) return null;
    if (column.type === 'number' || column.type === 'integer') return Number(value);
    return normal(value);
  });
}

const exported = () => TABLES.filter((table) => result.manifest.tables.some((t) => t.name === table.name));

before(async () => {
  testStore = await withTestStore();
  out = mkdtempSync(join(tmpdir(), 'nianbao-export-'));
});
after(async () => {
  await testStore?.cleanup();
  if (out) rmSync(out, { recursive: true, force: true });
});

describe('nianbao export', () => {
  test('zero reports: a clear error, no snapshot written', async () => {
    await assert.rejects(exportDataset(testStore.store.pool, { out, formats: ['csv', 'parquet'], now: NOW }), (err) => {
      assert.ok(err instanceof InputError);
      assert.match((err as Error).message, /no current reports/);
      return true;
    });
    assert.deepEqual(readdirSync(out), []);
    const cli = await runCli(['export', '--out', out, '--json'], { databaseUrl: testStore.url, home: testStore.home });
    assert.equal(cli.code, 1);
    assert.match(cli.stderr, /nianbao export: no current reports/);
    assert.equal(cli.stdout, '');
  });

  test('loads both templates and a correction, then exports a dated, versioned directory', async () => {
    assert.equal(await loadSeeds(testStore.store), 5);
    // The seed townships decided no requests; one hand-made 2021 report with numbers in every request cell.
    const doc = await testStore.store.archiveDocument(Buffer.from('hand-made report'), {
      url: 'http://example.gov.cn/made',
    });
    await testStore.store.upsertReport(makeReport({ agency: '绥滨县北岗乡人民政府' }), {
      sha256: doc.sha256,
      url: 'http://example.gov.cn/made',
    });
    madeKey = doc.sha256.slice(0, 16);
    const { rows } = await testStore.store.pool.query(
      `SELECT report_key, extractor_version FROM reports WHERE status = 'current' AND template = '2021' ORDER BY 1 LIMIT 1`,
    );
    await testStore.store.pool.query(
      `INSERT INTO cell_corrections (report_key, path, extracted_value, corrected_value, reason, reviewer, extractor_version_seen)
       SELECT $1, 'requests.new.total', c.value, c.value + 1, 'misread 8 as 9', 'tester', $2
       FROM report_cells c JOIN reports r ON r.id = c.report_id WHERE r.report_key = $1 AND r.status = 'current'
         AND c.path = 'requests.new.total'`,
      [rows[0].report_key, rows[0].extractor_version],
    );
    await testStore.store.pool.query(
      `INSERT INTO flag_reviews (report_key, flag_code, path, decision, reason, reviewer, extractor_version_seen)
       SELECT r.report_key, f.code, f.path, 'dismissed', 'blank is zero here', 'tester', r.extractor_version
       FROM report_flags f JOIN reports r ON r.id = f.report_id AND r.status = 'current' ORDER BY r.report_key, f.ord LIMIT 1`,
    );
    result = await exportDataset(testStore.store.pool, { out, formats: ['csv', 'parquet'], now: NOW });
    assert.match(result.directory, /nianbao-2026-01-15-1\.[0-9a-f]{8}$/);
    assert.deepEqual(readdirSync(out), [result.manifest.name], 'no partial directory left behind');
    const templates = await testStore.store.pool.query(
      `SELECT DISTINCT template FROM reports WHERE status = 'current' ORDER BY 1`,
    );
    assert.deepEqual(
      templates.rows.map((row) => row.template),
      ['2019', '2021'],
    );
    for (const name of ['README.md', 'LICENSE', 'CITATION.cff', 'manifest.json', 'SHA256SUMS', 'codebook.md'])
      assert.ok(statSync(join(result.directory, name)).size > 100, name);
    const citation = readFileSync(join(result.directory, 'CITATION.cff'), 'utf8');
    assert.match(citation, new RegExp(`version: "${result.manifest.dataset_version.replace('.', '\\.')}"`));
    assert.match(citation, /date-released: 2026-01-15/);
    assert.deepEqual(
      JSON.parse(readFileSync(join(result.directory, 'schema', 'report.schema.json'), 'utf8')),
      JSON.parse(readFileSync(new URL('../../spec/report.schema.json', import.meta.url), 'utf8')),
    );
    const manifest = result.manifest;
    assert.equal(manifest.reports, 6);
    assert.ok(
      manifest.tables.find((t) => t.name === 'corrections'),
      'v_corrections exists, so it is exported',
    );
    assert.equal(manifest.tables.find((t) => t.name === 'reports')!.rows, 6);
  });

  test('stopped midway (a signal): the error propagates and neither the snapshot nor its partial files remain', async () => {
    const dir = join(out, 'stopped');
    let calls = 0;
    const stopped = new InterruptedError('SIGINT', 'export stopped');
    await assert.rejects(
      exportDataset(testStore.store.pool, {
        out: dir,
        formats: ['csv', 'parquet'],
        now: NOW,
        stop: () => {
          if (++calls > 3) throw stopped;
        },
      }),
      (err) => err === stopped,
    );
    assert.deepEqual(readdirSync(dir), []);
    rmSync(dir, { recursive: true });
  });

  test('the manifest lists every file with its right size and SHA-256; SHA256SUMS agrees', () => {
    const files = (dir: string, prefix = ''): string[] =>
      readdirSync(join(result.directory, prefix)).flatMap((name) =>
        statSync(join(dir, prefix, name)).isDirectory() ? files(dir, `${prefix}${name}/`) : [`${prefix}${name}`],
      );
    const onDisk = files(result.directory).sort();
    const manifest: Manifest = JSON.parse(readFileSync(join(result.directory, 'manifest.json'), 'utf8'));
    assert.deepEqual(
      manifest.files.map((file) => file.path).sort(),
      onDisk.filter((p) => !['manifest.json', 'SHA256SUMS'].includes(p)),
    );
    for (const file of manifest.files) {
      const bytes = readFileSync(join(result.directory, file.path));
      assert.equal(bytes.length, file.bytes, file.path);
      assert.equal(createHash('sha256').update(bytes).digest('hex'), file.sha256, file.path);
    }
    const sums = readFileSync(join(result.directory, 'SHA256SUMS'), 'utf8').trim().split('\n');
    assert.equal(sums.length, onDisk.length - 1);
    for (const line of sums) {
      const [hash, path] = line.split('  ');
      assert.equal(
        createHash('sha256')
          .update(readFileSync(join(result.directory, path)))
          .digest('hex'),
        hash,
        path,
      );
    }
  });

  test('Parquet read back with hyparquet equals Postgres, value for value, in the codebook’s columns', async () => {
    const entries = codebook();
    for (const table of exported()) {
      const file = arrayBuffer(join(result.directory, 'parquet', `${table.name}.parquet`));
      const names = parquetMetadata(file)
        .schema.slice(1)
        .map((element) => element.name);
      assert.deepEqual(
        names,
        entries.filter((e) => e.table === table.name).map((e) => e.name),
        `${table.name}: the file's columns are the codebook's`,
      );
      const parquet = await parquetReadObjects({ file });
      const { rows } = await testStore.store.pool.query(tableSql(table, 'parquet'));
      assert.equal(parquet.length, rows.length, table.name);
      assert.equal(rows.length, result.manifest.tables.find((t) => t.name === table.name)!.rows);
      assert.ok(rows.length > 0, `${table.name} has rows`);
      for (let i = 0; i < rows.length; i++)
        assert.deepEqual(
          names.map((name) => normal(parquet[i][name])),
          pgNormal(table, rows[i]),
          `${table.name} row ${i}`,
        );
    }
  });

  test('CSV parsed back equals Postgres’ text of every value; the Excel variant is the same with BOM and CRLF', async () => {
    for (const table of exported()) {
      const plain = readFileSync(join(result.directory, 'csv', `${table.name}.csv`), 'utf8');
      const excel = readFileSync(join(result.directory, 'csv-excel', `${table.name}.csv`));
      const [header, ...records] = parseCsv(plain);
      assert.deepEqual(
        header,
        table.columns.map((column) => column.name),
        `${table.name} header`,
      );
      for (const name of header) assert.ok(name!.length <= 32, `${table.name}.${name}`);
      const names = table.columns.map((column) => column.name);
      const { rows } = await testStore.store.pool.query({
        text: `SELECT ${names.map((name) => `q.${name}::text`).join(', ')} FROM (${tableSql(table, 'csv')}) q`,
        rowMode: 'array',
      });
      assert.deepEqual(records, rows, `${table.name}: every CSV field is Postgres' text of the value`);
      assert.deepEqual([...excel.subarray(0, 3)], [0xef, 0xbb, 0xbf], `${table.name}: BOM`);
      const excelText = excel.subarray(3).toString('utf8');
      assert.ok(excelText.endsWith('\r\n'));
      assert.deepEqual(parseCsv(excelText.replace(/\r\n/g, '\n')), parseCsv(plain), `${table.name}: same records`);
      assert.equal(excelText.split('\r\n').length - 1, records.length + 1 + (plain.match(/\r\n/g)?.length ?? 0));
    }
    const codebookCsv = parseCsv(readFileSync(join(result.directory, 'csv', 'codebook.csv'), 'utf8'));
    assert.equal(codebookCsv.length - 1, codebook().length);
    assert.ok(codebookCsv.some((row) => row[0] === 'rates' && row[2] === '实质公开率'));
  });

  test('schema/tables.sql creates the tables the CSV files load into, row for row', async () => {
    const db = await createTestDatabase();
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    try {
      await pool.query(readFileSync(join(result.directory, 'schema', 'tables.sql'), 'utf8'));
      const client = await pool.connect();
      try {
        for (const table of result.manifest.tables) {
          const sink = client.query(copyFrom(`COPY ${table.name} FROM STDIN WITH (FORMAT csv, HEADER true)`));
          await pipeline(createReadStream(join(result.directory, 'csv', `${table.name}.csv`)), sink);
          const { rows } = await client.query(`SELECT count(*)::int AS n FROM ${table.name}`);
          assert.equal(rows[0].n, table.rows, table.name);
        }
        const comment = await client.query(`SELECT col_description('requests'::regclass, 6) AS label`);
        assert.match(comment.rows[0].label, /一、本年新收政府信息公开申请数量 自然人/);
      } finally {
        client.release();
      }
    } finally {
      await pool.end();
      await db.drop();
    }
  });

  test('corrections sit beside the extracted value; the wide table keeps what the document said', async () => {
    const file = arrayBuffer(join(result.directory, 'parquet', 'corrections.parquet'));
    const [correction] = await parquetReadObjects({ file });
    assert.equal(correction.path, 'requests.new.total');
    assert.equal(correction.corrected_value, (correction.extracted_value as number) + 1);
    assert.equal(correction.reason, 'misread 8 as 9');
    const requests = await parquetReadObjects({
      file: arrayBuffer(join(result.directory, 'parquet', 'requests.parquet')),
    });
    const row = requests.find((r) => r.report_key === correction.report_key)!;
    assert.equal(row.new_total, correction.extracted_value);
  });

  test('the long table has a harmonised quantity for every cell; rates follow their formulas', async () => {
    const long = await parquetReadObjects({ file: arrayBuffer(join(result.directory, 'parquet', 'long.parquet')) });
    assert.ok(long.length > 500);
    assert.deepEqual(
      long.filter((row) => row.quantity === null),
      [],
    );
    assert.ok(long.some((row) => row.template === '2019' && row.quantity === 'active.regulations.issued'));
    assert.ok(long.some((row) => row.template === '2021' && row.quantity === 'active.regulations.issued'));
    const rates = await parquetReadObjects({ file: arrayBuffer(join(result.directory, 'parquet', 'rates.parquet')) });
    const requests = await parquetReadObjects({
      file: arrayBuffer(join(result.directory, 'parquet', 'requests.parquet')),
    });
    let checked = 0;
    for (const rate of rates) {
      const row = requests.find((r) => r.report_key === rate.report_key)!;
      const decided = row.total_total as number | null;
      const expected =
        decided && decided > 0 && row.granted_total !== null && row.partial_total !== null
          ? ((row.granted_total as number) + (row.partial_total as number)) / decided
          : null;
      if (expected === null) assert.equal(rate.substantive_disclosure_rate, null);
      else {
        assert.ok(Math.abs((rate.substantive_disclosure_rate as number) - expected) < 1e-12);
        checked++;
      }
    }
    assert.equal(checked, 1, 'the hand-made report has requests; the seed townships decided none (rate NULL)');
    const made = rates.find((rate) => rate.report_key === madeKey)!;
    // requests.<row>.<col> = row index * 10 + column index: granted 26, partial 36, total 236 (row 23 of the 2021 rows); review 0 of 1.
    assert.equal(made.substantive_disclosure_rate, (26 + 36) / 236);
    assert.equal(made.granted_share, 26 / 236);
    assert.equal(made.review_correction_rate, 0);
    assert.equal(made.suit_direct_correction_rate, null, 'no suit figures: NULL, not 0');
  });

  test('CLI: --json summary; the same snapshot again is refused; a wrong --format is a usage error', async () => {
    const target = { databaseUrl: testStore.url, home: testStore.home };
    const dir = join(out, 'cli');
    const first = await runCli(['export', '--out', dir, '--format', 'parquet', '--json'], target);
    assert.equal(first.code, 0, first.stderr);
    const summary = JSON.parse(first.stdout);
    assert.equal(summary.reports, 6);
    assert.equal(summary.dataset_version, result.manifest.dataset_version, 'same data, same version');
    assert.ok(summary.tables.some((t: { name: string; rows: number }) => t.name === 'long' && t.rows > 500));
    assert.deepEqual(readdirSync(join(summary.directory)).includes('csv'), false);
    const again = await runCli(['export', '--out', dir, '--format', 'parquet'], target);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists/);
    const wrong = await runCli(['export', '--out', dir, '--format', 'xml'], target);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--format takes csv, parquet/);
    const missing = await runCli(['export'], target);
    assert.equal(missing.code, 2);
    // A reviewer's verdict is content: the next snapshot gets a new version.
    await testStore.store.pool.query(
      `INSERT INTO flag_reviews (report_key, flag_code, path, decision, reason, reviewer, extractor_version_seen)
       SELECT report_key, 'CELL_BLANK', NULL, 'confirmed', 'checked', 'tester', extractor_version
       FROM reports WHERE status = 'current' ORDER BY report_key LIMIT 1`,
    );
    const changed = await runCli(['export', '--out', dir, '--format', 'parquet', '--json'], target);
    assert.equal(changed.code, 0, changed.stderr);
    assert.notEqual(JSON.parse(changed.stdout).dataset_version, summary.dataset_version);
  });
});
