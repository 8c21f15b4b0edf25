/**
 * Tests of run comparisons without a browser: the series store (100 queries a call, bounded concurrency, cache of
 * finished runs, live runs fetched again), the comparison file (round trip, every malformed shape a sentence),
 * chart content (colours, left-out runs) and the comparison model (charts added, retyped, removed; runs loaded).
 */
import { nullTranslator } from '@jupyterlab/translation';

import type {
  IBatchGetMetricsInput,
  IBatchGetMetricsOutput
} from '../aws/metrics';
import {
  lineContent,
  runColors,
  summaryContent
} from '../experiments/chartData';
import { CompareModel } from '../experiments/compareModel';
import {
  ComparisonFormatError,
  normalizeChart,
  parseComparison,
  serializeComparison
} from '../experiments/comparison';
import { SeriesStore } from '../experiments/series';
import type { IComparison, IRun } from '../experiments/types';

const trans = nullTranslator.load('jupyterlab_sagemaker_studio');

function run(i: number, extra: Partial<IRun> = {}): IRun {
  return {
    name: `run-${i}`,
    arn: `arn:aws:sagemaker:us-east-1:123456789012:experiment-trial-component/run-${i}`,
    displayName: `run-${i}`,
    experimentName: 'exp',
    trialName: 'trial',
    status: 'Completed',
    created: 1_700_000_000_000 + i,
    lastModified: null,
    sourceArn: null,
    sourceType: null,
    parameters: { lr: 0.01 * (i + 1), optimizer: i % 2 ? 'adam' : 'sgd' },
    metrics: {
      'train:loss': {
        last: 1 / (i + 1),
        min: 0.5 / (i + 1),
        max: 2,
        avg: 1,
        count: 10,
        stdDev: 0.1,
        timestamp: null
      }
    },
    ...extra
  };
}

/** A fake BatchGetMetrics: each run's series is x = 0..2, y = run index; counts calls and peak concurrency. */
function fakeMetrics() {
  const state = { calls: 0, inFlight: 0, peak: 0, sizes: [] as number[] };
  const call = async (
    input: IBatchGetMetricsInput
  ): Promise<IBatchGetMetricsOutput> => {
    state.calls++;
    state.inFlight++;
    state.peak = Math.max(state.peak, state.inFlight);
    state.sizes.push(input.MetricQueries.length);
    await new Promise(resolve => setTimeout(resolve, 5));
    state.inFlight--;
    return {
      MetricQueryResults: input.MetricQueries.map(q => {
        const i = Number(q.ResourceArn.split('run-')[1]);
        return {
          Status: 'Complete',
          XAxisValues: [2, 0, 1],
          MetricValues: [i + 0.2, i, i + 0.1]
        };
      })
    };
  };
  return { state, call };
}

describe('SeriesStore', () => {
  it('packs 100 queries a call with at most `concurrency` calls in flight, sorted by x', async () => {
    const { state, call } = fakeMetrics();
    const store = new SeriesStore({ batchGetMetrics: call, concurrency: 3 });
    const runs = Array.from({ length: 1000 }, (_, i) => run(i));
    const series = await store.fetch(runs, 'train:loss', 'step');
    expect(state.calls).toBe(10);
    expect(state.sizes.every(n => n === 100)).toBe(true);
    expect(state.peak).toBeLessThanOrEqual(3);
    expect(Array.from(series[7].x)).toEqual([0, 1, 2]);
    expect(Array.from(series[7].y)).toEqual([7, 7.1, 7.2]);
    expect(store.stats).toEqual({ calls: 10, queries: 1000, cacheHits: 0 });
  });

  it('serves finished runs from the cache and fetches runs in progress again', async () => {
    const { state, call } = fakeMetrics();
    const store = new SeriesStore({ batchGetMetrics: call });
    const runs = [run(0), run(1, { status: 'InProgress' })];
    await store.fetch(runs, 'train:loss', 'step');
    await store.fetch(runs, 'train:loss', 'step');
    expect(state.calls).toBe(2);
    expect(state.sizes).toEqual([2, 1]);
    expect(store.stats.cacheHits).toBe(1);
    // A redraw may reuse live series.
    await store.fetch(runs, 'train:loss', 'step', { reuseLive: true });
    expect(state.calls).toBe(2);
  });

  it('asks nothing for runs that never logged the metric, and scales time to ms', async () => {
    const { state, call } = fakeMetrics();
    const store = new SeriesStore({ batchGetMetrics: call });
    const empty = await store.fetch([run(0)], 'validation:auc', 'step');
    expect(state.calls).toBe(0);
    expect(empty[0].x.length).toBe(0);
    const timed = await store.fetch([run(3)], 'train:loss', 'time');
    expect(Array.from(timed[0].x)).toEqual([0, 1000, 2000]);
  });

  it('keeps a note for truncated and failed results', async () => {
    const store = new SeriesStore({
      batchGetMetrics: async () => ({
        MetricQueryResults: [
          { Status: 'Truncated', XAxisValues: [1], MetricValues: [1] },
          {
            Status: 'ValidationError',
            Message: 'No such resource.',
            XAxisValues: [],
            MetricValues: []
          }
        ]
      })
    });
    const [a, b] = await store.fetch([run(0), run(1)], 'train:loss', 'step');
    expect(a.note).toMatch(/Only the first 1 values/);
    expect(b.note).toBe('No such resource.');
  });
});

