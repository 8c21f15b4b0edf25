/**
 * The pipeline tab: the pipeline, its executions, and the selected execution drawn as a graph coloured by step
 * status (refreshed while it runs), with the selected step's inputs, outputs and failure, and the execution's
 * parameters. Start (with a form generated from the definition's parameters), stop and retry executions.
 */
import '../../../style/pipelines.css';
import {
  Dialog,
  ReactWidget,
  showDialog,
  UseSignal
} from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { addIcon, refreshIcon, ToolbarButton } from '@jupyterlab/ui-components';
import * as React from 'react';

import { sdkPipelineApi } from './pipelineApi';
import {
  displayValue,
  DisplayValue,
  IPipelineGraph,
  IPipelineParameter,
  IPipelineStep,
  ownArguments,
  parsePipelineDefinition,
  PipelineDefinitionError,
  validateDisplayName,
  validateParameters
} from './pipelineDefinition';
import {
  isActive,
  IExecutionDetail,
  IExecutionSummary,
  IStepRun,
  PipelineModel
} from './pipelineModel';
import { PipelineGraph, PipelineStatusBadge } from './PipelineGraph';
import { confirmDestructive, DetailSection, Fields, When } from './components';
import type { IDetailContent, IDetailContext } from './types';

/** Build the tab of a pipeline. */
export function createDetail(ctx: IDetailContext): IDetailContent {
  const { trans } = ctx;
  const view = new PipelineView({ ctx });
  const start = new ToolbarButton({
    icon: addIcon,
    label: trans.__('Start execution'),
    tooltip: trans.__('Start an execution of this pipeline with parameters'),
    onClick: () => void view.startExecution()
  });
  const refresh = new ToolbarButton({
    icon: refreshIcon,
    tooltip: trans.__('Refresh the pipeline and its executions'),
    onClick: () => void view.model.refresh()
  });
  return {
    content: view,
    label: ctx.resource.name,
    toolbar: [
      { name: 'start-execution', widget: start },
      { name: 'refresh', widget: refresh }
    ]
  };
}

/** The tab's body. */
export class PipelineView extends ReactWidget {
  /** Create the view and start loading. */
  constructor(options: { ctx: IDetailContext }) {
    super();
    this._ctx = options.ctx;
    const { ctx } = options;
    this.addClass('jp-SageMakerDetail-body');
    this.addClass('jp-SageMakerPipeline');
    this.model = new PipelineModel({
      name: ctx.resource.name,
      api: sdkPipelineApi(() => ctx.connection.sagemaker()),
      trans: ctx.trans,
      describeError: err => ctx.connection.describeError(err),
      isVisible: () => this.isVisible
    });
    ctx.changes.connect(this._onChange, this);
    void this.model.refresh();
  }

  /** The tab's model. */
  readonly model: PipelineModel;

  /**
   * Ask for parameter values (a form generated from the pipeline's declared parameters, checked by type before
   * anything is sent) and start an execution; the new execution is selected.
   */
  async startExecution(): Promise<void> {
    const { trans } = this._ctx;
    if (!this.model.pipeline.data) {
      await this.model.pipeline.refresh();
    }
    const info = this.model.pipeline.data;
    if (!info) {
      return;
    }
    let declared: IPipelineParameter[];
    try {
      declared = parsePipelineDefinition(info.definition, trans).parameters;
    } catch (err) {
      const message =
        err instanceof PipelineDefinitionError ? err.message : String(err);
      await showDialog({
        title: trans.__('Cannot start %1', info.name),
        body: message,
        buttons: [Dialog.okButton({ label: trans.__('Close') })]
      });
      return;
    }
    let state: StartForm.IState = {
      displayName: '',
      values: {},
      errors: {},
      displayNameError: null
    };
    let parameters: Array<{ Name: string; Value: string }> = [];
    // The dialog comes back with the values typed and what is wrong with them until all are valid.
    for (;;) {
      const result = await showDialog({
        title: trans.__('Start an execution of %1', info.name),
        body: new StartForm({ parameters: declared, state, trans }),
        buttons: [
          Dialog.cancelButton({ label: trans.__('Cancel') }),
          Dialog.okButton({ label: trans.__('Start') })
        ],
        // Back with errors, the first field to correct has the focus.
        focusNodeSelector:
          Object.keys(state.errors).length > 0 || state.displayNameError
            ? '[aria-invalid="true"]'
            : 'input, select'
      });
      if (!result.button.accept || !result.value) {
        return;
      }
      const check = validateParameters(declared, result.value.values, trans);
      const displayNameError = validateDisplayName(
        result.value.displayName,
        trans
      );
      state = { ...result.value, errors: check.errors, displayNameError };
      if (Object.keys(check.errors).length === 0 && !displayNameError) {
        parameters = check.parameters;
        break;
      }
    }
    const arn = await this.model.start({
      displayName: state.displayName.trim() || undefined,
      parameters
    });
    if (arn) {
      this._notify();
    }
  }

