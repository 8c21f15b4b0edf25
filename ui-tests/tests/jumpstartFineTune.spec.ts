/**
 * A data scientist fine-tunes PyTorch MobileNet v2 (one of the real spec files of the local bucket) from its model
 * card: an out-of-range epoch count is refused with a sentence before anything is sent; with a valid one the
 * training job runs (simulated by the local backend) until Completed and the form shows where the model was written.
 */
import { expect, test } from '@jupyterlab/galata';

import {
  JUMPSTART_SELECTORS as J,
  JumpStartHelper
} from './helpers/JumpStartHelper';

/** A real spec with `training_supported: true`. */
const MOBILENET = 'pytorch-ic-mobilenet-v2';

test.describe('JumpStart fine-tuning', () => {
  test('an out-of-range hyperparameter is refused; a valid one trains until Completed', async ({
    page
  }) => {
    test.setTimeout(180_000);
    const jumpstart = new JumpStartHelper(page);
    await jumpstart.openSidebar();
    const card = await jumpstart.openModel(MOBILENET);
    await card.locator(J.cardFineTune).click();
    const form = page.locator(J.fineTune).filter({ visible: true });
    await expect(form).toBeVisible();

    // The spec's defaults: its default training instance type and data set, and epochs = 5.
    await expect(form.locator(J.fineTuneInstanceType)).toHaveValue(
      'ml.m5.xlarge'
    );
    await expect(form.locator(J.fineTuneData)).toHaveValue(
      /^s3:\/\/jumpstart-cache-prod-[a-z0-9-]+\/training-datasets\/tf_flowers\/$/
    );
    const epochs = form.locator(J.fineTuneField('epochs'));
    await expect(epochs).toHaveValue('5');
    // Local mode fills in the local account's execution role.
    await expect(form.locator(J.fineTuneRole)).toHaveValue(
      /^arn:aws:iam::\d{12}:role\//
    );

    // The spec allows 1 to 1000 epochs: nothing is sent, so no job status appears.
    await epochs.fill('100000');
    await form.locator(J.fineTuneSubmit).click();
    await expect(form.locator(J.fineTuneError)).toHaveText(
      'epochs must be at most 1000'
    );
    await expect(form.locator(J.fineTuneStatus)).toHaveCount(0);

    await epochs.fill('2');
    await form.locator(J.fineTuneSubmit).click();
    await expect(form.locator(J.fineTuneError)).toHaveCount(0);
    const status = form.locator(J.fineTuneStatus);
    await expect(status).toContainText('CreateTrainingJob ✓');
    await expect(status).toContainText('completed', { timeout: 120_000 });
    await expect(status).toContainText(
      /The fine-tuned model is at s3:\/\/sagemaker-[a-z0-9-]+-\d{12}\/jumpstart-training\/pytorch-ic-mobilenet-v2-ft-\d{8}-\d{6}\/output\/model\.tar\.gz/
    );

    // The job is in the JumpStart "Launched" list, Completed, with where its model is.
    const jobName = /(pytorch-ic-mobilenet-v2-ft-\d{8}-\d{6})/.exec(
      (await status.textContent()) ?? ''
    )?.[1];
    expect(jobName).toBeTruthy();
    const launched = await jumpstart.launchedItem(
      'training-job',
      jobName!,
      'Completed'
    );
    await expect(launched).toContainText('Fine-tuned model: s3://');
  });
});
