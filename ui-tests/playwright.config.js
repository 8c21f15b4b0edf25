/**
 * Playwright configuration: galata's defaults, Debian's Chromium, and a JupyterLab server in local mode on a
 * free port with a fresh data directory (demo content is created at its first start).
 *
 * A second server, read-only (`c.SageMakerStudio.read_only = True`) with its own port and data directory, serves
 * the `readonly` project (`*.readonly.spec.ts`), which checks what users see when the server refuses a change. It
 * is started only when the run can include such a spec.
 */
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

/** A free TCP port on 127.0.0.1 (asked of the OS through Python, which the server needs anyway). */
function freePort() {
  return execFileSync('python3', [
    '-c',
    'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
  ])
    .toString()
    .trim();
}

// Playwright evaluates this file in the runner and again in every worker; workers inherit the runner's
// environment, so the port and data directory are chosen once per run.
process.env.SAGEMAKER_STUDIO_UI_TESTS_PORT ??= freePort();
process.env.SAGEMAKER_STUDIO_UI_TESTS_DATA_DIR ??= fs.mkdtempSync(
  path.join(os.tmpdir(), 'sagemaker-studio-ui-tests-')
);
const port = process.env.SAGEMAKER_STUDIO_UI_TESTS_PORT;
const baseURL = `http://127.0.0.1:${port}`;

/** Specs run against the read-only server. */
const READ_ONLY_SPECS = /\.readonly\.spec\.ts$/;

/**
 * Whether this run may include a read-only spec: no file filter on the command line, or one naming such a spec.
 * Other runs skip the second server (and its demo content) altogether.
 */
function runsReadOnlySpecs() {
  const args = process.argv.slice(2);
  const projectIndex = args.findIndex(
    a => a === '--project' || a.startsWith('--project=')
  );
  if (projectIndex >= 0) {
    const value = args[projectIndex].includes('=')
      ? args[projectIndex].split('=')[1]
      : args[projectIndex + 1];
    return value === 'readonly';
  }
  const filters = args.filter(
    (a, i) =>
      !a.startsWith('-') &&
      !(args[i - 1] || '').match(
        /^(-g|-c|-j|--(grep|grep-invert|config|reporter|workers|retries|timeout|output|project))$/
      ) &&
      a !== 'test'
  );
  return filters.length === 0 || filters.some(f => /readonly/.test(f));
}

// Only the runner decides (workers have their own command line); workers inherit its environment.
const isWorker = process.env.TEST_WORKER_INDEX !== undefined;
const readOnly = !isWorker && runsReadOnlySpecs();
if (readOnly) {
  process.env.SAGEMAKER_STUDIO_UI_TESTS_READONLY_PORT ??= freePort();
  process.env.SAGEMAKER_STUDIO_UI_TESTS_READONLY_DATA_DIR ??= fs.mkdtempSync(
    path.join(os.tmpdir(), 'sagemaker-studio-ui-tests-readonly-')
  );
}
const readOnlyURL = `http://127.0.0.1:${process.env.SAGEMAKER_STUDIO_UI_TESTS_READONLY_PORT}`;

/** A JupyterLab server started by Playwright for the run. */
function server(command, url) {
  return {
    command,
    url: `${url}/lab`,
    timeout: 120 * 1000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe'
  };
}

module.exports = {
  ...baseConfig,
  reporter: [[process.env.CI ? 'github' : 'list'], ['html', { open: 'never' }]],
  // One server and one demo account: the specs share them, so they run one after another.
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  outputDir: 'test-results',
  use: {
    ...baseConfig.use,
    baseURL,
    screenshot: 'only-on-failure',
    // Video needs Playwright's own ffmpeg download; screenshots and traces cover failures.
    video: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync'
      ]
    }
  },
  projects: [
    { name: 'local', testIgnore: READ_ONLY_SPECS },
    {
      name: 'readonly',
      testMatch: READ_ONLY_SPECS,
      use: { baseURL: readOnlyURL }
    }
  ],
  webServer: [
    server('jlpm start', baseURL),
    ...(readOnly ? [server('jlpm start:readonly', readOnlyURL)] : [])
  ]
};
