/**
 * The run table of one experiment (a main-area tab): a toolbar (filter, column chooser, show jobs, refresh, counts,
 * Compare), sortable column headers, and the rows windowed with react-window so thousands of runs with dozens of
 * columns scroll smoothly. Reads the model only; Compare executes another plugin's command.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, refreshIcon, UseSignal } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import * as React from 'react';
import {
  areEqual,
  FixedSizeList,
  type ListChildComponentProps
} from 'react-window';

import { UpdatedAgo } from '../registry/EndpointsView';
import { ErrorState } from '../registry/ErrorState';
import { badgeClass, useHeight } from '../registry/SectionView';
import { runStatusLabel } from './ExperimentsPanel';
import { RunTableModel } from './model';
import { Field, fieldKey, fieldLabel, fieldValue, IRun } from './types';

/** Id of the command comparing runs (another plugin implements it; args `{experiment, runs}`). */
export const COMPARE_RUNS_COMMAND = 'sagemaker-studio:compare-runs';

/** The run table widget. */
export class RunTableView extends ReactWidget {
  /** Create the view of a model. */
  constructor(options: RunTableView.IOptions) {
    super();
    this._options = options;
    this.addClass('jp-SageMakerRunTable');
    this.node.dataset.testid = 'sagemaker-studio-runs';
  }

  /** The table's model. */
  get model(): RunTableModel {
    return this._options.model;
  }

  /** Render; re-rendered on every model change and when the Compare command comes or goes. */
  render(): JSX.Element {
    const { model, commands } = this._options;
    return (
      <UseSignal signal={commands.commandChanged}>
        {() => (
          <UseSignal signal={model.changed}>
            {() => <RunTable {...this._options} />}
          </UseSignal>
        )}
      </UseSignal>
    );
  }

  private _options: RunTableView.IOptions;
}

/** Types of {@link RunTableView}. */
export namespace RunTableView {
  /** Options of the view. */
  export interface IOptions {
    /** The runs, columns, sort, filter and selection. */
    model: RunTableModel;
    /** Translations. */
    trans: TranslationBundle;
    /** Where the Compare command is executed. */
    commands: CommandRegistry;
    /** Turns a rejection of the Compare command into a sentence. */
    describeError: (err: unknown) => string;
    /** The compare command id (default {@link COMPARE_RUNS_COMMAND}). */
    compareCommand?: string;
  }
}

/** Toolbar, then loading, error, empty or the grid. */
function RunTable(props: RunTableView.IOptions): JSX.Element {
  const { model, trans } = props;
  let body: JSX.Element;
  // 'loading' only until the first page of a fetch arrives (a refresh of shown rows stays 'ready').
  if (model.status === 'idle' || model.status === 'loading') {
    body = (
      <div className="jp-SageMakerRunTable-loading" role="status">
        {trans.__('Loading runs…')}
      </div>
    );
  } else if (model.status === 'error') {
    body = (
      <ErrorState
        className="jp-SageMakerRunTable-error"
        testId="sagemaker-studio-runs-error"
        message={model.error}
        onRetry={() => void model.refresh()}
        busy={model.isLoading}
        trans={trans}
      />
    );
  } else {
    body = <Grid {...props} />;
  }
  return (
    <>
      <Toolbar {...props} />
      {model.status !== 'error' && model.error && (
        // Later pages failed: the first ones show, with what went wrong and a retry.
        <ErrorState
          className="jp-SageMakerRunTable-error jp-mod-partial"
          testId="sagemaker-studio-runs-error"
          message={model.error}
          onRetry={() => void model.refresh()}
          busy={model.isLoading}
          trans={trans}
        />
      )}
      {body}
    </>
  );
}

