/**
 * Page object of the SageMaker suite: the specs talk about panels, endpoints and the status bar, and only this
 * file knows the DOM (the selectors are the frontend's `jp-SageMaker*` classes and `data-*` attributes).
 */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { expect, type Locator, type TestInfo } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

/** Every selector the UI tests use. */
export const SELECTORS = {
  /** Widget id of the left-sidebar "SageMaker" panel (also its sidebar tab's `data-id`). */
  registryPanelId: 'sagemaker-studio-registry',
  registryPanel: '#sagemaker-studio-registry',
  endpointList: '[data-testid="sagemaker-studio-endpoints"]',
  endpointRow: '.jp-SageMakerRegistry-endpoint',
  endpointName: '.jp-SageMakerRegistry-name',
  endpointStatus: '.jp-SageMakerRegistry-badge',
  endpointInstance: '.jp-SageMakerRegistry-instance',
  endpointCount: '.jp-SageMakerRegistry-count',
  updated: '.jp-SageMakerRegistry-updated',
  loading: '.jp-SageMakerRegistry-loading',
  error: '.jp-SageMakerRegistry-error',
  refreshButton: '[data-command="sagemaker-studio:refresh-endpoints"]',
  /** A generic section of the panel by its id (model-registry, pipelines, projects, feature-store, experiments). */
  section: (id: string) =>
    `.jp-SageMakerRegistry-section[data-section="${id}"]`,
  /** The accordion title of a generic section (it holds the section's toolbar). */
  sectionTitle: (id: string) =>
    `.lm-AccordionPanel-title[aria-controls="sagemaker-studio-registry-${id}"]`,
  sectionRefreshButton: '[data-command^="sagemaker-studio:refresh-"]',
  sectionRow: '.jp-SageMakerRegistry-row',
  sectionCount: '.jp-SageMakerRegistry-sectionCount',
  sectionUpdated: '.jp-SageMakerRegistry-sectionUpdated',
  sectionEmpty: '.jp-SageMakerRegistry-sectionEmpty',
  sectionError: '.jp-SageMakerRegistry-sectionError',
  sectionSearch: '.jp-SageMakerRegistry-search',
  sectionSort: '.jp-SageMakerRegistry-sort',
  statusBarItem: '[data-testid="sagemaker-studio-status"]',
  connectionDialog: '.jp-Dialog:has(.jp-SageMakerConnectionDialog-facts)',
  connectionMode: '[data-testid="sagemaker-studio-mode"]',
  regionSelect: 'select[name="region"]'
};

/** Route prefix of the signing proxy (SDK requests from the browser go through it). */
export const PROXY_PATH = '/sagemaker-studio/aws/sagemaker/';

/** Endpoint statuses the panel shows as text (EndpointStatus → label). */
export const STATUS_LABELS: Record<string, string> = {
  Creating: 'Creating',
  InService: 'In service',
  Updating: 'Updating',
  Failed: 'Failed'
};

/** Operations on the SageMaker panels of a Galata page. */
export class SageMakerHelper {
  /** Wrap a Galata page. */
  constructor(readonly page: IJupyterLabPageFixture) {}

  /** The registry panel. */
  get panel(): Locator {
    return this.page.locator(SELECTORS.registryPanel);
  }

  /** The status bar item of the AWS connection. */
  get statusBarItem(): Locator {
    return this.page.locator(SELECTORS.statusBarItem);
  }

  /** All endpoint rows shown. */
  get endpointRows(): Locator {
    return this.panel.locator(SELECTORS.endpointRow);
  }

  /** Names of the frontend plugins JupyterLab registered (to prove the installed extension is loaded). */
  async pluginIds(): Promise<string[]> {
    return this.page.evaluate(() =>
      (window as any).jupyterapp.listPlugins()
    ) as Promise<string[]>;
  }

  /** Open the "SageMaker" panel from the left sidebar. */
  async openRegistry(): Promise<void> {
    await this.page.sidebar.openTab(SELECTORS.registryPanelId);
    await expect(this.panel).toBeVisible();
  }

  /** The row of one endpoint. */
  endpointRow(name: string): Locator {
    return this.panel.locator(
      `${SELECTORS.endpointRow}[data-endpoint-name="${name}"]`
    );
  }

