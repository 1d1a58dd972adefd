// Report documents for the simulator: real corpus files (with their .expected.json) when the corpus folders hold
// them, else small synthetic stand-ins with the right magic bytes so every format still appears on the portals.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { decodeHtml } from '../../crawlers/decode.ts';

export type DocKind = 'html' | 'pdf' | 'docx' | 'doc';

export interface CorpusDoc {
  kind: DocKind;
  path: string;
  expectedPath: string;
}

const CORPUS_DIRS = ['test/corpus/seeds', 'test/corpus/office'].map((d) => new URL(`../../${d}/`, import.meta.url).pathname);
const KIND_BY_EXT: Record<string, DocKind> = { '.html': 'html', '.htm': 'html', '.pdf': 'pdf', '.docx': 'docx', '.doc': 'doc' };

/** Every corpus file with a sibling `<file>.expected.json` or `<stem>.expected.json`, sorted for determinism. */
export function scanCorpus(dirs = CORPUS_DIRS): CorpusDoc[] {
  const out: CorpusDoc[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const kind = KIND_BY_EXT[extname(name).toLowerCase()];
      if (!kind || !statSync(path).isFile()) continue;
      const stem = basename(name, extname(name));
      const expected = [join(dir, `${name}.expected.json`), join(dir, `${stem}.expected.json`)].find(existsSync);
      if (expected) out.push({ kind, path, expectedPath: expected });
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
}

function bodyOf(html: string): string {
  const m = /<body[^>]*>([\s\S]*)<\/body>/i.exec(html);
  return (m ? m[1] : html).trim();
}

/** A small report-shaped HTML table (the real values come from the corpus when it exists). */
function syntheticTable(title: string, n: number): string {
  const rows = ['本年制发件数', '本年废止件数', '现行有效件数'].map((label, i) => `<tr><td>${label}</td><td>${(n * 7 + i * 3) % 97}</td></tr>`).join('');
  return `<p>${title}</p><p>一、总体情况</p><p>本年度本机关认真贯彻落实《中华人民共和国政府信息公开条例》。</p>` +
    `<p>二、主动公开政府信息情况</p><table border="1"><tr><td>信息内容</td><td>数量</td></tr>${rows}</table>` +
    `<p>三、收到和处理政府信息公开申请情况</p><table border="1"><tr><td>申请人情况</td><td>自然人</td></tr><tr><td>一、本年新收政府信息公开申请数量</td><td>${n % 13}</td></tr></table>` +
    `<p>四、政府信息公开行政复议、行政诉讼情况</p><table border="1"><tr><td>行政复议</td><td>0</td></tr></table>`;
}

const MAGIC: Record<Exclude<DocKind, 'html'>, Buffer> = {
  pdf: Buffer.from('%PDF-1.4\n'),
  docx: Buffer.from([0x50, 0x4b, 0x03, 0x04]),
  doc: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
};

export function loadContent(kind: DocKind, title: string, n: number, corpus: CorpusDoc[]): DocContent {
  const pool = corpus.filter((c) => c.kind === kind);
  if (pool.length) {
    const c = pool[n % pool.length];
    const raw = readFileSync(c.path);
    return kind === 'html'
      ? { html: bodyOf(decodeHtml(raw)), expectedPath: c.expectedPath, synthetic: false }
      : { bytes: raw, expectedPath: c.expectedPath, synthetic: false };
  }
  if (kind === 'html') return { html: syntheticTable(title, n), expectedPath: null, synthetic: true };
  // Real report attachments weigh 50 KB–2 MB; pad the stand-in to a plausible size so byte ratios mean something.
  const size = 40_000 + ((n * 7919) % 80_000);
  const head = Buffer.concat([MAGIC[kind], Buffer.from(`% nianbao simulator stand-in: ${title} #${n}\n`)]);
  return { bytes: Buffer.concat([head, Buffer.alloc(size - head.length, '% padding\n')]), expectedPath: null, synthetic: true };
}
