// `npm run gen:flags`: rewrites the flag-code enum in spec/report.schema.json and the flags table in spec/SCHEMA.md
// from the registry (core/flags.ts). `npm run gen:flags -- --check` only reports whether they are up to date.
// The rest of both files keeps its bytes: the schema is written the way it is stored (1-space indent, no final
// newline), the table is the run of `|` lines under its header.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FLAG_CODES, FLAGS } from '../core/flags.ts';

export const SCHEMA_JSON = fileURLToPath(new URL('../spec/report.schema.json', import.meta.url));
export const SCHEMA_MD = fileURLToPath(new URL('../spec/SCHEMA.md', import.meta.url));

const TABLE_HEADER = '| code | severity | when |';

/** The schema text with its `flags[].code` enum set to the registry's codes. */
export function schemaWithFlags(schemaText: string): string {
  const schema = JSON.parse(schemaText);
  schema.properties.flags.items.properties.code.enum = [...FLAG_CODES];
  return JSON.stringify(schema, null, 1);
}

export function flagsTable(): string[] {
  const rows = FLAG_CODES.map((code) => `| \`${code}\` | ${FLAGS[code].severity} | ${FLAGS[code].meaning} |`);
  return [TABLE_HEADER, '|---|---|---|', ...rows];
}

/** The SCHEMA.md text with its quality-flags table rebuilt from the registry. */
export function schemaMdWithFlags(markdown: string): string {
  const lines = markdown.split('\n');
  const start = lines.indexOf(TABLE_HEADER);
  if (start < 0) throw new Error(`spec/SCHEMA.md: no flags table (a line "${TABLE_HEADER}")`);
  let end = start + 1;
  while (end < lines.length && lines[end].startsWith('|')) end++;
  return [...lines.slice(0, start), ...flagsTable(), ...lines.slice(end)].join('\n');
}

function main(check: boolean): void {
  let stale = 0;
  for (const [file, generate] of [
    [SCHEMA_JSON, schemaWithFlags],
    [SCHEMA_MD, schemaMdWithFlags],
  ] as const) {
    const current = readFileSync(file, 'utf8');
    const generated = generate(current);
    if (generated === current) continue;
    stale++;
    if (check) console.error(`${file}: out of date with core/flags.ts (npm run gen:flags)`);
    else {
      writeFileSync(file, generated);
      console.log(`${file}: rewritten from core/flags.ts`);
    }
  }
  if (check && stale) process.exitCode = 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.includes('--check'));
