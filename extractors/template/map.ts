// THE template mapper: document model → the template's tables, narrative, cell provenance and cell-level flags.
// It never looks at the source format; readers differ only in how they fill the model.
import type { Block, DocumentModel } from '../model.ts';
import { flag, type Cell, type Flag, type Report, type Row } from '../report.ts';
import {
  ACTIVE_ITEM,
  ACTIVE_LAYOUT,
  APPEAL_COLUMNS,
  APPEAL_GROUPS,
  REQUEST_COLUMNS,
  REQUEST_ROWS,
  type TemplateVersion,
} from './keys.ts';
import {
  ACTIVE_KEYWORDS,
  OTHER_MISC,
  REQUEST_KEYWORDS,
  bestKey,
  fuzzyKey,
  numberingOf,
  withoutInstructions,
} from './labels.ts';
import { normalise, parseCell, type Parsed } from './numbers.ts';
import { blankAppeals, blankRows, labelsOnlyRows } from './blank.ts';
import { blocksOf, findSections, headingRegions, narrative, type SectionKey, type Sections } from './sections.ts';
import { runs, type Run, type Token } from './stream.ts';
import { detectTemplate } from './detect-template.ts';
import { arithmeticFlags } from './checks.ts';
import { alignProse } from './align.ts';
import { applyRereads, ocrConfidenceFlags } from './confidence.ts';

export type Mapped = Pick<Report, 'template' | 'active' | 'requests' | 'appeals' | 'sections' | 'flags' | 'cells'> & {
  /** Section headings found (for NOT_A_REPORT decisions upstream). */
  headings: SectionKey[];
};

interface Column {
  key: string;
  unit?: '万元';
}
interface LayoutRow {
  key: string;
  cols: Column[];
  /** The small table of the template the row is printed in (section 二's 第二十条 items); one table when absent. */
  table?: string;
  /** The template's printed column headers. */
  headers?: readonly string[];
  /** The template's printed label. */
  label: string;
}

