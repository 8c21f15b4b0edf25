/**
 * The SageMaker calls behind "Running resources": what bills by the hour right now (InService endpoints,
 * in-progress training / processing / transform jobs, InService notebook instances, InService Studio apps), with
 * instance types and counts from their Describe calls, and the call that stops or deletes each.
 *
 * Imported with `import()` by the model, so the SageMaker commands load with the SDK on first use.
 */
import {
  DeleteAppCommand,
  DeleteEndpointCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeProcessingJobCommand,
  DescribeTrainingJobCommand,
  DescribeTransformJobCommand,
  ListAppsCommand,
  ListAppsCommandInput,
  ListAppsCommandOutput,
  ListDomainsCommand,
  ListDomainsCommandInput,
  ListDomainsCommandOutput,
  ListEndpointsCommand,
  ListEndpointsCommandInput,
  ListEndpointsCommandOutput,
  ListNotebookInstancesCommand,
  ListNotebookInstancesCommandInput,
  ListNotebookInstancesCommandOutput,
  ListProcessingJobsCommand,
  ListProcessingJobsCommandInput,
  ListProcessingJobsCommandOutput,
  ListTrainingJobsCommand,
  ListTrainingJobsCommandInput,
  ListTrainingJobsCommandOutput,
  ListTransformJobsCommand,
  ListTransformJobsCommandInput,
  ListTransformJobsCommandOutput,
  SageMakerClient,
  StopNotebookInstanceCommand,
  StopProcessingJobCommand,
  StopTrainingJobCommand,
  StopTransformJobCommand
} from '@aws-sdk/client-sagemaker';

import { mapConcurrently } from '../../aws/concurrency';
import { collect } from '../../aws/paginate';
import type { RunningModel } from './model';

type IResource = RunningModel.IResource;
type IPartial = RunningModel.IPartialResult;

/** Options of {@link fetchRunning}. */
export interface IFetchOptions {
  /** Describe calls in flight at most (per kind). */
  concurrency: number;
  /** Resources of one kind to list at most. */
  limit: number;
  /** Cancels the remaining calls. */
  signal?: AbortSignal;
  /** Turns a failure into the sentence shown to the user. */
  describeError: (err: unknown) => string;
}

/**
 * Everything that runs, kind by kind. A kind whose calls fail (e.g. an IAM policy without sagemaker:ListApps)
 * is reported with its sentence while the other kinds still show.
 */
export async function fetchRunning(
  client: SageMakerClient,
  options: IFetchOptions
): Promise<IPartial> {
  const kinds: Array<[RunningModel.Kind, () => Promise<IResource[]>]> = [
    ['endpoint', () => endpoints(client, options)],
    ['training-job', () => trainingJobs(client, options)],
    ['processing-job', () => processingJobs(client, options)],
    ['transform-job', () => transformJobs(client, options)],
    ['notebook-instance', () => notebookInstances(client, options)],
    ['app', () => apps(client, options)]
  ];
  const settled = await Promise.allSettled(kinds.map(([, fetch]) => fetch()));
  const result: IPartial = { resources: [], errors: [] };
  settled.forEach((outcome, i) => {
    if (outcome.status === 'fulfilled') {
      result.resources.push(...outcome.value);
    } else {
      result.errors.push({
        kind: kinds[i][0],
        message: options.describeError(outcome.reason)
      });
    }
  });
  return result;
}

/** Stop (jobs, notebook instances) or delete (endpoints, apps) a resource. */
export async function stopResource(
  client: SageMakerClient,
  resource: IResource
): Promise<void> {
  switch (resource.kind) {
    case 'endpoint':
      await client.send(
        new DeleteEndpointCommand({ EndpointName: resource.name })
      );
      return;
    case 'training-job':
      await client.send(
        new StopTrainingJobCommand({ TrainingJobName: resource.name })
      );
      return;
    case 'processing-job':
      await client.send(
        new StopProcessingJobCommand({ ProcessingJobName: resource.name })
      );
      return;
    case 'transform-job':
      await client.send(
        new StopTransformJobCommand({ TransformJobName: resource.name })
      );
      return;
    case 'notebook-instance':
      await client.send(
        new StopNotebookInstanceCommand({ NotebookInstanceName: resource.name })
      );
      return;
    case 'app': {
      const app = resource.app;
      if (!app) {
        throw new Error(`The app ${resource.name} lacks its domain.`);
      }
      await client.send(
        new DeleteAppCommand({
          DomainId: app.domainId,
          AppType: app.appType as never,
          AppName: resource.name,
          UserProfileName: app.userProfileName,
          SpaceName: app.spaceName
        })
      );
      return;
    }
  }
}

