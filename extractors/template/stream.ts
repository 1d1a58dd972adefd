// Linearises a section into labelled value runs: each table row (origin cells only, so merged cells count once) or
// paragraph becomes tokens; labels accumulate until a row carries values, then the run {label, values} is emitted.
// This rejoins labels broken over lines ("2.其他法律行政法规禁\n止公开\n0 0 0 …") without counting positions.
import type { SourceAt } from '../report.ts';
import type { Block } from '../model.ts';
import { isValueText, normalise } from './numbers.ts';

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
}

const MAX_LABEL = 400;

export function runs(blocks: Block[]): Run[] {
  const out: Run[] = [];
  let pending = '';
  let pendingAt: SourceAt | null = null;
  for (const row of rows(blocks)) {
    const { tokens, table } = row;
    let last = -1;
    tokens.forEach((t, i) => {
      if (t.text.trim() !== '' && !isValueText(t.text)) last = i;
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
      pendingAt ??= labels[0]?.at ?? null;
      continue;
    }
    out.push({ label: (pending + own).slice(-MAX_LABEL), own, values, at: labels[0]?.at ?? pendingAt ?? values[0].at, table });
    pending = '';
    pendingAt = null;
  }
  return out;
}

interface TokenRow {
  tokens: Token[];
  table: boolean;
}

function* rows(blocks: Block[]): Generator<TokenRow> {
  for (const b of blocks) {
    if (b.kind === 'paragraph') {
      const tokens = b.text.split(/[\s\u00a0\u3000]+/).filter(Boolean).map((text) => ({ text, at: b.at }));
      if (tokens.length) yield { tokens, table: false };
      continue;
    }
    for (const r of b.rows) {
      const tokens = r.filter((c) => c.origin).map((c) => ({ text: c.text.trim(), at: c.at }));
      if (tokens.length) yield { tokens, table: true };
    }
  }
}
