/**
 * Tests of the feature group and project tab models against a fake SageMaker client: DescribeFeatureGroup reduced
 * to the tab's shape and filtered; DescribeProject and the Searches finding a project's resources by its tags.
 *
 * @jest-environment-options {"customExportConditions": ["node", "require"]}
 */
import {
  DescribeFeatureGroupCommand,
  DescribeProjectCommand,
  SearchCommand
} from '@aws-sdk/client-sagemaker';

import {
  describeFeatureGroup,
  FeatureGroupModel,
  filterFeatures
} from '../registry/details/featureGroupModel';
import { followStatus, isTransitional } from '../registry/details/followStatus';
import {
  loadProject,
  projectSearchInput
} from '../registry/details/projectModel';
import { ResourceModel } from '../registry/details/resource';

const created = new Date(1717401600000);

/** A client answering each command with `answer(name, input)`; records what was sent. */
function fakeClient(answer: (name: string, input: any) => unknown) {
  const sent: Array<{ name: string; input: any }> = [];
  const client = {
    send: async (command: any) => {
      const name = command.constructor.name;
      sent.push({ name, input: command.input });
      const result = answer(name, command.input);
      if (result instanceof Error) {
        throw result;
      }
      return result;
    }
  };
  return { client: client as any, sent };
}

const FEATURE_GROUP = {
  FeatureGroupName: 'breast-cancer-biopsies',
  FeatureGroupArn:
    'arn:aws:sagemaker:us-east-1:123456789012:feature-group/breast-cancer-biopsies',
  FeatureGroupStatus: 'Created',
  CreationTime: created,
  Description: 'Biopsies',
  RecordIdentifierFeatureName: 'biopsy_id',
  EventTimeFeatureName: 'event_time',
  FeatureDefinitions: [
    { FeatureName: 'biopsy_id', FeatureType: 'String' },
    { FeatureName: 'mean_radius', FeatureType: 'Fractional' },
    { FeatureName: 'diagnosis', FeatureType: 'Integral' },
    {
      FeatureName: 'embedding',
      FeatureType: 'Fractional',
      CollectionType: 'Vector',
      CollectionConfig: { VectorConfig: { Dimension: 8 } }
    },
    { FeatureName: 'event_time', FeatureType: 'Fractional' }
  ],
  OnlineStoreConfig: {
    EnableOnlineStore: true,
    TtlDuration: { Unit: 'Days', Value: 30 },
    StorageType: 'InMemory'
  },
  OfflineStoreConfig: {
    S3StorageConfig: {
      S3Uri: 's3://bucket/fs',
      ResolvedOutputS3Uri:
        's3://bucket/fs/123456789012/sagemaker/us-east-1/offline-store/x/data',
      KmsKeyId: 'alias/fs'
    },
    DataCatalogConfig: {
      Catalog: 'AwsDataCatalog',
      Database: 'sagemaker_featurestore',
      TableName: 'breast_cancer_biopsies_1717401600'
    },
    TableFormat: 'Glue',
    DisableGlueTableCreation: false
  },
  OfflineStoreStatus: { Status: 'Blocked', BlockedReason: 'No access to S3' },
  RoleArn: 'arn:aws:iam::123456789012:role/FS',
  ThroughputConfig: { ThroughputMode: 'OnDemand' }
};

