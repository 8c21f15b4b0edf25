/**
 * Wiring of the registry: the left-sidebar "SageMaker" panel listing endpoints, its commands and settings.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { refreshIcon } from '@jupyterlab/ui-components';

import { TRANSLATION_DOMAIN } from '../i18n';
import { sageMakerIcon } from '../icons';
import { IAwsConnection } from '../tokens';
import { EndpointsModel } from './model';
import { RegistryPanel } from './RegistryPanel';

/** Command ids of the registry. */
export namespace CommandIDs {
  /** Show the SageMaker sidebar panel. */
  export const open = 'sagemaker-studio:open-registry';
  /** Fetch the endpoint list again. */
  export const refreshEndpoints = 'sagemaker-studio:refresh-endpoints';
}

/** The left-sidebar "SageMaker" panel. */
export const registryPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-sagemaker-studio:registry',
  description:
    'A left-sidebar "SageMaker" panel listing the endpoints of the current region.',
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
    const model = new EndpointsModel({ connection });

    app.commands.addCommand(CommandIDs.refreshEndpoints, {
      label: args => (args.toolbar ? '' : trans.__('Refresh Endpoints')),
      caption: trans.__('Fetch the endpoint list again'),
      icon: args => (args.toolbar ? refreshIcon : undefined),
      isEnabled: () => !model.isLoading,
      execute: () => model.refresh()
    });
    model.changed.connect(() =>
      app.commands.notifyCommandChanged(CommandIDs.refreshEndpoints)
    );

    const panel = new RegistryPanel({
      model,
      trans,
      commands: app.commands,
      refreshCommand: CommandIDs.refreshEndpoints
    });
    app.shell.add(panel, 'left', { rank: 850 });
    restorer?.add(panel, panel.id);

    app.commands.addCommand(CommandIDs.open, {
      label: trans.__('Open the SageMaker Panel'),
      icon: sageMakerIcon,
      execute: () => app.shell.activateById(panel.id)
    });
    if (palette) {
      const category = trans.__('SageMaker');
      palette.addItem({ command: CommandIDs.open, category });
      palette.addItem({ command: CommandIDs.refreshEndpoints, category });
    }

    if (settingRegistry) {
      void settingRegistry
        .load(registryPlugin.id)
        .then(settings => {
          const apply = () => {
            model.describeConcurrency = settings.get('describeConcurrency')
              .composite as number;
            model.autoRefreshSeconds = settings.get('autoRefreshSeconds')
              .composite as number;
          };
          apply();
          settings.changed.connect(apply);
        })
        .catch(reason =>
          console.error('Failed to load SageMaker registry settings.', reason)
        );
    }
  }
};
