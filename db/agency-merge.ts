// The agency merge step: brings an existing database's agencies up to the current normaliser (db/agency.ts).
// Run by migrate inside its transaction, after the migration files and the region registry, and only when
// AGENCY_NORMALISER_VERSION differs from the version recorded in agency_normaliser (012). Every agency is
// re-normalised from its printed names; rows that became one body are merged into the lowest id (reports,
// candidates and any other reference repointed, every printed name kept in agency_names), and the load-time flags
// of the merged agencies' current reports are recomputed, so a series that was split across rows gets its
// CARRYOVER_MISMATCH / DUPLICATE_VERSION. A second run finds nothing to merge and changes nothing.
import type pg from 'pg';
import {
  AGENCY_NORMALISER_VERSION,
  TOWN_SUFFIXES,
  classifyAgency,
  normaliseAgency,
  regionNames,
  type AgencyKind,
} from './agency.ts';
import { lockAgencies, recheckLoadFlags } from './load-flags.ts';

export interface AgencyMergeResult {
  /** False: the recorded version is current (or the schema predates 012), nothing was read or written. */
  ran: boolean;
  version: string;
  /** The version recorded before this run (null: never run). */
  previous: string | null;
  agencies: number;
  /** Rows merged away into a surviving agency. */
  merged: number;
  /** Surviving rows whose norm_name or kind changed. */
  updated: number;
  reportsRepointed: number;
  candidatesRepointed: number;
  /** Current reports whose load-time flags were rewritten. */
  reflagged: number;
}

interface AgencyRow {
  id: number;
  regionCode: string | null;
  /** The region's names (regionNames), null when the agency has no region. */
  region: { prefixes: string[]; own: string[] } | null;
  norm: string;
  name: string;
  kind: AgencyKind;
  names: string[];
}

const isBare = (norm: string) => classifyAgency(norm) === 'other';

/** `force`: run even when the recorded version is current (tests: a second run must change nothing). */
export async function mergeAgencies(client: pg.PoolClient, opts: { force?: boolean } = {}): Promise<AgencyMergeResult> {
  const result: AgencyMergeResult = {
    ran: false,
    version: AGENCY_NORMALISER_VERSION,
    previous: null,
    agencies: 0,
    merged: 0,
    updated: 0,
    reportsRepointed: 0,
    candidatesRepointed: 0,
    reflagged: 0,
  };
  const exists = await client.query(`SELECT to_regclass('agency_normaliser') IS NOT NULL AS ok`);
  if (!exists.rows[0].ok) return result;
  result.previous = (await client.query('SELECT version FROM agency_normaliser')).rows[0]?.version ?? null;
  if (result.previous === AGENCY_NORMALISER_VERSION && !opts.force) return result;
  result.ran = true;

  const agencies = await readAgencies(client);
  result.agencies = agencies.length;
  const groups = groupAgencies(agencies);
  const merging = groups.filter((g) => g.members.length > 1);
  await lockAgencies(
    client,
    merging.flatMap((g) => g.members.map((a) => a.id)),
  );

  // Every merged-away row with the row it merges into, applied in one statement per referencing table.
  const losers = merging.flatMap((g) => g.members.slice(1).map((a) => a.id));
  const into = merging.flatMap((g) => g.members.slice(1).map(() => g.members[0].id));
  const moves = 'unnest($1::bigint[], $2::bigint[]) AS m(loser, survivor)';
  for (const ref of await referencesTo(client)) {
    const res = await client.query(
      `UPDATE ${ref.table} t SET ${ref.column} = m.survivor FROM ${moves} WHERE t.${ref.column} = m.loser`,
      [losers, into],
    );
    if (ref.table === 'reports') result.reportsRepointed += res.rowCount ?? 0;
    if (ref.table === 'candidates') result.candidatesRepointed += res.rowCount ?? 0;
  }
  await client.query(
    `INSERT INTO agency_names (agency_id, name, first_seen)
     SELECT m.survivor, n.name, min(n.first_seen) FROM agency_names n JOIN ${moves} ON n.agency_id = m.loser
      GROUP BY m.survivor, n.name
     ON CONFLICT (agency_id, name) DO UPDATE SET first_seen = least(agency_names.first_seen, EXCLUDED.first_seen)`,
    [losers, into],
  );
  await client.query('DELETE FROM agency_names WHERE agency_id = ANY($1)', [losers]);
  await client.query('DELETE FROM agencies WHERE id = ANY($1)', [losers]);
  result.merged = losers.length;

  // Survivors take their new identity in two steps: a row may take the norm_name another row is giving up.
  const changed = groups.filter((g) => g.members[0].norm !== g.norm || g.members[0].kind !== g.kind);
  const ids = changed.map((g) => g.members[0].id);
  await client.query(`UPDATE agencies SET norm_name = 'renormalising ' || id WHERE id = ANY($1)`, [ids]);
  await client.query(
    `UPDATE agencies a SET norm_name = t.norm, kind = t.kind
       FROM unnest($1::bigint[], $2::text[], $3::text[]) AS t(id, norm, kind) WHERE a.id = t.id`,
    [ids, changed.map((g) => g.norm), changed.map((g) => g.kind)],
  );
  result.updated = changed.length;

  const survivors = merging.map((g) => g.members[0].id);
  const { rows } = await client.query<{ agency_id: string; year: number }>(
    `SELECT DISTINCT agency_id, year FROM reports
      WHERE status = 'current' AND agency_id = ANY($1) AND year IS NOT NULL`,
    [survivors],
  );
  result.reflagged = await recheckLoadFlags(
    client,
    rows.map((row) => [Number(row.agency_id), row.year]),
  );
  await client.query(
    `INSERT INTO agency_normaliser (singleton, version, agencies_merged, reports_reflagged) VALUES (true, $1, $2, $3)
     ON CONFLICT (singleton) DO UPDATE SET version = EXCLUDED.version, applied_at = now(),
       agencies_merged = EXCLUDED.agencies_merged, reports_reflagged = EXCLUDED.reports_reflagged`,
    [AGENCY_NORMALISER_VERSION, result.merged, result.reflagged],
  );
  return result;
}

