/**
 * The "Data Wrangler flows" section's list: the `.flow` files of the workspace, found through the Jupyter Contents
 * API by a breadth-first walk of the server's root (depth-limited, a few directory listings in flight, hidden
 * folders and node_modules skipped), with a search filter and its load state. No DOM.
 */
import type { Contents } from '@jupyterlab/services';
import type { IDisposable } from '@lumino/disposable';
import { Debouncer } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { mapConcurrently } from '../aws/concurrency';
import { ResourceModel } from './details/resource';

/** The file extension of Data Wrangler flows. */
export const FLOW_EXTENSION = '.flow';

/** Folders never walked (besides hidden ones): dependency trees hold no flows and can be huge. */
const SKIPPED_FOLDERS = new Set(['node_modules', '__pycache__']);

/** One flow file. */
export interface IFlowFile {
  /** Path from the server root, e.g. `prep/churn.flow`. */
  path: string;
  /** File name. */
  name: string;
  /** The folder, '' for the root. */
  directory: string;
  /** Last modification (ms since epoch). */
  lastModified: number | null;
  /** Size in bytes, when the server says. */
  size: number | null;
}

/** What the walk reads: directory listings (a ContentsManager does). */
export type ContentsReader = Pick<Contents.IManager, 'get'>;

/** Options of {@link findFlowFiles}. */
export interface IWalkOptions {
  /** The folder to start from ('' = the server root). */
  root?: string;
  /** Folder levels below the root that are listed (0 = the root only). */
  maxDepth?: number;
  /** Directory listings in flight at once. */
  concurrency?: number;
  /** Folders listed at most; the walk stops (and says so) beyond. */
  maxFolders?: number;
  /** Stops the walk between listings. */
  signal?: AbortSignal;
}

/** What a walk found. */
export interface IWalkResult {
  /** The flow files, by path. */
  files: IFlowFile[];
  /** Whether folders were left unlisted (depth or folder limit). */
  truncated: boolean;
  /** Folders that could not be listed (e.g. no permission). */
  unreadable: string[];
}

/**
 * Find the `.flow` files under a folder, level by level (breadth-first), so the shallow flows are found even when
 * the limits stop the walk. The root must be readable; a subfolder that fails is reported and skipped.
 */
export async function findFlowFiles(
  contents: ContentsReader,
  options: IWalkOptions = {}
): Promise<IWalkResult> {
  const maxDepth = options.maxDepth ?? 4;
  const concurrency = options.concurrency ?? 4;
  const maxFolders = options.maxFolders ?? 500;
  const files: IFlowFile[] = [];
  const unreadable: string[] = [];
  let level = [options.root ?? ''];
  let listed = 0;
  let truncated = false;
  for (let depth = 0; level.length > 0; depth++) {
    if (listed + level.length > maxFolders) {
      level = level.slice(0, Math.max(0, maxFolders - listed));
      truncated = true;
    }
    listed += level.length;
    const listings = await mapConcurrently(level, concurrency, async dir => {
      stopIfAborted(options.signal);
      try {
        const model = await contents.get(dir, { content: true });
        return Array.isArray(model.content)
          ? (model.content as Contents.IModel[])
          : [];
      } catch (err) {
        if (depth === 0 || options.signal?.aborted) {
          throw err;
        }
        unreadable.push(dir);
        return [];
      }
    });
    stopIfAborted(options.signal);
    const next: string[] = [];
    for (const entries of listings) {
      for (const entry of entries) {
        if (entry.name.startsWith('.')) {
          continue;
        }
        if (entry.type === 'directory') {
          if (SKIPPED_FOLDERS.has(entry.name)) {
            continue;
          }
          if (depth < maxDepth) {
            next.push(entry.path);
          } else {
            truncated = true;
          }
        } else if (entry.name.toLowerCase().endsWith(FLOW_EXTENSION)) {
          files.push(flowFile(entry));
        }
      }
    }
    if (truncated && listed >= maxFolders) {
      break;
    }
    level = next;
  }
  files.sort(byPath);
  unreadable.sort();
  return { files, truncated, unreadable };
}

/** Case-insensitive path order, the same in every browser (localeCompare depends on the locale). */
function byPath(a: IFlowFile, b: IFlowFile): number {
  const ka = a.path.toLowerCase();
  const kb = b.path.toLowerCase();
  if (ka !== kb) {
    return ka < kb ? -1 : 1;
  }
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Throw when the walk was cancelled (AbortSignal.throwIfAborted is missing in older browsers). */
function stopIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new Error('The search for .flow files was cancelled.');
  }
}

