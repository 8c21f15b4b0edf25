/**
 * Tests of the Model Monitor dashboard view over a fake API: the parts and their stable selectors, choosing an
 * execution, the charts handed to the shared chart code, a failing part with its own message, and stopping a
 * schedule after confirmation.
 */
import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { MonitorModel } from '../monitor/model';
import { MonitorView } from '../monitor/MonitorView';
import type { IExecution, IMonitorApi, ISchedule } from '../monitor/types';
import { constraints, statistics, violations } from './monitorFixtures';

const drawn: Array<{ host: HTMLElement; data: any }> = [];

jest.mock('../charts/Chart', () => ({
  Chart: class {
    constructor(options: { host: HTMLElement }) {
      this.host = options.host;
    }
    host: HTMLElement;
    setData(data: any) {
      drawn.push({ host: this.host, data });
    }
    dispose() {
      // Nothing to release.
    }
  }
}));

const trans = nullTranslator.load('jupyterlab_sagemaker_studio');

/** Let React commit what the widget asked for. */
const settle = () => new Promise(r => setTimeout(r, 50));

const HOUR = 3600 * 1000;
const T0 = Date.UTC(2026, 11, 1);

function execution(hour: number, status: string): IExecution {
  return {
    scheduleName: 'prod-dq',
    scheduledTime: T0 + hour * HOUR,
    created: T0 + hour * HOUR,
    status,
    processingJobArn: `arn:aws:sagemaker:us-east-1:1:processing-job/job-${hour}`,
    failureReason: status === 'Failed' ? 'No captured data' : null,
    type: 'DataQuality'
  };
}

function fakeApi(files: Record<string, string> = {}) {
  const stopped: string[] = [];
  const schedule: ISchedule = {
    name: 'prod-dq',
    arn: 'arn:aws:sagemaker:us-east-1:1:monitoring-schedule/prod-dq',
    type: 'DataQuality',
    status: 'Scheduled',
    cron: 'cron(0 * ? * * *)',
    failureReason: null,
    jobDefinitionName: 'prod-dq-def',
    lastExecution: execution(3, 'CompletedWithViolations'),
    baselineStatisticsUri: 's3://b/baseline/statistics.json',
    baselineConstraintsUri: 's3://b/baseline/constraints.json',
    detailsError: null
  };
  const all: Record<string, string> = {
    's3://b/baseline/statistics.json': JSON.stringify(statistics({})),
    's3://b/baseline/constraints.json': JSON.stringify(constraints()),
    's3://b/job-3/statistics.json': JSON.stringify(
      statistics({ ageCounts: [0, 0, 0, 1, 2, 5, 10, 20, 20, 10] })
    ),
    's3://b/job-3/constraint_violations.json': JSON.stringify(violations(0.3)),
    's3://b/job-2/statistics.json': JSON.stringify(statistics({})),
    's3://b/job-2/constraint_violations.json': '{"violations": []}',
    ...files
  };
  const api: IMonitorApi = {
    listSchedules: async () => [schedule],
    monitoredEndpoints: async () => new Map(),
    listExecutions: async () => ({
      executions: [
        execution(3, 'CompletedWithViolations'),
        execution(2, 'Completed'),
        execution(1, 'Failed')
      ],
      truncated: false
    }),
    reportLocation: async arn => `s3://b/${arn.split('/').pop()}/`,
    readText: async uri =>
      uri in all ? { text: all[uri] } : { missing: true as const },
    startSchedule: async () => undefined,
    stopSchedule: async name => {
      stopped.push(name);
      schedule.status = 'Stopped';
    }
  };
  return { api, stopped };
}

async function render(files?: Record<string, string>) {
  const { api, stopped } = fakeApi(files);
  const model = new MonitorModel({ endpointName: 'prod', api, trans });
  const confirm = jest.fn(async () => true);
  const view = new MonitorView({ model, trans, confirm });
  Widget.attach(view, document.body);
  await model.refresh();
  await settle();
  return { view, model, confirm, stopped, node: view.node };
}

beforeEach(() => {
  drawn.length = 0;
});

