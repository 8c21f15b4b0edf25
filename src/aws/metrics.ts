/**
 * A small typed client for the SageMaker Metrics service (REST-JSON, API version 2022-09-30), which has no npm
 * package. Shapes follow botocore's `sagemaker-metrics` service model.
 */
import type { ServerConnection } from '@jupyterlab/services';

import { AwsServiceError } from './errors';
import { IRetryOptions, withRetries } from './retry';
import { sendThroughProxy } from './transport';

/** Statistic of a metric query. */
export type MetricStatistic =
  'Min' | 'Max' | 'Avg' | 'Count' | 'StdDev' | 'Last';

/** Aggregation period of a metric query. */
export type MetricPeriod =
  'OneMinute' | 'FiveMinute' | 'OneHour' | 'IterationNumber';

/** X axis of a metric query's result. */
export type XAxisType = 'IterationNumber' | 'Timestamp';

/** Status of one metric query's result. */
export type MetricQueryResultStatus =
  'Complete' | 'Truncated' | 'InternalError' | 'ValidationError';

/** One query of BatchGetMetrics. */
export interface IMetricQuery {
  /** Name of the metric. */
  MetricName: string;
  /** ARN of the trial component (or other SageMaker resource) that logged it. */
  ResourceArn: string;
  /** Statistic to compute per period. */
  MetricStat: MetricStatistic;
  /** Aggregation period. */
  Period: MetricPeriod;
  /** X axis of the result. */
  XAxisType: XAxisType;
  /** Start of the range, in epoch seconds. */
  Start?: number;
  /** End of the range, in epoch seconds. */
  End?: number;
}

/** Input of BatchGetMetrics: 1 to 100 queries. */
export interface IBatchGetMetricsInput {
  /** The queries. */
  MetricQueries: IMetricQuery[];
}

/** The result of one metric query. */
export interface IMetricQueryResult {
  /** Whether the query completed. */
  Status: MetricQueryResultStatus;
  /** Why the query did not complete. */
  Message?: string;
  /** Step numbers or epoch seconds, per XAxisType. */
  XAxisValues: number[];
  /** The statistic per x value. */
  MetricValues: number[];
}

/** Output of BatchGetMetrics, one result per query in order. */
export interface IBatchGetMetricsOutput {
  /** The results. */
  MetricQueryResults?: IMetricQueryResult[];
}

/** One raw metric value for BatchPutMetrics. */
export interface IRawMetricData {
  /** Name of the metric. */
  MetricName: string;
  /** When the value was recorded: a Date or epoch seconds. */
  Timestamp: Date | number;
  /** Step (epoch or iteration), 0 or more. */
  Step?: number;
  /** The value. */
  Value: number;
}

/** Input of BatchPutMetrics: 1 to 10 values for one trial component. */
export interface IBatchPutMetricsInput {
  /** Lower-case trial component name. */
  TrialComponentName: string;
  /** The values. */
  MetricData: IRawMetricData[];
}

/** One rejected value of BatchPutMetrics. */
export interface IBatchPutMetricsError {
  /** Why the value was rejected. */
  Code?:
    | 'METRIC_LIMIT_EXCEEDED'
    | 'INTERNAL_ERROR'
    | 'VALIDATION_ERROR'
    | 'CONFLICT_ERROR';
  /** Index of the value in the request's MetricData. */
  MetricIndex?: number;
}

/** Output of BatchPutMetrics. */
export interface IBatchPutMetricsOutput {
  /** Values that were not stored. */
  Errors?: IBatchPutMetricsError[];
}

/** Per-call options. */
export interface ICallOptions {
  /** Cancels the call, including pauses between retries. */
  signal?: AbortSignal;
}

/** Client of the SageMaker Metrics service for one region. */
export class MetricsClient {
  /** Create a client sending through the proxy route `sagemaker-metrics`. */
  constructor(options: MetricsClient.IOptions) {
    this._settings = options.serverSettings;
    this._region = options.region;
    this._retry = options.retry;
  }

