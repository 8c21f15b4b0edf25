/**
 * State of the experiments feature, without DOM or SDK: the sidebar tree (experiments → trials → runs) and the run
 * table of one experiment (columns, sort, filter, selection). The calls are handed in by the plugin, which loads
 * the SDK on first use.
 */
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import {
  Field,
  fieldKey,
  fieldLabel,
  fieldValue,
  IRun,
  isJobRun,
  SUMMARY_STATS
} from './types';

/** The experiments sidebar: experiments with search and sort, their trials and the trials' runs, on demand. */
export class ExperimentsModel implements IDisposable {
  /** Create the model; nothing is fetched until {@link ensureLoaded} or {@link refresh}. */
  constructor(options: ExperimentsModel.IOptions) {
    this._api = options.api;
    this._describeError = options.describeError;
    this._showJobs = options.showJobs ?? false;
    this._maxRunsPerTrial = options.maxRunsPerTrial ?? 1000;
  }

  /** Every experiment loaded, in the server's order. */
  get experiments(): ReadonlyArray<ExperimentsModel.IExperiment> {
    return this._experiments;
  }

  /** The experiments matching the search, in the chosen order. */
  get items(): ReadonlyArray<ExperimentsModel.IExperiment> {
    if (this._items === null) {
      const needle = this._search.trim().toLowerCase();
      const matching = needle
        ? this._experiments.filter(
            e =>
              e.name.toLowerCase().includes(needle) ||
              e.displayName.toLowerCase().includes(needle)
          )
        : this._experiments.slice();
      this._items = matching.sort(compareExperiments(this._sort));
    }
    return this._items;
  }

  /** 'idle' before the first fetch, then 'loading', 'ready' or 'error'. */
  get status(): ExperimentsModel.Status {
    return this._status;
  }

  /** Whether the experiment list is being fetched. */
  get isLoading(): boolean {
    return this._abort !== null;
  }

  /** Why the experiment list could not be fetched, as a sentence; null after a success. */
  get error(): string | null {
    return this._error;
  }

  /** When the experiment list was last fetched (ms since epoch). */
  get updatedAt(): number | null {
    return this._updatedAt;
  }

  /** The search text (matches experiment names, client side). */
  get search(): string {
    return this._search;
  }

  /** The order of {@link items}. */
  get sort(): ExperimentsModel.ISort {
    return this._sort;
  }

  /** Whether runs created by SageMaker jobs are shown. */
  get showJobs(): boolean {
    return this._showJobs;
  }

  /** Emitted whenever anything above, or a node below, changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Whether the model was disposed. */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Filter the experiments by name. */
  setSearch(text: string): void {
    if (text !== this._search) {
      this._search = text;
      this._items = null;
      this._changed.emit();
    }
  }

  /** Order the experiments. */
  setSort(sort: ExperimentsModel.ISort): void {
    if (sort.by !== this._sort.by || sort.order !== this._sort.order) {
      this._sort = { ...sort };
      this._items = null;
      this._changed.emit();
    }
  }

  /** Show or hide the runs created by SageMaker jobs. */
  setShowJobs(show: boolean): void {
    if (show !== this._showJobs) {
      this._showJobs = show;
      this._changed.emit();
    }
  }

  /** Fetch the experiments unless they were fetched before (when the panel is first shown). */
  ensureLoaded(): Promise<void> {
    return this._status === 'idle' ? this.refresh() : Promise.resolve();
  }

  /** Fetch the experiments again, and the trials and runs of the expanded nodes. */
  async refresh(): Promise<void> {
    this._abort?.abort();
    const abort = new AbortController();
    this._abort = abort;
    if (this._status === 'idle') {
      this._status = 'loading';
    }
    this._changed.emit();
    // Collapsed nodes fetch again when next expanded; expanded ones fetch now.
    for (const [name, node] of this._trials) {
      if (!this._expandedExperiments.has(name)) {
        node.abort.abort();
        this._trials.delete(name);
      }
    }
    for (const [name, node] of this._runs) {
      if (!this._expandedTrials.has(name)) {
        node.abort.abort();
        this._runs.delete(name);
      }
    }
    for (const name of this._expandedExperiments) {
      this._loadTrials(name);
    }
    for (const [trial, experiment] of this._expandedTrials) {
      this._loadRuns(experiment, trial);
    }
    try {
      const experiments = await this._api.listExperiments(abort.signal);
      if (abort.signal.aborted) {
        return;
      }
      this._experiments = experiments;
      this._items = null;
      this._error = null;
      this._status = 'ready';
      this._updatedAt = Date.now();
    } catch (err) {
      if (abort.signal.aborted) {
        return;
      }
      this._error = this._describeError(err);
      this._experiments = [];
      this._items = null;
      this._status = 'error';
    } finally {
      if (this._abort === abort) {
        this._abort = null;
        if (!this._isDisposed) {
          this._changed.emit();
        }
      }
    }
  }

