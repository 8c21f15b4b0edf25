/**
 * The generic registry sections, each described by a small descriptor: title, wording, whether the API filters by
 * name, and its list call (loaded with `import()` so the SDK stays out of JupyterLab's start-up).
 */
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { TranslationBundle } from '@jupyterlab/translation';

import type { DetailKind } from './details/types';
import type { ListCall } from './listCalls';

/** How one kind of resource is listed and worded. */
export interface ISectionDescriptor {
  /** Stable id, used in class names, test ids and the refresh command's arguments. */
  id: string;
  /** Section title. */
  label: string;
  /** "%1 project" / "%1 projects" for the count line. */
  count: (n: number) => string;
  /** What the empty state says when nothing exists. */
  emptyHint: string;
  /** Whether the API's List call filters by name (NameContains). */
  serverSearch: boolean;
  /** Show only the number of resources (Experiments has its own browser). */
  countOnly: boolean;
  /** Loads the list call with the SDK. */
  load: () => Promise<ListCall>;
  /** The detail tab a row opens, if any. */
  detailKind?: DetailKind;
}

/** A client factory, so a descriptor's list call can run against the current region. */
export type ClientFactory = () => Promise<SageMakerClient>;

/** The sections after Endpoints, in sidebar order. */
export function sectionDescriptors(
  trans: TranslationBundle
): ISectionDescriptor[] {
  const demoHint = trans.__(
    'In local mode, `python -m jupyterlab_sagemaker_studio.demo` creates demo content.'
  );
  return [
    {
      id: 'model-registry',
      detailKind: 'model-package-group',
      label: trans.__('Model registry'),
      count: n => trans._n('%1 model group', '%1 model groups', n),
      emptyHint: `${trans.__(
        'Register a model version (for example with `model.register()` of the SageMaker Python SDK) to create a model package group, then refresh.'
      )} ${demoHint}`,
      serverSearch: true,
      countOnly: false,
      load: async () => (await import('./listCalls')).listModelPackageGroups
    },
    {
      id: 'pipelines',
      detailKind: 'pipeline',
      label: trans.__('Pipelines'),
      count: n => trans._n('%1 pipeline', '%1 pipelines', n),
      emptyHint: `${trans.__(
        'Create a pipeline (for example `Pipeline(...).upsert()` with the SageMaker Python SDK), then refresh.'
      )} ${demoHint}`,
      serverSearch: false,
      countOnly: false,
      load: async () => (await import('./listCalls')).listPipelines
    },
    {
      id: 'projects',
      detailKind: 'project',
      label: trans.__('Projects'),
      count: n => trans._n('%1 project', '%1 projects', n),
      emptyHint: `${trans.__(
        'Create a project from a SageMaker project template (CreateProject), then refresh.'
      )} ${demoHint}`,
      serverSearch: true,
      countOnly: false,
      load: async () => (await import('./listCalls')).listProjects
    },
    {
      id: 'feature-store',
      detailKind: 'feature-group',
      label: trans.__('Feature Store'),
      count: n => trans._n('%1 feature group', '%1 feature groups', n),
      emptyHint: `${trans.__(
        'Create a feature group (for example `FeatureGroup(...).create()` with the SageMaker Python SDK), then refresh.'
      )} ${demoHint}`,
      serverSearch: true,
      countOnly: false,
      load: async () => (await import('./listCalls')).listFeatureGroups
    },
    {
      id: 'experiments',
      label: trans.__('Experiments'),
      count: n => trans._n('%1 experiment', '%1 experiments', n),
      emptyHint: `${trans.__(
        'Track a run (for example `with Run(experiment_name=...)` of the SageMaker Python SDK) to create an experiment, then refresh.'
      )} ${demoHint}`,
      serverSearch: false,
      countOnly: true,
      load: async () => (await import('./listCalls')).listExperiments
    }
  ];
}
