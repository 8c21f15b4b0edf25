/**
 * A data scientist picks the instance type a notebook should run on: from the kernel bar, with the fast-launch
 * filter and the memory column, then saves; the choice is in the notebook file and still shown after a reload.
 */
import { expect, test } from '@jupyterlab/galata';

import { InstancePickerHelper, PICKER } from './helpers/InstancePickerHelper';

const NOTEBOOK = 'picker.ipynb';

// Wide enough that the kernel bar items stay in the toolbar when the reload restores the file browser beside it
// (a narrow toolbar moves them into its "…" overflow menu).
test.use({ viewport: { width: 1600, height: 900 } });

test('choose ml.g4dn.xlarge for a notebook; it is saved in the metadata and shown after a reload', async ({
  page,
  tmpPath
}, testInfo) => {
  // The first test of a run shares the machine with the demo content being created.
  test.setTimeout(120_000);
  const picker = new InstancePickerHelper(page);
  await page.notebook.createNew(NOTEBOOK);
  // Room for the whole toolbar (a narrow one moves its last items into the "…" menu).
  await page.sidebar.close('left');
  await expect(picker.label).toHaveText(/^Local · /, { timeout: 30_000 });

  await picker.open();
  expect(await picker.rows.count()).toBeGreaterThan(100);

  // Fast launch only: Studio's four fast-launch types.
  await picker.dialog.locator(PICKER.fastLaunch).check();
  await expect(picker.rows).toHaveCount(4);

  // Sort by memory, ascending: t3.medium and c5.large (4 GiB), m5.large (8), g4dn.xlarge (16).
  const header = await picker.sortBy('memoryGiB');
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  expect(await picker.rowTypes()).toEqual([
    'ml.t3.medium',
    'ml.c5.large',
    'ml.m5.large',
    'ml.g4dn.xlarge'
  ]);

  // A nonsense minimum memory says so and filters nothing.
  await picker.dialog.locator(PICKER.minMemory).fill('abc');
  await expect(picker.dialog.getByRole('alert')).toBeVisible();
  await expect(picker.rows).toHaveCount(4);
  await picker.dialog.locator(PICKER.minMemory).fill('');

  // Keyboard: the table takes focus, arrows move the selection.
  await picker.dialog.locator(PICKER.grid).focus();
  await page.keyboard.press('End');
  await expect(
    picker.dialog.locator(`${PICKER.row}[aria-selected="true"]`)
  ).toHaveAttribute('data-instance-type', 'ml.g4dn.xlarge');
  // A GPU type gets the GPU image by default.
  await expect(picker.dialog.locator(PICKER.image)).toHaveValue(/gpu$/);
  await page.screenshot({ path: testInfo.outputPath('instance-picker.png') });

  await picker.choose('ml.g4dn.xlarge');
  const chosen = 'ml.g4dn.xlarge · 4 vCPU + 16 GiB + 1 GPU';
  await expect(picker.label).toHaveText(chosen);

  await page.notebook.save();
  const metadata = await page.evaluate(async path => {
    const model = await (window as any).jupyterapp.serviceManager.contents.get(
      path,
      { content: true }
    );
    return model.content.metadata;
  }, `${tmpPath}/${NOTEBOOK}`);
  expect(metadata.instance_type).toBe('ml.g4dn.xlarge');
  expect(metadata.sagemaker_studio.image).toMatch(
    /\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/sagemaker-distribution-prod:3\.2\.0-gpu$/
  );
  expect(metadata.sagemaker_studio.imageName).toBe(
    'SageMaker Distribution 3.2 (GPU)'
  );
  // Other metadata untouched.
  expect(metadata.kernelspec?.name).toBeTruthy();

  // A plain browser reload (galata's reload() waits for a launcher, which the restored notebook replaces);
  // JupyterLab restores the open notebook and the closed sidebar.
  await Promise.all([
    page.waitForEvent('load'),
    page.evaluate(() => window.location.reload())
  ]);
  await expect(page.locator('#jupyterlab-splash')).toHaveCount(0, {
    timeout: 60_000
  });
  await expect(picker.label).toHaveText(chosen, { timeout: 30_000 });

  // Escape cancels without changing the choice.
  await picker.open();
  // Escape goes to the focused element: wait until the dialog holds the focus (it can lag on a busy machine).
  await picker.dialog.locator(PICKER.search).focus();
  await page.keyboard.press('Escape');
  await expect(picker.dialog).toHaveCount(0);
  await expect(picker.label).toHaveText(chosen);
});
