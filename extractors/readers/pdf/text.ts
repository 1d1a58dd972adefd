// Positioned text of a PDF page: pdf.js items → lines → cell text / paragraphs. Coordinates are viewport points
// (origin top-left, y down), the same frame as the ruling tables.

import type { RawPage } from './pdfjs.ts';

export interface Item {
  str: string;
  x0: number;
  x1: number;
  /** top and baseline */
  y0: number;
  y1: number;
  size: number;
  /** OCR words only: tesseract's confidence, 0–1. */
  confidence?: number;
}

export interface Line {
  items: Item[];
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  size: number;
  text: string;
}

/** pdf.js Util.transform: first × second for 2-D affine matrices [a b c d e f]. */
export function multiply(first: number[], second: number[]): number[] {
  return [
    first[0] * second[0] + first[2] * second[1],
    first[1] * second[0] + first[3] * second[1],
    first[0] * second[2] + first[2] * second[3],
    first[1] * second[2] + first[3] * second[3],
    first[0] * second[4] + first[2] * second[5] + first[4],
    first[1] * second[4] + first[3] * second[5] + first[5],
  ];
}

export function pageItems(page: RawPage): Item[] {
  const out: Item[] = [];
  for (const raw of page.items) {
    if (!raw.str || !raw.str.trim()) continue;
    const matrix = multiply(page.transform, raw.transform);
    const size = Math.hypot(matrix[2], matrix[3]) || raw.height || 10;
    const left = matrix[4];
    const baseline = matrix[5];
    out.push({
      str: raw.str,
      x0: left,
      x1: left + (raw.width || size * raw.str.length),
      y0: baseline - size,
      y1: baseline,
      size,
      ...(raw.confidence === undefined ? {} : { confidence: raw.confidence }),
    });
  }
  return out;
}

export const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

/** Joins the items of one line: a visible gap becomes one space, touching runs are glued. */
function lineText(items: Item[]): string {
  let text = '';
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (i > 0) {
      const prev = items[i - 1];
      const gap = item.x0 - prev.x1;
      if (gap > 0.3 * Math.min(item.size, prev.size) && !text.endsWith(' ') && !item.str.startsWith(' ')) text += ' ';
    }
    text += item.str;
  }
  return text.replace(/\s+/g, ' ').trim();
}

/** Groups items into lines by vertical overlap, top to bottom, each line left to right. */
export function toLines(items: Item[]): Line[] {
  const sorted = [...items].sort((a, b) => a.y1 - b.y1 || a.x0 - b.x0);
  const lines: Item[][] = [];
  for (const item of sorted) {
    const cur = lines[lines.length - 1];
    const ref = cur?.[0];
    if (ref && Math.abs((item.y0 + item.y1) / 2 - (ref.y0 + ref.y1) / 2) < 0.5 * Math.min(item.size, ref.size))
      cur.push(item);
    else lines.push([item]);
  }
  return lines.map((lineItems) => {
    lineItems.sort((a, b) => a.x0 - b.x0);
    return {
      items: lineItems,
      x0: Math.min(...lineItems.map((i) => i.x0)),
      x1: Math.max(...lineItems.map((i) => i.x1)),
      y0: Math.min(...lineItems.map((i) => i.y0)),
      y1: Math.max(...lineItems.map((i) => i.y1)),
      size: Math.max(...lineItems.map((i) => i.size)),
      text: lineText(lineItems),
    };
  });
}

export const DIGITS = /^[+-]?[\d,.]+$/;

const charWidth = (l: Line) => (l.x1 - l.x0) / Math.max(1, [...l.text.replace(/\s/g, '')].length);

/**
 * Text of a table cell from its lines. CJK labels wrapped inside a narrow cell are glued back ("法律服务机\n构");
 * digits broken by a wrap ("1\n2") are glued into one number only when every line is digits and each broken line
 * plus the next line's first digit would not have fitted in the cell (its width less the table's cell padding):
 * a wrap, not two numbers stacked. Otherwise they stay apart ("1 2") and the mapper flags the cell.
 * `full`: digits whose last line has no room for one more digit, so the number may go on past a page break.
 */
export function cellText(lines: Line[], cellWidth: number, padding: number): { text: string; full: boolean } {
  if (!lines.length) return { text: '', full: false };
  const room = cellWidth - 2 * padding + 0.5;
  const last = lines[lines.length - 1];
  // OCR boxes hug the ink, narrower than the advance widths and side bearings the line was set with: on an OCR line
  // a line is full when 2.5 ink widths more would not fit (a stacked "3" over "4" in a roomy cell stays apart)
  const digitWidth = (l: Line) => charWidth(l) * (l.items.some((i) => i.confidence !== undefined) ? 2.5 : 1);
  if (lines.every((l) => DIGITS.test(l.text))) {
    const wrapped = lines.slice(0, -1).every((l, i) => l.x1 - l.x0 + digitWidth(lines[i + 1]) > room);
    return {
      text: lines.map((l) => l.text).join(wrapped ? '' : ' '),
      full: wrapped && last.x1 - last.x0 + digitWidth(last) > room,
    };
  }
  let text = lines[0].text;
  for (const line of lines.slice(1)) {
    const glue = CJK.test(text.slice(-1)) || CJK.test(line.text[0]) ? '' : ' ';
    text += glue + line.text;
  }
  return { text, full: false };
}

/** Page numbers and similar furniture in the top/bottom margin: not content, and not a break between tables. */
export function isFurniture(line: Line, pageHeight: number): boolean {
  const inMargin = line.y1 < pageHeight * 0.08 || line.y0 > pageHeight * 0.9;
  return inMargin && /^[-—–\s]*(第\s*)?\d+\s*(页)?\s*([/／共]\s*\d+\s*页?)?[-—–\s]*$/.test(line.text);
}

export interface Para {
  text: string;
  heading: boolean;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Lines → paragraphs: a line continues the previous one when the previous ran to the right margin and this one is
 * not indented and follows closely. Short lines (headings, table titles) stand alone.
 */
export const ENUMERATED = /^([一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．](?!\d))/;

export function toParagraphs(lines: Line[], left: number, right: number, pageWidth: number, bodySize: number): Para[] {
  const out: Para[] = [];
  let prev: Line | undefined;
  for (const line of lines) {
    const last = out[out.length - 1];
    const continues =
      prev &&
      last &&
      !last.heading &&
      !ENUMERATED.test(line.text) &&
      right - left > 0.5 * pageWidth &&
      prev.x1 >= right - 1.5 * prev.size &&
      line.x0 <= left + 0.6 * line.size &&
      line.y0 - prev.y1 < 1.2 * line.size &&
      Math.abs(line.size - prev.size) < 0.5;
    if (continues && last) {
      const glue = CJK.test(last.text.slice(-1)) || CJK.test(line.text[0]) ? '' : ' ';
      last.text += glue + line.text;
      last.x0 = Math.min(last.x0, line.x0);
      last.x1 = Math.max(last.x1, line.x1);
      last.y1 = line.y1;
    } else {
      const centred =
        Math.abs((line.x0 + line.x1) / 2 - pageWidth / 2) < 2 * line.size && line.x0 > left + 2 * line.size;
      out.push({
        text: line.text,
        heading: line.size > bodySize * 1.15 || centred,
        x0: line.x0,
        y0: line.y0,
        x1: line.x1,
        y1: line.y1,
      });
    }
    prev = line;
  }
  return out;
}

export function median(values: number[]): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
