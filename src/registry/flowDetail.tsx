/**
 * The tab of a Data Wrangler flow: the file read through the Contents API and summarised (format version,
 * processing instance, data sources, the steps in the order they run and what each reads), a clear message when the
 * file is not a readable flow, and a button opening the raw file in JupyterLab's editor.
 */
import '../../style/features.css';
import type { Contents } from '@jupyterlab/services';
import type { TranslationBundle } from '@jupyterlab/translation';
import {
  ReactWidget,
  refreshIcon,
  ToolbarButton,
  UseSignal
} from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { Widget } from '@lumino/widgets';
import * as React from 'react';

import { UpdatedAgo } from './EndpointsView';
import { DetailFrame, DetailSection, Fields } from './details/components';
import { ResourceModel } from './details/resource';
import {
  FlowFormatError,
  type IFlowNode,
  type IFlowSummary,
  parseFlow
} from './flowFile';

/** The command opening a file in a document widget (from @jupyterlab/docmanager-extension). */
const DOCMANAGER_OPEN = 'docmanager:open';

/** Read a flow file's text through the Contents API. */
export async function readFlowText(
  contents: Pick<Contents.IManager, 'get'>,
  path: string
): Promise<string> {
  const model = await contents.get(path, { content: true, format: 'text' });
  if (typeof model.content !== 'string') {
    throw new FlowFormatError('not-text', String(model.format));
  }
  return model.content;
}

/** The sentence for a flow that could not be read or parsed. */
export function describeFlowError(
  err: unknown,
  path: string,
  trans: TranslationBundle
): string {
  const name = path.split('/').pop() ?? path;
  if (err instanceof FlowFormatError) {
    const fix = trans.__(
      'Open the file in the editor to fix it, or export the flow from Data Wrangler again.'
    );
    switch (err.code) {
      case 'not-text':
        return `${trans.__(
          'The server sent “%1” as %2, not as text, so it cannot be read as a Data Wrangler flow.',
          name,
          err.detail
        )} ${fix}`;
      case 'json':
        return `${trans.__(
          '“%1” is not valid JSON (%2), so it is not a readable Data Wrangler flow.',
          name,
          err.detail
        )} ${fix}`;
      case 'not-object':
        return `${trans.__(
          '“%1” holds a JSON %2, not a Data Wrangler flow (an object with "metadata" and "nodes").',
          name,
          err.detail
        )} ${fix}`;
      case 'no-nodes':
        return `${trans.__(
          '“%1” has no "nodes" list, so it is not a Data Wrangler flow.',
          name
        )} ${fix}`;
      case 'bad-node':
        return `${trans.__(
          'Node %1 of “%2” has no "node_id" or "type".',
          err.detail,
          name
        )} ${fix}`;
    }
  }
  const message = err instanceof Error ? err.message : String(err);
  return trans.__('Cannot read “%1”: %2', path, message);
}

/** Options of {@link createFlowDetail}. */
export interface IFlowDetailOptions {
  /** The flow's path from the server root. */
  path: string;
  /** The Contents API. */
  contents: Pick<Contents.IManager, 'get'> &
    Partial<Pick<Contents.IManager, 'fileChanged'>>;
  /** The application's commands (to open the raw file). */
  commands: CommandRegistry;
  /** Translations. */
  trans: TranslationBundle;
}

/** The content and toolbar of a flow's tab. */
export function createFlowDetail(options: IFlowDetailOptions): {
  content: Widget;
  toolbar: Array<{ name: string; widget: Widget }>;
} {
  const { path, contents, trans } = options;
  const model = new ResourceModel<IFlowSummary>({
    load: async () => parseFlow(await readFlowText(contents, path)),
    describeError: err => describeFlowError(err, path, trans)
  });
  const openEditor = () =>
    void options.commands.execute(DOCMANAGER_OPEN, {
      path,
      factory: 'Editor'
    });
  const content = new FlowDetailView({ model, path, trans, openEditor });
  // Saving the file (here or in its editor tab) shows in the summary.
  const onFileChanged = (_: unknown, change: Contents.IChangedArgs) => {
    if (change.newValue?.path === path || change.oldValue?.path === path) {
      void model.refresh();
    }
  };
  contents.fileChanged?.connect(onFileChanged);
  content.disposed.connect(() =>
    contents.fileChanged?.disconnect(onFileChanged)
  );
  void model.refresh();
  return {
    content,
    toolbar: [
      {
        name: 'refresh',
        widget: new ToolbarButton({
          icon: refreshIcon,
          tooltip: trans.__('Read the flow file again'),
          onClick: () => void model.refresh()
        })
      }
    ]
  };
}

/** The widget of the tab; disposing it disposes the model. */
export class FlowDetailView extends ReactWidget {
  /** Create the view. */
  constructor(options: {
    model: ResourceModel<IFlowSummary>;
    path: string;
    trans: TranslationBundle;
    openEditor: () => void;
  }) {
    super();
    this._model = options.model;
    this._path = options.path;
    this._trans = options.trans;
    this._openEditor = options.openEditor;
    this.addClass('jp-SageMakerDetail-body');
    this.addClass('jp-SageMakerFlow');
  }

