/**
 * Page object of the JumpStart feature: the specs talk about models, tasks and cards; only this file knows the DOM
 * (the `data-testid` attributes of the JumpStart sidebar and the model card tab).
 */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { expect, type Locator } from '@playwright/test';

/** Every selector of the JumpStart sidebar and the model card. */
export const JUMPSTART_SELECTORS = {
  /** Widget id of the left-sidebar "JumpStart" panel (also its sidebar tab's `data-id`). */
  panelId: 'sagemaker-studio-jumpstart',
  panel: '[data-testid="sagemaker-studio-jumpstart-panel"]',
  search: '[data-testid="sagemaker-studio-jumpstart-search"]',
  task: '[data-testid="sagemaker-studio-jumpstart-task"]',
  framework: '[data-testid="sagemaker-studio-jumpstart-framework"]',
  fineTunable: '[data-testid="sagemaker-studio-jumpstart-fine-tunable"]',
  access: '[data-testid="sagemaker-studio-jumpstart-access"]',
  scan: '[data-testid="sagemaker-studio-jumpstart-scan"]',
  sort: '[data-testid="sagemaker-studio-jumpstart-sort"]',
  refresh: '[data-testid="sagemaker-studio-jumpstart-refresh"]',
  count: '[data-testid="sagemaker-studio-jumpstart-count"]',
  error: '[data-testid="sagemaker-studio-jumpstart-error"]',
  /** Any rendered model row (the list is windowed: only rows in view exist). */
  anyRow: '[data-testid="sagemaker-studio-jumpstart-row"]',
  row: (modelId: string) =>
    `[data-testid="sagemaker-studio-jumpstart-row"][data-model-id="${modelId}"]`,
  /** The card of a model (the main-area tab's content). */
  card: (modelId: string) =>
    `[data-testid="sagemaker-studio-jumpstart-card"][data-model-id="${modelId}"]`,
  cardError: '[data-testid="sagemaker-studio-jumpstart-card-error"]',
  cardInstanceTypes:
    '[data-testid="sagemaker-studio-jumpstart-card-instance-types"]',
  /** The default instance type's row of an instance type table. */
  defaultInstanceType: 'tr[data-default="true"]',
  cardEula: '[data-testid="sagemaker-studio-jumpstart-card-eula"]',
  cardDeploy: '[data-testid="sagemaker-studio-jumpstart-card-deploy"]',
  deploy: '[data-testid="sagemaker-studio-jumpstart-deploy"]',
  deployName: '[data-testid="sagemaker-studio-jumpstart-deploy-name"]',
  deployInstanceType:
    '[data-testid="sagemaker-studio-jumpstart-deploy-instance-type"]',
  deployRole: '[data-testid="sagemaker-studio-jumpstart-deploy-role"]',
  deploySubmit: '[data-testid="sagemaker-studio-jumpstart-deploy-submit"]',
  deployStatus: '[data-testid="sagemaker-studio-jumpstart-deploy-status"]',
  cardFineTune: '[data-testid="sagemaker-studio-jumpstart-card-fine-tune"]',
  fineTune: '[data-testid="sagemaker-studio-jumpstart-finetune"]',
  /** The input (or menu) of one hyperparameter of the fine-tune form. */
  fineTuneField: (name: string) =>
    `[data-testid="sagemaker-studio-jumpstart-finetune-field"][data-name="${name}"]`,
  fineTuneError: '[data-testid="sagemaker-studio-jumpstart-finetune-error"]',
  fineTuneData: '[data-testid="sagemaker-studio-jumpstart-finetune-data"]',
  fineTuneInstanceType:
    '[data-testid="sagemaker-studio-jumpstart-finetune-instance-type"]',
  fineTuneRole: '[data-testid="sagemaker-studio-jumpstart-finetune-role"]',
  fineTuneSubmit: '[data-testid="sagemaker-studio-jumpstart-finetune-submit"]',
  fineTuneStatus: '[data-testid="sagemaker-studio-jumpstart-finetune-status"]',
  launched: '[data-testid="sagemaker-studio-jumpstart-launched"]',
  launchedItem: (kind: 'endpoint' | 'training-job', name: string) =>
    `.jp-SageMakerJumpStartLaunched-item[data-kind="${kind}"][data-name="${name}"]`,
  launchedRefresh: '.jp-SageMakerJumpStartLaunched-refresh',
  launcherCard:
    '.jp-LauncherCard[data-category="SageMaker"][title="Browse the SageMaker JumpStart model catalog"]'
};

