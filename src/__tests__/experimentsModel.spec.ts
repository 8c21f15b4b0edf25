/**
 * Tests of the experiments models against fake calls: the sidebar tree (expansion, show jobs, errors) and the run
 * table (columns, sort, filter, selection, paging, errors).
 */
import { nullTranslator } from '@jupyterlab/translation';

import { AwsServiceError, describeAwsError } from '../aws/errors';
import {
  compileFilter,
  ExperimentsModel,
  RunTableModel
} from '../experiments/model';
import type { Field, IMetricSummary, IRun } from '../experiments/types';

const trans = nullTranslator.load('jupyterlab_sagemaker_studio');
const describeError = (err: unknown) => describeAwsError(err, trans);

/** A metric summary whose statistics are all `value`. */
function metric(value: number): IMetricSummary {
  return {
    last: value,
    min: value,
    max: value,
    avg: value,
    count: 1,
    stdDev: 0,
    timestamp: null
  };
}

/** A run with defaults. */
function run(name: string, extra: Partial<IRun> = {}): IRun {
  return {
    name,
    arn: `arn:${name}`,
    displayName: name,
    experimentName: 'exp',
    trialName: 'exp-baseline',
    status: 'Completed',
    created: 1000,
    lastModified: 1000,
    sourceArn: null,
    sourceType: null,
    parameters: {},
    metrics: {},
    ...extra
  };
}

/** A Search fake yielding `pages`, recording queries; `fail` throws at that page index. */
function fakeSearch(pages: IRun[][], fail?: { at: number; error: Error }) {
  const queries: ExperimentsModel.IRunQuery[] = [];
  const searchRuns: ExperimentsModel.SearchRuns = async function* (query) {
    queries.push(query);
    for (let i = 0; i < pages.length; i++) {
      await new Promise(r => setTimeout(r, 1));
      if (fail && fail.at === i) {
        throw fail.error;
      }
      yield pages[i];
    }
    if (fail && fail.at >= pages.length) {
      throw fail.error;
    }
  };
  return { searchRuns, queries };
}

const throttled = () =>
  new AwsServiceError('ThrottlingException', 'Rate exceeded', {
    httpStatusCode: 400
  });

/** A table model over fake pages. */
function table(pages: IRun[][], options: Partial<RunTableModel.IOptions> = {}) {
  const fake = fakeSearch(pages);
  const model = new RunTableModel({
    experimentName: 'exp',
    searchRuns: fake.searchRuns,
    describeError,
    ...options
  });
  return { model, queries: fake.queries };
}

const name: Field = { kind: 'attribute', name: 'name' };
const eta: Field = { kind: 'parameter', name: 'eta' };
const errorLast: Field = {
  kind: 'metric',
  name: 'validation:error',
  stat: 'last'
};

