// Pages read upright. A page turned by /Rotate, or a table drawn sideways on a landscape page, puts its text on the
// viewport running down or up the page; rows and columns are only found when lines run left to right. The page's
// writing direction is the one most of its characters follow (from each item's text matrix and the viewport, which
// already applies /Rotate); the page is turned a quarter at a time until that direction reads left to right, and
// every box found on it is turned back, so a cell's bbox stays where the number is on screen.
import type { RawPage } from './pdfjs.ts';
import { multiply } from './text.ts';

export type QuarterTurns = 0 | 1 | 2 | 3;

export interface UprightPage {
  /** The page as read: transform turned, width and height swapped for an odd number of turns. */
  page: RawPage;
  /** Quarter turns clockwise the text ran on screen; the page was turned back as many to read it. */
  turns: QuarterTurns;
  /** Characters that run in another direction than the page's: read, but possibly in the wrong place. */
  strayChars: number;
  /** Digits among them: a sideways number next to upright text is a value that may be misplaced. */
  strayDigits: number;
  /** A box of the upright page → the same box on the viewport (what the user sees). */
  toViewport(bbox: [number, number, number, number]): [number, number, number, number];
}

/** The direction an item's text runs on the viewport, in quarter turns clockwise from left-to-right. */
function direction(viewport: number[], itemTransform: number[]): QuarterTurns {
  const matrix = multiply(viewport, itemTransform);
  // viewport y grows downwards: a clockwise turn on screen is a positive angle
  const angle = Math.atan2(matrix[1], matrix[0]);
  return (((Math.round(angle / (Math.PI / 2)) % 4) + 4) % 4) as QuarterTurns;
}

/** x' = a·x + c·y + e, y' = b·x + d·y + f: turns text running `turns` quarters clockwise back to left-to-right. */
export function turnBack(turns: QuarterTurns, width: number, height: number): number[] {
  if (turns === 1) return [0, -1, 1, 0, 0, width];
  if (turns === 2) return [-1, 0, 0, -1, width, height];
  if (turns === 3) return [0, 1, -1, 0, height, 0];
  return [1, 0, 0, 1, 0, 0];
}

export function invert(matrix: number[]): number[] {
  const [scaleX, skewY, skewX, scaleY, moveX, moveY] = matrix;
  const det = scaleX * scaleY - skewY * skewX;
  return [
    scaleY / det,
    -skewY / det,
    -skewX / det,
    scaleX / det,
    (skewX * moveY - scaleY * moveX) / det,
    (skewY * moveX - scaleX * moveY) / det,
  ];
}

export function upright(raw: RawPage): UprightPage {
  const weight = [0, 0, 0, 0];
  const digits = [0, 0, 0, 0];
  for (const item of raw.items) {
    const chars = item.str.replace(/\s+/g, '').length;
    if (!chars) continue;
    const dir = direction(raw.transform, item.transform);
    weight[dir] += chars;
    digits[dir] += (item.str.match(/\d/g) ?? []).length;
  }
  // ties (and pages without text) stay as they are
  let turns: QuarterTurns = 0;
  for (const dir of [1, 2, 3] as const) if (weight[dir] > weight[turns]) turns = dir;
  const strayChars = weight.reduce((sum, chars, dir) => sum + (dir === turns ? 0 : chars), 0);
  const strayDigits = digits.reduce((sum, count, dir) => sum + (dir === turns ? 0 : count), 0);
  if (turns === 0) return { page: raw, turns, strayChars, strayDigits, toViewport: (bbox) => bbox };
  const turn = turnBack(turns, raw.width, raw.height);
  const back = invert(turn);
  const odd = turns % 2 === 1;
  const page: RawPage = {
    ...raw,
    width: odd ? raw.height : raw.width,
    height: odd ? raw.width : raw.height,
    transform: multiply(turn, raw.transform),
  };
  const apply = (x: number, y: number) => [back[0] * x + back[2] * y + back[4], back[1] * x + back[3] * y + back[5]];
  const toViewport = (box: [number, number, number, number]): [number, number, number, number] => {
    const [left, top] = apply(box[0], box[1]);
    const [right, bottom] = apply(box[2], box[3]);
    return [Math.min(left, right), Math.min(top, bottom), Math.max(left, right), Math.max(top, bottom)];
  };
  return { page, turns, strayChars, strayDigits, toViewport };
}
