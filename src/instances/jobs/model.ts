/**
 * State of the notebook jobs of this JupyterLab: starting one (bucket, upload, CreateTrainingJob), following the
 * active ones with a `Poll` that stands by when none is active, their logs, stopping, and saving each finished
 * job's output notebook next to its input. No DOM.
 */
import type { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import {
  createJobRequest,
  defaultBucket,
  IJobSpec,
  INotebookJob,
  isActive,
  jobKeys,
  outputPath
} from './request';
import type { ILogPage, NotebookJobService } from './service';

/** One job with what this JupyterLab knows about it beyond the service's answer. */
export interface IJobEntry {
  /** The job as last described. */
  job: INotebookJob;
  /** Where its output notebook was saved in the workspace, once it was. */
  savedOutput: string | null;
  /** Why the output could not be saved, or null. */
  outputError: string | null;
  /** Log lines read so far. */
  logs: ILogPage['lines'];
  /** Where the next log read continues. */
  logCursor: ILogPage['next'];
  /** Why the last read failed, as a sentence; null when it worked. */
  error: string | null;
}

/** What {@link NotebookJobsModel.start} needs besides what the model knows. */
export type IStartOptions = Omit<IJobSpec, 'bucket' | 'now'> & {
  /** The notebook's JSON as saved. */
  notebookText: string;
  /** Region and account: they name the bucket. */
  region: string;
  account: string;
};

/** The notebook jobs of this JupyterLab. */
export class NotebookJobsModel implements IDisposable {
  /** Start with no jobs; `refreshList()` reads the account's recent ones. */
  constructor(options: NotebookJobsModel.IOptions) {
    this._service = options.service;
    this._runner = options.runner;
    this._saveOutput = options.saveOutput;
    this._describeError = options.describeError;
    this._poll = new Poll({
      factory: () => this._tick(),
      frequency: {
        interval: (options.pollSeconds ?? 5) * 1000,
        backoff: true,
        max: 60_000
      },
      standby: () => (this._hasActive() ? false : true),
      name: 'jupyterlab-sagemaker-studio:notebook-jobs'
    });
  }

  /** Jobs, newest first. */
  get jobs(): IJobEntry[] {
    return [...this._jobs.values()].sort(
      (a, b) => b.job.created - a.job.created
    );
  }

  /** Emitted when any job, log or the list changed. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Emitted once when a job this model followed ends (after its output was saved, or failed to be). */
  get finished(): ISignal<this, IJobEntry> {
    return this._finished;
  }

  /** Why the last list read failed, or null. */
  get listError(): string | null {
    return this._listError;
  }

  /** Whether the model is disposed. */
  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  /** Seconds between reads of active jobs. */
  set pollSeconds(seconds: number) {
    this._poll.frequency = {
      ...this._poll.frequency,
      interval: seconds * 1000
    };
  }

  /** One job by name. */
  get(name: string): IJobEntry | undefined {
    return this._jobs.get(name);
  }

  /** The newest job of a notebook, or null. */
  latestFor(notebookPath: string): IJobEntry | null {
    return this.jobs.find(e => e.job.notebookPath === notebookPath) ?? null;
  }

  /**
   * Upload the notebook and the runner, create the job and follow it. Rejects with the service's error (the
   * caller turns it into a sentence); nothing is left half-made except uploaded input files.
   */
  async start(options: IStartOptions): Promise<IJobEntry> {
    const service = await this._service();
    const bucket = defaultBucket(options.region, options.account);
    const request = createJobRequest({ ...options, bucket, now: new Date() });
    const name = request.TrainingJobName!;
    const keys = jobKeys(name, options.notebookPath);
    await service.ensureBucket(bucket, options.region);
    const runner = await this._runner();
    await service.upload(
      bucket,
      keys.notebook,
      options.notebookText,
      'application/x-ipynb+json'
    );
    await service.upload(bucket, keys.runner, runner, 'text/x-python');
    await service.create(request);
    const job = await service.describe(name);
    if (!job) {
      throw new Error(`Training job ${name} is not a notebook job.`);
    }
    const entry = this._entry(job);
    this._changed.emit();
    void this._poll.refresh();
    return entry;
  }

  /** StopTrainingJob; the poll follows it to Stopped. */
  async stop(name: string): Promise<void> {
    const service = await this._service();
    await service.stop(name);
    await this._describe(service, name);
    void this._poll.refresh();
  }

  /** Read the account's newest notebook jobs (finished ones keep what was read before). */
  async refreshList(max = 20): Promise<void> {
    try {
      const service = await this._service();
      const names = await service.listNames(max);
      for (const name of names) {
        const known = this._jobs.get(name);
        if (!known || isActive(known.job.phase)) {
          await this._describe(service, name, false);
        }
      }
      this._listError = null;
    } catch (err) {
      this._listError = this._describeError(err);
    }
    this._changed.emit();
    void this._poll.refresh();
  }

  /**
   * Read the job's new log lines. A read already under way for the job is reused: two reads from the same cursor
   * (the poll and the panel at once) would append the same lines twice.
   */
  readLogs(name: string): Promise<void> {
    let pending = this._logReads.get(name);
    if (!pending) {
      pending = this._readLogs(name).finally(() => this._logReads.delete(name));
      this._logReads.set(name, pending);
    }
    return pending;
  }

  private async _readLogs(name: string): Promise<void> {
    const entry = this._jobs.get(name);
    if (!entry) {
      return;
    }
    try {
      const service = await this._service();
      const page = await service.logs(name, entry.logCursor);
      entry.logs = entry.logs.concat(page.lines);
      entry.logCursor = page.next;
      entry.error = null;
    } catch (err) {
      entry.error = this._describeError(err);
    }
    this._changed.emit();
  }

  /** Save a finished job's output notebook next to its input now (e.g. when the automatic save failed). */
  async saveOutput(name: string): Promise<string | null> {
    const entry = this._jobs.get(name);
    if (!entry || !entry.job.notebookPath) {
      return null;
    }
    const service = await this._service();
    const path = outputPath(entry.job.notebookPath, entry.job.name);
    try {
      const text = await service.download(
        entry.job.output.bucket,
        entry.job.output.key
      );
      await this._saveOutput(path, text);
      entry.savedOutput = path;
      entry.outputError = null;
    } catch (err) {
      entry.outputError = this._describeError(err);
    }
    this._changed.emit();
    return entry.savedOutput;
  }

  /** Stop following jobs. */
  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._poll.dispose();
    Signal.clearData(this);
  }

  private _hasActive(): boolean {
    return [...this._jobs.values()].some(e => isActive(e.job.phase));
  }

  private async _tick(): Promise<void> {
    const active = [...this._jobs.values()].filter(e => isActive(e.job.phase));
    if (!active.length) {
      return;
    }
    const service = await this._service();
    for (const entry of active) {
      await this._describe(service, entry.job.name);
      if (this._watchedLogs.has(entry.job.name)) {
        await this.readLogs(entry.job.name);
      }
    }
  }

  /** Logs of these jobs are read on every tick while they run. */
  watchLogs(name: string, watch: boolean): void {
    if (watch) {
      this._watchedLogs.add(name);
    } else {
      this._watchedLogs.delete(name);
    }
  }

  private async _describe(
    service: NotebookJobService,
    name: string,
    emit = true
  ): Promise<void> {
    const before = this._jobs.get(name);
    // _entry() updates the same object, so the phase before this read is kept here.
    const wasActive = before ? isActive(before.job.phase) : false;
    let job: INotebookJob | null;
    try {
      job = await service.describe(name);
    } catch (err) {
      if (before) {
        before.error = this._describeError(err);
        this._changed.emit();
      }
      return;
    }
    if (!job) {
      return;
    }
    const entry = this._entry(job);
    entry.error = null;
    const ended = wasActive && !isActive(job.phase);
    if (ended) {
      if (job.phase !== 'Stopped') {
        await this.saveOutput(name);
      }
      await this.readLogs(name);
      this._finished.emit(entry);
    }
    if (emit) {
      this._changed.emit();
    }
  }

  private _entry(job: INotebookJob): IJobEntry {
    const entry = this._jobs.get(job.name);
    if (entry) {
      entry.job = job;
      return entry;
    }
    const created: IJobEntry = {
      job,
      savedOutput: null,
      outputError: null,
      logs: [],
      logCursor: null,
      error: null
    };
    this._jobs.set(job.name, created);
    return created;
  }

  private _service: () => Promise<NotebookJobService>;
  private _runner: () => Promise<string>;
  private _saveOutput: (path: string, text: string) => Promise<void>;
  private _describeError: (err: unknown) => string;
  private _poll: Poll;
  private _logReads = new Map<string, Promise<void>>();
  private _jobs = new Map<string, IJobEntry>();
  private _watchedLogs = new Set<string>();
  private _listError: string | null = null;
  private _changed = new Signal<this, void>(this);
  private _finished = new Signal<this, IJobEntry>(this);
}

/** Types of {@link NotebookJobsModel}. */
export namespace NotebookJobsModel {
  /** Options of the model. */
  export interface IOptions {
    /** The AWS calls (loaded on first use). */
    service: () => Promise<NotebookJobService>;
    /** The runner script's text. */
    runner: () => Promise<string>;
    /** Writes an output notebook (JSON text) to a workspace path. */
    saveOutput: (path: string, text: string) => Promise<void>;
    /** Turns an error into a sentence. */
    describeError: (err: unknown) => string;
    /** Seconds between reads of active jobs (default 5). */
    pollSeconds?: number;
  }
}
