/**
 * Page object of notebook jobs: the kernel-bar item ("Run on ml.x", the job's state) and the Notebook Jobs panel.
 * Only this file knows their DOM.
 */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { expect, type Locator } from '@playwright/test';

/** Every selector of notebook jobs. */
export const SELECTORS = {
  item: '.jp-NotebookPanel-toolbar [data-testid="sagemaker-studio-job-item"]',
  run: '[data-testid="sagemaker-studio-job-run"]',
  status: '[data-testid="sagemaker-studio-job-status"]',
  stop: '[data-testid="sagemaker-studio-job-stop"]',
  panel: '[data-testid="sagemaker-studio-jobs-panel"]',
  details: '[data-testid="sagemaker-studio-job-details"]',
  failure: '[data-testid="sagemaker-studio-job-failure"]',
  logs: '[data-testid="sagemaker-studio-job-logs"]',
  openOutput: '[data-testid="sagemaker-studio-job-open-output"]',
  dialog: '.jp-Dialog'
};

/** The image notebook jobs run in here (local mode runs the notebook's kernel; the image is recorded). */
export const CPU_IMAGE =
  '885854791233.dkr.ecr.us-east-1.amazonaws.com/sagemaker-distribution-prod:3.2.0-cpu';

/** Operations on notebook jobs of a Galata page. */
export class NotebookJobsHelper {
  /** Wrap a Galata page. */
  constructor(readonly page: IJupyterLabPageFixture) {}

  /** A new notebook with these code cells, and room for the whole toolbar. */
  async createNotebook(name: string, cells: string[]): Promise<void> {
    await this.page.notebook.createNew(name);
    await this.page.sidebar.close('left');
    for (let i = 0; i < cells.length; i++) {
      if (i > 0) {
        await this.page.notebook.addCell('code', cells[i]);
      } else {
        await this.page.notebook.setCell(0, 'code', cells[0]);
      }
    }
  }

  /** Record an instance type and image in the current notebook's metadata, as the picker does. */
  async chooseInstance(instanceType: string, image = CPU_IMAGE): Promise<void> {
    await this.page.evaluate(
      ([type, uri]) => {
        const widget = (window as any).jupyterapp.shell.currentWidget;
        widget.content.model.setMetadata('instance_type', type);
        widget.content.model.setMetadata('sagemaker_studio', { image: uri });
      },
      [instanceType, image]
    );
  }

  /** The kernel-bar item of the current notebook. */
  item(): Locator {
    return this.page.locator(SELECTORS.item);
  }

  /** Press "Run on …"; when the notebook has unsaved changes, accept "Save and run". */
  async run(instanceType: string): Promise<void> {
    const button = this.item().locator(SELECTORS.run);
    await expect(button).toHaveText(`Run on ${instanceType}`);
    await button.click();
    const dialog = this.page.locator(SELECTORS.dialog);
    if (await dialog.isVisible().catch(() => false)) {
      await dialog.getByRole('button', { name: 'Save and run' }).click();
    }
  }

  /** Wait until the notebook's job ends in `phase`; returns the status text. */
  async waitForPhase(phase: string, timeout = 180_000): Promise<string> {
    const status = this.item().locator(SELECTORS.status);
    await expect(status).toHaveAttribute('data-phase', phase, { timeout });
    return (await status.textContent()) ?? '';
  }

  /** Open the job's details from the kernel bar. */
  async openDetails(): Promise<Locator> {
    await this.item().locator(SELECTORS.status).click();
    const details = this.page.locator(SELECTORS.details);
    await expect(details).toBeVisible();
    return details;
  }

  /** A workspace file's JSON (through the app's contents manager). */
  async readNotebook(path: string): Promise<any> {
    return this.page.evaluate(async p => {
      const model = await (
        window as any
      ).jupyterapp.serviceManager.contents.get(p, { content: true });
      return model.content;
    }, path);
  }
}
