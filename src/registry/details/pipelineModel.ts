/**
 * State of a pipeline's tab: the pipeline, its executions (paged), the selected execution with its definition as a
 * graph, its steps' statuses and its parameters, refreshed while it runs; and the start / stop / retry actions.
 * No DOM and no SDK: the calls come through {@link IPipelineApi}.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { mapConcurrently } from '../../aws/concurrency';
import {
  IPipelineGraph,
  parsePipelineDefinition,
  PipelineDefinitionError
} from './pipelineDefinition';
import { ResourceModel } from './resource';

/** Statuses of a pipeline execution. */
export type ExecutionStatus =
  'Executing' | 'Stopping' | 'Stopped' | 'Failed' | 'Succeeded' | string;

/** Statuses of an execution's step (a step not started yet has none). */
export type StepStatus =
  | 'Starting'
  | 'Executing'
  | 'Stopping'
  | 'Stopped'
  | 'Failed'
  | 'Succeeded'
  | string;

/** What DescribePipeline says, SDK-free. */
export interface IPipelineInfo {
  /** Pipeline name. */
  name: string;
  /** Its ARN. */
  arn: string;
  /** Display name. */
  displayName: string | null;
  /** Description. */
  description: string | null;
  /** Active or Deleting. */
  status: string | null;
  /** Creation time (ms). */
  created: number | null;
  /** Last execution start (ms). */
  lastRun: number | null;
  /** Role the steps run as. */
  roleArn: string | null;
  /** The latest definition (JSON text). */
  definition: string;
}

/** One row of ListPipelineExecutions (or DescribePipelineExecution). */
export interface IExecutionSummary {
  /** Execution ARN. */
  arn: string;
  /** Display name (the execution id when none was given). */
  displayName: string;
  /** Execution status. */
  status: ExecutionStatus;
  /** Start (ms). */
  started: number | null;
  /** Last change (ms) — the end, once the execution finished; null in list rows. */
  lastModified: number | null;
  /** Failure reason. */
  failureReason: string | null;
  /** Description. */
  description: string | null;
}

/** One step of an execution, as ListPipelineExecutionSteps reports it. */
export interface IStepRun {
  /** Step name. */
  name: string;
  /** Its status. */
  status: StepStatus;
  /** Start (ms). */
  started: number | null;
  /** End (ms). */
  ended: number | null;
  /** Why it failed. */
  failureReason: string | null;
  /** The step's outputs (job ARNs, condition outcome, …) as the API returns them. */
  metadata: Record<string, unknown> | null;
  /** How many times it ran. */
  attempts: number | null;
}

/** One page of executions. */
export interface IExecutionPage {
  /** The rows. */
  items: IExecutionSummary[];
  /** Token of the next page. */
  nextToken?: string;
}

/** The SageMaker calls the tab makes (the SDK behind them lives in `pipelineApi.ts`; tests fake it). */
export interface IPipelineApi {
  /** DescribePipeline. */
  describePipeline(name: string, signal?: AbortSignal): Promise<IPipelineInfo>;
  /** One page of ListPipelineExecutions, newest first. */
  listExecutions(
    pipeline: string,
    nextToken: string | undefined,
    signal?: AbortSignal
  ): Promise<IExecutionPage>;
  /** DescribePipelineExecution. */
  describeExecution(
    arn: string,
    signal?: AbortSignal
  ): Promise<IExecutionSummary>;
  /** DescribePipelineDefinitionForExecution: the definition the execution runs. */
  executionDefinition(arn: string, signal?: AbortSignal): Promise<string>;
  /** Every page of ListPipelineExecutionSteps. */
  listSteps(arn: string, signal?: AbortSignal): Promise<IStepRun[]>;
  /** Every page of ListPipelineParametersForExecution. */
  listParameters(
    arn: string,
    signal?: AbortSignal
  ): Promise<Array<{ name: string; value: string }>>;
  /** StartPipelineExecution; resolves with the new execution's ARN. */
  startExecution(
    pipeline: string,
    options: {
      displayName?: string;
      parameters: Array<{ Name: string; Value: string }>;
    }
  ): Promise<string>;
  /** StopPipelineExecution. */
  stopExecution(arn: string): Promise<void>;
  /** RetryPipelineExecution. */
  retryExecution(arn: string): Promise<void>;
}

/** The selected execution's data. */
export interface IExecutionDetail {
  /** DescribePipelineExecution. */
  execution: IExecutionSummary;
  /** Its definition as a graph (null with `graphError` when unreadable). */
  graph: IPipelineGraph | null;
  /** Why the definition could not be drawn. */
  graphError: string | null;
  /** Latest run of each step that started, by step name. */
  steps: Map<string, IStepRun>;
  /** The execution's parameter values. */
  parameters: Array<{ name: string; value: string }>;
}

