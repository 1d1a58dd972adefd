// The one `nianbao` command: dispatches to pipeline/commands/<name>.ts, maps errors to the exit codes of spec/CLI.md.
import { UsageError } from '../core/errors.ts';
import { setLogLevel } from '../core/log.ts';
import type { Command } from './command.ts';
import { exitCodeOf, InterruptedError } from './interrupt.ts';

const commands: Record<string, { summary: string; load: () => Promise<{ default: Command }> }> = {
  extract: {
    summary: 'one document → the common schema (no database needed)',
    load: () => import('./commands/extract.ts'),
  },
  crawl: { summary: 'find and archive reports on county portals', load: () => import('./commands/crawl.ts') },
  worker: {
    summary: 'run queue workers (crawl, extract, load) until SIGTERM',
    load: () => import('./commands/worker.ts'),
  },
  schedule: { summary: 'register or list the nightly crawl', load: () => import('./commands/schedule.ts') },
  reextract: {
    summary: 're-run extraction on archived documents of a county, no network',
    load: () => import('./commands/reextract.ts'),
  },
  status: { summary: 'queues, failures, last crawls, coverage', load: () => import('./commands/status.ts') },
  portals: {
    summary: 'portals discover --prefecture CODE: verified county portals from a prefecture portal',
    load: () => import('./commands/portals.ts'),
  },
  coverage: {
    summary: 'county × year coverage of the national registry, totals per province',
    load: () => import('./commands/coverage.ts'),
  },
  demo: {
    summary: 'portal simulator + crawl + extract + load, then a summary',
    load: () => import('./commands/demo.ts'),
  },
  serve: {
    summary: 'web interface and JSON API over the database (127.0.0.1:8420)',
    load: () => import('./commands/serve.ts'),
  },
  export: {
    summary: 'a dated, versioned dataset snapshot (CSV, Parquet, codebook, manifest, licence)',
    load: () => import('./commands/export.ts'),
  },
  db: { summary: 'database tasks: `db migrate`', load: () => import('./commands/db.ts') },
};

function help(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return [
    'nianbao — China government information disclosure annual reports: crawl, extract, load',
    '',
    'usage: nianbao <command> [options]   (every command takes --json and --debug; see `nianbao <command> --help`)',
    '',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'environment: DATABASE_URL (unset: embedded Postgres under ./.nianbao/pg), REDIS_URL (unset: in-process workers),',
    '             NIANBAO_HOME (default ./.nianbao: blob store, embedded database)',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  if (debug) setLogLevel('debug');
  const [name, ...rest] = argv.filter((a) => a !== '--debug');
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help() + '\n');
    return name ? 0 : 2;
  }
  const entry = commands[name];
  if (!entry) {
    process.stderr.write(`nianbao: unknown command '${name}'\n\n${help()}\n`);
    return 2;
  }
  try {
    const cmd = (await entry.load()).default;
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(cmd.usage.trimEnd() + '\n');
      return 0;
    }
    return await cmd.run(rest);
  } catch (err) {
    const error = err as Error;
    if (err instanceof UsageError) {
      process.stderr.write(`nianbao ${name}: ${error.message}\n`);
      return 2;
    }
    // A stop the user asked for is not a failure to explain with a stack: one line with what was done.
    if (err instanceof InterruptedError) {
      process.stderr.write(`nianbao ${name}: interrupted by ${err.signal}: ${error.message}\n`);
      return exitCodeOf(err.signal);
    }
    process.stderr.write(debug ? `${error.stack ?? error}\n` : `nianbao ${name}: ${oneLine(error)}\n`);
    return 1;
  }
}

function oneLine(error: Error): string {
  return String(error?.message ?? error).split('\n')[0] || error.name;
}
