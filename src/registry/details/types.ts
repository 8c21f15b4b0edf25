/**
 * The contract between the registry and its detail views (main-area tabs): which kinds of resource open a tab, what
 * a detail module receives, and what it returns. Each kind lives in its own module under `details/`, loaded with
 * `import()` on first use so the views and the SDK stay out of JupyterLab's start-up.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import type { Widget } from '@lumino/widgets';

import type { IAwsConnection } from '../../tokens';

/** The kinds of resource that open a detail tab. */
export type DetailKind =
  | 'model-package-group'
  | 'model-package'
  | 'endpoint'
  | 'pipeline'
  | 'feature-group'
  | 'project';

/** Which resource a tab shows. */
export interface IResourceRef {
  /** Its kind. */
  kind: DetailKind;
  /** Its name (for a model package version: its ARN, which is how the API names versions). */
  name: string;
}

/** A change made from a detail view, announced so lists elsewhere show it at once. */
export interface IResourceChange extends IResourceRef {
  /** What happened to it. */
  change: 'updated' | 'deleted' | 'created';
}

/** What a detail module gets to build its view. */
export interface IDetailContext {
  /** The resource to show. */
  resource: IResourceRef;
  /** The AWS connection (clients, mode, region, read-only flag, error sentences). */
  connection: IAwsConnection;
  /** Translations. */
  trans: TranslationBundle;
  /** The application's commands. */
  commands: CommandRegistry;
  /** Open (or activate) the tab of another resource, e.g. a model version from its group. */
  open(resource: IResourceRef): void;
  /** Announce a change (approval, deletion, new execution…) so every list and open tab refreshes. */
  notify(change: IResourceChange): void;
  /** Changes announced by any view (including this one); a view refreshes itself when they concern it. */
  changes: import('@lumino/signaling').ISignal<unknown, IResourceChange>;
}

/** The content of a detail tab; it is put in a MainAreaWidget with the toolbar it fills. */
export interface IDetailContent {
  /** The widget shown in the tab. */
  content: Widget;
  /** Tab title (default: the resource name). */
  label?: string;
  /** Toolbar items to add to the tab's toolbar, by name. */
  toolbar?: Array<{ name: string; widget: Widget }>;
}

/** What each detail module exports. */
export interface IDetailModule {
  /** Build the tab's content. */
  createDetail(context: IDetailContext): IDetailContent;
}