  /** Forget everything (e.g. after a region switch) and fetch again if the panel was shown. */
  reset(): void {
    this._abort?.abort();
    this._abort = null;
    for (const node of [...this._trials.values(), ...this._runs.values()]) {
      node.abort.abort();
    }
    this._trials.clear();
    this._runs.clear();
    this._expandedExperiments.clear();
    this._expandedTrials.clear();
    this._experiments = [];
    this._items = null;
    this._error = null;
    this._updatedAt = null;
    if (this._status === 'idle') {
      this._changed.emit();
      return;
    }
    this._status = 'loading';
    void this.refresh();
  }

  /** Whether an experiment shows its trials. */
  isExperimentExpanded(name: string): boolean {
    return this._expandedExperiments.has(name);
  }

  /** Whether a trial shows its runs. */
  isTrialExpanded(name: string): boolean {
    return this._expandedTrials.has(name);
  }

  /** Show or hide the trials of an experiment (fetched on first expansion). */
  toggleExperiment(name: string, expanded = !this.isExperimentExpanded(name)) {
    if (expanded === this.isExperimentExpanded(name)) {
      return;
    }
    if (expanded) {
      this._expandedExperiments.add(name);
      if (!this._trials.has(name)) {
        this._loadTrials(name);
      }
    } else {
      this._expandedExperiments.delete(name);
    }
    this._changed.emit();
  }

  /** Show or hide the runs of a trial (fetched on first expansion). */
  toggleTrial(
    experimentName: string,
    trialName: string,
    expanded = !this.isTrialExpanded(trialName)
  ): void {
    if (expanded === this.isTrialExpanded(trialName)) {
      return;
    }
    if (expanded) {
      this._expandedTrials.set(trialName, experimentName);
      if (!this._runs.has(trialName)) {
        this._loadRuns(experimentName, trialName);
      }
    } else {
      this._expandedTrials.delete(trialName);
    }
    this._changed.emit();
  }

  /** The trials of an experiment as far as they are known. */
  trialsOf(
    experimentName: string
  ): ExperimentsModel.INode<ExperimentsModel.ITrial> | null {
    return this._trials.get(experimentName) ?? null;
  }

  /** The runs of a trial as far as they are known (all of them, whatever {@link showJobs} says). */
  runsOf(trialName: string): ExperimentsModel.INode<IRun> | null {
    return this._runs.get(trialName) ?? null;
  }

  /** Fetch the trials of an experiment again (retry after an error). */
  retryTrials(experimentName: string): void {
    this._loadTrials(experimentName);
    this._changed.emit();
  }

  /** Fetch the runs of a trial again (retry after an error). */
  retryRuns(experimentName: string, trialName: string): void {
    this._loadRuns(experimentName, trialName);
    this._changed.emit();
  }

  /** The tree as the rows a list shows, top to bottom: experiments, then the expanded nodes' children. */
  get rows(): ExperimentsModel.TreeRow[] {
    const rows: ExperimentsModel.TreeRow[] = [];
    for (const experiment of this.items) {
      const expanded = this._expandedExperiments.has(experiment.name);
      rows.push({
        kind: 'experiment',
        key: `e:${experiment.name}`,
        depth: 0,
        experiment,
        expanded
      });
      if (!expanded) {
        continue;
      }
      const trials = this._trials.get(experiment.name);
      const placeholder = this._placeholder(
        trials,
        `e:${experiment.name}`,
        1,
        'noTrials',
        { experimentName: experiment.name }
      );
      if (placeholder) {
        rows.push(placeholder);
      }
      for (const trial of trials?.items ?? []) {
        const trialExpanded = this._expandedTrials.has(trial.name);
        rows.push({
          kind: 'trial',
          key: `t:${experiment.name}:${trial.name}`,
          depth: 1,
          trial,
          expanded: trialExpanded
        });
        if (!trialExpanded) {
          continue;
        }
        const runs = this._runs.get(trial.name);
        const shown = (runs?.items ?? []).filter(
          run => this._showJobs || !isJobRun(run)
        );
        const hiddenJobs = (runs?.items.length ?? 0) - shown.length;
        const runPlaceholder = this._placeholder(
          runs && { ...runs, items: shown },
          `t:${experiment.name}:${trial.name}`,
          2,
          hiddenJobs > 0 ? 'onlyJobs' : 'noRuns',
          { experimentName: experiment.name, trialName: trial.name }
        );
        if (runPlaceholder) {
          rows.push(runPlaceholder);
        }
        for (const run of shown) {
          rows.push({
            kind: 'run',
            key: `r:${trial.name}:${run.name}`,
            depth: 2,
            run
          });
        }
      }
    }
    return rows;
  }

