/**
 * The tab of a model package group: what the group is, then its versions in a windowed, sortable, filterable
 * table paged in as the user scrolls; a version opens its own tab. Reads the models of `modelRegistry.ts` only.
 */
import '../../../style/modelRegistry.css';
import { Time } from '@jupyterlab/coreutils';
import type { TranslationBundle } from '@jupyterlab/translation';
import {
  ReactWidget,
  refreshIcon,
  ToolbarButton,
  UseSignal
} from '@jupyterlab/ui-components';
import { Panel } from '@lumino/widgets';
import * as React from 'react';
import {
  FixedSizeList,
  type ListChildComponentProps,
  type ListOnItemsRenderedProps
} from 'react-window';

import { ErrorState } from '../ErrorState';
import { useHeight } from '../SectionView';
import {
  DetailFrame,
  DetailSection,
  Fields,
  StatusBadge,
  When
} from './components';
import {
  groupModel,
  type GroupInfo,
  type IVersionRow,
  parseModelPackageArn,
  VersionsModel
} from './modelRegistry';
import type { ResourceModel } from './resource';
import type {
  IDetailContent,
  IDetailContext,
  IResourceChange,
  IResourceRef
} from './types';
import { ApprovalBadge, authorLabel } from './modelPackage';

/** Build the tab of a model package group. */
export function createDetail(ctx: IDetailContext): IDetailContent {
  const describeError = (err: unknown) => ctx.connection.describeError(err);
  const client = () => ctx.connection.sagemaker();
  const group = groupModel(client, ctx.resource.name, describeError);
  const versions = new VersionsModel({
    client,
    groupName: ctx.resource.name,
    describeError
  });
  const content = new ModelPackageGroupView({
    group,
    versions,
    trans: ctx.trans,
    open: ref => ctx.open(ref)
  });

  const onChange = (_: unknown, change: IResourceChange) => {
    if (change.kind === 'model-package') {
      const parsed = parseModelPackageArn(change.name);
      if (
        parsed &&
        parsed.group.toLowerCase() === ctx.resource.name.toLowerCase()
      ) {
        if (change.change === 'updated') {
          void versions.updateRow(change.name);
        } else {
          void versions.refresh();
        }
      }
    } else if (
      change.kind === 'model-package-group' &&
      change.name.toLowerCase() === ctx.resource.name.toLowerCase()
    ) {
      void group.refresh();
      void versions.refresh();
    }
  };
  ctx.changes.connect(onChange);
  content.disposed.connect(() => {
    ctx.changes.disconnect(onChange);
    group.dispose();
    versions.dispose();
  });

  const refresh = new ToolbarButton({
    icon: refreshIcon,
    tooltip: ctx.trans.__('Fetch the group and its versions again'),
    onClick: () => {
      void group.refresh();
      void versions.refresh();
    }
  });
  void group.refresh();
  void versions.refresh();
  return {
    content,
    label: ctx.resource.name,
    toolbar: [{ name: 'refresh', widget: refresh }]
  };
}

/** The tab's content: the group's fields above its versions table. */
export class ModelPackageGroupView extends Panel {
  /** Create the view. */
  constructor(options: ModelPackageGroupView.IOptions) {
    super();
    this.addClass('jp-SageMakerModelRegistry');
    this.addClass('jp-SageMakerModelRegistry-group');
    this.node.dataset.testid = 'sagemaker-studio-model-package-group';
    const { group, versions, trans, open } = options;
    this.addWidget(
      ReactWidget.create(
        <UseSignal signal={group.changed}>
          {() => <GroupHeader model={group} trans={trans} />}
        </UseSignal>
      )
    );
    const table = ReactWidget.create(
      <UseSignal signal={versions.changed}>
        {() => <VersionsTable model={versions} trans={trans} open={open} />}
      </UseSignal>
    );
    table.addClass('jp-SageMakerModelRegistry-versionsBox');
    this.addWidget(table);
  }
}

/** Types of {@link ModelPackageGroupView}. */
export namespace ModelPackageGroupView {
  /** Options of the view. */
  export interface IOptions {
    /** The group's description. */
    group: ResourceModel<GroupInfo>;
    /** Its versions. */
    versions: VersionsModel;
    /** Translations. */
    trans: TranslationBundle;
    /** Opens another resource's tab. */
    open: (ref: IResourceRef) => void;
  }
}

