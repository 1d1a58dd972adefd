// The codebook: every column of every exported table, generated from dataset/tables.ts (never kept by hand).
// Imported by the export (codebook.csv, codebook.md) and by the web interface's codebook page.
import { CODEBOOK_COLUMNS, TABLES, type Column } from './tables.ts';

/** A column as the codebook documents it: the export's column (dataset/tables.ts) without its SQL, and its table. */
export type CodebookEntry = { table: string } & Omit<Column, 'sql'>;

/** One entry per exported column, tables in export order, columns in file order. */
export function codebook(): CodebookEntry[] {
  const entries: CodebookEntry[] = TABLES.flatMap((table) =>
    table.columns.map(({ name, label_zh, meaning_en, unit, type, path, allowed, formula }) => ({
      table: table.name,
      name,
      label_zh,
      meaning_en,
      unit,
      type,
      path,
      allowed,
      ...(formula ? { formula } : {}),
    })),
  );
  const own = CODEBOOK_COLUMNS.map((column) => ({ table: 'codebook', unit: null, path: null, ...column }));
  return [...entries, ...own];
}

/** Table descriptions, for the codebook page and the export's README. */
export function tableDescriptions(): Array<{ table: string; description: string }> {
  return [
    ...TABLES.map((table) => ({ table: table.name, description: table.description })),
    { table: 'codebook', description: 'this codebook: every column of every table' },
  ];
}
