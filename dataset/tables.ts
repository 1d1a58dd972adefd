// The exported tables: for each, its query and every column with its codebook entry. The export, the codebook, the
// schema files and the tests all read this one list, so a column cannot be exported undocumented.
import { FLAG_CODES } from '../core/flags.ts';
import {
  ACTIVE_CELLS,
  ACTIVE_LAYOUT,
  APPEAL_COLUMNS,
  APPEAL_GROUPS,
  REQUEST_COLUMNS,
  REQUEST_ROWS,
} from '../extractors/template/keys.ts';
import { RATES, cellSql, formulaOf, sectionColumns } from './rates.ts';
import {
  ACTIVE_COLUMN_EN,
  ACTIVE_ROW_EN,
  ACTIVE_ROW_SHORT,
  APPEAL_COLUMN_EN,
  APPEAL_GROUP_EN,
  APPLICANT_EN,
  APPLICANT_SHORT,
  REQUEST_ROW_EN,
} from './vocabulary.ts';

/** Column types of the export; Parquet and SQL types follow (dataset/parquet.ts, dataset/schema.ts). */
export type ColumnType = 'string' | 'integer' | 'number' | 'timestamp' | 'boolean';

export interface Column {
  name: string;
  label_zh: string;
  meaning_en: string;
  unit: string | null;
  type: ColumnType;
  /** Template cell path, or null for a column that is not a cell. */
  path: string | null;
  /** Allowed values (`a|b|c`), a range (`≥ 0`, `0–1`) or a pattern. */
  allowed: string | null;
  formula?: string;
  /** SQL expression of the column over the table's FROM clause. */
  sql: string;
}

export interface Table {
  name: string;
  description: string;
  /** FROM … (WHERE …) of the query. */
  from: string;
  orderBy: string;
  columns: Column[];
  /** A relation that must exist for the table to be exported (a later migration's view). */
  requires?: string;
}

const TEMPLATES = '2021|2019|pre2019|unknown';
const KINDS = 'government|office|department|township|street|zone|other';
const COUNT = '≥ 0';

function col(
  name: string,
  type: ColumnType,
  label_zh: string,
  meaning_en: string,
  more: Partial<Omit<Column, 'name' | 'type' | 'label_zh' | 'meaning_en'>> = {},
): Column {
  return { name, type, label_zh, meaning_en, unit: null, path: null, allowed: null, sql: `r.${name}`, ...more };
}

const KEY = col('report_key', 'string', '报告键', 'stable report key: first 16 hex digits of the document SHA-256', {
  allowed: '[0-9a-f]{16}',
});
const REGION = col('region_code', 'string', '行政区划代码', 'six-digit county-level division code', {
  allowed: '[0-9]{6}',
});
const YEAR = col('year', 'integer', '报告年度', 'year the report covers', { allowed: '2000–2100' });
const AGENCY = col('agency', 'string', '机关名称', 'publishing body, as printed on the report');
const AGENCY_ID = col('agency_id', 'integer', '机关编号', 'agency identity in this snapshot (same body, same id)', {
  sql: 'r.agency_id::int',
});
const TEMPLATE = col('template', 'string', '年报格式', 'template version of the report’s tables', {
  allowed: TEMPLATES,
});
/** What identifies a row of a long table in a body's series: the report and its region, year, agency, template. */
const SERIES_KEYS = [KEY, REGION, YEAR, AGENCY_ID, AGENCY, TEMPLATE];
const WIDE_LEAD = [KEY, REGION, YEAR, AGENCY, TEMPLATE];

const CURRENT = 'FROM v_reports r';
/** A wide table's rows: the leading columns and its section taken out of `data` once per row (see cellSql). */
const wideFrom = (section: string) =>
  `FROM (SELECT r.report_key, r.region_code, r.year, r.agency, r.template, ${sectionColumns([section])}
        FROM v_reports r OFFSET 0) r`;
const BY_KEY = 'r.report_key';

function cell(name: string, path: string, label: string, meaning: string, unit: string, allowed = COUNT): Column {
  return col(name, 'number', label, meaning, { unit, path, allowed, sql: cellSql(path) });
}

const requestCells = REQUEST_ROWS.flatMap(([row, rowLabel, templates]) =>
  REQUEST_COLUMNS.map(([applicant, applicantLabel]) =>
    cell(
      `${row}_${APPLICANT_SHORT[applicant]}`,
      `requests.${row}.${applicant}`,
      `${rowLabel} ${applicantLabel}`,
      `${REQUEST_ROW_EN[row]}, ${APPLICANT_EN[applicant]}${templates.length < 2 ? ` (${templates[0]} table only)` : ''}`,
      '件',
    ),
  ),
);

