/**
 * The user-facing actions of notebook jobs, loaded on first use: "Run on ml.x" (the checks before a job starts: a
 * chosen instance type and image, a saved notebook, an execution role, each with a dialog saying what to fix), stop
 * with confirmation, and the notification when a job ends.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import {
  Dialog,
  Notification,
  showDialog,
  showErrorMessage
} from '@jupyterlab/apputils';
import type { IDocumentWidget } from '@jupyterlab/docregistry';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { Widget } from '@lumino/widgets';

import type { IAwsConnection } from '../../tokens';
import { IMetadataModel, readInstanceChoice } from '../notebookInstance';
import type { IJobEntry, NotebookJobsModel } from './model';
import { roleFromIdentity } from './request';

/** What notebook jobs use of a notebook panel (typed here so the suite needs no @jupyterlab/notebook import). */
export type NotebookPanel = IDocumentWidget<
  Widget & { model: IMetadataModel | null }
>;

/** The picker's command (instances plugin). */
const CHOOSE_INSTANCE = 'sagemaker-studio:choose-instance';
/** The jobs panel's command (argument `job`). */
const OPEN_JOBS = 'sagemaker-studio:open-notebook-jobs';

/** What a run needs from the plugin. */
export interface IRunContext {
  /** The application (commands, contents). */
  app: JupyterFrontEnd;
  /** The AWS connection. */
  connection: IAwsConnection;
  /** The jobs. */
  model: NotebookJobsModel;
  /** The plugin's settings, read at the time of the run. */
  settings: {
    executionRoleArn: string;
    maxRuntimeSeconds: number;
    volumeSizeGB: number;
  };
  /** Translations. */
  trans: TranslationBundle;
}

/** The execution role: the setting, or in local mode the local account's role (from STS). */
async function executionRole(ctx: IRunContext): Promise<string | null> {
  if (ctx.settings.executionRoleArn) {
    return ctx.settings.executionRoleArn;
  }
  if (ctx.connection.mode === 'local') {
    return roleFromIdentity((await ctx.connection.fetchIdentity()).arn);
  }
  return null;
}

/** Run a notebook as a job on its chosen instance type, asking the user for what is missing. */
export async function runNotebookJob(
  ctx: IRunContext,
  panel: NotebookPanel
): Promise<void> {
  const { app, connection, model, settings, trans } = ctx;
  const describe = (err: unknown) => connection.describeError(err);
  const contents = app.serviceManager.contents;
  const context = panel.context;
  const notebook = panel.content.model;
  if (!notebook) {
    return;
  }
  const choice = readInstanceChoice(notebook);
  if (!choice?.image) {
    await app.commands.execute(CHOOSE_INSTANCE);
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
    role = await executionRole(ctx);
  } catch (err) {
    await showErrorMessage(trans.__('Could not start the job'), describe(err));
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
}

/** Stop a job after the user confirmed. */
export async function stopJob(ctx: IRunContext, job: string): Promise<void> {
  const { trans } = ctx;
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
    await ctx.model.stop(job);
  } catch (err) {
    await showErrorMessage(
      trans.__('Could not stop %1', job),
      ctx.connection.describeError(err)
    );
  }
}

/** A notification when a followed job ended, with "Open output" (when saved) and "Details". */
export function notifyJobEnd(ctx: IRunContext, entry: IJobEntry): void {
  const { app, trans } = ctx;
  const job = entry.job;
  const actions: Notification.IAction[] = [
    {
      label: trans.__('Details'),
      callback: () => void app.commands.execute(OPEN_JOBS, { job: job.name })
    }
  ];
  if (entry.savedOutput) {
    const path = entry.savedOutput;
    actions.unshift({
      label: trans.__('Open output'),
      callback: () => void app.commands.execute('docmanager:open', { path })
    });
  }
  const messages = {
    Completed: trans.__('Notebook job %1 completed.', job.name),
    Failed: trans.__(
      'Notebook job %1 failed: %2',
      job.name,
      job.failureReason ?? ''
    ),
    Stopped: trans.__('Notebook job %1 stopped.', job.name)
  };
  const phase = job.phase as keyof typeof messages;
  const type =
    phase === 'Completed' ? 'success' : phase === 'Failed' ? 'error' : 'info';
  Notification.emit(messages[phase] ?? messages.Stopped, type, {
    autoClose: false,
    actions
  });
}
