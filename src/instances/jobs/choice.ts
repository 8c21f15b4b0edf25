/**
 * The instance type and image chosen for a notebook, read from its metadata: `instance_type` (the key Studio
 * writes) and `sagemaker_studio.image`. No DOM.
 */

/** What a notebook model offers for reading metadata. */
export interface IMetadataSource {
  /** One top-level metadata value. */
  getMetadata(key: string): unknown;
}

/** The notebook's chosen instance type and image (null when not chosen or not valid). */
export interface INotebookChoice {
  /** e.g. `ml.g4dn.xlarge`. */
  instanceType: string | null;
  /** Image URI. */
  image: string | null;
}

/** Read the choice; values of the wrong shape count as not chosen. */
export function notebookChoice(model: IMetadataSource): INotebookChoice {
  const type = model.getMetadata('instance_type');
  const studio = model.getMetadata('sagemaker_studio') as
    { image?: unknown } | undefined;
  return {
    instanceType:
      typeof type === 'string' && /^ml\.[a-z0-9-]+\.[a-z0-9]+$/.test(type)
        ? type
        : null,
    image:
      studio && typeof studio.image === 'string' && studio.image
        ? studio.image
        : null
  };
}
