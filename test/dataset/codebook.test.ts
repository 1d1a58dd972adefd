// The codebook documents every exported column with a Stata-safe name, and is built from the one table list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codebook } from '../../dataset/codebook.ts';
import { readFileSync } from 'node:fs';
import { RATES, formulaOf } from '../../dataset/rates.ts';
import { TABLES } from '../../dataset/tables.ts';
import {
  ACTIVE_CELLS,
  APPEAL_COLUMNS,
  APPEAL_GROUPS,
  REQUEST_COLUMNS,
  REQUEST_ROWS,
} from '../../extractors/template/keys.ts';

const entries = codebook();

test('names are ASCII snake_case of at most 32 characters, unique per table', () => {
  for (const entry of entries) {
    assert.match(entry.name, /^[a-z][a-z0-9_]*$/, `${entry.table}.${entry.name}`);
    assert.ok(entry.name.length <= 32, `${entry.table}.${entry.name} is ${entry.name.length} characters`);
  }
  // Stata refuses these as variable names.
  const stata = [
    '_all',
    '_b',
    'byte',
    '_coef',
    '_cons',
    'double',
    'float',
    'if',
    'in',
    'int',
    'long',
    '_n',
    '_N',
    '_pi',
    '_pred',
    '_rc',
    '_skip',
    'strL',
    'using',
    'with',
  ];
  for (const entry of entries)
    assert.ok(!stata.includes(entry.name), `${entry.table}.${entry.name} is reserved in Stata`);
  const keys = entries.map((entry) => `${entry.table}.${entry.name}`);
  assert.equal(new Set(keys).size, keys.length);
});

test('every entry has a label, a meaning and a type; every template cell of the wide tables is there once', () => {
  for (const entry of entries) {
    assert.ok(entry.label_zh.trim(), `${entry.table}.${entry.name} label_zh`);
    assert.ok(entry.meaning_en.trim(), `${entry.table}.${entry.name} meaning_en`);
    assert.ok(['string', 'integer', 'number', 'timestamp', 'boolean'].includes(entry.type));
  }
  const paths = (table: string) => entries.filter((e) => e.table === table && e.path).map((e) => e.path!);
  assert.deepEqual(
    paths('requests').sort(),
    REQUEST_ROWS.flatMap(([row]) => REQUEST_COLUMNS.map(([col]) => `requests.${row}.${col}`)).sort(),
  );
  assert.deepEqual(paths('active').sort(), ACTIVE_CELLS.map(([row, col]) => `active.${row}.${col}`).sort());
  assert.deepEqual(
    paths('appeals').sort(),
    APPEAL_GROUPS.flatMap(([group]) => APPEAL_COLUMNS.map(([col]) => `appeals.${group}.${col}`)).sort(),
  );
  // The printed labels travel with the cells.
  const granted = entries.find((e) => e.path === 'requests.granted.natural_person')!;
  assert.equal(granted.label_zh, '（一）予以公开 自然人');
  assert.equal(granted.name, 'granted_person');
  assert.equal(entries.find((e) => e.path === 'active.fees.amount')!.unit, '万元');
});

test('every rate has its formula; the codebook follows the tables column by column', () => {
  const rates = entries.filter((e) => e.table === 'rates' && e.type === 'number');
  assert.ok(rates.length >= 5);
  for (const rate of rates) assert.match(rate.formula ?? '', / \/ /, `${rate.name} has a formula`);
  assert.ok(rates.some((rate) => rate.label_zh === '实质公开率'));
  for (const table of TABLES)
    assert.deepEqual(
      entries.filter((e) => e.table === table.name).map((e) => e.name),
      table.columns.map((column) => column.name),
    );
  assert.ok(entries.some((e) => e.table === 'codebook' && e.name === 'label_zh'));
});

test('docs/dataset.md gives every rate with the formula the view computes', () => {
  const docs = readFileSync(new URL('../../docs/dataset.md', import.meta.url), 'utf8');
  for (const rate of RATES) {
    const line = docs.split('\n').find((text) => text.startsWith(`| \`${rate.name}\` |`));
    assert.ok(line, `${rate.name} in docs/dataset.md`);
    assert.ok(line.includes(`\`${formulaOf(rate).split(';')[0]}\``), `${rate.name}: the formula of dataset/rates.ts`);
  }
});
