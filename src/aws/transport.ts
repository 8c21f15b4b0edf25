/**
 * The one way an AWS request leaves the browser: through the Jupyter server's signing proxy.
 *
 * `{baseUrl}sagemaker-studio/aws/{service}/{region}{path}?{query}`, sent with `ServerConnection.makeRequest` so the
 * Jupyter token and XSRF header go along. The server re-signs the request with real credentials; the browser never
 * holds any. This module has no dependency on the AWS SDK, so the small clients (STS, sagemaker-metrics) stay small.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { PROXY_ERROR_HEADER, ProxyError } from './errors';

/** Route prefix of the signing proxy under the server's base URL. */
export const PROXY_ROUTE = 'sagemaker-studio/aws';

/** Query parameters as the AWS SDK represents them (repeated keys as arrays, flags as null). */
export type QueryParameters = Record<string, string | string[] | null>;

/** Bodies the transport can send. */
export type RequestBody =
  string | Uint8Array | ArrayBuffer | Blob | ReadableStream<Uint8Array>;

/** One AWS request, before it is addressed to the proxy. */
export interface IProxyRequest {
  /** Proxy service segment: sagemaker, sagemaker-metrics, sagemaker-runtime, s3, sts. */
  service: string;
  /** AWS region the server should send the request to. */
  region: string;
  /** HTTP method. */
  method: string;
  /** The request path as the SDK built it, already percent-encoded, starting with '/'. */
  path: string;
  /** Query parameters, not yet encoded. */
  query?: QueryParameters;
  /** Request headers as the SDK built them. */
  headers?: Record<string, string>;
  /** Request body. */
  body?: RequestBody | null;
  /** Cancels the request. */
  signal?: AbortSignal;
}

/**
 * Headers the browser must not or need not send: the proxy signs anew (so any signature material is void), and
 * fetch refuses to set connection-level headers itself.
 */
const DROPPED_HEADERS = new Set([
  'authorization',
  'connection',
  'content-length',
  'expect',
  'host',
  'transfer-encoding',
  'user-agent',
  'x-amz-content-sha256',
  'x-amz-date',
  'x-amz-security-token'
]);

/** Path segments accepted for service and region: exactly what the server route accepts. */
const SEGMENT = /^[a-z0-9-]+$/;

/**
 * Encode a query component the way AWS SigV4 expects (RFC 3986: encodeURIComponent plus `!'()*`), so the server
 * can forward the query string byte for byte.
 */
export function encodeQueryComponent(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
  );
}

/** Build a query string from SDK-style parameters, keeping the SDK's key order and repeated keys. */
export function buildQueryString(query: QueryParameters | undefined): string {
  const parts: string[] = [];
  for (const key of Object.keys(query ?? {})) {
    const value = query![key];
    const name = encodeQueryComponent(key);
    if (value === null || value === undefined) {
      parts.push(name);
    } else if (Array.isArray(value)) {
      for (const item of value) {
        parts.push(`${name}=${encodeQueryComponent(item)}`);
      }
    } else {
      parts.push(`${name}=${encodeQueryComponent(value)}`);
    }
  }
  return parts.join('&');
}

/** The proxy URL of a request. The SDK's path is kept exactly as encoded; the query is encoded here. */
export function proxyUrl(
  settings: ServerConnection.ISettings,
  request: Pick<IProxyRequest, 'service' | 'region' | 'path' | 'query'>
): string {
  if (!SEGMENT.test(request.service)) {
    throw new Error(`"${request.service}" is not a valid AWS service name.`);
  }
  if (!SEGMENT.test(request.region)) {
    throw new Error(`"${request.region}" is not a valid AWS region name.`);
  }
  const path = request.path.startsWith('/') ? request.path : `/${request.path}`;
  // URLExt.join would normalise the SDK's path (e.g. collapse "//" in S3 keys), so only the prefix goes through it.
  const prefix = URLExt.join(
    settings.baseUrl,
    PROXY_ROUTE,
    request.service,
    request.region
  );
  const query = buildQueryString(request.query);
  return `${prefix}${path}${query ? `?${query}` : ''}`;
}

