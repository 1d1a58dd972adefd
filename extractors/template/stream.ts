// Linearises a section into labelled value runs: each table row (origin cells only, so merged cells count once) or
// paragraph becomes tokens; labels accumulate until a row carries values, then the run {label, values} is emitted.
// This rejoins labels broken over lines ("2.其他法律行政法规禁\n止公开\n0 0 0 …") without counting positions.
import type { SourceAt } from '../report.ts';
import type { Block } from '../model.ts';
import { isValueText, normalise } from './numbers.ts';
import { noteConfidence } from './confidence.ts';

export interface Token {
  text: string;
  at: SourceAt;
}

export interface Run {
  /** Everything printed as labels since the previous run, normalised (NFKC, no whitespace). */
  label: string;
  /** The labels of this run's own row only. */
  own: string;
  /** Value tokens (numbers, placeholders, and blanks when read from a table). */
  values: Token[];
  at: SourceAt;
  table: boolean;
  /** On the last run only: label text printed after its values (a label whose numbers came before it). */
  after?: string;
  /** The lines (or rows) `label` was joined from, in order: a label broken over lines, header words before it. */
  parts: string[];
}

const MAX_LABEL = 400;

export function runs(blocks: Block[]): Run[] {
  const out: Run[] = [];
  let pending = '';
  let pendingParts: string[] = [];
  let pendingAt: SourceAt | null = null;
  for (const row of rows(blocks)) {
    const { tokens, table } = row;
    let last = -1;
    tokens.forEach((token, index) => {
      if (token.text.trim() !== '' && !isValueText(token.text)) last = index;
    });
    const labels = tokens.slice(0, last + 1).filter((t) => t.text.trim() !== '');
    let values = tokens.slice(last + 1);
    // In prose, only a line that ends in numbers carries values ("规章 0 0 0").
    if (!table) values = values.filter((t) => t.text.trim() !== '');
    const own = normalise(labels.map((t) => t.text).join(''));
    const hasValue = values.some((t) => t.text.trim() !== '');
    const blankRow = table && !hasValue && values.length > 0 && own !== '';
    if (!hasValue && !blankRow) {
      pending = (pending + own).slice(-MAX_LABEL);
      if (own) pendingParts.push(own);
      pendingAt ??= labels[0]?.at ?? null;
      continue;
    }
    out.push({
      label: (pending + own).slice(-MAX_LABEL),
      own,
      values,
      at: labels[0]?.at ?? pendingAt ?? values[0].at,
      table,
      parts: own ? [...pendingParts, own] : pendingParts,
    });
    pending = '';
    pendingParts = [];
    pendingAt = null;
  }
  if (out.length && pending) out[out.length - 1].after = pending;
  return out;
}

interface TokenRow {
  tokens: Token[];
  table: boolean;
}

function* rows(blocks: Block[]): Generator<TokenRow> {
  const dense = denseLines(blocks);
  for (const [index, block] of blocks.entries()) {
    // Page furniture between table rows ("-2-", "— 3 —", "第4页"): not a value of the row it interrupts.
    if (block.kind === 'paragraph' && (PAGE_NUMBER.test(block.text) || barePageNumber(blocks, index, dense))) continue;
    if (block.kind === 'paragraph') {
      const tokens = block.text
        .split(/[\s\u00a0\u3000]+/)
        .filter(Boolean)
        .map((text) => ({ text, at: block.at }));
      // "3" then ".补正后…" on the next line (or the one after a line of numbers): the row's numbering broken off its
      // label, not a value.
      if (tokens.length === 1 && /^\d{1,2}$/.test(tokens[0].text) && numberingCut(blocks, index))
        tokens[0] = { ...tokens[0], text: `${tokens[0].text}.` };
      // …and its "." on a line of its own is the rest of the numbering, not a placeholder value.
      else if (tokens.length === 1 && /^[.．]$/.test(tokens[0].text) && /^\d{1,2}$/.test(prevText(blocks, index)))
        tokens[0] = { ...tokens[0], text: '、' };
      if (tokens.length) yield { tokens, table: false };
      continue;
    }
    for (const cells of block.rows) {
      const tokens = cells
        // a page number read as a cell where text printed the table one cell per line (`-6-` between two pages)
        .filter((c) => c.origin && !PAGE_MARK.test(c.text))
        .map((cell) => {
          noteConfidence(cell);
          return { text: cell.text.trim(), at: cell.at };
        });
      if (tokens.length) yield { tokens, table: true };
    }
  }
}

/** Page furniture: `-2-`, `— 3 —`, `第4页`, `第4页 共9页`; and, outside tables, `3/9`. */
const PAGE_MARK = /^\s*(?:[-—–－─]+\s*\d{1,4}\s*[-—–－─]+|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?)\s*$/;
const PAGE_NUMBER = new RegExp(`${PAGE_MARK.source}|^\\s*\\d{1,4}\\s*\\/\\s*\\d{1,4}\\s*$`);

/**
 * A bare "13" set apart by blank lines in text whose lines are otherwise mostly consecutive (`pdftotext -layout`):
 * the page number between two pages of a table. In text with a blank line after every line (seed 002's kind)
 * nothing is set apart, so a lone number there stays a value.
 */
function barePageNumber(blocks: Block[], index: number, dense: boolean): boolean {
  const block = blocks[index];
  if (!dense || block.kind !== 'paragraph' || !/^\s*\d{1,4}\s*$/.test(block.text) || block.at.line === undefined)
    return false;
  const [before, after] = [blocks[index - 1]?.at.line, blocks[index + 1]?.at.line];
  // At the edge of a section's blocks only the side that is there is looked at.
  if (before === undefined && after === undefined) return false;
  return (before === undefined || block.at.line - before >= 2) && (after === undefined || after - block.at.line >= 2);
}

/** Are most of these lines consecutive (no blank line between them)? */
function denseLines(blocks: Block[]): boolean {
  let consecutive = 0;
  let gaps = 0;
  for (let i = 1; i < blocks.length; i++) {
    const [previous, current] = [blocks[i - 1].at.line, blocks[i].at.line];
    if (previous === undefined || current === undefined) continue;
    gaps++;
    if (current - previous === 1) consecutive++;
  }
  return gaps > 0 && consecutive / gaps >= 0.5;
}

const prevText = (blocks: Block[], index: number) => {
  const before = blocks[index - 1];
  return before?.kind === 'paragraph' ? before.text : '';
};

/** A lone "3" whose label goes on with ".…" on the next line, or on the one after a line of numbers. */
function numberingCut(blocks: Block[], index: number): boolean {
  const para = (b: Block | undefined) => (b?.kind === 'paragraph' ? b.text : null);
  // The numbers line right after a cut-off "2" keeps its first number.
  if (/^\d{1,2}$/.test(para(blocks[index - 1]) ?? '')) return false;
  const next = para(blocks[index + 1]);
  if (next !== null && /^[.、．]/.test(next)) return true;
  const after = para(blocks[index + 2]);
  return next !== null && after !== null && /^[.、．]/.test(after) && next.split(/\s+/).every(isValueText);
}
