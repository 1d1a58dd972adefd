// The Postgres store: the only code that writes SQL (besides the migrations). Implements db/store-types.ts `Store`.
// openStore() resolves the database (DATABASE_URL or embedded, db/connect.ts), applies pending migrations and loads
// the region registry on first use, and keeps document bytes in a content-addressed blob store.
import { join } from 'node:path';
import pg from 'pg';
import { log } from '../core/log.ts';
import type { DocumentOrigin } from '../core/origin.ts';
import type { Report } from '../extractors/report.ts';
import { assertValid } from '../extractors/validate.ts';
import { EXTRACTOR_NAME, EXTRACTOR_VERSION, compareVersions } from '../extractors/version.ts';
import { TOWN_SUFFIXES, classifyAgency, normaliseAgency, regionNames, townStem, type AgencyKind } from './agency.ts';
import { BlobStore, BlobStoreError, blobPath, sha256 } from './blobs.ts';
import { LOAD_TIME_FLAGS, listingConflicts, lockAgencies, recheckLoadFlags, writeFlagRows } from './load-flags.ts';
import { nianbaoHome, resolveDatabase } from './connect.ts';
import { migrate, type MigrateResult } from './migrate.ts';
import { PORTALS_FILE, readPortalsFile } from './portals.ts';
import type {
  ArchivedDocument,
  Candidate,
  CurrentReport,
  DocumentInfo,
  DocumentListing,
  FetchInput,
  LoadResult,
  CrawlRunHealth,
  Portal,
  PortalSync,
  Verification,
  PreviousFetch,
  Store,
} from './store-types.ts';

export interface OpenStoreOptions {
  /** Explicit database URL; default DATABASE_URL, and when that is unset the embedded server. */
  databaseUrl?: string | null;
  /** NIANBAO_HOME (blob store, embedded database); default $NIANBAO_HOME or ./.nianbao. */
  home?: string | null;
  /** Sync crawlers/portals.yaml after migrating: 'always', or (default) only when this open applied migrations. */
  syncPortals?: 'always' | 'first-use' | 'never';
  portalsFile?: string | URL;
  /** Progress lines (embedded server start, psql hint); default stderr. */
  log?: (line: string) => void;
  poolSize?: number;
}

export type OpenedStore = Store & {
  url: string;
  embedded: boolean;
  home: string;
  blobDir: string;
  /** For read-only query modules (db/queries/*); writes go through the store's methods. */
  pool: pg.Pool;
  migration: MigrateResult;
  portalSync: PortalSync | null;
  /** Stores a discovered portal whose home page verified as the county's (nianbao portals discover): the county's
   *  registry row when it has no URL, else a portal of its own (source 'discovered'). Returns the portal id. */
  addDiscoveredPortal(input: {
    regionCode: string;
    name: string;
    baseUrl: string;
    verification: Verification;
  }): Promise<number>;
};

const SHA256 = /^[0-9a-f]{64}$/;

type Queryable = pg.Pool | pg.PoolClient;
/** A `regions` row's names, as an agency's printed name may begin with them. */
type RegionNames = { name: string; prefecture: string | null; province: string };

export async function openStore(opts: OpenStoreOptions = {}): Promise<OpenedStore> {
  const home = nianbaoHome(opts.home);
  const target = await resolveDatabase({ databaseUrl: opts.databaseUrl, home, log: opts.log });
  const pool = new pg.Pool({ connectionString: target.url, max: opts.poolSize ?? 5 });
  // An idle client losing its server must not crash the process; the next query reports the error.
  pool.on('error', (err) => (opts.log ?? log.warn)(`postgres: ${err.message}`));
  try {
    const migration = await migrate(pool);
    const mode = opts.syncPortals ?? 'first-use';
    const store = new PgStore(pool, new BlobStore(join(home, 'blobs')));
    const portalSync =
      mode === 'always' || (mode === 'first-use' && migration.applied.length)
        ? await store.syncPortals(opts.portalsFile)
        : null;
    return Object.assign(store, {
      url: target.url,
      embedded: target.embedded,
      home,
      blobDir: join(home, 'blobs'),
      pool,
      migration,
      portalSync,
    });
  } catch (err) {
    await pool.end().catch(() => {});
    throw err;
  }
}

/** "name@1.2.3" → "1.2.3"; a report without `extractor` is from this codebase's EXTRACTOR_VERSION. */
export function extractorOf(report: Report): { extractor: string; version: string } {
  const extractor = report.extractor || `${EXTRACTOR_NAME}@${EXTRACTOR_VERSION}`;
  const at = extractor.lastIndexOf('@');
  const version = at >= 0 ? extractor.slice(at + 1) : extractor;
  if (!/^\d+(\.\d+)*$/.test(version))
    throw new Error(`report.extractor: '${extractor}' has no numeric version (name@1.2.3)`);
  return { extractor, version };
}

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v == null ? null : Number(v));
const isoOrNull = (time: Date | null | undefined): string | null => (time ? time.toISOString() : null);

