// Measures silent/flagged wrong values and nulls on the hard PDF-text layouts: npx tsx test/extract/measure-wrapped.ts [N]
import { extract } from '../../extractors/extract.ts';
import { countShifts, distinctReport, renderHardText, ROW_LAYOUTS, type ShiftCounts } from './pdf-layouts.ts';

const n = Number(process.argv[2] ?? 300);
const all: ShiftCounts = { cells: 0, silentWrong: 0, flaggedWrong: 0, nulls: 0, examples: [] };
const per: Record<string, ShiftCounts> = {};
for (let seed = 1; seed <= n; seed++) {
  const want = distinctReport(seed);
  await (async () => {
    const got = await extract(Buffer.from(renderHardText(want, seed)), { filename: 'r.txt' });
    countShifts(got, want, all, `seed ${seed}`);
  })();
}
for (const only of ROW_LAYOUTS) {
  per[only] = { cells: 0, silentWrong: 0, flaggedWrong: 0, nulls: 0, examples: [] };
  for (let seed = 1; seed <= Math.ceil(n / 5); seed++) {
    const want = distinctReport(seed);
    const got = await extract(Buffer.from(renderHardText(want, seed, only)), { filename: 'r.txt' });
    countShifts(got, want, per[only], `${only} seed ${seed}`);
  }
}
for (const [name, damage] of [
  ['reworded', { reword: 0.08 }],
  ['no-numbers', { dropNumbers: 0.08 }],
] as const) {
  per[name] = { cells: 0, silentWrong: 0, flaggedWrong: 0, nulls: 0, examples: [] };
  for (let seed = 1; seed <= n; seed++) {
    const want = distinctReport(seed);
    const got = await extract(Buffer.from(renderHardText(want, seed, undefined, damage)), { filename: 'r.txt' });
    countShifts(got, want, per[name], `${name} seed ${seed}`);
  }
}
const line = (k: string, c: ShiftCounts) =>
  `${k.padEnd(14)} cells ${c.cells}  (a) silent wrong ${c.silentWrong}  (b) flagged wrong ${c.flaggedWrong}  (c) null ${c.nulls}`;
console.log(line(`mixed x${n}`, all));
for (const [k, c] of Object.entries(per)) console.log(line(k, c));
console.log(
  [all, ...Object.values(per)]
    .flatMap((c) => c.examples)
    .slice(0, 12)
    .join('\n'),
);
