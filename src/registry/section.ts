/**
 * State of one generic registry section (model package groups, pipelines, projects, feature groups, experiments):
 * the rows loaded so far, the paging position, search and sort, when it was fetched and why it failed. No DOM and
 * no SDK: the list call is handed in, so the SDK loads only when a section first fetches.
 */
import { IDisposable } from '@lumino/disposable';
import { Debouncer } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { paginate } from '../aws/paginate';

/** One section's list. */
export class SectionModel implements IDisposable {
  /** Create the model; nothing is fetched until {@link refresh} or {@link ensureLoaded}. */
  constructor(options: SectionModel.IOptions) {
    this._list = options.list;
    this._describeError = options.describeError;
    this._pageSize = options.pageSize ?? 50;
    this._serverSearch = options.serverSearch ?? false;
    this._pageAll = options.pageAll ?? false;
    this._maxItems = options.maxItems ?? 10000;
    this._searchDebouncer = new Debouncer(
      () => this.refresh(),
      options.searchDelay ?? 300
    );
  }

  /** The loaded rows that match the search, in the chosen order. */
  get items(): ReadonlyArray<SectionModel.IRow> {
    if (this._view === null) {
      const needle = this._search.trim().toLowerCase();
      const matching = needle
        ? this._loaded.filter(row => row.name.toLowerCase().includes(needle))
        : this._loaded.slice();
      this._view = matching.sort(compareResources(this._sort));
    }
    return this._view;
  }

  /** Every row loaded so far, in the server's order, before the client-side filter. */
  get loaded(): ReadonlyArray<SectionModel.IRow> {
    return this._loaded;
  }

  /** 'idle' before the first fetch, then 'loading', 'ready' or 'error' (the first page failed). */
  get status(): SectionModel.Status {
    return this._status;
  }

  /** Whether a fetch (first page or a further one) is running. */
  get isLoading(): boolean {
    return this._pending !== null;
  }

  /** Why the last fetch failed, as a sentence; null after a success. */
  get error(): string | null {
    return this._error;
  }

  /** When the first page was last fetched successfully (ms since epoch). */
  get updatedAt(): number | null {
    return this._updatedAt;
  }

  /** Whether the server has more rows than are loaded. */
  get hasMore(): boolean {
    return this._pages !== null && !this._exhausted;
  }

  /** The search text. */
  get search(): string {
    return this._search;
  }

  /** The order of {@link items}. */
  get sort(): SectionModel.ISort {
    return this._sort;
  }

  /** Emitted whenever anything above changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Whether the model was disposed. */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Filter the loaded rows at once; where the API filters by name, fetch again after a pause in typing. */
  setSearch(text: string): void {
    if (text === this._search) {
      return;
    }
    this._search = text;
    this._view = null;
    this._changed.emit();
    if (this._serverSearch && this._status !== 'idle') {
      void this._searchDebouncer.invoke();
    }
  }

  /** Order the rows; when not all rows are loaded, fetch again in that order so paging continues in it. */
  setSort(sort: SectionModel.ISort): void {
    if (sort.by === this._sort.by && sort.order === this._sort.order) {
      return;
    }
    this._sort = { ...sort };
    this._view = null;
    this._changed.emit();
    if (this.hasMore) {
      void this.refresh();
    }
  }

  /** Fetch the first page unless it was fetched before (used when the section is first shown). */
  ensureLoaded(): Promise<void> {
    return this._status === 'idle' ? this.refresh() : Promise.resolve();
  }

  /** Fetch from the first page again with the current search and sort; replaces the loaded rows when it arrives. */
  refresh(): Promise<void> {
    this._abort?.abort();
    const abort = new AbortController();
    this._abort = abort;
    if (this._status === 'idle') {
      this._status = 'loading';
    }
    const query = {
      sortBy: this._sort.by,
      sortOrder: this._sort.order,
      nameContains: this._serverSearch ? this._search.trim() : '',
      signal: abort.signal
    };
    const pages = paginate<SectionModel.IQuery, SectionModel.IPage>(
      this._list,
      query,
      {
        pageSize: this._pageSize,
        inputToken: 'nextToken',
        outputToken: 'nextToken',
        pageSizeKey: 'pageSize',
        signal: abort.signal
      }
    );
    const run = this._nextPage(pages, abort, true);
    this._track(run);
    return run;
  }

  /** Fetch the next page (when the user scrolls to the end); does nothing while a fetch runs or all is loaded. */
  loadMore(): Promise<void> {
    if (!this.hasMore || this._pending || !this._pages || !this._abort) {
      return this._pending ?? Promise.resolve();
    }
    const run = this._nextPage(this._pages, this._abort, false);
    this._track(run);
    return run;
  }

  /** Forget the rows (e.g. after a region switch) and fetch again if the section was shown. */
  reset(): void {
    this._abort?.abort();
    this._abort = null;
    this._pages = null;
    this._loaded = [];
    this._view = null;
    this._updatedAt = null;
    this._error = null;
    if (this._status === 'idle') {
      return;
    }
    this._status = 'loading';
    void this.refresh();
  }

