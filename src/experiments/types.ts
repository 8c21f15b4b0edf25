/**
 * The shapes the experiments feature shares between its data layer, its models, its views and the comparison
 * file: runs (trial components) with their parameters and metric summaries, the fields a column or a chart axis
 * can show, and a chart's properties. No DOM, no SDK.
 */

/** The statistics of a metric summary, as Search returns them (`TrialComponentMetricSummary`). */
export type SummaryStat = 'last' | 'min' | 'max' | 'avg' | 'count' | 'stdDev';

/** Every summary statistic, in the order columns show them. */
export const SUMMARY_STATS: readonly SummaryStat[] = [
  'last',
  'min',
  'max',
  'avg',
  'count',
  'stdDev'
];

/** The summary of one metric of one run. */
export interface IMetricSummary {
  /** Last logged value. */
  last: number | null;
  /** Smallest value. */
  min: number | null;
  /** Largest value. */
  max: number | null;
  /** Mean. */
  avg: number | null;
  /** Number of values. */
  count: number | null;
  /** Standard deviation. */
  stdDev: number | null;
  /** When the metric was last logged (ms since epoch), if known. */
  timestamp: number | null;
}

/** One run: a trial component, as the Search API returns it. */
export interface IRun {
  /** TrialComponentName (the SDK writes it lower case). */
  name: string;
  /** TrialComponentArn (what BatchGetMetrics queries). */
  arn: string;
  /** DisplayName, else the name. */
  displayName: string;
  /** Parents' experiment name, when the run belongs to one. */
  experimentName: string | null;
  /** Parents' trial (run group) name, when the run belongs to one. */
  trialName: string | null;
  /** Status.PrimaryStatus: InProgress, Completed, Failed, Stopping, Stopped, or '' when unset. */
  status: string;
  /** CreationTime in ms since epoch. */
  created: number | null;
  /** LastModifiedTime in ms since epoch. */
  lastModified: number | null;
  /** Source.SourceArn (a training/processing job…), when a SageMaker job created the run. */
  sourceArn: string | null;
  /** Source.SourceType, e.g. SageMakerTrainingJob. */
  sourceType: string | null;
  /** Parameters: NumberValue or StringValue per name. */
  parameters: Record<string, number | string>;
  /** Metric summaries by metric name. */
  metrics: Record<string, IMetricSummary>;
}

/** Whether a run was created by a SageMaker job (its Source names a job), as Studio's "show jobs" toggle reads it. */
export function isJobRun(run: IRun): boolean {
  return run.sourceArn !== null && run.sourceArn !== '';
}

/** Whether a run may still log metrics (its series are refreshed live rather than cached for good). */
export function isLive(run: IRun): boolean {
  return run.status === 'InProgress' || run.status === 'Stopping';
}

/**
 * What a table column or a chart axis shows: an attribute of the run, a parameter, or one statistic of a metric's
 * summary. Stored as is in comparison files, so metric names with colons or underscores never need parsing.
 */
export type Field =
  | { kind: 'attribute'; name: 'name' | 'status' | 'created' | 'source' }
  | { kind: 'parameter'; name: string }
  | { kind: 'metric'; name: string; stat: SummaryStat };

/** A stable string key of a field (for maps, React keys and select options). */
export function fieldKey(field: Field): string {
  switch (field.kind) {
    case 'attribute':
      return `attribute\u0000${field.name}`;
    case 'parameter':
      return `parameter\u0000${field.name}`;
    case 'metric':
      return `metric\u0000${field.name}\u0000${field.stat}`;
  }
}

/** The field of a key made by {@link fieldKey}, or null for anything else. */
export function fieldFromKey(key: string): Field | null {
  const parts = key.split('\u0000');
  if (parts[0] === 'attribute' && parts.length === 2) {
    const name = parts[1];
    if (
      name === 'name' ||
      name === 'status' ||
      name === 'created' ||
      name === 'source'
    ) {
      return { kind: 'attribute', name };
    }
    return null;
  }
  if (parts[0] === 'parameter' && parts.length === 2) {
    return { kind: 'parameter', name: parts[1] };
  }
  if (
    parts[0] === 'metric' &&
    parts.length === 3 &&
    (SUMMARY_STATS as readonly string[]).includes(parts[2])
  ) {
    return { kind: 'metric', name: parts[1], stat: parts[2] as SummaryStat };
  }
  return null;
}

/** Studio's column label of a field: the parameter's name, or `<metric>_<stat>` (e.g. `validation:error_last`). */
export function fieldLabel(field: Field): string {
  switch (field.kind) {
    case 'attribute':
      return field.name;
    case 'parameter':
      return field.name;
    case 'metric':
      return `${field.name}_${field.stat}`;
  }
}

/** The value of a field for a run: a number, a string, or null when the run has none. */
export function fieldValue(run: IRun, field: Field): number | string | null {
  switch (field.kind) {
    case 'attribute':
      switch (field.name) {
        case 'name':
          return run.displayName;
        case 'status':
          return run.status;
        case 'created':
          return run.created;
        case 'source':
          return run.sourceType ?? (run.sourceArn ? run.sourceArn : null);
      }
      return null;
    case 'parameter':
      return run.parameters[field.name] ?? null;
    case 'metric':
      return run.metrics[field.name]?.[field.stat] ?? null;
  }
}

/** Kinds of chart in a comparison. */
export type ChartType = 'line' | 'scatter' | 'bar' | 'histogram';

/** What a chart plots: the summaries of the runs, or metric values over steps or time. */
export type DataType = 'summary' | 'timeSeries';

/** The x axis of a time-series chart. */
export type TimeAxis = 'step' | 'time';

/** The properties of one chart of a comparison (what the right-sidebar property pane edits). */
export interface IChartSpec {
  /** Unique within its comparison. */
  id: string;
  /** Chart type. */
  type: ChartType;
  /** Line charts plot time series; scatter, bar and histogram charts plot summaries. */
  dataType: DataType;
  /** Time series: the metric name (y). */
  metric?: string;
  /** Time series: the x axis. */
  xAxis?: TimeAxis;
  /** Summary charts: x field (scatter), or the field whose distribution a histogram shows. */
  x?: Field | null;
  /** Summary charts: y field (scatter, bar). */
  y?: Field | null;
  /** Colour runs by this field (null: each run its own colour). */
  colorBy?: Field | null;
  /** Logarithmic y axis. */
  logScale?: boolean;
  /** Exponential-moving-average smoothing of line charts, 0 (none) to 0.99. */
  smoothing?: number;
  /** Histogram: number of bins. */
  bins?: number;
  /** Optional title; charts describe themselves when empty. */
  title?: string;
}

/** A saved comparison: the runs it compares and its charts. */
export interface IComparison {
  /** Format version of the file. */
  version: 1;
  /** Experiment the runs came from (for the title and to find new runs), if one. */
  experimentName: string | null;
  /** The compared runs by trial component name. */
  runs: string[];
  /** The charts, in display order. */
  charts: IChartSpec[];
}

/** File extension of saved comparisons. */
export const COMPARISON_EXTENSION = '.smcompare';
