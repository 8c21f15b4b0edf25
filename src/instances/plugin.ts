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
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import type { Widget } from '@lumino/widgets';

import { TRANSLATION_DOMAIN } from '../i18n';
import { IAwsConnection } from '../tokens';
import type { IInstanceType } from './catalog';
import type { LiveCapacity } from './liveCapacity';
import type { RecentInstances } from './recent';
import { KernelBarItem } from './KernelBarItem';
import { MachineModel } from './model';
import {
  IMetadataModel,
  NotebookInstanceModel,
  readInstanceChoice,
  writeInstanceChoice
} from './notebookInstance';
import { getMachine } from './systemRoute';

/** Name of the notebook toolbar item (the key users write in `jupyter.lab.toolbars`). */
export const KERNEL_BAR_ITEM = 'sagemakerInstance';

/** Command ids of the feature. */
export namespace CommandIDs {
  /** Open the instance picker for the current notebook. */
  export const chooseInstance = 'sagemaker-studio:choose-instance';
}

/** The plugin of the kernel-bar item and the instance picker. */
export const instancesPlugin: JupyterFrontEndPlugin<void> = {
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
    // The recently chosen types: read when the picker first opens.
    let recent: RecentInstances | null = null;
    // Quotas and live prices: their reader (and the SDK clients) load when the picker first opens.
    let capacity: Promise<LiveCapacity> | null = null;
    const readCapacity = async (region: string | null) =>
      (
        await (capacity ??= import('./liveCapacity').then(
          m => new m.LiveCapacity(connection, trans)
        ))
      ).read(region);
    const notebooks = new Set<IDocumentWidget>();
    const lookup = async (type: string): Promise<IInstanceType | null> =>
      (await (await import('./catalog')).loadInstanceTable()).instances.find(
        row => row.type === type
      ) ?? null;

    const choose = async (panel: IDocumentWidget): Promise<void> => {
      const model = panel.context.model as unknown as IMetadataModel;
      const picker = await import('./picker');
      const { imagesFor, InstancePickerBody, loadCatalog, pickInstance } =
        picker;
      const recentTypesStore = (recent ??= new picker.RecentInstances(stateDB));
      await connection?.ready.catch(() => undefined);
      const region = connection?.region ?? null;
      const [live, recentTypes] = await Promise.all([
        readCapacity(region),
        recentTypesStore.load()
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
      await recentTypesStore.add(picked.instanceType);
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