const activeTemplates = (row: string, column: string) =>
  (Object.keys(ACTIVE_LAYOUT) as Array<keyof typeof ACTIVE_LAYOUT>).filter((template) =>
    ACTIVE_LAYOUT[template].some(([r, , cols]) => r === row && cols.some(([c]) => c === column)),
  );
const activeCells = ACTIVE_CELLS.map(([row, column, label]) => {
  const [meaning, unit] = ACTIVE_COLUMN_EN[column];
  const templates = activeTemplates(row, column);
  return cell(
    `${ACTIVE_ROW_SHORT[row] ?? row}_${column}`,
    `active.${row}.${column}`,
    label,
    `${ACTIVE_ROW_EN[row]}: ${meaning}${templates.length < 2 ? ` (${templates[0]} table only)` : ''}`,
    unit,
    column === 'change' ? 'any number (signed)' : COUNT,
  );
});

const appealCells = APPEAL_GROUPS.flatMap(([group, groupLabel]) =>
  APPEAL_COLUMNS.map(([column, columnLabel]) =>
    cell(
      `${group}_${column}`,
      `appeals.${group}.${column}`,
      `${groupLabel} ${columnLabel}`,
      `${APPEAL_GROUP_EN[group]}: ${APPEAL_COLUMN_EN[column]}`,
      '件',
    ),
  ),
);

const quality = (name: string, severity: string, label: string) =>
  col(name, 'integer', label, `flags of severity ${severity} on the report`, {
    allowed: COUNT,
    sql: `(SELECT count(*)::int FROM report_flags f WHERE f.report_id = r.report_id AND f.severity = '${severity}')`,
  });

