/**
 * A data scientist browses the JumpStart catalog of the local backend (a copy of the public bucket
 * `jumpstart-cache-prod-us-east-1`, over a thousand models), narrows it to text generation, searches for Llama,
 * and opens the card of Llama 3.1 70B — one of the three real spec files — to see its default inference instance
 * type.
 */
import { expect, test } from '@jupyterlab/galata';

import {
  JUMPSTART_SELECTORS as J,
  JumpStartHelper
} from './helpers/JumpStartHelper';
import { SageMakerHelper } from './helpers/SageMakerHelper';

/** One of the three real spec files the local bucket serves byte for byte. */
const LLAMA = 'meta-textgeneration-llama-3-1-70b';
/** Its spec's `default_inference_instance_type`. */
const LLAMA_DEFAULT_INSTANCE_TYPE = 'ml.p4d.24xlarge';
/** The task the catalog reads from `…-textgeneration-…` ids (SDK_TASKS in src/jumpstart/catalog.ts). */
const TEXT_GENERATION = 'Text Generation';

test.describe('JumpStart', () => {
  test('browse the catalog, filter by task, search, and open a model card', async ({
    page
  }, testInfo) => {
    const jumpstart = new JumpStartHelper(page);
    await jumpstart.openSidebar();
    await expect(jumpstart.panel.locator(J.error)).toHaveCount(0);

    // The whole catalog: every model id of the local bucket's manifest.
    const all = await jumpstart.count();
    expect(all.total).toBeGreaterThanOrEqual(1000);
    expect(all.shown).toBe(all.total);
    await expect(jumpstart.panel.locator(J.anyRow).first()).toBeVisible();

    // Text generation only.
    expect(await jumpstart.taskLabels()).toContain(TEXT_GENERATION);
    await jumpstart.filterByTask(TEXT_GENERATION);
    await expect
      .poll(async () => (await jumpstart.count()).shown)
      .toBeLessThan(all.total);
    const textGeneration = await jumpstart.count();
    expect(textGeneration.shown).toBeGreaterThan(0);
    expect(textGeneration.total).toBe(all.total);

    // "llama" narrows the list further; every row in view is a Llama model.
    await jumpstart.search('llama');
    await expect
      .poll(async () => (await jumpstart.count()).shown)
      .toBeLessThan(textGeneration.shown);
    expect((await jumpstart.count()).shown).toBeGreaterThan(0);
    const ids = await jumpstart.visibleModelIds();
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
      expect(id).toContain('llama');
    }
    await testInfo.attach('jumpstart-llama', {
      body: await jumpstart.panel.screenshot(),
      contentType: 'image/png'
    });

    // The card of Llama 3.1 70B reads its spec: its default inference instance type comes first, marked.
    const card = await jumpstart.openModel(LLAMA);
    await expect(card.locator(J.cardError)).toHaveCount(0);
    const types = card.locator(J.cardInstanceTypes);
    await expect(types).toBeVisible();
    await expect(types.locator(J.defaultInstanceType)).toHaveAttribute(
      'data-instance-type',
      LLAMA_DEFAULT_INSTANCE_TYPE
    );
    // The spec says the model is gated (hosting_eula_key, model_access "Gated").
    await expect(card.locator(J.cardEula)).toBeVisible();
    await testInfo.attach('jumpstart-llama-card', {
      body: await card.screenshot(),
      contentType: 'image/png'
    });
  });

  test('the fine-tunable and access filters read the specs they need', async ({
    page
  }) => {
    test.setTimeout(180_000);
    const jumpstart = new JumpStartHelper(page);
    await jumpstart.openSidebar();
    const all = await jumpstart.count();
    // Whether a model can be fine-tuned is in its spec file: ticking the box reads the specs, with progress.
    await jumpstart.panel.locator(J.fineTunable).check();
    await expect(jumpstart.panel.locator(J.scan)).toBeVisible();
    await expect(jumpstart.panel.locator(J.scan)).toHaveCount(0, {
      timeout: 150_000
    });
    const tunable = await jumpstart.count();
    expect(tunable.shown).toBeGreaterThan(100);
    expect(tunable.shown).toBeLessThan(all.total);
    await jumpstart.search('mobilenet-v2');
    expect(await jumpstart.visibleModelIds()).toContain(
      'pytorch-ic-mobilenet-v2'
    );

    // Access: Llama 3.1 70B's spec has an EULA key, so it is among the gated models; it is not an open one.
    await jumpstart.panel.locator(J.fineTunable).uncheck();
    await jumpstart.search('llama-3-1-70b');
    await jumpstart.panel.locator(J.access).selectOption('gated');
    await expect(jumpstart.panel.locator(J.scan)).toHaveCount(0, {
      timeout: 60_000
    });
    await expect.poll(() => jumpstart.visibleModelIds()).toContain(LLAMA);
    await jumpstart.panel.locator(J.access).selectOption('open');
    await expect.poll(() => jumpstart.visibleModelIds()).not.toContain(LLAMA);
  });

  test('deploy a model on a non-default instance type; the endpoint reaches InService in the registry', async ({
    page
  }) => {
    test.setTimeout(180_000);
    const jumpstart = new JumpStartHelper(page);
    await jumpstart.openSidebar();
    await jumpstart.search('pytorch-ic-mobilenet-v2');
    // A real spec: its default inference type is ml.m5.large; ml.c5.2xlarge is in its supported list.
    const card = await jumpstart.openModel('pytorch-ic-mobilenet-v2');
    await card.locator(J.cardDeploy).click();
    const form = page.locator(J.deploy).filter({ visible: true });
    await expect(form).toBeVisible();
    await expect(form.locator(J.deployInstanceType)).toHaveValue('ml.m5.large');
    await form.locator(J.deployInstanceType).selectOption('ml.c5.2xlarge');
    // Local mode fills in the local account's execution role.
    await expect(form.locator(J.deployRole)).toHaveValue(
      /^arn:aws:iam::\d{12}:role\//
    );
    const name = await form.locator(J.deployName).inputValue();
    expect(name).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/);
    await form.locator(J.deploySubmit).click();
    await expect(form.locator(J.deployStatus)).toContainText('InService', {
      timeout: 120_000
    });

    const sagemaker = new SageMakerHelper(page);
    await sagemaker.openRegistry();
    await sagemaker.refreshUntil(async () => {
      await expect(sagemaker.endpointRow(name)).toHaveAttribute(
        'data-status',
        'InService',
        { timeout: 1_000 }
      );
    }, 60_000);
    expect((await sagemaker.endpointDetails(name)).instance).toContain(
      'ml.c5.2xlarge'
    );

    // The endpoint is in the JumpStart "Launched" list too, and opens in the registry from there.
    await jumpstart.openSidebar();
    const launched = await jumpstart.launchedItem(
      'endpoint',
      name,
      'InService'
    );
    await expect(launched).toContainText('pytorch-ic-mobilenet-v2');
  });

  test('the launcher has a JumpStart card that opens the catalog', async ({
    page
  }) => {
    const jumpstart = new JumpStartHelper(page);
    await page.menu.clickMenuItem('File>New Launcher');
    const card = page.locator(J.launcherCard).filter({ visible: true });
    await expect(card).toBeVisible();
    await card.click();
    await expect(jumpstart.panel).toBeVisible();
    await expect(jumpstart.panel.locator(J.count)).not.toBeEmpty();
  });
});
