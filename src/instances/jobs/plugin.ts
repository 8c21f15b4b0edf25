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
  Dialog,
  ICommandPalette,
  IToolbarWidgetRegistry,
  MainAreaWidget,
  Notification,
  showDialog,
  showErrorMessage,
  WidgetTracker
} from '@jupyterlab/apputils';
import type { IDocumentWidget } from '@jupyterlab/docregistry';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { Signal } from '@lumino/signaling';
import { Panel, Widget } from '@lumino/widgets';

import { TRANSLATION_DOMAIN } from '../../i18n';
import { sageMakerIcon } from '../../icons';
import type { PriceTable } from '../../pricing/table';
import { IAwsConnection } from '../../tokens';
import { IMetadataModel, readInstanceChoice } from '../notebookInstance';
import type { JobsPanel } from './JobsPanel';
import type { IJobEntry, NotebookJobsModel } from './model';
import { roleFromIdentity } from './request';
import { getRunner } from './runnerRoute';

/** What this plugin uses of a notebook panel (typed here so the plugin needs no @jupyterlab/notebook import). */
type NotebookPanel = IDocumentWidget<
  Widget & {
    model: IMetadataModel | null;
  }
>;

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
        model.finished.connect((_, entry) => notifyEnd(entry));
        return { views, model };
      }));

    const notifyEnd = (entry: IJobEntry) => {
      const job = entry.job;
      const actions: Notification.IAction[] = [
        {
          label: trans.__('Details'),
          callback: () =>
            void app.commands.execute(CommandIDs.open, { job: job.name })
        }
      ];
      if (entry.savedOutput) {
        const path = entry.savedOutput;
        actions.unshift({
          label: trans.__('Open output'),
          callback: () => void app.commands.execute('docmanager:open', { path })
        });
      }
      const message =
        job.phase === 'Completed'
          ? trans.__('Notebook job %1 completed.', job.name)
          : job.phase === 'Failed'
            ? trans.__(
                'Notebook job %1 failed: %2',
                job.name,
                job.failureReason ?? ''
              )
            : trans.__('Notebook job %1 stopped.', job.name);
      const type =
        job.phase === 'Completed'
          ? 'success'
          : job.phase === 'Failed'
            ? 'error'
            : 'info';
      Notification.emit(message, type, { autoClose: false, actions });
    };

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
        const job = String(args.job ?? '');
        const result = await showDialog({
          title: trans.__('Stop notebook job?'),
          body: trans.__(
            'Stop %1? The notebook stops at the cell it is running and no output notebook is saved.',
            job
          ),
          buttons: [
            Dialog.cancelButton(),
            Dialog.warnButton({ label: trans.__('Stop job') })
          ]
        });
        if (!result.button.accept) {
          return;
        }
        try {
          await (await load()).model.stop(job);
        } catch (err) {
          await showErrorMessage(
            trans.__('Could not stop %1', job),
            describe(err)
          );
        }
      }
    });

    const currentNotebook = (): NotebookPanel | null => {
      const widget = app.shell.currentWidget as NotebookPanel | null;
      return widget && (widget as any).content?.model?.getMetadata
        ? widget
        : null;
    };

    /** The execution role: the setting, or in local mode the local account's role (from STS). */
    const executionRole = async (): Promise<string | null> => {
      if (settings.executionRoleArn) {
        return settings.executionRoleArn;
      }
      if (connection.mode === 'local') {
        return roleFromIdentity((await connection.fetchIdentity()).arn);
      }
      return null;
    };

    const run = async (panel: NotebookPanel): Promise<void> => {
      const context = panel.context;
      const notebook = panel.content.model;
      if (!notebook) {
        return;
      }
      const choice = readInstanceChoice(notebook);
      if (!choice?.image) {
        await app.commands.execute(CommandIDs.chooseInstance);
        return;
      }
      if (context.model.dirty) {
        const result = await showDialog({
          title: trans.__('Save the notebook first'),
          body: trans.__(
            'A job runs the notebook as it is saved on disk, and %1 has unsaved changes.',
            context.path
          ),
          buttons: [
            Dialog.cancelButton(),
            Dialog.okButton({ label: trans.__('Save and run') })
          ]
        });
        if (!result.button.accept) {
          return;
        }
        await context.save();
      }
      let role: string | null;
      try {
        role = await executionRole();
      } catch (err) {
        await showErrorMessage(
          trans.__('Could not start the job'),
          describe(err)
        );
        return;
      }
      if (!role) {
        await showDialog({
          title: trans.__('No execution role'),
          body: trans.__(
            'A notebook job runs as an IAM execution role that SageMaker can assume. Set its ARN in Settings → Settings Editor → SageMaker Studio: Notebook jobs → Execution role ARN (e.g. arn:aws:iam::123456789012:role/SageMakerExecutionRole), then run again.'
          ),
          buttons: [
            Dialog.cancelButton({ label: trans.__('Close') }),
            Dialog.okButton({ label: trans.__('Open settings') })
          ]
        }).then(result => {
          if (result.button.accept) {
            void app.commands.execute('settingeditor:open', {
              query: 'Notebook jobs'
            });
          }
        });
        return;
      }
      try {
        const region = connection.region;
        const account =
          connection.accountId ?? (await connection.fetchIdentity()).account;
        if (!region || !account) {
          throw new Error(trans.__('The region or account is not known yet.'));
        }
        const saved = await contents.get(context.path, {
          type: 'file',
          format: 'text',
          content: true
        });
        const { model } = await load();
        const entry = await model.start({
          notebookPath: context.path,
          notebookText: String(saved.content),
          kernelName:
            (notebook.getMetadata('kernelspec') as any)?.name ??
            context.sessionContext.kernelPreference.name ??
            'python3',
          instanceType: choice.instanceType,
          image: choice.image,
          roleArn: role,
          maxRuntimeSeconds: settings.maxRuntimeSeconds,
          volumeSizeGB: settings.volumeSizeGB,
          region,
          account
        });
        Notification.info(
          trans.__(
            'Notebook job %1 started on %2.',
            entry.job.name,
            choice.instanceType
          ),
          { autoClose: 5000 }
        );
      } catch (err) {
        await showErrorMessage(
          trans.__('Could not run %1 on %2', context.path, choice.instanceType),
          describe(err)
        );
      }
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
