// crawlers/portals.yaml → portal entries, checked field by field (a bad entry is an error naming it, not skipped).
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { PORTAL_PLATFORMS } from '../crawlers/platforms/names.ts';
import type { Portal } from './store-types.ts';

export const PORTALS_FILE = new URL('../crawlers/portals.yaml', import.meta.url);

/** A portal as written in portals.yaml: everything but the database id. */
export type PortalEntry = Omit<Portal, 'id'>;

const FIELDS = new Set(['code', 'name', 'url', 'platform', 'entries', 'enabled']);

function httpUrl(v: unknown, where: string): string {
  if (typeof v !== 'string') throw new Error(`${where}: must be a URL string`);
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new Error(`${where}: not a URL: ${v}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`${where}: not http(s): ${v}`);
  return u.toString();
}

export function parsePortals(text: string, file = 'portals.yaml'): PortalEntry[] {
  const doc: unknown = parse(text);
  if (doc == null) return [];
  if (!Array.isArray(doc)) throw new Error(`${file}: expected a list of portals`);
  const seen = new Set<string>();
  return doc.map((e: unknown, i) => {
    const at = `${file} entry ${i + 1}`;
    if (!e || typeof e !== 'object' || Array.isArray(e)) throw new Error(`${at}: expected a mapping`);
    const o = e as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!FIELDS.has(k)) throw new Error(`${at}: unknown field '${k}'`);
    const code = o.code == null ? null : String(o.code);
    if (code !== null && !/^[0-9]{6}$/.test(code)) throw new Error(`${at}: code must be 6 digits, got '${code}'`);
    const baseUrl = httpUrl(o.url, `${at} url`);
    if (seen.has(baseUrl)) throw new Error(`${at}: url ${baseUrl} listed twice`);
    seen.add(baseUrl);
    if (o.platform != null && typeof o.platform !== 'string') throw new Error(`${at}: platform must be a string`);
    if (typeof o.platform === 'string' && o.platform && !PORTAL_PLATFORMS.includes(o.platform))
      throw new Error(`${at}: unknown platform '${o.platform}' (known: ${PORTAL_PLATFORMS.join(', ')})`);
    if (o.enabled != null && typeof o.enabled !== 'boolean') throw new Error(`${at}: enabled must be true or false`);
    if (o.entries != null && !Array.isArray(o.entries)) throw new Error(`${at}: entries must be a list of URLs`);
    if (o.name != null && typeof o.name !== 'string') throw new Error(`${at}: name must be a string`);
    return {
      regionCode: code,
      name: (o.name as string | undefined) ?? null,
      baseUrl,
      platform: (o.platform as string | undefined) || 'auto',
      entryUrls: ((o.entries as unknown[] | undefined) ?? []).map((u, j) => httpUrl(u, `${at} entries[${j}]`)),
      enabled: (o.enabled as boolean | undefined) ?? true,
    };
  });
}

export function readPortalsFile(path: string | URL = PORTALS_FILE): PortalEntry[] {
  return parsePortals(readFileSync(path, 'utf8'), String(path).split('/').pop());
}
