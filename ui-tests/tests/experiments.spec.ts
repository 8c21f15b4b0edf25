/**
 * A data scientist browses the demo experiment in the Experiments sidebar, sorts and filters its runs, compares
 * three of them in a line chart and a scatter chart, edits a chart in the right-sidebar property pane, saves the
 * comparison, reopens it, and downloads a chart's data — then runs the example notebook in a real kernel with the
 * SageMaker Python SDK and sees its new run appear. All against the local backend.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';

import { COMPARE_SELECTORS as C, CompareHelper } from './helpers/CompareHelper';
import {
  EXPERIMENTS_SELECTORS as E,
  ExperimentsHelper
} from './helpers/ExperimentsHelper';
import { DEMO_CREATION_TIMEOUT } from './helpers/PipelineHelper';

const EXPERIMENT = 'breast-cancer-gbm';
/** The demo's SDK runs of the experiment (jupyterlab_sagemaker_studio/demo/catalog.py), by learning rate. */
const RUNS = {
  baseline: 'breast-cancer-gbm-baseline',
  slow: 'breast-cancer-gbm-lr-0-05-depth-2',
  fast: 'breast-cancer-gbm-lr-0-3-depth-4'
};
/** The demo's run created by a SageMaker training job (demo/mlops.py). */
const JOB_RUN = 'breast-cancer-gbm-sweep-lr-0-1-depth-5-aws-training-job';

/** The text of a file of the workspace, read through the Contents API. */
async function readText(
  page: IJupyterLabPageFixture,
  path: string
): Promise<string> {
  return page.evaluate(
    async p =>
      (
        await (window as any).jupyterapp.serviceManager.contents.get(p, {
          type: 'file',
          format: 'text',
          content: true
        })
      ).content as string,
    path
  );
}

