/**
 * Playwright configuration of the JumpStart benchmark (ui-tests/bench/jumpstart.bench.ts):
 *
 *   cd ui-tests && jlpm playwright test -c bench/jumpstart.bench.config.js
 *
 * No seeding: the local backend's JumpStart bucket always holds the full catalog.
 */
const bench = require('./playwright.bench.config.js');

module.exports = {
  ...bench,
  testMatch: '**/jumpstart.bench.ts',
  timeout: 10 * 60 * 1000,
  webServer: {
    ...bench.webServer,
    command: 'jlpm start',
    timeout: 5 * 60 * 1000
  }
};
