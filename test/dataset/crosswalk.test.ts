// The crosswalk covers every cell path the mapper can emit, once per template, and says where templates differ.
// The expected paths are derived here from keys.ts on their own (not through dataset/crosswalk.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { crosswalk } from '../../dataset/crosswalk.ts';
import { HARMONISED_FILE, harmonisedSql } from '../../db/harmonised.ts';
import { REPEATABLE_MARKER } from '../../db/migrate.ts';
import {
  ACTIVE_LAYOUT,
  APPEAL_COLUMNS,
  APPEAL_GROUPS,
  REQUEST_COLUMNS,
  REQUEST_ROWS,
} from '../../extractors/template/keys.ts';

/** What map.ts can emit: its template's section 二 layout; section 三 with whichever （六） rows the table prints
 *  (requestLayout follows the table, so both variants occur under either template); section 四. Unknown template:
 *  section 四 only. */
function emittable(template: '2019' | '2021' | 'unknown'): string[] {
  const appeals = APPEAL_GROUPS.flatMap(([group]) => APPEAL_COLUMNS.map(([col]) => `appeals.${group}.${col}`));
  if (template === 'unknown') return appeals;
  const active = ACTIVE_LAYOUT[template].flatMap(([row, , cols]) => cols.map(([col]) => `active.${row}.${col}`));
  const requests = REQUEST_ROWS.flatMap(([row]) => REQUEST_COLUMNS.map(([col]) => `requests.${row}.${col}`));
  return [...active, ...requests, ...appeals];
}

test('every path the mapper can emit is in the crosswalk exactly once per template, and nothing else', () => {
  const rows = crosswalk();
  for (const template of ['2019', '2021', 'unknown'] as const) {
    const paths = rows.filter((row) => row.template === template).map((row) => row.path);
    const expected = emittable(template);
    for (const path of expected)
      assert.equal(paths.filter((p) => p === path).length, 1, `${template} ${path} must appear exactly once`);
    assert.deepEqual(paths.sort(), [...expected].sort(), `${template}: no path beyond what the mapper emits`);
  }
  assert.deepEqual([...new Set(rows.map((row) => row.template))].sort(), ['2019', '2021', 'unknown']);
});

test('a harmonised quantity means the same in both templates only where comparable, with a note where not', () => {
  const rows = crosswalk();
  const of = (template: string, path: string) => rows.find((row) => row.template === template && row.path === path)!;
  // Same quantity, differently named cells.
  assert.equal(of('2019', 'active.regulations.new_made').quantity, of('2021', 'active.regulations.issued').quantity);
  assert.ok(of('2019', 'active.regulations.new_made').comparable);
  assert.equal(of('2019', 'active.licensing.decisions').quantity, of('2021', 'active.licensing.decisions').quantity);
  // Not the same: 对外公开总数量 vs 现行有效件数; 2019's single （六） vs 2021's three rows; fees items vs amount.
  assert.notEqual(
    of('2019', 'active.regulations.total_published').quantity,
    of('2021', 'active.regulations.in_force').quantity,
  );
  for (const [template, path] of [
    ['2019', 'active.regulations.total_published'],
    ['2021', 'active.regulations.in_force'],
    ['2019', 'requests.other.total'],
    ['2021', 'requests.other_no_correction.natural_person'],
    ['2021', 'active.fees.amount'],
    ['2019', 'active.procurement.amount'],
  ]) {
    const row = of(template, path);
    assert.equal(row.comparable, false, `${template} ${path}`);
    assert.ok(row.note && row.note.length > 10, `${template} ${path} says why`);
  }
  // Every comparable quantity of section 二 exists in both templates; section 三 carries the applicant column.
  const comparable = rows.filter((row) => row.comparable && row.template !== 'unknown');
  for (const row of comparable) {
    const other = row.template === '2019' ? '2021' : '2019';
    assert.ok(
      rows.some((o) => o.template === other && o.quantity === row.quantity && o.applicant === row.applicant),
      `${row.quantity} comparable but missing in ${other}`,
    );
  }
  assert.equal(of('2021', 'requests.granted.legal_service').applicant, 'legal_service');
  assert.equal(of('2021', 'requests.granted.legal_service').quantity, 'requests.granted');
  assert.equal(of('2021', 'appeals.review.corrected').applicant, null);
});

test('020_harmonised.sql is what db/harmonised.ts generates, repeatable and re-runnable', () => {
  const sql = readFileSync(HARMONISED_FILE, 'utf8');
  assert.equal(sql, harmonisedSql(), 'run `npx tsx db/harmonised.ts` and commit the file');
  assert.ok(sql.split('\n').includes(REPEATABLE_MARKER));
  assert.match(sql, /^DROP VIEW IF EXISTS v_long, v_rates CASCADE;$/m);
  assert.ok(sql.indexOf('DROP') < sql.indexOf('CREATE'));
});
