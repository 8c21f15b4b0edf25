/**
 * The Model Monitor dashboard of one endpoint: schedules (with start / stop), execution history (timeline and
 * table), the chosen execution's violations, the dataset summary, and feature drift (distribution against the
 * baseline, distance across executions against the threshold). Each part shows its own loading state or error
 * sentence. Reads {@link MonitorModel}; no AWS code here.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';

import { categoricalColor } from '../charts/palette';
import type { IBarData, ILineData } from '../charts/types';
import { ChartHost, statusClass, Timeline } from './charts';
import { distributionPairs } from './drift';
import {
  checkTypeLabel,
  executionStatusLabel,
  monitoringTypeLabel
} from './labels';
import { MonitorModel } from './model';
import type { IFeatureStatistics } from './reports';
import type { ISchedule } from './types';

/** The dashboard widget (the content of a main-area tab). */
export class MonitorView extends ReactWidget {
  /** Create the view of a model; the view owns the model and disposes it. */
  constructor(options: MonitorView.IOptions) {
    super();
    this._model = options.model;
    this._trans = options.trans;
    this._confirm = options.confirm ?? Private.confirmStop;
    this.addClass('jp-SageMakerMonitor');
    this.node.dataset.testid = 'sagemaker-model-monitor';
    this.node.dataset.endpointName = this._model.endpointName;
  }

  /** The model shown. */
  get model(): MonitorModel {
    return this._model;
  }

  /** Dispose the model with the view. */
  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._model.dispose();
    super.dispose();
  }

  /** Render; re-rendered on every model change. */
  render(): JSX.Element {
    return (
      <UseSignal signal={this._model.changed}>
        {() => (
          <Dashboard
            model={this._model}
            trans={this._trans}
            confirm={this._confirm}
          />
        )}
      </UseSignal>
    );
  }

  private _model: MonitorModel;
  private _trans: TranslationBundle;
  private _confirm: MonitorView.Confirm;
}

/** Types of {@link MonitorView}. */
export namespace MonitorView {
  /** Asks whether to stop a schedule. */
  export type Confirm = (
    schedule: string,
    trans: TranslationBundle
  ) => Promise<boolean>;

  /** Options of the view. */
  export interface IOptions {
    /** The dashboard's model. */
    model: MonitorModel;
    /** Translations. */
    trans: TranslationBundle;
    /** Confirmation before stopping a schedule (a dialog by default). */
    confirm?: Confirm;
  }
}

/** Props of the parts. */
interface IProps {
  model: MonitorModel;
  trans: TranslationBundle;
}

/** The whole dashboard. */
function Dashboard({
  model,
  trans,
  confirm
}: IProps & { confirm: MonitorView.Confirm }): JSX.Element {
  return (
    <>
      <div className="jp-SageMakerMonitor-heading">
        <h2 className="jp-SageMakerMonitor-title">
          {trans.__('Model Monitor: %1', model.endpointName)}
        </h2>
        <button
          className="jp-mod-styled jp-SageMakerMonitor-refresh"
          onClick={() => void model.refresh()}
          disabled={model.status === 'loading'}
        >
          {model.status === 'loading'
            ? trans.__('Refreshing…')
            : trans.__('Refresh')}
        </button>
      </div>
      <Schedules model={model} trans={trans} confirm={confirm} />
      {model.schedule && (
        <>
          <Executions model={model} trans={trans} />
          <Violations model={model} trans={trans} />
          <DatasetSummary model={model} trans={trans} />
          <FeatureDrift model={model} trans={trans} />
        </>
      )}
    </>
  );
}

/** A titled part of the dashboard. */
function Part({
  title,
  name,
  children
}: {
  title: string;
  name: string;
  children: React.ReactNode;
}): JSX.Element {
  return (
    <section
      className={`jp-SageMakerMonitor-section jp-SageMakerMonitor-${name}`}
      aria-label={title}
      data-testid={`sagemaker-monitor-${name}`}
    >
      <h3 className="jp-SageMakerMonitor-sectionTitle">{title}</h3>
      {children}
    </section>
  );
}

/** A part's error sentence. */
function ErrorMessage({ message }: { message: string }): JSX.Element {
  return (
    <div className="jp-SageMakerMonitor-error" role="alert">
      {message}
    </div>
  );
}

/** A part's loading line. */
function Loading({ text }: { text: string }): JSX.Element {
  return (
    <div className="jp-SageMakerMonitor-loading" role="status">
      {text}
    </div>
  );
}

