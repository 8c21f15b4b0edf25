/**
 * State of the model registry tabs: a group's versions (paged in as the user scrolls, filtered and sorted on the
 * client), one version's description, its metrics reports, the endpoints that serve it, and approval decisions.
 * No DOM: the SageMaker and S3 clients are handed in, so tests drive these models with faked clients.
 */
import type { GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type {
  DescribeModelPackageCommandOutput,
  DescribeModelPackageGroupCommandOutput,
  ModelPackageSummary,
  UserContext
} from '@aws-sdk/client-sagemaker';
import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  DescribeModelPackageCommand,
  DescribeModelPackageGroupCommand,
  ListActionsCommand,
  ListEndpointsCommand,
  ListModelPackagesCommand,
  UpdateModelPackageCommand
} from '@aws-sdk/client-sagemaker';
import type { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { mapConcurrently } from '../../aws/concurrency';
import { collect } from '../../aws/paginate';
import { ResourceModel } from './resource';

import { parseS3Uri } from '../../aws/s3Uri';

export { parseS3Uri };

/** What the models need of an SDK client: `send` (a SageMakerClient or S3Client, or a fake in tests). */
export interface ISender {
  /** Send one command; `abortSignal` cancels it. */
  send(command: any, options?: { abortSignal?: AbortSignal }): Promise<any>;
}

/** The approval statuses of a model package version, as the API spells them. */
export type ApprovalStatus = 'Approved' | 'Rejected' | 'PendingManualApproval';

/** The longest ApprovalDescription UpdateModelPackage accepts. */
export const MAX_APPROVAL_DESCRIPTION = 1024;

/** Why a comment cannot be sent, or null when it can. */
export type CommentProblem =
  | { kind: 'too-long'; length: number; max: number }
  | { kind: 'control-characters' }
  | null;

/**
 * Check an approval comment before sending it: AWS refuses more than 1024 characters, and its pattern (`.*`)
 * refuses line breaks; tabs and other control characters are refused too, since they never mean anything here.
 */
export function checkApprovalComment(comment: string): CommentProblem {
  const text = comment.trim();
  if (text.length > MAX_APPROVAL_DESCRIPTION) {
    return {
      kind: 'too-long',
      length: text.length,
      max: MAX_APPROVAL_DESCRIPTION
    };
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(text)) {
    return { kind: 'control-characters' };
  }
  return null;
}

/** Who a UserContext names: the Studio user profile, else the IAM identity (its last path part), else null. */
export function authorOf(user: UserContext | undefined | null): string | null {
  if (!user) {
    return null;
  }
  if (user.UserProfileName) {
    return user.UserProfileName;
  }
  const arn = user.IamIdentity?.Arn;
  if (arn) {
    // arn:aws:sts::123:assumed-role/Role/session → Role/session; arn:aws:iam::123:user/alice → alice
    const resource = arn.split(':').slice(5).join(':');
    const parts = resource.split('/');
    return parts.length > 1 ? parts.slice(1).join('/') : resource;
  }
  return user.IamIdentity?.PrincipalId ?? null;
}

/** The group and version a model package ARN names (`…:model-package/<group>/<version>`), or null. */
export function parseModelPackageArn(
  arn: string
): { group: string; version: number } | null {
  const match = /:model-package\/([^/]+)\/(\d+)$/.exec(arn);
  return match ? { group: match[1], version: Number(match[2]) } : null;
}

/** One version row of a group's table. */
export interface IVersionRow {
  /** Model package ARN (how the API names a version). */
  arn: string;
  /** Version number in the group. */
  version: number | null;
  /** ModelPackageStatus (Pending, InProgress, Completed, Failed, Deleting). */
  status: string | null;
  /** ModelApprovalStatus. */
  approval: string | null;
  /** ModelPackageDescription. */
  description: string;
  /** Creation time, ms since epoch. */
  created: number | null;
}

/** Turn a ListModelPackages summary into a row. */
export function versionRow(summary: ModelPackageSummary): IVersionRow {
  return {
    arn: summary.ModelPackageArn ?? '',
    version: summary.ModelPackageVersion ?? null,
    status: summary.ModelPackageStatus ?? null,
    approval: summary.ModelApprovalStatus ?? null,
    description: summary.ModelPackageDescription ?? '',
    created: summary.CreationTime ? summary.CreationTime.getTime() : null
  };
}

/** A group's versions: the loaded pages, the client-side filter and order, and the authors of rows in view. */
export class VersionsModel implements IDisposable {
  /** Create the model; nothing is fetched until {@link refresh}. */
  constructor(options: VersionsModel.IOptions) {
    this._client = options.client;
    this._group = options.groupName;
    this._describeError = options.describeError;
    this._pageSize = options.pageSize ?? 100;
    this._maxItems = options.maxItems ?? 10000;
    this._authorConcurrency = options.authorConcurrency ?? 3;
  }

  /** The group whose versions these are. */
  get groupName(): string {
    return this._group;
  }

  /** The loaded rows matching the filter, in the chosen order (computed once per change). */
  get items(): ReadonlyArray<IVersionRow> {
    if (this._view === null) {
      const sorted = this._sortedRows();
      const words = this._filter.trim().toLowerCase().split(/\s+/);
      const active = words.filter(w => w);
      if (active.length === 0) {
        this._view = sorted;
      } else {
        // Narrowing a filter (typing one more character) only needs to look at what the last one kept.
        const base =
          this._lastFilter !== null &&
          this._lastView !== null &&
          this._filter.startsWith(this._lastFilter) &&
          !/\s/.test(this._filter.slice(this._lastFilter.length)) &&
          this._lastFilter.trim() !== ''
            ? this._lastView
            : sorted;
        const out: IVersionRow[] = [];
        for (const row of base) {
          const hay = this._haystack(row);
          if (active.every(w => hay.includes(w))) {
            out.push(row);
          }
        }
        this._view = out;
      }
      this._lastFilter = this._filter;
      this._lastView = this._view;
    }
    return this._view;
  }

  /** Every loaded row, in the server's order. */
  get loaded(): ReadonlyArray<IVersionRow> {
    return this._loaded;
  }

  /** 'idle' before the first fetch, then 'loading', 'ready' or 'error' (the first page failed). */
  get status(): 'idle' | 'loading' | 'ready' | 'error' {
    return this._status;
  }

  /** Whether a page is being fetched. */
  get isLoading(): boolean {
    return this._pending !== null;
  }

  /** Why the last fetch failed, as a sentence; null after a success. */
  get error(): string | null {
    return this._error;
  }

  /** When the first page last arrived (ms since epoch). */
  get updatedAt(): number | null {
    return this._updatedAt;
  }

  /** Whether the server holds more versions than are loaded. */
  get hasMore(): boolean {
    return this._nextToken !== null && this._loaded.length < this._maxItems;
  }

  /** The filter text. */
  get filter(): string {
    return this._filter;
  }

  /** The order of {@link items}. */
  get sort(): VersionsModel.ISort {
    return this._sort;
  }

  /** Emitted whenever anything above (or an author) changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Whether the model was disposed. */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Filter the loaded rows at once (version, approval, status, description). */
  setFilter(text: string): void {
    if (text === this._filter) {
      return;
    }
    this._filter = text;
    this._view = null;
    this._changed.emit();
  }

  /**
   * Order the rows. Version and creation order follow the server's CreationTime order, so when more rows are on
   * the server the first page is fetched again in the new direction; other columns order the loaded rows only.
   */
  setSort(sort: VersionsModel.ISort): void {
    if (sort.by === this._sort.by && sort.order === this._sort.order) {
      return;
    }
    const serverOrder = this._serverOrder();
    this._sort = { ...sort };
    this._invalidate();
    this._changed.emit();
    if (this.hasMore && this._serverOrder() !== serverOrder) {
      void this.refresh();
    }
  }

  /** Fetch the first page again; the loaded rows are replaced when it arrives. */
  refresh(): Promise<void> {
    this._abort?.abort();
    this._abort = new AbortController();
    if (this._status === 'idle') {
      this._status = 'loading';
    }
    const run = this._fetch(this._abort, undefined);
    this._track(run);
    return run;
  }

  /** Fetch the next page (when the user scrolls near the end); nothing while a fetch runs or all is loaded. */
  loadMore(): Promise<void> {
    if (!this.hasMore || this._pending || !this._abort) {
      return this._pending ?? Promise.resolve();
    }
    const run = this._fetch(this._abort, this._nextToken ?? undefined);
    this._track(run);
    return run;
  }

  /** Describe one version again and update its row in place (after an approval made anywhere). */
  async updateRow(arn: string): Promise<void> {
    const index = this._loaded.findIndex(
      r => r.arn.toLowerCase() === arn.toLowerCase()
    );
    if (index < 0) {
      return;
    }
    try {
      const client = await this._client();
      const out: DescribeModelPackageCommandOutput = await client.send(
        new DescribeModelPackageCommand({ ModelPackageName: arn })
      );
      if (this._isDisposed) {
        return;
      }
      const current = this._loaded.findIndex(
        r => r.arn.toLowerCase() === arn.toLowerCase()
      );
      if (current < 0) {
        return;
      }
      const row = versionRow(out as ModelPackageSummary);
      const previous = this._loaded[current];
      this._loaded = this._loaded.slice();
      this._loaded[current] = row;
      this._haystacks.delete(arn);
      this._authors.set(row.arn, authorOf(out.CreatedBy));
      this._replaceSorted(previous, row);
      this._error = null;
    } catch (err) {
      if (this._isDisposed) {
        return;
      }
      this._error = this._describeError(err);
    }
    this._changed.emit();
  }

  /** The author of a version: a name, null when AWS recorded none, undefined while unknown. */
  author(arn: string): string | null | undefined {
    return this._authors.get(arn);
  }

  /**
   * Look up the authors of the rows in view (ListModelPackages does not return CreatedBy, so each needs a
   * DescribeModelPackage). Only the latest rows in view are queued, so scrolling fast does not pile up calls.
   */
  requestAuthors(arns: ReadonlyArray<string>): void {
    this._authorQueue = arns.filter(
      a => a && !this._authors.has(a) && !this._authorsRunning.has(a)
    );
    while (
      this._authorWorkers < this._authorConcurrency &&
      this._authorQueue.length > 0
    ) {
      this._authorWorkers++;
      void this._authorWorker().finally(() => {
        this._authorWorkers--;
      });
    }
  }

  /** Cancel what runs and disconnect. */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._abort?.abort();
    this._authorQueue = [];
    if (this._authorTimer !== null) {
      clearTimeout(this._authorTimer);
    }
    Signal.clearData(this);
  }

  private async _authorWorker(): Promise<void> {
    while (!this._isDisposed && this._authorQueue.length > 0) {
      const arn = this._authorQueue.shift()!;
      this._authorsRunning.add(arn);
      try {
        const client = await this._client();
        const out: DescribeModelPackageCommandOutput = await client.send(
          new DescribeModelPackageCommand({ ModelPackageName: arn })
        );
        this._authors.set(arn, authorOf(out.CreatedBy));
      } catch {
        // The author is a nicety: a version that cannot be described shows a dash, the table stays.
        this._authors.set(arn, null);
      } finally {
        this._authorsRunning.delete(arn);
      }
      this._scheduleAuthorChange();
    }
  }

  /** One change signal for a burst of author answers, so the table re-renders once, not once per row. */
  private _scheduleAuthorChange(): void {
    if (this._authorTimer !== null || this._isDisposed) {
      return;
    }
    this._authorTimer = setTimeout(() => {
      this._authorTimer = null;
      if (!this._isDisposed) {
        this._changed.emit();
      }
    }, 30);
  }

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

  private async _fetch(
    abort: AbortController,
    token: string | undefined
  ): Promise<void> {
    const first = token === undefined;
    try {
      const client = await this._client();
      const page = await client.send(
        new ListModelPackagesCommand({
          ModelPackageGroupName: this._group,
          SortBy: 'CreationTime',
          SortOrder: this._serverOrder(),
          MaxResults: this._pageSize,
          NextToken: token
        }),
        { abortSignal: abort.signal }
      );
      if (abort.signal.aborted || this._isDisposed) {
        return;
      }
      const rows = (page.ModelPackageSummaryList ?? []).map(versionRow);
      const next: string | undefined = page.NextToken;
      if (!first && next !== undefined && next === token) {
        throw new Error(
          'The service returned the same page token twice; paging was stopped.'
        );
      }
      this._loaded = first ? rows : this._loaded.concat(rows);
      if (first) {
        this._haystacks.clear();
        this._updatedAt = Date.now();
      }
      this._nextToken = next ?? null;
      this._invalidate();
      this._error = null;
      this._status = 'ready';
    } catch (err) {
      if (abort.signal.aborted || this._isDisposed) {
        return;
      }
      this._error = this._describeError(err);
      if (first) {
        this._loaded = [];
        this._nextToken = null;
        this._invalidate();
        this._status = 'error';
      }
    }
  }

  /** Server order that serves the current sort (version numbers grow with creation time). */
  private _serverOrder(): 'Ascending' | 'Descending' {
    return (this._sort.by === 'version' || this._sort.by === 'created') &&
      this._sort.order === 'asc'
      ? 'Ascending'
      : 'Descending';
  }

  private _invalidate(): void {
    this._sorted = null;
    this._view = null;
    this._lastFilter = null;
    this._lastView = null;
  }

  /**
   * Put a re-described row in place of its old self. Authors arrive while the user types: when the row's sort keys
   * did not change, the order stands and only the filter runs again (over cached texts), instead of a re-sort of
   * every loaded row.
   */
  private _replaceSorted(previous: IVersionRow, row: IVersionRow): void {
    const sameOrder =
      previous.version === row.version &&
      previous.created === row.created &&
      previous.status === row.status &&
      previous.approval === row.approval;
    const index =
      sameOrder && this._sorted !== null ? this._sorted.indexOf(previous) : -1;
    if (index < 0 || this._sorted === null) {
      this._invalidate();
      return;
    }
    this._sorted = this._sorted.slice();
    this._sorted[index] = row;
    this._view = null;
    this._lastFilter = null;
    this._lastView = null;
  }

  private _sortedRows(): IVersionRow[] {
    if (this._sorted === null) {
      const sign = this._sort.order === 'asc' ? 1 : -1;
      const by = this._sort.by;
      const key = (row: IVersionRow): number | string =>
        by === 'version'
          ? (row.version ?? -1)
          : by === 'created'
            ? (row.created ?? -1)
            : by === 'status'
              ? (row.status ?? '')
              : (row.approval ?? '');
      this._sorted = this._loaded.slice().sort((a, b) => {
        const ka = key(a);
        const kb = key(b);
        if (ka !== kb) {
          return ka < kb ? -sign : sign;
        }
        // Ties by version, newest first, so the order is stable and total.
        return (b.version ?? 0) - (a.version ?? 0);
      });
    }
    return this._sorted;
  }

  private _haystack(row: IVersionRow): string {
    let hay = this._haystacks.get(row.arn);
    if (hay === undefined) {
      hay = [
        row.version !== null ? `${row.version} v${row.version}` : '',
        row.approval ?? '',
        row.approval === 'PendingManualApproval' ? 'pending' : '',
        row.status ?? '',
        row.description
      ]
        .join(' ')
        .toLowerCase();
      this._haystacks.set(row.arn, hay);
    }
    return hay;
  }

  private _client: () => Promise<ISender>;
  private _group: string;
  private _describeError: (err: unknown) => string;
  private _pageSize: number;
  private _maxItems: number;
  private _authorConcurrency: number;
  private _loaded: IVersionRow[] = [];
  private _sorted: IVersionRow[] | null = null;
  private _view: IVersionRow[] | null = null;
  private _lastFilter: string | null = null;
  private _lastView: IVersionRow[] | null = null;
  private _haystacks = new Map<string, string>();
  private _filter = '';
  private _sort: VersionsModel.ISort = { by: 'version', order: 'desc' };
  private _status: 'idle' | 'loading' | 'ready' | 'error' = 'idle';
  private _error: string | null = null;
  private _updatedAt: number | null = null;
  private _nextToken: string | null = null;
  private _pending: Promise<void> | null = null;
  private _abort: AbortController | null = null;
  private _authors = new Map<string, string | null>();
  private _authorsRunning = new Set<string>();
  private _authorQueue: string[] = [];
  private _authorWorkers = 0;
  private _authorTimer: ReturnType<typeof setTimeout> | null = null;
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
}

