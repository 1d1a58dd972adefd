// Small statistics helpers shared by the benchmark sections.
export function median(values: number[]): number {
  return quantile(values, 0.5);
}

export function quantile(values: number[], fraction: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * fraction;
  const below = Math.floor(pos);
  const above = Math.ceil(pos);
  return sorted[below] + (sorted[above] - sorted[below]) * (pos - below);
}

export function round(x: number, digits = 1): number {
  if (!Number.isFinite(x)) return x;
  const scale = 10 ** digits;
  return Math.round(x * scale) / scale;
}
