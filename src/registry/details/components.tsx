/**
 * Building blocks the detail tabs share: the loading / error / content frame, label-value fields, status badges,
 * and the confirmation asked before destructive actions. Views only; no AWS code.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { Time } from '@jupyterlab/coreutils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { ErrorState } from '../ErrorState';
import { badgeClass, resourceStatusLabel } from '../SectionView';
import type { ResourceModel } from './resource';

/** Loading, the error of a failed first load, or the content (with a later load's error above it). */
export function DetailFrame<T>({
  model,
  trans,
  children
}: {
  model: ResourceModel<T>;
  trans: TranslationBundle;
  children: (data: T) => React.ReactNode;
}): JSX.Element {
  if (model.data === null) {
    if (model.status === 'error') {
      return (
        <ErrorState
          className="jp-SageMakerDetail-error"
          message={model.error}
          onRetry={() => void model.refresh()}
          busy={model.isLoading}
          trans={trans}
        />
      );
    }
    return (
      <div className="jp-SageMakerDetail-loading" role="status">
        {trans.__('Loading…')}
      </div>
    );
  }
  return (
    <>
      {model.error && (
        <div className="jp-SageMakerDetail-error" role="alert">
          {model.error}
        </div>
      )}
      {children(model.data)}
    </>
  );
}

/** A label and its value, one pair a row; empty values show a dash. */
export function Fields({
  fields
}: {
  fields: Array<[string, React.ReactNode]>;
}): JSX.Element {
  return (
    <dl className="jp-SageMakerDetail-fields">
      {fields.map(([label, value]) => (
        <React.Fragment key={label}>
          <dt>{label}</dt>
          <dd>
            {value === null || value === undefined || value === ''
              ? '—'
              : value}
          </dd>
        </React.Fragment>
      ))}
    </dl>
  );
}

/** A titled part of a detail tab. */
export function DetailSection({
  title,
  testId,
  children
}: {
  title: string;
  testId?: string;
  children: React.ReactNode;
}): JSX.Element {
  return (
    <section className="jp-SageMakerDetail-section" data-testid={testId}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}

/** A resource status as a coloured badge. */
export function StatusBadge({
  status,
  trans
}: {
  status: string | null | undefined;
  trans: TranslationBundle;
}): JSX.Element | null {
  if (!status) {
    return null;
  }
  return (
    <span
      className={`jp-SageMakerRegistry-badge ${badgeClass(status)}`}
      data-status={status}
    >
      {resourceStatusLabel(status, trans)}
    </span>
  );
}

/** A time as "3 minutes ago", with the full date on hover. */
export function When({ date }: { date: Date | number | null | undefined }) {
  if (date === null || date === undefined) {
    return <>—</>;
  }
  const value = typeof date === 'number' ? new Date(date) : date;
  return (
    <time dateTime={value.toISOString()} title={value.toLocaleString()}>
      {Time.formatHuman(value)}
    </time>
  );
}

/**
 * Ask before a destructive action; resolves true only when the user chose the action's button.
 * @param options.title - dialog title, e.g. "Delete endpoint?"
 * @param options.body - what will happen, naming the resource
 * @param options.action - the button label, e.g. "Delete"
 */
export async function confirmDestructive(
  trans: TranslationBundle,
  options: { title: string; body: string; action: string }
): Promise<boolean> {
  const result = await showDialog({
    title: options.title,
    body: options.body,
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.warnButton({ label: options.action })
    ],
    defaultButton: 0
  });
  return result.button.accept;
}
