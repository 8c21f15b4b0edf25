/**
 * The comparison file (`*.smcompare`): reading it with a sentence for every way it can be wrong, writing it, and
 * keeping chart properties consistent (a line chart plots a time series, the other types plot summaries). No DOM.
 */
import type { TranslationBundle } from '@jupyterlab/translation';

import {
  ChartType,
  Field,
  IChartSpec,
  IComparison,
  SUMMARY_STATS,
  TimeAxis
} from './types';

/** Chart types, in the order the "Add chart" menu lists them. */
export const CHART_TYPES: readonly ChartType[] = [
  'line',
  'scatter',
  'bar',
  'histogram'
];

/** Most bins a histogram may have. */
export const MAX_BINS = 200;

/** Longest chart title. */
export const MAX_TITLE = 200;

/** A comparison file that cannot be read; the message says why. */
export class ComparisonFormatError extends Error {}

/** Read a comparison file's text; throws {@link ComparisonFormatError} with a sentence when it is not one. */
export function parseComparison(
  text: string,
  trans: TranslationBundle
): IComparison {
  if (!text.trim()) {
    // A file just created by "New File" is empty: an empty comparison.
    return emptyComparison(null);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ComparisonFormatError(
      trans.__(
        'This comparison file is not valid JSON (%1).',
        (err as Error).message
      )
    );
  }
  const fail = (what: string): never => {
    throw new ComparisonFormatError(
      trans.__('This comparison file is malformed: %1', what)
    );
  };
  if (!isObject(raw)) {
    return fail(trans.__('the top level must be an object.'));
  }
  if (raw.version !== 1) {
    return fail(
      trans.__(
        'version %1 is not supported (this extension reads version 1).',
        JSON.stringify(raw.version ?? null)
      )
    );
  }
  const experimentName = raw.experimentName ?? null;
  if (experimentName !== null && typeof experimentName !== 'string') {
    fail(trans.__('"experimentName" must be a string or null.'));
  }
  if (
    !Array.isArray(raw.runs) ||
    raw.runs.some(name => typeof name !== 'string' || !name)
  ) {
    fail(trans.__('"runs" must be a list of run (trial component) names.'));
  }
  if (!Array.isArray(raw.charts)) {
    fail(trans.__('"charts" must be a list.'));
  }
  const ids = new Set<string>();
  const charts = (raw.charts as unknown[]).map((chart, index) => {
    const problem = chartProblem(chart, trans);
    if (problem) {
      fail(trans.__('chart %1: %2', index + 1, problem));
    }
    const spec = normalizeChart(chart as IChartSpec);
    if (ids.has(spec.id)) {
      fail(
        trans.__('chart %1: the id "%2" is used twice.', index + 1, spec.id)
      );
    }
    ids.add(spec.id);
    return spec;
  });
  return {
    version: 1,
    experimentName: experimentName as string | null,
    runs: Array.from(new Set(raw.runs as string[])),
    charts
  };
}

/** The file text of a comparison (stable key order, indented, so diffs in version control stay readable). */
export function serializeComparison(comparison: IComparison): string {
  return (
    JSON.stringify(
      {
        version: 1,
        experimentName: comparison.experimentName,
        runs: comparison.runs,
        charts: comparison.charts
      },
      null,
      2
    ) + '\n'
  );
}

/** A comparison without runs or charts. */
export function emptyComparison(experimentName: string | null): IComparison {
  return { version: 1, experimentName, runs: [], charts: [] };
}

/**
 * A chart spec with its properties made consistent: a line chart plots a time series with a step or time axis;
 * the other types plot summaries; numbers are clamped to their ranges.
 */
export function normalizeChart(spec: IChartSpec): IChartSpec {
  const out: IChartSpec = {
    id: spec.id,
    type: spec.type,
    dataType: spec.type === 'line' ? 'timeSeries' : 'summary'
  };
  if (spec.title) {
    out.title = spec.title.slice(0, MAX_TITLE);
  }
  if (spec.type === 'line') {
    out.metric = spec.metric ?? '';
    out.xAxis = spec.xAxis === 'time' ? 'time' : 'step';
    out.smoothing = clamp(spec.smoothing ?? 0, 0, 0.99);
  } else {
    if (spec.type !== 'bar') {
      out.x = spec.x ?? null;
    }
    if (spec.type !== 'histogram') {
      out.y = spec.y ?? null;
    }
    if (spec.type === 'histogram') {
      out.bins = Math.round(clamp(spec.bins ?? 10, 1, MAX_BINS));
    }
  }
  if (spec.type !== 'histogram') {
    out.colorBy = spec.colorBy ?? null;
    out.logScale = !!spec.logScale;
  }
  return out;
}

/** Why a value is not a chart spec, as a sentence; null when it is one. */
export function chartProblem(
  value: unknown,
  trans: TranslationBundle
): string | null {
  if (!isObject(value)) {
    return trans.__('a chart must be an object.');
  }
  if (typeof value.id !== 'string' || !value.id) {
    return trans.__('"id" must be a non-empty string.');
  }
  if (!CHART_TYPES.includes(value.type as ChartType)) {
    return trans.__(
      '"type" must be one of %1.',
      CHART_TYPES.map(t => `"${t}"`).join(', ')
    );
  }
  if (value.metric !== undefined && typeof value.metric !== 'string') {
    return trans.__('"metric" must be a string.');
  }
  if (
    value.xAxis !== undefined &&
    !(['step', 'time'] as TimeAxis[]).includes(value.xAxis as TimeAxis)
  ) {
    return trans.__('"xAxis" must be "step" or "time".');
  }
  for (const member of ['x', 'y', 'colorBy']) {
    const field = value[member];
    if (field !== undefined && field !== null && !isField(field)) {
      return trans.__(
        '"%1" must be null or a field ({"kind": "parameter", "name": …}, {"kind": "metric", "name": …, "stat": "last"|"min"|"max"|"avg"|"count"|"stdDev"} or {"kind": "attribute", "name": "created"|…}).',
        member
      );
    }
  }
  for (const member of ['smoothing', 'bins']) {
    const n = value[member];
    if (n !== undefined && (typeof n !== 'number' || !Number.isFinite(n))) {
      return trans.__('"%1" must be a number.', member);
    }
  }
  if (value.logScale !== undefined && typeof value.logScale !== 'boolean') {
    return trans.__('"logScale" must be true or false.');
  }
  if (value.title !== undefined && typeof value.title !== 'string') {
    return trans.__('"title" must be a string.');
  }
  return null;
}

/** Whether a value is a {@link Field}. */
export function isField(value: unknown): value is Field {
  if (!isObject(value) || typeof value.name !== 'string') {
    return false;
  }
  switch (value.kind) {
    case 'attribute':
      return ['name', 'status', 'created', 'source'].includes(value.name);
    case 'parameter':
      return value.name.length > 0;
    case 'metric':
      return (
        value.name.length > 0 &&
        (SUMMARY_STATS as readonly unknown[]).includes(value.stat)
      );
    default:
      return false;
  }
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Number.isFinite(n) ? n : lo));
}
