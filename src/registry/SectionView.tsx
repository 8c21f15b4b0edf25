/**
 * Rendering of one generic registry section: search box, sort control, count and "updated N s ago", the rows
 * (name, status, created) paged in as the user scrolls, and empty and error states. Reads the model only.
 */
import { Time } from '@jupyterlab/coreutils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';
import {
  FixedSizeList,
  type ListChildComponentProps,
  type ListOnItemsRenderedProps
} from 'react-window';

import { UpdatedAgo } from './EndpointsView';
import { ErrorState } from './ErrorState';
import { SectionModel } from './section';
import type { ISectionDescriptor } from './sections';

/** The widget of one section. */
export class SectionView extends ReactWidget {
  /** Create the view of a model. */
  constructor(options: SectionView.IOptions) {
    super();
    this._model = options.model;
    this._descriptor = options.descriptor;
    this._trans = options.trans;
    this._onOpen = options.onOpen ?? null;
    this.addClass('jp-SageMakerRegistry');
    this.addClass('jp-SageMakerRegistry-sectionView');
    this.node.dataset.testid = `sagemaker-studio-${options.descriptor.id}`;
  }

  /** Render; re-rendered on every model change. */
  render(): JSX.Element {
    return (
      <UseSignal signal={this._model.changed}>
        {() => (
          <Section
            model={this._model}
            descriptor={this._descriptor}
            trans={this._trans}
            onOpen={this._onOpen}
          />
        )}
      </UseSignal>
    );
  }

  private _model: SectionModel;
  private _descriptor: ISectionDescriptor;
  private _trans: TranslationBundle;
  private _onOpen: ((row: SectionModel.IRow) => void) | null;
}

/** Types of {@link SectionView}. */
export namespace SectionView {
  /** Options of the view. */
  export interface IOptions {
    /** The section's list. */
    model: SectionModel;
    /** What the section lists and how it is worded. */
    descriptor: ISectionDescriptor;
    /** Translations. */
    trans: TranslationBundle;
    /** Opens a row's detail tab; rows are plain text without it. */
    onOpen?: (row: SectionModel.IRow) => void;
  }
}

/** Props of the section components. */
interface ISectionProps {
  model: SectionModel;
  descriptor: ISectionDescriptor;
  trans: TranslationBundle;
  onOpen: ((row: SectionModel.IRow) => void) | null;
}

/** The whole section: controls, then the state-dependent body. */
function Section(props: ISectionProps): JSX.Element {
  return (
    <>
      {!props.descriptor.countOnly && <Controls {...props} />}
      <Body {...props} />
    </>
  );
}

/** Search box and sort control. */
function Controls({ model, descriptor, trans }: ISectionProps): JSX.Element {
  const sortValue = `${model.sort.by}-${model.sort.order}`;
  return (
    <div className="jp-SageMakerRegistry-controls">
      <input
        type="search"
        className="jp-SageMakerRegistry-search"
        data-testid={`sagemaker-studio-${descriptor.id}-search`}
        placeholder={trans.__('Search by name')}
        aria-label={trans.__('Search %1 by name', descriptor.label)}
        value={model.search}
        onChange={event => model.setSearch(event.currentTarget.value)}
      />
      <select
        className="jp-SageMakerRegistry-sort"
        data-testid={`sagemaker-studio-${descriptor.id}-sort`}
        aria-label={trans.__('Sort %1', descriptor.label)}
        value={sortValue}
        onChange={event => {
          const [by, order] = event.currentTarget.value.split('-');
          model.setSort({
            by: by as SectionModel.SortKey,
            order: order as 'asc' | 'desc'
          });
        }}
      >
        <option value="name-asc">{trans.__('Name (A–Z)')}</option>
        <option value="name-desc">{trans.__('Name (Z–A)')}</option>
        <option value="created-desc">{trans.__('Newest first')}</option>
        <option value="created-asc">{trans.__('Oldest first')}</option>
      </select>
    </div>
  );
}

