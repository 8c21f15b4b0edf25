/**
 * Opening a dashboard, loaded with the rest of the feature on first use (so the plugin stays small at start-up):
 * the endpoint picker and the construction of a dashboard tab.
 */
import {
  Dialog,
  InputDialog,
  MainAreaWidget,
  showDialog
} from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';

import { sageMakerIcon } from '../icons';
import type { IAwsConnection } from '../tokens';
import { MonitorModel } from './model';
import { MonitorView } from './MonitorView';
import type { IMonitorApi } from './types';

/** The dashboard settings (schema/monitor.json). */
export interface IMonitorSettings {
  /** Largest report read, in MB. */
  maxReportMegabytes: number;
  /** Executions listed at most. */
  maxExecutions: number;
  /** Newest completed executions whose reports are read. */
  driftExecutions: number;
  /** Automatic refresh interval; 0 for none. */
  autoRefreshSeconds: number;
}

/** A dashboard tab of an endpoint (not yet added to the shell); its model starts loading. */
export function createDashboard(options: {
  endpointName: string;
  api: IMonitorApi;
  connection: IAwsConnection;
  trans: TranslationBundle;
  settings: IMonitorSettings;
}): MainAreaWidget<MonitorView> {
  const { endpointName, trans, settings, connection } = options;
  const model = new MonitorModel({
    endpointName,
    api: options.api,
    trans,
    describeError: err => connection.describeError(err),
    maxReportBytes: settings.maxReportMegabytes * 1024 * 1024,
    maxExecutions: settings.maxExecutions,
    driftExecutions: settings.driftExecutions
  });
  model.autoRefreshSeconds = settings.autoRefreshSeconds;
  const content = new MonitorView({ model, trans });
  const widget = new MainAreaWidget({ content });
  widget.id = `sagemaker-studio-model-monitor-${endpointName.replace(
    /[^A-Za-z0-9_-]/g,
    '_'
  )}`;
  widget.addClass('jp-SageMakerMonitorPanel');
  widget.title.label = trans.__('Monitor: %1', endpointName);
  widget.title.caption = trans.__('Model Monitor of endpoint %1', endpointName);
  widget.title.icon = sageMakerIcon;
  widget.title.closable = true;
  void model.refresh();
  return widget;
}

/** Ask for one of the endpoints that have monitoring schedules; null when cancelled or there are none. */
export async function pickEndpoint(
  api: IMonitorApi,
  connection: IAwsConnection,
  trans: TranslationBundle
): Promise<string | null> {
  let names: string[];
  try {
    names = Array.from((await api.monitoredEndpoints()).keys()).sort();
  } catch (err) {
    throw new Error(
      trans.__(
        'The monitored endpoints could not be listed: %1',
        connection.describeError(err)
      )
    );
  }
  if (!names.length) {
    await showDialog({
      title: trans.__('No monitored endpoints'),
      body: trans.__(
        'No endpoint of this region has a monitoring schedule. Create one with SageMaker Model Monitor, then try again.'
      ),
      buttons: [Dialog.okButton({ label: trans.__('Close') })]
    });
    return null;
  }
  const result = await InputDialog.getItem({
    title: trans.__('Open Model Monitor'),
    label: trans.__('Endpoint'),
    items: names,
    okLabel: trans.__('Open')
  });
  return result.button.accept ? result.value : null;
}
