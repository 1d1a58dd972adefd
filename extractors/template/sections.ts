// Finds the six numbered sections by their headings and cuts the document into them. A heading is a short line
// (or the start of a block) with the section's numeral (一 or 1, 、 . ． or a space) and a keyword of its title;
// table rows like "四、结转下年度继续办理" do not qualify because the keyword is missing.
import type { Block, DocumentModel } from '../model.ts';
import { normalise } from './numbers.ts';

export const SECTION_KEYS = ['overview', 'active', 'requests', 'appeals', 'problems', 'other'] as const;
export type SectionKey = (typeof SECTION_KEYS)[number];

const NUMERALS = [
  ['一', '1'],
  ['二', '2'],
  ['三', '3'],
  ['四', '4'],
  ['五', '5'],
  ['六', '6'],
];
const KEYWORDS: Record<SectionKey, RegExp> = {
  overview: /总体情况|概述|基本情况|总体/,
  active: /主动公开/,
  requests: /(收到|处理|依).*申请|申请.*(情况|处理)/,
  appeals: /复议|诉讼/,
  problems: /问题|改进/,
  other: /其他|需要报告/,
};

/** A line of the document: a paragraph, or (for headings set in a table) the text of a table row. */
export interface Line {
  block: number;
  text: string;
}

export interface Sections {
  /** Block index where each found section starts (the heading's block); sections end where the next found begins. */
  start: Partial<Record<SectionKey, number>>;
  /** [from, to) block ranges; `from` excludes the heading block unless the heading shares its block with content. */
  range: Partial<Record<SectionKey, [number, number]>>;
  /** Text following a heading inside its own block (e.g. "一、总体情况 2021年，…"). */
  tail: Partial<Record<SectionKey, string>>;
}

/**
 * Any heading numeral, for bodies that renumber their sections (the 2021 overview's five parts as sections).
 * Chinese only, and a separator after it: "2.其他法律行政法规禁止公开" and "3.其他" are table rows, and "（\n二）部分公开（…不计
 * 其他情形）" a label broken after its bracket, not headings of section 六.
 */
const ANY_NUMERAL = /^(?:第[一二三四五六七八九十]{1,3}部分[、.．:：]?|[一二三四五六七八九十]{1,3}[、.．:：])/;

/** `anyNumeral`: the heading may carry any numeral, not only the template's own for this section. */
export function headingOf(text: string, key: SectionKey, anyNumeral = false): string | null {
  const index = SECTION_KEYS.indexOf(key);
  // Word's "[bookmark: _GoBack]" and similar conversion debris may precede the heading.
  const opening = normalise(text)
    .replace(/^(?:\[[^\]]{0,40}\])+/, '')
    .slice(0, 40);
  const [chinese, arabic] = NUMERALS[index];
  const numeral = anyNumeral
    ? ANY_NUMERAL.exec(opening)
    : new RegExp(`^(?:第${chinese}部分|${chinese}|${arabic})(?:[、.,:：]|(?=[^\\d一二三四五六七八九十]))`).exec(
        opening,
      );
  if (!numeral) return null;
  const rest = opening.slice(numeral[0].length);
  // The keyword must be in the heading itself, not deep in a paragraph that happens to start with the numeral.
  const head = rest.split(/[。；;]/)[0].slice(0, 24);
  return KEYWORDS[key].test(head) ? head : null;
}

/** Sections whose keywords are distinctive enough to be found under any numeral. */
const RENUMBERED: SectionKey[] = ['appeals', 'problems', 'other'];