/** Filter, columns, show jobs, refresh, counts and Compare. */
function Toolbar(props: RunTableView.IOptions): JSX.Element {
  const { model, trans, commands, describeError } = props;
  const compareCommand = props.compareCommand ?? COMPARE_RUNS_COMMAND;
  const [compareError, setCompareError] = React.useState<string | null>(null);
  const [comparing, setComparing] = React.useState(false);
  const available = commands.hasCommand(compareCommand);
  const selected = model.selection.size;
  const compareTitle = !available
    ? trans.__('Comparing runs is not available in this JupyterLab.')
    : selected === 0
      ? trans.__('Select runs to compare.')
      : trans._n(
          'Compare the selected run',
          'Compare the %1 selected runs',
          selected
        );
  const compare = async () => {
    setCompareError(null);
    setComparing(true);
    try {
      const names = model.selectedNames;
      const selected = new Set(names);
      await commands.execute(compareCommand, {
        experiment: model.experimentName,
        runs: names,
        // The records in hand, so the comparison opens without searching for them again.
        records: model.runs.filter(run => selected.has(run.name)) as any
      });
    } catch (err) {
      setCompareError(describeError(err));
    } finally {
      setComparing(false);
    }
  };
  return (
    <div className="jp-SageMakerRunTable-toolbar">
      <input
        type="search"
        className="jp-SageMakerRunTable-filter"
        data-testid="sagemaker-studio-runs-filter"
        placeholder={trans.__('Filter runs, e.g. eta<0.3')}
        title={trans.__(
          'Words match the run name, status, source and parameter values; column>value, >=, <, <=, =, != compare a column by its label.'
        )}
        aria-label={trans.__('Filter runs')}
        value={model.filter}
        onChange={event => model.setFilter(event.currentTarget.value)}
      />
      <ColumnChooser {...props} />
      <label className="jp-SageMakerRunTable-showJobs">
        <input
          type="checkbox"
          data-testid="sagemaker-studio-runs-show-jobs"
          checked={model.showJobs}
          onChange={event => model.setShowJobs(event.currentTarget.checked)}
        />
        {trans.__('Show jobs')}
      </label>
      <button
        className="jp-SageMakerRunTable-refresh jp-mod-minimal jp-Button"
        data-testid="sagemaker-studio-runs-refresh"
        title={trans.__('Fetch the runs again')}
        aria-label={trans.__('Refresh runs')}
        disabled={model.isLoading}
        onClick={() => void model.refresh()}
      >
        <refreshIcon.react tag="span" />
      </button>
      <span
        className="jp-SageMakerRunTable-count"
        data-testid="sagemaker-studio-runs-count"
        role="status"
      >
        {trans.__(
          '%1 of %2 runs, %3 selected',
          model.rows.length,
          model.shownRuns.length,
          selected
        )}
        {model.isLoading && model.status === 'ready'
          ? ` ${trans.__('(loading more…)')}`
          : ''}
        {model.truncated
          ? ` ${trans.__('(only the newest %1 runs)', model.runs.length)}`
          : ''}
      </span>
      <UpdatedAgo
        updatedAt={model.updatedAt}
        loading={model.isLoading}
        trans={trans}
        className="jp-SageMakerRunTable-updated"
      />
      <span className="jp-SageMakerRunTable-spacer" />
      {compareError && (
        <span
          className="jp-SageMakerRunTable-compareError"
          data-testid="sagemaker-studio-runs-compare-error"
          role="alert"
        >
          {compareError}
        </span>
      )}
      {/* The wrapper carries the tooltip too: some browsers show none over a disabled button. */}
      <span className="jp-SageMakerRunTable-compareBox" title={compareTitle}>
        <button
          className="jp-mod-styled jp-mod-accept jp-SageMakerRunTable-compare"
          data-testid="sagemaker-studio-runs-compare"
          disabled={!available || selected === 0 || comparing}
          title={compareTitle}
          onClick={() => void compare()}
        >
          {trans.__('Compare')}
        </button>
      </span>
    </div>
  );
}