describe('feature group model', () => {
  it('describes the group and keeps what the tab shows', async () => {
    const { client, sent } = fakeClient(() => FEATURE_GROUP);
    const group = await describeFeatureGroup(
      client,
      'breast-cancer-biopsies',
      new AbortController().signal
    );
    expect(sent).toEqual([
      {
        name: DescribeFeatureGroupCommand.name,
        input: { FeatureGroupName: 'breast-cancer-biopsies' }
      }
    ]);
    expect(group.features.map(f => [f.name, f.type, f.role])).toEqual([
      ['biopsy_id', 'String', 'record-identifier'],
      ['mean_radius', 'Fractional', null],
      ['diagnosis', 'Integral', null],
      ['embedding', 'Fractional', null],
      ['event_time', 'Fractional', 'event-time']
    ]);
    expect(group.features[3]).toMatchObject({
      collectionType: 'Vector',
      dimension: 8
    });
    expect(group.online).toEqual({
      enabled: true,
      ttl: { value: 30, unit: 'Days' },
      kmsKeyId: null,
      storageType: 'InMemory'
    });
    expect(group.offline).toEqual({
      s3Uri: 's3://bucket/fs',
      resolvedS3Uri:
        's3://bucket/fs/123456789012/sagemaker/us-east-1/offline-store/x/data',
      kmsKeyId: 'alias/fs',
      table: {
        catalog: 'AwsDataCatalog',
        database: 'sagemaker_featurestore',
        name: 'breast_cancer_biopsies_1717401600'
      },
      tableFormat: 'Glue',
      disableGlueTableCreation: false
    });
    expect(group.offlineStatus).toEqual({
      status: 'Blocked',
      blockedReason: 'No access to S3'
    });
    expect(group.created).toBe(created.getTime());
    expect(group.throughputMode).toBe('OnDemand');
  });

  it('has no stores it was not given', async () => {
    const { client } = fakeClient(() => ({
      ...FEATURE_GROUP,
      OnlineStoreConfig: undefined,
      OfflineStoreConfig: undefined,
      OfflineStoreStatus: undefined,
      FeatureGroupStatus: 'CreateFailed',
      FailureReason: 'Role cannot be assumed'
    }));
    const group = await describeFeatureGroup(
      client,
      'x',
      new AbortController().signal
    );
    expect(group.online).toBeNull();
    expect(group.offline).toBeNull();
    expect(group.offlineStatus).toBeNull();
    expect(group.failureReason).toBe('Role cannot be assumed');
  });

  it('filters features by name or type, and the model follows the filter', async () => {
    const { client } = fakeClient(() => FEATURE_GROUP);
    const model = new FeatureGroupModel({
      load: signal => describeFeatureGroup(client, 'g', signal),
      describeError: err => String(err)
    });
    let changes = 0;
    model.changed.connect(() => changes++);
    await model.refresh();
    expect(model.features).toHaveLength(5);
    model.setFilter('MEAN');
    expect(model.features.map(f => f.name)).toEqual(['mean_radius']);
    model.setFilter('integral');
    expect(model.features.map(f => f.name)).toEqual(['diagnosis']);
    model.setFilter('vector');
    expect(model.features.map(f => f.name)).toEqual(['embedding']);
    expect(changes).toBeGreaterThanOrEqual(5);
    expect(filterFeatures(model.resource.data!.features, '  ')).toHaveLength(5);
    model.dispose();
  });

  it('says why the group could not be described', async () => {
    const { client } = fakeClient(() => new Error('AccessDenied'));
    const model = new FeatureGroupModel({
      load: signal => describeFeatureGroup(client, 'g', signal),
      describeError: err => `Denied: ${(err as Error).message}`
    });
    await model.refresh();
    expect(model.resource.status).toBe('error');
    expect(model.resource.error).toBe('Denied: AccessDenied');
    expect(model.features).toEqual([]);
  });
});

const PROJECT = {
  ProjectName: 'clinical-models-mlops',
  ProjectId: 'p-abcdef123456',
  ProjectArn:
    'arn:aws:sagemaker:us-east-1:123456789012:project/clinical-models-mlops',
  ProjectStatus: 'CreateCompleted',
  ProjectDescription: 'Clinical models',
  CreationTime: created,
  CreatedBy: { UserProfileName: 'ana' },
  ServiceCatalogProvisioningDetails: {
    ProductId: 'prod-abc',
    ProvisioningArtifactId: 'pa-abc',
    ProvisioningParameters: [{ Key: 'Env', Value: 'dev' }]
  },
  ServiceCatalogProvisionedProductDetails: {
    ProvisionedProductId: 'pp-1',
    ProvisionedProductStatusMessage: 'AVAILABLE'
  },
  TemplateProviderDetails: [
    {
      CfnTemplateProviderDetail: {
        TemplateName: 'build',
        TemplateURL: 'https://example.com/t.yaml',
        Parameters: [{ Key: 'A', Value: 'b' }]
      }
    }
  ]
};

