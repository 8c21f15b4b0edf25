/**
 * Playwright configuration of the benchmarks (not part of the Galata test run: `jlpm playwright test` uses
 * ../playwright.config.js, whose default testMatch never matches `*.bench.ts`).
 *
 *   cd ui-tests && jlpm playwright test -c bench/playwright.bench.config.js
 *
 * The server's data directory is seeded with 10,000 model package versions in one group before JupyterLab starts
 * (bench/seed_model_packages.py). Set SAGEMAKER_STUDIO_UI_TESTS_DATA_DIR to an already seeded directory to skip
 * most of that (the script only tops the group up).
 */
const path = require('path');

const base = require('../playwright.config.js');

const seed = path.resolve(
  __dirname,
  '..',
  '..',
  'bench',
  'seed_model_packages.py'
);

// The test configuration may start several servers (the read-only one too); the benchmark needs the main one.
const mainServer = Array.isArray(base.webServer)
  ? base.webServer[0]
  : base.webServer;

module.exports = {
  ...base,
  projects: undefined,
  testDir: __dirname,
  testMatch: '**/modelPackages.bench.ts',
  reporter: [['list']],
  retries: 0,
  outputDir: path.resolve(__dirname, '..', 'test-results', 'bench'),
  timeout: 30 * 60 * 1000,
  webServer: {
    ...mainServer,
    command: `python3 "${seed}" --data-dir "${process.env.SAGEMAKER_STUDIO_UI_TESTS_DATA_DIR}" --count 10000 && jlpm start`,
    cwd: path.resolve(__dirname, '..'),
    // Seeding 10,000 versions takes about a minute and a half, the demo content half a minute more.
    timeout: 15 * 60 * 1000
  }
};
