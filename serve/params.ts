// Query and path parameters of the web interface and API: each is checked before it reaches SQL, and a bad one is
// a BadRequest whose message names the parameter (answered as a one-line 400).

export class BadRequest extends Error {
  override name = 'BadRequest';
}

export class NotFound extends Error {
  override name = 'NotFound';
}

export interface Paging {
  limit: number;
  offset: number;
}

export const MAX_LIMIT = 500;

function integer(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw new BadRequest(`${name} must be a whole number, got '${raw.slice(0, 40)}'`);
  const value = Number(raw);
  if (value < min || value > max) throw new BadRequest(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

export function paging(get: (name: string) => string | undefined, defaultLimit = 50): Paging {
  return {
    limit: integer('limit', get('limit'), 1, MAX_LIMIT) ?? defaultLimit,
    offset: integer('offset', get('offset'), 0, Number.MAX_SAFE_INTEGER) ?? 0,
  };
}

export function year(raw: string | undefined): number | null {
  if (raw === undefined || raw === '') return null;
  if (!/^(19|20)\d{2}$/.test(raw)) throw new BadRequest(`year must be a four-digit year, got '${raw.slice(0, 40)}'`);
  return Number(raw);
}

/** A division code: 2 (province), 4 (prefecture) or 6 (county) digits; shorter codes match by prefix. */
export function region(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  if (!/^(\d{2}|\d{4}|\d{6})$/.test(raw))
    throw new BadRequest(`region must be a division code of 2, 4 or 6 digits, got '${raw.slice(0, 40)}'`);
  return raw;
}

export const TEMPLATES = ['2021', '2019', 'pre2019', 'unknown'] as const;

export function template(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  if (!(TEMPLATES as readonly string[]).includes(raw))
    throw new BadRequest(`template must be one of ${TEMPLATES.join(', ')}, got '${raw.slice(0, 40)}'`);
  return raw;
}

export function text(name: string, raw: string | undefined, max = 200): string | null {
  if (raw === undefined || raw === '') return null;
  if (raw.length > max) throw new BadRequest(`${name} is longer than ${max} characters`);
  return raw;
}

/** A report key: the first 16 hex digits of the document's SHA-256 (reports.report_key). */
export function reportKey(raw: string): string {
  if (!/^[0-9a-f]{16}$/.test(raw))
    throw new BadRequest(`a report key is 16 lower-case hex digits, got '${raw.slice(0, 40)}'`);
  return raw;
}

/** A cell path such as requests.new.natural_person or active.fees.amount. */
export function cellPath(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  if (!/^[a-z_]+(\.[a-z_]+){1,3}$/.test(raw))
    throw new BadRequest(`cell must be a cell path such as requests.new.natural_person, got '${raw.slice(0, 60)}'`);
  return raw;
}

/** An extractor version such as 0.3.1. */
export function version(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  if (!/^[0-9A-Za-z.+-]{1,40}$/.test(raw)) throw new BadRequest(`version must be an extractor version such as 0.3.1`);
  return raw;
}

export const SEVERITIES = ['error', 'warning', 'info'] as const;

export function severity(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  if (!(SEVERITIES as readonly string[]).includes(raw))
    throw new BadRequest(`severity must be one of ${SEVERITIES.join(', ')}, got '${raw.slice(0, 40)}'`);
  return raw;
}

/** A flag code as in core/flags.ts (upper case with underscores). */
export function flagCode(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  if (!/^[A-Z][A-Z0-9_]{1,40}$/.test(raw)) throw new BadRequest(`code must be a flag code such as CELL_BLANK`);
  return raw;
}
