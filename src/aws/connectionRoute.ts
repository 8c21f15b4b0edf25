/**
 * REST client of the server's connection route, `{baseUrl}sagemaker-studio/connection`.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import type { IAwsConnection } from '../tokens';

/** Route of the connection state under the server's base URL. */
export const CONNECTION_ROUTE = 'sagemaker-studio/connection';

/** Read the connection state. */
export async function getConnectionState(
  settings: ServerConnection.ISettings
): Promise<IAwsConnection.IState> {
  return request(settings, { method: 'GET' });
}

/** Switch region and/or profile; the server answers with the new state or a 400 with a sentence. */
export async function putConnectionState(
  settings: ServerConnection.ISettings,
  change: IAwsConnection.ISwitch
): Promise<IAwsConnection.IState> {
  return request(settings, { method: 'PUT', body: JSON.stringify(change) });
}

/** Send a request and turn failures into `ServerConnection.ResponseError` carrying the server's message. */
async function request(
  settings: ServerConnection.ISettings,
  init: RequestInit
): Promise<IAwsConnection.IState> {
  const url = URLExt.join(settings.baseUrl, CONNECTION_ROUTE);
  const response = await ServerConnection.makeRequest(url, init, settings);
  if (!response.ok) {
    throw await ServerConnection.ResponseError.create(response);
  }
  return (await response.json()) as IAwsConnection.IState;
}
