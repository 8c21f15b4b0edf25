/**
 * The AWS connection model: connection state from the server, identity, and the lazily created clients.
 *
 * Clients are created on first use with `import()`, so neither the AWS SDK nor the small clients are part of the
 * code JupyterLab loads at start; they are re-created when the region or profile changes.
 */
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { PricingClient } from '@aws-sdk/client-pricing';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { ServerConnection } from '@jupyterlab/services';
import type { TranslationBundle } from '@jupyterlab/translation';
import { PromiseDelegate } from '@lumino/coreutils';
import { ISignal, Signal } from '@lumino/signaling';

import type { IAwsConnection } from '../tokens';
import { getConnectionState, putConnectionState } from './connectionRoute';
import { describeAwsError } from './errors';
import type { MetricsClient } from './metrics';
import { DEFAULT_RETRY_OPTIONS, IRetryOptions } from './retry';
import type { ISdkClientOptions } from './sdkConfig';

/** The implementation of {@link IAwsConnection}. */
export class AwsConnection implements IAwsConnection {
  /** Create the model; call {@link refresh} to read the server's state. */
  constructor(options: AwsConnection.IOptions) {
    this._settings = options.serverSettings;
    this._trans = options.trans;
    this._retry = { ...DEFAULT_RETRY_OPTIONS, ...options.retry };
    this._loaders = { ...Private.defaultLoaders, ...options.loaders };
  }

  /** Resolves once the first connection state was read (successfully or not). */
  get ready(): Promise<void> {
    return this._ready.promise;
  }

  /** The server's connection state. */
  get state(): IAwsConnection.IState | null {
    return this._state;
  }

  /** 'local' or 'aws'. */
  get mode(): IAwsConnection.Mode | null {
    return this._state?.mode ?? null;
  }

  /** The current region. */
  get region(): string | null {
    return this._state?.region ?? null;
  }

  /** The account id from the server (local mode) or STS (AWS mode). */
  get accountId(): string | null {
    return this._state?.accountId ?? this._identity?.account ?? null;
  }

  /** Who the server's credentials belong to, once fetched. */
  get identity(): IAwsConnection.IIdentity | null {
    return this._identity;
  }

  /** The last failure of reading state or identity, as a sentence. */
  get error(): string | null {
    return this._error;
  }

  /** Emitted when state, identity or error change. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Whether the model was disposed. */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** The retry policy of all clients. */
  get retryOptions(): IRetryOptions {
    return this._retry;
  }

  /** Change the retry policy (from the settings); clients are re-created with it on next use. */
  set retryOptions(options: IRetryOptions) {
    this._retry = { ...DEFAULT_RETRY_OPTIONS, ...options };
    this._resetClients();
  }

  /** Read the connection state; in AWS mode also the identity, which the status bar shows. */
  async refresh(): Promise<void> {
    try {
      this._apply(await getConnectionState(this._settings));
      this._error = null;
    } catch (err) {
      this._error = this._describeRouteError(err);
    }
    this._ready.resolve();
    this._changed.emit();
    if (this.mode === 'aws') {
      await this._loadIdentity();
    }
  }

  /** Switch region and/or profile; rejects with the server's sentence when it refuses. */
  async switch(change: IAwsConnection.ISwitch): Promise<void> {
    let state: IAwsConnection.IState;
    try {
      state = await putConnectionState(this._settings, change);
    } catch (err) {
      throw new Error(this._describeRouteError(err));
    }
    this._apply(state);
    this._error = null;
    this._changed.emit();
    if (this.mode === 'aws') {
      await this._loadIdentity();
    }
  }

  /** A SageMaker client for the current region. */
  sagemaker(): Promise<SageMakerClient> {
    return this._client('sagemaker', async options =>
      (await this._loaders.sagemaker()).createSageMakerClient(options)
    );
  }

  /** A SageMaker Runtime client (InvokeEndpoint) for the current region. */
  sagemakerRuntime(): Promise<SageMakerRuntimeClient> {
    return this._client('sagemaker-runtime', async options =>
      (await this._loaders.sagemakerRuntime()).createSageMakerRuntimeClient(
        options
      )
    );
  }

  /** A path-style S3 client for the current region. */
  s3(): Promise<S3Client> {
    return this._client('s3', async options =>
      (await this._loaders.s3()).createS3Client(options)
    );
  }

  /** A CloudWatch Logs client (job logs) for the current region. */
  logs(): Promise<CloudWatchLogsClient> {
    return this._client('logs', async options =>
      (await this._loaders.logs()).createLogsClient(options)
    );
  }

  /** A Service Quotas client (the account's limits) for the current region. */
  serviceQuotas(): Promise<ServiceQuotasClient> {
    return this._client('service-quotas', async options =>
      (await this._loaders.serviceQuotas()).createServiceQuotasClient(options)
    );
  }

  /** A Price List client; it always calls us-east-1, which serves every region's prices. */
  pricing(): Promise<PricingClient> {
    return this._client('pricing', async options =>
      (await this._loaders.pricing()).createPricingClient(options)
    );
  }

  /** A SageMaker Metrics client for the current region. */
  metrics(): Promise<MetricsClient> {
    return this._client(
      'sagemaker-metrics',
      async options =>
        new (await this._loaders.metrics()).MetricsClient(options)
    );
  }

