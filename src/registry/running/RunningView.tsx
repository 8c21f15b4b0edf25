/**
 * Rendering of "Running resources": the total per hour now, each resource with its instances, running time, price
 * per hour and cost so far, a stop / delete button that asks first, where the prices come from, and the kinds that
 * could not be listed. Reads the model only.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';

import { confirmDestructive } from '../details/components';
import { UpdatedAgo } from '../EndpointsView';
import { ErrorState } from '../ErrorState';
import { RunningModel } from './model';

/** The widget of the section. */
export class RunningView extends ReactWidget {
  /** Create the view of a model. */
  constructor(options: RunningView.IOptions) {
    super();
    this._model = options.model;
    this._trans = options.trans;
    this._onOpen = options.onOpen ?? null;
    this.addClass('jp-SageMakerRegistry');
    this.addClass('jp-SageMakerRunning');
    this.node.dataset.testid = 'sagemaker-studio-running';
  }

  /** Render; re-rendered on every model change. */
  render(): JSX.Element {
    return (
      <UseSignal signal={this._model.changed}>
        {() => (
          <Running
            model={this._model}
            trans={this._trans}
            onOpen={this._onOpen}
          />
        )}
      </UseSignal>
    );
  }

  private _model: RunningModel;
  private _trans: TranslationBundle;
  private _onOpen: ((row: RunningModel.IRow) => void) | null;
}

/** Types of {@link RunningView}. */
export namespace RunningView {
  /** Options of the view. */
  export interface IOptions {
    /** The running resources. */
    model: RunningModel;
    /** Translations. */
    trans: TranslationBundle;
    /** Opens a resource's tab (endpoints); other rows are plain text. */
    onOpen?: (row: RunningModel.IRow) => void;
  }
}

/** Props of the components below. */
interface IProps {
  model: RunningModel;
  trans: TranslationBundle;
  onOpen: ((row: RunningModel.IRow) => void) | null;
}

/** Re-render every `interval` ms so running times and costs move on. */
function useNow(interval: number): number {
  const [now, setNow] = React.useState(Date.now());
  React.useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), interval);
    return () => window.clearInterval(timer);
  }, [interval]);
  return now;
}

/** US dollars with cents (or a tenth of a cent below one dollar an hour, so cheap instances do not read $0.00). */
export function formatUsd(value: number): string {
  const digits = value !== 0 && Math.abs(value) < 1 ? 3 : 2;
  return `$${value.toFixed(digits)}`;
}

/** "3 h 12 min" / "12 min" / "< 1 min". */
export function formatDuration(ms: number, trans: TranslationBundle): string {
  const minutes = Math.floor(ms / 60000);
  if (minutes < 1) {
    return trans.__('< 1 min');
  }
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) {
    return trans.__('%1 d %2 h', days, hours);
  }
  return hours > 0
    ? trans.__('%1 h %2 min', hours, rest)
    : trans.__('%1 min', rest);
}

/** The section body. */
function Running(props: IProps): JSX.Element {
  const { model, trans } = props;
  const now = useNow(30000);
  if (
    model.status === 'idle' ||
    (model.status === 'loading' && model.updatedAt === null)
  ) {
    return (
      <div className="jp-SageMakerRegistry-sectionLoading" role="status">
        {trans.__('Loading…')}
      </div>
    );
  }
  if (model.status === 'error') {
    return (
      <ErrorState
        className="jp-SageMakerRegistry-sectionError"
        testId="sagemaker-studio-running-error"
        message={model.error}
        onRetry={() => void model.refresh()}
        busy={model.isLoading}
        trans={trans}
      />
    );
  }
  const rows = model.rows;
  const soFar = rows.reduce(
    (sum, row) => sum + (model.costSoFar(row, now) ?? 0),
    0
  );
  const source = model.priceSource;
  return (
    <>
      <div className="jp-SageMakerRunning-total" role="status">
        <span
          className="jp-SageMakerRunning-perHour"
          data-testid="sagemaker-studio-running-total"
        >
          {trans.__('%1 per hour now', formatUsd(model.totalPerHour))}
        </span>
        <span className="jp-SageMakerRunning-soFar">
          {trans._n(
            '%1 resource, %2 so far',
            '%1 resources, %2 so far',
            rows.length,
            formatUsd(soFar)
          )}
        </span>
        {model.unpriced > 0 && (
          <span className="jp-SageMakerRunning-unpriced">
            {trans._n(
              '%1 resource has no price in the table and is not counted.',
              '%1 resources have no price in the table and are not counted.',
              model.unpriced
            )}
          </span>
        )}
        <UpdatedAgo
          updatedAt={model.updatedAt}
          loading={model.isLoading}
          trans={trans}
          className="jp-SageMakerRegistry-sectionUpdated"
        />
      </div>
      {model.error && (
        <div className="jp-SageMakerRegistry-sectionError" role="alert">
          <p>{model.error}</p>
        </div>
      )}
      {model.kindErrors.map(error => (
        <div
          key={error.kind}
          className="jp-SageMakerRegistry-sectionError"
          role="alert"
          data-kind={error.kind}
        >
          <p>
            {trans.__(
              '%1 could not be listed: %2',
              kindLabel(error.kind, trans, 2),
              error.message
            )}
          </p>
        </div>
      ))}
      {rows.length === 0 ? (
        <div className="jp-SageMakerRegistry-sectionEmpty">
          <p>{trans.__('Nothing is running in %1.', model.region)}</p>
          <p>
            {trans.__(
              'InService endpoints, training, processing and transform jobs in progress, InService notebook instances and Studio apps show here with what they cost.'
            )}
          </p>
        </div>
      ) : (
        <ul className="jp-SageMakerRunning-list">
          {rows.map(row => (
            <RunningRow
              key={RunningModel.key(row)}
              row={row}
              now={now}
              {...props}
            />
          ))}
        </ul>
      )}
      {source && (
        <p className="jp-SageMakerRunning-source">
          {trans.__(
            'On-demand prices for %1 from %2 (%3). Taxes, storage, data transfer and savings plans are not included.',
            model.region,
            source.title,
            source.date
          )}{' '}
          <a href={source.url} target="_blank" rel="noopener noreferrer">
            {trans.__('Source')}
          </a>
        </p>
      )}
    </>
  );
}

