// Finds the committed documents to benchmark, grouped by format (by content, not only by extension).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type BenchFormat = 'text' | 'html' | 'gbk_html' | 'docx' | 'doc' | 'pdf';

function walk(dir: string, out: string[] = []): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

function classify(path: string): BenchFormat | null {
  if (path.endsWith('.json')) return null;
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  if (ext === 'txt') return 'text';
  if (ext === 'html' || ext === 'htm') {
    const head = readFileSync(path).subarray(0, 2048).toString('latin1').toLowerCase();
    return /charset\s*=\s*["']?(gb2312|gbk|gb18030)/.test(head) ? 'gbk_html' : 'html';
  }
  if (ext === 'docx') return 'docx';
  if (ext === 'doc' || ext === 'wps') return 'doc';
  if (ext === 'pdf') return 'pdf';
  return null;
}

/** Documents that have an expected JSON beside them (so they are well-formed reports, not the hostile inputs). */
export function benchCorpus(root: string): Record<BenchFormat, string[]> {
  const out: Record<BenchFormat, string[]> = { text: [], html: [], gbk_html: [], docx: [], doc: [], pdf: [] };
  const files = [...walk(join(root, 'test/examples')), ...walk(join(root, 'test/corpus'))];
  const expected = new Set(files.filter((f) => f.endsWith('.expected.json')));
  for (const file of files.sort()) {
    const fmt = classify(file);
    if (!fmt) continue;
    const stem = file.slice(0, file.lastIndexOf('.'));
    if (expected.has(`${file}.expected.json`) || expected.has(`${stem}.expected.json`)) out[fmt].push(file);
  }
  return out;
}
