/**
 * The detail modules by kind, each loaded on first use. A new kind adds one line here and one module.
 */
import type { DetailKind, IDetailModule } from './types';

/** Loads the module of a kind's detail view. */
export const detailModules: Partial<
  Record<DetailKind, () => Promise<IDetailModule>>
> = {
  endpoint: () => import('./endpoint'),
  'feature-group': () => import('./featureGroup'),
  project: () => import('./project'),
  pipeline: () => import('./pipeline'),
  'model-package-group': () => import('./modelPackageGroup'),
  'model-package': () => import('./modelPackage')
};

/** Whether a value names a kind with a detail view. */
export function isDetailKind(value: unknown): value is DetailKind {
  return typeof value === 'string' && value in detailModules;
}
