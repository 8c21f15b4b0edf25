/**
 * Comparisons as documents of the workspace: a `*.smcompare` file opens in the comparison view, edits mark it
 * dirty, and JupyterLab's save, revert, rename and restore apply as to any file — so a comparison can be shared
 * and committed like a notebook.
 */
import {
  ABCWidgetFactory,
  DocumentRegistry,
  DocumentWidget,
  IDocumentWidget
} from '@jupyterlab/docregistry';
import type { TranslationBundle } from '@jupyterlab/translation';

import { CompareModel } from './compareModel';
import { CompareView } from './CompareView';
import { parseComparison, serializeComparison } from './comparison';

/** Name of the widget factory (also the "Open With" entry). */
export const COMPARE_FACTORY = 'SageMaker Run Comparison';

/** Name of the file type of `*.smcompare` files. */
export const COMPARE_FILE_TYPE = 'sagemaker-run-comparison';

/** A comparison document widget. */
export type CompareDocument = IDocumentWidget<CompareView>;

/** Makes comparison views for `*.smcompare` files. */
export class CompareWidgetFactory extends ABCWidgetFactory<
  CompareDocument,
  DocumentRegistry.IModel
> {
  /** Create the factory; `createModel` makes the state of each opened file. */
  constructor(options: CompareWidgetFactory.IOptions) {
    super(options);
    this._createModel = options.createModel;
    this._trans = options.trans;
  }

  protected createNewWidget(
    context: DocumentRegistry.IContext<DocumentRegistry.IModel>
  ): CompareDocument {
    let widget: CompareDocument | null = null;
    const model = this._createModel(() => !!widget && widget.isVisible);
    const content = new CompareView({ model, trans: this._trans });
    widget = new DocumentWidget({ content, context });
    widget.addClass('jp-SageMakerCompareDocument');
    bindToFile(context, content, this._trans);
    widget.disposed.connect(() => model.dispose());
    return widget;
  }

  private _createModel: (isVisible: () => boolean) => CompareModel;
  private _trans: TranslationBundle;
}

/** Types of {@link CompareWidgetFactory}. */
export namespace CompareWidgetFactory {
  /** Options of the factory. */
  export interface IOptions extends DocumentRegistry.IWidgetFactoryOptions<CompareDocument> {
    /** Makes the state of one opened comparison. */
    createModel: (isVisible: () => boolean) => CompareModel;
    /** Translations. */
    trans: TranslationBundle;
  }
}

/**
 * Keep the view and the file's text in step: the text is read when the file loads or changes on disk (revert), and
 * written when the comparison changes (which marks the document dirty until saved).
 */
function bindToFile(
  context: DocumentRegistry.IContext<DocumentRegistry.IModel>,
  view: CompareView,
  trans: TranslationBundle
): void {
  const model = view.model;
  let writing = false;
  const read = () => {
    if (writing) {
      return;
    }
    try {
      model.setComparison(parseComparison(context.model.toString(), trans));
      view.fileError = null;
    } catch (err) {
      // A malformed file is shown as a sentence and left as it is.
      view.fileError = (err as Error).message;
    }
  };
  void context.ready.then(() => {
    read();
    context.model.contentChanged.connect(read);
  });
  model.contentChanged.connect(() => {
    if (view.fileError) {
      return;
    }
    writing = true;
    try {
      context.model.fromString(serializeComparison(model.comparison));
    } finally {
      writing = false;
    }
  });
}
