/**
 * State of one resource shown in a detail tab: what its describe calls returned, whether they run, why they failed.
 * No DOM and no SDK: the loader is handed in. Detail models of every kind build on it.
 */
import type { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

/** A resource's loaded data, refreshed on demand; a newer load makes an older one's result moot. */
export class ResourceModel<T> implements IDisposable {
  /** Create the model; nothing is fetched until {@link refresh}. */
  constructor(options: ResourceModel.IOptions<T>) {
    this._load = options.load;
    this._describeError = options.describeError;
  }

  /** 'idle' before the first load, then 'loading', 'ready' or 'error' (the last load failed and nothing was kept). */
  get status(): ResourceModel.Status {
    return this._status;
  }

  /** The data of the last successful load, or null. */
  get data(): T | null {
    return this._data;
  }

  /** Why the last load failed, as a sentence; null after a success. */
  get error(): string | null {
    return this._error;
  }

  /** Whether a load runs. */
  get isLoading(): boolean {
    return this._abort !== null;
  }

  /** When the data was last loaded (ms since epoch). */
  get updatedAt(): number | null {
    return this._updatedAt;
  }

  /** Emitted whenever anything above changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Whether the model was disposed. */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Load again; keeps showing the old data until the new arrives. */
  async refresh(): Promise<void> {
    this._abort?.abort();
    const abort = new AbortController();
    this._abort = abort;
    if (this._status === 'idle') {
      this._status = 'loading';
    }
    this._changed.emit();
    try {
      const data = await this._load(abort.signal);
      if (abort.signal.aborted || this._isDisposed) {
        return;
      }
      this._data = data;
      this._error = null;
      this._status = 'ready';
      this._updatedAt = Date.now();
    } catch (err) {
      if (abort.signal.aborted || this._isDisposed) {
        return;
      }
      this._error = this._describeError(err);
      if (this._data === null) {
        this._status = 'error';
      }
    } finally {
      if (this._abort === abort) {
        this._abort = null;
      }
    }
    this._changed.emit();
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

  private _load: (signal: AbortSignal) => Promise<T>;
  private _describeError: (err: unknown) => string;
  private _status: ResourceModel.Status = 'idle';
  private _data: T | null = null;
  private _error: string | null = null;
  private _updatedAt: number | null = null;
  private _abort: AbortController | null = null;
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
}

/** Types of {@link ResourceModel}. */
export namespace ResourceModel {
  /** Lifecycle of the data. */
  export type Status = 'idle' | 'loading' | 'ready' | 'error';

  /** Options of the model. */
  export interface IOptions<T> {
    /** Fetches the data (the SDK calls, made by the caller). */
    load: (signal: AbortSignal) => Promise<T>;
    /** Turns a failure into the sentence shown to the user. */
    describeError: (err: unknown) => string;
  }
}
