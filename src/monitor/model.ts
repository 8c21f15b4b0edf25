/**
 * State of one endpoint's Model Monitor dashboard: its schedules, the chosen schedule's executions, the chosen
 * execution's reports, the baseline, and the drift of the chosen feature across executions. Every part loads and
 * fails on its own (a malformed statistics.json leaves the violations readable). No DOM; the AWS calls go through
 * an {@link IMonitorApi}.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { type ISignal, Signal } from '@lumino/signaling';

import { mapConcurrently } from '../aws/concurrency';
import { estimateDistance } from './drift';
import {
  DEFAULT_MAX_REPORT_BYTES,
  type IConstraints,
  type IStatistics,
  type IViolation,
  parseConstraints,
  parseStatistics,
  parseViolations,
  type ParseResult,
  type ReportKind,
  reportName,
  tooLargeMessage
} from './reports';
import type { IExecution, IMonitorApi, ISchedule } from './types';

/** Statuses of executions that wrote reports. */
const COMPLETED = new Set(['Completed', 'CompletedWithViolations']);

/** The Model Monitor dashboard of one endpoint. */
export class MonitorModel implements IDisposable {
  /** Create the model; nothing is fetched before {@link refresh}. */
  constructor(options: MonitorModel.IOptions) {
    this._endpointName = options.endpointName;
    this._api = options.api;
    this._trans = options.trans;
    this._describeError =
      options.describeError ?? (err => (err as Error).message);
    this._maxReportBytes = options.maxReportBytes ?? DEFAULT_MAX_REPORT_BYTES;
    this._maxExecutions = options.maxExecutions ?? 100;
    this._driftExecutions = options.driftExecutions ?? 20;
  }

  /** The endpoint watched. */
  get endpointName(): string {
    return this._endpointName;
  }

  /** 'idle' before the first refresh, then 'loading', 'ready' or 'error' (for the schedule list). */
  get status(): MonitorModel.Status {
    return this._status;
  }

  /** Why the schedules could not be listed. */
  get error(): string | null {
    return this._error;
  }

  /** The endpoint's schedules. */
  get schedules(): ReadonlyArray<ISchedule> {
    return this._schedules;
  }

  /** The schedule whose executions are shown. */
  get schedule(): ISchedule | null {
    return this._schedules.find(s => s.name === this._scheduleName) ?? null;
  }

  /** Its executions, newest first. */
  get executions(): MonitorModel.IPart<IExecution[]> {
    return this._executions;
  }

  /** Whether more executions exist than were listed. */
  get executionsTruncated(): boolean {
    return this._executionsTruncated;
  }

  /** The execution whose violations and statistics are shown. */
  get execution(): IExecution | null {
    const list = this._executions.value ?? [];
    return list.find(e => MonitorModel.keyOf(e) === this._executionKey) ?? null;
  }

  /** The baseline files of the chosen schedule. */
  get baseline(): MonitorModel.IBaseline {
    return this._baseline;
  }

  /** The feature whose distribution and drift are shown. */
  get feature(): string | null {
    return this._feature;
  }

  /** Names of the features known from the baseline and the chosen execution. */
  get features(): string[] {
    const names = new Set<string>();
    for (const f of this._baseline.statistics.value?.features ?? []) {
      names.add(f.name);
    }
    const execution = this.execution;
    const report = execution ? this.report(execution) : null;
    for (const f of report?.statistics.value?.features ?? []) {
      names.add(f.name);
    }
    return Array.from(names);
  }

  /** Why starting or stopping a schedule failed. */
  get actionError(): string | null {
    return this._actionError;
  }

  /** The schedule being started or stopped, if any. */
  get busySchedule(): string | null {
    return this._busySchedule;
  }

  /** Emitted on every change. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Whether the model was disposed. */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Refresh every `seconds` while the page is visible; 0 turns it off. */
  set autoRefreshSeconds(seconds: number) {
    this._poll?.dispose();
    this._poll = null;
    if (seconds > 0) {
      this._poll = new Poll({
        auto: false,
        factory: () => this.refresh(),
        frequency: {
          interval: seconds * 1000,
          backoff: true,
          max: 3600 * 1000
        },
        standby: 'when-hidden',
        name: 'jupyterlab-sagemaker-studio:monitor'
      });
      void this._poll.start();
    }
  }

