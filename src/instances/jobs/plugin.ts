/**
 * Wiring of notebook jobs: the kernel-bar item "Run on ml.x" with the job's state (toolbar factory
 * `sagemakerNotebookJob`, placed by `jupyter.lab.toolbars`), the commands, the "Notebook jobs" panel, settings and
 * notifications when a job ends.
 */
import type {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  IToolbarWidgetRegistry,
  MainAreaWidget,
  WidgetTracker
} from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { Signal } from '@lumino/signaling';
import { Panel, Widget } from '@lumino/widgets';

import { TRANSLATION_DOMAIN } from '../../i18n';
import { sageMakerIcon } from '../../icons';
import type { PriceTable } from '../../pricing/table';
import { IAwsConnection } from '../../tokens';
import { readInstanceChoice } from '../notebookInstance';
import type { JobsPanel } from './JobsPanel';
import type { NotebookPanel } from './actions';
import type { NotebookJobsModel } from './model';
import { getRunner } from './runnerRoute';

/** Name of the notebook toolbar item. */
export const JOB_ITEM = 'sagemakerNotebookJob';

/** Command ids of notebook jobs. */
export namespace CommandIDs {
  /** Run the current notebook as a job on its chosen instance type. */
  export const run = 'sagemaker-studio:run-notebook-job';
  /** Open the notebook jobs panel (argument `job`: select that job). */
  export const open = 'sagemaker-studio:open-notebook-jobs';
  /** Stop a job after confirmation (argument `job`). */
  export const stop = 'sagemaker-studio:stop-notebook-job';
  /** The picker's command (instances plugin). */
  export const chooseInstance = 'sagemaker-studio:choose-instance';
}