/** Loading, error, empty, count-only or the rows. */
function Body(props: ISectionProps): JSX.Element {
  const { model, descriptor, trans } = props;
  const retry = () => void model.refresh();
  if (
    model.status === 'idle' ||
    (model.status === 'loading' && model.updatedAt === null)
  ) {
    return (
      <div className="jp-SageMakerRegistry-sectionLoading" role="status">
        {trans.__('Loading…')}
      </div>
    );
  }
  if (model.status === 'error') {
    return (
      <ErrorState
        className="jp-SageMakerRegistry-sectionError"
        testId={`sagemaker-studio-${descriptor.id}-error`}
        message={model.error}
        onRetry={retry}
        busy={model.isLoading}
        trans={trans}
      />
    );
  }
  const rows = model.items;
  const total = model.loaded.length;
  const summary = (
    <div className="jp-SageMakerRegistry-summary">
      <span
        className="jp-SageMakerRegistry-sectionCount"
        data-testid={`sagemaker-studio-${descriptor.id}-count`}
      >
        {descriptor.countOnly || rows.length === total
          ? descriptor.count(total)
          : trans.__('%1 of %2 shown', rows.length, descriptor.count(total))}
        {model.hasMore ? ` ${trans.__('(more on the server)')}` : ''}
      </span>
      <UpdatedAgo
        updatedAt={model.updatedAt}
        loading={model.isLoading}
        trans={trans}
        className="jp-SageMakerRegistry-sectionUpdated"
      />
    </div>
  );
  if (descriptor.countOnly) {
    return summary;
  }
  let content: JSX.Element;
  if (total === 0 && !model.search) {
    content = (
      <div className="jp-SageMakerRegistry-sectionEmpty">
        <p>{trans.__('Nothing here yet.')}</p>
        <p>{descriptor.emptyHint}</p>
      </div>
    );
  } else if (rows.length === 0 && !model.hasMore) {
    content = (
      <div className="jp-SageMakerRegistry-sectionEmpty">
        <p>{trans.__('No name contains “%1”.', model.search)}</p>
        <p>{trans.__('Change or clear the search.')}</p>
      </div>
    );
  } else {
    content = <Rows {...props} />;
  }
  return (
    <>
      {summary}
      {content}
      {model.error && (
        <div className="jp-SageMakerRegistry-sectionError" role="alert">
          <p>{model.error}</p>
        </div>
      )}
    </>
  );
}

/** Height of one row in px; fixed so the list can be windowed (CSS gives rows the same height). */
const ROW_HEIGHT = 26;

/** Rows rendered beyond the visible ones, so short lists render whole and fast scrolling shows no gaps. */
const OVERSCAN = 20;

/** Fetch the next page once the last visible row is this close to the end of what is loaded. */
const LOAD_MORE_ROWS = 10;

/** What every windowed row reads. */
interface IRowData {
  rows: ReadonlyArray<SectionModel.IRow>;
  model: SectionModel;
  trans: TranslationBundle;
  onOpen: ((row: SectionModel.IRow) => void) | null;
}

/**
 * The rows, windowed with react-window (only those in view, plus an overscan, are in the DOM, so 10,000 rows
 * stay smooth), fetching the next page when scrolled near the end.
 */
function Rows({
  model,
  descriptor,
  trans,
  onOpen
}: ISectionProps): JSX.Element {
  const [box, height] = useHeight();
  const rows = model.items;
  const count = rows.length + (model.hasMore ? 1 : 0);
  const onItemsRendered = ({ visibleStopIndex }: ListOnItemsRenderedProps) => {
    if (visibleStopIndex >= rows.length - LOAD_MORE_ROWS) {
      void model.loadMore();
    }
  };
  const itemData = React.useMemo<IRowData>(
    () => ({ rows, model, trans, onOpen }),
    [rows, model, trans, onOpen, model.hasMore, model.isLoading]
  );
  return (
    <div
      ref={box}
      className="jp-SageMakerRegistry-sectionList"
      data-testid={`sagemaker-studio-${descriptor.id}-list`}
    >
      <FixedSizeList
        className="jp-SageMakerRegistry-sectionScroller"
        innerElementType="ul"
        height={height}
        width="100%"
        itemCount={count}
        itemSize={ROW_HEIGHT}
        itemData={itemData}
        itemKey={(index, data: IRowData) =>
          index < data.rows.length
            ? data.rows[index].arn || data.rows[index].name
            : 'jp-SageMakerRegistry-more'
        }
        overscanCount={OVERSCAN}
        onItemsRendered={onItemsRendered}
      >
        {Row}
      </FixedSizeList>
    </div>
  );
}