/** Types of {@link VersionsModel}. */
export namespace VersionsModel {
  /** Columns the table sorts by. */
  export type SortKey = 'version' | 'status' | 'approval' | 'created';

  /** An order of the rows. */
  export interface ISort {
    /** The column. */
    by: SortKey;
    /** Ascending or descending. */
    order: 'asc' | 'desc';
  }

  /** Options of the model. */
  export interface IOptions {
    /** The SageMaker client (loaded on first use). */
    client: () => Promise<ISender>;
    /** The group whose versions to list. */
    groupName: string;
    /** Turns a failure into the sentence shown to the user. */
    describeError: (err: unknown) => string;
    /** Rows per page (default 100, the API's maximum). */
    pageSize?: number;
    /** Rows kept at most (default 10,000). */
    maxItems?: number;
    /** DescribeModelPackage calls for authors in flight at most (default 3). */
    authorConcurrency?: number;
  }
}

/** The group shown at the top of its tab. */
export type GroupInfo = DescribeModelPackageGroupCommandOutput;

/** A ResourceModel of a group's description. */
export function groupModel(
  client: () => Promise<ISender>,
  groupName: string,
  describeError: (err: unknown) => string
): ResourceModel<GroupInfo> {
  return new ResourceModel<GroupInfo>({
    load: async signal =>
      (await client()).send(
        new DescribeModelPackageGroupCommand({
          ModelPackageGroupName: groupName
        }),
        { abortSignal: signal }
      ),
    describeError
  });
}