  /** The reports of an execution (loaded on demand; starts loading when not yet asked for). */
  report(execution: IExecution): MonitorModel.IReport {
    const key = MonitorModel.keyOf(execution);
    let report = this._reports.get(key);
    if (!report) {
      report = this._loadReport(execution);
    }
    return report;
  }

  /** Violation count of an execution: a number once known, null while unknown. */
  violationCount(execution: IExecution): number | null {
    if (execution.status === 'Completed') {
      // AWS writes violations only when the status says so; no need to read the file.
      return 0;
    }
    if (execution.status !== 'CompletedWithViolations') {
      return null;
    }
    const report = this._reports.get(MonitorModel.keyOf(execution));
    return report?.violations.value?.length ?? null;
  }

  /** Fetch the schedules, then the chosen schedule's baseline and executions, then the latest reports. */
  async refresh(): Promise<void> {
    if (this._isDisposed) {
      return;
    }
    this._controller?.abort();
    const controller = new AbortController();
    this._controller = controller;
    const { signal } = controller;
    this._status = 'loading';
    this._changed.emit();
    let schedules: ISchedule[];
    try {
      schedules = await this._api.listSchedules(this._endpointName, signal);
    } catch (err) {
      if (signal.aborted) {
        return;
      }
      this._status = 'error';
      this._error = this._trans.__(
        'The monitoring schedules of “%1” could not be listed: %2',
        this._endpointName,
        this._describeError(err)
      );
      this._changed.emit();
      return;
    }
    if (signal.aborted) {
      return;
    }
    this._schedules = schedules;
    this._status = 'ready';
    this._error = null;
    if (!schedules.some(s => s.name === this._scheduleName)) {
      // Data quality first: it has the richest reports (statistics and drift).
      this._scheduleName =
        (schedules.find(s => s.type === 'DataQuality') ?? schedules[0])?.name ??
        null;
      this._executionKey = null;
    }
    // Reports of finished executions never change: keep those read, fetch the rest again.
    for (const [key, report] of this._reports) {
      if (Private.isIncomplete(report)) {
        this._reports.delete(key);
      }
    }
    this._changed.emit();
    await this._loadSchedule(signal);
  }

  /** Show another schedule's executions. */
  async selectSchedule(name: string): Promise<void> {
    if (name === this._scheduleName) {
      return;
    }
    this._scheduleName = name;
    this._executionKey = null;
    this._controller?.abort();
    const controller = new AbortController();
    this._controller = controller;
    this._changed.emit();
    await this._loadSchedule(controller.signal);
  }

  /** Show an execution's violations and statistics. */
  selectExecution(key: string): void {
    if (key === this._executionKey) {
      return;
    }
    this._executionKey = key;
    const execution = this.execution;
    if (execution) {
      this.report(execution);
    }
    this._changed.emit();
  }

  /** Show another feature's distribution and drift. */
  selectFeature(name: string): void {
    if (name !== this._feature) {
      this._feature = name;
      this._changed.emit();
    }
  }

  /**
   * The chosen feature's drift across the executions whose reports are loaded, oldest first: the distance a
   * violation reported, else one estimated from the statistics; and the threshold it is held to.
   */
  drift(feature: string): MonitorModel.IDriftSeries {
    const baselineStats = this._baseline.statistics.value;
    const baseFeature =
      baselineStats?.features.find(f => f.name === feature) ?? null;
    let threshold: number | null = null;
    const constraints = this._baseline.constraints.value;
    if (constraints) {
      threshold =
        constraints.features.find(f => f.name === feature)
          ?.comparisonThreshold ?? constraints.comparisonThreshold;
    }
    const points: MonitorModel.IDriftPoint[] = [];
    for (const execution of this._executions.value ?? []) {
      const report = this._reports.get(MonitorModel.keyOf(execution));
      if (!report || execution.scheduledTime === null) {
        continue;
      }
      const reported = report.violations.value?.find(
        v => v.featureName === feature && v.drift
      )?.drift;
      if (reported) {
        threshold ??= reported.threshold;
        points.push({
          time: execution.scheduledTime,
          distance: reported.distance,
          estimated: false
        });
        continue;
      }
      const current =
        report.statistics.value?.features.find(f => f.name === feature) ?? null;
      const estimate = estimateDistance(baseFeature, current);
      if (estimate !== null) {
        points.push({
          time: execution.scheduledTime,
          distance: estimate,
          estimated: true
        });
      }
    }
    points.sort((a, b) => a.time - b.time);
    return { points, threshold };
  }

