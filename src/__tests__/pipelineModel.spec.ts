/**
 * Tests of the pipeline tab's model against a faked SageMaker API: executions paged and selected, the selected
 * execution's graph, steps and parameters, polling while it runs (and only then), start / stop / retry, and errors
 * as sentences.
 */
import { nullTranslator } from '@jupyterlab/translation';

import { AwsServiceError, describeAwsError } from '../aws/errors';
import {
  IExecutionSummary,
  IPipelineApi,
  IStepRun,
  latestRuns,
  PipelineModel
} from '../registry/details/pipelineModel';

const trans = nullTranslator.load('jupyterlab_sagemaker_studio');

const DEFINITION = JSON.stringify({
  Parameters: [{ Name: 'Epochs', Type: 'Integer', DefaultValue: 3 }],
  Steps: [
    { Name: 'Prepare', Type: 'Processing' },
    { Name: 'Train', Type: 'Training', DependsOn: ['Prepare'] }
  ]
});

const ARN = 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/p';

function execution(
  id: string,
  status: string,
  extra: Partial<IExecutionSummary> = {}
): IExecutionSummary {
  return {
    arn: `${ARN}/execution/${id}`,
    displayName: id,
    status,
    started: 1_700_000_000_000,
    lastModified: null,
    failureReason: null,
    description: null,
    ...extra
  };
}

function run(name: string, status: string, extra: Partial<IStepRun> = {}) {
  return {
    name,
    status,
    started: 1_700_000_000_000,
    ended: null,
    failureReason: null,
    metadata: null,
    attempts: 1,
    ...extra
  };
}

/** A fake API over an in-memory pipeline; `calls` records what was asked. */
class FakeApi implements IPipelineApi {
  calls: string[] = [];
  executions: IExecutionSummary[] = [];
  steps = new Map<string, IStepRun[]>();
  pageSize = 2;
  fail: Partial<Record<string, Error>> = {};

  private _check(name: string): void {
    this.calls.push(name);
    const error = this.fail[name];
    if (error) {
      throw error;
    }
  }

  async describePipeline(name: string) {
    this._check('DescribePipeline');
    return {
      name,
      arn: ARN,
      displayName: null,
      description: 'Builds the model.',
      status: 'Active',
      created: 1,
      lastRun: null,
      roleArn: null,
      definition: DEFINITION
    };
  }
  async listExecutions(_: string, nextToken: string | undefined) {
    this._check('ListPipelineExecutions');
    const start = Number(nextToken ?? 0);
    const end = start + this.pageSize;
    return {
      items: this.executions.slice(start, end),
      nextToken: end < this.executions.length ? String(end) : undefined
    };
  }
  async describeExecution(arn: string) {
    this._check('DescribePipelineExecution');
    const found = this.executions.find(e => e.arn === arn);
    if (!found) {
      throw new AwsServiceError(
        'ResourceNotFound',
        `Pipeline execution ${arn} does not exist.`,
        { httpStatusCode: 400 }
      );
    }
    return { ...found };
  }
  async executionDefinition() {
    this._check('DescribePipelineDefinitionForExecution');
    return DEFINITION;
  }
  async listSteps(arn: string) {
    this._check('ListPipelineExecutionSteps');
    return this.steps.get(arn) ?? [];
  }
  async listParameters() {
    this._check('ListPipelineParametersForExecution');
    return [{ name: 'Epochs', value: '5' }];
  }
  async startExecution(
    _: string,
    options: { parameters: Array<{ Name: string; Value: string }> }
  ) {
    this._check('StartPipelineExecution');
    const started = execution('new1', 'Executing');
    this.executions.unshift(started);
    this.steps.set(started.arn, [run('Prepare', 'Starting')]);
    this.started.push(options.parameters);
    return started.arn;
  }
  started: Array<Array<{ Name: string; Value: string }>> = [];
  async stopExecution(arn: string) {
    this._check('StopPipelineExecution');
    this._set(arn, 'Stopping');
  }
  async retryExecution(arn: string) {
    this._check('RetryPipelineExecution');
    this._set(arn, 'Executing');
  }
  private _set(arn: string, status: string) {
    const found = this.executions.find(e => e.arn === arn)!;
    found.status = status;
  }
}

