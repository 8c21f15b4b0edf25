/**
 * The left-sidebar "Experiments" panel: search, sort, refresh and "show jobs" controls above a tree of experiments,
 * their trials (run groups) and the trials' runs. A click on an experiment opens its run table. Reads the model only.
 */
import { Time } from '@jupyterlab/coreutils';
import type { TranslationBundle } from '@jupyterlab/translation';
import {
  caretDownIcon,
  caretRightIcon,
  ReactWidget,
  refreshIcon,
  SidePanel,
  treeViewIcon,
  UseSignal
} from '@jupyterlab/ui-components';
import type { Message } from '@lumino/messaging';
import { Panel, Widget } from '@lumino/widgets';
import * as React from 'react';
import { FixedSizeList, type ListChildComponentProps } from 'react-window';

import { UpdatedAgo } from '../registry/EndpointsView';
import { ErrorState } from '../registry/ErrorState';
import { badgeClass, useHeight } from '../registry/SectionView';
import { ExperimentsModel } from './model';

/** The sidebar panel of experiments. */
export class ExperimentsPanel extends SidePanel {
  /** Create the panel around a model; the experiments are fetched when the panel is first shown. */
  constructor(options: ExperimentsPanel.IOptions) {
    super({ content: new Panel() });
    const { trans } = options;
    this._model = options.model;
    this.id = 'sagemaker-studio-experiments';
    this.addClass('jp-SageMakerExperimentsPanel');
    this.addClass('jp-SageMakerSidebar');
    this.title.icon = treeViewIcon;
    this.title.caption = trans.__('Experiments');

    const heading = new Widget();
    heading.addClass('jp-SageMakerSidebar-heading');
    heading.node.textContent = trans.__('Experiments');
    this.header.addWidget(heading);

    this.addWidget(
      new ExperimentsView({
        model: options.model,
        trans,
        onOpen: options.onOpen
      })
    );
  }

  /** The panel's model. */
  get model(): ExperimentsModel {
    return this._model;
  }

  /** Fetch the experiments the first time the panel shows. */
  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    void this._model.ensureLoaded();
  }

  private _model: ExperimentsModel;
}

/** Types of {@link ExperimentsPanel}. */
export namespace ExperimentsPanel {
  /** Options of the panel. */
  export interface IOptions {
    /** The tree. */
    model: ExperimentsModel;
    /** Translations. */
    trans: TranslationBundle;
    /** Opens the run table of an experiment. */
    onOpen: (experimentName: string) => void;
  }
}

/** The controls and the tree, re-rendered on every model change. */
export class ExperimentsView extends ReactWidget {
  /** Create the view of a model. */
  constructor(options: ExperimentsPanel.IOptions) {
    super();
    this._options = options;
    this.addClass('jp-SageMakerExperiments');
    this.node.dataset.testid = 'sagemaker-studio-experiments';
  }

  /** Render; re-rendered on every model change. */
  render(): JSX.Element {
    return (
      <UseSignal signal={this._options.model.changed}>
        {() => <Experiments {...this._options} />}
      </UseSignal>
    );
  }

  private _options: ExperimentsPanel.IOptions;
}

/** Controls, then loading, error, empty or the tree. */
function Experiments(props: ExperimentsPanel.IOptions): JSX.Element {
  const { model, trans } = props;
  let body: JSX.Element;
  if (
    model.status === 'idle' ||
    (model.status === 'loading' && model.updatedAt === null)
  ) {
    body = (
      <div className="jp-SageMakerExperiments-loading" role="status">
        {trans.__('Loading…')}
      </div>
    );
  } else if (model.status === 'error') {
    body = (
      <ErrorState
        className="jp-SageMakerExperiments-error"
        testId="sagemaker-studio-experiments-error"
        message={model.error}
        onRetry={() => void model.refresh()}
        busy={model.isLoading}
        trans={trans}
      />
    );
  } else if (model.experiments.length === 0) {
    body = (
      <div className="jp-SageMakerExperiments-empty">
        <p>{trans.__('No experiments yet.')}</p>
        <p>
          {trans.__(
            'Track a run (for example `with Run(experiment_name=...)` of the SageMaker Python SDK) to create an experiment, then refresh.'
          )}
        </p>
      </div>
    );
  } else if (model.items.length === 0) {
    body = (
      <div className="jp-SageMakerExperiments-empty">
        <p>{trans.__('No experiment name contains “%1”.', model.search)}</p>
        <p>{trans.__('Change or clear the search.')}</p>
      </div>
    );
  } else {
    body = <Tree {...props} />;
  }
  return (
    <>
      <Controls {...props} />
      <div className="jp-SageMakerExperiments-summary">
        <span data-testid="sagemaker-studio-experiments-count">
          {model.status === 'ready'
            ? trans._n(
                '%1 experiment',
                '%1 experiments',
                model.experiments.length
              )
            : ''}
        </span>
        <UpdatedAgo
          updatedAt={model.updatedAt}
          loading={model.isLoading}
          trans={trans}
          className="jp-SageMakerExperiments-updated"
        />
      </div>
      {body}
    </>
  );
}

