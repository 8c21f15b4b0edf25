/**
 * State of the registry's endpoint list: what was fetched, when, and why it failed; the search and the order it is
 * shown in. No DOM, no HTTP: the AWS calls live in `./endpoints` (loaded on first refresh, with the SDK) and go
 * through {@link IAwsConnection}.
 */
import { IDisposable } from '@lumino/disposable';
import { Debouncer, Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import type { IAwsConnection } from '../tokens';
import { compareResources } from './section';

/** The endpoint list of the current region. */
export class EndpointsModel implements IDisposable {
  /** Create the model; nothing is fetched until {@link refresh} or {@link ensureLoaded}. */
  constructor(options: EndpointsModel.IOptions) {
    this._connection = options.connection;
    this._describeConcurrency = options.describeConcurrency ?? 4;
    this._maxEndpoints = options.maxEndpoints ?? 1000;
    this._load = options.load ?? (() => import('./endpoints'));
    this._searchDebouncer = new Debouncer(
      () => this.refresh(),
      options.searchDelay ?? 300
    );
    this._connection.changed.connect(this._onConnectionChanged, this);
  }

  /** The endpoints fetched (filtered by the server's NameContains when there is a search), in the server's order. */
  get endpoints(): ReadonlyArray<EndpointsModel.IEndpoint> {
    return this._endpoints;
  }

  /** The fetched endpoints whose name contains the search, in the chosen order. */
  get items(): ReadonlyArray<EndpointsModel.IEndpoint> {
    if (this._view === null) {
      const needle = this._search.trim().toLowerCase();
      const matching = needle
        ? this._endpoints.filter(e => e.name.toLowerCase().includes(needle))
        : this._endpoints.slice();
      this._view = matching.sort(compareResources(this._sort));
    }
    return this._view;
  }

  /** The search text. */
  get search(): string {
    return this._search;
  }

  /** The order of {@link items}. */
  get sort(): EndpointsModel.ISort {
    return this._sort;
  }

  /** 'idle' before the first refresh, then 'loading', 'ready' or 'error'. */
  get status(): EndpointsModel.Status {
    return this._status;
  }

  /** Whether a refresh is running (also true while showing older data). */
  get isLoading(): boolean {
    return this._pending !== null;
  }

  /** The failure of the last refresh, as a sentence. */
  get error(): string | null {
    return this._error;
  }

  /** When the list was last fetched successfully (ms since epoch). */
  get updatedAt(): number | null {
    return this._updatedAt;
  }

  /** Whether the latest Model Monitor execution of an endpoint found violations (fetched after the list). */
  hasMonitoringViolations(name: string): boolean {
    return this._violations.has(name);
  }

  /** Whether more endpoints exist than the model keeps. */
  get truncated(): boolean {
    return this._truncated;
  }

  /** The region the list belongs to. */
  get region(): string | null {
    return this._region;
  }

  /** Emitted whenever anything above changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Whether the model was disposed. */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Bounded number of Describe calls in flight. */
  set describeConcurrency(value: number) {
    this._describeConcurrency = Math.max(1, Math.floor(value));
  }

  /** Refresh automatically every `seconds` while the page is visible; 0 turns it off. */
  set autoRefreshSeconds(seconds: number) {
    this._poll?.dispose();
    this._poll = undefined;
    if (seconds > 0) {
      this._poll = new Poll({
        auto: false,
        factory: () =>
          this._status === 'idle' ? Promise.resolve() : this.refresh(),
        frequency: { interval: seconds * 1000, backoff: true, max: 600 * 1000 },
        standby: 'when-hidden',
        name: 'jupyterlab-sagemaker-studio:endpoints'
      });
      void this._poll.start();
    }
  }

  /** Filter the fetched endpoints at once, and fetch again with ListEndpoints' NameContains after a pause. */
  setSearch(text: string): void {
    if (text === this._search) {
      return;
    }
    this._search = text;
    this._view = null;
    this._changed.emit();
    if (this._status !== 'idle') {
      void this._searchDebouncer.invoke();
    }
  }

  /** Order the endpoints; when not all of them were fetched, fetch again in that order. */
  setSort(sort: EndpointsModel.ISort): void {
    if (sort.by === this._sort.by && sort.order === this._sort.order) {
      return;
    }
    this._sort = { ...sort };
    this._view = null;
    this._changed.emit();
    if (this._truncated) {
      void this.refresh();
    }
  }

  /** Fetch the list unless it was fetched before (used when the panel is first shown). */
  ensureLoaded(): Promise<void> {
    return this._status === 'idle' ? this.refresh() : Promise.resolve();
  }

  /** Fetch the list again; concurrent calls for the same search and order share one fetch. */
  refresh(): Promise<void> {
    const query = this._query();
    if (this._pending && this._pendingQuery !== query) {
      // The running fetch is for an older search or order: its answer would be stale.
      this._abort?.abort();
      this._pending = null;
    }
    if (!this._pending) {
      const pending = this._fetch().finally(() => {
        if (this._pending === pending) {
          this._pending = null;
        }
        if (!this._isDisposed) {
          this._changed.emit();
        }
      });
      this._pending = pending;
      this._pendingQuery = query;
      this._changed.emit();
    }
    return this._pending;
  }

  /** Stop polling and disconnect. */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._poll?.dispose();
    this._poll = undefined;
    this._abort?.abort();
    this._searchDebouncer.dispose();
    Signal.clearData(this);
  }

  private async _fetch(): Promise<void> {
    if (this._status === 'idle') {
      this._status = 'loading';
    }
    const abort = new AbortController();
    this._abort = abort;
    try {
      const [client, endpoints] = await Promise.all([
        this._connection.sagemaker(),
        this._load()
      ]);
      const region = this._connection.region;
      if (region !== this._configRegion) {
        this._configCache.clear();
        this._configRegion = region;
      }
      const result = await endpoints.fetchEndpoints(client, {
        nameContains: this._search.trim(),
        sortBy: this._sort.by,
        sortOrder: this._sort.order,
        concurrency: this._describeConcurrency,
        limit: this._maxEndpoints,
        configCache: this._configCache,
        signal: abort.signal,
        describeError: err => this._connection.describeError(err)
      });
      if (abort.signal.aborted) {
        return;
      }
      this._endpoints = result.endpoints;
      this._view = null;
      this._truncated = result.truncated;
      this._region = region;
      this._updatedAt = Date.now();
      this._error = null;
      this._status = 'ready';
      void this._fetchMonitoring(endpoints, client, abort.signal);
    } catch (err) {
      if (abort.signal.aborted) {
        return;
      }
      this._error = this._connection.describeError(err);
      this._status = 'error';
    }
  }

  /**
   * The warning badges, after the list: one ListMonitoringSchedules plus a Describe per schedule. A failure only
   * leaves the badges out (the list is what matters; read-only or restricted roles may lack the permission).
   */
  private async _fetchMonitoring(
    endpoints: typeof import('./endpoints'),
    client: Awaited<ReturnType<IAwsConnection['sagemaker']>>,
    signal: AbortSignal
  ): Promise<void> {
    if (typeof endpoints.fetchMonitoringViolations !== 'function') {
      return;
    }
    try {
      const violations = await endpoints.fetchMonitoringViolations(client, {
        concurrency: this._describeConcurrency,
        signal
      });
      if (signal.aborted || this._isDisposed) {
        return;
      }
      this._violations = violations;
      this._changed.emit();
    } catch {
      // No badges this time.
    }
  }

  /** A region or profile switch makes the list stale: drop it and fetch again if it was shown. */
  private _onConnectionChanged(): void {
    const state = this._connection.state;
    const key = state ? `${state.mode}/${state.region}/${state.profile}` : '';
    if (key === this._connectionKey) {
      return;
    }
    const first = this._connectionKey === null;
    this._connectionKey = key;
    if (first || this._status === 'idle') {
      return;
    }
    this._abort?.abort();
    this._pending = null;
    this._endpoints = [];
    this._violations = new Set();
    this._view = null;
    this._updatedAt = null;
    this._status = 'loading';
    void this.refresh();
  }

  /** A key of what a fetch asks the server for (search and order). */
  private _query(): string {
    return JSON.stringify([
      this._search.trim(),
      this._sort.by,
      this._sort.order
    ]);
  }

  private _connection: IAwsConnection;
  private _describeConcurrency: number;
  private _maxEndpoints: number;
  private _load: () => Promise<typeof import('./endpoints')>;
  private _endpoints: EndpointsModel.IEndpoint[] = [];
  private _violations = new Set<string>();
  private _view: EndpointsModel.IEndpoint[] | null = null;
  private _search = '';
  private _sort: EndpointsModel.ISort = { by: 'name', order: 'asc' };
  private _searchDebouncer: Debouncer;
  private _pendingQuery = '';
  private _status: EndpointsModel.Status = 'idle';
  private _error: string | null = null;
  private _updatedAt: number | null = null;
  private _truncated = false;
  private _region: string | null = null;
  private _pending: Promise<void> | null = null;
  private _abort: AbortController | null = null;
  private _connectionKey: string | null = null;
  private _configCache = new Map<string, Promise<EndpointsModel.IVariant[]>>();
  private _configRegion: string | null = null;
  private _poll: Poll | undefined;
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
}