/** One windowed row, or the "Load more" row after the last loaded one. */
function Row({
  index,
  style,
  data
}: ListChildComponentProps<IRowData>): JSX.Element {
  const { rows, model, trans, onOpen } = data;
  if (index >= rows.length) {
    return (
      <li className="jp-SageMakerRegistry-more" style={style}>
        <button
          className="jp-mod-styled jp-SageMakerRegistry-moreButton"
          onClick={() => void model.loadMore()}
          disabled={model.isLoading}
        >
          {model.isLoading ? trans.__('Loading…') : trans.__('Load more')}
        </button>
      </li>
    );
  }
  const row = rows[index];
  return (
    <li
      className="jp-SageMakerRegistry-row"
      style={style}
      data-name={row.name}
      data-status={row.status ?? ''}
      title={row.arn}
    >
      {onOpen ? (
        <button
          className="jp-SageMakerRegistry-rowName jp-SageMakerRegistry-rowOpen"
          title={trans.__('Open %1', row.name)}
          onClick={() => onOpen(row)}
        >
          {row.name}
        </button>
      ) : (
        <span className="jp-SageMakerRegistry-rowName">{row.name}</span>
      )}
      {row.status !== null && (
        <span
          className={`jp-SageMakerRegistry-badge ${badgeClass(row.status)}`}
        >
          {resourceStatusLabel(row.status, trans)}
        </span>
      )}
      <span
        className="jp-SageMakerRegistry-rowCreated"
        title={
          row.created !== null ? new Date(row.created).toLocaleString() : ''
        }
      >
        {row.created !== null ? Time.formatHuman(new Date(row.created)) : ''}
      </span>
    </li>
  );
}

/**
 * A ref for an element and its current height, kept up to date as the accordion or tab resizes it; measured before
 * paint, so a windowed list's first rows show in the first frame.
 */
export function useHeight(): [React.RefObject<HTMLDivElement>, number] {
  const ref = React.useRef<HTMLDivElement>(null);
  const [height, setHeight] = React.useState(0);
  React.useLayoutEffect(() => {
    const node = ref.current;
    if (!node) {
      return;
    }
    setHeight(node.clientHeight);
    if (typeof ResizeObserver === 'undefined') {
      // Old browsers and test DOMs: the first measure has to do.
      return;
    }
    const observer = new ResizeObserver(() => setHeight(node.clientHeight));
    observer.observe(node);
    return () => observer.disconnect();
  }, []);
  return [ref, height];
}

/** The translated label of the status values the generic sections meet. */
export function resourceStatusLabel(
  status: string,
  trans: TranslationBundle
): string {
  switch (status) {
    case 'Pending':
      return trans.__('Pending');
    case 'InProgress':
      return trans.__('In progress');
    case 'Completed':
      return trans.__('Completed');
    case 'InService':
      return trans.__('In service');
    case 'Active':
      return trans.__('Active');
    case 'Succeeded':
      return trans.__('Succeeded');
    case 'Failed':
      return trans.__('Failed');
    case 'Creating':
      return trans.__('Creating');
    case 'Created':
      return trans.__('Created');
    case 'Deleting':
      return trans.__('Deleting');
    case 'DeleteFailed':
      return trans.__('Delete failed');
    case 'CreateFailed':
      return trans.__('Create failed');
    case 'CreateInProgress':
      return trans.__('Creating');
    case 'CreateCompleted':
      return trans.__('Created');
    case 'DeleteInProgress':
      return trans.__('Deleting');
    case 'DeleteCompleted':
      return trans.__('Deleted');
    case 'UpdateInProgress':
      return trans.__('Updating');
    case 'UpdateCompleted':
      return trans.__('Updated');
    case 'UpdateFailed':
      return trans.__('Update failed');
    default:
      return status;
  }
}

/** The badge colour class of a status value. */
export function badgeClass(status: string): string {
  if (/Failed$|^Rejected$/.test(status)) {
    return 'jp-mod-bad';
  }
  if (
    /^(Completed|Created|CreateCompleted|UpdateCompleted|InService|Active|Succeeded|Approved)$/.test(
      status
    )
  ) {
    return 'jp-mod-ok';
  }
  return 'jp-mod-busy';
}