  /** Cancel what runs and disconnect. */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._abort?.abort();
    for (const node of [...this._trials.values(), ...this._runs.values()]) {
      node.abort.abort();
    }
    Signal.clearData(this);
  }

  /** The loading, error or empty row standing for a node's children, if any. */
  private _placeholder(
    node: ExperimentsModel.INode<unknown> | null | undefined,
    parentKey: string,
    depth: number,
    empty: ExperimentsModel.EmptyReason,
    target: ExperimentsModel.ITarget
  ): ExperimentsModel.TreeRow | null {
    if (!node || (node.status === 'loading' && node.items.length === 0)) {
      return { kind: 'loading', key: `${parentKey}:loading`, depth };
    }
    if (node.status === 'error') {
      return {
        kind: 'error',
        key: `${parentKey}:error`,
        depth,
        message: node.error ?? '',
        target
      };
    }
    if (node.items.length === 0) {
      return { kind: 'empty', key: `${parentKey}:empty`, depth, reason: empty };
    }
    return null;
  }

  /** (Re)fetch the trials of an experiment into its node, keeping shown trials until the answer arrives. */
  private _loadTrials(experimentName: string): void {
    const previous = this._trials.get(experimentName);
    previous?.abort.abort();
    const abort = new AbortController();
    const node: ExperimentsModel.INode<ExperimentsModel.ITrial> = {
      status: 'loading',
      items: previous?.items ?? [],
      error: null,
      abort
    };
    this._trials.set(experimentName, node);
    void this._fill(node, () =>
      this._api.listTrials(experimentName, abort.signal)
    );
  }

  /** (Re)fetch the runs of a trial into its node. */
  private _loadRuns(experimentName: string, trialName: string): void {
    const previous = this._runs.get(trialName);
    previous?.abort.abort();
    const abort = new AbortController();
    const node: ExperimentsModel.INode<IRun> = {
      status: 'loading',
      items: previous?.items ?? [],
      error: null,
      abort
    };
    this._runs.set(trialName, node);
    void this._fill(node, async () => {
      const runs: IRun[] = [];
      for await (const page of this._api.searchRuns(
        { experimentName, trialName },
        abort.signal
      )) {
        runs.push(...page);
        if (runs.length >= this._maxRunsPerTrial) {
          break;
        }
      }
      return runs.slice(0, this._maxRunsPerTrial);
    });
  }

  /** Run a node's fetch and record its outcome unless the node was replaced or cancelled meanwhile. */
  private async _fill<T>(
    node: ExperimentsModel.INode<T>,
    fetch: () => Promise<T[]>
  ): Promise<void> {
    try {
      const items = await fetch();
      if (node.abort.signal.aborted) {
        return;
      }
      node.items = items;
      node.status = 'ready';
    } catch (err) {
      if (node.abort.signal.aborted) {
        return;
      }
      node.items = [];
      node.error = this._describeError(err);
      node.status = 'error';
    }
    if (!this._isDisposed) {
      this._changed.emit();
    }
  }

  private _api: ExperimentsModel.IApi;
  private _describeError: (err: unknown) => string;
  private _maxRunsPerTrial: number;
  private _experiments: ExperimentsModel.IExperiment[] = [];
  private _items: ExperimentsModel.IExperiment[] | null = null;
  private _status: ExperimentsModel.Status = 'idle';
  private _error: string | null = null;
  private _updatedAt: number | null = null;
  private _search = '';
  private _sort: ExperimentsModel.ISort = { by: 'created', order: 'desc' };
  private _showJobs: boolean;
  private _expandedExperiments = new Set<string>();
  /** Expanded trials → their experiment. */
  private _expandedTrials = new Map<string, string>();
  private _trials = new Map<
    string,
    ExperimentsModel.INode<ExperimentsModel.ITrial>
  >();
  private _runs = new Map<string, ExperimentsModel.INode<IRun>>();
  private _abort: AbortController | null = null;
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
}

