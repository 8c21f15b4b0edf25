/**
 * The AWS calls behind the Model Monitor dashboard, on the SDK clients of {@link IAwsConnection}:
 * ListMonitoringSchedules(EndpointName) → DescribeMonitoringSchedule → Describe*JobDefinition (baseline files) →
 * ListMonitoringExecutions (newest first, paged) → DescribeProcessingJob (where the reports are) → S3 HeadObject
 * (size check) and GetObject. Loaded with `import()` together with the SDK, never at start-up.
 */
import {
  GetObjectCommand,
  HeadObjectCommand,
  type S3Client
} from '@aws-sdk/client-s3';
import {
  DescribeDataQualityJobDefinitionCommand,
  DescribeModelBiasJobDefinitionCommand,
  DescribeModelExplainabilityJobDefinitionCommand,
  DescribeModelQualityJobDefinitionCommand,
  DescribeMonitoringScheduleCommand,
  DescribeProcessingJobCommand,
  ListMonitoringExecutionsCommand,
  type ListMonitoringExecutionsCommandInput,
  type ListMonitoringExecutionsCommandOutput,
  ListMonitoringSchedulesCommand,
  type ListMonitoringSchedulesCommandInput,
  type ListMonitoringSchedulesCommandOutput,
  type MonitoringExecutionSummary,
  type MonitoringScheduleSummary,
  type SageMakerClient,
  StartMonitoringScheduleCommand,
  StopMonitoringScheduleCommand
} from '@aws-sdk/client-sagemaker';
import type { TranslationBundle } from '@jupyterlab/translation';

import { mapConcurrently } from '../aws/concurrency';
import { collect } from '../aws/paginate';
import { parseS3Uri } from '../aws/s3Uri';
import type { IAwsConnection } from '../tokens';
import { monitoredEndpoints } from './monitoredEndpoints';
import type { IExecution, IMonitorApi, ISchedule } from './types';

/** Options of {@link AwsMonitorApi}. */
export interface IAwsMonitorApiOptions {
  /** Supplies the SageMaker client. */
  sagemaker: () => Promise<SageMakerClient>;
  /** Supplies the S3 client. */
  s3: () => Promise<S3Client>;
  /** Translations for the sentences this module makes. */
  trans: TranslationBundle;
  /** A sentence for an error of the clients (the connection's). */
  describeError?: (err: unknown) => string;
}

/** {@link IMonitorApi} over the SDK clients of an {@link IAwsConnection}. */
export class AwsMonitorApi implements IMonitorApi {
  /** Create the API. */
  constructor(options: IAwsMonitorApiOptions) {
    this._sagemaker = options.sagemaker;
    this._s3 = options.s3;
    this._trans = options.trans;
    this._describeError =
      options.describeError ?? (err => (err as Error).message);
  }

  /** The API of a connection. */
  static fromConnection(
    connection: IAwsConnection,
    trans: TranslationBundle
  ): AwsMonitorApi {
    return new AwsMonitorApi({
      sagemaker: () => connection.sagemaker(),
      s3: () => connection.s3(),
      trans,
      describeError: err => connection.describeError(err)
    });
  }

  /** The schedules of an endpoint, each described (cron, last execution, baseline files). */
  async listSchedules(
    endpointName: string,
    signal?: AbortSignal
  ): Promise<ISchedule[]> {
    const client = await this._sagemaker();
    const summaries = await this._scheduleSummaries(
      client,
      endpointName,
      signal
    );
    return mapConcurrently(summaries, 4, summary =>
      this._describeSchedule(client, summary, signal)
    );
  }

  /** Names of the endpoints that have at least one schedule (for the picker), and whether each has violations. */
  async monitoredEndpoints(
    signal?: AbortSignal
  ): Promise<Map<string, { violations: boolean }>> {
    const client = await this._sagemaker();
    return monitoredEndpoints(client, { signal, concurrency: 4 });
  }

