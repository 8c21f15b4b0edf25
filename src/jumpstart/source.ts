/**
 * Where the JumpStart catalog comes from: `models_manifest.json` and the spec files of the public bucket
 * `jumpstart-cache-prod-<region>`, read with the suite's S3 client. The manifest is kept in memory and in the state
 * database, so the catalog opens from cache at once and is revalidated in the background (stale-while-revalidate).
 */
import type { IStateDB } from '@jupyterlab/statedb';
import type { ReadonlyPartialJSONValue } from '@lumino/coreutils';
import type { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import type { IAwsConnection } from '../tokens';
import {
  buildModels,
  type ICatalogModel,
  type IModelFacts,
  JumpStartCatalog,
  ManifestError,
  parseManifest,
  specFacts
} from './catalog';
import type { IManifestEntry, IModelSpec } from './types';

/** Key of the manifest in the JumpStart bucket. */
export const MANIFEST_KEY = 'models_manifest.json';

/** State database key prefix of the cached manifest (one key per region). */
export const MANIFEST_CACHE_KEY =
  'jupyterlab-sagemaker-studio:jumpstart:manifest';

/** State database key prefix of the facts read from spec files (one key per region, by spec key). */
export const FACTS_CACHE_KEY = 'jupyterlab-sagemaker-studio:jumpstart:facts';

/** The public JumpStart content bucket of a region. */
export function jumpstartBucket(region: string): string {
  return `jumpstart-cache-prod-${region}`;
}

/** The JumpStart catalog of the current region: cached, revalidated, and the spec files on demand. */
export class JumpStartSource implements IDisposable {
  /** Create the source; nothing is read until {@link open}. */
  constructor(options: JumpStartSource.IOptions) {
    this._connection = options.connection;
    this._state = options.state ?? null;
    this._objects = options.objects ?? (() => import('./s3Objects'));
    this._maxAge = options.maxAge ?? 10 * 60 * 1000;
    this._now = options.now ?? Date.now;
  }

  /** The catalog shown, from cache or the bucket; null before the first one was read. */
  get catalog(): JumpStartCatalog | null {
    return this._catalog;
  }

  /** 'idle' before {@link open}, 'loading' while nothing is shown yet, then 'ready' or 'error'. */
  get status(): JumpStartSource.Status {
    return this._status;
  }

  /** Why the last read failed, as a sentence (also while an older catalog is shown); null after a success. */
  get error(): string | null {
    return this._error;
  }

  /** How many manifest entries were skipped as malformed in the catalog shown. */
  get skipped(): number {
    return this._skipped;
  }

  /** When the manifest shown was fetched from the bucket (ms since epoch), or null. */
  get fetchedAt(): number | null {
    return this._fetchedAt;
  }

  /** Whether the manifest is being fetched from the bucket. */
  get isRefreshing(): boolean {
    return this._abort !== null;
  }

  /** Emitted whenever anything above changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Whether the source was disposed. */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /**
   * Show the cached catalog of the current region at once, if any, and revalidate it in the background when it
   * is older than `maxAge`. Resolves once there is something to show (the cache or the first fetch); the
   * background refresh is {@link revalidated}.
   */
  async open(): Promise<void> {
    await this._connection.ready;
    const region = this._connection.region;
    if (!region) {
      this._fail(
        'The AWS region is not known, so the JumpStart catalog cannot be read. Check the connection and try again.'
      );
      return;
    }
    this._region = region;
    const [cached] = await Promise.all([
      this._memory.get(region) ?? this._readState(region),
      this._loadFacts(region)
    ]);
    if (this._isDisposed || this._region !== region) {
      return;
    }
    if (cached) {
      this._show(cached);
      if (this._now() - cached.fetchedAt >= this._maxAge) {
        this._revalidated = this.refresh();
      }
      return;
    }
    this._status = 'loading';
    this._changed.emit();
    await this.refresh();
  }

  /** The background refresh started by the last {@link open}, if any. */
  get revalidated(): Promise<void> {
    return this._revalidated;
  }

  /** Fetch the manifest from the bucket and show it; on failure keep what is shown and set {@link error}. */
  async refresh(): Promise<void> {
    const region = this._region ?? this._connection.region;
    if (!region) {
      this._fail(
        'The AWS region is not known, so the JumpStart catalog cannot be read. Check the connection and try again.'
      );
      return;
    }
    this._region = region;
    this._abort?.abort();
    const abort = new AbortController();
    this._abort = abort;
    this._changed.emit();
    try {
      const [objects, client] = await Promise.all([
        this._objects(),
        this._connection.s3()
      ]);
      const json = await objects.getJsonObject(
        client,
        jumpstartBucket(region),
        MANIFEST_KEY,
        abort.signal
      );
      const { entries, skipped } = parseManifest(json);
      if (abort.signal.aborted || this._isDisposed) {
        return;
      }
      const cached: Private.ICached = {
        fetchedAt: this._now(),
        entries,
        skipped
      };
      this._memory.set(region, cached);
      this._show(cached);
      void this._writeState(region, cached);
    } catch (err) {
      if (abort.signal.aborted || this._isDisposed) {
        return;
      }
      this._error = this._describe(err);
      if (!this._catalog) {
        this._status = 'error';
      }
    } finally {
      if (this._abort === abort) {
        this._abort = null;
        if (!this._isDisposed) {
          this._changed.emit();
        }
      }
    }
  }

  /**
   * The spec file of a manifest entry, read once per region and key. Fine-tuning and gating facts of the latest
   * version flow into the catalog (they are not in the manifest).
   */
  spec(entry: IManifestEntry): Promise<IModelSpec> {
    const region = this._region ?? this._connection.region;
    if (!region) {
      return Promise.reject(
        new Error(
          'The AWS region is not known, so the model details cannot be read. Check the connection and try again.'
        )
      );
    }
    const cacheKey = `${region}/${entry.spec_key}`;
    let pending = this._specs.get(cacheKey);
    if (!pending) {
      pending = this._readSpec(region, entry);
      this._specs.set(cacheKey, pending);
      // A failed read is tried again next time.
      pending.catch(() => this._specs.delete(cacheKey));
    }
    return pending;
  }

  /**
   * Read the spec files of those `models` whose fine-tuning or gating is not known yet (the manifest does not say),
   * `concurrency` at a time, and put their facts into the catalog in batches. The facts are kept by spec key in the
   * state database, so a spec is read once per region, not once per session. A spec that cannot be read is counted
   * in `failed` and left unknown. Resolves when every spec was tried or `signal` aborted.
   */
  async scanFacts(
    models: ReadonlyArray<ICatalogModel>,
    options: JumpStartSource.IScanOptions = {}
  ): Promise<{ read: number; failed: number }> {
    const region = this._region;
    const signal = options.signal;
    const result = { read: 0, failed: 0 };
    if (!region || !this._catalog) {
      return result;
    }
    const known = await this._loadFacts(region);
    const todo = models.filter(
      m =>
        (m.fineTunable === null || m.gated === null) &&
        !known.has(m.latest.spec_key)
    );
    let done = 0;
    options.onProgress?.(done, todo.length);
    let batch = new Map<string, IModelFacts>();
    const flush = () => {
      if (batch.size && this._catalog && this._region === region) {
        this._catalog = this._catalog.withManyFacts(batch);
        this._changed.emit();
      }
      batch = new Map();
    };
    const [objects, client] = await Promise.all([
      this._objects(),
      this._connection.s3()
    ]);
    let next = 0;
    const worker = async () => {
      while (next < todo.length && !signal?.aborted && !this._isDisposed) {
        const model = todo[next++];
        try {
          const json = await objects.getJsonObject(
            client,
            jumpstartBucket(region),
            model.latest.spec_key,
            signal
          );
          const facts =
            typeof json === 'object' && json !== null && !Array.isArray(json)
              ? specFacts(json as IModelSpec)
              : null;
          if (facts) {
            known.set(model.latest.spec_key, facts);
            batch.set(model.id, facts);
            result.read++;
          } else {
            result.failed++;
          }
        } catch {
          result.failed++;
        }
        done++;
        if (batch.size >= Private.SCAN_BATCH) {
          flush();
        }
        options.onProgress?.(done, todo.length);
      }
    };
    await Promise.all(
      Array.from({ length: options.concurrency ?? 6 }, () => worker())
    );
    flush();
    if (result.read) {
      void this._writeFacts(region, known);
    }
    return result;
  }

  /** Forget the region's catalog (after a region switch); the next {@link open} reads the new region. */
  reset(): void {
    this._abort?.abort();
    this._abort = null;
    this._region = null;
    this._catalog = null;
    this._error = null;
    this._skipped = 0;
    this._fetchedAt = null;
    this._status = 'idle';
    this._changed.emit();
  }

  /** Stop fetching and disconnect listeners. */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._abort?.abort();
    this._abort = null;
    Signal.clearData(this);
  }

  private async _readSpec(
    region: string,
    entry: IManifestEntry
  ): Promise<IModelSpec> {
    let json: unknown;
    try {
      const [objects, client] = await Promise.all([
        this._objects(),
        this._connection.s3()
      ]);
      json = await objects.getJsonObject(
        client,
        jumpstartBucket(region),
        entry.spec_key
      );
    } catch (err) {
      throw new Error(this._describe(err));
    }
    if (
      typeof json !== 'object' ||
      json === null ||
      Array.isArray(json) ||
      typeof (json as IModelSpec).model_id !== 'string'
    ) {
      throw new Error(
        `The details of ${entry.model_id} (${entry.spec_key}) are not a JumpStart spec file, so they cannot be shown.`
      );
    }
    const spec = json as IModelSpec;
    const model = this._catalog?.get(entry.model_id);
    if (
      this._catalog &&
      model &&
      model.latest.version === entry.version &&
      region === this._region
    ) {
      this._catalog = this._catalog.withFacts(entry.model_id, specFacts(spec));
      this._changed.emit();
    }
    return spec;
  }

  private _show(cached: Private.ICached): void {
    const catalog = new JumpStartCatalog(buildModels(cached.entries));
    const known = this._region ? this._facts.get(this._region) : undefined;
    this._catalog = known?.size
      ? catalog.withManyFacts(Private.factsById(catalog, known))
      : catalog;
    this._skipped = cached.skipped;
    this._fetchedAt = cached.fetchedAt;
    this._status = 'ready';
    this._error = null;
    this._changed.emit();
  }

  private _fail(message: string): void {
    this._error = message;
    if (!this._catalog) {
      this._status = 'error';
    }
    this._changed.emit();
  }

  private _describe(err: unknown): string {
    if (err instanceof ManifestError) {
      return err.message;
    }
    return this._connection.describeError(err);
  }

  /** The facts read from spec files of a region, by spec key (from the state database once per session). */
  private async _loadFacts(region: string): Promise<Map<string, IModelFacts>> {
    let known = this._facts.get(region);
    if (known) {
      return known;
    }
    known = new Map();
    try {
      const value = await this._state?.fetch(`${FACTS_CACHE_KEY}:${region}`);
      if (
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value)
      ) {
        for (const [key, facts] of Object.entries(value)) {
          const f = Private.toFacts(facts);
          if (f) {
            known.set(key, f);
          }
        }
      }
    } catch {
      // Unreadable facts are read again from the specs.
    }
    // A concurrent call may have filled the map meanwhile; keep the first.
    const existing = this._facts.get(region);
    if (existing) {
      return existing;
    }
    this._facts.set(region, known);
    return known;
  }

  private async _writeFacts(
    region: string,
    known: Map<string, IModelFacts>
  ): Promise<void> {
    try {
      await this._state?.save(
        `${FACTS_CACHE_KEY}:${region}`,
        Object.fromEntries(known) as unknown as ReadonlyPartialJSONValue
      );
    } catch {
      // The facts only spare reading the specs again.
    }
  }

  private async _readState(region: string): Promise<Private.ICached | null> {
    if (!this._state) {
      return null;
    }
    try {
      const value = await this._state.fetch(`${MANIFEST_CACHE_KEY}:${region}`);
      const cached = Private.toCached(value);
      if (cached) {
        this._memory.set(region, cached);
      }
      return cached;
    } catch {
      // An unreadable cache is no cache.
      return null;
    }
  }

  private async _writeState(
    region: string,
    cached: Private.ICached
  ): Promise<void> {
    try {
      await this._state?.save(
        `${MANIFEST_CACHE_KEY}:${region}`,
        cached as unknown as ReadonlyPartialJSONValue
      );
    } catch {
      // The cache only speeds up the next opening.
    }
  }

  private _connection: JumpStartSource.IConnection;
  private _state: IStateDB | null;
  private _objects: () => Promise<typeof import('./s3Objects')>;
  private _maxAge: number;
  private _now: () => number;
  private _memory = new Map<string, Private.ICached>();
  private _specs = new Map<string, Promise<IModelSpec>>();
  private _facts = new Map<string, Map<string, IModelFacts>>();
  private _region: string | null = null;
  private _catalog: JumpStartCatalog | null = null;
  private _status: JumpStartSource.Status = 'idle';
  private _error: string | null = null;
  private _skipped = 0;
  private _fetchedAt: number | null = null;
  private _abort: AbortController | null = null;
  private _revalidated: Promise<void> = Promise.resolve();
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
}

