/**
 * The JumpStart catalog view of the left-sidebar panel: search, task, framework, fine-tunable and sort controls,
 * "N of M models", when the catalog was fetched, and the models in a windowed list. A click on a model opens its
 * card. Reads the model only; loaded with `import()` when the panel is first shown.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, refreshIcon, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';
import {
  areEqual,
  FixedSizeList,
  type ListChildComponentProps
} from 'react-window';

import { UpdatedAgo } from '../registry/EndpointsView';
import { ErrorState } from '../registry/ErrorState';
import { useHeight } from '../registry/SectionView';
import type { ICatalogModel } from './catalog';
import type { JumpStartModel } from './model';

/** The catalog controls and list, re-rendered on every model change. */
export class CatalogView extends ReactWidget {
  /** Create the view of a model. */
  constructor(options: CatalogView.IOptions) {
    super();
    this._options = options;
    this.addClass('jp-SageMakerJumpStart');
    this.node.dataset.testid = 'sagemaker-studio-jumpstart-catalog';
  }

  /** Render; re-rendered on every model change. */
  render(): JSX.Element {
    return (
      <UseSignal signal={this._options.model.changed}>
        {() => <Catalog {...this._options} />}
      </UseSignal>
    );
  }

  private _options: CatalogView.IOptions;
}

/** Types of {@link CatalogView}. */
export namespace CatalogView {
  /** Options of the view. */
  export interface IOptions {
    /** The catalog state. */
    model: JumpStartModel;
    /** Translations. */
    trans: TranslationBundle;
    /** Opens the card of a model. */
    onOpen: (modelId: string) => void;
  }
}

/** Controls, summary, then loading, error, empty or the list. */
function Catalog(props: CatalogView.IOptions): JSX.Element {
  const { model, trans } = props;
  let body: JSX.Element;
  if (model.status === 'idle' || model.status === 'loading') {
    body = (
      <div className="jp-SageMakerJumpStart-loading" role="status">
        {trans.__('Loading the JumpStart catalog…')}
      </div>
    );
  } else if (model.status === 'error') {
    body = (
      <ErrorState
        className="jp-SageMakerJumpStart-error"
        testId="sagemaker-studio-jumpstart-error"
        message={model.error}
        onRetry={() => void model.refresh()}
        busy={model.isRefreshing}
        trans={trans}
      />
    );
  } else if (model.results.length === 0) {
    body = (
      <div className="jp-SageMakerJumpStart-empty">
        <p>{trans.__('No model matches the search and filters.')}</p>
        {model.scan && (
          <p>
            {trans.__(
              'Still reading the details of the models (fine-tuning and access are in each model’s spec file).'
            )}
          </p>
        )}
      </div>
    );
  } else {
    body = <ModelList {...props} />;
  }
  return (
    <>
      <Controls {...props} />
      <div className="jp-SageMakerJumpStart-summary">
        <span data-testid="sagemaker-studio-jumpstart-count">
          {model.status === 'ready'
            ? trans._n(
                '%2 of %1 model',
                '%2 of %1 models',
                model.total,
                model.results.length
              )
            : ''}
        </span>
        <UpdatedAgo
          updatedAt={model.updatedAt}
          loading={model.isRefreshing}
          trans={trans}
          className="jp-SageMakerJumpStart-updated"
        />
        <button
          className="jp-SageMakerJumpStart-refresh jp-mod-minimal jp-Button"
          data-testid="sagemaker-studio-jumpstart-refresh"
          title={trans.__('Fetch the JumpStart catalog again')}
          aria-label={trans.__('Refresh the JumpStart catalog')}
          disabled={model.isRefreshing}
          onClick={() => void model.refresh()}
        >
          <refreshIcon.react tag="span" />
        </button>
      </div>
      {model.scan && (
        <div
          className="jp-SageMakerJumpStart-scan"
          role="status"
          data-testid="sagemaker-studio-jumpstart-scan"
        >
          {trans.__(
            'Reading model details: %1 of %2…',
            model.scan.done,
            model.scan.total
          )}
        </div>
      )}
      {model.status === 'ready' && model.error && (
        <div className="jp-SageMakerJumpStart-stale" role="alert">
          {model.error}
        </div>
      )}
      {body}
    </>
  );
}