export function findSections(model: DocumentModel): Sections {
  const start: Sections['start'] = {};
  const tail: Sections['tail'] = {};
  let from = 0;
  for (const key of SECTION_KEYS) {
    for (let b = from; b < model.blocks.length; b++) {
      const block = model.blocks[b];
      if (block.kind !== 'paragraph') continue;
      if (!headingOf(block.text, key)) continue;
      start[key] = b;
      const rest = restAfterHeading(block.text);
      if (rest) tail[key] = rest;
      from = b + 1;
      break;
    }
  }
  // Renumbered bodies: a section not found under its own numeral may be under another, between its neighbours.
  SECTION_KEYS.forEach((key, index) => {
    if (start[key] !== undefined || !RENUMBERED.includes(key)) return;
    const before = SECTION_KEYS.slice(0, index).map((k) => start[k] ?? -1);
    const after = SECTION_KEYS.slice(index + 1).flatMap((k) => (start[k] !== undefined ? [start[k]!] : []));
    const end = Math.min(model.blocks.length, ...after);
    for (let b = Math.max(...before, -1) + 1; b < end; b++) {
      const block = model.blocks[b];
      if (block.kind !== 'paragraph' || !headingOf(block.text, key, true)) continue;
      start[key] = b;
      const rest = restAfterHeading(block.text);
      if (rest) tail[key] = rest;
      break;
    }
  });
  const found = SECTION_KEYS.filter((k) => start[k] !== undefined).sort((a, b) => start[a]! - start[b]!);
  const range: Sections['range'] = {};
  found.forEach((key, index) => {
    const next = index + 1 < found.length ? start[found[index + 1]]! : model.blocks.length;
    range[key] = [start[key]! + 1, next];
  });
  return { start, range, tail };
}

/** "一、总体情况 2021年，…" → "2021年，…": the part of a long heading paragraph that is content. */
function restAfterHeading(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length <= 30) return '';
  const heading = /^(.{2,30}?(?:情况|事项|概述))[。：:\s]*/.exec(trimmed);
  return heading ? trimmed.slice(heading[0].length).trim() : '';
}

export function blocksOf(model: DocumentModel, sections: Sections, key: SectionKey): Block[] {
  const range = sections.range[key];
  return range ? model.blocks.slice(range[0], range[1]) : [];
}

/** The narrative of a section: its paragraphs (and table text, row by row) joined by newlines. */
export function narrative(model: DocumentModel, sections: Sections, key: SectionKey): string | null {
  if (sections.start[key] === undefined) return null;
  const parts: string[] = [];
  if (sections.tail[key]) parts.push(sections.tail[key]!);
  for (const block of blocksOf(model, sections, key)) {
    if (block.kind === 'paragraph') parts.push(block.text);
    else
      for (const row of block.rows)
        parts.push(
          row
            .filter((c) => c.origin && c.text)
            .map((c) => c.text)
            .join(' '),
        );
  }
  // Lines that PDF extraction broke mid-sentence are rejoined; a line ending a sentence starts a new paragraph.
  let out = '';
  for (const part of parts.map((x) => x.trim()).filter(Boolean)) {
    if (!out) out = part;
    else if (
      /[。！？；：:…”"）)]$/.test(out) ||
      out.length - out.lastIndexOf('\n') < 20 ||
      /^([（(]?[一二三四五六七八九十\d]+[)）、.．]|[一二三四五六七八九十]是)/.test(part)
    )
      out += `\n${part}`;
    else out += part;
  }
  return out;
}

/**
 * Where else a section's table may sit: every heading of `key` under any numeral, up to the next heading of any
 * section (a body that numbers its tables anew after its own prose sections).
 */
export function headingRegions(model: DocumentModel, key: SectionKey): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const isHeading = (index: number, sectionKey: SectionKey) => {
    const block = model.blocks[index];
    return block.kind === 'paragraph' && block.text.length <= 60 && headingOf(block.text, sectionKey, true) !== null;
  };
  for (let b = 0; b < model.blocks.length; b++) {
    if (!isHeading(b, key)) continue;
    let end = b + 1;
    while (end < model.blocks.length && !SECTION_KEYS.some((k) => isHeading(end, k))) end++;
    out.push([b + 1, end]);
  }
  return out;
}
