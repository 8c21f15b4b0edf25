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
 * Drawing: log scales leave values ≤ 0 out and say how many in a note; no drawable data shows "No data"; axes and
 * text take the --jp-* theme colours, read when drawing and again when the theme changes.
 */

export * from './types';
export * from './palette';
export * from './decimate';
export * from './csv';
export type { Chart } from './Chart';
