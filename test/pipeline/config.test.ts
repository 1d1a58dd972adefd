// The configuration registry (core/config.ts) and README.md's configuration table name the same variables with the
// same defaults; and the parsers keep the semantics the ad hoc reads had.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { loadConfig, SETTINGS } from '../../core/config.ts';
import { createLogger, setLogLevel } from '../../core/log.ts';

function readmeTable(): Map<string, string> {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration (environment)'));
  const rows = new Map<string, string>();
  for (const line of section.slice(0, section.indexOf('\n## ')).split('\n')) {
    const cells = line.split(' | ');
    const name = /^\| `([A-Z_]+)`$/.exec(cells[0] ?? '');
    if (name) rows.set(name[1]!, cells.at(-1)!.replace(/ \|$/, ''));
  }
  return rows;
}

test('README.md documents every registered variable, with the registry default, and no other', () => {
  const documented = readmeTable();
  const registered = Object.values(SETTINGS);
  assert.deepEqual([...documented.keys()].sort(), registered.map((setting) => setting.name).sort());
  for (const setting of registered) assert.equal(documented.get(setting.name), setting.unset, setting.name);
});

test('every environment variable the code reads is in the registry', () => {
  const root = new URL('../../', import.meta.url);
  const registered = new Set(Object.values(SETTINGS).map((setting) => setting.name));
  const unregistered: string[] = [];
  for (const dir of ['bench', 'core', 'crawlers', 'db', 'extractors', 'pipeline', 'simulator', 'test']) {
    for (const file of readdirSync(new URL(dir, root), { recursive: true, encoding: 'utf8' })) {
      if (!/\.(ts|js)$/.test(file) || file.includes('node_modules')) continue;
      const source = readFileSync(new URL(`${dir}/${file}`, root), 'utf8');
      for (const read of source.matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g))
        if (!registered.has(read[1]!)) unregistered.push(`${dir}/${file}: ${read[1]}`);
    }
  }
  assert.deepEqual(unregistered, []);
});

test('defaults and parsing: empty is unset, integers fall back when malformed', () => {
  const defaults = loadConfig({});
  assert.equal(defaults.databaseUrl, undefined);
  assert.equal(defaults.redisUrl, undefined);
  assert.equal(defaults.home, '.nianbao');
  assert.equal(defaults.queuePrefix, 'nianbao');
  assert.deepEqual(
    [defaults.attempts, defaults.backoffMs, defaults.lockMs, defaults.stalledMs],
    [5, 5000, 60_000, 30_000],
  );
  assert.equal(defaults.healthSeconds, 60);
  assert.equal(defaults.logLevel, 'info');
  assert.equal(defaults.debug, false);
  assert.equal(defaults.pdfTimeoutMs, 120_000);
  assert.equal(defaults.crawleeMemoryMbytes, 1024);

  const given = loadConfig({
    DATABASE_URL: '',
    REDIS_URL: 'redis://r:6379',
    NIANBAO_HOME: '',
    NIANBAO_ATTEMPTS: '0',
    NIANBAO_BACKOFF_MS: '-1',
    NIANBAO_LOCK_MS: '1.5',
    NIANBAO_STALLED_MS: 'x',
    NIANBAO_LOG_LEVEL: 'warn',
    NIANBAO_DEBUG: '1',
  });
  assert.equal(given.databaseUrl, undefined);
  assert.equal(given.redisUrl, 'redis://r:6379');
  assert.equal(given.home, '.nianbao');
  assert.deepEqual([given.attempts, given.backoffMs, given.lockMs, given.stalledMs], [0, 5000, 60_000, 30_000]);
  assert.equal(given.logLevel, 'warn');
  assert.equal(given.debug, true);
  assert.equal(loadConfig({ NIANBAO_LOG_LEVEL: 'loud' }).logLevel, 'info');
});

test('the logger writes lines as given, to its sink, at or above the level', () => {
  const lines: string[] = [];
  const logger = createLogger('[w 1] ', (text) => lines.push(text));
  try {
    setLogLevel('info');
    logger.debug('hidden');
    logger.info('ready: queues crawl');
    setLogLevel('error');
    logger.warn('hidden too');
    logger.error('boom');
    setLogLevel('debug');
    logger.debug('now shown');
  } finally {
    setLogLevel('info');
  }
  assert.deepEqual(lines, ['[w 1] ready: queues crawl\n', '[w 1] boom\n', '[w 1] now shown\n']);
});
