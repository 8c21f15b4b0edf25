/**
 * The status bar item: `SageMaker · local` or `SageMaker · <account> · <region>`; a click opens the settings.
 */
import { TextItem } from '@jupyterlab/statusbar';
import type { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';

import type { IAwsConnection } from '../tokens';

/** The status bar widget of the AWS connection. */
export class ConnectionStatusItem extends ReactWidget {
  /** Create the item; `onOpen` shows the connection settings. */
  constructor(options: ConnectionStatusItem.IOptions) {
    super();
    this._connection = options.connection;
    this._trans = options.trans;
    this._onOpen = options.onOpen;
    this.addClass('jp-SageMakerStatus');
    this.addClass('jp-mod-highlighted');
    this.node.dataset.testid = 'sagemaker-studio-status';
  }

  /** Render the label; re-rendered whenever the connection changes. */
  render(): JSX.Element {
    return (
      <UseSignal signal={this._connection.changed}>
        {() => {
          const { label, title } = statusLabel(this._connection, this._trans);
          this.toggleClass('jp-mod-error', Boolean(this._connection.error));
          return (
            <TextItem
              source={label}
              title={title}
              onClick={this._onOpen}
              className="jp-SageMakerStatus-label"
            />
          );
        }}
      </UseSignal>
    );
  }

  private _connection: IAwsConnection;
  private _trans: TranslationBundle;
  private _onOpen: () => void;
}

/** Types of {@link ConnectionStatusItem}. */
export namespace ConnectionStatusItem {
  /** Options of the item. */
  export interface IOptions {
    /** The connection shown. */
    connection: IAwsConnection;
    /** Translations. */
    trans: TranslationBundle;
    /** Opens the connection settings. */
    onOpen: () => void;
  }
}

/** The label and tooltip for a connection's current state. */
export function statusLabel(
  connection: Pick<
    IAwsConnection,
    'mode' | 'region' | 'accountId' | 'error' | 'state'
  >,
  trans: TranslationBundle
): { label: string; title: string } {
  const parts = [trans.__('SageMaker')];
  if (connection.mode === 'local') {
    parts.push(trans.__('local'));
  } else if (connection.mode === 'aws') {
    if (connection.accountId) {
      parts.push(connection.accountId);
    }
    parts.push(connection.region ?? '');
  } else if (connection.error) {
    parts.push(trans.__('unavailable'));
  } else {
    parts.push('…');
  }
  const hint = trans.__('Click to change the SageMaker connection settings.');
  let title = connection.error ? `${connection.error}\n${hint}` : hint;
  if (connection.state?.readOnly) {
    title = `${trans.__('Read-only connection.')}\n${title}`;
  }
  return { label: parts.join(' · '), title };
}
