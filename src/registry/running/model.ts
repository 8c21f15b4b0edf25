/**
 * State of "Running resources": what bills by the hour now, its price per hour and cost so far from the bundled
 * price table, the total per hour, and stop / delete actions. No DOM and no SDK: the calls are handed in.
 */
import type { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import type { PriceTable } from '../../pricing/table';

/** The running, billing resources of the current region. */
export class RunningModel implements IDisposable {
  /** Create the model; nothing is fetched until {@link refresh} or {@link ensureLoaded}. */
  constructor(options: RunningModel.IOptions) {
    this._fetch = options.fetch;
    this._stop = options.stop;
    this._prices = options.prices;
    this._region = options.region;
    this._describeError = options.describeError;
  }

  /** 'idle' before the first fetch, then 'loading', 'ready' or 'error' (nothing could be listed). */
  get status(): RunningModel.Status {
    return this._status;
  }

  /** The resources with their prices, most expensive per hour first. */
  get rows(): ReadonlyArray<RunningModel.IRow> {
    return this._rows;
  }

  /** Kinds that could not be listed, each with its sentence (the other kinds still show). */
  get kindErrors(): ReadonlyArray<RunningModel.IKindError> {
    return this._kindErrors;
  }

  /** Why the last fetch failed as a whole, or why the last stop / delete failed; null when all is well. */
  get error(): string | null {
    return this._error;
  }

  /** Whether a fetch runs. */
  get isLoading(): boolean {
    return this._pending !== null;
  }

  /** When the list was last fetched (ms since epoch). */
  get updatedAt(): number | null {
    return this._updatedAt;
  }

  /** The price table's source, once loaded. */
  get priceSource(): PriceTable.ISource | null {
    return this._table?.source ?? null;
  }

  /** The region the prices are for. */
  get region(): string {
    return this._region();
  }

  /** US dollars per hour of everything priced that runs now. */
  get totalPerHour(): number {
    return this._rows.reduce((sum, row) => sum + (row.perHour ?? 0), 0);
  }

  /** How many rows have no known price (left out of the total). */
  get unpriced(): number {
    return this._rows.filter(row => row.perHour === null).length;
  }

  /** Names of resources being stopped or deleted. */
  isBusy(row: RunningModel.IRow): boolean {
    return this._busy.has(RunningModel.key(row));
  }

  /** Cost so far of a row at a time (ms since epoch): its rate times the hours since it started billing. */
  costSoFar(row: RunningModel.IRow, now: number): number | null {
    if (row.perHour === null || row.since === null) {
      return null;
    }
    return (row.perHour * Math.max(0, now - row.since)) / 3_600_000;
  }

  /** Emitted whenever anything above changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Whether the model was disposed. */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Fetch unless fetched before (used when the section is first shown). */
  ensureLoaded(): Promise<void> {
    return this._status === 'idle' ? this.refresh() : Promise.resolve();
  }

  /** Fetch again; concurrent calls share one fetch. */
  refresh(): Promise<void> {
    if (!this._pending) {
      this._pending = this._load().finally(() => {
        this._pending = null;
        if (!this._isDisposed) {
          this._changed.emit();
        }
      });
      this._changed.emit();
    }
    return this._pending;
  }

  /** Forget the rows (e.g. after a region switch) and fetch again if the section was shown. */
  reset(): void {
    this._abort?.abort();
    this._rows = [];
    this._kindErrors = [];
    this._updatedAt = null;
    this._error = null;
    if (this._status !== 'idle') {
      this._status = 'loading';
      this._pending = null;
      void this.refresh();
    }
  }

  /**
   * Stop or delete a resource (the caller asks for confirmation first), then fetch again. Resolves false and sets
   * {@link error} when AWS refuses.
   */
  async stop(row: RunningModel.IRow): Promise<boolean> {
    const key = RunningModel.key(row);
    this._busy.add(key);
    this._error = null;
    this._changed.emit();
    try {
      await this._stop(row);
      return true;
    } catch (err) {
      this._error = this._describeError(err);
      return false;
    } finally {
      this._busy.delete(key);
      this._changed.emit();
      void this.refresh();
    }
  }

  /** Cancel what runs and disconnect. */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._abort?.abort();
    Signal.clearData(this);
  }

  private async _load(): Promise<void> {
    this._abort?.abort();
    const abort = new AbortController();
    this._abort = abort;
    if (this._status === 'idle') {
      this._status = 'loading';
    }
    try {
      const [result, table] = await Promise.all([
        this._fetch(abort.signal),
        this._table ? Promise.resolve(this._table) : this._prices()
      ]);
      if (abort.signal.aborted) {
        return;
      }
      this._table = table;
      const region = this._region();
      this._rows = result.resources
        .map(resource => RunningModel.price(resource, table, region))
        .sort(
          (a, b) =>
            (b.perHour ?? -1) - (a.perHour ?? -1) ||
            a.name.localeCompare(b.name)
        );
      this._kindErrors = result.errors;
      this._updatedAt = Date.now();
      this._error = null;
      this._status =
        result.errors.length > 0 &&
        result.errors.length === RunningModel.KINDS.length
          ? 'error'
          : 'ready';
      if (this._status === 'error') {
        this._error = result.errors[0].message;
      }
    } catch (err) {
      if (abort.signal.aborted) {
        return;
      }
      this._error = this._describeError(err);
      if (this._updatedAt === null) {
        this._status = 'error';
      }
    }
  }

  private _fetch: RunningModel.IOptions['fetch'];
  private _stop: RunningModel.IOptions['stop'];
  private _prices: RunningModel.IOptions['prices'];
  private _region: () => string;
  private _describeError: (err: unknown) => string;
  private _table: PriceTable | null = null;
  private _status: RunningModel.Status = 'idle';
  private _rows: RunningModel.IRow[] = [];
  private _kindErrors: RunningModel.IKindError[] = [];
  private _error: string | null = null;
  private _updatedAt: number | null = null;
  private _pending: Promise<void> | null = null;
  private _abort: AbortController | null = null;
  private _busy = new Set<string>();
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
}

