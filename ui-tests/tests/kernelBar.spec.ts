/**
 * A data scientist opens a notebook and sees beside the kernel name where it runs — this machine's vCPUs and
 * memory — with its live CPU and memory use.
 */
import { expect, test } from '@jupyterlab/galata';
import { execFileSync } from 'child_process';
import * as os from 'os';

test('the notebook toolbar shows this machine: vCPU, memory and live use', async ({
  page
}, testInfo) => {
  await page.notebook.createNew('where.ipynb');
  // Room for the whole toolbar (a narrow one moves its last items into the "…" menu).
  await page.sidebar.close('left');
  const item = page.locator(
    '.jp-NotebookPanel-toolbar [data-testid="sagemaker-studio-kernel-bar"]'
  );
  await expect(item).toBeVisible();
  // The CPUs a process may use here (nproc honours the affinity, as the server does) and the memory in GiB.
  const cpus = execFileSync('nproc').toString().trim();
  const gib = os.totalmem() / 2 ** 30;
  const memory = gib >= 10 ? Math.round(gib) : Math.round(gib * 10) / 10;
  await expect(
    item.locator('[data-testid="sagemaker-studio-kernel-bar-label"]')
  ).toHaveText(new RegExp(`^Local · ${cpus} vCPU \\+ ${memory} GiB`), {
    timeout: 30_000
  });
  await expect(
    item.locator('[data-testid="sagemaker-studio-kernel-bar-usage"]')
  ).toHaveText(/^CPU \d+% · \d+\.\d GiB$/);
  // Beside the kernel name, after it.
  const kernelName = page.locator('.jp-NotebookPanel-toolbar .jp-KernelName');
  const [k, b] = [await kernelName.boundingBox(), await item.boundingBox()];
  expect(b!.x).toBeGreaterThan(k!.x);
  await page.screenshot({ path: testInfo.outputPath('kernel-bar.png') });
});
