// A second look at table cells whose numbers an arithmetic check contradicts. The page reading (psm 6, both
// languages, one pass over the whole page) loses digits where a number wraps inside a narrow cell ("117" / "148" /
// "4" read "1178") and takes a speck for a digit ("433" for 33). Each such cell is cut out by its ruled box,
// enlarged and read digits-only, all cells of a page stacked in one tesseract run. The mapper takes a second reading
// only when a failing check then holds (confidence.ts applyRereads): the arithmetic, not this reading, is the
// evidence.
import { crop, scaled, turnUpright } from './image.ts';
import type { OcrPage } from './page.ts';
import { recogniseDigits, recogniseParts, type Recognise } from './tesseract.ts';

/** A cell's box on the page as displayed, in points (the report's `at.bbox`). */
type PointBox = [number, number, number, number];

/** white pixels left inside the ruled box: what remains of an erased border is not read as a 1 */
const INSET_PX = 3;

/** Each box's digits read again (its words in reading order, joined), or null where nothing was read. */
export async function rereadCells(
  page: Pick<OcrPage, 'image' | 'turns' | 'dpi'>,
  boxes: PointBox[],
  options: Recognise,
): Promise<(string | null)[]> {
  if (!boxes.length) return [];
  const perPoint = page.dpi / 72;
  // ~300 dpi digits: 2× at the 150 dpi the page was read at
  const factor = Math.min(3, Math.max(1, 300 / page.dpi));
  const parts = boxes.map(([left, top, right, bottom]) =>
    scaled(
      turnUpright(
        crop(page.image, {
          x0: left * perPoint + INSET_PX,
          y0: top * perPoint + INSET_PX,
          x1: right * perPoint - INSET_PX,
          y1: bottom * perPoint - INSET_PX,
        }),
        page.turns,
      ),
      factor,
    ),
  );
  const read = await recogniseParts(parts, 30, (strip) =>
    recogniseDigits(strip, { ...options, dpi: Math.round(page.dpi * factor) }),
  );
  // a number wrapped over lines inside its cell comes back in its pieces, top to bottom
  return read.map((words) => words.map((word) => word.text.trim()).join('') || null);
}
