// `nianbao demo`: the whole pipeline on a fresh machine. Starts the portal simulator, crawls it, extracts, loads
// (embedded Postgres unless DATABASE_URL; in-process unless REDIS_URL), then prints a summary checked against the
// simulator's ground truth and the psql command to explore the result.
import { currentReportsByUrl, loadSummary } from '../../db/queries/summary.ts';
import { accuracy, type Accuracy } from '../accuracy.ts';
import { parse } from '../args.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../../core/errors.ts';
import { log as defaultLog } from '../../core/log.ts';
import { runToCompletion } from '../run.ts';
import { openStoreFromEnv } from '../store.ts';
import { trapInterrupts } from '../interrupt.ts';
import type { Simulator } from '../../simulator/server.ts';
import type pg from 'pg';
import { registerPortals } from '../../simulator/register.ts';

const usage = `usage: nianbao demo [--seed N] [--port N] [--json]

Starts the portal simulator on 127.0.0.1 (default port 47810, so re-runs find the same portals), crawls its four
county portals, extracts and loads every report, and prints what was loaded and how it compares with the simulator's
ground truth. DATABASE_URL unset: embedded Postgres under NIANBAO_HOME (./.nianbao); REDIS_URL unset: in-process.`;

export default {
  usage,
  async run(argv) {
    const { values: options } = parse(argv, { seed: { type: 'string' }, port: { type: 'string' } });
    const seed = options.seed === undefined ? 1 : Number(options.seed);
    const port = options.port === undefined ? 47810 : Number(options.port);
    if (!Number.isInteger(seed)) throw new UsageError('--seed must be an integer');
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a TCP port');
    const log = defaultLog.info;

    // The store first, then the simulator inside the try: whatever fails, everything opened is closed again, so
    // the process exits instead of hanging on a listening server.
    const store = await openStoreFromEnv();
    const pool = store.pool;
    const interrupt = trapInterrupts(log);
    let sim: Simulator | null = null;
    try {
      const { startSimulator } = await import('../../simulator/server.ts');
      sim = await startSimulator({ port, seed }).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EADDRINUSE') throw err;
        log(`port ${port} is busy: the simulator takes a free port (its portals are new to the database)`);
        return startSimulator({ seed });
      });
      log(`portal simulator at ${sim.url}: ${sim.truth.portals.length} county portals`);
      const portals = await registerPortals(store, sim.truth.portals);
      const run = await runToCompletion({
        store,
        portals,
        allowPrivate: true,
        log,
        runKey: `demo-${new Date().toISOString().replace(/[-:.]/g, '')}`,
        signal: interrupt.signal,
      });
      // An interrupted demo prints no summary that could pass for a finished run.
      interrupt.check(
        () =>
          `demo stopped after crawling ${run.done.crawl} portal(s), extracting ${run.done.extract} and loading ` +
          `${run.done.load} document(s); ${run.left} job(s) not done (run \`nianbao demo\` again to finish)`,
      );
      const summary = await loadSummary(pool);
      const { coverageCells, portalVerdicts } = await import('../../db/queries/coverage.ts');
      const verification = await portalVerdicts(
        pool,
        portals.map((portal) => portal.id),
      );
      const counties = new Set(sim.truth.portals.map((portal) => portal.regionCode));
      const coverage = (await coverageCells(pool)).filter((cell) => counties.has(cell.region_code));
      const truth = sim.truth.portals.flatMap((p) => p.reports);
      const acc = accuracy(truth, await currentReportsByUrl(pool));
      const psql = `psql '${store.url}'`;
      const serve = await serveHint(pool);
      if (options.json) {
        process.stdout.write(
          JSON.stringify(
            { simulator: sim.url, run, summary, accuracy: acc, verification, coverage, psql, serve },
            null,
            2,
          ) + '\n',
        );
      } else {
        process.stdout.write(
          render(run, summary, acc, psql) +
            '\n' +
            renderHealth(verification, coverage) +
            '\n' +
            `\nlook at it in a browser: ${serve.command}   then open ${serve.url}` +
            (serve.report ? `\n  a report next to its source: ${serve.report}` : '') +
            '\n',
        );
      }
      // Unreadable documents are findings (recorded with their reason); a job that failed for any other reason
      // means the pipeline itself did not finish.
      return run.failed.some((f) => !f.permanent) ? 1 : 0;
    } finally {
      interrupt.dispose();
      await sim?.close();
      await store.close();
    }
  },
} satisfies Command;

