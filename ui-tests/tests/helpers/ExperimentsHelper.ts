/**
 * Page object of the experiments feature: the specs talk about experiments, runs, columns and selections; only this
 * file knows the DOM (the `data-testid` attributes of the Experiments sidebar and the run table tab).
 */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { expect, type Locator } from '@playwright/test';

import { PROXY_PATH } from './SageMakerHelper';

/** Every selector of the Experiments sidebar and the run table. */
export const EXPERIMENTS_SELECTORS = {
  /** Widget id of the left-sidebar "Experiments" panel (also its sidebar tab's `data-id`). */
  panelId: 'sagemaker-studio-experiments',
  panel: '#sagemaker-studio-experiments',
  search: '[data-testid="sagemaker-studio-experiments-search"]',
  sort: '[data-testid="sagemaker-studio-experiments-sort"]',
  refresh: '[data-testid="sagemaker-studio-experiments-refresh"]',
  showJobs: '[data-testid="sagemaker-studio-experiments-show-jobs"]',
  count: '[data-testid="sagemaker-studio-experiments-count"]',
  error: '[data-testid="sagemaker-studio-experiments-error"]',
  experimentRow: (name: string) =>
    `[data-testid="sagemaker-studio-experiment-row"][data-name="${name}"]`,
  trialRow: (name: string) =>
    `[data-testid="sagemaker-studio-trial-row"][data-name="${name}"]`,
  treeRunRow: (name: string) =>
    `[data-testid="sagemaker-studio-experiment-run-row"][data-name="${name}"]`,
  expander: '.jp-SageMakerExperiments-expander',
  openExperiment: '.jp-SageMakerExperiments-open',
  /** The run table tab of an experiment. */
  table: (experiment: string) =>
    `.jp-SageMakerRunTablePanel[data-experiment="${experiment}"]`,
  filter: '[data-testid="sagemaker-studio-runs-filter"]',
  columns: '[data-testid="sagemaker-studio-runs-columns"]',
  columnChooser: '[data-testid="sagemaker-studio-runs-column-chooser"]',
  /** A column's checkbox in the chooser, by its label (e.g. `validation:error_max`). */
  columnChoice: (label: string) =>
    `[data-testid="sagemaker-studio-runs-column-${label}"]`,
  tableShowJobs: '[data-testid="sagemaker-studio-runs-show-jobs"]',
  tableRefresh: '[data-testid="sagemaker-studio-runs-refresh"]',
  tableCount: '[data-testid="sagemaker-studio-runs-count"]',
  tableError: '[data-testid="sagemaker-studio-runs-error"]',
  compare: '[data-testid="sagemaker-studio-runs-compare"]',
  compareError: '[data-testid="sagemaker-studio-runs-compare-error"]',
  selectAll: '[data-testid="sagemaker-studio-runs-select-all"]',
  /** A column's sort button, by its label (`name`, `status`, `created`, `source`, a parameter, `<metric>_<stat>`). */
  header: (label: string) =>
    `[data-testid="sagemaker-studio-runs-header-${label}"]`,
  /** Any rendered run row (the body is windowed: only rows in view exist). */
  anyRow: '[role="row"][data-run]',
  row: (run: string) => `[data-testid="sagemaker-studio-runs-row-${run}"]`,
  rowCheckbox: (run: string) =>
    `[data-testid="sagemaker-studio-runs-select-${run}"]`
};

/** Operations on the experiments sidebar and run tables of a Galata page. */
export class ExperimentsHelper {
  /** Wrap a Galata page. */
  constructor(readonly page: IJupyterLabPageFixture) {}

  /** The Experiments sidebar panel. */
  get panel(): Locator {
    return this.page.locator(EXPERIMENTS_SELECTORS.panel);
  }

  /** The run table tab opened last (or of `experiment`). */
  table(experiment?: string): Locator {
    return experiment
      ? this.page.locator(EXPERIMENTS_SELECTORS.table(experiment))
      : this.page.locator('.jp-SageMakerRunTablePanel:visible').last();
  }

  /** Open the Experiments panel from the left sidebar and wait for its list (or its error). */
  async openSidebar(): Promise<void> {
    await this.page.sidebar.openTab(EXPERIMENTS_SELECTORS.panelId);
    await expect(this.panel).toBeVisible();
    await expect(
      this.panel.locator(
        `${EXPERIMENTS_SELECTORS.count}:not(:empty), ${EXPERIMENTS_SELECTORS.error}`
      )
    ).toBeVisible({ timeout: 30_000 });
  }

  /** Type into the sidebar's search box. */
  async searchExperiments(text: string): Promise<void> {
    await this.panel.locator(EXPERIMENTS_SELECTORS.search).fill(text);
  }

