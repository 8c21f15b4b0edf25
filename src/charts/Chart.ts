/**
 * The comparison view's chart: a uPlot canvas in plain DOM (no React, no Lumino widget), so any view can embed it
 * in a host element. Lines are decimated per pixel column onto a grid all runs share, the hover is computed here
 * rather than by uPlot's per-series legend, and theme colours are resolved from the --jp-* variables when drawing.
 */

import type { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';
import { nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import uPlot from 'uplot';

import { toCsv, CsvCell } from './csv';
import { drawPolyline, packRgb } from './lineRaster';
import {
  decimateToGrid,
  ema,
  gridX,
  histogram,
  IBin,
  isAscending,
  lowerBound
} from './decimate';
import type {
  ChartData,
  IBarData,
  IHistogramData,
  IHover,
  IHoverItem,
  ILineData,
  IScatterData
} from './types';
import { TRANSLATION_DOMAIN } from '../i18n';

/** A chart drawn in a host element; see the module comment of `./index`. */
export class Chart implements IDisposable {
  /** Builds an empty chart ("No data") in `options.host`. */
  constructor(options: Chart.IOptions) {
    this._host = options.host;
    this._trans = options.trans ?? nullTranslator.load(TRANSLATION_DOMAIN);
    this._fixedHeight = options.height ?? null;

    this._root = document.createElement('div');
    this._root.className = 'jp-SageMakerChart';
    this._plotEl = document.createElement('div');
    this._plotEl.className = 'jp-SageMakerChart-plot';
    this._empty = document.createElement('div');
    this._empty.className = 'jp-SageMakerChart-empty';
    this._empty.textContent = this._trans.__('No data');
    this._note = document.createElement('div');
    this._note.className = 'jp-SageMakerChart-note jp-mod-hidden';
    this._tooltip = new Private.Tooltip(this._trans);
    this._highlight = document.createElement('canvas');
    this._highlight.className = 'jp-SageMakerChart-highlight';
    this._root.append(
      this._plotEl,
      this._empty,
      this._note,
      this._tooltip.node
    );
    this._host.appendChild(this._root);

    this._width = this._host.clientWidth || Private.DEFAULT_WIDTH;
    this._height =
      this._fixedHeight ?? (this._host.clientHeight || Private.DEFAULT_HEIGHT);
    this._root.style.height = `${this._height}px`;

    if (typeof ResizeObserver !== 'undefined') {
      this._resizeObserver = new ResizeObserver(() => this._onHostResize());
      this._resizeObserver.observe(this._host);
    }
    if (typeof MutationObserver !== 'undefined') {
      // JupyterLab marks the theme on the body; axes are canvas pixels, so they must be redrawn in its colours.
      this._themeObserver = new MutationObserver(() => this._onThemeChange());
      this._themeObserver.observe(document.body, {
        attributes: true,
        attributeFilter: ['data-jp-theme-name', 'data-jp-theme-light']
      });
    }
  }

  /** What the hover tooltip shows, null when the cursor leaves; emitted on every hover update. */
  get hoverChanged(): ISignal<Chart, IHover | null> {
    return this._hoverChanged;
  }

  /** Whether the chart has been disposed. */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Replaces what is drawn. Line data of the same shape as the last (runs, axes, scale) updates in place. */
  setData(data: ChartData): void {
    if (this._isDisposed) {
      return;
    }
    this._data = data;
    this._line = null;
    this._emitHover(null);
    let prepared: Private.IPrepared;
    switch (data.kind) {
      case 'line':
        prepared = this._prepareLine(data);
        break;
      case 'scatter':
        prepared = this._prepareScatter(data);
        break;
      case 'bar':
        prepared = this._prepareBar(data);
        break;
      case 'histogram':
        prepared = this._prepareHistogram(data);
        break;
    }
    this._setNote(prepared.note);
    this._empty.classList.toggle('jp-mod-hidden', !prepared.empty);
    if (prepared.empty) {
      this._destroyPlot();
      return;
    }
    if (this._plot && this._plotKey === prepared.key) {
      this._plot.setData(prepared.data);
      this._drawHighlight(null);
      return;
    }
    this._destroyPlot();
    this._plotKey = prepared.key;
    this._plot = new uPlot(
      this._options(prepared),
      prepared.data,
      this._plotEl
    );
    this._plot.over.appendChild(this._highlight);
    this._sizeHighlight();
  }

  /** Sets the chart's size in CSS pixels (the host's size is followed anyway). */
  resize(width: number, height: number): void {
    if (this._isDisposed || width <= 0 || height <= 0) {
      return;
    }
    const widthChanged = Math.round(width) !== Math.round(this._width);
    this._width = width;
    this._height = height;
    this._root.style.height = `${height}px`;
    if (!this._plot) {
      return;
    }
    this._plot.setSize({ width, height });
    this._sizeHighlight();
    if (widthChanged && this._line) {
      // The grid has one column per pixel: a wider plot needs more of them.
      const { min, max } = this._plot.scales.x;
      this._regrid(min ?? this._line.xMin, max ?? this._line.xMax);
    }
  }

  /** Shows all the data again after a zoom (double-click does the same). */
  resetZoom(): void {
    const plot = this._plot;
    if (!plot) {
      return;
    }
    if (this._line) {
      this._line.view = [NaN, NaN];
      this._regrid(this._line.xMin, this._line.xMax);
    } else {
      plot.setData(plot.data, true);
    }
  }

  /** A PNG of the chart as shown (axes included) on the theme's background, under a title and legend line. */
  toPNG(): Promise<Blob> {
    const theme = Private.readTheme(this._root);
    const ratio = Math.max(1, window.devicePixelRatio || 1);
    const width = Math.round(this._width);
    const height = Math.round(this._height);
    const header = 24;
    const canvas = document.createElement('canvas');
    canvas.width = width * ratio;
    canvas.height = (height + header) * ratio;
    const ctx = canvas.getContext('2d');
    if (!ctx) {
      return Promise.reject(
        new Error(this._trans.__('This browser cannot draw the chart image.'))
      );
    }
    ctx.scale(ratio, ratio);
    ctx.fillStyle = theme.background;
    ctx.fillRect(0, 0, width, height + header);
    ctx.font = theme.font;
    ctx.textBaseline = 'middle';
    let left = 8;
    ctx.fillStyle = theme.text;
    const title = this._title();
    ctx.fillText(title, left, header / 2);
    left += ctx.measureText(title).width + 16;
    const legend = this._legend();
    let drawn = 0;
    for (const entry of legend.entries) {
      const textWidth = ctx.measureText(entry.label).width;
      if (left + 14 + textWidth > width - 60) {
        break;
      }
      ctx.fillStyle = entry.color;
      ctx.fillRect(left, header / 2 - 5, 10, 10);
      ctx.fillStyle = theme.text2;
      ctx.fillText(entry.label, left + 14, header / 2);
      left += 14 + textWidth + 12;
      drawn++;
    }
    if (legend.total > drawn) {
      ctx.fillStyle = theme.text2;
      ctx.fillText(
        this._trans.__('+%1 more', legend.total - drawn),
        left,
        header / 2
      );
    }
    if (this._plot) {
      ctx.drawImage(this._plot.ctx.canvas, 0, header, width, height);
    } else {
      ctx.fillStyle = theme.text2;
      ctx.textAlign = 'center';
      ctx.fillText(
        this._empty.textContent ?? '',
        width / 2,
        header + height / 2
      );
      ctx.textAlign = 'start';
    }
    const note = this._note.textContent;
    if (note) {
      ctx.fillStyle = theme.text2;
      ctx.textAlign = 'end';
      ctx.fillText(note, width - 8, header + 12);
    }
    return new Promise((resolve, reject) => {
      canvas.toBlob(blob => {
        if (blob) {
          resolve(blob);
        } else {
          reject(
            new Error(this._trans.__('The chart image could not be encoded.'))
          );
        }
      }, 'image/png');
    });
  }

  /**
   * The chart's data as RFC 4180 CSV, every point (never the decimated ones): line → run,x,y (plus y_smoothed
   * when smoothing is on; x as ISO 8601 on a time axis); scatter → run,x,y; bar → run,value; histogram →
   * bin_start,bin_end,count.
   */
  toCSV(): string {
    const data = this._data;
    if (!data) {
      return '';
    }
    return toCsv(Private.csvRows(data));
  }

  /** Removes the chart from its host and stops following it. */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._resizeObserver?.disconnect();
    this._themeObserver?.disconnect();
    if (this._frame) {
      cancelAnimationFrame(this._frame);
    }
    this._destroyPlot();
    this._root.remove();
    Signal.clearData(this);
  }

  private _prepareLine(data: ILineData): Private.IPrepared {
    const xs: ArrayLike<number>[] = [];
    const ys: ArrayLike<number>[] = [];
    let dropped = 0;
    let xMin = Infinity;
    let xMax = -Infinity;
    for (const s of data.series) {
      let x = s.x;
      let y: ArrayLike<number> = s.y;
      if (!isAscending(x)) {
        [x, y] = Private.sortByX(x, y);
      }
      // Values a log axis can't show go first, so smoothing doesn't drag the line towards them.
      if (data.logScale) {
        const kept = Float64Array.from(y);
        for (let i = 0; i < kept.length; i++) {
          if (kept[i] <= 0) {
            kept[i] = NaN;
            dropped++;
          }
        }
        y = kept;
      }
      if (data.smoothing > 0) {
        y = ema(y, data.smoothing);
      }
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) {
        if (Number.isFinite(y[i]) && Number.isFinite(x[i])) {
          xMin = Math.min(xMin, x[i]);
          break;
        }
      }
      for (let i = n - 1; i >= 0; i--) {
        if (Number.isFinite(y[i]) && Number.isFinite(x[i])) {
          xMax = Math.max(xMax, x[i]);
          break;
        }
      }
      xs.push(x);
      ys.push(y);
    }
    const note = this._logNote(dropped);
    if (!(xMin <= xMax)) {
      return { key: '', data: [[]], empty: true, note };
    }
    if (xMin === xMax) {
      // One x only: give it room either side so the point is not on the plot's edge.
      const pad = data.xIsTime ? 60_000 : Math.max(1, Math.abs(xMin) * 0.05);
      xMin -= pad;
      xMax += pad;
    }
    this._line = {
      data,
      xs,
      ys,
      xMin,
      xMax,
      view: [xMin, xMax],
      columns: this._columns(),
      gridX: new Float64Array(0),
      grid: new Float64Array(0),
      filled: 0
    };
    return {
      key: [
        'line',
        data.series.length,
        data.xIsTime,
        data.logScale,
        data.xLabel,
        data.yLabel
      ].join('\u0000'),
      data: this._grid(xMin, xMax),
      empty: false,
      note
    };
  }

  private _prepareScatter(data: IScatterData): Private.IPrepared {
    let dropped = 0;
    const kept = data.points.filter(p => {
      if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) {
        return false;
      }
      if (data.logScale && p.y <= 0) {
        dropped++;
        return false;
      }
      return true;
    });
    kept.sort((a, b) => a.x - b.x);
    this._scatter = kept;
    return {
      key: ['scatter', data.logScale, data.xLabel, data.yLabel].join('\u0000'),
      data: [kept.map(p => p.x), kept.map(p => p.y)],
      empty: kept.length === 0,
      note: this._logNote(dropped)
    };
  }

  private _prepareBar(data: IBarData): Private.IPrepared {
    let dropped = 0;
    const values = data.bars.map(b => {
      if (!Number.isFinite(b.value)) {
        return null;
      }
      if (data.logScale && b.value <= 0) {
        dropped++;
        return null;
      }
      return b.value;
    });
    return {
      key: ['bar', data.bars.length, data.logScale, data.yLabel].join('\u0000'),
      data: [data.bars.map((_, i) => i), values],
      empty: values.every(v => v === null),
      note: this._logNote(dropped)
    };
  }

  private _prepareHistogram(data: IHistogramData): Private.IPrepared {
    const bins = histogram(data.values, data.bins);
    this._bins = bins;
    return {
      key: ['histogram', bins.length, data.xLabel].join('\u0000'),
      data: [bins.map(b => (b.start + b.end) / 2), bins.map(b => b.count)],
      empty: bins.length === 0,
      note: ''
    };
  }

  private _logNote(dropped: number): string {
    return dropped > 0
      ? this._trans._n(
          '%1 value ≤ 0 is not shown on the log scale',
          '%1 values ≤ 0 are not shown on the log scale',
          dropped
        )
      : '';
  }

  private _setNote(note: string): void {
    this._note.textContent = note;
    this._note.classList.toggle('jp-mod-hidden', !note);
  }

  /** One grid column per CSS pixel of the chart's width (a little more than the plot's, never fewer). */
  private _columns(): number {
    return Math.max(16, Math.round(this._width));
  }

  /**
   * Decimates every line onto the grid of [min, max] (one array for all, drawn by {@link _drawLines}); uPlot gets
   * only the grid's lowest and highest value per slot, enough to fit the y axis, and never draws the lines itself.
   */
  private _grid(min: number, max: number): uPlot.AlignedData {
    const line = this._line!;
    const columns = line.columns;
    const x = gridX(min, max, columns);
    const slots = x.length;
    const count = line.xs.length;
    // Same-shape updates (live runs, zoom) reuse the buffer: at a thousand runs it is megabytes of garbage.
    let grid = this._gridBuffer;
    if (!grid || grid.length !== slots * count) {
      grid = this._gridBuffer = new Float64Array(slots * count);
    }
    grid.fill(NaN);
    let filled = 0;
    for (let s = 0; s < count; s++) {
      filled += decimateToGrid(
        line.xs[s],
        line.ys[s],
        min,
        max,
        columns,
        grid,
        s * slots
      );
    }
    const lo = new Float64Array(slots).fill(Infinity);
    const hi = new Float64Array(slots).fill(-Infinity);
    for (let s = 0; s < count; s++) {
      const base = s * slots;
      for (let j = 0; j < slots; j++) {
        const v = grid[base + j];
        // NaN fails both comparisons.
        if (v < lo[j]) {
          lo[j] = v;
        }
        if (v > hi[j]) {
          hi[j] = v;
        }
      }
    }
    const envelope = (a: Float64Array) =>
      Array.from(a, v => (Number.isFinite(v) ? v : null));
    line.view = [min, max];
    line.gridX = x;
    line.grid = grid;
    line.filled = filled;
    return [x, envelope(lo), envelope(hi)];
  }

  /** Draws the lines of the current grid: canvas strokes for few segments, the pixel rasteriser for many. */
  private _drawLines(u: uPlot): void {
    const line = this._line;
    if (!line || u !== this._plot) {
      return;
    }
    const { left, top, width, height } = u.bbox;
    const slots = line.gridX.length;
    const px = new Float64Array(slots);
    for (let j = 0; j < slots; j++) {
      px[j] = u.valToPos(line.gridX[j], 'x', true) - left;
    }
    const project = Private.yProjector(u, height);
    const py = new Float64Array(slots);
    const series = line.data.series;
    const raster = line.filled > Private.RASTER_THRESHOLD;
    const ctx = u.ctx;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    let buffer: ImageData | null = null;
    let pixels: Uint32Array | null = null;
    if (raster) {
      buffer = new ImageData(
        Math.max(1, Math.round(width)),
        Math.max(1, Math.round(height))
      );
      pixels = new Uint32Array(buffer.data.buffer);
    } else {
      ctx.translate(left, top);
      ctx.lineWidth = uPlot.pxRatio;
      ctx.lineJoin = 'round';
    }
    for (let s = 0; s < series.length; s++) {
      const base = s * slots;
      for (let j = 0; j < slots; j++) {
        py[j] = project(line.grid[base + j]);
      }
      if (pixels && buffer) {
        drawPolyline(
          { pixels, width: buffer.width, height: buffer.height },
          px,
          py,
          0,
          slots,
          this._pixelColor(series[s].color)
        );
      } else {
        ctx.beginPath();
        let points = 0;
        let last = 0;
        for (let j = 0; j < slots; j++) {
          if (py[j] === py[j]) {
            if (points) {
              ctx.lineTo(px[j], py[j]);
            } else {
              ctx.moveTo(px[j], py[j]);
            }
            points++;
            last = j;
          }
        }
        ctx.strokeStyle = series[s].color;
        ctx.stroke();
        if (points === 1) {
          // A run with one logged value has no line to stroke: show it as a dot.
          const r = 1.5 * uPlot.pxRatio;
          ctx.fillStyle = series[s].color;
          ctx.fillRect(px[last] - r, py[last] - r, 2 * r, 2 * r);
        }
      }
    }
    if (buffer) {
      // putImageData would overwrite the grid lines below: composite through a scratch canvas instead.
      const scratch = (this._scratch ??= document.createElement('canvas'));
      scratch.width = buffer.width;
      scratch.height = buffer.height;
      scratch.getContext('2d')?.putImageData(buffer, 0, 0);
      ctx.drawImage(scratch, left, top);
    }
    ctx.restore();
  }

  /** A CSS colour as a pixel of the rasteriser, resolved by the canvas so any CSS colour syntax works. */
  private _pixelColor(color: string): number {
    let pixel = this._pixelColors.get(color);
    if (pixel === undefined) {
      const probe = document.createElement('canvas');
      probe.width = probe.height = 1;
      const ctx = probe.getContext('2d', { willReadFrequently: true });
      let rgb = [128, 128, 128];
      if (ctx) {
        ctx.fillStyle = color;
        ctx.fillRect(0, 0, 1, 1);
        rgb = Array.from(ctx.getImageData(0, 0, 1, 1).data.slice(0, 3));
      }
      pixel = packRgb(rgb[0], rgb[1], rgb[2]);
      this._pixelColors.set(color, pixel);
    }
    return pixel;
  }

  /** Decimates again for a new x range (zoom, reset, resize), then lets y fit what is visible. */
  private _regrid(min: number, max: number): void {
    const plot = this._plot;
    const line = this._line;
    if (!plot || !line || !(min < max)) {
      return;
    }
    line.columns = this._columns();
    plot.setData(this._grid(min, max), false);
    plot.setScale('x', { min, max });
    this._drawHighlight(null);
  }

  private _options(prepared: Private.IPrepared): uPlot.Options {
    const data = this._data!;
    const theme = Private.readTheme(this._root);
    this._theme = theme;
    const axis = (label: string): uPlot.Axis => ({
      label,
      stroke: () => this._theme.text2,
      font: theme.font,
      labelFont: theme.font,
      labelSize: 20,
      grid: { stroke: () => this._theme.grid, width: 1 },
      ticks: { stroke: () => this._theme.grid, width: 1, size: 4 },
      border: { show: true, stroke: () => this._theme.border, width: 1 }
    });
    const yScale: uPlot.Scale =
      'logScale' in data && data.logScale
        ? { distr: 3, log: 10 }
        : { range: Private.padRange };
    const options: uPlot.Options = {
      width: this._width,
      height: this._height,
      legend: { show: false },
      cursor: {
        points: { show: false },
        focus: { prox: -1 },
        drag: { x: data.kind === 'line', y: false, setScale: true },
        bind: {
          dblclick: () => () => {
            this.resetZoom();
            return null;
          },
          mouseleave: (u, target, handler) => (e: MouseEvent) => {
            handler(e);
            this._emitHover(null);
            return null;
          }
        }
      },
      select: { show: true, left: 0, top: 0, width: 0, height: 0 },
      scales: { x: { time: false }, y: yScale },
      axes: [axis(''), axis('')],
      series: [{}],
      hooks: {
        setCursor: [u => this._onCursor(u)],
        setScale: [(u, key) => this._onScale(u, key)],
        setSize: [() => this._sizeHighlight()]
      }
    };
    const axes = options.axes!;
    if ('logScale' in data && data.logScale) {
      // uPlot's default labels round small decades to "0": label each decade in exponent form when needed.
      axes[1].values = (u, splits) => splits.map(Private.logTick);
    }
    const series = options.series;
    switch (data.kind) {
      case 'line': {
        options.scales!.x = { time: data.xIsTime };
        if (data.xIsTime) {
          // uPlot's time unit is 1e-3 s by default: ours are epoch milliseconds.
          options.ms = 1;
        }
        axes[0].label = data.xLabel;
        axes[1].label = data.yLabel;
        // The envelope of all lines, for the y range only: _drawLines draws the lines.
        for (let i = 0; i < 2; i++) {
          series.push({
            paths: () => null,
            points: { show: false },
            spanGaps: true
          });
        }
        options.hooks!.draw = [u => this._drawLines(u)];
        break;
      }
      case 'scatter': {
        options.scales!.x = { time: false, range: Private.padRange };
        axes[0].label = data.xLabel;
        axes[1].label = data.yLabel;
        series.push({
          paths: () => null,
          points: { show: false },
          stroke: 'transparent'
        });
        options.hooks!.draw = [u => this._drawScatter(u)];
        break;
      }
      case 'bar': {
        const n = data.bars.length;
        options.scales!.x = { time: false, range: () => [-0.5, n - 0.5] };
        axes[0].label = '';
        axes[0].splits = u => Private.barSplits(u, n);
        axes[0].values = (u, splits) =>
          splits.map(i =>
            Private.shorten((this._data as IBarData).bars[i]?.label ?? '')
          );
        axes[1].label = data.yLabel;
        if (!data.logScale) {
          options.scales!.y = { range: Private.zeroRange };
        }
        series.push({
          width: 0,
          fill: theme.text2,
          points: { show: false },
          paths: uPlot.paths.bars!({
            size: [0.8, 64, 1],
            disp: {
              fill: {
                unit: 3,
                values: () => (this._data as IBarData).bars.map(b => b.color)
              }
            }
          })
        });
        break;
      }
      case 'histogram': {
        const bins = this._bins;
        options.scales!.x = {
          time: false,
          range: () => [bins[0].start, bins[bins.length - 1].end]
        };
        options.scales!.y = { range: Private.zeroRange };
        axes[0].label = data.xLabel;
        axes[1].label = this._trans.__('Runs');
        series.push({
          width: 0,
          fill: data.color,
          points: { show: false },
          paths: uPlot.paths.bars!({ size: [1, Infinity, 1], gap: 1 })
        });
        break;
      }
    }
    return options;
  }

  private _onScale(u: uPlot, key: string): void {
    const line = this._line;
    if (key !== 'x' || !line || u !== this._plot) {
      return;
    }
    const { min, max } = u.scales.x;
    if (
      min === null ||
      max === null ||
      min === undefined ||
      max === undefined
    ) {
      return;
    }
    if (min === line.view[0] && max === line.view[1]) {
      return;
    }
    // uPlot is mid-commit in this hook: decimate for the new range on the next frame.
    if (this._frame) {
      cancelAnimationFrame(this._frame);
    }
    this._frame = requestAnimationFrame(() => {
      this._frame = 0;
      const lo = Math.max(line.xMin, min);
      const hi = Math.min(line.xMax, max);
      if (lo < hi) {
        this._regrid(lo, hi);
      }
    });
  }

  private _onCursor(u: uPlot): void {
    const data = this._data;
    const left = u.cursor.left ?? -1;
    const top = u.cursor.top ?? -1;
    if (!data || left < 0 || top < 0 || u !== this._plot) {
      this._emitHover(null);
      return;
    }
    let hover: IHover | null = null;
    let highlight: Private.Highlight | null = null;
    switch (data.kind) {
      case 'line':
        [hover, highlight] = this._hoverLine(u, data, left, top);
        break;
      case 'scatter':
        [hover, highlight] = this._hoverScatter(u, left, top);
        break;
      case 'bar': {
        const i = Math.round(u.posToVal(left, 'x'));
        const bar = data.bars[i];
        const value = u.data[1][i];
        if (bar && value !== null && value !== undefined) {
          const item = { ...bar, x: i, y: bar.value };
          hover = { x: i, nearest: item, items: [item], more: 0 };
          highlight = { kind: 'bar', index: i };
        }
        break;
      }
      case 'histogram': {
        const x = u.posToVal(left, 'x');
        const i = this._bins.findIndex(
          (b, k) => x >= b.start && (x < b.end || k === this._bins.length - 1)
        );
        if (i >= 0 && x <= this._bins[i].end) {
          const b = this._bins[i];
          const item = {
            id: `bin:${i}`,
            label: `${Private.formatNumber(b.start)} – ${Private.formatNumber(
              b.end
            )}`,
            x: b.start,
            y: b.count,
            color: data.color
          };
          hover = { x, nearest: item, items: [item], more: 0 };
          highlight = { kind: 'bar', index: i };
        }
        break;
      }
    }
    this._drawHighlight(highlight);
    if (hover) {
      this._tooltip.show(
        hover,
        // A line's tooltip names the logged step (or time) shown, not the cursor's fractional position.
        this._formatX(data.kind === 'line' ? hover.nearest.x : hover.x),
        u.bbox.left / uPlot.pxRatio + left,
        u.bbox.top / uPlot.pxRatio + top,
        left > u.bbox.width / uPlot.pxRatio / 2,
        top > u.bbox.height / uPlot.pxRatio / 2
      );
    } else {
      this._tooltip.hide();
    }
    this._hoverChanged.emit(hover);
  }

  /** The runs' values at the cursor's x: each run's logged point nearest that x, ranked by distance in y. */
  private _hoverLine(
    u: uPlot,
    data: ILineData,
    left: number,
    top: number
  ): [IHover | null, Private.Highlight | null] {
    const line = this._line;
    if (!line) {
      return [null, null];
    }
    const x = u.posToVal(left, 'x');
    // A run counts from its first to its last point, give or take a few pixels.
    const tolerance = Math.abs(u.posToVal(left + 4, 'x') - x);
    const candidates: { s: number; i: number; dist: number }[] = [];
    for (let s = 0; s < line.xs.length; s++) {
      const xs = line.xs[s];
      const ys = line.ys[s];
      const n = Math.min(xs.length, ys.length);
      if (n === 0 || x < xs[0] - tolerance || x > xs[n - 1] + tolerance) {
        continue;
      }
      const j = lowerBound(xs, x, n);
      const i = Private.nearestFinite(xs, ys, n, j, x);
      if (i < 0) {
        continue;
      }
      const dist = Math.abs(u.valToPos(ys[i], 'y') - top);
      candidates.push({ s, i, dist });
    }
    if (candidates.length === 0) {
      return [null, null];
    }
    candidates.sort((a, b) => a.dist - b.dist);
    const item = (c: { s: number; i: number }): IHoverItem => {
      const series = data.series[c.s];
      return {
        id: series.id,
        label: series.label,
        x: line.xs[c.s][c.i],
        y: line.ys[c.s][c.i],
        color: series.color
      };
    };
    const nearest = item(candidates[0]);
    const items = candidates.slice(0, Private.MAX_HOVER_ITEMS).map(item);
    items.sort((a, b) => b.y - a.y);
    return [
      { x, nearest, items, more: candidates.length - items.length },
      {
        kind: 'line',
        series: candidates[0].s,
        x: nearest.x,
        y: nearest.y
      }
    ];
  }

  private _hoverScatter(
    u: uPlot,
    left: number,
    top: number
  ): [IHover | null, Private.Highlight | null] {
    let best = -1;
    let bestDist = Private.SCATTER_HOVER_RADIUS ** 2;
    const points = this._scatter;
    for (let i = 0; i < points.length; i++) {
      const dx = u.valToPos(points[i].x, 'x') - left;
      const dy = u.valToPos(points[i].y, 'y') - top;
      const d = dx * dx + dy * dy;
      if (d <= bestDist) {
        best = i;
        bestDist = d;
      }
    }
    if (best < 0) {
      return [null, null];
    }
    const p = points[best];
    const item = { ...p };
    return [
      { x: p.x, nearest: item, items: [item], more: 0 },
      { kind: 'point', x: p.x, y: p.y, color: p.color }
    ];
  }

  private _drawScatter(u: uPlot): void {
    const ctx = u.ctx;
    const r = Private.SCATTER_RADIUS * uPlot.pxRatio;
    const { left, top, width, height } = u.bbox;
    // One path per colour: a fill per run would cost a state change per point.
    const paths = new Map<string, Path2D>();
    for (const p of this._scatter) {
      const cx = u.valToPos(p.x, 'x', true);
      const cy = u.valToPos(p.y, 'y', true);
      let path = paths.get(p.color);
      if (!path) {
        path = new Path2D();
        paths.set(p.color, path);
      }
      path.moveTo(cx + r, cy);
      path.arc(cx, cy, r, 0, 2 * Math.PI);
    }
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    ctx.globalAlpha = 0.85;
    ctx.lineWidth = uPlot.pxRatio;
    ctx.strokeStyle = this._theme.background;
    for (const [color, path] of paths) {
      ctx.fillStyle = color;
      ctx.fill(path);
      ctx.stroke(path);
    }
    ctx.restore();
  }

  /** Draws the hovered run on a canvas of its own, so hovering never redraws the thousand other lines. */
  private _drawHighlight(highlight: Private.Highlight | null): void {
    const canvas = this._highlight;
    const u = this._plot;
    const ctx = u ? canvas.getContext('2d') : null;
    if (!u || !ctx) {
      return;
    }
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (!highlight) {
      return;
    }
    const { left, top } = u.bbox;
    const px = (v: number) => u.valToPos(v, 'x', true) - left;
    const py = (v: number) => u.valToPos(v, 'y', true) - top;
    const ratio = uPlot.pxRatio;
    switch (highlight.kind) {
      case 'line': {
        const line = this._line;
        if (!line) {
          return;
        }
        const xs = line.gridX;
        const base = highlight.series * xs.length;
        const color = line.data.series[highlight.series].color;
        ctx.beginPath();
        let started = false;
        for (let i = 0; i < xs.length; i++) {
          const v = line.grid[base + i];
          if (v !== v) {
            continue;
          }
          if (started) {
            ctx.lineTo(px(xs[i]), py(v));
          } else {
            ctx.moveTo(px(xs[i]), py(v));
            started = true;
          }
        }
        ctx.lineWidth = 2.5 * ratio;
        ctx.strokeStyle = color;
        ctx.stroke();
        this._dot(ctx, px(highlight.x), py(highlight.y), color);
        break;
      }
      case 'point':
        this._dot(ctx, px(highlight.x), py(highlight.y), highlight.color);
        break;
      case 'bar': {
        const x = u.data[0];
        const i = highlight.index;
        const half =
          x.length > 1
            ? Math.abs(px(x[Math.min(i + 1, x.length - 1)]) - px(x[i])) ||
              Math.abs(px(x[i]) - px(x[i - 1]))
            : canvas.width;
        ctx.fillStyle = this._theme.hover;
        ctx.fillRect(px(x[i]) - half / 2, 0, half, canvas.height);
        break;
      }
    }
  }

  private _dot(
    ctx: CanvasRenderingContext2D,
    x: number,
    y: number,
    color: string
  ): void {
    const r = (Private.SCATTER_RADIUS + 2) * uPlot.pxRatio;
    ctx.beginPath();
    ctx.arc(x, y, r, 0, 2 * Math.PI);
    ctx.fillStyle = color;
    ctx.fill();
    ctx.lineWidth = 2 * uPlot.pxRatio;
    ctx.strokeStyle = this._theme.text;
    ctx.stroke();
  }

  private _sizeHighlight(): void {
    const u = this._plot;
    if (!u) {
      return;
    }
    this._highlight.width = Math.max(1, Math.round(u.bbox.width));
    this._highlight.height = Math.max(1, Math.round(u.bbox.height));
    this._highlight.style.width = `${u.bbox.width / uPlot.pxRatio}px`;
    this._highlight.style.height = `${u.bbox.height / uPlot.pxRatio}px`;
  }

  private _emitHover(hover: IHover | null): void {
    if (hover === null) {
      this._tooltip.hide();
      this._drawHighlight(null);
    }
    this._hoverChanged.emit(hover);
  }

  private _formatX(x: number): string {
    const data = this._data;
    switch (data?.kind) {
      case 'line':
        return data.xIsTime
          ? new Date(x).toLocaleString()
          : `${data.xLabel} ${Private.formatNumber(x)}`;
      case 'scatter':
        return `${data.xLabel} ${Private.formatNumber(x)}`;
      case 'histogram':
        return data.xLabel;
      default:
        return '';
    }
  }

  private _title(): string {
    const data = this._data;
    switch (data?.kind) {
      case 'line':
      case 'scatter':
        return this._trans.__('%1 vs %2', data.yLabel, data.xLabel);
      case 'bar':
        return data.yLabel;
      case 'histogram':
        return this._trans.__('Distribution of %1', data.xLabel);
      default:
        return '';
    }
  }

  private _legend(): {
    entries: { label: string; color: string }[];
    total: number;
  } {
    const data = this._data;
    let entries: { label: string; color: string }[] = [];
    switch (data?.kind) {
      case 'line':
        entries = data.series;
        break;
      case 'scatter':
        entries = data.points;
        break;
      case 'bar':
        entries = data.bars;
        break;
    }
    const shown = entries.slice(0, Private.MAX_LEGEND_ENTRIES);
    return { entries: shown, total: entries.length };
  }

  private _onHostResize(): void {
    const width = this._host.clientWidth;
    const height = this._fixedHeight ?? this._host.clientHeight;
    if (
      width > 0 &&
      height > 0 &&
      (Math.round(width) !== Math.round(this._width) ||
        Math.round(height) !== Math.round(this._height))
    ) {
      this.resize(width, height);
    }
  }

  private _onThemeChange(): void {
    this._theme = Private.readTheme(this._root);
    this._plot?.redraw(false, true);
  }

  private _destroyPlot(): void {
    this._tooltip.hide();
    this._highlight.remove();
    this._plot?.destroy();
    this._plot = null;
    this._gridBuffer = null;
    this._plotKey = '';
  }

  private _host: HTMLElement;
  private _trans: TranslationBundle;
  private _fixedHeight: number | null;
  private _root: HTMLDivElement;
  private _plotEl: HTMLDivElement;
  private _empty: HTMLDivElement;
  private _note: HTMLDivElement;
  private _tooltip: Private.Tooltip;
  private _highlight: HTMLCanvasElement;
  private _width: number;
  private _height: number;
  private _data: ChartData | null = null;
  private _line: Private.ILineState | null = null;
  private _scatter: IScatterData['points'] = [];
  private _bins: IBin[] = [];
  private _plot: uPlot | null = null;
  private _plotKey = '';
  private _theme: Private.ITheme = Private.FALLBACK_THEME;
  private _scratch: HTMLCanvasElement | null = null;
  private _gridBuffer: Float64Array | null = null;
  private _pixelColors = new Map<string, number>();
  private _frame = 0;
  private _resizeObserver: ResizeObserver | null = null;
  private _themeObserver: MutationObserver | null = null;
  private _isDisposed = false;
  private _hoverChanged = new Signal<Chart, IHover | null>(this);
}