/** Types of {@link JumpStartSource}. */
export namespace JumpStartSource {
  /** Loading state. */
  export type Status = 'idle' | 'loading' | 'ready' | 'error';

  /** The part of the AWS connection the source uses. */
  export type IConnection = Pick<
    IAwsConnection,
    'ready' | 'region' | 's3' | 'describeError'
  >;

  /** Options of {@link JumpStartSource.scanFacts}. */
  export interface IScanOptions {
    /** Stops the scan (what was read so far is kept). */
    signal?: AbortSignal;
    /** Called after each spec with how many were tried and how many there are. */
    onProgress?: (done: number, total: number) => void;
    /** How many specs are read at once (default 6). */
    concurrency?: number;
  }

  /** Constructor options. */
  export interface IOptions {
    /** The suite's AWS connection. */
    connection: IConnection;
    /** Where the manifest is cached between sessions; without one, only in memory. */
    state?: IStateDB | null;
    /** The S3 reading module (tests hand in a fake); loaded with `import()` by default. */
    objects?: () => Promise<typeof import('./s3Objects')>;
    /** How old a cached manifest may be before it is revalidated in the background (ms; default 10 minutes). */
    maxAge?: number;
    /** The clock (tests). */
    now?: () => number;
  }
}

namespace Private {
  /** How many specs' facts go into the catalog at once during a scan. */
  export const SCAN_BATCH = 25;