  /** Start a stopped schedule, then refresh. */
  startSchedule(name: string): Promise<void> {
    return this._act(name, () => this._api.startSchedule(name), 'start');
  }

  /** Stop a schedule, then refresh. */
  stopSchedule(name: string): Promise<void> {
    return this._act(name, () => this._api.stopSchedule(name), 'stop');
  }

  /** Stop fetching and polling. */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._controller?.abort();
    this._poll?.dispose();
    Signal.clearData(this);
  }

  private async _act(
    name: string,
    call: () => Promise<void>,
    verb: 'start' | 'stop'
  ): Promise<void> {
    this._busySchedule = name;
    this._actionError = null;
    this._changed.emit();
    try {
      await call();
    } catch (err) {
      this._actionError =
        verb === 'start'
          ? this._trans.__(
              'The schedule “%1” could not be started: %2',
              name,
              this._describeError(err)
            )
          : this._trans.__(
              'The schedule “%1” could not be stopped: %2',
              name,
              this._describeError(err)
            );
    } finally {
      this._busySchedule = null;
      this._changed.emit();
    }
    if (!this._actionError) {
      await this.refresh();
    }
  }

  /** The baseline and executions of the chosen schedule, then the reports of its latest executions. */
  private async _loadSchedule(signal: AbortSignal): Promise<void> {
    const schedule = this.schedule;
    this._baseline = {
      statistics: Private.idle(),
      constraints: Private.idle()
    };
    if (!schedule) {
      this._executions = { loading: false, value: [], error: null };
      this._changed.emit();
      return;
    }
    this._executions = { loading: true, value: null, error: null };
    this._changed.emit();
    const baseline = this._loadBaseline(schedule, signal);
    try {
      const { executions, truncated } = await this._api.listExecutions(
        schedule.name,
        this._maxExecutions,
        signal
      );
      if (signal.aborted) {
        return;
      }
      this._executions = { loading: false, value: executions, error: null };
      this._executionsTruncated = truncated;
      if (!executions.some(e => MonitorModel.keyOf(e) === this._executionKey)) {
        const latest =
          executions.find(e => COMPLETED.has(e.status)) ?? executions[0];
        this._executionKey = latest ? MonitorModel.keyOf(latest) : null;
      }
    } catch (err) {
      if (signal.aborted) {
        return;
      }
      this._executions = {
        loading: false,
        value: null,
        error: this._trans.__(
          'The executions of “%1” could not be listed: %2',
          schedule.name,
          this._describeError(err)
        )
      };
    }
    this._changed.emit();
    const latest = (this._executions.value ?? [])
      .filter(e => COMPLETED.has(e.status))
      .slice(0, this._driftExecutions);
    const chosen = this.execution;
    if (chosen && !latest.includes(chosen)) {
      latest.unshift(chosen);
    }
    await Promise.all([
      baseline,
      mapConcurrently(latest, 4, async e => {
        if (!signal.aborted) {
          await this.report(e).done;
        }
      })
    ]);
    if (!this._feature || !this.features.includes(this._feature)) {
      // The first feature with a violation, else the first feature.
      const report = this.execution ? this.report(this.execution) : null;
      this._feature =
        report?.violations.value?.find(v =>
          this.features.includes(v.featureName)
        )?.featureName ??
        this.features[0] ??
        null;
      this._changed.emit();
    }
  }

  private async _loadBaseline(
    schedule: ISchedule,
    signal: AbortSignal
  ): Promise<void> {
    const none = (what: string) => ({
      loading: false,
      value: null,
      error: what
    });
    const statsUri = schedule.baselineStatisticsUri;
    const constraintsUri = schedule.baselineConstraintsUri;
    this._baseline = {
      statistics: statsUri
        ? Private.loading()
        : none(
            schedule.type && schedule.type !== 'DataQuality'
              ? this._trans.__(
                  'Feature statistics are reported by data quality schedules only; this is a %1 schedule.',
                  schedule.type
                )
              : this._trans.__(
                  'The schedule names no baseline statistics, so distributions cannot be compared with a baseline.'
                )
          ),
      constraints: constraintsUri
        ? Private.loading()
        : none(this._trans.__('The schedule names no baseline constraints.'))
    };
    this._changed.emit();
    await Promise.all([
      statsUri
        ? this._readPart(statsUri, 'baseline-statistics', signal, text =>
            parseStatistics(text, this._trans, {
              maxBytes: this._maxReportBytes,
              kind: 'baseline-statistics'
            })
          ).then(part => {
            if (!signal.aborted) {
              this._baseline = { ...this._baseline, statistics: part };
              this._changed.emit();
            }
          })
        : null,
      constraintsUri
        ? this._readPart(constraintsUri, 'constraints', signal, text =>
            parseConstraints(text, this._trans, {
              maxBytes: this._maxReportBytes
            })
          ).then(part => {
            if (!signal.aborted) {
              this._baseline = { ...this._baseline, constraints: part };
              this._changed.emit();
            }
          })
        : null
    ]);
  }

  /** Start loading an execution's reports; the returned record is updated in place as parts arrive. */
  private _loadReport(execution: IExecution): MonitorModel.IReport {
    const key = MonitorModel.keyOf(execution);
    const report: MonitorModel.IReport = {
      location: Private.loading(),
      violations: Private.loading(),
      statistics: Private.loading(),
      done: Promise.resolve()
    };
    this._reports.set(key, report);
    const reports = this._reports;
    const signal = this._controller?.signal;
    const update = (patch: Partial<MonitorModel.IReport>) => {
      if (reports.get(key) === report) {
        Object.assign(report, patch);
        this._changed.emit();
      }
    };
    if (!COMPLETED.has(execution.status) || !execution.processingJobArn) {
      const why = !COMPLETED.has(execution.status)
        ? execution.failureReason
          ? this._trans.__(
              'This execution ended with status %1 and wrote no reports: %2',
              execution.status,
              execution.failureReason
            )
          : this._trans.__(
              'This execution has status %1 and no reports (yet).',
              execution.status
            )
        : this._trans.__('This execution names no processing job.');
      Object.assign(report, {
        location: { loading: false, value: null, error: why },
        violations: { loading: false, value: null, error: why },
        statistics: { loading: false, value: null, error: why }
      });
      return report;
    }
    const type = execution.type ?? this.schedule?.type ?? null;
    const dataQuality = !type || type === 'DataQuality';
    report.done = (async () => {
      let location: string;
      try {
        location = await this._api.reportLocation(
          execution.processingJobArn as string,
          signal
        );
      } catch (err) {
        const error = this._trans.__(
          'Where this execution wrote its reports could not be read: %1',
          this._describeError(err)
        );
        const failed = { loading: false, value: null, error };
        update({ location: failed, violations: failed, statistics: failed });
        return;
      }
      update({ location: { loading: false, value: location, error: null } });
      const base = location.replace(/\/+$/, '');
      await Promise.all([
        this._readPart(
          `${base}/constraint_violations.json`,
          'violations',
          signal,
          text =>
            parseViolations(text, this._trans, {
              maxBytes: this._maxReportBytes
            }),
          // A clean execution may write no violations file at all.
          execution.status === 'Completed' ? [] : undefined
        ).then(violations => update({ violations })),
        dataQuality
          ? this._readPart(
              `${base}/statistics.json`,
              'statistics',
              signal,
              text =>
                parseStatistics(text, this._trans, {
                  maxBytes: this._maxReportBytes
                })
            ).then(statistics => update({ statistics }))
          : update({
              // Model quality, bias and explainability jobs write other statistics (metrics, reports).
              statistics: {
                loading: false,
                value: null,
                error: this._trans.__(
                  'Feature statistics are reported by data quality schedules only; this is a %1 execution.',
                  type as string
                )
              }
            })
      ]);
    })();
    return report;
  }

  /** Read and parse one report file into a part; every failure becomes the part's sentence. */
  private async _readPart<T>(
    uri: string,
    kind: ReportKind,
    signal: AbortSignal | undefined,
    parse: (text: string) => ParseResult<T>,
    ifMissing?: T
  ): Promise<MonitorModel.IPart<T>> {
    try {
      const read = await this._api.readText(uri, this._maxReportBytes, signal);
      if ('tooLarge' in read) {
        return {
          loading: false,
          value: null,
          error: tooLargeMessage(
            kind,
            read.tooLarge,
            this._maxReportBytes,
            this._trans
          )
        };
      }
      if ('missing' in read) {
        return ifMissing !== undefined
          ? { loading: false, value: ifMissing, error: null }
          : {
              loading: false,
              value: null,
              error: this._trans.__(
                '%1 does not exist at %2.',
                reportName(kind, this._trans),
                uri
              )
            };
      }
      const parsed = parse(read.text);
      return parsed.ok
        ? { loading: false, value: parsed.value, error: null }
        : { loading: false, value: null, error: parsed.error };
    } catch (err) {
      return {
        loading: false,
        value: null,
        error: this._trans.__(
          '%1 could not be read: %2',
          reportName(kind, this._trans),
          this._describeError(err)
        )
      };
    }
  }

  private _endpointName: string;
  private _api: IMonitorApi;
  private _trans: TranslationBundle;
  private _describeError: (err: unknown) => string;
  private _maxReportBytes: number;
  private _maxExecutions: number;
  private _driftExecutions: number;
  private _status: MonitorModel.Status = 'idle';
  private _error: string | null = null;
  private _schedules: ISchedule[] = [];
  private _scheduleName: string | null = null;
  private _executions: MonitorModel.IPart<IExecution[]> = Private.idle();
  private _executionsTruncated = false;
  private _executionKey: string | null = null;
  private _reports = new Map<string, MonitorModel.IReport>();
  private _baseline: MonitorModel.IBaseline = {
    statistics: Private.idle(),
    constraints: Private.idle()
  };
  private _feature: string | null = null;
  private _actionError: string | null = null;
  private _busySchedule: string | null = null;
  private _controller: AbortController | null = null;
  private _poll: Poll | null = null;
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
}