/** Types of {@link Chart}. */
export namespace Chart {
  /** Options of the constructor. */
  export interface IOptions {
    /** Element the chart fills (its width; its height unless `height` is given). */
    host: HTMLElement;
    /** Translator bundle of the suite's domain (the null translator when omitted). */
    trans?: TranslationBundle;
    /** Fixed height in CSS pixels; by default the host's height, else 300. */
    height?: number;
  }
}

namespace Private {
  export const DEFAULT_WIDTH = 600;
  export const DEFAULT_HEIGHT = 300;
  /** Runs listed in the tooltip; the rest are counted as "+N more". */
  export const MAX_HOVER_ITEMS = 10;
  export const MAX_LEGEND_ENTRIES = 12;
  export const SCATTER_RADIUS = 4;
  export const SCATTER_HOVER_RADIUS = 16;

  /** Everything setData works out before drawing. */
  export interface IPrepared {
    /** Equal keys mean the plot can be kept and given new data. */
    key: string;
    data: uPlot.AlignedData;
    empty: boolean;
    note: string;
  }

  /** The line chart's series, smoothed and sorted, and the grid last decimated onto. */
  export interface ILineState {
    data: ILineData;
    xs: ArrayLike<number>[];
    ys: ArrayLike<number>[];
    xMin: number;
    xMax: number;
    view: [number, number];
    columns: number;
    /** X of the grid's slots. */
    gridX: Float64Array;
    /** Every line's decimated values, series after series, NaN where a slot is empty. */
    grid: Float64Array;
    /** Slots holding a value, about the number of segments to draw. */
    filled: number;
  }