/** The "Columns" button and its popup of checkboxes, grouped Attributes / Parameters / Metrics. */
function ColumnChooser({ model, trans }: RunTableView.IOptions): JSX.Element {
  const [open, setOpen] = React.useState(false);
  const box = React.useRef<HTMLDivElement>(null);
  React.useEffect(() => {
    if (!open) {
      return;
    }
    const close = (event: Event) => {
      if (
        event instanceof KeyboardEvent
          ? event.key === 'Escape'
          : !box.current?.contains(event.target as Node)
      ) {
        setOpen(false);
      }
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);
  const groups: Array<[string, Field[]]> = [
    [trans.__('Attributes'), []],
    [trans.__('Parameters'), []],
    [trans.__('Metrics'), []]
  ];
  for (const field of model.columns) {
    const group =
      field.kind === 'attribute' ? 0 : field.kind === 'parameter' ? 1 : 2;
    groups[group][1].push(field);
  }
  return (
    <div className="jp-SageMakerRunTable-columns" ref={box}>
      <button
        className="jp-mod-styled jp-SageMakerRunTable-columnsButton"
        data-testid="sagemaker-studio-runs-columns"
        aria-haspopup="true"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {trans.__('Columns (%1)', model.visibleColumns.length)}
      </button>
      {open && (
        <div
          className="jp-SageMakerRunTable-chooser"
          data-testid="sagemaker-studio-runs-column-chooser"
          role="dialog"
          aria-label={trans.__('Choose columns')}
        >
          {groups.map(([label, fields]) =>
            fields.length === 0 ? null : (
              <fieldset key={label} className="jp-SageMakerRunTable-group">
                <legend>{label}</legend>
                {fields.map(field => (
                  <label
                    key={fieldKey(field)}
                    className="jp-SageMakerRunTable-choice"
                  >
                    <input
                      type="checkbox"
                      data-testid={`sagemaker-studio-runs-column-${fieldLabel(field)}`}
                      checked={model.isColumnVisible(field)}
                      disabled={
                        field.kind === 'attribute' && field.name === 'name'
                      }
                      onChange={event =>
                        model.setColumnVisible(
                          field,
                          event.currentTarget.checked
                        )
                      }
                    />
                    {columnTitle(field, trans)}
                  </label>
                ))}
              </fieldset>
            )
          )}
          <button
            className="jp-mod-styled jp-SageMakerRunTable-resetColumns"
            onClick={() => model.resetColumns()}
          >
            {trans.__('Default columns')}
          </button>
        </div>
      )}
    </div>
  );
}

/** Height of one row in px (CSS gives rows and the header this height). */
const ROW_HEIGHT = 28;

/** Width of the checkbox column in px. */
const CHECK_WIDTH = 32;

/** Width of a column in px; fixed so every row lays out without measuring. */
function columnWidth(field: Field): number {
  if (field.kind === 'attribute') {
    switch (field.name) {
      case 'name':
        return 240;
      case 'status':
        return 110;
      case 'created':
        return 170;
      case 'source':
        return 180;
    }
  }
  return field.kind === 'parameter' ? 130 : 150;
}

/** The full width of the rows, for the scrolled element of the body. */
const RowWidth = React.createContext(0);

/** What every windowed row reads. */
interface IRowData {
  rows: ReadonlyArray<IRun>;
  columns: ReadonlyArray<Field>;
  widths: number[];
  /** The columns in horizontal view (plus an overscan): `[first, last)`. */
  window: [number, number];
  /** Width of the columns before `first` (rendered as one spacer). */
  skipped: number;
  model: RunTableModel;
  trans: TranslationBundle;
}

/** Columns are rendered this far (px) beyond the horizontal view, so a scroll shows no blank cells. */
const COLUMN_OVERSCAN = 400;

/** The columns `[first, last)` a row must render to fill the view at `left` of `view` px (all when unmeasured). */
function columnWindow(
  widths: number[],
  left: number,
  view: number
): [number, number] {
  if (view <= 0) {
    return [0, widths.length];
  }
  const from = left - COLUMN_OVERSCAN;
  const to = left + view + COLUMN_OVERSCAN;
  let first = widths.length;
  let last = widths.length;
  let x = CHECK_WIDTH;
  for (let i = 0; i < widths.length; i++) {
    if (first === widths.length && x + widths[i] > from) {
      first = i;
    }
    if (x >= to) {
      last = i;
      break;
    }
    x += widths[i];
  }
  return [Math.min(first, last), last];
}

/**
 * Header and rows. The body is the one scroller (both directions); the header follows its horizontal scroll, so
 * columns stay aligned without a second scrollbar. Re-rendered on every model change.
 */
function Grid(props: RunTableView.IOptions): JSX.Element {
  const { model, trans } = props;
  const [box, height] = useHeight();
  const header = React.useRef<HTMLDivElement>(null);
  const rows = model.rows;
  const columns = model.visibleColumns;
  const widths = columns.map(columnWidth);
  const width = CHECK_WIDTH + widths.reduce((sum, w) => sum + w, 0);
  return (
    <div
      className="jp-SageMakerRunTable-grid"
      role="grid"
      aria-rowcount={rows.length + 1}
      aria-colcount={columns.length + 1}
      aria-multiselectable="true"
    >
      <div className="jp-SageMakerRunTable-header" ref={header} role="rowgroup">
        <HeaderRow {...props} columns={columns} widths={widths} width={width} />
      </div>
      <div className="jp-SageMakerRunTable-body" ref={box}>
        {rows.length === 0 ? (
          <div className="jp-SageMakerRunTable-empty">
            {model.shownRuns.length === 0
              ? model.runs.length > 0
                ? trans.__(
                    'All runs of this experiment were created by jobs; turn on “Show jobs” to see them.'
                  )
                : trans.__(
                    'No runs in this experiment yet. Runs logged with the SageMaker Python SDK’s `Run` show here after a refresh.'
                  )
              : trans.__('No run matches the filter “%1”.', model.filter)}
          </div>
        ) : (
          <Rows
            // A new object per model change: the rows render again then, and otherwise only for new columns.
            base={{ rows, columns, widths, model, trans }}
            width={width}
            height={height}
            header={header}
          />
        )}
      </div>
    </div>
  );
}

/** The windowed rows, rendering only the columns near the horizontal view (a cheap row is a smooth scroll). */
function Rows(props: {
  base: Omit<IRowData, 'window' | 'skipped'>;
  width: number;
  height: number;
  header: React.RefObject<HTMLDivElement>;
}): JSX.Element {
  const { base, width, height, header } = props;
  // A state, not a ref: the effect must run again when react-window mounts its scroller.
  const [scroller, setScroller] = React.useState<HTMLDivElement | null>(null);
  const [view, setView] = React.useState({ left: 0, width: 0 });
  React.useEffect(() => {
    if (!scroller) {
      return;
    }
    const follow = () => {
      if (header.current) {
        header.current.scrollLeft = scroller.scrollLeft;
      }
      const left = scroller.scrollLeft;
      const width = scroller.clientWidth;
      setView(old =>
        old.left === left && old.width === width ? old : { left, width }
      );
    };
    follow();
    scroller.addEventListener('scroll', follow, { passive: true });
    const observer =
      typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(follow);
    observer?.observe(scroller);
    return () => {
      scroller.removeEventListener('scroll', follow);
      observer?.disconnect();
    };
  }, [scroller]);
  const [first, last] = columnWindow(base.widths, view.left, view.width);
  const itemData = React.useMemo<IRowData>(
    () => ({
      ...base,
      window: [first, last],
      skipped: base.widths.slice(0, first).reduce((sum, w) => sum + w, 0)
    }),
    [base, first, last]
  );
  return (
    <RowWidth.Provider value={width}>
      <FixedSizeList
        outerRef={setScroller}
        className="jp-SageMakerRunTable-scroller"
        height={height}
        width="100%"
        itemCount={base.rows.length}
        itemSize={ROW_HEIGHT}
        itemData={itemData}
        itemKey={(index, data: IRowData) => data.rows[index].name}
        overscanCount={10}
        innerElementType={BodyInner}
      >
        {Row}
      </FixedSizeList>
    </RowWidth.Provider>
  );
}

/** The scrolled element of the body, as wide as the rows so the body scrolls horizontally. */
const BodyInner = React.forwardRef<
  HTMLDivElement,
  React.HTMLAttributes<HTMLDivElement>
>(({ style, ...rest }, ref) => {
  const width = React.useContext(RowWidth);
  return (
    <div
      ref={ref}
      role="rowgroup"
      // Positioned, so the absolutely placed rows' 100% width is this width, not the scroller's.
      style={{ ...style, position: 'relative', width, minWidth: '100%' }}
      {...rest}
    />
  );
});

/** The header: a select-all-filtered checkbox and a sort button per column. */
function HeaderRow(
  props: RunTableView.IOptions & {
    columns: ReadonlyArray<Field>;
    widths: number[];
    width: number;
  }
): JSX.Element {
  const { model, trans, columns, widths, width } = props;
  const all = React.useRef<HTMLInputElement>(null);
  const state = model.filteredSelection;
  React.useEffect(() => {
    if (all.current) {
      all.current.indeterminate = state === 'some';
    }
  });
  const sortKey = fieldKey(model.sort.field);
  return (
    <div
      className="jp-SageMakerRunTable-row jp-SageMakerRunTable-headerRow"
      role="row"
      aria-rowindex={1}
      style={{ width: width + 100 }}
    >
      <span
        className="jp-SageMakerRunTable-cell jp-SageMakerRunTable-check"
        role="columnheader"
        style={{ width: CHECK_WIDTH }}
      >
        <input
          ref={all}
          type="checkbox"
          data-testid="sagemaker-studio-runs-select-all"
          aria-label={trans.__('Select all runs the filter shows')}
          checked={state === 'all'}
          disabled={model.rows.length === 0}
          onChange={() => model.toggleAllFiltered()}
        />
      </span>
      {columns.map((field, i) => {
        const key = fieldKey(field);
        const sorted = key === sortKey;
        const direction = model.sort.direction;
        return (
          <span
            key={key}
            className={`jp-SageMakerRunTable-cell jp-SageMakerRunTable-headerCell${
              sorted ? ' jp-mod-sorted' : ''
            }`}
            role="columnheader"
            aria-sort={
              sorted
                ? direction === 'asc'
                  ? 'ascending'
                  : 'descending'
                : 'none'
            }
            style={{ width: widths[i] }}
            data-column={fieldLabel(field)}
          >
            <button
              className="jp-SageMakerRunTable-sortButton"
              data-testid={`sagemaker-studio-runs-header-${fieldLabel(field)}`}
              title={trans.__('Sort by %1', columnTitle(field, trans))}
              onClick={() => model.toggleSort(field)}
            >
              <span className="jp-SageMakerRunTable-headerLabel">
                {columnTitle(field, trans)}
              </span>
              {sorted && (
                <span className="jp-SageMakerRunTable-sortMark" aria-hidden>
                  {direction === 'asc' ? '▲' : '▼'}
                </span>
              )}
            </button>
          </span>
        );
      })}
    </div>
  );
}

/**
 * One windowed row: its checkbox and a cell per visible column. Memoized: while scrolling, only the rows that come
 * into view render; the others keep their DOM.
 */
function RowView({
  index,
  style,
  data
}: ListChildComponentProps<IRowData>): JSX.Element {
  const { rows, columns, widths, model, trans } = data;
  const [first, last] = data.window;
  const run = rows[index];
  const selected = model.isSelected(run.name);
  return (
    <div
      style={style}
      className={`jp-SageMakerRunTable-row${selected ? ' jp-mod-selected' : ''}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-testid={`sagemaker-studio-runs-row-${run.name}`}
      data-run={run.name}
    >
      <span
        className="jp-SageMakerRunTable-cell jp-SageMakerRunTable-check"
        role="gridcell"
        style={{ width: CHECK_WIDTH }}
      >
        <input
          type="checkbox"
          data-testid={`sagemaker-studio-runs-select-${run.name}`}
          aria-label={trans.__('Select %1', run.displayName)}
          checked={selected}
          onChange={event =>
            model.toggleSelection(run.name, {
              shift: (event.nativeEvent as MouseEvent).shiftKey === true
            })
          }
        />
      </span>
      {data.skipped > 0 && (
        <span
          className="jp-SageMakerRunTable-skipped"
          style={{ width: data.skipped }}
        />
      )}
      {columns.slice(first, last).map((field, i) => (
        <Cell
          key={fieldKey(field)}
          run={run}
          field={field}
          width={widths[first + i]}
          trans={trans}
        />
      ))}
    </div>
  );
}

/** {@link RowView}, rendered again only when its data or position changes. */
const Row = React.memo(RowView, areEqual);

/** One cell: text (numbers right-aligned), or a badge for the status. */
function Cell(props: {
  run: IRun;
  field: Field;
  width: number;
  trans: TranslationBundle;
}): JSX.Element {
  const { run, field, width, trans } = props;
  const value = fieldValue(run, field);
  if (field.kind === 'attribute') {
    switch (field.name) {
      case 'status':
        return (
          <span
            className="jp-SageMakerRunTable-cell"
            role="gridcell"
            style={{ width }}
          >
            {run.status && (
              <span
                className={`jp-SageMakerRegistry-badge ${badgeClass(run.status)}`}
              >
                {runStatusLabel(run.status, trans)}
              </span>
            )}
          </span>
        );
      case 'created':
        return (
          <span
            className="jp-SageMakerRunTable-cell"
            role="gridcell"
            style={{ width }}
          >
            {run.created !== null ? formatTime(run.created) : ''}
          </span>
        );
      case 'source':
        return (
          <span
            className="jp-SageMakerRunTable-cell"
            role="gridcell"
            style={{ width }}
            title={run.sourceArn ?? ''}
          >
            {value ?? ''}
          </span>
        );
      case 'name':
        return (
          <span
            className="jp-SageMakerRunTable-cell jp-SageMakerRunTable-name"
            role="gridcell"
            style={{ width }}
            title={run.name}
          >
            {run.displayName}
          </span>
        );
    }
  }
  const numeric = typeof value === 'number';
  return (
    <span
      className={`jp-SageMakerRunTable-cell${numeric ? ' jp-mod-number' : ''}`}
      role="gridcell"
      style={{ width }}
      title={value === null ? '' : String(value)}
    >
      {numeric ? formatNumber(value) : (value ?? '')}
    </span>
  );
}

/** A column's header text: the attribute's translated name, else Studio's label (e.g. `validation:error_last`). */
function columnTitle(field: Field, trans: TranslationBundle): string {
  if (field.kind === 'attribute') {
    switch (field.name) {
      case 'name':
        return trans.__('Run name');
      case 'status':
        return trans.__('Status');
      case 'created':
        return trans.__('Created');
      case 'source':
        return trans.__('Source');
    }
  }
  return fieldLabel(field);
}

/** A number with at most 6 significant digits, integers whole. */
function formatNumber(value: number): string {
  if (Number.isInteger(value)) {
    return String(value);
  }
  return String(Number(value.toPrecision(6)));
}

/** Formatter of creation times, made once (a per-cell `toLocaleString` would slow scrolling). */
const timeFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'short'
});

/** A time as the table shows it. */
function formatTime(ms: number): string {
  return timeFormat.format(new Date(ms));
}
