// Bump on every change that can change extracted values or flags: a higher version supersedes older results.
export const EXTRACTOR_NAME = 'nianbao-extract';
export const EXTRACTOR_VERSION = '0.3.1';

/** Compares dotted numeric versions: negative when left < right. */
export function compareVersions(left: string, right: string): number {
  const leftParts = left.split('.').map(Number);
  const rightParts = right.split('.').map(Number);
  for (let i = 0; i < Math.max(leftParts.length, rightParts.length); i++) {
    const difference = (leftParts[i] ?? 0) - (rightParts[i] ?? 0);
    if (difference) return difference;
  }
  return 0;
}