  /** Above this many segments lines go through the pixel rasteriser rather than canvas strokes. */
  export const RASTER_THRESHOLD = 100_000;

  /** Maps y values to pixels from the plot's top (canvas pixels), NaN for NaN or values the log axis can't show. */
  export function yProjector(u: uPlot, height: number): (v: number) => number {
    const scale = u.scales.y;
    const log = scale.distr === 3;
    const f = log ? Math.log10 : (v: number) => v;
    const min = f(scale.min ?? 0);
    const max = f(scale.max ?? 1);
    const k = max > min ? height / (max - min) : 0;
    return log
      ? v => (v > 0 ? height - (Math.log10(v) - min) * k : NaN)
      : v => height - (v - min) * k;
  }

  export type Highlight =
    | { kind: 'line'; series: number; x: number; y: number }
    | { kind: 'point'; x: number; y: number; color: string }
    | { kind: 'bar'; index: number };

  /** Theme colours resolved to values, since canvas cannot use CSS variables. */
  export interface ITheme {
    background: string;
    text: string;
    text2: string;
    border: string;
    grid: string;
    hover: string;
    font: string;
  }

  export const FALLBACK_THEME: ITheme = {
    background: '#ffffff',
    text: 'rgba(0, 0, 0, 0.87)',
    text2: 'rgba(0, 0, 0, 0.54)',
    border: '#bdbdbd',
    grid: '#e0e0e0',
    hover: 'rgba(0, 0, 0, 0.08)',
    font: '11px sans-serif'
  };

