// `npm run corpus`: renders each seed report (test/examples/seeds) with non-zero numbers substituted, so that
// every cell is distinguishable, to UTF-8 HTML, GBK HTML (no charset declared) and DOCX under test/corpus/seeds/,
// each with <stem>.expected.json beside it. The arithmetic of the substituted numbers is consistent; rows the seed
// lacks (seed 000's truncated table) stay missing. test/extract/corpus.test.ts extracts them back.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { extract } from '../../extractors/extract.ts';
import type { Report, Row } from '../../extractors/report.ts';
import { arithmeticFlags } from '../../extractors/template/checks.ts';
import { REQUEST_COLUMNS, RESULT_ROWS } from '../../extractors/template/keys.ts';
import { compareReports } from '../extract/compare.ts';
import { renderDocx, renderHtmlBytes } from '../../simulator/reports/render.ts';

const TABLE_FLAGS = [
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
const root = new URL('../', import.meta.url).pathname;
const seedsDir = join(root, 'examples/seeds');
const outDir = join(root, 'corpus/seeds');

/** The seed's structure with distinct non-zero numbers: per applicant column results, then total, then balance. */
export function substitute(seed: Report): Report {
  const r = structuredClone(seed);
  let n = 0;
  const next = () => 1 + (n++ % 9);
  for (const row of Object.values(r.active ?? {}))
    for (const col of Object.keys(row ?? {}))
      row![col] = col === 'amount' ? next() + 0.5 : col === 'change' ? (n % 2 ? -next() : next()) : next();
  const q = r.requests;
  if (q) {
    const applicants = REQUEST_COLUMNS.map(([c]) => c).filter((c) => c !== 'total');
    applicants.forEach((c, ci) => {
      let total = 0;
      for (const k of RESULT_ROWS) if (q[k]) total += q[k]![c] = next();
      if (q.total) q.total[c] = total;
      if (q.carried_forward) q.carried_forward[c] = 1 + ci;
      if (q.carried_over) q.carried_over[c] = 2 + (ci % 3);
      if (q.new) q.new[c] = q.total ? total + (q.carried_forward?.[c] ?? 0) - (q.carried_over?.[c] ?? 0) : next();
    });
    for (const row of Object.values(q)) if (row) row.total = applicants.reduce((s, c) => s + (row[c] as number), 0);
  }
  for (const row of Object.values(r.appeals ?? {}) as Row[]) {
    row.upheld = next();
    row.corrected = next();
    row.other = next();
    row.pending = next();
    row.total = (row.upheld as number) + (row.corrected as number) + (row.other as number) + (row.pending as number);
  }
  // One paragraph per section: the renderer prints each as one paragraph.
  for (const k of Object.keys(r.sections)) r.sections[k] = r.sections[k]?.replace(/\s*\n\s*/g, '') ?? null;
  r.flags = [
    ...seed.flags.filter((f) =>
      ['ROW_MISSING', 'AGENCY_UNRESOLVED', 'SECTION_MISSING', 'TEMPLATE_OUTDATED', 'YEAR_CONFLICT'].includes(f.code),
    ),
    ...arithmeticFlags(r),
  ];
  r.cells = [];
  return r;
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  const seeds = readdirSync(seedsDir).filter((f) => f.endsWith('.expected.json'));
  let failed = 0;
  for (const f of seeds) {
    const name = f.replace(/\.expected\.json$/, '');
    const want = substitute(JSON.parse(readFileSync(join(seedsDir, f), 'utf8')) as Report);
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
      const d = compareReports(
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
      if (d.length) {
        failed++;
        console.error(`${file}: ${d.slice(0, 8).join('; ')}`);
      }
      const { extractor: _v, ...expected } = got;
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

if (import.meta.url === `file://${process.argv[1]}`) await main();
