/**
 * The endpoint tab: status, endpoint config, production variants, data capture, monitoring schedules, console
 * links (AWS mode), Test inference and delete. Reads {@link EndpointDetailModel}; no AWS code here.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';

import { monitoringTypeLabel } from '../../monitor/labels';
import { badgeClass, statusLabel } from '../EndpointsView';
import {
  confirmDestructive,
  DetailFrame,
  DetailSection,
  Fields,
  When
} from './components';
import {
  EndpointDetailModel,
  INFERENCE_CONTENT_TYPES,
  InferenceContentType
} from './endpointModel';
import type { IDetailContent, IDetailContext, IResourceChange } from './types';

/** Id of the monitor plugin's command opening an endpoint's Model Monitor dashboard. */
const OPEN_MONITOR_COMMAND = 'sagemaker-studio:open-model-monitor';

/** Build the tab of the endpoint `context.resource.name`. */
export function createDetail(context: IDetailContext): IDetailContent {
  const model = new EndpointDetailModel({
    connection: context.connection,
    name: context.resource.name,
    trans: context.trans,
    notify: context.notify
  });
  const onChange = (_: unknown, change: IResourceChange) =>
    model.handleChange(change);
  context.changes.connect(onChange);
  const { commands } = context;
  const content = new EndpointDetailView({
    model,
    trans: context.trans,
    // The dashboard comes from the monitor plugin; without it, the tab simply has no button.
    openMonitor: commands.hasCommand(OPEN_MONITOR_COMMAND)
      ? () =>
          void commands.execute(OPEN_MONITOR_COMMAND, {
            endpointName: context.resource.name
          })
      : undefined
  });
  content.disposed.connect(() => context.changes.disconnect(onChange));
  void model.refresh();
  return { content, label: context.resource.name };
}

/** The content widget of an endpoint tab. */
export class EndpointDetailView extends ReactWidget {
  /** Create the view of a model; the view owns the model and disposes it. */
  constructor(options: EndpointDetailView.IOptions) {
    super();
    this._model = options.model;
    this._trans = options.trans;
    this._openMonitor = options.openMonitor ?? null;
    this.addClass('jp-SageMakerDetail-body');
    this.addClass('jp-SageMakerEndpointDetail');
    this.node.dataset.testid = 'sagemaker-endpoint-detail';
  }

  /** The model shown. */
  get model(): EndpointDetailModel {
    return this._model;
  }

  /** Dispose the model with the view (it polls while the endpoint changes). */
  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._model.dispose();
    super.dispose();
  }

  /** Render; re-rendered on every model change. */
  render(): JSX.Element {
    return (
      <UseSignal signal={this._model.changed}>
        {() => (
          <EndpointDetail
            model={this._model}
            trans={this._trans}
            openMonitor={this._openMonitor}
          />
        )}
      </UseSignal>
    );
  }

  private _model: EndpointDetailModel;
  private _trans: TranslationBundle;
  private _openMonitor: (() => void) | null;
}

/** Types of {@link EndpointDetailView}. */
export namespace EndpointDetailView {
  /** Options of the view. */
  export interface IOptions {
    /** The endpoint's model. */
    model: EndpointDetailModel;
    /** Translations. */
    trans: TranslationBundle;
    /** Opens the endpoint's Model Monitor dashboard; no button without it. */
    openMonitor?: () => void;
  }
}

/** Props of the parts of the tab. */
interface IProps {
  model: EndpointDetailModel;
  trans: TranslationBundle;
  openMonitor?: (() => void) | null;
}

/** The whole tab: heading with actions, then the loaded parts. */
function EndpointDetail({ model, trans, openMonitor }: IProps): JSX.Element {
  return (
    <>
      <Heading model={model} trans={trans} />
      <DetailFrame model={model.resource} trans={trans}>
        {snapshot =>
          snapshot.endpoint === null ? (
            <div
              className="jp-SageMakerEndpoint-gone"
              role="status"
              data-testid="sagemaker-endpoint-gone"
            >
              <p>
                {trans.__(
                  'The endpoint “%1” no longer exists: it was deleted.',
                  model.name
                )}
              </p>
              <p>{trans.__('You can close this tab.')}</p>
            </div>
          ) : (
            <Parts
              model={model}
              endpoint={snapshot.endpoint}
              trans={trans}
              openMonitor={openMonitor}
            />
          )
        }
      </DetailFrame>
    </>
  );
}