  export function readTheme(node: HTMLElement): ITheme {
    const style = getComputedStyle(node);
    const v = (name: string, fallback: string) =>
      style.getPropertyValue(name).trim() || fallback;
    // uPlot sizes axis text from a pixel font size ("11px …"); JupyterLab's sizes are often in em.
    const size = fontPixels(v('--jp-ui-font-size0', '11px'), style);
    const family = v('--jp-ui-font-family', 'sans-serif');
    return {
      background: v('--jp-layout-color0', FALLBACK_THEME.background),
      text: v('--jp-ui-font-color1', FALLBACK_THEME.text),
      text2: v('--jp-ui-font-color2', FALLBACK_THEME.text2),
      border: v('--jp-border-color1', FALLBACK_THEME.border),
      grid: v('--jp-border-color2', FALLBACK_THEME.grid),
      hover: v('--jp-layout-color3', FALLBACK_THEME.hover),
      font: `${size}px ${family}`
    };
  }

  /** The label of a tick on a log axis: decades only ("0.01", "1e-5", "1e+6"), other ticks unlabelled. */
  export function logTick(value: number): string {
    const exponent = Math.log10(value);
    if (
      !Number.isFinite(exponent) ||
      Math.abs(exponent - Math.round(exponent)) > 1e-9
    ) {
      return '';
    }
    const e = Math.round(exponent);
    return e >= -3 && e <= 5
      ? String(Number(Math.pow(10, e).toPrecision(1)))
      : `1e${e > 0 ? '+' : ''}${e}`;
  }