  /** Facts of the models whose latest spec was read, by model id. */
  export function factsById(
    catalog: JumpStartCatalog,
    known: ReadonlyMap<string, IModelFacts>
  ): Map<string, IModelFacts> {
    const byId = new Map<string, IModelFacts>();
    for (const model of catalog.models) {
      const facts = known.get(model.latest.spec_key);
      if (facts) {
        byId.set(model.id, facts);
      }
    }
    return byId;
  }

  /** Facts read back from the state database, or null if the value is not facts. */
  export function toFacts(value: unknown): IModelFacts | null {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return null;
    }
    const facts: IModelFacts = {};
    for (const key of ['fineTunable', 'gated', 'proprietary'] as const) {
      const v = (value as Record<string, unknown>)[key];
      if (typeof v === 'boolean') {
        facts[key] = v;
      }
    }
    return facts;
  }

  /** A cached manifest. */
  export interface ICached {
    /** When it was fetched (ms since epoch). */
    fetchedAt: number;
    /** Its valid entries. */
    entries: IManifestEntry[];
    /** How many entries were skipped. */
    skipped: number;
  }

  /** A cached manifest read back from the state database, or null if it is not one. */
  export function toCached(value: unknown): ICached | null {
    if (typeof value !== 'object' || value === null) {
      return null;
    }
    const v = value as Partial<ICached>;
    if (typeof v.fetchedAt !== 'number' || !Array.isArray(v.entries)) {
      return null;
    }
    try {
      const { entries, skipped } = parseManifest(v.entries);
      return {
        fetchedAt: v.fetchedAt,
        entries,
        skipped: (typeof v.skipped === 'number' ? v.skipped : 0) + skipped
      };
    } catch {
      return null;
    }
  }
}