/** Operations on the JumpStart sidebar and model cards of a Galata page. */
export class JumpStartHelper {
  /** Wrap a Galata page. */
  constructor(readonly page: IJupyterLabPageFixture) {}

  /** The JumpStart sidebar panel. */
  get panel(): Locator {
    return this.page.locator(JUMPSTART_SELECTORS.panel);
  }

  /** Open the JumpStart panel from the left sidebar and wait for its model count (or its error). */
  async openSidebar(): Promise<void> {
    await this.page.sidebar.openTab(JUMPSTART_SELECTORS.panelId);
    await expect(this.panel).toBeVisible();
    await expect(
      this.panel.locator(
        `${JUMPSTART_SELECTORS.count}:not(:empty), ${JUMPSTART_SELECTORS.error}`
      )
    ).toBeVisible({ timeout: 60_000 });
  }

  /** The "N of M models" count as numbers. */
  async count(): Promise<{ shown: number; total: number }> {
    const text =
      (await this.panel.locator(JUMPSTART_SELECTORS.count).textContent()) ?? '';
    const match = /^(\d+) of (\d+) models?$/.exec(text.trim());
    if (!match) {
      throw new Error(`Unexpected JumpStart model count: "${text}"`);
    }
    return { shown: Number(match[1]), total: Number(match[2]) };
  }

  /** Labels of the task menu's options (after "All tasks"). */
  async taskLabels(): Promise<string[]> {
    const labels = await this.panel
      .locator(`${JUMPSTART_SELECTORS.task} option`)
      .allTextContents();
    return labels.slice(1);
  }

  /** Keep only the models of a task (by its label), or all with null. */
  async filterByTask(task: string | null): Promise<void> {
    await this.panel
      .locator(JUMPSTART_SELECTORS.task)
      .selectOption(task === null ? { value: '' } : { label: task });
  }

  /** Type into the search box. */
  async search(text: string): Promise<void> {
    await this.panel.locator(JUMPSTART_SELECTORS.search).fill(text);
  }

  /** Ids of the model rows in view, in order. */
  async visibleModelIds(): Promise<string[]> {
    return this.panel
      .locator(JUMPSTART_SELECTORS.anyRow)
      .evaluateAll(rows =>
        rows.map(row => row.getAttribute('data-model-id') ?? '')
      );
  }

  /**
   * Open a model's card: search for its id (so its row is in the windowed list's view), click the row and wait
   * for the card's details (or its error).
   */
  async openModel(modelId: string): Promise<Locator> {
    await this.search(modelId);
    const row = this.panel.locator(JUMPSTART_SELECTORS.row(modelId));
    await expect(row).toBeVisible();
    await row.click();
    const card = this.page.locator(JUMPSTART_SELECTORS.card(modelId));
    await expect(card).toBeVisible();
    await expect(
      card.locator(
        `.jp-SageMakerJumpStartCard-title, ${JUMPSTART_SELECTORS.cardError}`
      )
    ).toBeVisible({ timeout: 30_000 });
    return card;
  }

  /**
   * The row of an endpoint or training job in the "Launched" list, once it shows `status`. The list follows what is
   * still changing by itself; a refresh click makes the wait shorter than its poll interval.
   */
  async launchedItem(
    kind: 'endpoint' | 'training-job',
    name: string,
    status: string
  ): Promise<Locator> {
    const launched = this.panel.locator(JUMPSTART_SELECTORS.launched);
    const item = launched.locator(JUMPSTART_SELECTORS.launchedItem(kind, name));
    await expect(async () => {
      await launched.locator(JUMPSTART_SELECTORS.launchedRefresh).click();
      await expect(item.locator('[data-status]')).toHaveAttribute(
        'data-status',
        status,
        { timeout: 2_000 }
      );
    }).toPass({ timeout: 60_000 });
    return item;
  }
}