/** Whether an execution status may still change. */
export function isActive(status: ExecutionStatus | null | undefined): boolean {
  return status === 'Executing' || status === 'Stopping';
}

/** The latest run of each step (a retried step is listed once per attempt by AWS). */
export function latestRuns(runs: IStepRun[]): Map<string, IStepRun> {
  const out = new Map<string, IStepRun>();
  for (const run of runs) {
    const seen = out.get(run.name);
    if (!seen || (run.started ?? 0) >= (seen.started ?? 0)) {
      out.set(run.name, run);
    }
  }
  return out;
}

/** The tab's model. */
export class PipelineModel implements IDisposable {
  /** Create the model; call {@link refresh} to load. */
  constructor(options: PipelineModel.IOptions) {
    this._name = options.name;
    this._api = options.api;
    this._trans = options.trans;
    this._describeError = options.describeError;
    this._isVisible = options.isVisible ?? (() => true);
    this._interval = options.pollInterval ?? 3000;
    this.pipeline = new ResourceModel<IPipelineInfo>({
      load: signal => this._api.describePipeline(this._name, signal),
      describeError: options.describeError
    });
    this.pipeline.changed.connect(this._emit, this);
  }

  /** The pipeline's own data. */
  readonly pipeline: ResourceModel<IPipelineInfo>;

  /** The pipeline name. */
  get name(): string {
    return this._name;
  }

  /** Executions loaded so far, newest first. */
  get executions(): readonly IExecutionSummary[] {
    return this._executions;
  }

  /** Whether more executions can be loaded. */
  get hasMoreExecutions(): boolean {
    return this._nextToken !== undefined;
  }

  /** Whether executions are being loaded. */
  get executionsLoading(): boolean {
    return this._executionsAbort !== null;
  }

  /** Whether the first page of executions arrived. */
  get executionsLoaded(): boolean {
    return this._executionsLoaded;
  }

  /** Why loading executions failed, as a sentence. */
  get executionsError(): string | null {
    return this._executionsError;
  }

  /** ARN of the selected execution. */
  get selected(): string | null {
    return this._selected;
  }

  /** The selected execution's data, or null (none selected, or not loaded yet). */
  get detail(): IExecutionDetail | null {
    return this._detail?.arn === this._selected ? this._detail.data : null;
  }

  /** Whether the selected execution loads for the first time. */
  get detailLoading(): boolean {
    return (
      this._selected !== null && this.detail === null && !this._detailError
    );
  }

  /** Why loading the selected execution failed, as a sentence. */
  get detailError(): string | null {
    return this._detailError;
  }

  /** The graph of the pipeline's latest definition (shown while no execution is selected). */
  get pipelineGraph(): { graph: IPipelineGraph | null; error: string | null } {
    const info = this.pipeline.data;
    if (!info) {
      return { graph: null, error: null };
    }
    if (this._pipelineGraph?.text !== info.definition) {
      this._pipelineGraph = {
        text: info.definition,
        ...this._parse(info.definition)
      };
    }
    return {
      graph: this._pipelineGraph.graph,
      error: this._pipelineGraph.error
    };
  }

  /** Name of the step whose details are shown (the failed or running one until the user picks one). */
  get selectedStep(): string | null {
    return this._selectedStep;
  }

  /** Whether the selected execution is refreshed periodically now. */
  get isPolling(): boolean {
    return this._poll !== null;
  }

  /** Why the last start / stop / retry failed, as a sentence. */
  get actionError(): string | null {
    return this._actionError;
  }

  /** Whether a start / stop / retry is under way. */
  get actionBusy(): boolean {
    return this._actionBusy;
  }

  /** Emitted whenever anything above changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Whether the model was disposed. */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Load the pipeline and the first page of executions; select the newest execution if none is selected. */
  async refresh(): Promise<void> {
    await Promise.all([this.pipeline.refresh(), this._loadExecutions(false)]);
    if (this._isDisposed) {
      return;
    }
    if (this._selected === null && this._executions.length > 0) {
      this.select(this._executions[0].arn);
    } else if (this._selected !== null) {
      await this.refreshExecution();
    }
  }

  /** Load the next page of executions. */
  async loadMoreExecutions(): Promise<void> {
    if (this._nextToken !== undefined && !this.executionsLoading) {
      await this._loadExecutions(true);
    }
  }

  /** Show an execution (its definition, steps and parameters are loaded; polled while it runs). */
  select(arn: string | null): void {
    if (arn === this._selected) {
      return;
    }
    this._selected = arn;
    this._selectedStep = null;
    this._stepChosen = false;
    this._detailError = null;
    this._stopPolling();
    this._emit();
    if (arn !== null) {
      void this.refreshExecution();
    }
  }