/** Types of {@link ExperimentsModel}, shared by the run table and the calls. */
export namespace ExperimentsModel {
  /** Lifecycle of a list. */
  export type Status = 'idle' | 'loading' | 'ready' | 'error';

  /** One experiment (ExperimentSummary). */
  export interface IExperiment {
    /** ExperimentName. */
    name: string;
    /** ExperimentArn. */
    arn: string;
    /** DisplayName, else the name. */
    displayName: string;
    /** CreationTime (ms since epoch). */
    created: number | null;
    /** LastModifiedTime (ms since epoch). */
    lastModified: number | null;
  }

  /** One trial, i.e. a run group (TrialSummary). */
  export interface ITrial {
    /** TrialName. */
    name: string;
    /** TrialArn. */
    arn: string;
    /** DisplayName, else the name. */
    displayName: string;
    /** The experiment it belongs to. */
    experimentName: string;
    /** CreationTime (ms since epoch). */
    created: number | null;
    /** LastModifiedTime (ms since epoch). */
    lastModified: number | null;
  }

  /** Which runs to search: those of an experiment and/or a trial. */
  export interface IRunQuery {
    /** Parents.ExperimentName. */
    experimentName?: string;
    /** Parents.TrialName. */
    trialName?: string;
  }

  /** Yields the runs of a query one Search page at a time. */
  export type SearchRuns = (
    query: IRunQuery,
    signal: AbortSignal
  ) => AsyncIterable<IRun[]>;

  /** The calls the models make (the plugin binds them to the SDK client). */
  export interface IApi {
    /** Every experiment. */
    listExperiments(signal: AbortSignal): Promise<IExperiment[]>;
    /** The trials of an experiment. */
    listTrials(experimentName: string, signal: AbortSignal): Promise<ITrial[]>;
    /** The runs of a query, page by page. */
    searchRuns: SearchRuns;
  }

  /** What the experiments can be ordered by. */
  export type SortKey = 'name' | 'created' | 'modified';

  /** An order of the experiments. */
  export interface ISort {
    /** The property. */
    by: SortKey;
    /** Ascending or descending. */
    order: 'asc' | 'desc';
  }

  /** The children of an expanded node as far as they are known. */
  export interface INode<T> {
    /** 'loading' (items may be those of the previous fetch), 'ready' or 'error'. */
    status: 'loading' | 'ready' | 'error';
    /** The children. */
    items: T[];
    /** Why the fetch failed, as a sentence. */
    error: string | null;
    /** Cancels the fetch. */
    abort: AbortController;
  }

  /** Why a node shows no children. */
  export type EmptyReason = 'noTrials' | 'noRuns' | 'onlyJobs';

  /** The node a placeholder row stands for (what a retry fetches again). */
  export interface ITarget {
    /** The experiment. */
    experimentName: string;
    /** The trial, for runs. */
    trialName?: string;
  }

  /** One row of the flattened tree. */
  export type TreeRow =
    | {
        kind: 'experiment';
        key: string;
        depth: 0;
        experiment: IExperiment;
        expanded: boolean;
      }
    | { kind: 'trial'; key: string; depth: 1; trial: ITrial; expanded: boolean }
    | { kind: 'run'; key: string; depth: 2; run: IRun }
    | { kind: 'loading'; key: string; depth: number }
    | {
        kind: 'error';
        key: string;
        depth: number;
        message: string;
        target: ITarget;
      }
    | { kind: 'empty'; key: string; depth: number; reason: EmptyReason };

  /** Options of the model. */
  export interface IOptions {
    /** The calls. */
    api: IApi;
    /** Turns a failure into the sentence shown to the user. */
    describeError: (err: unknown) => string;
    /** Whether runs created by SageMaker jobs are shown at first (default false). */
    showJobs?: boolean;
    /** Runs listed per trial at most (default 1,000; the run table shows them all). */
    maxRunsPerTrial?: number;
  }
}