/** One resource. */
function RunningRow({
  row,
  now,
  model,
  trans,
  onOpen
}: IProps & { row: RunningModel.IRow; now: number }): JSX.Element {
  const cost = model.costSoFar(row, now);
  const busy = model.isBusy(row);
  const action = actionOf(row.kind, trans);
  const instances = row.units
    .map(unit =>
      unit.serverless
        ? trans.__('serverless')
        : `${unit.count} × ${unit.instanceType ?? '?'}`
    )
    .join(', ');
  const stop = async () => {
    const confirmed = await confirmDestructive(trans, {
      title: action.title,
      body: action.body(row.name),
      action: action.label
    });
    if (confirmed) {
      await model.stop(row);
    }
  };
  const serverlessOnly = row.units.every(unit => unit.serverless);
  return (
    <li
      className="jp-SageMakerRunning-row"
      data-kind={row.kind}
      data-name={row.name}
      title={row.arn || row.name}
    >
      <div className="jp-SageMakerRunning-rowHeader">
        {onOpen && row.kind === 'endpoint' ? (
          <button
            className="jp-SageMakerRegistry-rowName jp-SageMakerRegistry-rowOpen"
            onClick={() => onOpen(row)}
          >
            {row.name}
          </button>
        ) : (
          <span className="jp-SageMakerRegistry-rowName">{row.name}</span>
        )}
        <button
          className="jp-mod-styled jp-mod-warn jp-SageMakerRunning-stop"
          onClick={() => void stop()}
          disabled={busy}
          aria-label={`${action.label} ${row.name}`}
        >
          {busy ? trans.__('Working…') : action.label}
        </button>
      </div>
      <div className="jp-SageMakerRunning-rowDetails">
        <span className="jp-SageMakerRunning-kind">
          {kindLabel(row.kind, trans, 1)}
        </span>
        <span className="jp-SageMakerRunning-instances">{instances}</span>
        {row.since !== null && (
          <span
            className="jp-SageMakerRunning-since"
            title={new Date(row.since).toLocaleString()}
          >
            {trans.__('for %1', formatDuration(now - row.since, trans))}
          </span>
        )}
      </div>
      <div className="jp-SageMakerRunning-rowDetails">
        <span className="jp-SageMakerRunning-rate" data-testid="rate">
          {row.perHour !== null
            ? trans.__('%1/h', formatUsd(row.perHour))
            : serverlessOnly
              ? trans.__('billed per request')
              : trans.__('no price for %1', row.unpricedTypes.join(', '))}
        </span>
        {cost !== null && (
          <span className="jp-SageMakerRunning-cost">
            {trans.__('%1 so far', formatUsd(cost))}
          </span>
        )}
      </div>
    </li>
  );
}

/** The label of a kind, singular (1) or plural (2). */
function kindLabel(
  kind: RunningModel.Kind,
  trans: TranslationBundle,
  n: number
): string {
  switch (kind) {
    case 'endpoint':
      return trans._n('Endpoint', 'Endpoints', n);
    case 'training-job':
      return trans._n('Training job', 'Training jobs', n);
    case 'processing-job':
      return trans._n('Processing job', 'Processing jobs', n);
    case 'transform-job':
      return trans._n('Transform job', 'Transform jobs', n);
    case 'notebook-instance':
      return trans._n('Notebook instance', 'Notebook instances', n);
    case 'app':
      return trans._n('Studio app', 'Studio apps', n);
  }
}

/** What the row's button does and how the confirmation words it. */
function actionOf(
  kind: RunningModel.Kind,
  trans: TranslationBundle
): { label: string; title: string; body: (name: string) => string } {
  switch (kind) {
    case 'endpoint':
      return {
        label: trans.__('Delete'),
        title: trans.__('Delete endpoint?'),
        body: name =>
          trans.__(
            'Delete endpoint “%1”? Applications calling it will fail. Its endpoint configuration and models are kept.',
            name
          )
      };
    case 'app':
      return {
        label: trans.__('Delete'),
        title: trans.__('Delete Studio app?'),
        body: name =>
          trans.__(
            'Delete app “%1”? Its instance shuts down and unsaved kernel state is lost; files in the space are kept.',
            name
          )
      };
    case 'notebook-instance':
      return {
        label: trans.__('Stop'),
        title: trans.__('Stop notebook instance?'),
        body: name =>
          trans.__(
            'Stop notebook instance “%1”? Running kernels end; its storage volume is kept and it can be started again.',
            name
          )
      };
    default:
      return {
        label: trans.__('Stop'),
        title: trans.__('Stop job?'),
        body: name =>
          trans.__(
            'Stop job “%1”? It ends as Stopped and cannot be resumed.',
            name
          )
      };
  }
}
