/**
 * The "launched" list of the JumpStart panel, without DOM: the endpoints and training jobs of the account that carry
 * the JumpStart model-id tag (set by our deploy and fine-tune forms, by the SageMaker Python SDK and by Studio),
 * found with two SageMaker `Search` calls and followed with a `Poll` while any of them is still changing.
 */
import {
  type Endpoint,
  SearchCommand,
  type SearchCommandInput,
  type TrainingJob
} from '@aws-sdk/client-sagemaker';
import type { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import type { IAwsConnection } from '../tokens';
import { MODEL_ID_TAG, MODEL_VERSION_TAG } from './deployRequest';

/** One resource launched from the catalog. */
export interface ILaunchedItem {
  /** What it is. */
  kind: 'endpoint' | 'training-job';
  /** Endpoint or training job name. */
  name: string;
  /** The JumpStart model id of its tag. */
  modelId: string;
  /** The model version of its tag, or '' when untagged. */
  version: string;
  /** EndpointStatus or TrainingJobStatus. */
  status: string;
  /** When it was created (ms since epoch), 0 when unknown. */
  created: number;
  /** SageMaker's FailureReason, if any. */
  reason?: string;
  /** The training instance type (training jobs). */
  instanceType?: string;
  /** Where a completed training job put the fine-tuned model. */
  modelArtifacts?: string;
}

/** Statuses after which an endpoint or job no longer changes on its own. */
const SETTLED = new Set([
  'InService',
  'Failed',
  'OutOfService',
  'Completed',
  'Stopped'
]);

/** How many of each kind are read (the newest ones). */
const PAGE_SIZE = 50;

/** Endpoints and training jobs launched from the catalog, newest first. */
export class LaunchedModel implements IDisposable {
  /** Nothing is read until {@link refresh} or {@link start}. */
  constructor(options: LaunchedModel.IOptions) {
    this._connection = options.connection;
    this._poll = new Poll({
      factory: () => this._read(),
      frequency: {
        interval: (options.pollSeconds ?? 10) * 1000,
        backoff: true,
        max: 120_000
      },
      // Read only while something is still being created, updated or deleted, and the page is visible (the
      // standby test runs at every interval, so a deploy started later is picked up by the next tick).
      standby: () =>
        !this._started || !this.items.some(i => !SETTLED.has(i.status))
          ? true
          : 'when-hidden',
      name: 'jupyterlab-sagemaker-studio:jumpstart-launched'
    });
  }

  /** Launched resources, newest first. */
  get items(): ReadonlyArray<ILaunchedItem> {
    return this._items;
  }

  /** 'idle' before the first read, 'loading' during it, then 'ready' or 'error'. */
  get status(): 'idle' | 'loading' | 'ready' | 'error' {
    return this._status;
  }

  /** Why the last read failed, as a sentence, or null. */
  get error(): string | null {
    return this._error;
  }

  /** Emitted when the items, the status or the error change. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Whether the model was disposed. */
  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  /** Read the list now, and keep following what is still changing. */
  start(): Promise<void> {
    this._started = true;
    return this.refresh();
  }

  /** Read the list now (a read already under way is reused). */
  refresh(): Promise<void> {
    if (!this._pending) {
      this._pending = this._read().finally(() => {
        this._pending = null;
      });
    }
    return this._pending;
  }

  /** Forget the list (region or profile switch); read again if it had been started. */
  reset(): Promise<void> {
    this._items = [];
    this._status = 'idle';
    this._error = null;
    this._changed.emit();
    return this._started ? this.refresh() : Promise.resolve();
  }

  /** Stop following. */
  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._poll.dispose();
    Signal.clearData(this);
  }

  private async _read(): Promise<void> {
    if (this._status !== 'ready') {
      this._status = 'loading';
      this._changed.emit();
    }
    try {
      const client = await this._connection.sagemaker();
      const query = (
        resource: 'Endpoint' | 'TrainingJob'
      ): SearchCommandInput => ({
        Resource: resource,
        SearchExpression: {
          Filters: [{ Name: `Tags.${MODEL_ID_TAG}`, Operator: 'Exists' }]
        },
        SortBy: 'CreationTime',
        SortOrder: 'Descending',
        MaxResults: PAGE_SIZE
      });
      const [endpoints, jobs] = await Promise.all([
        client.send(new SearchCommand(query('Endpoint'))),
        client.send(new SearchCommand(query('TrainingJob')))
      ]);
      const items: ILaunchedItem[] = [];
      for (const result of endpoints.Results ?? []) {
        if (result.Endpoint) {
          items.push(Private.fromEndpoint(result.Endpoint));
        }
      }
      for (const result of jobs.Results ?? []) {
        if (result.TrainingJob) {
          items.push(Private.fromTrainingJob(result.TrainingJob));
        }
      }
      items.sort((a, b) => b.created - a.created || (a.name < b.name ? -1 : 1));
      this._items = items;
      this._status = 'ready';
      this._error = null;
    } catch (err) {
      this._error = this._connection.describeError(err);
      this._status = this._items.length ? 'ready' : 'error';
    }
    this._changed.emit();
  }

  private _connection: LaunchedModel.IOptions['connection'];
  private _poll: Poll;
  private _items: ILaunchedItem[] = [];
  private _status: 'idle' | 'loading' | 'ready' | 'error' = 'idle';
  private _error: string | null = null;
  private _started = false;
  private _pending: Promise<void> | null = null;
  private _changed = new Signal<this, void>(this);
}

/** Types of {@link LaunchedModel}. */
export namespace LaunchedModel {
  /** Constructor options. */
  export interface IOptions {
    /** The suite's AWS connection. */
    connection: Pick<IAwsConnection, 'sagemaker' | 'describeError'>;
    /** Seconds between reads while something is changing (default 10). */
    pollSeconds?: number;
  }
}

namespace Private {
  /** The value of a tag, or ''. */
  export function tag(
    tags: ReadonlyArray<{ Key?: string; Value?: string }> | undefined,
    key: string
  ): string {
    return tags?.find(t => t.Key === key)?.Value ?? '';
  }

  /** A launched endpoint. */
  export function fromEndpoint(endpoint: Endpoint): ILaunchedItem {
    return {
      kind: 'endpoint',
      name: endpoint.EndpointName ?? '',
      modelId: tag(endpoint.Tags, MODEL_ID_TAG),
      version: tag(endpoint.Tags, MODEL_VERSION_TAG),
      status: endpoint.EndpointStatus ?? '',
      created: endpoint.CreationTime?.getTime() ?? 0,
      reason: endpoint.FailureReason || undefined
    };
  }

  /** A launched (fine-tuning) training job. */
  export function fromTrainingJob(job: TrainingJob): ILaunchedItem {
    return {
      kind: 'training-job',
      name: job.TrainingJobName ?? '',
      modelId: tag(job.Tags, MODEL_ID_TAG),
      version: tag(job.Tags, MODEL_VERSION_TAG),
      status: job.TrainingJobStatus ?? '',
      created: job.CreationTime?.getTime() ?? 0,
      reason: job.FailureReason || undefined,
      instanceType: job.ResourceConfig?.InstanceType,
      modelArtifacts: job.ModelArtifacts?.S3ModelArtifacts
    };
  }
}
