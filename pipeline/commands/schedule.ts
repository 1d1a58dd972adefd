// `nianbao schedule`: registers (or lists) the nightly crawl of every enabled portal as BullMQ job schedulers.
import { parse } from '../args.ts';
import type { Command } from '../command.ts';
import { config } from '../../core/config.ts';
import { UsageError } from '../../core/errors.ts';
import { log } from '../../core/log.ts';
import { Queues, queueConfigFromEnv } from '../queues.ts';
import { DEFAULT_CRON, groupByHost, listNightly, registerNightly, TIMEZONE, type ScheduleEntry } from '../schedule.ts';
import { openStoreFromEnv } from '../store.ts';

const usage = `usage: nianbao schedule [--cron EXPR] [--list] [--json]

Registers the nightly crawl (default cron "${DEFAULT_CRON}", ${TIMEZONE}) for all enabled portals: one scheduler per
host, whose job crawls that host's portals one after another. Re-run after changing portals. --list shows them.
Needs REDIS_URL; the crawl jobs are run by \`nianbao worker\`.`;

export default {
  usage,
  async run(argv) {
    const { values } = parse(argv, { cron: { type: 'string' }, list: { type: 'boolean' } });
    if (values.list && values.cron) throw new UsageError('--list takes no --cron');
    const cron = values.cron ?? DEFAULT_CRON;
    if (cron.trim().split(/\s+/).length < 5)
      throw new UsageError(`--cron '${cron}' is not a cron expression (5 or 6 fields)`);
    if (!config().redisUrl)
      throw new Error('REDIS_URL is not set: schedules live in Redis (start Redis and set REDIS_URL)');
    const queues = new Queues(queueConfigFromEnv());
    try {
      let entries: ScheduleEntry[];
      if (values.list) {
        entries = await listNightly(queues);
      } else {
        const store = await openStoreFromEnv();
        try {
          const portals = await store.listPortals({ enabledOnly: true });
          if (!portals.length) log.warn('no enabled portals: nothing to schedule (see `nianbao db migrate`)');
          try {
            entries = await registerNightly(queues, portals, cron);
          } catch (err) {
            if (/cron|pattern|invalid/i.test((err as Error).message))
              throw new UsageError(`--cron '${cron}': ${(err as Error).message}`);
            throw err;
          }
          const groups = groupByHost(portals);
          entries = entries.map((e) => ({ ...e, portals: groups.get(e.host)?.length ?? 0 }));
        } finally {
          await store.close();
        }
      }
      if (values.json) {
        process.stdout.write(JSON.stringify({ schedulers: entries }, null, 2) + '\n');
      } else if (!entries.length) {
        process.stdout.write('no nightly crawl scheduled\n');
      } else {
        for (const entry of entries) {
          process.stdout.write(
            `${entry.id}\t${entry.cron} ${entry.tz}\tnext ${entry.next ?? '-'}${entry.portals >= 0 ? `\t${entry.portals} portal(s)` : ''}\n`,
          );
        }
      }
      return 0;
    } finally {
      await queues.close();
    }
  },
} satisfies Command;
