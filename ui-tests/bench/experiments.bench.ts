/**
 * Benchmark of run comparisons on an experiment of 1,000 runs × 1,000 steps of one metric (seeded in local mode by
 * bench/seed_experiment_runs.py), in Chromium, for 100 and for 1,000 compared runs:
 *
 * (a) fetch: the API calls (Search, BatchGetMetrics) and the wall time from "Compare" to the last series in hand;
 * (b) first paint: from the last BatchGetMetrics response arriving in the page to the first frame painted with the
 *     line chart drawn; target ≤ 200 ms;
 * (c) hover: each mouse move over the chart, from its event to the next paint; target ≤ 16 ms.
 *
 * The comparison is opened as a saved one is reopened: its run records are searched by name (Search), then the
 * series fetched (BatchGetMetrics); each case starts on a freshly loaded page, so nothing is cached. "Painted" is a task queued from the requestAnimationFrame callback of
 * the frame after the change. Figures are printed (median, p95, max, ratio to target) and attached to the report;
 * the test fails only if the chart never shows.
 */
import { expect, test } from '@jupyterlab/galata';

import { report, stats } from './figures';

const EXPERIMENT = process.env.BENCH_EXPERIMENT ?? 'bench-1000-runs';
const RUNS = Number(process.env.BENCH_RUNS ?? 1000);
const REPEATS = 5;
const HOVER_MOVES = 60;
const TARGET_FIRST_PAINT_MS = 200;
const TARGET_HOVER_MS = 16;

/** In-page probes: API calls seen by the server settings' fetch, and "after next paint" timings. */
function installProbes(): void {
  const w = window as any;
  w.__bench = {
    calls: [] as { op: string; start: number; end: number }[],
    hovers: [] as number[]
  };
  w.__benchAfterNextPaint = (done: (t: number) => void) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => done(performance.now());
      channel.port2.postMessage(null);
    });
  const settings = w.jupyterapp.serviceManager.serverSettings;
  const fetch0 = settings.fetch;
  settings.fetch = async (request: Request, init?: RequestInit) => {
    const start = performance.now();
    const url = typeof request === 'string' ? request : request.url;
    const target = (request as Request).headers?.get?.('x-amz-target');
    const op = target
      ? target.split('.').pop()
      : /\/BatchGetMetrics/.test(url)
        ? 'BatchGetMetrics'
        : null;
    const response = await fetch0.call(null, request, init);
    if (op) {
      // The body is read by the SDK later; the response's arrival is when the data is in the page.
      w.__bench.calls.push({ op, start, end: performance.now() });
    }
    return response;
  };
}

interface ICase {
  searchCalls: number;
  searchMs: number;
  metricsCalls: number;
  fetchMs: number;
  firstPaintMs: number;
  renderMs: number;
  hovers: number[];
}

