/**
 * A reviewer opens a demo model group from the sidebar's Model registry, filters its versions, opens a version
 * awaiting approval, approves it with a comment (after being told that an over-long comment is refused), sees the
 * decision in the version tab and in the group's table at once, and finds it still there after a page reload.
 */
import { expect, test } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';

import { SageMakerHelper } from './helpers/SageMakerHelper';

/** The demo group reviewed here (jupyterlab_sagemaker_studio/demo). */
const GROUP = 'breast-cancer-gbm-models';

/** How long the demo content may take at the server's first start (it trains models). */
const DEMO_CREATION_TIMEOUT = 180_000;

/** Selectors of the model registry tabs. */
const REGISTRY = {
  groupTab: (name: string) =>
    `.jp-SageMakerDetail[data-kind="model-package-group"][data-name="${name}"]`,
  packageTab: '.jp-SageMakerDetail[data-kind="model-package"]',
  row: '.jp-SageMakerModelRegistry-row',
  rowWith: (approval: string) =>
    `.jp-SageMakerModelRegistry-row[data-approval="${approval}"]`,
  openVersion: '.jp-SageMakerModelRegistry-open',
  filter: '[data-testid="sagemaker-studio-versions-filter"]',
  count: '[data-testid="sagemaker-studio-versions-count"]',
  approvalStatus: '[data-testid="sagemaker-studio-approval-status"]',
  approvalDescription: '[data-testid="sagemaker-studio-approval-description"]',
  approvalError: '[data-testid="sagemaker-studio-approval-error"]',
  action: (status: string) =>
    `.jp-SageMakerModelRegistry-actions button[data-action="${status}"]`,
  dialog: '.jp-Dialog',
  commentInput: '.jp-Dialog input[name="approval-comment"]',
  commentProblem: '.jp-Dialog .jp-SageMakerModelRegistry-commentProblem'
};

/** The main-area tab whose label is exactly `label`, to bring its widget to the front. */
function tabTitle(page: Page, label: string): Locator {
  return page.locator('#jp-main-dock-panel .lm-TabBar-tab').filter({
    has: page.locator('.lm-TabBar-tabLabel', {
      hasText: new RegExp(`^${label}$`)
    })
  });
}

/** Open the group's tab from its row in the sidebar section. */
async function openGroupFromSidebar(
  sagemaker: SageMakerHelper
): Promise<Locator> {
  const sidebarTab = sagemaker.page.locator(
    '.jp-SideBar .lm-TabBar-tab[data-id="sagemaker-studio-registry"]'
  );
  await expect(sidebarTab).toBeVisible();
  if ((await sidebarTab.getAttribute('aria-selected')) !== 'true') {
    await sidebarTab.click();
  }
  await expect(sagemaker.panel).toBeVisible();
  await sagemaker.expandSection('model-registry');
  await sagemaker.refreshSectionUntil(
    'model-registry',
    async () => {
      await expect(sagemaker.sectionRow('model-registry', GROUP)).toBeVisible({
        timeout: 1_000
      });
    },
    DEMO_CREATION_TIMEOUT
  );
  await sagemaker
    .sectionRow('model-registry', GROUP)
    .locator('.jp-SageMakerRegistry-rowOpen')
    .click();
  const tab = sagemaker.page.locator(REGISTRY.groupTab(GROUP));
  await expect(tab).toBeVisible();
  return tab;
}

