/**
 * State of an endpoint's tab: the endpoint with its config, variants, data capture and monitoring schedules; the
 * Test inference exchange; deletion. No DOM. The SageMaker and SageMaker Runtime calls go through the connection's
 * clients (this module belongs to the lazily loaded endpoint detail chunk, so the SDK commands load with it).
 */
import {
  DescribeEndpointCommand,
  DescribeEndpointCommandOutput,
  DescribeEndpointConfigCommand,
  DescribeEndpointConfigCommandOutput,
  DescribeMonitoringScheduleCommand,
  DeleteEndpointCommand,
  ListMonitoringSchedulesCommand,
  ListMonitoringSchedulesCommandInput,
  ListMonitoringSchedulesCommandOutput,
  MonitoringScheduleSummary,
  SageMakerClient
} from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand } from '@aws-sdk/client-sagemaker-runtime';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { mapConcurrently } from '../../aws/concurrency';
import { awsErrorCode } from '../../aws/errors';
import { collect } from '../../aws/paginate';
import type { IAwsConnection } from '../../tokens';
import { ResourceModel } from './resource';
import type { IResourceChange } from './types';

/** Endpoint statuses that change by themselves; the tab refreshes while the endpoint is in one of them. */
export const TRANSITIONAL_STATUSES = new Set([
  'Creating',
  'Updating',
  'SystemUpdating',
  'RollingBack',
  'Deleting'
]);

/** Content types Test inference can send. */
export const INFERENCE_CONTENT_TYPES = [
  'application/json',
  'text/csv'
] as const;

/** A content type Test inference can send. */
export type InferenceContentType = (typeof INFERENCE_CONTENT_TYPES)[number];

/** The model of one endpoint's tab. */
export class EndpointDetailModel implements IDisposable {
  /** Create the model; call {@link refresh} to load. */
  constructor(options: EndpointDetailModel.IOptions) {
    this._connection = options.connection;
    this._name = options.name;
    this._trans = options.trans;
    this._notify = options.notify ?? (() => undefined);
    this._resource = new ResourceModel<EndpointDetailModel.ISnapshot>({
      load: signal => this._load(signal),
      describeError: err => this._connection.describeError(err)
    });
    this._resource.changed.connect(this._onResourceChanged, this);
    this._poll = new Poll({
      factory: () => this._resource.refresh(),
      frequency: {
        interval: options.refreshInterval ?? 3000,
        backoff: false
      },
      // Only while the endpoint changes by itself, and not while the page is hidden.
      standby: () => (this._isChanging() ? 'when-hidden' : true),
      name: 'jupyterlab-sagemaker-studio:endpoint-detail'
    });
  }

  /** The endpoint's name. */
  get name(): string {
    return this._name;
  }

  /** The loaded endpoint (loading state, data, error). */
  get resource(): ResourceModel<EndpointDetailModel.ISnapshot> {
    return this._resource;
  }

  /** The endpoint, or null before it is loaded or once it is gone. */
  get endpoint(): EndpointDetailModel.IEndpoint | null {
    return this._resource.data?.endpoint ?? null;
  }

  /** Whether the endpoint no longer exists (DescribeEndpoint says it cannot find it). */
  get gone(): boolean {
    return this._resource.data?.gone ?? false;
  }

  /** The state of Test inference. */
  get inference(): EndpointDetailModel.IInference {
    return this._inference;
  }

  /** Whether a delete request runs. */
  get isDeleting(): boolean {
    return this._deleting;
  }

  /** Why the last action (delete) failed, as a sentence; null after a success. */
  get actionError(): string | null {
    return this._actionError;
  }

  /** Whether the connection is local mode (no console links; Test inference cannot get an answer). */
  get isLocal(): boolean {
    return this._connection.mode === 'local';
  }

  /** Deep links to the AWS console, in AWS mode only. */
  get consoleLinks(): EndpointDetailModel.IConsoleLinks | null {
    const region = this._connection.region;
    if (this._connection.mode !== 'aws' || !region) {
      return null;
    }
    return EndpointDetailModel.consoleLinks(region, this._name);
  }

  /** Emitted whenever anything above changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Whether the model was disposed. */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Load the endpoint again. */
  refresh(): Promise<void> {
    return this._resource.refresh();
  }

