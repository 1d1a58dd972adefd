// `nianbao status`'s "what to retry" section: crawl runs that were interrupted or never finished, documents whose
// extraction failed for a transient reason (the disk, the database, a timeout: running it again can succeed), and the
// command that retries each. Permanent failures (unreadable documents) are listed by status.ts and not retried.
import type pg from 'pg';

export interface Attention {
  interruptedRuns: Array<{ id: number; portal_url: string; started_at: string; outcome: string | null }>;
  retryableDocuments: Array<{ region_code: string | null; documents: number; example: string }>;
  /** One command per line: what retries the work listed above. */
  commands: string[];
}

/** Runs not finished this long after they started were stopped without a word (a killed process). */
const ABANDONED_AFTER = '6 hours';

export async function attention(pool: pg.Pool): Promise<Attention> {
  const { rows: runs } = await pool.query(
    `SELECT id::int, portal_url, started_at::text, outcome FROM crawl_runs
      WHERE outcome = 'interrupted' OR (finished_at IS NULL AND started_at < now() - interval '${ABANDONED_AFTER}')
      ORDER BY started_at DESC LIMIT 20`,
  );
  const { rows: documents } = await pool.query(
    `SELECT p.region_code, count(DISTINCT d.sha256)::int AS documents, min(d.extraction_error) AS example
       FROM documents d
       LEFT JOIN candidate_documents cd ON cd.sha256 = d.sha256
       LEFT JOIN candidates c ON c.id = cd.candidate_id
       LEFT JOIN portals p ON p.id = c.portal_id
      WHERE d.extraction_error IS NOT NULL AND NOT d.error_permanent
      GROUP BY 1 ORDER BY 2 DESC`,
  );
  const commands = [
    ...new Set([
      ...runs.map((run) => `nianbao crawl --portal ${shellQuote(run.portal_url)}`),
      ...documents.filter((row) => row.region_code).map((row) => `nianbao reextract --region ${row.region_code}`),
    ]),
  ];
  return { interruptedRuns: runs, retryableDocuments: documents, commands };
}

export function renderAttention(state: Attention): string[] {
  const out = [`interrupted or abandoned crawl runs: ${state.interruptedRuns.length}`];
  for (const run of state.interruptedRuns)
    out.push(`  run ${run.id} ${run.portal_url}: started ${run.started_at}, ${run.outcome ?? 'never finished'}`);
  const retryable = state.retryableDocuments.reduce((total, row) => total + row.documents, 0);
  out.push(`documents whose extraction failed for a retryable reason: ${retryable}`);
  for (const row of state.retryableDocuments)
    out.push(`  ${row.region_code ?? '(no portal)'}: ${row.documents} (e.g. ${row.example})`);
  if (state.commands.length) {
    out.push('to retry:');
    for (const command of state.commands) out.push(`  ${command}`);
  }
  return out;
}

function shellQuote(text: string): string {
  return /^[\w:/.?=&%-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
