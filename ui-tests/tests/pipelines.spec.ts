/**
 * A user opens the demo build pipeline from the sidebar, finds why last night's build failed, starts a build with
 * parameters and watches its steps run, then stops and retries a run — all against the local backend.
 */
import { expect, test } from '@jupyterlab/galata';

import {
  DEMO_CREATION_TIMEOUT,
  PIPELINE_SELECTORS as S,
  PipelineHelper
} from './helpers/PipelineHelper';

const PIPELINE = 'breast-cancer-gbm-build';
/** Steps of the demo build pipeline (jupyterlab_sagemaker_studio/demo/mlops.py), in run order. */
const STEPS = [
  'PreprocessData',
  'TrainModel',
  'EvaluateModel',
  'CheckAccuracy',
  'RegisterModel'
];
/** A step of the local backend takes SAGEMAKER_STUDIO_LOCAL_DELAY (8 s by default); allow for a loaded machine. */
const STEP_TIMEOUT = 30_000;

test.describe('Pipeline tab', () => {
  // On a fresh server the first test waits for the demo content and its executions (tens of seconds).
  test.describe.configure({ timeout: DEMO_CREATION_TIMEOUT + 90_000 });

  test('shows the failed nightly build: the failed step in red with its reason', async ({
    page
  }, testInfo) => {
    const pipelines = new PipelineHelper(page);
    const tab = await pipelines.open(PIPELINE);
    await expect(tab.locator('[data-testid="pipeline-summary"]')).toContainText(
      `pipeline/${PIPELINE}`
    );
    // The demo's executions run at the server's first start; the nightly one fails at EvaluateModel.
    await pipelines.refreshUntil(
      tab,
      async () => {
        await expect(
          pipelines.executionRow(tab, 'nightly-build')
        ).toHaveAttribute('data-status', 'Failed', { timeout: 2_000 });
        await expect(
          pipelines.executionRow(tab, 'initial-build')
        ).toHaveAttribute('data-status', 'Succeeded', { timeout: 2_000 });
      },
      DEMO_CREATION_TIMEOUT
    );

    const run = await pipelines.selectExecution(tab, 'nightly-build');
    await expect(run).toHaveAttribute('data-status', 'Failed');
    for (const [step, status] of [
      ['PreprocessData', 'Succeeded'],
      ['TrainModel', 'Succeeded'],
      ['EvaluateModel', 'Failed'],
      ['CheckAccuracy', 'NotStarted'],
      ['RegisterModel', 'NotStarted'],
      ['AccuracyTooLow', 'NotStarted']
    ]) {
      await expect(pipelines.node(run, step)).toHaveAttribute(
        'data-status',
        status
      );
    }
    // Red is the theme's error colour, green its success colour.
    const failed = await pipelines.nodeColour(
      run,
      'EvaluateModel',
      '--jp-error-color1'
    );
    expect(failed.stroke).toBe(failed.expected);
    const succeeded = await pipelines.nodeColour(
      run,
      'TrainModel',
      '--jp-success-color1'
    );
    expect(succeeded.stroke).toBe(succeeded.expected);
    // Edges as SageMaker derives them: a property reference, the condition's branches.
    await expect(
      run.locator(S.edge('TrainModel', 'EvaluateModel'))
    ).toHaveCount(1);
    await expect(
      run.locator(S.edge('CheckAccuracy', 'RegisterModel'))
    ).toHaveAttribute('data-kind', 'if');
    await expect(
      run.locator(S.edge('CheckAccuracy', 'AccuracyTooLow'))
    ).toHaveAttribute('data-kind', 'else');
    await expect(run.locator(S.legend)).toContainText('Failed');

    // The failed step is shown first, with its failure reason.
    const details = run.locator(S.stepDetails('EvaluateModel'));
    await expect(details).toContainText('Failure reason');
    await expect(details).toContainText(
      'Step EvaluateModel failed on its first attempt'
    );
    // Another step by keyboard: its inputs show parameter references by name.
    await pipelines.node(run, 'TrainModel').focus();
    await page.keyboard.press('Enter');
    const train = run.locator(S.stepDetails('TrainModel'));
    await expect(train).toContainText('Training');
    await expect(train).toContainText('Parameters.TrainingInstanceType');
    await expect(train).toContainText('Succeeded');
    await expect(
      run.locator(S.parameterRow('LocalModeFailSteps'))
    ).toContainText('EvaluateModel');
    // Finished rows show how long they ran.
    await expect(
      pipelines.executionRow(tab, 'nightly-build').locator('td').nth(3)
    ).toHaveText(/^\d+ s$/);
    await testInfo.attach('nightly-build', {
      body: await tab.screenshot(),
      contentType: 'image/png'
    });

    // In the dark theme the colours are the dark theme's.
    await page.theme.setDarkTheme();
    const dark = await pipelines.nodeColour(
      run,
      'EvaluateModel',
      '--jp-error-color1'
    );
    expect(dark.stroke).toBe(dark.expected);
    expect(dark.stroke).not.toBe(failed.stroke);
    await testInfo.attach('nightly-build-dark', {
      body: await tab.screenshot(),
      contentType: 'image/png'
    });
    await page.theme.setLightTheme();

    // The initial build ran through the condition's true branch; the condition's outcome is its output.
    const initial = await pipelines.selectExecution(tab, 'initial-build');
    await expect(pipelines.node(initial, 'RegisterModel')).toHaveAttribute(
      'data-status',
      'Succeeded'
    );
    await expect(pipelines.node(initial, 'AccuracyTooLow')).toHaveAttribute(
      'data-status',
      'NotStarted'
    );
    await pipelines.node(initial, 'CheckAccuracy').click();
    const check = initial.locator(S.stepDetails('CheckAccuracy'));
    await expect(check).toContainText('Condition Outcome');
    await expect(check.locator('dd', { hasText: /^True$/ })).toHaveCount(1);
  });

  test('starts an execution with parameters and shows its steps progress', async ({
    page
  }, testInfo) => {
    const pipelines = new PipelineHelper(page);
    const tab = await pipelines.open(PIPELINE);
    await expect(pipelines.executionRow(tab, 'initial-build')).toBeVisible({
      timeout: DEMO_CREATION_TIMEOUT
    });
    pipelines.recordCalls();

    // A word where an Integer is declared: a clear message, and nothing is started.
    let form = await pipelines.openStartDialog(tab);
    await form.locator(S.parameterInput('TrainingInstanceCount')).fill('abc');
    await form.locator('input[name="displayName"]').fill('galata-build');
    await page.locator(S.dialogAccept).click();
    form = page.locator(S.startForm);
    await expect(
      form.locator(S.parameterError('TrainingInstanceCount'))
    ).toHaveText(
      'Parameter “TrainingInstanceCount” is an Integer: “abc” is not a whole number.'
    );
    await expect(form.locator(S.formError)).toContainText(
      'nothing was started'
    );
    expect(pipelines.calls).not.toContain('StartPipelineExecution');
    // The values typed are kept; correct the wrong one.
    await expect(form.locator('input[name="displayName"]')).toHaveValue(
      'galata-build'
    );
    // The field to correct has the focus (waiting for it also lets the dialog settle before typing).
    await expect(
      form.locator(S.parameterInput('TrainingInstanceCount'))
    ).toBeFocused();
    await form.locator(S.parameterInput('TrainingInstanceCount')).fill('2');
    await page.locator(S.dialogAccept).click();
    await expect(page.locator(S.startForm)).toHaveCount(0);

    const row = pipelines.executionRow(tab, 'galata-build');
    await expect(row).toHaveAttribute('aria-selected', 'true');
    expect(
      pipelines.calls.filter(c => c === 'StartPipelineExecution')
    ).toHaveLength(1);
    const arn = await row.getAttribute('data-arn');
    const run = tab.locator(`${S.execution}[data-arn="${arn}"]`);
    await expect(run).toHaveAttribute('data-status', 'Executing');
    await expect(
      run.locator(S.parameterRow('TrainingInstanceCount'))
    ).toContainText('2');

    // The first step runs, then succeeds and the next one starts: the tab polls, the page is not reloaded.
    const loads = await page.evaluate(
      () => performance.getEntriesByType('navigation').length
    );
    const first = pipelines.node(run, STEPS[0]);
    await expect(first).toHaveAttribute(
      'data-status',
      /^(Starting|Executing)$/
    );
    await expect(pipelines.node(run, STEPS[1])).toHaveAttribute(
      'data-status',
      'NotStarted'
    );
    await expect(first).toHaveAttribute('data-status', 'Succeeded', {
      timeout: STEP_TIMEOUT
    });
    await expect(pipelines.node(run, STEPS[1])).toHaveAttribute(
      'data-status',
      /^(Starting|Executing|Succeeded)$/,
      { timeout: STEP_TIMEOUT }
    );
    await expect(pipelines.node(run, STEPS[1])).toHaveAttribute(
      'data-status',
      'Succeeded',
      {
        timeout: STEP_TIMEOUT
      }
    );
    expect(
      pipelines.calls.filter(c => c === 'ListPipelineExecutionSteps').length
    ).toBeGreaterThan(2);
    expect(
      await page.evaluate(
        () => performance.getEntriesByType('navigation').length
      )
    ).toBe(loads);
    await testInfo.attach('running-build', {
      body: await tab.screenshot(),
      contentType: 'image/png'
    });
  });

  test('stops a running execution after confirmation, then retries it', async ({
    page
  }) => {
    const pipelines = new PipelineHelper(page);
    const tab = await pipelines.open(PIPELINE);
    await expect(pipelines.executionRow(tab, 'initial-build')).toBeVisible({
      timeout: DEMO_CREATION_TIMEOUT
    });
    const form = await pipelines.openStartDialog(tab);
    await form.locator('input[name="displayName"]').fill('galata-stopped');
    await page.locator(S.dialogAccept).click();
    const row = pipelines.executionRow(tab, 'galata-stopped');
    await expect(row).toHaveAttribute('aria-selected', 'true');
    const arn = await row.getAttribute('data-arn');
    const run = tab.locator(`${S.execution}[data-arn="${arn}"]`);

    // Cancelling the confirmation keeps it running.
    await run.locator(S.stopButton).click();
    await page.locator('.jp-Dialog .jp-Dialog-button.jp-mod-reject').click();
    await expect(run).toHaveAttribute('data-status', 'Executing');

    await run.locator(S.stopButton).click();
    await expect(page.locator('.jp-Dialog')).toContainText('galata-stopped');
    await page.locator(S.dialogWarn).click();
    await expect(run).toHaveAttribute('data-status', /^(Stopping|Stopped)$/);
    await expect(run).toHaveAttribute('data-status', 'Stopped', {
      timeout: STEP_TIMEOUT
    });
    await expect(row).toHaveAttribute('data-status', 'Stopped');
    // The step that was running when the stop came is Stopped; the ones after it never started.
    const stopped = run.locator(
      '.jp-SageMakerPipeline-node[data-status="Stopped"]'
    );
    await expect(stopped).toHaveCount(1);
    const step = (await stopped.getAttribute('data-step'))!;
    await expect(pipelines.node(run, 'RegisterModel')).toHaveAttribute(
      'data-status',
      'NotStarted'
    );

    // Retry runs the stopped step again.
    await run.locator(S.retryButton).click();
    await expect(run).toHaveAttribute('data-status', 'Executing');
    await expect(pipelines.node(run, step)).toHaveAttribute(
      'data-status',
      /^(Starting|Executing)$/
    );
    await expect(pipelines.node(run, step)).toHaveAttribute(
      'data-status',
      'Succeeded',
      {
        timeout: STEP_TIMEOUT
      }
    );
  });
});
