// `nianbao export --out DIR [--format csv,parquet] [--json]`: a dated, versioned snapshot of the current reports
// for researchers (dataset/export.ts; layout in docs/dataset.md).
import { UsageError } from '../../core/errors.ts';
import { FORMATS, exportDataset, type Format } from '../../dataset/export.ts';
import { log } from '../../core/log.ts';
import { parse } from '../args.ts';
import { trapInterrupts } from '../interrupt.ts';
import type { Command } from '../command.ts';
import { openStoreFromEnv } from '../store.ts';

const usage = `usage: nianbao export --out DIR [--format csv,parquet] [--json]

Writes DIR/nianbao-<YYYY-MM-DD>-<dataset version>/: the current reports as tables (reports, requests, active,
appeals, long, flags, coverage, rates, crosswalk, corrections, flag_reviews, codebook) in CSV (UTF-8, and an
Excel variant with BOM and CRLF) and/or Parquet (default: both), codebook.md, schema/, LICENSE (CC BY 4.0),
CITATION.cff, README.md, manifest.json (row counts, SHA-256 and size of every file) and SHA256SUMS. The dataset
version is a hash of the content: the same data gives the same version. Progress on stderr. Exit 1 when there is
nothing to export or the snapshot exists; Ctrl-C (130) or SIGTERM (143) stops it and removes the partial files.
Layout, crosswalk and rates: docs/dataset.md.
--json: {"directory","name","dataset_version","created_at","reports","tables":[{"name","rows"}],"files","bytes"}`;

export function parseFormats(raw: string | undefined): Format[] {
  if (raw === undefined) return [...FORMATS];
  const formats = raw.split(',').map((part) => part.trim());
  for (const format of formats)
    if (!(FORMATS as string[]).includes(format))
      throw new UsageError(`--format takes ${FORMATS.join(', ')} (comma-separated), got '${format || raw}'`);
  return FORMATS.filter((format) => formats.includes(format));
}

export default {
  usage,
  async run(argv) {
    const { values } = parse(argv, { out: { type: 'string' }, format: { type: 'string' } });
    if (!values.out) throw new UsageError('--out DIR is required');
    const formats = parseFormats(values.format);
    const store = await openStoreFromEnv();
    const interrupt = trapInterrupts((message) => log.warn(message));
    try {
      const { directory, manifest } = await exportDataset(store.pool, {
        out: values.out,
        formats,
        stop: () => interrupt.check(() => 'export stopped, its partial files removed; no snapshot written'),
      });
      const bytes = manifest.files.reduce((sum, file) => sum + file.bytes, 0);
      if (values.json) {
        process.stdout.write(
          JSON.stringify(
            {
              directory,
              name: manifest.name,
              dataset_version: manifest.dataset_version,
              created_at: manifest.created_at,
              reports: manifest.reports,
              tables: manifest.tables.map(({ name, rows }) => ({ name, rows })),
              files: manifest.files.length,
              bytes,
            },
            null,
            2,
          ) + '\n',
        );
        return 0;
      }
      const width = Math.max(...manifest.tables.map((table) => table.name.length));
      const lines = [
        `exported ${manifest.reports} reports, dataset version ${manifest.dataset_version}, to ${directory}`,
        ...manifest.tables.map((table) => `  ${table.name.padEnd(width)}  ${String(table.rows).padStart(9)} rows`),
        `${manifest.files.length} files, ${bytes} bytes; check with: (cd '${directory}' && sha256sum -c SHA256SUMS)`,
      ];
      process.stdout.write(lines.join('\n') + '\n');
      return 0;
    } finally {
      interrupt.dispose();
      await store.close();
    }
  },
} satisfies Command;