  /** Refresh when another view announces a change of this endpoint. */
  handleChange(change: IResourceChange): void {
    if (
      change.kind === 'endpoint' &&
      change.name.toLowerCase() === this._name.toLowerCase()
    ) {
      void this.refresh();
    }
  }

  /**
   * Send `body` to the endpoint with InvokeEndpoint. A body that is not valid for its content type is refused
   * here, with a sentence, and nothing is sent.
   */
  async invoke(body: string, contentType: InferenceContentType): Promise<void> {
    const invalid = EndpointDetailModel.validateBody(
      body,
      contentType,
      this._trans
    );
    if (invalid) {
      this._setInference({ status: 'invalid', message: invalid });
      return;
    }
    const attempt = ++this._invocation;
    this._setInference({ status: 'sending' });
    try {
      const client = await this._connection.sagemakerRuntime();
      const result = await client.send(
        new InvokeEndpointCommand({
          EndpointName: this._name,
          ContentType: contentType,
          Accept: 'application/json',
          Body: new TextEncoder().encode(body)
        })
      );
      if (attempt !== this._invocation || this._isDisposed) {
        return;
      }
      const text = result.Body ? new TextDecoder().decode(result.Body) : '';
      this._setInference({
        status: 'answered',
        output: EndpointDetailModel.formatOutput(text, result.ContentType),
        contentType: result.ContentType ?? null,
        variant: result.InvokedProductionVariant ?? null
      });
    } catch (err) {
      if (attempt !== this._invocation || this._isDisposed) {
        return;
      }
      this._setInference({
        status: 'failed',
        message: this._describeInvokeError(err)
      });
    }
  }

  /**
   * Delete the endpoint (DeleteEndpoint), announce it, and show its Deleting status; resolves false with
   * {@link actionError} set when AWS (or the read-only proxy) refused.
   */
  async delete(): Promise<boolean> {
    if (this._deleting) {
      return false;
    }
    this._deleting = true;
    this._actionError = null;
    this._changed.emit();
    try {
      const client = await this._connection.sagemaker();
      await client.send(
        new DeleteEndpointCommand({ EndpointName: this._name })
      );
    } catch (err) {
      this._actionError = this._connection.describeError(err);
      return false;
    } finally {
      this._deleting = false;
      this._changed.emit();
    }
    this._notify({ kind: 'endpoint', name: this._name, change: 'deleted' });
    await this.refresh();
    return true;
  }

