// Report documents for the simulator, each with the ground truth of its values:
// - the corpus folders (test/corpus/seeds, test/corpus/office): real rendered files with their .expected.json,
//   scanned at start so new corpus files are picked up automatically;
// - reports generated for this portal's own bodies and years (test/gen: randomReport + renderHtml/renderDocx),
//   their expected JSON written to the simulator's temp folder.
// Without a corpus, attachments fall back to small synthetic stand-ins with the right magic bytes.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { decodeHtml } from '../extractors/readers/encoding.ts';
import type { Report, Row } from '../extractors/report.ts';
import { prng, randomReport } from './reports/random-report.ts';
import { REQUEST_COLUMNS } from '../extractors/template/keys.ts';
import { renderDocx, renderHtml } from './reports/render.ts';

export type DocKind = 'html' | 'pdf' | 'docx' | 'doc' | 'wps';

export interface Identity {
  agency: string;
  year: number;
  regionCode: string | null;
  publishedAt: string | null;
}

export interface CorpusDoc {
  kind: DocKind;
  path: string;
  expectedPath: string;
  /** Files of one report in several formats share a group (seed-000 / 000_…; random-007). */
  group: string;
  seed: boolean;
  identity: Identity;
}

const CORPUS_DIRS = ['test/corpus/seeds', 'test/corpus/office'].map(
  (d) => new URL(`../${d}/`, import.meta.url).pathname,
);
const KIND_BY_EXT: Record<string, DocKind> = {
  '.html': 'html',
  '.htm': 'html',
  '.pdf': 'pdf',
  '.docx': 'docx',
  '.doc': 'doc',
  '.wps': 'wps',
};

/** Every usable corpus file with a sibling `<file>.expected.json` or `<stem>.expected.json`, sorted. The special
 *  files (encrypted, scanned, truncated …) test the extractors' errors and are not published as reports, except a
 *  seed's .wps twin. */
export function scanCorpus(dirs = CORPUS_DIRS): CorpusDoc[] {
  const out: CorpusDoc[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const kind = KIND_BY_EXT[extname(name).toLowerCase()];
      if (!kind || !statSync(path).isFile()) continue;
      if (name.startsWith('special-') && !/^special-seed-\d+\.wps$/.test(name)) continue;
      const stem = basename(name, extname(name));
      const expectedPath = [join(dir, `${name}.expected.json`), join(dir, `${stem}.expected.json`)].find(existsSync);
      if (!expectedPath) continue;
      const expected = JSON.parse(readFileSync(expectedPath, 'utf8')) as Partial<Report>;
      if (!expected.agency || !expected.year) continue;
      const seedNo = /^(?:special-)?seed-(\d+)/.exec(name)?.[1] ?? /^(\d{3})_[0-9a-f]+_/.exec(name)?.[1];
      const group = seedNo ? `seed-${seedNo}` : stem;
      out.push({
        kind,
        path,
        expectedPath,
        group,
        seed: !!seedNo,
        identity: {
          agency: expected.agency,
          year: expected.year,
          regionCode: expected.region_code ?? null,
          publishedAt: expected.published_at ?? null,
        },
      });
    }
  }
  return out;
}

export interface DocContent {
  /** For html: the inner HTML of the report body (tables); for attachments: the file bytes. */
  html?: string;
  bytes?: Buffer;
  expectedPath: string | null;
  synthetic: boolean;
  /** Generated reports keep their report so a "changed" version can be re-rendered with new values. */
  generated?: { report: Report; seed: number };
}

function bodyOf(html: string): string {
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(html);
  return (body ? body[1] : html).trim();
}

export function fromCorpus(doc: CorpusDoc): DocContent {
  const raw = readFileSync(doc.path);
  return doc.kind === 'html'
    ? { html: bodyOf(decodeHtml(raw)), expectedPath: doc.expectedPath, synthetic: false }
    : { bytes: raw, expectedPath: doc.expectedPath, synthetic: false };
}

/** A body's 结转下年度 for a year, per applicant column, from its name and the year alone: the next year's report
 *  of the same body carries it over whatever order the simulator generates them in (or a revision re-renders). */
function carriedForward(who: { agency: string; regionCode: string }, year: number): Row {
  let hash = 2166136261;
  for (const char of `${who.regionCode}|${who.agency}|${year}`) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  const rnd = prng(hash);
  return Object.fromEntries(
    REQUEST_COLUMNS.filter(([column]) => column !== 'total').map(([column]) => [column, Math.floor(rnd() * 6)]),
  );
}

/** A report of this portal's own body and year, rendered as an article body (html) or a DOCX attachment. */
export async function generate(
  kind: 'html' | 'docx',
  who: { agency: string; year: number; title: string; regionCode: string; publishedAt: string },
  seed: number,
  expectedFile: string,
): Promise<DocContent> {
  const carry = { over: carriedForward(who, who.year - 1), forward: carriedForward(who, who.year) };
  const base = randomReport(seed, { template: who.year >= 2021 ? '2021' : '2019', carry });
  const report: Report = {
    ...base,
    agency: who.agency,
    year: who.year,
    title: who.title,
    region_code: who.regionCode,
    published_at: who.publishedAt,
  };
  writeFileSync(expectedFile, JSON.stringify(report, null, 2));
  const common = { expectedPath: expectedFile, synthetic: false, generated: { report, seed } };
  return kind === 'html'
    ? { html: bodyOf(renderHtml(report, { chrome: false, seed })), ...common }
    : { bytes: await renderDocx(report, { seed }), ...common };
}

const MAGIC: Record<Exclude<DocKind, 'html'>, Buffer> = {
  pdf: Buffer.from('%PDF-1.4\n'),
  docx: Buffer.from([0x50, 0x4b, 0x03, 0x04]),
  doc: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
  wps: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
};

/** Without a corpus: a stand-in of a plausible size (real attachments weigh 50 KB–2 MB) so byte ratios mean something. */
export function synthetic(kind: Exclude<DocKind, 'html'>, title: string, serial: number): DocContent {
  const size = 40_000 + ((serial * 7919) % 80_000);
  const head = Buffer.concat([MAGIC[kind], Buffer.from(`% nianbao simulator stand-in: ${title} #${serial}\n`)]);
  return {
    bytes: Buffer.concat([head, Buffer.alloc(size - head.length, '% padding\n')]),
    expectedPath: null,
    synthetic: true,
  };
}

/** A small report-shaped HTML table for distractor pages (a neighbour's reposted report). */
export function syntheticTable(title: string, serial: number): string {
  const rows = ['本年制发件数', '本年废止件数', '现行有效件数']
    .map((label, i) => `<tr><td>${label}</td><td>${(serial * 7 + i * 3) % 97}</td></tr>`)
    .join('');
  return `<p>${title}</p><p>二、主动公开政府信息情况</p><table border="1"><tr><td>信息内容</td><td>数量</td></tr>${rows}</table>`;
}
