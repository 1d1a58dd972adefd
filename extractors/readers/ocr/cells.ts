// OCR table cells in number columns. A column is a number column when most of its cells in data rows (rows with a
// number) read as numbers: that is the evidence for reading a letter as the digit it resembles (O/D → 0,
// l/I/| → 1, S → 5, B → 8). Such a cell gets a confidence just under the mapper's threshold, so only an arithmetic
// check that holds keeps it. Anything else in a number column that is not a value (OCR debris read as "理工", "a")
// becomes "?": a value that is not a number, flagged by the mapper, instead of a label that would shift the row's
// numbers into the wrong columns.
import type { TableCell } from '../../model.ts';
import { OCR_MIN_CONFIDENCE, type Scored } from '../../template/confidence.ts';
import { isValueText } from '../../template/numbers.ts';

/** A number as OCR words print it: a sign, digits with thousands commas, a fraction. */
export const OCR_NUMBER = /^[+-]?\d[\d,]*(\.\d+)?$/;
const LOOKALIKES: Record<string, string> = {
  O: '0',
  o: '0',
  D: '0',
  Q: '0',
  l: '1',
  I: '1',
  '|': '1',
  i: '1',
  S: '5',
  s: '5',
  B: '8',
};
const LOOKALIKE = /^[\dOoDQlI|iSsB,.]+$/;

const asDigits = (text: string) => [...text].map((ch) => LOOKALIKES[ch] ?? ch).join('');

export function settleNumberColumns(rows: Scored<TableCell>[][]): void {
  const scored = rows.some((row) => row.some((cell) => cell.confidence !== undefined));
  if (!scored) return;
  // a data row holds a number (or digits among look-alikes); header rows hold none
  const numberLike = (text: string) =>
    OCR_NUMBER.test(text) || (/\d/.test(text) && LOOKALIKE.test(text) && OCR_NUMBER.test(asDigits(text)));
  const dataRows = rows.filter((row) => row.some((cell) => cell.origin && numberLike(cell.text.trim())));
  const width = Math.max(0, ...rows.map((row) => row.length));
  for (let col = 0; col < width; col++) {
    const cells = dataRows.map((row) => row[col]).filter((cell) => cell?.origin && cell.text.trim());
    const numeric = cells.filter((cell) => OCR_NUMBER.test(cell.text.trim())).length;
    if (numeric < 3 || numeric < 0.6 * cells.length) continue;
    for (const cell of cells) {
      const text = cell.text.trim();
      if (cell.confidence === undefined || OCR_NUMBER.test(text)) continue;
      if (LOOKALIKE.test(text) && OCR_NUMBER.test(asDigits(text))) {
        cell.text = asDigits(text);
        cell.confidence = Math.min(cell.confidence, OCR_MIN_CONFIDENCE - 0.01);
      } else if (!isValueText(text)) cell.text = '?';
    }
  }
}

/**
 * OCR debris between two numbers of a row ("3 | 了7 | 6", a digit read with a speck beside it): a short text there
 * is no label, yet the mapper would take it for one and shift the row's numbers — where the row still adds up,
 * silently (section 四's one row read "3 4 5 15. 5 9 …" gave 行政复议 the next group's numbers). A number with a
 * speck read as a dot ("15.") is the number, just under the threshold, so only a check that holds keeps it; any
 * other short text becomes "?" (null, flagged). settleNumberColumns needs three data rows; section 四's table has one.
 */
export function settleNumberRows(rows: Scored<TableCell>[][]): void {
  for (const row of rows) {
    const cells = row.filter((cell) => cell.origin && cell.text.trim());
    for (let i = 1; i + 1 < cells.length; i++) {
      const text = cells[i].text.trim();
      if (cells[i].confidence === undefined || OCR_NUMBER.test(text) || [...text].length > 4) continue;
      if (!OCR_NUMBER.test(cells[i - 1].text.trim()) || !OCR_NUMBER.test(cells[i + 1].text.trim())) continue;
      const dotted = /^(\d{1,3})[.、．]$/.exec(text);
      if (dotted) {
        cells[i].text = dotted[1];
        cells[i].confidence = Math.min(cells[i].confidence!, OCR_MIN_CONFIDENCE - 0.01);
      } else if (!isValueText(text) && [...text].length <= 3) cells[i].text = '?';
    }
  }
}