/** A version as DescribeModelPackage returns it. */
export type PackageInfo = DescribeModelPackageCommandOutput;

/** One metrics report named in ModelMetrics, and what reading it gave. */
export interface IMetricsReport {
  /** Where it sits in ModelMetrics, e.g. "ModelQuality.Statistics". */
  kind: string;
  /** Its S3 URI. */
  s3Uri: string;
  /** Its declared content type. */
  contentType: string;
  /** 'pending' while read, 'ready' with metrics, 'unreadable' with a reason, 'skipped' when not JSON. */
  state: 'pending' | 'ready' | 'unreadable' | 'skipped';
  /** The numbers found in the report, as dotted paths (e.g. "regression_metrics.rmse.value"), at most 100. */
  metrics: Array<{ name: string; value: number | string | boolean }>;
  /** Why it could not be read, as a sentence. */
  reason: string | null;
}

/** The reports a version's ModelMetrics names, in a fixed order. */
export function metricsSources(
  info: PackageInfo
): Array<Pick<IMetricsReport, 'kind' | 's3Uri' | 'contentType'>> {
  const out: Array<Pick<IMetricsReport, 'kind' | 's3Uri' | 'contentType'>> = [];
  const metrics = info.ModelMetrics as
    | Record<
        string,
        | Record<string, { S3Uri?: string; ContentType?: string } | undefined>
        | undefined
      >
    | undefined;
  if (!metrics) {
    return out;
  }
  for (const [group, reports] of Object.entries(metrics)) {
    for (const [name, source] of Object.entries(reports ?? {})) {
      if (source?.S3Uri) {
        out.push({
          kind: `${group}.${name}`,
          s3Uri: source.S3Uri,
          contentType: source.ContentType ?? ''
        });
      }
    }
  }
  return out;
}

