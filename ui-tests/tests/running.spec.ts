/**
 * A user opens "Running resources" in a fresh local-mode JupyterLab: the demo's InService endpoints and its
 * training job in progress show with instance types, price per hour from the bundled table, cost so far and the
 * total per hour now; stopping the training job asks first (Cancel keeps it), then stops it.
 */
import { expect, test } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';

import { SageMakerHelper } from './helpers/SageMakerHelper';

/** The bundled price table the view prices with. */
const PRICES = JSON.parse(
  fs.readFileSync(
    path.join(__dirname, '..', '..', 'src', 'pricing', 'instancePrices.json'),
    'utf-8'
  )
);
const REGION = 'us-east-1';

/** The demo's running resources (jupyterlab_sagemaker_studio/demo/). */
const ENDPOINT = 'breast-cancer-gbm-prod';
const ENDPOINT_TYPE = 'ml.m5.large';
const TRAINING_JOB = 'breast-cancer-gbm-weekly-retrain';

/** How long the demo content may take at the server's first start (it trains models). */
const DEMO_CREATION_TIMEOUT = 180_000;

/** "$0.115" as the view writes it. */
function usd(value: number): string {
  return `$${value.toFixed(value !== 0 && Math.abs(value) < 1 ? 3 : 2)}`;
}

test.describe('Running resources in local mode', () => {
  test('lists what bills by the hour with its price, and stops a job after confirmation', async ({
    page
  }, testInfo) => {
    test.setTimeout(DEMO_CREATION_TIMEOUT + 120_000);
    const sagemaker = new SageMakerHelper(page);
    const section = sagemaker.section('running');
    const row = (kind: string, name: string) =>
      section.locator(
        `.jp-SageMakerRunning-row[data-kind="${kind}"][data-name="${name}"]`
      );

    await test.step('open the section', async () => {
      await sagemaker.openRegistry();
      await sagemaker.expandSection('running');
    });

    await test.step('the demo endpoint and training job show with prices', async () => {
      await sagemaker.refreshSectionUntil(
        'running',
        async () => {
          await expect(row('endpoint', ENDPOINT)).toBeVisible({
            timeout: 2000
          });
          await expect(row('training-job', TRAINING_JOB)).toBeVisible({
            timeout: 2000
          });
        },
        DEMO_CREATION_TIMEOUT
      );
      const hosting = PRICES.prices[REGION].hosting[ENDPOINT_TYPE];
      expect(typeof hosting).toBe('number');
      const endpoint = row('endpoint', ENDPOINT);
      await expect(
        endpoint.locator('.jp-SageMakerRunning-instances')
      ).toHaveText(`1 × ${ENDPOINT_TYPE}`);
      await expect(endpoint.getByTestId('rate')).toHaveText(
        `${usd(hosting)}/h`
      );
      await expect(endpoint.locator('.jp-SageMakerRunning-cost')).toHaveText(
        /^\$\d+\.\d+ so far$/
      );
      await expect(
        section.locator('.jp-SageMakerRunning-source')
      ).toContainText(PRICES.source.title);
    });

    await test.step('the total per hour is the sum of the priced rows', async () => {
      const rates = await section
        .locator('.jp-SageMakerRunning-row')
        .evaluateAll(rows =>
          rows.map(
            r => r.querySelector('[data-testid="rate"]')?.textContent ?? ''
          )
        );
      const total = rates
        .map(text => /^\$([\d.]+)\/h$/.exec(text))
        .filter((m): m is RegExpExecArray => m !== null)
        .reduce((sum, m) => sum + Number(m[1]), 0);
      expect(rates.length).toBeGreaterThanOrEqual(2);
      const shown = await section
        .getByTestId('sagemaker-studio-running-total')
        .innerText();
      const value = Number(/^\$([\d.]+) per hour now$/.exec(shown)?.[1]);
      // Each shown rate is rounded to 3 decimals; the total is computed from exact prices.
      expect(Math.abs(value - total)).toBeLessThan(0.002 * rates.length + 0.01);
      await sagemaker.saveScreenshot(testInfo, 'running-resources');
    });

    await test.step('stopping the job asks first; Cancel keeps it running', async () => {
      await row('training-job', TRAINING_JOB)
        .getByRole('button', { name: `Stop ${TRAINING_JOB}` })
        .click();
      const dialog = page.locator('.jp-Dialog');
      await expect(dialog).toContainText(`Stop job “${TRAINING_JOB}”?`);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect(dialog).toHaveCount(0);
      await sagemaker.refreshSection('running');
      await expect(row('training-job', TRAINING_JOB)).toBeVisible();
    });

    await test.step('confirming stops it and it leaves the list', async () => {
      const stopped = page.waitForResponse(
        response =>
          response.request().headers()['x-amz-target'] ===
          'SageMaker.StopTrainingJob'
      );
      await row('training-job', TRAINING_JOB)
        .getByRole('button', { name: `Stop ${TRAINING_JOB}` })
        .click();
      await page
        .locator('.jp-Dialog')
        .getByRole('button', { name: 'Stop' })
        .click();
      expect((await stopped).status()).toBe(200);
      await expect(row('training-job', TRAINING_JOB)).toHaveCount(0, {
        timeout: 30_000
      });
    });
  });
});
