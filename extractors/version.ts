// Bump on every change that can change extracted values or flags: a higher version supersedes older results.
export const EXTRACTOR_NAME = 'nianbao-extract';
export const EXTRACTOR_VERSION = '0.2.0';

/** Compares dotted numeric versions: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}