/** `rereads`: second OCR readings of cells, by path (extract.ts, confidence.ts). */
export function mapTemplate(model: DocumentModel, rereads: ReadonlyMap<string, string> = new Map()): Mapped {
  const located = findSections(model);
  const flags: Flag[] = [];
  const cells: Cell[] = [];
  const headings = Object.keys(located.start) as SectionKey[];

  // Each table is found by its own header and row labels: in its section or under another heading of that section
  // (a renumbered body), the tightest stretch that holds it (a renumbered body's section may span another table
  // too); else its section, else (sections 二, 三) anywhere in the document.
  const region = (key: 'active' | 'requests' | 'appeals') => {
    const own = located.range[key] ? blocksOf(model, located, key) : null;
    const holding = [own, ...headingRegions(model, key).map(([from, to]) => model.blocks.slice(from, to))]
      .filter((blocks): blocks is Block[] => blocks !== null && holdsTable(key, blocks))
      .sort((x, y) => x.length - y.length);
    return holding[0] ?? own;
  };
  const activeRuns = runs(region('active') ?? model.blocks);
  const requestRuns = runs(region('requests') ?? model.blocks);
  const appealRuns = region('appeals') ? runs(region('appeals')!) : [];

  const tableText = [...activeRuns, ...requestRuns].map((r) => r.label).join('|') + '|' + headerText(model, located);
  const template = detectTemplate(
    tableText,
    normalise(model.blocks.map((b) => (b.kind === 'paragraph' ? b.text : '')).join('')),
  );

  let active: Report['active'] = null;
  let requests: Report['requests'] = null;
  let appeals: Report['appeals'] = null;
  if (template === '2019' || template === '2021') {
    const layout: LayoutRow[] = ACTIVE_LAYOUT[template].map(([key, label, cols]) => ({
      key,
      label,
      cols: cols.map(([c]) => ({ key: c, unit: c === 'amount' ? ('万元' as const) : undefined })),
      table: ACTIVE_ITEM[key],
      headers: cols.map(([, header]) => header),
    }));
    // A table printed (nearly) empty, in text that dropped its empty cells, leaves its labels only: where the runs
    // read nothing printed, its rows are read from those labels.
    const own = (key: SectionKey) => (located.range[key] ? blocksOf(model, located, key) : null);
    const filled = <K extends string>(
      key: 'active' | 'requests',
      sectionRuns: Run[],
      rows: LayoutRow[],
      printedRows: LayoutRow[],
      keywords: Array<[K, RegExp]>,
    ) => {
      const read = { cells: [] as Cell[], flags: [] as Flag[] };
      const table = fill(key, sectionRuns, rows, keywords, read.cells, read.flags);
      const blocks = read.cells.some((c) => c.raw) ? null : own(key);
      // (六)其他处理's "3.其他" has no keyword: fill tells it by the rows before it, here it is the chain's order.
      const named = key === 'requests' ? [...keywords, ['other_misc', OTHER_MISC] as [K, RegExp]] : keywords;
      const printed = blocks && labelsOnlyRows(blocks, printedRows as Array<LayoutRow & { key: K }>, named);
      if (printed) return blankRows(key, printed, printedRows, cells, flags);
      cells.push(...read.cells);
      flags.push(...read.flags);
      return table;
    };
    active = filled('active', activeRuns, layout, layout, ACTIVE_KEYWORDS);
    const requestBlocks = own('requests');
    requests = filled(
      'requests',
      requestRuns,
      requestLayout(requestRuns.map((r) => r.label).join('|'), template),
      requestLayout(requestBlocks ? paragraphText(requestBlocks) : '', template),
      REQUEST_KEYWORDS,
    );
    appeals = fillAppeals(appealRuns, cells, flags);
    const appealBlocks = !appeals ? own('appeals') : null;
    if (appealBlocks) appeals = blankAppeals(appealBlocks, cells, flags);
    for (const [key, value] of [
      ['active', active],
      ['requests', requests],
      ['appeals', appeals],
    ] as const) {
      if (value) continue;
      const section = key as SectionKey;
      flags.push(
        located.start[section] !== undefined
          ? flag('TABLES_MISSING', key, `the heading of ${key} is there but its table was not found`)
          : flag('SECTION_MISSING', key, `no ${key} section or table found`),
      );
    }
    applyRereads({ requests, appeals }, cells, flags, rereads);
    flags.push(...arithmeticFlags({ requests, appeals }));
    ocrConfidenceFlags({ active, requests, appeals }, cells, flags);
  } else if (template === 'unknown' && headings.length) {
    flags.push(flag('TEMPLATE_UNRECOGNIZED', 'template', 'no standard table layout (2019 or 2021 template) found'));
    // Section 四 is the same table in both templates: where its header is found (a page of a report whose 二/三
    // tables are elsewhere), it is read though the template cannot be told.
    if (region('appeals') && holdsTable('appeals', region('appeals')!)) appeals = fillAppeals(appealRuns, cells, flags);
    if (!appeals && (['active', 'requests', 'appeals'] as const).some((k) => located.start[k] !== undefined))
      flags.push(flag('TABLES_MISSING', 'requests', 'section headings are there but no template tables between them'));
    applyRereads({ requests, appeals }, cells, flags, rereads);
    if (appeals) flags.push(...arithmeticFlags({ requests, appeals }));
    ocrConfidenceFlags({ active, requests, appeals }, cells, flags);
  }

  const sections: Record<string, string | null> = {};
  for (const [key, name] of [
    ['overview', 'overview'],
    ['problems', 'problems'],
    ['other', 'other'],
  ] as const) {
    sections[name] = narrative(model, located, key);
    if (sections[name] === null && headings.length && template !== 'pre2019')
      flags.push(flag('SECTION_MISSING', `sections.${name}`, `section ${name} not found`));
  }
  return { template, active, requests, appeals, sections, flags, cells, headings };
}

/** Does this stretch of the document hold the table: rows of two (二) or three (三) template rows, or 四's header? */
function holdsTable(key: 'active' | 'requests' | 'appeals', blocks: Block[]): boolean {
  const found = runs(blocks).filter((run) => run.values.some((v) => v.text));
  if (key === 'appeals')
    return /行政复议/.test(found.map((r) => r.label).join('')) && found.reduce((n, r) => n + r.values.length, 0) >= 5;
  const keywords = key === 'active' ? ACTIVE_KEYWORDS : REQUEST_KEYWORDS;
  const keys = new Set(found.map((run) => bestKey(run.label, keywords, new Set())).filter(Boolean));
  return keys.size >= (key === 'active' ? 2 : 3);
}

