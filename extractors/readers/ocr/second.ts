// A second reading of the numbers tesseract was unsure of. A number word read below the mapper's threshold is cut
// out of the page (with some white around it, never across a cell border), enlarged to the glyph height
// tesseract reads best (~30 px: a 10.5 pt digit at 150 dpi is 15 px) and read again digits-only, all such words of
// a page stacked in one image for one tesseract run. Two readings that agree — the page in context with both
// languages, the word alone at twice the size with only digits allowed — take the better confidence; a second
// reading that differs (a digit, a minus sign the first lost) leaves the word below the threshold, so only
// arithmetic can keep it.
import { ACTIVE_KEYWORDS, REQUEST_KEYWORDS } from '../../template/labels.ts';
import { OCR_MIN_CONFIDENCE } from '../../template/confidence.ts';
import { median } from '../pdf/text.ts';
import { OCR_NUMBER } from './cells.ts';
import { crop, scaled, type Gray } from './image.ts';
import type { Segment } from './lines.ts';
import { recognise, recogniseDigits, recogniseParts, type Recognise, type Word } from './tesseract.ts';

/** tesseract's confidence scale (0–100) */
const THRESHOLD = OCR_MIN_CONFIDENCE * 100;
/** digit height tesseract reads best, in pixels */
const GLYPH_PX = 30;

const digits = (text: string) => text.replace(/,/g, '');

export async function secondOpinion(
  words: Word[],
  image: Gray,
  verticals: Segment[],
  options: Recognise,
): Promise<Word[]> {
  const doubtful = words.filter((word) => word.conf < THRESHOLD && OCR_NUMBER.test(word.text));
  if (!doubtful.length || !options.languages.split('+').includes('eng')) return words;
  const parts = doubtful.map((word) => {
    const height = Math.max(1, word.y1 - word.y0);
    // white around the word up to half its height, stopping short of a cell border on either side
    const borders = verticals
      .filter((line) => line.y0 <= word.y1 && line.y1 >= word.y0)
      .map((line) => (line.x0 + line.x1) / 2);
    const leftBorder = Math.max(-Infinity, ...borders.filter((x) => x <= word.x0));
    const rightBorder = Math.min(Infinity, ...borders.filter((x) => x >= word.x1));
    const part = crop(image, {
      x0: Math.max(word.x0 - height / 2, leftBorder + 3),
      y0: word.y0 - height / 3,
      x1: Math.min(word.x1 + height / 2, rightBorder - 3),
      y1: word.y1 + height / 3,
    });
    return scaled(part, Math.min(3, Math.max(1, GLYPH_PX / height)));
  });
  const second = await recogniseParts(parts, GLYPH_PX, (strip) => recogniseDigits(strip, options));
  const judged = new Map<Word, number>();
  doubtful.forEach((word, index) => {
    const again = [...second[index]]
      .sort((a, b) => a.x0 - b.x0)
      .map((piece) => piece.text)
      .join('');
    const conf = Math.min(100, ...second[index].map((piece) => piece.conf));
    if (again && digits(again) === digits(word.text)) judged.set(word, Math.max(word.conf, conf));
  });
  return words.map((word) => (judged.has(word) ? { ...word, conf: judged.get(word)! } : word));
}

const CJK = /[\u3400-\u9fff]/;
/** a label character read below this is doubtful (0–100) */
const LABEL_DOUBT = 80;
/** CJK glyph height the label reading is enlarged to, in pixels */
const CJK_PX = 40;

/** A ruled cell's inside, in pixels (the shape of a ruling segment). */
type Box = Segment;

/** The ruled cell around a point, or null outside a table. */
function cellAt(x: number, y: number, horizontals: Segment[], verticals: Segment[]): Box | null {
  const crossing = (seg: Segment, at: number, across: boolean) =>
    across ? seg.x0 <= at && seg.x1 >= at : seg.y0 <= at && seg.y1 >= at;
  const lefts = verticals.filter((v) => crossing(v, y, false) && v.x1 < x).map((v) => v.x1);
  const rights = verticals.filter((v) => crossing(v, y, false) && v.x0 > x).map((v) => v.x0);
  const tops = horizontals.filter((h) => crossing(h, x, true) && h.y1 < y).map((h) => h.y1);
  const bottoms = horizontals.filter((h) => crossing(h, x, true) && h.y0 > y).map((h) => h.y0);
  if (!lefts.length || !rights.length || !tops.length || !bottoms.length) return null;
  return { x0: Math.max(...lefts), x1: Math.min(...rights), y0: Math.max(...tops), y1: Math.min(...bottoms) };
}

