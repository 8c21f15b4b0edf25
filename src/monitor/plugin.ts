/**
 * Wiring of Model Monitor: the command opening an endpoint's dashboard (asking for the endpoint when none is given),
 * one main-area tab per endpoint (restored after a reload), and the settings. The AWS calls, the model and the views
 * load with `import()` when a dashboard first opens, not at start-up.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  Dialog,
  ICommandPalette,
  InputDialog,
  MainAreaWidget,
  showDialog,
  WidgetTracker
} from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { TRANSLATION_DOMAIN } from '../i18n';
import { sageMakerIcon } from '../icons';
import { IAwsConnection } from '../tokens';
import type { MonitorView } from './MonitorView';

/** Command ids of Model Monitor. */
export namespace CommandIDs {
  /** Open (or activate) the dashboard of an endpoint (argument `endpointName`; asks when absent). */
  export const open = 'sagemaker-studio:open-model-monitor';
}

/** The Model Monitor dashboards. */
export const monitorPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-sagemaker-studio:monitor',
  description:
    'A Model Monitor dashboard per endpoint: monitoring schedules, execution history, violations and feature drift against the baseline.',
  autoStart: true,
  requires: [IAwsConnection],
  optional: [ITranslator, ISettingRegistry, ILayoutRestorer, ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    connection: IAwsConnection,
    translator: ITranslator | null,
    settingRegistry: ISettingRegistry | null,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null
  ): void => {
    const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
    const settings = {
      maxReportMegabytes: 20,
      maxExecutions: 100,
      driftExecutions: 20,
      autoRefreshSeconds: 0
    };

    let loading: Promise<{
      views: typeof import('./lazy');
      api: import('./api').AwsMonitorApi;
    }> | null = null;
    const load = () =>
      (loading ??= import('./lazy').then(views => ({
        views,
        api: views.AwsMonitorApi.fromConnection(connection, trans)
      })));

    const tracker = new WidgetTracker<MainAreaWidget<MonitorView>>({
      namespace: 'sagemaker-studio-model-monitor'
    });

    const openDashboard = async (
      endpointName: string
    ): Promise<MainAreaWidget<MonitorView>> => {
      const existing = tracker.find(
        w => w.content.model.endpointName === endpointName
      );
      if (existing) {
        app.shell.activateById(existing.id);
        return existing;
      }
      const { views, api } = await load();
      const model = new views.MonitorModel({
        endpointName,
        api,
        trans,
        describeError: err => connection.describeError(err),
        maxReportBytes: settings.maxReportMegabytes * 1024 * 1024,
        maxExecutions: settings.maxExecutions,
        driftExecutions: settings.driftExecutions
      });
      model.autoRefreshSeconds = settings.autoRefreshSeconds;
      const content = new views.MonitorView({ model, trans });
      const widget = new MainAreaWidget({ content });
      widget.id = `sagemaker-studio-model-monitor-${endpointName.replace(
        /[^A-Za-z0-9_-]/g,
        '_'
      )}`;
      widget.addClass('jp-SageMakerMonitorPanel');
      widget.title.label = trans.__('Monitor: %1', endpointName);
      widget.title.caption = trans.__(
        'Model Monitor of endpoint %1',
        endpointName
      );
      widget.title.icon = sageMakerIcon;
      widget.title.closable = true;
      app.shell.add(widget, 'main');
      void tracker.add(widget);
      app.shell.activateById(widget.id);
      void model.refresh();
      return widget;
    };

    /** Ask for one of the endpoints that have monitoring schedules. */
    const pickEndpoint = async (): Promise<string | null> => {
      const { api } = await load();
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
    };

    app.commands.addCommand(CommandIDs.open, {
      label: args =>
        args.endpointName
          ? trans.__('Open Model Monitor of %1', String(args.endpointName))
          : trans.__('Open Model Monitor…'),
      caption: trans.__(
        'Show the monitoring schedules, executions, violations and drift of an endpoint'
      ),
      icon: args => (args.toolbar ? sageMakerIcon : undefined),
      execute: async args => {
        const name =
          typeof args.endpointName === 'string' && args.endpointName
            ? args.endpointName
            : await pickEndpoint();
        return name ? openDashboard(name) : undefined;
      }
    });
    void restorer?.restore(tracker, {
      command: CommandIDs.open,
      args: widget => ({ endpointName: widget.content.model.endpointName }),
      name: widget => widget.content.model.endpointName
    });
    palette?.addItem({
      command: CommandIDs.open,
      category: trans.__('SageMaker')
    });

    // A region or profile switch: open dashboards show the new region's data (or say the endpoint is not there).
    const keyOf = (s: IAwsConnection.IState | null) =>
      s ? `${s.mode}/${s.region}/${s.profile}` : '';
    let connectionKey = connection.state ? keyOf(connection.state) : null;
    connection.changed.connect(() => {
      const key = keyOf(connection.state);
      if (key === connectionKey) {
        return;
      }
      const first = connectionKey === null;
      connectionKey = key;
      if (!first) {
        tracker.forEach(widget => void widget.content.model.refresh());
      }
    });

    if (settingRegistry) {
      void settingRegistry
        .load(monitorPlugin.id)
        .then(loaded => {
          const apply = () => {
            settings.maxReportMegabytes = loaded.get('maxReportMegabytes')
              .composite as number;
            settings.maxExecutions = loaded.get('maxExecutions')
              .composite as number;
            settings.driftExecutions = loaded.get('driftExecutions')
              .composite as number;
            settings.autoRefreshSeconds = loaded.get('autoRefreshSeconds')
              .composite as number;
            tracker.forEach(widget => {
              widget.content.model.autoRefreshSeconds =
                settings.autoRefreshSeconds;
            });
          };
          apply();
          loaded.changed.connect(apply);
        })
        .catch(reason =>
          console.error(
            'Failed to load SageMaker Model Monitor settings.',
            reason
          )
        );
    }
  }
};