/** Header words of the section 二/三 tables (columns), which carry the template's signature. */
function headerText(model: DocumentModel, sections: Sections): string {
  const parts: string[] = [];
  for (const key of ['active', 'requests'] as const) {
    const blocks = sections.range[key] ? blocksOf(model, sections, key) : model.blocks;
    for (const block of blocks) {
      if (block.kind === 'paragraph') parts.push(block.text);
      else
        for (const tableRow of block.rows.slice(0, 60))
          for (const cell of tableRow) if (cell.origin) parts.push(cell.text);
    }
  }
  return normalise(parts.join('|')).slice(0, 20000);
}

/** The paragraphs' text, normalised: the labels a table of only labels prints. */
function paragraphText(blocks: Block[]): string {
  return normalise(blocks.map((b) => (b.kind === 'paragraph' ? b.text : '')).join('|'));
}

/** Section 三 rows: the 2019 single （六）其他处理 or the three 2021 rows, as the table itself prints them. */
function requestLayout(labels: string, template: TemplateVersion): LayoutRow[] {
  const has2021 = /不补正|缴纳费用/.test(labels);
  const has2019 = /其他处理/.test(labels) && !has2021;
  const version = has2021 ? '2021' : has2019 ? '2019' : template;
  return REQUEST_ROWS.filter(([, , t]) => (t as readonly string[]).includes(version)).map(([key, label]) => ({
    key,
    label,
    cols: REQUEST_COLUMNS.map(([c]) => ({ key: c })),
  }));
}

