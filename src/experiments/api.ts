/**
 * The SageMaker calls of the experiments feature: experiments (ListExperiments), their trials (ListTrials) and runs
 * (Search over trial components), each answer reduced to the SDK-free shapes of `types.ts` and `model.ts`.
 *
 * Imported with `import()` by the plugin, so the SDK and these commands load on first use.
 */
import {
  ListExperimentsCommand,
  ListTrialsCommand,
  SageMakerClient,
  SearchCommand,
  type SearchCommandInput,
  type SearchExpression,
  type TrialComponent
} from '@aws-sdk/client-sagemaker';

import { mapConcurrently } from '../aws/concurrency';
import { paginate } from '../aws/paginate';
import type { ExperimentsModel } from './model';
import type { IMetricSummary, IRun } from './types';

/** Options common to the calls. */
export interface ICallOptions {
  /** Cancels the call (and stops paging). */
  signal?: AbortSignal;
}

/** Experiments listed at most, so a huge account cannot keep the sidebar paging for minutes. */
const MAX_EXPERIMENTS = 5000;

/**
 * Every experiment of the region (ListExperiments, 100 per page, newest first). ListExperiments sorts only by Name
 * or CreationTime and filters by nothing, so the sidebar sorts by last modification and searches client side.
 */
export async function listExperiments(
  client: SageMakerClient,
  options: ICallOptions = {}
): Promise<ExperimentsModel.IExperiment[]> {
  const experiments: ExperimentsModel.IExperiment[] = [];
  const pages = paginate(
    input =>
      client.send(new ListExperimentsCommand(input), {
        abortSignal: options.signal
      }),
    { SortBy: 'CreationTime', SortOrder: 'Descending' } as const,
    { pageSize: 100, signal: options.signal }
  );
  for await (const page of pages) {
    for (const e of page.ExperimentSummaries ?? []) {
      experiments.push({
        name: e.ExperimentName ?? '',
        arn: e.ExperimentArn ?? '',
        displayName: e.DisplayName || e.ExperimentName || '',
        created: ms(e.CreationTime),
        lastModified: ms(e.LastModifiedTime)
      });
    }
    if (experiments.length >= MAX_EXPERIMENTS) {
      break;
    }
  }
  return experiments;
}

/** The trials (run groups) of one experiment (ListTrials, every page, newest first). */
export async function listTrials(
  client: SageMakerClient,
  experimentName: string,
  options: ICallOptions = {}
): Promise<ExperimentsModel.ITrial[]> {
  const trials: ExperimentsModel.ITrial[] = [];
  const pages = paginate(
    input =>
      client.send(new ListTrialsCommand(input), {
        abortSignal: options.signal
      }),
    {
      ExperimentName: experimentName,
      SortBy: 'CreationTime',
      SortOrder: 'Descending'
    } as const,
    { pageSize: 100, signal: options.signal }
  );
  for await (const page of pages) {
    for (const t of page.TrialSummaries ?? []) {
      trials.push({
        name: t.TrialName ?? '',
        arn: t.TrialArn ?? '',
        displayName: t.DisplayName || t.TrialName || '',
        experimentName,
        created: ms(t.CreationTime),
        lastModified: ms(t.LastModifiedTime)
      });
    }
  }
  return trials;
}

/** Options of {@link searchRunPages}. */
export interface ISearchOptions extends ICallOptions {
  /** Runs per Search call (1–100; default 100). */
  pageSize?: number;
}

/**
 * The runs (trial components) of an experiment and/or trial, one page of Search results at a time (newest first),
 * so a table can show the first 100 runs while the next pages load. NextToken makes the calls sequential.
 */
export async function* searchRunPages(
  client: SageMakerClient,
  query: ExperimentsModel.IRunQuery,
  options: ISearchOptions = {}
): AsyncGenerator<IRun[], void, undefined> {
  const pages = paginate(
    input =>
      client.send(new SearchCommand(input), { abortSignal: options.signal }),
    {
      Resource: 'ExperimentTrialComponent',
      SearchExpression: searchExpression(query),
      SortBy: 'CreationTime',
      SortOrder: 'Descending'
    } as const,
    {
      pageSize: Math.min(100, Math.max(1, options.pageSize ?? 100)),
      signal: options.signal
    }
  );
  for await (const page of pages) {
    const runs: IRun[] = [];
    for (const result of page.Results ?? []) {
      if (result.TrialComponent) {
        runs.push(runOfTrialComponent(result.TrialComponent));
      }
    }
    yield runs;
  }
}

/** Every run of an experiment and/or trial (all pages of {@link searchRunPages}). */
export async function searchRuns(
  client: SageMakerClient,
  query: ExperimentsModel.IRunQuery,
  options: ISearchOptions = {}
): Promise<IRun[]> {
  const runs: IRun[] = [];
  for await (const page of searchRunPages(client, query, options)) {
    runs.push(...page);
  }
  return runs;
}

