/**
 * Re-describe a resource while its status is changing (Creating, CreateInProgress…), so a tab opened during a
 * transition shows its end without a manual refresh. Stops while the tab is hidden and once the status settles.
 */
import type { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';

import type { ResourceModel } from './resource';

/** Statuses that change by themselves (SageMaker's *ing / *InProgress states). */
export function isTransitional(status: string | null | undefined): boolean {
  return !!status && /(ing|InProgress)$/.test(status);
}

/** Refresh `model` every `seconds` while `statusOf(model.data)` is transitional; dispose to stop. */
export function followStatus<T>(
  model: ResourceModel<T>,
  statusOf: (data: T) => string | null | undefined,
  seconds = 5
): IDisposable {
  const poll = new Poll({
    factory: async () => {
      const data = model.data;
      if (data !== null && isTransitional(statusOf(data)) && !model.isLoading) {
        await model.refresh();
      }
    },
    frequency: { interval: seconds * 1000, backoff: false },
    standby: 'when-hidden',
    name: 'jupyterlab-sagemaker-studio:follow-status'
  });
  return poll;
}
