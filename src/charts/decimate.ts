/**
 * The number crunching behind the charts, as pure functions: min/max decimation to the plot's pixel columns (so a
 * million points never reach the canvas, yet spikes survive), exponential-moving-average smoothing, and histogram
 * binning. No DOM.
 */

/** Points kept by {@link decimateMinMax}, in x order. */
export interface IDecimated {
  /** X values. */
  x: Float64Array;
  /** Y values. */
  y: Float64Array;
}

/**
 * Keeps, of the points of an x-ascending series within [xMin, xMax], the first, the last, and in each of `columns`
 * equal x columns the lowest and highest point (in their original order), so at most 2 × columns + 2 points.
 * Points with a non-finite x or y are skipped: a drawn line never needs them and they would poison min/max.
 */
export function decimateMinMax(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  xMin: number,
  xMax: number,
  columns: number
): IDecimated {
  const cols = Math.max(1, Math.floor(columns));
  const scale = xMax > xMin ? cols / (xMax - xMin) : 0;
  const outX: number[] = [];
  const outY: number[] = [];
  let first = -1;
  let last = -1;
  let col = -1;
  let lo = -1;
  let hi = -1;
  let pushed = -1;
  const push = (i: number) => {
    outX.push(x[i]);
    outY.push(y[i]);
    pushed = i;
  };
  const flush = () => {
    if (lo < 0) {
      return;
    }
    const a = Math.min(lo, hi);
    const b = Math.max(lo, hi);
    // The series' first point is kept ahead of its column's extremes so the line starts where the data does.
    if (first !== a && pushed < 0) {
      push(first);
    }
    push(a);
    if (b !== a) {
      push(b);
    }
  };
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const yi = y[i];
    if (!(xi >= xMin && xi <= xMax) || !Number.isFinite(yi)) {
      continue;
    }
    if (first < 0) {
      first = i;
    }
    last = i;
    const c = Math.min(cols - 1, Math.floor((xi - xMin) * scale));
    if (c !== col) {
      flush();
      col = c;
      lo = i;
      hi = i;
    } else if (yi < y[lo]) {
      lo = i;
    } else if (yi > y[hi]) {
      hi = i;
    }
  }
  flush();
  if (last >= 0 && pushed !== last) {
    push(last);
  }
  return { x: Float64Array.from(outX), y: Float64Array.from(outY) };
}

/**
 * Decimates an x-ascending series onto a grid shared by all series of a chart (what uPlot's aligned data needs,
 * without a union of every run's x values): slot 0 is xMin, slots 2c+1 and 2c+2 are the lowest and highest point
 * of column c (in their original order), and the last slot is xMax. The edge slots hold values interpolated from
 * the points on either side of the range, so a zoomed line still runs to the plot's edges. The grid is `out`
 * from `offset` on (one array can hold every series' grid); slots without data are left as they are, so pass it
 * filled with NaN. Returns how many slots were filled.
 */
export function decimateToGrid(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  xMin: number,
  xMax: number,
  columns: number,
  out: Float64Array,
  offset = 0
): number {
  const cols = Math.max(1, Math.floor(columns));
  const scale = xMax > xMin ? cols / (xMax - xMin) : 0;
  const n = Math.min(x.length, y.length);
  // The last point before xMin, found by bisection: zoomed-in ranges skip most of a long series.
  let start = lowerBound(x, xMin, n);
  let filled = 0;
  let before = start - 1;
  while (before >= 0 && !Number.isFinite(y[before])) {
    before--;
  }
  let col = -1;
  let lo = -1;
  let hi = -1;
  let firstIn = -1;
  let lastIn = -1;
  let after = -1;
  // The column's extremes are written when the next column starts (and after the loop); inlined rather than a
  // closure, because this runs once per column of every run, a million times for a thousand runs.
  for (; start < n; start++) {
    const xi = x[start];
    const yi = y[start];
    if (!(yi - yi === 0) || !(xi >= xMin)) {
      continue;
    }
    if (xi > xMax) {
      after = start;
      break;
    }
    if (firstIn < 0) {
      firstIn = start;
    }
    lastIn = start;
    let c = Math.floor((xi - xMin) * scale);
    if (c >= cols) {
      c = cols - 1;
    }
    if (c !== col) {
      if (lo >= 0) {
        filled += writeColumn(out, offset + 2 * col + 1, y, lo, hi);
      }
      col = c;
      lo = start;
      hi = start;
    } else if (yi < y[lo]) {
      lo = start;
    } else if (yi > y[hi]) {
      hi = start;
    }
  }
  if (lo >= 0) {
    filled += writeColumn(out, offset + 2 * col + 1, y, lo, hi);
  }
  const lastSlot = 2 * cols + 1;
  if (before >= 0) {
    const next = firstIn >= 0 ? firstIn : after;
    if (next >= 0) {
      out[offset] = interpolate(x[before], y[before], x[next], y[next], xMin);
      filled++;
    }
  }
  if (after >= 0) {
    const prev = lastIn >= 0 ? lastIn : before;
    if (prev >= 0) {
      out[offset + lastSlot] = interpolate(
        x[prev],
        y[prev],
        x[after],
        y[after],
        xMax
      );
      filled++;
    }
  }
  return filled;
}