  /** Show the details of a step of the graph. */
  selectStep(name: string | null): void {
    this._stepChosen = name !== null;
    if (name !== this._selectedStep) {
      this._selectedStep = name;
      this._emit();
    }
  }

  /** Load the selected execution's status and steps again (its definition and parameters are loaded once). */
  async refreshExecution(): Promise<void> {
    const arn = this._selected;
    if (arn === null) {
      return;
    }
    this._detailAbort?.abort();
    const abort = new AbortController();
    this._detailAbort = abort;
    const known = this._detail?.arn === arn ? this._detail.data : null;
    try {
      const [execution, runs, fixed] = await Promise.all([
        this._api.describeExecution(arn, abort.signal),
        this._api.listSteps(arn, abort.signal),
        known
          ? Promise.resolve(known)
          : Promise.all([
              this._api.executionDefinition(arn, abort.signal),
              this._api.listParameters(arn, abort.signal)
            ]).then(([text, parameters]) => ({
              ...this._parse(text),
              parameters
            }))
      ]);
      if (abort.signal.aborted || this._isDisposed) {
        return;
      }
      const data: IExecutionDetail = {
        execution,
        graph: fixed.graph,
        graphError: fixed.graphError ?? null,
        parameters: fixed.parameters,
        steps: latestRuns(runs)
      };
      this._detail = { arn, data };
      this._detailError = null;
      if (!this._stepChosen) {
        // Until the user picks a step, follow the one they most likely want: the one that failed, else the one
        // running (newest first), else keep the last one followed.
        const runsNow = [...data.steps.values()].sort(
          (a, b) => (b.started ?? 0) - (a.started ?? 0)
        );
        this._selectedStep =
          runsNow.find(r => r.status === 'Failed')?.name ??
          runsNow.find(r => isActive(r.status) || r.status === 'Starting')
            ?.name ??
          this._selectedStep;
      }
      this._mergeSummary(execution);
    } catch (err) {
      if (abort.signal.aborted || this._isDisposed) {
        return;
      }
      this._detailError = this._describeError(err);
    } finally {
      if (this._detailAbort === abort) {
        this._detailAbort = null;
      }
    }
    this._syncPolling();
    this._emit();
  }

  /**
   * Start an execution with the given parameter values (already checked), select it and return its ARN; null
   * when the call failed ({@link actionError} says why).
   */
  async start(options: {
    displayName?: string;
    parameters: Array<{ Name: string; Value: string }>;
  }): Promise<string | null> {
    const arn = await this._act(() =>
      this._api.startExecution(this._name, options)
    );
    if (arn) {
      this._selected = null;
      await this._loadExecutions(false);
      this.select(arn);
      void this.pipeline.refresh();
    }
    return arn;
  }

  /** Stop the selected (or given) execution; false when the call failed. */
  async stop(arn = this._selected): Promise<boolean> {
    return this._actOn(arn, a => this._api.stopExecution(a));
  }

  /** Retry the selected (or given) execution's failed steps; false when the call failed. */
  async retry(arn = this._selected): Promise<boolean> {
    return this._actOn(arn, a => this._api.retryExecution(a));
  }

  /** Forget the last action's error. */
  dismissActionError(): void {
    if (this._actionError !== null) {
      this._actionError = null;
      this._emit();
    }
  }

