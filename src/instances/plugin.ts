/**
 * Wiring of the kernel-bar item: a notebook toolbar factory (`sagemakerInstance`) placed by the settings'
 * `jupyter.lab.toolbars`, so users can move or hide it like any toolbar item.
 */
import type {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { IToolbarWidgetRegistry } from '@jupyterlab/apputils';
import type { IDocumentWidget } from '@jupyterlab/docregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import type { Widget } from '@lumino/widgets';

import { TRANSLATION_DOMAIN } from '../i18n';
import { KernelBarItem } from './KernelBarItem';
import { MachineModel } from './model';
import { getMachine } from './systemRoute';

/** Name of the notebook toolbar item (the key users write in `jupyter.lab.toolbars`). */
export const KERNEL_BAR_ITEM = 'sagemakerInstance';

/** The "where this notebook runs" item of the notebook toolbar. */
export const instancesPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-sagemaker-studio:instances',
  description:
    'Shows beside the kernel name where the notebook runs (this machine: vCPU, memory, GPUs) with live CPU and memory use.',
  autoStart: true,
  requires: [IToolbarWidgetRegistry],
  optional: [ITranslator],
  activate: (
    app: JupyterFrontEnd,
    toolbarRegistry: IToolbarWidgetRegistry,
    translator: ITranslator | null
  ): void => {
    const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
    const settings = app.serviceManager.serverSettings;
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
      return new KernelBarItem({ model, trans });
    });
  }
};