describe('RunTableModel', () => {
  it('shows the first page, then grows page by page', async () => {
    const { model, queries } = table([[run('a'), run('b')], [run('c')]]);
    const counts: number[] = [];
    model.changed.connect(() => counts.push(model.runs.length));
    await model.ensureLoaded();
    expect(queries).toEqual([{ experimentName: 'exp' }]);
    expect(model.status).toBe('ready');
    expect(model.runs.map(r => r.name)).toEqual(['a', 'b', 'c']);
    expect(counts).toContain(2);
    expect(model.isLoading).toBe(false);
    expect(model.updatedAt).not.toBeNull();
  });

  it('derives columns from all runs, with default visibility', async () => {
    const { model } = table([
      [
        run('a', { parameters: { eta: 0.1 } }),
        run('b', {
          parameters: { depth: 3 },
          metrics: { 'validation:error': metric(0.2) }
        })
      ]
    ]);
    await model.refresh();
    const labels = model.columns.map(f =>
      f.kind === 'metric' ? `${f.name}_${f.stat}` : f.name
    );
    expect(labels).toEqual([
      'name',
      'status',
      'created',
      'source',
      'depth',
      'eta',
      'validation:error_last',
      'validation:error_min',
      'validation:error_max',
      'validation:error_avg',
      'validation:error_count',
      'validation:error_stdDev'
    ]);
    expect(model.visibleColumns.map(f => f.name)).toEqual([
      'name',
      'status',
      'created',
      'source',
      'depth',
      'eta',
      'validation:error'
    ]);
    model.setColumnVisible(
      { kind: 'metric', name: 'validation:error', stat: 'max' },
      true
    );
    model.setColumnVisible(eta, false);
    model.setColumnVisible(name, false);
    expect(model.visibleColumns.map(f => f.name)).toEqual([
      'name',
      'status',
      'created',
      'source',
      'depth',
      'validation:error',
      'validation:error'
    ]);
    model.resetColumns();
    expect(model.isColumnVisible(eta)).toBe(true);
  });

  it('sorts numbers numerically, text naturally, missing values last', async () => {
    const { model } = table([
      [
        run('r1', { parameters: { eta: 10 } }),
        run('r2', { parameters: { eta: 9 } }),
        run('r3'),
        run('r10', { parameters: { eta: 0.5 } })
      ]
    ]);
    await model.refresh();
    model.toggleSort(eta);
    expect(model.sort.direction).toBe('asc');
    expect(model.rows.map(r => r.name)).toEqual(['r10', 'r2', 'r1', 'r3']);
    model.toggleSort(eta);
    expect(model.sort.direction).toBe('desc');
    expect(model.rows.map(r => r.name)).toEqual(['r1', 'r2', 'r10', 'r3']);
    model.toggleSort(name);
    expect(model.rows.map(r => r.name)).toEqual(['r1', 'r2', 'r3', 'r10']);
  });

  it('sorts by a metric statistic with runs lacking it last', async () => {
    const { model } = table([
      [
        run('a', { metrics: { 'validation:error': metric(0.3) } }),
        run('b'),
        run('c', { metrics: { 'validation:error': metric(0.1) } })
      ]
    ]);
    await model.refresh();
    model.setSort({ field: errorLast, direction: 'desc' });
    expect(model.rows.map(r => r.name)).toEqual(['a', 'c', 'b']);
  });

  it('filters by words and by column comparisons, never throwing', async () => {
    const { model } = table([
      [
        run('alpha', {
          parameters: { eta: 0.1, booster: 'gbtree' },
          metrics: { 'validation:error': metric(0.05) }
        }),
        run('beta', {
          status: 'Failed',
          parameters: { eta: 0.3, booster: 'dart' }
        }),
        run('gamma', { parameters: { eta: 0.2 } })
      ]
    ]);
    await model.refresh();
    const names = () => model.rows.map(r => r.name).sort();
    model.setFilter('DART');
    expect(names()).toEqual(['beta']);
    model.setFilter('failed beta');
    expect(names()).toEqual(['beta']);
    model.setFilter('eta>=0.2');
    expect(names()).toEqual(['beta', 'gamma']);
    model.setFilter('validation:error_last<0.1');
    expect(names()).toEqual(['alpha']);
    model.setFilter('booster!=dart');
    expect(names()).toEqual(['alpha', 'gamma']);
    for (const bad of ['(', '[a-', '\\', 'eta>', '>', '=x', 'eta>abc', '*']) {
      expect(() => {
        model.setFilter(bad);
        return model.rows;
      }).not.toThrow();
    }
    model.setFilter('   ');
    expect(names()).toEqual(['alpha', 'beta', 'gamma']);
  });

  it('reads an unknown column comparison as a word', () => {
    const matches = compileFilter('foo=bar', []);
    expect(matches(run('x', { parameters: { p: 'foo=bar' } }))).toBe(true);
    expect(matches(run('y'))).toBe(false);
  });

  it('hides runs created by jobs unless shown', async () => {
    const job = run('job', {
      sourceArn: 'arn:aws:sagemaker:us-east-1:1:training-job/t',
      sourceType: 'SageMakerTrainingJob'
    });
    const { model } = table([[run('a'), job]]);
    await model.refresh();
    expect(model.rows.map(r => r.name)).toEqual(['a']);
    expect(model.shownRuns).toHaveLength(1);
    model.setShowJobs(true);
    expect(model.rows.map(r => r.name).sort()).toEqual(['a', 'job']);
    const { model: shown } = table([[job]], { showJobs: true });
    await shown.refresh();
    expect(shown.rows).toHaveLength(1);
  });

  it('selects a shift-range over the filtered, sorted rows', async () => {
    const runs = ['a', 'b', 'c', 'd', 'e', 'f'].map((n, i) =>
      run(n, { parameters: { keep: i % 2 === 0 ? 'yes' : 'no' } })
    );
    const { model } = table([runs]);
    await model.refresh();
    model.setSort({ field: name, direction: 'desc' });
    model.setFilter('yes');
    expect(model.rows.map(r => r.name)).toEqual(['e', 'c', 'a']);
    model.toggleSelection('e');
    model.toggleSelection('a', { shift: true });
    expect([...model.selection].sort()).toEqual(['a', 'c', 'e']);
    expect(model.filteredSelection).toBe('all');
    // Shift-click on a selected row unselects the range back to the anchor.
    model.toggleSelection('c', { shift: true });
    expect([...model.selection]).toEqual(['e']);
    // Without an anchor in the rows, a shift-click toggles one run.
    model.setFilter('');
    model.clearSelection();
    model.toggleSelection('b', { shift: true });
    expect([...model.selection]).toEqual(['b']);
  });

  it('selects all filtered rows and keeps the selection across sort, filter and refresh', async () => {
    const fake = fakeSearch([[run('a'), run('b'), run('c')]]);
    const model = new RunTableModel({
      experimentName: 'exp',
      searchRuns: fake.searchRuns,
      describeError
    });
    await model.refresh();
    model.setFilter('b');
    model.selectAllFiltered();
    expect(model.selectedNames).toEqual(['b']);
    model.setFilter('');
    expect(model.filteredSelection).toBe('some');
    model.toggleAllFiltered();
    expect(model.filteredSelection).toBe('all');
    model.toggleAllFiltered();
    expect(model.filteredSelection).toBe('none');
    model.toggleSelection('a');
    model.toggleSelection('c');
    model.setSort({ field: name, direction: 'desc' });
    await model.refresh();
    expect(model.selectedNames).toEqual(['c', 'a']);
  });

  it('drops selected runs that disappeared after a refresh', async () => {
    let pages = [[run('a'), run('b')]];
    const model = new RunTableModel({
      experimentName: 'exp',
      searchRuns: (q, s) => fakeSearch(pages).searchRuns(q, s),
      describeError
    });
    await model.refresh();
    model.selectAllFiltered();
    pages = [[run('b')]];
    await model.refresh();
    expect(model.selectedNames).toEqual(['b']);
  });

  it('shows the error sentence when the first page fails, and recovers on retry', async () => {
    let fail = true;
    const model = new RunTableModel({
      experimentName: 'exp',
      searchRuns: (q, s) =>
        fakeSearch(
          [[run('a')]],
          fail ? { at: 0, error: throttled() } : undefined
        ).searchRuns(q, s),
      describeError
    });
    await model.refresh();
    expect(model.status).toBe('error');
    expect(model.error).toMatch(/\S/);
    expect(model.error).not.toMatch(/at .*\(/);
    expect(model.rows).toHaveLength(0);
    fail = false;
    await model.refresh();
    expect(model.status).toBe('ready');
    expect(model.error).toBeNull();
    expect(model.rows).toHaveLength(1);
  });

  it('keeps the loaded pages when a later page fails', async () => {
    const fake = fakeSearch([[run('a')], [run('b')]], {
      at: 1,
      error: throttled()
    });
    const model = new RunTableModel({
      experimentName: 'exp',
      searchRuns: fake.searchRuns,
      describeError
    });
    await model.refresh();
    expect(model.status).toBe('ready');
    expect(model.rows.map(r => r.name)).toEqual(['a']);
    expect(model.error).toMatch(/\S/);
  });

  it('stops at maxRuns and says so', async () => {
    const { model } = table(
      [[run('a'), run('b')], [run('c'), run('d')], [run('e')]],
      { maxRuns: 3 }
    );
    await model.refresh();
    expect(model.runs).toHaveLength(3);
    expect(model.truncated).toBe(true);
  });

  it('ignores an older refresh that answers late', async () => {
    const { model } = table([[run('a')]]);
    const first = model.refresh();
    const second = model.refresh();
    await Promise.all([first, second]);
    expect(model.runs).toHaveLength(1);
    expect(model.isLoading).toBe(false);
  });
});

/** A fake API for the sidebar. */
function fakeApi(
  options: {
    failExperiments?: boolean;
    failTrials?: boolean;
    runs?: IRun[];
  } = {}
) {
  const calls: string[] = [];
  const api: ExperimentsModel.IApi = {
    listExperiments: async () => {
      calls.push('experiments');
      await new Promise(r => setTimeout(r, 1));
      if (options.failExperiments) {
        throw throttled();
      }
      return [
        {
          name: 'b-exp',
          arn: 'arn:b',
          displayName: 'b-exp',
          created: 2,
          lastModified: 5
        },
        {
          name: 'a-exp',
          arn: 'arn:a',
          displayName: 'a-exp',
          created: 1,
          lastModified: 9
        },
        {
          name: 'c-exp',
          arn: 'arn:c',
          displayName: 'c-exp',
          created: 3,
          lastModified: null
        }
      ];
    },
    listTrials: async experimentName => {
      calls.push(`trials:${experimentName}`);
      await new Promise(r => setTimeout(r, 1));
      if (options.failTrials) {
        throw throttled();
      }
      return [
        {
          name: `${experimentName}-baseline`,
          arn: '',
          displayName: 'baseline',
          experimentName,
          created: 1,
          lastModified: 1
        }
      ];
    },
    searchRuns: async function* (query) {
      calls.push(`runs:${query.experimentName}/${query.trialName}`);
      await new Promise(r => setTimeout(r, 1));
      yield options.runs ?? [];
    }
  };
  return { api, calls };
}

/** Wait until the model has no fetch running. */
async function settle(): Promise<void> {
  await new Promise(r => setTimeout(r, 10));
}

describe('ExperimentsModel', () => {
  it('lists, searches and sorts experiments', async () => {
    const { api } = fakeApi();
    const model = new ExperimentsModel({ api, describeError });
    expect(model.status).toBe('idle');
    await model.ensureLoaded();
    expect(model.items.map(e => e.name)).toEqual(['c-exp', 'b-exp', 'a-exp']);
    model.setSort({ by: 'name', order: 'asc' });
    expect(model.items.map(e => e.name)).toEqual(['a-exp', 'b-exp', 'c-exp']);
    model.setSort({ by: 'modified', order: 'desc' });
    expect(model.items.map(e => e.name)).toEqual(['a-exp', 'b-exp', 'c-exp']);
    model.setSort({ by: 'modified', order: 'asc' });
    expect(model.items.map(e => e.name)).toEqual(['b-exp', 'a-exp', 'c-exp']);
    model.setSearch('B-E');
    expect(model.items.map(e => e.name)).toEqual(['b-exp']);
  });

  it('expands experiments into trials and trials into runs, hiding job runs', async () => {
    const job = run('job', { sourceArn: 'arn:job' });
    const { api, calls } = fakeApi({ runs: [run('r1'), job] });
    const model = new ExperimentsModel({ api, describeError });
    await model.refresh();
    model.setSort({ by: 'name', order: 'asc' });
    model.toggleExperiment('a-exp');
    expect(model.rows.map(r => r.kind)).toEqual([
      'experiment',
      'loading',
      'experiment',
      'experiment'
    ]);
    await settle();
    model.toggleTrial('a-exp', 'a-exp-baseline');
    await settle();
    expect(calls).toContain('runs:a-exp/a-exp-baseline');
    expect(model.rows.map(r => r.key)).toEqual([
      'e:a-exp',
      't:a-exp:a-exp-baseline',
      'r:a-exp-baseline:r1',
      'e:b-exp',
      'e:c-exp'
    ]);
    model.setShowJobs(true);
    expect(model.rows.filter(r => r.kind === 'run')).toHaveLength(2);
    model.toggleExperiment('a-exp');
    expect(model.rows).toHaveLength(3);
  });

  it('says when a trial has only job runs', async () => {
    const { api } = fakeApi({ runs: [run('job', { sourceArn: 'arn:job' })] });
    const model = new ExperimentsModel({ api, describeError });
    await model.refresh();
    model.toggleExperiment('a-exp');
    await settle();
    model.toggleTrial('a-exp', 'a-exp-baseline');
    await settle();
    const empty = model.rows.find(r => r.kind === 'empty');
    expect(empty).toMatchObject({ reason: 'onlyJobs', depth: 2 });
  });

  it('shows errors as sentences, per node, with a retry', async () => {
    const failing = fakeApi({ failExperiments: true });
    const model = new ExperimentsModel({
      api: failing.api,
      describeError
    });
    await model.refresh();
    expect(model.status).toBe('error');
    expect(model.error).toMatch(/\S/);

    const options = { failTrials: true };
    const trials = fakeApi(options);
    const tree = new ExperimentsModel({ api: trials.api, describeError });
    await tree.refresh();
    tree.toggleExperiment('a-exp');
    await settle();
    const error = tree.rows.find(r => r.kind === 'error');
    expect(error).toMatchObject({ target: { experimentName: 'a-exp' } });
    options.failTrials = false;
    tree.retryTrials('a-exp');
    await settle();
    expect(tree.rows.some(r => r.kind === 'trial')).toBe(true);
  });

  it('fetches expanded nodes again on refresh and forgets all on reset', async () => {
    const { api, calls } = fakeApi();
    const model = new ExperimentsModel({ api, describeError });
    await model.refresh();
    model.toggleExperiment('a-exp');
    await settle();
    calls.length = 0;
    await model.refresh();
    await settle();
    expect(calls.sort()).toEqual(['experiments', 'trials:a-exp']);
    model.reset();
    expect(model.isExperimentExpanded('a-exp')).toBe(false);
    await settle();
    expect(model.status).toBe('ready');
  });
});