/** Types of {@link MonitorModel}. */
export namespace MonitorModel {
  /** Options of the model. */
  export interface IOptions {
    /** The endpoint. */
    endpointName: string;
    /** The calls. */
    api: IMonitorApi;
    /** Translations. */
    trans: TranslationBundle;
    /** A sentence for a failed call. */
    describeError?: (err: unknown) => string;
    /** Report files larger than this are not read. */
    maxReportBytes?: number;
    /** Executions listed at most. */
    maxExecutions?: number;
    /** Latest completed executions whose reports are read for the drift chart and violation counts. */
    driftExecutions?: number;
  }

  /** Where the schedule list stands. */
  export type Status = 'idle' | 'loading' | 'ready' | 'error';

  /** One independently loaded part: loading, a value, or the sentence saying why there is none. */
  export interface IPart<T> {
    /** Whether it is being fetched. */
    loading: boolean;
    /** The value, once there is one. */
    value: T | null;
    /** Why there is none. */
    error: string | null;
  }

  /** The baseline files. */
  export interface IBaseline {
    /** statistics.json of the baseline. */
    statistics: IPart<IStatistics>;
    /** constraints.json of the baseline. */
    constraints: IPart<IConstraints>;
  }

  /** The reports of one execution. */
  export interface IReport {
    /** The S3 prefix it wrote to. */
    location: IPart<string>;
    /** Its constraint_violations.json. */
    violations: IPart<IViolation[]>;
    /** Its statistics.json. */
    statistics: IPart<IStatistics>;
    /** Settles when every part has loaded or failed. */
    done: Promise<void>;
  }

