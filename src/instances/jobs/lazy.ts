/**
 * What notebook jobs load on first use (the plugin imports this with `import()`): the model and the views, kept
 * out of JupyterLab's start-up bundle.
 */
export { JobItem } from './JobItem';
export { JobsPanel } from './JobsPanel';
export { NotebookJobsModel } from './model';
