/**
 * Tests of the experiments views in the DOM: the run table is windowed, sorts from its headers, selects with the
 * checkboxes (shift-range, select all filtered), and its Compare button follows the compare command's presence;
 * the sidebar tree expands and opens experiments.
 */
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';

import { ExperimentsView } from '../experiments/ExperimentsPanel';
import { ExperimentsModel, RunTableModel } from '../experiments/model';
import { COMPARE_RUNS_COMMAND, RunTableView } from '../experiments/RunTable';
import type { IRun } from '../experiments/types';

const trans = nullTranslator.load('jupyterlab_sagemaker_studio');

/** Let React commit what the widget asked for. */
const settle = () => new Promise(r => setTimeout(r, 50));

/** `n` runs with `params` parameters and a metric each. */
function runs(n: number, params = 3): IRun[] {
  return Array.from({ length: n }, (_, i) => {
    const parameters: Record<string, number> = {};
    for (let p = 0; p < params; p++) {
      parameters[`p${p}`] = (i * 7 + p) % 13;
    }
    return {
      name: `run-${String(i).padStart(4, '0')}`,
      arn: `arn:${i}`,
      displayName: `run-${String(i).padStart(4, '0')}`,
      experimentName: 'exp',
      trialName: 'exp-baseline',
      status: i % 5 === 0 ? 'Failed' : 'Completed',
      created: 1700000000000 + i * 1000,
      lastModified: null,
      sourceArn: null,
      sourceType: null,
      parameters,
      metrics: {
        'validation:error': {
          last: i / n,
          min: 0,
          max: 1,
          avg: 0.5,
          count: 10,
          stdDev: 0.1,
          timestamp: null
        }
      }
    };
  });
}

/** A loaded table model over `all`, paged by 100. */
async function tableModel(all: IRun[]): Promise<RunTableModel> {
  const model = new RunTableModel({
    experimentName: 'exp',
    searchRuns: async function* () {
      for (let i = 0; i < all.length; i += 100) {
        yield all.slice(i, i + 100);
      }
    },
    describeError: err => (err as Error).message
  });
  await model.refresh();
  return model;
}

/** Click with or without shift. */
function click(element: Element | null | undefined, shiftKey = false): void {
  expect(element).toBeTruthy();
  element!.dispatchEvent(
    new MouseEvent('click', { bubbles: true, cancelable: true, shiftKey })
  );
}

/** The element of a test id inside a node. */
function byTestId(node: HTMLElement, id: string): HTMLElement | null {
  return node.querySelector(`[data-testid="${id}"]`);
}