describe('project model', () => {
  it('asks Search for either project tag, newest first', () => {
    expect(
      projectSearchInput('model-package-group', {
        name: 'clinical-models-mlops',
        id: 'p-abcdef123456'
      })
    ).toEqual({
      Resource: 'ModelPackageGroup',
      SearchExpression: {
        Filters: [
          {
            Name: 'Tags.sagemaker:project-name',
            Operator: 'Equals',
            Value: 'clinical-models-mlops'
          },
          {
            Name: 'Tags.sagemaker:project-id',
            Operator: 'Equals',
            Value: 'p-abcdef123456'
          }
        ],
        Operator: 'Or'
      },
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
      MaxResults: 100
    });
  });

  it('describes the project and finds its resources, paging the Search', async () => {
    const { client, sent } = fakeClient((name, input) => {
      if (name === DescribeProjectCommand.name) {
        return PROJECT;
      }
      if (input.Resource === 'Pipeline') {
        return input.NextToken
          ? {
              Results: [
                {
                  Pipeline: {
                    PipelineName: 'diabetes-batch-scoring',
                    PipelineArn: 'arn:p2',
                    PipelineStatus: 'Active',
                    CreationTime: created
                  }
                }
              ]
            }
          : {
              Results: [
                {
                  Pipeline: {
                    PipelineName: 'breast-cancer-gbm-build',
                    PipelineArn: 'arn:p1',
                    PipelineStatus: 'Active',
                    CreationTime: created
                  }
                }
              ],
              NextToken: 'page2'
            };
      }
      if (input.Resource === 'ModelPackageGroup') {
        return {
          Results: [
            {
              ModelPackageGroup: {
                ModelPackageGroupName: 'breast-cancer-gbm-models',
                ModelPackageGroupArn: 'arn:g1',
                ModelPackageGroupStatus: 'Completed'
              }
            }
          ]
        };
      }
      return new Error('User is not authorized to perform: sagemaker:Search');
    });
    const project = await loadProject(
      client,
      'clinical-models-mlops',
      new AbortController().signal,
      err => `Denied: ${(err as Error).message}`
    );
    expect(sent[0]).toEqual({
      name: DescribeProjectCommand.name,
      input: { ProjectName: 'clinical-models-mlops' }
    });
    const searches = sent.filter(s => s.name === SearchCommand.name);
    expect(searches.map(s => [s.input.Resource, s.input.NextToken])).toEqual(
      expect.arrayContaining([
        ['Pipeline', undefined],
        ['Pipeline', 'page2'],
        ['ModelPackageGroup', undefined],
        ['Endpoint', undefined]
      ])
    );
    expect(project).toMatchObject({
      name: 'clinical-models-mlops',
      id: 'p-abcdef123456',
      status: 'CreateCompleted',
      createdBy: 'ana',
      serviceCatalog: {
        productId: 'prod-abc',
        provisioningArtifactId: 'pa-abc',
        pathId: null,
        parameters: [{ key: 'Env', value: 'dev' }]
      },
      provisionedProduct: { id: 'pp-1', statusMessage: 'AVAILABLE' },
      templateProviders: [
        {
          templateName: 'build',
          templateUrl: 'https://example.com/t.yaml',
          roleArn: null,
          parameters: [{ key: 'A', value: 'b' }]
        }
      ]
    });
    expect(project.resources.pipeline.items.map(p => p.name)).toEqual([
      'breast-cancer-gbm-build',
      'diabetes-batch-scoring'
    ]);
    expect(project.resources.pipeline.items[0]).toEqual({
      kind: 'pipeline',
      name: 'breast-cancer-gbm-build',
      arn: 'arn:p1',
      status: 'Active',
      created: created.getTime()
    });
    expect(project.resources['model-package-group']).toEqual({
      items: [
        {
          kind: 'model-package-group',
          name: 'breast-cancer-gbm-models',
          arn: 'arn:g1',
          status: 'Completed',
          created: null
        }
      ],
      truncated: false,
      error: null
    });
    // One denied Search leaves the rest of the tab working.
    expect(project.resources.endpoint).toEqual({
      items: [],
      truncated: false,
      error: 'Denied: User is not authorized to perform: sagemaker:Search'
    });
  });

  it('fails as a whole when the project cannot be described', async () => {
    const { client, sent } = fakeClient(
      () => new Error('Project nowhere does not exist.')
    );
    await expect(
      loadProject(client, 'nowhere', new AbortController().signal, String)
    ).rejects.toThrow('does not exist');
    expect(sent.map(s => s.name)).toEqual([DescribeProjectCommand.name]);
  });
});

describe('followStatus', () => {
  it('knows which statuses change by themselves', () => {
    expect(
      ['Creating', 'CreateInProgress', 'Deleting', 'UpdateInProgress'].every(
        isTransitional
      )
    ).toBe(true);
    expect(
      ['Created', 'CreateCompleted', 'CreateFailed', 'Active', null].some(
        isTransitional
      )
    ).toBe(false);
  });

  it('describes again while the status changes, then stops', async () => {
    const statuses = ['Creating', 'Creating', 'Created'];
    let loads = 0;
    const model = new ResourceModel<{ status: string }>({
      load: async () => ({ status: statuses[Math.min(loads++, 2)] }),
      describeError: String
    });
    const following = followStatus(model, data => data.status, 0.05);
    await model.refresh();
    await new Promise(r => setTimeout(r, 600));
    expect(model.data?.status).toBe('Created');
    expect(loads).toBe(3);
    following.dispose();
    model.dispose();
  });
});