  /** Stop polling and disconnect. */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._poll.dispose();
    this._resource.dispose();
    Signal.clearData(this);
  }

  /** DescribeEndpoint, then its config and monitoring schedules (their failures are kept apart). */
  private async _load(
    signal: AbortSignal
  ): Promise<EndpointDetailModel.ISnapshot> {
    const client = await this._connection.sagemaker();
    let described: DescribeEndpointCommandOutput;
    try {
      described = await client.send(
        new DescribeEndpointCommand({ EndpointName: this._name }),
        { abortSignal: signal }
      );
    } catch (err) {
      if (EndpointDetailModel.isEndpointNotFound(err)) {
        return { gone: true, endpoint: null };
      }
      throw err;
    }
    const [config, monitoring] = await Promise.all([
      this._loadConfig(client, described.EndpointConfigName, signal),
      this._loadMonitoring(client, signal)
    ]);
    return {
      gone: false,
      endpoint: EndpointDetailModel.toEndpoint(described, config.output, {
        configError: config.error,
        monitoring: monitoring.schedules,
        monitoringError: monitoring.error
      })
    };
  }

  /** DescribeEndpointConfig; a failure leaves the endpoint shown and says why its config is missing. */
  private async _loadConfig(
    client: SageMakerClient,
    name: string | undefined,
    signal: AbortSignal
  ): Promise<{
    output: DescribeEndpointConfigCommandOutput | null;
    error: string | null;
  }> {
    if (!name) {
      return { output: null, error: null };
    }
    try {
      const output = await client.send(
        new DescribeEndpointConfigCommand({ EndpointConfigName: name }),
        { abortSignal: signal }
      );
      return { output, error: null };
    } catch (err) {
      return { output: null, error: this._connection.describeError(err) };
    }
  }

  /** ListMonitoringSchedules(EndpointName), then each schedule's last execution status. */
  private async _loadMonitoring(
    client: SageMakerClient,
    signal: AbortSignal
  ): Promise<{
    schedules: EndpointDetailModel.IMonitoringSchedule[] | null;
    error: string | null;
  }> {
    let summaries: MonitoringScheduleSummary[];
    try {
      summaries = (
        await collect(
          (
            input: ListMonitoringSchedulesCommandInput
          ): Promise<ListMonitoringSchedulesCommandOutput> =>
            client.send(new ListMonitoringSchedulesCommand(input), {
              abortSignal: signal
            }),
          {
            EndpointName: this._name,
            SortBy: 'Name',
            SortOrder: 'Ascending'
          } as ListMonitoringSchedulesCommandInput,
          page => page.MonitoringScheduleSummaries,
          { pageSize: 100, limit: 100, signal }
        )
      ).items;
    } catch (err) {
      return { schedules: null, error: this._connection.describeError(err) };
    }
    const schedules = await mapConcurrently(summaries, 4, async summary => {
      const schedule: EndpointDetailModel.IMonitoringSchedule = {
        name: summary.MonitoringScheduleName ?? '',
        arn: summary.MonitoringScheduleArn ?? '',
        type: summary.MonitoringType ?? null,
        status: summary.MonitoringScheduleStatus ?? null,
        lastExecutionStatus: null
      };
      try {
        const described = await client.send(
          new DescribeMonitoringScheduleCommand({
            MonitoringScheduleName: schedule.name
          }),
          { abortSignal: signal }
        );
        schedule.lastExecutionStatus =
          described.LastMonitoringExecutionSummary?.MonitoringExecutionStatus ??
          null;
      } catch {
        // The summary is still worth showing; the last execution then shows as unknown.
      }
      return schedule;
    });
    return { schedules, error: null };
  }

  /** The sentence for a failed invocation; a model's own error (local mode's included) is its message. */
  private _describeInvokeError(err: unknown): string {
    if (awsErrorCode(err) === 'ModelError') {
      const modelError = err as Error & {
        OriginalStatusCode?: number;
        OriginalMessage?: string;
      };
      if (this.isLocal) {
        // The local backend explains that model containers do not run locally; its sentence says it best.
        return modelError.message;
      }
      return this._trans.__(
        'The model container answered with an error (HTTP %1): %2',
        modelError.OriginalStatusCode ?? '?',
        modelError.OriginalMessage || modelError.message
      );
    }
    return this._connection.describeError(err);
  }

  private _setInference(
    state: Partial<EndpointDetailModel.IInference> & {
      status: EndpointDetailModel.InferenceStatus;
    }
  ): void {
    this._inference = {
      message: null,
      output: null,
      contentType: null,
      variant: null,
      ...state
    };
    this._changed.emit();
  }

  private _isChanging(): boolean {
    const status = this.endpoint?.status;
    return !!status && TRANSITIONAL_STATUSES.has(status);
  }

  private _onResourceChanged(): void {
    const existed = this._existed;
    this._existed = this._resource.data ? !this._resource.data.gone : existed;
    if (existed && this.gone) {
      // It went while the tab watched (deleted here or elsewhere): the lists still showing it refresh.
      this._notify({ kind: 'endpoint', name: this._name, change: 'deleted' });
    }
    this._changed.emit();
  }

  private _connection: IAwsConnection;
  private _name: string;
  private _trans: TranslationBundle;
  private _notify: (change: IResourceChange) => void;
  private _resource: ResourceModel<EndpointDetailModel.ISnapshot>;
  private _poll: Poll;
  private _inference: EndpointDetailModel.IInference = {
    status: 'idle',
    message: null,
    output: null,
    contentType: null,
    variant: null
  };
  private _invocation = 0;
  private _existed = false;
  private _deleting = false;
  private _actionError: string | null = null;
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
}

/** Types and pure helpers of {@link EndpointDetailModel}. */
export namespace EndpointDetailModel {
  /** Options of the model. */
  export interface IOptions {
    /** The AWS connection. */
    connection: IAwsConnection;
    /** The endpoint's name. */
    name: string;
    /** Translations (for the sentences the model makes). */
    trans: TranslationBundle;
    /** Announces a change (the deletion) to the other views. */
    notify?: (change: IResourceChange) => void;
    /** Refresh interval while the endpoint changes by itself, in ms (default 3000). */
    refreshInterval?: number;
  }

