/**
 * Wiring of the AWS connection: provides {@link IAwsConnection}, the status bar item and the settings command.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStatusBar } from '@jupyterlab/statusbar';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { AwsConnection } from '../aws/connection';
import { TRANSLATION_DOMAIN } from '../i18n';
import { IAwsConnection } from '../tokens';
import { openConnectionSettings } from './ConnectionDialog';
import { ConnectionStatusItem } from './StatusItem';

/** Command ids of the connection feature. */
export namespace CommandIDs {
  /** Open the connection settings dialog. */
  export const openSettings = 'sagemaker-studio:open-connection-settings';
}

/** Provides the AWS connection of the suite and shows it in the status bar. */
export const connectionPlugin: JupyterFrontEndPlugin<IAwsConnection> = {
  id: 'jupyterlab-sagemaker-studio:connection',
  description:
    'The AWS connection (local backend or AWS account) of the SageMaker Studio panels, and its status bar item.',
  autoStart: true,
  provides: IAwsConnection,
  optional: [ITranslator, ISettingRegistry, IStatusBar, ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    translator: ITranslator | null,
    settingRegistry: ISettingRegistry | null,
    statusBar: IStatusBar | null,
    palette: ICommandPalette | null
  ): IAwsConnection => {
    const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
    const connection = new AwsConnection({
      serverSettings: app.serviceManager.serverSettings,
      trans
    });

    app.commands.addCommand(CommandIDs.openSettings, {
      label: trans.__('SageMaker Connection Settings…'),
      caption: trans.__('Show the AWS account and switch region or profile'),
      execute: () => openConnectionSettings(connection, trans)
    });
    palette?.addItem({
      command: CommandIDs.openSettings,
      category: trans.__('SageMaker')
    });

    if (statusBar) {
      const item = new ConnectionStatusItem({
        connection,
        trans,
        onOpen: () => void app.commands.execute(CommandIDs.openSettings)
      });
      statusBar.registerStatusItem(
        'jupyterlab-sagemaker-studio:connection-status',
        { item, align: 'left', rank: 50 }
      );
    }

    if (settingRegistry) {
      void settingRegistry
        .load(connectionPlugin.id)
        .then(settings => {
          const apply = () => {
            connection.retryOptions = {
              maxAttempts: settings.get('maxAttempts').composite as number
            };
          };
          apply();
          settings.changed.connect(apply);
        })
        .catch(reason =>
          console.error('Failed to load SageMaker connection settings.', reason)
        );
    }

    // One small GET at start-up; the SDK itself loads only when a panel makes its first call.
    void connection.refresh();
    return connection;
  }
};