test('comparison of 100 and 1,000 runs × 1,000 steps: calls, fetch, first paint, hover', async ({
  page: mainPage,
  baseURL
}, testInfo) => {
  test.setTimeout(30 * 60 * 1000);
  const lines: string[] = [
    `Experiment ${EXPERIMENT}: ${RUNS} runs × 1,000 steps of one metric, Chromium, local mode.`
  ];
  for (const count of [100, RUNS]) {
    const cases: ICase[] = [];
    for (let repeat = 0; repeat < REPEATS; repeat++) {
      // A fresh page each time: no cached series, no loaded code, no restored layout (?reset).
      const page = await mainPage.context().newPage();
      await page.goto(`${baseURL}/lab?reset`);
      await page.waitForFunction(
        () =>
          !!(window as any).jupyterapp?.commands?.hasCommand(
            'sagemaker-studio:compare-runs'
          ) && !document.querySelector('#jupyterlab-splash'),
        undefined,
        { timeout: 120_000 }
      );
      await page.evaluate(() => (window as any).jupyterapp.restored);
      await page.waitForTimeout(1000);
      await page.evaluate(installProbes);
      const measured: ICase = await page.evaluate(
        async ({ experiment, count }) => {
          const w = window as any;
          const app = w.jupyterapp;
          const names = Array.from(
            { length: count },
            (_, i) => `${experiment}-run-${String(i + 1).padStart(4, '0')}`
          );
          const drawn = new Promise<number>(resolve => {
            const observer = new PerformanceObserver(list => {
              for (const entry of list.getEntries()) {
                if (entry.name.startsWith('sagemaker-studio:chart-drawn:')) {
                  observer.disconnect();
                  w.__benchAfterNextPaint(resolve);
                }
              }
            });
            observer.observe({ entryTypes: ['mark'] });
          });
          const t1 = performance.now();
          // As a saved comparison reopened: the records are searched by name, then the series fetched.
          await app.commands.execute('sagemaker-studio:compare-runs', {
            experiment,
            runs: names
          });
          const painted = await drawn;
          const searchCalls = w.__bench.calls.filter(
            (c: any) => c.op === 'Search'
          );
          const metrics = w.__bench.calls.filter(
            (c: any) => c.op === 'BatchGetMetrics'
          );
          const lastArrival = Math.max(...metrics.map((c: any) => c.end));
          const dataMark = performance
            .getEntriesByType('mark')
            .filter(m => m.name.startsWith('sagemaker-studio:chart-data:'))
            .pop();
          return {
            searchCalls: searchCalls.length,
            searchMs: Math.max(...searchCalls.map((c: any) => c.end)) - t1,
            metricsCalls: metrics.length,
            fetchMs: lastArrival - t1,
            firstPaintMs: painted - lastArrival,
            renderMs: painted - (dataMark?.startTime ?? lastArrival),
            hovers: []
          };
        },
        { experiment: EXPERIMENT, count }
      );
      // Hover: sweep the mouse across the plot.
      const plot = page
        .locator(
          '.jp-MainAreaWidget:not(.lm-mod-hidden) .jp-SageMakerCompare-plot canvas'
        )
        .first();
      await expect(plot).toBeVisible();
      const box = (await plot.boundingBox())!;
      await page.evaluate(() => {
        const w = window as any;
        w.__bench.hovers = [];
        document.addEventListener(
          'mousemove',
          event => {
            if (
              !(event.target as HTMLElement).closest(
                '.jp-SageMakerCompare-plot'
              )
            ) {
              return;
            }
            const start = event.timeStamp;
            w.__benchAfterNextPaint((t: number) =>
              w.__bench.hovers.push(t - start)
            );
          },
          true
        );
      });
      for (let i = 0; i < HOVER_MOVES; i++) {
        await page.mouse.move(
          box.x + 10 + ((box.width - 20) * i) / HOVER_MOVES,
          box.y + box.height * (0.3 + 0.4 * ((i % 7) / 7))
        );
        await page.waitForTimeout(30);
      }
      measured.hovers = await page.evaluate(() =>
        (window as any).__bench.hovers.slice()
      );
      cases.push(measured);
      await page.evaluate(() =>
        (window as any).jupyterapp.commands.execute('application:close-all')
      );
      await page.close();
    }
    const header = `${count} runs:`;
    const c0 = cases[cases.length - 1];
    lines.push(
      header,
      `  run records: ${c0.searchCalls} Search calls, ${stats(cases.map(c => c.searchMs)).median.toFixed(0)} ms from Compare to the last (median of ${cases.length})`,
      `  series: ${c0.metricsCalls} BatchGetMetrics calls; ` +
        report(
          'Compare → last series in hand',
          cases.map(c => c.fetchMs)
        ),
      '  ' +
        report(
          'last series arrived → first chart painted',
          cases.map(c => c.firstPaintMs),
          TARGET_FIRST_PAINT_MS
        ),
      '  ' +
        report(
          'chart data ready → painted (drawing only)',
          cases.map(c => c.renderMs),
          TARGET_FIRST_PAINT_MS
        ),
      '  ' +
        report(
          'hover: mousemove → next paint',
          cases.flatMap(c => c.hovers),
          TARGET_HOVER_MS
        )
    );
  }
  console.log(lines.join('\n'));
  await testInfo.attach('experiments-bench.txt', { body: lines.join('\n') });
});
