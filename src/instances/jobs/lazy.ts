/**
 * What notebook jobs load on first use (the plugin imports this with `import()`): the model and the views, kept
 * out of JupyterLab's start-up bundle.
 */
import '../../../style/notebookJobs.css';
export { JobItem } from './JobItem';
export { JobsPanel } from './JobsPanel';
export { NotebookJobsModel } from './model';
export { notifyJobEnd, runNotebookJob, stopJob } from './actions';