describe('MonitorView', () => {
  it('shows schedules, executions, violations, dataset summary and drift charts', async () => {
    const { view, node } = await render();
    expect(node.dataset.testid).toBe('sagemaker-model-monitor');
    const schedule = node.querySelector('.jp-SageMakerMonitor-scheduleRow');
    expect(schedule?.getAttribute('data-schedule-name')).toBe('prod-dq');
    expect(schedule?.textContent).toContain('Data quality');
    expect(schedule?.textContent).toContain('cron(0 * ? * * *)');
    expect(schedule?.textContent).toContain('Completed with violations');

    const rows = node.querySelectorAll('.jp-SageMakerMonitor-executionRow');
    expect(Array.from(rows).map(r => r.getAttribute('data-status'))).toEqual([
      'CompletedWithViolations',
      'Completed',
      'Failed'
    ]);
    expect(rows[0].getAttribute('aria-selected')).toBe('true');
    expect(
      rows[0].querySelector('[data-column="violations"]')?.textContent
    ).toBe('2');
    expect(
      rows[1].querySelector('[data-column="violations"]')?.textContent
    ).toBe('0');
    expect(
      node.querySelectorAll('.jp-SageMakerMonitor-timelineMark')
    ).toHaveLength(3);

    const violationRows = node.querySelectorAll(
      '.jp-SageMakerMonitor-violation'
    );
    expect(violationRows).toHaveLength(2);
    expect(violationRows[0].getAttribute('data-feature')).toBe('age');
    expect(
      violationRows[0].querySelector('[data-column="distance"]')?.textContent
    ).toBe('0.3');
    expect(
      violationRows[0].querySelector('[data-column="threshold"]')?.textContent
    ).toBe('0.1');

    expect(
      node.querySelector('.jp-SageMakerMonitor-itemCount')?.textContent
    ).toBe('68 records analysed (baseline: 76).');

    expect(
      node.querySelector('.jp-SageMakerMonitor-driftChart')
    ).not.toBeNull();
    expect(
      node.querySelector('.jp-SageMakerMonitor-distributionChart')
    ).not.toBeNull();
    // The chart code loads with import().
    for (let i = 0; i < 20 && drawn.length < 2; i++) {
      await settle();
    }
    await settle();
    expect(
      node
        .querySelector('.jp-SageMakerMonitor-driftChart')
        ?.getAttribute('data-state')
    ).toBe('drawn');
    const kinds = drawn.map(d => d.data.kind).sort();
    expect(kinds).toEqual(['bar', 'line']);
    const line = drawn.find(d => d.data.kind === 'line')!.data;
    expect(line.series.map((s: any) => s.id)).toEqual([
      'distance',
      'threshold'
    ]);
    expect(Array.from(line.series[1].y)).toEqual([0.1, 0.1]);
    const bars = drawn.find(d => d.data.kind === 'bar')!.data;
    expect(bars.bars).toHaveLength(20);
    expect(node.querySelector('.jp-SageMakerMonitor-error')).toBeNull();
    view.dispose();
  });

  it('shows the violations of the execution chosen in the table', async () => {
    const { view, node } = await render();
    const rows = node.querySelectorAll<HTMLElement>(
      '.jp-SageMakerMonitor-executionRow'
    );
    rows[1].click();
    await settle();
    expect(
      node.querySelectorAll('.jp-SageMakerMonitor-violation')
    ).toHaveLength(0);
    expect(
      node.querySelector('[data-testid="sagemaker-monitor-no-violations"]')
    ).not.toBeNull();
    rows[2].click();
    await settle();
    expect(
      node.querySelector(
        '[data-testid="sagemaker-monitor-violations"] .jp-SageMakerMonitor-error'
      )?.textContent
    ).toBe(
      'This execution ended with status Failed and wrote no reports: No captured data'
    );
    view.dispose();
  });

  it('shows a malformed report in its own part and keeps the rest', async () => {
    const { view, node } = await render({
      's3://b/job-3/statistics.json': '{"dataset": 1, "features": []'
    });
    const dataset = node.querySelector(
      '[data-testid="sagemaker-monitor-dataset"]'
    );
    expect(
      dataset?.querySelector('.jp-SageMakerMonitor-error')?.textContent
    ).toMatch(/^The execution’s statistics\.json is not valid JSON/);
    expect(
      node.querySelectorAll('.jp-SageMakerMonitor-violation')
    ).toHaveLength(2);
    expect(
      node.querySelectorAll('.jp-SageMakerMonitor-executionRow')
    ).toHaveLength(3);
    view.dispose();
  });

  it('asks before stopping a schedule, then stops it', async () => {
    const { view, node, confirm, stopped } = await render();
    node.querySelector<HTMLButtonElement>('.jp-SageMakerMonitor-stop')!.click();
    await settle();
    await settle();
    expect(confirm).toHaveBeenCalledWith('prod-dq', trans);
    expect(stopped).toEqual(['prod-dq']);
    expect(node.querySelector('.jp-SageMakerMonitor-start')).not.toBeNull();
    view.dispose();
  });
});