  /** A CSS font size (px, em, rem, %) in whole pixels; 11 when it cannot be read. */
  export function fontPixels(
    value: string,
    style: CSSStyleDeclaration
  ): number {
    const n = parseFloat(value);
    if (!Number.isFinite(n) || n <= 0) {
      return 11;
    }
    const base = parseFloat(style.fontSize) || 13;
    if (value.endsWith('rem')) {
      return Math.round(
        n *
          (parseFloat(getComputedStyle(document.documentElement).fontSize) ||
            16)
      );
    }
    if (value.endsWith('em')) {
      return Math.round(n * base);
    }
    if (value.endsWith('%')) {
      return Math.round((n / 100) * base);
    }
    return Math.round(n);
  }

  /** 5 % of padding either side, so points on the extremes are not cut in half. */
  export function padRange(
    u: uPlot,
    min: number | null,
    max: number | null
  ): uPlot.Range.MinMax {
    if (min === null || max === null) {
      return [0, 1];
    }
    const pad = max > min ? (max - min) * 0.05 : Math.abs(min) * 0.05 || 1;
    return [min - pad, max + pad];
  }

  /** Bars grow from zero, so zero stays in range. */
  export function zeroRange(
    u: uPlot,
    min: number | null,
    max: number | null
  ): uPlot.Range.MinMax {
    const lo = Math.min(0, min ?? 0);
    const hi = Math.max(0, max ?? 1);
    const pad = (hi - lo) * 0.05 || 1;
    return [lo < 0 ? lo - pad : 0, hi > 0 ? hi + pad : 0];
  }