/** Name, refresh and delete, and the sentence of a failed delete. */
function Heading({ model, trans }: IProps): JSX.Element {
  const endpoint = model.endpoint;
  const deleting = endpoint?.status === 'Deleting';
  const onDelete = async () => {
    const confirmed = await confirmDestructive(trans, {
      title: trans.__('Delete endpoint?'),
      body: trans.__(
        'Delete the endpoint “%1”? It stops serving requests and its instances are released. Its endpoint configuration and models are kept.',
        model.name
      ),
      action: trans.__('Delete')
    });
    if (confirmed) {
      await model.delete();
    }
  };
  return (
    <>
      <div className="jp-SageMakerEndpoint-heading">
        <h2 className="jp-SageMakerEndpoint-title">{model.name}</h2>
        <button
          className="jp-mod-styled jp-SageMakerEndpoint-refresh"
          onClick={() => void model.refresh()}
          disabled={model.resource.isLoading}
        >
          {model.resource.isLoading
            ? trans.__('Refreshing…')
            : trans.__('Refresh')}
        </button>
        <button
          className="jp-mod-styled jp-mod-warn jp-SageMakerEndpoint-delete"
          onClick={() => void onDelete()}
          disabled={!endpoint || deleting || model.isDeleting}
          title={trans.__('Delete this endpoint')}
        >
          {model.isDeleting ? trans.__('Deleting…') : trans.__('Delete')}
        </button>
      </div>
      {model.actionError && (
        <div
          className="jp-SageMakerDetail-error"
          role="alert"
          data-testid="sagemaker-endpoint-action-error"
        >
          {model.actionError}
        </div>
      )}
    </>
  );
}

/** The parts of an existing endpoint. */
function Parts({
  model,
  endpoint,
  trans,
  openMonitor
}: IProps & { endpoint: EndpointDetailModel.IEndpoint }): JSX.Element {
  const links = model.consoleLinks;
  return (
    <>
      {endpoint.status === 'Deleting' && (
        <div
          className="jp-SageMakerEndpoint-deleting"
          role="status"
          data-testid="sagemaker-endpoint-deleting"
        >
          {trans.__(
            'This endpoint is being deleted. The tab refreshes until it is gone.'
          )}
        </div>
      )}
      <DetailSection
        title={trans.__('Overview')}
        testId="sagemaker-endpoint-overview"
      >
        <Fields
          fields={[
            [
              trans.__('Status'),
              <span
                className={`jp-SageMakerRegistry-badge ${badgeClass(endpoint.status)}`}
                data-status={endpoint.status}
              >
                {statusLabel(endpoint.status, trans)}
              </span>
            ],
            ...(endpoint.failureReason
              ? ([
                  [trans.__('Failure reason'), endpoint.failureReason]
                ] as Array<[string, React.ReactNode]>)
              : []),
            [trans.__('ARN'), endpoint.arn],
            [trans.__('Created'), <When date={endpoint.created} />],
            [trans.__('Last modified'), <When date={endpoint.modified} />],
            ...(links
              ? ([
                  [
                    trans.__('AWS console'),
                    <span className="jp-SageMakerEndpoint-links">
                      <a
                        href={links.console}
                        target="_blank"
                        rel="noopener noreferrer"
                      >
                        {trans.__('Endpoint in the SageMaker console')}
                      </a>
                      <a
                        href={links.metrics}
                        target="_blank"
                        rel="noopener noreferrer"
                      >
                        {trans.__('CloudWatch metrics')}
                      </a>
                    </span>
                  ]
                ] as Array<[string, React.ReactNode]>)
              : [])
          ]}
        />
      </DetailSection>
      <DetailSection
        title={trans.__('Endpoint configuration')}
        testId="sagemaker-endpoint-config"
      >
        {endpoint.configError && (
          <div className="jp-SageMakerDetail-error" role="alert">
            {endpoint.configError}
          </div>
        )}
        <Fields
          fields={[
            [trans.__('Name'), endpoint.configName],
            [trans.__('ARN'), endpoint.configArn],
            [trans.__('Created'), <When date={endpoint.configCreated} />],
            [trans.__('KMS key'), endpoint.configKmsKeyId]
          ]}
        />
      </DetailSection>
      <Variants endpoint={endpoint} trans={trans} />
      <DataCapture capture={endpoint.dataCapture} trans={trans} />
      <Monitoring
        endpoint={endpoint}
        model={model}
        trans={trans}
        openMonitor={openMonitor}
      />
      <TestInference model={model} endpoint={endpoint} trans={trans} />
    </>
  );
}

