/**
 * On a read-only JupyterLab server (`c.SageMakerStudio.read_only = True`), deleting an endpoint is refused by the
 * server's proxy: the user reads why, as a sentence, and the endpoint stays.
 */
import { expect, test } from '@jupyterlab/galata';

import { EndpointTab } from './helpers/EndpointTab';
import { SageMakerHelper } from './helpers/SageMakerHelper';

/** How long the demo content may take at the server's first start (it trains models). */
const DEMO_CREATION_TIMEOUT = 180_000;

test('a read-only server refuses a delete, and says so', async ({ page }) => {
  test.setTimeout(DEMO_CREATION_TIMEOUT + 120_000);
  const sagemaker = new SageMakerHelper(page);
  const tab = new EndpointTab(page, 'diabetes-regression-staging');

  await test.step('open the endpoint from the sidebar', async () => {
    await sagemaker.openRegistry();
    await sagemaker.refreshUntil(async () => {
      await expect(sagemaker.endpointRow(tab.name)).toBeVisible({
        timeout: 1_000
      });
    }, DEMO_CREATION_TIMEOUT);
    await tab.openFromSidebar(sagemaker);
  });

  await test.step('the confirmed delete is refused with a sentence', async () => {
    const refused = page.waitForResponse(
      response =>
        response.request().headers()['x-amz-target'] ===
        'SageMaker.DeleteEndpoint'
    );
    await tab.delete('Delete');
    const response = await refused;
    expect(response.status()).toBe(403);
    expect(response.headers()['x-sagemaker-studio-proxy-error']).toBe('1');
    await expect(tab.part('action-error')).toHaveText(
      'This connection is read-only, so the change was not sent. Turn off `SageMakerStudio.read_only` on the server to make changes.'
    );
  });

  await test.step('the endpoint still exists', async () => {
    await tab.widget.locator('.jp-SageMakerEndpoint-refresh').click();
    await expect(tab.status).toBeVisible();
    await expect(tab.status).not.toHaveAttribute('data-status', 'Deleting');
    await expect(tab.part('deleting')).toHaveCount(0);
    await expect(tab.part('gone')).toHaveCount(0);
    await sagemaker.refresh();
    await expect(sagemaker.endpointRow(tab.name)).toBeVisible();
  });
});
