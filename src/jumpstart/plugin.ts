/**
 * Wiring of JumpStart: the left-sidebar "JumpStart" catalog panel, one main-area card per opened model (restored
 * after a reload), their commands, and a fresh catalog after a region or profile switch. The source, the model and
 * the views load with `import()` when the panel is first shown or a card opens, not at start-up.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  MainAreaWidget,
  WidgetTracker
} from '@jupyterlab/apputils';
import { ILauncher } from '@jupyterlab/launcher';
import { IStateDB } from '@jupyterlab/statedb';
import {
  ITranslator,
  nullTranslator,
  type TranslationBundle
} from '@jupyterlab/translation';
import { SidePanel } from '@jupyterlab/ui-components';
import { Panel, Widget } from '@lumino/widgets';

import { TRANSLATION_DOMAIN } from '../i18n';
import { jumpStartIcon } from '../icons';
import type { PriceTable } from '../pricing/table';
import { OPEN_RESOURCE_COMMAND } from '../registry/details/opener';
import { IAwsConnection } from '../tokens';
import type { ModelCardView } from './ModelCard';
import type { LaunchedModel } from './launched';
import type { JumpStartModel } from './model';

/** Command ids of JumpStart. */
export namespace CommandIDs {
  /** Show the JumpStart sidebar panel. */
  export const openPanel = 'sagemaker-studio:open-jumpstart';
  /** Open (or activate) the card of a model (argument `modelId`). */
  export const openModel = 'sagemaker-studio:open-jumpstart-model';
  /** Fetch the catalog again. */
  export const refresh = 'sagemaker-studio:refresh-jumpstart';
  /** Deploy a model (arguments `modelId`, `version`); provided by the deploy plugin, if installed. */
  export const deploy = 'sagemaker-studio:deploy-jumpstart-model';
  /** Fine-tune a model (arguments `modelId`, `version`); provided by the fine-tuning plugin, if installed. */
  export const fineTune = 'sagemaker-studio:fine-tune-jumpstart-model';
}

