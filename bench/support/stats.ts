/**
 * Small statistics shared by the benchmarks: percentiles over recorded latencies, medians of repeated
 * runs, and rounding for the JSON summaries (figures below a tenth of a millisecond are noise).
 */

/** p50/p95/p99/max/mean of a set of latencies, in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * The nearest-rank percentile of an ascending array (0 when empty).
 * @param sorted values in ascending order.
 * @param p the percentile, 0–100.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const at = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[at] as number;
}

/**
 * Summarises latencies (any order) to two decimals.
 * @param values latencies in milliseconds.
 */
export function summarize(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const total = sorted.reduce((sum, v) => sum + v, 0);
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50), 2),
    p95: round(percentile(sorted, 95), 2),
    p99: round(percentile(sorted, 99), 2),
    max: round(sorted.at(-1) ?? 0, 2),
    mean: round(sorted.length === 0 ? 0 : total / sorted.length, 2),
  };
}

/**
 * The median of repeated measurements (the mean of the middle two for an even count).
 * @param values the measurements.
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Rounds to `digits` decimals.
 * @param value the number.
 * @param digits decimals to keep.
 */
export function round(value: number, digits = 0): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/**
 * `numerator / denominator` to three decimals, or null when the baseline is zero (no ratio exists).
 * @param numerator the measured figure.
 * @param denominator the baseline measured in the same run.
 */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : round(numerator / denominator, 3);
}
