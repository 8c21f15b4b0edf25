/**
 * Page object of a pipeline's tab: the specs talk about executions, steps and the start dialog; only this file
 * knows the DOM (the tab's `jp-SageMakerPipeline-*` classes and `data-*` attributes).
 */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { expect, type Locator, type Request } from '@playwright/test';

import { PROXY_PATH, SageMakerHelper } from './SageMakerHelper';

/** Every selector of the pipeline tab. */
export const PIPELINE_SELECTORS = {
  tab: (name: string) =>
    `.jp-SageMakerDetail[data-kind="pipeline"][data-name="${name}"]`,
  startButton: '[data-jp-item-name="start-execution"] button',
  refreshButton: '[data-jp-item-name="refresh"] button',
  executionRow: (displayName: string) =>
    `.jp-SageMakerPipeline-execution[data-name="${displayName}"]`,
  executionName: '.jp-SageMakerPipeline-executionName',
  execution: '[data-testid="pipeline-execution"]',
  node: (step: string) => `.jp-SageMakerPipeline-node[data-step="${step}"]`,
  nodeBox: '.jp-SageMakerPipeline-nodeBox',
  edge: (from: string, to: string) =>
    `.jp-SageMakerPipeline-edge[data-from="${from}"][data-to="${to}"]`,
  legend: '.jp-SageMakerPipeline-legend',
  stepDetails: (step: string) =>
    `.jp-SageMakerPipeline-step[data-step="${step}"]`,
  parameterRow: (name: string) =>
    `.jp-SageMakerPipeline-parameters tr[data-name="${name}"]`,
  stopButton: '.jp-SageMakerPipeline-stop',
  retryButton: '.jp-SageMakerPipeline-retry',
  startForm: '.jp-Dialog .jp-SageMakerPipeline-startForm',
  parameterInput: (name: string) =>
    `.jp-SageMakerPipeline-field[data-parameter="${name}"] input`,
  parameterError: (name: string) =>
    `.jp-SageMakerPipeline-field[data-parameter="${name}"] .jp-SageMakerPipeline-fieldError`,
  formError: '.jp-SageMakerPipeline-formError',
  dialogAccept: '.jp-Dialog .jp-Dialog-button.jp-mod-accept',
  dialogWarn: '.jp-Dialog .jp-Dialog-button.jp-mod-warn'
};

/** How long the demo content may take at the server's first start (it trains models). */
export const DEMO_CREATION_TIMEOUT = 180_000;

/** Operations on a pipeline tab of a Galata page. */
export class PipelineHelper {
  /** Wrap a Galata page. */
  constructor(readonly page: IJupyterLabPageFixture) {
    this.sagemaker = new SageMakerHelper(page);
  }

  /** The sidebar's page object. */
  readonly sagemaker: SageMakerHelper;

  /** The SageMaker calls the page sent through the proxy, by X-Amz-Target (e.g. "StartPipelineExecution"). */
  readonly calls: string[] = [];

  /** Record the SageMaker calls from now on. */
  recordCalls(): void {
    this.page.on('request', (request: Request) => {
      const target = request.headers()['x-amz-target'];
      if (request.url().includes(PROXY_PATH) && target) {
        this.calls.push(target.replace(/^SageMaker\./, ''));
      }
    });
  }

  /** The tab of a pipeline. */
  tab(name: string): Locator {
    return this.page.locator(PIPELINE_SELECTORS.tab(name));
  }

  /** Open a pipeline from the sidebar's Pipelines section (waiting for the demo content to appear). */
  async open(name: string): Promise<Locator> {
    await this.sagemaker.openRegistry();
    // Only the Pipelines section open, so its rows get the panel's height whatever the window size.
    const others = this.sagemaker.panel.locator(
      '.lm-AccordionPanel-title[aria-expanded="true"]:not([aria-controls="sagemaker-studio-registry-pipelines"])'
    );
    while ((await others.count()) > 0) {
      await others.first().locator('.lm-AccordionPanel-titleLabel').click();
    }
    await this.sagemaker.expandSection('pipelines');
    const row = this.sagemaker.sectionRow('pipelines', name);
    await this.sagemaker.refreshSectionUntil(
      'pipelines',
      () => expect(row).toBeVisible({ timeout: 2_000 }),
      DEMO_CREATION_TIMEOUT
    );
    await row.locator('.jp-SageMakerRegistry-rowOpen').click();
    const tab = this.tab(name);
    await expect(tab).toBeVisible();
    return tab;
  }

  /** An execution's row of the tab's table. */
  executionRow(tab: Locator, displayName: string): Locator {
    return tab.locator(PIPELINE_SELECTORS.executionRow(displayName));
  }

  /** Refresh the tab (toolbar) until `check` passes: demo executions are started in the background. */
  async refreshUntil(
    tab: Locator,
    check: () => Promise<void>,
    timeout: number
  ): Promise<void> {
    await expect(async () => {
      try {
        await check();
      } catch (error) {
        await tab.locator(PIPELINE_SELECTORS.refreshButton).click();
        await check();
      }
    }).toPass({ timeout, intervals: [2_000, 3_000, 5_000] });
  }

  /** Select an execution by its display name and wait for its graph. */
  async selectExecution(tab: Locator, displayName: string): Promise<Locator> {
    const row = this.executionRow(tab, displayName);
    await row.locator(PIPELINE_SELECTORS.executionName).click();
    await expect(row).toHaveAttribute('aria-selected', 'true');
    const arn = await row.getAttribute('data-arn');
    const detail = tab.locator(
      `${PIPELINE_SELECTORS.execution}[data-arn="${arn}"]`
    );
    await expect(detail).toBeVisible();
    return detail;
  }

  /** A step's node in the graph. */
  node(scope: Locator, step: string): Locator {
    return scope.locator(PIPELINE_SELECTORS.node(step));
  }

  /** The stroke colour of a node's box and the value of a theme variable, both as computed colours. */
  async nodeColour(
    scope: Locator,
    step: string,
    variable: string
  ): Promise<{ stroke: string; expected: string }> {
    return this.node(scope, step)
      .locator(PIPELINE_SELECTORS.nodeBox)
      .evaluate((box, name) => {
        const probe = document.createElement('div');
        probe.style.color = `var(${name})`;
        document.body.appendChild(probe);
        const expected = getComputedStyle(probe).color;
        probe.remove();
        return { stroke: getComputedStyle(box).stroke, expected };
      }, variable);
  }

  /** Open the start dialog of a pipeline tab. */
  async openStartDialog(tab: Locator): Promise<Locator> {
    await tab.locator(PIPELINE_SELECTORS.startButton).click();
    const form = this.page.locator(PIPELINE_SELECTORS.startForm);
    await expect(form).toBeVisible();
    return form;
  }
}
