/**
 * A tiny STS client (query protocol) for the one call the suite needs: GetCallerIdentity, which names the account
 * and principal the Jupyter server's credentials belong to. Loaded with `import()` on first use.
 */
import type { ServerConnection } from '@jupyterlab/services';

import { AwsServiceError } from './errors';
import { IRetryOptions, withRetries } from './retry';
import { sendThroughProxy } from './transport';

/** Result of GetCallerIdentity. */
export interface ICallerIdentity {
  /** The 12-digit account id. */
  Account: string;
  /** ARN of the calling principal. */
  Arn: string;
  /** Unique id of the calling principal. */
  UserId: string;
}

/** STS client for one region. */
export class StsClient {
  /** Create a client sending through the proxy route `sts`. */
  constructor(options: StsClient.IOptions) {
    this._settings = options.serverSettings;
    this._region = options.region;
    this._retry = options.retry;
  }

  /** Who the server's credentials belong to. */
  async getCallerIdentity(signal?: AbortSignal): Promise<ICallerIdentity> {
    const doc = await withRetries(
      () => this._call('GetCallerIdentity', signal),
      this._retry,
      signal
    );
    const text = (tag: string) =>
      doc.getElementsByTagName(tag)[0]?.textContent?.trim() ?? '';
    return {
      Account: text('Account'),
      Arn: text('Arn'),
      UserId: text('UserId')
    };
  }

  private async _call(action: string, signal?: AbortSignal): Promise<Document> {
    const response = await sendThroughProxy(this._settings, {
      service: 'sts',
      region: this._region,
      method: 'POST',
      path: '/',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8'
      },
      body: `Action=${action}&Version=2011-06-15`,
      signal
    });
    const body = await response.text();
    const doc = new DOMParser().parseFromString(body, 'text/xml');
    const parsed = doc.getElementsByTagName('parsererror').length === 0;
    if (!response.ok || !parsed) {
      const field = (tag: string) =>
        (parsed && doc.getElementsByTagName(tag)[0]?.textContent?.trim()) || '';
      throw new AwsServiceError(
        field('Code') || `Http${response.status}`,
        field('Message'),
        {
          httpStatusCode: response.status,
          requestId: field('RequestId') || undefined
        }
      );
    }
    return doc;
  }

  private _settings: ServerConnection.ISettings;
  private _region: string;
  private _retry: IRetryOptions;
}

/** Types of {@link StsClient}. */
export namespace StsClient {
  /** Options of the client. */
  export interface IOptions {
    /** Jupyter server settings. */
    serverSettings: ServerConnection.ISettings;
    /** AWS region (STS has regional endpoints; the server resolves them). */
    region: string;
    /** The retry policy. */
    retry: IRetryOptions;
  }
}