/** Order experiments by a sort; missing times go last in either order, ties break by name. */
function compareExperiments(
  sort: ExperimentsModel.ISort
): (
  a: ExperimentsModel.IExperiment,
  b: ExperimentsModel.IExperiment
) => number {
  const sign = sort.order === 'asc' ? 1 : -1;
  const byName = (
    a: ExperimentsModel.IExperiment,
    b: ExperimentsModel.IExperiment
  ) => sign * a.name.localeCompare(b.name);
  if (sort.by === 'name') {
    return byName;
  }
  const key = sort.by === 'created' ? 'created' : 'lastModified';
  return (a, b) => {
    const x = a[key];
    const y = b[key];
    if (x === y) {
      return byName(a, b);
    }
    if (x === null) {
      return 1;
    }
    if (y === null) {
      return -1;
    }
    return sign * (x - y);
  };
}

/** The run table of one experiment: every run, the columns they make, and the user's sort, filter and selection. */
export class RunTableModel implements IDisposable {
  /** Create the model; nothing is fetched until {@link ensureLoaded} or {@link refresh}. */
  constructor(options: RunTableModel.IOptions) {
    this._experimentName = options.experimentName;
    this._searchRuns = options.searchRuns;
    this._describeError = options.describeError;
    this._showJobs = options.showJobs ?? false;
    this._maxRuns = options.maxRuns ?? 10000;
  }

  /** The experiment whose runs these are. */
  get experimentName(): string {
    return this._experimentName;
  }

  /** Every run loaded, in the server's order (newest first), jobs included. */
  get runs(): ReadonlyArray<IRun> {
    return this._runs;
  }

  /** The runs the "show jobs" toggle lets through (what "of M runs" counts). */
  get shownRuns(): ReadonlyArray<IRun> {
    if (this._shown === null) {
      this._shown = this._showJobs
        ? this._runs.slice()
        : this._runs.filter(run => !isJobRun(run));
    }
    return this._shown;
  }

  /** The shown runs matching the filter, in the chosen order: the table's rows. */
  get rows(): ReadonlyArray<IRun> {
    if (this._rows === null) {
      const matches = compileFilter(this._filter, this.columns);
      const rows = this.shownRuns.filter(matches);
      this._rows = sortRuns(rows, this._sort);
    }
    return this._rows;
  }

  /** Every column the runs offer: attributes, then each parameter, then every statistic of each metric. */
  get columns(): ReadonlyArray<Field> {
    if (this._columns === null) {
      const parameters = new Set<string>();
      const metrics = new Set<string>();
      for (const run of this._runs) {
        for (const name in run.parameters) {
          parameters.add(name);
        }
        for (const name in run.metrics) {
          metrics.add(name);
        }
      }
      const byName = (a: string, b: string) => a.localeCompare(b);
      this._columns = [
        ...RunTableModel.ATTRIBUTES,
        ...[...parameters]
          .sort(byName)
          .map(name => ({ kind: 'parameter', name }) as Field),
        ...[...metrics]
          .sort(byName)
          .flatMap(name =>
            SUMMARY_STATS.map(stat => ({ kind: 'metric', name, stat }) as Field)
          )
      ];
    }
    return this._columns;
  }

  /** The columns shown, in the order of {@link columns}. */
  get visibleColumns(): ReadonlyArray<Field> {
    if (this._visible === null) {
      this._visible = this.columns.filter(field => this.isColumnVisible(field));
    }
    return this._visible;
  }

  /** Whether a column is shown: the user's choice, else the default (attributes, parameters, metrics' last). */
  isColumnVisible(field: Field): boolean {
    if (field.kind === 'attribute' && field.name === 'name') {
      return true;
    }
    return (
      this._columnChoices.get(fieldKey(field)) ??
      RunTableModel.isDefaultColumn(field)
    );
  }

  /** Show or hide a column (the run name always shows). */
  setColumnVisible(field: Field, visible: boolean): void {
    if (field.kind === 'attribute' && field.name === 'name') {
      return;
    }
    if (this.isColumnVisible(field) === visible) {
      return;
    }
    this._columnChoices.set(fieldKey(field), visible);
    this._visible = null;
    this._changed.emit();
  }

  /** Show the default columns again. */
  resetColumns(): void {
    this._columnChoices.clear();
    this._visible = null;
    this._changed.emit();
  }

  /** The order of the rows. */
  get sort(): RunTableModel.ISort {
    return this._sort;
  }

  /** Order the rows by a column. */
  setSort(sort: RunTableModel.ISort): void {
    this._sort = { field: sort.field, direction: sort.direction };
    this._rows = null;
    this._changed.emit();
  }