  /** Who the server's credentials belong to, fetched once per region and profile. */
  fetchIdentity(): Promise<IAwsConnection.IIdentity> {
    if (!this._identityPromise) {
      const generation = this._generation;
      this._identityPromise = this._client(
        'sts',
        async options => new (await this._loaders.sts()).StsClient(options)
      )
        .then(sts => sts.getCallerIdentity())
        .then(result => {
          const identity = {
            account: result.Account,
            arn: result.Arn,
            userId: result.UserId
          };
          if (generation === this._generation) {
            this._identity = identity;
          }
          return identity;
        });
      // A failed lookup must be retried next time, not cached.
      this._identityPromise.catch(() => {
        if (generation === this._generation) {
          this._identityPromise = null;
        }
      });
    }
    return this._identityPromise;
  }

  /** A sentence for the user explaining an error of any of the clients. */
  describeError(err: unknown): string {
    return describeAwsError(err, this._trans, { mode: this.mode });
  }

  /** Release the clients and signal connections. */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._resetClients();
    Signal.clearData(this);
  }

  /** Adopt a new state; a different region or profile invalidates clients and identity. */
  private _apply(state: IAwsConnection.IState): void {
    const old = this._state;
    if (
      !old ||
      old.region !== state.region ||
      old.profile !== state.profile ||
      old.mode !== state.mode
    ) {
      this._resetClients();
      this._identity = null;
      this._identityPromise = null;
    }
    this._state = state;
  }

  /** Fetch the identity, recording a failure as the connection's error instead of throwing. */
  private async _loadIdentity(): Promise<void> {
    try {
      await this.fetchIdentity();
    } catch (err) {
      this._error = this.describeError(err);
    }
    this._changed.emit();
  }

  /** The cached client of a service for the current region, created on first use. */
  private async _client<T>(
    service: string,
    create: (options: ISdkClientOptions) => Promise<T>
  ): Promise<T> {
    await this.ready;
    const state = this._state;
    if (!state) {
      throw new Error(
        this._error ??
          this._trans.__('The SageMaker Studio connection is not available.')
      );
    }
    let client = this._clients.get(service) as Promise<T> | undefined;
    if (!client) {
      client = create({
        serverSettings: this._settings,
        region: state.region,
        retry: this._retry
      });
      this._clients.set(service, client);
      // A failed import (e.g. a network hiccup loading the chunk) must not stick.
      client.catch(() => this._clients.delete(service));
    }
    return client;
  }

  /** Forget all clients, destroying the SDK ones. */
  private _resetClients(): void {
    this._generation++;
    for (const client of this._clients.values()) {
      client
        .then(c => (c as { destroy?: () => void }).destroy?.())
        .catch(() => undefined);
    }
    this._clients.clear();
  }

  /** A sentence for a failure of the connection route. */
  private _describeRouteError(err: unknown): string {
    if (err instanceof ServerConnection.ResponseError) {
      if (err.response.status === 404) {
        return this._trans.__(
          'The SageMaker Studio server extension is not enabled. Run `jupyter server extension enable jupyterlab_sagemaker_studio` and restart JupyterLab.'
        );
      }
      return err.message;
    }
    return describeAwsError(err, this._trans);
  }

  private _settings: ServerConnection.ISettings;
  private _trans: TranslationBundle;
  private _retry: IRetryOptions;
  private _loaders: AwsConnection.ILoaders;
  private _state: IAwsConnection.IState | null = null;
  private _identity: IAwsConnection.IIdentity | null = null;
  private _identityPromise: Promise<IAwsConnection.IIdentity> | null = null;
  private _error: string | null = null;
  private _clients = new Map<string, Promise<unknown>>();
  private _generation = 0;
  private _ready = new PromiseDelegate<void>();
  private _changed = new Signal<this, void>(this);
  private _isDisposed = false;
}

/** Types of {@link AwsConnection}. */
export namespace AwsConnection {
  /** Options of the model. */
  export interface IOptions {
    /** Jupyter server settings. */
    serverSettings: ServerConnection.ISettings;
    /** Translations of the suite. */
    trans: TranslationBundle;
    /** Retry policy (defaults: 4 attempts). */
    retry?: Partial<IRetryOptions>;
    /** Module loaders, replaceable in tests. */
    loaders?: Partial<ILoaders>;
  }

  /** Dynamic imports of the client modules: each is a separate chunk loaded on first use. */
  export interface ILoaders {
    /** Loads the SageMaker client factory. */
    sagemaker: () => Promise<typeof import('./sagemakerClient')>;
    /** Loads the SageMaker Runtime client factory. */
    sagemakerRuntime: () => Promise<typeof import('./sagemakerRuntimeClient')>;
    /** Loads the S3 client factory. */
    s3: () => Promise<typeof import('./s3Client')>;
    /** Loads the CloudWatch Logs client factory. */
    logs: () => Promise<typeof import('./logsClient')>;
    /** Loads the Service Quotas client factory. */
    serviceQuotas: () => Promise<typeof import('./serviceQuotasClient')>;
    /** Loads the Price List client factory. */
    pricing: () => Promise<typeof import('./pricingClient')>;
    /** Loads the metrics client. */
    metrics: () => Promise<typeof import('./metrics')>;
    /** Loads the STS client. */
    sts: () => Promise<typeof import('./sts')>;
  }
}

namespace Private {
  /** The real loaders; webpack turns each `import()` into its own chunk. */
  export const defaultLoaders: AwsConnection.ILoaders = {
    sagemaker: () => import('./sagemakerClient'),
    sagemakerRuntime: () => import('./sagemakerRuntimeClient'),
    s3: () => import('./s3Client'),
    logs: () => import('./logsClient'),
    serviceQuotas: () => import('./serviceQuotasClient'),
    pricing: () => import('./pricingClient'),
    metrics: () => import('./metrics'),
    sts: () => import('./sts')
  };
}