/** Types and helpers of {@link RunningModel}. */
export namespace RunningModel {
  /** Lifecycle of the list. */
  export type Status = 'idle' | 'loading' | 'ready' | 'error';

  /** The kinds of billing resource, in the order they are fetched. */
  export const KINDS = [
    'endpoint',
    'training-job',
    'processing-job',
    'transform-job',
    'notebook-instance',
    'app'
  ] as const;

  /** A kind of billing resource. */
  export type Kind = (typeof KINDS)[number];

  /** The price-list component a resource bills under. */
  export type Usage = PriceTable.Usage;

  /** Instances of one type a resource runs. */
  export interface IUnit {
    /** ML instance type (ml.m5.large), or null when AWS did not say. */
    instanceType: string | null;
    /** How many run. */
    count: number;
    /** A serverless endpoint variant (billed per request, not per hour). */
    serverless: boolean;
  }

  /** Where a Studio app lives. */
  export interface IApp {
    /** Domain id. */
    domainId: string;
    /** Domain name. */
    domainName: string;
    /** JupyterServer, KernelGateway, JupyterLab, CodeEditor… */
    appType: string;
    /** Owner profile, for apps of a user. */
    userProfileName?: string;
    /** Space, for apps of a space. */
    spaceName?: string;
  }

  /** One billing resource as listed. */
  export interface IResource {
    /** Its kind. */
    kind: Kind;
    /** Its name. */
    name: string;
    /** Its ARN ('' where the list gives none, e.g. apps). */
    arn: string;
    /** Its status (or secondary status for training). */
    status: string;
    /** The price-list component. */
    usage: Usage;
    /** Its instances. */
    units: IUnit[];
    /** When it started billing (ms since epoch), or null when unknown. */
    since: number | null;
    /** Studio app details, for apps. */
    app: IApp | null;
  }

  /** A resource with its price. */
  export interface IRow extends IResource {
    /** US dollars per hour, or null when an instance type has no price in the table. */
    perHour: number | null;
    /** Why there is no price, as the instance types without one. */
    unpricedTypes: string[];
  }

  /** A kind that could not be listed. */
  export interface IKindError {
    /** The kind. */
    kind: Kind;
    /** Why, as a sentence. */
    message: string;
  }

  /** What the fetch returns: the resources of the kinds that could be listed, and the failures of the others. */
  export interface IPartialResult {
    /** Listed resources. */
    resources: IResource[];
    /** Kinds that failed. */
    errors: IKindError[];
  }

  /** Options of the model. */
  export interface IOptions {
    /** Lists every running resource (the SDK calls, loaded lazily by the caller). */
    fetch: (signal: AbortSignal) => Promise<IPartialResult>;
    /** Stops or deletes one. */
    stop: (resource: IResource) => Promise<void>;
    /** Loads the price table. */
    prices: () => Promise<PriceTable>;
    /** The current region. */
    region: () => string;
    /** Turns a failure into the sentence shown to the user. */
    describeError: (err: unknown) => string;
  }

  /** A stable key of a resource. */
  export function key(resource: IResource): string {
    return `${resource.kind}/${resource.app?.domainId ?? ''}/${resource.name}`;
  }

  /** Price a resource: the sum over its units; unknown when any billed unit has no price. */
  export function price(
    resource: IResource,
    table: PriceTable,
    region: string
  ): IRow {
    let perHour = 0;
    const unpricedTypes: string[] = [];
    for (const unit of resource.units) {
      if (unit.serverless || unit.count === 0) {
        continue;
      }
      const rate = unit.instanceType
        ? table.price(region, resource.usage, unit.instanceType)
        : null;
      if (rate === null) {
        unpricedTypes.push(unit.instanceType ?? '?');
      } else {
        perHour += rate * unit.count;
      }
    }
    const billed = resource.units.some(u => !u.serverless && u.count > 0);
    return {
      ...resource,
      perHour: unpricedTypes.length > 0 || !billed ? null : perHour,
      unpricedTypes
    };
  }
}
