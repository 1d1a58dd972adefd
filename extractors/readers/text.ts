// Plain text → document model. Seeds show three table layouts that text extraction leaves behind:
//  - one cell per tab-indented line, a blank line between rows (Word "save as text"); a non-indented line right
//    after a cell continues it ("商业\n企业");
//  - tab-separated rows on one line;
//  - PDF text with labels broken over lines ("规章 0 0 0"): kept as paragraphs, the mapper rejoins labels;
//  - pipe-delimited rows from web-page and PDF converters: `规章 | 0 | 0 |`, markdown `| 规章 | 0 |` (its `|---|`
//    separator skipped, `| ||||` = empty cells), and one cell per line (`0 |`), where a blank line or a label after
//    a value starts the next row. The `|` is never label text. Converters also break a row's `|`s onto lines of
//    their own: `一、本年新收… | 25 |` then `|` lines (empty cells) then `| 25 |` continue that row, and `规章` then `|`
//    is the cell-per-line layout with its separator on the next line (joinPipeLines).
// Every block carries its 1-based line number.
import type { Block, DocumentModel, Reader, TableCell } from '../model.ts';
import { decodeText } from './encoding.ts';
import { InputError } from '../../core/errors.ts';
import { isValueText } from '../template/numbers.ts';

/** `| a | b |`, `a | b |`, `| a | b`: two or more cells apart by `|` (a lone `x |` is one cell of a cell-per-line table). */
const PIPE_ROW = /^\s*\|?[^|]*(?:\|[^|]*){1,}\|?\s*$/;
const PIPE_SEPARATOR = /^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$/;
const PIPE_CELL = /^[^|]*\|\s*$/;
/** A line of pipes only (`|||||||`, `| | |`). */
const PAD_LINE = /^(?:\s*\|){2,}\s*$/;

/** The cells of a pipe row: one leading and one trailing `|` are the row's frame, not empty cells. */
function pipeCells(text: string): string[] {
  return pipeCellsAt(text).map(([cellText]) => cellText);
}

/** pipeCells with each cell's offset in `text`. */
function pipeCellsAt(text: string): Array<[string, number]> {
  const lead = text.length - text.trimStart().length;
  let body = text.trim();
  let offset = lead;
  if (body.startsWith('|')) {
    body = body.slice(1);
    offset++;
  }
  if (body.endsWith('|')) body = body.slice(0, -1);
  return body.split('|').map((part) => {
    const at = offset;
    offset += part.length + 1;
    return [part, at];
  });
}

/** A physical line of the text, or several joined into one logical row; `starts` maps offsets back to lines. */
interface LogicalLine {
  text: string;
  line: number;
  /** [offset in text, 1-based line] of each joined part, in order. */
  starts: Array<[number, number]>;
}

/**
 * Joins the lines a converter split a pipe row over. A line that is only `|`, or starts with `|`, continues the line
 * before it when that one ends with `|` and is not a markdown row (those start with `|`, and so does every next
 * row); a lone `|` after a line without any `|` closes that line as a cell of a cell-per-line table.
 */
function joinPipeLines(lines: string[]): LogicalLine[] {
  const out: LogicalLine[] = [];
  // The joined line's first and last printed characters and whether it holds a `|`, kept as it grows: reading them
  // off a text of thousands of joined parts each time would be quadratic.
  let first = '';
  let last = '';
  let hasPipe = false;
  lines.forEach((raw, index) => {
    const text = raw.replace(/\u00a0/g, ' ');
    const trimmed = text.trim();
    const prev = out.at(-1);
    const continues =
      prev &&
      trimmed.startsWith('|') &&
      // a line of pipes only after one cell of a cell-per-line table is that row's padding, not more of its cell
      !(PAD_LINE.test(trimmed) && PIPE_CELL.test(prev.text) && !prev.text.trim().startsWith('|')) &&
      prev.line + prev.starts.length - 1 === index && // the line right before, not across a blank line
      ((last === '|' && first !== '|') || (trimmed === '|' && first !== '' && !hasPipe));
    if (continues) {
      prev.starts.push([prev.text.length, index + 1]);
      prev.text += text;
      if (!first) first = trimmed[0];
    } else {
      out.push({ text, line: index + 1, starts: [[0, index + 1]] });
      first = trimmed[0] ?? '';
    }
    if (trimmed) last = trimmed[trimmed.length - 1];
    else if (!continues) last = '';
    hasPipe = (continues && hasPipe) || trimmed.includes('|');
  });
  return out;
}

