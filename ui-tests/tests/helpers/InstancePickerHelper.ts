/**
 * Page object of the kernel bar and the instance picker: only this file knows their DOM (the `data-testid`s of
 * `src/instances/KernelBarItem.tsx` and `src/instances/InstancePicker.tsx`).
 */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';

/** Every selector the instance picker specs use. */
export const PICKER = {
  kernelBar:
    '.jp-NotebookPanel-toolbar [data-testid="sagemaker-studio-kernel-bar"]',
  kernelBarLabel: '[data-testid="sagemaker-studio-kernel-bar-label"]',
  dialog: '.jp-Dialog:has([data-testid="sagemaker-studio-instance-picker"])',
  picker: '[data-testid="sagemaker-studio-instance-picker"]',
  row: '[data-testid="sagemaker-studio-instance-picker-row"]',
  fastLaunch: '[data-testid="sagemaker-studio-instance-picker-fast-launch"]',
  gpuOnly: '[data-testid="sagemaker-studio-instance-picker-gpu-only"]',
  minMemory: '[data-testid="sagemaker-studio-instance-picker-min-memory"]',
  search: '[data-testid="sagemaker-studio-instance-picker-search"]',
  image: '[data-testid="sagemaker-studio-instance-picker-image"]',
  sort: (column: string) =>
    `[data-testid="sagemaker-studio-instance-picker-sort-${column}"]`,
  grid: '[role="grid"]',
  accept: '.jp-Dialog-button.jp-mod-accept',
  quotaConfirm: '.jp-Dialog:has-text("Choose it anyway?")'
};

/** Operations on the kernel bar and the picker of a Galata page. */
export class InstancePickerHelper {
  /** Wrap a Galata page. */
  constructor(readonly page: IJupyterLabPageFixture) {}

  /** The kernel-bar item of the current notebook. */
  get kernelBar(): Locator {
    return this.page.locator(PICKER.kernelBar);
  }

  /** Its label (a button that opens the picker). */
  get label(): Locator {
    return this.kernelBar.locator(PICKER.kernelBarLabel);
  }

  /** The picker dialog. */
  get dialog(): Locator {
    return this.page.locator(PICKER.dialog);
  }

  /** The rows shown in the picker. */
  get rows(): Locator {
    return this.dialog.locator(PICKER.row);
  }

  /** Open the picker from the kernel bar. */
  async open(): Promise<void> {
    await this.label.click();
    await this.dialog.locator(PICKER.picker).waitFor();
  }

  /** The instance types of the rows, top to bottom. */
  async rowTypes(): Promise<string[]> {
    return this.rows.evaluateAll(rows =>
      rows.map(row => row.getAttribute('data-instance-type') ?? '')
    );
  }

  /** Click a column header to sort by it. */
  async sortBy(column: string): Promise<Locator> {
    const button = this.dialog.locator(PICKER.sort(column));
    await button.click();
    return button.locator('xpath=..');
  }

  /** Select a type's row and press "Save and continue" (confirming a quota-0 warning if one appears). */
  async choose(type: string): Promise<void> {
    await this.dialog
      .locator(`${PICKER.row}[data-instance-type="${type}"]`)
      .click();
    await this.dialog.locator(PICKER.accept).click();
    const confirm = this.page.locator(PICKER.quotaConfirm);
    if (await confirm.isVisible({ timeout: 1000 }).catch(() => false)) {
      await confirm.locator(PICKER.accept).click();
    }
    await this.dialog.waitFor({ state: 'detached' });
  }
}
