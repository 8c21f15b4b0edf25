/**
 * Page object of run comparisons (`*.smcompare` documents) and the chart property pane of the right sidebar.
 */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { expect, type Locator } from '@playwright/test';

/** Every selector of comparisons the UI tests use. */
export const COMPARE_SELECTORS = {
  view: '[data-testid="sagemaker-studio-compare"]',
  status: '[data-testid="sagemaker-studio-compare-status"]',
  fileError: '[data-testid="sagemaker-studio-compare-file-error"]',
  addChart: (type: string) =>
    `[data-testid="sagemaker-studio-add-chart-${type}"]`,
  card: '.jp-SageMakerCompare-card',
  cardTitle: '.jp-SageMakerCompare-cardTitle',
  plot: '[data-testid="sagemaker-studio-chart-plot"]',
  png: '[data-testid="sagemaker-studio-chart-png"]',
  csv: '[data-testid="sagemaker-studio-chart-csv"]',
  edit: '[data-testid="sagemaker-studio-chart-edit"]',
  remove: '[data-testid="sagemaker-studio-chart-remove"]',
  properties: '#sagemaker-studio-chart-properties',
  prop: (name: string) => `[data-testid="sagemaker-studio-prop-${name}"]`
};

/** Operations on comparisons. */
export class CompareHelper {
  /** Wrap a Galata page. */
  constructor(readonly page: IJupyterLabPageFixture) {}

  /** The comparison view of the active document. */
  get view(): Locator {
    return this.page.locator(
      `.jp-MainAreaWidget:not(.lm-mod-hidden) ${COMPARE_SELECTORS.view}`
    );
  }

  /** The chart cards of the active comparison. */
  get cards(): Locator {
    return this.view.locator(COMPARE_SELECTORS.card);
  }

  /** The chart property pane. */
  get properties(): Locator {
    return this.page.locator(COMPARE_SELECTORS.properties);
  }

  /** A property control of the pane. */
  prop(name: string): Locator {
    return this.properties.locator(COMPARE_SELECTORS.prop(name));
  }

  /** Wait until card `index` has drawn its chart. */
  async waitForDrawn(index: number, timeout = 60_000): Promise<void> {
    await expect(
      this.cards.nth(index).locator(COMPARE_SELECTORS.plot)
    ).toHaveAttribute('data-state', 'drawn', { timeout });
    await expect(this.cards.nth(index).locator('canvas').first()).toBeVisible();
  }

  /** Add a chart of a type; returns its card. */
  async addChart(
    type: 'line' | 'scatter' | 'bar' | 'histogram'
  ): Promise<Locator> {
    const before = await this.cards.count();
    await this.view.locator(COMPARE_SELECTORS.addChart(type)).click();
    await expect(this.cards).toHaveCount(before + 1);
    return this.cards.nth(before);
  }

  /** Open the property pane of a card (its "Edit" button). */
  async edit(card: Locator): Promise<void> {
    await card.locator(COMPARE_SELECTORS.edit).click();
    await expect(this.properties).toBeVisible();
  }

  /** Download a card's CSV; returns its text. */
  async downloadCsv(card: Locator): Promise<{ name: string; text: string }> {
    const { name, bytes } = await this._download(card, COMPARE_SELECTORS.csv);
    return { name, text: bytes.toString('utf-8') };
  }

  /** Download a card's PNG; returns its bytes. */
  async downloadPng(card: Locator): Promise<{ name: string; bytes: Buffer }> {
    return this._download(card, COMPARE_SELECTORS.png);
  }

  /** Click a card's download button; returns the file's suggested name and bytes. */
  private async _download(
    card: Locator,
    button: string
  ): Promise<{ name: string; bytes: Buffer }> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      card.locator(button).click()
    ]);
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) {
      chunks.push(Buffer.from(chunk));
    }
    return { name: download.suggestedFilename(), bytes: Buffer.concat(chunks) };
  }
}
