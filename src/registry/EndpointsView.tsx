/**
 * Rendering of the endpoint list: rows with status badge and instance type, "updated N s ago", empty and error
 * states. Reads the model only; knows nothing about AWS.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import { Poll } from '@lumino/polling';
import * as React from 'react';

import { ErrorState } from './ErrorState';
import { EndpointsModel } from './model';

/** The endpoint list widget. */
export class EndpointsView extends ReactWidget {
  /** Create the view of a model. */
  constructor(options: EndpointsView.IOptions) {
    super();
    this._model = options.model;
    this._trans = options.trans;
    this.addClass('jp-SageMakerRegistry');
    this.node.dataset.testid = 'sagemaker-studio-endpoints';
  }

  /** Render; re-rendered on every model change. */
  render(): JSX.Element {
    return (
      <UseSignal signal={this._model.changed}>
        {() => <EndpointList model={this._model} trans={this._trans} />}
      </UseSignal>
    );
  }

  private _model: EndpointsModel;
  private _trans: TranslationBundle;
}

/** Types of {@link EndpointsView}. */
export namespace EndpointsView {
  /** Options of the view. */
  export interface IOptions {
    /** The endpoint list. */
    model: EndpointsModel;
    /** Translations. */
    trans: TranslationBundle;
  }
}

/** Props of the list components. */
interface IListProps {
  model: EndpointsModel;
  trans: TranslationBundle;
}

/** The list with its status line and empty/error states. */
function EndpointList({ model, trans }: IListProps): JSX.Element {
  const retry = () => void model.refresh();
  if (
    model.status === 'idle' ||
    (model.status === 'loading' && !model.updatedAt)
  ) {
    return (
      <div className="jp-SageMakerRegistry-loading" role="status">
        {trans.__('Loading endpoints…')}
      </div>
    );
  }
  if (model.status === 'error') {
    return (
      <ErrorState
        className="jp-SageMakerRegistry-error"
        message={model.error}
        onRetry={retry}
        busy={model.isLoading}
        trans={trans}
      />
    );
  }
  const endpoints = model.endpoints;
  return (
    <>
      <div className="jp-SageMakerRegistry-summary">
        <span className="jp-SageMakerRegistry-count">
          {trans._n('%1 endpoint', '%1 endpoints', endpoints.length)}
          {model.truncated ? ` ${trans.__('(more not shown)')}` : ''}
        </span>
        <UpdatedAgo
          updatedAt={model.updatedAt}
          loading={model.isLoading}
          trans={trans}
        />
      </div>
      {endpoints.length === 0 ? (
        <div className="jp-SageMakerRegistry-empty">
          <p>{trans.__('No endpoints in %1.', model.region ?? '')}</p>
          <p>
            {trans.__(
              'Deploy a model to an endpoint (for example with the SageMaker Python SDK’s `model.deploy()` in a notebook) and refresh. In local mode, `python -m jupyterlab_sagemaker_studio.demo` creates demo endpoints.'
            )}
          </p>
        </div>
      ) : (
        <ul className="jp-SageMakerRegistry-list">
          {endpoints.map(endpoint => (
            <EndpointRow
              key={endpoint.arn || endpoint.name}
              endpoint={endpoint}
              trans={trans}
            />
          ))}
        </ul>
      )}
    </>
  );
}

/** One endpoint. */
function EndpointRow({
  endpoint,
  trans
}: {
  endpoint: EndpointsModel.IEndpoint;
  trans: TranslationBundle;
}): JSX.Element {
  return (
    <li
      className="jp-SageMakerRegistry-endpoint"
      data-endpoint-name={endpoint.name}
      data-status={endpoint.status}
      title={endpoint.arn}
    >
      <div className="jp-SageMakerRegistry-endpointHeader">
        <span className="jp-SageMakerRegistry-name">{endpoint.name}</span>
        <span
          className={`jp-SageMakerRegistry-badge ${badgeClass(endpoint.status)}`}
        >
          {statusLabel(endpoint.status, trans)}
        </span>
      </div>
      <div className="jp-SageMakerRegistry-instance">
        {endpoint.detailsError
          ? trans.__('Details unavailable: %1', endpoint.detailsError)
          : instanceSummary(endpoint, trans)}
      </div>
      {endpoint.failureReason && (
        <div className="jp-SageMakerRegistry-failure">
          {endpoint.failureReason}
        </div>
      )}
    </li>
  );
}

/** "Updated N s ago", ticking while shown (also used by the generic sections, with their own class). */
export function UpdatedAgo({
  updatedAt,
  loading,
  trans,
  className = 'jp-SageMakerRegistry-updated'
}: {
  updatedAt: number | null;
  loading: boolean;
  trans: TranslationBundle;
  className?: string;
}): JSX.Element {
  const [now, setNow] = React.useState(Date.now());
  React.useEffect(() => {
    const poll = new Poll({
      factory: async () => setNow(Date.now()),
      frequency: { interval: 1000, backoff: false },
      standby: 'when-hidden',
      name: 'jupyterlab-sagemaker-studio:updated-ago'
    });
    return () => poll.dispose();
  }, []);
  let text = '';
  if (loading) {
    text = trans.__('Refreshing…');
  } else if (updatedAt !== null) {
    const seconds = Math.max(0, Math.round((now - updatedAt) / 1000));
    text =
      seconds < 60
        ? trans.__('Updated %1 s ago', seconds)
        : seconds < 3600
          ? trans.__('Updated %1 min ago', Math.floor(seconds / 60))
          : trans.__('Updated at %1', new Date(updatedAt).toLocaleTimeString());
  }
  return <span className={className}>{text}</span>;
}

/** Instance types and counts of the variants, e.g. "ml.m5.large × 2". */
export function instanceSummary(
  endpoint: EndpointsModel.IEndpoint,
  trans: TranslationBundle
): string {
  if (endpoint.variants.length === 0) {
    return trans.__('No instances');
  }
  return endpoint.variants
    .map(v => {
      if (v.instanceType === null) {
        return v.serverlessMemoryMB !== null
          ? trans.__('Serverless (%1 MB)', v.serverlessMemoryMB)
          : trans.__('Serverless');
      }
      return v.instanceCount !== null
        ? `${v.instanceType} × ${v.instanceCount}`
        : v.instanceType;
    })
    .join(', ');
}

/** The translated label of an EndpointStatus. */
export function statusLabel(status: string, trans: TranslationBundle): string {
  switch (status) {
    case 'InService':
      return trans.__('In service');
    case 'Creating':
      return trans.__('Creating');
    case 'Updating':
      return trans.__('Updating');
    case 'SystemUpdating':
      return trans.__('System updating');
    case 'RollingBack':
      return trans.__('Rolling back');
    case 'Deleting':
      return trans.__('Deleting');
    case 'Failed':
      return trans.__('Failed');
    case 'OutOfService':
      return trans.__('Out of service');
    case 'UpdateRollbackFailed':
      return trans.__('Update rollback failed');
    default:
      return status;
  }
}

/** The badge colour class of an EndpointStatus. */
function badgeClass(status: string): string {
  switch (status) {
    case 'InService':
      return 'jp-mod-ok';
    case 'Failed':
    case 'OutOfService':
    case 'UpdateRollbackFailed':
      return 'jp-mod-bad';
    default:
      return 'jp-mod-busy';
  }
}
