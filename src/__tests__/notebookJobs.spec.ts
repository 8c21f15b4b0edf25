/**
 * Notebook jobs: the request contract (docs/NOTEBOOK_JOBS.md), phases, cost, and the model with a fake service.
 */
import type { DescribeTrainingJobResponse } from '@aws-sdk/client-sagemaker';

import { NotebookJobsModel } from '../instances/jobs/model';
import {
  costSoFar,
  createJobRequest,
  elapsedSeconds,
  formatDuration,
  INotebookJob,
  jobName,
  jobPhase,
  outputPath,
  parseJob,
  PATH_VARIABLE,
  roleFromIdentity,
  RUNNER_PATH
} from '../instances/jobs/request';
import type { NotebookJobService } from '../instances/jobs/service';

const NOW = new Date(Date.UTC(2026, 11, 3, 17, 4, 5));

const spec = {
  notebookPath: 'work/My Analysis (v2).ipynb',
  kernelName: 'python3',
  instanceType: 'ml.m5.large',
  image:
    '885854791233.dkr.ecr.us-east-1.amazonaws.com/sagemaker-distribution-prod:3.2.0-cpu',
  roleArn: 'arn:aws:iam::123456789012:role/Exec',
  bucket: 'sagemaker-us-east-1-123456789012',
  maxRuntimeSeconds: 3600,
  volumeSizeGB: 30,
  now: NOW
};

describe('notebook job request', () => {
  it('names jobs with letters, digits and single hyphens, at most 63 characters', () => {
    expect(jobName(spec.notebookPath, NOW)).toBe(
      'My-Analysis-v2-nbjob-20261203-170405'
    );
    const long = jobName(`${'x'.repeat(80)}.ipynb`, NOW);
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/);
    expect(jobName('___.ipynb', NOW)).toBe('notebook-nbjob-20261203-170405');
  });

  it('builds the CreateTrainingJob request of the contract', () => {
    const request = createJobRequest(spec);
    const name = 'My-Analysis-v2-nbjob-20261203-170405';
    const base = `s3://${spec.bucket}/sagemaker-studio/notebook-jobs/`;
    expect(request.TrainingJobName).toBe(name);
    expect(request.AlgorithmSpecification).toEqual({
      TrainingImage: spec.image,
      TrainingInputMode: 'File',
      ContainerEntrypoint: ['python3', RUNNER_PATH],
      ContainerArguments: [
        '--notebook',
        '/opt/ml/input/data/notebook/My Analysis (v2).ipynb',
        '--kernel',
        'python3',
        '--output',
        `${base}${name}/output/My Analysis (v2)-${name}.ipynb`
      ]
    });
    expect(request.InputDataConfig?.[0].DataSource?.S3DataSource?.S3Uri).toBe(
      `${base}${name}/input/`
    );
    expect(request.ResourceConfig).toEqual({
      InstanceType: 'ml.m5.large',
      InstanceCount: 1,
      VolumeSizeInGB: 30
    });
    expect(request.Environment).toEqual({
      [PATH_VARIABLE]: spec.notebookPath
    });
    expect(request.StoppingCondition?.MaxRuntimeInSeconds).toBe(3600);
  });

  it('puts the output next to the input', () => {
    expect(outputPath('work/a.ipynb', 'a-nbjob-1')).toBe(
      'work/a-a-nbjob-1.ipynb'
    );
    expect(outputPath('a.ipynb', 'j')).toBe('a-j.ipynb');
  });

  it('recognises its own jobs and nothing else', () => {
    const request = createJobRequest(spec);
    const described: DescribeTrainingJobResponse = {
      ...(request as any),
      TrainingJobArn: 'arn',
      TrainingJobStatus: 'InProgress',
      SecondaryStatus: 'Training',
      CreationTime: new Date(1000),
      TrainingStartTime: new Date(61_000),
      ModelArtifacts: undefined
    };
    const job = parseJob(described)!;
    expect(job.phase).toBe('Running');
    expect(job.notebookPath).toBe(spec.notebookPath);
    expect(job.output.bucket).toBe(spec.bucket);
    expect(job.output.key).toMatch(/\/output\/My Analysis \(v2\)-.*\.ipynb$/);
    expect(
      parseJob({
        ...described,
        AlgorithmSpecification: {
          TrainingImage: 'x',
          TrainingInputMode: 'File'
        }
      })
    ).toBeNull();
  });

  it('maps statuses to phases', () => {
    expect(jobPhase('InProgress', 'Starting')).toBe('Starting');
    expect(jobPhase('InProgress', 'Downloading')).toBe('Starting');
    expect(jobPhase('InProgress', 'Training')).toBe('Running');
    expect(jobPhase('Stopping', 'Stopping')).toBe('Stopping');
    expect(jobPhase('Failed', 'Failed')).toBe('Failed');
  });

  it('counts cost from the start of billing, then from billable seconds', () => {
    const job: INotebookJob = {
      name: 'j',
      instanceType: 'ml.m5.large',
      image: 'i',
      phase: 'Running',
      secondaryStatus: 'Training',
      created: 0,
      started: 60_000,
      ended: null,
      billableSeconds: null,
      failureReason: null,
      notebookPath: 'a.ipynb',
      output: { bucket: 'b', key: 'k' }
    };
    expect(costSoFar(job, null, 3_660_000)).toBeNull();
    expect(costSoFar(job, 0.115, 3_660_000)).toBeCloseTo(0.115);
    expect(elapsedSeconds(job, 3_660_000)).toBe(3660);
    expect(
      costSoFar({ ...job, billableSeconds: 1800, ended: 9e9 }, 0.2, 1e12)
    ).toBeCloseTo(0.1);
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
  });

  it('turns an assumed-role identity into its role', () => {
    expect(
      roleFromIdentity(
        'arn:aws:sts::123456789012:assumed-role/SageMakerStudioLocalExecutionRole/SageMaker'
      )
    ).toBe('arn:aws:iam::123456789012:role/SageMakerStudioLocalExecutionRole');
    expect(roleFromIdentity('arn:aws:iam::123456789012:user/alice')).toBeNull();
    expect(roleFromIdentity(undefined)).toBeNull();
  });
});