  /** Cancel what runs and disconnect. */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._abort?.abort();
    this._searchDebouncer.dispose();
    Signal.clearData(this);
  }

  /** Remember the running fetch (the latest one wins) and signal its start and end. */
  private _track(run: Promise<void>): void {
    this._pending = run;
    this._changed.emit();
    void run.finally(() => {
      if (this._pending === run) {
        this._pending = null;
      }
      if (!this._isDisposed) {
        this._changed.emit();
      }
    });
  }

  /** Read one page (or, in page-all mode, all of them) into the rows; a newer fetch makes this one's result moot. */
  private async _nextPage(
    pages: AsyncGenerator<SectionModel.IPage, void, undefined>,
    abort: AbortController,
    first: boolean
  ): Promise<void> {
    const rows: SectionModel.IRow[] = first ? [] : this._loaded.slice();
    let exhausted = false;
    try {
      do {
        const next = await pages.next();
        if (abort.signal.aborted) {
          return;
        }
        if (next.done) {
          exhausted = true;
          break;
        }
        rows.push(...next.value.items);
        exhausted = !next.value.nextToken;
      } while (this._pageAll && !exhausted && rows.length < this._maxItems);
    } catch (err) {
      if (abort.signal.aborted) {
        return;
      }
      this._error = this._describeError(err);
      if (first) {
        // Rows of an older search or sort would be misleading next to this error.
        this._loaded = [];
        this._view = null;
        this._pages = null;
        this._status = 'error';
      }
      return;
    }
    this._pages = pages;
    this._exhausted = exhausted || rows.length >= this._maxItems;
    this._loaded = rows;
    this._view = null;
    this._error = null;
    this._status = 'ready';
    if (first) {
      this._updatedAt = Date.now();
    }
  }

  private _list: SectionModel.ListFunction;
  private _describeError: (err: unknown) => string;
  private _pageSize: number;
  private _serverSearch: boolean;
  private _pageAll: boolean;
  private _maxItems: number;
  private _searchDebouncer: Debouncer;
  private _loaded: SectionModel.IRow[] = [];
  private _view: SectionModel.IRow[] | null = null;
  private _status: SectionModel.Status = 'idle';
  private _error: string | null = null;
  private _updatedAt: number | null = null;
  private _search = '';
  private _sort: SectionModel.ISort = { by: 'name', order: 'asc' };
  private _pages: AsyncGenerator<SectionModel.IPage, void, undefined> | null =
    null;
  private _exhausted = false;
  private _pending: Promise<void> | null = null;
  private _abort: AbortController | null = null;
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
}

/** Types of {@link SectionModel}. */
export namespace SectionModel {
  /** Lifecycle of the list. */
  export type Status = 'idle' | 'loading' | 'ready' | 'error';

  /** What the rows can be ordered by. */
  export type SortKey = 'name' | 'created';

  /** An order of the rows. */
  export interface ISort {
    /** The column. */
    by: SortKey;
    /** Ascending or descending. */
    order: 'asc' | 'desc';
  }

  /** One resource as a section shows it. */
  export interface IRow {
    /** Resource name. */
    name: string;
    /** Resource ARN. */
    arn: string;
    /** The resource's own status value (e.g. CreateCompleted), or null when it has none. */
    status: string | null;
    /** Creation time (ms since epoch). */
    created: number | null;
  }

  /** The request for one page; `nextToken` and `pageSize` are filled in by the pager. */
  export interface IQuery {
    /** Server-side name filter ('' for none); only sent where the API has one. */
    nameContains: string;
    /** Server-side sort column. */
    sortBy: SortKey;
    /** Server-side sort order. */
    sortOrder: 'asc' | 'desc';
    /** Rows per page. */
    pageSize?: number;
    /** Token of the page to fetch; absent for the first. */
    nextToken?: string;
    /** Cancels the call. */
    signal?: AbortSignal;
  }

  /** One page of rows. */
  export interface IPage {
    /** The rows of the page. */
    items: IRow[];
    /** Token of the next page; absent on the last. */
    nextToken?: string;
  }

  /** Fetches one page. */
  export type ListFunction = (query: IQuery) => Promise<IPage>;

  /** Options of the model. */
  export interface IOptions {
    /** Fetches one page (the SDK call, loaded lazily by the caller). */
    list: ListFunction;
    /** Turns a failure into the sentence shown to the user. */
    describeError: (err: unknown) => string;
    /** Rows per page (default 50). */
    pageSize?: number;
    /** Whether the API filters by name, so a search fetches again (default false: client-side only). */
    serverSearch?: boolean;
    /** Pause in typing before a server-side search, in ms (default 300). */
    searchDelay?: number;
    /** Fetch every page at once (for sections that only show a count; default false). */
    pageAll?: boolean;
    /** Rows kept at most (default 10,000). */
    maxItems?: number;
  }
}

/**
 * Compare named resources by a sort; those without a creation time go last, ties break by name in the same
 * direction, so switching the order reverses the list exactly. Shared by the sections and the endpoint list.
 */
export function compareResources<
  T extends { name: string; created: number | null }
>(sort: SectionModel.ISort): (a: T, b: T) => number {
  const sign = sort.order === 'asc' ? 1 : -1;
  const byName = (a: T, b: T) => a.name.localeCompare(b.name);
  if (sort.by === 'name') {
    return (a, b) => sign * byName(a, b);
  }
  return (a, b) => {
    if (a.created === b.created) {
      return sign * byName(a, b);
    }
    if (a.created === null) {
      return 1;
    }
    if (b.created === null) {
      return -1;
    }
    return sign * (a.created - b.created);
  };
}