function portalRow(row: Record<string, unknown>): Portal {
  return {
    id: num(row.id),
    regionCode: row.region_code as string | null,
    name: row.name as string | null,
    baseUrl: row.base_url as string,
    platform: row.platform as string,
    entryUrls: row.entry_urls as string[],
    enabled: row.enabled as boolean,
    siteidPrefixes: (row.siteid_prefixes as string[] | undefined) ?? [],
    verdict: (row.verdict as Portal['verdict']) ?? null,
  };
}

function documentRow(row: Record<string, unknown>): DocumentInfo {
  return {
    sha256: row.sha256 as string,
    size: num(row.size),
    path: row.path as string,
    contentType: row.content_type as string | null,
    firstUrl: row.first_url as string,
    firstFetchId: numOrNull(row.first_fetch_id),
    firstFetchedAt: (row.first_fetched_at as Date | null) ?? null,
    firstSeen: row.first_seen as Date,
    extractionError: row.extraction_error as string | null,
    errorPermanent: row.error_permanent as boolean,
  };
}

function normaliseUrl(url: string): string {
  try {
    return new URL(url).toString();
  } catch {
    throw new Error(`not a URL: ${url}`);
  }
}

const HEADERS_KEPT = ['content-type', 'content-length', 'etag', 'last-modified', 'content-disposition', 'location'];

/** The connection itself failed (server gone, restarted, network): the client must not be reused. */
function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: string })?.code ?? '';
  return (
    /^(57P0[123]|08)/.test(code) ||
    ['ECONNRESET', 'ECONNREFUSED', 'EPIPE'].includes(code) ||
    /Connection terminated|connection .*closed/i.test(String((err as Error)?.message))
  );
}

class PgStore implements Store {
  private lastStorageFault: { error: Error; at: number } | null = null;

  storageFault(since: number): Error | null {
    return this.lastStorageFault && this.lastStorageFault.at >= since ? this.lastStorageFault.error : null;
  }

  constructor(
    private readonly db: pg.Pool,
    private readonly blobs: BlobStore,
  ) {}

