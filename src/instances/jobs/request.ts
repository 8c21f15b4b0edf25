/**
 * The notebook-job contract (docs/NOTEBOOK_JOBS.md) as pure functions: job names, S3 locations, the
 * CreateTrainingJob request, recognising a notebook job in DescribeTrainingJob's answer, its phase, run time and
 * cost. No AWS calls, no DOM.
 */
import type {
  CreateTrainingJobRequest,
  DescribeTrainingJobResponse
} from '@aws-sdk/client-sagemaker';

import { parseS3Uri } from '../../aws/s3Uri';

export { parseS3Uri };

/** Where the runner sits inside the job's container. */
export const RUNNER_PATH = '/opt/ml/input/data/notebook/runner.py';
/** The input channel holding the notebook and the runner. */
export const CHANNEL = 'notebook';
/** Key prefix of every notebook job's files in the bucket. */
export const KEY_PREFIX = 'sagemaker-studio/notebook-jobs/';
/** The marker in every notebook job's name, so ListTrainingJobs `NameContains` finds them. */
export const NAME_MARKER = 'nbjob';
/** Tag naming the notebook's path in the Jupyter workspace. */
export const NOTEBOOK_TAG = 'sagemaker-studio:notebook-job';
/** Tag naming the output notebook's S3 URI. */
export const OUTPUT_TAG = 'sagemaker-studio:notebook-output';
/** Environment variable carrying the notebook's workspace path (DescribeTrainingJob returns it; tags need a call). */
export const PATH_VARIABLE = 'SAGEMAKER_STUDIO_NOTEBOOK_PATH';

/** The phases the kernel bar shows. */
export type JobPhase =
  'Starting' | 'Running' | 'Stopping' | 'Completed' | 'Failed' | 'Stopped';

/** A notebook job as the panels show it. */
export interface INotebookJob {
  /** Training job name. */
  name: string;
  /** The instance type it runs on. */
  instanceType: string;
  /** The image it runs in. */
  image: string;
  /** The phase (from TrainingJobStatus and SecondaryStatus). */
  phase: JobPhase;
  /** The service's secondary status (e.g. "Downloading"), for the title. */
  secondaryStatus: string | null;
  /** When the job was created (ms). */
  created: number;
  /** When the instance became ready (billing starts), or null. */
  started: number | null;
  /** When it ended, or null. */
  ended: number | null;
  /** Billable seconds the service reports once it ended, or null. */
  billableSeconds: number | null;
  /** Why it failed, or null. */
  failureReason: string | null;
  /** The notebook's path in the Jupyter workspace, or null when the job does not say. */
  notebookPath: string | null;
  /** The output notebook's S3 location. */
  output: { bucket: string; key: string };
}

/** The pieces of a new notebook job's request. */
export interface IJobSpec {
  /** The notebook's path in the Jupyter workspace (e.g. `work/analysis.ipynb`). */
  notebookPath: string;
  /** The kernelspec the notebook names. */
  kernelName: string;
  /** The ML instance type. */
  instanceType: string;
  /** The image URI. */
  image: string;
  /** The execution role ARN. */
  roleArn: string;
  /** The bucket (`sagemaker-<region>-<account>`). */
  bucket: string;
  /** Maximum run time in seconds. */
  maxRuntimeSeconds: number;
  /** EBS volume size in GB. */
  volumeSizeGB: number;
  /** When the job is created (names it). */
  now: Date;
}

/** The SageMaker SDK's default bucket name for a region and account. */
export function defaultBucket(region: string, account: string): string {
  return `sagemaker-${region}-${account}`;
}

/** The file name of a workspace path. */
export function baseName(path: string): string {
  return path.split('/').pop() ?? path;
}

/** The file name without its `.ipynb`. */
export function stem(path: string): string {
  return baseName(path).replace(/\.ipynb$/i, '');
}