/** The line a character of a logical line was printed on (binary search: a joined row may have thousands of parts). */
function lineAt(logical: LogicalLine, offset: number): number {
  const { starts } = logical;
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid][0] <= offset) low = mid;
    else high = mid - 1;
  }
  return starts[low][1];
}

/** A line of spaces only: in text that puts an empty line between lines, a table cell printed empty. */
const SPACES = /^[ \u3000]+$/;
/** What ends a stretch of cell-per-line table: a numbered heading, a sentence, another table layout. */
/** A line numbered 一、 二、 …: a heading, or a row label of section 三 (一、本年新收…). */
const NUMBERED = /^\s*[一二三四五六七八九十]+\s*[、.．]/;
/** A sub-row label numbered (一) (二) …, as section 三 prints its results. */
const SUB_ROW = /^\s*[（(][一二三四五六七八九十]+[)）]/;
const NOT_A_CELL = new RegExp(`${NUMBERED.source}|。|\\t|\\|`);
/** A line that ends a stretch of cell-per-line table. */
const endsStretch = (one: LogicalLine) =>
  one.text.length > MAX_CELL_TEXT || NOT_A_CELL.test(one.text) || one.starts.length > 1;
const MAX_CELL_TEXT = 200;

/**
 * One cell per line with an empty line after each, and cells printed empty as a line of spaces (a web page's table
 * flattened: `行政许可` / ` 148` / ` ` / ` `). Dropping those lines leaves each number alone between labels, whose row
 * nothing can tell; kept as cells, each label starts a table row and the values after it fill its columns. A line of
 * spaces counts as a cell only between two empty lines (text that separates paragraphs by such lines is not a table),
 * and only in a stretch between headings or sentences holding at least two of them, or one where the stretch is
 * plainly one cell per line otherwise. Returns, per logical line, whether it is a cell (`blank`: printed empty) or an
 * empty line inside such a table.
 */
function cellPerLine(logical: LogicalLine[], rawLines: string[]): Array<'cell' | 'blank' | 'gap' | null> {
  const out: Array<'cell' | 'blank' | 'gap' | null> = logical.map(() => null);
  const isBlankCell = (one: LogicalLine) =>
    SPACES.test(one.text) && rawLines[one.line - 2] === '' && (rawLines[one.line] ?? '') === '';
  let start = 0;
  const close = (end: number) => {
    let blanks = 0;
    for (let index = start; index < end; index++) if (isBlankCell(logical[index])) blanks++;
    // One such line is enough where the stretch is plainly a cell-per-line table.
    if (blanks >= 2 || (blanks === 1 && plainlyCellPerLine(stretchOf(logical, start, end))))
      for (let index = start; index < end; index++) {
        const text = logical[index].text;
        out[index] = isBlankCell(logical[index]) ? 'blank' : text.trim() === '' ? 'gap' : 'cell';
      }
    start = end + 1;
  };
  logical.forEach((one, index) => {
    if (endsStretch(one)) close(index);
  });
  close(logical.length);
  emptyRuns(logical, out);
  return out;
}

/** Gaps of one empty line a stretch needs before a longer run of them is read as empty cells. */
const MIN_SINGLE_GAPS = 8;
/** Two numbers apart on one line: a row printed on one line, not one cell per line. */
const NUMBERS_ON_A_LINE = /(?:^|\s)[-+]?\d+(?:\.\d+)?\s+[-+]?\d+(?:\.\d+)?(?:\s|$)/;

interface Stretch {
  /** gaps of exactly one empty line between two lines */
  singles: number;
  /** runs of two or more empty lines that end in a number or follow a label: [first empty line, length] */
  runs: Array<[number, number]>;
  /** lines that are a number, and lines of spaces only */
  values: number;
  spaces: number;
  /** some line prints two numbers apart: rows on a line, not a cell per line */
  rows: boolean;
}

/** What the lines start..end say about their layout (empty means strictly empty: a line of spaces is a cell). */
function stretchOf(logical: LogicalLine[], start: number, end: number): Stretch {
  const stretch: Stretch = { singles: 0, runs: [], values: 0, spaces: 0, rows: false };
  for (let index = start; index < end;) {
    const text = logical[index].text;
    if (text !== '') {
      if (isValueText(text)) stretch.values++;
      if (text.trim() === '') stretch.spaces++;
      if (NUMBERS_ON_A_LINE.test(text)) stretch.rows = true;
      index++;
      continue;
    }
    let length = 0;
    while (index + length < end && logical[index + length].text === '') length++;
    // Empty lines before the first or after the last line of the text separate nothing.
    if (index > 0 && index + length < logical.length) {
      if (length === 1) stretch.singles++;
      // ending in a number: empty cells before it; between two labels: a row's cells all empty (行政处罚 / 2 empty
      // lines / 行政强制)
      else if (isValueText(logical[index + length].text) || !isValueText(logical[index - 1].text))
        stretch.runs.push([index, length]);
    }
    index += length;
  }
  return stretch;
}