/** Name, ARN, description, created, created by, status. */
function GroupHeader({
  model,
  trans
}: {
  model: ResourceModel<GroupInfo>;
  trans: TranslationBundle;
}): JSX.Element {
  return (
    <DetailFrame model={model} trans={trans}>
      {group => (
        <DetailSection title={trans.__('Model group')} testId="group-info">
          <Fields
            fields={[
              [trans.__('Name'), group.ModelPackageGroupName],
              [
                trans.__('ARN'),
                <code key="arn" className="jp-SageMakerModelRegistry-arn">
                  {group.ModelPackageGroupArn}
                </code>
              ],
              [trans.__('Description'), group.ModelPackageGroupDescription],
              [trans.__('Created'), <When key="c" date={group.CreationTime} />],
              [trans.__('Created by'), authorLabel(group.CreatedBy, trans)],
              [
                trans.__('Status'),
                <StatusBadge
                  key="s"
                  status={group.ModelPackageGroupStatus}
                  trans={trans}
                />
              ]
            ]}
          />
        </DetailSection>
      )}
    </DetailFrame>
  );
}

/** Height of one table row in px (fixed so the table can be windowed; the CSS gives rows this height). */
const ROW_HEIGHT = 30;

/** Rows rendered beyond those in view. */
const OVERSCAN = 10;

/** Fetch the next page once the last row in view is this close to the end of what is loaded. */
const LOAD_MORE_ROWS = 20;

/** The columns, in order, with the sort key of those that sort. */
const COLUMNS: Array<{
  id: string;
  sort: VersionsModel.SortKey | null;
  label: (trans: TranslationBundle) => string;
}> = [
  { id: 'version', sort: 'version', label: t => t.__('Version') },
  { id: 'status', sort: 'status', label: t => t.__('Status') },
  { id: 'approval', sort: 'approval', label: t => t.__('Approval') },
  { id: 'created', sort: 'created', label: t => t.__('Created') },
  { id: 'author', sort: null, label: t => t.__('Author') },
  { id: 'description', sort: null, label: t => t.__('Description') }
];

/** What every windowed row reads. */
interface IRowData {
  rows: ReadonlyArray<IVersionRow>;
  model: VersionsModel;
  trans: TranslationBundle;
  open: (ref: IResourceRef) => void;
}

/** Filter box, count, sortable header and the windowed rows. */
function VersionsTable({
  model,
  trans,
  open
}: {
  model: VersionsModel;
  trans: TranslationBundle;
  open: (ref: IResourceRef) => void;
}): JSX.Element {
  const [box, height] = useHeight();
  const rows = model.items;
  // A new object on every model change: authors live in the model, not in the rows, and must show when they arrive.
  const itemData: IRowData = { rows, model, trans, open };
  const onItemsRendered = ({
    visibleStartIndex,
    visibleStopIndex
  }: ListOnItemsRenderedProps) => {
    if (visibleStopIndex >= rows.length - LOAD_MORE_ROWS) {
      void model.loadMore();
    }
    model.requestAuthors(
      rows.slice(visibleStartIndex, visibleStopIndex + 1).map(r => r.arn)
    );
  };
  const total = model.loaded.length;
  let body: JSX.Element;
  if (model.status === 'idle' || (model.status === 'loading' && total === 0)) {
    body = (
      <div className="jp-SageMakerModelRegistry-loading" role="status">
        {trans.__('Loading versions…')}
      </div>
    );
  } else if (model.status === 'error') {
    body = (
      <ErrorState
        className="jp-SageMakerModelRegistry-error"
        message={model.error}
        onRetry={() => void model.refresh()}
        busy={model.isLoading}
        trans={trans}
      />
    );
  } else if (total === 0) {
    body = (
      <div className="jp-SageMakerModelRegistry-empty">
        {trans.__(
          'This group has no versions yet. Register a model (CreateModelPackage with this group name) to add one.'
        )}
      </div>
    );
  } else if (rows.length === 0) {
    body = (
      <div className="jp-SageMakerModelRegistry-empty">
        {trans.__(
          'No loaded version matches “%1”. Change or clear the filter.',
          model.filter
        )}
      </div>
    );
  } else {
    body = (
      <FixedSizeList
        className="jp-SageMakerModelRegistry-scroller"
        height={Math.max(height - ROW_HEIGHT, ROW_HEIGHT)}
        width="100%"
        itemCount={rows.length}
        itemSize={ROW_HEIGHT}
        itemData={itemData}
        itemKey={(index, data: IRowData) => data.rows[index].arn}
        overscanCount={OVERSCAN}
        onItemsRendered={onItemsRendered}
      >
        {VersionRow}
      </FixedSizeList>
    );
  }
  return (
    <div className="jp-SageMakerModelRegistry-versions">
      <h3>{trans.__('Versions')}</h3>
      <div className="jp-SageMakerModelRegistry-controls">
        <input
          type="search"
          className="jp-SageMakerModelRegistry-filter"
          data-testid="sagemaker-studio-versions-filter"
          placeholder={trans.__('Filter by version, approval, status…')}
          aria-label={trans.__('Filter the loaded versions')}
          value={model.filter}
          onChange={event => model.setFilter(event.currentTarget.value)}
        />
        <span
          className="jp-SageMakerModelRegistry-count"
          data-testid="sagemaker-studio-versions-count"
        >
          {rows.length === total
            ? trans._n('%1 version', '%1 versions', total)
            : trans.__('%1 of %2 loaded versions', rows.length, total)}
          {model.hasMore ? ` ${trans.__('(more on the server)')}` : ''}
          {model.isLoading && total > 0 ? ` ${trans.__('Loading…')}` : ''}
        </span>
      </div>
      {model.error && model.status !== 'error' && (
        <div className="jp-SageMakerModelRegistry-error" role="alert">
          {model.error}
        </div>
      )}
      <div
        className="jp-SageMakerModelRegistry-table"
        role="table"
        aria-label={trans.__('Versions of %1', model.groupName)}
        aria-rowcount={rows.length + 1}
        ref={box}
      >
        <div className="jp-SageMakerModelRegistry-header" role="row">
          {COLUMNS.map(column => (
            <HeaderCell
              key={column.id}
              column={column}
              model={model}
              trans={trans}
            />
          ))}
        </div>
        {body}
      </div>
    </div>
  );
}

