/**
 * The JumpStart deploy form in a main-area tab: endpoint name, instance type (with its hourly price), instance
 * count, execution role and, for gated models, EULA acceptance; then the progress of the three create calls and of
 * the endpoint until it is InService. The command that opens it reads the spec through a callback, so the catalog
 * panel and this form do not depend on each other.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { roleFromIdentity } from '../instances/jobs/request';
import { PriceTable } from '../pricing/table';
import type { IAwsConnection } from '../tokens';
import { registerSpecFormCommand, SpecLoader } from './specCommand';
export type { SpecLoader } from './specCommand';
import { deployModel, DeployStep, IDeployProgress } from './deploy';
import {
  buildDeployRequests,
  DeployField,
  defaultEndpointName,
  IHostingSpec,
  isGated,
  resolveHostingSpec
} from './deployRequest';
import type { IModelSpec } from './types';

/** Command ids of the deploy form. */
export namespace CommandIDs {
  /** Open the deploy form of a model; args `{modelId, version}`. */
  export const deploy = 'sagemaker-studio:deploy-jumpstart-model';
}

/** The deploy form of one model. */
export class DeployPanel extends ReactWidget {
  /** Create the form; the role is prefilled in local mode from the caller's identity. */
  constructor(options: DeployPanel.IOptions) {
    super();
    this._connection = options.connection;
    this._spec = options.spec as IHostingSpec;
    this._trans = options.trans;
    this._interval = options.pollInterval ?? 5000;
    this._onLaunched = options.onLaunched;
    const top = resolveHostingSpec(this._spec);
    this._supported = top.supported_inference_instance_types ?? [];
    this._instanceType =
      top.default_inference_instance_type ?? this._supported[0] ?? '';
    this._name = defaultEndpointName(this._spec.model_id);
    this.addClass('jp-JumpStartDeploy');
    this.id = `jp-jumpstart-deploy-${this._spec.model_id}`;
    void PriceTable.load().then(
      table => {
        this._prices = table;
        this.update();
      },
      () => undefined
    );
    if (this._connection.mode === 'local') {
      void this._connection.fetchIdentity().then(
        identity => {
          const role = roleFromIdentity(identity.arn);
          if (role && !this._role) {
            this._role = role;
            this.update();
          }
        },
        () => undefined
      );
    }
  }

  /** Stop following the endpoint. */
  dispose(): void {
    this._abort?.abort();
    super.dispose();
  }

  /** Render form, errors and progress. */
  render(): JSX.Element {
    const trans = this._trans;
    const spec = this._spec;
    const region = this._connection.region ?? '';
    const busy = this._running;
    const error = (field: DeployField) => {
      const problem = this._problems.find(p => p.field === field);
      return problem ? (
        <div className="jp-JumpStartDeploy-error" role="alert">
          {problem.message}
        </div>
      ) : null;
    };
    const price = (type: string) => {
      const value = this._prices?.price(region, 'hosting', type);
      return value !== null && value !== undefined
        ? ` — $${value.toFixed(3)}/${trans.__('hour')}`
        : '';
    };
    return (
      <div data-testid="sagemaker-studio-jumpstart-deploy">
        <h2 className="jp-JumpStartDeploy-title">
          {trans.__('Deploy %1 %2', spec.model_id, spec.version)}
        </h2>
        <form
          className="jp-JumpStartDeploy-form"
          onSubmit={event => {
            event.preventDefault();
            void this._submit();
          }}
        >
          <label>
            {trans.__('Endpoint name')}
            <input
              data-testid="sagemaker-studio-jumpstart-deploy-name"
              value={this._name}
              disabled={busy}
              onChange={e => this._set(() => (this._name = e.target.value))}
            />
          </label>
          {error('endpointName')}
          <label>
            {trans.__('Instance type')}
            <select
              data-testid="sagemaker-studio-jumpstart-deploy-instance-type"
              value={this._instanceType}
              disabled={busy}
              onChange={e =>
                this._set(() => (this._instanceType = e.target.value))
              }
            >
              {this._supported.map(type => (
                <option key={type} value={type}>
                  {type}
                  {price(type)}
                </option>
              ))}
            </select>
          </label>
          {error('instanceType')}
          <label>
            {trans.__('Initial instance count')}
            <input
              data-testid="sagemaker-studio-jumpstart-deploy-count"
              type="number"
              min={1}
              max={10}
              value={this._count}
              disabled={busy}
              onChange={e => this._set(() => (this._count = e.target.value))}
            />
          </label>
          {error('initialCount')}
          <label>
            {trans.__('Execution role ARN')}
            <input
              data-testid="sagemaker-studio-jumpstart-deploy-role"
              value={this._role}
              placeholder="arn:aws:iam::123456789012:role/SageMakerExecutionRole"
              disabled={busy}
              onChange={e => this._set(() => (this._role = e.target.value))}
            />
          </label>
          {error('roleArn')}
          {isGated(spec) && (
            <label className="jp-JumpStartDeploy-eula">
              <input
                type="checkbox"
                data-testid="sagemaker-studio-jumpstart-deploy-eula"
                checked={this._eula}
                disabled={busy}
                onChange={e => this._set(() => (this._eula = e.target.checked))}
              />
              {trans.__(
                'I have read and accept the end-user license agreement of this model (%1).',
                spec.hosting_eula_key ?? ''
              )}
            </label>
          )}
          {error('acceptEula')}
          {error('spec')}
          <button
            type="submit"
            className="jp-mod-styled jp-mod-accept"
            data-testid="sagemaker-studio-jumpstart-deploy-submit"
            disabled={busy}
          >
            {trans.__('Deploy')}
          </button>
        </form>
        {this._connection.mode === 'local' && (
          <p className="jp-JumpStartDeploy-note">
            {trans.__(
              'Local mode: model containers do not run. The endpoint reaches InService, but inference is not real.'
            )}
          </p>
        )}
        {this._steps.length > 0 && (
          <div data-testid="sagemaker-studio-jumpstart-deploy-status">
            <p>{trans.__('Endpoint %1', this._submittedName)}</p>
            <ul className="jp-JumpStartDeploy-steps">
              {this._steps.map(step => (
                <li
                  key={step.step}
                  className={`jp-JumpStartDeploy-step jp-mod-${step.state}`}
                >
                  {this._label(step)}
                </li>
              ))}
            </ul>
            {this._outcome && (
              <p className="jp-JumpStartDeploy-outcome">{this._outcome}</p>
            )}
          </div>
        )}
      </div>
    );
  }

