/**
 * Tests of the registry sections' List* calls against a fake SageMaker client: the request members sent and the
 * rows made of the answer.
 *
 * @jest-environment-options {"customExportConditions": ["node", "require"]}
 */
import {
  ListExperimentsCommand,
  ListFeatureGroupsCommand,
  ListModelPackageGroupsCommand,
  ListPipelinesCommand,
  ListProjectsCommand
} from '@aws-sdk/client-sagemaker';

import {
  listExperiments,
  listFeatureGroups,
  listModelPackageGroups,
  listPipelines,
  listProjects
} from '../registry/listCalls';

const created = new Date(1700000000000);

/** A client that records each command and answers it from `answers` by command class name. */
function fakeClient(answers: Record<string, unknown>) {
  const sent: Array<{ name: string; input: any }> = [];
  const client = {
    send: async (command: any) => {
      const name = command.constructor.name;
      sent.push({ name, input: command.input });
      return answers[name];
    }
  };
  return { client: client as any, sent };
}

const query = {
  nameContains: 'cancer',
  sortBy: 'created' as const,
  sortOrder: 'desc' as const,
  pageSize: 50,
  nextToken: 'tok'
};

describe('registry list calls', () => {
  it('lists model package groups with NameContains', async () => {
    const { client, sent } = fakeClient({
      [ListModelPackageGroupsCommand.name]: {
        ModelPackageGroupSummaryList: [
          {
            ModelPackageGroupName: 'breast-cancer-gbm-models',
            ModelPackageGroupArn: 'arn:g',
            ModelPackageGroupStatus: 'Completed',
            CreationTime: created
          }
        ],
        NextToken: 'next'
      }
    });
    const page = await listModelPackageGroups(client, query);
    expect(sent[0].input).toEqual({
      NameContains: 'cancer',
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
      MaxResults: 50,
      NextToken: 'tok'
    });
    expect(page).toEqual({
      items: [
        {
          name: 'breast-cancer-gbm-models',
          arn: 'arn:g',
          status: 'Completed',
          created: 1700000000000
        }
      ],
      nextToken: 'next'
    });
  });

  it('leaves the pipeline search to the client (the API has only a prefix)', async () => {
    const { client, sent } = fakeClient({
      [ListPipelinesCommand.name]: {
        PipelineSummaries: [
          { PipelineName: 'train', PipelineArn: 'arn:p', CreationTime: created }
        ]
      }
    });
    const page = await listPipelines(client, { ...query, sortBy: 'name' });
    expect(sent[0].input).not.toHaveProperty('PipelineNamePrefix');
    expect(sent[0].input.SortBy).toBe('Name');
    expect(page.items[0]).toEqual({
      name: 'train',
      arn: 'arn:p',
      status: null,
      created: 1700000000000
    });
    expect(page.nextToken).toBeUndefined();
  });

  it('lists projects, feature groups and experiments', async () => {
    const { client, sent } = fakeClient({
      [ListProjectsCommand.name]: {
        ProjectSummaryList: [
          {
            ProjectName: 'churn',
            ProjectArn: 'arn:pr',
            ProjectStatus: 'CreateCompleted'
          }
        ]
      },
      [ListFeatureGroupsCommand.name]: {
        FeatureGroupSummaries: [
          {
            FeatureGroupName: 'customers',
            FeatureGroupArn: 'arn:f',
            FeatureGroupStatus: 'Created',
            CreationTime: created
          }
        ]
      },
      [ListExperimentsCommand.name]: {
        ExperimentSummaries: [{ ExperimentName: 'e', ExperimentArn: 'arn:e' }]
      }
    });
    expect((await listProjects(client, query)).items[0]).toEqual({
      name: 'churn',
      arn: 'arn:pr',
      status: 'CreateCompleted',
      created: null
    });
    expect((await listFeatureGroups(client, query)).items[0].status).toBe(
      'Created'
    );
    expect((await listExperiments(client, query)).items[0].name).toBe('e');
    expect(sent.map(s => s.input.NameContains)).toEqual([
      'cancer',
      'cancer',
      undefined
    ]);
  });
});