/** The scalar leaves of a JSON value as dotted paths, at most `limit`. */
export function flattenMetrics(
  value: unknown,
  limit = 100
): Array<{ name: string; value: number | string | boolean }> {
  const out: Array<{ name: string; value: number | string | boolean }> = [];
  const walk = (v: unknown, path: string) => {
    if (out.length >= limit) {
      return;
    }
    if (
      typeof v === 'number' ||
      typeof v === 'boolean' ||
      (typeof v === 'string' && path)
    ) {
      out.push({ name: path, value: v as number | string | boolean });
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, path ? `${path}[${i}]` : `[${i}]`));
    } else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        walk(child, path ? `${path}.${k}` : k);
      }
    }
  };
  walk(value, '');
  return out;
}

/** An endpoint serving a version. */
export interface IDeployment {
  /** Endpoint name. */
  endpoint: string;
  /** EndpointStatus. */
  status: string;
  /** The production variant whose model references the version. */
  variant: string;
  /** The SageMaker model of that variant. */
  model: string;
}

/** Where a version is deployed, and the endpoints that could not be checked. */
export interface IDeployments {
  /** Endpoints whose variants' models reference the version. */
  endpoints: IDeployment[];
  /** How many endpoints were checked. */
  checked: number;
  /** Why some endpoints could not be checked (one sentence per distinct reason). */
  problems: string[];
  /** Whether the endpoint list was cut at its limit. */
  truncated: boolean;
}