test.describe('Experiments', () => {
  test.describe.configure({ timeout: DEMO_CREATION_TIMEOUT + 120_000 });

  test('browse, sort, filter, select and compare runs; edit, save, reopen and download a comparison', async ({
    page,
    tmpPath
  }, testInfo) => {
    const experiments = new ExperimentsHelper(page);
    const compare = new CompareHelper(page);
    await experiments.openSidebar();
    await expect(
      experiments.panel.locator(E.experimentRow(EXPERIMENT))
    ).toBeVisible({
      timeout: DEMO_CREATION_TIMEOUT
    });

    // The sidebar's tree: experiment → run groups → runs, with the job's run hidden until "show jobs".
    await experiments.expandExperiment(EXPERIMENT);
    await experiments.expandTrial(`${EXPERIMENT}-tuning-sweep`);
    await expect(
      experiments.panel.locator(E.treeRunRow(RUNS.slow))
    ).toBeVisible();

    const table = await experiments.openExperiment(EXPERIMENT);
    await expect(table.locator(E.tableCount)).toContainText('3 of 3 runs');
    await table.locator(E.tableShowJobs).check();
    // The job's run appears once the demo's sweep job has been created (after the SDK runs).
    await expect(async () => {
      await table.locator(E.tableRefresh).click();
      await expect(table.locator(E.tableCount)).toContainText('4 of 4 runs', {
        timeout: 2_000
      });
    }).toPass({ timeout: DEMO_CREATION_TIMEOUT });
    await expect(table.locator(E.row(JOB_RUN))).toBeVisible();
    await table.locator(E.tableShowJobs).uncheck();
    await expect(table.locator(E.row(JOB_RUN))).toHaveCount(0);

    // Sort by learning rate, both ways.
    await experiments.sortBy('learning_rate', 'ascending');
    expect(await experiments.runNames()).toEqual([
      RUNS.slow,
      RUNS.baseline,
      RUNS.fast
    ]);
    await experiments.sortBy('learning_rate', 'descending');
    expect(await experiments.runNames()).toEqual([
      RUNS.fast,
      RUNS.baseline,
      RUNS.slow
    ]);

    // Filter with a comparison, then clear it.
    await experiments.filter('max_depth>2');
    expect((await experiments.runNames()).sort()).toEqual(
      [RUNS.baseline, RUNS.fast].sort()
    );
    await experiments.filter('');
    await expect(table.locator(E.tableCount)).toContainText('3 of 3 runs');

    // Select the three runs with a click and a shift-click, and compare them.
    await experiments.selectRun(RUNS.fast);
    await experiments.selectRun(RUNS.slow, { shift: true });
    await expect(table.locator(E.tableCount)).toContainText('3 selected');
    await experiments.compare();

    // A new comparison opens with a line chart of the most widely logged metric, drawn.
    await expect(compare.view).toBeVisible();
    await expect(compare.view.locator(C.status)).toContainText(
      '3 runs compared'
    );
    await expect(compare.cards).toHaveCount(1);
    await compare.waitForDrawn(0);
    const title = await compare.cards.nth(0).locator(C.cardTitle).innerText();
    expect(title).toMatch(/ by step$/);

    // Hover shows the runs' values.
    const canvas = compare.cards.nth(0).locator(`${C.plot} canvas`).first();
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await expect(
      compare.cards
        .nth(0)
        .locator('.jp-SageMakerChart-tooltip:not(.jp-mod-hidden)')
    ).toBeVisible();

    // A scatter chart of a parameter against a metric summary; its x axis changed in the property pane.
    const scatter = await compare.addChart('scatter');
    await compare.waitForDrawn(1);
    await compare.edit(scatter);
    await compare.prop('x').selectOption({ label: 'max_depth' });
    await expect(scatter.locator(C.cardTitle)).toContainText(
      'against max_depth'
    );
    await compare.prop('log').check();
    await compare.waitForDrawn(1);
    // Nonsense in a form field is refused with a sentence and changes nothing.
    await compare.prop('title').fill('Depth vs final loss');
    await compare.prop('title').press('Enter');
    await expect(scatter.locator(C.cardTitle)).toHaveText(
      'Depth vs final loss'
    );

    // A bar chart and a histogram of summaries draw too; removing a chart asks first.
    await compare.addChart('bar');
    await compare.waitForDrawn(2);
    const histogram = await compare.addChart('histogram');
    await compare.waitForDrawn(3);
    await histogram.locator(C.remove).click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('Remove the chart');
    await dialog.locator('.jp-mod-warn').click();
    await expect(compare.cards).toHaveCount(3);

    // Download the line chart's data.
    const csv = await compare.downloadCsv(compare.cards.nth(0));
    expect(csv.name).toMatch(/\.csv$/);
    const [header, ...rows] = csv.text.trim().split(/\r?\n/);
    expect(header).toBe('run,x,y');
    expect(rows.length).toBeGreaterThan(30);
    expect(new Set(rows.map(r => r.split(',')[0])).size).toBe(3);
    const png = await compare.downloadPng(compare.cards.nth(0));
    expect(png.bytes.subarray(1, 4).toString()).toBe('PNG');
    fs.writeFileSync(testInfo.outputPath('line-chart.png'), png.bytes);

    await page.screenshot({ path: testInfo.outputPath('comparison.png') });

    // Save, close and reopen: the same runs and charts.
    await page.keyboard.press('Control+s');
    const tab = page.locator(
      '.lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current'
    );
    await expect(tab).not.toHaveClass(/jp-mod-dirty/);
    const fileName = (await tab.innerText()).trim();
    expect(fileName).toBe(`${EXPERIMENT}-comparison.smcompare`);
    // New comparisons are created in the file browser's folder.
    const filePath = await page.evaluate(
      () =>
        (window as any).jupyterapp.shell.currentWidget.context.path as string
    );
    expect(filePath).toBe(`${tmpPath}/${fileName}`);
    await page.activity.closeAll();
    // Reopened as a double-click in the file browser does: the default viewer of *.smcompare files.
    await page.evaluate(
      p =>
        (window as any).jupyterapp.commands.execute('docmanager:open', {
          path: p
        }),
      filePath
    );
    await expect(compare.view).toBeVisible();
    await expect(compare.cards).toHaveCount(3);
    await expect(compare.cards.nth(2)).toHaveAttribute(
      'data-chart-type',
      'bar'
    );
    await expect(compare.cards.nth(1).locator(C.cardTitle)).toHaveText(
      'Depth vs final loss'
    );
    await compare.waitForDrawn(0);
    await compare.waitForDrawn(1);
    const saved = JSON.parse(await readText(page, filePath));
    expect(saved.runs.sort()).toEqual(Object.values(RUNS).sort());
    expect(saved.charts[1]).toMatchObject({
      type: 'scatter',
      x: { kind: 'parameter', name: 'max_depth' },
      logScale: true
    });
  });

  test('a malformed comparison file shows its problem and is left alone', async ({
    page,
    tmpPath
  }) => {
    const compare = new CompareHelper(page);
    const name = 'broken.smcompare';
    const text =
      '{"version": 1, "runs": [], "charts": [{"id": "a", "type": "pie"}]}';
    await page.contents.uploadContent(text, 'text', `${tmpPath}/${name}`);
    await page.filebrowser.open(`${tmpPath}/${name}`);
    await expect(page.locator(C.fileError)).toContainText(
      'chart 1: "type" must be one of'
    );
    expect(await readText(page, `${tmpPath}/${name}`)).toBe(text);
    expect(compare).toBeTruthy();
  });

  test('the example notebook logs a run with the SageMaker Python SDK, and the sidebar shows it', async ({
    page,
    tmpPath
  }) => {
    const hasKernel = await page.evaluate(async () => {
      const specs = (window as any).jupyterapp.serviceManager.kernelspecs;
      await specs.ready;
      return !!specs.specs?.kernelspecs['sagemaker-sdk'];
    });
    test.skip(
      !hasKernel,
      'needs the sagemaker-sdk kernel (scripts/sdk_kernel.sh); scripts/test.sh sets it up'
    );
    const notebook = 'track-experiment.ipynb';
    const source = path.resolve(__dirname, '..', '..', 'examples', notebook);
    await page.contents.uploadFile(source, `${tmpPath}/${notebook}`);
    await page.notebook.openByPath(`${tmpPath}/${notebook}`);
    await page.notebook.activate(notebook);
    await expect(
      page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]')
    ).toHaveCount(1, {
      timeout: 60_000
    });
    await page.notebook.run();
    const errors = page.locator(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]:has-text("Traceback"), .jp-RenderedText[data-mime-type="application/vnd.jupyter.error"]'
    );
    await expect(errors).toHaveCount(0);

    const experiments = new ExperimentsHelper(page);
    await experiments.openSidebar();
    await experiments.panel.locator(E.refresh).click();
    await expect(
      experiments.panel.locator(E.experimentRow('track-experiment-example'))
    ).toBeVisible({
      timeout: 30_000
    });
    const table = await experiments.openExperiment('track-experiment-example');
    await expect(table.locator(E.anyRow).first()).toBeVisible();
    await experiments.selectAllFiltered();
    await experiments.compare();
    const compare = new CompareHelper(page);
    await compare.waitForDrawn(0);
  });
});