  /** One point of a drift series. */
  export interface IDriftPoint {
    /** Scheduled time of the execution (ms since epoch). */
    time: number;
    /** Distance from the baseline. */
    distance: number;
    /** Whether the distance was estimated from statistics rather than reported by a violation. */
    estimated: boolean;
  }

  /** A feature's drift across executions. */
  export interface IDriftSeries {
    /** Points, oldest first. */
    points: IDriftPoint[];
    /** The threshold, when known. */
    threshold: number | null;
  }

  /** The stable key of an execution. */
  export function keyOf(execution: IExecution): string {
    return (
      execution.processingJobArn ??
      `${execution.scheduleName}@${execution.scheduledTime ?? execution.created}`
    );
  }
}

namespace Private {
  /** A part not asked for yet. */
  export function idle<T>(): MonitorModel.IPart<T> {
    return { loading: false, value: null, error: null };
  }

  /** Whether a report is still loading or has a part that failed (then it is worth reading again). */
  export function isIncomplete(report: MonitorModel.IReport): boolean {
    return [report.location, report.violations, report.statistics].some(
      part => part.loading || part.error !== null
    );
  }

  /** A part being fetched. */
  export function loading<T>(): MonitorModel.IPart<T> {
    return { loading: true, value: null, error: null };
  }
}
