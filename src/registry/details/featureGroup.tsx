/**
 * The feature group tab: status, record identifier and event time, the feature list with types (filterable), and
 * the online and offline store configuration. Reads {@link FeatureGroupModel}; the SDK call is made in the model
 * module.
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
  describeFeatureGroup,
  FeatureGroupModel,
  type IFeature,
  type IFeatureGroup,
  type IOfflineStore,
  type IOnlineStore
} from './featureGroupModel';
import type { IDetailContent, IDetailContext, IResourceChange } from './types';

/** Build the tab of a feature group. */
export function createDetail(ctx: IDetailContext): IDetailContent {
  const model = new FeatureGroupModel({
    load: async signal =>
      describeFeatureGroup(
        await ctx.connection.sagemaker(),
        ctx.resource.name,
        signal
      ),
    describeError: err => ctx.connection.describeError(err)
  });
  const content = new FeatureGroupView({ model, trans: ctx.trans });
  const onChange = (_: unknown, change: IResourceChange) => {
    if (change.kind === 'feature-group' && change.name === ctx.resource.name) {
      void model.refresh();
    }
  };
  ctx.changes.connect(onChange);
  const following = followStatus(model.resource, group => group.status);
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
          tooltip: ctx.trans.__('Describe the feature group again'),
          onClick: () => void model.refresh()
        })
      }
    ]
  };
}

/** The widget of the tab; disposing it disposes the model. */
export class FeatureGroupView extends ReactWidget {
  /** Create the view of a model. */
  constructor(options: { model: FeatureGroupModel; trans: TranslationBundle }) {
    super();
    this._model = options.model;
    this._trans = options.trans;
    this.addClass('jp-SageMakerDetail-body');
    this.addClass('jp-SageMakerFeatureGroup');
  }

