/** Order statistics the benchmarks report (nearest rank: the value at floor(q * n) of the sorted list). */

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export function stats(values: readonly number[]): {
  n: number;
  median: number;
  p95: number;
  max: number;
  mean: number;
} {
  return {
    n: values.length,
    median: quantile(values, 0.5),
    p95: quantile(values, 0.95),
    max: values.length ? Math.max(...values) : Number.NaN,
    mean: values.reduce((a, b) => a + b, 0) / Math.max(1, values.length),
  };
}