/** `<stem>-nbjob-<yyyymmdd-hhmmss>`: letters, digits and single hyphens, at most 63 characters, as AWS requires. */
export function jobName(notebookPath: string, now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp =
    `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}-` +
    `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  const cleaned = stem(notebookPath)
    .replace(/[^a-zA-Z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return `${cleaned || 'notebook'}-${NAME_MARKER}-${stamp}`;
}

/** S3 keys of a job's input folder, its two input files and its output notebook. */
export function jobKeys(
  job: string,
  notebookPath: string
): { input: string; notebook: string; runner: string; output: string } {
  const input = `${KEY_PREFIX}${job}/input/`;
  return {
    input,
    notebook: `${input}${baseName(notebookPath)}`,
    runner: `${input}runner.py`,
    output: `${KEY_PREFIX}${job}/output/${stem(notebookPath)}-${job}.ipynb`
  };
}

/** Where the output notebook goes in the workspace: next to the input, `<stem>-<job>.ipynb`. */
export function outputPath(notebookPath: string, job: string): string {
  const slash = notebookPath.lastIndexOf('/');
  const dir = slash >= 0 ? notebookPath.slice(0, slash + 1) : '';
  return `${dir}${stem(notebookPath)}-${job}.ipynb`;
}

/** The CreateTrainingJob request of a notebook job (docs/NOTEBOOK_JOBS.md). */
export function createJobRequest(spec: IJobSpec): CreateTrainingJobRequest {
  const name = jobName(spec.notebookPath, spec.now);
  const keys = jobKeys(name, spec.notebookPath);
  const file = baseName(spec.notebookPath);
  const outputUri = `s3://${spec.bucket}/${keys.output}`;
  return {
    TrainingJobName: name,
    RoleArn: spec.roleArn,
    AlgorithmSpecification: {
      TrainingImage: spec.image,
      TrainingInputMode: 'File',
      ContainerEntrypoint: ['python3', RUNNER_PATH],
      ContainerArguments: [
        '--notebook',
        `/opt/ml/input/data/${CHANNEL}/${file}`,
        '--kernel',
        spec.kernelName,
        '--output',
        outputUri
      ]
    },
    InputDataConfig: [
      {
        ChannelName: CHANNEL,
        DataSource: {
          S3DataSource: {
            S3DataType: 'S3Prefix',
            S3Uri: `s3://${spec.bucket}/${keys.input}`,
            S3DataDistributionType: 'FullyReplicated'
          }
        }
      }
    ],
    OutputDataConfig: { S3OutputPath: `s3://${spec.bucket}/${KEY_PREFIX}` },
    ResourceConfig: {
      InstanceType: spec.instanceType as any,
      InstanceCount: 1,
      VolumeSizeInGB: spec.volumeSizeGB
    },
    StoppingCondition: { MaxRuntimeInSeconds: spec.maxRuntimeSeconds },
    Environment: { [PATH_VARIABLE]: spec.notebookPath },
    Tags: [
      { Key: NOTEBOOK_TAG, Value: spec.notebookPath.slice(0, 256) },
      { Key: OUTPUT_TAG, Value: outputUri.slice(0, 256) }
    ]
  };
}

/** The phase shown for a training job's two statuses. */
export function jobPhase(status: string, secondary: string | null): JobPhase {
  switch (status) {
    case 'Completed':
    case 'Failed':
    case 'Stopped':
    case 'Stopping':
      return status;
    default:
      // InProgress: the instance is being prepared until SageMaker reports Training (or later).
      return secondary === 'Training' || secondary === 'Uploading'
        ? 'Running'
        : 'Starting';
  }
}

/** Whether a phase still changes. */
export function isActive(phase: JobPhase): boolean {
  return phase === 'Starting' || phase === 'Running' || phase === 'Stopping';
}

/** A notebook job from DescribeTrainingJob's answer; null when the job is not one (another entry point). */
export function parseJob(
  described: DescribeTrainingJobResponse
): INotebookJob | null {
  const algorithm = described.AlgorithmSpecification;
  const entry = algorithm?.ContainerEntrypoint ?? [];
  if (entry[entry.length - 1] !== RUNNER_PATH) {
    return null;
  }
  const args = algorithm?.ContainerArguments ?? [];
  const arg = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 && i + 1 < args.length ? args[i + 1] : null;
  };
  const output = parseS3Uri(arg('--output') ?? '');
  if (!output || !described.TrainingJobName) {
    return null;
  }
  const ms = (d: Date | undefined) => (d ? new Date(d).getTime() : null);
  return {
    name: described.TrainingJobName,
    instanceType: described.ResourceConfig?.InstanceType ?? '',
    image: algorithm?.TrainingImage ?? '',
    phase: jobPhase(
      described.TrainingJobStatus ?? 'InProgress',
      described.SecondaryStatus ?? null
    ),
    secondaryStatus: described.SecondaryStatus ?? null,
    created: ms(described.CreationTime) ?? Date.now(),
    started: ms(described.TrainingStartTime),
    ended: ms(described.TrainingEndTime),
    billableSeconds: described.BillableTimeInSeconds ?? null,
    failureReason: described.FailureReason ?? null,
    notebookPath: described.Environment?.[PATH_VARIABLE] ?? null,
    output
  };
}

/** Seconds the job has run (since creation; to its end once it ended). */
export function elapsedSeconds(job: INotebookJob, now: number): number {
  const end = job.ended ?? now;
  return Math.max(0, Math.round((end - job.created) / 1000));
}

/**
 * Cost so far in USD: billable seconds once the service reports them, else the time since the instance became
 * ready (SageMaker bills from then) × the hourly price. Null when the price is unknown.
 */
export function costSoFar(
  job: INotebookJob,
  pricePerHour: number | null,
  now: number
): number | null {
  if (pricePerHour === null) {
    return null;
  }
  let seconds = job.billableSeconds;
  if (seconds === null) {
    seconds = job.started
      ? Math.max(0, ((job.ended ?? now) - job.started) / 1000)
      : 0;
  }
  return (seconds / 3600) * pricePerHour;
}

/** "1 h 02 min", "3 min 05 s", "42 s". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s >= 3600) {
    return `${Math.floor(s / 3600)} h ${pad(Math.floor((s % 3600) / 60))} min`;
  }
  if (s >= 60) {
    return `${Math.floor(s / 60)} min ${pad(s % 60)} s`;
  }
  return `${s} s`;
}

/** The execution role a caller's identity stands for: `…:assumed-role/<name>/<session>` → `…:role/<name>`. */
export function roleFromIdentity(arn: string | undefined): string | null {
  const match =
    /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(
      arn ?? ''
    );
  return match ? `arn:${match[1]}:iam::${match[2]}:role/${match[3]}` : null;
}
