// A minus sign tesseract left out: "−3" printed in an 增减 column read as "3" with high confidence is a wrong value
// no arithmetic check can catch (no row or column sums those columns). A short horizontal stroke between the cell's
// left border and the digits, in the digits' middle band with nothing above or below it, is that sign: the word is
// made doubtful (below the mapper's threshold), so the cell is read again and else left null with a flag.
import type { Gray } from './image.ts';
import type { Segment } from './lines.ts';
import type { Word } from './tesseract.ts';

const UNSIGNED = /^\d[\d,]*(\.\d+)?$/;
/** Below the 0.9 the mapper trusts (template/confidence.ts), tesseract's 0–100 scale. */
const DOUBTFUL = 89;

export function unreadMinus(word: Word, image: Gray, verticals: Segment[], ink: number): Word {
  if (word.conf <= DOUBTFUL || !UNSIGNED.test(word.text)) return word;
  const height = word.y1 - word.y0 + 1;
  if (height < 6) return word;
  const border = Math.max(
    -1,
    ...verticals.filter((v) => v.x1 < word.x0 && v.y0 <= word.y1 && v.y1 >= word.y0).map((v) => v.x1),
  );
  const dark = (x: number, y: number) => image.data[y * image.width + x] < ink;
  // tesseract's box may hold the sign it did not read: the digits start at the first column with ink near the top
  // or the bottom of the line, which a minus sign never has.
  const edge = Math.round(0.25 * height);
  let digits = word.x0;
  const inkAtEdges = (x: number) => {
    for (let y = word.y0; y <= word.y1; y++) if ((y < word.y0 + edge || y > word.y1 - edge) && dark(x, y)) return true;
    return false;
  };
  while (digits < word.x1 && !inkAtEdges(digits)) digits++;
  const left = Math.max(border + 2, word.x0 - Math.round(1.5 * height), 0);
  const right = digits - 1;
  if (right - left < 2) return word;
  const runIn = (y: number) => {
    let best = 0;
    let run = 0;
    for (let x = left; x <= right; x++) {
      run = dark(x, y) ? run + 1 : 0;
      best = Math.max(best, run);
    }
    return best;
  };
  const band = [word.y0 + Math.round(0.3 * height), word.y1 - Math.round(0.3 * height)];
  const stroke = Math.max(2, Math.round(0.25 * height));
  let strokeRows = 0;
  for (let y = band[0]; y <= band[1]; y++) if (runIn(y) >= stroke) strokeRows++;
  if (!strokeRows || strokeRows > Math.max(2, 0.2 * height)) return word;
  // Nothing above or below the stroke: a digit, a letter or a bracket has ink there, a minus sign does not.
  for (let y = word.y0; y <= word.y1; y++) {
    if (y >= band[0] - 1 && y <= band[1] + 1) continue;
    for (let x = left; x <= right; x++) if (dark(x, y)) return word;
  }
  return { ...word, conf: DOUBTFUL };
}
