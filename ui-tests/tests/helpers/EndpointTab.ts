/**
 * Page object of an endpoint's tab (opened from the SageMaker sidebar's Endpoints section): the specs talk about
 * variants, Test inference and deletion; only this file knows the tab's DOM.
 */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { expect, type Locator, type Request } from '@playwright/test';

import { SageMakerHelper } from './SageMakerHelper';

/** Selectors of the endpoint tab. */
export const ENDPOINT_TAB = {
  /** The button of an endpoint row that opens its tab. */
  rowOpen: '.jp-SageMakerRegistry-rowOpen',
  /** A part of the tab by its test id suffix (overview, config, variants, data-capture, monitoring, inference…). */
  part: (id: string) => `[data-testid="sagemaker-endpoint-${id}"]`,
  statusBadge:
    '[data-testid="sagemaker-endpoint-overview"] .jp-SageMakerRegistry-badge',
  variantRow: (name: string) => `tr[data-variant="${name}"]`,
  instanceType: '[data-column="instance-type"]',
  refresh: '.jp-SageMakerEndpoint-refresh',
  delete: '.jp-SageMakerEndpoint-delete',
  contentType: '.jp-SageMakerEndpoint-contentType',
  body: '.jp-SageMakerEndpoint-body',
  send: '.jp-SageMakerEndpoint-send',
  dialog: '.jp-Dialog'
};

/** Route prefixes of the signing proxy for the two services the tab uses. */
export const RUNTIME_PROXY_PATH = '/sagemaker-studio/aws/sagemaker-runtime/';
export const SAGEMAKER_PROXY_PATH = '/sagemaker-studio/aws/sagemaker/';

/** One endpoint's tab. */
export class EndpointTab {
  /** The tab of endpoint `name` on a Galata page. */
  constructor(
    readonly page: IJupyterLabPageFixture,
    readonly name: string
  ) {}

  /** The tab's main-area widget. */
  get widget(): Locator {
    const id = `sagemaker-studio-endpoint-${this.name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    return this.page.locator(`#${id}`);
  }

  /** A part of the tab. */
  part(id: string): Locator {
    return this.widget.locator(ENDPOINT_TAB.part(id));
  }

  /** The status badge of the overview. */
  get status(): Locator {
    return this.widget.locator(ENDPOINT_TAB.statusBadge);
  }

  /** Open the tab from the sidebar (the row must be listed) with a click, or with the keyboard. */
  async openFromSidebar(
    sagemaker: SageMakerHelper,
    how: 'click' | 'keyboard' = 'click'
  ): Promise<void> {
    const button = sagemaker
      .endpointRow(this.name)
      .locator(ENDPOINT_TAB.rowOpen);
    if (how === 'keyboard') {
      await button.focus();
      await button.press('Enter');
    } else {
      await button.click();
    }
    await expect(this.widget).toBeVisible();
    await expect(this.part('overview')).toBeVisible({ timeout: 30_000 });
  }

  /** Wait until the endpoint is in service (the tab refreshes itself while it is being created). */
  async waitInService(timeout = 90_000): Promise<void> {
    await expect(this.status).toHaveAttribute('data-status', 'InService', {
      timeout
    });
  }

  /** Type a Test inference body and send it. */
  async sendInference(body: string, contentType = 'application/json') {
    const form = this.part('inference');
    await form.locator(ENDPOINT_TAB.contentType).selectOption(contentType);
    await form.locator(ENDPOINT_TAB.body).fill(body);
    await form.locator(ENDPOINT_TAB.send).click();
  }

  /** The sentence Test inference shows for a refused body or a failed call. */
  get inferenceMessage(): Locator {
    return this.part('inference-message');
  }

  /** Click Delete and answer the confirmation with `answer`. */
  async delete(answer: 'Cancel' | 'Delete'): Promise<void> {
    await this.widget.locator(ENDPOINT_TAB.delete).click();
    const dialog = this.page.locator(ENDPOINT_TAB.dialog);
    await expect(dialog).toContainText(this.name);
    await dialog.getByRole('button', { name: answer, exact: true }).click();
    await expect(dialog).toHaveCount(0);
  }

  /** Record the requests sent through one proxy route from now on. */
  recordRequests(route: string): Request[] {
    const sent: Request[] = [];
    this.page.on('request', request => {
      if (request.url().includes(route)) {
        sent.push(request);
      }
    });
    return sent;
  }
}

/** Call a SageMaker operation through the test server's signing proxy (to set up or restore shared state). */
export async function sageMakerCall(
  page: IJupyterLabPageFixture,
  operation: string,
  input: Record<string, unknown>
): Promise<any> {
  const response = await page.request.post(
    `${SAGEMAKER_PROXY_PATH}us-east-1/`,
    {
      headers: {
        'X-Amz-Target': `SageMaker.${operation}`,
        'Content-Type': 'application/x-amz-json-1.1'
      },
      data: JSON.stringify(input)
    }
  );
  const body = await response.json();
  if (!response.ok()) {
    throw new Error(`${operation} failed: ${JSON.stringify(body)}`);
  }
  return body;
}
