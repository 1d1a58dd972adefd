// The quality-flag registry (core/flags.ts) against everything that restates it: the schema enum, the SCHEMA.md
// table and the codes the source raises. A code missing from the schema would otherwise fail only at run time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FLAG_CODES, FLAG_SEVERITY, FLAGS, isFlagCode } from '../../core/flags.ts';
import { LOAD_TIME_FLAGS } from '../../db/load-flags.ts';
import { SCHEMA_JSON, SCHEMA_MD, schemaMdWithFlags, schemaWithFlags } from '../../tools/gen-flags.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE_DIRS = ['extractors', 'db', 'pipeline', 'crawlers', 'simulator', 'core', 'bin'];

/** "missing X, Y; extra Z" between the registry and another list of codes, or '' when they agree. */
function difference(where: string, codes: readonly string[]): string {
  const missing = FLAG_CODES.filter((code) => !codes.includes(code));
  const extra = codes.filter((code) => !isFlagCode(code));
  const parts = [];
  if (missing.length) parts.push(`missing ${missing.join(', ')}`);
  if (extra.length) parts.push(`not in core/flags.ts ${extra.join(', ')}`);
  return parts.length ? `${where}: ${parts.join('; ')}` : '';
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (/\.(ts|js|mjs)$/.test(name)) out.push(path);
  }
  return out;
}

test('the schema enum lists exactly the registry codes, in registry order', () => {
  const schema = JSON.parse(readFileSync(SCHEMA_JSON, 'utf8'));
  const codes: string[] = schema.properties.flags.items.properties.code.enum;
  assert.equal(difference('spec/report.schema.json flags[].code enum', codes), '');
  assert.deepEqual(codes, FLAG_CODES);
});

test('the SCHEMA.md flags table has one row per registry code, with its severity', () => {
  const markdown = readFileSync(SCHEMA_MD, 'utf8');
  const rows = [...markdown.matchAll(/^\| `([A-Z_]+)` \| (\w+) \|/gm)];
  assert.equal(
    difference(
      'spec/SCHEMA.md flags table',
      rows.map((row) => row[1]),
    ),
    '',
  );
  for (const [, code, severity] of rows)
    assert.equal(severity, FLAG_SEVERITY[code as keyof typeof FLAG_SEVERITY], code);
});

test('spec/ is what `npm run gen:flags` writes from the registry', () => {
  const schemaText = readFileSync(SCHEMA_JSON, 'utf8');
  const markdown = readFileSync(SCHEMA_MD, 'utf8');
  assert.equal(schemaWithFlags(schemaText), schemaText, 'spec/report.schema.json is stale: npm run gen:flags');
  assert.equal(schemaMdWithFlags(markdown), markdown, 'spec/SCHEMA.md is stale: npm run gen:flags');
});

test('every flag code the source raises or tests for is in the registry', () => {
  const used = new Map<string, string>();
  // flag('CODE', …) calls, possibly broken over lines, and comparisons such as f.code !== 'CODE' (a flag is `f` or
  // `flag`; an error's .code is an errno string).
  const patterns = [/\bflag\(\s*'([A-Z][A-Z_]+)'/g, /\b(?:f|flag)\.code\s*[!=]==\s*'([A-Z][A-Z_]+)'/g];
  for (const dir of SOURCE_DIRS)
    for (const file of sourceFiles(join(ROOT, dir)))
      for (const pattern of patterns)
        for (const match of readFileSync(file, 'utf8').matchAll(pattern)) used.set(match[1], file.slice(ROOT.length));
  const unknown = [...used].filter(([code]) => !isFlagCode(code)).map(([code, file]) => `${code} (${file})`);
  assert.deepEqual(unknown, [], `flag codes not in core/flags.ts: ${unknown.join(', ')}`);
  // The scan must see the raising sites at all (a broken pattern would pass vacuously).
  assert.ok(used.size >= 15, `only ${used.size} codes found in the source`);
});

test('severities and raisers as the contract has them', () => {
  assert.deepEqual(FLAG_SEVERITY, Object.fromEntries(FLAG_CODES.map((code) => [code, FLAGS[code].severity])));
  assert.deepEqual(
    FLAG_CODES.filter((code) => FLAG_SEVERITY[code] === 'error'),
    ['NOT_A_REPORT', 'NO_TEXT_LAYER', 'TABLES_MISSING', 'BALANCE_MISMATCH'],
  );
  assert.deepEqual([...LOAD_TIME_FLAGS].sort(), [
    'CARRYOVER_MISMATCH',
    'DUPLICATE_VERSION',
    'LISTING_YEAR_CONFLICT',
    'REGION_CONFLICT',
  ]);
  for (const code of FLAG_CODES) assert.ok(FLAGS[code].raisedBy.length > 0 && FLAGS[code].meaning, code);
});
