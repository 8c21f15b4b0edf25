// Transforms the ESM-only JavaScript packages that Jest loads from node_modules.
module.exports = require('@jupyterlab/testing/lib/babel-config');
