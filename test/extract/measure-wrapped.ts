// Measures silent/flagged wrong values and nulls on the hard PDF-text layouts:
//   npx tsx test/extract/measure-wrapped.ts [N]
import { extract } from '../../extractors/extract.ts';
import { countShifts, distinctReport, renderHardText, ROW_LAYOUTS, type ShiftCounts } from './pdf-layouts.ts';

const seeds = Number(process.argv[2] ?? 300);
const all: ShiftCounts = { cells: 0, silentWrong: 0, flaggedWrong: 0, nulls: 0, examples: [] };
const per: Record<string, ShiftCounts> = {};
for (let seed = 1; seed <= seeds; seed++) {
  const want = distinctReport(seed);
  await (async () => {
    const got = await extract(Buffer.from(renderHardText(want, seed)), { filename: 'r.txt' });
    countShifts(got, want, all, `seed ${seed}`);
  })();
}
for (const only of ROW_LAYOUTS) {
  per[only] = { cells: 0, silentWrong: 0, flaggedWrong: 0, nulls: 0, examples: [] };
  for (let seed = 1; seed <= Math.ceil(seeds / 5); seed++) {
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
  for (let seed = 1; seed <= seeds; seed++) {
    const want = distinctReport(seed);
    const got = await extract(Buffer.from(renderHardText(want, seed, undefined, damage)), { filename: 'r.txt' });
    countShifts(got, want, per[name], `${name} seed ${seed}`);
  }
}
const line = (name: string, tally: ShiftCounts) =>
  `${name.padEnd(14)} cells ${tally.cells}  (a) silent wrong ${tally.silentWrong}  (b) flagged wrong ${tally.flaggedWrong}  (c) null ${tally.nulls}`;
console.log(line(`mixed x${seeds}`, all));
for (const [name, tally] of Object.entries(per)) console.log(line(name, tally));
console.log(
  [all, ...Object.values(per)]
    .flatMap((c) => c.examples)
    .slice(0, 12)
    .join('\n'),
);
