/**
 * Tests of the Model Monitor data path: AwsMonitorApi over fake SageMaker and S3 clients (the AWS request shapes),
 * and MonitorModel on top of it — schedules, executions, reports, violation counts, drift across executions, parts
 * failing on their own, start/stop.
 *
 * @jest-environment-options {"customExportConditions": ["node", "require"]}
 */
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import {
  DescribeDataQualityJobDefinitionCommand,
  DescribeMonitoringScheduleCommand,
  DescribeProcessingJobCommand,
  ListMonitoringExecutionsCommand,
  ListMonitoringSchedulesCommand,
  StopMonitoringScheduleCommand
} from '@aws-sdk/client-sagemaker';
import { nullTranslator } from '@jupyterlab/translation';

import { AwsMonitorApi } from '../monitor/api';
import { MonitorModel } from '../monitor/model';
import { monitoredEndpoints } from '../monitor/monitoredEndpoints';
import { constraints, statistics, violations } from './monitorFixtures';

const trans = nullTranslator.load('jupyterlab_sagemaker_studio');

const HOUR = 3600 * 1000;
const T0 = Date.UTC(2026, 11, 1, 0, 0, 0);

/** An account with one endpoint `prod`, a data-quality schedule and executions; files in a fake bucket. */
function fakeAccount(
  options: {
    files?: Record<string, string>;
    sizes?: Record<string, number>;
    executions?: number;
    remove?: string[];
  } = {}
) {
  const calls: Array<{ name: string; input: any }> = [];
  const count = options.executions ?? 3;
  // Newest first: hour 2 has violations, 1 is clean, 0 has violations (with a smaller distance).
  const executions = Array.from({ length: count }, (_, i) => {
    const hour = count - 1 - i;
    return {
      MonitoringScheduleName: 'prod-dq',
      ScheduledTime: new Date(T0 + hour * HOUR),
      CreationTime: new Date(T0 + hour * HOUR + 60000),
      LastModifiedTime: new Date(T0 + hour * HOUR + 120000),
      MonitoringExecutionStatus:
        hour % 2 === 0 ? 'CompletedWithViolations' : 'Completed',
      ProcessingJobArn: `arn:aws:sagemaker:us-east-1:123456789012:processing-job/prod-dq-${hour}`,
      EndpointName: 'prod',
      MonitoringType: 'DataQuality'
    };
  });
  const files: Record<string, string> = {
    'bucket/baseline/statistics.json': JSON.stringify(statistics({})),
    'bucket/baseline/constraints.json': JSON.stringify(constraints(0.1)),
    ...Object.fromEntries(
      executions.flatMap((_, i) => {
        const hour = count - 1 - i;
        return [
          [
            `bucket/reports/${hour}/statistics.json`,
            JSON.stringify(
              statistics({
                ageCounts:
                  hour % 2 === 0
                    ? [0, 0, 0, 1, 2, 5, 10, 20, 20, 10]
                    : [1, 2, 5, 10, 20, 20, 10, 5, 2, 1]
              })
            )
          ],
          [
            `bucket/reports/${hour}/constraint_violations.json`,
            JSON.stringify(
              hour % 2 === 0 ? violations(0.2 + hour / 10) : { violations: [] }
            )
          ]
        ];
      })
    ),
    ...options.files
  };
  for (const path of options.remove ?? []) {
    delete files[path];
  }
  const sagemaker = {
    send: async (command: any) => {
      const input = command.input;
      calls.push({ name: command.constructor.name, input });
      if (command instanceof ListMonitoringSchedulesCommand) {
        return {
          MonitoringScheduleSummaries: [
            {
              MonitoringScheduleName: 'prod-dq',
              MonitoringScheduleArn:
                'arn:aws:sagemaker:us-east-1:123456789012:monitoring-schedule/prod-dq',
              MonitoringScheduleStatus: 'Scheduled',
              MonitoringType: 'DataQuality',
              EndpointName: 'prod',
              MonitoringJobDefinitionName: 'prod-dq-def'
            },
            ...(input.EndpointName
              ? []
              : [
                  {
                    MonitoringScheduleName: 'other-dq',
                    MonitoringScheduleStatus: 'Scheduled',
                    EndpointName: 'other'
                  }
                ])
          ]
        };
      }
      if (command instanceof DescribeMonitoringScheduleCommand) {
        const name = input.MonitoringScheduleName;
        return {
          MonitoringScheduleArn: `arn:aws:sagemaker:us-east-1:123456789012:monitoring-schedule/${name}`,
          MonitoringScheduleName: name,
          MonitoringScheduleStatus: 'Scheduled',
          MonitoringType: 'DataQuality',
          EndpointName: name === 'prod-dq' ? 'prod' : 'other',
          MonitoringScheduleConfig: {
            ScheduleConfig: { ScheduleExpression: 'cron(0 * ? * * *)' },
            MonitoringJobDefinitionName: 'prod-dq-def',
            MonitoringType: 'DataQuality'
          },
          LastMonitoringExecutionSummary:
            name === 'prod-dq' ? executions[0] : { ...executions[1] }
        };
      }
      if (command instanceof DescribeDataQualityJobDefinitionCommand) {
        return {
          JobDefinitionName: input.JobDefinitionName,
          DataQualityBaselineConfig: {
            ConstraintsResource: {
              S3Uri: 's3://bucket/baseline/constraints.json'
            },
            StatisticsResource: {
              S3Uri: 's3://bucket/baseline/statistics.json'
            }
          }
        };
      }
      if (command instanceof ListMonitoringExecutionsCommand) {
        // Two per page, to exercise paging.
        const start = input.NextToken ? Number(input.NextToken) : 0;
        const page = executions.slice(start, start + 2);
        return {
          MonitoringExecutionSummaries: page,
          NextToken:
            start + 2 < executions.length ? String(start + 2) : undefined
        };
      }
      if (command instanceof DescribeProcessingJobCommand) {
        const hour = input.ProcessingJobName.split('-').pop();
        return {
          ProcessingJobName: input.ProcessingJobName,
          ProcessingOutputConfig: {
            Outputs: [
              {
                OutputName: 'result',
                S3Output: {
                  S3Uri: `s3://bucket/reports/${hour}`,
                  LocalPath: '/opt/ml/processing/output',
                  S3UploadMode: 'EndOfJob'
                }
              }
            ]
          }
        };
      }
      if (command instanceof StopMonitoringScheduleCommand) {
        return {};
      }
      throw new Error(`unexpected ${command.constructor.name}`);
    }
  };
  const notFound = () =>
    Object.assign(new Error('NotFound'), {
      name: 'NotFound',
      $metadata: { httpStatusCode: 404 }
    });
  const s3 = {
    send: async (command: any) => {
      const input = command.input;
      calls.push({ name: command.constructor.name, input });
      const path = `${input.Bucket}/${input.Key}`;
      if (!(path in files)) {
        throw notFound();
      }
      if (command instanceof HeadObjectCommand) {
        return {
          ContentLength:
            options.sizes?.[path] ??
            new TextEncoder().encode(files[path]).length
        };
      }
      if (command instanceof GetObjectCommand) {
        return { Body: { transformToString: async () => files[path] } };
      }
      throw new Error(`unexpected ${command.constructor.name}`);
    }
  };
  const api = new AwsMonitorApi({
    sagemaker: async () => sagemaker as any,
    s3: async () => s3 as any,
    trans
  });
  return { api, calls, sagemaker };
}

