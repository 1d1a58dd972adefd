// The national portal registry → `portals`: one row per county-level code of data/portals/county-portals.csv, keyed
// by registry_code. The registry's URL is the row's base_url until crawlers/portals.yaml overrides it (source
// 'yaml'); a county without a URL is a row with a NULL base_url. Only rows that differ are written.
import type pg from 'pg';
import { loadCountyPortals, type CountyPortal } from '../data/portals.ts';

export interface RegistryLoad {
  /** Registry rows inserted or changed. */
  written: number;
  /** Codes whose URL another portal row already holds: loaded without a URL, named so an operator can fix it. */
  conflicts: string[];
}

function normalised(url: string | null): string | null {
  return url ? new URL(url).toString() : null;
}

export async function loadRegistryPortals(
  client: pg.PoolClient,
  rows: CountyPortal[] = loadCountyPortals(),
): Promise<RegistryLoad> {
  const col = <T>(pick: (row: CountyPortal) => T) => rows.map(pick);
  const params = [
    col((row) => row.code),
    col((row) => row.name),
    col((row) => normalised(row.url)),
    col((row) => row.source),
    col((row) => row.cmsHint),
    col((row) => row.policyUrl),
    col((row) => row.note),
    col((row) => row.siteidPrefixes.join(' ')),
  ];
  const input = `SELECT t.code, t.name, t.url, t.source, t.cms_hint, t.policy_url, t.note,
      string_to_array(nullif(t.prefixes, ''), ' ') AS prefixes
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
      AS t(code, name, url, source, cms_hint, policy_url, note, prefixes)`;
  // A row that already holds the registry's URL (a portal added by --portal or an earlier portals.yaml) becomes
  // the county's registry row instead of a duplicate, keeping its crawl history.
  await client.query(
    `UPDATE portals p SET registry_code = t.code, region_code = t.code,
       source = CASE WHEN p.source = 'manual' THEN 'registry' ELSE p.source END
     FROM (${input}) t
     WHERE p.base_url = t.url AND p.registry_code IS NULL AND (p.region_code IS NULL OR p.region_code = t.code)
       AND NOT EXISTS (SELECT 1 FROM portals q WHERE q.registry_code = t.code)`,
    params,
  );
  const { rows: conflicts } = await client.query<{ code: string }>(
    `SELECT t.code FROM (${input}) t JOIN portals p ON p.base_url = t.url AND p.registry_code IS DISTINCT FROM t.code
     ORDER BY t.code`,
    params,
  );
  const blocked = conflicts.map((row) => row.code);
  const res = await client.query(
    `INSERT INTO portals (registry_code, region_code, name, base_url, registry_url, registry_source, cms_hint, policy_url,
       note, siteid_prefixes, source)
     SELECT t.code, t.code, t.name, CASE WHEN t.code = ANY($9) THEN NULL ELSE t.url END, t.url, t.source, t.cms_hint,
       t.policy_url, t.note, coalesce(t.prefixes, '{}'), 'registry'
     FROM (${input}) t
     ON CONFLICT (registry_code) DO UPDATE SET
       registry_url = EXCLUDED.registry_url, registry_source = EXCLUDED.registry_source, cms_hint = EXCLUDED.cms_hint,
       policy_url = EXCLUDED.policy_url, note = EXCLUDED.note, siteid_prefixes = EXCLUDED.siteid_prefixes,
       name = coalesce(portals.name, EXCLUDED.name),
       base_url = CASE WHEN portals.source = 'registry' THEN EXCLUDED.base_url ELSE portals.base_url END,
       updated_at = now()
     WHERE (portals.registry_url, portals.registry_source, portals.cms_hint, portals.policy_url, portals.note,
            portals.siteid_prefixes, portals.name IS NULL)
       IS DISTINCT FROM (EXCLUDED.registry_url, EXCLUDED.registry_source, EXCLUDED.cms_hint, EXCLUDED.policy_url,
            EXCLUDED.note, EXCLUDED.siteid_prefixes, false)
       OR (portals.source = 'registry' AND portals.base_url IS DISTINCT FROM EXCLUDED.base_url)`,
    [...params, blocked],
  );
  return { written: res.rowCount ?? 0, conflicts: blocked };
}