  /** The region the client sends to. */
  get region(): string {
    return this._region;
  }

  /** Read aggregated metric series (POST /BatchGetMetrics). */
  async batchGetMetrics(
    input: IBatchGetMetricsInput,
    options: ICallOptions = {}
  ): Promise<IBatchGetMetricsOutput> {
    const count = input.MetricQueries?.length ?? 0;
    if (count < 1 || count > 100) {
      throw new RangeError(
        `BatchGetMetrics takes 1 to 100 metric queries, not ${count}.`
      );
    }
    return this._call<IBatchGetMetricsOutput>(
      'POST',
      '/BatchGetMetrics',
      input,
      options
    );
  }

  /** Store raw metric values of a trial component (PUT /BatchPutMetrics). */
  async batchPutMetrics(
    input: IBatchPutMetricsInput,
    options: ICallOptions = {}
  ): Promise<IBatchPutMetricsOutput> {
    const count = input.MetricData?.length ?? 0;
    if (count < 1 || count > 10) {
      throw new RangeError(
        `BatchPutMetrics takes 1 to 10 metric values, not ${count}.`
      );
    }
    const body = {
      TrialComponentName: input.TrialComponentName,
      MetricData: input.MetricData.map(d => ({
        ...d,
        // REST-JSON sends timestamps as epoch seconds.
        Timestamp:
          d.Timestamp instanceof Date
            ? d.Timestamp.getTime() / 1000
            : d.Timestamp
      }))
    };
    return this._call<IBatchPutMetricsOutput>(
      'PUT',
      '/BatchPutMetrics',
      body,
      options
    );
  }

  private async _call<T>(
    method: string,
    path: string,
    body: unknown,
    options: ICallOptions
  ): Promise<T> {
    const text = JSON.stringify(body);
    return withRetries(
      async () => {
        const response = await sendThroughProxy(this._settings, {
          service: 'sagemaker-metrics',
          region: this._region,
          method,
          path,
          headers: { 'Content-Type': 'application/json' },
          body: text,
          signal: options.signal
        });
        const data = await Private.readJson(response);
        if (!response.ok) {
          throw Private.restJsonError(response, data);
        }
        return data as T;
      },
      this._retry,
      options.signal
    );
  }

  private _settings: ServerConnection.ISettings;
  private _region: string;
  private _retry: IRetryOptions;
}

/** Types of {@link MetricsClient}. */
export namespace MetricsClient {
  /** Options of the client. */
  export interface IOptions {
    /** Jupyter server settings. */
    serverSettings: ServerConnection.ISettings;
    /** AWS region. */
    region: string;
    /** The retry policy. */
    retry: IRetryOptions;
  }
}

namespace Private {
  /** Parse a JSON body; an empty body is an empty object. */
  export async function readJson(
    response: Response
  ): Promise<Record<string, unknown>> {
    const text = await response.text();
    if (!text) {
      return {};
    }
    try {
      return JSON.parse(text);
    } catch {
      return { message: text.slice(0, 200) };
    }
  }

  /** The error of a REST-JSON response: code from x-amzn-errortype or the body, as botocore reads it. */
  export function restJsonError(
    response: Response,
    data: Record<string, unknown>
  ): AwsServiceError {
    const raw =
      response.headers.get('x-amzn-errortype') ||
      (data.__type as string) ||
      (data.code as string) ||
      (data.Code as string) ||
      `Http${response.status}`;
    // "ValidationException:http://internal.amazon.com/..." and "aws.protocoltests#Foo" both name the code last.
    const code = raw.split(':')[0].split('#').pop() as string;
    const message = (data.message ?? data.Message ?? '') as string;
    return new AwsServiceError(code, message, {
      httpStatusCode: response.status,
      requestId: response.headers.get('x-amzn-requestid') ?? undefined
    });
  }
}
