/**
 * The "Notebook jobs" panel (main area): the account's recent notebook jobs, and for the selected one its state,
 * failure, output notebook and logs. No AWS code: the model reads, callbacks act.
 */
import { ReactWidget, UseSignal } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { formatCost, JobState, phaseLabel, useNow } from './JobItem';
import type { IJobEntry, NotebookJobsModel } from './model';
import { costSoFar, elapsedSeconds, formatDuration, isActive } from './request';

/** The notebook jobs panel. */
export class JobsPanel extends ReactWidget {
  /** Show the model's jobs. */
  constructor(options: JobsPanel.IOptions) {
    super();
    this._options = options;
    this.addClass('jp-SageMakerJobsPanel');
    this.node.dataset.testid = 'sagemaker-studio-jobs-panel';
  }

  /** The job whose details are shown. */
  get selected(): string | null {
    return this._selected;
  }
  set selected(name: string | null) {
    const { model } = this._options;
    if (this._selected) {
      model.watchLogs(this._selected, false);
    }
    this._selected = name;
    if (name) {
      model.watchLogs(name, true);
      void model.readLogs(name);
    }
    this.update();
  }

  dispose(): void {
    if (this._selected) {
      this._options.model.watchLogs(this._selected, false);
    }
    super.dispose();
  }

  protected render(): JSX.Element {
    return (
      <UseSignal signal={this._options.model.changed}>
        {() => this._renderContent()}
      </UseSignal>
    );
  }

  private _renderContent(): JSX.Element {
    const { model, trans } = this._options;
    const jobs = model.jobs;
    const selected = this._selected ? model.get(this._selected) : undefined;
    return (
      <div className="jp-SageMakerJobsPanel-body">
        <div className="jp-SageMakerJobsPanel-toolbar">
          <button
            className="jp-mod-styled"
            onClick={() => void model.refreshList()}
            data-testid="sagemaker-studio-jobs-refresh"
          >
            {trans.__('Refresh')}
          </button>
          {model.listError ? (
            <span className="jp-SageMakerJobsPanel-error" role="alert">
              {model.listError}
            </span>
          ) : null}
        </div>
        {jobs.length ? (
          <JobsTable
            jobs={jobs}
            selected={this._selected}
            onSelect={name => (this.selected = name)}
            price={this._options.price}
            trans={trans}
          />
        ) : (
          <p className="jp-SageMakerJobsPanel-empty">
            {trans.__(
              'No notebook jobs yet. Choose an instance type in a notebook\'s kernel bar, then "Run on …".'
            )}
          </p>
        )}
        {selected ? this._renderDetails(selected) : null}
      </div>
    );
  }

  private _renderDetails(entry: IJobEntry): JSX.Element {
    const { trans } = this._options;
    const job = entry.job;
    return (
      <section
        className="jp-SageMakerJobsPanel-details"
        data-testid="sagemaker-studio-job-details"
        aria-label={trans.__('Job %1', job.name)}
      >
        <h3>{job.name}</h3>
        <JobState
          entry={entry}
          price={this._options.price}
          trans={trans}
          onOpen={() => undefined}
          onStop={() => this._options.onStop(job.name)}
        />
        <dl className="jp-SageMakerJobsPanel-facts">
          <dt>{trans.__('Notebook')}</dt>
          <dd>{job.notebookPath ?? trans.__('unknown')}</dd>
          <dt>{trans.__('Instance type')}</dt>
          <dd>{job.instanceType}</dd>
          <dt>{trans.__('Image')}</dt>
          <dd>{job.image}</dd>
          <dt>{trans.__('Output')}</dt>
          <dd>{`s3://${job.output.bucket}/${job.output.key}`}</dd>
        </dl>
        {job.failureReason ? (
          <pre
            className="jp-SageMakerJobsPanel-failure"
            role="alert"
            data-testid="sagemaker-studio-job-failure"
          >
            {job.failureReason}
          </pre>
        ) : null}
        {entry.error ? (
          <p className="jp-SageMakerJobsPanel-error" role="alert">
            {entry.error}
          </p>
        ) : null}
        {!isActive(job.phase) ? (
          <div className="jp-SageMakerJobsPanel-output">
            {entry.savedOutput ? (
              <button
                className="jp-mod-styled jp-mod-accept"
                onClick={() => this._options.onOpenFile(entry.savedOutput!)}
                data-testid="sagemaker-studio-job-open-output"
              >
                {trans.__('Open %1', entry.savedOutput)}
              </button>
            ) : job.notebookPath && job.phase !== 'Stopped' ? (
              <button
                className="jp-mod-styled"
                onClick={() => void this._options.model.saveOutput(job.name)}
                data-testid="sagemaker-studio-job-save-output"
              >
                {trans.__('Download the output notebook')}
              </button>
            ) : null}
            {entry.outputError ? (
              <span className="jp-SageMakerJobsPanel-error" role="alert">
                {trans.__('Output notebook: %1', entry.outputError)}
              </span>
            ) : null}
          </div>
        ) : null}
        <h4>{trans.__('Logs')}</h4>
        <pre
          className="jp-SageMakerJobsPanel-logs"
          data-testid="sagemaker-studio-job-logs"
          tabIndex={0}
        >
          {entry.logs.length
            ? entry.logs.map(l => l.message).join('\n')
            : trans.__('No log lines yet.')}
        </pre>
      </section>
    );
  }

  private _options: JobsPanel.IOptions;
  private _selected: string | null = null;
}

/** The jobs as a table; a row click selects. */
function JobsTable(props: {
  jobs: IJobEntry[];
  selected: string | null;
  onSelect: (name: string) => void;
  price: (instanceType: string) => number | null;
  trans: TranslationBundle;
}): JSX.Element {
  const { trans } = props;
  const now = useNow(props.jobs.some(e => isActive(e.job.phase)));
  return (
    <table className="jp-SageMakerJobsPanel-table">
      <thead>
        <tr>
          <th>{trans.__('Job')}</th>
          <th>{trans.__('Notebook')}</th>
          <th>{trans.__('Instance type')}</th>
          <th>{trans.__('Status')}</th>
          <th>{trans.__('Elapsed')}</th>
          <th>{trans.__('Cost so far')}</th>
        </tr>
      </thead>
      <tbody>
        {props.jobs.map(({ job }) => (
          <tr
            key={job.name}
            className={job.name === props.selected ? 'jp-mod-selected' : ''}
            data-testid="sagemaker-studio-jobs-row"
            data-job={job.name}
            aria-selected={job.name === props.selected}
          >
            <td>
              <button
                className="jp-SageMakerJobsPanel-name"
                onClick={() => props.onSelect(job.name)}
              >
                {job.name}
              </button>
            </td>
            <td>{job.notebookPath ?? ''}</td>
            <td>{job.instanceType}</td>
            <td className={`jp-mod-${job.phase.toLowerCase()}`}>
              {phaseLabel(trans, job.phase)}
            </td>
            <td>{formatDuration(elapsedSeconds(job, now))}</td>
            <td>
              {formatCost(
                trans,
                costSoFar(job, props.price(job.instanceType), now),
                job.instanceType
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Types of {@link JobsPanel}. */
export namespace JobsPanel {
  /** Options of the panel. */
  export interface IOptions {
    /** The jobs. */
    model: NotebookJobsModel;
    /** USD per hour of a type, or null. */
    price: (instanceType: string) => number | null;
    /** Stop a job (the callback confirms first). */
    onStop: (job: string) => void;
    /** Open a workspace file. */
    onOpenFile: (path: string) => void;
    /** Translations. */
    trans: TranslationBundle;
  }
}