  /** Names of the experiments the sidebar shows, in order. */
  async experimentNames(): Promise<string[]> {
    return this.panel
      .locator('[data-testid="sagemaker-studio-experiment-row"]')
      .evaluateAll(rows =>
        rows.map(row => row.getAttribute('data-name') ?? '')
      );
  }

  /** Expand an experiment to its trials in the sidebar. */
  async expandExperiment(name: string): Promise<void> {
    const row = this.panel.locator(EXPERIMENTS_SELECTORS.experimentRow(name));
    if ((await row.getAttribute('aria-expanded')) !== 'true') {
      await row.locator(EXPERIMENTS_SELECTORS.expander).click();
    }
    await expect(row).toHaveAttribute('aria-expanded', 'true');
  }

  /** Expand a trial to its runs in the sidebar. */
  async expandTrial(name: string): Promise<void> {
    const row = this.panel.locator(EXPERIMENTS_SELECTORS.trialRow(name));
    if ((await row.getAttribute('aria-expanded')) !== 'true') {
      await row.locator(EXPERIMENTS_SELECTORS.expander).click();
    }
    await expect(row).toHaveAttribute('aria-expanded', 'true');
  }

  /** Open an experiment's run table from the sidebar and wait for its first Search page. */
  async openExperiment(name: string): Promise<Locator> {
    const searched = this.page.waitForResponse(
      response =>
        response.url().includes(PROXY_PATH) &&
        response.request().headers()['x-amz-target'] === 'SageMaker.Search'
    );
    await this.panel
      .locator(EXPERIMENTS_SELECTORS.experimentRow(name))
      .locator(EXPERIMENTS_SELECTORS.openExperiment)
      .click();
    expect((await searched).status()).toBe(200);
    const table = this.table(name);
    await expect(table).toBeVisible();
    await expect(table.locator(EXPERIMENTS_SELECTORS.tableCount)).toHaveText(
      / of \d+ runs/
    );
    return table;
  }

  /** Click a column header (by its label) until the table is sorted in `direction`. */
  async sortBy(
    column: string,
    direction: 'ascending' | 'descending' = 'ascending'
  ): Promise<void> {
    const button = this.table().locator(EXPERIMENTS_SELECTORS.header(column));
    const header = button.locator('xpath=..');
    for (let i = 0; i < 2; i++) {
      if ((await header.getAttribute('aria-sort')) === direction) {
        return;
      }
      await button.click();
    }
    await expect(header).toHaveAttribute('aria-sort', direction);
  }

  /** Type a filter (words, or comparisons like `eta<0.3`). */
  async filter(text: string): Promise<void> {
    await this.table().locator(EXPERIMENTS_SELECTORS.filter).fill(text);
  }

  /** Names of the rendered run rows, top to bottom (the body is windowed). */
  async runNames(): Promise<string[]> {
    return this.table()
      .locator(EXPERIMENTS_SELECTORS.anyRow)
      .evaluateAll(rows =>
        rows
          .map(row => ({
            name: row.getAttribute('data-run') ?? '',
            top: row.getBoundingClientRect().top
          }))
          .sort((a, b) => a.top - b.top)
          .map(row => row.name)
      );
  }

  /** Tick a run's checkbox; with `shift`, the range from the last clicked run. The row must be rendered. */
  async selectRun(
    name: string,
    options: { shift?: boolean } = {}
  ): Promise<void> {
    const box = this.table().locator(EXPERIMENTS_SELECTORS.rowCheckbox(name));
    await box.click({ modifiers: options.shift ? ['Shift'] : [] });
  }

  /** Select every run the filter shows with the header checkbox. */
  async selectAllFiltered(): Promise<void> {
    const all = this.table().locator(EXPERIMENTS_SELECTORS.selectAll);
    if (!(await all.isChecked())) {
      await all.click();
    }
    await expect(all).toBeChecked();
  }

  /** The "N of M runs, K selected" text. */
  async counts(): Promise<string> {
    return (
      await this.table().locator(EXPERIMENTS_SELECTORS.tableCount).innerText()
    ).trim();
  }

  /** Show or hide a column with the column chooser. */
  async setColumn(label: string, visible: boolean): Promise<void> {
    const table = this.table();
    if (
      !(await table.locator(EXPERIMENTS_SELECTORS.columnChooser).isVisible())
    ) {
      await table.locator(EXPERIMENTS_SELECTORS.columns).click();
    }
    await table
      .locator(EXPERIMENTS_SELECTORS.columnChoice(label))
      .setChecked(visible);
    await this.page.keyboard.press('Escape');
  }

  /** Click Compare (it must be enabled: the compare plugin is loaded and runs are selected). */
  async compare(): Promise<void> {
    const button = this.table().locator(EXPERIMENTS_SELECTORS.compare);
    await expect(button).toBeEnabled();
    await button.click();
  }
}