/** A column header; a sortable one is a button toggling the order. */
function HeaderCell({
  column,
  model,
  trans
}: {
  column: (typeof COLUMNS)[number];
  model: VersionsModel;
  trans: TranslationBundle;
}): JSX.Element {
  const className = `jp-SageMakerModelRegistry-cell jp-SageMakerModelRegistry-col-${column.id}`;
  if (column.sort === null) {
    return (
      <div role="columnheader" className={className}>
        {column.label(trans)}
      </div>
    );
  }
  const active = model.sort.by === column.sort;
  const order = active ? model.sort.order : null;
  const key = column.sort;
  return (
    <div
      role="columnheader"
      className={className}
      aria-sort={
        order === 'asc' ? 'ascending' : order === 'desc' ? 'descending' : 'none'
      }
    >
      <button
        className="jp-SageMakerModelRegistry-sortButton"
        data-sort={key}
        title={trans.__('Sort by %1', column.label(trans))}
        onClick={() =>
          model.setSort({
            by: key,
            order: active && order === 'desc' ? 'asc' : 'desc'
          })
        }
      >
        {column.label(trans)}
        {order === 'asc' ? ' ▲' : order === 'desc' ? ' ▼' : ''}
      </button>
    </div>
  );
}

/** One windowed version row. */
function VersionRow({
  index,
  style,
  data
}: ListChildComponentProps<IRowData>): JSX.Element {
  const { rows, model, trans, open } = data;
  const row = rows[index];
  const author = model.author(row.arn);
  return (
    <div
      className="jp-SageMakerModelRegistry-row"
      role="row"
      style={style}
      data-version={row.version ?? ''}
      data-approval={row.approval ?? ''}
    >
      <div
        role="cell"
        className="jp-SageMakerModelRegistry-cell jp-SageMakerModelRegistry-col-version"
      >
        <button
          className="jp-SageMakerModelRegistry-open"
          title={trans.__('Open version %1', String(row.version ?? ''))}
          onClick={() => open({ kind: 'model-package', name: row.arn })}
        >
          {row.version ?? '—'}
        </button>
      </div>
      <div
        role="cell"
        className="jp-SageMakerModelRegistry-cell jp-SageMakerModelRegistry-col-status"
      >
        <StatusBadge status={row.status} trans={trans} />
      </div>
      <div
        role="cell"
        className="jp-SageMakerModelRegistry-cell jp-SageMakerModelRegistry-col-approval"
      >
        <ApprovalBadge status={row.approval} trans={trans} />
      </div>
      <div
        role="cell"
        className="jp-SageMakerModelRegistry-cell jp-SageMakerModelRegistry-col-created"
        title={
          row.created !== null ? new Date(row.created).toLocaleString() : ''
        }
      >
        {row.created !== null ? Time.formatHuman(new Date(row.created)) : '—'}
      </div>
      <div
        role="cell"
        className="jp-SageMakerModelRegistry-cell jp-SageMakerModelRegistry-col-author"
      >
        {author === undefined ? '…' : (author ?? '—')}
      </div>
      <div
        role="cell"
        className="jp-SageMakerModelRegistry-cell jp-SageMakerModelRegistry-col-description"
        title={row.description}
      >
        {row.description}
      </div>
    </div>
  );
}
