/**
 * The "Launched" part of the JumpStart sidebar, under the catalog: the endpoints and fine-tuning jobs created from
 * the catalog, newest first, with their status. An endpoint opens in the resource registry; a job shows where its
 * fine-tuned model is, or why it failed. Reads the {@link LaunchedModel} only.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import {
  caretDownIcon,
  caretRightIcon,
  ReactWidget,
  refreshIcon,
  UseSignal
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { StatusBadge } from '../registry/details/components';
import type { ILaunchedItem, LaunchedModel } from './launched';

/** The collapsible list of launched endpoints and jobs. */
export class LaunchedView extends ReactWidget {
  /** Create the view of a model (its first read starts when the view is first expanded and shown). */
  constructor(options: LaunchedView.IOptions) {
    super();
    this._options = options;
    this.addClass('jp-SageMakerJumpStartLaunched');
    this.node.dataset.testid = 'sagemaker-studio-jumpstart-launched';
  }

  /** Render; re-rendered on every model change. */
  render(): JSX.Element {
    return (
      <UseSignal signal={this._options.model.changed}>
        {() => <Launched {...this._options} />}
      </UseSignal>
    );
  }

  private _options: LaunchedView.IOptions;
}

/** Types of {@link LaunchedView}. */
export namespace LaunchedView {
  /** Options of the view. */
  export interface IOptions {
    /** The launched resources. */
    model: LaunchedModel;
    /** Translations. */
    trans: TranslationBundle;
    /** Opens an endpoint in the resource registry. */
    onOpenEndpoint: (name: string) => void;
    /** Opens the card of a model. */
    onOpenModel: (modelId: string) => void;
  }
}

/** Header (toggle, count, refresh) and, when expanded, the list. */
function Launched(props: LaunchedView.IOptions): JSX.Element {
  const { model, trans } = props;
  const [expanded, setExpanded] = React.useState(true);
  const Caret = expanded ? caretDownIcon : caretRightIcon;
  let body: JSX.Element | null = null;
  if (!expanded) {
    body = null;
  } else if (model.status === 'idle' || model.status === 'loading') {
    body = (
      <div className="jp-SageMakerJumpStartLaunched-note" role="status">
        {trans.__('Looking for endpoints and jobs launched from JumpStart…')}
      </div>
    );
  } else if (model.status === 'error') {
    body = (
      <div className="jp-SageMakerJumpStartLaunched-error" role="alert">
        {trans.__('The launched models could not be listed: %1', model.error)}
      </div>
    );
  } else if (model.items.length === 0) {
    body = (
      <div className="jp-SageMakerJumpStartLaunched-note">
        {trans.__(
          'Nothing launched yet. Endpoints and fine-tuning jobs created from a model card show here.'
        )}
      </div>
    );
  } else {
    body = (
      <>
        {model.error && (
          <div className="jp-SageMakerJumpStartLaunched-error" role="alert">
            {trans.__('Not refreshed: %1', model.error)}
          </div>
        )}
        <ul className="jp-SageMakerJumpStartLaunched-list">
          {model.items.map(item => (
            <LaunchedRow
              key={`${item.kind}/${item.name}`}
              item={item}
              {...props}
            />
          ))}
        </ul>
      </>
    );
  }
  return (
    <>
      <div className="jp-SageMakerJumpStartLaunched-header">
        <button
          className="jp-SageMakerJumpStartLaunched-toggle"
          aria-expanded={expanded}
          onClick={() => setExpanded(!expanded)}
        >
          <Caret.react tag="span" elementSize="normal" />
          {model.status === 'ready'
            ? trans.__('Launched (%1)', model.items.length)
            : trans.__('Launched')}
        </button>
        <button
          className="jp-SageMakerJumpStartLaunched-refresh"
          title={trans.__('Refresh the launched list')}
          aria-label={trans.__('Refresh the launched list')}
          disabled={model.status === 'loading'}
          onClick={() => void model.refresh()}
        >
          <refreshIcon.react tag="span" elementSize="normal" />
        </button>
      </div>
      {body}
    </>
  );
}

/** One endpoint or job. */
function LaunchedRow(
  props: LaunchedView.IOptions & { item: ILaunchedItem }
): JSX.Element {
  const { item, trans } = props;
  const kind =
    item.kind === 'endpoint' ? trans.__('Endpoint') : trans.__('Training job');
  return (
    <li
      className="jp-SageMakerJumpStartLaunched-item"
      data-kind={item.kind}
      data-name={item.name}
    >
      <div className="jp-SageMakerJumpStartLaunched-line">
        {item.kind === 'endpoint' ? (
          <button
            className="jp-SageMakerJumpStartLaunched-name jp-mod-link"
            title={trans.__('Open endpoint %1', item.name)}
            onClick={() => props.onOpenEndpoint(item.name)}
          >
            {item.name}
          </button>
        ) : (
          <span className="jp-SageMakerJumpStartLaunched-name">
            {item.name}
          </span>
        )}
        <StatusBadge status={item.status} trans={trans} />
      </div>
      <div className="jp-SageMakerJumpStartLaunched-meta">
        <span>{kind}</span>
        {' · '}
        <button
          className="jp-SageMakerJumpStartLaunched-model jp-mod-link"
          title={trans.__('Open the card of %1', item.modelId)}
          onClick={() => props.onOpenModel(item.modelId)}
        >
          {item.version
            ? trans.__('%1 %2', item.modelId, item.version)
            : item.modelId}
        </button>
        {item.instanceType && ` · ${item.instanceType}`}
      </div>
      {item.reason && (
        <div className="jp-SageMakerJumpStartLaunched-reason">
          {item.reason}
        </div>
      )}
      {item.status === 'Completed' && item.modelArtifacts && (
        <div className="jp-SageMakerJumpStartLaunched-artifacts">
          {trans.__('Fine-tuned model: %1', item.modelArtifacts)}
        </div>
      )}
    </li>
  );
}