  /** Sort by a column: ascending first, then a click on the same column reverses the order. */
  toggleSort(field: Field): void {
    const same = fieldKey(field) === fieldKey(this._sort.field);
    this.setSort({
      field,
      direction: same && this._sort.direction === 'asc' ? 'desc' : 'asc'
    });
  }

  /** The filter text (see {@link RunTableModel.IOptions} for its syntax). */
  get filter(): string {
    return this._filter;
  }

  /**
   * Filter the rows. Words match the run name, status, source or any parameter value (case-insensitive, all words
   * must match); `column>value`, `>=`, `<`, `<=`, `=`, `!=` compare a column by its label, e.g. `eta<0.2` or
   * `validation:error_last<=0.1`. Text that is not a comparison of a known column is a plain word.
   */
  setFilter(text: string): void {
    if (text !== this._filter) {
      this._filter = text;
      this._rows = null;
      this._changed.emit();
    }
  }

  /** Whether runs created by SageMaker jobs are shown. */
  get showJobs(): boolean {
    return this._showJobs;
  }

  /** Show or hide the runs created by SageMaker jobs. */
  setShowJobs(show: boolean): void {
    if (show !== this._showJobs) {
      this._showJobs = show;
      this._shown = null;
      this._rows = null;
      this._changed.emit();
    }
  }

  /** Names of the selected runs (kept across sort, filter and refresh while the runs exist). */
  get selection(): ReadonlySet<string> {
    return this._selection;
  }

  /** Names of the selected runs, in the order of the rows, then selected runs the filter hides. */
  get selectedNames(): string[] {
    const inRows = this.rows
      .filter(run => this._selection.has(run.name))
      .map(run => run.name);
    const shown = new Set(inRows);
    return [
      ...inRows,
      ...[...this._selection].filter(name => !shown.has(name))
    ];
  }

  /** Whether a run is selected. */
  isSelected(name: string): boolean {
    return this._selection.has(name);
  }

  /**
   * Select or unselect a run. With `shift`, every row between the last clicked run and this one (in the filtered,
   * sorted rows) takes the clicked run's new state.
   */
  toggleSelection(name: string, options: { shift?: boolean } = {}): void {
    const target = !this._selection.has(name);
    const rows = this.rows;
    const anchor =
      options.shift && this._anchor !== null
        ? rows.findIndex(run => run.name === this._anchor)
        : -1;
    const index = anchor >= 0 ? rows.findIndex(run => run.name === name) : -1;
    if (anchor >= 0 && index >= 0) {
      const [from, to] = anchor < index ? [anchor, index] : [index, anchor];
      for (let i = from; i <= to; i++) {
        if (target) {
          this._selection.add(rows[i].name);
        } else {
          this._selection.delete(rows[i].name);
        }
      }
    } else if (target) {
      this._selection.add(name);
    } else {
      this._selection.delete(name);
    }
    this._anchor = name;
    this._changed.emit();
  }

  /** Select every row the filter lets through. */
  selectAllFiltered(): void {
    for (const run of this.rows) {
      this._selection.add(run.name);
    }
    this._changed.emit();
  }

  /** Unselect every run. */
  clearSelection(): void {
    if (this._selection.size > 0) {
      this._selection.clear();
      this._anchor = null;
      this._changed.emit();
    }
  }

  /** Whether all, some or none of the rows are selected (the header checkbox). */
  get filteredSelection(): 'all' | 'some' | 'none' {
    const rows = this.rows;
    let selected = 0;
    for (const run of rows) {
      if (this._selection.has(run.name)) {
        selected++;
      }
    }
    if (selected === 0) {
      return 'none';
    }
    return selected === rows.length ? 'all' : 'some';
  }

  /** The header checkbox: select all rows, or unselect them when all are selected. */
  toggleAllFiltered(): void {
    if (this.filteredSelection === 'all') {
      for (const run of this.rows) {
        this._selection.delete(run.name);
      }
      this._changed.emit();
    } else {
      this.selectAllFiltered();
    }
  }

  /** 'idle' before the first fetch, 'loading' until the first page, then 'ready', or 'error' (first page failed). */
  get status(): ExperimentsModel.Status {
    return this._status;
  }

  /** Whether pages are being fetched. */
  get isLoading(): boolean {
    return this._abort !== null;
  }

  /** Why the last fetch failed, as a sentence (also when later pages failed and the first ones show). */
  get error(): string | null {
    return this._error;
  }

  /** When the runs were last fetched (ms since epoch). */
  get updatedAt(): number | null {
    return this._updatedAt;
  }

