/**
 * Configuration shared by the AWS SDK v3 clients of the suite (loaded with them, never at start-up).
 *
 * The clients never contact AWS: their endpoint is a placeholder, their credentials are placeholders and their
 * signer does nothing, because {@link ProxyHttpHandler} hands every request to the Jupyter server, which signs it.
 */
import type { ServerConnection } from '@jupyterlab/services';
import { HttpRequest } from '@smithy/core/transport';
import type {
  FinalizeRequestMiddleware,
  HttpRequest as IHttpRequest,
  Pluggable
} from '@smithy/types';

import { ProxyHttpHandler } from './handler';
import { IRetryOptions, withRetries } from './retry';

/** Options every SDK client factory of the suite takes. */
export interface ISdkClientOptions {
  /** Jupyter server settings. */
  serverSettings: ServerConnection.ISettings;
  /** AWS region of the client. */
  region: string;
  /** The retry policy. */
  retry: IRetryOptions;
}

/** Credentials the SDK requires to exist; the server replaces the signature, so they are never used. */
const PLACEHOLDER_CREDENTIALS = {
  accessKeyId: 'signed-by-jupyter-server',
  secretAccessKey: 'signed-by-jupyter-server'
};

/** The client configuration for one proxy service segment; `endpoint` is a placeholder that is never contacted. */
export function sdkClientConfig(
  options: ISdkClientOptions,
  service: string,
  endpoint: string
) {
  return {
    region: options.region,
    endpoint,
    credentials: PLACEHOLDER_CREDENTIALS,
    signer: { sign: async (request: IHttpRequest) => request },
    requestHandler: new ProxyHttpHandler({
      serverSettings: options.serverSettings,
      service,
      region: options.region
    }),
    // Retries come from retryPlugin, so the SDK's own strategy is reduced to a single attempt.
    maxAttempts: 1
  };
}

/** A middleware-stack plugin that applies the suite's retry policy to every command of an SDK client. */
export function retryPlugin(options: IRetryOptions): Pluggable<any, any> {
  const middleware: FinalizeRequestMiddleware<any, any> = next => args => {
    const request = args.request;
    // A streamed body is consumed by the first attempt and cannot be sent again.
    const replayable = !(
      HttpRequest.isInstance(request) &&
      typeof (request.body as ReadableStream | undefined)?.getReader ===
        'function'
    );
    return withRetries(
      () =>
        next({
          ...args,
          request: HttpRequest.isInstance(request)
            ? HttpRequest.clone(request)
            : request
        }),
      replayable ? options : { ...options, maxAttempts: 1 }
    );
  };
  return {
    applyToStack: stack => {
      stack.add(middleware, {
        step: 'finalizeRequest',
        name: 'sageMakerStudioRetryMiddleware',
        tags: ['RETRY'],
        priority: 'high'
      });
    }
  };
}