/** A fake service: jobs advance one status per describe. */
class FakeService {
  calls: string[] = [];
  statuses: [string, string][] = [
    ['InProgress', 'Starting'],
    ['InProgress', 'Training'],
    ['Completed', 'Completed']
  ];
  request: any = null;
  described = 0;
  files = new Map<string, string>();

  async ensureBucket(bucket: string) {
    this.calls.push(`ensureBucket ${bucket}`);
  }
  async upload(bucket: string, key: string, body: string) {
    this.calls.push(`upload ${key}`);
    this.files.set(key, body);
  }
  async download(bucket: string, key: string) {
    this.calls.push(`download ${key}`);
    return '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}';
  }
  async create(request: any) {
    this.calls.push('create');
    this.request = request;
  }
  async describe(name: string) {
    const [status, secondary] =
      this.statuses[Math.min(this.described++, this.statuses.length - 1)];
    return parseJob({
      ...this.request,
      TrainingJobStatus: status,
      SecondaryStatus: secondary,
      CreationTime: new Date(0),
      FailureReason: undefined
    });
  }
  async stop(name: string) {
    this.calls.push(`stop ${name}`);
  }
  async listNames() {
    return this.request ? [this.request.TrainingJobName] : [];
  }
  async logs() {
    return { lines: [{ time: 1, message: '[runner] cell 1/1' }], next: null };
  }
}