function fill(
  section: 'active' | 'requests',
  sectionRuns: Run[],
  layout: LayoutRow[],
  keywords: Array<[string, RegExp]>,
  cells: Cell[],
  flags: Flag[],
): Record<string, Row | null> | null {
  const wanted = new Map(layout.map((r) => [r.key, r]));
  const out: Record<string, Row | null> = {};
  const taken = new Set<string>();
  let got = new Map<string, { run: Run; values: Token[] }>();
  let ambiguous = new Map<string, string>();
  let prev: string | null = null;
  // A table printed as prose (PDF text) is aligned by evidence; table rows name their own row.
  const prose = sectionRuns.length > 0 && sectionRuns.every((r) => !r.table);
  if (prose) {
    const keywordOf = new Map(keywords);
    ({ got, ambiguous } = alignProse(
      sectionRuns,
      layout.map((layoutRow) => ({
        key: layoutRow.key,
        cols: layoutRow.cols.length,
        keyword: layoutRow.key === 'other_misc' ? OTHER_MISC_IN_TEXT : keywordOf.get(layoutRow.key)!,
        label: normalise(layoutRow.label),
        table: layoutRow.table,
        headers: (layoutRow.headers ?? []).map(normalise),
      })),
    ));
  }
  const tableRuns = prose ? [] : withSplitRowsJoined(sectionRuns);
  const byPlace = (run: Run, prev: string | null, after: Run[]) => {
    const between = LABEL_LIKE.test(run.own) ? slotBetween(run, prev, after, layout, keywords, taken) : null;
    if (between) return { key: between, why: 'the one row missing between its neighbours' };
    const numbered = nextByNumber(run, prev, layout, taken);
    return numbered ? { key: numbered, why: 'the next row in order, numbered as it is' } : null;
  };
  for (const [runIndex, run] of tableRuns.entries()) {
    // Values continued on the next line with no label of their own (PDF text): they extend the previous row.
    // A line of empty cells only (an export's row padding, `|||||||`) prints no value and places none.
    if (!run.label && prev && !run.values.some((v) => v.text)) continue;
    if (!run.label && prev) {
      const previous = got.get(prev)!;
      if (previous.values.filter((v) => v.text).length < wanted.get(prev)!.cols.length) {
        previous.values.push(...run.values);
        continue;
      }
    }
    let key: string | null = null;
    if (
      section === 'requests' &&
      OTHER_MISC.test(run.own || run.label) &&
      (taken.has('other_no_fee') || taken.has('other_no_correction'))
    )
      key = 'other_misc';
    else {
      key = bestKey(withoutInstructions(run.label), keywords, taken);
      // A table row whose own label has no keyword (a typo, a rewording) or only that of a row already read
      // ("大量重复申请" is not 重复申请): the nearest template label, in order.
      const ownKey = run.table && run.own ? bestKey(withoutInstructions(run.own), keywords, new Set()) : null;
      const fuzzy: string | null =
        run.table && run.own && (!ownKey || taken.has(ownKey))
          ? fuzzyKey(run.own, layout, taken, prev ? layout.findIndex((r) => r.key === prev) : -1)
          : null;
      key = fuzzy ?? key;
      // A key found only in the lines above the row (a header printing 总计 over "一、"), where the row's own label
      // is numbered otherwise: not that row.
      if (key && !fuzzy && !ownKey && run.table && run.own && contradicts(numberingOf(run.own), key, layout))
        key = null;
      // No label to go by: the row's place, between its neighbours or by its numbering.
      const placed: { key: string; why: string } | null =
        !key && run.table && run.own ? byPlace(run, prev, tableRuns.slice(runIndex + 1)) : null;
      if (placed) {
        key = placed.key;
        flags.push(
          flag(
            'ROW_BY_POSITION',
            `${section}.${key}`,
            `label printed as ${JSON.stringify(run.own.slice(0, 40))} names no template row: read as ${key}, ` +
              placed.why,
          ),
        );
      }
    }
    if (!key || !wanted.has(key)) continue;
    // A table row beats a sentence of prose that happened to end in a number ("制发规范性文件 3").
    if (taken.has(key) && !(run.table && !got.get(key)!.run.table)) continue;
    // A row of blank cells only counts when its own label names the row and it has a cell per column; otherwise it
    // is a header row ("商业企业 … 其他" under "总计"; "自然人 | 法人或其他组织 | 总计 | ||||" names the columns).
    // Nor is a blank row claiming a later row before any row of the table was read: the header's bare 总计 column
    // label padded with `|||||||` sits above 一、本年新收, where the （七）总计 row cannot be.
    if (
      !run.values.some((v) => v.text) &&
      (bestKey(run.own, keywords, taken) !== key ||
        run.values.length < wanted.get(key)!.cols.length ||
        APPLICANT_HEADER.test(run.own) ||
        (!taken.size && layout[0].key !== key))
    )
      continue;
    taken.add(key);
    got.set(key, { run, values: [...run.values] });
    prev = key;
  }
  if (!got.size && !ambiguous.size) return null;
  for (const row of layout) {
    const read = got.get(row.key);
    const why = ambiguous.get(row.key);
    if (why) {
      flags.push(flag('ROW_MISSING', `${section}.${row.key}`, `row ${row.key} not read: ${why}`));
      continue;
    }
    if (!read) {
      flags.push(flag('ROW_MISSING', `${section}.${row.key}`, `row ${row.key} is not in the table`));
      continue;
    }
    out[row.key] = readRow(
      `${section}.${row.key}`,
      read.run,
      read.values,
      row.cols,
      cells,
      flags,
      section === 'requests',
    );
  }
  return out;
}

/** A label as a row prints it: an optional numbering (1. （三） 四、), then words with no digit in them. */
const LABEL_LIKE =
  /^\s*(?:\d{1,2}[.、．]?|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、.．])?\s*[^\d\s]*[\u3400-\u9fff][^\d]*[\u3400-\u9fff][^\d]*$/;

/**
 * The template row a row with an unreadable label stands for, by place alone: exactly one row of the template is
 * unread between the row read before it and the next row whose label is recognised (a table prints in template
 * order), else null. A local row a province adds sits where no template row is missing, so it never takes one.
 */
function slotBetween(
  run: Run,
  prev: string | null,
  after: Run[],
  layout: LayoutRow[],
  keywords: Array<[string, RegExp]>,
  taken: Set<string>,
): string | null {
  const slot = (prev ? layout.findIndex((row) => row.key === prev) : -1) + 1;
  if (slot >= layout.length - 1 || taken.has(layout[slot].key)) return null;
  // a whole row: a value in each of the row's columns, as the rows around it print them
  if (run.values.filter((v) => v.text).length !== layout[slot].cols.length) return null;
  const next = after.find((run) => run.label && run.values.some((v) => v.text));
  if (!next || bestKey(withoutInstructions(next.label), keywords, taken) !== layout[slot + 1].key) return null;
  return layout[slot].key;
}

