// What the accuracy report counts as "null/wrong with a flag": a flag on the cell, its row, its section or its column
// (`requests.<column>`), never a flag on the 总计 row standing in for the total column.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Flag } from '../../extractors/report.ts';
import { flagged } from './score.ts';

const warning = (path: string) => [{ code: 'ROW_MISSING', severity: 'warning', path } as Flag];

test('flagged: the cell, its row, its section and its column count', () => {
  assert.ok(flagged(warning('requests.new.commercial'), 'requests.new.commercial'));
  assert.ok(flagged(warning('requests.new'), 'requests.new.commercial'));
  assert.ok(flagged(warning('requests'), 'requests.new.commercial'));
  assert.ok(flagged(warning('requests.commercial'), 'requests.new.commercial'));
});

test('flagged: a flag on the 总计 row does not flag the total column of other rows', () => {
  assert.ok(flagged(warning('requests.total'), 'requests.total.commercial'));
  assert.ok(!flagged(warning('requests.total'), 'requests.new.total'));
  assert.ok(!flagged(warning('requests.granted.total'), 'requests.new.total'));
});

test('flagged: info flags and flags without a path never count', () => {
  assert.ok(
    !flagged([{ code: 'CELL_BLANK', severity: 'info', path: 'requests.new.total' } as Flag], 'requests.new.total'),
  );
  assert.ok(!flagged([{ code: 'ROW_MISSING', severity: 'warning' } as Flag], 'requests.new.total'));
});
