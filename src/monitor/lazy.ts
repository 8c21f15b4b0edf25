/**
 * What Model Monitor loads on first use (the plugin imports this with `import()`): the AWS calls with the SDK
 * commands, the model and the dashboard view, kept out of JupyterLab's start-up bundle.
 */
import '../../style/monitor.css';
export { AwsMonitorApi } from './api';
export { MonitorModel } from './model';
export { MonitorView } from './MonitorView';
export { createDashboard, pickEndpoint } from './open';
