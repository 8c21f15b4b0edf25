/**
 * Benchmark of the JumpStart sidebar on the full local catalog (1,079 models, ~1,400 manifest entries, served by the
 * local backend's `jumpstart-cache-prod-<region>` bucket), in Chromium:
 *
 * (a) first paint from cache: in a freshly loaded JupyterLab whose catalog was read before (the manifest is kept
 *     in the state database), from activating the JumpStart tab to the first frame painted with model rows. The
 *     panel's code is loaded with `import()` on that first activation, so it is included. Each open is checked to
 *     be painted before any new `models_manifest.json` response arrived (the background refresh). Target ≤ 300 ms.
 * (b) search: each keystroke in the search box. Two figures: from its input event to the list updated and laid out
 *     (a bubbling listener on window runs after React's handler committed the new rows; it forces style and
 *     layout), which is the work a keystroke costs and is compared with the target ≤ 10 ms; and from the input
 *     event to the next paint, which adds the wait for the next frame (up to one frame, 16.7 ms at 60 Hz).
 * (c) the fine-tunable filter: time to read every model's spec file (no target; reported).
 *
 * "Painted" is a task queued from the requestAnimationFrame callback of the frame that follows the change: it runs
 * once that frame's style, layout and paint are done. Figures are printed (median, p95, max and the ratio to the
 * target) and attached to the report; the test fails only if the catalog never shows.
 *
 *   cd ui-tests && jlpm playwright test -c bench/jumpstart.bench.config.js
 */
import { expect, test } from '@jupyterlab/galata';
import * as os from 'os';

import { report } from './figures';

const PANEL_ID = 'sagemaker-studio-jumpstart';
const ROW = '[data-testid="sagemaker-studio-jumpstart-row"]';
const SEARCH = '[data-testid="sagemaker-studio-jumpstart-search"]';
const RELOADS = 8;
const TARGET_FIRST_PAINT_MS = 300;
const TARGET_KEYSTROKE_MS = 10;

/** In-page probes: manifest response arrivals, and "after next paint" keystroke timings. */
function installProbes(): void {
  const w = window as any;
  w.__bench = {
    manifestArrived: [] as number[],
    keystrokes: [] as number[],
    laidOut: [] as number[]
  };
  const afterNextPaint = (done: (t: number) => void) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => done(performance.now());
      channel.port2.postMessage(null);
    });
  w.__benchAfterNextPaint = afterNextPaint;
  // The S3 client's requests go through ServerConnection.makeRequest, which calls the server settings' fetch.
  const settings = w.jupyterapp.serviceManager.serverSettings;
  const fetch0 = settings.fetch;
  settings.fetch = async (request: Request, init?: RequestInit) => {
    const response = await fetch0.call(null, request, init);
    if (String(request.url ?? request).includes('models_manifest.json')) {
      w.__bench.manifestArrived.push(performance.now());
    }
    return response;
  };
  document.addEventListener(
    'input',
    event => {
      const target = event.target as HTMLElement | null;
      if (target?.dataset.testid !== 'sagemaker-studio-jumpstart-search') {
        return;
      }
      const start = event.timeStamp;
      afterNextPaint(t => w.__bench.keystrokes.push(t - start));
    },
    true
  );
  // React handles the event at its root container; a bubbling listener on window runs after it has committed.
  window.addEventListener('input', event => {
    const target = event.target as HTMLElement | null;
    if (target?.dataset.testid !== 'sagemaker-studio-jumpstart-search') {
      return;
    }
    document.body.getBoundingClientRect();
    w.__bench.laidOut.push(performance.now() - event.timeStamp);
  });
}

/** Activate the JumpStart tab; resolves with the time to the first painted rows and whether the manifest had arrived. */
function openAndTime(args: {
  panelId: string;
  row: string;
}): Promise<{ ms: number; manifestBefore: boolean }> {
  const w = window as any;
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const done = (t: number) =>
      resolve({
        ms: t - start,
        manifestBefore: w.__bench.manifestArrived.some((a: number) => a < t)
      });
    if (document.querySelector(args.row)) {
      reject(new Error('The catalog rows were already shown.'));
      return;
    }
    const observer = new MutationObserver(() => {
      if (document.querySelector(args.row)) {
        observer.disconnect();
        w.__benchAfterNextPaint(done);
      }
    });
    observer.observe(document.body, { childList: true, subtree: true });
    w.jupyterapp.shell.activateById(args.panelId);
  });
}