/** A model over a fake account, refreshed. */
async function loadedModel(account = fakeAccount(), options = {}) {
  const model = new MonitorModel({
    endpointName: 'prod',
    api: account.api,
    trans,
    ...options
  });
  await model.refresh();
  return model;
}

describe('AwsMonitorApi', () => {
  it('describes the schedules of an endpoint with cron, last execution and baseline', async () => {
    const { api, calls } = fakeAccount();
    const [schedule] = await api.listSchedules('prod');
    expect(calls[0]).toEqual({
      name: 'ListMonitoringSchedulesCommand',
      input: expect.objectContaining({ EndpointName: 'prod' })
    });
    expect(schedule).toMatchObject({
      name: 'prod-dq',
      type: 'DataQuality',
      status: 'Scheduled',
      cron: 'cron(0 * ? * * *)',
      jobDefinitionName: 'prod-dq-def',
      baselineStatisticsUri: 's3://bucket/baseline/statistics.json',
      baselineConstraintsUri: 's3://bucket/baseline/constraints.json',
      detailsError: null
    });
    expect(schedule.lastExecution).toMatchObject({
      status: 'CompletedWithViolations',
      scheduledTime: T0 + 2 * HOUR
    });
  });

  it('pages executions newest first by scheduled time', async () => {
    const { api, calls } = fakeAccount({ executions: 5 });
    const { executions, truncated } = await api.listExecutions('prod-dq', 100);
    expect(executions.map(e => e.scheduledTime)).toEqual(
      [4, 3, 2, 1, 0].map(h => T0 + h * HOUR)
    );
    expect(truncated).toBe(false);
    const lists = calls.filter(
      c => c.name === 'ListMonitoringExecutionsCommand'
    );
    expect(lists).toHaveLength(3);
    expect(lists[0].input).toMatchObject({
      MonitoringScheduleName: 'prod-dq',
      SortBy: 'ScheduledTime',
      SortOrder: 'Descending'
    });
  });

  it('finds reports through the processing job and checks the size before downloading', async () => {
    const { api, calls } = fakeAccount({
      sizes: { 'bucket/reports/2/statistics.json': 50 * 1024 * 1024 }
    });
    const location = await api.reportLocation(
      'arn:aws:sagemaker:us-east-1:123456789012:processing-job/prod-dq-2'
    );
    expect(location).toBe('s3://bucket/reports/2');
    expect(calls[calls.length - 1]).toEqual({
      name: 'DescribeProcessingJobCommand',
      input: { ProcessingJobName: 'prod-dq-2' }
    });
    await expect(
      api.readText(`${location}/statistics.json`, 20 * 1024 * 1024)
    ).resolves.toEqual({ tooLarge: 50 * 1024 * 1024 });
    expect(calls.map(c => c.name)).not.toContain('GetObjectCommand');
    await expect(
      api.readText(`${location}/missing.json`, 1000)
    ).resolves.toEqual({ missing: true });
    const read = await api.readText(
      `${location}/constraint_violations.json`,
      1000
    );
    expect('text' in read && JSON.parse(read.text).violations).toHaveLength(2);
  });

  it('lists monitored endpoints with their violation flag', async () => {
    const { sagemaker } = fakeAccount();
    const map = await monitoredEndpoints(sagemaker as any, { concurrency: 2 });
    expect(Object.fromEntries(map)).toEqual({
      prod: { violations: true },
      other: { violations: false }
    });
  });
});

