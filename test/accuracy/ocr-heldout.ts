// OCR on office reports the OCR tests never read: each named office PDF rendered as a scan in the named variants
// (test/gen/ocr: dpi150, noisy-skewed …), extracted and scored cell by cell against its expected JSON. A measure,
// not a test (about 7 s a document): run it on reports not used while changing the OCR path, to see how a change
// generalises.
//
//   node --import tsx test/accuracy/ocr-heldout.ts [VARIANTS] [REPORTS] [--json]
//   e.g. dpi150,noisy-skewed random-030,random-031,random-032
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extract } from '../../extractors/extract.ts';
import { buildOcrCorpus, SOURCES, VARIANTS } from '../gen/ocr/build.ts';
import { variantFiles } from '../ocr/variants.ts';
import { scoreDoc, totals, type DocScore, type Expected } from './score.ts';

const args = process.argv.slice(2).filter((arg) => arg !== '--json');
const json = process.argv.includes('--json');
const names = (args[0] ?? 'dpi150,noisy-skewed').split(',');
const reports = (args[1] ?? 'random-030,random-031,random-032,random-033').split(',');
const unknown = names.filter((name) => !VARIANTS.some((variant) => variant.name === name));
if (unknown.length) {
  console.error(`unknown variant ${unknown.join(', ')}: one of ${VARIANTS.map((v) => v.name).join(', ')}`);
  process.exit(2);
}
for (const name of names) SOURCES[name] = reports.map((report) => `${report}.pdf`);
const dir = mkdtempSync(join(tmpdir(), 'nianbao-ocr-heldout-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
await buildOcrCorpus(
  dir,
  VARIANTS.filter((variant) => names.includes(variant.name)),
);

const results = [];
for (const name of names) {
  const docs: DocScore[] = [];
  for (const [file, expectedFile] of variantFiles(dir, name)) {
    const expected = JSON.parse(readFileSync(expectedFile, 'utf8')) as Expected;
    const report = await extract(new Uint8Array(readFileSync(file)), { filename: 'scan.pdf' }).catch(
      (error: Error) => error,
    );
    const score =
      report instanceof Error
        ? scoreDoc(file, 'pdf', name, expected, null, report)
        : scoreDoc(file, 'pdf', name, expected, report);
    docs.push(score);
    if (!json) {
      const { correct, total, wrong, wrongSilent, missSilent } = score.cells;
      console.log(
        `${name} ${file.split('/').pop()}: ${correct}/${total}, wrong ${wrong} (${wrongSilent} unflagged), unflagged nulls ${missSilent}`,
      );
      for (const failure of score.failures.filter((f) => f.outcome === 'wrong'))
        console.log(
          `  wrong ${failure.path}: ${failure.expected} read ${failure.got}${failure.silent ? ' (no flag)' : ''}`,
        );
    }
  }
  const sum = totals(docs);
  results.push({ variant: name, ...sum });
  if (!json)
    console.log(
      `${name}: ${sum.correct}/${sum.cells} (${((100 * sum.correct) / sum.cells).toFixed(2)}%), wrong ${sum.wrong} (${sum.wrongSilent} unflagged)`,
    );
}
if (json) console.log(JSON.stringify({ reports, results }));
if (results.some((result) => result.wrongSilent > 0)) process.exitCode = 1;
