// One scanned page → the positioned text and ruling lines a text layer would have given: words as text items
// (viewport points, with tesseract's confidence), borders as hairline boxes. The PDF reader then builds tables and
// paragraphs from them exactly as for a text PDF. Steps: deskew, find and erase the borders, recognise, and when the
// page reads poorly ask tesseract's orientation detection and read it again turned upright.
import type { DrawOp, RawItem } from '../pdf/pdfjs.ts';
import { invert, turnBack, type QuarterTurns } from '../pdf/orientation.ts';
import { median, multiply } from '../pdf/text.ts';
import { OCR_NUMBER } from './cells.ts';
import { UNIT_AFTER_NUMBER } from '../../template/numbers.ts';
import { inkThreshold, rotate, turnUpright, type Gray } from './image.ts';
import { skewDegrees } from './deskew.ts';
import { unreadMinus } from './minus.ts';
import { labelsAgain, secondOpinion } from './second.ts';
import { eraseRulings, findRulings, type Rulings, type Segment } from './lines.ts';
import { orientation, recognise, type Recognise, type Word } from './tesseract.ts';

export interface OcrPage {
  items: RawItem[];
  draw: DrawOp[];
  /** page size in points, as the raster gives it */
  width: number;
  height: number;
  turns: QuarterTurns;
  skew: number;
  /** rendering resolution the page was read at */
  dpi: number;
  /** words read and their mean confidence (0–100): how well the page read */
  words: number;
  meanConf: number;
  /** the deskewed raster with its borders erased, as displayed: kept for a second look at cells (reread.ts) */
  image: Gray;
}

const CJK = /[\u3400-\u9fff]/;

/** A page reads well when most of its words are confident. */
const readsWell = (words: Word[]) =>
  words.length >= 5 && words.filter((w) => w.conf >= 70).length >= 0.5 * words.length;

export async function ocrPage(raster: Gray, options: Recognise): Promise<OcrPage> {
  const perPoint = options.dpi / 72;
  const ink = Math.min(200, Math.max(80, inkThreshold(raster)));
  const skew = skewDegrees(raster, ink);
  const straight = Math.abs(skew) >= 0.2 ? rotate(raster, -skew) : raster;
  const rulings = findRulings(straight, ink, Math.round(25 * perPoint), Math.max(3, Math.round(4 * perPoint)));
  const erased = eraseRulings(straight, rulings, ink);

  // orientation is settled on the first (mixed-language) pass alone; the label pass runs once, on the upright page
  let turns: QuarterTurns = 0;
  let mixed = await recognise(erased, options);
  if (!readsWell(mixed)) {
    const osd = await orientation(erased, options);
    // OSD's confidence is low on prose pages it gets right: the turned reading is kept only if it reads better
    const turn = osd && osd.rotate % 90 === 0 ? (((4 - osd.rotate / 90) % 4) as QuarterTurns) : 0;
    if (turn) {
      const turned = await recognise(turnUpright(erased, turn), options);
      if (turned.filter((w) => w.conf >= 70).length > mixed.filter((w) => w.conf >= 70).length) {
        turns = turn;
        mixed = turned;
      }
    }
  }
  const upright = turnSegments(rulings, turns, straight.width, straight.height);
  const uprightImage = turnUpright(erased, turns);
  const words = await labelsAgain(await withLabels(mixed, uprightImage, options), uprightImage, upright, options);

  const width = straight.width / perPoint;
  const height = straight.height / perPoint;
  const pieces = await secondOpinion(
    words
      .flatMap((word) => splitAtBorders(word, upright.verticals))
      .map(withoutDebris)
      .filter((word) => word.text.replace(QUOTES, '').replace(LONE_MARKS, '').trim())
      .map((word) => unreadMinus(word, uprightImage, upright.verticals, ink)),
    uprightImage,
    upright.verticals,
    options,
  );
  const cjkHeights = pieces.filter((w) => CJK.test(w.text)).map((w) => w.y1 - w.y0);
  const bodyHeight = median(cjkHeights.length ? cjkHeights : pieces.map((w) => w.y1 - w.y0));
  // text items in the upright frame, then turned back to the page as displayed (as a text layer printed sideways is)
  const back = invert(turnBack(turns, width, height));
  const items: RawItem[] = pieces.map((word) => {
    const size = Math.max(word.y1 - word.y0, bodyHeight) / perPoint;
    const upright: number[] = [size, 0, 0, -size, word.x0 / perPoint, word.y1 / perPoint];
    return {
      str: word.text,
      transform: turns ? multiply(back, upright) : upright,
      width: (word.x1 - word.x0) / perPoint,
      height: size,
      confidence: word.conf / 100,
    };
  });
  const draw: DrawOp[] = [
    ...rulings.horizontals.map((seg): DrawOp => {
      const mid = (seg.y0 + seg.y1 + 1) / 2 / perPoint;
      return ['f', seg.x0 / perPoint, mid - 0.25, (seg.x1 + 1) / perPoint, mid + 0.25];
    }),
    ...rulings.verticals.map((seg): DrawOp => {
      const mid = (seg.x0 + seg.x1 + 1) / 2 / perPoint;
      return ['f', mid - 0.25, seg.y0 / perPoint, mid + 0.25, (seg.y1 + 1) / perPoint];
    }),
  ];
  const meanConf = words.length ? words.reduce((sum, w) => sum + w.conf, 0) / words.length : 0;
  return {
    items,
    draw,
    width,
    height,
    turns,
    skew,
    dpi: options.dpi,
    words: words.length,
    meanConf,
    image: erased,
  };
}

