// The browser's pdf.js, served from the installed pdfjs-dist (no front-end build, no CDN): the library, its worker,
// the text-layer CSS, the CMaps for CJK fonts and the standard fonts. Only these folders, only these file types.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, normalize, sep } from 'node:path';

const PDFJS_ROOT = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
const FOLDERS = new Set(['build', 'web', 'cmaps', 'standard_fonts', 'wasm', 'iccs']);
const TYPES: Record<string, string> = {
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  bcmap: 'application/octet-stream',
  pfb: 'application/octet-stream',
  ttf: 'font/ttf',
  wasm: 'application/wasm',
  icc: 'application/octet-stream',
};

/** A file under node_modules/pdfjs-dist for /static/pdfjs/<rest>, or null (unknown folder, type or file). */
export async function pdfjsFile(rest: string): Promise<{ body: Buffer; type: string } | null> {
  const clean = normalize(rest).replace(/^([/\\])+/, '');
  const [folder] = clean.split(sep);
  const type = TYPES[clean.split('.').pop() ?? ''];
  if (!FOLDERS.has(folder) || !type || clean.includes('..')) return null;
  const path = join(PDFJS_ROOT, clean);
  if (!path.startsWith(PDFJS_ROOT + sep)) return null;
  try {
    return { body: await readFile(path), type };
  } catch {
    return null;
  }
}
