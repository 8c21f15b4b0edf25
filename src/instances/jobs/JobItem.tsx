/**
 * The kernel-bar item of notebook jobs: "Run on ml.x" for the notebook's chosen instance type, and the state of the
 * notebook's newest job (phase, elapsed time, cost so far) with a stop button. No AWS code: actions are callbacks.
 */
import { ReactWidget, UseSignal } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { ISignal } from '@lumino/signaling';
import * as React from 'react';

import type { IJobEntry, NotebookJobsModel } from './model';
import {
  costSoFar,
  elapsedSeconds,
  formatDuration,
  isActive,
  JobPhase
} from './request';

/** Re-render every second while `active`. */
export function useNow(active: boolean): number {
  const [now, setNow] = React.useState(Date.now());
  React.useEffect(() => {
    if (!active) {
      return;
    }
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [active]);
  return active ? now : Date.now();
}

/** "$0.012" (three decimals below a dollar), or the "no price" sentence. */
export function formatCost(
  trans: TranslationBundle,
  cost: number | null,
  instanceType: string
): string {
  if (cost === null) {
    return trans.__('no price for %1', instanceType);
  }
  return `$${cost < 1 ? cost.toFixed(3) : cost.toFixed(2)}`;
}

/** The translated name of a phase. */
export function phaseLabel(trans: TranslationBundle, phase: JobPhase): string {
  const labels: Record<JobPhase, string> = {
    Starting: trans.__('Starting'),
    Running: trans.__('Running'),
    Stopping: trans.__('Stopping'),
    Completed: trans.__('Completed'),
    Failed: trans.__('Failed'),
    Stopped: trans.__('Stopped')
  };
  return labels[phase];
}

/** Phase, elapsed time and cost of one job, with stop while it is active. */
export function JobState(props: {
  entry: IJobEntry;
  price: (instanceType: string) => number | null;
  trans: TranslationBundle;
  onOpen: () => void;
  onStop: () => void;
}): JSX.Element {
  const { entry, trans } = props;
  const job = entry.job;
  const active = isActive(job.phase);
  const now = useNow(active);
  const cost = costSoFar(job, props.price(job.instanceType), now);
  const title = [
    trans.__('Notebook job %1 on %2', job.name, job.instanceType),
    job.secondaryStatus ? trans.__('Status: %1', job.secondaryStatus) : null,
    job.failureReason,
    entry.error
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <span className="jp-SageMakerJobItem-state">
      <button
        className={`jp-SageMakerJobItem-status jp-mod-${job.phase.toLowerCase()}`}
        title={title}
        onClick={props.onOpen}
        data-testid="sagemaker-studio-job-status"
        data-phase={job.phase}
      >
        <span className="jp-SageMakerJobItem-dot" aria-hidden="true" />
        {trans.__(
          '%1 · %2 · %3',
          phaseLabel(trans, job.phase),
          formatDuration(elapsedSeconds(job, now)),
          formatCost(trans, cost, job.instanceType)
        )}
      </button>
      {active && job.phase !== 'Stopping' ? (
        <button
          className="jp-SageMakerJobItem-stop jp-mod-styled"
          onClick={props.onStop}
          title={trans.__('Stop job %1', job.name)}
          data-testid="sagemaker-studio-job-stop"
        >
          {trans.__('Stop')}
        </button>
      ) : null}
    </span>
  );
}

/** The notebook-jobs item of one notebook's toolbar. */
export class JobItem extends ReactWidget {
  /** Show the jobs of the notebook at `path()`. */
  constructor(options: JobItem.IOptions) {
    super();
    this._options = options;
    this.addClass('jp-SageMakerJobItem');
    this.node.dataset.testid = 'sagemaker-studio-job-item';
  }

  protected render(): JSX.Element {
    const { model } = this._options;
    return (
      <UseSignal signal={model.changed}>
        {() => (
          <UseSignal signal={this._options.instanceChanged}>
            {() => this._renderContent()}
          </UseSignal>
        )}
      </UseSignal>
    );
  }

  private _renderContent(): JSX.Element | null {
    const { model, trans } = this._options;
    const instanceType = this._options.instanceType();
    const path = this._options.path();
    const latest = path ? model.latestFor(path) : null;
    const busy = latest !== null && isActive(latest.job.phase);
    if (!instanceType && !latest) {
      return null;
    }
    return (
      <span className="jp-SageMakerJobItem-content">
        {instanceType ? (
          <button
            className="jp-SageMakerJobItem-run jp-mod-styled"
            onClick={() => this._options.onRun()}
            disabled={busy}
            title={
              busy
                ? trans.__('A job of this notebook is still running.')
                : trans.__(
                    'Run the saved notebook as a SageMaker job on %1',
                    instanceType
                  )
            }
            data-testid="sagemaker-studio-job-run"
          >
            {trans.__('Run on %1', instanceType)}
          </button>
        ) : null}
        {latest ? (
          <JobState
            entry={latest}
            price={this._options.price}
            trans={trans}
            onOpen={() => this._options.onOpen(latest.job.name)}
            onStop={() => this._options.onStop(latest.job.name)}
          />
        ) : null}
      </span>
    );
  }

  private _options: JobItem.IOptions;
}

/** Types of {@link JobItem}. */
export namespace JobItem {
  /** Options of the item. */
  export interface IOptions {
    /** The jobs. */
    model: NotebookJobsModel;
    /** The notebook's path now (it changes on rename). */
    path: () => string | null;
    /** The notebook's chosen instance type, or null. */
    instanceType: () => string | null;
    /** Emitted when the chosen instance type or the path may have changed. */
    instanceChanged: ISignal<any, any>;
    /** USD per hour of a type, or null. */
    price: (instanceType: string) => number | null;
    /** "Run on …" was pressed. */
    onRun: () => void;
    /** Open a job's details. */
    onOpen: (job: string) => void;
    /** Stop a job (the callback confirms first). */
    onStop: (job: string) => void;
    /** Translations. */
    trans: TranslationBundle;
  }
}