/** The printed numbering is another than the template row's. */
function contradicts(printed: string | null, key: string, layout: LayoutRow[]): boolean {
  const row = layout.find((r) => r.key === key);
  const template = row ? numberingOf(row.label) : null;
  return Boolean(printed && template && printed !== template);
}

/**
 * A whole row whose words name no template row, printed with the numbering of the row that comes next in the
 * template after the last row read: that row. Order and numbering together are the evidence.
 */
function nextByNumber(run: Run, prev: string | null, layout: LayoutRow[], taken: Set<string>): string | null {
  const slot = (prev ? layout.findIndex((row) => row.key === prev) : -1) + 1;
  const row = layout[slot];
  if (!row || taken.has(row.key) || run.values.filter((v) => v.text).length !== row.cols.length) return null;
  const printed = numberingOf(run.own);
  return printed && printed === numberingOf(row.label) ? row.key : null;
}

/**
 * A row whose label and empty cells end one line and whose numbers start the next, with no label of their own (an
 * export writing `一、本年新收… |`, six `|` lines, `0 |`): one row, its empty cells placing the numbers after them.
 * Joined before the blank-row guard, which would otherwise take the empty half for a header.
 */
function withSplitRowsJoined(sectionRuns: Run[]): Run[] {
  const out: Run[] = [];
  for (const run of sectionRuns) {
    const last = out.at(-1);
    const blankHalf = last && last.table && last.label && last.values.length && !last.values.some((v) => v.text);
    if (blankHalf && run.table && !run.label && run.values.some((v) => v.text))
      out[out.length - 1] = { ...last, values: [...last.values, ...run.values] };
    else out.push(run);
  }
  return out;
}

/** Column headers of section 三 (the applicant kinds): a blank row labelled with them is the header, not a row. */
const APPLICANT_HEADER = /自然人|法人或其他组织|商业企业|科研机构|社会公益组织|法律服务机构/;

/** "3.其他" of （六）其他处理 in running text (searched after 2.…缴纳费用, so earlier 其他 are passed). */
const OTHER_MISC_IN_TEXT = /其他(?!法律|处理|对外|需要|结果|组织|情形)/;

const MAX_CELL_LABEL = 80;

function readRow(
  path: string,
  run: Run,
  tokens: Token[],
  cols: Column[],
  cells: Cell[],
  flags: Flag[],
  sumRule: boolean,
): Row {
  const columnCount = cols.length;
  // The row label as printed (its own cells, else the text before its numbers): which label the row was matched by.
  const label = (run.own || run.label.slice(-MAX_CELL_LABEL)).slice(0, MAX_CELL_LABEL);
  const values = [...tokens];
  // Blank cells beyond the columns: trailing ones first (row padding, the empty line before the next heading), so a
  // row's own leading blank keeps its column (政府集中采购 | (blank) | 209.76 | (pad) is no projects, 209.76 万元).
  while (values.length > columnCount && !values[values.length - 1].text) values.pop();
  while (values.length > columnCount && !values[0].text) values.shift();
  let offset = 0;
  let totalOnly: Token | null = null;
  const noBlanks = values.every((t) => t.text);
  if (sumRule && columnCount === 7 && noBlanks && values.length >= 2 && values.length < 7) {
    // A short row whose cells carry no column of their own (an export that drops empty cells): its last number is
    // the 总计 when it is the sum of the others; filled left to right it would land in an applicant column.
    const nums = values.map((t) => parseCell(t.text).value);
    const last = nums[nums.length - 1];
    if (nums.every((x) => x !== null) && nums.slice(0, -1).reduce((a, b) => a! + b!, 0) === last)
      totalOnly = values.pop()!;
  }
  if (values.length > columnCount) {
    // More numbers than columns: where the row total equals the sum of the six applicant columns, that alignment wins.
    if (sumRule && columnCount === 7) {
      for (let o = 0; o + columnCount <= values.length; o++) {
        const nums = values.slice(o, o + columnCount).map((t) => parseCell(t.text).value);
        if (nums.every((x) => x !== null) && nums.slice(0, 6).reduce((a, b) => a! + b!, 0) === nums[6]) {
          offset = o;
          break;
        }
      }
    }
    const extra = [...values.slice(0, offset), ...values.slice(offset + columnCount)].map((t) => t.text);
    flags.push(
      flag(
        'ROW_EXTRA_VALUES',
        path,
        `${values.length} values where ${columnCount} expected; ` +
          `read values ${offset + 1}–${offset + columnCount}, left out: ${extra.join(' ')}`,
      ),
    );
  }
  const row: Row = {};
  cols.forEach((col, index) => {
    const token = totalOnly && col.key === 'total' ? totalOnly : values[offset + index];
    const cpath = `${path}.${col.key}`;
    if (!token) {
      row[col.key] = null;
      cells.push({ path: cpath, raw: null, value: null, at: run.at, label });
      // Fewer numbers than columns (blank cells vanish from PDF text): which columns they belong to is uncertain.
      flags.push(
        flag(
          'CELL_BLANK',
          cpath,
          `no value printed for this column (${values.length + (totalOnly ? 1 : 0)} of ${columnCount} values in the row; ` +
            'their columns are uncertain)',
        ),
      );
      return;
    }
    const parsed = parseCell(token.text, col.unit);
    row[col.key] = parsed.value;
    cells.push({ path: cpath, raw: token.text, value: parsed.value, at: token.at, label });
    cellFlags(parsed, cpath, token.text, col.unit, flags);
  });
  return row;
}