  /** Render; re-rendered on every model change. */
  render(): JSX.Element {
    const trans = this._trans;
    return (
      <UseSignal signal={this._model.changed}>
        {() => (
          <>
            <div className="jp-SageMakerFeatures-header">
              <h2>{this._path.split('/').pop()}</h2>
              <UpdatedAgo
                updatedAt={this._model.updatedAt}
                loading={this._model.isLoading}
                trans={trans}
                className="jp-SageMakerFeatures-updated"
              />
              <button
                className="jp-mod-styled jp-mod-accept jp-SageMakerFlow-openEditor"
                data-testid="sagemaker-flow-open-editor"
                onClick={this._openEditor}
              >
                {trans.__('Open in Editor')}
              </button>
            </div>
            <DetailFrame model={this._model} trans={trans}>
              {flow => (
                <FlowSummary flow={flow} path={this._path} trans={trans} />
              )}
            </DetailFrame>
          </>
        )}
      </UseSignal>
    );
  }

  /** Dispose the model with the view. */
  dispose(): void {
    this._model.dispose();
    super.dispose();
  }

  private _model: ResourceModel<IFlowSummary>;
  private _path: string;
  private _trans: TranslationBundle;
  private _openEditor: () => void;
}

/** "3 transforms" for a node type and count. */
function nodeCount(type: string, n: number, trans: TranslationBundle): string {
  switch (type) {
    case 'SOURCE':
      return trans._n('%1 source', '%1 sources', n);
    case 'TRANSFORM':
      return trans._n('%1 transform', '%1 transforms', n);
    case 'DATASET':
      return trans._n('%1 dataset', '%1 datasets', n);
    case 'DESTINATION':
      return trans._n('%1 destination', '%1 destinations', n);
    case 'VISUALIZATION':
      return trans._n('%1 analysis', '%1 analyses', n);
    default:
      return trans.__('%1 × %2', n, type);
  }
}

/** The summary of a parsed flow. */
function FlowSummary({
  flow,
  path,
  trans
}: {
  flow: IFlowSummary;
  path: string;
  trans: TranslationBundle;
}): JSX.Element {
  const byId = new Map(flow.nodes.map(n => [n.id, n]));
  const reads = (node: IFlowNode) =>
    node.inputs
      .map(input => {
        const source = byId.get(input.nodeId);
        const label = source ? source.label : input.nodeId;
        return input.outputName && input.outputName !== 'default'
          ? `${label} (${input.outputName})`
          : label;
      })
      .join(', ');
  return (
    <>
      <DetailSection
        title={trans.__('Overview')}
        testId="sagemaker-flow-overview"
      >
        <Fields
          fields={[
            [trans.__('Path'), <code>{path}</code>],
            [trans.__('Format version'), flow.version],
            [trans.__('Processing instance'), flow.instanceType],
            [
              trans.__('Nodes'),
              flow.counts.length
                ? flow.counts
                    .map(c => nodeCount(c.type, c.count, trans))
                    .join(', ')
                : trans.__('None')
            ]
          ]}
        />
      </DetailSection>
      {flow.warnings.length > 0 && (
        <div className="jp-SageMakerDetail-error" role="alert">
          {flow.warnings.map(w => (
            <p key={`${w.nodeId}-${w.detail}`}>
              {trans.__(
                'Step “%1” reads node %2, which the file does not define.',
                byId.get(w.nodeId)?.label ?? w.nodeId,
                w.detail
              )}
            </p>
          ))}
        </div>
      )}
      <DetailSection
        title={trans._n(
          '%1 data source',
          '%1 data sources',
          flow.sources.length
        )}
        testId="sagemaker-flow-sources"
      >
        {flow.sources.length === 0 ? (
          <p>{trans.__('This flow imports no data yet.')}</p>
        ) : (
          <table className="jp-SageMakerDetail-table">
            <thead>
              <tr>
                <th>{trans.__('Data set')}</th>
                <th>{trans.__('Source')}</th>
                <th>{trans.__('Location')}</th>
                <th>{trans.__('Format')}</th>
              </tr>
            </thead>
            <tbody>
              {flow.sources.map(source => (
                <tr key={source.nodeId} data-source={source.name}>
                  <td>{source.name}</td>
                  <td>
                    {source.database
                      ? trans.__('%1 (%2)', source.sourceType, source.database)
                      : source.sourceType}
                  </td>
                  <td>
                    <code className="jp-SageMakerFlow-location">
                      {source.location}
                    </code>
                  </td>
                  <td>
                    {[
                      source.contentType,
                      source.hasHeader === true
                        ? trans.__('header row')
                        : source.hasHeader === false
                          ? trans.__('no header row')
                          : null
                    ]
                      .filter(Boolean)
                      .join(', ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </DetailSection>
      <DetailSection
        title={trans._n('%1 step', '%1 steps', flow.nodes.length)}
        testId="sagemaker-flow-steps"
      >
        <table className="jp-SageMakerDetail-table">
          <thead>
            <tr>
              <th>#</th>
              <th>{trans.__('Type')}</th>
              <th>{trans.__('Step')}</th>
              <th>{trans.__('Operator')}</th>
              <th>{trans.__('Reads')}</th>
            </tr>
          </thead>
          <tbody>
            {flow.nodes.map((node, i) => (
              <tr key={node.id} data-node-type={node.type} title={node.id}>
                <td>{i + 1}</td>
                <td>
                  <span
                    className={`jp-SageMakerFlow-type jp-mod-${node.type.toLowerCase()}`}
                  >
                    {node.type}
                  </span>
                </td>
                <td>{node.label}</td>
                <td>
                  <code>{node.operator}</code>
                </td>
                <td>{reads(node)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </DetailSection>
    </>
  );
}