function model(api: FakeApi, options: Partial<PipelineModel.IOptions> = {}) {
  return new PipelineModel({
    name: 'p',
    api,
    trans,
    describeError: err => describeAwsError(err, trans),
    pollInterval: 20,
    ...options
  });
}

async function until(check: () => boolean, timeout = 2000): Promise<void> {
  const end = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > end) {
      throw new Error('condition not met in time');
    }
    await new Promise(r => setTimeout(r, 5));
  }
}

describe('PipelineModel', () => {
  it('loads the pipeline, the first page of executions, and selects the newest', async () => {
    const api = new FakeApi();
    api.executions = [
      execution('c', 'Failed'),
      execution('b', 'Succeeded'),
      execution('a', 'Succeeded')
    ];
    api.steps.set(api.executions[0].arn, [
      run('Prepare', 'Succeeded'),
      run('Train', 'Failed', { failureReason: 'Out of memory.' })
    ]);
    const m = model(api);
    await m.refresh();
    await until(() => m.detail !== null);
    expect(m.pipeline.data?.description).toBe('Builds the model.');
    expect(m.executions.map(e => e.displayName)).toEqual(['c', 'b']);
    expect(m.hasMoreExecutions).toBe(true);
    expect(m.selected).toBe(api.executions[0].arn);
    const detail = m.detail!;
    expect(detail.graph?.edges).toEqual([
      { from: 'Prepare', to: 'Train', kind: 'dependsOn' }
    ]);
    expect(detail.steps.get('Train')?.failureReason).toBe('Out of memory.');
    expect(detail.parameters).toEqual([{ name: 'Epochs', value: '5' }]);
    // The failed step's details are shown first.
    expect(m.selectedStep).toBe('Train');
    // A finished execution is not polled.
    expect(m.isPolling).toBe(false);

    await m.loadMoreExecutions();
    expect(m.executions.map(e => e.displayName)).toEqual(['c', 'b', 'a']);
    expect(m.hasMoreExecutions).toBe(false);
    m.dispose();
  });

  it('shows the latest definition while the pipeline has no execution', async () => {
    const api = new FakeApi();
    const m = model(api);
    await m.refresh();
    expect(m.executionsLoaded).toBe(true);
    expect(m.selected).toBeNull();
    expect(m.pipelineGraph.graph?.steps.map(s => s.name)).toEqual([
      'Prepare',
      'Train'
    ]);
    expect(api.calls).not.toContain('DescribePipelineDefinitionForExecution');
    m.dispose();
  });

  it('polls a running execution until it ends, then stops', async () => {
    const api = new FakeApi();
    api.executions = [execution('r', 'Executing')];
    const arn = api.executions[0].arn;
    api.steps.set(arn, [run('Prepare', 'Executing')]);
    const m = model(api);
    await m.refresh();
    await until(() => m.detail !== null);
    expect(m.isPolling).toBe(true);
    expect(m.selectedStep).toBe('Prepare');

    // The steps move on; the next polls show it without any call from the view.
    api.steps.set(arn, [
      run('Prepare', 'Succeeded'),
      run('Train', 'Executing', { started: 1_700_000_009_000 })
    ]);
    await until(() => m.detail?.steps.get('Train')?.status === 'Executing');
    expect(m.detail?.steps.get('Prepare')?.status).toBe('Succeeded');
    // The step shown follows the running one until the user picks one.
    expect(m.selectedStep).toBe('Train');
    m.selectStep('Prepare');

    api.executions[0].status = 'Succeeded';
    api.steps.set(arn, [
      run('Prepare', 'Succeeded'),
      run('Train', 'Succeeded')
    ]);
    await until(() => m.detail?.execution.status === 'Succeeded');
    expect(m.isPolling).toBe(false);
    expect(m.selectedStep).toBe('Prepare');
    // The list row follows the detail.
    expect(m.executions[0].status).toBe('Succeeded');
    // The definition and parameters were read once, the steps at every poll.
    expect(
      api.calls.filter(c => c === 'DescribePipelineDefinitionForExecution')
    ).toHaveLength(1);
    const polls = api.calls.filter(
      c => c === 'ListPipelineExecutionSteps'
    ).length;
    expect(polls).toBeGreaterThanOrEqual(3);
    await new Promise(r => setTimeout(r, 100));
    expect(
      api.calls.filter(c => c === 'ListPipelineExecutionSteps')
    ).toHaveLength(polls);
    m.dispose();
  });

  it('stands by while the tab is hidden', async () => {
    const api = new FakeApi();
    api.executions = [execution('r', 'Executing')];
    let visible = false;
    const m = model(api, { isVisible: () => visible });
    await m.refresh();
    await until(() => m.detail !== null);
    expect(m.isPolling).toBe(true);
    const before = api.calls.filter(
      c => c === 'ListPipelineExecutionSteps'
    ).length;
    await new Promise(r => setTimeout(r, 150));
    expect(
      api.calls.filter(c => c === 'ListPipelineExecutionSteps')
    ).toHaveLength(before);
    visible = true;
    await until(
      () =>
        api.calls.filter(c => c === 'ListPipelineExecutionSteps').length >
        before
    );
    m.dispose();
  });

  it('starts an execution with the given parameters and selects it', async () => {
    const api = new FakeApi();
    api.executions = [execution('old', 'Succeeded')];
    const m = model(api);
    await m.refresh();
    const arn = await m.start({ parameters: [{ Name: 'Epochs', Value: '9' }] });
    expect(arn).toBe(`${ARN}/execution/new1`);
    expect(api.started).toEqual([[{ Name: 'Epochs', Value: '9' }]]);
    expect(m.executions[0].arn).toBe(arn);
    expect(m.selected).toBe(arn);
    await until(() => m.detail?.execution.arn === arn);
    expect(m.isPolling).toBe(true);
    m.dispose();
  });

  it('stops and retries the selected execution', async () => {
    const api = new FakeApi();
    api.executions = [execution('r', 'Executing'), execution('f', 'Failed')];
    const m = model(api, { pollInterval: 10_000 });
    await m.refresh();
    await until(() => m.detail !== null);
    expect(await m.stop()).toBe(true);
    expect(m.detail?.execution.status).toBe('Stopping');
    expect(m.isPolling).toBe(true);

    const failed = api.executions[1].arn;
    expect(await m.retry(failed)).toBe(true);
    expect(m.selected).toBe(failed);
    await until(() => m.detail?.execution.status === 'Executing');
    expect(api.calls).toEqual(
      expect.arrayContaining([
        'StopPipelineExecution',
        'RetryPipelineExecution'
      ])
    );
    m.dispose();
  });

  it('reports a refused action as a sentence and keeps the view', async () => {
    const api = new FakeApi();
    api.executions = [execution('f', 'Failed')];
    api.fail.RetryPipelineExecution = new AwsServiceError(
      'AccessDeniedException',
      'User: arn:aws:iam::123456789012:user/u is not authorized to perform: sagemaker:RetryPipelineExecution',
      { httpStatusCode: 400 }
    );
    const m = model(api);
    await m.refresh();
    await until(() => m.detail !== null);
    expect(await m.retry()).toBe(false);
    expect(m.actionError).toMatch(/RetryPipelineExecution/);
    expect(m.actionError).not.toMatch(/^\s*at /m);
    expect(m.detail?.execution.status).toBe('Failed');
    m.dismissActionError();
    expect(m.actionError).toBeNull();
    m.dispose();
  });

  it('says why an execution cannot be loaded', async () => {
    const api = new FakeApi();
    const m = model(api);
    await m.refresh();
    m.select(`${ARN}/execution/gone`);
    await until(() => m.detailError !== null);
    expect(m.detailError).toMatch(/does not exist/);
    expect(m.detail).toBeNull();
    m.dispose();
  });
});

describe('latestRuns', () => {
  it('keeps the latest attempt of each step', () => {
    const runs = latestRuns([
      run('A', 'Failed', { started: 1 }),
      run('A', 'Succeeded', { started: 5 }),
      run('B', 'Executing', { started: 2 })
    ]);
    expect([...runs.values()].map(r => `${r.name}:${r.status}`)).toEqual([
      'A:Succeeded',
      'B:Executing'
    ]);
  });
});
