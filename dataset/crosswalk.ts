// The crosswalk: each template's cell path → one harmonised quantity, saying where the two templates do not measure
// the same thing. Generated from the template vocabulary (extractors/template/keys.ts); the only hand-kept data is
// the section 二 column mapping below, where the 2019 (国办公开办函〔2019〕60号) and 2021 (〔2021〕30号) tables differ.
import {
  ACTIVE_LAYOUT,
  APPEAL_COLUMNS,
  APPEAL_GROUPS,
  REQUEST_COLUMNS,
  REQUEST_ROWS,
} from '../extractors/template/keys.ts';

export interface CrosswalkRow {
  /** Template version of the report: 2019, 2021, or unknown (only section 四 is read then). */
  template: '2019' | '2021' | 'unknown';
  /** Cell path as stored (report_cells.path). */
  path: string;
  /** Harmonised quantity: the same name in both templates where they mean the same. */
  quantity: string;
  /** Applicant column of section 三 (REQUEST_COLUMNS key), null elsewhere. */
  applicant: string | null;
  /** True when the other template has a cell with this quantity and the same meaning. */
  comparable: boolean;
  note: string | null;
}

interface ActiveMapping {
  quantity: string;
  comparable: boolean;
  note: string | null;
}

/** Section 二: per template, `row.column` → harmonised quantity. Rows and columns not listed keep their own name and
 *  are not comparable (the other template has no such cell). */
const ACTIVE_SAME: Record<string, ActiveMapping> = {
  '2019:regulations.new_made': {
    quantity: 'active.regulations.issued',
    comparable: true,
    note: '2019 本年新制作数量 = 2021 本年制发件数: documents made this year',
  },
  '2021:regulations.issued': {
    quantity: 'active.regulations.issued',
    comparable: true,
    note: '2021 本年制发件数 = 2019 本年新制作数量: documents made this year',
  },
  '2019:normative_documents.new_made': {
    quantity: 'active.normative_documents.issued',
    comparable: true,
    note: '2019 规范性文件 本年新制作数量 = 2021 行政规范性文件 本年制发件数',
  },
  '2021:normative_documents.issued': {
    quantity: 'active.normative_documents.issued',
    comparable: true,
    note: '2021 行政规范性文件 本年制发件数 = 2019 规范性文件 本年新制作数量',
  },
  ...Object.fromEntries(
    ['licensing', 'penalty', 'coercion'].flatMap((row) => [
      [
        `2019:${row}.decisions`,
        { quantity: `active.${row}.decisions`, comparable: true, note: '2019 处理决定数量 = 2021 本年处理决定数量' },
      ],
      [
        `2021:${row}.decisions`,
        { quantity: `active.${row}.decisions`, comparable: true, note: '2021 本年处理决定数量 = 2019 处理决定数量' },
      ],
    ]),
  ),
};

/** Why a section 二 cell of one template has no counterpart in the other. */
const ACTIVE_NOT_COMPARABLE: Record<string, string> = {
  '2019:new_published': '2019 only (本年新公开数量); the 2021 table has no such column',
  '2019:total_published':
    '2019 对外公开总数量 counts every document ever published, 2021 现行有效件数 only those in force: not the same',
  '2021:in_force':
    '2021 现行有效件数 counts documents in force, 2019 对外公开总数量 every document ever published: not the same',
  '2021:repealed': '2021 only (本年废止件数)',
  '2019:prev_items': '2019 only (上一年项目数量); the 2021 table dropped it',
  '2019:change': '2019 only (本年增/减, signed); the 2021 table dropped it',
  '2021:amount':
    '2021 行政事业性收费 本年收费金额 (万元); the 2019 row counts fee items (上一年项目数量, 本年增/减) instead',
};
const ACTIVE_ROW_NOT_COMPARABLE: Record<string, string> = {
  other_services: '2019 only (其他对外管理服务事项); removed in 2021',
  procurement: '2019 only (政府集中采购); removed in 2021',
};

function activeRows(template: '2019' | '2021'): CrosswalkRow[] {
  return ACTIVE_LAYOUT[template].flatMap(([row, , cols]) =>
    cols.map(([col]): CrosswalkRow => {
      const path = `active.${row}.${col}`;
      const same = ACTIVE_SAME[`${template}:${row}.${col}`];
      if (same) return { template, path, applicant: null, ...same };
      const note =
        ACTIVE_ROW_NOT_COMPARABLE[row] ??
        (row === 'fees' && template === '2019'
          ? '2019 行政事业性收费 counts fee items; 2021 reports the amount collected (万元) instead'
          : ACTIVE_NOT_COMPARABLE[`${template}:${col}`]);
      if (!note) throw new Error(`crosswalk: no mapping for ${template} ${path}`);
      // The 2019-only quantities are named by their 2019 cell; a distinct name keeps 2021's in_force apart from them.
      return { template, path, quantity: path, applicant: null, comparable: false, note };
    }),
  );
}

const OTHER_2019 =
  '（六）其他处理 as one row (the 2019 table): the 2021 table splits it into other_no_correction + other_no_fee + ' +
  'other_misc; only their sum compares';
const OTHER_2021 =
  '（六）其他处理 split into three rows (the 2021 table); the 2019 table prints only their sum (requests.other)';

/** Section 三: the mapper reads the （六） rows the table itself prints (a 2019 table with the 2021 rows and the
 *  reverse occur), so both variants are mapped for both templates. */
function requestRows(template: '2019' | '2021'): CrosswalkRow[] {
  return REQUEST_ROWS.flatMap(([row]) =>
    REQUEST_COLUMNS.map(([col]): CrosswalkRow => {
      const split = row.startsWith('other_');
      const single = row === 'other';
      return {
        template,
        path: `requests.${row}.${col}`,
        quantity: `requests.${row}`,
        applicant: col,
        comparable: !split && !single,
        note: single ? OTHER_2019 : split ? OTHER_2021 : null,
      };
    }),
  );
}

function appealRows(template: CrosswalkRow['template']): CrosswalkRow[] {
  return APPEAL_GROUPS.flatMap(([group]) =>
    APPEAL_COLUMNS.map(([col]) => ({
      template,
      path: `appeals.${group}.${col}`,
      quantity: `appeals.${group}.${col}`,
      applicant: null,
      comparable: true,
      note:
        template === 'unknown' ? 'section 四 is the same table in every template; read when the template is not' : null,
    })),
  );
}

/** Every (template, path) the mapper can emit, once. */
export function crosswalk(): CrosswalkRow[] {
  return [
    ...(['2019', '2021'] as const).flatMap((template) => [
      ...activeRows(template),
      ...requestRows(template),
      ...appealRows(template),
    ]),
    ...appealRows('unknown'),
  ];
}