describe('comparison files', () => {
  const comparison: IComparison = {
    version: 1,
    experimentName: 'exp',
    runs: ['run-0', 'run-1'],
    charts: [
      {
        id: 'chart-1',
        type: 'line',
        dataType: 'timeSeries',
        metric: 'train:loss',
        xAxis: 'step',
        smoothing: 0.5,
        colorBy: null,
        logScale: true
      },
      {
        id: 'chart-2',
        type: 'scatter',
        dataType: 'summary',
        x: { kind: 'parameter', name: 'lr' },
        y: { kind: 'metric', name: 'train:loss', stat: 'last' },
        colorBy: { kind: 'parameter', name: 'optimizer' },
        logScale: false
      }
    ]
  };

  it('round-trips', () => {
    expect(parseComparison(serializeComparison(comparison), trans)).toEqual(
      comparison
    );
  });

  it('reads an empty file as an empty comparison', () => {
    expect(parseComparison('  \n', trans).charts).toEqual([]);
  });

  it.each([
    ['{', /not valid JSON/],
    ['[]', /top level must be an object/],
    ['{"version": 2, "runs": [], "charts": []}', /version 2 is not supported/],
    ['{"version": 1, "runs": "a", "charts": []}', /"runs" must be a list/],
    ['{"version": 1, "runs": [], "charts": {}}', /"charts" must be a list/],
    [
      '{"version": 1, "runs": [], "charts": [{"id": "a", "type": "pie"}]}',
      /chart 1: "type" must be one of/
    ],
    [
      '{"version": 1, "runs": [], "charts": [{"id": "a", "type": "bar", "y": {"kind": "metric", "name": "m", "stat": "median"}}]}',
      /chart 1: "y" must be null or a field/
    ],
    [
      '{"version": 1, "runs": [], "charts": [{"id": "a", "type": "bar"}, {"id": "a", "type": "line"}]}',
      /chart 2: the id "a" is used twice/
    ],
    [
      '{"version": 1, "runs": [], "charts": [{"id": "a", "type": "histogram", "bins": "ten"}]}',
      /"bins" must be a number/
    ]
  ])('refuses %s with a sentence', (text, message) => {
    expect(() => parseComparison(text, trans)).toThrow(ComparisonFormatError);
    expect(() => parseComparison(text, trans)).toThrow(message);
  });

  it('keeps chart properties consistent', () => {
    expect(
      normalizeChart({
        id: 'a',
        type: 'line',
        dataType: 'summary',
        smoothing: 3
      })
    ).toEqual({
      id: 'a',
      type: 'line',
      dataType: 'timeSeries',
      metric: '',
      xAxis: 'step',
      smoothing: 0.99,
      colorBy: null,
      logScale: false
    });
    expect(
      normalizeChart({
        id: 'h',
        type: 'histogram',
        dataType: 'timeSeries',
        bins: 1000
      }).bins
    ).toBe(200);
  });
});

describe('chart content', () => {
  it('colours runs by a numeric field on a ramp and by text values per value', () => {
    const runs = [run(0), run(1), run(2)];
    const byLr = runColors(runs, { kind: 'parameter', name: 'lr' });
    expect(new Set(byLr).size).toBe(3);
    const byOptimizer = runColors(runs, {
      kind: 'parameter',
      name: 'optimizer'
    });
    expect(byOptimizer[0]).toBe(byOptimizer[2]);
    expect(byOptimizer[0]).not.toBe(byOptimizer[1]);
  });

  it('leaves out runs without numbers and says so', () => {
    const runs = [run(0), run(1, { parameters: { optimizer: 'adam' } })];
    const content = summaryContent(
      {
        id: 's',
        type: 'scatter',
        dataType: 'summary',
        x: { kind: 'parameter', name: 'lr' },
        y: { kind: 'metric', name: 'train:loss', stat: 'last' }
      },
      runs,
      trans
    );
    expect(content.data?.kind).toBe('scatter');
    expect(
      content.data && 'points' in content.data && content.data.points.length
    ).toBe(1);
    expect(content.notes[0]).toMatch(/1 run has no number for lr/);
  });

  it('asks for a metric before drawing a line chart, and notes runs without values', () => {
    expect(
      lineContent(
        { id: 'l', type: 'line', dataType: 'timeSeries' },
        [],
        [],
        trans
      ).message
    ).toMatch(/Choose a metric/);
    const series = [
      { x: new Float64Array([0, 1]), y: new Float64Array([1, 2]), note: null },
      { x: new Float64Array(0), y: new Float64Array(0), note: null }
    ];
    const content = lineContent(
      {
        id: 'l',
        type: 'line',
        dataType: 'timeSeries',
        metric: 'train:loss',
        xAxis: 'step'
      },
      [run(0), run(1)],
      series,
      trans
    );
    expect(content.data?.kind).toBe('line');
    expect(content.notes[0]).toMatch(/1 run has no train:loss values/);
  });
});

