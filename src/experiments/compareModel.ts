/**
 * State of one comparison: which runs it compares, its charts and their properties, which chart is selected (the
 * right-sidebar property pane edits it), the runs' records and their series. Runs in progress are refreshed by a
 * Poll that stands by while the view is hidden or nothing is in progress. No DOM, no SDK: the calls are handed in.
 */
import { nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import type { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { TRANSLATION_DOMAIN } from '../i18n';
import {
  IChartContent,
  lineContent,
  metricNames,
  parameterNames,
  summaryContent
} from './chartData';
import { emptyComparison, normalizeChart } from './comparison';
import type { SeriesStore } from './series';
import {
  ChartType,
  Field,
  IChartSpec,
  IComparison,
  IRun,
  isLive,
  SUMMARY_STATS
} from './types';

/** Loads the records of named runs (Search), in any order; runs that no longer exist are simply absent. */
export type RunLoader = (
  names: readonly string[],
  experimentName: string | null,
  signal: AbortSignal
) => Promise<IRun[]>;

/** One comparison's state. */
export class CompareModel implements IDisposable {
  /** Create the model; nothing is fetched until {@link setComparison}. */
  constructor(options: CompareModel.IOptions) {
    this._loadRuns = options.loadRuns;
    this._series = options.series;
    this._describeError = options.describeError;
    this._trans = options.trans ?? nullTranslator.load(TRANSLATION_DOMAIN);
    this._isVisible = options.isVisible ?? (() => true);
    this._poll = new Poll({
      factory: async () => {
        if (this.hasLive && this._isVisible() && this._status !== 'loading') {
          await this.refresh();
        }
      },
      frequency: {
        interval: (options.liveSeconds ?? 5) * 1000,
        backoff: false
      },
      standby: () =>
        this.hasLive && this._isVisible() ? false : 'when-hidden',
      name: 'jupyterlab-sagemaker-studio:compare-live'
    });
  }

  /** The comparison as it is saved. */
  get comparison(): IComparison {
    return this._comparison;
  }

  /** The compared runs' records, in the comparison's order (runs not found are left out). */
  get runs(): readonly IRun[] {
    return this._runs;
  }

  /** Runs named by the comparison that were not found. */
  get missingRuns(): readonly string[] {
    return this._missing;
  }

  /** 'idle', 'loading', 'ready' or 'error'. */
  get status(): CompareModel.Status {
    return this._status;
  }

  /** Why loading the runs failed, as a sentence. */
  get error(): string | null {
    return this._error;
  }

  /** The id of the chart the property pane edits, or null. */
  get selectedChartId(): string | null {
    return this._selected;
  }

  /** The selected chart's spec, or null. */
  get selectedChart(): IChartSpec | null {
    return this._comparison.charts.find(c => c.id === this._selected) ?? null;
  }

  /** Whether any compared run is in progress (its series are refreshed live). */
  get hasLive(): boolean {
    return this._runs.some(isLive);
  }

  /** How many BatchGetMetrics calls and queries have been sent, and cache hits. */
  get seriesStats(): SeriesStore['stats'] {
    return this._series.stats;
  }

  /** Metric names of the runs, most widely logged first. */
  get metricNames(): readonly string[] {
    return (this._metricNames ??= metricNames(this._runs));
  }

  /** Fields a summary axis or colour can use: parameters, metric statistics, creation time. */
  get fields(): readonly Field[] {
    if (!this._fields) {
      const fields: Field[] = parameterNames(this._runs).map(name => ({
        kind: 'parameter',
        name
      }));
      for (const name of this.metricNames) {
        for (const stat of SUMMARY_STATS) {
          fields.push({ kind: 'metric', name, stat });
        }
      }
      fields.push({ kind: 'attribute', name: 'created' });
      fields.push({ kind: 'attribute', name: 'status' });
      this._fields = fields;
    }
    return this._fields;
  }

  /** Emitted when the comparison (what the file holds) changes. */
  get contentChanged(): ISignal<this, void> {
    return this._contentChanged;
  }

  /** Emitted when a view asks for the property pane of the selected chart to be shown. */
  get propertiesRequested(): ISignal<this, void> {
    return this._propertiesRequested;
  }

  /** Ask for the property pane to be shown (the plugin reveals the right sidebar). */
  requestProperties(): void {
    this._propertiesRequested.emit();
  }

  /** A sentence for the user explaining an error. */
  describe(err: unknown): string {
    return this._describeError(err);
  }

  /** Emitted when anything else changes: runs, status, selection, fresh series. */
  get stateChanged(): ISignal<this, void> {
    return this._stateChanged;
  }

  /** Whether the model is disposed. */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Show a comparison (read from its file); loads the runs when the set of runs changed. */
  setComparison(comparison: IComparison): void {
    const sameRuns =
      comparison.runs.length === this._comparison.runs.length &&
      comparison.runs.every((name, i) => name === this._comparison.runs[i]);
    this._comparison = comparison;
    if (!comparison.charts.some(c => c.id === this._selected)) {
      this._selected = comparison.charts[0]?.id ?? null;
    }
    this._stateChanged.emit();
    if (!sameRuns || this._status === 'idle') {
      void this.refresh();
    }
  }

  /** Select the chart the property pane edits. */
  select(id: string | null): void {
    if (
      id !== this._selected &&
      (id === null || this._comparison.charts.some(c => c.id === id))
    ) {
      this._selected = id;
      this._stateChanged.emit();
    }
  }

  /** Add a chart of a type with sensible first properties from the runs' data; it becomes the selected chart. */
  addChart(type: ChartType): IChartSpec {
    const metric = this.metricNames[0] ?? '';
    const firstParameter = this._defaultParameter();
    const lastOf = (name: string): Field | null =>
      name ? { kind: 'metric', name, stat: 'last' } : null;
    let spec: IChartSpec = { id: this._newId(), type, dataType: 'summary' };
    switch (type) {
      case 'line':
        spec = { ...spec, metric, xAxis: 'step' };
        break;
      case 'scatter':
        spec = {
          ...spec,
          x: firstParameter ?? lastOf(this.metricNames[1] ?? ''),
          y: lastOf(metric)
        };
        break;
      case 'bar':
        spec = { ...spec, y: lastOf(metric) };
        break;
      case 'histogram':
        spec = { ...spec, x: lastOf(metric) ?? firstParameter, bins: 10 };
        break;
    }
    spec = normalizeChart(spec);
    this._setCharts([...this._comparison.charts, spec]);
    this.select(spec.id);
    return spec;
  }

  /** Change properties of a chart; the result is made consistent (e.g. a line chart plots a time series). */
  updateChart(id: string, change: Partial<Omit<IChartSpec, 'id'>>): void {
    const charts = this._comparison.charts.map(c => {
      if (c.id !== id) {
        return c;
      }
      let next: IChartSpec = { ...c, ...change, id };
      if (change.type && change.type !== c.type) {
        // Switching type keeps what fits the new type and fills in the rest.
        next = this._retype(c, change.type);
      }
      return normalizeChart(next);
    });
    this._setCharts(charts);
  }

  /** Remove a chart. */
  removeChart(id: string): void {
    const index = this._comparison.charts.findIndex(c => c.id === id);
    if (index < 0) {
      return;
    }
    const charts = this._comparison.charts.filter(c => c.id !== id);
    if (this._selected === id) {
      this._selected = charts[Math.min(index, charts.length - 1)]?.id ?? null;
    }
    this._setCharts(charts);
  }

  /** Load the runs' records again (and, for runs in progress, their series on the next draw). */
  async refresh(): Promise<void> {
    this._controller?.abort();
    const controller = (this._controller = new AbortController());
    this._status = 'loading';
    this._stateChanged.emit();
    try {
      const names = this._comparison.runs;
      const found = names.length
        ? await this._loadRuns(
            names,
            this._comparison.experimentName,
            controller.signal
          )
        : [];
      if (controller.signal.aborted) {
        return;
      }
      const byName = new Map(found.map(run => [run.name.toLowerCase(), run]));
      this._runs = [];
      this._missing = [];
      for (const name of names) {
        const run = byName.get(name.toLowerCase());
        if (run) {
          this._runs.push(run);
        } else {
          this._missing.push(name);
        }
      }
      this._metricNames = null;
      this._fields = null;
      this._status = 'ready';
      this._error = null;
      this._generation++;
    } catch (err) {
      if (controller.signal.aborted) {
        return;
      }
      this._status = 'error';
      this._error = this._describeError(err);
    }
    this._stateChanged.emit();
  }

  /** Bumped whenever the runs were loaded again: views redraw their charts when it changes. */
  get generation(): number {
    return this._generation;
  }

  /** What a chart draws: summaries come from the run records, time series from BatchGetMetrics. */
  async chartContent(
    spec: IChartSpec,
    signal?: AbortSignal
  ): Promise<IChartContent> {
    if (spec.type !== 'line') {
      return summaryContent(spec, this._runs, this._trans);
    }
    if (!spec.metric) {
      return lineContent(spec, this._runs, [], this._trans);
    }
    try {
      const series = await this._series.fetch(
        this._runs,
        spec.metric,
        spec.xAxis ?? 'step',
        { signal }
      );
      return lineContent(spec, this._runs, series, this._trans);
    } catch (err) {
      return { data: null, message: this._describeError(err), notes: [] };
    }
  }

  /** Stop polling and cancel requests. */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._controller?.abort();
    this._poll.dispose();
    Signal.clearData(this);
  }

  private _setCharts(charts: IChartSpec[]): void {
    this._comparison = { ...this._comparison, charts };
    this._contentChanged.emit();
    this._stateChanged.emit();
  }

  private _retype(spec: IChartSpec, type: ChartType): IChartSpec {
    const metric =
      spec.metric || spec.y?.name || spec.x?.name || this.metricNames[0] || '';
    const metricField: Field | null = metric
      ? { kind: 'metric', name: metric, stat: 'last' }
      : null;
    const base = {
      id: spec.id,
      title: spec.title,
      colorBy: spec.colorBy,
      logScale: spec.logScale
    };
    switch (type) {
      case 'line':
        return {
          ...base,
          type,
          dataType: 'timeSeries',
          metric:
            spec.y?.kind === 'metric'
              ? spec.y.name
              : spec.metric || this.metricNames[0] || '',
          xAxis: 'step'
        };
      case 'scatter':
        return {
          ...base,
          type,
          dataType: 'summary',
          x: spec.x ?? this._defaultParameter(),
          y: spec.y ?? metricField
        };
      case 'bar':
        return {
          ...base,
          type,
          dataType: 'summary',
          y: spec.y ?? spec.x ?? metricField
        };
      case 'histogram':
        return {
          ...base,
          type,
          dataType: 'summary',
          x: spec.x ?? spec.y ?? metricField,
          bins: spec.bins ?? 10
        };
    }
  }

  /** The parameter a summary axis starts with: a numeric one whose value differs between runs, if any. */
  private _defaultParameter(): Field | null {
    let fallback: Field | null = null;
    for (const field of this.fields) {
      if (field.kind !== 'parameter') {
        continue;
      }
      const values = new Set<number>();
      for (const run of this._runs) {
        const value = run.parameters[field.name];
        if (typeof value === 'number' && Number.isFinite(value)) {
          values.add(value);
        }
      }
      if (values.size > 1) {
        return field;
      }
      if (values.size === 1 && !fallback) {
        fallback = field;
      }
    }
    return fallback;
  }

  private _newId(): string {
    const taken = new Set(this._comparison.charts.map(c => c.id));
    let n = this._comparison.charts.length + 1;
    while (taken.has(`chart-${n}`)) {
      n++;
    }
    return `chart-${n}`;
  }

  private _loadRuns: RunLoader;
  private _series: SeriesStore;
  private _describeError: (err: unknown) => string;
  private _trans: TranslationBundle;
  private _isVisible: () => boolean;
  private _poll: Poll;
  private _comparison: IComparison = emptyComparison(null);
  private _runs: IRun[] = [];
  private _missing: string[] = [];
  private _status: CompareModel.Status = 'idle';
  private _error: string | null = null;
  private _selected: string | null = null;
  private _metricNames: string[] | null = null;
  private _fields: Field[] | null = null;
  private _generation = 0;
  private _controller: AbortController | null = null;
  private _isDisposed = false;
  private _contentChanged = new Signal<this, void>(this);
  private _stateChanged = new Signal<this, void>(this);
  private _propertiesRequested = new Signal<this, void>(this);
}

/** Types of {@link CompareModel}. */
export namespace CompareModel {
  /** Loading state of the runs. */
  export type Status = 'idle' | 'loading' | 'ready' | 'error';

  /** Options of the model. */
  export interface IOptions {
    /** Loads run records by name. */
    loadRuns: RunLoader;
    /** Fetches and caches series. */
    series: SeriesStore;
    /** Turns an error into a sentence for the user. */
    describeError: (err: unknown) => string;
    /** Translations. */
    trans?: TranslationBundle;
    /** Whether the view is on screen (live refresh stands by otherwise). */
    isVisible?: () => boolean;
    /** Seconds between live refreshes while a run is in progress (default 5). */
    liveSeconds?: number;
  }
}
