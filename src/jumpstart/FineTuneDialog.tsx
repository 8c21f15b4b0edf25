/**
 * The JumpStart fine-tune form in a main-area tab: one field per hyperparameter of the spec (with its default,
 * bounds or options), the training data, instance type, job name and execution role; then the progress of the
 * training job until it is Completed, Failed or Stopped, and where the fine-tuned model was written.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { roleFromIdentity } from '../instances/jobs/request';
import type { IAwsConnection } from '../tokens';
import { registerSpecFormCommand, SpecLoader } from './specCommand';
import { fineTuneModel, IFineTuneProgress } from './fineTune';
import {
  buildFineTuneRequest,
  defaultTrainingData,
  defaultTrainingJobName,
  hyperparameterFields,
  IFineTuneProblem,
  IHyperparameterField,
  ITrainingSpec
} from './fineTuneRequest';
import type { IModelSpec } from './types';

/** Command ids of the fine-tune form. */
export namespace CommandIDs {
  /** Open the fine-tune form of a model; args `{modelId, version}`. */
  export const fineTune = 'sagemaker-studio:fine-tune-jumpstart-model';
}

/** The fine-tune form of one model. */
export class FineTunePanel extends ReactWidget {
  /** Create the form; the role (and the account of the output bucket) come from the caller's identity. */
  constructor(options: FineTunePanel.IOptions) {
    super();
    this._connection = options.connection;
    this._spec = options.spec as ITrainingSpec;
    this._trans = options.trans;
    this._interval = options.pollInterval ?? 5000;
    this._onLaunched = options.onLaunched;
    this._fields = hyperparameterFields(this._spec);
    this._supported = this._spec.supported_training_instance_types ?? [];
    this._instanceType =
      this._spec.default_training_instance_type ?? this._supported[0] ?? '';
    this._data = defaultTrainingData(this._spec, this._connection.region ?? '');
    this._name = defaultTrainingJobName(this._spec.model_id);
    this.addClass('jp-JumpStartFineTune');
    this.id = `jp-jumpstart-finetune-${this._spec.model_id}`;
    this._identity = this._connection.fetchIdentity().then(
      identity => {
        const role = roleFromIdentity(identity.arn);
        if (this._connection.mode === 'local' && role && !this._role) {
          this._role = role;
          this.update();
        }
        return identity.account;
      },
      () => ''
    );
  }

  /** Stop following the job (it keeps running). */
  dispose(): void {
    this._abort?.abort();
    super.dispose();
  }

  /** Render form, errors and progress. */
  render(): JSX.Element {
    const trans = this._trans;
    const spec = this._spec;
    const busy = this._running;
    const error = (field: string, name?: string) => {
      const problem = this._problems.find(
        p => p.field === field && (name === undefined || p.name === name)
      );
      return problem ? (
        <div
          className="jp-JumpStartFineTune-error"
          data-testid="sagemaker-studio-jumpstart-finetune-error"
          role="alert"
        >
          {problem.message}
        </div>
      ) : null;
    };
    return (
      <div data-testid="sagemaker-studio-jumpstart-finetune">
        <h2 className="jp-JumpStartFineTune-title">
          {trans.__('Fine-tune %1 %2', spec.model_id, spec.version)}
        </h2>
        <form
          className="jp-JumpStartFineTune-form"
          onSubmit={event => {
            event.preventDefault();
            void this._submit();
          }}
        >
          <label>
            {trans.__('Training data (S3 URI)')}
            <input
              data-testid="sagemaker-studio-jumpstart-finetune-data"
              value={this._data}
              placeholder="s3://my-bucket/my-data/"
              disabled={busy}
              onChange={e => this._set(() => (this._data = e.target.value))}
            />
          </label>
          {error('trainingData')}
          <label>
            {trans.__('Instance type')}
            <select
              data-testid="sagemaker-studio-jumpstart-finetune-instance-type"
              value={this._instanceType}
              disabled={busy}
              onChange={e =>
                this._set(() => (this._instanceType = e.target.value))
              }
            >
              {this._supported.map(type => (
                <option key={type} value={type}>
                  {type}
                </option>
              ))}
            </select>
          </label>
          {error('instanceType')}
          <label>
            {trans.__('Training job name')}
            <input
              data-testid="sagemaker-studio-jumpstart-finetune-name"
              value={this._name}
              disabled={busy}
              onChange={e => this._set(() => (this._name = e.target.value))}
            />
          </label>
          {error('jobName')}
          <label>
            {trans.__('Execution role ARN')}
            <input
              data-testid="sagemaker-studio-jumpstart-finetune-role"
              value={this._role}
              placeholder="arn:aws:iam::123456789012:role/SageMakerExecutionRole"
              disabled={busy}
              onChange={e => this._set(() => (this._role = e.target.value))}
            />
          </label>
          {error('roleArn')}
          <fieldset className="jp-JumpStartFineTune-hyperparameters">
            <legend>{trans.__('Hyperparameters')}</legend>
            {this._fields.map(field => (
              <React.Fragment key={field.name}>
                {this._field(field, busy)}
                {error('hyperparameter', field.name)}
              </React.Fragment>
            ))}
          </fieldset>
          {error('spec')}
          <button
            type="submit"
            className="jp-mod-styled jp-mod-accept"
            data-testid="sagemaker-studio-jumpstart-finetune-submit"
            disabled={busy}
          >
            {trans.__('Fine-tune')}
          </button>
        </form>
        {this._steps.length > 0 && (
          <div data-testid="sagemaker-studio-jumpstart-finetune-status">
            <p>{trans.__('Training job %1', this._submittedName)}</p>
            <ul className="jp-JumpStartFineTune-steps">
              {this._steps.map(step => (
                <li
                  key={step.step}
                  className={`jp-JumpStartFineTune-step jp-mod-${step.state}`}
                >
                  {this._label(step)}
                </li>
              ))}
            </ul>
            {this._outcome && (
              <p className="jp-JumpStartFineTune-outcome">{this._outcome}</p>
            )}
          </div>
        )}
      </div>
    );
  }