export const TABLES: Table[] = [
  {
    name: 'reports',
    description: 'one row per current report (the latest extractor version of each document)',
    from: CURRENT,
    orderBy: BY_KEY,
    columns: [
      KEY,
      REGION,
      col('province', 'string', '省', 'province, as the division registry names it in the report’s year'),
      col('prefecture', 'string', '地市', 'prefecture (may be 直辖 / 省直辖)'),
      col('county', 'string', '县（区）', 'county-level division'),
      YEAR,
      AGENCY,
      AGENCY_ID,
      col('agency_kind', 'string', '机关类型', 'kind of body, from its name', { allowed: KINDS }),
      TEMPLATE,
      col('title', 'string', '标题', 'report title as printed'),
      col('published_at', 'string', '发布日期', 'publication date as found (YYYY-MM-DD)', { allowed: 'YYYY-MM-DD' }),
      col('source_url', 'string', '来源网址', 'URL the document was fetched from'),
      col('fetched_at', 'timestamp', '抓取时间', 'when the document was fetched (UTC)'),
      col('document_sha256', 'string', '文档SHA-256', 'SHA-256 of the archived document bytes', {
        allowed: '[0-9a-f]{64}',
      }),
      col('extractor', 'string', '抽取程序版本', 'extractor name@version that produced the values'),
      quality('flags_error', 'error', '错误旗标数'),
      quality('flags_warning', 'warning', '警告旗标数'),
      quality('flags_info', 'info', '提示旗标数'),
    ],
  },
  {
    name: 'requests',
    description:
      'section 三 (收到和处理政府信息公开申请情况), one row per current report; blank cells are empty (never 0)',
    from: wideFrom('requests'),
    orderBy: BY_KEY,
    columns: [...WIDE_LEAD, ...requestCells],
  },
  {
    name: 'active',
    description:
      'section 二 (主动公开政府信息情况), every cell of both templates; a 2021 report has empty 2019-only columns and vice versa',
    from: wideFrom('active'),
    orderBy: BY_KEY,
    columns: [...WIDE_LEAD, ...activeCells],
  },
  {
    name: 'appeals',
    description: 'section 四 (政府信息公开行政复议、行政诉讼情况), one row per current report',
    from: wideFrom('appeals'),
    orderBy: BY_KEY,
    columns: [...WIDE_LEAD, ...appealCells],
  },
  {
    name: 'long',
    description: 'every cell of every current report, one row each, with its harmonised quantity (v_long)',
    from: 'FROM v_long r',
    orderBy: 'r.report_key, r.path',
    columns: [
      ...SERIES_KEYS,
      col(
        'quantity',
        'string',
        '统一指标',
        'harmonised quantity (crosswalk): the same name in both templates where they mean the same',
      ),
      col('applicant', 'string', '申请人类型', 'applicant column of section 三; empty elsewhere', {
        allowed: REQUEST_COLUMNS.map(([c]) => c).join('|'),
      }),
      col('path', 'string', '单元格路径', 'cell path in the report (section.row.column)'),
      col('value', 'number', '数值', 'the value as extracted; empty when the cell is blank'),
      col('flags', 'string', '旗标', 'codes of the quality flags on this cell or its row/section, separated by ;', {
        sql: "array_to_string(r.flags, ';')",
        allowed: 'codes of spec/SCHEMA.md, ;-separated',
      }),
    ],
  },
  {
    name: 'flags',
    description: 'every quality flag of every current report',
    from: "FROM report_flags f JOIN reports r ON r.id = f.report_id AND r.status = 'current'",
    orderBy: 'r.report_key, f.ord',
    columns: [
      KEY,
      col('ord', 'integer', '序号', 'position of the flag in the report', { sql: 'f.ord', allowed: COUNT }),
      col('code', 'string', '旗标代码', 'quality flag code (spec/SCHEMA.md)', {
        sql: 'f.code',
        allowed: FLAG_CODES.join('|'),
      }),
      col('severity', 'string', '严重程度', 'severity of the flag', {
        sql: 'f.severity',
        allowed: 'error|warning|info',
      }),
      col('path', 'string', '单元格路径', 'cell, row or section the flag is about', { sql: 'f.path' }),
      col('message', 'string', '说明', 'what was found, in one line', { sql: 'f.message' }),
      col('origin', 'string', '来源', 'raised by the extractor or at load time (cross-report checks)', {
        sql: 'f.origin',
        allowed: 'extractor|load',
      }),
    ],
  },
  {
    name: 'coverage',
    description: 'every county of the national registry × report year, one state per cell (v_coverage)',
    from: 'FROM v_coverage r',
    orderBy: 'r.region_code, r.year',
    columns: [
      REGION,
      col('county', 'string', '县（区）', 'county-level division'),
      col('province', 'string', '省', 'province'),
      col('prefecture', 'string', '地市', 'prefecture (may be 直辖 / 省直辖)'),
      YEAR,
      col('state', 'string', '状态', 'coverage state of the county and year', {
        allowed: 'loaded|stale|unreadable|no report listed|crawl failing|unverified|no portal',
      }),
      col('bodies', 'integer', '报告单位数', 'distinct bodies with a current report', { allowed: COUNT }),
      col('bodies_year_before', 'integer', '上年报告单位数', 'the same for the year before', { allowed: COUNT }),
      col('listed', 'integer', '列出报告数', 'report entries listed on the county’s portals', { allowed: COUNT }),
    ],
  },
  {
    name: 'rates',
    description: 'derived rates per current report (v_rates); formulas in the codebook',
    from: 'FROM v_rates r',
    orderBy: BY_KEY,
    columns: [
      ...SERIES_KEYS,
      ...RATES.map((rate) =>
        col(rate.name, 'number', rate.label_zh, rate.meaning_en, {
          unit: 'ratio',
          allowed: '0–1 (above 1 only in an inconsistent report)',
          formula: formulaOf(rate),
        }),
      ),
    ],
  },
  {
    name: 'crosswalk',
    description: 'each template’s cell path → harmonised quantity, and where the templates differ (quantity_crosswalk)',
    from: 'FROM quantity_crosswalk r',
    orderBy: 'r.template, r.path',
    columns: [
      col('template', 'string', '年报格式', 'template version', { allowed: '2019|2021|unknown' }),
      col('path', 'string', '单元格路径', 'cell path in that template'),
      col('quantity', 'string', '统一指标', 'harmonised quantity'),
      col('applicant', 'string', '申请人类型', 'applicant column of section 三; empty elsewhere', {
        allowed: REQUEST_COLUMNS.map(([c]) => c).join('|'),
      }),
      col('comparable', 'boolean', '可比', 'the other template has a cell of this quantity with the same meaning', {
        allowed: 'true|false',
      }),
      col('note', 'string', '说明', 'why not comparable, or how the printed labels differ'),
    ],
  },
  {
    name: 'corrections',
    description:
      'reviewers’ corrections in force (v_corrections): the extracted value and the corrected value side by side; the values of the other tables are never overwritten',
    from: 'FROM v_corrections r',
    orderBy: 'r.report_key, r.path',
    requires: 'v_corrections',
    columns: [
      KEY,
      col('path', 'string', '单元格路径', 'corrected cell'),
      col('extracted_value', 'number', '抽取值', 'the value the current extraction holds (empty: blank)'),
      col('corrected_value', 'number', '更正值', 'the reviewer’s value (empty: the cell is blank)'),
      col('reason', 'string', '更正理由', 'why, as the reviewer wrote it'),
      col('reviewer', 'string', '复核人', 'who corrected it'),
      col('created_at', 'timestamp', '更正时间', 'when (UTC)'),
      col('stale', 'boolean', '需复查', 'the current extraction differs from what the reviewer saw', {
        allowed: 'true|false',
      }),
      col(
        'extracted_value_at_review',
        'number',
        '复核时抽取值',
        'the extracted value the reviewer saw (differs from extracted_value when stale)',
      ),
      col('cell_present', 'boolean', '单元格仍在', 'the current extraction still has this cell', {
        allowed: 'true|false',
      }),
      col('correction_id', 'integer', '更正编号', 'the correction entry in force (cell_corrections.id)'),
      col('extractor_version_seen', 'string', '复核时抽取版本', 'extractor version the reviewer looked at'),
    ],
  },
  {
    name: 'flag_reviews',
    description:
      'reviewers’ verdicts in force on quality flags (v_flag_reviews): confirmed or dismissed, by whom, why; the flags table is unchanged by them',
    from: 'FROM v_flag_reviews r',
    orderBy: 'r.report_key, r.flag_code, r.path',
    requires: 'v_flag_reviews',
    columns: [
      KEY,
      col('flag_code', 'string', '旗标代码', 'the flag reviewed', { allowed: FLAG_CODES.join('|') }),
      col('path', 'string', '单元格路径', 'the flag’s path (empty: the whole report)'),
      col('decision', 'string', '复核结论', 'the reviewer’s verdict', { allowed: 'confirmed|dismissed' }),
      col('reason', 'string', '理由', 'why, as the reviewer wrote it'),
      col('reviewer', 'string', '复核人', 'who reviewed it'),
      col('created_at', 'timestamp', '复核时间', 'when (UTC)'),
      col('flag_still_present', 'boolean', '旗标仍在', 'the current extraction still raises this flag here', {
        allowed: 'true|false',
      }),
    ],
  },
];

