/**
 * The error state every registry list shows: what failed, as a sentence, and a way to try again.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

/** Props of {@link ErrorState}. */
export interface IErrorStateProps {
  /** Class of the container (tests and styles tell the lists apart by it). */
  className: string;
  /** The failure, as a sentence for the user. */
  message: string | null;
  /** Fetch again. */
  onRetry: () => void;
  /** Whether a fetch is running (the button is disabled meanwhile). */
  busy: boolean;
  /** Translations. */
  trans: TranslationBundle;
  /** Optional test id of the container. */
  testId?: string;
}

/** A failed list: the sentence and a "Try again" button. */
export function ErrorState(props: IErrorStateProps): JSX.Element {
  return (
    <div className={props.className} role="alert" data-testid={props.testId}>
      <p>{props.message}</p>
      <button
        className="jp-mod-styled jp-mod-accept jp-SageMakerRegistry-retry"
        onClick={props.onRetry}
        disabled={props.busy}
      >
        {props.trans.__('Try again')}
      </button>
    </div>
  );
}