  /** Stop polling, cancel loads, disconnect. */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._stopPolling();
    this._detailAbort?.abort();
    this._executionsAbort?.abort();
    this.pipeline.dispose();
    Signal.clearData(this);
  }

  private async _actOn(
    arn: string | null,
    call: (arn: string) => Promise<void>
  ): Promise<boolean> {
    if (arn === null) {
      return false;
    }
    const done = await this._act(async () => {
      await call(arn);
      return arn;
    });
    if (!done) {
      return false;
    }
    if (this._selected !== arn) {
      this.select(arn);
    } else {
      await this.refreshExecution();
    }
    return true;
  }

  private async _act(call: () => Promise<string>): Promise<string | null> {
    this._actionBusy = true;
    this._actionError = null;
    this._emit();
    try {
      return await call();
    } catch (err) {
      this._actionError = this._describeError(err);
      return null;
    } finally {
      this._actionBusy = false;
      this._emit();
    }
  }

  private async _loadExecutions(more: boolean): Promise<void> {
    this._executionsAbort?.abort();
    const abort = new AbortController();
    this._executionsAbort = abort;
    this._emit();
    try {
      const page = await this._api.listExecutions(
        this._name,
        more ? this._nextToken : undefined,
        abort.signal
      );
      if (abort.signal.aborted || this._isDisposed) {
        return;
      }
      if (more) {
        const known = new Set(this._executions.map(e => e.arn));
        this._executions = [
          ...this._executions,
          ...page.items.filter(e => !known.has(e.arn))
        ];
      } else {
        this._executions = page.items;
      }
      this._nextToken = page.nextToken;
      this._executionsLoaded = true;
      this._executionsError = null;
      void this._fillEnds(page.items, abort.signal);
    } catch (err) {
      if (abort.signal.aborted || this._isDisposed) {
        return;
      }
      this._executionsError = this._describeError(err);
    } finally {
      if (this._executionsAbort === abort) {
        this._executionsAbort = null;
      }
    }
    this._emit();
  }

  /**
   * ListPipelineExecutions gives no end time: describe the finished rows (a few at a time) so the table can show
   * how long they ran. A failed describe leaves the duration unknown; the row itself is still right.
   */
  private async _fillEnds(
    rows: IExecutionSummary[],
    signal: AbortSignal
  ): Promise<void> {
    const wanted = rows.filter(
      r => r.lastModified === null && !isActive(r.status)
    );
    if (wanted.length === 0) {
      return;
    }
    const described = await mapConcurrently(wanted, 4, row =>
      this._api.describeExecution(row.arn, signal).catch(() => null)
    );
    if (signal.aborted || this._isDisposed) {
      return;
    }
    for (const execution of described) {
      if (execution) {
        this._mergeSummary(execution);
      }
    }
    this._emit();
  }

  /** Put a described execution's status into its list row (the list shows what the detail shows). */
  private _mergeSummary(execution: IExecutionSummary): void {
    const index = this._executions.findIndex(e => e.arn === execution.arn);
    if (index >= 0) {
      const rows = [...this._executions];
      rows[index] = { ...rows[index], ...execution };
      this._executions = rows;
    }
  }

  private _parse(text: string): {
    graph: IPipelineGraph | null;
    error: string | null;
    graphError?: string | null;
  } {
    try {
      const graph = parsePipelineDefinition(text, this._trans);
      return { graph, error: null, graphError: null };
    } catch (err) {
      const message =
        err instanceof PipelineDefinitionError
          ? err.message
          : this._describeError(err);
      return { graph: null, error: message, graphError: message };
    }
  }

  /** Poll while the selected execution runs; stop once it ended (one last refresh shows its final state). */
  private _syncPolling(): void {
    const status = this.detail?.execution.status;
    if (isActive(status)) {
      if (this._poll === null) {
        this._poll = new Poll({
          factory: () => this.refreshExecution(),
          frequency: {
            interval: this._interval,
            backoff: true,
            max: this._interval * 10
          },
          standby: () => (this._isVisible() ? 'when-hidden' : true),
          name: 'jupyterlab-sagemaker-studio:pipeline-execution',
          auto: false
        });
        // Not at once: that would only repeat the load that just happened.
        void this._poll.schedule({
          interval: this._interval,
          phase: 'started'
        });
      }
    } else if (this._poll !== null) {
      this._stopPolling();
      // The list's other rows and the pipeline's last run may have changed with the end of the run.
      void this._loadExecutions(false);
    }
  }

  private _stopPolling(): void {
    this._poll?.dispose();
    this._poll = null;
  }

  private _emit(): void {
    if (!this._isDisposed) {
      this._changed.emit();
    }
  }

  private _name: string;
  private _api: IPipelineApi;
  private _trans: TranslationBundle;
  private _describeError: (err: unknown) => string;
  private _isVisible: () => boolean;
  private _interval: number;
  private _executions: IExecutionSummary[] = [];
  private _nextToken: string | undefined;
  private _executionsLoaded = false;
  private _executionsError: string | null = null;
  private _executionsAbort: AbortController | null = null;
  private _selected: string | null = null;
  private _selectedStep: string | null = null;
  private _stepChosen = false;
  private _detail: { arn: string; data: IExecutionDetail } | null = null;
  private _detailError: string | null = null;
  private _detailAbort: AbortController | null = null;
  private _pipelineGraph: {
    text: string;
    graph: IPipelineGraph | null;
    error: string | null;
  } | null = null;
  private _poll: Poll | null = null;
  private _actionError: string | null = null;
  private _actionBusy = false;
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
}

/** Types of {@link PipelineModel}. */
export namespace PipelineModel {
  /** Options of the model. */
  export interface IOptions {
    /** The pipeline's name. */
    name: string;
    /** The SageMaker calls. */
    api: IPipelineApi;
    /** Translations (for the sentences about unreadable definitions). */
    trans: TranslationBundle;
    /** Turns a failure into the sentence shown to the user. */
    describeError: (err: unknown) => string;
    /** Whether the tab is shown; polling stands by while it is not. */
    isVisible?: () => boolean;
    /** Milliseconds between refreshes of a running execution (default 3000). */
    pollInterval?: number;
  }
}