/** A date and time, or a dash. */
function when(time: number | null): string {
  return time === null ? '—' : new Date(time).toLocaleString();
}

/** The schedules table with start / stop. */
function Schedules({
  model,
  trans,
  confirm
}: IProps & { confirm: MonitorView.Confirm }): JSX.Element {
  let content: JSX.Element;
  if (
    model.status === 'idle' ||
    (model.status === 'loading' && !model.schedules.length)
  ) {
    content = <Loading text={trans.__('Loading monitoring schedules…')} />;
  } else if (model.status === 'error') {
    content = <ErrorMessage message={model.error ?? ''} />;
  } else if (!model.schedules.length) {
    content = (
      <div className="jp-SageMakerMonitor-empty">
        <p>{trans.__('No monitoring schedule watches this endpoint.')}</p>
        <p>
          {trans.__(
            'Create one with SageMaker Model Monitor (for example `DefaultModelMonitor(...).create_monitoring_schedule()` of the SageMaker Python SDK); it needs data capture on the endpoint.'
          )}
        </p>
      </div>
    );
  } else {
    const stop = async (schedule: ISchedule) => {
      if (await confirm(schedule.name, trans)) {
        await model.stopSchedule(schedule.name);
      }
    };
    content = (
      <table className="jp-SageMakerMonitor-table">
        <thead>
          <tr>
            <th>{trans.__('Schedule')}</th>
            <th>{trans.__('Type')}</th>
            <th>{trans.__('Schedule expression')}</th>
            <th>{trans.__('Status')}</th>
            <th>{trans.__('Last execution')}</th>
            <th>{trans.__('Actions')}</th>
          </tr>
        </thead>
        <tbody>
          {model.schedules.map(s => {
            const selected = s.name === model.schedule?.name;
            const busy = model.busySchedule === s.name;
            return (
              <tr
                key={s.arn || s.name}
                className={`jp-SageMakerMonitor-scheduleRow${selected ? ' jp-mod-selected' : ''}`}
                data-schedule-name={s.name}
                aria-selected={selected}
              >
                <td>
                  <button
                    className="jp-SageMakerMonitor-link"
                    title={s.arn}
                    onClick={() => void model.selectSchedule(s.name)}
                  >
                    {s.name}
                  </button>
                  {s.detailsError && <ErrorMessage message={s.detailsError} />}
                  {s.failureReason && (
                    <div className="jp-SageMakerMonitor-failure">
                      {s.failureReason}
                    </div>
                  )}
                </td>
                <td>{s.type ? monitoringTypeLabel(s.type, trans) : '—'}</td>
                <td>
                  <code>{s.cron ?? '—'}</code>
                </td>
                <td>
                  <span
                    className={`jp-SageMakerMonitor-badge ${statusClass(s.status)}`}
                  >
                    {s.status ?? '—'}
                  </span>
                </td>
                <td>
                  {s.lastExecution ? (
                    <>
                      {when(s.lastExecution.scheduledTime)}{' '}
                      <span
                        className={`jp-SageMakerMonitor-badge ${statusClass(s.lastExecution.status)}`}
                        data-status={s.lastExecution.status}
                      >
                        {executionStatusLabel(s.lastExecution.status, trans)}
                      </span>
                    </>
                  ) : (
                    trans.__('None yet')
                  )}
                </td>
                <td>
                  {s.status === 'Stopped' ? (
                    <button
                      className="jp-mod-styled jp-SageMakerMonitor-start"
                      disabled={busy}
                      onClick={() => void model.startSchedule(s.name)}
                    >
                      {busy ? trans.__('Starting…') : trans.__('Start')}
                    </button>
                  ) : (
                    <button
                      className="jp-mod-styled jp-mod-warn jp-SageMakerMonitor-stop"
                      disabled={busy || s.status === 'Failed'}
                      onClick={() => void stop(s)}
                    >
                      {busy ? trans.__('Stopping…') : trans.__('Stop')}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    );
  }
  return (
    <Part title={trans.__('Monitoring schedules')} name="schedules">
      {model.actionError && <ErrorMessage message={model.actionError} />}
      {content}
    </Part>
  );
}

/** Timeline and table of the chosen schedule's executions. */
function Executions({ model, trans }: IProps): JSX.Element {
  const part = model.executions;
  const selected = model.execution;
  const selectedKey = selected ? MonitorModel.keyOf(selected) : null;
  let content: JSX.Element;
  if (part.loading) {
    content = <Loading text={trans.__('Loading executions…')} />;
  } else if (part.error) {
    content = <ErrorMessage message={part.error} />;
  } else if (!part.value?.length) {
    content = (
      <p className="jp-SageMakerMonitor-empty">
        {trans.__(
          'This schedule has not run yet. Executions appear here after its first scheduled time.'
        )}
      </p>
    );
  } else {
    const executions = part.value;
    content = (
      <>
        <Timeline
          executions={executions}
          selected={selectedKey}
          keyOf={MonitorModel.keyOf}
          onSelect={key => model.selectExecution(key)}
          trans={trans}
        />
        <table className="jp-SageMakerMonitor-table jp-SageMakerMonitor-executionTable">
          <thead>
            <tr>
              <th>{trans.__('Scheduled time')}</th>
              <th>{trans.__('Status')}</th>
              <th>{trans.__('Violations')}</th>
            </tr>
          </thead>
          <tbody>
            {executions.map(e => {
              const key = MonitorModel.keyOf(e);
              const count = model.violationCount(e);
              const isSelected = key === selectedKey;
              return (
                <tr
                  key={key}
                  className={`jp-SageMakerMonitor-executionRow${isSelected ? ' jp-mod-selected' : ''}`}
                  data-status={e.status}
                  aria-selected={isSelected}
                  tabIndex={0}
                  onClick={() => model.selectExecution(key)}
                  onKeyDown={event => {
                    if (event.key === 'Enter' || event.key === ' ') {
                      event.preventDefault();
                      model.selectExecution(key);
                    }
                  }}
                >
                  <td>{when(e.scheduledTime)}</td>
                  <td>
                    <span
                      className={`jp-SageMakerMonitor-badge ${statusClass(e.status)}`}
                    >
                      {executionStatusLabel(e.status, trans)}
                    </span>
                  </td>
                  <td data-column="violations">
                    {count !== null
                      ? String(count)
                      : e.status === 'CompletedWithViolations'
                        ? '…'
                        : '—'}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {model.executionsTruncated && (
          <p className="jp-SageMakerMonitor-note">
            {trans.__(
              'Only the newest %1 executions are shown.',
              executions.length
            )}
          </p>
        )}
      </>
    );
  }
  return (
    <Part
      title={trans.__('Execution history of %1', model.schedule?.name ?? '')}
      name="executions"
    >
      {content}
    </Part>
  );
}

/** The chosen execution's violations. */
function Violations({ model, trans }: IProps): JSX.Element {
  const execution = model.execution;
  let content: JSX.Element;
  if (!execution) {
    content = (
      <p className="jp-SageMakerMonitor-empty">
        {trans.__('Choose an execution to see its violations.')}
      </p>
    );
  } else {
    const part = model.report(execution).violations;
    if (part.loading) {
      content = <Loading text={trans.__('Loading violations…')} />;
    } else if (part.error) {
      content = <ErrorMessage message={part.error} />;
    } else if (!part.value?.length) {
      content = (
        <p
          className="jp-SageMakerMonitor-empty"
          data-testid="sagemaker-monitor-no-violations"
        >
          {trans.__('No violations: the data met every baseline constraint.')}
        </p>
      );
    } else {
      content = (
        <table className="jp-SageMakerMonitor-table">
          <thead>
            <tr>
              <th>{trans.__('Feature')}</th>
              <th>{trans.__('Check')}</th>
              <th>{trans.__('Description')}</th>
              <th>{trans.__('Distance')}</th>
              <th>{trans.__('Threshold')}</th>
            </tr>
          </thead>
          <tbody>
            {part.value.map((v, i) => (
              <tr
                key={`${v.featureName}-${v.checkType}-${i}`}
                className="jp-SageMakerMonitor-violation"
                data-feature={v.featureName}
                data-check-type={v.checkType}
              >
                <td>
                  <button
                    className="jp-SageMakerMonitor-link"
                    title={trans.__('Show the drift of %1', v.featureName)}
                    onClick={() => model.selectFeature(v.featureName)}
                  >
                    {v.featureName}
                  </button>
                </td>
                <td>{checkTypeLabel(v.checkType, trans)}</td>
                <td>{v.description}</td>
                <td data-column="distance">
                  {v.drift ? formatNumber(v.drift.distance) : '—'}
                </td>
                <td data-column="threshold">
                  {v.drift ? formatNumber(v.drift.threshold) : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      );
    }
  }
  return (
    <Part
      title={
        execution
          ? trans.__(
              'Violations of the execution of %1',
              when(execution.scheduledTime)
            )
          : trans.__('Violations')
      }
      name="violations"
    >
      {content}
    </Part>
  );
}

/** Item count and missing values of the chosen execution's data (with the baseline's for comparison). */
function DatasetSummary({ model, trans }: IProps): JSX.Element {
  const execution = model.execution;
  const part = execution ? model.report(execution).statistics : null;
  const baseline = model.baseline.statistics;
  let content: JSX.Element;
  if (!part) {
    content = (
      <p className="jp-SageMakerMonitor-empty">
        {trans.__('Choose an execution to see its dataset.')}
      </p>
    );
  } else if (part.loading) {
    content = <Loading text={trans.__('Loading statistics…')} />;
  } else if (part.error || !part.value) {
    content = <ErrorMessage message={part.error ?? ''} />;
  } else {
    const stats = part.value;
    const byName = new Map<string, IFeatureStatistics>(
      (baseline.value?.features ?? []).map(f => [f.name, f])
    );
    content = (
      <>
        <p className="jp-SageMakerMonitor-itemCount">
          {stats.itemCount === null
            ? trans.__('The statistics do not state an item count.')
            : typeof baseline.value?.itemCount === 'number'
              ? trans.__(
                  '%1 records analysed (baseline: %2).',
                  stats.itemCount,
                  baseline.value.itemCount
                )
              : trans.__('%1 records analysed.', stats.itemCount)}
        </p>
        <table className="jp-SageMakerMonitor-table">
          <thead>
            <tr>
              <th>{trans.__('Feature')}</th>
              <th>{trans.__('Type')}</th>
              <th>{trans.__('Missing')}</th>
              <th>{trans.__('Missing in baseline')}</th>
              <th>{trans.__('Mean')}</th>
            </tr>
          </thead>
          <tbody>
            {stats.features.map(f => (
              <tr
                key={f.name}
                className="jp-SageMakerMonitor-featureRow"
                data-feature={f.name}
              >
                <td>{f.name}</td>
                <td>{f.inferredType}</td>
                <td>{missingLabel(f)}</td>
                <td>
                  {byName.has(f.name) ? missingLabel(byName.get(f.name)!) : '—'}
                </td>
                <td>{f.mean === null ? '—' : formatNumber(f.mean)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </>
    );
  }
  return (
    <Part title={trans.__('Dataset summary')} name="dataset">
      {baseline.error && part?.value && (
        <ErrorMessage message={baseline.error} />
      )}
      {content}
    </Part>
  );
}

/** Distribution against the baseline and drift across executions of the chosen feature. */
function FeatureDrift({ model, trans }: IProps): JSX.Element {
  const features = model.features;
  const feature = model.feature;
  const execution = model.execution;
  const stats = execution ? model.report(execution).statistics : null;
  const baseline = model.baseline;
  const errors = [
    baseline.statistics.error,
    baseline.constraints.error,
    stats?.error
  ].filter((e): e is string => !!e);
  const baseFeature =
    baseline.statistics.value?.features.find(f => f.name === feature) ?? null;
  const current = stats?.value?.features.find(f => f.name === feature) ?? null;
  const pairs = feature ? distributionPairs(baseFeature, current) : null;
  const drift = feature ? model.drift(feature) : null;
  const distribution = React.useMemo<IBarData | null>(
    () =>
      pairs && pairs.length
        ? {
            kind: 'bar',
            bars: pairs.flatMap((p, i) => [
              {
                id: `baseline-${i}`,
                label: `${p.label} (${trans.__('baseline')})`,
                value: p.baseline,
                color: categoricalColor(0)
              },
              {
                id: `current-${i}`,
                label: `${p.label} (${trans.__('execution')})`,
                value: p.current,
                color: categoricalColor(1)
              }
            ]),
            yLabel: trans.__('Share of values'),
            logScale: false
          }
        : null,
    [JSON.stringify(pairs)]
  );
  const driftData = React.useMemo<ILineData | null>(() => {
    if (!drift || !drift.points.length) {
      return null;
    }
    const x = drift.points.map(p => p.time);
    const series = [
      {
        id: 'distance',
        label: trans.__('Distance from baseline'),
        x,
        y: drift.points.map(p => p.distance),
        color: categoricalColor(0)
      }
    ];
    if (drift.threshold !== null) {
      series.push({
        id: 'threshold',
        label: trans.__('Threshold'),
        x,
        y: x.map(() => drift.threshold as number),
        color: categoricalColor(3)
      });
    }
    return {
      kind: 'line',
      series,
      xLabel: trans.__('Scheduled time'),
      yLabel: trans.__('Distance'),
      xIsTime: true,
      logScale: false,
      smoothing: 0
    };
  }, [JSON.stringify(drift)]);

  return (
    <Part title={trans.__('Feature drift')} name="drift">
      {errors.map(e => (
        <ErrorMessage key={e} message={e} />
      ))}
      {features.length === 0 ? (
        baseline.statistics.loading || stats?.loading ? (
          <Loading text={trans.__('Loading statistics…')} />
        ) : (
          <p className="jp-SageMakerMonitor-empty">
            {trans.__('No feature statistics to compare.')}
          </p>
        )
      ) : (
        <>
          <label className="jp-SageMakerMonitor-featurePicker">
            {trans.__('Feature')}{' '}
            <select
              className="jp-SageMakerMonitor-featureSelect"
              value={feature ?? ''}
              onChange={event => model.selectFeature(event.currentTarget.value)}
            >
              {features.map(name => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <div className="jp-SageMakerMonitor-charts">
            <figure className="jp-SageMakerMonitor-figure">
              <figcaption>
                {trans.__(
                  'Distribution: baseline (first bar) against the chosen execution (second bar)'
                )}
              </figcaption>
              {distribution ? (
                <ChartHost
                  data={distribution}
                  className="jp-SageMakerMonitor-distributionChart"
                  label={trans.__(
                    'Distribution of %1, baseline against execution',
                    feature ?? ''
                  )}
                  height={220}
                  trans={trans}
                />
              ) : (
                <p className="jp-SageMakerMonitor-empty">
                  {trans.__(
                    'Neither the baseline nor the execution has a distribution of this feature.'
                  )}
                </p>
              )}
            </figure>
            <figure className="jp-SageMakerMonitor-figure">
              <figcaption>
                {drift?.threshold !== null && drift?.threshold !== undefined
                  ? trans.__(
                      'Distance from the baseline across executions (threshold %1)',
                      formatNumber(drift.threshold)
                    )
                  : trans.__('Distance from the baseline across executions')}
              </figcaption>
              {driftData ? (
                <>
                  <ChartHost
                    data={driftData}
                    className="jp-SageMakerMonitor-driftChart"
                    label={trans.__(
                      'Drift distance of %1 across executions',
                      feature ?? ''
                    )}
                    height={220}
                    trans={trans}
                  />
                  {drift?.points.some(p => p.estimated) && (
                    <p className="jp-SageMakerMonitor-note">
                      {trans.__(
                        'AWS states the distance only when it exceeds the threshold; the other points are estimated from the statistics (largest gap between the cumulative distributions).'
                      )}
                    </p>
                  )}
                </>
              ) : (
                <p className="jp-SageMakerMonitor-empty">
                  {trans.__(
                    'No execution reports a distance for this feature yet.'
                  )}
                </p>
              )}
            </figure>
          </div>
        </>
      )}
    </Part>
  );
}

/** "12 (3.1 %)" missing values of a feature. */
function missingLabel(f: IFeatureStatistics): string {
  if (f.numMissing === null) {
    return '—';
  }
  const total = f.numMissing + (f.numPresent ?? 0);
  return total > 0
    ? `${f.numMissing} (${((f.numMissing / total) * 100).toFixed(1)} %)`
    : String(f.numMissing);
}

/** A number, short. */
function formatNumber(value: number): string {
  return Number.isInteger(value)
    ? String(value)
    : String(Number(value.toPrecision(4)));
}

namespace Private {
  /** Ask before stopping a schedule. */
  export async function confirmStop(
    schedule: string,
    trans: TranslationBundle
  ): Promise<boolean> {
    const result = await showDialog({
      title: trans.__('Stop monitoring schedule?'),
      body: trans.__(
        'Stop the schedule “%1”? No further executions run until it is started again; past executions and reports are kept.',
        schedule
      ),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.warnButton({ label: trans.__('Stop') })
      ],
      defaultButton: 0
    });
    return result.button.accept;
  }
}