  private _set(change: () => void): void {
    change();
    this.update();
  }

  private _label(step: IDeployProgress): string {
    const trans = this._trans;
    const mark =
      step.state === 'done' ? ' ✓' : step.state === 'failed' ? ' ✗' : '…';
    const names: Record<DeployStep, string> = {
      CreateModel: 'CreateModel',
      CreateEndpointConfig: 'CreateEndpointConfig',
      CreateEndpoint: 'CreateEndpoint',
      DeleteEndpointConfig: trans.__('Roll back: DeleteEndpointConfig'),
      DeleteModel: trans.__('Roll back: DeleteModel'),
      Endpoint: trans.__('Endpoint status')
    };
    if (step.detail) {
      // Status reads say "Endpoint status: Creating…"; failures keep their sentence after the mark.
      return step.state === 'running'
        ? `${names[step.step]}: ${step.detail}…`
        : `${names[step.step]}${mark}: ${step.detail}`;
    }
    return `${names[step.step]}${mark}`;
  }

  private async _submit(): Promise<void> {
    const region = this._connection.region;
    const result = buildDeployRequests(
      this._spec,
      {
        region: region ?? '',
        instanceType: this._instanceType,
        endpointName: this._name,
        initialCount: this._count,
        roleArn: this._role,
        acceptEula: this._eula
      },
      this._trans
    );
    if (!result.ok) {
      this._problems = result.problems;
      this.update();
      return;
    }
    this._problems = [];
    this._steps = [];
    this._outcome = '';
    this._running = true;
    this._submittedName = result.requests.endpoint.EndpointName ?? '';
    this._abort = new AbortController();
    this.update();
    const outcome = await deployModel(
      this._connection,
      result.requests,
      progress => {
        const others = this._steps.filter(s => s.step !== progress.step);
        this._steps = [...others, progress];
        this.update();
        if (progress.step === 'CreateEndpoint' && progress.state === 'done') {
          this._onLaunched?.();
        }
      },
      { signal: this._abort.signal, interval: this._interval }
    );
    this._onLaunched?.();
    if (this.isDisposed) {
      return;
    }
    const trans = this._trans;
    this._outcome =
      outcome.outcome === 'InService'
        ? trans.__('Endpoint %1 is InService.', outcome.endpointName)
        : outcome.outcome === 'Failed'
          ? trans.__(
              'Endpoint %1 failed: %2',
              outcome.endpointName,
              outcome.reason ?? ''
            )
          : outcome.outcome === 'error'
            ? trans.__('Deployment failed: %1', outcome.reason ?? '')
            : '';
    this._running = false;
    this.update();
  }

  private _connection: IAwsConnection;
  private _spec: IHostingSpec;
  private _trans: TranslationBundle;
  private _supported: string[];
  private _instanceType: string;
  private _name: string;
  private _count = '1';
  private _role = '';
  private _eula = false;
  private _prices: PriceTable | null = null;
  private _problems: Array<{ field: DeployField; message: string }> = [];
  private _steps: IDeployProgress[] = [];
  private _outcome = '';
  private _running = false;
  private _submittedName = '';
  private _abort: AbortController | null = null;
  private _interval: number;
  private _onLaunched?: () => void;
}

/** Types of {@link DeployPanel}. */
export namespace DeployPanel {
  /** Constructor options. */
  export interface IOptions {
    /** The suite's AWS connection. */
    connection: IAwsConnection;
    /** The spec of the model version to deploy. */
    spec: IModelSpec;
    /** Translator bundle of the suite. */
    trans: TranslationBundle;
    /** Milliseconds between endpoint status reads (default 5 s). */
    pollInterval?: number;
    /** Called when the resource was created and when following it ended (the "launched" list reads again). */
    onLaunched?: () => void;
  }
}

/**
 * Add the command `sagemaker-studio:deploy-jumpstart-model` (args `{modelId, version}`): it reads the spec with
 * `loadSpec` and opens the deploy form in the main area.
 */
export function registerDeployCommand(
  app: JupyterFrontEnd,
  connection: IAwsConnection,
  loadSpec: SpecLoader,
  trans: TranslationBundle,
  onLaunched?: () => void
): void {
  registerSpecFormCommand(app, connection, loadSpec, trans, {
    id: CommandIDs.deploy,
    label: modelId =>
      modelId
        ? trans.__('Deploy %1', modelId)
        : trans.__('Deploy JumpStart Model'),
    failureTitle: modelId => trans.__('Cannot deploy %1', modelId),
    create: spec => new DeployPanel({ connection, spec, trans, onLaunched })
  });
}
