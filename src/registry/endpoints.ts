/**
 * The SageMaker calls behind the endpoint list: ListEndpoints (all pages), then per endpoint DescribeEndpoint
 * (instance counts) and DescribeEndpointConfig (instance types), with bounded concurrency.
 *
 * Imported with `import()` by the model, so the SageMaker commands load with the SDK on first use.
 */
import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  EndpointSummary,
  ListEndpointsCommand,
  ListEndpointsCommandInput,
  ListEndpointsCommandOutput,
  SageMakerClient
} from '@aws-sdk/client-sagemaker';

import { mapConcurrently } from '../aws/concurrency';
import { collect } from '../aws/paginate';
import { monitoredEndpoints } from '../monitor/monitoredEndpoints';
import type { EndpointsModel } from './model';

/** Options of {@link fetchEndpoints}. */
export interface IFetchOptions {
  /** Server-side name filter (ListEndpoints' NameContains); '' or absent for none. */
  nameContains?: string;
  /** Server-side order, so that a truncated list holds the first endpoints in the order shown (default name). */
  sortBy?: 'name' | 'created';
  /** Ascending (default) or descending. */
  sortOrder?: 'asc' | 'desc';
  /** Describe calls in flight at most. */
  concurrency: number;
  /** Endpoints to return at most. */
  limit: number;
  /** Variants per endpoint config name; configs never change, so the model keeps this across refreshes. */
  configCache: Map<string, Promise<EndpointsModel.IVariant[]>>;
  /** Cancels the remaining calls. */
  signal?: AbortSignal;
  /** Turns a failed Describe into the sentence shown on the row. */
  describeError: (err: unknown) => string;
}

/** List the endpoints of the client's region with their status, instance types and counts. */
export async function fetchEndpoints(
  client: SageMakerClient,
  options: IFetchOptions
): Promise<{ endpoints: EndpointsModel.IEndpoint[]; truncated: boolean }> {
  const { items, truncated } = await collect(
    (input: ListEndpointsCommandInput): Promise<ListEndpointsCommandOutput> =>
      client.send(new ListEndpointsCommand(input), {
        abortSignal: options.signal
      }),
    {
      SortBy: options.sortBy === 'created' ? 'CreationTime' : 'Name',
      SortOrder: options.sortOrder === 'desc' ? 'Descending' : 'Ascending',
      NameContains: options.nameContains || undefined
    } as ListEndpointsCommandInput,
    page => page.Endpoints,
    { pageSize: 100, limit: options.limit, signal: options.signal }
  );
  const endpoints = await mapConcurrently(items, options.concurrency, summary =>
    describe(client, summary, options)
  );
  return { endpoints, truncated };
}

/** One row: the summary plus details; a failed Describe leaves the summary and says why. */
async function describe(
  client: SageMakerClient,
  summary: EndpointSummary,
  options: IFetchOptions
): Promise<EndpointsModel.IEndpoint> {
  const row: EndpointsModel.IEndpoint = {
    name: summary.EndpointName ?? '',
    arn: summary.EndpointArn ?? '',
    status: summary.EndpointStatus ?? 'Unknown',
    created: summary.CreationTime?.getTime() ?? null,
    modified: summary.LastModifiedTime?.getTime() ?? null,
    variants: [],
    failureReason: null,
    detailsError: null
  };
  if (options.signal?.aborted) {
    return row;
  }
  try {
    const endpoint = await client.send(
      new DescribeEndpointCommand({ EndpointName: row.name }),
      { abortSignal: options.signal }
    );
    // The list may be a moment older than the description; the description wins.
    row.status = endpoint.EndpointStatus ?? row.status;
    row.failureReason = endpoint.FailureReason ?? null;
    const configured = endpoint.EndpointConfigName
      ? await configVariants(client, endpoint.EndpointConfigName, options)
      : [];
    const running = endpoint.ProductionVariants ?? [];
    const names = running.length
      ? running.map(v => v.VariantName ?? '')
      : configured.map(v => v.name);
    row.variants = names.map(name => {
      const config = configured.find(v => v.name === name);
      const live = running.find(v => v.VariantName === name);
      return {
        name,
        instanceType: config?.instanceType ?? null,
        instanceCount:
          live?.CurrentInstanceCount ??
          live?.DesiredInstanceCount ??
          config?.instanceCount ??
          null,
        serverlessMemoryMB:
          live?.CurrentServerlessConfig?.MemorySizeInMB ??
          config?.serverlessMemoryMB ??
          null
      };
    });
  } catch (err) {
    row.detailsError = options.describeError(err);
  }
  return row;
}

/** The variants of an endpoint config, from the cache or DescribeEndpointConfig. */
function configVariants(
  client: SageMakerClient,
  name: string,
  options: IFetchOptions
): Promise<EndpointsModel.IVariant[]> {
  let variants = options.configCache.get(name);
  if (!variants) {
    variants = client
      .send(new DescribeEndpointConfigCommand({ EndpointConfigName: name }), {
        abortSignal: options.signal
      })
      .then(config =>
        (config.ProductionVariants ?? []).map(v => ({
          name: v.VariantName ?? '',
          instanceType: v.InstanceType ?? null,
          instanceCount: v.InitialInstanceCount ?? null,
          serverlessMemoryMB: v.ServerlessConfig?.MemorySizeInMB ?? null
        }))
      );
    options.configCache.set(name, variants);
    // Only successful lookups are worth keeping.
    variants.catch(() => options.configCache.delete(name));
  }
  return variants;
}

/** Names of the endpoints whose latest monitoring execution (of any schedule) completed with violations. */
export async function fetchMonitoringViolations(
  client: SageMakerClient,
  options: { concurrency: number; signal?: AbortSignal }
): Promise<Set<string>> {
  const monitored = await monitoredEndpoints(client, options);
  const names = new Set<string>();
  monitored.forEach((entry, name) => {
    if (entry.violations) {
      names.add(name);
    }
  });
  return names;
}