  /** Stop an execution after confirmation. */
  async stopExecution(execution: IExecutionSummary): Promise<void> {
    const { trans } = this._ctx;
    const ok = await confirmDestructive(trans, {
      title: trans.__('Stop execution?'),
      body: trans.__(
        'Stop the execution “%1” of pipeline %2? Its running steps are stopped and the steps after them do not run.',
        execution.displayName,
        this.model.name
      ),
      action: trans.__('Stop')
    });
    if (ok && (await this.model.stop(execution.arn))) {
      this._notify();
    }
  }

  /** Retry an execution's failed and stopped steps. */
  async retryExecution(execution: IExecutionSummary): Promise<void> {
    if (await this.model.retry(execution.arn)) {
      this._notify();
    }
  }

  /** Stop polling and disconnect. */
  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._ctx.changes.disconnect(this._onChange, this);
    this.model.dispose();
    super.dispose();
  }

  protected render(): JSX.Element {
    return (
      <UseSignal signal={this.model.changed} initialSender={this.model}>
        {() => (
          <PipelineBody
            model={this.model}
            view={this}
            trans={this._ctx.trans}
          />
        )}
      </UseSignal>
    );
  }

  private _notify(): void {
    this._announcing = true;
    try {
      this._ctx.notify({
        kind: 'pipeline',
        name: this.model.name,
        change: 'updated'
      });
    } finally {
      this._announcing = false;
    }
  }

  private _onChange(
    _: unknown,
    change: { kind: string; name: string; change: string }
  ): void {
    // Our own announcements follow a change this model already shows.
    if (
      this._announcing ||
      change.kind !== 'pipeline' ||
      change.name !== this.model.name
    ) {
      return;
    }
    void this.model.refresh();
  }

  private _ctx: IDetailContext;
  private _announcing = false;
}

/** Everything inside the tab. */
function PipelineBody({
  model,
  view,
  trans
}: {
  model: PipelineModel;
  view: PipelineView;
  trans: TranslationBundle;
}): JSX.Element {
  const info = model.pipeline.data;
  return (
    <>
      {model.pipeline.data === null && model.pipeline.status === 'error' ? (
        <div className="jp-SageMakerDetail-error" role="alert">
          {model.pipeline.error}
        </div>
      ) : info === null ? (
        <div className="jp-SageMakerDetail-loading" role="status">
          {trans.__('Loading…')}
        </div>
      ) : (
        <DetailSection
          title={info.displayName ?? info.name}
          testId="pipeline-summary"
        >
          <Fields
            fields={[
              [trans.__('Description'), info.description],
              [trans.__('ARN'), <code key="arn">{info.arn}</code>],
              [trans.__('Created'), <When key="created" date={info.created} />],
              [trans.__('Last run'), <When key="run" date={info.lastRun} />],
              [trans.__('Role'), info.roleArn]
            ]}
          />
        </DetailSection>
      )}
      {model.actionError && (
        <div
          className="jp-SageMakerDetail-error jp-SageMakerPipeline-actionError"
          role="alert"
        >
          {model.actionError}
          <button
            className="jp-mod-styled jp-SageMakerPipeline-dismiss"
            onClick={() => model.dismissActionError()}
          >
            {trans.__('Dismiss')}
          </button>
        </div>
      )}
      <ExecutionsTable model={model} trans={trans} />
      {model.selected === null ? (
        <DefinitionOnly model={model} trans={trans} />
      ) : (
        <ExecutionPanel model={model} view={view} trans={trans} />
      )}
    </>
  );
}

