// The review layer (db/migrations/013_reviews.sql): every read and write of flag reviews and cell corrections.
// Entries are keyed by (report key, path) and checked against the report's current version when written; what the
// document said (reports, report_cells, report_flags) is only read here, never written.
import type pg from 'pg';
import { InputError } from '../core/errors.ts';

/** The report key or correction a request names does not exist (the API answers 404, other input errors 400). */
export class NotFoundError extends InputError {
  override name = 'NotFoundError';
}

export type Decision = 'confirmed' | 'dismissed';
const DECISIONS: readonly string[] = ['confirmed', 'dismissed'];
const MAX_REVIEWER = 100;
const MAX_REASON = 2000;

export interface FlagReviewInput {
  code: string;
  /** The flag's path; omitted or null for a flag on the whole report. */
  path?: string | null;
  decision: Decision;
  reason?: string | null;
  reviewer: string;
}

export interface CorrectionInput {
  path: string;
  /** The value the document should have given; null: the cell is blank. */
  value: number | null;
  reason: string;
  reviewer: string;
}

export interface RetractInput {
  reason: string;
  reviewer: string;
}

/** One flag_reviews row. */
export interface FlagReview {
  id: number;
  reportKey: string;
  code: string;
  path: string | null;
  decision: Decision;
  reason: string | null;
  reviewer: string;
  createdAt: string;
  extractorVersionSeen: string;
}

/** One cell_corrections row: a correction, or (retracts set) the retraction of one. */
export interface CorrectionEntry {
  id: number;
  reportKey: string;
  path: string;
  extractedValue: number | null;
  extractedRaw: string | null;
  correctedValue: number | null;
  reason: string;
  reviewer: string;
  createdAt: string;
  extractorVersionSeen: string;
  retracts: number | null;
}

/** A v_corrections row: the correction in force for a cell, beside the current extraction. */
export interface CurrentCorrection {
  correctionId: number;
  path: string;
  extractedValue: number | null;
  extractedValueAtReview: number | null;
  correctedValue: number | null;
  reason: string;
  reviewer: string;
  createdAt: string;
  stale: boolean;
  cellPresent: boolean;
  extractorVersionSeen: string;
}

/** A v_flag_reviews row: the verdict in force for a flag (a flag_reviews row with whether the flag is still raised). */
export type CurrentFlagReview = Omit<FlagReview, 'id' | 'reportKey'> & { reviewId: number; flagStillPresent: boolean };

/** A flag the report's current version raises (what a reviewer can confirm or dismiss). */
export interface RaisedFlag {
  code: string;
  path: string | null;
  severity: string;
  message: string | null;
}

export interface Reviews {
  reportKey: string;
  /** The extractor version of the report's current version. */
  extractorVersion: string;
  /** The flags of the current version, in report order. */
  raised: RaisedFlag[];
  /** In force now, by path. */
  corrections: CurrentCorrection[];
  /** In force now, by code and path. */
  flags: CurrentFlagReview[];
  /** Every entry ever written for the report, oldest first (retractions and overridden verdicts included). */
  history: { flagReviews: FlagReview[]; corrections: CorrectionEntry[] };
}

/** Records a confirm/dismiss verdict on a flag the report's current version raises. */
export async function reviewFlag(pool: pg.Pool, reportKey: string, input: FlagReviewInput): Promise<FlagReview> {
  const code = requireText(input.code, 'flag code', 100);
  const path = input.path == null ? null : requireText(input.path, 'path', 200);
  if (typeof input.decision !== 'string' || !DECISIONS.includes(input.decision))
    throw new InputError(`decision must be 'confirmed' or 'dismissed', not ${describe(input.decision)}`);
  const reason = input.reason == null || input.reason === '' ? null : requireText(input.reason, 'reason', MAX_REASON);
  const reviewer = requireReviewer(input.reviewer);
  return withCurrentReport(pool, reportKey, async (client, current) => {
    const { rows } = await client.query<{ path: string | null }>(
      'SELECT DISTINCT path FROM report_flags WHERE report_id = $1 AND code = $2',
      [current.id, code],
    );
    if (!rows.length) throw new InputError(`report ${reportKey} does not raise flag ${code}`);
    if (!rows.some((row) => row.path === path)) {
      const paths = rows.map((row) => row.path ?? '(the whole report)').join(', ');
      throw new InputError(
        path === null
          ? `report ${reportKey} raises ${code} at ${paths}: give the flag's path`
          : `report ${reportKey} raises ${code} at ${paths}, not at ${path}`,
      );
    }
    const inserted = await client.query(
      `INSERT INTO flag_reviews (report_key, flag_code, path, decision, reason, reviewer, extractor_version_seen)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [reportKey, code, path, input.decision, reason, reviewer, current.extractorVersion],
    );
    return flagReview(inserted.rows[0]);
  });
}

/** Records a correction of a cell of the report's current version: the value it should be, and why. */
export async function correctCell(pool: pg.Pool, reportKey: string, input: CorrectionInput): Promise<CorrectionEntry> {
  const path = requireText(input.path, 'path', 200);
  if (input.value !== null && (typeof input.value !== 'number' || !Number.isFinite(input.value)))
    throw new InputError(`value must be a finite number or null (blank), not ${describe(input.value)}`);
  const reason = requireText(input.reason, 'reason', MAX_REASON);
  const reviewer = requireReviewer(input.reviewer);
  return withCurrentReport(pool, reportKey, async (client, current) => {
    const cell = await currentCell(client, current.id, path);
    if (!cell)
      throw new InputError(`${path} is not a cell of report ${reportKey} (extractor ${current.extractorVersion})`);
    if (num(cell.value) === input.value)
      throw new InputError(`${path} is already extracted as ${input.value ?? 'blank'}: nothing to correct`);
    const inserted = await client.query(
      `INSERT INTO cell_corrections (report_key, path, extracted_value, extracted_raw, corrected_value, reason,
         reviewer, extractor_version_seen)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [
        reportKey,
        path,
        cell.value,
        cell.raw,
        input.value === null ? null : String(input.value),
        reason,
        reviewer,
        current.extractorVersion,
      ],
    );
    return correctionEntry(inserted.rows[0]);
  });
}