  /** Executions of a schedule, newest scheduled first, at most `limit`. */
  async listExecutions(
    scheduleName: string,
    limit: number,
    signal?: AbortSignal
  ): Promise<{ executions: IExecution[]; truncated: boolean }> {
    const client = await this._sagemaker();
    const { items, truncated } = await collect(
      (
        input: ListMonitoringExecutionsCommandInput
      ): Promise<ListMonitoringExecutionsCommandOutput> =>
        client.send(new ListMonitoringExecutionsCommand(input), {
          abortSignal: signal
        }),
      {
        MonitoringScheduleName: scheduleName,
        SortBy: 'ScheduledTime',
        SortOrder: 'Descending'
      } as ListMonitoringExecutionsCommandInput,
      page => page.MonitoringExecutionSummaries,
      { pageSize: Math.min(100, Math.max(1, limit)), limit, signal }
    );
    return { executions: items.map(toExecution), truncated };
  }

  /** The S3 prefix an execution wrote its reports to (its processing job's first output). */
  async reportLocation(
    processingJobArn: string,
    signal?: AbortSignal
  ): Promise<string> {
    const client = await this._sagemaker();
    const name = processingJobArn.split('/').pop() ?? processingJobArn;
    const job = await client.send(
      new DescribeProcessingJobCommand({ ProcessingJobName: name }),
      { abortSignal: signal }
    );
    const uri = job.ProcessingOutputConfig?.Outputs?.[0]?.S3Output?.S3Uri;
    if (!uri) {
      throw new Error(
        this._trans.__(
          'The processing job “%1” names no S3 output, so its reports cannot be found.',
          name
        )
      );
    }
    return uri;
  }

  /** The text of an S3 object, refused before download when ContentLength exceeds `maxBytes`. */
  async readText(
    uri: string,
    maxBytes: number,
    signal?: AbortSignal
  ): Promise<{ text: string } | { tooLarge: number } | { missing: true }> {
    const location = parseS3Uri(uri);
    if (!location) {
      throw new Error(this._trans.__('“%1” is not an s3:// address.', uri));
    }
    const client = await this._s3();
    try {
      const head = await client.send(
        new HeadObjectCommand({ Bucket: location.bucket, Key: location.key }),
        { abortSignal: signal }
      );
      if ((head.ContentLength ?? 0) > maxBytes) {
        return { tooLarge: head.ContentLength ?? 0 };
      }
      const out = await client.send(
        new GetObjectCommand({ Bucket: location.bucket, Key: location.key }),
        { abortSignal: signal }
      );
      return { text: out.Body ? await out.Body.transformToString() : '' };
    } catch (err) {
      if (isNotFound(err)) {
        return { missing: true };
      }
      throw err;
    }
  }

  /** Start a stopped schedule. */
  async startSchedule(name: string): Promise<void> {
    const client = await this._sagemaker();
    await client.send(
      new StartMonitoringScheduleCommand({ MonitoringScheduleName: name })
    );
  }

  /** Stop a schedule (no more executions until started again). */
  async stopSchedule(name: string): Promise<void> {
    const client = await this._sagemaker();
    await client.send(
      new StopMonitoringScheduleCommand({ MonitoringScheduleName: name })
    );
  }

  private async _scheduleSummaries(
    client: SageMakerClient,
    endpointName: string,
    signal?: AbortSignal
  ): Promise<MonitoringScheduleSummary[]> {
    return (
      await collect(
        (
          input: ListMonitoringSchedulesCommandInput
        ): Promise<ListMonitoringSchedulesCommandOutput> =>
          client.send(new ListMonitoringSchedulesCommand(input), {
            abortSignal: signal
          }),
        {
          EndpointName: endpointName,
          SortBy: 'Name',
          SortOrder: 'Ascending'
        } as ListMonitoringSchedulesCommandInput,
        page => page.MonitoringScheduleSummaries,
        { pageSize: 100, limit: 100, signal }
      )
    ).items;
  }

