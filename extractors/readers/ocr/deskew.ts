// Skew of a scanned page: the small angle at which rows of ink line up best. Text lines and ruling lines both make
// the horizontal ink profile sharpest (sum of squared row counts largest) when the page is straight. A sample of
// ink pixels is sheared by each candidate angle; ±3° in 0.1° steps covers a page laid slightly askew on a scanner.
import type { Gray } from './image.ts';

const MAX_DEGREES = 3;
const STEP = 0.1;

export function skewDegrees(image: Gray, ink: number): number {
  const { width, height, data } = image;
  // every row (skipping rows would favour the angle that keeps samples on the rows taken), every third column
  const across: number[] = [];
  const down: number[] = [];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x += 3)
      if (data[y * width + x] < ink) {
        across.push(x - width / 2);
        down.push(y);
      }
  if (across.length < 200) return 0;
  const score = (degrees: number) => {
    const slope = Math.tan((degrees * Math.PI) / 180);
    const rows = new Float64Array(height + width);
    const offset = width / 2;
    for (let i = 0; i < across.length; i++) rows[Math.round(down[i] - across[i] * slope + offset)]++;
    let sum = 0;
    for (const count of rows) sum += count * count;
    return sum;
  };
  let best = 0;
  let bestScore = score(0);
  for (let degrees = -MAX_DEGREES; degrees <= MAX_DEGREES + 1e-9; degrees += STEP) {
    const value = score(degrees);
    if (value > bestScore * 1.0001) {
      best = degrees;
      bestScore = value;
    }
  }
  return Math.round(best * 10) / 10;
}
