/**
 * Wiring of Model Monitor: the command opening an endpoint's dashboard (asking for the endpoint when none is given),
 * one main-area tab per endpoint (restored after a reload), and the settings. The AWS calls, the model, the views
 * and the picker load with `import()` when the command first runs, not at start-up.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  MainAreaWidget,
  WidgetTracker
} from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { TRANSLATION_DOMAIN } from '../i18n';
import { IAwsConnection } from '../tokens';
import type { MonitorView } from './MonitorView';
import type { IMonitorSettings } from './open';

/** Command ids of Model Monitor. */
export namespace CommandIDs {
  /** Open (or activate) the dashboard of an endpoint (argument `endpointName`; asks when absent). */
  export const open = 'sagemaker-studio:open-model-monitor';
}

/** The Model Monitor dashboards. */
export const monitorPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-sagemaker-studio:monitor',
  description:
    'A Model Monitor dashboard per endpoint: schedules, executions, violations and feature drift.',
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
    const settings: IMonitorSettings = {
      maxReportMegabytes: 20,
      maxExecutions: 100,
      driftExecutions: 20,
      autoRefreshSeconds: 0
    };
    let loading: Promise<{
      lazy: typeof import('./lazy');
      api: import('./api').AwsMonitorApi;
    }> | null = null;
    const load = () =>
      (loading ??= import('./lazy').then(lazy => ({
        lazy,
        api: lazy.AwsMonitorApi.fromConnection(connection, trans)
      })));
    const tracker = new WidgetTracker<MainAreaWidget<MonitorView>>({
      namespace: 'sagemaker-studio-model-monitor'
    });
    const nameOf = (w: MainAreaWidget<MonitorView>) =>
      w.content.model.endpointName;

    app.commands.addCommand(CommandIDs.open, {
      label: args =>
        args.endpointName
          ? trans.__('Open Model Monitor of %1', String(args.endpointName))
          : trans.__('Open Model Monitor…'),
      execute: async args => {
        const { lazy, api } = await load();
        const name =
          typeof args.endpointName === 'string' && args.endpointName
            ? args.endpointName
            : await lazy.pickEndpoint(api, connection, trans);
        if (!name) {
          return;
        }
        let widget = tracker.find(w => nameOf(w) === name);
        if (!widget) {
          widget = lazy.createDashboard({
            endpointName: name,
            api,
            connection,
            trans,
            settings
          });
          app.shell.add(widget, 'main');
          void tracker.add(widget);
        }
        app.shell.activateById(widget.id);
        return widget;
      }
    });
    void restorer?.restore(tracker, {
      command: CommandIDs.open,
      args: w => ({ endpointName: nameOf(w) }),
      name: nameOf
    });
    palette?.addItem({
      command: CommandIDs.open,
      category: trans.__('SageMaker')
    });

    // After a region or profile switch, open dashboards show what the new region has.
    const keyOf = (s: IAwsConnection.IState | null) =>
      s ? `${s.mode}/${s.region}/${s.profile}` : '';
    let key = connection.state ? keyOf(connection.state) : null;
    connection.changed.connect(() => {
      const next = keyOf(connection.state);
      if (key !== null && next !== key) {
        tracker.forEach(w => void w.content.model.refresh());
      }
      key = next;
    });

    void settingRegistry
      ?.load(monitorPlugin.id)
      .then(loaded => {
        const apply = () => {
          for (const name of Object.keys(settings)) {
            (settings as any)[name] = loaded.get(name).composite as number;
          }
          tracker.forEach(w => {
            w.content.model.autoRefreshSeconds = settings.autoRefreshSeconds;
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
};
