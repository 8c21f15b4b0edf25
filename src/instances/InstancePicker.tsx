/**
 * The instance picker: a dialog with the table of ML instance types (sortable columns, search, "Fast launch only",
 * "GPU only", minimum memory, recently used first) and the image to run in. Full keyboard use: arrow keys move
 * through the rows, Enter confirms, Escape cancels. A type whose training-job quota is 0 asks before it is taken.
 */
import { Dialog, ReactWidget } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { ICatalogRow, InstanceCatalog, parseMinMemory } from './catalog';
import { defaultImage, IImage } from './images';

/** What the user chose. */
export interface IPickedInstance {
  /** `ml.g4dn.xlarge`. */
  instanceType: string;
  /** The image, null when none is known for the region. */
  image: IImage | null;
}

/** The body of the picker dialog. */
export class InstancePickerBody
  extends ReactWidget
  implements Dialog.IBodyWidget<IPickedInstance | null>
{
  /** Show a catalog; `state` is kept across re-openings of the dialog. */
  constructor(options: InstancePickerBody.IOptions) {
    super();
    this._options = options;
    this._state = options.state;
    this.addClass('jp-SageMakerInstancePicker');
    this.node.dataset.testid = 'sagemaker-studio-instance-picker';
    this._idPrefix = `jp-SageMakerInstancePicker-${Private.ids.next++}`;
  }

  /** Called on Enter in the table or a double click on a row (the dialog resolves with "Save and continue"). */
  onAccept: () => void = () => undefined;

  /** The chosen type and image, or null when no type is selected. */
  getValue(): IPickedInstance | null {
    const row = this._selectedRow();
    if (!row) {
      return null;
    }
    return { instanceType: row.type, image: this._image(row) };
  }

  protected render(): JSX.Element {
    const { catalog, trans } = this._options;
    const state = this._state;
    const rows = this._rows();
    const selected = this._selectedRow();
    const minMemory = parseMinMemory(state.minMemory);
    const minMemoryErrorId = `${this._idPrefix}-min-memory-error`;
    const columns = this._columns();
    const images = this._options.images;
    const image = selected ? this._image(selected) : null;
    return (
      <div className="jp-SageMakerInstancePicker-body">
        <div className="jp-SageMakerInstancePicker-controls">
          <input
            type="search"
            className="jp-SageMakerInstancePicker-search jp-mod-styled"
            placeholder={trans.__('Search type, family, category or GPU')}
            aria-label={trans.__('Search instance types')}
            data-testid="sagemaker-studio-instance-picker-search"
            value={state.search}
            onChange={e => this._set({ search: e.currentTarget.value })}
          />
          <label className="jp-SageMakerInstancePicker-toggle">
            <input
              type="checkbox"
              data-testid="sagemaker-studio-instance-picker-fast-launch"
              checked={state.fastLaunchOnly}
              onChange={e =>
                this._set({ fastLaunchOnly: e.currentTarget.checked })
              }
            />
            {trans.__('Fast launch only')}
          </label>
          <label className="jp-SageMakerInstancePicker-toggle">
            <input
              type="checkbox"
              data-testid="sagemaker-studio-instance-picker-gpu-only"
              checked={state.gpuOnly}
              onChange={e => this._set({ gpuOnly: e.currentTarget.checked })}
            />
            {trans.__('GPU only')}
          </label>
          <label className="jp-SageMakerInstancePicker-memory">
            {trans.__('Minimum memory (GiB)')}
            <input
              type="text"
              inputMode="decimal"
              className="jp-mod-styled"
              size={6}
              data-testid="sagemaker-studio-instance-picker-min-memory"
              aria-invalid={!minMemory.valid}
              aria-describedby={minMemory.valid ? undefined : minMemoryErrorId}
              value={state.minMemory}
              onChange={e => this._set({ minMemory: e.currentTarget.value })}
            />
          </label>
          {!minMemory.valid && (
            <span
              id={minMemoryErrorId}
              className="jp-SageMakerInstancePicker-fieldError"
              role="alert"
            >
              {trans.__(
                'Enter a number of GiB of 0 or more; the memory filter is off until then.'
              )}
            </span>
          )}
        </div>
        <div className="jp-SageMakerInstancePicker-count" aria-live="polite">
          {trans.__(
            '%1 of %2 instance types',
            rows.length,
            catalog.rows.length
          )}
        </div>
        <div className="jp-SageMakerInstancePicker-scroll">
          <table
            className="jp-SageMakerInstancePicker-grid"
            role="grid"
            tabIndex={0}
            aria-label={trans.__('Instance types')}
            aria-rowcount={rows.length + 1}
            aria-activedescendant={
              selected && rows.includes(selected)
                ? this._rowId(selected.type)
                : undefined
            }
            onKeyDown={this._onKeyDown}
          >
            <thead>
              <tr role="row">{columns.map(column => this._header(column))}</tr>
            </thead>
            <tbody>{rows.map(row => this._row(row, row === selected))}</tbody>
          </table>
          {rows.length === 0 && (
            <p className="jp-SageMakerInstancePicker-empty">
              {trans.__('No instance type matches these filters.')}
            </p>
          )}
        </div>
        <div className="jp-SageMakerInstancePicker-image">
          {images ? (
            <label>
              {trans.__('Image')}
              <select
                className="jp-mod-styled"
                data-testid="sagemaker-studio-instance-picker-image"
                value={image?.id ?? ''}
                onChange={e => this._set({ imageId: e.currentTarget.value })}
              >
                {images.map(option => (
                  <option key={option.id} value={option.id} title={option.uri}>
                    {option.label}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <span
              className="jp-SageMakerInstancePicker-note"
              data-testid="sagemaker-studio-instance-picker-image"
            >
              {trans.__(
                'No SageMaker Distribution image is known for region %1; the instance type is saved without an image.',
                this._options.region ?? trans.__('(unknown)')
              )}
            </span>
          )}
        </div>
        <div className="jp-SageMakerInstancePicker-footer">
          {selected && (
            <div className="jp-SageMakerInstancePicker-chosen">
              {image
                ? trans.__('Chosen: %1 · %2', selected.type, image.label)
                : trans.__('Chosen: %1', selected.type)}
              {!selected.training &&
                ' · ' +
                  trans.__(
                    'notebooks only: training jobs do not accept this type'
                  )}
            </div>
          )}
          <div className="jp-SageMakerInstancePicker-source">
            {this._priceSource()}
          </div>
          {this._options.notes.map(note => (
            <div key={note} className="jp-SageMakerInstancePicker-note">
              {note}
            </div>
          ))}
        </div>
      </div>
    );
  }

  protected onAfterAttach(msg: any): void {
    super.onAfterAttach(msg);
    this._scrollToSelected();
  }

  protected onUpdateRequest(msg: any): void {
    super.onUpdateRequest(msg);
    // React renders asynchronously; scroll once the selected row exists.
    requestAnimationFrame(() => this._scrollToSelected());
  }

  private _header(column: InstanceCatalog.Column): JSX.Element {
    const trans = this._options.trans;
    const labels: Record<InstanceCatalog.Column, string> = {
      type: trans.__('Instance'),
      category: trans.__('Category'),
      vcpu: trans.__('vCPU'),
      memoryGiB: trans.__('Memory (GiB)'),
      gpuCount: trans.__('GPUs'),
      price: trans.__('Price/hour'),
      fastLaunch: trans.__('Fast launch'),
      quota: trans.__('Quota')
    };
    const sort = this._state.sort;
    const direction = sort?.column === column ? sort.direction : null;
    return (
      <th
        key={column}
        role="columnheader"
        scope="col"
        aria-sort={direction ?? 'none'}
        className={`jp-SageMakerInstancePicker-col-${column}`}
      >
        <button
          type="button"
          className="jp-SageMakerInstancePicker-sort"
          data-testid={`sagemaker-studio-instance-picker-sort-${column}`}
          title={trans.__('Sort by %1', labels[column])}
          onClick={() => this._sortBy(column)}
        >
          {labels[column]}
          <span aria-hidden="true" className="jp-SageMakerInstancePicker-arrow">
            {direction === 'ascending'
              ? '▲'
              : direction === 'descending'
                ? '▼'
                : ''}
          </span>
        </button>
      </th>
    );
  }

  private _row(row: ICatalogRow, selected: boolean): JSX.Element {
    const { trans, catalog } = this._options;
    const region = catalog.region ?? trans.__('this region');
    const recent = this._options.recent.includes(row.type);
    const gpus = row.gpuCount
      ? trans.__(
          '%1 × %2, %3 GiB',
          row.gpuCount,
          row.gpuModel ?? '',
          row.gpuMemoryGiB
        )
      : '—';
    return (
      <tr
        key={row.type}
        id={this._rowId(row.type)}
        role="row"
        aria-selected={selected}
        className={`jp-SageMakerInstancePicker-row${selected ? ' jp-mod-selected' : ''}`}
        data-testid="sagemaker-studio-instance-picker-row"
        data-instance-type={row.type}
        onClick={() => this._set({ selected: row.type })}
        onDoubleClick={() => {
          this._set({ selected: row.type });
          this.onAccept();
        }}
      >
        <td role="gridcell" className="jp-SageMakerInstancePicker-type">
          {row.type}
          {recent && (
            <span className="jp-SageMakerInstancePicker-badge">
              {trans.__('recent')}
            </span>
          )}
        </td>
        <td role="gridcell">{this._category(row.category)}</td>
        <td role="gridcell" className="jp-mod-number">
          {row.vcpu}
        </td>
        <td role="gridcell" className="jp-mod-number">
          {row.memoryGiB}
        </td>
        <td role="gridcell">{gpus}</td>
        <td
          role="gridcell"
          className="jp-mod-number"
          title={
            row.price === null
              ? trans.__('no price for %1 in %2', row.type, region)
              : undefined
          }
        >
          {row.price === null ? '—' : `$${Private.formatPrice(row.price)}`}
        </td>
        <td role="gridcell">
          {row.fastLaunch && (
            <span className="jp-SageMakerInstancePicker-badge jp-mod-fast">
              {trans.__('Fast launch')}
            </span>
          )}
        </td>
        {catalog.hasQuotas && (
          <td role="gridcell" className="jp-mod-number">
            {row.quota === null ? (
              '—'
            ) : row.quota === 0 ? (
              <span
                className="jp-SageMakerInstancePicker-badge jp-mod-warn"
                title={trans.__(
                  'Your account cannot run training jobs on %1 until the quota is raised.',
                  row.type
                )}
              >
                {trans.__('0 — quota')}
              </span>
            ) : (
              row.quota
            )}
          </td>
        )}
      </tr>
    );
  }

  private _category(category: InstanceCatalog.Category): string {
    const trans = this._options.trans;
    switch (category) {
      case 'standard':
        return trans.__('Standard');
      case 'compute':
        return trans.__('Compute optimized');
      case 'memory':
        return trans.__('Memory optimized');
      case 'accelerated':
        return trans.__('Accelerated computing');
    }
  }

  private _priceSource(): string {
    const { catalog, trans } = this._options;
    const region = catalog.region ?? trans.__('(unknown region)');
    if (catalog.hasLivePrices) {
      return trans.__(
        'Prices: on-demand training prices in %1 from the AWS Price List API (USD, excluding storage and taxes).',
        region
      );
    }
    const source = catalog.priceSource;
    return source
      ? trans.__(
          'Prices: on-demand training prices in %1 from %2 (%3), %4.',
          region,
          source.title,
          source.url,
          source.date
        )
      : trans.__('No price table is available.');
  }

  private _columns(): InstanceCatalog.Column[] {
    const columns: InstanceCatalog.Column[] = [
      'type',
      'category',
      'vcpu',
      'memoryGiB',
      'gpuCount',
      'price',
      'fastLaunch'
    ];
    return this._options.catalog.hasQuotas ? [...columns, 'quota'] : columns;
  }

  private _rows(): ICatalogRow[] {
    const state = this._state;
    return this._options.catalog.query({
      filter: {
        search: state.search,
        fastLaunchOnly: state.fastLaunchOnly,
        gpuOnly: state.gpuOnly,
        minMemory: state.minMemory
      },
      sort: state.sort,
      // Recently used first only in the default order: a column the user sorts by wins.
      recent: state.sort ? [] : this._options.recent
    });
  }

  private _selectedRow(): ICatalogRow | null {
    const type = this._state.selected;
    return (type && this._options.catalog.get(type)) || null;
  }

  private _image(row: ICatalogRow): IImage | null {
    const images = this._options.images;
    if (!images) {
      return null;
    }
    const chosen = images.find(image => image.id === this._state.imageId);
    return chosen ?? defaultImage(images, row.gpuCount) ?? null;
  }

  private _sortBy(column: InstanceCatalog.Column): void {
    const sort = this._state.sort;
    const direction: InstanceCatalog.Direction =
      sort?.column === column && sort.direction === 'ascending'
        ? 'descending'
        : 'ascending';
    this._set({ sort: { column, direction } });
  }

  private _set(change: Partial<InstancePickerBody.IState>): void {
    // A new type gets its default image unless the user picked one for it.
    if (change.selected && change.selected !== this._state.selected) {
      if (!('imageId' in change)) {
        change.imageId = null;
      }
    }
    Object.assign(this._state, change);
    this.update();
  }

  private _onKeyDown = (event: React.KeyboardEvent): void => {
    const rows = this._rows();
    if (!rows.length) {
      return;
    }
    const index = rows.findIndex(row => row.type === this._state.selected);
    let next = index;
    switch (event.key) {
      case 'ArrowDown':
        next = index < 0 ? 0 : Math.min(rows.length - 1, index + 1);
        break;
      case 'ArrowUp':
        next = index < 0 ? 0 : Math.max(0, index - 1);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = rows.length - 1;
        break;
      case 'Enter':
        event.preventDefault();
        event.stopPropagation();
        if (index >= 0) {
          this.onAccept();
        }
        return;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
    this._set({ selected: rows[next].type });
  };

  private _scrollToSelected(): void {
    const type = this._state.selected;
    if (!type) {
      return;
    }
    const node = this.node.querySelector(`#${CSS.escape(this._rowId(type))}`);
    (node as HTMLElement | null)?.scrollIntoView?.({ block: 'nearest' });
  }

  private _rowId(type: string): string {
    return `${this._idPrefix}-${type.replace(/[^a-z0-9-]/gi, '_')}`;
  }

  private _options: InstancePickerBody.IOptions;
  private _state: InstancePickerBody.IState;
  private _idPrefix: string;
}

/** Types of {@link InstancePickerBody}. */
export namespace InstancePickerBody {
  /** What the user set in the dialog (kept when the dialog opens again). */
  export interface IState {
    /** The selected type. */
    selected: string | null;
    /** The chosen image's id; null for the type's default image. */
    imageId: string | null;
    /** Search text. */
    search: string;
    /** "Fast launch only". */
    fastLaunchOnly: boolean;
    /** "GPU only". */
    gpuOnly: boolean;
    /** Minimum memory as typed. */
    minMemory: string;
    /** Sorted column, null for the table's order. */
    sort: {
      column: InstanceCatalog.Column;
      direction: InstanceCatalog.Direction;
    } | null;
  }

  /** Options of the body. */
  export interface IOptions {
    /** The types with prices and quotas. */
    catalog: InstanceCatalog;
    /** The images of the region, null when the region has none known. */
    images: IImage[] | null;
    /** The current region. */
    region: string | null;
    /** Recently used types, most recent first. */
    recent: string[];
    /** One-line notes (e.g. quotas could not be read). */
    notes: string[];
    /** The dialog's state (mutated as the user works). */
    state: IState;
    /** Translations. */
    trans: TranslationBundle;
  }

  /** A fresh state: the current type (or the CPU default ml.t3.medium) selected, no filters. */
  export function initialState(
    selected: string | null,
    imageId: string | null = null
  ): IState {
    return {
      selected: selected ?? 'ml.t3.medium',
      imageId,
      search: '',
      fastLaunchOnly: false,
      gpuOnly: false,
      minMemory: '',
      sort: null
    };
  }
}

/**
 * Show the picker until the user chooses (resolves with the choice) or cancels (null). A type whose training-job
 * quota is 0 is only taken after a second dialog confirms it; otherwise the picker opens again as it was.
 */
export async function pickInstance(
  options: Omit<InstancePickerBody.IOptions, 'state'> & {
    state?: InstancePickerBody.IState;
  }
): Promise<IPickedInstance | null> {
  const { trans } = options;
  const state = options.state ?? InstancePickerBody.initialState(null);
  for (;;) {
    const body = new InstancePickerBody({ ...options, state });
    const dialog = new Dialog<IPickedInstance | null>({
      title: trans.__('Choose an instance type'),
      body,
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: trans.__('Save and continue') })
      ],
      focusNodeSelector: '.jp-SageMakerInstancePicker-grid'
    });
    dialog.addClass('jp-SageMakerInstancePickerDialog');
    body.onAccept = () => dialog.resolve(1);
    const result = await dialog.launch();
    if (!result.button.accept || !result.value) {
      return null;
    }
    const row = options.catalog.get(result.value.instanceType);
    if (row?.quota !== 0) {
      return result.value;
    }
    const confirm = new Dialog({
      title: trans.__('No quota for %1', row.type),
      body: trans.__(
        "Your account's quota for %1 for training job usage is 0 instances; a job on it will fail until the quota is raised. Choose it anyway?",
        row.type
      ),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Back') }),
        Dialog.warnButton({ label: trans.__('Choose anyway') })
      ]
    });
    if ((await confirm.launch()).button.accept) {
      return result.value;
    }
  }
}

namespace Private {
  /** Numbers the picker bodies on the page (their element ids). */
  export const ids = { next: 0 };

  /** "0.736", "12.24", "0.05": up to 4 decimals, at least 2. */
  export function formatPrice(usd: number): string {
    const text = usd.toFixed(4).replace(/0+$/, '');
    const [whole, fraction = ''] = text.split('.');
    return `${whole}.${fraction.padEnd(2, '0')}`;
  }
}