  /** Render; re-rendered on every model change. */
  render(): JSX.Element {
    return (
      <UseSignal signal={this._model.changed}>
        {() => (
          <DetailFrame model={this._model.resource} trans={this._trans}>
            {group => (
              <FeatureGroupBody
                group={group}
                model={this._model}
                trans={this._trans}
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

  private _model: FeatureGroupModel;
  private _trans: TranslationBundle;
}

/** Everything below the frame. */
function FeatureGroupBody({
  group,
  model,
  trans
}: {
  group: IFeatureGroup;
  model: FeatureGroupModel;
  trans: TranslationBundle;
}): JSX.Element {
  return (
    <>
      <div className="jp-SageMakerFeatures-header">
        <h2>{group.name}</h2>
        <StatusBadge status={group.status} trans={trans} />
        <UpdatedAgo
          updatedAt={model.resource.updatedAt}
          loading={model.resource.isLoading}
          trans={trans}
          className="jp-SageMakerFeatures-updated"
        />
      </div>
      {group.failureReason && (
        <div className="jp-SageMakerDetail-error" role="alert">
          {trans.__('Failure reason: %1', group.failureReason)}
        </div>
      )}
      <DetailSection
        title={trans.__('Overview')}
        testId="sagemaker-fg-overview"
      >
        <Fields
          fields={[
            [trans.__('ARN'), group.arn],
            [trans.__('Created'), <When date={group.created} />],
            [trans.__('Description'), group.description],
            [
              trans.__('Record identifier'),
              <code data-testid="sagemaker-fg-record-identifier">
                {group.recordIdentifier}
              </code>
            ],
            [
              trans.__('Event time'),
              <code data-testid="sagemaker-fg-event-time">
                {group.eventTime}
              </code>
            ],
            [trans.__('Role ARN'), group.roleArn],
            [trans.__('Throughput mode'), group.throughputMode],
            [
              trans.__('Offline store status'),
              group.offlineStatus
                ? group.offlineStatus.blockedReason
                  ? trans.__(
                      '%1 (%2)',
                      group.offlineStatus.status,
                      group.offlineStatus.blockedReason
                    )
                  : group.offlineStatus.status
                : null
            ]
          ]}
        />
      </DetailSection>
      <FeatureList group={group} model={model} trans={trans} />
      <OnlineStore online={group.online} trans={trans} />
      <OfflineStore offline={group.offline} trans={trans} />
    </>
  );
}

/** The features with their types, filtered by the model's filter text. */
function FeatureList({
  group,
  model,
  trans
}: {
  group: IFeatureGroup;
  model: FeatureGroupModel;
  trans: TranslationBundle;
}): JSX.Element {
  const features = model.features;
  const total = group.features.length;
  return (
    <DetailSection
      title={trans._n('%1 feature', '%1 features', total)}
      testId="sagemaker-fg-features"
    >
      <input
        type="search"
        className="jp-SageMakerFeatures-filter"
        data-testid="sagemaker-fg-filter"
        placeholder={trans.__('Filter features by name or type')}
        aria-label={trans.__('Filter the features of %1', group.name)}
        value={model.filter}
        onChange={event => model.setFilter(event.currentTarget.value)}
      />
      {features.length === 0 ? (
        <p className="jp-SageMakerFeatures-none">
          {total === 0
            ? trans.__('This feature group defines no features.')
            : trans.__(
                'No feature name or type contains “%1”. Change or clear the filter.',
                model.filter
              )}
        </p>
      ) : (
        <table className="jp-SageMakerDetail-table jp-SageMakerFeatures-table">
          <thead>
            <tr>
              <th>{trans.__('Feature')}</th>
              <th>{trans.__('Type')}</th>
              <th>{trans.__('Collection')}</th>
              <th>{trans.__('Role')}</th>
            </tr>
          </thead>
          <tbody>
            {features.map(feature => (
              <FeatureRow key={feature.name} feature={feature} trans={trans} />
            ))}
          </tbody>
        </table>
      )}
    </DetailSection>
  );
}

/** One feature; the record identifier and event time rows are highlighted. */
function FeatureRow({
  feature,
  trans
}: {
  feature: IFeature;
  trans: TranslationBundle;
}): JSX.Element {
  const role =
    feature.role === 'record-identifier'
      ? trans.__('Record identifier')
      : feature.role === 'event-time'
        ? trans.__('Event time')
        : '';
  return (
    <tr
      className={feature.role ? 'jp-SageMakerFeatures-key' : undefined}
      data-feature={feature.name}
      data-role={feature.role ?? ''}
    >
      <td>
        <code>{feature.name}</code>
      </td>
      <td>{featureTypeLabel(feature.type, trans)}</td>
      <td>
        {feature.collectionType
          ? feature.dimension !== null
            ? trans.__(
                '%1 (dimension %2)',
                feature.collectionType,
                feature.dimension
              )
            : feature.collectionType
          : ''}
      </td>
      <td>
        {role && <span className="jp-SageMakerFeatures-role">{role}</span>}
      </td>
    </tr>
  );
}

/** A feature type with what it holds, e.g. "Integral (integer)". */
export function featureTypeLabel(
  type: string,
  trans: TranslationBundle
): string {
  switch (type) {
    case 'Integral':
      return trans.__('Integral (integer)');
    case 'Fractional':
      return trans.__('Fractional (floating point)');
    case 'String':
      return trans.__('String');
    default:
      return type;
  }
}

/** The online store configuration, or what it means to have none. */
function OnlineStore({
  online,
  trans
}: {
  online: IOnlineStore | null;
  trans: TranslationBundle;
}): JSX.Element {
  return (
    <DetailSection
      title={trans.__('Online store')}
      testId="sagemaker-fg-online"
    >
      {online?.enabled ? (
        <Fields
          fields={[
            [trans.__('Enabled'), trans.__('Yes')],
            [
              trans.__('Time to live'),
              online.ttl
                ? trans.__('%1 %2', online.ttl.value, online.ttl.unit)
                : trans.__('None (records are kept until deleted)')
            ],
            [
              trans.__('Storage type'),
              online.storageType ?? trans.__('Standard')
            ],
            [
              trans.__('KMS key'),
              online.kmsKeyId ?? trans.__('AWS managed key')
            ]
          ]}
        />
      ) : (
        <p>
          {trans.__(
            'No online store: records are written only to the offline store, for training and batch inference.'
          )}
        </p>
      )}
    </DetailSection>
  );
}

/** The offline store configuration, or what it means to have none. */
function OfflineStore({
  offline,
  trans
}: {
  offline: IOfflineStore | null;
  trans: TranslationBundle;
}): JSX.Element {
  return (
    <DetailSection
      title={trans.__('Offline store')}
      testId="sagemaker-fg-offline"
    >
      {offline ? (
        <Fields
          fields={[
            [trans.__('S3 URI'), offline.s3Uri],
            [trans.__('Resolved output S3 URI'), offline.resolvedS3Uri],
            [
              trans.__('Data catalog table'),
              offline.table
                ? `${offline.table.catalog}.${offline.table.database}.${offline.table.name}`
                : null
            ],
            [trans.__('Table format'), offline.tableFormat],
            [
              trans.__('Glue table creation'),
              offline.disableGlueTableCreation
                ? trans.__('Disabled')
                : trans.__('Enabled')
            ],
            [
              trans.__('KMS key'),
              offline.kmsKeyId ?? trans.__('AWS managed key')
            ]
          ]}
        />
      ) : (
        <p>
          {trans.__(
            'No offline store: records are kept only in the online store, for low-latency reads.'
          )}
        </p>
      )}
    </DetailSection>
  );
}
