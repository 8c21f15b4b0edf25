/**
 * What a chart of a comparison draws: the runs' summaries or series turned into the chart component's data, with
 * colours (one per run, or by a field) and notes about runs that could not be drawn. Pure functions, no DOM.
 */
import type { TranslationBundle } from '@jupyterlab/translation';

import { categoricalColor, continuousColor } from '../charts/palette';
import type { ChartData } from '../charts/types';
import type { ISeries } from './series';
import { Field, fieldLabel, fieldValue, IChartSpec, IRun } from './types';

/** A chart's data, or why it cannot be drawn yet; plus notes about what was left out. */
export interface IChartContent {
  /** The data to draw, or null with {@link message}. */
  data: ChartData | null;
  /** Why nothing is drawn (e.g. "Choose a metric"). */
  message: string | null;
  /** What was left out, as sentences. */
  notes: string[];
}

/** The colour of each run (same order): its own colour, or by the value of `colorBy`. */
export function runColors(
  runs: readonly IRun[],
  colorBy: Field | null
): string[] {
  if (!colorBy) {
    return runs.map((_, i) => categoricalColor(i));
  }
  const values = runs.map(run => fieldValue(run, colorBy));
  const numbers = values.filter(
    (v): v is number => typeof v === 'number' && Number.isFinite(v)
  );
  if (
    numbers.length > 0 &&
    numbers.length === values.filter(v => v !== null).length
  ) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const n of numbers) {
      lo = Math.min(lo, n);
      hi = Math.max(hi, n);
    }
    const span = hi - lo;
    return values.map(v =>
      typeof v === 'number'
        ? continuousColor(span > 0 ? (v - lo) / span : 0.5)
        : NO_VALUE_COLOR
    );
  }
  // Text values: one colour per distinct value, in order of first appearance.
  const index = new Map<string, number>();
  return values.map(v => {
    if (v === null) {
      return NO_VALUE_COLOR;
    }
    const key = String(v);
    if (!index.has(key)) {
      index.set(key, index.size);
    }
    return categoricalColor(index.get(key)!);
  });
}

/** Colour of runs without a value of the colour field. */
export const NO_VALUE_COLOR = '#8c8c8c';

/** The metric names the runs logged, the most widely logged first. */
export function metricNames(runs: readonly IRun[]): string[] {
  return namesByFrequency(runs, run => run.metrics);
}

/** The parameter names of the runs, the most widely set first. */
export function parameterNames(runs: readonly IRun[]): string[] {
  return namesByFrequency(runs, run => run.parameters);
}

/** The keys of one record of each run, the most common first, then by name. */
function namesByFrequency(
  runs: readonly IRun[],
  record: (run: IRun) => Record<string, unknown>
): string[] {
  const counts = new Map<string, number>();
  for (const run of runs) {
    for (const name of Object.keys(record(run))) {
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name]) => name);
}

/** The line chart of a time-series spec, from each run's series (same order as `runs`). */
export function lineContent(
  spec: IChartSpec,
  runs: readonly IRun[],
  series: readonly ISeries[],
  trans: TranslationBundle
): IChartContent {
  if (!spec.metric) {
    return noData(trans.__('Choose a metric in the chart properties.'));
  }
  const colors = runColors(runs, spec.colorBy ?? null);
  const notes: string[] = [];
  const lines: Extract<ChartData, { kind: 'line' }>['series'] = [];
  let without = 0;
  runs.forEach((run, i) => {
    const s = series[i];
    if (!s || s.x.length === 0) {
      without++;
      return;
    }
    if (s.note) {
      notes.push(`${run.displayName}: ${s.note}`);
    }
    lines.push({
      id: run.name,
      label: run.displayName,
      x: s.x,
      y: s.y,
      color: colors[i]
    });
  });
  if (without > 0) {
    notes.push(
      trans._n(
        '%1 run has no %2 values with a step and is not drawn.',
        '%1 runs have no %2 values with a step and are not drawn.',
        without,
        spec.metric
      )
    );
  }
  if (lines.length === 0) {
    return {
      data: null,
      message: trans.__('No run has values of %1.', spec.metric),
      notes
    };
  }
  return {
    data: {
      kind: 'line',
      series: lines,
      xLabel: spec.xAxis === 'time' ? trans.__('Time') : trans.__('Step'),
      yLabel: spec.metric,
      xIsTime: spec.xAxis === 'time',
      logScale: !!spec.logScale,
      smoothing: spec.smoothing ?? 0
    },
    message: null,
    notes
  };
}

