/**
 * The plugins of the SageMaker Studio suite.
 */
import { connectionPlugin } from './connection/plugin';
import { registryPlugin } from './registry/plugin';

export default [connectionPlugin, registryPlugin];