/** A Date from the SDK as ms since epoch. */
function ms(date: Date | undefined): number | null {
  return date ? date.getTime() : null;
}

/** All pages of a list call, up to the limit. */
async function all<I extends object, O extends object, T>(
  send: (input: I) => Promise<O>,
  input: I,
  select: (page: O) => T[] | undefined,
  options: IFetchOptions
): Promise<T[]> {
  const { items } = await collect(send, input, select, {
    pageSize: 100,
    limit: options.limit,
    signal: options.signal
  });
  return items;
}

/** InService endpoints with the instance type and current count of each variant. */
async function endpoints(
  client: SageMakerClient,
  options: IFetchOptions
): Promise<IResource[]> {
  const signal = { abortSignal: options.signal };
  const summaries = await all(
    (input: ListEndpointsCommandInput): Promise<ListEndpointsCommandOutput> =>
      client.send(new ListEndpointsCommand(input), signal),
    { StatusEquals: 'InService' } as ListEndpointsCommandInput,
    page => page.Endpoints,
    options
  );
  return mapConcurrently(summaries, options.concurrency, async summary => {
    const name = summary.EndpointName ?? '';
    const endpoint = await client.send(
      new DescribeEndpointCommand({ EndpointName: name }),
      signal
    );
    const config = await client.send(
      new DescribeEndpointConfigCommand({
        EndpointConfigName: endpoint.EndpointConfigName
      }),
      signal
    );
    const types = new Map(
      (config.ProductionVariants ?? []).map(v => [
        v.VariantName ?? '',
        v.InstanceType ?? null
      ])
    );
    const units = (endpoint.ProductionVariants ?? []).map(variant => ({
      instanceType: types.get(variant.VariantName ?? '') ?? null,
      count: variant.CurrentInstanceCount ?? 0,
      serverless: !!variant.CurrentServerlessConfig
    }));
    return {
      kind: 'endpoint',
      name,
      arn: summary.EndpointArn ?? '',
      status: summary.EndpointStatus ?? '',
      usage: 'hosting',
      units,
      // An endpoint bills from the moment it is InService; its last modification is when it got there.
      since: ms(endpoint.LastModifiedTime ?? summary.LastModifiedTime),
      app: null
    } satisfies IResource;
  });
}

/** In-progress training jobs with their cluster. */
async function trainingJobs(
  client: SageMakerClient,
  options: IFetchOptions
): Promise<IResource[]> {
  const signal = { abortSignal: options.signal };
  const summaries = await all(
    (
      input: ListTrainingJobsCommandInput
    ): Promise<ListTrainingJobsCommandOutput> =>
      client.send(new ListTrainingJobsCommand(input), signal),
    { StatusEquals: 'InProgress' } as ListTrainingJobsCommandInput,
    page => page.TrainingJobSummaries,
    options
  );
  return mapConcurrently(summaries, options.concurrency, async summary => {
    const job = await client.send(
      new DescribeTrainingJobCommand({
        TrainingJobName: summary.TrainingJobName
      }),
      signal
    );
    const config = job.ResourceConfig;
    return {
      kind: 'training-job',
      name: job.TrainingJobName ?? '',
      arn: job.TrainingJobArn ?? '',
      status: job.SecondaryStatus ?? job.TrainingJobStatus ?? '',
      usage: 'training',
      units: [
        {
          instanceType: config?.InstanceType ?? null,
          count: config?.InstanceCount ?? 0,
          serverless: false
        }
      ],
      // Billing starts with the training, not while SageMaker waits for capacity.
      since: ms(job.TrainingStartTime ?? job.CreationTime),
      app: null
    } satisfies IResource;
  });
}

/** In-progress processing jobs with their cluster. */
async function processingJobs(
  client: SageMakerClient,
  options: IFetchOptions
): Promise<IResource[]> {
  const signal = { abortSignal: options.signal };
  const summaries = await all(
    (
      input: ListProcessingJobsCommandInput
    ): Promise<ListProcessingJobsCommandOutput> =>
      client.send(new ListProcessingJobsCommand(input), signal),
    { StatusEquals: 'InProgress' } as ListProcessingJobsCommandInput,
    page => page.ProcessingJobSummaries,
    options
  );
  return mapConcurrently(summaries, options.concurrency, async summary => {
    const job = await client.send(
      new DescribeProcessingJobCommand({
        ProcessingJobName: summary.ProcessingJobName
      }),
      signal
    );
    const cluster = job.ProcessingResources?.ClusterConfig;
    return {
      kind: 'processing-job',
      name: job.ProcessingJobName ?? '',
      arn: job.ProcessingJobArn ?? '',
      status: job.ProcessingJobStatus ?? '',
      usage: 'processing',
      units: [
        {
          instanceType: cluster?.InstanceType ?? null,
          count: cluster?.InstanceCount ?? 0,
          serverless: false
        }
      ],
      since: ms(job.ProcessingStartTime ?? job.CreationTime),
      app: null
    } satisfies IResource;
  });
}