/** The codebook's own columns: it is a file of the export too. */
export const CODEBOOK_COLUMNS: Array<Pick<Column, 'name' | 'type' | 'label_zh' | 'meaning_en' | 'allowed'>> = [
  {
    name: 'table',
    type: 'string',
    label_zh: '表',
    meaning_en: 'exported table (file name without extension)',
    allowed: null,
  },
  {
    name: 'name',
    type: 'string',
    label_zh: '变量名',
    meaning_en: 'column name (ASCII, ≤ 32 characters)',
    allowed: null,
  },
  {
    name: 'label_zh',
    type: 'string',
    label_zh: '中文标签',
    meaning_en: 'Chinese label, as the template prints it for a cell',
    allowed: null,
  },
  { name: 'meaning_en', type: 'string', label_zh: '英文含义', meaning_en: 'meaning in English', allowed: null },
  {
    name: 'unit',
    type: 'string',
    label_zh: '单位',
    meaning_en: 'unit (件 = pieces, 万元 = 10,000 yuan)',
    allowed: null,
  },
  {
    name: 'type',
    type: 'string',
    label_zh: '类型',
    meaning_en: 'column type',
    allowed: 'string|integer|number|timestamp|boolean',
  },
  {
    name: 'path',
    type: 'string',
    label_zh: '模板路径',
    meaning_en: 'template cell path, empty when not a cell',
    allowed: null,
  },
  { name: 'allowed', type: 'string', label_zh: '取值范围', meaning_en: 'allowed values or range', allowed: null },
  { name: 'formula', type: 'string', label_zh: '计算公式', meaning_en: 'formula of a derived column', allowed: null },
];

/** What the schema files and the README need of any exported table (the codebook's included). */
export interface TableShape {
  name: string;
  description: string;
  columns: Array<Pick<Column, 'name' | 'type' | 'label_zh' | 'meaning_en'>>;
}

/** CSV text of a value COPY would print in a Postgres-specific way: timestamps as ISO 8601 UTC, booleans as words. */
function csvSql(column: Column): string {
  if (column.type === 'timestamp')
    return `to_char((${column.sql}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  if (column.type === 'boolean') return `(${column.sql})::text`;
  return column.sql;
}

/** The SELECT of a table: its columns in order, named as exported. */
export function tableSql(table: Table, format: 'csv' | 'parquet' = 'parquet'): string {
  const list = table.columns
    .map((column) => `  ${format === 'csv' ? csvSql(column) : column.sql} AS ${column.name}`)
    .join(',\n');
  return `SELECT\n${list}\n${table.from}\nORDER BY ${table.orderBy}`;
}

/** Rows the table will have: its FROM clause alone, without computing the columns. */
export function countSql(table: Table): string {
  return `SELECT count(*)::int AS n ${table.from}`;
}