function render(
  run: Awaited<ReturnType<typeof runToCompletion>>,
  summary: Awaited<ReturnType<typeof loadSummary>>,
  acc: Accuracy,
  psql: string,
): string {
  const pairs = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || '-';
  const pct = (x: number, n: number) => (n ? `${((100 * x) / n).toFixed(1)}%` : 'n/a');
  const lines = [
    '',
    `nianbao demo (${run.runtime}, ${run.seconds.toFixed(1)} s): crawled ${run.done.crawl} portal(s), extracted ${run.done.extract}, loaded ${run.done.load}`,
    `  database:   ${summary.portals} portals, ${summary.documents} documents archived, ${summary.reports} current reports`,
    `  templates:  ${pairs(summary.byTemplate)}`,
    `  flags:      ${pairs(summary.flagsByCode)}`,
    `  failures:   ${run.failed.length} job(s) failed (${run.failed.filter((f) => f.permanent).length} unreadable documents, not retried), ${summary.documentErrors} document(s) with an extraction error`,
    ...run.failed.slice(0, 5).map((f) => `              ${f.id}: ${f.reason}`),
    `  vs truth:   ${acc.loaded}/${acc.expected} simulator reports loaded${acc.missing.length ? ` (missing: ${acc.missing.slice(0, 5).join(', ')}${acc.missing.length > 5 ? ' …' : ''})` : ''}`,
    `              region+year right on ${acc.loaded - acc.metadataWrong.length}/${acc.loaded}; provenance complete on ${acc.loaded - acc.provenanceGaps.length}/${acc.loaded}`,
    `              values right on ${acc.cellsCorrect}/${acc.cells} cells (${pct(acc.cellsCorrect, acc.cells)}) of ${acc.withValues} report(s) with ground-truth values`,
    ...acc.mismatches
      .slice(0, 5)
      .map((m) => `              ${m.report} ${m.path}: expected ${m.expected}, got ${m.got}`),
    '',
    `explore: ${psql}`,
    `  e.g.  SELECT region_code, year, agency_name, template FROM reports WHERE status = 'current' ORDER BY 1, 2;`,
  ];
  return lines.join('\n');
}

/** The simulated counties' portal verdicts and their row of the national coverage matrix. */
function renderHealth(
  verification: Array<{ base_url: string; region_code: string | null; verdict: string | null; reason: string | null }>,
  coverage: Array<{ region_code: string; county: string; year: number; state: string; bodies: number }>,
): string {
  const years = [...new Set(coverage.map((cell) => cell.year))].sort();
  const lines = ['', 'portals (verification on first crawl):'];
  for (const portal of verification)
    lines.push(`  ${portal.region_code ?? '------'} ${portal.verdict ?? 'not verified'}: ${portal.reason ?? '-'}`);
  lines.push(`coverage of the demo counties (nianbao coverage; ${years.join(', ')}):`);
  for (const code of new Set(coverage.map((cell) => cell.region_code))) {
    const cells = coverage.filter((cell) => cell.region_code === code);
    const shown = cells.map((cell) => `${cell.year} ${cell.state}${cell.bodies ? ` ${cell.bodies}` : ''}`);
    lines.push(`  ${code} ${cells[0].county}: ${shown.join(' | ')}`);
  }
  return lines.join('\n');
}

/** How to look at the result: the serve command, its URL, and one loaded report's page with a cell selected. */
async function serveHint(pool: pg.Pool) {
  const { DEFAULT_HOST, DEFAULT_PORT } = await import('../../serve/server.ts');
  const url = `http://${DEFAULT_HOST}:${DEFAULT_PORT}/`;
  const { rows } = await pool.query(
    `SELECT r.report_key, min(c.path) AS path FROM reports r JOIN report_cells c ON c.report_id = r.id
     WHERE r.status = 'current' AND c.value IS NOT NULL GROUP BY r.report_key, r.id ORDER BY r.id LIMIT 1`,
  );
  const report = rows[0] ? `${url}reports/${rows[0].report_key}?cell=${rows[0].path}` : null;
  return { command: 'npx nianbao serve', url, report };
}