  /** One hyperparameter input: a menu for choices, a text box otherwise. */
  private _field(field: IHyperparameterField, busy: boolean): JSX.Element {
    const trans = this._trans;
    const value = this._values[field.name] ?? field.defaultValue;
    const onChange = (
      e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>
    ) => this._set(() => (this._values[field.name] = e.target.value));
    const bounds =
      field.min !== undefined && field.max !== undefined
        ? ` (${trans.__('%1 to %2', field.min, field.max)})`
        : '';
    return (
      <label>
        {`${field.name}${bounds}`}
        {field.options ? (
          <select
            data-testid="sagemaker-studio-jumpstart-finetune-field"
            data-name={field.name}
            value={value}
            disabled={busy}
            onChange={onChange}
          >
            {field.options.map(option => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
        ) : (
          <input
            data-testid="sagemaker-studio-jumpstart-finetune-field"
            data-name={field.name}
            value={value}
            disabled={busy}
            onChange={onChange}
          />
        )}
      </label>
    );
  }

  private _set(change: () => void): void {
    change();
    this.update();
  }

  private _label(step: IFineTuneProgress): string {
    const trans = this._trans;
    const mark =
      step.state === 'done' ? ' ✓' : step.state === 'failed' ? ' ✗' : '…';
    const name =
      step.step === 'CreateTrainingJob'
        ? 'CreateTrainingJob'
        : trans.__('Training job status');
    if (step.detail) {
      return step.state === 'running'
        ? `${name}: ${step.detail}…`
        : `${name}${mark}: ${step.detail}`;
    }
    return `${name}${mark}`;
  }

  private async _submit(): Promise<void> {
    const account = await this._identity;
    const result = buildFineTuneRequest(
      this._spec,
      {
        region: this._connection.region ?? '',
        account,
        instanceType: this._instanceType,
        trainingData: this._data,
        jobName: this._name,
        roleArn: this._role,
        hyperparameters: this._values
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
    this._submittedName = result.request.TrainingJobName ?? '';
    this._abort = new AbortController();
    this.update();
    const outcome = await fineTuneModel(
      this._connection,
      result.request,
      progress => {
        const others = this._steps.filter(s => s.step !== progress.step);
        this._steps = [...others, progress];
        this.update();
        if (
          progress.step === 'CreateTrainingJob' &&
          progress.state === 'done'
        ) {
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
      outcome.outcome === 'Completed'
        ? trans.__(
            'Training job %1 completed. The fine-tuned model is at %2',
            outcome.jobName,
            outcome.modelArtifacts ?? ''
          )
        : outcome.outcome === 'Failed' || outcome.outcome === 'Stopped'
          ? trans.__(
              'Training job %1 ended %2: %3',
              outcome.jobName,
              outcome.outcome,
              outcome.reason ?? ''
            )
          : outcome.outcome === 'error'
            ? trans.__('Fine-tuning failed: %1', outcome.reason ?? '')
            : '';
    this._running = false;
    this.update();
  }

  private _connection: IAwsConnection;
  private _spec: ITrainingSpec;
  private _trans: TranslationBundle;
  private _fields: IHyperparameterField[];
  private _values: Record<string, string> = {};
  private _supported: string[];
  private _instanceType: string;
  private _data: string;
  private _name: string;
  private _role = '';
  private _identity: Promise<string>;
  private _problems: IFineTuneProblem[] = [];
  private _steps: IFineTuneProgress[] = [];
  private _outcome = '';
  private _running = false;
  private _submittedName = '';
  private _abort: AbortController | null = null;
  private _interval: number;
  private _onLaunched?: () => void;
}

/** Types of {@link FineTunePanel}. */
export namespace FineTunePanel {
  /** Constructor options. */
  export interface IOptions {
    /** The suite's AWS connection. */
    connection: IAwsConnection;
    /** The spec of the model version to fine-tune. */
    spec: IModelSpec;
    /** Translator bundle of the suite. */
    trans: TranslationBundle;
    /** Milliseconds between job status reads (default 5 s). */
    pollInterval?: number;
    /** Called when the resource was created and when following it ended (the "launched" list reads again). */
    onLaunched?: () => void;
  }
}

/**
 * Add the command `sagemaker-studio:fine-tune-jumpstart-model` (args `{modelId, version}`): it reads the spec with
 * `loadSpec` and opens the fine-tune form in the main area.
 */
export function registerFineTuneCommand(
  app: JupyterFrontEnd,
  connection: IAwsConnection,
  loadSpec: SpecLoader,
  trans: TranslationBundle,
  onLaunched?: () => void
): void {
  registerSpecFormCommand(app, connection, loadSpec, trans, {
    id: CommandIDs.fineTune,
    label: modelId =>
      modelId
        ? trans.__('Fine-tune %1', modelId)
        : trans.__('Fine-tune JumpStart Model'),
    failureTitle: modelId => trans.__('Cannot fine-tune %1', modelId),
    create: spec => new FineTunePanel({ connection, spec, trans, onLaunched })
  });
}
