/**
 * The SageMaker List* calls behind the generic registry sections, one page per call, each answer reduced to the
 * rows the sections show (name, status, created).
 *
 * Imported with `import()` by the section descriptors, so these commands load with the SDK on first use.
 */
import {
  ListExperimentsCommand,
  ListFeatureGroupsCommand,
  ListModelPackageGroupsCommand,
  ListPipelinesCommand,
  ListProjectsCommand,
  SageMakerClient
} from '@aws-sdk/client-sagemaker';

import type { SectionModel } from './section';

/** One page of rows, in the SDK-free shape the section model keeps. */
export type ListCall = (
  client: SageMakerClient,
  query: SectionModel.IQuery
) => Promise<SectionModel.IPage>;

/** The AWS members common to the List* inputs the sections use. */
function commonInput(query: SectionModel.IQuery) {
  return {
    SortBy: query.sortBy === 'name' ? 'Name' : 'CreationTime',
    SortOrder: query.sortOrder === 'asc' ? 'Ascending' : 'Descending',
    MaxResults: query.pageSize,
    NextToken: query.nextToken
  } as const;
}

/** A Date from the SDK as ms since epoch. */
function ms(date: Date | undefined): number | null {
  return date ? date.getTime() : null;
}

/** ListModelPackageGroups, filtered on the server by NameContains. */
export const listModelPackageGroups: ListCall = async (client, query) => {
  const page = await client.send(
    new ListModelPackageGroupsCommand({
      ...commonInput(query),
      NameContains: query.nameContains || undefined
    }),
    { abortSignal: query.signal }
  );
  return {
    items: (page.ModelPackageGroupSummaryList ?? []).map(g => ({
      name: g.ModelPackageGroupName ?? '',
      arn: g.ModelPackageGroupArn ?? '',
      status: g.ModelPackageGroupStatus ?? null,
      created: ms(g.CreationTime)
    })),
    nextToken: page.NextToken
  };
};

/**
 * ListPipelines. Its only name filter is PipelineNamePrefix, which would hide pipelines that merely contain the
 * search text, so the search is left to the client-side filter.
 */
export const listPipelines: ListCall = async (client, query) => {
  const page = await client.send(new ListPipelinesCommand(commonInput(query)), {
    abortSignal: query.signal
  });
  return {
    items: (page.PipelineSummaries ?? []).map(p => ({
      name: p.PipelineName ?? '',
      arn: p.PipelineArn ?? '',
      // A pipeline has no status of its own (its executions do).
      status: null,
      created: ms(p.CreationTime)
    })),
    nextToken: page.NextToken
  };
};

/** ListProjects, filtered on the server by NameContains. */
export const listProjects: ListCall = async (client, query) => {
  const page = await client.send(
    new ListProjectsCommand({
      ...commonInput(query),
      NameContains: query.nameContains || undefined
    }),
    { abortSignal: query.signal }
  );
  return {
    items: (page.ProjectSummaryList ?? []).map(p => ({
      name: p.ProjectName ?? '',
      arn: p.ProjectArn ?? '',
      status: p.ProjectStatus ?? null,
      created: ms(p.CreationTime)
    })),
    nextToken: page.NextToken
  };
};

/** ListFeatureGroups, filtered on the server by NameContains. */
export const listFeatureGroups: ListCall = async (client, query) => {
  const page = await client.send(
    new ListFeatureGroupsCommand({
      ...commonInput(query),
      NameContains: query.nameContains || undefined
    }),
    { abortSignal: query.signal }
  );
  return {
    items: (page.FeatureGroupSummaries ?? []).map(f => ({
      name: f.FeatureGroupName ?? '',
      arn: f.FeatureGroupArn ?? '',
      status: f.FeatureGroupStatus ?? null,
      created: ms(f.CreationTime)
    })),
    nextToken: page.NextToken
  };
};

/** ListExperiments (no name filter in the API). */
export const listExperiments: ListCall = async (client, query) => {
  const page = await client.send(
    new ListExperimentsCommand(commonInput(query)),
    { abortSignal: query.signal }
  );
  return {
    items: (page.ExperimentSummaries ?? []).map(e => ({
      name: e.ExperimentName ?? '',
      arn: e.ExperimentArn ?? '',
      status: null,
      created: ms(e.CreationTime)
    })),
    nextToken: page.NextToken
  };
};
