// Every environment variable nianbao reads, in one table: name, what it holds when unset, a one-line doc and the
// parser. README.md's configuration table is checked against it (test/pipeline/config.test.ts), so a variable added
// here without documentation, or documented with another default, fails the tests.
// Code reads `config()` (the process environment, parsed once) or `loadConfig(env)` for a given environment.
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Setting<T> {
  /** The environment variable. */
  name: string;
  /** What the value is when the variable is unset, as README.md states it. */
  unset: string;
  doc: string;
  /** Raw value (undefined when unset) → typed value. Defaults are applied here, nowhere else. */
  parse: (raw: string | undefined) => T;
  /** Read only by the tests and corpus generators, never by the nianbao command. */
  testOnly?: boolean;
}

/** Empty counts as unset: `VAR= nianbao …` is how a user clears a variable for one command. */
const text = (raw: string | undefined): string | undefined => raw || undefined;
const textOr =
  (fallback: string) =>
  (raw: string | undefined): string =>
    raw || fallback;

/** A non-negative integer; anything else (unset, empty, negative, fractional, not a number) is the fallback. */
export function nonNegativeInt(raw: string | undefined, fallback: number): number {
  const value = Number(raw);
  return raw !== undefined && raw !== '' && Number.isInteger(value) && value >= 0 ? value : fallback;
}
const intOr = (fallback: number) => (raw: string | undefined) => nonNegativeInt(raw, fallback);

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const SETTINGS = {
  databaseUrl: {
    name: 'DATABASE_URL',
    unset: 'embedded Postgres under `$NIANBAO_HOME/pg`',
    doc: 'Postgres to use',
    parse: text,
  },
  redisUrl: {
    name: 'REDIS_URL',
    unset: 'in-process workers',
    doc: 'Redis for the BullMQ queues',
    parse: text,
  },
  home: {
    name: 'NIANBAO_HOME',
    unset: '`./.nianbao`',
    doc: 'blob store (`blobs/`, raw bytes by sha256) and embedded database',
    parse: textOr('.nianbao'),
  },
  queuePrefix: {
    name: 'NIANBAO_QUEUE_PREFIX',
    unset: '`nianbao`',
    doc: 'BullMQ key prefix',
    parse: textOr('nianbao'),
  },
  attempts: {
    name: 'NIANBAO_ATTEMPTS',
    unset: '`5`',
    doc: 'tries per job, the first included',
    parse: intOr(5),
  },
  backoffMs: {
    name: 'NIANBAO_BACKOFF_MS',
    unset: '`5000`',
    doc: 'first retry of a failed job after this many ms, doubled each further retry',
    parse: intOr(5000),
  },
  lockMs: {
    name: 'NIANBAO_LOCK_MS',
    unset: '`60000`',
    doc: 'a job whose worker stops renewing its lock is handed to another worker after this many ms',
    parse: intOr(60_000),
  },
  stalledMs: {
    name: 'NIANBAO_STALLED_MS',
    unset: '`30000`',
    doc: 'how often (ms) workers look for stalled jobs',
    parse: intOr(30_000),
  },
  healthSeconds: {
    name: 'NIANBAO_HEALTH_SECONDS',
    unset: '`60`',
    doc: '`nianbao worker` logs a health line this often (0: every 60 s)',
    parse: intOr(60),
  },
  logLevel: {
    name: 'NIANBAO_LOG_LEVEL',
    unset: '`info`',
    doc: 'least severe diagnostic written to stderr: debug, info, warn, error (`--debug` sets debug)',
    parse: (raw: string | undefined): LogLevel =>
      (LOG_LEVELS as readonly string[]).includes(raw ?? '') ? (raw as LogLevel) : 'info',
  },
  traceFile: {
    name: 'NIANBAO_TRACE_FILE',
    unset: 'no trace',
    doc: 'appends one line per job step (`<pid> <queue> <step> <key> <epoch ms>`)',
    parse: text,
  },
  debug: {
    name: 'NIANBAO_DEBUG',
    unset: 'crawler library logs off',
    doc: 'any value: Crawlee and Playwright log to stderr',
    parse: (raw: string | undefined): boolean => Boolean(raw),
  },
  chromium: {
    name: 'NIANBAO_CHROMIUM',
    unset: '`/usr/bin/chromium`',
    doc: 'Chromium binary for JS-rendered portals',
    parse: textOr('/usr/bin/chromium'),
  },
  pdfTimeoutMs: {
    name: 'NIANBAO_PDF_TIMEOUT_MS',
    unset: '`120000`',
    doc: 'per PDF: still being read after this many ms, it fails as unreadable',
    // A value that is not a whole number of ms falls back to the default (NaN would time every PDF out at once).
    parse: intOr(120_000),
  },
  ocr: {
    name: 'NIANBAO_OCR',
    unset: '`auto`',
    doc: '`auto`: PDF pages without a text layer are read with tesseract when it is installed; `off`: never (flagged `OCR_UNAVAILABLE`)',
    parse: (raw: string | undefined): 'auto' | 'off' => (raw === 'off' ? 'off' : 'auto'),
  },
  ocrPageMs: {
    name: 'NIANBAO_OCR_PAGE_MS',
    unset: '`60000`',
    doc: 'per OCR page: tesseract still running after this many ms is stopped and the document fails as unreadable',
    parse: intOr(60_000),
  },
  crawleeMemoryMbytes: {
    name: 'CRAWLEE_MEMORY_MBYTES',
    unset: '`1024`',
    doc: 'memory (MB) Crawlee sizes its autoscaled crawl concurrency for',
    parse: (raw: string | undefined): number => Number(raw) || 1024,
  },
  crawleeStorageDir: {
    name: 'CRAWLEE_STORAGE_DIR',
    unset: '`$TMPDIR/nianbao-crawlee`',
    doc: "Crawlee's scratch storage (request queues); nothing nianbao keeps",
    parse: (raw: string | undefined): string => raw ?? join(tmpdir(), 'nianbao-crawlee'),
  },
  testDatabaseUrl: {
    name: 'TEST_DATABASE_URL',
    unset: '`postgres://postgres@127.0.0.1:5432/postgres`',
    doc: 'tests only: the server where each test creates and drops its own database',
    parse: textOr('postgres://postgres@127.0.0.1:5432/postgres'),
    testOnly: true,
  },
  testRedisUrl: {
    name: 'TEST_REDIS_URL',
    unset: '`redis://127.0.0.1:6379`',
    doc: 'tests only: Redis for the queue tests (each test uses its own key prefix)',
    parse: textOr('redis://127.0.0.1:6379'),
    testOnly: true,
  },
  updateExamples: {
    name: 'NIANBAO_UPDATE_EXAMPLES',
    unset: 'examples are checked',
    doc: "tests only: `1` rewrites the crawler adapter examples' expectations instead of checking them",
    parse: (raw: string | undefined): boolean => raw === '1',
    testOnly: true,
  },
  officeRandom: {
    name: 'OFFICE_RANDOM',
    unset: '`40`',
    doc: 'corpus only: random reports `npm run corpus:office` renders through LibreOffice',
    parse: (raw: string | undefined): number => Number(raw ?? 40),
    testOnly: true,
  },
} satisfies Record<string, Setting<unknown>>;

export type Config = { readonly [K in keyof typeof SETTINGS]: ReturnType<(typeof SETTINGS)[K]['parse']> };

/** Parses the given environment (tests pass their own; nothing is cached). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const out: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(SETTINGS)) out[key] = setting.parse(env[setting.name]);
  return out as Config;
}

let current: Config | undefined;

/** The process environment, parsed on first use and then kept: the environment of a running command is fixed. */
export function config(): Config {
  return (current ??= loadConfig());
}
