// Is OCR possible here? tesseract with the chi_sim model and pdftoppm (poppler-utils) are Debian packages, not npm
// ones: they are looked for once per process, and their absence is a flag on the report (OCR_UNAVAILABLE), never a
// failure. NIANBAO_OCR=off turns OCR off.
import { execFile } from 'node:child_process';
import { loadConfig } from '../../../core/config.ts';

export interface OcrEngine {
  tesseract: string;
  pdftoppm: string;
  pdfimages: string;
  /** chi_sim, with eng when installed (Latin letters and digits in labels) */
  languages: string;
  /** osd.traineddata is there: orientation can be asked of tesseract */
  osd: boolean;
}

export type Availability = { engine: OcrEngine } | { unavailable: string };

function output(binary: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) =>
    execFile(binary, args, { timeout: 10_000 }, (error, stdout, stderr) =>
      resolve(error ? null : `${stdout}\n${stderr}`),
    ),
  );
}

async function detect(): Promise<Availability> {
  const tesseract = 'tesseract';
  const pdftoppm = 'pdftoppm';
  const langs = await output(tesseract, ['--list-langs']);
  if (langs === null)
    return { unavailable: 'tesseract is not installed (Debian: tesseract-ocr tesseract-ocr-chi-sim)' };
  const installed = new Set(langs.split('\n').map((l) => l.trim()));
  if (!installed.has('chi_sim'))
    return { unavailable: 'tesseract has no chi_sim model (Debian: tesseract-ocr-chi-sim)' };
  if ((await output(pdftoppm, ['-v'])) === null)
    return { unavailable: 'pdftoppm is not installed (Debian: poppler-utils)' };
  return {
    engine: {
      tesseract,
      pdftoppm,
      pdfimages: 'pdfimages',
      languages: installed.has('eng') ? 'chi_sim+eng' : 'chi_sim',
      osd: installed.has('osd'),
    },
  };
}

let found: Promise<Availability> | undefined;

export function ocrAvailability(): Promise<Availability> {
  if (loadConfig().ocr === 'off') return Promise.resolve({ unavailable: 'OCR is turned off (NIANBAO_OCR=off)' });
  return (found ??= detect());
}
