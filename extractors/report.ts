// TypeScript shape of spec/report.schema.json (the contract). The validator in validate.ts is the authority.
import type { TemplateVersion } from './template/keys.ts';

import { FLAG_SEVERITY } from '../core/flags.ts';
import type { FlagCode, Severity } from '../core/flags.ts';

// The codes and their severities live in the registry, core/flags.ts.
export type { FlagCode, Severity } from '../core/flags.ts';
export { FLAG_SEVERITY } from '../core/flags.ts';

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
  /** The row label as printed that this value was matched by (section 二/三; absent for the fixed section 四 header). */
  label?: string;
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