/** In-progress batch transform jobs with their instances. */
async function transformJobs(
  client: SageMakerClient,
  options: IFetchOptions
): Promise<IResource[]> {
  const signal = { abortSignal: options.signal };
  const summaries = await all(
    (
      input: ListTransformJobsCommandInput
    ): Promise<ListTransformJobsCommandOutput> =>
      client.send(new ListTransformJobsCommand(input), signal),
    { StatusEquals: 'InProgress' } as ListTransformJobsCommandInput,
    page => page.TransformJobSummaries,
    options
  );
  return mapConcurrently(summaries, options.concurrency, async summary => {
    const job = await client.send(
      new DescribeTransformJobCommand({
        TransformJobName: summary.TransformJobName
      }),
      signal
    );
    return {
      kind: 'transform-job',
      name: job.TransformJobName ?? '',
      arn: job.TransformJobArn ?? '',
      status: job.TransformJobStatus ?? '',
      usage: 'transform',
      units: [
        {
          instanceType: job.TransformResources?.InstanceType ?? null,
          count: job.TransformResources?.InstanceCount ?? 0,
          serverless: false
        }
      ],
      since: ms(job.TransformStartTime ?? job.CreationTime),
      app: null
    } satisfies IResource;
  });
}

/** InService notebook instances (the list has their instance type; no Describe needed). */
async function notebookInstances(
  client: SageMakerClient,
  options: IFetchOptions
): Promise<IResource[]> {
  const summaries = await all(
    (
      input: ListNotebookInstancesCommandInput
    ): Promise<ListNotebookInstancesCommandOutput> =>
      client.send(new ListNotebookInstancesCommand(input), {
        abortSignal: options.signal
      }),
    { StatusEquals: 'InService' } as ListNotebookInstancesCommandInput,
    page => page.NotebookInstances,
    options
  );
  return summaries.map(summary => ({
    kind: 'notebook-instance',
    name: summary.NotebookInstanceName ?? '',
    arn: summary.NotebookInstanceArn ?? '',
    status: summary.NotebookInstanceStatus ?? '',
    usage: 'notebook',
    units: [
      {
        instanceType: summary.InstanceType ?? null,
        count: 1,
        serverless: false
      }
    ],
    // The last status change of an InService instance is its start.
    since: ms(summary.LastModifiedTime ?? summary.CreationTime),
    app: null
  }));
}

/** InService Studio apps of every domain; apps on the free `system` instance are left out (they cost nothing). */
async function apps(
  client: SageMakerClient,
  options: IFetchOptions
): Promise<IResource[]> {
  const signal = { abortSignal: options.signal };
  const domains = await all(
    (input: ListDomainsCommandInput): Promise<ListDomainsCommandOutput> =>
      client.send(new ListDomainsCommand(input), signal),
    {} as ListDomainsCommandInput,
    page => page.Domains,
    options
  );
  const perDomain = await mapConcurrently(
    domains,
    options.concurrency,
    async domain => {
      const details = await all(
        (input: ListAppsCommandInput): Promise<ListAppsCommandOutput> =>
          client.send(new ListAppsCommand(input), signal),
        { DomainIdEquals: domain.DomainId } as ListAppsCommandInput,
        page => page.Apps,
        options
      );
      return details
        .filter(
          app =>
            app.Status === 'InService' &&
            app.ResourceSpec?.InstanceType !== 'system'
        )
        .map(
          app =>
            ({
              kind: 'app',
              name: app.AppName ?? '',
              arn: '',
              status: app.Status ?? '',
              usage: 'studio',
              units: [
                {
                  instanceType: app.ResourceSpec?.InstanceType ?? null,
                  count: 1,
                  serverless: false
                }
              ],
              since: ms(app.CreationTime),
              app: {
                domainId: domain.DomainId ?? '',
                domainName: domain.DomainName ?? '',
                appType: app.AppType ?? '',
                userProfileName: app.UserProfileName,
                spaceName: app.SpaceName
              }
            }) satisfies IResource
        );
    }
  );
  return perDomain.flat();
}