function flowFile(entry: Contents.IModel): IFlowFile {
  const slash = entry.path.lastIndexOf('/');
  const modified = entry.last_modified ? Date.parse(entry.last_modified) : NaN;
  return {
    path: entry.path,
    name: entry.name,
    directory: slash >= 0 ? entry.path.slice(0, slash) : '',
    lastModified: Number.isNaN(modified) ? null : modified,
    size: typeof entry.size === 'number' ? entry.size : null
  };
}

/** The section's list of flows; the walk's state (loading, error, when) is a {@link ResourceModel}. */
export class FlowsModel implements IDisposable {
  /** Create the model; nothing is read until {@link refresh} or {@link ensureLoaded}. */
  constructor(options: FlowsModel.IOptions) {
    const contents = options.contents;
    const walk = options.walk ?? {};
    this._contents = contents;
    this._walk = new ResourceModel<IWalkResult>({
      load: signal => findFlowFiles(contents, { ...walk, signal }),
      describeError: options.describeError
    });
    this._walk.changed.connect(() => this._changed.emit(), this);
    // A flow saved, renamed, uploaded or deleted from this JupyterLab shows without a manual refresh.
    this._changedDebouncer = new Debouncer(() => this.refresh(), 500);
    contents.fileChanged?.connect(this._onFileChanged, this);
  }

  /** The flows matching the search (name or folder), by path. */
  get items(): ReadonlyArray<IFlowFile> {
    const needle = this._search.trim().toLowerCase();
    if (!needle) {
      return this.files;
    }
    return this.files.filter(f => f.path.toLowerCase().includes(needle));
  }

  /** Every flow found. */
  get files(): ReadonlyArray<IFlowFile> {
    return this._walk.data?.files ?? [];
  }

  /** 'idle' before the first walk, then 'loading', 'ready' or 'error' (the first walk failed). */
  get status(): ResourceModel.Status {
    return this._walk.status;
  }

  /** Whether a walk runs. */
  get isLoading(): boolean {
    return this._walk.isLoading;
  }

  /** Why the last walk failed, as a sentence; null after a success. */
  get error(): string | null {
    return this._walk.error;
  }

  /** When the last walk finished (ms since epoch). */
  get updatedAt(): number | null {
    return this._walk.updatedAt;
  }

  /** Whether the walk's limits left folders unlisted. */
  get truncated(): boolean {
    return this._walk.data?.truncated ?? false;
  }

  /** Folders that could not be listed. */
  get unreadable(): ReadonlyArray<string> {
    return this._walk.data?.unreadable ?? [];
  }

  /** The search text. */
  get search(): string {
    return this._search;
  }

  /** Emitted whenever anything above changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Whether the model was disposed. */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Filter the flows by name or folder. */
  setSearch(text: string): void {
    if (text !== this._search) {
      this._search = text;
      this._changed.emit();
    }
  }

  /** Walk the workspace unless it was walked before. */
  ensureLoaded(): Promise<void> {
    return this.status === 'idle' ? this.refresh() : Promise.resolve();
  }

  /** Walk the workspace again; the old list stays until the new one arrives. */
  refresh(): Promise<void> {
    return this._walk.refresh();
  }

  /** Stop walking and disconnect. */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._walk.dispose();
    this._changedDebouncer.dispose();
    this._contents.fileChanged?.disconnect(this._onFileChanged, this);
    Signal.clearData(this);
  }

  private _onFileChanged(_: unknown, change: Contents.IChangedArgs): void {
    if (this.status === 'idle') {
      return;
    }
    const paths = [change.oldValue?.path, change.newValue?.path];
    if (
      paths.some(p => typeof p === 'string' && p.endsWith(FLOW_EXTENSION)) ||
      change.type === 'rename'
    ) {
      void this._changedDebouncer.invoke();
    }
  }

  private _contents: FlowsModel.IContents;
  private _walk: ResourceModel<IWalkResult>;
  private _changedDebouncer: Debouncer;
  private _search = '';
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
}

/** Types of {@link FlowsModel}. */
export namespace FlowsModel {
  /** What the model reads: listings, and (optionally) the change signal of the contents manager. */
  export type IContents = ContentsReader &
    Partial<Pick<Contents.IManager, 'fileChanged'>>;

  /** Options of the model. */
  export interface IOptions {
    /** The Contents API (the app's `serviceManager.contents`). */
    contents: IContents;
    /** Turns a failure into the sentence shown. */
    describeError: (err: unknown) => string;
    /** Limits of the walk. */
    walk?: Omit<IWalkOptions, 'signal'>;
  }
}