/** Types of {@link EndpointsModel}. */
export namespace EndpointsModel {
  /** Lifecycle of the list. */
  export type Status = 'idle' | 'loading' | 'ready' | 'error';

  /** What the endpoints can be ordered by. */
  export type SortKey = 'name' | 'created';

  /** An order of the endpoints. */
  export interface ISort {
    /** The column. */
    by: SortKey;
    /** Ascending or descending. */
    order: 'asc' | 'desc';
  }

  /** Options of the model. */
  export interface IOptions {
    /** The AWS connection. */
    connection: IAwsConnection;
    /** Describe calls in flight at most (default 4). */
    describeConcurrency?: number;
    /** Endpoints kept at most (default 1000). */
    maxEndpoints?: number;
    /** Loads the AWS calls module (replaceable in tests). */
    load?: () => Promise<typeof import('./endpoints')>;
    /** Pause in typing before the server-side search, in ms (default 300). */
    searchDelay?: number;
  }

  /** One production variant of an endpoint. */
  export interface IVariant {
    /** Variant name. */
    name: string;
    /** Instance type, or null for serverless variants. */
    instanceType: string | null;
    /** Instances running (or requested, while creating). */
    instanceCount: number | null;
    /** Memory of a serverless variant, in MB. */
    serverlessMemoryMB: number | null;
  }

  /** One endpoint as the panel shows it. */
  export interface IEndpoint {
    /** Endpoint name. */
    name: string;
    /** Endpoint ARN. */
    arn: string;
    /** EndpointStatus: InService, Creating, Updating, Failed, … */
    status: string;
    /** Creation time (ms since epoch). */
    created: number | null;
    /** Last modification (ms since epoch). */
    modified: number | null;
    /** Production variants with instance types. */
    variants: IVariant[];
    /** Why the endpoint failed, when it did. */
    failureReason: string | null;
    /** Why the details (instance types) could not be read, if they could not. */
    detailsError: string | null;
  }
}
