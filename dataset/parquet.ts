// Parquet files of the export: rows pulled from a server-side cursor in batches and written in bounded row groups
// (hyparquet-writer's parquetWriteRows), so memory does not grow with the table.
import type pg from 'pg';
import { fileWriter, parquetWriteRows, type BasicType } from 'hyparquet-writer';
import type { Column, ColumnType } from './tables.ts';

export const PARQUET_TYPE: Record<ColumnType, BasicType> = {
  string: 'STRING',
  integer: 'INT32',
  number: 'DOUBLE',
  timestamp: 'TIMESTAMP',
  boolean: 'BOOLEAN',
};

/** Rows per cursor fetch. */
const BATCH = 5_000;
/** Values per row group: memory is bounded by one group, so a wide table gets fewer rows per group. */
const GROUP_VALUES = 1_000_000;

export function rowGroupRows(columns: number): number {
  return Math.min(50_000, Math.max(1_000, Math.floor(GROUP_VALUES / columns)));
}

/** pg returns numeric as text (exact); Parquet holds it as DOUBLE. */
function converter(type: ColumnType): (value: unknown) => unknown {
  if (type === 'number') return (value) => (value == null ? null : Number(value));
  if (type === 'integer') return (value) => (value == null ? null : Number(value));
  return (value) => value ?? null;
}

async function* cursorRows(
  client: pg.PoolClient,
  sql: string,
  columns: Column[],
  onRows: (rows: number) => void,
): AsyncGenerator<Record<string, unknown>> {
  const convert = columns.map((column) => [column.name, converter(column.type)] as const);
  await client.query(`DECLARE export_rows NO SCROLL CURSOR FOR ${sql}`);
  let done = 0;
  try {
    for (;;) {
      const { rows } = await client.query(`FETCH ${BATCH} FROM export_rows`);
      if (!rows.length) break;
      for (const row of rows) {
        const out: Record<string, unknown> = {};
        for (const [name, convertValue] of convert) out[name] = convertValue(row[name]);
        yield out;
      }
      done += rows.length;
      onRows(done);
    }
  } finally {
    await client.query('CLOSE export_rows');
  }
}

/** Writes `sql`'s rows to `path`; runs inside the caller's transaction (a cursor needs one). */
export async function writeParquet(
  client: pg.PoolClient,
  sql: string,
  columns: Column[],
  path: string,
  meta: Record<string, string>,
  onRows: (rows: number) => void,
): Promise<{ rows: number }> {
  let rows = 0;
  await parquetWriteRows({
    writer: fileWriter(path),
    rows: cursorRows(client, sql, columns, (done) => {
      rows = done;
      onRows(done);
    }),
    columns: columns.map((column) => ({ name: column.name, type: PARQUET_TYPE[column.type], nullable: true })),
    rowGroupSize: rowGroupRows(columns.length),
    kvMetadata: Object.entries(meta).map(([key, value]) => ({ key, value })),
    createdBy: 'nianbao export (hyparquet-writer)',
  });
  return { rows };
}

/** In-memory rows (the codebook) as Parquet. */
export async function writeParquetRows(
  rows: Array<Record<string, unknown>>,
  columns: Array<Pick<Column, 'name' | 'type'>>,
  path: string,
  meta: Record<string, string>,
): Promise<void> {
  await parquetWriteRows({
    writer: fileWriter(path),
    rows,
    columns: columns.map((column) => ({ name: column.name, type: PARQUET_TYPE[column.type], nullable: true })),
    kvMetadata: Object.entries(meta).map(([key, value]) => ({ key, value })),
    createdBy: 'nianbao export (hyparquet-writer)',
  });
}