const KEYWORDS = [...REQUEST_KEYWORDS, ...ACTIVE_KEYWORDS].map(([, keyword]) => keyword);

/** The words (in tesseract's reading order) hold a row keyword of the template (labels.ts). */
function namesRow(words: Word[]): boolean {
  const text = words
    .map((word) => word.text)
    .join('')
    .normalize('NFKC')
    .replace(/[\s“”"'‘’«»|!:;_~`·,，。]+/g, '');
  return KEYWORDS.some((keyword) => keyword.test(text));
}

const mean = (words: Word[]) => {
  const chars = words.reduce((sum, word) => sum + [...word.text].length, 0);
  return chars ? words.reduce((sum, word) => sum + word.conf * [...word.text].length, 0) / chars : 0;
};

/**
 * Labels in narrow cells (one character a line) are where tesseract loses a row: "不掌握" read "不党握" names no row.
 * A ruled cell holding a doubtful label character is cut out, enlarged and read again with chi_sim; its words
 * (numbers apart, which keep their own reading) are replaced when the second reading is more confident.
 */
export async function labelsAgain(
  words: Word[],
  image: Gray,
  rulings: { horizontals: Segment[]; verticals: Segment[] },
  options: Recognise,
): Promise<Word[]> {
  const cells: Box[] = [];
  for (const word of words) {
    if (word.conf >= LABEL_DOUBT || !CJK.test(word.text)) continue;
    const cell = cellAt((word.x0 + word.x1) / 2, (word.y0 + word.y1) / 2, rulings.horizontals, rulings.verticals);
    if (cell && !cells.some((c) => c.x0 === cell.x0 && c.y0 === cell.y0)) cells.push(cell);
  }
  if (!cells.length) return words;
  const inside = (word: Word, cell: Box) => {
    const x = (word.x0 + word.x1) / 2;
    const y = (word.y0 + word.y1) / 2;
    return x > cell.x0 && x < cell.x1 && y > cell.y0 && y < cell.y1;
  };
  const heights = words.filter((word) => CJK.test(word.text)).map((word) => word.y1 - word.y0);
  const body = median(heights) || CJK_PX;
  const factor = Math.min(3, Math.max(1, CJK_PX / body));
  const parts = cells.map((cell) =>
    scaled(crop(image, { x0: cell.x0 + 3, y0: cell.y0 + 3, x1: cell.x1 - 3, y1: cell.y1 - 3 }), factor),
  );
  const read = await recogniseParts(parts, CJK_PX, (strip) => recognise(strip, { ...options, languages: 'chi_sim' }));
  const replaced = new Set<Word>();
  const added: Word[] = [];
  cells.forEach((cell, index) => {
    const mine = words.filter((word) => inside(word, cell) && !OCR_NUMBER.test(word.text));
    const again = read[index]
      .filter((word) => !OCR_NUMBER.test(word.text))
      .map((word) => ({
        ...word,
        x0: cell.x0 + 3 + word.x0 / factor,
        x1: cell.x0 + 3 + word.x1 / factor,
        y0: cell.y0 + 3 + word.y0 / factor,
        y1: cell.y0 + 3 + word.y1 / factor,
        line: `again.${index}.${word.line}`,
      }));
    if (!again.some((word) => CJK.test(word.text))) return;
    // the reading whose text names a template row wins (a lexicon choosing between two readings), else the surer
    const [namesNew, namesOld] = [namesRow(again), namesRow(mine)];
    if (namesOld && !namesNew) return;
    if (namesOld === namesNew && mean(again) <= mean(mine)) return;
    for (const word of mine) replaced.add(word);
    added.push(...again);
  });
  return [...words.filter((word) => !replaced.has(word)), ...added];
}
