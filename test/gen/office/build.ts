// `npm run corpus:office`: the PDF / DOC / WPS corpus under test/corpus/office, rebuilt from scratch (deterministic
// inputs; LibreOffice's output bytes differ run to run, the content does not). Needs LibreOffice and poppler; the
// tests that read the corpus need neither.
//
//   seed-NNN.{docx,pdf,doc}   the five seed reports (template, titles, prose) with non-zero, consistent numbers
//   random-NNN.{docx,pdf,doc} random reports: both templates, blanks, wrapped labels, narrow pages, long prose that
//                             pushes tables across page breaks, amounts in 元, signed changes
//   special-*                 scan, non-embedded CJK font, encrypted, truncated, corrupt DOC, .wps, PDF as .bin
// Each document has `<name>.expected.json` (shared by the renderings of one report, or `<file>.expected.json`).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { Flag, Report, Row } from '../../../extractors/report.ts';
import { flag } from '../../../extractors/report.ts';
import { arithmeticFlags } from '../../../extractors/template/checks.ts';
import { bodyLevel, plausibilityFlags } from '../../../extractors/template/plausible.ts';
import { APPEAL_GROUPS, REQUEST_COLUMNS, REQUEST_ROWS } from '../../../extractors/template/keys.ts';
import { prng, randomReport } from '../../../simulator/reports/random-report.ts';
import { renderDocx, type RenderOptions } from '../../../simulator/reports/render.ts';
import { nonEmbeddedCjkPdf, scannedPdf } from './handmade.ts';
import { config } from '../../../core/config.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const OUT = join(ROOT, 'test/corpus/office');
const RANDOM = config().officeRandom;

type Expected = Partial<Report> & { error?: { name: string; message?: string } };

/** Every number non-zero (0 and a missing cell look alike too easily) and the printed arithmetic consistent. */
export function nonZero(report: Report, seed: number, big = false): Report {
  const rnd = prng(seed * 7919 + 1);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const mag = () => (big && rnd() < 0.15 ? int(1000, 99999) : int(1, 60));
  const active: Record<string, Row | null> = {};
  for (const [row, cols] of Object.entries(report.active ?? {})) {
    if (!cols) continue;
    active[row] = Object.fromEntries(
      Object.keys(cols).map((column) => [
        column,
        column === 'amount' ? int(1, 9999) / 100 : column === 'change' ? (rnd() < 0.5 ? -int(1, 9) : int(1, 9)) : mag(),
      ]),
    );
  }
  const requests: Record<string, Row> = {};
  // every row of the template, also where the source seed is truncated (seed 000)
  const rows = REQUEST_ROWS.filter(([, , t]) => (t as readonly string[]).includes(report.template)).map(
    ([k]) => k as string,
  );
  const results = rows.filter((k) => !['new', 'carried_over', 'total', 'carried_forward'].includes(k));
  for (const rowKey of rows) requests[rowKey] = {};
  const applicants = REQUEST_COLUMNS.map(([c]) => c as string).filter((c) => c !== 'total');
  for (const column of applicants) {
    let total = 0;
    for (const result of results) total += requests[result][column] = mag();
    requests.total[column] = total;
    const carriedForward = int(1, 9);
    const carriedOver = int(1, total + carriedForward - 1);
    requests.carried_forward[column] = carriedForward;
    requests.carried_over[column] = carriedOver;
    requests.new[column] = total + carriedForward - carriedOver;
  }
  for (const rowKey of rows)
    requests[rowKey].total = applicants.reduce((s, c) => s + (requests[rowKey][c] as number), 0);
  const appeals: Record<string, Row> = {};
  for (const [group] of APPEAL_GROUPS) {
    const appeal: Row = { upheld: int(1, 9), corrected: int(1, 9), other: int(1, 9), pending: int(1, 9) };
    appeal.total =
      (appeal.upheld as number) + (appeal.corrected as number) + (appeal.other as number) + (appeal.pending as number);
    appeals[group] = appeal;
  }
  return { ...report, active, requests, appeals, cells: [] };
}

/** Blank some cells (null, flagged CELL_BLANK) and recompute which arithmetic checks still apply. */
function withBlanks(report: Report, seed: number, rate: number): Report {
  const rnd = prng(seed * 31 + 7);
  const flags: Flag[] = [];
  for (const table of ['active', 'requests', 'appeals'] as const)
    for (const [row, cols] of Object.entries(report[table] ?? {}))
      for (const col of Object.keys(cols ?? {}))
        if (rnd() < rate) {
          cols![col] = null;
          flags.push(flag('CELL_BLANK', `${table}.${row}.${col}`, 'blank cell'));
        }
  return { ...report, flags: [...flags, ...arithmeticFlags(report)] };
}