describe('MonitorModel', () => {
  it('loads schedules, executions, the latest reports and the baseline', async () => {
    const model = await loadedModel();
    expect(model.status).toBe('ready');
    expect(model.schedule?.name).toBe('prod-dq');
    expect(model.executions.value?.map(e => e.status)).toEqual([
      'CompletedWithViolations',
      'Completed',
      'CompletedWithViolations'
    ]);
    // The newest completed execution is chosen.
    expect(model.execution?.scheduledTime).toBe(T0 + 2 * HOUR);
    const report = model.report(model.execution!);
    expect(report.violations.value?.map(v => v.featureName)).toEqual([
      'age',
      'city'
    ]);
    expect(report.statistics.value?.features).toHaveLength(2);
    expect(model.baseline.statistics.value?.itemCount).toBe(76);
    expect(model.baseline.constraints.value?.comparisonThreshold).toBe(0.1);
    expect(model.violationCount(model.executions.value![0])).toBe(2);
    expect(model.violationCount(model.executions.value![1])).toBe(0);
    expect(model.features).toEqual(['age', 'city']);
    // The first feature with a violation.
    expect(model.feature).toBe('age');
    model.dispose();
  });

  it('builds the drift of a feature: reported distances, else estimated ones, with the threshold', async () => {
    const model = await loadedModel();
    const drift = model.drift('age');
    expect(drift.threshold).toBe(0.1);
    expect(drift.points.map(p => p.time)).toEqual(
      [0, 1, 2].map(h => T0 + h * HOUR)
    );
    expect(drift.points[0]).toMatchObject({ distance: 0.2, estimated: false });
    expect(drift.points[2]).toMatchObject({ distance: 0.4, estimated: false });
    // The clean execution has the baseline's distribution: an estimate near 0.
    expect(drift.points[1].estimated).toBe(true);
    expect(drift.points[1].distance).toBeCloseTo(0);
    model.dispose();
  });

  it('keeps the other parts when one report is malformed, missing or too large', async () => {
    const account = fakeAccount({
      files: {
        'bucket/reports/2/statistics.json': '{"features": [',
        'bucket/baseline/constraints.json': '{"monitoring_config": {}}'
      },
      sizes: {
        'bucket/reports/0/constraint_violations.json': 30 * 1024 * 1024
      }
    });
    const model = await loadedModel(account);
    const [latest, , oldest] = model.executions.value!;
    const report = model.report(latest);
    expect(report.statistics.error).toMatch(
      /^The execution’s statistics\.json is not valid JSON/
    );
    expect(report.violations.value).toHaveLength(2);
    expect(model.baseline.constraints.error).toMatch(
      /constraints\.json does not have the Model Monitor format/
    );
    expect(model.baseline.statistics.value).not.toBeNull();
    const old = model.report(oldest);
    expect(old.violations.error).toMatch(
      /is 30\.0 MB, more than the 20 MB this dashboard reads/
    );
    expect(old.statistics.value).not.toBeNull();
    expect(model.violationCount(oldest)).toBeNull();
    // Without constraints, the threshold comes from a violation's description.
    expect(model.drift('age').threshold).toBe(0.1);
    model.dispose();
  });

  it('treats a missing violations file of a clean execution as no violations', async () => {
    const account = fakeAccount({
      remove: [
        'bucket/reports/1/constraint_violations.json',
        'bucket/reports/2/constraint_violations.json'
      ]
    });
    const model = new MonitorModel({
      endpointName: 'prod',
      api: account.api,
      trans
    });
    await model.refresh();
    const [latest, clean] = model.executions.value!;
    expect(model.report(clean).violations.value).toEqual([]);
    // An execution that reported violations must have the file.
    expect(model.report(latest).violations.error).toBe(
      'The execution’s constraint_violations.json does not exist at s3://bucket/reports/2/constraint_violations.json.'
    );
    model.dispose();
  });

  it('says when the schedules cannot be listed', async () => {
    const model = new MonitorModel({
      endpointName: 'prod',
      api: {
        listSchedules: async () => {
          throw new Error('AccessDenied: not allowed');
        }
      } as any,
      trans
    });
    await model.refresh();
    expect(model.status).toBe('error');
    expect(model.error).toBe(
      'The monitoring schedules of “prod” could not be listed: AccessDenied: not allowed'
    );
  });

  it('explains executions without reports', async () => {
    const model = await loadedModel();
    const report = model.report({
      scheduleName: 'prod-dq',
      scheduledTime: T0,
      created: T0,
      status: 'Failed',
      processingJobArn: 'arn:aws:sagemaker:us-east-1:1:processing-job/x',
      failureReason: 'AlgorithmError: no captured data',
      type: 'DataQuality'
    });
    expect(report.violations.error).toBe(
      'This execution ended with status Failed and wrote no reports: AlgorithmError: no captured data'
    );
    model.dispose();
  });

  it('stops a schedule and refreshes', async () => {
    const account = fakeAccount();
    const model = await loadedModel(account);
    const before = account.calls.length;
    await model.stopSchedule('prod-dq');
    const after = account.calls.slice(before).map(c => c.name);
    expect(after[0]).toBe('StopMonitoringScheduleCommand');
    expect(after).toContain('ListMonitoringSchedulesCommand');
    expect(model.actionError).toBeNull();
    model.dispose();
  });

  it('reads no feature statistics of a model quality execution', async () => {
    const account = fakeAccount();
    const model = await loadedModel(account, { driftExecutions: 1 });
    const report = model.report({
      scheduleName: 'prod-mq',
      scheduledTime: T0 + HOUR,
      created: T0 + HOUR,
      status: 'Completed',
      processingJobArn:
        'arn:aws:sagemaker:us-east-1:123456789012:processing-job/prod-mq-1',
      failureReason: null,
      type: 'ModelQuality'
    });
    await report.done;
    expect(report.violations.value).toEqual([]);
    expect(report.statistics.error).toBe(
      'Feature statistics are reported by data quality schedules only; this is a ModelQuality execution.'
    );
    expect(
      account.calls.filter(
        c =>
          c.name === 'GetObjectCommand' &&
          c.input.Key === 'reports/1/statistics.json'
      )
    ).toHaveLength(0);
    model.dispose();
  });

  it('keeps the reports of finished executions across refreshes', async () => {
    const account = fakeAccount();
    const model = await loadedModel(account);
    const reads = () =>
      account.calls.filter(c => c.name === 'GetObjectCommand').length;
    const before = reads();
    await model.refresh();
    // Only the baseline files are read again.
    expect(reads() - before).toBe(2);
    model.dispose();
  });

  it('reads at most driftExecutions reports', async () => {
    const account = fakeAccount({ executions: 8 });
    await loadedModel(account, { driftExecutions: 2 });
    const jobs = account.calls.filter(
      c => c.name === 'DescribeProcessingJobCommand'
    );
    expect(jobs).toHaveLength(2);
  });
});