describe('RunTableView', () => {
  let view: Widget | null = null;
  afterEach(() => {
    view?.dispose();
    view = null;
  });

  /** Attach a table view. */
  async function show(
    model: RunTableModel,
    commands = new CommandRegistry()
  ): Promise<RunTableView> {
    const table = new RunTableView({
      model,
      trans,
      commands,
      describeError: err => `Compare failed: ${(err as Error).message}`
    });
    view = table;
    Widget.attach(table, document.body);
    table.update();
    await settle();
    return table;
  }

  it('keeps only a window of 2,000 runs × 50 parameters in the DOM', async () => {
    const model = await tableModel(runs(2000, 50));
    expect(model.visibleColumns).toHaveLength(4 + 50 + 1);
    const table = await show(model);
    const rows = table.node.querySelectorAll('[role="row"]');
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.length).toBeLessThan(60);
    expect(
      byTestId(table.node, 'sagemaker-studio-runs-count')?.textContent
    ).toBe('2000 of 2000 runs, 0 selected');
  });

  it('sorts from the headers and says so with aria-sort', async () => {
    const model = await tableModel(runs(30));
    const table = await show(model);
    click(byTestId(table.node, 'sagemaker-studio-runs-header-p0'));
    await settle();
    const header = byTestId(
      table.node,
      'sagemaker-studio-runs-header-p0'
    )?.parentElement;
    expect(header?.getAttribute('aria-sort')).toBe('ascending');
    expect(model.sort.field).toEqual({ kind: 'parameter', name: 'p0' });
    const first = table.node.querySelector('[data-run]');
    expect(first?.getAttribute('data-run')).toBe(model.rows[0].name);
  });

  it('selects with checkboxes, shift-ranges and the header checkbox', async () => {
    const model = await tableModel(runs(10));
    const table = await show(model);
    const names = model.rows.map(r => r.name);
    click(byTestId(table.node, `sagemaker-studio-runs-select-${names[1]}`));
    await settle();
    click(
      byTestId(table.node, `sagemaker-studio-runs-select-${names[4]}`),
      true
    );
    await settle();
    expect(model.selectedNames).toEqual(names.slice(1, 5));
    expect(
      byTestId(table.node, 'sagemaker-studio-runs-count')?.textContent
    ).toBe('10 of 10 runs, 4 selected');
    const all = byTestId(
      table.node,
      'sagemaker-studio-runs-select-all'
    ) as HTMLInputElement;
    expect(all.indeterminate).toBe(true);
    click(all);
    await settle();
    expect(model.selection.size).toBe(10);
  });

  it('disables Compare with a tooltip while the command is missing', async () => {
    const model = await tableModel(runs(3));
    model.selectAllFiltered();
    const commands = new CommandRegistry();
    const table = await show(model, commands);
    const compare = byTestId(
      table.node,
      'sagemaker-studio-runs-compare'
    ) as HTMLButtonElement;
    expect(compare.disabled).toBe(true);
    expect(compare.title).toMatch(/not available/);

    const calls: any[] = [];
    commands.addCommand(COMPARE_RUNS_COMMAND, {
      execute: args => {
        calls.push(args);
      }
    });
    await settle();
    const enabled = byTestId(
      table.node,
      'sagemaker-studio-runs-compare'
    ) as HTMLButtonElement;
    expect(enabled.disabled).toBe(false);
    click(enabled);
    await settle();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      experiment: 'exp',
      runs: model.rows.map(r => r.name)
    });
    // The records in hand go along, so the comparison needs no second Search.
    expect(calls[0].records.map((r: any) => r.name).sort()).toEqual(
      model.rows.map(r => r.name).sort()
    );
  });

  it('shows a rejected Compare as a sentence', async () => {
    const model = await tableModel(runs(2));
    model.toggleSelection(model.rows[0].name);
    const commands = new CommandRegistry();
    commands.addCommand(COMPARE_RUNS_COMMAND, {
      execute: () => Promise.reject(new Error('at most 20 runs'))
    });
    const table = await show(model, commands);
    click(byTestId(table.node, 'sagemaker-studio-runs-compare'));
    await settle();
    expect(
      byTestId(table.node, 'sagemaker-studio-runs-compare-error')?.textContent
    ).toBe('Compare failed: at most 20 runs');
  });

  it('shows a failed Search as a sentence with a retry', async () => {
    const model = new RunTableModel({
      experimentName: 'exp',
      // eslint-disable-next-line require-yield
      searchRuns: async function* () {
        throw new Error('denied');
      },
      describeError: () => 'You are not allowed to perform sagemaker:Search.'
    });
    await model.refresh();
    const table = await show(model);
    const error = byTestId(table.node, 'sagemaker-studio-runs-error');
    expect(error?.textContent).toContain(
      'You are not allowed to perform sagemaker:Search.'
    );
    expect(error?.querySelector('button')?.textContent).toBe('Try again');
  });

  it('survives bad filter text', async () => {
    const model = await tableModel(runs(5));
    const table = await show(model);
    model.setFilter('((([[eta>>=');
    await settle();
    expect(table.node.textContent).toContain('No run matches the filter');
  });
});

describe('ExperimentsView', () => {
  let view: Widget | null = null;
  afterEach(() => {
    view?.dispose();
    view = null;
  });

  it('lists experiments, expands trials and opens an experiment', async () => {
    const api: ExperimentsModel.IApi = {
      listExperiments: async () => [
        {
          name: 'digits-classifier',
          arn: 'arn:e',
          displayName: 'digits-classifier',
          created: 1,
          lastModified: 2
        }
      ],
      listTrials: async experimentName => [
        {
          name: 'digits-classifier-baseline',
          arn: '',
          displayName: 'baseline',
          experimentName,
          created: 1,
          lastModified: 1
        }
      ],
      searchRuns: async function* () {
        yield runs(2);
      }
    };
    const model = new ExperimentsModel({ api, describeError: String });
    await model.refresh();
    const opened: string[] = [];
    const experiments = new ExperimentsView({
      model,
      trans,
      onOpen: name => opened.push(name)
    });
    view = experiments;
    Widget.attach(experiments, document.body);
    experiments.update();
    await settle();
    const row = experiments.node.querySelector(
      '[data-testid="sagemaker-studio-experiment-row"]'
    );
    expect(row?.getAttribute('data-name')).toBe('digits-classifier');
    click(row?.querySelector('.jp-SageMakerExperiments-expander'));
    await settle();
    const trial = experiments.node.querySelector(
      '[data-testid="sagemaker-studio-trial-row"]'
    );
    expect(trial?.textContent).toContain('baseline');
    click(trial?.querySelector('.jp-SageMakerExperiments-expander'));
    await settle();
    expect(
      experiments.node.querySelectorAll(
        '[data-testid="sagemaker-studio-experiment-run-row"]'
      )
    ).toHaveLength(2);
    click(row?.querySelector('.jp-SageMakerExperiments-open'));
    expect(opened).toEqual(['digits-classifier']);
  });
});
