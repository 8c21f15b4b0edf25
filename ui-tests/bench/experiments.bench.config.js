/**
 * Playwright configuration of the experiments benchmark (ui-tests/bench/experiments.bench.ts):
 *
 *   cd ui-tests && jlpm playwright test -c bench/experiments.bench.config.js
 *
 * Before JupyterLab starts, the server's data directory is seeded with an experiment of 1,000 runs × 1,000 steps
 * (bench/seed_experiment_runs.py; about half a minute). Set SAGEMAKER_STUDIO_UI_TESTS_DATA_DIR to an already seeded
 * directory to skip most of that (the script only adds what is missing).
 */
const path = require('path');

const bench = require('./playwright.bench.config.js');

const seed = path.resolve(
  __dirname,
  '..',
  '..',
  'bench',
  'seed_experiment_runs.py'
);

module.exports = {
  ...bench,
  testMatch: '**/experiments.bench.ts',
  webServer: {
    ...bench.webServer,
    command: `python3 "${seed}" --data-dir "${process.env.SAGEMAKER_STUDIO_UI_TESTS_DATA_DIR}" && jlpm start`
  }
};
