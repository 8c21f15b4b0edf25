/**
 * What a chart draws: the data each chart kind takes, and what its hover shows. Plain data, no DOM, so the
 * comparison view can build it from runs without loading the chart code.
 */

/** One line of a line chart: one run's metric over steps or time. */
export interface ILineSeries {
  /** Stable id (the run's name); rows of the CSV and hover items carry it. */
  id: string;
  /** What the tooltip, the legend line and the CSV show (the run's display name). */
  label: string;
  /** X values (steps, or epoch ms when the chart's `xIsTime`), ascending for best speed. */
  x: ArrayLike<number>;
  /** Y values, as many as `x`; NaN marks a missing value. */
  y: ArrayLike<number>;
  /** CSS colour of the line. */
  color: string;
}

/** A line chart: metric values of many runs over steps or time. */
export interface ILineData {
  /** Discriminator. */
  kind: 'line';
  /** The lines. */
  series: ILineSeries[];
  /** X axis title. */
  xLabel: string;
  /** Y axis title. */
  yLabel: string;
  /** Whether x values are epoch milliseconds (time axis) rather than steps. */
  xIsTime: boolean;
  /** Logarithmic y axis (values ≤ 0 are left out and a note says so). */
  logScale: boolean;
  /** Exponential-moving-average weight, 0 (none) to 0.99. */
  smoothing: number;
}

/** One point of a scatter chart: one run. */
export interface IScatterPoint {
  /** Stable id (the run's name). */
  id: string;
  /** Display name. */
  label: string;
  /** X value. */
  x: number;
  /** Y value. */
  y: number;
  /** CSS colour. */
  color: string;
}

/** A scatter chart: one point per run. */
export interface IScatterData {
  /** Discriminator. */
  kind: 'scatter';
  /** The points. */
  points: IScatterPoint[];
  /** X axis title. */
  xLabel: string;
  /** Y axis title. */
  yLabel: string;
  /** Logarithmic y axis. */
  logScale: boolean;
}

/** One bar of a bar chart: one run. */
export interface IBar {
  /** Stable id (the run's name). */
  id: string;
  /** Display name, shown under the bar when there is room. */
  label: string;
  /** Height. */
  value: number;
  /** CSS colour. */
  color: string;
}

/** A bar chart: one bar per run. */
export interface IBarData {
  /** Discriminator. */
  kind: 'bar';
  /** The bars, in display order. */
  bars: IBar[];
  /** Y axis title. */
  yLabel: string;
  /** Logarithmic y axis. */
  logScale: boolean;
}

/** A histogram of one value per run. */
export interface IHistogramData {
  /** Discriminator. */
  kind: 'histogram';
  /** The values (non-finite ones are ignored). */
  values: number[];
  /** Number of bins; 0 or less picks them by the Freedman–Diaconis rule. */
  bins: number;
  /** X axis title. */
  xLabel: string;
  /** CSS colour of the bars. */
  color: string;
}

/** Anything a chart can draw. */
export type ChartData = ILineData | IScatterData | IBarData | IHistogramData;

/** One value the hover shows: a run's (or a bin's) value at the hovered position. */
export interface IHoverItem {
  /** Run id, or `bin:<index>` for a histogram bin. */
  id: string;
  /** Run's display name, or the bin's range. */
  label: string;
  /** X value of the point shown (step, epoch ms, scatter x, bar index, bin start). */
  x: number;
  /** Y value (metric value, bar height, bin count). */
  y: number;
  /** CSS colour. */
  color: string;
}

/** What the hover tooltip shows. */
export interface IHover {
  /** X value under the cursor. */
  x: number;
  /** The item closest to the cursor, highlighted in the chart. */
  nearest: IHoverItem;
  /** The items listed, at most a handful: the ones closest to the cursor, sorted by value (largest first). */
  items: IHoverItem[];
  /** How many more items there are at this x than listed. */
  more: number;
}
