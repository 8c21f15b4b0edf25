/**
 * The plugins of the SageMaker Studio suite.
 */
import { connectionPlugin } from './connection/plugin';
import { comparePlugin } from './experiments/comparePlugin';
import { experimentsPlugin } from './experiments/plugin';
import { notebookJobsPlugin } from './instances/jobs/plugin';
import { instancesPlugin } from './instances/plugin';
import { jumpstartPlugin } from './jumpstart/plugin';
import { monitorPlugin } from './monitor/plugin';
import { registryPlugin } from './registry/plugin';

export default [
  connectionPlugin,
  registryPlugin,
  experimentsPlugin,
  comparePlugin,
  instancesPlugin,
  notebookJobsPlugin,
  jumpstartPlugin,
  monitorPlugin
];
