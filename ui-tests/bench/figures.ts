/**
 * How the browser benchmarks print a sample of timings: median, p95 and max, and their ratio to the target.
 */

/** Median, p95 and max of a sample. */
export function stats(values: number[]): {
  median: number;
  p95: number;
  max: number;
} {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
}

/** One line: `name: n=… median … ms, p95 … ms, max … ms`, then the ratios to `target` when there is one. */
export function report(
  name: string,
  values: number[],
  target?: number
): string {
  const s = stats(values);
  const ratio =
    target === undefined
      ? ''
      : `; target ≤ ${target} ms → median/target ${(s.median / target).toFixed(2)}, p95/target ${(s.p95 / target).toFixed(2)}`;
  return `${name}: n=${values.length} median ${s.median.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, max ${s.max.toFixed(1)} ms${ratio}`;
}
