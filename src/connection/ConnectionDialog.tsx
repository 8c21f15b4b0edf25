/**
 * The connection settings dialog: mode, account and identity, read-only state, region and profile pickers.
 */
import { Dialog, showDialog, showErrorMessage } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import type { IAwsConnection } from '../tokens';

/** The dialog body: the current state and the pickers; its value is the requested switch. */
export class ConnectionSettingsBody
  extends ReactWidget
  implements Dialog.IBodyWidget<IAwsConnection.ISwitch>
{
  /** Create the body for the connection's current state. */
  constructor(connection: IAwsConnection, trans: TranslationBundle) {
    super();
    this._connection = connection;
    this._trans = trans;
    this._region = connection.region ?? '';
    this._profile = connection.state?.profile ?? '';
    this.addClass('jp-SageMakerConnectionDialog');
  }

  /** The region and profile to switch to (only what changed). */
  getValue(): IAwsConnection.ISwitch {
    const change: IAwsConnection.ISwitch = {};
    const state = this._connection.state;
    if (this._region && this._region !== state?.region) {
      change.region = this._region;
    }
    if (
      state?.mode === 'aws' &&
      this._profile &&
      this._profile !== state.profile
    ) {
      change.profile = this._profile;
    }
    return change;
  }

  /** Render the form. */
  render(): JSX.Element {
    const trans = this._trans;
    const connection = this._connection;
    const state = connection.state;
    if (!state) {
      return (
        <p className="jp-SageMakerConnectionDialog-error">
          {connection.error ??
            trans.__('The connection state has not been read yet.')}
        </p>
      );
    }
    const regions = state.regions.includes(state.region)
      ? state.regions
      : [state.region, ...state.regions];
    return (
      <div>
        <dl className="jp-SageMakerConnectionDialog-facts">
          <dt>{trans.__('Mode')}</dt>
          <dd data-testid="sagemaker-studio-mode">
            {state.mode === 'local'
              ? trans.__('Local backend (no AWS account is used)')
              : trans.__('AWS account')}
          </dd>
          <dt>{trans.__('Account')}</dt>
          <dd>{connection.accountId ?? trans.__('unknown')}</dd>
          {connection.identity && (
            <>
              <dt>{trans.__('Identity')}</dt>
              <dd className="jp-SageMakerConnectionDialog-arn">
                {connection.identity.arn}
              </dd>
            </>
          )}
          <dt>{trans.__('Access')}</dt>
          <dd>
            {state.readOnly ? (
              <span className="jp-SageMakerConnectionDialog-readOnly">
                {trans.__('Read-only: changes are refused by the server')}
              </span>
            ) : (
              trans.__('Read and write')
            )}
          </dd>
        </dl>
        {connection.error && (
          <p className="jp-SageMakerConnectionDialog-error">
            {connection.error}
          </p>
        )}
        <label className="jp-SageMakerConnectionDialog-field">
          {trans.__('Region')}
          <select
            className="jp-mod-styled"
            name="region"
            defaultValue={this._region}
            onChange={e => {
              this._region = e.target.value;
            }}
          >
            {regions.map(r => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        {state.mode === 'aws' && (
          <label className="jp-SageMakerConnectionDialog-field">
            {trans.__('Profile')}
            <select
              className="jp-mod-styled"
              name="profile"
              defaultValue={this._profile}
              onChange={e => {
                this._profile = e.target.value;
              }}
            >
              {(state.profile && !state.profiles.includes(state.profile)
                ? [state.profile, ...state.profiles]
                : state.profiles
              ).map(p => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
    );
  }

  private _connection: IAwsConnection;
  private _trans: TranslationBundle;
  private _region: string;
  private _profile: string;
}

/** Show the dialog and apply the chosen switch; errors are shown as the server's sentence. */
export async function openConnectionSettings(
  connection: IAwsConnection,
  trans: TranslationBundle
): Promise<void> {
  // Show the latest state (e.g. profiles added since start-up).
  await connection.refresh();
  const result = await showDialog<IAwsConnection.ISwitch>({
    title: trans.__('SageMaker Connection'),
    body: new ConnectionSettingsBody(connection, trans),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: trans.__('Switch') })
    ]
  });
  const change = result.value;
  if (!result.button.accept || !change || Object.keys(change).length === 0) {
    return;
  }
  try {
    await connection.switch(change);
  } catch (err) {
    await showErrorMessage(
      trans.__('Switching the SageMaker connection failed'),
      (err as Error).message
    );
  }
}
