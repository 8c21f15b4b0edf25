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
import { DetailOpener, OPEN_RESOURCE_COMMAND } from './details/opener';
import type { DetailKind } from './details/types';
import { addFlowsSection } from './flowsSection';
import { EndpointsModel } from './model';
import { RunningModel } from './running/model';
import { RunningView } from './running/RunningView';
import { RegistryPanel } from './RegistryPanel';
import { SectionModel } from './section';
import { sectionDescriptors } from './sections';

/** Command ids of the registry. */
export namespace CommandIDs {
  /** Show the SageMaker sidebar panel. */
  export const open = 'sagemaker-studio:open-registry';
  /** Fetch the endpoint list again. */
  export const refreshEndpoints = 'sagemaker-studio:refresh-endpoints';
  /** Fetch one generic section again (argument `section`: its id, e.g. 'model-registry'). */
  export const refreshSection = 'sagemaker-studio:refresh-section';
  /** Fetch the running resources again. */
  export const refreshRunning = 'sagemaker-studio:refresh-running';
  /** Open a resource in a main-area tab (arguments `kind` and `name`). */
  export const openResource = OPEN_RESOURCE_COMMAND;
}

/** The left-sidebar "SageMaker" panel. */
export const registryPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-sagemaker-studio:registry',
  description:
    'A left-sidebar "SageMaker" panel listing the endpoints, model groups, pipelines, projects, feature groups and experiments of the current region.',
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

    const sections: RegistryPanel.ISection[] = sectionDescriptors(trans).map(
      descriptor => ({
        descriptor,
        model: new SectionModel({
          // The SDK and the List* commands load on the section's first fetch, not at start-up.
          list: async query => {
            const [client, list] = await Promise.all([
              connection.sagemaker(),
              descriptor.load()
            ]);
            return list(client, query);
          },
          describeError: err => connection.describeError(err),
          serverSearch: descriptor.serverSearch,
          pageAll: descriptor.countOnly
        })
      })
    );
    const opener = new DetailOpener({ app, connection, trans, restorer });
    // A change made in a tab (approval, deletion, new execution) shows at once in the lists of its kind.
    const sectionKinds: Record<string, DetailKind[]> = {
      'model-registry': ['model-package-group', 'model-package'],
      pipelines: ['pipeline'],
      projects: ['project'],
      'feature-store': ['feature-group']
    };
    opener.changes.connect((_, change) => {
      if (change.kind === 'endpoint') {
        void model.refresh();
      }
      for (const section of sections) {
        if (sectionKinds[section.descriptor.id]?.includes(change.kind)) {
          void section.model.refresh();
        }
      }
    });

    const sectionById = (id: unknown) =>
      sections.find(section => section.descriptor.id === id);

    app.commands.addCommand(CommandIDs.refreshSection, {
      label: args =>
        args.toolbar
          ? ''
          : trans.__(
              'Refresh %1',
              sectionById(args.section)?.descriptor.label ?? ''
            ),
      caption: args =>
        trans.__(
          'Fetch the %1 list again',
          sectionById(args.section)?.descriptor.label ?? ''
        ),
      icon: args => (args.toolbar ? refreshIcon : undefined),
      isEnabled: args => {
        const section = sectionById(args.section);
        return !!section && !section.model.isLoading;
      },
      execute: args => sectionById(args.section)?.model.refresh()
    });
    for (const { model: sectionModel } of sections) {
      sectionModel.changed.connect(() =>
        app.commands.notifyCommandChanged(CommandIDs.refreshSection)
      );
    }

    const running = new RunningModel({
      fetch: async signal => {
        const [client, calls] = await Promise.all([
          connection.sagemaker(),
          import('./running/calls')
        ]);
        return calls.fetchRunning(client, {
          concurrency: 4,
          limit: 1000,
          signal,
          describeError: err => connection.describeError(err)
        });
      },
      stop: async resource => {
        const [client, calls] = await Promise.all([
          connection.sagemaker(),
          import('./running/calls')
        ]);
        await calls.stopResource(client, resource);
        if (resource.kind === 'endpoint') {
          opener.notify({
            kind: 'endpoint',
            name: resource.name,
            change: 'deleted'
          });
        }
      },
      prices: async () => (await import('../pricing/table')).PriceTable.load(),
      region: () => connection.region ?? '',
      describeError: err => connection.describeError(err)
    });
    app.commands.addCommand(CommandIDs.refreshRunning, {
      label: args =>
        args.toolbar ? '' : trans.__('Refresh Running Resources'),
      caption: trans.__('Fetch the running resources and their costs again'),
      icon: args => (args.toolbar ? refreshIcon : undefined),
      isEnabled: () => !running.isLoading,
      execute: () => running.refresh()
    });
    running.changed.connect(() =>
      app.commands.notifyCommandChanged(CommandIDs.refreshRunning)
    );
    opener.changes.connect(() => void running.refresh());

    // A region or profile switch makes every list stale.
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
        sections.forEach(section => section.model.reset());
        running.reset();
      }
    });

    const panel = new RegistryPanel({
      model,
      trans,
      commands: app.commands,
      refreshCommand: CommandIDs.refreshEndpoints,
      sections,
      refreshSectionCommand: CommandIDs.refreshSection,
      openResource: (kind, name) =>
        void app.commands.execute(CommandIDs.openResource, { kind, name }),
      extraSections: [
        {
          id: 'running',
          label: trans.__('Running resources'),
          widget: new RunningView({
            model: running,
            trans,
            onOpen: row =>
              void app.commands.execute(CommandIDs.openResource, {
                kind: 'endpoint',
                name: row.name
              })
          }),
          refreshCommand: CommandIDs.refreshRunning,
          ensureLoaded: () => running.ensureLoaded()
        }
      ]
    });
    // Data Wrangler flows (.flow files of the workspace, via the Contents API), right after Projects.
    addFlowsSection({ app, panel, trans, restorer, palette });
    panel.arrange(RegistryPanel.ORDER, RegistryPanel.OPEN);
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
