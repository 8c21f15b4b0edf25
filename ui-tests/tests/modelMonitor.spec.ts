/**
 * A data scientist checks the Model Monitor of the demo endpoint `diabetes-regression-staging`. Its captured traffic
 * is real rows of scikit-learn's diabetes data set; the last hours come from the patients with the highest BMI, so
 * the local backend's hourly data-quality executions (computed for real from the captures against the baseline of
 * the training split) find `bmi` drifting there and nowhere else. A report file that is corrupt shows its message
 * in its own part of the dashboard while the rest still works.
 */
import { expect, test } from '@jupyterlab/galata';

import { EndpointTab } from './helpers/EndpointTab';
import {
  findBucket,
  listKeys,
  MONITOR,
  MonitorDashboard,
  putObject
} from './helpers/MonitorHelper';
import { SageMakerHelper } from './helpers/SageMakerHelper';

const ENDPOINT = 'diabetes-regression-staging';
const SCHEDULE = 'diabetes-regression-staging-data-quality';
const REPORTS = `sagemaker-studio-demo/model-monitor/reports/${ENDPOINT}/${SCHEDULE}/`;

test.describe('Model Monitor', () => {
  test('the demo endpoint has executions with violations; bmi drifts past its threshold', async ({
    page
  }, testInfo) => {
    test.setTimeout(180_000);
    const sagemaker = new SageMakerHelper(page);
    await sagemaker.openRegistry();
    // The registry marks the endpoint whose latest execution found violations.
    await sagemaker.refreshUntil(async () => {
      await expect(
        sagemaker.endpointRow(ENDPOINT).locator(MONITOR.registryBadge)
      ).toBeVisible({ timeout: 1_000 });
    }, 120_000);

    const tab = new EndpointTab(page, ENDPOINT);
    await tab.openFromSidebar(sagemaker);
    await tab.widget.locator(MONITOR.openFromEndpoint).click();
    const dashboard = new MonitorDashboard(page, ENDPOINT);
    await dashboard.waitForExecutions();
    await expect(
      dashboard.section('schedules').locator(MONITOR.scheduleRow(SCHEDULE))
    ).toBeVisible();

    // Some hours are clean, some are not.
    const withViolations = dashboard
      .section('executions')
      .locator(
        `${MONITOR.executionRow}[data-status="CompletedWithViolations"]`
      );
    const clean = dashboard
      .section('executions')
      .locator(`${MONITOR.executionRow}[data-status="Completed"]`);
    await expect(withViolations.first()).toBeVisible();
    await expect(clean.first()).toBeVisible();

    await dashboard.selectExecution(withViolations.first());
    const bmi = dashboard
      .section('violations')
      .locator(
        `${MONITOR.violation}[data-feature="bmi"][data-check-type="baseline_drift_check"]`
      );
    await expect(bmi).toBeVisible();
    const distance = Number(
      await bmi.locator('[data-column="distance"]').innerText()
    );
    const threshold = Number(
      await bmi.locator('[data-column="threshold"]').innerText()
    );
    expect(threshold).toBeGreaterThan(0);
    expect(distance).toBeGreaterThan(threshold);

    await dashboard.chooseFeature('bmi');
    await expect(
      dashboard.section('drift').locator(MONITOR.driftChart)
    ).toHaveAttribute('data-state', 'drawn', { timeout: 30_000 });
    await expect(
      dashboard.section('drift').locator(MONITOR.distributionChart)
    ).toHaveAttribute('data-state', 'drawn');
    await dashboard.section('drift').scrollIntoViewIfNeeded();
    await sagemaker.saveScreenshot(testInfo, 'model-monitor-drift');

    // A clean hour: no violations.
    await dashboard.selectExecution(clean.first());
    await expect(
      dashboard
        .section('violations')
        .locator('[data-testid="sagemaker-monitor-no-violations"]')
    ).toBeVisible();
  });

  test('a corrupt statistics file shows its message; the other parts still work', async ({
    page
  }, testInfo) => {
    test.setTimeout(180_000);
    const bucket = await findBucket(page, /^sagemaker-us-east-1-\d{12}$/);
    let keys: string[] = [];
    await expect(async () => {
      keys = (await listKeys(page, bucket, REPORTS)).filter(k =>
        k.endsWith('/statistics.json')
      );
      expect(keys.length).toBeGreaterThan(1);
    }).toPass({ timeout: 120_000 });
    // The oldest execution's statistics, cut off in the middle.
    const oldest = [...keys].sort()[0];
    await putObject(
      page,
      bucket,
      oldest,
      '{"version": 0.0, "dataset": {"item_'
    );

    const sagemaker = new SageMakerHelper(page);
    await sagemaker.openRegistry();
    await sagemaker.refreshUntil(async () => {
      await expect(sagemaker.endpointRow(ENDPOINT)).toBeVisible({
        timeout: 1_000
      });
    }, 120_000);
    await page.evaluate(
      name =>
        (window as any).jupyterapp.commands
          .execute('sagemaker-studio:open-model-monitor', {
            endpointName: name
          })
          // The command resolves with the dashboard widget, which cannot be sent back to the test.
          .then(() => undefined),
      ENDPOINT
    );
    const dashboard = new MonitorDashboard(page, ENDPOINT);
    await dashboard.waitForExecutions();
    await dashboard.selectExecution(dashboard.executionRows.last());
    const error = dashboard.section('dataset').locator(MONITOR.error);
    await expect(error).toBeVisible({ timeout: 30_000 });
    await expect(error).toContainText('statistics.json is not valid JSON');
    // The schedules and the execution table are unaffected.
    await expect(
      dashboard.section('schedules').locator(MONITOR.scheduleRow(SCHEDULE))
    ).toBeVisible();
    expect(await dashboard.executionRows.count()).toBeGreaterThan(1);
    await sagemaker.saveScreenshot(testInfo, 'model-monitor-corrupt-report');
  });
});