  /** What a load found: the endpoint, or that it is gone. */
  export interface ISnapshot {
    /** Whether DescribeEndpoint says the endpoint does not exist. */
    gone: boolean;
    /** The endpoint, when it exists. */
    endpoint: IEndpoint | null;
  }

  /** One production variant: what runs (DescribeEndpoint) merged with what was configured. */
  export interface IVariant {
    /** Variant name. */
    name: string;
    /** The SageMaker model it serves. */
    modelName: string | null;
    /** Instance type, or null for a serverless variant. */
    instanceType: string | null;
    /** Instances the config asked for. */
    initialInstanceCount: number | null;
    /** Instances running now. */
    currentInstanceCount: number | null;
    /** Instances being provisioned towards. */
    desiredInstanceCount: number | null;
    /** Traffic weight now (or the initial weight before the endpoint reports one). */
    weight: number | null;
    /** Memory of a serverless variant, in MB. */
    serverlessMemoryMB: number | null;
  }

  /** Data capture: whether requests and responses are saved to S3, and how much. */
  export interface IDataCapture {
    /** Whether capture is enabled. */
    enabled: boolean;
    /** Started or Stopped, as the endpoint reports it. */
    status: string | null;
    /** Percentage of requests captured. */
    samplingPercentage: number | null;
    /** Where captures go. */
    destination: string | null;
    /** Captured parts: Input, Output. */
    captureModes: string[];
  }

  /** A monitoring schedule watching the endpoint. */
  export interface IMonitoringSchedule {
    /** Schedule name. */
    name: string;
    /** Schedule ARN. */
    arn: string;
    /** DataQuality, ModelQuality, ModelBias, ModelExplainability. */
    type: string | null;
    /** Pending, Scheduled, Stopped, Failed. */
    status: string | null;
    /** Status of its last execution, when known. */
    lastExecutionStatus: string | null;
  }

  /** The endpoint as its tab shows it. */
  export interface IEndpoint {
    /** Name. */
    name: string;
    /** ARN. */
    arn: string;
    /** EndpointStatus. */
    status: string;
    /** Why it failed, when it did. */
    failureReason: string | null;
    /** Creation time (ms since epoch). */
    created: number | null;
    /** Last modification (ms since epoch). */
    modified: number | null;
    /** Its endpoint config's name. */
    configName: string | null;
    /** The endpoint config's ARN, when it was read. */
    configArn: string | null;
    /** When the endpoint config was created (ms since epoch). */
    configCreated: number | null;
    /** KMS key of the config's storage volumes. */
    configKmsKeyId: string | null;
    /** Why the config could not be read, if it could not. */
    configError: string | null;
    /** Production variants. */
    variants: IVariant[];
    /** Data capture, if configured. */
    dataCapture: IDataCapture | null;
    /** Monitoring schedules of the endpoint, or null when they could not be listed. */
    monitoring: IMonitoringSchedule[] | null;
    /** Why the schedules could not be listed, if they could not. */
    monitoringError: string | null;
  }

  /** Where Test inference stands. */
  export type InferenceStatus =
    'idle' | 'invalid' | 'sending' | 'answered' | 'failed';

  /** Test inference's state. */
  export interface IInference {
    /** Where it stands. */
    status: InferenceStatus;
    /** Why the body was refused or the call failed, as a sentence. */
    message: string | null;
    /** The endpoint's answer (pretty-printed when JSON). */
    output: string | null;
    /** The answer's content type. */
    contentType: string | null;
    /** The variant that answered. */
    variant: string | null;
  }

  /** AWS console pages of the endpoint. */
  export interface IConsoleLinks {
    /** The endpoint's page in the SageMaker console. */
    console: string;
    /** Its CloudWatch metrics (namespace AWS/SageMaker, by endpoint and variant). */
    metrics: string;
  }

  /** Whether an error is DescribeEndpoint's "Could not find endpoint" (the endpoint is gone). */
  export function isEndpointNotFound(err: unknown): boolean {
    const code = awsErrorCode(err);
    return (
      (code === 'ValidationException' || code === 'ResourceNotFound') &&
      /could not find endpoint/i.test((err as Error).message)
    );
  }