  /** Indices of the bars to label: every k-th so labels are at least ~70 px apart. */
  export function barSplits(u: uPlot, n: number): number[] {
    const width = u.bbox.width / uPlot.pxRatio || 1;
    const step = Math.max(1, Math.ceil((n * 70) / width));
    const out: number[] = [];
    for (let i = 0; i < n; i += step) {
      out.push(i);
    }
    return out;
  }

  export function shorten(label: string): string {
    return label.length > 12 ? `${label.slice(0, 11)}…` : label;
  }

  export function formatNumber(v: number): string {
    if (!Number.isFinite(v)) {
      return String(v);
    }
    const a = Math.abs(v);
    if (a !== 0 && (a >= 1e6 || a < 1e-3)) {
      return v.toExponential(3);
    }
    return String(Number(v.toPrecision(6)));
  }

  /** The index nearest x among the finite values around the insertion point j. */
  export function nearestFinite(
    xs: ArrayLike<number>,
    ys: ArrayLike<number>,
    n: number,
    j: number,
    x: number
  ): number {
    let a = j - 1;
    while (a >= 0 && !Number.isFinite(ys[a])) {
      a--;
    }
    let b = j;
    while (b < n && !Number.isFinite(ys[b])) {
      b++;
    }
    if (a < 0) {
      return b < n ? b : -1;
    }
    if (b >= n) {
      return a;
    }
    return x - xs[a] <= xs[b] - x ? a : b;
  }

