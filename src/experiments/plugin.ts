/**
 * Wiring of the experiments feature: the left-sidebar "Experiments" panel, one main-area run table per opened
 * experiment (restored after a reload), their commands and settings, and a fresh start after a region switch.
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
import { tableRowsIcon, treeViewIcon } from '@jupyterlab/ui-components';

import { TRANSLATION_DOMAIN } from '../i18n';
import { IAwsConnection } from '../tokens';
import { ExperimentsPanel } from './ExperimentsPanel';
import { ExperimentsModel, RunTableModel } from './model';
import { COMPARE_RUNS_COMMAND, RunTableView } from './RunTable';

/** Command ids of the experiments feature. */
export namespace CommandIDs {
  /** Open (or activate) the run table of an experiment (argument `name`). */
  export const openExperiment = 'sagemaker-studio:open-experiment';
  /** Show the Experiments sidebar panel. */
  export const openPanel = 'sagemaker-studio:open-experiments';
  /** Fetch the experiments again. */
  export const refresh = 'sagemaker-studio:refresh-experiments';
  /** Compare runs (implemented by the comparison plugin; arguments `experiment` and `runs`). */
  export const compareRuns = COMPARE_RUNS_COMMAND;
}

/** The settings the feature reads (schema/experiments.json). */
interface ISettings {
  /** Whether runs created by SageMaker jobs show by default. */
  showJobs: boolean;
  /** Runs per Search call. */
  pageSize: number;
  /** Runs a table keeps at most. */
  maxRuns: number;
}

/** The Experiments sidebar and run tables. */
export const experimentsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-sagemaker-studio:experiments',
  description:
    'A left-sidebar "Experiments" panel (experiments, run groups, runs) and a run table per experiment in the main area.',
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
    const settings: ISettings = {
      showJobs: false,
      pageSize: 100,
      maxRuns: 10000
    };

    // The SDK and the calls load on the first fetch, not at start-up.
    const load = () => Promise.all([connection.sagemaker(), import('./api')]);
    const api: ExperimentsModel.IApi = {
      listExperiments: async signal => {
        const [client, calls] = await load();
        return calls.listExperiments(client, { signal });
      },
      listTrials: async (experimentName, signal) => {
        const [client, calls] = await load();
        return calls.listTrials(client, experimentName, { signal });
      },
      searchRuns: async function* (query, signal) {
        const [client, calls] = await load();
        yield* calls.searchRunPages(client, query, {
          signal,
          pageSize: settings.pageSize
        });
      }
    };
    const describeError = (err: unknown) => connection.describeError(err);

    const model = new ExperimentsModel({
      api,
      describeError,
      showJobs: settings.showJobs
    });
    const panel = new ExperimentsPanel({
      model,
      trans,
      onOpen: name =>
        void app.commands.execute(CommandIDs.openExperiment, { name })
    });
    app.shell.add(panel, 'left', { rank: 851 });
    restorer?.add(panel, panel.id);

    const tracker = new WidgetTracker<MainAreaWidget<RunTableView>>({
      namespace: 'sagemaker-studio-experiment'
    });
    const open = (name: string): MainAreaWidget<RunTableView> => {
      const existing = tracker.find(w => w.node.dataset.experiment === name);
      if (existing) {
        app.shell.activateById(existing.id);
        return existing;
      }
      const table = new RunTableModel({
        experimentName: name,
        searchRuns: api.searchRuns,
        describeError,
        showJobs: settings.showJobs,
        maxRuns: settings.maxRuns
      });
      const content = new RunTableView({
        model: table,
        trans,
        commands: app.commands,
        compareCommand: CommandIDs.compareRuns,
        describeError: err =>
          trans.__('The runs could not be compared: %1', describeError(err))
      });
      const widget = new MainAreaWidget({ content });
      widget.id = `sagemaker-studio-experiment-${name.replace(
        /[^A-Za-z0-9_-]/g,
        '_'
      )}`;
      widget.node.dataset.experiment = name;
      widget.addClass('jp-SageMakerRunTablePanel');
      widget.title.label = name;
      widget.title.caption = trans.__('Runs of experiment %1', name);
      widget.title.icon = tableRowsIcon;
      widget.title.closable = true;
      widget.disposed.connect(() => table.dispose());
      app.shell.add(widget, 'main');
      void tracker.add(widget);
      app.shell.activateById(widget.id);
      void table.ensureLoaded();
      return widget;
    };

    app.commands.addCommand(CommandIDs.openExperiment, {
      label: args =>
        args.name
          ? trans.__('Open Runs of %1', String(args.name))
          : trans.__('Open Experiment Runs'),
      caption: trans.__('Open the run table of an experiment'),
      icon: tableRowsIcon,
      execute: args => {
        if (typeof args.name !== 'string' || !args.name) {
          throw new Error(
            trans.__('Cannot open an experiment: its name is needed.')
          );
        }
        return open(args.name);
      }
    });
    void restorer?.restore(tracker, {
      command: CommandIDs.openExperiment,
      args: widget => ({ name: widget.node.dataset.experiment ?? '' }),
      name: widget => widget.node.dataset.experiment ?? ''
    });

    app.commands.addCommand(CommandIDs.openPanel, {
      label: trans.__('Open the Experiments Panel'),
      icon: treeViewIcon,
      execute: () => app.shell.activateById(panel.id)
    });
    app.commands.addCommand(CommandIDs.refresh, {
      label: trans.__('Refresh Experiments'),
      caption: trans.__('Fetch the experiments again'),
      isEnabled: () => !model.isLoading,
      execute: () => model.refresh()
    });
    model.changed.connect(() =>
      app.commands.notifyCommandChanged(CommandIDs.refresh)
    );
    if (palette) {
      const category = trans.__('SageMaker');
      palette.addItem({ command: CommandIDs.openPanel, category });
      palette.addItem({ command: CommandIDs.refresh, category });
    }

    // A region or profile switch makes the tree and every table stale.
    const keyOf = (state: IAwsConnection.IState | null) =>
      state ? `${state.mode}/${state.region}/${state.profile}` : '';
    let connectionKey: string | null = connection.state
      ? keyOf(connection.state)
      : null;
    connection.changed.connect(() => {
      const key = keyOf(connection.state);
      if (key === connectionKey) {
        return;
      }
      const first = connectionKey === null;
      connectionKey = key;
      if (!first) {
        model.reset();
        tracker.forEach(widget => {
          if (widget.content.model.status !== 'idle') {
            void widget.content.model.refresh();
          }
        });
      }
    });

    if (settingRegistry) {
      void settingRegistry
        .load(experimentsPlugin.id)
        .then(loaded => {
          const apply = () => {
            settings.showJobs = loaded.get('showJobs').composite as boolean;
            settings.pageSize = loaded.get('pageSize').composite as number;
            settings.maxRuns = loaded.get('maxRuns').composite as number;
            model.setShowJobs(settings.showJobs);
          };
          apply();
          loaded.changed.connect(apply);
        })
        .catch(reason =>
          console.error(
            'Failed to load SageMaker experiments settings.',
            reason
          )
        );
    }
  }
};
