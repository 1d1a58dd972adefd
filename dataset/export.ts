// `nianbao export`: a dated, versioned snapshot directory of the current reports. Everything is read in one
// REPEATABLE READ transaction, so every file shows the same state of the database; files are written to a hidden
// partial directory that is renamed into place only when everything (manifest included) is written, so a failed
// export never leaves something that looks like a snapshot.
import { copyFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { InputError } from '../core/errors.ts';
import { log } from '../core/log.ts';
import { Progress } from '../pipeline/progress.ts';
import { codebook, tableDescriptions } from './codebook.ts';
import { copyCsv, csvTexts } from './csv.ts';
import { LICENCE_ID, citationFor, licenceText } from './licence.ts';
import { describeFiles, sha256sums, type Manifest } from './manifest.ts';
import { writeParquet, writeParquetRows } from './parquet.ts';
import { codebookMarkdown, readmeMarkdown } from './readme.ts';
import { columnsJson, tablesSql } from './schema.ts';
import { CODEBOOK_COLUMNS, TABLES, countSql, tableSql, type Table, type TableShape } from './tables.ts';

export type Format = 'csv' | 'parquet';
export const FORMATS: Format[] = ['csv', 'parquet'];
/** Layout version of a snapshot: bumped when files or columns change meaning. */
export const FORMAT_VERSION = 1;

const REPORT_SCHEMA = new URL('../spec/report.schema.json', import.meta.url);

export interface ExportOptions {
  out: string;
  formats: Format[];
  /** The snapshot's date and created_at (tests pin it). */
  now?: Date;
  /** Called as rows stream; throws to stop (a signal): the partial directory is removed, nothing is left. */
  stop?: () => void;
}

export interface ExportResult {
  directory: string;
  manifest: Manifest;
}

/** What each part of the content contributes to the version hash; the review layers only when exported. */
const HASHED: Record<string, string> = {
  reports: `SELECT string_agg(report_key || ':' || md5(data::text), ',' ORDER BY report_key)
            FROM reports WHERE status = 'current'`,
  coverage: `SELECT string_agg(concat_ws(':', region_code, year, state, bodies, listed), ',' ORDER BY region_code, year)
             FROM v_coverage`,
  corrections: `SELECT string_agg(concat_ws(':', report_key, path, corrected_value, reviewer, created_at), ','
                ORDER BY report_key, path) FROM v_corrections`,
  flag_reviews: `SELECT string_agg(concat_ws(':', report_key, flag_code, path, decision, reviewer, created_at), ','
                 ORDER BY report_key, flag_code, path) FROM v_flag_reviews`,
};

/** A hash of what the snapshot holds: every current report's data, the coverage cells, the review layers. */
async function contentVersion(client: pg.PoolClient, tables: string[]): Promise<string> {
  const parts = Object.entries(HASHED)
    .filter(([table]) => tables.includes(table))
    .map(([, sql]) => `coalesce((${sql}), '')`);
  const { rows } = await client.query<{ hash: string }>(`SELECT md5(${parts.join(" || '|' || ")}) AS hash`);
  return `${FORMAT_VERSION}.${rows[0].hash.slice(0, 8)}`;
}

async function exists(client: pg.PoolClient, relation: string): Promise<boolean> {
  const { rows } = await client.query('SELECT to_regclass($1) IS NOT NULL AS ok', [relation]);
  return rows[0].ok;
}

async function exportTable(
  client: pg.PoolClient,
  table: Table,
  dir: string,
  formats: Format[],
  meta: Record<string, string>,
  stop: () => void,
): Promise<number> {
  const total = (await client.query<{ n: number }>(countSql(table))).rows[0].n;
  const counts: number[] = [];
  if (formats.includes('csv')) {
    const progress = new Progress(`rows of ${table.name}.csv`);
    const { rows } = await copyCsv(
      client,
      tableSql(table, 'csv'),
      join(dir, 'csv', `${table.name}.csv`),
      join(dir, 'csv-excel', `${table.name}.csv`),
      (done) => {
        stop();
        progress.update(done, total);
      },
    );
    progress.finish();
    counts.push(rows);
  }
  if (formats.includes('parquet')) {
    const progress = new Progress(`rows of ${table.name}.parquet`);
    const { rows } = await writeParquet(
      client,
      tableSql(table, 'parquet'),
      table.columns,
      join(dir, 'parquet', `${table.name}.parquet`),
      { ...meta, table: table.name },
      (done) => {
        stop();
        progress.update(done, total);
      },
    );
    progress.finish();
    counts.push(rows);
  }
  // Both formats read the same snapshot: a difference is a bug, not something to ship.
  if (counts.some((n) => n !== counts[0]))
    throw new Error(`${table.name}: CSV and Parquet row counts differ (${counts.join(' vs ')})`);
  return counts[0] ?? total;
}

export async function exportDataset(pool: pg.Pool, options: ExportOptions): Promise<ExportResult> {
  const now = options.now ?? new Date();
  const createdAt = now.toISOString();
  const date = createdAt.slice(0, 10);
  const stop = options.stop ?? (() => {});
  const client = await pool.connect();
  let partial: string | null = null;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query("SET LOCAL TIME ZONE 'UTC'");
    // The Parquet cursors read every row: plan them for the whole result, not for a fast first row.
    await client.query('SET LOCAL cursor_tuple_fraction = 1.0');
    const reports = (
      await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM reports WHERE status = 'current'`)
    ).rows[0].n;
    if (!reports)
      throw new InputError(
        'no current reports in the database: nothing to export (load some first, e.g. `nianbao demo` or `nianbao crawl`)',
      );
    const tables: Table[] = [];
    for (const table of TABLES)
      if (!table.requires || (await exists(client, table.requires))) tables.push(table);
      else log.info(`export: ${table.name} skipped (${table.requires} does not exist in this database)`);
    const version = await contentVersion(
      client,
      tables.map((table) => table.name),
    );
    const name = `nianbao-${date}-${version}`;
    const directory = join(options.out, name);
    if (await stat(directory).catch(() => null))
      throw new InputError(
        `${directory} already exists (the same data was exported today): remove it or use another --out`,
      );
    await mkdir(options.out, { recursive: true });
    partial = join(options.out, `.${name}.partial-${process.pid}`);
    await rm(partial, { recursive: true, force: true });
    for (const sub of ['schema', ...(options.formats.includes('csv') ? ['csv', 'csv-excel'] : [])].concat(
      options.formats.includes('parquet') ? ['parquet'] : [],
    ))
      await mkdir(join(partial, sub), { recursive: true });

    const meta = { dataset: name, dataset_version: version, created_at: createdAt, licence: LICENCE_ID };
    const tableRows: Manifest['tables'] = [];
    const filesOf = (table: string) =>
      options.formats.flatMap((format) =>
        format === 'csv' ? [`csv/${table}.csv`, `csv-excel/${table}.csv`] : [`parquet/${table}.parquet`],
      );
    for (const table of tables) {
      const started = Date.now();
      stop();
      const rows = await exportTable(client, table, partial, options.formats, meta, stop);
      log.info(`export: ${table.name} ${rows} rows in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      tableRows.push({ name: table.name, rows, description: table.description, files: filesOf(table.name) });
    }
    const extractors = (
      await client.query<{ extractor: string; reports: number }>(
        `SELECT extractor, count(*)::int AS reports FROM reports WHERE status = 'current' GROUP BY 1 ORDER BY 1`,
      )
    ).rows;
    await client.query('COMMIT');

    // The codebook documents the tables exported (and itself).
    const exported = new Set([...tables.map((table) => table.name), 'codebook']);
    const entries = codebook().filter((entry) => exported.has(entry.table));
    const descriptions = tableDescriptions().filter((d) => exported.has(d.table));
    const header = CODEBOOK_COLUMNS.map((column) => column.name);
    const records = entries.map((entry) =>
      header.map((key) => (entry as unknown as Record<string, unknown>)[key] ?? null),
    );
    if (options.formats.includes('csv')) {
      const { plain, excel } = csvTexts(header, records);
      await writeFile(join(partial, 'csv', 'codebook.csv'), plain);
      await writeFile(join(partial, 'csv-excel', 'codebook.csv'), excel);
    }
    if (options.formats.includes('parquet'))
      await writeParquetRows(
        records.map((record) => Object.fromEntries(header.map((key, i) => [key, record[i]]))),
        CODEBOOK_COLUMNS,
        join(partial, 'parquet', 'codebook.parquet'),
        { ...meta, table: 'codebook' },
      );
    await writeFile(join(partial, 'codebook.md'), codebookMarkdown(entries, descriptions));
    tableRows.push({
      name: 'codebook',
      rows: entries.length,
      description: 'every column of every table',
      files: [...filesOf('codebook'), 'codebook.md'],
    });

    const shapes: TableShape[] = [
      ...tables,
      { name: 'codebook', description: 'every column of every table', columns: CODEBOOK_COLUMNS },
    ];
    await copyFile(REPORT_SCHEMA, join(partial, 'schema', 'report.schema.json'));
    await writeFile(join(partial, 'schema', 'columns.json'), columnsJson(shapes));
    await writeFile(join(partial, 'schema', 'tables.sql'), tablesSql(shapes));
    await writeFile(join(partial, 'LICENSE'), licenceText(name));
    await writeFile(join(partial, 'CITATION.cff'), citationFor(version, date));

    const manifest: Manifest = {
      name,
      dataset_version: version,
      format_version: FORMAT_VERSION,
      created_at: createdAt,
      licence: LICENCE_ID,
      reports,
      extractors,
      tables: tableRows,
      files: [],
    };
    await writeFile(join(partial, 'README.md'), readmeMarkdown(manifest, options.formats));
    manifest.files = await describeFiles(partial);
    await writeFile(join(partial, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    await writeFile(join(partial, 'SHA256SUMS'), sha256sums(await describeFiles(partial, ['SHA256SUMS'])));
    await rename(partial, directory);
    partial = null;
    return { directory, manifest };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
    if (partial) await rm(partial, { recursive: true, force: true }).catch(() => {});
  }
}