  export function sortByX(
    x: ArrayLike<number>,
    y: ArrayLike<number>
  ): [Float64Array, Float64Array] {
    const n = Math.min(x.length, y.length);
    const order = Array.from({ length: n }, (_, i) => i).sort(
      (a, b) => x[a] - x[b]
    );
    return [
      Float64Array.from(order, i => x[i]),
      Float64Array.from(order, i => y[i])
    ];
  }

  export function* csvRows(data: ChartData): Iterable<CsvCell[]> {
    switch (data.kind) {
      case 'line': {
        const smoothed = data.smoothing > 0;
        yield smoothed ? ['run', 'x', 'y', 'y_smoothed'] : ['run', 'x', 'y'];
        for (const s of data.series) {
          const n = Math.min(s.x.length, s.y.length);
          const sm = smoothed ? ema(s.y, data.smoothing) : null;
          for (let i = 0; i < n; i++) {
            const x = data.xIsTime
              ? Number.isFinite(s.x[i])
                ? new Date(s.x[i]).toISOString()
                : ''
              : s.x[i];
            yield sm ? [s.label, x, s.y[i], sm[i]] : [s.label, x, s.y[i]];
          }
        }
        return;
      }
      case 'scatter':
        yield ['run', 'x', 'y'];
        for (const p of data.points) {
          yield [p.label, p.x, p.y];
        }
        return;
      case 'bar':
        yield ['run', 'value'];
        for (const b of data.bars) {
          yield [b.label, b.value];
        }
        return;
      case 'histogram':
        yield ['bin_start', 'bin_end', 'count'];
        for (const b of histogram(data.values, data.bins)) {
          yield [b.start, b.end, b.count];
        }
        return;
    }
  }

