// Jest set-up of the JupyterLab extension template: @jupyterlab/testing supplies the jsdom environment, the
// fetch shims and the resolver; ESM-only packages in node_modules must be transformed by babel.
const jestJupyterLab = require('@jupyterlab/testing/lib/jest-config');

// The AWS SDK resolves to its browser ESM builds under the jsdom environment, so it is transformed too.
const esModules = [
  '@aws-sdk',
  '@aws-crypto',
  '@smithy',
  '@codemirror',
  '@jupyter/ydoc',
  '@jupyter/react-components',
  '@jupyter/web-components',
  '@jupyterlab/',
  '@microsoft',
  'exenv-es6',
  'lib0',
  'nanoid',
  'vscode-ws-jsonrpc',
  'y-protocols',
  'y-websocket',
  'yjs'
].join('|');

const baseConfig = jestJupyterLab(__dirname);

module.exports = {
  ...baseConfig,
  automock: false,
  collectCoverageFrom: [
    'src/**/*.{ts,tsx}',
    '!src/**/*.d.ts',
    '!src/**/.ipynb_checkpoints/*'
  ],
  coverageReporters: ['lcov', 'text-summary'],
  reporters: ['default'],
  // The built labextension carries a copy of package.json that would clash in jest's module map.
  modulePathIgnorePatterns: ['<rootDir>/jupyterlab_sagemaker_studio/'],
  testRegex: 'src/.*/.*.spec.ts[x]?$',
  transformIgnorePatterns: [`/node_modules/(?!${esModules}).+`]
};
