/**
 * Playwright configuration: galata's defaults, Debian's Chromium, and a JupyterLab server in local mode on a
 * free port with a fresh data directory (demo content is created at its first start).
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
  webServer: {
    command: 'jlpm start',
    url: `${baseURL}/lab`,
    timeout: 120 * 1000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe'
  }
};