/** Running notebooks as SageMaker jobs on a chosen instance type. */
export const notebookJobsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-sagemaker-studio:notebook-jobs',
  description:
    'Runs a saved notebook as a SageMaker training job on the instance type chosen in its kernel bar, and follows it: state, time, cost, logs, stop, output notebook.',
  autoStart: true,
  requires: [IAwsConnection, IToolbarWidgetRegistry],
  optional: [ITranslator, ISettingRegistry, ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    connection: IAwsConnection,
    toolbarRegistry: IToolbarWidgetRegistry,
    translator: ITranslator | null,
    settingRegistry: ISettingRegistry | null,
    palette: ICommandPalette | null
  ): void => {
    const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
    const settings = {
      executionRoleArn: '',
      maxRuntimeSeconds: 86400,
      volumeSizeGB: 30,
      refreshSeconds: 5
    };
    const contents = app.serviceManager.contents;
    const describe = (err: unknown) => connection.describeError(err);

    // Costs use the bundled price table's training prices; until it loaded, they show "no price".
    const refreshViews = new Signal<object, void>({});
    let prices: PriceTable | null = null;
    void import('../../pricing/table')
      .then(m => m.PriceTable.load())
      .then(table => {
        prices = table;
        refreshViews.emit();
      })
      .catch(() => undefined);
    const price = (instanceType: string) =>
      prices && connection.region
        ? prices.price(connection.region, 'training', instanceType)
        : null;

    /** The model and views, loaded on first use (a notebook with a chosen instance type, or a command). */
    let loading: Promise<{
      views: typeof import('./lazy');
      model: NotebookJobsModel;
    }> | null = null;
    const load = () =>
      (loading ??= import('./lazy').then(views => {
        const model = new views.NotebookJobsModel({
          service: async () =>
            new (await import('./service')).NotebookJobService(connection),
          runner: () => getRunner(app.serviceManager.serverSettings),
          saveOutput: async (path, text) => {
            await contents.save(path, {
              type: 'notebook',
              format: 'json',
              content: JSON.parse(text)
            });
          },
          describeError: describe,
          pollSeconds: settings.refreshSeconds
        });
        connection.changed.connect(() => void model.refreshList());
        model.finished.connect((_, entry) =>
          views.notifyJobEnd({ app, connection, model, settings, trans }, entry)
        );
        return { views, model };
      }));

    // The panel: one instance, reopened with a job selected.
    const tracker = new WidgetTracker<MainAreaWidget<JobsPanel>>({
      namespace: 'sagemaker-studio-notebook-jobs'
    });
    app.commands.addCommand(CommandIDs.open, {
      label: trans.__('Notebook Jobs'),
      caption: trans.__(
        'SageMaker notebook jobs: state, logs and output notebooks'
      ),
      execute: async args => {
        const { views, model } = await load();
        let widget = tracker.currentWidget;
        if (!widget || widget.isDisposed) {
          const content = new views.JobsPanel({
            model,
            price,
            trans,
            onStop: job => void app.commands.execute(CommandIDs.stop, { job }),
            onOpenFile: path =>
              void app.commands.execute('docmanager:open', { path })
          });
          widget = new MainAreaWidget({ content });
          widget.id = 'sagemaker-studio-notebook-jobs';
          widget.title.label = trans.__('Notebook Jobs');
          widget.title.icon = sageMakerIcon;
          widget.title.closable = true;
          void tracker.add(widget);
          app.shell.add(widget, 'main');
          void model.refreshList();
        }
        if (typeof args.job === 'string') {
          widget.content.selected = args.job;
        }
        app.shell.activateById(widget.id);
      }
    });

    app.commands.addCommand(CommandIDs.stop, {
      label: trans.__('Stop Notebook Job'),
      execute: async args => {
        const { views, model } = await load();
        await views.stopJob(
          { app, connection, model, settings, trans },
          String(args.job ?? '')
        );
      }
    });

    const currentNotebook = (): NotebookPanel | null => {
      const widget = app.shell.currentWidget as NotebookPanel | null;
      return widget && (widget as any).content?.model?.getMetadata
        ? widget
        : null;
    };

    const run = async (panel: NotebookPanel): Promise<void> => {
      const { views, model } = await load();
      await views.runNotebookJob(
        { app, connection, model, settings, trans },
        panel
      );
    };

    app.commands.addCommand(CommandIDs.run, {
      label: args => {
        const panel = currentNotebook();
        const type = panel?.content.model
          ? readInstanceChoice(panel.content.model)?.instanceType
          : null;
        return type
          ? trans.__('Run Notebook on %1', type)
          : trans.__('Run Notebook on a SageMaker Instance');
      },
      isEnabled: () => currentNotebook() !== null,
      execute: async () => {
        const panel = currentNotebook();
        if (panel) {
          await run(panel);
        }
      }
    });

    toolbarRegistry.addFactory<Widget>('Notebook', JOB_ITEM, widget => {
      const panel = widget as NotebookPanel;
      const host = new Panel();
      host.addClass('jp-SageMakerJobItem-host');
      const changed = new Signal<object, void>(panel);
      const instanceType = () =>
        (panel.content.model
          ? readInstanceChoice(panel.content.model)?.instanceType
          : null) ?? null;
      // The item's code loads once the notebook has an instance type (or jobs were loaded for another reason).
      const mount = () => {
        if (host.widgets.length || host.isDisposed) {
          return;
        }
        if (!instanceType() && !loading) {
          return;
        }
        void load().then(({ views, model }) => {
          if (host.widgets.length || host.isDisposed) {
            return;
          }
          host.addWidget(
            new views.JobItem({
              model,
              path: () => panel.context.path,
              instanceType,
              instanceChanged: changed,
              price,
              onRun: () => void run(panel),
              onOpen: job =>
                void app.commands.execute(CommandIDs.open, { job }),
              onStop: job =>
                void app.commands.execute(CommandIDs.stop, { job }),
              trans
            })
          );
        });
      };
      const update = () => {
        mount();
        changed.emit();
      };
      panel.context.pathChanged.connect(update);
      panel.context.ready
        .then(() => {
          panel.content.model?.metadataChanged.connect(update);
          update();
        })
        .catch(() => undefined);
      refreshViews.connect(update, panel);
      return host;
    });

    if (palette) {
      const category = trans.__('SageMaker');
      palette.addItem({ command: CommandIDs.run, category });
      palette.addItem({ command: CommandIDs.open, category });
    }

    if (settingRegistry) {
      void settingRegistry
        .load(notebookJobsPlugin.id)
        .then(loaded => {
          const apply = () => {
            settings.executionRoleArn = String(
              loaded.get('executionRoleArn').composite ?? ''
            ).trim();
            settings.maxRuntimeSeconds = loaded.get('maxRuntimeSeconds')
              .composite as number;
            settings.volumeSizeGB = loaded.get('volumeSizeGB')
              .composite as number;
            settings.refreshSeconds = loaded.get('refreshSeconds')
              .composite as number;
            void loading?.then(({ model }) => {
              model.pollSeconds = settings.refreshSeconds;
            });
          };
          apply();
          loaded.changed.connect(apply);
        })
        .catch(reason =>
          console.warn(
            'SageMaker Studio: notebook job settings not loaded',
            reason
          )
        );
    }
  }
};
