// The national portal seed: data/portals/county-portals.csv (one row per county-level code in force in 2024, see
// the README there). Read once; a malformed row is an error naming its line, never a silently shorter registry.
import { readFileSync } from 'node:fs';

export interface CountyPortal {
  code: string;
  name: string;
  province: string;
  prefecture: string;
  /** The listed portal; null when no public list gives one. Unverified until a crawl has seen its SiteIDCode. */
  url: string | null;
  /** Which public list the URL comes from (attribution; empty with no URL). */
  source: string | null;
  probe: string | null;
  finalUrl: string | null;
  policyUrl: string | null;
  cmsHint: string | null;
  /** Division codes a genuine portal's 网站标识码 may start with (the code and the county's earlier codes). */
  siteidPrefixes: string[];
  note: string | null;
}

const COLUMNS = [
  'code',
  'name',
  'province',
  'prefecture',
  'url',
  'source',
  'probe_2026_04',
  'final_url',
  'policy_url',
  'cms_hint',
  'siteid_prefixes',
  'note',
];

export const COUNTY_PORTALS_FILE = new URL('./portals/county-portals.csv', import.meta.url);

/** One CSV line (RFC 4180 quoting: a quoted field may hold commas and doubled quotes; no field spans lines here). */
export function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted && char === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (char === ',' && !quoted) {
      fields.push(field);
      field = '';
    } else {
      field += char;
    }
  }
  if (quoted) throw new Error('unterminated quoted field');
  fields.push(field);
  return fields;
}

export function parseCountyPortals(text: string, file = 'county-portals.csv'): CountyPortal[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0] !== COLUMNS.join(',')) throw new Error(`${file}: header is not ${COLUMNS.join(',')}`);
  const orNull = (value: string) => value.trim() || null;
  return lines.slice(1).flatMap((line, index) => {
    if (!line.trim()) return [];
    const where = `${file} line ${index + 2}`;
    let fields: string[];
    try {
      fields = csvFields(line);
    } catch (err) {
      throw new Error(`${where}: ${(err as Error).message}`);
    }
    if (fields.length !== COLUMNS.length)
      throw new Error(`${where}: ${fields.length} fields, expected ${COLUMNS.length}`);
    const [code, name, province, prefecture, url, source, probe, finalUrl, policyUrl, cmsHint, prefixes, note] =
      fields;
    if (!/^\d{6}$/.test(code)) throw new Error(`${where}: code '${code}' is not 6 digits`);
    const siteidPrefixes = prefixes.split(/\s+/).filter(Boolean);
    for (const prefix of siteidPrefixes)
      if (!/^\d{6}$/.test(prefix)) throw new Error(`${where}: siteid prefix '${prefix}' is not 6 digits`);
    return [
      {
        code,
        name,
        province,
        prefecture,
        url: orNull(url),
        source: orNull(source),
        probe: orNull(probe),
        finalUrl: orNull(finalUrl),
        policyUrl: orNull(policyUrl),
        cmsHint: orNull(cmsHint),
        siteidPrefixes,
        note: orNull(note),
      },
    ];
  });
}

let cache: CountyPortal[] | null = null;

export function loadCountyPortals(): CountyPortal[] {
  cache ??= parseCountyPortals(readFileSync(COUNTY_PORTALS_FILE, 'utf8'));
  return cache;
}