  /** The status label and instance text of an endpoint row. */
  async endpointDetails(
    name: string
  ): Promise<{ status: string; statusLabel: string; instance: string }> {
    const row = this.endpointRow(name);
    return {
      status: (await row.getAttribute('data-status')) ?? '',
      statusLabel: (
        await row.locator(SELECTORS.endpointStatus).innerText()
      ).trim(),
      instance: (
        await row.locator(SELECTORS.endpointInstance).innerText()
      ).trim()
    };
  }

  /** Click the section's refresh button and wait until the list came back through the proxy and is shown. */
  async refresh(): Promise<void> {
    const button = this.panel.locator(SELECTORS.refreshButton);
    await expect(button).toBeEnabled();
    const listed = this.page.waitForResponse(
      response =>
        response.url().includes(PROXY_PATH) &&
        response.request().headers()['x-amz-target'] ===
          'SageMaker.ListEndpoints'
    );
    await button.click();
    expect((await listed).status()).toBe(200);
    // "Refreshing…" while the details load, then "Updated 0 s ago".
    await expect(this.panel.locator(SELECTORS.updated)).toHaveText(
      /^Updated [0-3] s ago$/,
      { timeout: 30_000 }
    );
    await expect(button).toBeEnabled();
  }

  /**
   * Refresh until `check` passes: the demo content is created in the background at the server's first start,
   * so the endpoints arrive a little after the panel first loads.
   */
  async refreshUntil(
    check: () => Promise<void>,
    timeout: number
  ): Promise<void> {
    await expect(async () => {
      if (!(await this.panel.locator(SELECTORS.updated).isVisible())) {
        // Still the first load (or an error): wait for the list before refreshing.
        await expect(this.panel.locator(SELECTORS.endpointCount)).toBeVisible({
          timeout: 15_000
        });
      }
      try {
        await check();
      } catch (error) {
        await this.refresh();
        await check();
      }
    }).toPass({ timeout, intervals: [1_000, 2_000, 3_000] });
  }

  /** Open a section of the accordion if it is collapsed (only the first two start open). */
  async expandSection(id: string): Promise<void> {
    const title = this.panel.locator(SELECTORS.sectionTitle(id));
    if ((await title.getAttribute('aria-expanded')) !== 'true') {
      await title.locator('.lm-AccordionPanel-titleLabel').click();
    }
    await expect(title).toHaveAttribute('aria-expanded', 'true');
  }

  /** A generic section of the panel. */
  section(id: string): Locator {
    return this.panel.locator(SELECTORS.section(id));
  }

  /** The rows a generic section shows, by resource name. */
  sectionRow(id: string, name: string): Locator {
    return this.section(id).locator(
      `${SELECTORS.sectionRow}[data-name="${name}"]`
    );
  }

  /** Names of the rows a generic section shows, in order. */
  async sectionNames(id: string): Promise<string[]> {
    return this.section(id)
      .locator(SELECTORS.sectionRow)
      .evaluateAll(rows =>
        rows.map(row => row.getAttribute('data-name') ?? '')
      );
  }

  /** Refresh a generic section with its toolbar button and wait for its list to come back. */
  async refreshSection(id: string): Promise<void> {
    const button = this.panel
      .locator(SELECTORS.sectionTitle(id))
      .locator(SELECTORS.sectionRefreshButton);
    await expect(button).toBeEnabled();
    await button.click();
    await expect(this.section(id).locator(SELECTORS.sectionUpdated)).toHaveText(
      /^Updated [0-3] s ago$/,
      { timeout: 30_000 }
    );
  }

  /** Refresh a generic section until `check` passes (demo content arrives in the background). */
  async refreshSectionUntil(
    id: string,
    check: () => Promise<void>,
    timeout: number
  ): Promise<void> {
    await expect(async () => {
      try {
        await check();
      } catch (error) {
        await this.refreshSection(id);
        await check();
      }
    }).toPass({ timeout, intervals: [1_000, 2_000, 3_000] });
  }

  /** Save a screenshot of the window as a test artifact (attached to the report and kept in test-results/). */
  async saveScreenshot(testInfo: TestInfo, name: string): Promise<string> {
    const file = path.join(
      __dirname,
      '..',
      '..',
      'test-results',
      `${name}.png`
    );
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const body = await this.page.screenshot({ path: file });
    await testInfo.attach(name, { body, contentType: 'image/png' });
    return file;
  }
}
