// `npm run corpus`: renders each seed report (test/examples/seeds) with non-zero numbers substituted, so that
// every cell is distinguishable, to UTF-8 HTML, GBK HTML (no charset declared) and DOCX under test/corpus/seeds/,
// each with <stem>.expected.json beside it. The arithmetic of the substituted numbers is consistent; rows the seed
// lacks (seed 000's truncated table) stay missing. test/extract/corpus.test.ts extracts them back. Then the
// realistic-variety corpus (build-variety.ts) is rewritten under test/corpus/variety/.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { extract } from '../../extractors/extract.ts';
import type { FlagCode, Report, Row } from '../../extractors/report.ts';
import { arithmeticFlags } from '../../extractors/template/checks.ts';
import { REQUEST_COLUMNS, RESULT_ROWS } from '../../extractors/template/keys.ts';
import { compareReports } from '../extract/compare.ts';
import { renderDocx, renderHtmlBytes } from '../../simulator/reports/render.ts';
import { buildVariety } from './build-variety.ts';

const TABLE_FLAGS: FlagCode[] = [
  'ROW_MISSING',
  'ROW_EXTRA_VALUES',
  'CELL_BLANK',
  'CELL_UNPARSEABLE',
  'BALANCE_MISMATCH',
  'ROW_TOTAL_MISMATCH',
  'RESULT_TOTAL_MISMATCH',
  'APPEALS_TOTAL_MISMATCH',
  'TABLES_MISSING',
];
/** Seed flags that survive the substitution (the arithmetic ones are recomputed). */
const KEPT_FLAGS: FlagCode[] = [
  'ROW_MISSING',
  'AGENCY_UNRESOLVED',
  'SECTION_MISSING',
  'TEMPLATE_OUTDATED',
  'YEAR_CONFLICT',
];
const root = new URL('../', import.meta.url).pathname;
const seedsDir = join(root, 'examples/seeds');
const outDir = join(root, 'corpus/seeds');

/** The seed's structure with distinct non-zero numbers: per applicant column results, then total, then balance. */
export function substitute(seed: Report): Report {
  const report = structuredClone(seed);
  let counter = 0;
  const next = () => 1 + (counter++ % 9);
  for (const row of Object.values(report.active ?? {}))
    for (const col of Object.keys(row ?? {}))
      row![col] = col === 'amount' ? next() + 0.5 : col === 'change' ? (counter % 2 ? -next() : next()) : next();
  const requests = report.requests;
  if (requests) {
    const applicants = REQUEST_COLUMNS.map(([c]) => c).filter((c) => c !== 'total');
    applicants.forEach((column, columnIndex) => {
      let total = 0;
      for (const result of RESULT_ROWS) if (requests[result]) total += requests[result]![column] = next();
      if (requests.total) requests.total[column] = total;
      if (requests.carried_forward) requests.carried_forward[column] = 1 + columnIndex;
      if (requests.carried_over) requests.carried_over[column] = 2 + (columnIndex % 3);
      if (requests.new)
        requests.new[column] = requests.total
          ? total + (requests.carried_forward?.[column] ?? 0) - (requests.carried_over?.[column] ?? 0)
          : next();
    });
    for (const row of Object.values(requests))
      if (row) row.total = applicants.reduce((s, c) => s + (row[c] as number), 0);
  }
  for (const row of Object.values(report.appeals ?? {}) as Row[]) {
    row.upheld = next();
    row.corrected = next();
    row.other = next();
    row.pending = next();
    row.total = (row.upheld as number) + (row.corrected as number) + (row.other as number) + (row.pending as number);
  }
  // One paragraph per section: the renderer prints each as one paragraph.
  for (const key of Object.keys(report.sections))
    report.sections[key] = report.sections[key]?.replace(/\s*\n\s*/g, '') ?? null;
  report.flags = [...seed.flags.filter((flag) => KEPT_FLAGS.includes(flag.code)), ...arithmeticFlags(report)];
  report.cells = [];
  return report;
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  const seeds = readdirSync(seedsDir).filter((f) => f.endsWith('.expected.json'));
  let failed = 0;
  for (const expectedFile of seeds) {
    const name = expectedFile.replace(/\.expected\.json$/, '');
    const want = substitute(JSON.parse(readFileSync(join(seedsDir, expectedFile), 'utf8')) as Report);
    const opts = { wrapLabels: true, seed: Number.parseInt(name, 10) + 1 };
    const outputs: Array<[string, Uint8Array]> = [
      [`${name}_utf8.html`, renderHtmlBytes(want, opts)],
      [`${name}_gbk.html`, renderHtmlBytes(want, { ...opts, encoding: 'gbk', declare: false })],
      [`${name}_docx.docx`, await renderDocx(want, opts)],
    ];
    for (const [file, bytes] of outputs) {
      const got = await extract(bytes, { filename: file });
      // The values must come back exactly before the result becomes the expected file.
      // (Metadata comes from the renderer's own preamble, not the seed's; the tables and their flags must match.)
      const differences = compareReports(
        got,
        {
          template: want.template,
          active: want.active,
          requests: want.requests,
          appeals: want.appeals,
          flags: want.flags,
        },
        { provenance: false, flagCodes: TABLE_FLAGS },
      );
      if (differences.length) {
        failed++;
        console.error(`${file}: ${differences.slice(0, 8).join('; ')}`);
      }
      const { extractor: _extractor, ...expected } = got;
      writeFileSync(join(outDir, file), bytes);
      writeFileSync(
        join(outDir, file.replace(/\.[^.]+$/, '') + '.expected.json'),
        JSON.stringify(expected, null, 1) + '\n',
      );
      console.error(
        `${file}: ${got.template}, ${got.cells.length} cells, flags: ${[...new Set(got.flags.map((x) => x.code))].join(' ') || 'none'}`,
      );
    }
  }
  if (failed) {
    console.error(`${failed} rendered documents did not extract back to their values`);
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main();
  buildVariety();
}
