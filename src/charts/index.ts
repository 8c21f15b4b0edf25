/**
 * Fast canvas charts for the experiment comparison view, on uPlot, in plain DOM: any React or Lumino view embeds
 * one in a host element. Import `./Chart` lazily (`await import('../charts/Chart')`): it pulls in uPlot, while this
 * module and `./types`, `./palette`, `./decimate` and `./csv` are light and free of side effects.
 *
 * Public API:
 * - `new Chart({ host: HTMLElement; trans?: TranslationBundle; height?: number })` fills `host` and follows its
 *   size (ResizeObserver); without `height` it takes the host's height, else 300 px.
 * - `chart.setData(data: ChartData): void` replaces what is drawn (`ILineData | IScatterData | IBarData |
 *   IHistogramData`); line data of the same shape (run count, axes, scale) updates the existing plot in place.
 * - `chart.resize(width: number, height: number): void`, `chart.resetZoom(): void` (drag on x zooms a line chart,
 *   double-click resets).
 * - `chart.toPNG(): Promise<Blob>` (chart with axes on the theme background, under a title and legend line) and
 *   `chart.toCSV(): string` (every point, RFC 4180: line → run,x,y; scatter → run,x,y; bar → run,value;
 *   histogram → bin_start,bin_end,count).
 * - `chart.hoverChanged: ISignal<Chart, IHover | null>`: what the tooltip shows (nearest run, up to ten runs'
 *   values at the cursor's x sorted by value, how many more).
 * - `chart.dispose(): void`.
 * - `categoricalColor(i)`, `continuousColor(t)` (palette), `decimateMinMax`, `ema`, `histogram` (decimate).
 *
 * How it stays fast with a thousand runs of a thousand points: every line is decimated onto one grid shared by all
 * runs (two slots per pixel column, holding the column's lowest and highest value in logged order, plus an edge
 * slot either side interpolated when zoomed), so non-aligned steps or timestamps need no union of x values;
 * uPlot gets only the grid's envelope (to fit the y axis) and draws axes, cursor and drag-zoom, while the lines are
 * drawn by a 1-pixel rasteriser into an ImageData when there are many segments (canvas strokes when few). Zooming
 * or resizing decimates again for the visible range. Hover bisects each run's own points for the one nearest the
 * cursor's x, ranks runs by distance to the cursor in y, lists the ten nearest sorted by value ("+N more"), and
 * draws the nearest run on an overlay canvas, so a hover never redraws the plot.
 *
 * Drawing: log scales leave values ≤ 0 out and say how many in a note; no drawable data shows "No data"; axes and
 * text take the --jp-* theme colours, read when drawing and again when the theme changes.
 */

export * from './types';
export * from './palette';
export * from './decimate';
export * from './csv';
export type { Chart } from './Chart';