  private async _describeSchedule(
    client: SageMakerClient,
    summary: MonitoringScheduleSummary,
    signal?: AbortSignal
  ): Promise<ISchedule> {
    const schedule: ISchedule = {
      name: summary.MonitoringScheduleName ?? '',
      arn: summary.MonitoringScheduleArn ?? '',
      type: summary.MonitoringType ?? null,
      status: summary.MonitoringScheduleStatus ?? null,
      cron: null,
      failureReason: null,
      jobDefinitionName: summary.MonitoringJobDefinitionName ?? null,
      lastExecution: null,
      baselineStatisticsUri: null,
      baselineConstraintsUri: null,
      detailsError: null
    };
    try {
      const described = await client.send(
        new DescribeMonitoringScheduleCommand({
          MonitoringScheduleName: schedule.name
        }),
        { abortSignal: signal }
      );
      const config = described.MonitoringScheduleConfig;
      schedule.type =
        described.MonitoringType ?? config?.MonitoringType ?? schedule.type;
      schedule.status = described.MonitoringScheduleStatus ?? schedule.status;
      schedule.failureReason = described.FailureReason ?? null;
      schedule.cron = config?.ScheduleConfig?.ScheduleExpression ?? null;
      schedule.jobDefinitionName =
        config?.MonitoringJobDefinitionName ?? schedule.jobDefinitionName;
      schedule.lastExecution = described.LastMonitoringExecutionSummary
        ? toExecution(described.LastMonitoringExecutionSummary)
        : null;
      // Schedules created with an inline job definition (older SDKs) carry the baseline in it.
      const inline = config?.MonitoringJobDefinition?.BaselineConfig;
      schedule.baselineConstraintsUri =
        inline?.ConstraintsResource?.S3Uri ?? null;
      schedule.baselineStatisticsUri =
        inline?.StatisticsResource?.S3Uri ?? null;
      if (!inline && schedule.jobDefinitionName) {
        const baseline = await this._baseline(
          client,
          schedule.type,
          schedule.jobDefinitionName,
          signal
        );
        schedule.baselineConstraintsUri = baseline.constraints;
        schedule.baselineStatisticsUri = baseline.statistics;
      }
    } catch (err) {
      if ((err as Error).name === 'AbortError') {
        throw err;
      }
      schedule.detailsError = this._trans.__(
        'Details of this schedule could not be read: %1',
        this._describeError(err)
      );
    }
    return schedule;
  }

  /** The baseline files of a job definition, by monitoring type. */
  private async _baseline(
    client: SageMakerClient,
    type: string | null,
    name: string,
    signal?: AbortSignal
  ): Promise<{ constraints: string | null; statistics: string | null }> {
    const options = { abortSignal: signal };
    switch (type) {
      case 'ModelQuality': {
        const out = await client.send(
          new DescribeModelQualityJobDefinitionCommand({
            JobDefinitionName: name
          }),
          options
        );
        return {
          constraints:
            out.ModelQualityBaselineConfig?.ConstraintsResource?.S3Uri ?? null,
          statistics: null
        };
      }
      case 'ModelBias': {
        const out = await client.send(
          new DescribeModelBiasJobDefinitionCommand({
            JobDefinitionName: name
          }),
          options
        );
        return {
          constraints:
            out.ModelBiasBaselineConfig?.ConstraintsResource?.S3Uri ?? null,
          statistics: null
        };
      }
      case 'ModelExplainability': {
        const out = await client.send(
          new DescribeModelExplainabilityJobDefinitionCommand({
            JobDefinitionName: name
          }),
          options
        );
        return {
          constraints:
            out.ModelExplainabilityBaselineConfig?.ConstraintsResource?.S3Uri ??
            null,
          statistics: null
        };
      }
      default: {
        const out = await client.send(
          new DescribeDataQualityJobDefinitionCommand({
            JobDefinitionName: name
          }),
          options
        );
        const baseline = out.DataQualityBaselineConfig;
        return {
          constraints: baseline?.ConstraintsResource?.S3Uri ?? null,
          statistics: baseline?.StatisticsResource?.S3Uri ?? null
        };
      }
    }
  }

  private _sagemaker: () => Promise<SageMakerClient>;
  private _s3: () => Promise<S3Client>;
  private _trans: TranslationBundle;
  private _describeError: (err: unknown) => string;
}

/** An execution summary as the dashboard keeps it. */
export function toExecution(summary: MonitoringExecutionSummary): IExecution {
  return {
    scheduleName: summary.MonitoringScheduleName ?? '',
    scheduledTime: summary.ScheduledTime?.getTime() ?? null,
    created: summary.CreationTime?.getTime() ?? null,
    status: summary.MonitoringExecutionStatus ?? 'Unknown',
    processingJobArn: summary.ProcessingJobArn ?? null,
    failureReason: summary.FailureReason ?? null,
    type: summary.MonitoringType ?? null
  };
}

/** Whether an S3 error means the object does not exist. */
function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    e?.name === 'NoSuchKey' ||
    e?.name === 'NotFound' ||
    e?.$metadata?.httpStatusCode === 404
  );
}