/** A lineage action AWS recorded for a version (ListActions by the version's ARN as SourceUri). */
export interface ILineageAction {
  /** Action name. */
  name: string;
  /** ActionType, e.g. the approval action type SageMaker uses. */
  type: string;
  /** Action status. */
  status: string;
  /** Creation time, ms since epoch. */
  created: number | null;
  /** Last modification, ms since epoch. */
  modified: number | null;
}

/** One version's tab: its description, metrics reports, deployments, lineage actions and approval updates. */
export class ModelPackageModel implements IDisposable {
  /** Create the model; nothing is fetched until {@link refresh}. */
  constructor(options: ModelPackageModel.IOptions) {
    this._arn = options.arn;
    this._sagemaker = options.sagemaker;
    this._s3 = options.s3;
    this._describeError = options.describeError;
    this._concurrency = options.concurrency ?? 4;
    this._withLineage = options.lineage ?? false;
    this._describeProblem = options.describeCommentProblem;
    this.info = new ResourceModel<PackageInfo>({
      load: async signal =>
        (await this._sagemaker()).send(
          new DescribeModelPackageCommand({ ModelPackageName: this._arn }),
          { abortSignal: signal }
        ),
      describeError: this._describeError
    });
    this.deployments = new ResourceModel<IDeployments>({
      load: signal => this._findDeployments(signal),
      describeError: this._describeError
    });
    this.lineage = new ResourceModel<ILineageAction[]>({
      load: signal => this._listLineage(signal),
      describeError: this._describeError
    });
    this.info.changed.connect(this._emit, this);
    this.deployments.changed.connect(this._emit, this);
    this.lineage.changed.connect(this._emit, this);
  }

