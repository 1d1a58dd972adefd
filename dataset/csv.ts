// CSV files of the export: streamed out of Postgres by COPY … TO STDOUT (constant memory), written twice in one pass:
// plain UTF-8 with NEWLINE as COPY makes it, and an Excel-friendly copy (UTF-8 BOM, CRLF between records).
import { createWriteStream, type WriteStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const QUOTE = 0x22;
const NEWLINE = 0x0a;
const CRLF = Buffer.from('\r\n');

/** Passes COPY's bytes through unchanged and writes the Excel variant beside them: a record's NEWLINE becomes CRLF, a
 *  line break inside a quoted field stays as it is. UTF-8 continuation bytes never equal `"` or NEWLINE, so scanning
 *  bytes is safe. Counts records (the header included) as they pass. */
class ExcelVariant extends Transform {
  private quoted = false;
  records = 0;

  constructor(
    private readonly excel: WriteStream,
    private readonly onRecords: (records: number) => void,
  ) {
    super();
    excel.write(BOM);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const parts: Buffer[] = [];
    let from = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === QUOTE) this.quoted = !this.quoted;
      else if (byte === NEWLINE && !this.quoted) {
        parts.push(chunk.subarray(from, i), CRLF);
        from = i + 1;
        this.records++;
      }
    }
    parts.push(chunk.subarray(from));
    this.onRecords(this.records);
    this.push(chunk);
    if (this.excel.write(Buffer.concat(parts))) done();
    else this.excel.once('drain', () => done());
  }

  override _flush(done: TransformCallback): void {
    this.excel.end((err?: Error | null) => done(err));
  }
}

export interface CsvResult {
  rows: number;
}

/** COPY (`sql`) into `plainPath` and its Excel variant `excelPath`; `onRows` hears the data rows written so far. */
export async function copyCsv(
  client: pg.PoolClient,
  sql: string,
  plainPath: string,
  excelPath: string,
  onRows: (rows: number) => void,
): Promise<CsvResult> {
  const source = client.query(copyTo(`COPY (${sql}) TO STDOUT WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')`));
  const excel = createWriteStream(excelPath);
  const variant = new ExcelVariant(excel, (records) => onRows(Math.max(0, records - 1)));
  excel.on('error', (err) => variant.destroy(err));
  await pipeline(source, variant, createWriteStream(plainPath));
  if (variant.records !== source.rowCount + 1)
    throw new Error(`CSV of ${plainPath}: ${variant.records - 1} records written, COPY sent ${source.rowCount} rows`);
  return { rows: source.rowCount };
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break (as COPY's csv format does). */
export function csvField(value: unknown): string {
  const text = value == null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Small in-memory tables (the codebook): both variants from rows of fields. */
export function csvTexts(header: string[], rows: unknown[][]): { plain: string; excel: Buffer } {
  const lines = [header, ...rows].map((fields) => fields.map(csvField).join(','));
  return { plain: lines.join('\n') + '\n', excel: Buffer.concat([BOM, Buffer.from(lines.join('\r\n') + '\r\n')]) };
}
