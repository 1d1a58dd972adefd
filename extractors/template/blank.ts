// A table printed (nearly) empty, in text that drops empty cells (a web page flattened one cell per line): its
// header and row labels are left one per line, with no value, or a stray few. Its rows are there and their cells
// blank; read as runs of values, the table would be lost (TABLES_MISSING) although each of its labels is printed.
import type { Block } from '../model.ts';
import { flag, type Cell, type Flag, type Row, type SourceAt } from '../report.ts';
import { APPEAL_COLUMNS, APPEAL_GROUPS } from './keys.ts';
import { bestKey, withoutInstructions } from './labels.ts';
import { isValueText, normalise } from './numbers.ts';

/** Share of the template's rows whose labels must be printed, in order, before a labels-only table is believed. */
const MIN_ROWS_PRINTED = 0.8;
/** At most one value per this many printed rows: a table that prints its cells has at least one per row. */
const ROWS_PER_VALUE = 4;
/** A row label or column header on a line of its own; a sentence is prose, not a table's label. */
const MAX_LABEL_LINE = 60;

/** What a label may carry in digits: its numbering (1. 2、), a bracketed instruction. */
const LABEL_NUMBERING = /[（(][^（()）]*[)）]|\d{1,2}[.、．](?=\D)/g;

interface Line {
  text: string;
  at: SourceAt;
  value: boolean;
}

/** The lines of `blocks`, each a label or a value alone; null where a table prints values or a sentence has digits. */
function ownLines(blocks: Block[]): Line[] | null {
  const lines: Line[] = [];
  for (const block of blocks) {
    if (block.kind === 'table') {
      // A table printing no value: its cells are its labels, in reading order.
      if (block.rows.some((row) => row.some((cell) => isValueText(cell.text)))) return null;
      for (const row of block.rows)
        for (const cell of row)
          if (cell.origin && cell.text.trim()) lines.push({ text: normalise(cell.text), at: cell.at, value: false });
      continue;
    }
    const value = isValueText(block.text);
    // Digits outside a label's numbering ("1.属于国家秘密", "第二十条第(一)项"): prose that reports numbers.
    if (!value && /\d/.test(block.text.replace(LABEL_NUMBERING, ''))) return null;
    if (value || (block.text.length <= MAX_LABEL_LINE && !/[。；;]/.test(block.text)))
      lines.push({ text: normalise(block.text), at: block.at, value });
  }
  return lines;
}

const sparse = (lines: Line[], rows: number) =>
  lines.filter((l) => l.value).length <= Math.floor(rows / ROWS_PER_VALUE);

export interface PrintedRow {
  label: string;
  at: SourceAt;
  /** values printed between this row's label and the next row's: in text that drops empty cells, columns unknown */
  values: string[];
}

/**
 * Section 二/三 printed (nearly) empty: every line a label or a lone value, at most one value per ROWS_PER_VALUE
 * rows, and the template's row labels among them in template order (at least MIN_ROWS_PRINTED of the rows). Returns
 * each printed row with the values after its label; else null.
 */
export function labelsOnlyRows<K extends string>(
  blocks: Block[],
  layout: ReadonlyArray<{ key: K }>,
  keywords: Array<[K, RegExp]>,
): Map<K, PrintedRow> | null {
  const lines = ownLines(blocks);
  if (!lines || !sparse(lines, layout.length)) return null;
  const order = new Map(layout.map((row, index) => [row.key, index]));
  const named = lines.flatMap((line, at) => {
    const key = line.value ? null : bestKey(withoutInstructions(line.text), keywords, new Set());
    const index = key === null ? undefined : order.get(key);
    return key === null || index === undefined ? [] : [{ key, index, at }];
  });
  // The longest chain of labels in template order: a column header (the bare 总计 above the rows) falls out of it.
  const chain = named.map(() => ({ length: 1, before: -1 }));
  named.forEach((one, at) => {
    for (let earlier = 0; earlier < at; earlier++)
      if (named[earlier].index < one.index && chain[earlier].length + 1 > chain[at].length)
        chain[at] = { length: chain[earlier].length + 1, before: earlier };
  });
  const picked: typeof named = [];
  let end = chain.reduce((best, one, at) => (best < 0 || one.length > chain[best].length ? at : best), -1);
  for (; end >= 0; end = chain[end].before) picked.unshift(named[end]);
  if (picked.length < Math.ceil(layout.length * MIN_ROWS_PRINTED)) return null;
  const found = new Map<K, PrintedRow>();
  picked.forEach((one, index) => {
    const until = picked[index + 1]?.at ?? lines.length;
    const values = lines.slice(one.at + 1, until).filter((l) => l.value);
    found.set(one.key, { label: lines[one.at].text, at: lines[one.at].at, values: values.map((l) => l.text) });
  });
  return found;
}

const TABLE_BLANK_MESSAGE =
  'the table prints its labels and (nearly) no value: its cells are null, printed empty or lost';

/** The rows of a labels-only table: each printed row with its cells null; the others missing, as in any table. */
export function blankRows(
  section: 'active' | 'requests',
  printed: Map<string, PrintedRow>,
  layout: ReadonlyArray<{ key: string; cols: ReadonlyArray<{ key: string }> }>,
  cells: Cell[],
  flags: Flag[],
): Record<string, Row | null> {
  flags.push(flag('TABLE_BLANK', section, TABLE_BLANK_MESSAGE));
  const out: Record<string, Row | null> = {};
  for (const row of layout) {
    const where = printed.get(row.key);
    const path = `${section}.${row.key}`;
    if (!where) {
      flags.push(flag('ROW_MISSING', path, `row ${row.key} is not in the table`));
      continue;
    }
    if (where.values.length)
      flags.push(
        flag(
          'VALUES_UNPLACED',
          path,
          `${where.values.length} of ${row.cols.length} values printed (${where.values.join(' ')}) in text that ` +
            'drops empty cells: their columns cannot be told',
        ),
      );
    out[row.key] = blank(
      path,
      row.cols.map((c) => c.key),
      where,
      cells,
      flags,
    );
  }
  return out;
}

/** Section 四 with its group and column headers printed (行政复议, 行政诉讼, most result columns) and no value. */
export function blankAppeals(blocks: Block[], cells: Cell[], flags: Flag[]): Record<string, Row | null> | null {
  const lines = ownLines(blocks);
  if (!lines || lines.some((l) => l.value)) return null;
  const printed = (word: string) => lines.find((line) => line.text.startsWith(word));
  const header = printed('行政复议');
  const columns = APPEAL_COLUMNS.map(([, label]) => label);
  if (!header || !printed('行政诉讼') || columns.filter(printed).length < columns.length - 2) return null;
  flags.push(flag('TABLE_BLANK', 'appeals', TABLE_BLANK_MESSAGE));
  const out: Record<string, Row | null> = {};
  for (const [group, label] of APPEAL_GROUPS) {
    const at = (printed(label.split('·').pop()!) ?? header).at;
    out[group] = blank(
      `appeals.${group}`,
      APPEAL_COLUMNS.map(([column]) => column),
      { label: header.text, at },
      cells,
      flags,
    );
  }
  return out;
}

function blank(path: string, columns: string[], where: { label: string; at: SourceAt }, cells: Cell[], flags: Flag[]) {
  const row: Row = {};
  for (const column of columns) {
    row[column] = null;
    cells.push({ path: `${path}.${column}`, raw: null, value: null, at: where.at, label: where.label });
    flags.push(flag('CELL_BLANK', `${path}.${column}`, 'no value printed in a table that prints (nearly) none'));
  }
  return row;
}
