/**
 * A user of a fresh local-mode JupyterLab opens a feature group (its features with types, the record identifier
 * and event time), the demo project (its pipelines, model groups and endpoints, found by AWS's project tags) and a
 * Data Wrangler flow copied into the workspace (listed, searched, summarised; a malformed one explained).
 */
import { expect, test } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';

import { SageMakerHelper, SELECTORS } from './helpers/SageMakerHelper';

/** How long the demo content may take at the server's first start (it trains models). */
const DEMO_CREATION_TIMEOUT = 180_000;

/** The demo's flow file, shipped with the Python package. */
const DEMO_FLOW = path.join(
  __dirname,
  '..',
  '..',
  'jupyterlab_sagemaker_studio',
  'demo',
  'flows',
  'breast-cancer-prep.flow'
);

/** Give one section of the sidebar all its height: collapse the other open ones, open it. */
async function focusSection(sagemaker: SageMakerHelper, id: string) {
  const open = await sagemaker.panel
    .locator('.lm-AccordionPanel-title[aria-expanded="true"]')
    .evaluateAll(titles => titles.map(t => t.getAttribute('aria-controls')));
  for (const controls of open) {
    if (controls !== `sagemaker-studio-registry-${id}`) {
      const title = sagemaker.panel.locator(
        `.lm-AccordionPanel-title[aria-controls="${controls}"]`
      );
      await title.locator('.lm-AccordionPanel-titleLabel').click();
      await expect(title).toHaveAttribute('aria-expanded', 'false');
    }
  }
  await sagemaker.expandSection(id);
}

/** A resource's tab in the main area. */
const detailTab = (kind: string, name: string) =>
  `.jp-SageMakerDetail[data-kind="${kind}"][data-name="${name}"]`;

