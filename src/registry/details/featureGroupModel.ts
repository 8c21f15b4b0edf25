/**
 * State of a feature group tab: DescribeFeatureGroup reduced to what the tab shows (status, identifiers, features,
 * online and offline store), and the filter of the feature list. No DOM; the SDK is only touched by
 * {@link describeFeatureGroup}, which the view hands in.
 */
import type {
  DescribeFeatureGroupCommandOutput,
  SageMakerClient
} from '@aws-sdk/client-sagemaker';
import type { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { ResourceModel } from './resource';

/** What a feature is to the group. */
export type FeatureRole = 'record-identifier' | 'event-time' | null;

/** One feature definition. */
export interface IFeature {
  /** Feature name. */
  name: string;
  /** Integral, Fractional or String. */
  type: string;
  /** List, Set or Vector, when the feature is a collection. */
  collectionType: string | null;
  /** A vector's dimension. */
  dimension: number | null;
  /** Whether the feature identifies the record or holds its event time. */
  role: FeatureRole;
}

/** The online store's configuration. */
export interface IOnlineStore {
  /** Whether records are kept for low-latency reads. */
  enabled: boolean;
  /** Time to live of a record, e.g. { value: 7, unit: 'Days' }. */
  ttl: { value: number; unit: string } | null;
  /** KMS key encrypting the store. */
  kmsKeyId: string | null;
  /** Standard or InMemory. */
  storageType: string | null;
}

/** The offline store's configuration. */
export interface IOfflineStore {
  /** Where the records are written, as configured. */
  s3Uri: string | null;
  /** Where they actually are (SageMaker appends account, region and group). */
  resolvedS3Uri: string | null;
  /** KMS key encrypting the objects. */
  kmsKeyId: string | null;
  /** The Glue table over the records. */
  table: { catalog: string; database: string; name: string } | null;
  /** Glue or Iceberg. */
  tableFormat: string | null;
  /** Whether SageMaker was told not to create the Glue table. */
  disableGlueTableCreation: boolean;
}

/** A feature group as the tab shows it. */
export interface IFeatureGroup {
  /** Name. */
  name: string;
  /** ARN. */
  arn: string;
  /** Creating, Created, CreateFailed, Deleting, DeleteFailed. */
  status: string | null;
  /** Why creation or deletion failed. */
  failureReason: string | null;
  /** Creation time (ms since epoch). */
  created: number | null;
  /** Description. */
  description: string | null;
  /** Name of the record identifier feature. */
  recordIdentifier: string;
  /** Name of the event time feature. */
  eventTime: string;
  /** The features, in definition order. */
  features: IFeature[];
  /** Online store, or null when the group has none configured. */
  online: IOnlineStore | null;
  /** Offline store, or null when the group has none. */
  offline: IOfflineStore | null;
  /** Offline store status (Active, Blocked, Disabled) and why it is blocked. */
  offlineStatus: { status: string; blockedReason: string | null } | null;
  /** Role the offline store writes with. */
  roleArn: string | null;
  /** OnDemand or Provisioned. */
  throughputMode: string | null;
}

/** DescribeFeatureGroup's answer in the shape the tab shows. */
export function featureGroupFromDescribe(
  output: Omit<DescribeFeatureGroupCommandOutput, '$metadata'>
): IFeatureGroup {
  const recordIdentifier = output.RecordIdentifierFeatureName ?? '';
  const eventTime = output.EventTimeFeatureName ?? '';
  const online = output.OnlineStoreConfig;
  const offline = output.OfflineStoreConfig;
  const catalog = offline?.DataCatalogConfig;
  return {
    name: output.FeatureGroupName ?? '',
    arn: output.FeatureGroupArn ?? '',
    status: output.FeatureGroupStatus ?? null,
    failureReason: output.FailureReason ?? null,
    created: output.CreationTime ? output.CreationTime.getTime() : null,
    description: output.Description ?? null,
    recordIdentifier,
    eventTime,
    features: (output.FeatureDefinitions ?? []).map(f => ({
      name: f.FeatureName ?? '',
      type: f.FeatureType ?? '',
      collectionType: f.CollectionType ?? null,
      dimension: f.CollectionConfig?.VectorConfig?.Dimension ?? null,
      role:
        f.FeatureName === recordIdentifier
          ? 'record-identifier'
          : f.FeatureName === eventTime
            ? 'event-time'
            : null
    })),
    online: online
      ? {
          enabled: online.EnableOnlineStore ?? false,
          ttl:
            online.TtlDuration?.Value !== undefined
              ? {
                  value: online.TtlDuration.Value,
                  unit: online.TtlDuration.Unit ?? ''
                }
              : null,
          kmsKeyId: online.SecurityConfig?.KmsKeyId ?? null,
          storageType: online.StorageType ?? null
        }
      : null,
    offline: offline
      ? {
          s3Uri: offline.S3StorageConfig?.S3Uri ?? null,
          resolvedS3Uri: offline.S3StorageConfig?.ResolvedOutputS3Uri ?? null,
          kmsKeyId: offline.S3StorageConfig?.KmsKeyId ?? null,
          table:
            catalog?.TableName !== undefined
              ? {
                  catalog: catalog.Catalog ?? '',
                  database: catalog.Database ?? '',
                  name: catalog.TableName
                }
              : null,
          tableFormat: offline.TableFormat ?? null,
          disableGlueTableCreation: offline.DisableGlueTableCreation ?? false
        }
      : null,
    offlineStatus: output.OfflineStoreStatus?.Status
      ? {
          status: output.OfflineStoreStatus.Status,
          blockedReason: output.OfflineStoreStatus.BlockedReason ?? null
        }
      : null,
    roleArn: output.RoleArn ?? null,
    throughputMode: output.ThroughputConfig?.ThroughputMode ?? null
  };
}

/** Call DescribeFeatureGroup and reduce its answer. */
export async function describeFeatureGroup(
  client: SageMakerClient,
  name: string,
  signal: AbortSignal
): Promise<IFeatureGroup> {
  const { DescribeFeatureGroupCommand } =
    await import('@aws-sdk/client-sagemaker');
  const output = await client.send(
    new DescribeFeatureGroupCommand({ FeatureGroupName: name }),
    { abortSignal: signal }
  );
  return featureGroupFromDescribe(output);
}

/** The features whose name or type contains the text (case-insensitive); all of them for an empty text. */
export function filterFeatures(
  features: ReadonlyArray<IFeature>,
  text: string
): IFeature[] {
  const needle = text.trim().toLowerCase();
  if (!needle) {
    return features.slice();
  }
  return features.filter(
    f =>
      f.name.toLowerCase().includes(needle) ||
      f.type.toLowerCase().includes(needle) ||
      (f.collectionType ?? '').toLowerCase().includes(needle)
  );
}

/** The feature group tab's state: the described group and the feature filter. */
export class FeatureGroupModel implements IDisposable {
  /** Create the model; call {@link refresh} to load. */
  constructor(options: FeatureGroupModel.IOptions) {
    this.resource = new ResourceModel<IFeatureGroup>({
      load: options.load,
      describeError: options.describeError
    });
    this.resource.changed.connect(this._emit, this);
  }

  /** The described group, its loading state and error. */
  readonly resource: ResourceModel<IFeatureGroup>;

  /** The text filtering the feature list. */
  get filter(): string {
    return this._filter;
  }

  /** The features matching the filter, in definition order. */
  get features(): IFeature[] {
    return filterFeatures(this.resource.data?.features ?? [], this._filter);
  }

  /** Emitted when the group, its state or the filter changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Whether the model was disposed. */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Filter the feature list. */
  setFilter(text: string): void {
    if (text !== this._filter) {
      this._filter = text;
      this._changed.emit();
    }
  }

  /** Describe the group again. */
  refresh(): Promise<void> {
    return this.resource.refresh();
  }

  /** Stop loading and disconnect. */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this.resource.dispose();
    Signal.clearData(this);
  }

  private _emit(): void {
    this._changed.emit();
  }

  private _filter = '';
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
}

/** Types of {@link FeatureGroupModel}. */
export namespace FeatureGroupModel {
  /** Options of the model. */
  export interface IOptions {
    /** Loads the group (DescribeFeatureGroup). */
    load: (signal: AbortSignal) => Promise<IFeatureGroup>;
    /** Turns a failure into the sentence shown. */
    describeError: (err: unknown) => string;
  }
}