/** One cell per line beyond doubt: many single empty lines between cells, numbers alone on their lines. */
const plainlyCellPerLine = (stretch: Stretch) =>
  !stretch.rows && stretch.values >= 2 && stretch.singles >= MIN_SINGLE_GAPS;

/**
 * The same flattened table where the empty cells are printed as nothing at all: every cell on its own line with one
 * empty line after it, and an empty cell as one empty line more (`一、本年新收…` / 7 empty lines / ` 0`: the 总计,
 * six applicant cells empty). Only where single gaps are common (at least MIN_SINGLE_GAPS in the stretch),
 * every number stands on a line of its own, and the run ends in a number; a numbered row label (一、本年新收…)
 * followed by a number is a cell of the table, not the heading that would end it.
 */
function emptyRuns(logical: LogicalLine[], out: Array<'cell' | 'blank' | 'gap' | null>): void {
  // Strictly empty: a line of spaces is a cell printed empty (as cellPerLine reads it), not one more empty line.
  const empty = (index: number) => index < logical.length && logical[index].text === '';
  const runAfter = (index: number) => {
    let length = 0;
    while (empty(index + 1 + length)) length++;
    return length;
  };
  /** A numbered line with a number after it (across empty lines, maybe empty cells): a row label. */
  const rowLabel = (index: number) => {
    let next = index + 1;
    while (next < logical.length && logical[next].text.trim() === '') next++;
    return isValueText(logical[next]?.text ?? '');
  };
  /** A numbered line before a sub-row label (三、本年度办理结果 / (一)予以公开): a group label of the table. */
  const groupLabel = (index: number) => SUB_ROW.test(logical[index + 1 + runAfter(index)]?.text ?? '');
  let start = 0;
  const close = (end: number) => {
    const stretch = stretchOf(logical, start, end);
    const blanks = stretch.runs.filter(([first]) => out[first] === null);
    if ((blanks.length || stretch.spaces) && plainlyCellPerLine(stretch))
      for (let index = start; index < end; index++) {
        if (out[index] !== null) continue;
        const run = blanks.find(([first, length]) => index >= first && index < first + length);
        const text = logical[index].text;
        out[index] = run
          ? index === run[0]
            ? 'gap'
            : 'blank'
          : empty(index)
            ? 'gap'
            : text.trim() === ''
              ? 'blank'
              : 'cell';
      }
    start = end + 1;
  };
  logical.forEach((one, index) => {
    const rowLabelLine = NUMBERED.test(one.text) && !/[。|\t]/.test(one.text) && (rowLabel(index) || groupLabel(index));
    if (endsStretch(one) && !rowLabelLine) close(index);
  });
  close(logical.length);
}