/** The JumpStart catalog panel and model cards. */
export const jumpstartPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-sagemaker-studio:jumpstart',
  description:
    'A left-sidebar "JumpStart" panel listing the public JumpStart models of the current region, and a card per model in the main area.',
  autoStart: true,
  requires: [IAwsConnection],
  optional: [
    ITranslator,
    IStateDB,
    ICommandPalette,
    ILayoutRestorer,
    ILauncher
  ],
  activate: (
    app: JupyterFrontEnd,
    connection: IAwsConnection,
    translator: ITranslator | null,
    state: IStateDB | null,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    launcher: ILauncher | null
  ): void => {
    const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);

    /** The source, model and views, loaded on first use. */
    let loading: Promise<{
      views: typeof import('./lazy');
      model: JumpStartModel;
      launched: LaunchedModel;
    }> | null = null;
    let prices: Promise<PriceTable> | null = null;
    const load = () =>
      (loading ??= import('./lazy').then(views => {
        const source = new views.JumpStartSource({ connection, state });
        const model = new views.JumpStartModel({ source });
        model.changed.connect(() =>
          app.commands.notifyCommandChanged(CommandIDs.refresh)
        );
        // "Deploy…" and "Fine-tune…" on a model card: the commands exist once the catalog code is loaded (cards need it anyway).
        const specOf = async (modelId: string, version: string) =>
          (await model.spec(modelId, version || undefined)).spec;
        const launched = new views.LaunchedModel({ connection });
        const onLaunched = () => void launched.refresh();
        views.registerDeployCommand(app, connection, specOf, trans, onLaunched);
        views.registerFineTuneCommand(
          app,
          connection,
          specOf,
          trans,
          onLaunched
        );
        return { views, model, launched };
      }));

    const panel = new Private.Sidebar({
      trans,
      onFirstShow: async () => {
        const { views, model, launched } = await load();
        const onOpen = (modelId: string) =>
          void app.commands.execute(CommandIDs.openModel, { modelId });
        panel.addWidget(new views.CatalogView({ model, trans, onOpen }));
        panel.addWidget(
          new views.LaunchedView({
            model: launched,
            trans,
            onOpenModel: onOpen,
            onOpenEndpoint: name =>
              void app.commands.execute(OPEN_RESOURCE_COMMAND, {
                kind: 'endpoint',
                name
              })
          })
        );
        void launched.start();
        await model.ensureLoaded();
      }
    });
    app.shell.add(panel, 'left', { rank: 852 });
    restorer?.add(panel, panel.id);

    const tracker = new WidgetTracker<MainAreaWidget<ModelCardView>>({
      namespace: 'sagemaker-studio-jumpstart-model'
    });
    const openCard = async (
      modelId: string
    ): Promise<MainAreaWidget<ModelCardView>> => {
      const existing = tracker.find(w => w.content.modelId === modelId);
      if (existing) {
        app.shell.activateById(existing.id);
        return existing;
      }
      const { views, model } = await load();
      const content = new views.ModelCardView({
        modelId,
        model,
        trans,
        commands: app.commands,
        deployCommand: CommandIDs.deploy,
        fineTuneCommand: CommandIDs.fineTune,
        region: () => connection.region,
        prices: () => (prices ??= views.PriceTable.load())
      });
      const widget = new MainAreaWidget({ content });
      widget.id = `sagemaker-studio-jumpstart-model-${modelId.replace(
        /[^A-Za-z0-9_-]/g,
        '_'
      )}`;
      widget.addClass('jp-SageMakerJumpStartCardPanel');
      widget.title.label = modelId;
      widget.title.caption = trans.__('JumpStart model %1', modelId);
      widget.title.icon = jumpStartIcon;
      widget.title.closable = true;
      app.shell.add(widget, 'main');
      void tracker.add(widget);
      app.shell.activateById(widget.id);
      return widget;
    };

    app.commands.addCommand(CommandIDs.openModel, {
      label: args =>
        args.modelId
          ? trans.__('Open JumpStart Model %1', String(args.modelId))
          : trans.__('Open JumpStart Model'),
      caption: trans.__('Open the card of a JumpStart model'),
      icon: jumpStartIcon,
      execute: args => {
        if (typeof args.modelId !== 'string' || !args.modelId) {
          throw new Error(
            trans.__('Cannot open a JumpStart model: its id is needed.')
          );
        }
        return openCard(args.modelId);
      }
    });
    void restorer?.restore(tracker, {
      command: CommandIDs.openModel,
      args: widget => ({ modelId: widget.content.modelId }),
      name: widget => widget.content.modelId
    });

    app.commands.addCommand(CommandIDs.openPanel, {
      label: trans.__('JumpStart'),
      caption: trans.__('Browse the SageMaker JumpStart model catalog'),
      icon: jumpStartIcon,
      execute: () => app.shell.activateById(panel.id)
    });
    app.commands.addCommand(CommandIDs.refresh, {
      label: trans.__('Refresh the JumpStart Catalog'),
      caption: trans.__('Fetch the JumpStart model list again'),
      isEnabled: () => loading !== null,
      execute: async () => {
        const { model } = await load();
        await model.refresh();
      }
    });
    if (palette) {
      const category = trans.__('SageMaker');
      palette.addItem({ command: CommandIDs.openPanel, category });
      palette.addItem({ command: CommandIDs.refresh, category });
    }
    launcher?.add({
      command: CommandIDs.openPanel,
      category: trans.__('SageMaker'),
      rank: 1
    });

    // A region or profile switch makes the catalog stale: the bucket is per region.
    const keyOf = (s: IAwsConnection.IState | null) =>
      s ? `${s.mode}/${s.region}/${s.profile}` : '';
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
      if (!first && loading) {
        void loading.then(({ model, launched }) => {
          void model.reset();
          void launched.reset();
        });
      }
    });
  }
};

namespace Private {
  /** Options of {@link Sidebar}. */
  export interface ISidebarOptions {
    /** Translations. */
    trans: TranslationBundle;
    /** Loads and adds the catalog view; called once, when the panel is first shown. */
    onFirstShow: () => Promise<void>;
  }

  /** The sidebar shell: a heading at start-up, the catalog view once it is first shown. */
  export class Sidebar extends SidePanel {
    constructor(options: ISidebarOptions) {
      super({ content: new Panel() });
      const { trans } = options;
      this._onFirstShow = options.onFirstShow;
      this.id = 'sagemaker-studio-jumpstart';
      this.addClass('jp-SageMakerJumpStartPanel');
      this.addClass('jp-SageMakerSidebar');
      this.node.dataset.testid = 'sagemaker-studio-jumpstart-panel';
      this.title.icon = jumpStartIcon;
      this.title.caption = trans.__('JumpStart');
      const heading = new Widget();
      heading.addClass('jp-SageMakerSidebar-heading');
      heading.node.textContent = trans.__('JumpStart');
      this.header.addWidget(heading);
    }

    protected onAfterShow(msg: Parameters<SidePanel['processMessage']>[0]) {
      super.onAfterShow(msg);
      if (!this._shown) {
        this._shown = true;
        this._onFirstShow().catch(reason =>
          console.error('SageMaker Studio: JumpStart panel not loaded', reason)
        );
      }
    }

    private _onFirstShow: () => Promise<void>;
    private _shown = false;
  }
}
