/**
 * Baseline-versus-execution comparison of one feature: the distributions side by side (an execution's KLL buckets
 * spread over the baseline's bucket bounds, categories matched by value), and a distance estimate for executions
 * whose constraint_violations.json does not state one (AWS reports the distance only when it exceeds the
 * threshold). Pure functions, no DOM.
 */
import type { IFeatureStatistics, IKllBucket } from './reports';

/** One pair of bars: the share of the baseline and of the execution in one bucket or category. */
export interface IDistributionPair {
  /** Bucket range ("0.5–1.2") or category value. */
  label: string;
  /** Share of the baseline's values (0–1). */
  baseline: number;
  /** Share of the execution's values (0–1). */
  current: number;
}

/** The side-by-side distribution of a feature, or null when neither side has one. */
export function distributionPairs(
  baseline: IFeatureStatistics | null,
  current: IFeatureStatistics | null
): IDistributionPair[] | null {
  if (baseline?.kll.length || current?.kll.length) {
    return numericPairs(baseline?.kll ?? [], current?.kll ?? []);
  }
  if (baseline?.categories.length || current?.categories.length) {
    return categoricalPairs(baseline, current);
  }
  return null;
}

/**
 * Numeric buckets on the baseline's bounds (or the execution's when there is no baseline); the other side's counts
 * are spread over them in proportion to the overlap, assuming values evenly spread within a bucket.
 */
export function numericPairs(
  baseline: IKllBucket[],
  current: IKllBucket[]
): IDistributionPair[] {
  const grid = baseline.length ? baseline : current;
  const base = shares(rebin(baseline, grid));
  const cur = shares(rebin(current, grid));
  return grid.map((bucket, i) => ({
    label: `${formatBound(bucket.lower)}–${formatBound(bucket.upper)}`,
    baseline: base[i] ?? 0,
    current: cur[i] ?? 0
  }));
}

/** Categories of both sides, most frequent in the baseline first; at most `limit` (the rest are summed as "…"). */
export function categoricalPairs(
  baseline: IFeatureStatistics | null,
  current: IFeatureStatistics | null,
  limit = 20
): IDistributionPair[] {
  const base = new Map<string, number>();
  const cur = new Map<string, number>();
  for (const c of baseline?.categories ?? []) {
    base.set(c.value, (base.get(c.value) ?? 0) + c.count);
  }
  for (const c of current?.categories ?? []) {
    cur.set(c.value, (cur.get(c.value) ?? 0) + c.count);
  }
  const totalBase = sum(base.values());
  const totalCur = sum(cur.values());
  const values = Array.from(new Set([...base.keys(), ...cur.keys()])).sort(
    (a, b) =>
      (base.get(b) ?? 0) - (base.get(a) ?? 0) ||
      (cur.get(b) ?? 0) - (cur.get(a) ?? 0) ||
      a.localeCompare(b)
  );
  const pairs = values.map(value => ({
    label: value,
    baseline: totalBase ? (base.get(value) ?? 0) / totalBase : 0,
    current: totalCur ? (cur.get(value) ?? 0) / totalCur : 0
  }));
  if (pairs.length <= limit) {
    return pairs;
  }
  const rest = pairs.slice(limit - 1);
  return [
    ...pairs.slice(0, limit - 1),
    {
      label: '…',
      baseline: sum(rest.map(p => p.baseline)),
      current: sum(rest.map(p => p.current))
    }
  ];
}

/**
 * The largest gap between the two cumulative distributions on shared buckets (the L-infinity distance Model
 * Monitor's "Simple" comparison uses), or null when a side has no distribution.
 */
export function estimateDistance(
  baseline: IFeatureStatistics | null,
  current: IFeatureStatistics | null
): number | null {
  const pairs = distributionPairs(baseline, current);
  if (
    !pairs ||
    !pairs.length ||
    !pairs.some(p => p.baseline > 0) ||
    !pairs.some(p => p.current > 0)
  ) {
    return null;
  }
  const numeric = !!(baseline?.kll.length || current?.kll.length);
  if (!numeric) {
    // Categories have no order: the largest difference of one category's share.
    return Math.max(...pairs.map(p => Math.abs(p.baseline - p.current)));
  }
  let a = 0;
  let b = 0;
  let gap = 0;
  for (const p of pairs) {
    a += p.baseline;
    b += p.current;
    gap = Math.max(gap, Math.abs(a - b));
  }
  return gap;
}

/** Counts of `buckets` spread over the ranges of `grid`; values outside the grid go to its first or last bucket. */
export function rebin(buckets: IKllBucket[], grid: IKllBucket[]): number[] {
  const out = new Array<number>(grid.length).fill(0);
  if (!grid.length) {
    return out;
  }
  const lo = grid[0].lower;
  const hi = grid[grid.length - 1].upper;
  for (const bucket of buckets) {
    const width = bucket.upper - bucket.lower;
    if (!(width > 0)) {
      // A single-value bucket: its count lands where the value is.
      const index = grid.findIndex(g => bucket.lower <= g.upper);
      out[index < 0 ? grid.length - 1 : index] += bucket.count;
      continue;
    }
    let placed = 0;
    grid.forEach((g, i) => {
      const overlap =
        Math.min(bucket.upper, g.upper) - Math.max(bucket.lower, g.lower);
      if (overlap > 0) {
        const share = (bucket.count * overlap) / width;
        out[i] += share;
        placed += share;
      }
    });
    const outside = bucket.count - placed;
    if (outside > 1e-9) {
      const below =
        bucket.lower < lo ? Math.min(bucket.upper, lo) - bucket.lower : 0;
      const above =
        bucket.upper > hi ? bucket.upper - Math.max(bucket.lower, hi) : 0;
      const total = below + above || 1;
      out[0] += (outside * below) / total;
      out[grid.length - 1] += (outside * above) / total;
    }
  }
  return out;
}

/** Counts as shares of their sum. */
function shares(counts: number[]): number[] {
  const total = sum(counts);
  return counts.map(c => (total > 0 ? c / total : 0));
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) {
    total += v;
  }
  return total;
}

/** A bucket bound, short. */
function formatBound(value: number): string {
  if (Number.isInteger(value)) {
    return String(value);
  }
  return Math.abs(value) >= 1000 || Math.abs(value) < 0.01
    ? value.toPrecision(3)
    : String(Math.round(value * 100) / 100);
}
