/**
 * A user opens the "SageMaker" sidebar of a fresh local-mode JupyterLab and browses every section: the model
 * registry, pipelines, projects, feature groups and the experiment count, each fetched through the signing proxy
 * from the local backend; a search narrows a section's rows.
 */
import { expect, test } from '@jupyterlab/galata';

import { SageMakerHelper, SELECTORS } from './helpers/SageMakerHelper';

/** Model package groups the demo content registers (jupyterlab_sagemaker_studio/demo/catalog.py). */
const DEMO_MODEL_GROUPS = [
  'breast-cancer-gbm-models',
  'diabetes-regression-models',
  'digits-classifier-models'
];

/** Experiments the demo content creates. */
const DEMO_EXPERIMENTS = 3;

/** The generic sections and their titles, in sidebar order (after Endpoints). */
const SECTIONS: Record<string, string> = {
  'model-registry': 'Model registry',
  pipelines: 'Pipelines',
  projects: 'Projects',
  'feature-store': 'Feature Store',
  experiments: 'Experiments'
};

/** How long the demo content may take at the server's first start (it trains models). */
const DEMO_CREATION_TIMEOUT = 180_000;

test.describe('SageMaker sidebar sections in local mode', () => {
  test('every section lists what the account holds, and search narrows the rows', async ({
    page
  }, testInfo) => {
    test.setTimeout(DEMO_CREATION_TIMEOUT + 120_000);
    const sagemaker = new SageMakerHelper(page);

    await test.step('open the SageMaker sidebar', async () => {
      await sagemaker.openRegistry();
    });

    await test.step('each section is there with its title', async () => {
      for (const [id, title] of Object.entries(SECTIONS)) {
        await expect(sagemaker.section(id)).toHaveCount(1);
        await expect(
          sagemaker.panel.locator(SELECTORS.sectionTitle(id))
        ).toHaveText(title);
      }
    });

    await test.step("the sections follow Studio's order; Model registry and Endpoints start open", async () => {
      // The accordion positions its titles absolutely (their DOM order is the order they were added): read them
      // top to bottom as the user sees them.
      const titles = await sagemaker.panel
        .locator('.lm-AccordionPanel-title')
        .evaluateAll(nodes =>
          nodes
            .map(node => ({
              top: node.getBoundingClientRect().top,
              label: node.querySelector('.lm-AccordionPanel-titleLabel')
                ?.textContent
            }))
            .sort((a, b) => a.top - b.top)
            .map(title => title.label)
        );
      expect(titles).toEqual([
        'Projects',
        'Data Wrangler flows',
        'Pipelines',
        'Experiments',
        'Model registry',
        'Endpoints',
        'Feature Store',
        'Running resources'
      ]);
      for (const id of ['model-registry', 'endpoints']) {
        await expect(
          sagemaker.panel.locator(SELECTORS.sectionTitle(id))
        ).toHaveAttribute('aria-expanded', 'true');
      }
      for (const id of Object.keys(SECTIONS).filter(
        id => id !== 'model-registry'
      )) {
        await expect(
          sagemaker.panel.locator(SELECTORS.sectionTitle(id))
        ).toHaveAttribute('aria-expanded', 'false');
        await sagemaker.expandSection(id);
      }
    });

    await test.step('the model registry lists the demo model groups', async () => {
      await sagemaker.refreshSectionUntil(
        'model-registry',
        async () => {
          for (const name of DEMO_MODEL_GROUPS) {
            await expect(
              sagemaker.sectionRow('model-registry', name)
            ).toBeVisible({ timeout: 1_000 });
          }
        },
        DEMO_CREATION_TIMEOUT
      );
      // Sorted by name by default.
      const names = await sagemaker.sectionNames('model-registry');
      expect(names).toEqual([...names].sort());
    });

    await test.step('the experiments section counts the demo experiments', async () => {
      await sagemaker.refreshSectionUntil(
        'experiments',
        async () => {
          const text = await sagemaker
            .section('experiments')
            .locator(SELECTORS.sectionCount)
            .innerText({ timeout: 1_000 });
          const count = Number(/^(\d+) experiments?/.exec(text)?.[1] ?? -1);
          expect(count).toBeGreaterThanOrEqual(DEMO_EXPERIMENTS);
        },
        60_000
      );
      // A count and nothing more: no rows, no search.
      await expect(
        sagemaker.section('experiments').locator(SELECTORS.sectionRow)
      ).toHaveCount(0);
    });

    await test.step('pipelines, projects and feature groups load without error', async () => {
      for (const id of ['pipelines', 'projects', 'feature-store']) {
        const section = sagemaker.section(id);
        await expect(section.locator(SELECTORS.sectionCount)).toBeVisible({
          timeout: 30_000
        });
        await expect(section.locator(SELECTORS.sectionError)).toHaveCount(0);
        const rows = await section.locator(SELECTORS.sectionRow).count();
        if (rows === 0) {
          // An empty section says what to do instead of showing nothing.
          await expect(section.locator(SELECTORS.sectionEmpty)).toContainText(
            'then refresh'
          );
        } else {
          await expect(section.locator(SELECTORS.sectionCount)).toHaveText(
            new RegExp(`^${rows} `)
          );
        }
      }
    });

    await test.step('search narrows the model registry to matching rows', async () => {
      const section = sagemaker.section('model-registry');
      const listed = page.waitForResponse(
        response =>
          response.request().headers()['x-amz-target'] ===
            'SageMaker.ListModelPackageGroups' &&
          (response.request().postData() ?? '').includes('"NameContains"')
      );
      await section.locator(SELECTORS.sectionSearch).fill('diabetes');
      // The loaded rows are filtered at once…
      await expect(section.locator(SELECTORS.sectionRow)).toHaveCount(1);
      await expect(
        sagemaker.sectionRow('model-registry', 'diabetes-regression-models')
      ).toBeVisible();
      // …and the server is asked with NameContains after a pause in typing.
      expect((await listed).status()).toBe(200);
      await expect(section.locator(SELECTORS.sectionRow)).toHaveCount(1);
      await section.locator(SELECTORS.sectionSearch).fill('no-such-group');
      await expect(section.locator(SELECTORS.sectionEmpty)).toContainText(
        'no-such-group'
      );
      await section.locator(SELECTORS.sectionSearch).fill('');
      await expect(async () => {
        for (const name of DEMO_MODEL_GROUPS) {
          await expect(
            sagemaker.sectionRow('model-registry', name)
          ).toBeVisible({ timeout: 1_000 });
        }
      }).toPass({ timeout: 15_000 });
    });

    await test.step('sorting newest first reverses creation order', async () => {
      const section = sagemaker.section('model-registry');
      await section.locator(SELECTORS.sectionSort).selectOption('created-asc');
      const oldestFirst = await sagemaker.sectionNames('model-registry');
      await section.locator(SELECTORS.sectionSort).selectOption('created-desc');
      await expect
        .poll(() => sagemaker.sectionNames('model-registry'))
        .toEqual([...oldestFirst].reverse());
    });

    await test.step('keep a screenshot', async () => {
      await page.sidebar.setWidth(360, 'left');
      await sagemaker.saveScreenshot(testInfo, 'sagemaker-registry-sections');
    });
  });
});