/** The production variants table. */
function Variants({
  endpoint,
  trans
}: {
  endpoint: EndpointDetailModel.IEndpoint;
  trans: TranslationBundle;
}): JSX.Element {
  const count = (n: number | null) => (n === null ? '—' : String(n));
  return (
    <DetailSection
      title={trans.__('Production variants')}
      testId="sagemaker-endpoint-variants"
    >
      {endpoint.variants.length === 0 ? (
        <p className="jp-SageMakerEndpoint-empty">
          {trans.__('The endpoint reports no production variants yet.')}
        </p>
      ) : (
        <table className="jp-SageMakerDetail-table">
          <thead>
            <tr>
              <th>{trans.__('Variant')}</th>
              <th>{trans.__('Model')}</th>
              <th>{trans.__('Instance type')}</th>
              <th>{trans.__('Initial count')}</th>
              <th>{trans.__('Current count')}</th>
              <th>{trans.__('Weight')}</th>
            </tr>
          </thead>
          <tbody>
            {endpoint.variants.map(v => (
              <tr key={v.name} data-variant={v.name}>
                <td>{v.name}</td>
                <td>{v.modelName ?? '—'}</td>
                <td data-column="instance-type">
                  {v.instanceType ??
                    (v.serverlessMemoryMB !== null
                      ? trans.__('Serverless (%1 MB)', v.serverlessMemoryMB)
                      : trans.__('Serverless'))}
                </td>
                <td>{count(v.initialInstanceCount)}</td>
                <td>
                  {count(v.currentInstanceCount)}
                  {v.desiredInstanceCount !== null &&
                  v.desiredInstanceCount !== v.currentInstanceCount
                    ? ` ${trans.__('(going to %1)', v.desiredInstanceCount)}`
                    : ''}
                </td>
                <td>{v.weight === null ? '—' : String(v.weight)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </DetailSection>
  );
}

/** Data capture settings, or a sentence saying there are none. */
function DataCapture({
  capture,
  trans
}: {
  capture: EndpointDetailModel.IDataCapture | null;
  trans: TranslationBundle;
}): JSX.Element {
  return (
    <DetailSection
      title={trans.__('Data capture')}
      testId="sagemaker-endpoint-data-capture"
    >
      {capture === null ? (
        <p className="jp-SageMakerEndpoint-empty">
          {trans.__(
            'Data capture is not configured: requests and responses are not saved. Enable it in a new endpoint configuration (DataCaptureConfig) to monitor this endpoint.'
          )}
        </p>
      ) : (
        <Fields
          fields={[
            [
              trans.__('Enabled'),
              capture.enabled
                ? capture.status
                  ? trans.__('Yes (%1)', capture.status)
                  : trans.__('Yes')
                : trans.__('No')
            ],
            [
              trans.__('Sampling'),
              capture.samplingPercentage === null
                ? null
                : `${capture.samplingPercentage} %`
            ],
            [trans.__('Destination'), capture.destination],
            [
              trans.__('Captures'),
              capture.captureModes.length
                ? capture.captureModes
                    .map(mode =>
                      mode === 'Input'
                        ? trans.__('Requests')
                        : mode === 'Output'
                          ? trans.__('Responses')
                          : mode
                    )
                    .join(', ')
                : null
            ]
          ]}
        />
      )}
    </DetailSection>
  );
}

/** The monitoring schedules watching the endpoint. */
function Monitoring({
  endpoint,
  trans,
  openMonitor
}: IProps & { endpoint: EndpointDetailModel.IEndpoint }): JSX.Element {
  const schedules = endpoint.monitoring;
  let content: JSX.Element;
  if (schedules === null) {
    content = (
      <div className="jp-SageMakerDetail-error" role="alert">
        {endpoint.monitoringError}
      </div>
    );
  } else if (schedules.length === 0) {
    content = (
      <div
        className="jp-SageMakerEndpoint-empty"
        data-testid="sagemaker-endpoint-monitoring-empty"
      >
        <p>{trans.__('No monitoring schedule watches this endpoint.')}</p>
        <p>
          {trans.__(
            'Create one with SageMaker Model Monitor (for example `DefaultModelMonitor(...).create_monitoring_schedule()` of the SageMaker Python SDK); it needs data capture on the endpoint.'
          )}
        </p>
      </div>
    );
  } else {
    content = (
      <table className="jp-SageMakerDetail-table">
        <thead>
          <tr>
            <th>{trans.__('Schedule')}</th>
            <th>{trans.__('Type')}</th>
            <th>{trans.__('Status')}</th>
            <th>{trans.__('Last execution')}</th>
          </tr>
        </thead>
        <tbody>
          {schedules.map(s => (
            <tr key={s.arn || s.name}>
              <td>
                <span
                  className="jp-SageMakerEndpoint-schedule"
                  data-monitoring-schedule={s.name}
                  title={s.arn}
                >
                  {s.name}
                </span>
              </td>
              <td>{s.type ? monitoringTypeLabel(s.type, trans) : '—'}</td>
              <td>{s.status ?? '—'}</td>
              <td>{s.lastExecutionStatus ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  return (
    <DetailSection
      title={trans.__('Monitoring schedules')}
      testId="sagemaker-endpoint-monitoring"
    >
      {content}
      {openMonitor && !!schedules?.length && (
        <button
          className="jp-mod-styled jp-SageMakerEndpoint-openMonitor"
          data-testid="sagemaker-endpoint-open-monitor"
          onClick={openMonitor}
          title={trans.__(
            'Show the executions, violations and feature drift of these schedules'
          )}
        >
          {trans.__('Open Model Monitor dashboard')}
        </button>
      )}
    </DetailSection>
  );
}

/** JSON body editor, content type, send, and the answer or the reason there is none. */
function TestInference({
  model,
  endpoint,
  trans
}: IProps & { endpoint: EndpointDetailModel.IEndpoint }): JSX.Element {
  const [body, setBody] = React.useState('');
  const [contentType, setContentType] =
    React.useState<InferenceContentType>('application/json');
  const inference = model.inference;
  const sending = inference.status === 'sending';
  return (
    <DetailSection
      title={trans.__('Test inference')}
      testId="sagemaker-endpoint-inference"
    >
      <form
        className="jp-SageMakerEndpoint-inference"
        onSubmit={event => {
          event.preventDefault();
          void model.invoke(body, contentType);
        }}
      >
        {model.isLocal && (
          <p className="jp-SageMakerEndpoint-hint">
            {trans.__(
              'In local mode no model container runs behind the endpoint, so the local backend answers with an explanation instead of a prediction.'
            )}
          </p>
        )}
        {endpoint.status !== 'InService' && (
          <p className="jp-SageMakerEndpoint-hint">
            {trans.__(
              'The endpoint is %1; it answers requests once it is in service.',
              statusLabel(endpoint.status, trans)
            )}
          </p>
        )}
        <label className="jp-SageMakerEndpoint-label">
          {trans.__('Content type')}
          <select
            className="jp-SageMakerEndpoint-contentType"
            value={contentType}
            onChange={event =>
              setContentType(event.currentTarget.value as InferenceContentType)
            }
          >
            {INFERENCE_CONTENT_TYPES.map(type => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        </label>
        <label className="jp-SageMakerEndpoint-label">
          {trans.__('Request body')}
          <textarea
            className="jp-SageMakerEndpoint-body"
            value={body}
            rows={8}
            spellCheck={false}
            placeholder={
              contentType === 'application/json'
                ? '{"instances": [[1.0, 2.0, 3.0]]}'
                : '1.0,2.0,3.0'
            }
            onChange={event => setBody(event.currentTarget.value)}
          />
        </label>
        <div className="jp-SageMakerEndpoint-actions">
          <button
            type="submit"
            className="jp-mod-styled jp-mod-accept jp-SageMakerEndpoint-send"
            disabled={sending}
          >
            {sending ? trans.__('Sending…') : trans.__('Send')}
          </button>
        </div>
      </form>
      {(inference.status === 'invalid' || inference.status === 'failed') && (
        <div
          className="jp-SageMakerDetail-error jp-SageMakerEndpoint-inferenceMessage"
          role="alert"
          data-status={inference.status}
          data-testid="sagemaker-endpoint-inference-message"
        >
          {inference.message}
        </div>
      )}
      {inference.status === 'answered' && (
        <div
          className="jp-SageMakerEndpoint-answer"
          data-testid="sagemaker-endpoint-inference-answer"
        >
          <p className="jp-SageMakerEndpoint-hint">
            {inference.variant
              ? trans.__(
                  'Answered by variant %1 (%2).',
                  inference.variant,
                  inference.contentType ?? trans.__('no content type')
                )
              : trans.__(
                  'Answered (%1).',
                  inference.contentType ?? trans.__('no content type')
                )}
          </p>
          <pre className="jp-SageMakerEndpoint-output">{inference.output}</pre>
        </div>
      )}
    </DetailSection>
  );
}