/** The x of each slot of the grid {@link decimateToGrid} fills (2 × columns + 2 strictly ascending values). */
export function gridX(
  xMin: number,
  xMax: number,
  columns: number
): Float64Array {
  const cols = Math.max(1, Math.floor(columns));
  const width = (xMax - xMin) / cols;
  const out = new Float64Array(2 * cols + 2);
  out[0] = xMin;
  for (let c = 0; c < cols; c++) {
    out[2 * c + 1] = xMin + (c + 0.25) * width;
    out[2 * c + 2] = xMin + (c + 0.75) * width;
  }
  out[2 * cols + 1] = xMax;
  return out;
}

/** The first index of an ascending array whose value is ≥ v (n when none is). */
export function lowerBound(
  values: ArrayLike<number>,
  v: number,
  n: number = values.length
): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] < v) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/** Whether an array is in ascending order (ties allowed). */
export function isAscending(values: ArrayLike<number>): boolean {
  for (let i = 1; i < values.length; i++) {
    if (values[i] < values[i - 1]) {
      return false;
    }
  }
  return true;
}

/**
 * TensorBoard's debiased exponential moving average: weight 0 returns the values unchanged, 0.99 follows the trend.
 * Non-finite values stay as they are and don't move the average, so a gap doesn't drag the line to zero.
 */
export function ema(values: ArrayLike<number>, weight: number): Float64Array {
  const out = Float64Array.from(values as ArrayLike<number>);
  const w = Math.min(0.999, Math.max(0, weight || 0));
  if (w === 0) {
    return out;
  }
  let last = 0;
  let count = 0;
  for (let i = 0; i < out.length; i++) {
    const v = out[i];
    if (!Number.isFinite(v)) {
      continue;
    }
    last = last * w + (1 - w) * v;
    count++;
    // Without debiasing the first values would be pulled towards the 0 the average starts from.
    out[i] = last / (1 - Math.pow(w, count));
  }
  return out;
}

/** One bin of a histogram: [start, end), the last bin also holding its end. */
export interface IBin {
  /** Lower edge. */
  start: number;
  /** Upper edge. */
  end: number;
  /** Number of values in the bin. */
  count: number;
}

/** Most bins the Freedman–Diaconis rule may pick (one per few pixels of a typical chart). */
export const MAX_AUTO_BINS = 100;

/**
 * Bins the finite values into `bins` equal bins, or, when bins ≤ 0, as many as the Freedman–Diaconis rule gives
 * (Sturges' when the interquartile range is 0), at most {@link MAX_AUTO_BINS}. All-equal values give one bin
 * around the value; no finite value gives no bins.
 */
export function histogram(values: ArrayLike<number>, bins: number): IBin[] {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i])) {
      finite.push(values[i]);
    }
  }
  const n = finite.length;
  if (n === 0) {
    return [];
  }
  finite.sort((a, b) => a - b);
  const min = finite[0];
  const max = finite[n - 1];
  if (min === max) {
    const half = min === 0 ? 0.5 : Math.abs(min) * 0.05;
    return [{ start: min - half, end: max + half, count: n }];
  }
  let count = Math.floor(bins);
  if (!(count > 0)) {
    const iqr = quantile(finite, 0.75) - quantile(finite, 0.25);
    const width = (2 * iqr) / Math.cbrt(n);
    count =
      width > 0 ? Math.ceil((max - min) / width) : Math.ceil(Math.log2(n)) + 1;
    count = Math.min(MAX_AUTO_BINS, Math.max(1, count));
  }
  const width = (max - min) / count;
  const out: IBin[] = [];
  for (let b = 0; b < count; b++) {
    out.push({
      start: min + b * width,
      end: b === count - 1 ? max : min + (b + 1) * width,
      count: 0
    });
  }
  for (const v of finite) {
    out[Math.min(count - 1, Math.floor((v - min) / width))].count++;
  }
  return out;
}

/** The q-quantile (0..1) of ascending values, linearly interpolated. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) {
    return NaN;
  }
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const i = Math.floor(pos);
  const f = pos - i;
  return i + 1 < sorted.length
    ? sorted[i] + (sorted[i + 1] - sorted[i]) * f
    : sorted[i];
}

/** Writes a column's lowest and highest value into its two slots in the order they were logged. */
function writeColumn(
  out: Float64Array,
  slot: number,
  y: ArrayLike<number>,
  lo: number,
  hi: number
): number {
  if (lo === hi) {
    out[slot] = y[lo];
    return 1;
  }
  out[slot] = y[Math.min(lo, hi)];
  out[slot + 1] = y[Math.max(lo, hi)];
  return 2;
}

function interpolate(
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  x: number
): number {
  return x1 === x0 ? y1 : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
}
