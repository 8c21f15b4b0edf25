/**
 * Opens resources in main-area tabs: one tab per resource (opening it again activates the tab), each restored after
 * a reload, each built by its kind's detail module (loaded on first use).
 */
import type { ILayoutRestorer, JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget, WidgetTracker } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Signal } from '@lumino/signaling';

import { sageMakerIcon } from '../../icons';
import type { IAwsConnection } from '../../tokens';
import { detailModules, isDetailKind } from './index';
import type { IResourceChange, IResourceRef } from './types';

/** Id of the command opening a resource (arguments `kind` and `name`). */
export const OPEN_RESOURCE_COMMAND = 'sagemaker-studio:open-resource';

/** The tabs of opened resources and the changes views announce. */
export class DetailOpener {
  /** Register the open command and the tracker (restored after a reload when a restorer is given). */
  constructor(options: DetailOpener.IOptions) {
    this._app = options.app;
    this._connection = options.connection;
    this._trans = options.trans;
    this._tracker = new WidgetTracker<MainAreaWidget>({
      namespace: 'sagemaker-studio-resource'
    });
    const { commands } = options.app;
    commands.addCommand(OPEN_RESOURCE_COMMAND, {
      label: args =>
        args.name
          ? this._trans.__('Open %1', String(args.name))
          : this._trans.__('Open SageMaker Resource'),
      caption: this._trans.__('Open a SageMaker resource in a tab'),
      execute: args => {
        if (!isDetailKind(args.kind) || typeof args.name !== 'string') {
          throw new Error(
            this._trans.__(
              'Cannot open “%1”: a resource kind and name are needed.',
              String(args.name ?? '')
            )
          );
        }
        return this.open({ kind: args.kind, name: args.name });
      }
    });
    void options.restorer?.restore(this._tracker, {
      command: OPEN_RESOURCE_COMMAND,
      args: widget => ({
        kind: widget.node.dataset.kind ?? '',
        name: widget.node.dataset.name ?? ''
      }),
      name: widget => `${widget.node.dataset.kind}:${widget.node.dataset.name}`
    });
  }

  /** Changes announced by detail views. */
  get changes(): Signal<this, IResourceChange> {
    return this._changes;
  }

  /** Announce a change to every list and tab. */
  notify(change: IResourceChange): void {
    this._changes.emit(change);
  }

  /** Open the tab of a resource, or activate it if it is open. */
  async open(resource: IResourceRef): Promise<MainAreaWidget> {
    const id = DetailOpener.tabId(resource);
    const existing = this._tracker.find(widget => widget.id === id);
    if (existing) {
      this._app.shell.activateById(id);
      return existing;
    }
    const load = detailModules[resource.kind];
    if (!load) {
      throw new Error(
        this._trans.__(
          'SageMaker resources of kind “%1” have no tab.',
          resource.kind
        )
      );
    }
    const module = await load();
    const detail = module.createDetail({
      resource,
      connection: this._connection,
      trans: this._trans,
      commands: this._app.commands,
      open: ref => void this.open(ref),
      notify: change => this.notify(change),
      changes: this._changes
    });
    const widget = new MainAreaWidget({ content: detail.content });
    widget.id = id;
    widget.node.dataset.kind = resource.kind;
    widget.node.dataset.name = resource.name;
    widget.addClass('jp-SageMakerDetail');
    widget.title.label = detail.label ?? resource.name;
    widget.title.caption = resource.name;
    widget.title.icon = sageMakerIcon;
    widget.title.closable = true;
    for (const item of detail.toolbar ?? []) {
      widget.toolbar.addItem(item.name, item.widget);
    }
    this._app.shell.add(widget, 'main');
    void this._tracker.add(widget);
    this._app.shell.activateById(id);
    return widget;
  }

  private _app: JupyterFrontEnd;
  private _connection: IAwsConnection;
  private _trans: TranslationBundle;
  private _tracker: WidgetTracker<MainAreaWidget>;
  private _changes = new Signal<this, IResourceChange>(this);
}

/** Types and helpers of {@link DetailOpener}. */
export namespace DetailOpener {
  /** Options of the opener. */
  export interface IOptions {
    /** The application. */
    app: JupyterFrontEnd;
    /** The AWS connection handed to every view. */
    connection: IAwsConnection;
    /** Translations. */
    trans: TranslationBundle;
    /** Restores open tabs after a reload. */
    restorer?: ILayoutRestorer | null;
  }

  /** The DOM id of a resource's tab (stable, so a second open finds it). */
  export function tabId(resource: IResourceRef): string {
    return `sagemaker-studio-${resource.kind}-${resource.name.replace(
      /[^A-Za-z0-9_-]/g,
      '_'
    )}`;
  }
}