  /** The hover tooltip: a header and a fixed pool of rows, updated in place on every cursor move. */
  export class Tooltip {
    constructor(trans: TranslationBundle) {
      this._trans = trans;
      this.node.className = 'jp-SageMakerChart-tooltip jp-mod-hidden';
      this._header.className = 'jp-SageMakerChart-tooltipHeader';
      this._more.className = 'jp-SageMakerChart-tooltipMore';
      this.node.appendChild(this._header);
      for (let i = 0; i < MAX_HOVER_ITEMS; i++) {
        const row = document.createElement('div');
        row.className = 'jp-SageMakerChart-tooltipRow';
        const swatch = document.createElement('span');
        swatch.className = 'jp-SageMakerChart-swatch';
        const label = document.createElement('span');
        label.className = 'jp-SageMakerChart-tooltipLabel';
        const value = document.createElement('span');
        value.className = 'jp-SageMakerChart-tooltipValue';
        row.append(swatch, label, value);
        this.node.appendChild(row);
        this._rows.push({ row, swatch, label, value });
      }
      this.node.appendChild(this._more);
    }

    readonly node = document.createElement('div');

    show(
      hover: IHover,
      header: string,
      x: number,
      y: number,
      flipX: boolean,
      flipY: boolean
    ): void {
      this._header.textContent = header;
      this._header.style.display = header ? '' : 'none';
      for (let i = 0; i < this._rows.length; i++) {
        const r = this._rows[i];
        const item = hover.items[i];
        if (!item) {
          r.row.style.display = 'none';
          continue;
        }
        r.row.style.display = '';
        r.row.classList.toggle('jp-mod-nearest', item.id === hover.nearest.id);
        r.swatch.style.background = item.color;
        r.label.textContent = item.label;
        r.value.textContent = formatNumber(item.y);
      }
      this._more.textContent =
        hover.more > 0 ? this._trans.__('+%1 more', hover.more) : '';
      this._more.style.display = hover.more > 0 ? '' : 'none';
      // A transform moves the tooltip without a layout of the chart.
      const tx = flipX ? `calc(${x - 12}px - 100%)` : `${x + 12}px`;
      const ty = flipY ? `calc(${y - 12}px - 100%)` : `${y + 12}px`;
      this.node.style.transform = `translate(${tx}, ${ty})`;
      this.node.classList.remove('jp-mod-hidden');
    }

    hide(): void {
      this.node.classList.add('jp-mod-hidden');
    }

    private _trans: TranslationBundle;
    private _header = document.createElement('div');
    private _more = document.createElement('div');
    private _rows: {
      row: HTMLDivElement;
      swatch: HTMLSpanElement;
      label: HTMLSpanElement;
      value: HTMLSpanElement;
    }[] = [];
  }
}
