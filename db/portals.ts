// crawlers/portals.yaml → portal entries, checked field by field (a bad entry is an error naming it, not skipped).
// The file is the human-edited layer over the national registry (data/portals/): an entry whose code is a
// registry county overrides that county's row; an entry may then omit `url` (e.g. only `enabled: false`).
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { PORTAL_PLATFORMS } from '../crawlers/platforms/names.ts';

export const PORTALS_FILE = new URL('../crawlers/portals.yaml', import.meta.url);

/** A portal as written in portals.yaml. `baseUrl` null: an override of the registry county's other fields. */
export interface PortalEntry {
  regionCode: string | null;
  name: string | null;
  baseUrl: string | null;
  platform: string;
  entryUrls: string[];
  enabled: boolean;
}

const FIELDS = new Set(['code', 'name', 'url', 'platform', 'entries', 'enabled']);

function httpUrl(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new Error(`${where}: must be a URL string`);
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new Error(`${where}: not a URL: ${value}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`${where}: not http(s): ${value}`);
  return parsed.toString();
}

export function parsePortals(text: string, file = 'portals.yaml'): PortalEntry[] {
  const doc: unknown = parse(text);
  if (doc == null) return [];
  if (!Array.isArray(doc)) throw new Error(`${file}: expected a list of portals`);
  const seen = new Set<string>();
  return doc.map((entry: unknown, index) => {
    const at = `${file} entry ${index + 1}`;
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw new Error(`${at}: expected a mapping`);
    const fields = entry as Record<string, unknown>;
    for (const field of Object.keys(fields)) if (!FIELDS.has(field)) throw new Error(`${at}: unknown field '${field}'`);
    const code = fields.code == null ? null : String(fields.code);
    if (code !== null && !/^[0-9]{6}$/.test(code)) throw new Error(`${at}: code must be 6 digits, got '${code}'`);
    if (fields.url == null && code === null) throw new Error(`${at}: needs a url, or a code to override`);
    const baseUrl = fields.url == null ? null : httpUrl(fields.url, `${at} url`);
    const identity = baseUrl ?? `code ${code}`;
    if (seen.has(identity)) throw new Error(`${at}: ${baseUrl ? `url ${baseUrl}` : identity} listed twice`);
    seen.add(identity);
    if (fields.platform != null && typeof fields.platform !== 'string')
      throw new Error(`${at}: platform must be a string`);
    if (typeof fields.platform === 'string' && fields.platform && !PORTAL_PLATFORMS.includes(fields.platform))
      throw new Error(`${at}: unknown platform '${fields.platform}' (known: ${PORTAL_PLATFORMS.join(', ')})`);
    if (fields.enabled != null && typeof fields.enabled !== 'boolean')
      throw new Error(`${at}: enabled must be true or false`);
    if (fields.entries != null && !Array.isArray(fields.entries))
      throw new Error(`${at}: entries must be a list of URLs`);
    if (fields.name != null && typeof fields.name !== 'string') throw new Error(`${at}: name must be a string`);
    return {
      regionCode: code,
      name: (fields.name as string | undefined) ?? null,
      baseUrl,
      platform: (fields.platform as string | undefined) || 'auto',
      entryUrls: ((fields.entries as unknown[] | undefined) ?? []).map((u, j) => httpUrl(u, `${at} entries[${j}]`)),
      enabled: (fields.enabled as boolean | undefined) ?? true,
    };
  });
}

export function readPortalsFile(path: string | URL = PORTALS_FILE): PortalEntry[] {
  return parsePortals(readFileSync(path, 'utf8'), String(path).split('/').pop());
}
