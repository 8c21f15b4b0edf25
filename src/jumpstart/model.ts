/**
 * State of the JumpStart catalog panel, without DOM: the source's loading state and catalog, the current query
 * (search text, task, framework, fine-tunable, sort) and its result, and the spec files the model cards read.
 */
import type { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import type { ICatalogModel, JumpStartCatalog } from './catalog';
import type { JumpStartSource } from './source';
import type { IManifestEntry, IModelSpec } from './types';

/** The catalog panel's state: what is shown, what the user asked for, and what it found. */
export class JumpStartModel implements IDisposable {
  /** Wrap a source; nothing is read until {@link ensureLoaded}. */
  constructor(options: JumpStartModel.IOptions) {
    this._source = options.source;
    this._source.changed.connect(this._onSourceChanged, this);
  }

  /** 'idle' before the first load, 'loading' while nothing is shown yet, then 'ready' or 'error'. */
  get status(): JumpStartModel.Status {
    return this._source.status;
  }

  /** Why the last read failed, as a sentence (also while an older catalog is shown); null otherwise. */
  get error(): string | null {
    return this._source.error;
  }

  /** When the catalog shown was fetched from the bucket (ms since epoch), or null. */
  get updatedAt(): number | null {
    return this._source.fetchedAt;
  }

  /** Whether the catalog is being fetched. */
  get isRefreshing(): boolean {
    return this._source.isRefreshing;
  }

  /** The current query. */
  get query(): Readonly<JumpStartModel.IQuery> {
    return this._query;
  }

  /** The models the query keeps, in its order (empty before a catalog is shown). */
  get results(): ReadonlyArray<ICatalogModel> {
    this._update();
    return this._results;
  }

  /** How many models the catalog shows without filters (deprecated ones are hidden, as in Studio). */
  get total(): number {
    this._update();
    return this._total;
  }

  /** Tasks present in the catalog, sorted, for the task menu. */
  get tasks(): ReadonlyArray<string> {
    return this._source.catalog?.facets.tasks ?? [];
  }

  /** Frameworks present in the catalog, sorted, for the framework menu. */
  get frameworks(): ReadonlyArray<string> {
    return this._source.catalog?.facets.frameworks ?? [];
  }

  /** The catalog model of an id, if shown. */
  get(modelId: string): ICatalogModel | undefined {
    return this._source.catalog?.get(modelId);
  }

  /** Emitted whenever the state, the query or the results change. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Whether the model was disposed. */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Change part of the query; the results follow. */
  setQuery(patch: Partial<JumpStartModel.IQuery>): void {
    const next = { ...this._query, ...patch };
    if (
      next.text === this._query.text &&
      next.task === this._query.task &&
      next.framework === this._query.framework &&
      next.fineTunableOnly === this._query.fineTunableOnly &&
      next.access === this._query.access &&
      next.sort.by === this._query.sort.by &&
      next.sort.order === this._query.sort.order
    ) {
      return;
    }
    this._query = next;
    this._dirty = true;
    this._changed.emit();
    this._maybeScan();
  }

  /**
   * While the details of models are being read for the fine-tunable or access filter: how many of how many;
   * null otherwise.
   */
  get scan(): { done: number; total: number } | null {
    return this._scan;
  }

  /** Open the catalog once (from cache when there is one); later calls return the same promise. */
  ensureLoaded(): Promise<void> {
    if (!this._opened) {
      this._opened = this._source.open();
    }
    return this._opened;
  }

  /** Fetch the catalog from the bucket again. */
  async refresh(): Promise<void> {
    if (!this._opened) {
      return this.ensureLoaded();
    }
    await this._source.refresh();
  }

  /** Counts {@link reset}s: cards read their spec again when it changes (the spec files are per region). */
  get generation(): number {
    return this._generation;
  }

  /** Forget the catalog (region or profile switch) and read it again if it had been opened. */
  reset(): Promise<void> {
    const wasOpened = this._opened !== null;
    this._opened = null;
    this._generation++;
    this._scanAbort?.abort();
    this._scanned.clear();
    this._source.reset();
    this._changed.emit();
    return wasOpened ? this.ensureLoaded() : Promise.resolve();
  }

  /**
   * The spec file of a model's latest version (or of `version`), with its manifest entry. Rejects with a sentence
   * when the model is not in the catalog or the spec cannot be read.
   */
  async spec(
    modelId: string,
    version?: string
  ): Promise<{ entry: IManifestEntry; spec: IModelSpec }> {
    await this.ensureLoaded();
    const model = this.get(modelId);
    if (!model) {
      throw new Error(
        this._source.error ??
          `The model ${modelId} is not in the JumpStart catalog of this region.`
      );
    }
    const entry =
      (version !== undefined
        ? model.versions.find(v => v.version === version)
        : undefined) ?? model.latest;
    const spec = await this._source.spec(entry);
    return { entry, spec };
  }

  /** Disconnect from the source (the source itself belongs to the caller). */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._scanAbort?.abort();
    this._source.changed.disconnect(this._onSourceChanged, this);
    Signal.clearData(this);
  }

  private _onSourceChanged(): void {
    this._dirty = true;
    this._changed.emit();
  }

  /**
   * Whether a model can be fine-tuned and whether it is gated are in its spec file, not in the manifest: when a
   * filter needs them, read the specs of the models the other filters keep (each model once per catalog).
   */
  private _maybeScan(): void {
    const q = this._query;
    const catalog = this._source.catalog;
    if (
      !catalog ||
      this._scanAbort ||
      (!q.fineTunableOnly && q.access === 'all')
    ) {
      return;
    }
    const candidates = catalog
      .query({ text: q.text, task: q.task, framework: q.framework })
      .filter(
        m =>
          (m.fineTunable === null || m.gated === null) &&
          !this._scanned.has(m.id)
      );
    if (!candidates.length) {
      return;
    }
    for (const m of candidates) {
      this._scanned.add(m.id);
    }
    const abort = new AbortController();
    this._scanAbort = abort;
    this._scan = { done: 0, total: candidates.length };
    this._changed.emit();
    void this._source
      .scanFacts(candidates, {
        signal: abort.signal,
        onProgress: (done, total) => {
          this._scan = { done, total };
          // The source announces each batch of facts; progress alone is shown every few specs.
          if (done % 10 === 0) {
            this._changed.emit();
          }
        }
      })
      .catch(() => undefined)
      .then(() => {
        if (this._scanAbort !== abort) {
          return;
        }
        this._scanAbort = null;
        this._scan = null;
        this._changed.emit();
        // The query may have changed meanwhile.
        this._maybeScan();
      });
  }

  /** Recompute the results if the catalog or the query changed since the last time. */
  private _update(): void {
    const catalog = this._source.catalog;
    if (!this._dirty && catalog === this._catalog) {
      return;
    }
    this._dirty = false;
    if (catalog !== this._catalog) {
      this._catalog = catalog;
      this._total = catalog ? catalog.query({}).length : 0;
    }
    if (!catalog) {
      this._results = [];
      return;
    }
    const q = this._query;
    this._results = catalog.query({
      text: q.text,
      task: q.task,
      framework: q.framework,
      fineTunable: q.fineTunableOnly ? true : null,
      gated: q.access === 'all' ? null : q.access === 'gated',
      sort: q.sort
    });
  }

  private _source: JumpStartModel.ISource;
  private _query: JumpStartModel.IQuery = {
    text: '',
    task: null,
    framework: null,
    fineTunableOnly: false,
    access: 'all',
    sort: { by: 'name', order: 'asc' }
  };
  private _catalog: JumpStartCatalog | null = null;
  private _results: ReadonlyArray<ICatalogModel> = [];
  private _total = 0;
  private _dirty = true;
  private _opened: Promise<void> | null = null;
  private _scan: { done: number; total: number } | null = null;
  private _scanAbort: AbortController | null = null;
  private _scanned = new Set<string>();
  private _generation = 0;
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
}

/** Types of {@link JumpStartModel}. */
export namespace JumpStartModel {
  /** Loading state (that of the source). */
  export type Status = JumpStartSource.Status;

  /** The part of {@link JumpStartSource} the model uses (tests hand in a fake). */
  export type ISource = Pick<
    JumpStartSource,
    | 'catalog'
    | 'status'
    | 'error'
    | 'fetchedAt'
    | 'isRefreshing'
    | 'changed'
    | 'open'
    | 'refresh'
    | 'reset'
    | 'spec'
    | 'scanFacts'
  >;

  /** What the user asked for. */
  export interface IQuery {
    /** Words that must all occur in the id, provider, task or keywords. */
    text: string;
    /** Only this task, or null for all. */
    task: string | null;
    /** Only this framework, or null for all. */
    framework: string | null;
    /** Only models known to be fine-tunable. */
    fineTunableOnly: boolean;
    /** All models, only open ones, or only gated ones (EULA to accept). */
    access: 'all' | 'open' | 'gated';
    /** Order. */
    sort: JumpStartCatalog.ISort;
  }

  /** Constructor options. */
  export interface IOptions {
    /** Where the catalog comes from. */
    source: ISource;
  }
}