/** Every agency with all its printed names and the names of its region (what normaliseAgency needs). */
async function readAgencies(client: pg.PoolClient): Promise<AgencyRow[]> {
  const { rows } = await client.query(
    `SELECT a.id, a.region_code, a.norm_name, a.name, a.kind,
            array_remove(array_agg(n.name ORDER BY n.first_seen, n.name), NULL) AS names,
            (SELECT jsonb_agg(jsonb_build_object('name', g.name, 'prefecture', g.prefecture, 'province', g.province))
               FROM regions g WHERE g.code = a.region_code) AS region_rows
       FROM agencies a LEFT JOIN agency_names n ON n.agency_id = a.id
      GROUP BY a.id ORDER BY a.id`,
  );
  return rows.map((row) => ({
    id: Number(row.id),
    regionCode: row.region_code,
    norm: row.norm_name,
    name: row.name,
    kind: row.kind,
    names: row.names,
    region: row.region_code ? regionNames(row.region_rows ?? []) : null,
  }));
}

interface Group {
  region: string | null;
  norm: string;
  kind: AgencyKind;
  /** By id: the first survives. */
  members: AgencyRow[];
}

/**
 * The agencies that are one body under the current normaliser. An agency's identity is the normalised form of its
 * printed names, preferring one of a known kind (an agency the store renamed from 连生 to 连生乡 keeps 连生乡). A bare
 * name (连生) then joins the one township or street of its region it can mean, as the store does at load time.
 */
export function groupAgencies(agencies: readonly AgencyRow[]): Group[] {
  const byKey = new Map<string, Group>();
  const key = (region: string | null, norm: string) => `${region ?? ''}\u0001${norm}`;
  for (const agency of agencies) {
    const normalise = (name: string) =>
      agency.region ? normaliseAgency(name, agency.region.prefixes, agency.region.own) : normaliseAgency(name);
    const known = [...new Set(agency.names.map(normalise))].filter((n) => !isBare(n));
    const first = normalise(agency.name);
    const norm = !isBare(first) ? first : (known.sort()[0] ?? first);
    const region = agency.regionCode;
    const group = byKey.get(key(region, norm)) ?? { region, norm, kind: 'other', members: [] };
    group.members.push(agency);
    byKey.set(key(region, norm), group);
  }
  for (const [bareKey, group] of byKey) {
    if (!group.region || !isBare(group.norm)) continue;
    const targets = TOWN_SUFFIXES.map((suffix) => byKey.get(key(group.region, group.norm + suffix))).filter(
      (g): g is Group => !!g,
    );
    if (targets.length !== 1) continue;
    targets[0].members.push(...group.members);
    byKey.delete(bareKey);
  }
  const groups = [...byKey.values()];
  for (const group of groups) {
    group.members.sort((a, b) => a.id - b.id);
    const kinds = group.members.flatMap((a) => [a.name, ...a.names]).map(classifyAgency);
    group.kind = kinds.find((k) => k !== 'other') ?? classifyAgency(group.norm);
  }
  return groups;
}

/** Every single-column foreign key to agencies(id) except agency_names (merged by name above). */
async function referencesTo(client: pg.PoolClient): Promise<Array<{ table: string; column: string }>> {
  const { rows } = await client.query(
    `SELECT c.conrelid::regclass::text AS table, quote_ident(a.attname) AS column
       FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
      WHERE c.contype = 'f' AND c.confrelid = 'agencies'::regclass AND cardinality(c.conkey) = 1
        AND c.conrelid <> 'agency_names'::regclass
      ORDER BY 1, 2`,
  );
  return rows;
}