describe('NotebookJobsModel', () => {
  it('uploads, creates, follows the job to its end and saves the output next to the input', async () => {
    const fake = new FakeService();
    const saved: string[] = [];
    const model = new NotebookJobsModel({
      service: async () => fake as unknown as NotebookJobService,
      runner: async () => 'print("runner")',
      saveOutput: async path => {
        saved.push(path);
      },
      describeError: err => String((err as Error).message),
      pollSeconds: 3600
    });
    const finished: string[] = [];
    model.finished.connect((_, entry) => finished.push(entry.job.phase));
    const entry = await model.start({
      notebookPath: 'work/a.ipynb',
      notebookText: '{}',
      kernelName: 'python3',
      instanceType: 'ml.m5.large',
      image: 'img',
      roleArn: 'arn:aws:iam::123456789012:role/Exec',
      maxRuntimeSeconds: 60,
      volumeSizeGB: 30,
      region: 'us-east-1',
      account: '123456789012'
    });
    expect(fake.calls.slice(0, 4)).toEqual([
      'ensureBucket sagemaker-us-east-1-123456789012',
      `upload sagemaker-studio/notebook-jobs/${entry.job.name}/input/a.ipynb`,
      `upload sagemaker-studio/notebook-jobs/${entry.job.name}/input/runner.py`,
      'create'
    ]);
    expect(entry.job.phase).toBe('Starting');
    expect(model.latestFor('work/a.ipynb')).toBe(entry);
    await (model as any)._tick();
    expect(entry.job.phase).toBe('Running');
    expect(finished).toEqual([]);
    await (model as any)._tick();
    expect(entry.job.phase).toBe('Completed');
    expect(finished).toEqual(['Completed']);
    expect(saved).toEqual([`work/a-${entry.job.name}.ipynb`]);
    expect(entry.savedOutput).toBe(saved[0]);
    expect(entry.logs.map(l => l.message)).toEqual(['[runner] cell 1/1']);
    model.dispose();
  });

  it('two log reads at once append the new lines once', async () => {
    const fake = new FakeService();
    let reads = 0;
    fake.logs = async () => {
      reads++;
      await new Promise(r => setTimeout(r, 10));
      return {
        lines: [{ time: 1, message: '[runner] cell 1/1' }],
        next: null
      };
    };
    const model = new NotebookJobsModel({
      service: async () => fake as unknown as NotebookJobService,
      runner: async () => 'print("runner")',
      saveOutput: async () => undefined,
      describeError: err => String((err as Error).message),
      pollSeconds: 3600
    });
    const entry = await model.start({
      notebookPath: 'work/a.ipynb',
      notebookText: '{}',
      kernelName: 'python3',
      instanceType: 'ml.m5.large',
      image: 'img',
      roleArn: 'arn:aws:iam::123456789012:role/Exec',
      maxRuntimeSeconds: 60,
      volumeSizeGB: 30,
      region: 'us-east-1',
      account: '123456789012'
    });
    const before = reads;
    // The poll and the panel ask at the same moment, from the same cursor.
    await Promise.all([
      model.readLogs(entry.job.name),
      model.readLogs(entry.job.name)
    ]);
    expect(reads - before).toBe(1);
    expect(entry.logs.map(l => l.message)).toEqual(['[runner] cell 1/1']);
    model.dispose();
  });

  it('keeps the error of a failed start for the caller and adds no job', async () => {
    const fake = new FakeService();
    fake.create = async () => {
      throw new Error(
        "The account-level service limit 'ml.p4d.24xlarge for training job usage' is 0 Instances"
      );
    };
    const model = new NotebookJobsModel({
      service: async () => fake as unknown as NotebookJobService,
      runner: async () => '',
      saveOutput: async () => undefined,
      describeError: err => String((err as Error).message),
      pollSeconds: 3600
    });
    await expect(
      model.start({
        notebookPath: 'a.ipynb',
        notebookText: '{}',
        kernelName: 'python3',
        instanceType: 'ml.p4d.24xlarge',
        image: 'img',
        roleArn: 'r',
        maxRuntimeSeconds: 60,
        volumeSizeGB: 30,
        region: 'us-east-1',
        account: '123456789012'
      })
    ).rejects.toThrow(/ml.p4d.24xlarge for training job usage/);
    expect(model.jobs).toEqual([]);
    model.dispose();
  });
});
