/**
 * Rendering of the endpoint list: search box and sort control, rows with status badge and instance type (each
 * opening the endpoint's tab), "updated N s ago", empty and error states. Reads the model only; knows nothing
 * about AWS.
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
    this._onOpen = options.onOpen ?? null;
    this.addClass('jp-SageMakerRegistry');
    this.node.dataset.testid = 'sagemaker-studio-endpoints';
  }

  /** Render; re-rendered on every model change. */
  render(): JSX.Element {
    return (
      <UseSignal signal={this._model.changed}>
        {() => (
          <>
            <Controls
              model={this._model}
              trans={this._trans}
              onOpen={this._onOpen}
            />
            <EndpointList
              model={this._model}
              trans={this._trans}
              onOpen={this._onOpen}
            />
          </>
        )}
      </UseSignal>
    );
  }

  private _model: EndpointsModel;
  private _trans: TranslationBundle;
  private _onOpen: ((name: string) => void) | null;
}

/** Types of {@link EndpointsView}. */
export namespace EndpointsView {
  /** Options of the view. */
  export interface IOptions {
    /** The endpoint list. */
    model: EndpointsModel;
    /** Translations. */
    trans: TranslationBundle;
    /** Opens an endpoint's tab; rows are plain text without it. */
    onOpen?: (name: string) => void;
  }
}

/** Props of the list components. */
interface IListProps {
  model: EndpointsModel;
  trans: TranslationBundle;
  onOpen: ((name: string) => void) | null;
}

/** Search box and sort control (the same controls as the other sections). */
function Controls({ model, trans }: IListProps): JSX.Element {
  return (
    <div className="jp-SageMakerRegistry-controls">
      <input
        type="search"
        className="jp-SageMakerRegistry-search"
        data-testid="sagemaker-studio-endpoints-search"
        placeholder={trans.__('Search by name')}
        aria-label={trans.__('Search %1 by name', trans.__('Endpoints'))}
        value={model.search}
        onChange={event => model.setSearch(event.currentTarget.value)}
      />
      <select
        className="jp-SageMakerRegistry-sort"
        data-testid="sagemaker-studio-endpoints-sort"
        aria-label={trans.__('Sort %1', trans.__('Endpoints'))}
        value={`${model.sort.by}-${model.sort.order}`}
        onChange={event => {
          const [by, order] = event.currentTarget.value.split('-');
          model.setSort({
            by: by as EndpointsModel.SortKey,
            order: order as 'asc' | 'desc'
          });
        }}
      >
        <option value="name-asc">{trans.__('Name (A–Z)')}</option>
        <option value="name-desc">{trans.__('Name (Z–A)')}</option>
        <option value="created-desc">{trans.__('Newest first')}</option>
        <option value="created-asc">{trans.__('Oldest first')}</option>
      </select>
    </div>
  );
}

/** The list with its status line and empty/error states. */
function EndpointList({ model, trans, onOpen }: IListProps): JSX.Element {
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
  const endpoints = model.items;
  const total = model.endpoints.length;
  const search = model.search.trim();
  return (
    <>
      <div className="jp-SageMakerRegistry-summary">
        <span className="jp-SageMakerRegistry-count">
          {endpoints.length === total
            ? trans._n('%1 endpoint', '%1 endpoints', total)
            : trans.__(
                '%1 of %2 shown',
                endpoints.length,
                trans._n('%1 endpoint', '%1 endpoints', total)
              )}
          {model.truncated ? ` ${trans.__('(more not shown)')}` : ''}
        </span>
        <UpdatedAgo
          updatedAt={model.updatedAt}
          loading={model.isLoading}
          trans={trans}
        />
      </div>
      {endpoints.length === 0 && search ? (
        <div className="jp-SageMakerRegistry-empty">
          <p>{trans.__('No endpoint name contains “%1”.', search)}</p>
          <p>{trans.__('Change or clear the search.')}</p>
        </div>
      ) : endpoints.length === 0 ? (
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
              violations={model.hasMonitoringViolations(endpoint.name)}
              trans={trans}
              onOpen={onOpen}
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
  violations,
  trans,
  onOpen
}: {
  endpoint: EndpointsModel.IEndpoint;
  violations: boolean;
  trans: TranslationBundle;
  onOpen: ((name: string) => void) | null;
}): JSX.Element {
  return (
    <li
      className="jp-SageMakerRegistry-endpoint"
      data-endpoint-name={endpoint.name}
      data-status={endpoint.status}
      title={endpoint.arn}
    >
      <div className="jp-SageMakerRegistry-endpointHeader">
        {onOpen ? (
          <button
            className="jp-SageMakerRegistry-name jp-SageMakerRegistry-rowOpen"
            title={trans.__('Open %1', endpoint.name)}
            onClick={() => onOpen(endpoint.name)}
          >
            {endpoint.name}
          </button>
        ) : (
          <span className="jp-SageMakerRegistry-name">{endpoint.name}</span>
        )}
        <span
          className={`jp-SageMakerRegistry-badge ${badgeClass(endpoint.status)}`}
        >
          {statusLabel(endpoint.status, trans)}
        </span>
        {violations && (
          <span
            className="jp-SageMakerRegistry-monitorBadge"
            data-testid="sagemaker-endpoint-monitor-violations"
            role="img"
            aria-label={trans.__(
              'The latest Model Monitor execution found violations'
            )}
            title={trans.__(
              'The latest Model Monitor execution found violations'
            )}
          >
            {trans.__('⚠ Violations')}
          </span>
        )}
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
export function badgeClass(status: string): string {
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