/**
 * Marks stuck to a number (“49, «34, 453-): remains of an erased border or of noise, never part of a count. Dots,
 * 、 and brackets stay: "1." and "(2)" number a label.
 */
const DEBRIS = /^[“”"'‘’«»|!:;_~`·]*([+-]?\d[\d,]*(?:\.\d+)?)[“”"'‘’«»|!:;_~`·,-]*$/;

/** Quote marks inside Chinese text on a scan are mostly specks left of a border ("1属“于国家秘“密"). */
const QUOTES = /[“”"'‘’]/g;
const QUOTE = /[“”"'‘’]/;
/** A word of a full-width comma or stop alone is a speck in a table (a number's cell reading "25 ，"). */
const LONE_MARKS = /^[，。]+$/;

function withoutDebris(word: Word): Word {
  const match = DEBRIS.exec(word.text);
  if (match && match[1] !== word.text) return { ...word, text: match[1] };
  return CJK.test(word.text) && QUOTE.test(word.text) ? { ...word, text: word.text.replace(QUOTES, '') } : word;
}

/**
 * chi_sim+eng reads digits best but turns short Chinese fragments into Latin letters ("属于" → "Fa"); chi_sim alone
 * reads the labels but misreads digits. With both installed the page is read twice: numbers from the first pass,
 * everything else from the second (its words that overlap a number of the first are dropped).
 */
async function withLabels(mixed: Word[], image: Gray, options: Recognise): Promise<Word[]> {
  if (!options.languages.includes('+') || !options.labelsTwice) return mixed;
  const chinese = await recognise(image, { ...options, languages: 'chi_sim' });
  const numbers = mixed.filter((word) => OCR_NUMBER.test(withoutDebris(word).text));
  const overlaps = (one: Word, other: Word) =>
    Math.min(one.x1, other.x1) > Math.max(one.x0, other.x0) && Math.min(one.y1, other.y1) > Math.max(one.y0, other.y0);
  const kept: Word[] = [];
  for (const word of chinese) {
    const under = numbers.find((num) => overlaps(num, word));
    if (!under) {
      kept.push(word);
      continue;
    }
    // the unit printed after the number ("713700元" in a 万元 column is 71.37): the number's reading lacks it
    const unit = UNIT_AFTER_NUMBER.exec(word.text.normalize('NFKC').replace(/\s+/g, ''))?.[1];
    if (unit && !under.text.endsWith(unit) && word.x1 > under.x1)
      kept.push({ ...word, text: unit, x0: under.x1 + 1, line: `${word.line}.unit` });
  }
  return [...numbers, ...kept];
}

/** Segments of the page raster → the raster turned upright by `turns` (image.ts turnUpright). */
function turnSegments(rulings: Rulings, turns: QuarterTurns, width: number, height: number): Rulings {
  if (!turns) return rulings;
  const point = (x: number, y: number): [number, number] =>
    turns === 1 ? [y, width - 1 - x] : turns === 2 ? [width - 1 - x, height - 1 - y] : [height - 1 - y, x];
  const turn = (seg: Segment): Segment => {
    const [startX, startY] = point(seg.x0, seg.y0);
    const [endX, endY] = point(seg.x1, seg.y1);
    return {
      x0: Math.min(startX, endX),
      y0: Math.min(startY, endY),
      x1: Math.max(startX, endX),
      y1: Math.max(startY, endY),
    };
  };
  const all = [...rulings.horizontals, ...rulings.verticals].map(turn);
  return {
    horizontals: all.filter((seg) => seg.x1 - seg.x0 >= seg.y1 - seg.y0),
    verticals: all.filter((seg) => seg.x1 - seg.x0 < seg.y1 - seg.y0),
  };
}

/**
 * A word that runs over a cell border (tesseract joins "合计" and "12" when the line between them was erased) is cut
 * there, its characters shared by width: each part then falls into its own cell.
 */
function splitAtBorders(word: Word, verticals: Segment[]): Word[] {
  const chars = [...word.text];
  const cuts = verticals
    .filter((v) => v.y0 <= word.y1 && v.y1 >= word.y0)
    .map((v) => (v.x0 + v.x1) / 2)
    .filter((x) => x > word.x0 + 2 && x < word.x1 - 2)
    .sort((a, b) => a - b);
  if (!cuts.length || chars.length < 2) return [word];
  const perChar = (word.x1 - word.x0) / chars.length;
  const out: Word[] = [];
  let from = 0;
  let left = word.x0;
  for (const cut of [...cuts, word.x1]) {
    const to = cut === word.x1 ? chars.length : Math.round((cut - word.x0) / perChar);
    if (to > from)
      out.push({ ...word, text: chars.slice(from, to).join(''), x0: left, x1: Math.min(cut, word.x0 + to * perChar) });
    from = Math.max(from, to);
    left = cut;
  }
  return out.length ? out : [word];
}