/** Narrower text column (wider margins) so that labels and long numbers wrap inside their cells. */
function narrowPage(docx: Buffer, marginTwips: number): Buffer {
  const files = unzipSync(new Uint8Array(docx));
  const xml = strFromU8(files['word/document.xml']);
  files['word/document.xml'] = strToU8(
    xml.replace(/(<w:pgMar\b[^>]*?w:right=")\d+("[^>]*?w:left=")\d+/, `$1${marginTwips}$2${marginTwips}`),
  );
  return Buffer.from(zipSync(files));
}

/** Every table border set to none. */
export function withoutBorders(docx: Buffer): Buffer {
  const files = unzipSync(new Uint8Array(docx));
  const xml = strFromU8(files['word/document.xml']);
  files['word/document.xml'] = strToU8(
    xml.replace(/<w:(top|bottom|left|right|insideH|insideV|start|end) w:val="[^"]*"/g, '<w:$1 w:val="nil"'),
  );
  return Buffer.from(zipSync(files));
}

function expectedOf(report: Report): Expected {
  return {
    template: report.template,
    title: report.title,
    agency: report.agency,
    year: report.year,
    published_at: report.published_at,
    active: report.active,
    requests: report.requests,
    appeals: report.appeals,
    // Its long numbers are past what a township reports: the extractor is right to say so.
    flags: [...report.flags, ...plausibilityFlags(report, bodyLevel(report.agency, report.title))],
  };
}

const LONG =
  '本年度，我单位坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署，紧紧围绕中心工作，不断健全政府信息公开工作机制，拓展公开渠道，提升公开质量。';

function soffice(profile: string, to: string, outdir: string, files: string[]) {
  if (!files.length) return;
  execFileSync(
    'soffice',
    [
      `-env:UserInstallation=file://${profile}`,
      '--headless',
      '--norestore',
      '--convert-to',
      to,
      '--outdir',
      outdir,
      ...files,
    ],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 30 * 60 * 1000,
    },
  );
}

async function main() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'nianbao-office-'));
  const profile = join(work, 'profile');
  const docx: string[] = [];
  const write = async (name: string, report: Report, opts: RenderOptions, margin?: number) => {
    let bytes = await renderDocx(report, opts);
    if (margin) bytes = narrowPage(bytes, margin);
    const path = join(OUT, `${name}.docx`);
    writeFileSync(path, bytes);
    writeFileSync(join(OUT, `${name}.expected.json`), JSON.stringify(expectedOf(report), null, 1) + '\n');
    docx.push(path);
  };

  // Seeds: their template, titles and prose, non-zero numbers.
  const seedDir = join(ROOT, 'test/examples/seeds');
  const seeds = readdirSync(seedDir)
    .filter((n) => n.endsWith('.expected.json'))
    .sort();
  for (const [index, fileName] of seeds.entries()) {
    const seed = JSON.parse(readFileSync(join(seedDir, fileName), 'utf8')) as Report;
    const report = nonZero(seed, index + 1);
    report.flags = arithmeticFlags(report);
    await write(`seed-${String(index).padStart(3, '0')}`, report, { seed: index + 1 });
  }

  // Random reports with the hard cases spread over them.
  for (let i = 0; i < RANDOM; i++) {
    const rnd = prng(1000 + i);
    const base = randomReport(1000 + i, { template: i % 2 ? '2019' : '2021', inconsistent: false });
    let report = nonZero(base, 1000 + i, true);
    report = withBlanks(report, i, i % 4 === 3 ? 0.06 : 0);
    if (i % 3 === 1)
      report.sections = { ...report.sections, overview: Array.from({ length: 2 + (i % 9) }, () => LONG).join('') };
    const opts: RenderOptions = {
      seed: i,
      wrapLabels: rnd() < 0.6,
      amountInYuan: i % 5 === 2,
      signedChange: i % 4 === 1,
    };
    // narrow pages for every third document: 3.5–5 cm margins
    await write(`random-${String(i).padStart(3, '0')}`, report, opts, i % 3 === 0 ? 2000 + (i % 4) * 200 : undefined);
  }

  // Tables printed without ruling lines (borders removed): the PDF reader's positional fallback.
  const unruled: string[] = [];
  for (const name of ['seed-001', 'random-004', 'random-005']) {
    const path = join(OUT, `unruled-${name}.docx`);
    writeFileSync(path, withoutBorders(readFileSync(join(OUT, `${name}.docx`))));
    copyFileSync(join(OUT, `${name}.expected.json`), join(OUT, `unruled-${name}.expected.json`));
    unruled.push(path);
  }

  console.error(`corpus:office: converting ${docx.length + unruled.length} DOCX with LibreOffice…`);
  soffice(profile, 'pdf', OUT, [...docx, ...unruled]);
  soffice(profile, 'doc:MS Word 97', OUT, docx);
  // LibreOffice stamps today's date; a real report's PDF is made when it is published (the reader takes the
  // creation date as a publication-date hint). Same-length rewrite, so the xref offsets stay valid.
  for (const docxPath of [...docx, ...unruled]) {
    const pdfPath = docxPath.replace(/\.docx$/, '.pdf');
    const exp = JSON.parse(readFileSync(docxPath.replace(/\.docx$/, '.expected.json'), 'utf8')) as Expected;
    const day = (exp.published_at ?? `${(exp.year ?? 2021) + 1}-01-15`).replace(/-/g, '');
    const bytes = readFileSync(pdfPath)
      .toString('latin1')
      .replace(/\/(CreationDate|ModDate)\(D:\d{8}/g, (_m, k) => `/${k}(D:${day}`);
    writeFileSync(pdfPath, Buffer.from(bytes, 'latin1'));
  }

  // Special cases.
  const special = (name: string, bytes: Buffer, expected: Expected) => {
    writeFileSync(join(OUT, name), bytes);
    writeFileSync(join(OUT, `${name}.expected.json`), JSON.stringify(expected, null, 1) + '\n');
  };
  // a scan: page 2 of a seed rendering as a grey image, no text layer
  execFileSync('pdftoppm', ['-gray', '-r', '70', '-f', '2', '-l', '2', join(OUT, 'seed-001.pdf'), join(work, 'scan')]);
  const pgm = readdirSync(work).find((n) => n.startsWith('scan') && n.endsWith('.pgm'))!;
  // read by OCR where tesseract is installed (.ci/run installs it); without, NO_TEXT_LAYER + OCR_UNAVAILABLE
  special('special-scan.pdf', scannedPdf(readFileSync(join(work, pgm))), {
    flags: [{ code: 'OCR_USED', severity: 'info' } as Flag],
  });
  // non-embedded STSong-Light: section 二 of a 2021 report, readable only with the CMaps
  special(
    'special-cjk-font.pdf',
    nonEmbeddedCjkPdf({
      paragraphs: ['某县2022年政府信息公开工作年度报告', '二、主动公开政府信息情况'],
      table: {
        rows: [
          ['信息内容', '本年制发件数', '本年废止件数', '现行有效件数'],
          ['规章', '12', '3', '45'],
          ['行政规范性文件', '6', '1', '78'],
        ],
        widths: [150, 90, 90, 90],
      },
    }),
    {
      title: '某县2022年政府信息公开工作年度报告',
      active: {
        regulations: { issued: 12, repealed: 3, in_force: 45 },
        normative_documents: { issued: 6, repealed: 1, in_force: 78 },
      },
    },
  );
  // encrypted with a user password
  const encDir = join(work, 'enc');
  soffice(
    profile,
    'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"nianbao"}}',
    encDir,
    [join(OUT, 'seed-000.docx')],
  );
  special('special-encrypted.pdf', readFileSync(join(encDir, 'seed-000.pdf')), {
    error: { name: 'InputError', message: 'encrypted' },
  });
  // truncated in the middle, as an interrupted download
  const pdf = readFileSync(join(OUT, 'seed-002.pdf'));
  special('special-truncated.pdf', pdf.subarray(0, Math.floor(pdf.length / 2)), { error: { name: 'InputError' } });
  // a DOC cut short, and one whose OLE sectors are overwritten
  const doc = readFileSync(join(OUT, 'seed-003.doc'));
  special('special-truncated.doc', doc.subarray(0, 3000), { error: { name: 'InputError' } });
  const garbled = Buffer.from(doc);
  for (let i = 512; i < garbled.length; i += 7) garbled[i] = (garbled[i] * 31 + 17) & 0xff;
  special('special-garbled.doc', garbled, { error: { name: 'InputError' } });
  // an OLE Word file named .wps, and a PDF served as .bin: same expectations as the report they render
  copyFileSync(join(OUT, 'seed-004.doc'), join(OUT, 'special-seed-004.wps'));
  copyFileSync(join(OUT, 'seed-004.expected.json'), join(OUT, 'special-seed-004.wps.expected.json'));
  copyFileSync(join(OUT, 'random-001.pdf'), join(OUT, 'special-random-001.bin'));
  copyFileSync(join(OUT, 'random-001.expected.json'), join(OUT, 'special-random-001.bin.expected.json'));

  rmSync(work, { recursive: true, force: true });
  const files = readdirSync(OUT);
  console.error(`corpus:office: ${files.filter((n) => !n.endsWith('.json')).length} documents in ${OUT}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1])
  main().catch((error) => {
    console.error(error?.stack ?? String(error));
    process.exit(1);
  });