/** The scatter, bar or histogram chart of a summary spec. */
export function summaryContent(
  spec: IChartSpec,
  runs: readonly IRun[],
  trans: TranslationBundle
): IChartContent {
  const colors = runColors(runs, spec.colorBy ?? null);
  const numeric = (run: IRun, field: Field): number | null => {
    const v = fieldValue(run, field);
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  };
  const leftOut = (count: number, field: Field) =>
    trans._n(
      '%1 run has no number for %2 and is left out.',
      '%1 runs have no number for %2 and are left out.',
      count,
      fieldLabel(field)
    );
  switch (spec.type) {
    case 'scatter': {
      if (!spec.x || !spec.y) {
        return noData(
          trans.__('Choose the x and y axes in the chart properties.')
        );
      }
      const points: Extract<ChartData, { kind: 'scatter' }>['points'] = [];
      runs.forEach((run, i) => {
        const x = numeric(run, spec.x!);
        const y = numeric(run, spec.y!);
        if (x !== null && y !== null) {
          points.push({
            id: run.name,
            label: run.displayName,
            x,
            y,
            color: colors[i]
          });
        }
      });
      const notes =
        points.length < runs.length
          ? [
              leftOut(
                runs.length - points.length,
                numeric0(runs, spec.x, spec.y, numeric)
              )
            ]
          : [];
      if (points.length === 0) {
        return {
          data: null,
          message: trans.__('No run has numbers for both axes.'),
          notes
        };
      }
      return {
        data: {
          kind: 'scatter',
          points,
          xLabel: fieldLabel(spec.x),
          yLabel: fieldLabel(spec.y),
          logScale: !!spec.logScale
        },
        message: null,
        notes
      };
    }
    case 'bar': {
      if (!spec.y) {
        return noData(
          trans.__('Choose the value to show in the chart properties.')
        );
      }
      const bars: Extract<ChartData, { kind: 'bar' }>['bars'] = [];
      runs.forEach((run, i) => {
        const value = numeric(run, spec.y!);
        if (value !== null) {
          bars.push({
            id: run.name,
            label: run.displayName,
            value,
            color: colors[i]
          });
        }
      });
      const notes =
        bars.length < runs.length
          ? [leftOut(runs.length - bars.length, spec.y)]
          : [];
      if (bars.length === 0) {
        return {
          data: null,
          message: trans.__('No run has a number for %1.', fieldLabel(spec.y)),
          notes
        };
      }
      return {
        data: {
          kind: 'bar',
          bars,
          yLabel: fieldLabel(spec.y),
          logScale: !!spec.logScale
        },
        message: null,
        notes
      };
    }
    case 'histogram': {
      if (!spec.x) {
        return noData(
          trans.__(
            'Choose the value whose distribution to show in the chart properties.'
          )
        );
      }
      const values: number[] = [];
      for (const run of runs) {
        const value = numeric(run, spec.x);
        if (value !== null) {
          values.push(value);
        }
      }
      const notes =
        values.length < runs.length
          ? [leftOut(runs.length - values.length, spec.x)]
          : [];
      if (values.length === 0) {
        return {
          data: null,
          message: trans.__('No run has a number for %1.', fieldLabel(spec.x)),
          notes
        };
      }
      return {
        data: {
          kind: 'histogram',
          values,
          bins: spec.bins ?? 10,
          xLabel: fieldLabel(spec.x),
          color: categoricalColor(0)
        },
        message: null,
        notes
      };
    }
    default:
      return noData(trans.__('Line charts plot time series.'));
  }
}

function noData(message: string): IChartContent {
  return { data: null, message, notes: [] };
}

/** The axis that leaves out the most runs (named in the note about a scatter chart). */
function numeric0(
  runs: readonly IRun[],
  x: Field,
  y: Field,
  numeric: (run: IRun, field: Field) => number | null
): Field {
  const missingX = runs.filter(run => numeric(run, x) === null).length;
  const missingY = runs.filter(run => numeric(run, y) === null).length;
  return missingX >= missingY ? x : y;
}
