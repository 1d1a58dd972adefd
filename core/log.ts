// The one logger for progress and diagnostics: stderr only (stdout is the command's result, `--json` included).
// Lines are written as given, with no level tag or time, so operators' greps and the tests' matches keep working.
// The threshold comes from NIANBAO_LOG_LEVEL (default info); `--debug` lowers it to debug.
import { config, LOG_LEVELS, type LogLevel } from './config.ts';

export type { LogLevel };

/** One method per level; each takes one message line (no trailing newline) and may be passed on as a callback. */
export type Logger = Record<LogLevel, (message: string) => void>;

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
let threshold: LogLevel | undefined;

export function setLogLevel(level: LogLevel): void {
  threshold = level;
}

export function logLevel(): LogLevel {
  return (threshold ??= config().logLevel);
}

export function enabled(level: LogLevel): boolean {
  return RANK[level] >= RANK[logLevel()];
}

/** A logger whose lines start with `prefix` (e.g. `[worker 123] `). `write` is for tests; default: stderr. */
export function createLogger(
  prefix = '',
  write: (text: string) => void = (text) => process.stderr.write(text),
): Logger {
  const at =
    (level: LogLevel) =>
    (message: string): void => {
      if (enabled(level)) write(`${prefix}${message}\n`);
    };
  return Object.fromEntries(LOG_LEVELS.map((level) => [level, at(level)])) as Logger;
}

/** The process's logger, no prefix. */
export const log: Logger = createLogger();