  /** DescribeModelPackage of the version. */
  readonly info: ResourceModel<PackageInfo>;

  /** The endpoints serving the version (loaded after the description, as it takes many calls). */
  readonly deployments: ResourceModel<IDeployments>;

  /** Lineage actions AWS recorded for the version (AWS mode only; see {@link hasLineage}). */
  readonly lineage: ResourceModel<ILineageAction[]>;

  /** The version's ARN. */
  get arn(): string {
    return this._arn;
  }

  /** Whether lineage actions are looked up (in AWS mode; the local backend has no lineage actions). */
  get hasLineage(): boolean {
    return this._withLineage;
  }

  /** The metrics reports and what reading them gave. */
  get reports(): ReadonlyArray<IMetricsReport> {
    return this._reports;
  }

  /** Whether an approval update runs. */
  get isUpdating(): boolean {
    return this._updating;
  }

  /** Why the last approval update failed, as a sentence; null otherwise. */
  get updateError(): string | null {
    return this._updateError;
  }

  /** Emitted whenever anything above changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Whether the model was disposed. */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Describe the version again, then read its reports and look for its endpoints (and lineage actions). */
  async refresh(): Promise<void> {
    await this.info.refresh();
    if (this._isDisposed || !this.info.data) {
      return;
    }
    const jobs: Array<Promise<void>> = [
      this._readReports(this.info.data),
      this.deployments.refresh()
    ];
    if (this._withLineage) {
      jobs.push(this.lineage.refresh());
    }
    await Promise.all(jobs);
  }