test.describe('Feature groups, projects and Data Wrangler flows', () => {
  test('a feature group tab shows its features, types, record identifier and event time', async ({
    page
  }, testInfo) => {
    test.setTimeout(DEMO_CREATION_TIMEOUT + 60_000);
    const sagemaker = new SageMakerHelper(page);
    await sagemaker.openRegistry();
    await focusSection(sagemaker, 'feature-store');
    await sagemaker.refreshSectionUntil(
      'feature-store',
      () =>
        expect(
          sagemaker.sectionRow('feature-store', 'breast-cancer-biopsies')
        ).toBeVisible({ timeout: 1_000 }),
      DEMO_CREATION_TIMEOUT
    );
    await sagemaker
      .sectionRow('feature-store', 'breast-cancer-biopsies')
      .locator('.jp-SageMakerRegistry-rowOpen')
      .click();

    const tab = page.locator(
      detailTab('feature-group', 'breast-cancer-biopsies')
    );
    await expect(tab).toBeVisible();
    await expect(
      tab.locator('[data-testid="sagemaker-fg-record-identifier"]')
    ).toHaveText('biopsy_id');
    await expect(
      tab.locator('[data-testid="sagemaker-fg-event-time"]')
    ).toHaveText('event_time');

    const features = tab.locator('[data-testid="sagemaker-fg-features"]');
    // Record identifier, 30 measurements, the diagnosis and the event time.
    await expect(features.locator('h3')).toHaveText('33 features');
    const row = (name: string) =>
      features.locator(`tr[data-feature="${name}"]`);
    await expect(row('biopsy_id')).toHaveAttribute(
      'data-role',
      'record-identifier'
    );
    await expect(row('biopsy_id')).toHaveClass(/jp-SageMakerFeatures-key/);
    await expect(row('biopsy_id').locator('td').nth(1)).toHaveText('String');
    await expect(row('event_time')).toHaveAttribute('data-role', 'event-time');
    await expect(row('diagnosis').locator('td').nth(1)).toHaveText(
      'Integral (integer)'
    );
    await expect(row('mean_radius').locator('td').nth(1)).toHaveText(
      'Fractional (floating point)'
    );

    await features
      .locator('[data-testid="sagemaker-fg-filter"]')
      .fill('radius');
    const names = await features
      .locator('tbody tr')
      .evaluateAll(rows => rows.map(r => r.getAttribute('data-feature')));
    expect(names).toEqual(['mean_radius', 'radius_error', 'worst_radius']);
    await features
      .locator('[data-testid="sagemaker-fg-filter"]')
      .fill('integral');
    await expect(features.locator('tbody tr')).toHaveCount(1);

    await expect(
      tab.locator('[data-testid="sagemaker-fg-online"]')
    ).toContainText('Yes');
    const offline = tab.locator('[data-testid="sagemaker-fg-offline"]');
    await expect(offline).toContainText('/sagemaker-studio-demo/feature-store');
    await expect(offline).toContainText(
      'AwsDataCatalog.sagemaker_featurestore.'
    );
    await expect(offline).toContainText(
      '/offline-store/breast-cancer-biopsies-'
    );
    await sagemaker.saveScreenshot(testInfo, 'feature-group-tab');
  });

  test('the project tab lists the resources tagged with the project and opens them', async ({
    page
  }, testInfo) => {
    test.setTimeout(DEMO_CREATION_TIMEOUT + 60_000);
    const sagemaker = new SageMakerHelper(page);
    await sagemaker.openRegistry();
    await focusSection(sagemaker, 'projects');
    await sagemaker.refreshSectionUntil(
      'projects',
      () =>
        expect(
          sagemaker.sectionRow('projects', 'clinical-models-mlops')
        ).toBeVisible({ timeout: 1_000 }),
      DEMO_CREATION_TIMEOUT
    );
    await sagemaker
      .sectionRow('projects', 'clinical-models-mlops')
      .locator('.jp-SageMakerRegistry-rowOpen')
      .click();
    const tab = page.locator(detailTab('project', 'clinical-models-mlops'));
    await expect(tab).toBeVisible();
    await expect(
      tab.locator('[data-testid="sagemaker-project-overview"]')
    ).toContainText(/p-[a-z0-9]{12}/);

    const names = (kind: string) =>
      tab
        .locator(`[data-testid="sagemaker-project-${kind}s"] tbody tr`)
        .evaluateAll(rows => rows.map(r => r.getAttribute('data-name')).sort());
    // The demo tags its resources once they exist: refresh the tab until all are there.
    await expect(async () => {
      await tab
        .locator('[data-jp-item-name="refresh"] .jp-ToolbarButtonComponent')
        .click();
      await expect(tab.locator('.jp-SageMakerFeatures-updated')).toHaveText(
        /^Updated [0-3] s ago$/,
        { timeout: 10_000 }
      );
      expect(await names('pipeline')).toEqual([
        'breast-cancer-gbm-build',
        'diabetes-batch-scoring'
      ]);
      expect(await names('model-package-group')).toEqual([
        'breast-cancer-gbm-models',
        'diabetes-regression-models',
        'digits-classifier-models'
      ]);
      expect(await names('endpoint')).toEqual([
        'breast-cancer-gbm-prod',
        'diabetes-regression-staging',
        'digits-classifier-gpu'
      ]);
    }).toPass({ timeout: DEMO_CREATION_TIMEOUT, intervals: [2_000, 5_000] });
    await sagemaker.saveScreenshot(testInfo, 'project-tab');

    await tab
      .locator(
        '[data-testid="sagemaker-project-endpoints"] tr[data-name="breast-cancer-gbm-prod"] button'
      )
      .click();
    await expect(
      page.locator(detailTab('endpoint', 'breast-cancer-gbm-prod'))
    ).toBeVisible();
  });

  test('a .flow file copied into the workspace is listed, searched and summarised', async ({
    page,
    tmpPath
  }, testInfo) => {
    const sagemaker = new SageMakerHelper(page);
    const flowPath = `${tmpPath}/prep/breast-cancer-prep.flow`;
    expect(
      await page.contents.uploadContent(
        fs.readFileSync(DEMO_FLOW, 'utf-8'),
        'text',
        flowPath
      )
    ).toBe(true);
    expect(
      await page.contents.uploadContent(
        '{"metadata": {"version": 1}, "nodes": [',
        'text',
        `${tmpPath}/broken.flow`
      )
    ).toBe(true);

    await sagemaker.openRegistry();
    const section = sagemaker.section('flows');
    await expect(
      sagemaker.panel.locator(SELECTORS.sectionTitle('flows'))
    ).toHaveText('Data Wrangler flows');
    // Right after Projects.
    // (The accordion positions its parts absolutely, so the order is the titles' order on screen.)
    const order = await sagemaker.panel
      .locator('.lm-AccordionPanel-title')
      .evaluateAll(titles =>
        titles
          .map(t => ({
            id: t.getAttribute('aria-controls'),
            top: t.getBoundingClientRect().top
          }))
          .sort((a, b) => a.top - b.top)
          .map(t => t.id)
      );
    expect(order[order.indexOf('sagemaker-studio-registry-projects') + 1]).toBe(
      'sagemaker-studio-registry-flows'
    );

    await focusSection(sagemaker, 'flows');
    await sagemaker.panel
      .locator(SELECTORS.sectionTitle('flows'))
      .locator('[data-command="sagemaker-studio:refresh-flows"]')
      .click();
    const row = (p: string) =>
      section.locator(`.jp-SageMakerFlows-row[data-path="${p}"]`);
    await expect(row(flowPath)).toBeVisible();
    await expect(row(`${tmpPath}/broken.flow`)).toBeVisible();
    await expect(section.locator(SELECTORS.sectionUpdated)).toHaveText(
      /^Updated \d+ s ago$/
    );

    await section
      .locator('[data-testid="sagemaker-studio-flows-search"]')
      .fill('PREP');
    await expect(row(flowPath)).toBeVisible();
    await expect(row(`${tmpPath}/broken.flow`)).toHaveCount(0);

    await row(flowPath).locator('.jp-SageMakerRegistry-rowOpen').click();
    const tab = page.locator(`.jp-SageMakerFlowTab[data-path="${flowPath}"]`);
    await expect(tab).toBeVisible();
    await expect(
      tab.locator('[data-testid="sagemaker-flow-overview"]')
    ).toContainText('1 source, 4 transforms, 2 datasets');
    await expect(
      tab.locator('[data-testid="sagemaker-flow-overview"]')
    ).toContainText('ml.m5.4xlarge');
    await expect(
      tab.locator('[data-testid="sagemaker-flow-sources"]')
    ).toContainText(
      's3://sagemaker-us-east-1-123456789012/sagemaker-studio-demo/datasets/breast_cancer/raw/biopsies.csv'
    );
    const steps = tab.locator('[data-testid="sagemaker-flow-steps"] tbody tr');
    await expect(steps).toHaveCount(7);
    await expect(steps.nth(4)).toContainText('Split: Randomized split');
    await expect(steps.nth(5)).toContainText('Split: Randomized split (Train)');
    await sagemaker.saveScreenshot(testInfo, 'flow-tab');

    // The raw file opens in JupyterLab's editor.
    await tab.locator('[data-testid="sagemaker-flow-open-editor"]').click();
    await expect(
      page
        .locator('.jp-FileEditor')
        .filter({ hasText: '"sagemaker.s3_source_0.1"' })
    ).toBeVisible();

    await section
      .locator('[data-testid="sagemaker-studio-flows-search"]')
      .fill('broken');
    await row(`${tmpPath}/broken.flow`)
      .locator('.jp-SageMakerRegistry-rowOpen')
      .click();
    const broken = page.locator(
      `.jp-SageMakerFlowTab[data-path="${tmpPath}/broken.flow"]`
    );
    await expect(broken.locator('.jp-SageMakerDetail-error')).toContainText(
      '“broken.flow” is not valid JSON'
    );
    await expect(broken.locator('.jp-SageMakerDetail-error')).toContainText(
      'Open the file in the editor to fix it'
    );
  });
});
