/**
 * The AWS calls of notebook jobs (S3, SageMaker, CloudWatch Logs), through the suite's connection. Loaded with
 * `import()` on first use, so the SDK command classes stay out of the start-up bundle.
 */
import {
  DescribeLogStreamsCommand,
  GetLogEventsCommand
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand
} from '@aws-sdk/client-s3';
import {
  CreateTrainingJobCommand,
  CreateTrainingJobRequest,
  DescribeTrainingJobCommand,
  ListTrainingJobsCommand,
  StopTrainingJobCommand
} from '@aws-sdk/client-sagemaker';

import type { IAwsConnection } from '../../tokens';
import { INotebookJob, NAME_MARKER, parseJob } from './request';

/** CloudWatch Logs group of training jobs. */
export const LOG_GROUP = '/aws/sagemaker/TrainingJobs';

/** A page of log lines and where to continue. */
export interface ILogPage {
  /** Lines in time order. */
  lines: { time: number; message: string }[];
  /** Token for the next call (null when the job has no log stream yet). */
  next: { stream: string; token: string | undefined } | null;
}

/** S3, SageMaker and CloudWatch Logs calls of notebook jobs. */
export class NotebookJobService {
  /** Use the suite's connection. */
  constructor(connection: IAwsConnection) {
    this._connection = connection;
  }

  /** Create the bucket unless it exists (HeadBucket first: CreateBucket on an owned bucket fails outside us-east-1). */
  async ensureBucket(bucket: string, region: string): Promise<void> {
    const s3 = await this._connection.s3();
    try {
      await s3.send(new HeadBucketCommand({ Bucket: bucket }));
      return;
    } catch (err) {
      const status = (err as any)?.$metadata?.httpStatusCode;
      if (status !== 404) {
        throw err;
      }
    }
    await s3.send(
      new CreateBucketCommand({
        Bucket: bucket,
        ...(region === 'us-east-1'
          ? {}
          : {
              CreateBucketConfiguration: { LocationConstraint: region as any }
            })
      })
    );
  }

  /** Put one text object. */
  async upload(
    bucket: string,
    key: string,
    body: string,
    contentType: string
  ): Promise<void> {
    const s3 = await this._connection.s3();
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: contentType
      })
    );
  }

  /** Read one text object. */
  async download(bucket: string, key: string): Promise<string> {
    const s3 = await this._connection.s3();
    const out = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: key })
    );
    return out.Body ? out.Body.transformToString() : '';
  }

  /** CreateTrainingJob. */
  async create(request: CreateTrainingJobRequest): Promise<void> {
    const sagemaker = await this._connection.sagemaker();
    await sagemaker.send(new CreateTrainingJobCommand(request));
  }

  /** DescribeTrainingJob, as a notebook job (null when the job is not a notebook job). */
  async describe(name: string): Promise<INotebookJob | null> {
    const sagemaker = await this._connection.sagemaker();
    return parseJob(
      await sagemaker.send(
        new DescribeTrainingJobCommand({ TrainingJobName: name })
      )
    );
  }

  /** StopTrainingJob. */
  async stop(name: string): Promise<void> {
    const sagemaker = await this._connection.sagemaker();
    await sagemaker.send(new StopTrainingJobCommand({ TrainingJobName: name }));
  }

  /** Names of the newest notebook jobs (by the name marker), newest first. */
  async listNames(max: number): Promise<string[]> {
    const sagemaker = await this._connection.sagemaker();
    const out = await sagemaker.send(
      new ListTrainingJobsCommand({
        NameContains: `-${NAME_MARKER}-`,
        SortBy: 'CreationTime',
        SortOrder: 'Descending',
        MaxResults: max
      })
    );
    return (out.TrainingJobSummaries ?? [])
      .map(s => s.TrainingJobName ?? '')
      .filter(Boolean);
  }

  /**
   * Log lines of a job from its first stream (`<job>/algo-1-…`): from the start, or after `from`. AWS returns the
   * same forward token when nothing is new.
   */
  async logs(job: string, from: ILogPage['next']): Promise<ILogPage> {
    const logs = await this._connection.logs();
    let stream = from?.stream;
    if (!stream) {
      try {
        const streams = await logs.send(
          new DescribeLogStreamsCommand({
            logGroupName: LOG_GROUP,
            logStreamNamePrefix: `${job}/`
          })
        );
        stream = streams.logStreams?.[0]?.logStreamName;
      } catch (err) {
        // The group appears with the first training job's logs of the account.
        if ((err as any)?.name === 'ResourceNotFoundException') {
          return { lines: [], next: null };
        }
        throw err;
      }
      if (!stream) {
        return { lines: [], next: null };
      }
    }
    const lines: ILogPage['lines'] = [];
    let token = from?.token;
    for (let page = 0; page < 20; page++) {
      const out = await logs.send(
        new GetLogEventsCommand({
          logGroupName: LOG_GROUP,
          logStreamName: stream,
          startFromHead: true,
          ...(token ? { nextToken: token } : {})
        })
      );
      for (const event of out.events ?? []) {
        lines.push({
          time: event.timestamp ?? 0,
          message: event.message ?? ''
        });
      }
      const same = out.nextForwardToken === token;
      token = out.nextForwardToken ?? token;
      if (same || !(out.events ?? []).length) {
        break;
      }
    }
    return { lines, next: { stream, token } };
  }

  private _connection: IAwsConnection;
}