/** Withdraws a correction: the previous correction not retracted (if any) is in force again, else the extraction. */
export async function retractCorrection(
  pool: pg.Pool,
  correctionId: number,
  input: RetractInput,
): Promise<CorrectionEntry> {
  if (!Number.isSafeInteger(correctionId) || correctionId <= 0)
    throw new NotFoundError(`unknown correction ${describe(correctionId)}`);
  const reason = requireText(input.reason, 'reason', MAX_REASON);
  const reviewer = requireReviewer(input.reviewer);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // FOR UPDATE on the target serialises concurrent retractions of one correction (the unique index would too,
    // with a less readable error).
    const target = (await client.query('SELECT * FROM cell_corrections WHERE id = $1 FOR UPDATE', [correctionId]))
      .rows[0];
    if (!target) throw new NotFoundError(`unknown correction ${correctionId}`);
    if (target.retracts !== null)
      throw new InputError(`entry ${correctionId} is a retraction (of ${target.retracts}), not a correction`);
    const earlier = (await client.query('SELECT id FROM cell_corrections WHERE retracts = $1', [correctionId])).rows[0];
    if (earlier) throw new InputError(`correction ${correctionId} is already retracted (by ${earlier.id})`);
    const current = await currentReport(client, target.report_key);
    const cell = current ? await currentCell(client, current.id, target.path) : undefined;
    const inserted = await client.query(
      `INSERT INTO cell_corrections (report_key, path, extracted_value, extracted_raw, corrected_value, reason,
         reviewer, extractor_version_seen, retracts)
       VALUES ($1, $2, $3, $4, NULL, $5, $6, $7, $8) RETURNING *`,
      [
        target.report_key,
        target.path,
        cell?.value ?? null,
        cell?.raw ?? null,
        reason,
        reviewer,
        current?.extractorVersion ?? target.extractor_version_seen,
        correctionId,
      ],
    );
    await client.query('COMMIT');
    return correctionEntry(inserted.rows[0]);
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** Everything the review layer holds for a report: what is in force and the full history. */
export async function reviewsOf(pool: pg.Pool, reportKey: string): Promise<Reviews> {
  const client = await pool.connect();
  try {
    // One snapshot, so the current state and the history agree.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const current = await currentReport(client, requireKey(reportKey));
    if (!current) throw new NotFoundError(`unknown report key ${reportKey}`);
    // One client runs one query at a time: in sequence.
    const raised = await client.query(
      'SELECT code, path, severity, message FROM report_flags WHERE report_id = $1 ORDER BY ord',
      [current.id],
    );
    const corrections = await client.query('SELECT * FROM v_corrections WHERE report_key = $1 ORDER BY path', [
      reportKey,
    ]);
    const flags = await client.query(
      'SELECT * FROM v_flag_reviews WHERE report_key = $1 ORDER BY flag_code, path NULLS FIRST',
      [reportKey],
    );
    const flagHistory = await client.query('SELECT * FROM flag_reviews WHERE report_key = $1 ORDER BY id', [reportKey]);
    const correctionHistory = await client.query('SELECT * FROM cell_corrections WHERE report_key = $1 ORDER BY id', [
      reportKey,
    ]);
    await client.query('COMMIT');
    return {
      reportKey,
      extractorVersion: current.extractorVersion,
      raised: raised.rows.map((row) => ({
        code: row.code,
        path: row.path,
        severity: row.severity,
        message: row.message,
      })),
      corrections: corrections.rows.map((row) => ({
        correctionId: Number(row.correction_id),
        path: row.path,
        extractedValue: num(row.extracted_value),
        extractedValueAtReview: num(row.extracted_value_at_review),
        correctedValue: num(row.corrected_value),
        reason: row.reason,
        reviewer: row.reviewer,
        createdAt: iso(row.created_at),
        stale: row.stale,
        cellPresent: row.cell_present,
        extractorVersionSeen: row.extractor_version_seen,
      })),
      flags: flags.rows.map((row) => ({
        reviewId: Number(row.review_id),
        code: row.flag_code,
        path: row.path,
        decision: row.decision,
        reason: row.reason,
        reviewer: row.reviewer,
        createdAt: iso(row.created_at),
        flagStillPresent: row.flag_still_present,
        extractorVersionSeen: row.extractor_version_seen,
      })),
      history: {
        flagReviews: flagHistory.rows.map(flagReview),
        corrections: correctionHistory.rows.map(correctionEntry),
      },
    };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

interface CurrentReport {
  id: string;
  extractorVersion: string;
}

/** Runs `work` in a transaction holding the key's current report row FOR SHARE, so a re-extraction cannot
 *  supersede it between the check and the insert: every entry records the version it was checked against. */
async function withCurrentReport<T>(
  pool: pg.Pool,
  reportKey: string,
  work: (client: pg.PoolClient, current: CurrentReport) => Promise<T>,
): Promise<T> {
  const key = requireKey(reportKey);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const current = await currentReport(client, key, true);
    if (!current) throw new NotFoundError(`unknown report key ${key}`);
    const result = await work(client, current);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

async function currentReport(client: pg.PoolClient, key: string, lock = false): Promise<CurrentReport | undefined> {
  const row = (
    await client.query(
      `SELECT id, extractor_version FROM reports WHERE report_key = $1 AND status = 'current'${lock ? ' FOR SHARE' : ''}`,
      [key],
    )
  ).rows[0];
  return row && { id: row.id, extractorVersion: row.extractor_version };
}

async function currentCell(
  client: pg.PoolClient,
  reportId: string,
  path: string,
): Promise<{ value: string | null; raw: string | null } | undefined> {
  return (
    await client.query('SELECT value, raw FROM report_cells WHERE report_id = $1 AND path = $2 ORDER BY ord LIMIT 1', [
      reportId,
      path,
    ])
  ).rows[0];
}

function requireKey(key: unknown): string {
  if (typeof key !== 'string' || !/^[0-9a-f]{16}$/.test(key))
    throw new NotFoundError(`unknown report key ${describe(key)} (a key is 16 lowercase hex digits)`);
  return key;
}

function requireReviewer(value: unknown): string {
  const reviewer = requireText(value, 'reviewer', MAX_REVIEWER);
  if (/[\r\n]/.test(reviewer)) throw new InputError('reviewer must be one line');
  return reviewer;
}

/** A non-empty string of at most `max` characters, trimmed. */
function requireText(value: unknown, field: string, max: number): string {
  if (value == null || value === '') throw new InputError(`${field} is required`);
  if (typeof value !== 'string') throw new InputError(`${field} must be a string, not ${describe(value)}`);
  const text = value.trim();
  if (!text) throw new InputError(`${field} must not be blank`);
  if (text.length > max) throw new InputError(`${field} is ${text.length} characters long (at most ${max})`);
  return text;
}

/** A value for an error message: short, one line. */
function describe(value: unknown): string {
  const text = typeof value === 'number' ? String(value) : String(JSON.stringify(value) ?? value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function num(value: string | null | undefined): number | null {
  return value == null ? null : Number(value);
}

function iso(value: Date): string {
  return value.toISOString();
}

function flagReview(row: Record<string, any>): FlagReview {
  return {
    id: Number(row.id),
    reportKey: row.report_key,
    code: row.flag_code,
    path: row.path,
    decision: row.decision,
    reason: row.reason,
    reviewer: row.reviewer,
    createdAt: iso(row.created_at),
    extractorVersionSeen: row.extractor_version_seen,
  };
}

function correctionEntry(row: Record<string, any>): CorrectionEntry {
  return {
    id: Number(row.id),
    reportKey: row.report_key,
    path: row.path,
    extractedValue: num(row.extracted_value),
    extractedRaw: row.extracted_raw,
    correctedValue: num(row.corrected_value),
    reason: row.reason,
    reviewer: row.reviewer,
    createdAt: iso(row.created_at),
    extractorVersionSeen: row.extractor_version_seen,
    retracts: row.retracts === null ? null : Number(row.retracts),
  };
}