  /**
   * Set the approval status with an optional comment (UpdateModelPackage). Resolves true on success (the caller
   * announces the change); on failure {@link updateError} holds the sentence and nothing changed.
   */
  async setApproval(status: ApprovalStatus, comment: string): Promise<boolean> {
    const problem = checkApprovalComment(comment);
    if (problem) {
      // The view checks first and explains; this guards against sending what AWS would refuse.
      this._updateError = this._describeProblem(problem);
      this._emit();
      return false;
    }
    this._updating = true;
    this._updateError = null;
    this._emit();
    try {
      await (
        await this._sagemaker()
      ).send(
        new UpdateModelPackageCommand({
          ModelPackageArn: this._arn,
          ModelApprovalStatus: status,
          // The comment belongs to this decision: an empty one clears the previous decision's comment.
          ApprovalDescription: comment.trim()
        })
      );
      return true;
    } catch (err) {
      this._updateError = this._describeError(err);
      return false;
    } finally {
      this._updating = false;
      this._emit();
    }
  }

  /** Forget the last update error (when the user starts another action). */
  clearUpdateError(): void {
    if (this._updateError !== null) {
      this._updateError = null;
      this._emit();
    }
  }

  /** Cancel what runs and disconnect. */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this.info.dispose();
    this.deployments.dispose();
    this.lineage.dispose();
    Signal.clearData(this);
  }

  private _emit(): void {
    if (!this._isDisposed) {
      this._changed.emit();
    }
  }

  /** Read every JSON report through S3; a report that cannot be read says why and the tab stays. */
  private async _readReports(info: PackageInfo): Promise<void> {
    const sources = metricsSources(info);
    const generation = ++this._reportGeneration;
    this._reports = sources.map(s => ({
      ...s,
      state: isJson(s) ? 'pending' : 'skipped',
      metrics: [],
      reason: null
    }));
    this._emit();
    await mapConcurrently(this._reports.slice(), 2, async (report, index) => {
      if (report.state !== 'pending') {
        return;
      }
      let next: IMetricsReport;
      try {
        const location = parseS3Uri(report.s3Uri);
        if (!location) {
          throw new Error(`“${report.s3Uri}” is not an s3:// URI.`);
        }
        const s3 = await this._s3();
        const out: GetObjectCommandOutput = await s3.send(
          new GetObjectCommand({ Bucket: location.bucket, Key: location.key })
        );
        const text = out.Body ? await out.Body.transformToString() : '';
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          throw new Error('The report is not valid JSON.');
        }
        next = { ...report, state: 'ready', metrics: flattenMetrics(parsed) };
      } catch (err) {
        next = {
          ...report,
          state: 'unreadable',
          reason: this._describeError(err)
        };
      }
      if (generation !== this._reportGeneration || this._isDisposed) {
        return;
      }
      this._reports = this._reports.slice();
      this._reports[index] = next;
      this._emit();
    });
  }

  /**
   * The endpoints whose variants' models reference this version: ListEndpoints, then per endpoint
   * DescribeEndpoint → DescribeEndpointConfig → DescribeModel, a few at a time; configs and models are
   * described once even when several endpoints share them.
   */
  private async _findDeployments(signal: AbortSignal): Promise<IDeployments> {
    const client = await this._sagemaker();
    const send = (command: any) =>
      client.send(command, { abortSignal: signal });
    const listed = await collect(
      input => send(new ListEndpointsCommand(input)),
      {},
      (page: any) => page.Endpoints as Array<{ EndpointName?: string }>,
      { pageSize: 100, limit: 1000, signal }
    );
    const names = new Set<string>([this._arn.toLowerCase()]);
    const parsed = parseModelPackageArn(this._arn);
    if (parsed) {
      names.add(`${parsed.group}/${parsed.version}`.toLowerCase());
    }
    const configs = new Map<string, Promise<any>>();
    const models = new Map<string, Promise<any>>();
    const once = <T>(
      cache: Map<string, Promise<T>>,
      key: string,
      make: () => Promise<T>
    ): Promise<T> => {
      let hit = cache.get(key);
      if (!hit) {
        hit = make();
        cache.set(key, hit);
      }
      return hit;
    };
    const problems = new Set<string>();
    const found: IDeployment[] = [];
    await mapConcurrently(listed.items, this._concurrency, async summary => {
      const endpointName = summary.EndpointName ?? '';
      try {
        const endpoint = await send(
          new DescribeEndpointCommand({ EndpointName: endpointName })
        );
        if (!endpoint.EndpointConfigName) {
          return;
        }
        const config = await once(configs, endpoint.EndpointConfigName, () =>
          send(
            new DescribeEndpointConfigCommand({
              EndpointConfigName: endpoint.EndpointConfigName
            })
          )
        );
        for (const variant of config.ProductionVariants ?? []) {
          if (!variant.ModelName) {
            continue;
          }
          const model = await once(models, variant.ModelName, () =>
            send(new DescribeModelCommand({ ModelName: variant.ModelName }))
          );
          const containers = [
            ...(model.PrimaryContainer ? [model.PrimaryContainer] : []),
            ...(model.Containers ?? [])
          ];
          if (
            containers.some(
              (c: { ModelPackageName?: string }) =>
                c.ModelPackageName &&
                names.has(c.ModelPackageName.toLowerCase())
            )
          ) {
            found.push({
              endpoint: endpointName,
              status: endpoint.EndpointStatus ?? '',
              variant: variant.VariantName ?? '',
              model: variant.ModelName
            });
          }
        }
      } catch (err) {
        if (signal.aborted) {
          throw err;
        }
        // An endpoint deleted meanwhile, or a describe denied: say so, keep the others.
        problems.add(`${endpointName}: ${this._describeError(err)}`);
      }
    });
    found.sort((a, b) => a.endpoint.localeCompare(b.endpoint));
    return {
      endpoints: found,
      checked: listed.items.length,
      problems: [...problems].slice(0, 5),
      truncated: listed.truncated
    };
  }

  /** ListActions whose SourceUri is this version's ARN (what SageMaker lineage recorded for it). */
  private async _listLineage(signal: AbortSignal): Promise<ILineageAction[]> {
    const client = await this._sagemaker();
    const listed = await collect(
      input =>
        client.send(new ListActionsCommand(input), { abortSignal: signal }),
      {
        SourceUri: this._arn,
        SortBy: 'CreationTime' as const,
        SortOrder: 'Descending' as const
      },
      (page: any) => page.ActionSummaries as any[],
      { pageSize: 50, limit: 200, signal }
    );
    return listed.items.map(a => ({
      name: a.ActionName ?? '',
      type: a.ActionType ?? '',
      status: a.Status ?? '',
      created: a.CreationTime ? a.CreationTime.getTime() : null,
      modified: a.LastModifiedTime ? a.LastModifiedTime.getTime() : null
    }));
  }

  private _arn: string;
  private _sagemaker: () => Promise<ISender>;
  private _s3: () => Promise<ISender>;
  private _describeError: (err: unknown) => string;
  private _concurrency: number;
  private _withLineage: boolean;
  private _describeProblem: (problem: NonNullable<CommentProblem>) => string;
  private _reports: IMetricsReport[] = [];
  private _reportGeneration = 0;
  private _updating = false;
  private _updateError: string | null = null;
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
}

/** Types of {@link ModelPackageModel}. */
export namespace ModelPackageModel {
  /** Options of the model. */
  export interface IOptions {
    /** The version's ARN. */
    arn: string;
    /** The SageMaker client. */
    sagemaker: () => Promise<ISender>;
    /** The S3 client (to read metrics reports). */
    s3: () => Promise<ISender>;
    /** Turns a failure into the sentence shown to the user. */
    describeError: (err: unknown) => string;
    /** Describe calls in flight at most while looking for endpoints (default 4). */
    concurrency?: number;
    /** Whether to list lineage actions (AWS mode). */
    lineage?: boolean;
    /** Turns a comment problem into the sentence shown to the user. */
    describeCommentProblem: (problem: NonNullable<CommentProblem>) => string;
  }
}

/** Whether a report is JSON by its content type or file name. */
function isJson(report: { contentType: string; s3Uri: string }): boolean {
  return /json/i.test(report.contentType) || /\.json$/i.test(report.s3Uri);
}
