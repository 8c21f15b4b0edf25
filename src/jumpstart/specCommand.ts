/**
 * The shape both JumpStart form commands share (deploy, fine-tune): read the model's spec, say so in a sentence
 * when it cannot be read, and open the form for it in the main area.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget, showErrorMessage } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { Widget } from '@lumino/widgets';

import type { IAwsConnection } from '../tokens';
import type { IModelSpec } from './types';

/** Reads the spec file of one model version. */
export type SpecLoader = (
  modelId: string,
  version: string
) => Promise<IModelSpec>;

/** What differs between the form commands. */
export interface ISpecFormCommand {
  /** Command id (args `{modelId, version}`). */
  id: string;
  /** Label and tab title; `modelId` is empty for the generic label. */
  label: (modelId: string) => string;
  /** Title of the error dialog when the spec cannot be read. */
  failureTitle: (modelId: string) => string;
  /** The form for a spec (its id becomes the tab's id). */
  create: (spec: IModelSpec) => Widget;
}

/** Add a command that opens a form for a model's spec in the main area. */
export function registerSpecFormCommand(
  app: JupyterFrontEnd,
  connection: IAwsConnection,
  loadSpec: SpecLoader,
  trans: TranslationBundle,
  form: ISpecFormCommand
): void {
  app.commands.addCommand(form.id, {
    label: args => form.label(args.modelId ? String(args.modelId) : ''),
    execute: async args => {
      const modelId = String(args.modelId ?? '');
      const version = String(args.version ?? '');
      let spec: IModelSpec;
      try {
        spec = await loadSpec(modelId, version);
      } catch (err) {
        await showErrorMessage(
          form.failureTitle(modelId),
          trans.__(
            'The spec of %1 %2 could not be read: %3 Check the connection and try again.',
            modelId,
            version,
            connection.describeError(err)
          )
        );
        return null;
      }
      const content = form.create(spec);
      const widget = new MainAreaWidget({ content });
      widget.id = content.id;
      widget.title.label = form.label(modelId);
      widget.title.closable = true;
      app.shell.add(widget, 'main');
      return widget;
    }
  });
}