  /** Whether the experiment has more runs than the table keeps. */
  get truncated(): boolean {
    return this._truncated;
  }

  /** Emitted whenever anything above changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Whether the model was disposed. */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Fetch the runs unless they were fetched before. */
  ensureLoaded(): Promise<void> {
    return this._status === 'idle' ? this.refresh() : Promise.resolve();
  }

  /**
   * Fetch every run again, page by page: the rows show from the first page on and grow as pages arrive; the
   * selection keeps the runs that still exist once all pages are in.
   */
  async refresh(): Promise<void> {
    this._abort?.abort();
    const abort = new AbortController();
    this._abort = abort;
    if (this._status !== 'ready') {
      this._status = 'loading';
    }
    this._changed.emit();
    const fresh: IRun[] = [];
    let pages = 0;
    let truncated = false;
    try {
      for await (const page of this._searchRuns(
        { experimentName: this._experimentName },
        abort.signal
      )) {
        if (abort.signal.aborted) {
          return;
        }
        pages++;
        fresh.push(...page);
        if (fresh.length >= this._maxRuns) {
          truncated = true;
          fresh.length = this._maxRuns;
        }
        this._setRuns(fresh.slice());
        if (pages === 1) {
          this._status = 'ready';
          this._error = null;
          this._updatedAt = Date.now();
        }
        this._changed.emit();
        if (truncated) {
          break;
        }
      }
      if (abort.signal.aborted) {
        return;
      }
      if (pages === 0) {
        this._setRuns([]);
        this._status = 'ready';
        this._updatedAt = Date.now();
      }
      this._truncated = truncated;
      this._error = null;
      const names = new Set(fresh.map(run => run.name));
      for (const name of [...this._selection]) {
        if (!names.has(name)) {
          this._selection.delete(name);
        }
      }
    } catch (err) {
      if (abort.signal.aborted) {
        return;
      }
      this._error = this._describeError(err);
      if (pages === 0) {
        // Runs of an earlier fetch next to this error would look current.
        this._setRuns([]);
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

  /** Cancel what runs and disconnect. */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._abort?.abort();
    Signal.clearData(this);
  }

  /** Replace the runs and drop what was derived from them. */
  private _setRuns(runs: IRun[]): void {
    this._runs = runs;
    this._shown = null;
    this._rows = null;
    this._columns = null;
    this._visible = null;
  }

  private _experimentName: string;
  private _searchRuns: ExperimentsModel.SearchRuns;
  private _describeError: (err: unknown) => string;
  private _maxRuns: number;
  private _runs: IRun[] = [];
  private _shown: IRun[] | null = null;
  private _rows: IRun[] | null = null;
  private _columns: Field[] | null = null;
  private _visible: Field[] | null = null;
  private _columnChoices = new Map<string, boolean>();
  private _sort: RunTableModel.ISort = {
    field: { kind: 'attribute', name: 'created' },
    direction: 'desc'
  };
  private _filter = '';
  private _showJobs: boolean;
  private _selection = new Set<string>();
  private _anchor: string | null = null;
  private _status: ExperimentsModel.Status = 'idle';
  private _error: string | null = null;
  private _updatedAt: number | null = null;
  private _truncated = false;
  private _abort: AbortController | null = null;
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
}

/** Types and defaults of {@link RunTableModel}. */
export namespace RunTableModel {
  /** The attribute columns, always offered, in this order. */
  export const ATTRIBUTES: readonly Field[] = [
    { kind: 'attribute', name: 'name' },
    { kind: 'attribute', name: 'status' },
    { kind: 'attribute', name: 'created' },
    { kind: 'attribute', name: 'source' }
  ];

  /** Whether a column shows until the user chooses: attributes, parameters and each metric's last value. */
  export function isDefaultColumn(field: Field): boolean {
    return field.kind !== 'metric' || field.stat === 'last';
  }

  /** An order of the rows. */
  export interface ISort {
    /** The column. */
    field: Field;
    /** Ascending or descending; runs without a value go last either way. */
    direction: 'asc' | 'desc';
  }

  /** Options of the model. */
  export interface IOptions {
    /** The experiment whose runs the table shows. */
    experimentName: string;
    /** Yields the runs of a query page by page (Search, 100 per call). */
    searchRuns: ExperimentsModel.SearchRuns;
    /** Turns a failure into the sentence shown to the user. */
    describeError: (err: unknown) => string;
    /** Whether runs created by SageMaker jobs show at first (default false). */
    showJobs?: boolean;
    /** Runs kept at most (default 10,000). */
    maxRuns?: number;
  }
}

/** Sort runs by a field: numbers numerically, text naturally, numbers before text, missing values last. */
export function sortRuns(runs: IRun[], sort: RunTableModel.ISort): IRun[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  // The values are read once, not once per comparison.
  const keyed = runs.map(run => ({ run, value: fieldValue(run, sort.field) }));
  keyed.sort((a, b) => {
    const x = a.value;
    const y = b.value;
    const xMissing = x === null || x === '';
    const yMissing = y === null || y === '';
    if (xMissing || yMissing) {
      if (xMissing && yMissing) {
        return sign * byRunName(a.run, b.run);
      }
      return xMissing ? 1 : -1;
    }
    let order: number;
    if (typeof x === 'number' && typeof y === 'number') {
      order = x - y;
    } else if (typeof x === 'number') {
      order = -1;
    } else if (typeof y === 'number') {
      order = 1;
    } else {
      order = collator.compare(x, y);
    }
    return sign * (order || byRunName(a.run, b.run));
  });
  return keyed.map(k => k.run);
}

/** Natural, case-insensitive text order ("run-2" before "run-10"). */
const collator = new Intl.Collator(undefined, {
  numeric: true,
  sensitivity: 'base'
});

/** Order of runs by display name, then name. */
function byRunName(a: IRun, b: IRun): number {
  return (
    collator.compare(a.displayName, b.displayName) ||
    collator.compare(a.name, b.name)
  );
}

/** A comparison operator of the filter, longest first so `>=` is not read as `>`. */
const OPERATORS = ['>=', '<=', '!=', '>', '<', '='] as const;

/** A comparison operator of the filter. */
type Operator = (typeof OPERATORS)[number];

/**
 * The predicate of a filter text over the given columns. Never throws: text is matched as text, not as a pattern,
 * and a comparison of an unknown column is a plain word.
 */
export function compileFilter(
  text: string,
  columns: ReadonlyArray<Field>
): (run: IRun) => boolean {
  const byLabel = new Map<string, Field>();
  for (const field of columns) {
    byLabel.set(fieldLabel(field).toLowerCase(), field);
  }
  const tests: Array<(run: IRun) => boolean> = [];
  for (const term of text.trim().split(/\s+/)) {
    if (!term) {
      continue;
    }
    const comparison = parseComparison(term, byLabel);
    if (comparison) {
      const { field, operator, value } = comparison;
      tests.push(run => compare(fieldValue(run, field), operator, value));
    } else {
      const needle = term.toLowerCase();
      tests.push(run => searchText(run).includes(needle));
    }
  }
  if (tests.length === 0) {
    return () => true;
  }
  return run => tests.every(test => test(run));
}

/** `label<op>value` when the label names a column. */
function parseComparison(
  term: string,
  byLabel: Map<string, Field>
): { field: Field; operator: Operator; value: string } | null {
  for (let i = 1; i < term.length; i++) {
    const operator = OPERATORS.find(op => term.startsWith(op, i));
    if (!operator) {
      continue;
    }
    const field = byLabel.get(term.slice(0, i).toLowerCase());
    if (!field) {
      return null;
    }
    return { field, operator, value: term.slice(i + operator.length) };
  }
  return null;
}

/** Whether a run's value satisfies a comparison; numbers compare as numbers, the rest as case-insensitive text. */
function compare(
  actual: number | string | null,
  operator: Operator,
  expected: string
): boolean {
  if (actual === null) {
    return operator === '!=';
  }
  const wanted = Number(expected);
  let order: number;
  if (typeof actual === 'number' && expected.trim() !== '' && !isNaN(wanted)) {
    order = actual - wanted;
  } else {
    order = collator.compare(String(actual), expected);
  }
  switch (operator) {
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
  }
}

/** The text words of the filter search in, lower case, computed once per run. */
function searchText(run: IRun): string {
  let text = searchTexts.get(run);
  if (text === undefined) {
    text = [
      run.displayName,
      run.name,
      run.status,
      run.sourceType ?? '',
      ...Object.values(run.parameters).map(String)
    ]
      .join('\u0000')
      .toLowerCase();
    searchTexts.set(run, text);
  }
  return text;
}

/** Search text per run object (runs are replaced, never mutated, on refresh). */
const searchTexts = new WeakMap<IRun, string>();