/** A placeholder is null with its raw text; a unit that does not fit the column keeps the number but says so. */
function cellFlags(parsed: Parsed, path: string, raw: string, unit: '万元' | undefined, flags: Flag[]) {
  if (parsed.kind === 'blank') flags.push(flag('CELL_BLANK', path, 'blank cell'));
  if (parsed.kind === 'unparseable')
    flags.push(flag('CELL_UNPARSEABLE', path, `not a number: ${JSON.stringify(raw.slice(0, 40))}`));
  if (parsed.kind === 'number' && parsed.misfit)
    flags.push(
      flag(
        'UNIT_MISMATCH',
        path,
        `printed ${JSON.stringify(raw.slice(0, 40))}: unit ${parsed.misfit} in a ${unit ?? 'count'} column, number kept as printed`,
      ),
    );
}

/** Section 四 is one row of 15 numbers under a fixed three-level header: 复议 ×5, 直接起诉 ×5, 复议后起诉 ×5. */
function fillAppeals(sectionRuns: Run[], cells: Cell[], flags: Flag[]): Record<string, Row | null> | null {
  const tokens = sectionRuns.flatMap((r) => r.values);
  const values = [...tokens];
  while (values.length && !values[0].text && values.length > 15) values.shift();
  while (values.length > 15 && !values[values.length - 1].text) values.pop();
  if (!values.some((t) => t.text)) return null;
  if (values.length > 15)
    flags.push(
      flag(
        'ROW_EXTRA_VALUES',
        'appeals',
        `${values.length} values where 15 expected; read the first 15, left out: ${values
          .slice(15)
          .map((t) => t.text)
          .join(' ')}`,
      ),
    );
  const out: Record<string, Row | null> = {};
  APPEAL_GROUPS.forEach(([group], groupIndex) => {
    const part = values.slice(groupIndex * 5, groupIndex * 5 + 5);
    if (!part.length) {
      flags.push(flag('ROW_MISSING', `appeals.${group}`, `no values for ${group}`));
      return;
    }
    const row: Row = {};
    APPEAL_COLUMNS.forEach(([column], columnIndex) => {
      const token = part[columnIndex];
      const cpath = `appeals.${group}.${column}`;
      if (!token) {
        row[column] = null;
        cells.push({ path: cpath, raw: null, value: null, at: part[part.length - 1].at });
        flags.push(flag('CELL_BLANK', cpath, 'no value printed for this column'));
        return;
      }
      const parsed = parseCell(token.text);
      row[column] = parsed.value;
      cells.push({ path: cpath, raw: token.text, value: parsed.value, at: token.at });
      cellFlags(parsed, cpath, token.text, undefined, flags);
    });
    out[group] = row;
  });
  return out;
}