/** Keep the headers AWS needs (content and x-amz-*), drop the ones the proxy replaces or the browser forbids. */
export function filterRequestHeaders(
  headers: Record<string, string> | undefined
): Headers {
  const result = new Headers();
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!DROPPED_HEADERS.has(name.toLowerCase())) {
      result.set(name, value);
    }
  }
  return result;
}

/**
 * Send one request through the proxy and return the raw response (AWS errors included, for the caller's
 * protocol parser). Throws {@link ProxyError} for the proxy's own errors, `ServerConnection.NetworkError` when the
 * Jupyter server cannot be reached, and an `AbortError` when cancelled.
 */
export async function sendThroughProxy(
  settings: ServerConnection.ISettings,
  request: IProxyRequest
): Promise<Response> {
  if (request.signal?.aborted) {
    throw Private.abortError();
  }
  const method = request.method.toUpperCase();
  const headers = filterRequestHeaders(request.headers);
  let body: BodyInit | undefined = undefined;
  if (method !== 'GET' && method !== 'HEAD' && request.body !== undefined) {
    body = await Private.toBodyInit(request.body);
  }
  if (body !== undefined && !headers.has('Content-Type')) {
    // makeRequest would otherwise label the body application/json, which S3 would store as the object's type.
    headers.set('Content-Type', 'application/octet-stream');
  }
  const init: RequestInit = {
    method,
    headers,
    body,
    signal: request.signal,
    // The default 'no-store' makes makeRequest append a cache-busting query parameter, which would change the
    // AWS request; 'reload' bypasses the HTTP cache just as well.
    cache: 'reload'
  };
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(
      proxyUrl(settings, request),
      init,
      settings
    );
  } catch (err) {
    if (request.signal?.aborted) {
      throw Private.abortError();
    }
    throw err;
  }
  if (response.headers.get(PROXY_ERROR_HEADER)) {
    throw await Private.proxyError(response);
  }
  return response;
}

namespace Private {
  /** The error fetch raises on cancellation, also used when the signal fired before sending. */
  export function abortError(): Error {
    const err = new Error('The request was cancelled.');
    err.name = 'AbortError';
    return err;
  }

  /** Turn an SDK body into something fetch sends without streaming uploads (which need HTTP/2). */
  export async function toBodyInit(
    body: RequestBody | null
  ): Promise<BodyInit | undefined> {
    if (body === null) {
      return undefined;
    }
    if (typeof body === 'string' || Private.isBlob(body)) {
      return body as string | Blob;
    }
    if (body instanceof ArrayBuffer) {
      return body;
    }
    if (ArrayBuffer.isView(body)) {
      // Copy into a plain ArrayBuffer: the view may be a window into a larger buffer.
      return body.slice().buffer as ArrayBuffer;
    }
    if (typeof (body as ReadableStream).getReader === 'function') {
      // Browsers only stream request bodies over HTTP/2, and Jupyter serves HTTP/1.1: buffer the stream.
      return await new Response(body as ReadableStream).blob();
    }
    throw new TypeError('The request body type is not supported.');
  }

  /** Whether a body is a Blob (duck-typed: Blobs from another realm, e.g. an iframe, fail `instanceof`). */
  export function isBlob(body: unknown): boolean {
    return (
      typeof body === 'object' &&
      body !== null &&
      typeof (body as Blob).arrayBuffer === 'function' &&
      typeof (body as Blob).size === 'number' &&
      typeof (body as Blob).type === 'string'
    );
  }

  /** Read the proxy's JSON error body `{message, code}`. */
  export async function proxyError(response: Response): Promise<ProxyError> {
    let code = 'ProxyError';
    let message = '';
    try {
      const data = (await response.json()) as {
        code?: string;
        message?: string;
      };
      code = data.code || code;
      message = data.message || '';
    } catch {
      message = `The Jupyter server answered ${response.status} ${response.statusText}.`;
    }
    return new ProxyError(code, message, response.status);
  }
}