/** Search box, task, framework and sort menus, and the fine-tunable toggle. */
function Controls({ model, trans }: CatalogView.IOptions): JSX.Element {
  const q = model.query;
  return (
    <div className="jp-SageMakerJumpStart-controls">
      <input
        type="search"
        className="jp-SageMakerJumpStart-search"
        data-testid="sagemaker-studio-jumpstart-search"
        placeholder={trans.__('Search models')}
        aria-label={trans.__('Search models by id, provider, task or keyword')}
        value={q.text}
        onChange={event => model.setQuery({ text: event.currentTarget.value })}
      />
      <div className="jp-SageMakerJumpStart-controlRow">
        <select
          className="jp-SageMakerJumpStart-task"
          data-testid="sagemaker-studio-jumpstart-task"
          aria-label={trans.__('Task')}
          value={q.task ?? ''}
          onChange={event =>
            model.setQuery({ task: event.currentTarget.value || null })
          }
        >
          <option value="">{trans.__('All tasks')}</option>
          <Options values={model.tasks} />
        </select>
        <select
          className="jp-SageMakerJumpStart-framework"
          data-testid="sagemaker-studio-jumpstart-framework"
          aria-label={trans.__('Framework')}
          value={q.framework ?? ''}
          onChange={event =>
            model.setQuery({ framework: event.currentTarget.value || null })
          }
        >
          <option value="">{trans.__('All frameworks')}</option>
          <Options values={model.frameworks} />
        </select>
      </div>
      <div className="jp-SageMakerJumpStart-controlRow">
        <select
          className="jp-SageMakerJumpStart-sort"
          data-testid="sagemaker-studio-jumpstart-sort"
          aria-label={trans.__('Sort models')}
          value={`${q.sort.by}-${q.sort.order}`}
          onChange={event => {
            const [by, order] = event.currentTarget.value.split('-');
            model.setQuery({
              sort: {
                by: by as 'name' | 'task' | 'framework',
                order: order as 'asc' | 'desc'
              }
            });
          }}
        >
          <option value="name-asc">{trans.__('Name (A–Z)')}</option>
          <option value="name-desc">{trans.__('Name (Z–A)')}</option>
          <option value="task-asc">{trans.__('Task')}</option>
          <option value="framework-asc">{trans.__('Framework')}</option>
        </select>
        <select
          className="jp-SageMakerJumpStart-access"
          data-testid="sagemaker-studio-jumpstart-access"
          aria-label={trans.__('Access')}
          value={q.access}
          onChange={event =>
            model.setQuery({
              access: event.currentTarget.value as 'all' | 'open' | 'gated'
            })
          }
        >
          <option value="all">{trans.__('Open and gated')}</option>
          <option value="open">{trans.__('Open only')}</option>
          <option value="gated">{trans.__('Gated (EULA) only')}</option>
        </select>
        <label
          className="jp-SageMakerJumpStart-fineTunable"
          title={trans.__(
            'Whether a model can be fine-tuned is in its spec file; the specs are read when this is ticked.'
          )}
        >
          <input
            type="checkbox"
            data-testid="sagemaker-studio-jumpstart-fine-tunable"
            checked={q.fineTunableOnly}
            onChange={event =>
              model.setQuery({ fineTunableOnly: event.currentTarget.checked })
            }
          />
          {trans.__('Fine-tunable only')}
        </label>
      </div>
    </div>
  );
}

/** The options of a menu; the lists stay the same while the catalog does, so typing does not render them again. */
const Options = React.memo(
  ({ values }: { values: ReadonlyArray<string> }): JSX.Element => {
    return (
      <>
        {values.map(value => (
          <option key={value} value={value}>
            {value}
          </option>
        ))}
      </>
    );
  }
);

/** Height of one list row in px (CSS gives rows this height). */
const ROW_HEIGHT = 44;

/** What every windowed row reads. */
interface IRowData extends CatalogView.IOptions {
  rows: ReadonlyArray<ICatalogModel>;
}

/** The models, windowed so the whole catalog (over a thousand models) stays smooth. */
function ModelList(props: CatalogView.IOptions): JSX.Element {
  const [box, height] = useHeight();
  const rows = props.model.results;
  // A stable object while the results stay the same, so rows that did not change are not rendered again.
  const itemData = React.useMemo<IRowData>(
    () => ({ ...props, rows }),
    [rows, props.model, props.trans, props.onOpen]
  );
  return (
    <div
      ref={box}
      className="jp-SageMakerJumpStart-list"
      data-testid="sagemaker-studio-jumpstart-list"
    >
      <FixedSizeList
        height={height}
        width="100%"
        itemCount={rows.length}
        itemSize={ROW_HEIGHT}
        itemData={itemData}
        itemKey={(index, data: IRowData) => data.rows[index].id}
        overscanCount={4}
        innerElementType={ListInner}
      >
        {ModelRow}
      </FixedSizeList>
    </div>
  );
}

/** The scrolled element of the list, with its ARIA role. */
const ListInner = React.forwardRef<
  HTMLDivElement,
  React.HTMLAttributes<HTMLDivElement>
>((props, ref) => {
  return <div ref={ref} role="list" {...props} />;
});

/** One model: id, then task, framework and version, and a badge when it is known to be fine-tunable. */
const ModelRow = React.memo(
  ({ index, style, data }: ListChildComponentProps<IRowData>): JSX.Element => {
    const { trans, onOpen } = data;
    const m = data.rows[index];
    const facts = [m.task, m.framework, m.latest.version].filter(
      (f): f is string => !!f
    );
    return (
      <div style={style} role="listitem" className="jp-SageMakerJumpStart-item">
        <button
          className="jp-SageMakerJumpStart-row"
          data-testid="sagemaker-studio-jumpstart-row"
          data-model-id={m.id}
          title={trans.__('Open the card of %1', m.id)}
          onClick={() => onOpen(m.id)}
        >
          <span className="jp-SageMakerJumpStart-rowId">{m.id}</span>
          <span className="jp-SageMakerJumpStart-rowFacts">
            {facts.join(' · ')}
            {m.fineTunable === true && (
              <span className="jp-SageMakerJumpStart-badge">
                {trans.__('Fine-tunable')}
              </span>
            )}
            {m.gated === true && (
              <span className="jp-SageMakerJumpStart-badge">
                {trans.__('Gated')}
              </span>
            )}
          </span>
        </button>
      </div>
    );
  },
  areEqual
);