test.describe('Model registry tabs in local mode', () => {
  test('approve a pending version with a comment; it shows everywhere and survives a reload', async ({
    page
  }) => {
    test.setTimeout(DEMO_CREATION_TIMEOUT + 120_000);
    const sagemaker = new SageMakerHelper(page);
    let group!: Locator;
    let version = '';

    await test.step('open the demo group from the Model registry section', async () => {
      group = await openGroupFromSidebar(sagemaker);
      await expect(group.locator('[data-testid="group-info"]')).toContainText(
        GROUP
      );
    });

    await test.step('its versions are listed, one of them awaiting approval', async () => {
      // The demo reviews its versions in the background: refresh until a pending one is there.
      await expect(async () => {
        await group
          .locator('.jp-Toolbar-item[data-jp-item-name="refresh"] button')
          .click();
        await expect(
          group.locator(REGISTRY.rowWith('PendingManualApproval')).first()
        ).toBeVisible({ timeout: 2_000 });
      }).toPass({ timeout: DEMO_CREATION_TIMEOUT });
      expect(await group.locator(REGISTRY.row).count()).toBeGreaterThan(1);
      await expect(group.locator(REGISTRY.count)).toHaveText(/^\d+ versions?/);
    });

    await test.step('the filter narrows the table at each keystroke', async () => {
      const total = await group.locator(REGISTRY.row).count();
      const filter = group.locator(REGISTRY.filter);
      await filter.pressSequentially('rej');
      await expect(
        group.locator(REGISTRY.rowWith('Rejected')).first()
      ).toBeVisible();
      await expect(
        group.locator(`${REGISTRY.row}:not([data-approval="Rejected"])`)
      ).toHaveCount(0);
      await expect(group.locator(REGISTRY.count)).toHaveText(
        new RegExp(`of ${total} loaded versions`)
      );
      await filter.fill('');
      await expect(group.locator(REGISTRY.row)).toHaveCount(total);
    });

    await test.step('open the pending version', async () => {
      const pending = group
        .locator(REGISTRY.rowWith('PendingManualApproval'))
        .first();
      version = (await pending.getAttribute('data-version')) ?? '';
      expect(version).not.toBe('');
      await pending.locator(REGISTRY.openVersion).click();
      const tab = page.locator(REGISTRY.packageTab).filter({ visible: true });
      await expect(tab.locator(REGISTRY.approvalStatus)).toHaveText(
        'Pending approval'
      );
      await expect(tab.locator('[data-testid="overview"]')).toContainText(
        GROUP
      );
    });

    const packageTab = page
      .locator(REGISTRY.packageTab)
      .filter({ visible: true });

    await test.step('an over-long comment is explained and nothing is sent', async () => {
      await packageTab.locator(REGISTRY.action('Approved')).click();
      await page.locator(REGISTRY.commentInput).fill('x'.repeat(1100));
      await expect(page.locator(REGISTRY.commentProblem)).toContainText(
        'at most 1024'
      );
      await page.locator('.jp-Dialog-button.jp-mod-accept').click();
      // The dialog comes back with the text and the reason.
      await expect(page.locator(REGISTRY.commentProblem)).toContainText(
        'The comment has 1100 characters'
      );
      await expect(packageTab.locator(REGISTRY.approvalStatus)).toHaveText(
        'Pending approval'
      );
    });

    const comment = `Approved in the Galata test ${Date.now()}`;
    await test.step('approve with a comment', async () => {
      await page.locator(REGISTRY.commentInput).fill(comment);
      const updated = page.waitForResponse(
        r =>
          r.request().headers()['x-amz-target'] ===
          'SageMaker.UpdateModelPackage'
      );
      await page.locator('.jp-Dialog-button.jp-mod-accept').click();
      expect((await updated).status()).toBe(200);
      await expect(page.locator(REGISTRY.dialog)).toHaveCount(0);
      await expect(packageTab.locator(REGISTRY.approvalStatus)).toHaveText(
        'Approved'
      );
      await expect(packageTab.locator(REGISTRY.approvalDescription)).toHaveText(
        comment
      );
      await expect(packageTab.locator(REGISTRY.approvalError)).toHaveCount(0);
    });

    await test.step('the group table shows the decision at once', async () => {
      await tabTitle(page, GROUP).click();
      await expect(
        group.locator(`${REGISTRY.row}[data-version="${version}"]`)
      ).toHaveAttribute('data-approval', 'Approved');
    });

    await test.step('after a reload, the version is still approved with the comment', async () => {
      // A plain browser reload; the restored tabs replace the launcher galata's reload() waits for.
      await Promise.all([
        page.waitForEvent('load'),
        page.evaluate(() => window.location.reload())
      ]);
      // The tabs open before the reload come back (restored with fresh data).
      await expect(
        page.locator(REGISTRY.packageTab).filter({ visible: true })
      ).toHaveCount(1, { timeout: 60_000 });
      await expect(page.locator('#jupyterlab-splash')).toHaveCount(0);
      const reopened = await openGroupFromSidebar(sagemaker);
      const row = reopened.locator(
        `${REGISTRY.row}[data-version="${version}"]`
      );
      await expect(row).toHaveAttribute('data-approval', 'Approved');
      await row.locator(REGISTRY.openVersion).click();
      const tab = page.locator(REGISTRY.packageTab).filter({ visible: true });
      await expect(tab.locator(REGISTRY.approvalStatus)).toHaveText('Approved');
      await expect(tab.locator(REGISTRY.approvalDescription)).toHaveText(
        comment
      );
    });
  });
});