  private async tx<T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.db.connect();
    // A checked-out client has no listener of the pool's: a server restart between two statements would emit an
    // unhandled 'error' and kill the process (a worker). Kept here, the failure reaches the job as its query's error.
    let lost: Error | null = null;
    const onError = (err: Error) => (lost = err);
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const out = await work(client);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      lost ??= isConnectionError(err) ? (err as Error) : null;
      throw err;
    } finally {
      client.off('error', onError);
      // A broken connection is discarded, not handed to the next transaction.
      client.release(lost ?? undefined);
    }
  }

  // ---------------------------------------------------------------- portals

  async listPortals(filter: { regionCode?: string; enabledOnly?: boolean } = {}): Promise<Portal[]> {
    const { rows } = await this.db.query(
      // A registry county without a known URL has nothing to crawl: coverage reads those rows, not the crawler.
      `SELECT * FROM portals WHERE base_url IS NOT NULL AND ($1::text IS NULL OR region_code = $1) AND (NOT $2 OR enabled)
       ORDER BY id`,
      [filter.regionCode ?? null, filter.enabledOnly ?? false],
    );
    return rows.map(portalRow);
  }

  async ensurePortal(input: {
    baseUrl: string;
    regionCode?: string | null;
    name?: string | null;
    platform?: string;
    entryUrls?: string[];
  }): Promise<Portal> {
    // Fills what the existing row lacks; never overrides what portals.yaml or an earlier call said.
    const { rows } = await this.db.query(
      `INSERT INTO portals (base_url, region_code, name, platform, entry_urls)
       VALUES ($1, $2, $3, coalesce($4, 'auto'), coalesce($5::text[], '{}'))
       ON CONFLICT (base_url) DO UPDATE SET
         region_code = coalesce(portals.region_code, EXCLUDED.region_code),
         name = coalesce(portals.name, EXCLUDED.name),
         platform = CASE WHEN portals.platform = 'auto' THEN EXCLUDED.platform ELSE portals.platform END,
         entry_urls = CASE WHEN cardinality(portals.entry_urls) = 0 THEN EXCLUDED.entry_urls ELSE portals.entry_urls END
       RETURNING *`,
      [
        normaliseUrl(input.baseUrl),
        input.regionCode ?? null,
        input.name ?? null,
        input.platform ?? null,
        input.entryUrls ?? null,
      ],
    );
    return portalRow(rows[0]);
  }

  async syncPortals(file: string | URL = PORTALS_FILE): Promise<PortalSync> {
    const entries = readPortalsFile(file);
    const fileName = String(file).split('/').pop();
    return this.tx(async (client) => {
      const codes = [...new Set(entries.map((e) => e.regionCode).filter((x): x is string => !!x))];
      const known = new Set(
        (await client.query('SELECT DISTINCT code FROM regions WHERE code = ANY($1)', [codes])).rows.map((r) => r.code),
      );
      const unknown = codes.filter((x) => !known.has(x));
      if (unknown.length) throw new Error(`${fileName}: code ${unknown.join(', ')} not in the region registry`);
      const registry = new Set(
        (await client.query('SELECT registry_code FROM portals WHERE registry_code = ANY($1)', [codes])).rows.map(
          (r) => r.registry_code as string,
        ),
      );
      let inserted = 0;
      let updated = 0;
      const overridden: string[] = [];
      for (const entry of entries) {
        // The first entry naming a registry county overrides its row; further ones are the county's other portals.
        if (entry.regionCode && registry.has(entry.regionCode) && !overridden.includes(entry.regionCode)) {
          overridden.push(entry.regionCode);
          const res = await this.guardUrl(fileName, entry.baseUrl, () =>
            client.query(
              `UPDATE portals SET base_url = coalesce($2, registry_url), name = coalesce($3, name), platform = $4,
                 entry_urls = $5, enabled = $6, source = 'yaml', updated_at = now()
               WHERE registry_code = $1 AND (base_url, name, platform, entry_urls, enabled, source)
                 IS DISTINCT FROM (coalesce($2, registry_url), coalesce($3, name), $4, $5, $6, 'yaml')`,
              [entry.regionCode, entry.baseUrl, entry.name, entry.platform, entry.entryUrls, entry.enabled],
            ),
          );
          if (res.rowCount) updated++;
          continue;
        }
        if (!entry.baseUrl)
          throw new Error(`${fileName}: code ${entry.regionCode} has no registry row to override: give a url`);
        // xmax = 0 tells an inserted row from an updated one.
        const { rows } = await client.query(
          `INSERT INTO portals (base_url, region_code, name, platform, entry_urls, enabled, source)
           VALUES ($1, $2, $3, $4, $5, $6, 'yaml')
           ON CONFLICT (base_url) DO UPDATE SET region_code = EXCLUDED.region_code, name = EXCLUDED.name,
             platform = EXCLUDED.platform, entry_urls = EXCLUDED.entry_urls, enabled = EXCLUDED.enabled, source = 'yaml',
             updated_at = now()
           WHERE (portals.region_code, portals.name, portals.platform, portals.entry_urls, portals.enabled, portals.source)
             IS DISTINCT FROM (EXCLUDED.region_code, EXCLUDED.name, EXCLUDED.platform, EXCLUDED.entry_urls, EXCLUDED.enabled, 'yaml')
           RETURNING (xmax = 0) AS inserted`,
          [entry.baseUrl, entry.regionCode, entry.name, entry.platform, entry.entryUrls, entry.enabled],
        );
        if (rows[0]?.inserted) inserted++;
        else if (rows.length) updated++;
      }
      // An override removed from the file: the county is back on the registry's URL and defaults.
      const restored = await client.query(
        `UPDATE portals SET base_url = registry_url, platform = 'auto', entry_urls = '{}', enabled = true,
           source = 'registry', updated_at = now()
         WHERE source = 'yaml' AND registry_code IS NOT NULL AND NOT (registry_code = ANY($1))`,
        [overridden],
      );
      const gone = await client.query(
        `UPDATE portals SET enabled = false, updated_at = now()
         WHERE source = 'yaml' AND registry_code IS NULL AND enabled AND NOT (base_url = ANY($1))`,
        [entries.flatMap((e) => (e.baseUrl ? [e.baseUrl] : []))],
      );
      return {
        portals: entries.length,
        inserted,
        updated,
        overrides: overridden.length,
        restored: restored.rowCount ?? 0,
        disabled: gone.rowCount ?? 0,
      };
    });
  }

  /** A URL another portal row already holds is a one-line error naming both, not a constraint violation. */
  private async guardUrl<T>(file: string | undefined, url: string | null, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if ((err as { code?: string }).code === '23505' && url)
        throw new Error(`${file}: url ${url} already belongs to another portal row (see SELECT * FROM portals)`);
      throw err;
    }
  }

  async addDiscoveredPortal(input: {
    regionCode: string;
    name: string;
    baseUrl: string;
    verification: Verification;
  }): Promise<number> {
    const url = normaliseUrl(input.baseUrl);
    const id = await this.tx(async (client) => {
      const filled = await client.query(
        `UPDATE portals SET base_url = $2, source = 'discovered', updated_at = now()
         WHERE registry_code = $1 AND base_url IS NULL RETURNING id`,
        [input.regionCode, url],
      );
      if (filled.rows[0]) return num(filled.rows[0].id);
      const { rows } = await client.query(
        `INSERT INTO portals (base_url, region_code, name, source) VALUES ($1, $2, $3, 'discovered')
         ON CONFLICT (base_url) DO UPDATE SET updated_at = now() RETURNING id, region_code`,
        [url, input.regionCode, input.name],
      );
      if (rows[0].region_code !== input.regionCode)
        throw new Error(
          `${url} is already the portal of ${rows[0].region_code ?? 'no county'}, not ${input.regionCode}`,
        );
      return num(rows[0].id);
    });
    await this.recordVerification(id, null, input.verification);
    return id;
  }

  // ---------------------------------------------------------------- crawl side

  async startCrawlRun(portalId: number | null, portalUrl: string): Promise<number> {
    const { rows } = await this.db.query(
      'INSERT INTO crawl_runs (portal_id, portal_url) VALUES ($1, $2) RETURNING id',
      [portalId, portalUrl],
    );
    return num(rows[0].id);
  }

  async finishCrawlRun(
    runId: number,
    stats: Record<string, unknown>,
    error: string | null = null,
    health?: CrawlRunHealth,
  ): Promise<void> {
    await this.tx(async (client) => {
      await client.query(
        // `new`: candidates this run saw first (counted here, where the rows are).
        `UPDATE crawl_runs SET finished_at = now(), error = $3, outcome = $4,
           stats = $2::jsonb || jsonb_build_object('new', (SELECT count(*) FROM candidates WHERE first_run_id = $1))
         WHERE id = $1`,
        [runId, JSON.stringify(stats), error, health?.outcome ?? null],
      );
      if (!health?.errors.length) return;
      await client.query(
        `INSERT INTO crawl_errors (run_id, ord, kind, url, status, message)
         SELECT $1, t.ord, t.kind, t.url, t.status, t.message
         FROM unnest($2::int[], $3::text[], $4::text[], $5::int[], $6::text[]) AS t(ord, kind, url, status, message)
         ON CONFLICT (run_id, ord) DO NOTHING`,
        [
          runId,
          health.errors.map((_, i) => i),
          health.errors.map((e) => e.kind),
          health.errors.map((e) => e.url),
          health.errors.map((e) => e.status ?? null),
          health.errors.map((e) => e.error),
        ],
      );
    });
  }

  async lastCompleteListing(portalId: number): Promise<number | null> {
    const { rows } = await this.db.query(
      `SELECT (stats->>'entries')::int AS entries FROM crawl_runs
       WHERE portal_id = $1 AND outcome = 'complete' AND stats ? 'entries'
       ORDER BY started_at DESC, id DESC LIMIT 1`,
      [portalId],
    );
    return rows.length ? Number(rows[0].entries) : null;
  }

  async recordVerification(portalId: number, runId: number | null, check: Verification): Promise<void> {
    await this.tx(async (client) => {
      await client.query(
        `INSERT INTO portal_verifications (portal_id, run_id, url, final_url, verdict, site_id_code, site_name, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [portalId, runId, check.url, check.finalUrl, check.verdict, check.siteIdCode, check.siteName, check.reason],
      );
      const moved = check.finalUrl && new URL(check.finalUrl).host !== new URL(check.url).host ? check.finalUrl : null;
      await client.query(
        `UPDATE portals SET verdict = $2, verified_at = now(), moved_to = coalesce($3, moved_to), updated_at = now()
         WHERE id = $1`,
        [portalId, check.verdict, moved],
      );
    });
  }

  async recordFetch(input: FetchInput): Promise<number> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(input.headers ?? {}))
      if (HEADERS_KEPT.includes(name.toLowerCase())) headers[name.toLowerCase()] = value;
    if (input.sha256 != null && !SHA256.test(input.sha256))
      throw new Error(`recordFetch: sha256 '${input.sha256}' is not a lowercase hex SHA-256`);
    const { rows } = await this.db.query(
      `INSERT INTO fetches (run_id, url, final_url, method, status, headers, etag, last_modified, content_type, sha256,
         size, fetched_at, referrer, error, not_modified)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, coalesce($12, now()), $13, $14, $15) RETURNING id`,
      [
        input.runId ?? null,
        input.url,
        input.finalUrl ?? null,
        input.method ?? 'GET',
        input.status ?? null,
        JSON.stringify(headers),
        headers.etag ?? null,
        headers['last-modified'] ?? null,
        headers['content-type'] ?? null,
        input.sha256 ?? null,
        input.size ?? null,
        input.fetchedAt ?? null,
        input.referrer ?? null,
        input.error ?? null,
        input.notModified ?? false,
      ],
    );
    return num(rows[0].id);
  }

  async previousFetch(url: string): Promise<PreviousFetch | null> {
    // The last fetch that brought content (2xx with a hash): its validators are what a conditional request needs.
    const { rows } = await this.db.query(
      `SELECT url, etag, last_modified, sha256, fetched_at FROM fetches
       WHERE url = $1 AND error IS NULL AND status BETWEEN 200 AND 299 AND sha256 IS NOT NULL
       ORDER BY fetched_at DESC, id DESC LIMIT 1`,
      [url],
    );
    const row = rows[0];
    return row
      ? { url: row.url, etag: row.etag, lastModified: row.last_modified, sha256: row.sha256, fetchedAt: row.fetched_at }
      : null;
  }

  async archiveDocument(
    bytes: Uint8Array,
    meta: { url: string; contentType?: string | null; fetchId?: number | null },
  ): Promise<ArchivedDocument> {
    const hash = sha256(bytes);
    const path = blobPath(hash);
    // Blob first: a documents row never points at a missing file.
    try {
      await this.blobs.put(hash, bytes);
    } catch (err) {
      if (err instanceof BlobStoreError) this.lastStorageFault = { error: err, at: Date.now() };
      throw err;
    }
    const res = await this.db.query(
      `INSERT INTO documents (sha256, size, path, content_type, first_url, first_fetch_id)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sha256) DO NOTHING`,
      [hash, bytes.byteLength, path, meta.contentType ?? null, meta.url, meta.fetchId ?? null],
    );
    if (meta.fetchId != null)
      await this.db.query(
        'UPDATE fetches SET sha256 = $2, size = coalesce(size, $3) WHERE id = $1 AND sha256 IS NULL',
        [meta.fetchId, hash, bytes.byteLength],
      );
    return { sha256: hash, size: bytes.byteLength, path, isNew: res.rowCount === 1 };
  }

  async readDocument(hash: string): Promise<Buffer> {
    const { rows } = await this.db.query('SELECT path FROM documents WHERE sha256 = $1', [hash]);
    if (!rows.length) throw new Error(`document ${hash} is not archived`);
    return this.blobs.get(rows[0].path);
  }

  async recordDocumentImages(hash: string, images: Array<{ url: string; sha256: string }>): Promise<void> {
    for (const image of images)
      // The same URL serving new bytes later: the page shows those now.
      await this.db.query(
        `INSERT INTO document_images (document_sha256, image_url, image_sha256) VALUES ($1, $2, $3)
         ON CONFLICT (document_sha256, image_url) DO UPDATE SET image_sha256 = $3, recorded_at = now()`,
        [hash, image.url, image.sha256],
      );
  }

  async documentImages(hash: string): Promise<Array<{ url: string; sha256: string }>> {
    const { rows } = await this.db.query(
      'SELECT image_url, image_sha256 FROM document_images WHERE document_sha256 = $1 ORDER BY recorded_at, image_url',
      [hash],
    );
    return rows.map((row) => ({ url: row.image_url, sha256: row.image_sha256 }));
  }

  async upsertCandidate(candidate: Candidate): Promise<number> {
    return this.tx(async (query) => {
      const portal = (await query.query('SELECT region_code, verdict FROM portals WHERE id = $1', [candidate.portalId]))
        .rows[0];
      if (!portal) throw new Error(`upsertCandidate: no portal ${candidate.portalId}`);
      // A portal whose home page showed another body's site is not evidence of the county: the page's own
      // SiteIDCode decides, as for a portal added by URL alone.
      const region =
        (portal.verdict === 'mismatch' ? null : portal.region_code) ??
        (await this.siteRegion(query, candidate.siteIdCode));
      const agencyId = candidate.agency ? await this.agencyId(query, candidate.agency, region) : null;
      const { rows } = await query.query(
        `INSERT INTO candidates (portal_id, agency_id, agency_name, year, title, article_url, published_at, site_id_code,
           first_run_id, last_run_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
         ON CONFLICT (portal_id, article_url) DO UPDATE SET
           agency_id = coalesce(EXCLUDED.agency_id, candidates.agency_id),
           agency_name = coalesce(EXCLUDED.agency_name, candidates.agency_name),
           year = coalesce(EXCLUDED.year, candidates.year), title = EXCLUDED.title,
           published_at = coalesce(EXCLUDED.published_at, candidates.published_at),
           site_id_code = coalesce(EXCLUDED.site_id_code, candidates.site_id_code),
           last_run_id = EXCLUDED.last_run_id, last_seen = now(), gone_at = NULL
         RETURNING id`,
        [
          candidate.portalId,
          agencyId,
          candidate.agency,
          candidate.year,
          candidate.title,
          candidate.articleUrl,
          candidate.publishedAt ?? null,
          candidate.siteIdCode ?? null,
          candidate.runId,
        ],
      );
      const id = num(rows[0].id);
      for (const doc of candidate.documents)
        await query.query(
          `INSERT INTO candidate_documents (candidate_id, sha256, url, kind) VALUES ($1, $2, $3, $4)
           ON CONFLICT (candidate_id, sha256) DO UPDATE SET url = EXCLUDED.url, kind = EXCLUDED.kind, last_seen = now()`,
          [id, doc.sha256, doc.url, doc.kind],
        );
      return id;
    });
  }

  async markGone(portalId: number, runId: number): Promise<number> {
    return this.tx(async (query) => {
      await query.query(
        'UPDATE candidates SET gone_at = NULL WHERE portal_id = $1 AND last_run_id = $2 AND gone_at IS NOT NULL',
        [portalId, runId],
      );
      const res = await query.query(
        `UPDATE candidates SET gone_at = now()
         WHERE portal_id = $1 AND last_run_id IS DISTINCT FROM $2 AND gone_at IS NULL`,
        [portalId, runId],
      );
      return res.rowCount ?? 0;
    });
  }

  // ---------------------------------------------------------------- load side

  /** Region from a page's SiteIDCode (first 6 digits), when the registry knows that code. */
  private async siteRegion(query: Queryable, siteIdCode: string | null | undefined): Promise<string | null> {
    const code = siteIdCode?.trim().slice(0, 6);
    if (!code || !/^[0-9]{6}$/.test(code)) return null;
    const { rowCount } = await query.query('SELECT 1 FROM regions WHERE code = $1 LIMIT 1', [code]);
    return rowCount ? code : null;
  }

  /** The registry rows of these codes, newest first per code: one query for every name a load needs. */
  private async regionRows(query: Queryable, codes: string[]): Promise<Map<string, RegionNames[]>> {
    const byCode = new Map<string, RegionNames[]>(codes.map((code) => [code, []]));
    if (!codes.length) return byCode;
    const { rows } = await query.query<RegionNames & { code: string }>(
      'SELECT code, name, prefecture, province FROM regions WHERE code = ANY($1) ORDER BY code, valid_from DESC',
      [codes],
    );
    for (const row of rows) byCode.get(row.code)?.push(row);
    return byCode;
  }

  /** Finds or creates the agency (region + normalised name), and records the printed name in agency_names; safe
   *  under concurrent loads. `known`: the region's rows when the caller already read them (regionRows). */
  private async agencyId(
    query: Queryable,
    printed: string,
    regionCode: string | null,
    known?: Map<string, RegionNames[]>,
  ): Promise<number> {
    // Every name the region had (renamed counties keep their code), with its prefecture and province.
    const names = regionCode
      ? regionNames(known?.get(regionCode) ?? (await this.regionRows(query, [regionCode])).get(regionCode) ?? [])
      : null;
    const norm = names ? normaliseAgency(printed, names.prefixes, names.own) : normaliseAgency(printed);
    const kind = classifyAgency(printed) === 'other' ? classifyAgency(norm) : classifyAgency(printed);
    const id =
      (regionCode ? await this.townAgency(query, regionCode, norm, kind) : null) ??
      num(
        (
          await query.query(
            `INSERT INTO agencies (region_code, norm_name, name, kind) VALUES ($1, $2, $3, $4)
             ON CONFLICT ON CONSTRAINT agencies_identity DO UPDATE SET norm_name = EXCLUDED.norm_name
             RETURNING id`,
            [regionCode, norm, printed.trim(), kind],
          )
        ).rows[0].id,
      );
    await query.query('INSERT INTO agency_names (agency_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
      id,
      printed.trim(),
    ]);
    return id;
  }

  /**
   * A township or street printed with and without its 乡/镇/街道 (连生乡, 连生) is one agency only when the region has
   * exactly one body the short form can mean: a bare name joins its one suffixed agency; a suffixed name arriving
   * after its bare form takes that agency over (renamed, reports kept). Null: no such match, insert as usual.
   * Serialised per (region, stem), so two loads of the two forms cannot both miss each other.
   */
  private async townAgency(
    query: Queryable,
    regionCode: string,
    norm: string,
    kind: AgencyKind,
  ): Promise<number | null> {
    const stem = townStem(norm);
    if (!stem) return null;
    await query.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`agency-stem:${regionCode}:${stem}`]);
    const forms = TOWN_SUFFIXES.map((suffix) => stem + suffix);
    const { rows } = await query.query<{ id: string; norm_name: string }>(
      'SELECT id, norm_name FROM agencies WHERE region_code = $1 AND norm_name = ANY($2) ORDER BY id',
      [regionCode, [stem, ...forms]],
    );
    const exact = rows.find((row) => row.norm_name === norm);
    const suffixed = rows.filter((row) => row.norm_name !== stem);
    if (norm === stem) return suffixed.length === 1 ? num(suffixed[0].id) : exact ? num(exact.id) : null;
    if (exact) return num(exact.id);
    const bare = rows.find((row) => row.norm_name === stem);
    if (!bare || suffixed.length) return null;
    await query.query('UPDATE agencies SET norm_name = $2, kind = $3 WHERE id = $1', [bare.id, norm, kind]);
    return num(bare.id);
  }

  async upsertReport(input: Report, origin: DocumentOrigin): Promise<LoadResult> {
    assertValid(input);
    // Cells are keyed by (report key, path): a path read twice would make "the value of this cell" ambiguous.
    const paths = new Set<string>();
    for (const cell of input.cells) {
      if (paths.has(cell.path)) throw new Error(`report.cells: path ${cell.path} occurs more than once`);
      paths.add(cell.path);
    }
    if (!SHA256.test(origin.sha256)) throw new Error(`document origin: sha256 '${origin.sha256}' is not a SHA-256`);
    const { extractor, version } = extractorOf(input);
    return this.tx(async (query) => {
      // Lock order: the document, then its agencies (lockAgencies). Serialises concurrent loads of one document:
      // exactly one of them inserts.
      await query.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`report:${origin.sha256}`]);
      const doc = await query.query('SELECT 1 FROM documents WHERE sha256 = $1', [origin.sha256]);
      if (!doc.rowCount)
        throw new Error(`document ${origin.sha256} is not archived: archiveDocument() before loading its report`);
      const cur = (
        await query.query(
          `SELECT id, extractor_version, agency_id, year FROM reports WHERE document_sha256 = $1 AND status = 'current'`,
          [origin.sha256],
        )
      ).rows[0];
      const curKey: Array<[number, number]> =
        cur?.agency_id != null && cur.year != null ? [[num(cur.agency_id), cur.year]] : [];
      if (cur && compareVersions(version, cur.extractor_version) <= 0) {
        // Nothing to insert; re-checking the cross-report flags repairs any left by an older, order-dependent store.
        await lockAgencies(
          query,
          curKey.map(([a]) => a),
        );
        await recheckLoadFlags(query, curKey);
        return { reportId: num(cur.id), action: 'unchanged', superseded: [] };
      }

      const report: Report = structuredClone(input);
      report.flags = report.flags.filter((f) => !LOAD_TIME_FLAGS.has(f.code));
      const listingRegion = origin.regionCode && /^[0-9]{6}$/.test(origin.regionCode) ? origin.regionCode : null;
      // The registry rows of both codes in one query: for the conflict check's names and the agency's prefixes.
      const regionRows = await this.regionRows(query, [
        ...new Set([report.region_code, listingRegion].filter((x): x is string => !!x)),
      ]);
      const names = new Map(
        [...regionRows].flatMap(([code, rows]) => (rows[0] ? [[code, rows[0].name] as const] : [])),
      );
      const conflicts = listingConflicts(
        { region: report.region_code, year: report.year },
        { region: listingRegion, year: origin.year ?? null },
        (code) => names.get(code) ?? null,
      );
      if (!report.region_code) {
        const code =
          origin.regionCode && /^[0-9]{6}$/.test(origin.regionCode)
            ? origin.regionCode
            : await this.siteRegion(query, origin.siteIdCode);
        if (code) {
          report.region_code = code;
          report.flags = report.flags.filter((f) => f.code !== 'AGENCY_UNRESOLVED');
        }
      }
      report.agency ??= origin.agency?.trim() || null;
      report.year ??= origin.year ?? null;
      if (!report.published_at && origin.publishedAt) report.published_at = origin.publishedAt;
      const agencyId = report.agency ? await this.agencyId(query, report.agency, report.region_code, regionRows) : null;
      // The (agency, year)s whose flags this load can change: the new report's and the one it supersedes.
      const keys: Array<[number, number]> = [...curKey];
      if (agencyId !== null && report.year !== null) keys.push([agencyId, report.year]);
      await lockAgencies(
        query,
        keys.map(([a]) => a),
      );

      if (cur) await query.query(`UPDATE reports SET status = 'superseded' WHERE id = $1`, [cur.id]);
      const { rows } = await query.query(
        `INSERT INTO reports (document_sha256, extractor, extractor_version, agency_id, agency_name, region_code, year,
           template, title, published_at, source_url, candidate_id, fetched_at, data)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
           coalesce($13, (SELECT max(fetched_at) FROM fetches WHERE sha256 = $1 AND url = $11),
                         (SELECT min(fetched_at) FROM fetches WHERE sha256 = $1)), $14)
         RETURNING id`,
        [
          origin.sha256,
          extractor,
          version,
          agencyId,
          report.agency,
          report.region_code,
          report.year,
          report.template,
          report.title,
          report.published_at ?? null,
          origin.url,
          origin.candidateId ?? null,
          origin.fetchedAt || null,
          JSON.stringify(report),
        ],
      );
      const id = num(rows[0].id);
      // Long-form rows straight from the stored JSON, so they cannot disagree with it.
      await query.query(
        `INSERT INTO report_cells (report_id, ord, path, value, raw, at)
         SELECT $1, e.ord - 1, e.c->>'path', (e.c->>'value')::numeric, e.c->>'raw', e.c->'at'
         FROM reports r, jsonb_array_elements(r.data->'cells') WITH ORDINALITY AS e(c, ord) WHERE r.id = $1`,
        [id],
      );
      await query.query(
        `INSERT INTO report_sections (report_id, key, text)
         SELECT $1, s.key, s.value FROM reports r, jsonb_each_text(r.data->'sections') AS s WHERE r.id = $1`,
        [id],
      );
      await writeFlagRows(query, id, 'extractor', 0);
      if (conflicts.length) {
        // Load-time flags are the tail of data.flags, with origin 'load' (see recheckLoadFlags).
        await query.query(
          `UPDATE reports SET data = jsonb_set(data, '{flags}', (data->'flags') || $2::jsonb) WHERE id = $1`,
          [id, JSON.stringify(conflicts)],
        );
        await writeFlagRows(query, id, 'load', report.flags.length);
      }
      if (cur) await query.query('UPDATE reports SET superseded_by = $2 WHERE id = $1', [cur.id, id]);
      await recheckLoadFlags(query, keys);
      return { reportId: id, action: cur ? 'superseded' : 'inserted', superseded: cur ? [num(cur.id)] : [] };
    });
  }

  async recordDocumentError(hash: string, reason: string, permanent: boolean): Promise<void> {
    const res = await this.db.query(
      'UPDATE documents SET extraction_error = $2, error_permanent = $3, error_at = now() WHERE sha256 = $1',
      [hash, reason, permanent],
    );
    if (!res.rowCount) throw new Error(`recordDocumentError: document ${hash} is not archived`);
  }

  // ---------------------------------------------------------------- reads

  async getDocument(hash: string): Promise<DocumentInfo | null> {
    const { rows } = await this.db.query(
      `SELECT d.*, f.fetched_at AS first_fetched_at FROM documents d
       LEFT JOIN fetches f ON f.id = d.first_fetch_id WHERE d.sha256 = $1`,
      [hash],
    );
    return rows[0] ? documentRow(rows[0]) : null;
  }

  async listDocuments(filter: { regionCode?: string | null; year?: number | null } = {}): Promise<DocumentListing[]> {
    // One row per document, with the most recently seen candidate that points at it.
    const { rows } = await this.db.query(
      `SELECT DISTINCT ON (d.sha256) d.*, f.fetched_at AS first_fetched_at,
         cd.url AS cand_url, cd.kind, c.id AS candidate_id, c.portal_id, c.agency_name, c.year AS cand_year, c.title,
         c.published_at, c.site_id_code,
         CASE WHEN p.verdict = 'mismatch' THEN NULL ELSE p.region_code END AS portal_region, r.id AS report_id, r.extractor AS report_extractor,
         (SELECT max(ff.fetched_at) FROM fetches ff WHERE ff.sha256 = d.sha256) AS last_fetched_at
       FROM documents d
       LEFT JOIN fetches f ON f.id = d.first_fetch_id
       LEFT JOIN candidate_documents cd ON cd.sha256 = d.sha256
       LEFT JOIN candidates c ON c.id = cd.candidate_id
       LEFT JOIN portals p ON p.id = c.portal_id
       LEFT JOIN reports r ON r.document_sha256 = d.sha256 AND r.status = 'current'
       WHERE ($1::text IS NULL OR p.region_code = $1 OR r.region_code = $1 OR left(c.site_id_code, 6) = $1)
         AND ($2::int IS NULL OR c.year = $2 OR r.year = $2)
       ORDER BY d.sha256, c.last_seen DESC NULLS LAST`,
      [filter.regionCode ?? null, filter.year ?? null],
    );
    return rows.map((row) => ({
      ...documentRow(row),
      candidateId: numOrNull(row.candidate_id),
      portalId: numOrNull(row.portal_id),
      kind: row.kind ?? null,
      title: row.title ?? null,
      reportId: numOrNull(row.report_id),
      reportExtractor: row.report_extractor ?? null,
      origin: {
        sha256: row.sha256,
        url: row.cand_url ?? row.first_url,
        kind: row.kind ?? null,
        candidateId: numOrNull(row.candidate_id),
        portalId: numOrNull(row.portal_id),
        regionCode: row.portal_region ?? null,
        siteIdCode: row.site_id_code ?? null,
        agency: row.agency_name ?? null,
        year: row.cand_year ?? null,
        publishedAt: row.published_at ?? null,
        fetchedAt: isoOrNull(row.last_fetched_at ?? row.first_fetched_at),
        contentType: row.content_type ?? null,
      },
    }));
  }

  async currentReport(hash: string): Promise<CurrentReport | null> {
    const { rows } = await this.db.query(
      `SELECT id, report_key, extractor, extractor_version, agency_id, region_code, year, loaded_at, data
       FROM reports WHERE document_sha256 = $1 AND status = 'current'`,
      [hash],
    );
    const row = rows[0];
    return row
      ? {
          id: num(row.id),
          reportKey: row.report_key,
          extractor: row.extractor,
          extractorVersion: row.extractor_version,
          agencyId: numOrNull(row.agency_id),
          regionCode: row.region_code,
          year: row.year,
          loadedAt: row.loaded_at,
          report: row.data as Report,
        }
      : null;
  }

  async close(): Promise<void> {
    // pool.end() resolves before its clients' connections are closed; wait for them so that a caller dropping the
    // database (or exiting) right after close() does not race the disconnects.
    let open = this.db.totalCount;
    const closed = new Promise<void>((done) => {
      if (!open) return done();
      const timer = setTimeout(done, 5000);
      this.db.on('remove', () => {
        if (--open <= 0) {
          clearTimeout(timer);
          done();
        }
      });
    });
    await this.db.end();
    await closed;
  }
}
