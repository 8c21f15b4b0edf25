/**
 * Wiring of the kernel-bar item and the instance picker: a notebook toolbar factory (`sagemakerInstance`) placed by
 * the settings' `jupyter.lab.toolbars`, so users can move or hide it like any toolbar item; its label and the
 * command `sagemaker-studio:choose-instance` open the picker for the notebook, which stores the choice in the
 * notebook's metadata.
 */
import type {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, IToolbarWidgetRegistry } from '@jupyterlab/apputils';
import type { IDocumentWidget } from '@jupyterlab/docregistry';
import { IStateDB } from '@jupyterlab/statedb';
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import type { Widget } from '@lumino/widgets';

import { TRANSLATION_DOMAIN } from '../i18n';
import { IAwsConnection } from '../tokens';
import {
  ICapacityLoaders,
  IInstanceType,
  loadCatalog,
  loadInstanceTable
} from './catalog';
import { imagesFor } from './images';
import { InstancePickerBody, pickInstance } from './InstancePicker';
import { KernelBarItem } from './KernelBarItem';
import { MachineModel } from './model';
import {
  IMetadataModel,
  NotebookInstanceModel,
  readInstanceChoice,
  writeInstanceChoice
} from './notebookInstance';
import { RecentInstances } from './recent';
import { getMachine } from './systemRoute';

/** Name of the notebook toolbar item (the key users write in `jupyter.lab.toolbars`). */
export const KERNEL_BAR_ITEM = 'sagemakerInstance';

/** Command ids of the feature. */
export namespace CommandIDs {
  /** Open the instance picker for the current notebook. */
  export const chooseInstance = 'sagemaker-studio:choose-instance';
}

/** Options of {@link createInstancesPlugin}. */
export interface IInstancesPluginOptions {
  /**
   * Loads the readers of the account's training-job quotas and of live training prices (`./capacity`). Without it
   * the picker shows the bundled prices and no quotas.
   */
  loadCapacity?: () => Promise<ICapacityLoaders>;
}

/** The plugin of the kernel-bar item and the instance picker. */
export function createInstancesPlugin(
  options: IInstancesPluginOptions = {}
): JupyterFrontEndPlugin<void> {
  return {
    id: 'jupyterlab-sagemaker-studio:instances',
    description:
      'Shows beside the kernel name where the notebook runs (this machine with live use, or the instance type chosen for it) and lets the user choose an instance type and image.',
    autoStart: true,
    requires: [IToolbarWidgetRegistry],
    optional: [ITranslator, IAwsConnection, IStateDB, ICommandPalette],
    activate: (
      app: JupyterFrontEnd,
      toolbarRegistry: IToolbarWidgetRegistry,
      translator: ITranslator | null,
      connection: IAwsConnection | null,
      stateDB: IStateDB | null,
      palette: ICommandPalette | null
    ): void => {
      const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
      const settings = app.serviceManager.serverSettings;
      const recent = new RecentInstances(stateDB);
      const capacity = new Private.Capacity(
        connection,
        options.loadCapacity ?? null,
        trans
      );
      const notebooks = new Set<IDocumentWidget>();
      const lookup = async (type: string): Promise<IInstanceType | null> =>
        (await loadInstanceTable()).instances.find(row => row.type === type) ??
        null;

      const choose = async (panel: IDocumentWidget): Promise<void> => {
        const model = panel.context.model as unknown as IMetadataModel;
        await connection?.ready.catch(() => undefined);
        const region = connection?.region ?? null;
        const [live, recentTypes] = await Promise.all([
          capacity.read(region),
          recent.load()
        ]);
        const catalog = await loadCatalog({
          region,
          livePrices: live.prices,
          quotas: live.quotas
        });
        const images = imagesFor(region);
        const current = readInstanceChoice(model);
        const imageId =
          images?.find(image => image.uri === current?.image)?.id ?? null;
        const picked = await pickInstance({
          catalog,
          images,
          region,
          recent: recentTypes,
          notes: live.notes,
          trans,
          state: InstancePickerBody.initialState(
            current?.instanceType ?? null,
            imageId
          )
        });
        if (!picked || panel.isDisposed) {
          return;
        }
        writeInstanceChoice(model, {
          instanceType: picked.instanceType,
          image: picked.image?.uri ?? null,
          imageName: picked.image?.label ?? null
        });
        await recent.add(picked.instanceType);
      };

      toolbarRegistry.addFactory<Widget>('Notebook', KERNEL_BAR_ITEM, panel => {
        const document = panel as IDocumentWidget;
        const sessionContext = document.context?.sessionContext;
        const model = new MachineModel({
          read: kernelId => getMachine(settings, kernelId),
          kernelId: () => sessionContext?.session?.kernel?.id ?? null,
          isVisible: () => panel.isVisible,
          describeError: err =>
            trans.__(
              'Machine figures unavailable: %1',
              (err as Error).message ?? String(err)
            )
        });
        sessionContext?.kernelChanged.connect(() => void model.refresh());
        const metadata = document.context?.model as unknown as
          IMetadataModel | undefined;
        const instance =
          metadata && typeof metadata.getMetadata === 'function'
            ? new NotebookInstanceModel({ model: metadata, lookup })
            : null;
        if (instance) {
          notebooks.add(document);
          document.disposed.connect(() => notebooks.delete(document));
        }
        return new KernelBarItem({
          model,
          instance,
          onChoose: instance
            ? () =>
                void app.commands.execute(CommandIDs.chooseInstance, {
                  path: document.context.path
                })
            : null,
          trans
        });
      });

      /** The notebook the command is for: the one at `path`, else the current one. */
      const target = (path: unknown): IDocumentWidget | null => {
        const current = app.shell.currentWidget;
        for (const panel of notebooks) {
          if (
            typeof path === 'string'
              ? panel.context.path === path
              : panel === current
          ) {
            return panel;
          }
        }
        return null;
      };

      app.commands.addCommand(CommandIDs.chooseInstance, {
        label: trans.__('Choose Instance Type for Notebook…'),
        caption: trans.__(
          'Choose the SageMaker instance type and image for the current notebook'
        ),
        isEnabled: args => target(args.path) !== null,
        execute: async args => {
          const panel = target(args.path);
          if (panel) {
            await choose(panel);
          }
        }
      });
      palette?.addItem({
        command: CommandIDs.chooseInstance,
        category: trans.__('SageMaker Studio')
      });
    }
  };
}

