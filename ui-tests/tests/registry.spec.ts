/**
 * A user opens the "SageMaker" sidebar of a fresh local-mode JupyterLab and sees the demo endpoints, fetched
 * through the signing proxy from the local backend.
 */
import { expect, test } from '@jupyterlab/galata';

import {
  SageMakerHelper,
  SELECTORS,
  STATUS_LABELS
} from './helpers/SageMakerHelper';

/** Endpoints the demo content creates (jupyterlab_sagemaker_studio/demo/catalog.py) and their instance types. */
const DEMO_ENDPOINTS: Record<string, string> = {
  'breast-cancer-gbm-prod': 'ml.m5.large',
  'diabetes-regression-staging': 'ml.t2.medium',
  'digits-classifier-gpu': 'ml.g4dn.xlarge'
};

/** How long the demo content may take at the server's first start (it trains models). */
const DEMO_CREATION_TIMEOUT = 180_000;

test.describe('SageMaker sidebar in local mode', () => {
  test('JupyterLab loads the installed extension', async ({ page }) => {
    const sagemaker = new SageMakerHelper(page);
    expect(await sagemaker.pluginIds()).toEqual(
      expect.arrayContaining([
        'jupyterlab-sagemaker-studio:registry',
        expect.stringMatching(/^jupyterlab-sagemaker-studio:/)
      ])
    );
  });

  test('the status bar says local mode', async ({ page }) => {
    const sagemaker = new SageMakerHelper(page);
    await expect(sagemaker.statusBarItem).toHaveText('SageMaker · local', {
      timeout: 30_000
    });
  });

  test('the status bar opens the connection settings', async ({
    page
  }, testInfo) => {
    const sagemaker = new SageMakerHelper(page);
    await expect(sagemaker.statusBarItem).toHaveText('SageMaker · local', {
      timeout: 30_000
    });
    await sagemaker.statusBarItem.click();
    const dialog = page.locator(SELECTORS.connectionDialog);
    await expect(dialog).toBeVisible();
    await expect(dialog.locator(SELECTORS.connectionMode)).toHaveText(
      'Local backend (no AWS account is used)'
    );
    await expect(dialog).toContainText('123456789012');
    await expect(dialog.locator(SELECTORS.regionSelect)).toHaveValue(
      'us-east-1'
    );
    await testInfo.attach('connection-dialog', {
      body: await dialog.screenshot(),
      contentType: 'image/png'
    });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toHaveCount(0);
  });

  test('the panel lists the demo endpoints with status and instance type', async ({
    page
  }, testInfo) => {
    test.setTimeout(DEMO_CREATION_TIMEOUT + 120_000);
    const sagemaker = new SageMakerHelper(page);

    await test.step('open the SageMaker sidebar', async () => {
      await sagemaker.openRegistry();
    });

    await test.step('the demo endpoints appear', async () => {
      await sagemaker.refreshUntil(async () => {
        for (const name of Object.keys(DEMO_ENDPOINTS)) {
          await expect(sagemaker.endpointRow(name)).toBeVisible({
            timeout: 1_000
          });
        }
      }, DEMO_CREATION_TIMEOUT);
    });

    await test.step('each shows its status and instance type', async () => {
      for (const [name, instanceType] of Object.entries(DEMO_ENDPOINTS)) {
        const details = await sagemaker.endpointDetails(name);
        expect(Object.keys(STATUS_LABELS)).toContain(details.status);
        expect(details.statusLabel).toBe(STATUS_LABELS[details.status]);
        // "ml.m5.large × 1" once the endpoint reports its instance count, the type alone before.
        expect(details.instance).toMatch(
          new RegExp(`^${instanceType.replace(/\./g, '\\.')}( × 1)?$`)
        );
      }
    });

    await test.step('refreshing shows them going into service', async () => {
      // The local backend moves endpoints from Creating to InService after a short delay, like AWS.
      await sagemaker.refreshUntil(async () => {
        for (const name of Object.keys(DEMO_ENDPOINTS)) {
          await expect(sagemaker.endpointRow(name)).toHaveAttribute(
            'data-status',
            'InService',
            { timeout: 1_000 }
          );
        }
      }, 90_000);
      await sagemaker.refresh();
      for (const [name, instanceType] of Object.entries(DEMO_ENDPOINTS)) {
        expect(await sagemaker.endpointDetails(name)).toEqual({
          status: 'InService',
          statusLabel: 'In service',
          instance: `${instanceType} × 1`
        });
      }
    });

    await test.step('the status bar says local mode', async () => {
      await expect(sagemaker.statusBarItem).toHaveText('SageMaker · local');
    });

    await test.step('keep a screenshot', async () => {
      // Wide enough for the endpoint names (the screenshot also illustrates the README).
      await page.sidebar.setWidth(360, 'left');
      await sagemaker.saveScreenshot(testInfo, 'sagemaker-registry');
    });
  });
});
