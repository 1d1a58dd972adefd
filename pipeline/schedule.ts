// The nightly crawl as BullMQ job schedulers: one scheduler per host, whose job crawls that host's portals one after
// another, so no server is hit by two of our crawls at once while different hosts crawl in parallel.
import type { Portal } from '../db/store-types.ts';
import { hostOf } from './jobs/crawl-job.ts';
import type { CrawlJobData } from './jobs/job-types.ts';
import type { Queues } from './queues.ts';

export const DEFAULT_CRON = '0 2 * * *';
export const TIMEZONE = 'Asia/Shanghai';
const PREFIX = 'nightly-';

export interface ScheduleEntry {
  id: string;
  host: string;
  portals: number;
  cron: string;
  tz: string;
  next: string | null;
}

/** Groups enabled portals by host (scheme and path ignored: same server, same politeness budget). */
export function groupByHost(portals: Portal[]): Map<string, Portal[]> {
  const out = new Map<string, Portal[]>();
  for (const portal of portals) {
    if (!portal.enabled) continue;
    const host = hostOf(portal.baseUrl);
    out.set(host, [...(out.get(host) ?? []), portal]);
  }
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}

/** Upserts one scheduler per host and removes ours whose host has no enabled portal left. */
export async function registerNightly(
  queues: Queues,
  portals: Portal[],
  cron = DEFAULT_CRON,
): Promise<ScheduleEntry[]> {
  const crawlQueue = queues.queues.crawl;
  const groups = groupByHost(portals);
  const wanted = new Set<string>();
  for (const [host] of groups) {
    const id = PREFIX + host;
    wanted.add(id);
    const data: CrawlJobData = { host, runKey: 'nightly' };
    await crawlQueue.upsertJobScheduler(
      id,
      { pattern: cron, tz: TIMEZONE },
      {
        name: 'crawl',
        data,
        opts: {
          attempts: queues.cfg.retry.attempts,
          backoff: { type: 'exponential', delay: queues.cfg.retry.backoffMs },
        },
      },
    );
  }
  for (const scheduler of await crawlQueue.getJobSchedulers(0, -1)) {
    const id = scheduler.id ?? scheduler.key;
    if (id.startsWith(PREFIX) && !wanted.has(id)) await crawlQueue.removeJobScheduler(id);
  }
  return listNightly(queues, groups);
}

export async function listNightly(queues: Queues, groups?: Map<string, Portal[]>): Promise<ScheduleEntry[]> {
  const list = await queues.queues.crawl.getJobSchedulers(0, -1, true);
  return list
    .filter((s) => (s.id ?? s.key).startsWith(PREFIX))
    .map((scheduler) => {
      const id = scheduler.id ?? scheduler.key;
      const host = (scheduler.template?.data as CrawlJobData | undefined)?.host ?? id.slice(PREFIX.length);
      return {
        id,
        host,
        portals: groups?.get(host)?.length ?? -1,
        cron: scheduler.pattern ?? '',
        tz: scheduler.tz ?? '',
        next: scheduler.next ? new Date(scheduler.next).toISOString() : null,
      };
    })
    .sort((a, b) => a.host.localeCompare(b.host));
}
