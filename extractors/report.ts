// TypeScript shape of spec/report.schema.json (the contract). The validator in validate.ts is the authority.
import type { TemplateVersion } from './template/keys.ts';

export type Severity = 'error' | 'warning' | 'info';
export type FlagCode =
  | 'TEMPLATE_UNRECOGNIZED'
  | 'NOT_A_REPORT'
  | 'NO_TEXT_LAYER'
  | 'OCR_USED'
  | 'TABLES_MISSING'
  | 'SECTION_MISSING'
  | 'ROW_MISSING'
  | 'CELL_BLANK'
  | 'CELL_UNPARSEABLE'
  | 'ROW_EXTRA_VALUES'
  | 'BALANCE_MISMATCH'
  | 'ROW_TOTAL_MISMATCH'
  | 'RESULT_TOTAL_MISMATCH'
  | 'APPEALS_TOTAL_MISMATCH'
  | 'CARRYOVER_MISMATCH'
  | 'YEAR_CONFLICT'
  | 'TEMPLATE_OUTDATED'
  | 'AGENCY_UNRESOLVED'
  | 'DUPLICATE_VERSION';

export const FLAG_SEVERITY: Record<FlagCode, Severity> = {
  NOT_A_REPORT: 'error',
  NO_TEXT_LAYER: 'error',
  OCR_USED: 'info',
  TABLES_MISSING: 'error',
  TEMPLATE_UNRECOGNIZED: 'warning',
  SECTION_MISSING: 'warning',
  ROW_MISSING: 'warning',
  CELL_BLANK: 'info',
  CELL_UNPARSEABLE: 'warning',
  ROW_EXTRA_VALUES: 'warning',
  BALANCE_MISMATCH: 'error',
  ROW_TOTAL_MISMATCH: 'warning',
  RESULT_TOTAL_MISMATCH: 'warning',
  APPEALS_TOTAL_MISMATCH: 'warning',
  CARRYOVER_MISMATCH: 'warning',
  YEAR_CONFLICT: 'warning',
  TEMPLATE_OUTDATED: 'info',
  AGENCY_UNRESOLVED: 'warning',
  DUPLICATE_VERSION: 'info',
};

export interface Flag {
  code: FlagCode;
  severity: Severity;
  path?: string | null;
  message?: string;
}

/** Where a value was read: {page,bbox} for PDF, {table,row,col} for HTML/DOCX/DOC, {line} for text. */
export interface SourceAt {
  page?: number;
  bbox?: [number, number, number, number];
  table?: number;
  row?: number;
  col?: number;
  line?: number;
}

export interface Cell {
  path: string;
  raw: string | null;
  value: number | null;
  at: SourceAt;
}

export type Row = Record<string, number | null>;

export interface Report {
  schema: 'nianbao.report/1';
  template: TemplateVersion;
  title: string | null;
  agency: string | null;
  year: number | null;
  region_code: string | null;
  published_at?: string | null;
  period?: { start: string; end: string } | null;
  active: Record<string, Row | null> | null;
  requests: Record<string, Row | null> | null;
  appeals: Record<string, Row | null> | null;
  sections: Record<string, string | null>;
  flags: Flag[];
  cells: Cell[];
  /** Not in the required set: which extractor produced this (name@version), and the source format. */
  extractor?: string;
  format?: string;
}

export function flag(code: FlagCode, path: string | null, message: string): Flag {
  return { code, severity: FLAG_SEVERITY[code], path, message };
}