/** The plugin as the suite ships it. */
export const instancesPlugin = createInstancesPlugin({
  loadCapacity: () => import('./capacity')
});

namespace Private {
  /** Live figures for the picker and one-line notes about what could not be read. */
  export interface ILive {
    /** Training-job quotas by type, null when not read. */
    quotas: Map<string, number> | null;
    /** Live training prices by type, null when not read. */
    prices: Map<string, number> | null;
    /** What failed, one line each. */
    notes: string[];
  }

  /** How long the picker waits for live figures before it opens with the bundled ones. */
  const WAIT_MS = 5000;

  /** Reads quotas and live prices once per mode and region; a failure is a note and is tried again next time. */
  export class Capacity {
    constructor(
      connection: IAwsConnection | null,
      load: (() => Promise<ICapacityLoaders>) | null,
      trans: TranslationBundle
    ) {
      this._connection = connection;
      this._load = load;
      this._trans = trans;
    }

    /** The figures for a region, or notes saying why there are none. */
    async read(region: string | null): Promise<ILive> {
      const connection = this._connection;
      if (!connection || !this._load || !region) {
        return { quotas: null, prices: null, notes: [] };
      }
      const key = `${connection.mode}:${region}`;
      let pending = this._cache.get(key);
      if (!pending) {
        pending = this._fetch(connection, region);
        this._cache.set(key, pending);
        void pending.then(live => {
          if (live.notes.length) {
            this._cache.delete(key);
          }
        });
      }
      const trans = this._trans;
      const late: ILive = {
        quotas: null,
        prices: null,
        notes: [
          trans.__(
            'Quotas and live prices are still loading; open the picker again to see them.'
          )
        ]
      };
      return Promise.race([
        pending,
        new Promise<ILive>(resolve => setTimeout(() => resolve(late), WAIT_MS))
      ]);
    }

    private async _fetch(
      connection: IAwsConnection,
      region: string
    ): Promise<ILive> {
      const trans = this._trans;
      const notes: string[] = [];
      let loaders: ICapacityLoaders;
      try {
        loaders = await this._load!();
      } catch (err) {
        return {
          quotas: null,
          prices: null,
          notes: [
            trans.__(
              'Quotas and live prices are unavailable: %1',
              (err as Error).message ?? String(err)
            )
          ]
        };
      }
      const [quotas, prices] = await Promise.all([
        connection
          .serviceQuotas()
          .then(client => loaders.fetchTrainingQuotas(client))
          .catch(err => {
            notes.push(
              trans.__(
                'Quotas could not be read: %1',
                connection.describeError(err)
              )
            );
            return null;
          }),
        // Local mode has no Price List API: the bundled prices are the figures there.
        connection.mode !== 'aws'
          ? Promise.resolve(null)
          : connection
              .pricing()
              .then(client => loaders.fetchTrainingPrices(client, region))
              .catch(err => {
                notes.push(
                  trans.__(
                    'Live prices could not be read (the bundled prices are shown): %1',
                    connection.describeError(err)
                  )
                );
                return null;
              })
      ]);
      return {
        quotas,
        prices: prices && prices.size ? prices : null,
        notes
      };
    }

    private _connection: IAwsConnection | null;
    private _load: (() => Promise<ICapacityLoaders>) | null;
    private _trans: TranslationBundle;
    private _cache = new Map<string, Promise<ILive>>();
  }
}
