// Format → reader. Readers load lazily so that `extract` on a text file never pays for mammoth or pdf.js; the
// pure-JS readers run in a worker thread with a heap limit (sandbox.ts), pdf.js in its own (readers/pdf).
import { InputError } from '../../core/errors.ts';
import type { Format, Reader } from '../model.ts';

const loaders: Record<Format, () => Promise<{ default: Reader }>> = {
  text: () => import('./text.ts'),
  html: () => import('./html.ts'),
  docx: () => import('./docx.ts'),
  pdf: () => import('./pdf.ts'),
  doc: () => import('./doc.ts'),
};

/** Readers whose parsers can exhaust the heap or loop on hostile input: run in the sandbox (sandbox.ts). */
const ISOLATED = new Set<Format>(['docx', 'doc', 'html', 'text']);

export async function readerFor(format: Format): Promise<Reader> {
  if (ISOLATED.has(format)) return (await import('./sandbox.ts')).sandboxed(format);
  try {
    return (await loaders[format]()).default;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || /Cannot find module/.test(String((err as Error).message)))
      throw new InputError(`${format.toUpperCase()} reader not available`);
    throw err;
  }
}
