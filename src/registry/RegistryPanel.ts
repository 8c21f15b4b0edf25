/**
 * The left-sidebar "SageMaker" panel: an accordion of resource sections (Endpoints, then the generic sections) with
 * toolbars.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import {
  CommandToolbarButton,
  PanelWithToolbar,
  SidePanel
} from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { Message } from '@lumino/messaging';
import { AccordionPanel, Widget } from '@lumino/widgets';

import { sageMakerIcon } from '../icons';
import type { DetailKind } from './details/types';
import { EndpointsModel } from './model';
import { EndpointsView } from './EndpointsView';
import type { SectionModel } from './section';
import type { ISectionDescriptor } from './sections';
import { SectionView } from './SectionView';

/** The sidebar panel of the registry. */
export class RegistryPanel extends SidePanel {
  /** Create the panel with its endpoints section and the generic sections. */
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
    section.id = 'sagemaker-studio-registry-endpoints';
    section.node.dataset.section = 'endpoints';
    section.toolbar.addItem(
      'refresh',
      new CommandToolbarButton({
        commands: options.commands,
        id: options.refreshCommand,
        args: { toolbar: true }
      })
    );
    const openResource = options.openResource;
    section.addWidget(
      new EndpointsView({
        model: this._model,
        trans,
        onOpen: openResource
          ? name => openResource('endpoint', name)
          : undefined
      })
    );
    this.addWidget(section);

    this._sections = options.sections ?? [];
    for (const { descriptor, model } of this._sections) {
      const panel = new PanelWithToolbar();
      panel.addClass('jp-SageMakerRegistry-section');
      // The accordion title (which holds the toolbar) points at this id with aria-controls.
      panel.id = `sagemaker-studio-registry-${descriptor.id}`;
      panel.node.dataset.section = descriptor.id;
      panel.title.label = descriptor.label;
      if (options.refreshSectionCommand) {
        panel.toolbar.addItem(
          'refresh',
          new CommandToolbarButton({
            commands: options.commands,
            id: options.refreshSectionCommand,
            args: { toolbar: true, section: descriptor.id }
          })
        );
      }
      const kind = descriptor.detailKind;
      const open = options.openResource;
      panel.addWidget(
        new SectionView({
          model,
          descriptor,
          trans,
          onOpen: kind && open ? row => open(kind, row.name) : undefined
        })
      );
      this.addWidget(panel);
    }

    for (const extra of options.extraSections ?? []) {
      const panel = new PanelWithToolbar();
      panel.addClass('jp-SageMakerRegistry-section');
      panel.id = `sagemaker-studio-registry-${extra.id}`;
      panel.node.dataset.section = extra.id;
      panel.title.label = extra.label;
      if (extra.refreshCommand) {
        panel.toolbar.addItem(
          'refresh',
          new CommandToolbarButton({
            commands: options.commands,
            id: extra.refreshCommand,
            args: { toolbar: true }
          })
        );
      }
      panel.addWidget(extra.widget);
      this.addWidget(panel);
    }
    this._extraSections = options.extraSections ?? [];

    // Six open sections share the sidebar's height and each would show a row or two: Endpoints and the first
    // generic section start open, the others as titles that open on a click.
    const accordion = this.content;
    if (accordion instanceof AccordionPanel) {
      for (
        let i = RegistryPanel.OPEN_AT_START;
        i < accordion.widgets.length;
        i++
      ) {
        accordion.collapse(i);
      }
      // A section collapsed at start has no size of its own to return to, so it would open a few pixels high:
      // share the height equally among the open sections whenever one opens.
      accordion.expansionToggled.connect((_, index) => {
        if (accordion.widgets[index]?.isHidden ?? true) {
          return;
        }
        const open = accordion.widgets.map(widget => !widget.isHidden);
        const count = open.filter(Boolean).length;
        accordion.setRelativeSizes(
          open.map(isOpen => (isOpen ? 1 / count : 0))
        );
      });
    }
  }

  /**
   * Put the sections in an order (by their `data-section` ids; sections not named keep their relative order after
   * the named ones) and open exactly those named in `open`.
   */
  arrange(order: readonly string[], open: readonly string[]): void {
    const accordion = this.content;
    if (!(accordion instanceof AccordionPanel)) {
      return;
    }
    const rank = (widget: Widget) => {
      const index = order.indexOf(widget.node.dataset.section ?? '');
      return index < 0 ? order.length : index;
    };
    const sorted = accordion.widgets
      .map((widget, index) => ({ widget, index }))
      .sort((a, b) => rank(a.widget) - rank(b.widget) || a.index - b.index)
      .map(({ widget }) => widget);
    sorted.forEach((widget, index) => accordion.insertWidget(index, widget));
    accordion.widgets.forEach((widget, index) => {
      if (open.includes(widget.node.dataset.section ?? '')) {
        accordion.expand(index);
      } else {
        accordion.collapse(index);
      }
    });
  }

  /** The endpoints model. */
  get model(): EndpointsModel {
    return this._model;
  }

  /** Fetch on first show, not at JupyterLab start. */
  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    void this._model.ensureLoaded();
    for (const { model } of this._sections) {
      void model.ensureLoaded();
    }
    for (const extra of this._extraSections) {
      void extra.ensureLoaded();
    }
  }

  private _model: EndpointsModel;
  private _sections: RegistryPanel.ISection[];
  private _extraSections: RegistryPanel.IExtraSection[];
}

/** Types of {@link RegistryPanel}. */
export namespace RegistryPanel {
  /** How many sections (Endpoints first) are open when the panel is created. */
  export const OPEN_AT_START = 2;

  /** The sidebar order of the sections (Studio's order of components and registries, then what runs). */
  export const ORDER = [
    'projects',
    'flows',
    'pipelines',
    'experiments',
    'model-registry',
    'endpoints',
    'feature-store',
    'running'
  ] as const;

  /** The sections open at start: eight open sections would show a row or two each. */
  export const OPEN = ['model-registry', 'endpoints'] as const;

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
    /** The generic sections shown after Endpoints, in order. */
    sections?: ISection[];
    /** Id of the command refreshing a generic section (argument `section`: the descriptor id). */
    refreshSectionCommand?: string;
    /** Opens a resource's detail tab. */
    openResource?: (kind: DetailKind, name: string) => void;
    /** Sections with their own view (e.g. Running resources), after the generic ones. */
    extraSections?: IExtraSection[];
  }

  /** A section with its own view and model. */
  export interface IExtraSection {
    /** Stable id (class names, test ids). */
    id: string;
    /** Section title. */
    label: string;
    /** The section's view. */
    widget: Widget;
    /** Id of the command refreshing it, shown in its toolbar (called with `{ toolbar: true }`). */
    refreshCommand?: string;
    /** Fetch on first show. */
    ensureLoaded: () => Promise<void>;
  }

  /** A generic section: what it lists and its state. */
  export interface ISection {
    /** What the section lists and how it is worded. */
    descriptor: ISectionDescriptor;
    /** Its list state. */
    model: SectionModel;
  }
}
