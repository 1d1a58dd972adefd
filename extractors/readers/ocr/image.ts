// A grey raster (one byte per pixel, 0 black … 255 white) and the few operations OCR needs on it: PGM in and out
// (what pdftoppm writes and tesseract reads on stdin), exact quarter turns and a small-angle rotation.

export interface Gray {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Binary PGM (P5, maxval 255), as `pdftoppm -gray` writes it. */
export function readPgm(bytes: Uint8Array): Gray {
  const head = Buffer.from(bytes.subarray(0, 64)).toString('latin1');
  const match = /^P5\s+(?:#[^\n]*\n\s*)*(\d+)\s+(\d+)\s+(\d+)\s/.exec(head);
  if (!match || match[3] !== '255') throw new Error('not an 8-bit binary PGM image');
  const width = Number(match[1]);
  const height = Number(match[2]);
  const start = match[0].length;
  if (bytes.length < start + width * height) throw new Error('PGM image shorter than its header says');
  return { width, height, data: new Uint8Array(bytes.subarray(start, start + width * height)) };
}

export function toPgm(image: Gray): Buffer {
  const head = Buffer.from(`P5\n${image.width} ${image.height}\n255\n`, 'latin1');
  return Buffer.concat([head, image.data]);
}

/**
 * Turned `turns` quarter turns counter-clockwise, with the mapping orientation.ts uses to turn a page upright:
 * a page whose text runs `turns` quarters clockwise on screen reads left to right afterwards.
 */
export function turnUpright(image: Gray, turns: 0 | 1 | 2 | 3): Gray {
  if (turns === 0) return image;
  const { width, height, data } = image;
  const odd = turns % 2 === 1;
  const outWidth = odd ? height : width;
  const outHeight = odd ? width : height;
  const out = new Uint8Array(outWidth * outHeight);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      // orientation.ts turnBack(): 1 → (y, W − x), 2 → (W − x, H − y), 3 → (H − y, x)
      const [toX, toY] =
        turns === 1 ? [y, width - 1 - x] : turns === 2 ? [width - 1 - x, height - 1 - y] : [height - 1 - y, x];
      out[toY * outWidth + toX] = data[y * width + x];
    }
  return { width: outWidth, height: outHeight, data: out };
}

/** Rotated by `degrees` (clockwise positive, y down) about the centre, same size, white where nothing maps. */
export function rotate(image: Gray, degrees: number): Gray {
  const { width, height, data } = image;
  const angle = (degrees * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const centreX = width / 2;
  const centreY = height / 2;
  const out = new Uint8Array(width * height).fill(255);
  for (let y = 0; y < height; y++) {
    const fromCentreY = y - centreY;
    for (let x = 0; x < width; x++) {
      const fromCentreX = x - centreX;
      // inverse mapping: the source pixel that lands here (bilinear)
      const srcX = cos * fromCentreX + sin * fromCentreY + centreX;
      const srcY = -sin * fromCentreX + cos * fromCentreY + centreY;
      const left = Math.floor(srcX);
      const top = Math.floor(srcY);
      if (left < 0 || top < 0 || left + 1 >= width || top + 1 >= height) continue;
      const rightShare = srcX - left;
      const lowerShare = srcY - top;
      const at = top * width + left;
      const upper = data[at] * (1 - rightShare) + data[at + 1] * rightShare;
      const lower = data[at + width] * (1 - rightShare) + data[at + width + 1] * rightShare;
      out[y * width + x] = upper * (1 - lowerShare) + lower * lowerShare;
    }
  }
  return { width, height, data: out };
}

/** Ink threshold: Otsu's on the histogram, so a grey scan background and a faint print both split sensibly. */
export function inkThreshold(image: Gray): number {
  const histogram = Array.from({ length: 256 }, () => 0);
  for (const value of image.data) histogram[value]++;
  const total = image.data.length;
  let sumAll = 0;
  for (let v = 0; v < 256; v++) sumAll += v * histogram[v];
  let best = 128;
  let bestVariance = -1;
  let weightDark = 0;
  let sumDark = 0;
  for (let v = 0; v < 256; v++) {
    weightDark += histogram[v];
    if (!weightDark || weightDark === total) continue;
    sumDark += v * histogram[v];
    const meanDark = sumDark / weightDark;
    const meanLight = (sumAll - sumDark) / (total - weightDark);
    const variance = weightDark * (total - weightDark) * (meanDark - meanLight) ** 2;
    if (variance > bestVariance) {
      bestVariance = variance;
      best = v;
    }
  }
  return best;
}

/** The part x0..x1 × y0..y1 (inclusive, clipped to the image), white where it runs off the image. */
export function crop(image: Gray, box: { x0: number; y0: number; x1: number; y1: number }): Gray {
  const left = Math.floor(box.x0);
  const top = Math.floor(box.y0);
  const width = Math.max(1, Math.ceil(box.x1) - left + 1);
  const height = Math.max(1, Math.ceil(box.y1) - top + 1);
  const out = new Uint8Array(width * height).fill(255);
  for (let y = 0; y < height; y++) {
    const from = top + y;
    if (from < 0 || from >= image.height) continue;
    const start = Math.max(0, left);
    const end = Math.min(image.width, left + width);
    if (end > start)
      out.set(image.data.subarray(from * image.width + start, from * image.width + end), start - left + y * width);
  }
  return { width, height, data: out };
}

/** Enlarged (or shrunk) by `factor`, bilinear. */
export function scaled(image: Gray, factor: number): Gray {
  const width = Math.max(1, Math.round(image.width * factor));
  const height = Math.max(1, Math.round(image.height * factor));
  const out = new Uint8Array(width * height);
  const { data } = image;
  for (let y = 0; y < height; y++) {
    const srcY = Math.min(image.height - 1, Math.max(0, (y + 0.5) / factor - 0.5));
    const top = Math.floor(srcY);
    const bottom = Math.min(image.height - 1, top + 1);
    const lowerShare = srcY - top;
    for (let x = 0; x < width; x++) {
      const srcX = Math.min(image.width - 1, Math.max(0, (x + 0.5) / factor - 0.5));
      const left = Math.floor(srcX);
      const right = Math.min(image.width - 1, left + 1);
      const rightShare = srcX - left;
      const upper = data[top * image.width + left] * (1 - rightShare) + data[top * image.width + right] * rightShare;
      const lower =
        data[bottom * image.width + left] * (1 - rightShare) + data[bottom * image.width + right] * rightShare;
      out[y * width + x] = upper * (1 - lowerShare) + lower * lowerShare;
    }
  }
  return { width, height, data: out };
}

/** `parts` stacked top to bottom, left-aligned, `gap` white pixels around each; returns each part's top. */
export function stacked(parts: Gray[], gap: number): { image: Gray; tops: number[] } {
  const width = Math.max(1, ...parts.map((part) => part.width)) + 2 * gap;
  const height = parts.reduce((sum, part) => sum + part.height + gap, gap);
  const data = new Uint8Array(width * height).fill(255);
  const tops: number[] = [];
  let y = gap;
  for (const part of parts) {
    tops.push(y);
    for (let row = 0; row < part.height; row++)
      data.set(part.data.subarray(row * part.width, (row + 1) * part.width), (y + row) * width + gap);
    y += part.height + gap;
  }
  return { image: { width, height, data }, tops };
}