  /** Why a Test inference body cannot be sent, or null when it can. */
  export function validateBody(
    body: string,
    contentType: InferenceContentType,
    trans: TranslationBundle
  ): string | null {
    if (!body.trim()) {
      return trans.__('Enter a request body to send.');
    }
    if (contentType === 'application/json') {
      try {
        JSON.parse(body);
      } catch (err) {
        return trans.__(
          'The body is not valid JSON, so nothing was sent: %1',
          (err as Error).message
        );
      }
    }
    return null;
  }

  /** An answer for display: JSON pretty-printed, anything else as it came. */
  export function formatOutput(text: string, contentType?: string): string {
    if (/json/i.test(contentType ?? '') || /^\s*[[{]/.test(text)) {
      try {
        return JSON.stringify(JSON.parse(text), null, 2);
      } catch {
        // Not JSON after all: show it as text.
      }
    }
    return text;
  }

  /** The console and CloudWatch pages of an endpoint in a region (commercial, China and GovCloud partitions). */
  export function consoleLinks(region: string, name: string): IConsoleLinks {
    const host = region.startsWith('cn-')
      ? 'console.amazonaws.cn'
      : region.startsWith('us-gov-')
        ? 'console.amazonaws-us-gov.com'
        : `${region}.console.aws.amazon.com`;
    const query = `region=${encodeURIComponent(region)}`;
    return {
      console: `https://${host}/sagemaker/home?${query}#/endpoints/${encodeURIComponent(name)}`,
      metrics: `https://${host}/cloudwatch/home?${query}#metricsV2:graph=~();namespace=AWS/SageMaker;dimensions=EndpointName,VariantName;search=${encodeURIComponent(name)}`
    };
  }

  /** Merge DescribeEndpoint and DescribeEndpointConfig into the tab's endpoint. */
  export function toEndpoint(
    described: DescribeEndpointCommandOutput,
    config: DescribeEndpointConfigCommandOutput | null,
    extra: Pick<IEndpoint, 'configError' | 'monitoring' | 'monitoringError'>
  ): IEndpoint {
    const running = described.ProductionVariants ?? [];
    const configured = config?.ProductionVariants ?? [];
    const names = running.map(v => v.VariantName ?? '');
    for (const v of configured) {
      if (!names.includes(v.VariantName ?? '')) {
        names.push(v.VariantName ?? '');
      }
    }
    const variants = names.map(name => {
      const live = running.find(v => v.VariantName === name);
      const conf = configured.find(v => v.VariantName === name);
      return {
        name,
        modelName: conf?.ModelName ?? null,
        instanceType: conf?.InstanceType ?? null,
        initialInstanceCount: conf?.InitialInstanceCount ?? null,
        currentInstanceCount: live?.CurrentInstanceCount ?? null,
        desiredInstanceCount: live?.DesiredInstanceCount ?? null,
        weight: live?.CurrentWeight ?? conf?.InitialVariantWeight ?? null,
        serverlessMemoryMB:
          live?.CurrentServerlessConfig?.MemorySizeInMB ??
          conf?.ServerlessConfig?.MemorySizeInMB ??
          null
      };
    });
    const liveCapture = described.DataCaptureConfig;
    const confCapture = config?.DataCaptureConfig;
    const dataCapture: IDataCapture | null =
      liveCapture || confCapture
        ? {
            enabled:
              liveCapture?.EnableCapture ?? confCapture?.EnableCapture ?? false,
            status: liveCapture?.CaptureStatus ?? null,
            samplingPercentage:
              liveCapture?.CurrentSamplingPercentage ??
              confCapture?.InitialSamplingPercentage ??
              null,
            destination:
              liveCapture?.DestinationS3Uri ??
              confCapture?.DestinationS3Uri ??
              null,
            captureModes: (confCapture?.CaptureOptions ?? [])
              .map(o => o.CaptureMode ?? '')
              .filter(Boolean)
          }
        : null;
    return {
      name: described.EndpointName ?? '',
      arn: described.EndpointArn ?? '',
      status: described.EndpointStatus ?? 'Unknown',
      failureReason: described.FailureReason ?? null,
      created: described.CreationTime?.getTime() ?? null,
      modified: described.LastModifiedTime?.getTime() ?? null,
      configName: described.EndpointConfigName ?? null,
      configArn: config?.EndpointConfigArn ?? null,
      configCreated: config?.CreationTime?.getTime() ?? null,
      configKmsKeyId: config?.KmsKeyId ?? null,
      variants,
      dataCapture,
      ...extra
    };
  }
}
