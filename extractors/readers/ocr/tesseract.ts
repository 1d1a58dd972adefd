// tesseract, spawned: an image on stdin (PGM), words with boxes and confidences on stdout (TSV). Each run has a
// time limit and an address-space limit (ulimit -v in the shell that execs it), so a runaway page kills its own
// tesseract and fails as an InputError; the process that spawned it never runs out of memory.
import { spawn } from 'node:child_process';
import { InputError } from '../../../core/errors.ts';
import type { Gray } from './image.ts';
import { stacked, toPgm } from './image.ts';

export interface Word {
  text: string;
  /** pixels of the image given */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** 0–100 as tesseract reports it */
  conf: number;
  /** block.paragraph.line: words of one text line share it */
  line: string;
}

/** Address space of one tesseract: chi_sim's LSTM model and a 300 dpi page take ~400 MB; a page needing 4× that is not a report page. */
export const MEMORY_LIMIT_MB = 1536;

interface RunOptions {
  binary: string;
  args: string[];
  input: Buffer;
  timeoutMs: number;
}

function run({ binary, args, input, timeoutMs }: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    // $0 is the binary, the rest its arguments: nothing of the page reaches the shell as code
    const child = spawn('/bin/sh', ['-c', `ulimit -v ${MEMORY_LIMIT_MB * 1024} && exec "$0" "$@"`, binary, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, OMP_THREAD_LIMIT: '1' },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.stdin.on('error', () => {}); // a tesseract that dies early closes its stdin: the exit says why
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return reject(new InputError(`OCR page too slow: tesseract still running after ${timeoutMs} ms`));
      const stderr = Buffer.concat(err).toString('utf8').trim().split('\n').pop() ?? '';
      if (code !== 0)
        return reject(
          new InputError(
            `OCR page failed: tesseract ${signal ? `killed by ${signal}` : `exit ${code}`}` +
              (/alloc|memory/i.test(stderr) ? ` (over the ${MEMORY_LIMIT_MB} MB memory limit)` : '') +
              (stderr ? `: ${stderr.slice(0, 200)}` : ''),
          ),
        );
      resolve(Buffer.concat(out).toString('utf8'));
    });
    child.stdin.end(input);
  });
}

/** TSV rows of level 5 (words); empty words and tesseract's -1 confidences of non-words dropped. */
export function parseTsv(tsv: string): Word[] {
  const words: Word[] = [];
  for (const row of tsv.split('\n').slice(1)) {
    const cols = row.split('\t');
    if (cols.length < 12 || cols[0] !== '5') continue;
    const text = cols.slice(11).join('\t').trim();
    const conf = Number(cols[10]);
    if (!text || !(conf >= 0)) continue;
    const [left, top, width, height] = cols.slice(6, 10).map(Number);
    words.push({
      text,
      x0: left,
      y0: top,
      x1: left + width,
      y1: top + height,
      conf,
      line: `${cols[2]}.${cols[3]}.${cols[4]}`,
    });
  }
  return words;
}

export interface Recognise {
  binary: string;
  languages: string;
  dpi: number;
  timeoutMs: number;
  /** read the page a second time with chi_sim alone for its labels (page.ts) */
  labelsTwice?: boolean;
}

/**
 * Page segmentation 6 (one uniform block): with the borders erased a table is rows of words, and the automatic
 * segmentation split cells into columns read out of order or dropped lone digits.
 */
export async function recognise(image: Gray, options: Recognise, extra: string[] = []): Promise<Word[]> {
  const tsv = await run({
    binary: options.binary,
    // no second try of each doubtful line as white-on-black: report tables are dark on light, and it cost 20%
    args: [
      'stdin',
      'stdout',
      '-l',
      options.languages,
      '--psm',
      '6',
      '--dpi',
      String(options.dpi),
      '-c',
      'tessedit_do_invert=0',
      ...extra,
      'tsv',
    ],
    input: toPgm(image),
    timeoutMs: options.timeoutMs,
  });
  return parseTsv(tsv);
}

/**
 * Parts cut out of a page read in one tesseract run, stacked top to bottom `gap` pixels apart: each part's words in
 * tesseract's reading order (a number wrapped over lines comes back in its pieces, top to bottom), in the part's own
 * pixels.
 */
export async function recogniseParts(
  parts: Gray[],
  gap: number,
  read: (image: Gray) => Promise<Word[]>,
): Promise<Word[][]> {
  const { image, tops } = stacked(parts, gap);
  const out = parts.map((): Word[] => []);
  for (const word of await read(image)) {
    const middle = (word.y0 + word.y1) / 2;
    const index = tops.findIndex((top, at) => middle >= top && middle < top + parts[at].height);
    if (index < 0) continue;
    const top = tops[index];
    out[index].push({ ...word, x0: word.x0 - gap, x1: word.x1 - gap, y0: word.y0 - top, y1: word.y1 - top });
  }
  return out;
}

/** Digits only (eng, whitelist 0-9 . , -): the second reading of doubtful numbers (second.ts). */
export function recogniseDigits(image: Gray, options: Recognise): Promise<Word[]> {
  return recognise(image, { ...options, languages: 'eng' }, ['-c', 'tessedit_char_whitelist=0123456789.,-']);
}

/** Orientation and script detection (osd.traineddata): clockwise degrees to turn the page upright, or null. */
export async function orientation(
  image: Gray,
  options: Recognise,
): Promise<{ rotate: number; confidence: number } | null> {
  try {
    const out = await run({
      binary: options.binary,
      args: ['stdin', 'stdout', '--psm', '0', '--dpi', String(options.dpi)],
      input: toPgm(image),
      timeoutMs: options.timeoutMs,
    });
    const rotate = /Rotate:\s*(\d+)/.exec(out);
    const confidence = /Orientation confidence:\s*([\d.]+)/.exec(out);
    return rotate ? { rotate: Number(rotate[1]), confidence: Number(confidence?.[1] ?? 0) } : null;
  } catch (error) {
    // too little text to tell: the page stays as it is
    if (error instanceof InputError && /Too few characters|exit 1/.test(error.message)) return null;
    throw error;
  }
}
