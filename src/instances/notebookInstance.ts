/**
 * The instance type and image chosen for a notebook, kept in its metadata the way Studio keeps it:
 * `metadata.instance_type` and, for the image, `metadata.sagemaker_studio.{image, imageName}`. Other metadata is
 * left as it is. No DOM.
 */
import type { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import type { IInstanceType } from './catalog';

/** The metadata key Studio writes the instance type under. */
export const INSTANCE_TYPE_KEY = 'instance_type';

/** The metadata key of this suite's notebook settings (the image). */
export const STUDIO_METADATA_KEY = 'sagemaker_studio';

/** The part of a notebook model this module uses (`INotebookModel` has it). */
export interface IMetadataModel {
  /** One metadata value. */
  getMetadata(key: string): unknown;
  /** Set one metadata value (marks the notebook dirty). */
  setMetadata(key: string, value: unknown): void;
  /** Emitted when metadata changes. */
  readonly metadataChanged: ISignal<any, any>;
}

/** The choice stored in a notebook. */
export interface IInstanceChoice {
  /** `ml.g4dn.xlarge`. */
  instanceType: string;
  /** The image URI, null when none was chosen. */
  image: string | null;
  /** The image's label, null when none was chosen. */
  imageName: string | null;
}

/** The choice stored in a notebook's metadata, or null when it has none. */
export function readInstanceChoice(
  model: Pick<IMetadataModel, 'getMetadata'>
): IInstanceChoice | null {
  const instanceType = model.getMetadata(INSTANCE_TYPE_KEY);
  if (typeof instanceType !== 'string' || !instanceType) {
    return null;
  }
  const studio = model.getMetadata(STUDIO_METADATA_KEY);
  const record =
    studio && typeof studio === 'object'
      ? (studio as Record<string, unknown>)
      : {};
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    instanceType,
    image: text(record.image),
    imageName: text(record.imageName)
  };
}

/** Store a choice in a notebook's metadata, merging into `sagemaker_studio` and leaving other keys untouched. */
export function writeInstanceChoice(
  model: Pick<IMetadataModel, 'getMetadata' | 'setMetadata'>,
  choice: IInstanceChoice
): void {
  model.setMetadata(INSTANCE_TYPE_KEY, choice.instanceType);
  const studio = model.getMetadata(STUDIO_METADATA_KEY);
  const merged: Record<string, unknown> =
    studio && typeof studio === 'object' && !Array.isArray(studio)
      ? { ...(studio as Record<string, unknown>) }
      : {};
  if (choice.image) {
    merged.image = choice.image;
    merged.imageName = choice.imageName;
  } else {
    delete merged.image;
    delete merged.imageName;
  }
  model.setMetadata(STUDIO_METADATA_KEY, merged);
}

/** The choice of one open notebook and the hardware of its type, following metadata changes. */
export class NotebookInstanceModel implements IDisposable {
  /** Follow a notebook model; `lookup` finds a type's hardware (in the bundled table). */
  constructor(options: NotebookInstanceModel.IOptions) {
    this._model = options.model;
    this._lookup = options.lookup;
    this._model.metadataChanged.connect(() => this._update(), this);
    this._update(true);
  }

  /** The stored choice, or null. */
  get choice(): IInstanceChoice | null {
    return this._choice;
  }

  /** The hardware of the chosen type, null while unknown (not chosen, not loaded yet, or not in the table). */
  get instance(): IInstanceType | null {
    return this._instance;
  }

  /** Emitted when the choice or its hardware changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Whether the model is disposed. */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Stop following. */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    Signal.clearData(this);
  }

  private _update(first = false): void {
    const choice = readInstanceChoice(this._model);
    const same =
      !first &&
      choice?.instanceType === this._choice?.instanceType &&
      choice?.image === this._choice?.image;
    this._choice = choice;
    if (same) {
      return;
    }
    this._instance = null;
    this._changed.emit();
    if (!choice) {
      return;
    }
    const asked = choice.instanceType;
    void this._lookup(asked).then(
      instance => {
        if (this._isDisposed || this._choice?.instanceType !== asked) {
          return;
        }
        this._instance = instance;
        this._changed.emit();
      },
      () => undefined
    );
  }

  private _model: IMetadataModel;
  private _lookup: (type: string) => Promise<IInstanceType | null>;
  private _choice: IInstanceChoice | null = null;
  private _instance: IInstanceType | null = null;
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
}

/** Types of {@link NotebookInstanceModel}. */
export namespace NotebookInstanceModel {
  /** Options of the model. */
  export interface IOptions {
    /** The notebook's model. */
    model: IMetadataModel;
    /** The hardware of a type, or null when unknown. */
    lookup: (type: string) => Promise<IInstanceType | null>;
  }
}
