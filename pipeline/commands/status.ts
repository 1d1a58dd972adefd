// `nianbao status`: queue depths and failed jobs (when REDIS_URL), loads per hour/day, documents with extraction
// errors, the last crawl of each portal, and current reports per region and year.
import { coverage, documentFailures, lastCrawls, throughput } from '../../db/queries/status.ts';
import { coverageCells, latestDueYear, portalHealth } from '../../db/queries/coverage.ts';
import { config } from '../../core/config.ts';
import { parse } from '../args.ts';
import type { Command } from '../command.ts';
import { Queues, queueConfigFromEnv } from '../queues.ts';
import { openStoreFromEnv } from '../store.ts';
import { attention, renderAttention } from '../status-attention.ts';

const usage = `usage: nianbao status [--json]

First the portals an operator must look at: stale counties (no report for the latest year past its due date,
31 January of the next year, or fewer bodies reporting than the year before) and broken portals (last crawl failed,
or the home page showed another body's site: last success, last error, consecutive failures). Then: Queues (when REDIS_URL is set): counts by state and the most recent failed jobs. Database: reports loaded in the last
hour/day, documents with extraction errors (permanent ones are not retried), last crawl per portal, current reports
per region and year.`;

export interface QueueStatus {
  prefix: string;
  counts: Record<string, Record<string, number>>;
  failed: Array<{ queue: string; id: string; reason: string; attempts: number; at: string | null }>;
}

export async function queueStatus(): Promise<QueueStatus | null> {
  if (!config().redisUrl) return null;
  const queues = new Queues(queueConfigFromEnv());
  try {
    const failed: QueueStatus['failed'] = (await queues.failed(20)).map(({ queue, job }) => ({
      queue,
      id: String(job.id),
      reason: job.failedReason,
      attempts: job.attemptsMade,
      at: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    }));
    return { prefix: queues.cfg.prefix, counts: await queues.counts(), failed };
  } finally {
    await queues.close();
  }
}

export default {
  usage,
  async run(argv) {
    const { values: options } = parse(argv, {});
    const store = await openStoreFromEnv();
    const staleYear = latestDueYear();
    try {
      const status = {
        queues: await queueStatus(),
        throughput: await throughput(store.pool),
        failures: await documentFailures(store.pool),
        stale: { year: staleYear, counties: await coverageCells(store.pool, { year: staleYear, states: ['stale'] }) },
        broken: await portalHealth(store.pool, { brokenOnly: true }),
        portals: await lastCrawls(store.pool),
        coverage: await coverage(store.pool),
        attention: await attention(store.pool),
      };
      if (options.json) {
        process.stdout.write(JSON.stringify(status, null, 2) + '\n');
        return 0;
      }
      const out: string[] = [];
      out.push(`stale counties for ${staleYear} (due ${staleYear + 1}-01-31): ${status.stale.counties.length}`);
      for (const cell of status.stale.counties.slice(0, 50))
        out.push(
          `  ${cell.region_code} ${cell.county}: ${cell.bodies ? `${cell.bodies} bodies (${cell.bodies_year_before} the year before)` : 'no report'}`,
        );
      out.push(`broken portals: ${status.broken.length}`);
      for (const portal of status.broken.slice(0, 50))
        out.push(
          `  ${portal.region_code ?? '------'} ${portal.base_url}: ${portal.last_outcome === 'failed' ? `${portal.consecutive_failures} consecutive failure(s), last success ${portal.last_success_at ?? 'never'}, last error ${portal.last_error ?? '-'}` : `verification ${portal.verdict}`}`,
        );
      if (status.queues) {
        out.push(`queues (prefix ${status.queues.prefix}):`);
        for (const [queue, counts] of Object.entries(status.queues.counts)) {
          out.push(
            `  ${queue.padEnd(8)} ${Object.entries(counts)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')}`,
          );
        }
        for (const failed of status.queues.failed)
          out.push(
            `  failed ${failed.id} (${failed.attempts} attempt(s)${failed.at ? `, ${failed.at}` : ''}): ${failed.reason}`,
          );
      } else {
        out.push('queues: REDIS_URL not set (in-process runtime; nothing queued between runs)');
      }
      const loads = status.throughput;
      out.push(
        `loads: ${loads.last_hour} in the last hour, ${loads.last_day} in the last day; ${loads.total} report rows from ${loads.documents} documents`,
      );
      out.push(`documents with extraction errors: ${status.failures.total} (${status.failures.permanent} permanent)`);
      for (const failure of status.failures.recent.slice(0, 10))
        out.push(
          `  ${failure.permanent ? 'permanent' : 'transient'} ${failure.sha256.slice(0, 12)} ${failure.url}: ${failure.reason}`,
        );
      out.push(`portals: ${status.portals.length}`);
      for (const portal of status.portals.filter((x) => x.started_at).slice(0, 50)) {
        out.push(
          `  ${portal.region_code ?? '------'} ${portal.base_url}: last crawl ${portal.started_at}${portal.finished_at ? '' : ' (unfinished)'}${portal.error ? ` error: ${portal.error}` : ''}`,
        );
      }
      const never = status.portals.filter((x) => !x.started_at).length;
      if (never) out.push(`  ${never} portal(s) never crawled`);
      out.push(...renderAttention(status.attention));
      out.push('current reports by region and year:');
      for (const row of status.coverage)
        out.push(
          `  ${row.region_code ?? '(none)'} ${row.year ?? '----'}: ${row.reports}${row.flagged_error ? ` (${row.flagged_error} with error flags)` : ''}`,
        );
      process.stdout.write(out.join('\n') + '\n');
      return 0;
    } finally {
      await store.close();
    }
  },
} satisfies Command;
