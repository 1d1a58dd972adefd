// At most this many OCR processes at once in this process, whatever the number of documents in flight: tesseract
// takes a core and ~300 MB each. Pages wait their turn in order.
import { availableParallelism } from 'node:os';

export const OCR_PROCESSES = Math.max(1, Math.min(2, availableParallelism()));

let running = 0;
const waiting: Array<() => void> = [];

export async function inPool<T>(work: () => Promise<T>): Promise<T> {
  if (running >= OCR_PROCESSES) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}
