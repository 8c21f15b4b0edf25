/**
 * A data scientist runs a notebook on a chosen instance type: the local backend executes it for real, the kernel
 * bar follows the job, and the output notebook lands next to the input; a cell that raises fails the job with
 * that cell's error.
 */
import { expect, test } from '@jupyterlab/galata';

import { InstancePickerHelper } from './helpers/InstancePickerHelper';
import { NotebookJobsHelper, SELECTORS } from './helpers/NotebookJobsHelper';

// Wide enough that the toolbar keeps the instance label, "Run on …" and the job's state out of its "…" menu.
test.use({ viewport: { width: 1600, height: 900 } });

test.describe('notebook jobs', () => {
  test.setTimeout(300_000);

  test('runs the saved notebook as a job to completion and opens the output notebook', async ({
    page,
    tmpPath
  }, testInfo) => {
    const jobs = new NotebookJobsHelper(page);
    await jobs.createNotebook('answer.ipynb', ['print(6 * 7)']);
    // Choose the instance type and image in the picker, as a user does.
    const picker = new InstancePickerHelper(page);
    await picker.open();
    await picker.choose('ml.m5.large');
    await expect(picker.label).toHaveText('ml.m5.large · 2 vCPU + 8 GiB');
    await jobs.run('ml.m5.large');
    const text = await jobs.waitForPhase('Completed');
    // Elapsed time and cost so far (the bundled table prices ml.m5.large training in us-east-1).
    expect(text).toMatch(/^Completed · (\d+ s|\d+ min \d+ s) · \$\d+\.\d{3}$/);

    const details = await jobs.openDetails();
    await expect(details.locator(SELECTORS.logs)).toContainText(
      '[runner] cell 1/1'
    );
    const open = details.locator(SELECTORS.openOutput);
    await expect(open).toHaveText(
      /^Open .*answer-answer-nbjob-\d{8}-\d{6}\.ipynb$/
    );
    const path = ((await open.textContent()) ?? '').replace(/^Open /, '');
    expect(path.startsWith(`${tmpPath}/`)).toBe(true);
    const output = await jobs.readNotebook(path);
    const stream = output.cells[0].outputs[0];
    expect(stream.text).toContain('42');

    await open.click();
    await expect(
      page.getByRole('tab', { name: path.split('/').pop()! })
    ).toBeVisible();
    await expect(
      page.locator('.jp-NotebookPanel:visible .jp-OutputArea-output').first()
    ).toContainText('42');
    await page.screenshot({ path: testInfo.outputPath('job-completed.png') });
  });

  test('a cell that raises ends the job Failed with that error shown', async ({
    page
  }, testInfo) => {
    const jobs = new NotebookJobsHelper(page);
    await jobs.createNotebook('broken.ipynb', [
      'x = 1',
      'raise ValueError("boom from cell 2")',
      'print("never")'
    ]);
    await jobs.chooseInstance('ml.m5.large');
    await jobs.run('ml.m5.large');
    await jobs.waitForPhase('Failed');
    await expect(jobs.item().locator(SELECTORS.status)).toHaveAttribute(
      'title',
      /ValueError: boom from cell 2/
    );
    const details = await jobs.openDetails();
    await expect(details.locator(SELECTORS.failure)).toContainText(
      'ValueError: boom from cell 2'
    );
    await page.screenshot({ path: testInfo.outputPath('job-failed.png') });
  });

  test('a running job stops after confirmation', async ({ page }) => {
    const jobs = new NotebookJobsHelper(page);
    await jobs.createNotebook('slow.ipynb', [
      'import time\nfor i in range(300):\n    time.sleep(1)'
    ]);
    await jobs.chooseInstance('ml.m5.large');
    await jobs.run('ml.m5.large');
    await jobs.waitForPhase('Running', 120_000);
    await jobs.item().locator(SELECTORS.stop).click();
    const dialog = page.locator(SELECTORS.dialog);
    await expect(dialog).toContainText('Stop notebook job?');
    await dialog.getByRole('button', { name: 'Stop job' }).click();
    await jobs.waitForPhase('Stopped', 60_000);
  });
});
