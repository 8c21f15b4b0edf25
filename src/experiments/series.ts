/**
 * Metric time series of runs, read with the SageMaker Metrics API's BatchGetMetrics: queries are packed 100 to a
 * call (the API's limit) with a bounded number of calls in flight, so 1,000 runs cost 10 calls rather than 1,000.
 * Series of finished runs never change and stay cached; series of runs in progress are fetched again on refresh.
 * No DOM; the client is handed in.
 */
import type {
  IBatchGetMetricsInput,
  IBatchGetMetricsOutput,
  IMetricQuery
} from '../aws/metrics';
import { nullTranslator, TranslationBundle } from '@jupyterlab/translation';

import { mapConcurrently } from '../aws/concurrency';
import type { IRun, TimeAxis } from './types';
import { isLive } from './types';

/** The BatchGetMetrics call (a MetricsClient method, or a fake in unit tests). */
export type BatchGetMetrics = (
  input: IBatchGetMetricsInput,
  options?: { signal?: AbortSignal }
) => Promise<IBatchGetMetricsOutput>;

/** One run's series of one metric. */
export interface ISeries {
  /** Steps, or epoch milliseconds on a time axis. */
  x: Float64Array;
  /** Values. */
  y: Float64Array;
  /** Set when the service did not return the whole series (Truncated, ValidationError…): a sentence. */
  note: string | null;
}

/** What fetching has cost so far (for the benchmark and the status line). */
export interface ISeriesStats {
  /** BatchGetMetrics calls sent. */
  calls: number;
  /** Metric queries sent. */
  queries: number;
  /** Series served from the cache. */
  cacheHits: number;
}

/** Largest number of queries BatchGetMetrics takes in one call. */
export const MAX_QUERIES_PER_CALL = 100;

/** Caches and fetches run series. */
export class SeriesStore {
  /** Create a store over a BatchGetMetrics call. */
  constructor(options: SeriesStore.IOptions) {
    this._batchGet = options.batchGetMetrics;
    this._concurrency = options.concurrency ?? 4;
    this._trans = options.trans ?? nullTranslator.load('jupyterlab');
  }

  /** What fetching has cost so far. */
  get stats(): Readonly<ISeriesStats> {
    return this._stats;
  }

  /**
   * The series of `metric` for each run (same order), on the chosen x axis. Cached series of finished runs are not
   * fetched again; runs in progress are, unless `reuseLive` (a redraw that does not need fresh data).
   */
  async fetch(
    runs: readonly IRun[],
    metric: string,
    axis: TimeAxis,
    options: { signal?: AbortSignal; reuseLive?: boolean } = {}
  ): Promise<ISeries[]> {
    const result = new Array<ISeries | undefined>(runs.length);
    const missing: number[] = [];
    runs.forEach((run, i) => {
      const cached = this._cache.get(Private.key(run.arn, metric, axis));
      if (cached && (!cached.live || options.reuseLive)) {
        result[i] = cached.series;
        this._stats.cacheHits++;
      } else if (!(metric in run.metrics)) {
        // The run never logged this metric: nothing to ask for.
        result[i] = Private.EMPTY;
      } else {
        missing.push(i);
      }
    });
    const batches: number[][] = [];
    for (let i = 0; i < missing.length; i += MAX_QUERIES_PER_CALL) {
      batches.push(missing.slice(i, i + MAX_QUERIES_PER_CALL));
    }
    await mapConcurrently(batches, this._concurrency, async batch => {
      const queries: IMetricQuery[] = batch.map(i => ({
        MetricName: metric,
        ResourceArn: runs[i].arn,
        MetricStat: 'Avg',
        Period: 'IterationNumber',
        XAxisType: axis === 'step' ? 'IterationNumber' : 'Timestamp'
      }));
      this._stats.calls++;
      this._stats.queries += queries.length;
      const output = await this._batchGet(
        { MetricQueries: queries },
        { signal: options.signal }
      );
      const results = output.MetricQueryResults ?? [];
      batch.forEach((runIndex, q) => {
        const series = Private.toSeries(results[q], axis, this._trans);
        const run = runs[runIndex];
        result[runIndex] = series;
        this._cache.set(Private.key(run.arn, metric, axis), {
          series,
          live: isLive(run)
        });
      });
    });
    return result as ISeries[];
  }

  /** Forget every cached series (e.g. after a region switch). */
  clear(): void {
    this._cache.clear();
  }

  private _trans: TranslationBundle;
  private _batchGet: BatchGetMetrics;
  private _concurrency: number;
  private _cache = new Map<string, { series: ISeries; live: boolean }>();
  private _stats: ISeriesStats = { calls: 0, queries: 0, cacheHits: 0 };
}

/** Types of {@link SeriesStore}. */
export namespace SeriesStore {
  /** Options of the store. */
  export interface IOptions {
    /** Sends one BatchGetMetrics call. */
    batchGetMetrics: BatchGetMetrics;
    /** Calls in flight at once (default 4, to stay clear of throttling). */
    concurrency?: number;
    /** Translations of the notes. */
    trans?: TranslationBundle;
  }
}

namespace Private {
  /** The series of a run that logged nothing of the metric. */
  export const EMPTY: ISeries = {
    x: new Float64Array(0),
    y: new Float64Array(0),
    note: null
  };

  /** Cache key of a run's metric on an axis. */
  export function key(arn: string, metric: string, axis: TimeAxis): string {
    return `${arn}\u0000${metric}\u0000${axis}`;
  }

  /** A query result as typed arrays, sorted by x; timestamps become milliseconds. */
  export function toSeries(
    result: IBatchGetMetricsOutput['MetricQueryResults'] extends
      (infer R)[] | undefined
      ? R | undefined
      : never,
    axis: TimeAxis,
    trans: TranslationBundle
  ): ISeries {
    if (!result) {
      return { ...EMPTY, note: trans.__('The service returned no result.') };
    }
    const xs = result.XAxisValues ?? [];
    const ys = result.MetricValues ?? [];
    const n = Math.min(xs.length, ys.length);
    let sorted = true;
    for (let i = 1; i < n; i++) {
      if (xs[i] < xs[i - 1]) {
        sorted = false;
        break;
      }
    }
    // The service returns points in x order; only an out-of-order answer pays for an index sort.
    const order = sorted
      ? null
      : Array.from({ length: n }, (_, i) => i).sort((a, b) => xs[a] - xs[b]);
    const scale = axis === 'time' ? 1000 : 1;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const j = order ? order[i] : i;
      x[i] = xs[j] * scale;
      y[i] = ys[j];
    }
    let note: string | null = null;
    if (result.Status === 'Truncated') {
      note = trans.__(
        'Only the first %1 values were returned (the series is longer).',
        n
      );
    } else if (result.Status !== 'Complete') {
      note =
        result.Message ||
        trans.__('The series could not be read (%1).', result.Status);
    }
    return { x, y, note };
  }
}
