/**
 * Wiring of the "Data Wrangler flows" section: its panel in the SageMaker sidebar (after Projects), its commands
 * (refresh the list, open a flow's tab) and the flow tabs, restored after a reload. The tab module loads on first
 * open.
 */
import type { ILayoutRestorer, JupyterFrontEnd } from '@jupyterlab/application';
import {
  type ICommandPalette,
  MainAreaWidget,
  WidgetTracker
} from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import {
  CommandToolbarButton,
  PanelWithToolbar,
  refreshIcon,
  type SidePanel
} from '@jupyterlab/ui-components';
import { AccordionPanel } from '@lumino/widgets';

import { sageMakerIcon } from '../icons';
import { FlowsModel } from './flows';
import { FlowsView } from './FlowsView';

/** Command ids of the flows section. */
export namespace FlowCommandIDs {
  /** Walk the workspace for .flow files again. */
  export const refresh = 'sagemaker-studio:refresh-flows';
  /** Open a flow's summary tab (argument `path`). */
  export const open = 'sagemaker-studio:open-flow';
}

/** Id of the section's panel in the sidebar (the accordion title's aria-controls). */
export const FLOWS_SECTION_ID = 'sagemaker-studio-registry-flows';

/** Options of {@link addFlowsSection}. */
export interface IAddFlowsSectionOptions {
  /** The application (contents manager, shell, commands). */
  app: JupyterFrontEnd;
  /** The SageMaker sidebar panel. */
  panel: SidePanel;
  /** Translations. */
  trans: TranslationBundle;
  /** Restores open flow tabs after a reload. */
  restorer?: ILayoutRestorer | null;
  /** Adds the commands to the palette. */
  palette?: ICommandPalette | null;
  /** The section after which the flows go (its `data-section`); default Projects. */
  after?: string;
}

/** Add the section and its commands; returns the list model. */
export function addFlowsSection(options: IAddFlowsSectionOptions): FlowsModel {
  const { app, panel, trans } = options;
  const contents = app.serviceManager.contents;
  const model = new FlowsModel({
    contents,
    describeError: err =>
      trans.__(
        'Cannot list the workspace’s files: %1',
        err instanceof Error ? err.message : String(err)
      )
  });

  const tracker = new WidgetTracker<MainAreaWidget>({
    namespace: 'sagemaker-studio-flow'
  });
  app.commands.addCommand(FlowCommandIDs.refresh, {
    label: args =>
      args.toolbar ? '' : trans.__('Refresh Data Wrangler Flows'),
    caption: trans.__('Look for .flow files in the workspace again'),
    icon: args => (args.toolbar ? refreshIcon : undefined),
    isEnabled: () => !model.isLoading,
    execute: () => model.refresh()
  });
  model.changed.connect(() =>
    app.commands.notifyCommandChanged(FlowCommandIDs.refresh)
  );
  app.commands.addCommand(FlowCommandIDs.open, {
    label: args =>
      args.path
        ? trans.__('Open %1', String(args.path))
        : trans.__('Open Data Wrangler Flow'),
    caption: trans.__('Summarise a Data Wrangler .flow file in a tab'),
    execute: async args => {
      const path = typeof args.path === 'string' ? args.path : '';
      if (!path) {
        throw new Error(trans.__('Which .flow file? A path is needed.'));
      }
      const id = `sagemaker-studio-flow-${path.replace(/[^A-Za-z0-9_-]/g, '_')}`;
      const existing = tracker.find(widget => widget.id === id);
      if (existing) {
        app.shell.activateById(id);
        return existing;
      }
      const { createFlowDetail } = await import('./flowDetail');
      const detail = createFlowDetail({
        path,
        contents,
        commands: app.commands,
        trans
      });
      const widget = new MainAreaWidget({ content: detail.content });
      widget.id = id;
      widget.node.dataset.path = path;
      widget.addClass('jp-SageMakerDetail');
      widget.addClass('jp-SageMakerFlowTab');
      widget.title.label = path.split('/').pop() ?? path;
      widget.title.caption = path;
      widget.title.icon = sageMakerIcon;
      widget.title.closable = true;
      for (const item of detail.toolbar) {
        widget.toolbar.addItem(item.name, item.widget);
      }
      app.shell.add(widget, 'main');
      void tracker.add(widget);
      app.shell.activateById(id);
      return widget;
    }
  });
  void options.restorer?.restore(tracker, {
    command: FlowCommandIDs.open,
    args: widget => ({ path: widget.node.dataset.path ?? '' }),
    name: widget => widget.node.dataset.path ?? ''
  });
  if (options.palette) {
    options.palette.addItem({
      command: FlowCommandIDs.refresh,
      category: trans.__('SageMaker')
    });
  }

  const section = new PanelWithToolbar();
  section.addClass('jp-SageMakerRegistry-section');
  section.id = FLOWS_SECTION_ID;
  section.node.dataset.section = 'flows';
  section.title.label = trans.__('Data Wrangler flows');
  section.toolbar.addItem(
    'refresh',
    new CommandToolbarButton({
      commands: app.commands,
      id: FlowCommandIDs.refresh,
      args: { toolbar: true }
    })
  );
  section.addWidget(
    new FlowsView({
      model,
      trans,
      onOpen: file =>
        void app.commands.execute(FlowCommandIDs.open, { path: file.path })
    })
  );
  const after = options.after ?? 'projects';
  const index = panel.widgets.findIndex(
    widget => widget.node.dataset.section === after
  );
  panel.insertWidget(index >= 0 ? index + 1 : panel.widgets.length, section);
  // Like the other sections below the first two, it starts as a title that opens on a click.
  const accordion = panel.content;
  if (accordion instanceof AccordionPanel) {
    accordion.collapse(accordion.widgets.indexOf(section));
  }
  return model;
}