describe('CompareModel', () => {
  function model(runs: IRun[], loadRuns?: CompareModel.IOptions['loadRuns']) {
    const { call } = fakeMetrics();
    return new CompareModel({
      loadRuns:
        loadRuns ?? (async names => runs.filter(r => names.includes(r.name))),
      series: new SeriesStore({ batchGetMetrics: call }),
      describeError: err => `Failed: ${(err as Error).message}`,
      trans
    });
  }
  const ready = (m: CompareModel) =>
    new Promise<void>(resolve => {
      const check = () => {
        if (m.status === 'ready' || m.status === 'error') {
          m.stateChanged.disconnect(check);
          resolve();
        }
      };
      m.stateChanged.connect(check);
      check();
    });

  it('loads the named runs in order and lists the missing ones', async () => {
    const m = model([run(0), run(1)]);
    m.setComparison({
      version: 1,
      experimentName: 'exp',
      runs: ['run-1', 'gone', 'run-0'],
      charts: []
    });
    await ready(m);
    expect(m.runs.map(r => r.name)).toEqual(['run-1', 'run-0']);
    expect(m.missingRuns).toEqual(['gone']);
    expect(m.metricNames).toEqual(['train:loss']);
    m.dispose();
  });

  it('adds, retypes and removes charts, each change announced for the file', async () => {
    const m = model([run(0), run(1)]);
    m.setComparison({
      version: 1,
      experimentName: null,
      runs: ['run-0', 'run-1'],
      charts: []
    });
    await ready(m);
    let changes = 0;
    m.contentChanged.connect(() => changes++);
    const line = m.addChart('line');
    expect(line).toMatchObject({
      type: 'line',
      metric: 'train:loss',
      xAxis: 'step'
    });
    expect(m.selectedChartId).toBe(line.id);
    const scatter = m.addChart('scatter');
    expect(scatter.x).toEqual({ kind: 'parameter', name: 'lr' });
    m.updateChart(line.id, { type: 'bar' });
    expect(m.comparison.charts[0]).toMatchObject({
      type: 'bar',
      dataType: 'summary',
      y: { kind: 'metric', name: 'train:loss', stat: 'last' }
    });
    m.removeChart(line.id);
    expect(m.comparison.charts.map(c => c.id)).toEqual([scatter.id]);
    expect(m.selectedChartId).toBe(scatter.id);
    expect(changes).toBe(4);
    const content = await m.chartContent(m.comparison.charts[0]);
    expect(content.data?.kind).toBe('scatter');
    m.dispose();
  });

  it('shows a failed load as a sentence', async () => {
    const m = model([], async () => {
      throw new Error('throttled');
    });
    m.setComparison({
      version: 1,
      experimentName: null,
      runs: ['a'],
      charts: []
    });
    await ready(m);
    expect(m.status).toBe('error');
    expect(m.error).toBe('Failed: throttled');
    m.dispose();
  });

  it('refreshes runs in progress live, and stands by once they finish', async () => {
    let loads = 0;
    let status = 'InProgress';
    const m = new CompareModel({
      loadRuns: async () => {
        loads++;
        return [run(0, { status })];
      },
      series: new SeriesStore({ batchGetMetrics: fakeMetrics().call }),
      describeError: err => String(err),
      trans,
      liveSeconds: 0.05
    });
    m.setComparison({
      version: 1,
      experimentName: null,
      runs: ['run-0'],
      charts: []
    });
    await ready(m);
    expect(m.hasLive).toBe(true);
    await new Promise(resolve => setTimeout(resolve, 400));
    expect(loads).toBeGreaterThan(2);
    status = 'Completed';
    await new Promise(resolve => setTimeout(resolve, 200));
    const settled = loads;
    expect(m.hasLive).toBe(false);
    await new Promise(resolve => setTimeout(resolve, 300));
    expect(loads).toBe(settled);
    m.dispose();
  });
});
