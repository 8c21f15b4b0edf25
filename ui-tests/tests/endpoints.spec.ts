/**
 * A user opens a demo endpoint from the SageMaker sidebar: its tab shows the variants, data capture and monitoring
 * parts; Test inference refuses invalid JSON without sending anything and explains, in local mode, that model
 * containers do not run locally; deleting an endpoint asks first, and a confirmed delete removes it from the list.
 */
import { expect, test } from '@jupyterlab/galata';

import {
  EndpointTab,
  RUNTIME_PROXY_PATH,
  sageMakerCall
} from './helpers/EndpointTab';
import { SageMakerHelper } from './helpers/SageMakerHelper';

/** How long the demo content may take at the server's first start (it trains models). */
const DEMO_CREATION_TIMEOUT = 180_000;

/** Wait until the sidebar lists an endpoint (the demo content arrives in the background at first start). */
async function listed(sagemaker: SageMakerHelper, name: string) {
  await sagemaker.openRegistry();
  await sagemaker.refreshUntil(async () => {
    await expect(sagemaker.endpointRow(name)).toBeVisible({ timeout: 1_000 });
  }, DEMO_CREATION_TIMEOUT);
}

test.describe('Endpoint tab in local mode', () => {
  test('shows the endpoint and answers Test inference with sentences', async ({
    page
  }, testInfo) => {
    test.setTimeout(DEMO_CREATION_TIMEOUT + 180_000);
    const sagemaker = new SageMakerHelper(page);
    const tab = new EndpointTab(page, 'breast-cancer-gbm-prod');

    await test.step('open the tab from the sidebar', async () => {
      await listed(sagemaker, tab.name);
      await tab.openFromSidebar(sagemaker);
      await expect(tab.widget.locator('h2')).toHaveText(tab.name);
    });

    await test.step('variants, data capture and monitoring are shown', async () => {
      const variant = tab
        .part('variants')
        .locator('tr[data-variant="AllTraffic"]');
      await expect(variant.locator('[data-column="instance-type"]')).toHaveText(
        'ml.m5.large'
      );
      await expect(tab.part('config')).toContainText('breast-cancer-gbm-prod');
      // The demo endpoints capture no data; the part says so and how to turn it on.
      await expect(tab.part('data-capture')).toContainText(
        'Data capture is not configured'
      );
      await expect(tab.part('monitoring-empty')).toContainText(
        'No monitoring schedule watches this endpoint.'
      );
      // Local mode has no AWS console to link to.
      await expect(tab.widget.locator('a[href*="console"]')).toHaveCount(0);
    });

    await test.step('invalid JSON is refused and nothing is sent', async () => {
      await tab.waitInService();
      const sent = tab.recordRequests(RUNTIME_PROXY_PATH);
      await tab.sendInference('{"instances": [[1.0, 2.0]');
      await expect(tab.inferenceMessage).toHaveAttribute(
        'data-status',
        'invalid'
      );
      await expect(tab.inferenceMessage).toHaveText(
        /^The body is not valid JSON, so nothing was sent: .+/
      );
      expect(sent).toHaveLength(0);
    });

    await test.step('valid JSON reaches the local runtime, which explains itself', async () => {
      const answered = page.waitForResponse(response =>
        response
          .url()
          .includes(
            `${RUNTIME_PROXY_PATH}us-east-1/endpoints/${tab.name}/invocations`
          )
      );
      await tab.sendInference('{"instances": [[17.99, 10.38, 122.8]]}');
      expect((await answered).status()).toBe(424);
      await expect(tab.inferenceMessage).toHaveAttribute(
        'data-status',
        'failed'
      );
      await expect(tab.inferenceMessage).toHaveText(
        'Endpoint breast-cancer-gbm-prod is InService, but model containers do not run in local mode, so nothing can answer this invocation. Connect to an AWS account to test inference.'
      );
    });

    await test.step('keep a screenshot', async () => {
      await sagemaker.saveScreenshot(testInfo, 'sagemaker-endpoint-tab');
    });
  });

  test('deletes an endpoint after confirmation', async ({ page }) => {
    test.setTimeout(DEMO_CREATION_TIMEOUT + 180_000);
    const sagemaker = new SageMakerHelper(page);
    // The other specs share this server's demo endpoints: delete an endpoint of this test's own, made from the
    // configuration of a demo endpoint.
    const source = 'diabetes-regression-staging';
    await listed(sagemaker, source);
    const described = await sageMakerCall(page, 'DescribeEndpoint', {
      EndpointName: source
    });
    const tab = new EndpointTab(page, `delete-me-${Date.now().toString(36)}`);
    await sageMakerCall(page, 'CreateEndpoint', {
      EndpointName: tab.name,
      EndpointConfigName: described.EndpointConfigName
    });
    await sagemaker.refreshUntil(async () => {
      await expect(sagemaker.endpointRow(tab.name)).toHaveAttribute(
        'data-status',
        'InService',
        { timeout: 1_000 }
      );
    }, 120_000);

    await test.step('open the tab with the keyboard', async () => {
      await tab.openFromSidebar(sagemaker, 'keyboard');
      await expect(tab.status).toBeVisible();
    });

    await test.step('Cancel keeps the endpoint', async () => {
      const sent: string[] = [];
      page.on('request', request => {
        const target = request.headers()['x-amz-target'];
        if (target) {
          sent.push(target);
        }
      });
      await tab.delete('Cancel');
      expect(sent).not.toContain('SageMaker.DeleteEndpoint');
      await expect(tab.status).not.toHaveAttribute('data-status', 'Deleting');
      await expect(sagemaker.endpointRow(tab.name)).toBeVisible();
    });

    await test.step('Delete deletes it: Deleting, then gone from tab and list', async () => {
      const deleted = page.waitForResponse(
        response =>
          response.request().headers()['x-amz-target'] ===
          'SageMaker.DeleteEndpoint'
      );
      await tab.delete('Delete');
      expect((await deleted).status()).toBe(200);
      await expect(tab.part('deleting')).toBeVisible();
      await expect(tab.status).toHaveAttribute('data-status', 'Deleting');
      // The local backend removes it after its lifecycle delay; the tab refreshes until then.
      await expect(tab.part('gone')).toContainText(
        `The endpoint “${tab.name}” no longer exists: it was deleted.`,
        { timeout: 60_000 }
      );
      await expect(sagemaker.endpointRow(tab.name)).toHaveCount(0, {
        timeout: 30_000
      });
      await expect(
        sagemaker.endpointRow('breast-cancer-gbm-prod')
      ).toBeVisible();
    });
  });
});