/** Search box, sort control, refresh button and the "show jobs" toggle. */
function Controls({ model, trans }: ExperimentsPanel.IOptions): JSX.Element {
  return (
    <div className="jp-SageMakerExperiments-controls">
      <div className="jp-SageMakerExperiments-controlRow">
        <input
          type="search"
          className="jp-SageMakerExperiments-search"
          data-testid="sagemaker-studio-experiments-search"
          placeholder={trans.__('Search experiments')}
          aria-label={trans.__('Search experiments by name')}
          value={model.search}
          onChange={event => model.setSearch(event.currentTarget.value)}
        />
        <button
          className="jp-SageMakerExperiments-refresh jp-mod-minimal jp-Button"
          data-testid="sagemaker-studio-experiments-refresh"
          title={trans.__('Fetch the experiments again')}
          aria-label={trans.__('Refresh experiments')}
          disabled={model.isLoading}
          onClick={() => void model.refresh()}
        >
          <refreshIcon.react tag="span" />
        </button>
      </div>
      <div className="jp-SageMakerExperiments-controlRow">
        <select
          className="jp-SageMakerExperiments-sort"
          data-testid="sagemaker-studio-experiments-sort"
          aria-label={trans.__('Sort experiments')}
          value={`${model.sort.by}-${model.sort.order}`}
          onChange={event => {
            const [by, order] = event.currentTarget.value.split('-');
            model.setSort({
              by: by as ExperimentsModel.SortKey,
              order: order as 'asc' | 'desc'
            });
          }}
        >
          <option value="created-desc">{trans.__('Newest first')}</option>
          <option value="created-asc">{trans.__('Oldest first')}</option>
          <option value="modified-desc">{trans.__('Recently modified')}</option>
          <option value="modified-asc">
            {trans.__('Least recently modified')}
          </option>
          <option value="name-asc">{trans.__('Name (A–Z)')}</option>
          <option value="name-desc">{trans.__('Name (Z–A)')}</option>
        </select>
        <label className="jp-SageMakerExperiments-showJobs">
          <input
            type="checkbox"
            data-testid="sagemaker-studio-experiments-show-jobs"
            checked={model.showJobs}
            onChange={event => model.setShowJobs(event.currentTarget.checked)}
          />
          {trans.__('Show jobs')}
        </label>
      </div>
    </div>
  );
}

/** Height of one tree row in px (CSS gives rows this height). */
const ROW_HEIGHT = 26;

/** What every windowed row reads. */
interface IRowData extends ExperimentsPanel.IOptions {
  rows: ExperimentsModel.TreeRow[];
}

/** The tree, windowed so hundreds of experiments with expanded trials stay smooth. */
function Tree(props: ExperimentsPanel.IOptions): JSX.Element {
  const [box, height] = useHeight();
  const rows = props.model.rows;
  const itemData: IRowData = { ...props, rows };
  return (
    <div
      ref={box}
      className="jp-SageMakerExperiments-tree"
      data-testid="sagemaker-studio-experiments-tree"
    >
      <FixedSizeList
        height={height}
        width="100%"
        itemCount={rows.length}
        itemSize={ROW_HEIGHT}
        itemData={itemData}
        itemKey={(index, data: IRowData) => data.rows[index].key}
        overscanCount={20}
        innerElementType={TreeInner}
      >
        {TreeRow}
      </FixedSizeList>
    </div>
  );
}

/** The scrolled element of the tree, with its ARIA role. */
const TreeInner = React.forwardRef<
  HTMLDivElement,
  React.HTMLAttributes<HTMLDivElement>
>((props, ref) => {
  return <div ref={ref} role="tree" {...props} />;
});

