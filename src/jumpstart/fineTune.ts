/**
 * Send the fine-tune CreateTrainingJob request and follow the job until it is Completed, Failed or Stopped, reporting
 * every status read so the form can show progress.
 */
import {
  CreateTrainingJobCommand,
  DescribeTrainingJobCommand
} from '@aws-sdk/client-sagemaker';
import type { CreateTrainingJobCommandInput } from '@aws-sdk/client-sagemaker';

import type { IAwsConnection } from '../tokens';

/** One progress report. */
export interface IFineTuneProgress {
  /** `CreateTrainingJob` for the create call, `TrainingJob` for each status read. */
  step: 'CreateTrainingJob' | 'TrainingJob';
  /** 'running' while going on, 'done' or 'failed' at the end. */
  state: 'running' | 'done' | 'failed';
  /** The job status (and secondary status), or the error sentence. */
  detail?: string;
}

/** How a fine-tuning job ended. */
export interface IFineTuneResult {
  /** The final job status, 'cancelled' when polling stopped, or 'error' when a call failed. */
  outcome: 'Completed' | 'Failed' | 'Stopped' | 'cancelled' | 'error';
  /** The job name. */
  jobName: string;
  /** SageMaker's FailureReason, or the sentence of the failed call. */
  reason?: string;
  /** `ModelArtifacts.S3ModelArtifacts` of a completed job. */
  modelArtifacts?: string;
}

/** Options of {@link fineTuneModel}. */
export interface IFineTuneOptions {
  /** Stops polling (the job keeps running) when aborted. */
  signal?: AbortSignal;
  /** Milliseconds between DescribeTrainingJob calls (default 5 s). */
  interval?: number;
  /** Waits `ms` (tests pass a fast one). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Create the training job, then poll DescribeTrainingJob until it settles. */
export async function fineTuneModel(
  connection: Pick<IAwsConnection, 'sagemaker' | 'describeError'>,
  request: CreateTrainingJobCommandInput,
  onProgress: (progress: IFineTuneProgress) => void,
  options: IFineTuneOptions = {}
): Promise<IFineTuneResult> {
  const jobName = request.TrainingJobName!;
  onProgress({ step: 'CreateTrainingJob', state: 'running' });
  let client;
  try {
    client = await connection.sagemaker();
    await client.send(new CreateTrainingJobCommand(request));
  } catch (err) {
    const detail = connection.describeError(err);
    onProgress({ step: 'CreateTrainingJob', state: 'failed', detail });
    return { outcome: 'error', jobName, reason: detail };
  }
  onProgress({ step: 'CreateTrainingJob', state: 'done' });
  const sleep = options.sleep ?? Private.wait;
  const interval = options.interval ?? 5000;
  let failures = 0;
  for (;;) {
    if (options.signal?.aborted) {
      return { outcome: 'cancelled', jobName };
    }
    try {
      const out = await client.send(
        new DescribeTrainingJobCommand({ TrainingJobName: jobName })
      );
      failures = 0;
      const status = out.TrainingJobStatus ?? 'Unknown';
      const detail = out.SecondaryStatus
        ? `${status} (${out.SecondaryStatus})`
        : status;
      if (status === 'Completed') {
        onProgress({ step: 'TrainingJob', state: 'done', detail: status });
        return {
          outcome: 'Completed',
          jobName,
          modelArtifacts: out.ModelArtifacts?.S3ModelArtifacts
        };
      }
      if (status === 'Failed' || status === 'Stopped') {
        onProgress({
          step: 'TrainingJob',
          state: 'failed',
          detail: out.FailureReason ? `${status}: ${out.FailureReason}` : status
        });
        return { outcome: status, jobName, reason: out.FailureReason };
      }
      onProgress({ step: 'TrainingJob', state: 'running', detail });
    } catch (err) {
      failures += 1;
      if (failures >= 3) {
        const detail = connection.describeError(err);
        onProgress({ step: 'TrainingJob', state: 'failed', detail });
        return { outcome: 'error', jobName, reason: detail };
      }
    }
    await sleep(interval, options.signal);
  }
}

/** Module-private helpers. */
namespace Private {
  /** A delay that ends early when the signal aborts. */
  export function wait(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise(resolve => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done);
    });
  }
}
