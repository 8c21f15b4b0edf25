/**
 * The left-sidebar "SageMaker" panel: an accordion of resource sections (endpoints for now) with toolbars.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import {
  CommandToolbarButton,
  PanelWithToolbar,
  SidePanel
} from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';

import { sageMakerIcon } from '../icons';
import { EndpointsModel } from './model';
import { EndpointsView } from './EndpointsView';

/** The sidebar panel of the registry. */
export class RegistryPanel extends SidePanel {
  /** Create the panel with its endpoints section. */
  constructor(options: RegistryPanel.IOptions) {
    super();
    const { trans } = options;
    this._model = options.model;
    this.id = 'sagemaker-studio-registry';
    this.addClass('jp-SageMakerRegistryPanel');
    this.title.icon = sageMakerIcon;
    this.title.caption = trans.__('SageMaker');

    const heading = new Widget();
    heading.addClass('jp-SageMakerRegistry-heading');
    heading.node.textContent = trans.__('SageMaker');
    this.header.addWidget(heading);

    const section = new PanelWithToolbar();
    section.addClass('jp-SageMakerRegistry-section');
    section.title.label = trans.__('Endpoints');
    section.toolbar.addItem(
      'refresh',
      new CommandToolbarButton({
        commands: options.commands,
        id: options.refreshCommand,
        args: { toolbar: true }
      })
    );
    section.addWidget(new EndpointsView({ model: this._model, trans }));
    this.addWidget(section);
  }

  /** The endpoints model. */
  get model(): EndpointsModel {
    return this._model;
  }

  /** Fetch on first show, not at JupyterLab start. */
  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    void this._model.ensureLoaded();
  }

  private _model: EndpointsModel;
}

/** Types of {@link RegistryPanel}. */
export namespace RegistryPanel {
  /** Options of the panel. */
  export interface IOptions {
    /** The endpoints model. */
    model: EndpointsModel;
    /** Translations. */
    trans: TranslationBundle;
    /** The application's commands. */
    commands: CommandRegistry;
    /** Id of the refresh command shown in the section toolbar (it brings its own icon). */
    refreshCommand: string;
  }
}