/** Reload JupyterLab with the file browser (not JumpStart) as the restored left panel. */
async function reloadWithoutJumpStart(page: any): Promise<void> {
  await page.evaluate(() =>
    (window as any).jupyterapp.shell.activateById('filebrowser')
  );
  // The workspace (left-area layout and the state database) is saved shortly after a change.
  await page.waitForTimeout(2_000);
  await page.evaluate(() => window.location.reload());
  await page.waitForFunction(
    () =>
      !!(window as any).jupyterapp?.started &&
      !document.querySelector('#jupyterlab-splash')
  );
  await page.waitForFunction(() =>
    document.querySelector('.jp-SideBar [data-id="sagemaker-studio-jumpstart"]')
  );
  await page.waitForTimeout(1_000);
}

test('JumpStart catalog of 1,000+ models: first paint from cache and per-keystroke search', async ({
  page
}, testInfo) => {
  // Read the catalog once so that it is in the state database.
  await page.sidebar.openTab(PANEL_ID);
  await expect(page.locator(ROW).first()).toBeVisible({ timeout: 60_000 });
  const total = await page
    .locator('[data-testid="sagemaker-studio-jumpstart-count"]')
    .textContent();

  const firstPaint: number[] = [];
  let fromCache = 0;
  for (let i = 0; i < RELOADS; i++) {
    await reloadWithoutJumpStart(page);
    await page.evaluate(installProbes);
    const { ms, manifestBefore } = await page.evaluate(openAndTime, {
      panelId: PANEL_ID,
      row: ROW
    });
    firstPaint.push(ms);
    if (!manifestBefore) {
      fromCache++;
    }
  }

  // (b) Keystrokes with the whole catalog shown.
  const search = page.locator(SEARCH);
  const words = ['llama', 'huggingface text', 'mobilenet', 'xgboost'];
  for (const word of words) {
    await search.fill('');
    await page.waitForTimeout(200);
    await search.pressSequentially(word, { delay: 120 });
    await page.waitForTimeout(200);
  }
  await search.fill('');
  const { keystrokes, laidOut } = await page.evaluate(() => ({
    keystrokes: ((window as any).__bench.keystrokes as number[]).slice(),
    laidOut: ((window as any).__bench.laidOut as number[]).slice()
  }));
  // fill('') fires an input event too: the first of each word's events is the clear.
  const onlyTyped = (all: number[]) => {
    const typed: number[] = [];
    let index = 0;
    for (const word of words) {
      index += 1;
      typed.push(...all.slice(index, index + word.length));
      index += word.length;
    }
    return typed;
  };
  const typed = onlyTyped(keystrokes);
  const typedLaidOut = onlyTyped(laidOut);

  // (c) The fine-tunable filter reads every spec once (the manifest does not say which models can be fine-tuned).
  await search.fill('');
  const scanStart = Date.now();
  await page
    .locator('[data-testid="sagemaker-studio-jumpstart-fine-tunable"]')
    .check();
  await expect(
    page.locator('[data-testid="sagemaker-studio-jumpstart-scan"]')
  ).toHaveCount(0, { timeout: 5 * 60 * 1000 });
  const scanSeconds = (Date.now() - scanStart) / 1000;
  const tunable = await page
    .locator('[data-testid="sagemaker-studio-jumpstart-count"]')
    .textContent();

  const lines = [
    `JumpStart catalog of the local backend (${total?.trim()}), Chromium, local mode.`,
    report(
      '(a) activate the tab → first rows painted, catalog from the state database',
      firstPaint,
      TARGET_FIRST_PAINT_MS
    ),
    `    painted before any new manifest response arrived: ${fromCache} of ${RELOADS} opens`,
    report(
      '(b) keystroke input event → list updated and laid out',
      typedLaidOut,
      TARGET_KEYSTROKE_MS
    ),
    report(
      '    keystroke input event → next paint (adds the wait for a frame)',
      typed,
      TARGET_KEYSTROKE_MS
    ),
    `(c) "Fine-tunable only" on the whole catalog: every spec read (6 at a time) in ${scanSeconds.toFixed(1)} s → ${tunable?.trim()}`,
    `    machine load average while measuring: ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`
  ];
  console.log(lines.join('\n'));
  await testInfo.attach('jumpstart-bench.txt', { body: lines.join('\n') });
  expect(firstPaint).toHaveLength(RELOADS);
  expect(typed.length).toBeGreaterThan(0);
});