/** Executions, newest first, paged. */
function ExecutionsTable({
  model,
  trans
}: {
  model: PipelineModel;
  trans: TranslationBundle;
}): JSX.Element {
  const rows = model.executions;
  return (
    <DetailSection title={trans.__('Executions')} testId="pipeline-executions">
      {model.executionsError && (
        <div className="jp-SageMakerDetail-error" role="alert">
          {model.executionsError}
        </div>
      )}
      {!model.executionsLoaded && !model.executionsError ? (
        <div className="jp-SageMakerDetail-loading" role="status">
          {trans.__('Loading…')}
        </div>
      ) : rows.length === 0 && model.executionsLoaded ? (
        <p className="jp-SageMakerPipeline-empty">
          {trans.__(
            'This pipeline has not run yet. Start an execution from the toolbar.'
          )}
        </p>
      ) : (
        <table className="jp-SageMakerDetail-table jp-SageMakerPipeline-executions">
          <thead>
            <tr>
              <th>{trans.__('Execution')}</th>
              <th>{trans.__('Status')}</th>
              <th>{trans.__('Started')}</th>
              <th>{trans.__('Duration')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(row => {
              const selected = row.arn === model.selected;
              return (
                <tr
                  key={row.arn}
                  className={`jp-SageMakerPipeline-execution${selected ? ' jp-mod-selected' : ''}`}
                  data-arn={row.arn}
                  data-name={row.displayName}
                  data-status={row.status}
                  aria-selected={selected}
                >
                  <td>
                    <button
                      className="jp-SageMakerPipeline-executionName"
                      title={row.description ?? row.arn}
                      onClick={() => model.select(row.arn)}
                    >
                      {row.displayName}
                    </button>
                  </td>
                  <td>
                    <PipelineStatusBadge status={row.status} trans={trans} />
                  </td>
                  <td>
                    <When date={row.started} />
                  </td>
                  <td>{executionDuration(row, model, trans)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {model.hasMoreExecutions && (
        <button
          className="jp-mod-styled jp-SageMakerPipeline-more"
          onClick={() => void model.loadMoreExecutions()}
          disabled={model.executionsLoading}
        >
          {model.executionsLoading
            ? trans.__('Loading…')
            : trans.__('Load more')}
        </button>
      )}
    </DetailSection>
  );
}

/** The graph of the latest definition, while no execution is selected (a pipeline that never ran). */
function DefinitionOnly({
  model,
  trans
}: {
  model: PipelineModel;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { graph, error } = model.pipelineGraph;
  if (!graph && !error) {
    return null;
  }
  return (
    <DetailSection title={trans.__('Steps')} testId="pipeline-graph">
      {error && (
        <div className="jp-SageMakerDetail-error" role="alert">
          {error}
        </div>
      )}
      {graph && (
        <div className="jp-SageMakerPipeline-run">
          <PipelineGraph
            graph={graph}
            steps={null}
            selected={model.selectedStep}
            onSelect={name => model.selectStep(name)}
            trans={trans}
          />
          <StepDetails
            graph={graph}
            name={model.selectedStep}
            run={null}
            parameters={null}
            trans={trans}
          />
        </div>
      )}
    </DetailSection>
  );
}

/** The selected execution: status and actions, the graph, the step details, the parameters. */
function ExecutionPanel({
  model,
  view,
  trans
}: {
  model: PipelineModel;
  view: PipelineView;
  trans: TranslationBundle;
}): JSX.Element {
  const detail = model.detail;
  if (detail === null) {
    return model.detailError ? (
      <div className="jp-SageMakerDetail-error" role="alert">
        {model.detailError}
      </div>
    ) : (
      <div className="jp-SageMakerDetail-loading" role="status">
        {trans.__('Loading the execution…')}
      </div>
    );
  }
  const { execution } = detail;
  return (
    <div
      className="jp-SageMakerPipeline-executionDetail"
      data-testid="pipeline-execution"
      data-arn={execution.arn}
      data-status={execution.status}
    >
      <DetailSection title={trans.__('Execution %1', execution.displayName)}>
        {model.detailError && (
          <div className="jp-SageMakerDetail-error" role="alert">
            {model.detailError}
          </div>
        )}
        <div className="jp-SageMakerPipeline-actions">
          {execution.status === 'Executing' && (
            <button
              className="jp-mod-styled jp-mod-warn jp-SageMakerPipeline-stop"
              disabled={model.actionBusy}
              onClick={() => void view.stopExecution(execution)}
            >
              {trans.__('Stop')}
            </button>
          )}
          {(execution.status === 'Failed' ||
            execution.status === 'Stopped') && (
            <button
              className="jp-mod-styled jp-mod-accept jp-SageMakerPipeline-retry"
              disabled={model.actionBusy}
              onClick={() => void view.retryExecution(execution)}
            >
              {trans.__('Retry')}
            </button>
          )}
          {model.isPolling && (
            <span className="jp-SageMakerPipeline-live" role="status">
              {trans.__('Updating while the execution runs')}
            </span>
          )}
        </div>
        <Fields
          fields={[
            [
              trans.__('Status'),
              <PipelineStatusBadge
                key="s"
                status={execution.status}
                trans={trans}
              />
            ],
            [trans.__('Started'), <When key="st" date={execution.started} />],
            [trans.__('Duration'), executionDuration(execution, model, trans)],
            [trans.__('Description'), execution.description],
            [
              trans.__('Failure reason'),
              execution.failureReason && (
                <span key="f" className="jp-SageMakerPipeline-failure">
                  {execution.failureReason}
                </span>
              )
            ],
            [trans.__('ARN'), <code key="arn">{execution.arn}</code>]
          ]}
        />
      </DetailSection>
      <DetailSection title={trans.__('Steps')} testId="pipeline-graph">
        {detail.graphError && (
          <div className="jp-SageMakerDetail-error" role="alert">
            {detail.graphError}
          </div>
        )}
        {detail.graph && (
          <div className="jp-SageMakerPipeline-run">
            <PipelineGraph
              graph={detail.graph}
              steps={detail.steps}
              selected={model.selectedStep}
              onSelect={name => model.selectStep(name)}
              trans={trans}
            />
            <StepDetails
              graph={detail.graph}
              name={model.selectedStep}
              run={
                model.selectedStep
                  ? (detail.steps.get(model.selectedStep) ?? null)
                  : null
              }
              parameters={detail.parameters}
              trans={trans}
            />
          </div>
        )}
      </DetailSection>
      <ExecutionParameters detail={detail} trans={trans} />
    </div>
  );
}

/** The details of the selected step. */
function StepDetails({
  graph,
  name,
  run,
  parameters,
  trans
}: {
  graph: IPipelineGraph;
  name: string | null;
  run: IStepRun | null;
  parameters: Array<{ name: string; value: string }> | null;
  trans: TranslationBundle;
}): JSX.Element {
  const step = name ? graph.steps.find(s => s.name === name) : undefined;
  if (!step) {
    return (
      <aside className="jp-SageMakerPipeline-step jp-mod-empty">
        {trans.__('Select a step to see its inputs, outputs and status.')}
      </aside>
    );
  }
  const values = new Map((parameters ?? []).map(p => [p.name, p.value]));
  return (
    <aside
      className="jp-SageMakerPipeline-step"
      data-step={step.name}
      aria-label={trans.__('Step %1', step.name)}
    >
      <h4>{step.displayName ?? step.name}</h4>
      {step.description && (
        <p className="jp-SageMakerPipeline-stepDescription">
          {step.description}
        </p>
      )}
      <Fields
        fields={[
          [trans.__('Name'), step.name],
          [trans.__('Type'), step.type],
          [
            trans.__('Status'),
            parameters === null ? null : (
              <PipelineStatusBadge key="s" status={run?.status} trans={trans} />
            )
          ],
          [trans.__('Started'), run && <When key="st" date={run.started} />],
          [trans.__('Ended'), run && <When key="en" date={run.ended} />],
          [
            trans.__('Duration'),
            run?.started && run.ended
              ? formatDuration(run.ended - run.started, trans)
              : null
          ],
          [
            trans.__('Attempts'),
            run?.attempts && run.attempts > 1 ? String(run.attempts) : null
          ],
          [trans.__('Branch'), branchText(step, trans)]
        ]}
      />
      {run?.failureReason && (
        <div
          className="jp-SageMakerDetail-error jp-SageMakerPipeline-stepFailure"
          role="alert"
        >
          <strong>{trans.__('Failure reason')}</strong> {run.failureReason}
        </div>
      )}
      {parameters !== null && !run && (
        <p className="jp-SageMakerPipeline-hint">
          {step.branchOf
            ? trans.__(
                'This step has not run in this execution (it runs only on its condition’s branch).'
              )
            : trans.__('This step has not run in this execution.')}
        </p>
      )}
      <h5>{trans.__('Inputs')}</h5>
      <div className="jp-SageMakerPipeline-args">
        <ValueView value={displayValue(ownArguments(step))} values={values} />
      </div>
      <h5>{trans.__('Outputs')}</h5>
      <StepOutputs run={run} trans={trans} />
    </aside>
  );
}

/** "If true of CheckAccuracy" for a step in a Condition's branch. */
function branchText(
  step: IPipelineStep,
  trans: TranslationBundle
): string | null {
  if (!step.branchOf) {
    return null;
  }
  return step.branchOf.branch === 'if'
    ? trans.__('Runs when %1 is true', step.branchOf.condition)
    : trans.__('Runs when %1 is false', step.branchOf.condition);
}

/** The step's Metadata (job ARNs, condition outcome, …) as label-value rows. */
function StepOutputs({
  run,
  trans
}: {
  run: IStepRun | null;
  trans: TranslationBundle;
}): JSX.Element {
  const rows: Array<[string, React.ReactNode]> = [];
  for (const [kind, value] of Object.entries(run?.metadata ?? {})) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [field, inner] of Object.entries(value)) {
        rows.push([`${kind} ${field}`, outputText(inner)]);
      }
    } else {
      rows.push([kind, outputText(value)]);
    }
  }
  if (rows.length === 0) {
    return (
      <p className="jp-SageMakerPipeline-hint">
        {run && (run.status === 'Succeeded' || run.status === 'Failed')
          ? trans.__('SageMaker reported no outputs for this step.')
          : trans.__('Outputs appear when the step has run.')}
      </p>
    );
  }
  return <Fields fields={rows} />;
}

function outputText(value: unknown): React.ReactNode {
  if (typeof value === 'string' && value.startsWith('arn:')) {
    return <code>{value}</code>;
  }
  if (value !== null && typeof value === 'object') {
    if (
      Array.isArray(value) &&
      value.every(
        v => v && typeof v === 'object' && 'Name' in v && 'Value' in v
      )
    ) {
      return value
        .map(
          v =>
            `${(v as { Name: string }).Name} = ${(v as { Value: string }).Value}`
        )
        .join(', ');
    }
    return JSON.stringify(value);
  }
  return value === undefined || value === null ? null : String(value);
}

/** A definition value: scalars, references (`Parameters.X` with the execution's value on hover), calls, lists. */
function ValueView({
  value,
  values
}: {
  value: DisplayValue;
  values: Map<string, string>;
}): JSX.Element {
  switch (value.kind) {
    case 'ref': {
      const param = value.path.startsWith('Parameters.')
        ? value.path.slice('Parameters.'.length)
        : null;
      const current = param !== null ? values.get(param) : undefined;
      return (
        <code
          className="jp-SageMakerPipeline-ref"
          title={
            current !== undefined ? `${value.path} = ${current}` : value.path
          }
        >
          {value.path}
        </code>
      );
    }
    case 'call':
      return (
        <span className="jp-SageMakerPipeline-call">
          {value.name}(
          {value.args.map((arg, i) => (
            <React.Fragment key={i}>
              {i > 0 && ', '}
              <ValueView value={arg} values={values} />
            </React.Fragment>
          ))}
          )
        </span>
      );
    case 'list':
      if (value.items.every(i => i.kind === 'scalar' || i.kind === 'ref')) {
        return (
          <span>
            [
            {value.items.map((item, i) => (
              <React.Fragment key={i}>
                {i > 0 && ', '}
                <ValueView value={item} values={values} />
              </React.Fragment>
            ))}
            ]
          </span>
        );
      }
      return (
        <ol className="jp-SageMakerPipeline-list">
          {value.items.map((item, i) => (
            <li key={i}>
              <ValueView value={item} values={values} />
            </li>
          ))}
        </ol>
      );
    case 'object':
      if (value.entries.length === 0) {
        return <span className="jp-SageMakerPipeline-hint">{'{}'}</span>;
      }
      return (
        <dl className="jp-SageMakerPipeline-object">
          {value.entries.map(([key, inner]) => (
            <React.Fragment key={key}>
              <dt>{key}</dt>
              <dd>
                <ValueView value={inner} values={values} />
              </dd>
            </React.Fragment>
          ))}
        </dl>
      );
    default:
      return (
        <span className="jp-SageMakerPipeline-scalar">
          {typeof value.value === 'string'
            ? JSON.stringify(value.value)
            : String(value.value)}
        </span>
      );
  }
}

/** The execution's parameter values. */
function ExecutionParameters({
  detail,
  trans
}: {
  detail: IExecutionDetail;
  trans: TranslationBundle;
}): JSX.Element {
  const declared = new Map(
    (detail.graph?.parameters ?? []).map(p => [p.name, p])
  );
  return (
    <DetailSection title={trans.__('Parameters')} testId="pipeline-parameters">
      {detail.parameters.length === 0 ? (
        <p className="jp-SageMakerPipeline-hint">
          {trans.__('This execution has no parameters.')}
        </p>
      ) : (
        <table className="jp-SageMakerDetail-table jp-SageMakerPipeline-parameters">
          <thead>
            <tr>
              <th>{trans.__('Name')}</th>
              <th>{trans.__('Type')}</th>
              <th>{trans.__('Value')}</th>
              <th>{trans.__('Default')}</th>
            </tr>
          </thead>
          <tbody>
            {detail.parameters.map(p => {
              const d = declared.get(p.name);
              return (
                <tr key={p.name} data-name={p.name}>
                  <td>{p.name}</td>
                  <td>{d?.type ?? ''}</td>
                  <td>
                    <code>{p.value}</code>
                  </td>
                  <td>{d?.defaultValue ?? ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </DetailSection>
  );
}

/** How long an execution ran (until now while it runs; for list rows without an end, only the running one). */
function executionDuration(
  row: IExecutionSummary,
  model: PipelineModel,
  trans: TranslationBundle
): string {
  const detail =
    model.detail?.execution.arn === row.arn ? model.detail.execution : row;
  if (detail.started === null) {
    return '—';
  }
  if (isActive(detail.status)) {
    return formatDuration(Date.now() - detail.started, trans);
  }
  if (detail.lastModified === null) {
    return '—';
  }
  return formatDuration(detail.lastModified - detail.started, trans);
}

/** A duration as "45 s", "3 min 5 s", "2 h 7 min". */
export function formatDuration(ms: number, trans: TranslationBundle): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) {
    return trans.__('%1 s', seconds);
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return trans.__('%1 min %2 s', minutes, seconds % 60);
  }
  return trans.__('%1 h %2 min', Math.floor(minutes / 60), minutes % 60);
}

/** The start dialog's body: one field per declared parameter, and a display name. */
class StartForm
  extends ReactWidget
  implements Dialog.IBodyWidget<StartForm.IValue>
{
  constructor(options: {
    parameters: IPipelineParameter[];
    state: StartForm.IState;
    trans: TranslationBundle;
  }) {
    super();
    this.addClass('jp-SageMakerPipeline-startForm');
    this._parameters = options.parameters;
    this._state = options.state;
    this._values = { ...options.state.values };
    this._displayName = options.state.displayName;
    this._trans = options.trans;
  }

  getValue(): StartForm.IValue {
    return { displayName: this._displayName, values: { ...this._values } };
  }

  protected render(): JSX.Element {
    const trans = this._trans;
    const { errors, displayNameError } = this._state;
    const count = Object.keys(errors).length + (displayNameError ? 1 : 0);
    return (
      <form onSubmit={event => event.preventDefault()}>
        {count > 0 && (
          <p className="jp-SageMakerPipeline-formError" role="alert">
            {trans._n(
              'Correct the value marked below; nothing was started.',
              'Correct the %1 values marked below; nothing was started.',
              count
            )}
          </p>
        )}
        <label className="jp-SageMakerPipeline-field">
          <span>{trans.__('Display name (optional)')}</span>
          <input
            className="jp-mod-styled"
            name="displayName"
            defaultValue={this._displayName}
            aria-invalid={!!displayNameError}
            onChange={event => (this._displayName = event.target.value)}
          />
          {displayNameError && (
            <span className="jp-SageMakerPipeline-fieldError">
              {displayNameError}
            </span>
          )}
        </label>
        {this._parameters.length === 0 ? (
          <p className="jp-SageMakerPipeline-hint">
            {trans.__('This pipeline declares no parameters.')}
          </p>
        ) : (
          <fieldset>
            <legend>{trans.__('Parameters (empty: the default)')}</legend>
            {this._parameters.map(p => (
              <label
                key={p.name}
                className="jp-SageMakerPipeline-field"
                data-parameter={p.name}
              >
                <span>
                  {p.name}{' '}
                  <span className="jp-SageMakerPipeline-paramType">
                    {p.type}
                  </span>
                </span>
                {p.type === 'Boolean' ? (
                  <select
                    className="jp-mod-styled"
                    name={p.name}
                    defaultValue={this._values[p.name] ?? ''}
                    onChange={event =>
                      (this._values[p.name] = event.target.value)
                    }
                  >
                    <option value="">
                      {p.defaultValue === null
                        ? trans.__('Choose…')
                        : trans.__('Default (%1)', p.defaultValue)}
                    </option>
                    <option value="true">true</option>
                    <option value="false">false</option>
                  </select>
                ) : (
                  <input
                    className="jp-mod-styled"
                    name={p.name}
                    inputMode={
                      p.type === 'Integer'
                        ? 'numeric'
                        : p.type === 'Float'
                          ? 'decimal'
                          : undefined
                    }
                    placeholder={
                      p.defaultValue === null
                        ? trans.__('required')
                        : p.defaultValue === ''
                          ? trans.__('(empty)')
                          : p.defaultValue
                    }
                    defaultValue={this._values[p.name] ?? ''}
                    aria-invalid={!!errors[p.name]}
                    onChange={event =>
                      (this._values[p.name] = event.target.value)
                    }
                  />
                )}
                {errors[p.name] && (
                  <span className="jp-SageMakerPipeline-fieldError">
                    {errors[p.name]}
                  </span>
                )}
              </label>
            ))}
          </fieldset>
        )}
      </form>
    );
  }

  private _parameters: IPipelineParameter[];
  private _state: StartForm.IState;
  private _values: Record<string, string>;
  private _displayName: string;
  private _trans: TranslationBundle;
}

namespace StartForm {
  /** What the form returns. */
  export interface IValue {
    displayName: string;
    values: Record<string, string>;
  }
  /** What the form shows: the values typed and what is wrong with them. */
  export interface IState extends IValue {
    errors: Record<string, string>;
    displayNameError: string | null;
  }
}
