/**
 * The AWS SDK v3 request handler of the suite: the SDK builds and parses each request, this handler sends it
 * through the Jupyter server's signing proxy instead of to AWS.
 *
 * It mirrors `@smithy/fetch-http-handler`: the response body is the fetch `ReadableStream` (or a `Blob` when the
 * response has no stream), which the SDK's browser stream collector and `sdkStreamMixin` both accept.
 */
import type { ServerConnection } from '@jupyterlab/services';
import { HttpResponse } from '@smithy/core/transport';
import type { HttpRequest } from '@smithy/core/transport';
import type { HttpHandlerOptions } from '@smithy/types';

import { sendThroughProxy } from './transport';

/** Sends SDK requests for one service and region through the proxy. */
export class ProxyHttpHandler {
  /** Create a handler; the service and region are fixed, as the endpoint of an SDK client is. */
  constructor(options: ProxyHttpHandler.IOptions) {
    this._settings = options.serverSettings;
    this._service = options.service;
    this._region = options.region;
  }

  /** The proxy service segment this handler sends to. */
  get service(): string {
    return this._service;
  }

  /** The region this handler sends to. */
  get region(): string {
    return this._region;
  }

  /** Send one request; resolves with the HTTP response whatever its status (the SDK parses AWS errors). */
  async handle(
    request: HttpRequest,
    options: HttpHandlerOptions = {}
  ): Promise<{ response: HttpResponse }> {
    const cancel = Private.linkSignal(
      options.abortSignal,
      options.requestTimeout
    );
    try {
      const response = await sendThroughProxy(this._settings, {
        service: this._service,
        region: this._region,
        method: request.method,
        path: request.path,
        query: request.query as Record<string, string | string[] | null>,
        headers: request.headers,
        body: request.body,
        signal: cancel.signal
      });
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name.toLowerCase()] = value;
      });
      const body = response.body ?? (await response.blob());
      return {
        response: new HttpResponse({
          statusCode: response.status,
          reason: response.statusText,
          headers,
          body
        })
      };
    } catch (err) {
      throw cancel.timedOut ? Private.timeoutError() : err;
    } finally {
      cancel.dispose();
    }
  }

  /** The handler has no configuration the SDK could change. */
  updateHttpClientConfig(): void {
    // Nothing to update: timeouts and connections belong to the Jupyter server.
  }

  /** The handler has no configuration the SDK could read. */
  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  /** Nothing to release: fetch owns the connections. */
  destroy(): void {
    // No sockets or agents to close in the browser.
  }

  private _settings: ServerConnection.ISettings;
  private _service: string;
  private _region: string;
}

/** Types of {@link ProxyHttpHandler}. */
export namespace ProxyHttpHandler {
  /** Options of the handler. */
  export interface IOptions {
    /** Jupyter server settings (base URL, token, fetch). */
    serverSettings: ServerConnection.ISettings;
    /** Proxy service segment: sagemaker, sagemaker-metrics, sagemaker-runtime, s3, sts. */
    service: string;
    /** AWS region. */
    region: string;
  }
}

namespace Private {
  /** A browser AbortSignal tied to the SDK's signal (which may be a legacy `{aborted, onabort}` object) and timeout. */
  export interface ILinkedSignal {
    signal: AbortSignal;
    timedOut: boolean;
    dispose(): void;
  }

  /** Link the SDK's abort signal and request timeout to one real AbortSignal that fetch understands. */
  export function linkSignal(
    source: HttpHandlerOptions['abortSignal'],
    timeoutMs: number | undefined
  ): ILinkedSignal {
    const controller = new AbortController();
    const linked: ILinkedSignal = {
      signal: controller.signal,
      timedOut: false,
      dispose: () => undefined
    };
    const abort = () => controller.abort();
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (source?.aborted) {
      controller.abort();
    } else if (source && 'addEventListener' in source) {
      source.addEventListener('abort', abort, { once: true });
    } else if (source) {
      source.onabort = abort;
    }
    if (timeoutMs && timeoutMs > 0) {
      timer = setTimeout(() => {
        linked.timedOut = true;
        controller.abort();
      }, timeoutMs);
    }
    linked.dispose = () => {
      if (timer !== undefined) {
        clearTimeout(timer);
      }
      if (source && 'removeEventListener' in source) {
        source.removeEventListener('abort', abort);
      }
    };
    return linked;
  }

  /** The error of a request that exceeded the SDK's requestTimeout. */
  export function timeoutError(): Error {
    const err = new Error('The request took longer than its time limit.');
    err.name = 'TimeoutError';
    return err;
  }
}
