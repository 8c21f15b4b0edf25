/**
 * The "Data Wrangler flows" section: search box, count and "updated N s ago", the `.flow` files of the workspace
 * (each opens its summary tab), and empty and error states. Reads {@link FlowsModel} only.
 */
import { Time } from '@jupyterlab/coreutils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import type { Message } from '@lumino/messaging';
import * as React from 'react';

import { UpdatedAgo } from './EndpointsView';
import { ErrorState } from './ErrorState';
import type { FlowsModel, IFlowFile } from './flows';

/** The widget of the section; it walks the workspace when first shown. */
export class FlowsView extends ReactWidget {
  /** Create the view of a model. */
  constructor(options: FlowsView.IOptions) {
    super();
    this._model = options.model;
    this._trans = options.trans;
    this._onOpen = options.onOpen;
    this.addClass('jp-SageMakerRegistry');
    this.addClass('jp-SageMakerRegistry-sectionView');
    this.addClass('jp-SageMakerFlows');
    this.node.dataset.testid = 'sagemaker-studio-flows';
  }

  /** Render; re-rendered on every model change. */
  render(): JSX.Element {
    return (
      <UseSignal signal={this._model.changed}>
        {() => (
          <Flows
            model={this._model}
            trans={this._trans}
            onOpen={this._onOpen}
          />
        )}
      </UseSignal>
    );
  }

  /** Walk on first show, not at JupyterLab start. */
  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    void this._model.ensureLoaded();
  }

  private _model: FlowsModel;
  private _trans: TranslationBundle;
  private _onOpen: (file: IFlowFile) => void;
}

/** Types of {@link FlowsView}. */
export namespace FlowsView {
  /** Options of the view. */
  export interface IOptions {
    /** The list of flows. */
    model: FlowsModel;
    /** Translations. */
    trans: TranslationBundle;
    /** Opens a flow's tab. */
    onOpen: (file: IFlowFile) => void;
  }
}

interface IFlowsProps {
  model: FlowsModel;
  trans: TranslationBundle;
  onOpen: (file: IFlowFile) => void;
}

/** Controls, then loading / error / empty / the rows. */
function Flows({ model, trans, onOpen }: IFlowsProps): JSX.Element {
  const controls = (
    <div className="jp-SageMakerRegistry-controls">
      <input
        type="search"
        className="jp-SageMakerRegistry-search"
        data-testid="sagemaker-studio-flows-search"
        placeholder={trans.__('Search by name or folder')}
        aria-label={trans.__('Search Data Wrangler flows by name or folder')}
        value={model.search}
        onChange={event => model.setSearch(event.currentTarget.value)}
      />
    </div>
  );
  if (
    model.status === 'idle' ||
    (model.status === 'loading' && model.updatedAt === null)
  ) {
    return (
      <>
        {controls}
        <div className="jp-SageMakerRegistry-sectionLoading" role="status">
          {trans.__('Looking for .flow files…')}
        </div>
      </>
    );
  }
  if (model.status === 'error') {
    return (
      <>
        {controls}
        <ErrorState
          className="jp-SageMakerRegistry-sectionError"
          testId="sagemaker-studio-flows-error"
          message={model.error}
          onRetry={() => void model.refresh()}
          busy={model.isLoading}
          trans={trans}
        />
      </>
    );
  }
  const rows = model.items;
  const total = model.files.length;
  const count = trans._n('%1 flow', '%1 flows', total);
  let content: JSX.Element;
  if (total === 0) {
    content = (
      <div
        className="jp-SageMakerRegistry-sectionEmpty"
        data-testid="sagemaker-studio-flows-empty"
      >
        <p>{trans.__('No .flow file in the workspace.')}</p>
        <p>
          {trans.__(
            'Create a flow in SageMaker Data Wrangler (SageMaker Studio or SageMaker Canvas) and download its .flow file, or copy a .flow file into this workspace (drag it into the file browser), then refresh.'
          )}
        </p>
      </div>
    );
  } else if (rows.length === 0) {
    content = (
      <div className="jp-SageMakerRegistry-sectionEmpty">
        <p>{trans.__('No flow name or folder contains “%1”.', model.search)}</p>
        <p>{trans.__('Change or clear the search.')}</p>
      </div>
    );
  } else {
    content = (
      <ul
        className="jp-SageMakerFlows-list"
        data-testid="sagemaker-studio-flows-list"
      >
        {rows.map(file => (
          <li
            key={file.path}
            className="jp-SageMakerRegistry-row jp-SageMakerFlows-row"
            data-name={file.name}
            data-path={file.path}
            title={file.path}
          >
            <button
              className="jp-SageMakerRegistry-rowName jp-SageMakerRegistry-rowOpen"
              title={trans.__('Open %1', file.path)}
              onClick={() => onOpen(file)}
            >
              {file.name}
            </button>
            <span className="jp-SageMakerFlows-folder">
              {file.directory || trans.__('(workspace root)')}
            </span>
            <span
              className="jp-SageMakerRegistry-rowCreated"
              title={
                file.lastModified !== null
                  ? new Date(file.lastModified).toLocaleString()
                  : ''
              }
            >
              {file.lastModified !== null
                ? Time.formatHuman(new Date(file.lastModified))
                : ''}
            </span>
          </li>
        ))}
      </ul>
    );
  }
  return (
    <>
      {controls}
      <div className="jp-SageMakerRegistry-summary">
        <span
          className="jp-SageMakerRegistry-sectionCount"
          data-testid="sagemaker-studio-flows-count"
        >
          {rows.length === total
            ? count
            : trans.__('%1 of %2 shown', rows.length, count)}
        </span>
        <UpdatedAgo
          updatedAt={model.updatedAt}
          loading={model.isLoading}
          trans={trans}
          className="jp-SageMakerRegistry-sectionUpdated"
        />
      </div>
      {content}
      {model.truncated && (
        <p className="jp-SageMakerFlows-note">
          {trans.__(
            'Only the top folders of the workspace were searched; open deeper folders’ flows from the file browser.'
          )}
        </p>
      )}
      {model.unreadable.length > 0 && (
        <p className="jp-SageMakerFlows-note">
          {trans._n(
            'One folder could not be listed: %2',
            '%1 folders could not be listed: %2',
            model.unreadable.length,
            model.unreadable.join(', ')
          )}
        </p>
      )}
      {model.error && (
        <div className="jp-SageMakerRegistry-sectionError" role="alert">
          <p>{model.error}</p>
        </div>
      )}
    </>
  );
}