/** The Search filters of a run query: Parents.ExperimentName and/or Parents.TrialName equal to the names given. */
export function searchExpression(
  query: ExperimentsModel.IRunQuery
): SearchExpression | undefined {
  const filters: NonNullable<SearchExpression['Filters']> = [];
  if (query.experimentName) {
    filters.push({
      Name: 'Parents.ExperimentName',
      Operator: 'Equals',
      Value: query.experimentName
    });
  }
  if (query.trialName) {
    filters.push({
      Name: 'Parents.TrialName',
      Operator: 'Equals',
      Value: query.trialName
    });
  }
  return filters.length ? { Filters: filters } : undefined;
}

/** A trial component as Search returns it, as the run the feature keeps (parameters typed, metrics by name). */
export function runOfTrialComponent(component: TrialComponent): IRun {
  const parameters: Record<string, number | string> = {};
  for (const [name, value] of Object.entries(component.Parameters ?? {})) {
    if (value.NumberValue !== undefined && value.NumberValue !== null) {
      parameters[name] = value.NumberValue;
    } else if (value.StringValue !== undefined && value.StringValue !== null) {
      parameters[name] = value.StringValue;
    }
  }
  const metrics: Record<string, IMetricSummary> = {};
  for (const metric of component.Metrics ?? []) {
    if (!metric.MetricName) {
      continue;
    }
    metrics[metric.MetricName] = {
      last: num(metric.Last),
      min: num(metric.Min),
      max: num(metric.Max),
      avg: num(metric.Avg),
      count: num(metric.Count),
      stdDev: num(metric.StdDev),
      timestamp: ms(metric.TimeStamp)
    };
  }
  // A run of the SageMaker Python SDK has one parent: its experiment and its run group.
  const parent = component.Parents?.[0];
  const name = component.TrialComponentName ?? '';
  return {
    name,
    arn: component.TrialComponentArn ?? '',
    displayName: component.DisplayName || name,
    experimentName: parent?.ExperimentName ?? null,
    trialName: parent?.TrialName ?? null,
    status: component.Status?.PrimaryStatus ?? '',
    created: ms(component.CreationTime),
    lastModified: ms(component.LastModifiedTime),
    sourceArn: component.Source?.SourceArn || null,
    sourceType: component.Source?.SourceType || null,
    parameters,
    metrics
  };
}

/** A Date from the SDK as ms since epoch. */
function ms(date: Date | undefined): number | null {
  return date instanceof Date && !isNaN(date.getTime()) ? date.getTime() : null;
}

/** A finite number, or null. */
function num(value: number | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Longest `Value` of a Search filter (AWS's limit on `Filter.Value`). */
const MAX_FILTER_VALUE = 1024;

/** Up to this many named runs are searched by name; more are found through their experiment's runs. */
const MAX_RUNS_BY_NAME = 200;

/**
 * The records of named runs (a comparison's runs). A few are searched by name (`TrialComponentName In a,b,…`, as
 * many names per call as a filter value holds, 4 calls in flight); many runs of one experiment are read with the
 * experiment's Search pages and kept by name, which costs fewer calls. Runs that no longer exist are absent.
 */
export async function runsByName(
  client: SageMakerClient,
  names: readonly string[],
  experimentName: string | null,
  options: ICallOptions = {}
): Promise<IRun[]> {
  const wanted = new Set(names.map(name => name.toLowerCase()));
  if (experimentName && names.length > MAX_RUNS_BY_NAME) {
    const runs = await searchRuns(client, { experimentName }, options);
    return runs.filter(run => wanted.has(run.name.toLowerCase()));
  }
  const chunks: string[][] = [];
  let chunk: string[] = [];
  let length = 0;
  for (const name of new Set(names)) {
    if (chunk.length && length + name.length + 1 > MAX_FILTER_VALUE) {
      chunks.push(chunk);
      chunk = [];
      length = 0;
    }
    chunk.push(name);
    length += name.length + 1;
  }
  if (chunk.length) {
    chunks.push(chunk);
  }
  const pages = await mapConcurrently(chunks, 4, async group => {
    const runs: IRun[] = [];
    const results = paginate(
      input =>
        client.send(new SearchCommand(input), { abortSignal: options.signal }),
      {
        Resource: 'ExperimentTrialComponent',
        SearchExpression: {
          Filters: [
            {
              Name: 'TrialComponentName',
              Operator: 'In',
              Value: group.join(',')
            }
          ]
        }
      } as SearchCommandInput,
      { pageSize: 100, signal: options.signal }
    );
    for await (const page of results) {
      for (const result of page.Results ?? []) {
        if (result.TrialComponent) {
          runs.push(runOfTrialComponent(result.TrialComponent));
        }
      }
    }
    return runs;
  });
  return pages.flat().filter(run => wanted.has(run.name.toLowerCase()));
}
