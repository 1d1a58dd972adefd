// Ruling lines of a scanned page, found in the raster: long runs of ink along rows (horizontal) and columns
// (vertical). They become the same hairline boxes a PDF's drawing operators give (rulings.ts builds the grid),
// and they are erased from the image before recognition: tesseract reads a border beside a digit as "1" or "|".
import type { Gray } from './image.ts';

export interface Segment {
  /** pixels: x0..x1 × y0..y1, inclusive bounds of the ink */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Ink runs along one axis: horizontal when `across` is false (rows), vertical when true (columns). */
function runs(image: Gray, ink: number, minLength: number, across: boolean): Segment[] {
  const { width, height, data } = image;
  const lines = across ? width : height;
  const length = across ? height : width;
  const pixel = across
    ? (line: number, at: number) => data[at * width + line]
    : (line: number, at: number) => data[line * width + at];
  // gaps this short (JPEG speckle, a faint scan) do not break a line
  const gapAllowed = 2;
  const found: Segment[] = [];
  for (let line = 0; line < lines; line++) {
    let start = -1;
    let lastInk = -1;
    for (let at = 0; at <= length; at++) {
      const dark = at < length && pixel(line, at) < ink;
      if (dark) {
        if (start < 0) start = at;
        lastInk = at;
      } else if (start >= 0 && (at === length || at - lastInk > gapAllowed)) {
        if (lastInk - start + 1 >= minLength)
          found.push(
            across ? { x0: line, x1: line, y0: start, y1: lastInk } : { x0: start, x1: lastInk, y0: line, y1: line },
          );
        start = -1;
      }
    }
  }
  return found;
}

/** Runs on neighbouring rows (columns) that overlap are one line of some thickness. */
function mergeRuns(found: Segment[], across: boolean): Segment[] {
  const out: Segment[] = [];
  const open: Segment[] = [];
  for (const run of found) {
    const at = across ? run.x0 : run.y0;
    const joined = open.find((line) => {
      const edge = across ? line.x1 : line.y1;
      if (at - edge > 1) return false;
      return across ? run.y0 <= line.y1 + 2 && run.y1 >= line.y0 - 2 : run.x0 <= line.x1 + 2 && run.x1 >= line.x0 - 2;
    });
    if (joined) {
      joined.x0 = Math.min(joined.x0, run.x0);
      joined.x1 = Math.max(joined.x1, run.x1);
      joined.y0 = Math.min(joined.y0, run.y0);
      joined.y1 = Math.max(joined.y1, run.y1);
    } else {
      const line = { ...run };
      open.push(line);
      out.push(line);
    }
    // lines left behind by more than a pixel are closed
    for (let i = open.length - 1; i >= 0; i--) if (at - (across ? open[i].x1 : open[i].y1) > 1) open.splice(i, 1);
  }
  return out;
}

export interface Rulings {
  horizontals: Segment[];
  verticals: Segment[];
}

/**
 * `minLength` in pixels: longer than any stroke of a glyph (a title's 一 included), shorter than the border of the
 * smallest cell. `maxThickness`: a thicker run is a filled shape (a seal, a photo), not a border.
 */
export function findRulings(image: Gray, ink: number, minLength: number, maxThickness: number): Rulings {
  const thin = (seg: Segment, across: boolean) => (across ? seg.x1 - seg.x0 : seg.y1 - seg.y0) + 1 <= maxThickness;
  return {
    horizontals: mergeRuns(runs(image, ink, minLength, false), false).filter((seg) => thin(seg, false)),
    verticals: mergeRuns(runs(image, ink, minLength, true), true).filter((seg) => thin(seg, true)),
  };
}

/**
 * A copy with the rulings painted white, two pixels more on each side (anti-aliased and JPEG-smeared edges), and
 * the light background (lighter than half-way from the ink threshold to white) made white: the faint halo an erased
 * line leaves is read as quote marks beside the digits otherwise.
 */
export function eraseRulings(image: Gray, rulings: Rulings, ink: number): Gray {
  const data = image.data.slice();
  const light = (ink + 255) / 2;
  for (let i = 0; i < data.length; i++) if (data[i] > light) data[i] = 255;
  for (const seg of [...rulings.horizontals, ...rulings.verticals]) {
    const top = Math.max(0, seg.y0 - 2);
    const bottom = Math.min(image.height - 1, seg.y1 + 2);
    const left = Math.max(0, seg.x0 - 2);
    const right = Math.min(image.width - 1, seg.x1 + 2);
    for (let y = top; y <= bottom; y++) data.fill(255, y * image.width + left, y * image.width + right + 1);
  }
  return { ...image, data };
}
