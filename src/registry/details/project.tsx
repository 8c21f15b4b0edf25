/**
 * The project tab: DescribeProject (status, id, Service Catalog product or template provider) and the project's
 * pipelines, model groups and endpoints (found by AWS's project tags), each opening its own tab.
 */
import '../../../style/features.css';
import type { TranslationBundle } from '@jupyterlab/translation';
import {
  ReactWidget,
  refreshIcon,
  ToolbarButton,
  UseSignal
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { UpdatedAgo } from '../EndpointsView';
import {
  DetailFrame,
  DetailSection,
  Fields,
  StatusBadge,
  When
} from './components';
import { followStatus } from './followStatus';
import {
  type IParameter,
  type IProject,
  type IProjectResources,
  loadProject,
  PROJECT_ID_TAG,
  PROJECT_NAME_TAG,
  PROJECT_RESOURCE_KINDS,
  type ProjectResourceKind
} from './projectModel';
import { ResourceModel } from './resource';
import type {
  IDetailContent,
  IDetailContext,
  IResourceChange,
  IResourceRef
} from './types';

/** Build the tab of a project. */
export function createDetail(ctx: IDetailContext): IDetailContent {
  const describeError = (err: unknown) => ctx.connection.describeError(err);
  const model = new ResourceModel<IProject>({
    load: async signal =>
      loadProject(
        await ctx.connection.sagemaker(),
        ctx.resource.name,
        signal,
        describeError
      ),
    describeError
  });
  const content = new ProjectView({ model, trans: ctx.trans, open: ctx.open });
  // The tab follows changes to the project and to the resources it lists (a deleted endpoint leaves it).
  const onChange = (_: unknown, change: IResourceChange) => {
    const data = model.data;
    const listed =
      data !== null &&
      (PROJECT_RESOURCE_KINDS as ReadonlyArray<string>).includes(change.kind) &&
      (change.change === 'created' ||
        data.resources[change.kind as ProjectResourceKind].items.some(
          r => r.name === change.name
        ));
    if (
      (change.kind === 'project' && change.name === ctx.resource.name) ||
      listed
    ) {
      void model.refresh();
    }
  };
  ctx.changes.connect(onChange);
  const following = followStatus(model, project => project.status);
  content.disposed.connect(() => {
    ctx.changes.disconnect(onChange);
    following.dispose();
  });
  void model.refresh();
  return {
    content,
    toolbar: [
      {
        name: 'refresh',
        widget: new ToolbarButton({
          icon: refreshIcon,
          tooltip: ctx.trans.__(
            'Describe the project and find its resources again'
          ),
          onClick: () => void model.refresh()
        })
      }
    ]
  };
}

/** The widget of the tab; disposing it disposes the model. */
export class ProjectView extends ReactWidget {
  /** Create the view. */
  constructor(options: {
    model: ResourceModel<IProject>;
    trans: TranslationBundle;
    open: (ref: IResourceRef) => void;
  }) {
    super();
    this._model = options.model;
    this._trans = options.trans;
    this._open = options.open;
    this.addClass('jp-SageMakerDetail-body');
    this.addClass('jp-SageMakerProject');
  }

  /** Render; re-rendered on every model change. */
  render(): JSX.Element {
    return (
      <UseSignal signal={this._model.changed}>
        {() => (
          <DetailFrame model={this._model} trans={this._trans}>
            {project => (
              <ProjectBody
                project={project}
                model={this._model}
                trans={this._trans}
                open={this._open}
              />
            )}
          </DetailFrame>
        )}
      </UseSignal>
    );
  }

  /** Dispose the model with the view. */
  dispose(): void {
    this._model.dispose();
    super.dispose();
  }

  private _model: ResourceModel<IProject>;
  private _trans: TranslationBundle;
  private _open: (ref: IResourceRef) => void;
}

/** Key-value parameters as "key = value" lines. */
function Parameters({ parameters }: { parameters: IParameter[] }) {
  if (parameters.length === 0) {
    return null;
  }
  return (
    <ul className="jp-SageMakerProject-parameters">
      {parameters.map(p => (
        <li key={p.key}>
          <code>{p.key}</code> = <code>{p.value}</code>
        </li>
      ))}
    </ul>
  );
}

/** Everything below the frame. */
function ProjectBody({
  project,
  model,
  trans,
  open
}: {
  project: IProject;
  model: ResourceModel<IProject>;
  trans: TranslationBundle;
  open: (ref: IResourceRef) => void;
}): JSX.Element {
  const catalog = project.serviceCatalog;
  const fields: Array<[string, React.ReactNode]> = [
    [trans.__('Project ID'), project.id],
    [trans.__('ARN'), project.arn],
    [trans.__('Description'), project.description],
    [trans.__('Created'), <When date={project.created} />],
    [trans.__('Created by'), project.createdBy]
  ];
  if (catalog) {
    fields.push(
      [trans.__('Service Catalog product'), catalog.productId],
      [trans.__('Provisioning artifact'), catalog.provisioningArtifactId],
      [trans.__('Launch path'), catalog.pathId],
      [
        trans.__('Provisioning parameters'),
        catalog.parameters.length ? (
          <Parameters parameters={catalog.parameters} />
        ) : null
      ]
    );
  }
  if (project.provisionedProduct) {
    fields.push(
      [trans.__('Provisioned product'), project.provisionedProduct.id],
      [
        trans.__('Provisioning status'),
        project.provisionedProduct.statusMessage
      ]
    );
  }
  return (
    <>
      <div className="jp-SageMakerFeatures-header">
        <h2>{project.name}</h2>
        <StatusBadge status={project.status} trans={trans} />
        <UpdatedAgo
          updatedAt={model.updatedAt}
          loading={model.isLoading}
          trans={trans}
          className="jp-SageMakerFeatures-updated"
        />
      </div>
      <DetailSection
        title={trans.__('Overview')}
        testId="sagemaker-project-overview"
      >
        <Fields fields={fields} />
      </DetailSection>
      {project.templateProviders.map(t => (
        <DetailSection
          key={t.templateName}
          title={trans.__('Template provider: %1', t.templateName)}
        >
          <Fields
            fields={[
              [trans.__('Template URL'), t.templateUrl],
              [trans.__('Role ARN'), t.roleArn],
              [
                trans.__('Parameters'),
                t.parameters.length ? (
                  <Parameters parameters={t.parameters} />
                ) : null
              ]
            ]}
          />
        </DetailSection>
      ))}
      <p className="jp-SageMakerProject-hint">
        {trans.__(
          'Resources belong to this project when they carry the tag %1 = %2 or %3 = %4, as AWS tags the resources of a project.',
          PROJECT_NAME_TAG,
          project.name,
          PROJECT_ID_TAG,
          project.id
        )}
      </p>
      {PROJECT_RESOURCE_KINDS.map(kind => (
        <ResourceList
          key={kind}
          kind={kind}
          list={project.resources[kind]}
          trans={trans}
          open={open}
        />
      ))}
    </>
  );
}

/** Section titles and empty sentences by kind. */
function wording(
  kind: ProjectResourceKind,
  n: number,
  trans: TranslationBundle
) {
  switch (kind) {
    case 'pipeline':
      return {
        title: trans._n('%1 pipeline', '%1 pipelines', n),
        empty: trans.__('No pipeline carries this project’s tags.')
      };
    case 'model-package-group':
      return {
        title: trans._n('%1 model group', '%1 model groups', n),
        empty: trans.__('No model group carries this project’s tags.')
      };
    case 'endpoint':
      return {
        title: trans._n('%1 endpoint', '%1 endpoints', n),
        empty: trans.__('No endpoint carries this project’s tags.')
      };
  }
}

/** The resources of one kind: names open their tabs. */
function ResourceList({
  kind,
  list,
  trans,
  open
}: {
  kind: ProjectResourceKind;
  list: IProjectResources;
  trans: TranslationBundle;
  open: (ref: IResourceRef) => void;
}): JSX.Element {
  const { title, empty } = wording(kind, list.items.length, trans);
  let body: React.ReactNode;
  if (list.error) {
    body = (
      <div className="jp-SageMakerDetail-error" role="alert">
        {list.error}
      </div>
    );
  } else if (list.items.length === 0) {
    body = <p className="jp-SageMakerProject-empty">{empty}</p>;
  } else {
    body = (
      <table className="jp-SageMakerDetail-table">
        <thead>
          <tr>
            <th>{trans.__('Name')}</th>
            <th>{trans.__('Status')}</th>
            <th>{trans.__('Created')}</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map(item => (
            <tr key={item.arn || item.name} data-name={item.name}>
              <td>
                <button
                  className="jp-SageMakerProject-open"
                  title={trans.__('Open %1', item.name)}
                  onClick={() => open({ kind, name: item.name })}
                >
                  {item.name}
                </button>
              </td>
              <td>
                <StatusBadge status={item.status} trans={trans} />
              </td>
              <td>
                <When date={item.created} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  return (
    <DetailSection title={title} testId={`sagemaker-project-${kind}s`}>
      {body}
      {list.truncated && (
        <p className="jp-SageMakerProject-hint">
          {trans.__('Only the newest %1 are listed.', list.items.length)}
        </p>
      )}
    </DetailSection>
  );
}