/** One row of the tree. */
function TreeRow({
  index,
  style,
  data
}: ListChildComponentProps<IRowData>): JSX.Element {
  const { model, trans, onOpen } = data;
  const row = data.rows[index];
  const indent = { paddingLeft: `${4 + row.depth * 16}px` };
  switch (row.kind) {
    case 'experiment': {
      const { experiment } = row;
      return (
        <div
          style={{ ...style, ...indent }}
          className="jp-SageMakerExperiments-row jp-SageMakerExperiments-experiment"
          role="treeitem"
          aria-level={1}
          aria-expanded={row.expanded}
          data-testid="sagemaker-studio-experiment-row"
          data-name={experiment.name}
        >
          <Expander
            expanded={row.expanded}
            label={trans.__('Show the trials of %1', experiment.displayName)}
            onToggle={() => model.toggleExperiment(experiment.name)}
          />
          <button
            className="jp-SageMakerExperiments-name jp-SageMakerExperiments-open"
            title={trans.__('Open the runs of %1', experiment.name)}
            onClick={() => onOpen(experiment.name)}
          >
            {experiment.displayName}
          </button>
          <span
            className="jp-SageMakerExperiments-time"
            title={
              experiment.created !== null
                ? trans.__(
                    'Created %1',
                    new Date(experiment.created).toLocaleString()
                  )
                : ''
            }
          >
            {experiment.lastModified !== null
              ? Time.formatHuman(new Date(experiment.lastModified))
              : ''}
          </span>
        </div>
      );
    }
    case 'trial': {
      const { trial } = row;
      return (
        <div
          style={{ ...style, ...indent }}
          className="jp-SageMakerExperiments-row jp-SageMakerExperiments-trial"
          role="treeitem"
          aria-level={2}
          aria-expanded={row.expanded}
          data-testid="sagemaker-studio-trial-row"
          data-name={trial.name}
        >
          <Expander
            expanded={row.expanded}
            label={trans.__('Show the runs of %1', trial.displayName)}
            onToggle={() => model.toggleTrial(trial.experimentName, trial.name)}
          />
          <span className="jp-SageMakerExperiments-name" title={trial.name}>
            {trial.displayName}
          </span>
        </div>
      );
    }
    case 'run': {
      const { run } = row;
      return (
        <div
          style={{ ...style, ...indent }}
          className="jp-SageMakerExperiments-row jp-SageMakerExperiments-run"
          role="treeitem"
          aria-level={3}
          data-testid="sagemaker-studio-experiment-run-row"
          data-name={run.name}
          data-status={run.status}
        >
          <span className="jp-SageMakerExperiments-name" title={run.name}>
            {run.displayName}
          </span>
          {run.status && (
            <span
              className={`jp-SageMakerRegistry-badge ${badgeClass(run.status)}`}
            >
              {runStatusLabel(run.status, trans)}
            </span>
          )}
        </div>
      );
    }
    case 'loading':
      return (
        <div
          style={{ ...style, ...indent }}
          className="jp-SageMakerExperiments-row jp-SageMakerExperiments-placeholder"
          role="status"
        >
          {trans.__('Loading…')}
        </div>
      );
    case 'error': {
      const { target } = row;
      return (
        <div
          style={{ ...style, ...indent }}
          className="jp-SageMakerExperiments-row jp-SageMakerExperiments-nodeError"
          role="alert"
          title={row.message}
        >
          <span className="jp-SageMakerExperiments-name">{row.message}</span>
          <button
            className="jp-SageMakerExperiments-retry jp-mod-styled"
            onClick={() =>
              target.trialName
                ? model.retryRuns(target.experimentName, target.trialName)
                : model.retryTrials(target.experimentName)
            }
          >
            {trans.__('Try again')}
          </button>
        </div>
      );
    }
    case 'empty':
      return (
        <div
          style={{ ...style, ...indent }}
          className="jp-SageMakerExperiments-row jp-SageMakerExperiments-placeholder"
        >
          {row.reason === 'noTrials'
            ? trans.__('No trials.')
            : row.reason === 'onlyJobs'
              ? trans.__('Only runs of jobs; turn on “Show jobs” to see them.')
              : trans.__('No runs.')}
        </div>
      );
  }
}

/** The caret that shows or hides a node's children. */
function Expander(props: {
  expanded: boolean;
  label: string;
  onToggle: () => void;
}): JSX.Element {
  const Icon = props.expanded ? caretDownIcon : caretRightIcon;
  return (
    <button
      className="jp-SageMakerExperiments-expander"
      aria-label={props.label}
      aria-expanded={props.expanded}
      onClick={props.onToggle}
    >
      <Icon.react tag="span" />
    </button>
  );
}

/** The translated label of a run's status (Status.PrimaryStatus). */
export function runStatusLabel(
  status: string,
  trans: TranslationBundle
): string {
  switch (status) {
    case 'InProgress':
      return trans.__('In progress');
    case 'Completed':
      return trans.__('Completed');
    case 'Failed':
      return trans.__('Failed');
    case 'Stopping':
      return trans.__('Stopping');
    case 'Stopped':
      return trans.__('Stopped');
    default:
      return status;
  }
}