export function readText(text: string): DocumentModel {
  const rawLines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const logical = joinPipeLines(rawLines);
  const lines = logical.map((one) => one.text);
  const cellLines = cellPerLine(logical, rawLines);
  const blocks: Block[] = [];
  let grid: TableCell[][] | null = null; // the table being built
  let row: TableCell[] | null = null; // flattened layout: the row being built
  let last: TableCell | null = null; // flattened layout: the cell a continuation line extends
  let tableStart = 0;

  const cell = (text: string, line: number): TableCell => ({
    text: text.trim(),
    at: { line },
    origin: true,
    rowspan: 1,
    colspan: 1,
  });
  /** The grid being filled; a new one, starting at `line`, when no table is open. */
  const openTable = (line: number): TableCell[][] => {
    if (!grid) {
      grid = [];
      tableStart = line;
    }
    return grid;
  };
  const endRow = () => {
    if (row && row.length) grid!.push(row);
    row = null;
    last = null;
  };
  const endTable = () => {
    endRow();
    if (grid && grid.length) blocks.push(table(grid, tableStart, blocks));
    grid = null;
  };

  logical.forEach((current, lineIndex) => {
    const line = current.line;
    const text = current.text;
    const cellLine = cellLines[lineIndex];
    if (cellLine) {
      if (cellLine === 'gap') return;
      openTable(line);
      // A label starts the next row; a value or an empty cell goes on the row being read.
      if (cellLine === 'cell' && !isValueText(text)) endRow();
      if (!row) row = [];
      row.push(cell(cellLine === 'blank' ? '' : text, line));
      last = null;
      return;
    }
    const pipeCell = PIPE_CELL.test(text) && text.indexOf('|') === text.lastIndexOf('|') && !/^\s*\|/.test(text);
    const pipeRow = !pipeCell && text.includes('|') && PIPE_ROW.test(text) && pipeCells(text).length >= 2;
    const flattened = !pipeCell && !pipeRow && /^\t[^\t]*$/.test(text);
    const tabRow = !flattened && !pipeRow && !pipeCell && text.includes('\t') && text.replace(/\t/g, '').trim() !== '';
    if (PIPE_SEPARATOR.test(text) && grid) {
      endRow();
    } else if (row && PAD_LINE.test(text)) {
      // An export closes each cell-per-line row with `|||||||`, padding it to the widest row: nothing printed there,
      // so no cells (as empty cells they would read as the row's blank last columns).
      endRow();
    } else if (pipeCell) {
      openTable(line);
      const content = text.slice(0, text.lastIndexOf('|'));
      // One cell per line: a label after the row's values is the next row's label.
      if (row && content.trim() && !isValueText(content) && row.some((c) => isValueText(c.text))) endRow();
      if (!row) row = [];
      row.push(cell(content, line));
      last = null;
    } else if (pipeRow && row && current.starts.length > 1 && !text.trim().startsWith('|')) {
      // `120 |` and the lone `|` lines of the empty cells after it, joined (joinPipeLines), inside a cell-per-line
      // row: more cells of that row, not a row of their own without a label.
      const cells = pipeCellsAt(text).map(([t, offset]) => cell(t, lineAt(current, offset)));
      if (row.some((c) => isValueText(c.text)) && !isValueText(cells[0]?.text ?? '')) endRow();
      (row ??= []).push(...cells);
      last = null;
    } else if (pipeRow) {
      endRow();
      openTable(line).push(pipeCellsAt(text).map(([t, offset]) => cell(t, lineAt(current, offset))));
    } else if (flattened) {
      openTable(line);
      if (!row) row = [];
      last = cell(text.slice(1), line);
      row.push(last);
    } else if (tabRow) {
      endRow();
      openTable(line).push(text.split('\t').map((t) => cell(t, line)));
    } else if (text.trim() === '' || /^\t+$/.test(text)) {
      endRow();
    } else if (last && lineIndex > 0 && lines[lineIndex - 1].trim() !== '' && lines[lineIndex - 1].startsWith('\t')) {
      last.text = `${last.text}\n${text.trim()}`; // a cell wrapped onto a line of its own
    } else {
      endTable();
      blocks.push({ kind: 'paragraph', text: text.trim(), at: { line } });
    }
  });
  endTable();
  return { format: 'text', blocks, meta: {}, flags: [] };
}

/** Pads ragged rows so the grid is rectangular; the padding is not an origin cell (nothing was printed there). */
function table(grid: TableCell[][], line: number, blocks: Block[]): Block {
  const width = Math.max(...grid.map((r) => r.length));
  const rows = grid.map((row) => [
    ...row,
    ...Array.from({ length: width - row.length }, () => ({
      text: '',
      at: row[row.length - 1]?.at ?? { line },
      origin: false,
      rowspan: 1,
      colspan: 1,
    })),
  ]);
  const index = blocks.filter((b) => b.kind === 'table').length;
  return { kind: 'table', index, rows, at: { line } };
}

/** A report is tens of KB of text; anything this large is a log, a dump or an attack, not a report. */
export const MAX_TEXT_BYTES = 4 * 1024 * 1024;
/**
 * Table cells a text may make (tabs and pipes separate them): a report has a few hundred. Each cell is an object of
 * ~200 bytes, so 15 MB of tabs took 2.6 GB before this budget.
 */
export const MAX_TEXT_CELLS = 200_000;

const reader: Reader = async (bytes) => {
  if (bytes.length > MAX_TEXT_BYTES)
    throw new InputError(
      `text file of ${(bytes.length / 1048576).toFixed(1)} MB exceeds the ${MAX_TEXT_BYTES / 1048576} MB limit: not a report`,
    );
  const text = decodeText(bytes);
  let separators = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code === 9 || code === 124) && ++separators > MAX_TEXT_CELLS)
      throw new InputError(`text with more than ${MAX_TEXT_CELLS} table cells (tabs or pipes): not a report`);
  }
  return readText(text);
};
export default reader;
