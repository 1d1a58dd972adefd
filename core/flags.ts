// The registry of quality flags: the one place a code is declared. The TypeScript union, the severity map, the
// load-time set, the enum in spec/report.schema.json and the table in spec/SCHEMA.md all come from it
// (`npm run gen:flags` rewrites the two spec files; test/extract/flags-registry.test.ts fails when they drift).
// Order is the order of spec/SCHEMA.md: by the stage that finds the problem, document before table before year.

export type Severity = 'error' | 'warning' | 'info';

/** Who raises a code: a format reader, the template mapper (with extract.ts), metadata, or the store at load time. */
export type Raiser = 'reader' | 'mapper' | 'metadata' | 'loader';

export interface FlagDefinition {
  severity: Severity;
  raisedBy: readonly Raiser[];
  /** The `when` column of spec/SCHEMA.md, in Markdown. */
  meaning: string;
}

export const FLAGS = {
  NOT_A_REPORT: {
    severity: 'error',
    raisedBy: ['reader', 'mapper'],
    meaning: 'the document is not an annual report (a 年报解读, a list page, a notice)',
  },
  NO_TEXT_LAYER: {
    severity: 'error',
    raisedBy: ['reader'],
    meaning: 'PDF pages carry no text (a scan); with OCR, add `OCR_USED` (info) instead',
  },
  OCR_USED: {
    severity: 'info',
    raisedBy: ['reader'],
    meaning:
      'Scanned content was read with OCR (tesseract): PDF pages without a text layer (instead of `NO_TEXT_LAYER`), or table pictures inside an HTML or DOCX article; the message names the pages or images, words read, mean confidence, turn and deskew',
  },
  OCR_UNAVAILABLE: {
    severity: 'warning',
    raisedBy: ['reader'],
    meaning:
      'Scanned content could not be read with OCR (tesseract, its chi_sim model or pdftoppm not installed, `NIANBAO_OCR=off`, or the picture unreadable): PDF pages without a text layer (alongside `NO_TEXT_LAYER`), or table pictures inside an HTML or DOCX article (the article is read without them)',
  },
  OCR_LOW_CONFIDENCE: {
    severity: 'warning',
    raisedBy: ['mapper'],
    meaning:
      'a cell read by OCR is null, its raw text kept: tesseract was not confident of it and no arithmetic check confirms it, or a row/column check it is part of disagrees',
  },
  OCR_REREAD: {
    severity: 'info',
    raisedBy: ['mapper'],
    meaning:
      'a cell read by OCR holds its second reading (the cell cut out alone and read digits-only) instead of the first: only a row/column check that failed with the first and holds with the second makes the change; the message gives both readings',
  },
  TEXT_DIRECTION_MIXED: {
    severity: 'warning',
    raisedBy: ['reader'],
    meaning:
      'a PDF page prints numbers in another direction than the rest of its text (a sideways table beside upright text): the page is read in its main direction, and those numbers may sit in the wrong row or column',
  },
  TABLES_MISSING: {
    severity: 'error',
    raisedBy: ['mapper'],
    meaning: 'section headings are there but the tables are not (tables as images)',
  },
  TEMPLATE_UNRECOGNIZED: {
    severity: 'warning',
    raisedBy: ['mapper'],
    meaning: 'no standard table layout found',
  },
  SECTION_MISSING: {
    severity: 'warning',
    raisedBy: ['mapper'],
    meaning: 'one of the six sections is absent (`path` = `sections.<key>` or the table)',
  },
  ROW_MISSING: {
    severity: 'warning',
    raisedBy: ['mapper'],
    meaning: 'a template row is absent from a table that is otherwise there (a truncated table)',
  },
  ROW_BY_POSITION: {
    severity: 'warning',
    raisedBy: ['mapper'],
    meaning:
      'a row whose printed label names no template row (misread by OCR, garbled) is read as the one template row ' +
      'missing between its neighbours, or as the next template row in order when it prints that row’s numbering ' +
      '(二、, （一）, 3.); the message quotes the label as printed',
  },
  TABLE_BLANK: {
    severity: 'warning',
    raisedBy: ['mapper'],
    meaning:
      'a table whose header and row labels are printed, one per line, with no value or a stray few (text that ' +
      'drops empty cells): its printed rows are read with every cell null and CELL_BLANK (a row with a stray value ' +
      'also VALUES_UNPLACED); the cells were printed empty, or lost by the export',
  },
  VALUES_UNPLACED: {
    severity: 'warning',
    raisedBy: ['mapper'],
    meaning:
      'a row prints fewer values than the template has columns, in text that drops empty cells, so the column of ' +
      'each cannot be told: its cells are null and the message quotes the values as printed',
  },
  CELL_BLANK: {
    severity: 'info',
    raisedBy: ['mapper'],
    meaning: 'a cell is empty; its value is `null`',
  },
  CELL_UNPARSEABLE: {
    severity: 'warning',
    raisedBy: ['mapper'],
    meaning: 'a cell holds text that is not a number ("—", "无", "见附件"); value `null`, raw kept',
  },
  UNIT_MISMATCH: {
    severity: 'warning',
    raisedBy: ['mapper'],
    meaning:
      'a number is printed with a unit that does not fit its column (万元 in a count column, 件 in an amount); the number is kept as printed, raw kept',
  },
  ROW_EXTRA_VALUES: {
    severity: 'warning',
    raisedBy: ['mapper'],
    meaning: 'a row has more numbers than the template has columns',
  },
  BALANCE_MISMATCH: {
    severity: 'error',
    raisedBy: ['mapper'],
    meaning: 'the printed rule fails for a column: `new + carried_over ≠ total + carried_forward`',
  },
  ROW_TOTAL_MISMATCH: {
    severity: 'warning',
    raisedBy: ['mapper'],
    meaning: '`total` column ≠ sum of the six applicant columns',
  },
  RESULT_TOTAL_MISMATCH: {
    severity: 'warning',
    raisedBy: ['mapper'],
    meaning: '（七）总计 ≠ sum of the result rows （一）…（六）',
  },
  APPEALS_TOTAL_MISMATCH: {
    severity: 'warning',
    raisedBy: ['mapper'],
    meaning: 'a 总计 in section 四 ≠ its four parts',
  },
  VALUE_IMPLAUSIBLE: {
    severity: 'warning',
    raisedBy: ['mapper'],
    meaning:
      'a value is beyond what any body reports (the bounds of spec/SCHEMA.md "Plausibility"); kept as read, the message names the bound',
  },
  CARRYOVER_MISMATCH: {
    severity: 'warning',
    raisedBy: ['loader'],
    meaning:
      "across years (set when loading): this year's `carried_over` ≠ last year's `carried_forward` for the same agency",
  },
  YEAR_CONFLICT: {
    severity: 'warning',
    raisedBy: ['metadata'],
    meaning: 'title year, 统计期限 and publication date disagree',
  },
  YEAR_INFERRED: {
    severity: 'warning',
    raisedBy: ['metadata'],
    meaning:
      'neither the title nor the 统计期限 gives the year: it is taken as the year before publication, a guess to check',
  },
  TEMPLATE_OUTDATED: {
    severity: 'info',
    raisedBy: ['mapper'],
    meaning: 'the 2019 tables are used in a report for 2021 or later',
  },
  AGENCY_UNRESOLVED: {
    severity: 'warning',
    raisedBy: ['metadata'],
    meaning: 'no region code could be resolved for the agency',
  },
  DUPLICATE_VERSION: {
    severity: 'info',
    raisedBy: ['loader'],
    meaning: 'another document for the same agency and year exists (set when loading)',
  },
  REGION_CONFLICT: {
    severity: 'warning',
    raisedBy: ['loader'],
    meaning:
      "the document names another county than the portal it was listed on (set when loading): the document's region is kept, the message gives both",
  },
  LISTING_YEAR_CONFLICT: {
    severity: 'warning',
    raisedBy: ['loader'],
    meaning:
      "the document's year differs from the year its portal listing gives (set when loading): the document's year is kept, the message gives both",
  },
} as const satisfies Record<string, FlagDefinition>;

export type FlagCode = keyof typeof FLAGS;

/** Every code, in registry order. */
export const FLAG_CODES = Object.keys(FLAGS) as FlagCode[];

export const FLAG_SEVERITY = Object.fromEntries(FLAG_CODES.map((code) => [code, FLAGS[code].severity])) as {
  readonly [Code in FlagCode]: (typeof FLAGS)[Code]['severity'];
};

export const isFlagCode = (code: string): code is FlagCode => Object.hasOwn(FLAGS, code);

/** The codes `raiser` sets. */
export function flagsRaisedBy(raiser: Raiser): FlagCode[] {
  return FLAG_CODES.filter((code) => (FLAGS[code].raisedBy as readonly Raiser[]).includes(raiser));
}
