/**
 * Page object of the Model Monitor dashboard of an endpoint (opened from the endpoint's tab): the specs talk about
 * executions, violations and drift charts; only this file knows the dashboard's DOM. Also reads and writes report
 * files in the local S3 through the test server's signing proxy, to set up a corrupt report.
 */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { expect, type Locator } from '@playwright/test';

/** Selectors of the dashboard. */
export const MONITOR = {
  dashboard: '[data-testid="sagemaker-model-monitor"]',
  section: (id: string) => `[data-testid="sagemaker-monitor-${id}"]`,
  refresh: '.jp-SageMakerMonitor-refresh',
  scheduleRow: (name: string) =>
    `.jp-SageMakerMonitor-scheduleRow[data-schedule-name="${name}"]`,
  executionRow: '.jp-SageMakerMonitor-executionRow',
  timelineMark: '.jp-SageMakerMonitor-timelineMark',
  violation: '.jp-SageMakerMonitor-violation',
  featureSelect: '.jp-SageMakerMonitor-featureSelect',
  distributionChart: '.jp-SageMakerMonitor-distributionChart',
  driftChart: '.jp-SageMakerMonitor-driftChart',
  error: '.jp-SageMakerMonitor-error',
  openFromEndpoint: '[data-testid="sagemaker-endpoint-open-monitor"]',
  registryBadge: '[data-testid="sagemaker-endpoint-monitor-violations"]'
};

/** Route prefix of the signing proxy for S3. */
const S3_PROXY_PATH = '/sagemaker-studio/aws/s3/us-east-1/';

/** The dashboard of one endpoint. */
export class MonitorDashboard {
  /** The dashboard of endpoint `endpointName` on a Galata page. */
  constructor(
    readonly page: IJupyterLabPageFixture,
    readonly endpointName: string
  ) {}

  /** The dashboard's root element. */
  get root(): Locator {
    return this.page.locator(
      `${MONITOR.dashboard}[data-endpoint-name="${this.endpointName}"]`
    );
  }

  /** A section: schedules, executions, violations, dataset or drift. */
  section(id: string): Locator {
    return this.root.locator(MONITOR.section(id));
  }

  /** The rows of the execution table, newest first. */
  get executionRows(): Locator {
    return this.section('executions').locator(MONITOR.executionRow);
  }

  /** Wait until the execution table shows rows. */
  async waitForExecutions(): Promise<void> {
    await expect(this.root).toBeVisible();
    await expect(this.executionRows.first()).toBeVisible({ timeout: 60_000 });
  }

  /** Select an execution row (the violations, dataset and drift parts follow it). */
  async selectExecution(row: Locator): Promise<void> {
    await row.click();
    await expect(row).toHaveAttribute('aria-selected', 'true');
  }

  /** The violation rows of the selected execution. */
  get violations(): Locator {
    return this.section('violations').locator(MONITOR.violation);
  }

  /** Show the drift of one feature. */
  async chooseFeature(feature: string): Promise<void> {
    await this.section('drift')
      .locator(MONITOR.featureSelect)
      .selectOption(feature);
  }
}

/** A bucket of the local account whose name matches `pattern` (ListBuckets through the proxy). */
export async function findBucket(
  page: IJupyterLabPageFixture,
  pattern: RegExp
): Promise<string> {
  const response = await page.request.get(S3_PROXY_PATH);
  expect(response.ok()).toBe(true);
  const names = [...(await response.text()).matchAll(/<Name>([^<]+)<\/Name>/g)]
    .map(m => m[1])
    .filter(name => pattern.test(name));
  expect(names.length).toBeGreaterThan(0);
  return names[0];
}

/** Keys under a prefix (ListObjectsV2 through the proxy, up to 1,000). */
export async function listKeys(
  page: IJupyterLabPageFixture,
  bucket: string,
  prefix: string
): Promise<string[]> {
  const response = await page.request.get(
    `${S3_PROXY_PATH}${bucket}?list-type=2&prefix=${encodeURIComponent(prefix)}`
  );
  expect(response.ok()).toBe(true);
  return [...(await response.text()).matchAll(/<Key>([^<]+)<\/Key>/g)].map(
    m => m[1]
  );
}

/** Overwrite an object (PutObject through the proxy). */
export async function putObject(
  page: IJupyterLabPageFixture,
  bucket: string,
  key: string,
  body: string
): Promise<void> {
  const response = await page.request.put(
    `${S3_PROXY_PATH}${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`,
    // A Buffer is sent byte for byte (a string with a JSON content type would be JSON-encoded again).
    { headers: { 'Content-Type': 'application/json' }, data: Buffer.from(body) }
  );
  expect(response.ok()).toBe(true);
}
