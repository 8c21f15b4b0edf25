/**
 * Tests of the SDK request handler and the proxy transport. Blob and ReadableStream come from node, as jsdom's
 * are not accepted by node's fetch classes that @jupyterlab/testing installs.
 */
import { HttpRequest } from '@smithy/core/transport';
import { Blob } from 'buffer';
import { ReadableStream } from 'stream/web';
import { streamCollector } from '@smithy/fetch-http-handler';

import { ProxyError } from '../aws/errors';
import { ProxyHttpHandler } from '../aws/handler';
import { buildQueryString, proxyUrl } from '../aws/transport';
import { fakeServer, proxyErrorResponse } from './fakeServer';

const BASE = 'http://localhost:8888/lab/base/';

function s3Request(
  overrides: Partial<ConstructorParameters<typeof HttpRequest>[0]> = {}
) {
  return new HttpRequest({
    method: 'GET',
    protocol: 'https:',
    hostname: 's3.us-west-2.amazonaws.com',
    path: '/my-bucket/dir%20one/a%2Bb.txt',
    query: {
      'list-type': '2',
      prefix: "a b/c(1)*!'",
      'fetch-owner': null as unknown as string
    },
    headers: {},
    ...overrides
  });
}

describe('proxy URL construction', () => {
  it('keeps the SDK path byte for byte and encodes the query per RFC 3986', () => {
    const server = fakeServer(BASE);
    const url = proxyUrl(server.settings, {
      service: 's3',
      region: 'us-west-2',
      path: '/my-bucket/dir%20one//a%2Bb.txt',
      query: { prefix: "a b/c(1)*!'", 'list-type': '2' }
    });
    expect(url).toBe(
      'http://localhost:8888/lab/base/sagemaker-studio/aws/s3/us-west-2/my-bucket/dir%20one//a%2Bb.txt' +
        '?prefix=a%20b%2Fc%281%29%2A%21%27&list-type=2'
    );
  });

  it('writes repeated keys for arrays and bare keys for flags', () => {
    expect(
      buildQueryString({ uploads: null, tag: ['x y', 'z'], 'a&b': '=' })
    ).toBe('uploads&tag=x%20y&tag=z&a%26b=%3D');
    expect(buildQueryString({})).toBe('');
  });

  it('adds the slash of an empty path and refuses segments that could change the route', () => {
    const server = fakeServer(BASE);
    expect(
      proxyUrl(server.settings, {
        service: 'sagemaker',
        region: 'eu-west-1',
        path: ''
      })
    ).toBe(
      'http://localhost:8888/lab/base/sagemaker-studio/aws/sagemaker/eu-west-1/'
    );
    expect(() =>
      proxyUrl(server.settings, {
        service: 'sagemaker',
        region: '../../api',
        path: '/'
      })
    ).toThrow('not a valid AWS region');
    expect(() =>
      proxyUrl(server.settings, {
        service: 'S3/x',
        region: 'us-east-1',
        path: '/'
      })
    ).toThrow('not a valid AWS service');
  });
});

describe('ProxyHttpHandler', () => {
  it('sends method, URL and the right headers, and maps the response', async () => {
    const server = fakeServer(BASE);
    server.answers.push(
      new Response('<ListBucketResult/>', {
        status: 200,
        headers: {
          'Content-Type': 'application/xml',
          'X-Amz-Request-Id': 'abc',
          ETag: '"e1"'
        }
      })
    );
    const handler = new ProxyHttpHandler({
      serverSettings: server.settings,
      service: 's3',
      region: 'us-west-2'
    });
    const { response } = await handler.handle(
      s3Request({
        headers: {
          authorization: 'AWS4-HMAC-SHA256 Credential=placeholder',
          'x-amz-date': '20240101T000000Z',
          'x-amz-security-token': 'token',
          'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
          host: 's3.us-west-2.amazonaws.com',
          'content-length': '0',
          'x-amz-user-agent': 'aws-sdk-js/3',
          'x-amz-checksum-mode': 'ENABLED',
          'content-type': 'application/xml'
        }
      })
    );
    const sent = server.requests[0];
    expect(sent.method).toBe('GET');
    expect(sent.url).toBe(
      'http://localhost:8888/lab/base/sagemaker-studio/aws/s3/us-west-2/my-bucket/dir%20one/a%2Bb.txt' +
        '?list-type=2&prefix=a%20b%2Fc%281%29%2A%21%27&fetch-owner'
    );
    // The Jupyter token replaces the AWS signature; signature material is dropped.
    expect(sent.headers.get('authorization')).toBe('token test-token');
    for (const dropped of [
      'x-amz-date',
      'x-amz-security-token',
      'x-amz-content-sha256',
      'host'
    ]) {
      expect(sent.headers.has(dropped)).toBe(false);
    }
    expect(sent.headers.get('x-amz-user-agent')).toBe('aws-sdk-js/3');
    expect(sent.headers.get('x-amz-checksum-mode')).toBe('ENABLED');
    expect(sent.headers.get('content-type')).toBe('application/xml');

    expect(response.statusCode).toBe(200);
    expect(response.headers['x-amz-request-id']).toBe('abc');
    expect(response.headers['etag']).toBe('"e1"');
    const bytes = await streamCollector(response.body);
    expect(new TextDecoder().decode(bytes)).toBe('<ListBucketResult/>');
  });

  it.each([
    ['string', '{"EndpointName":"e"}', '{"EndpointName":"e"}'],
    ['Uint8Array', new TextEncoder().encode('bytes-\u00e9'), 'bytes-\u00e9'],
    ['Blob', new Blob(['blob body']), 'blob body'],
    [
      'ReadableStream',
      new ReadableStream({
        start(c: ReadableStreamDefaultController<Uint8Array>) {
          c.enqueue(new TextEncoder().encode('streamed '));
          c.enqueue(new TextEncoder().encode('body'));
          c.close();
        }
      }),
      'streamed body'
    ]
  ])('sends a %s body', async (_kind, body, expected) => {
    const server = fakeServer(BASE);
    server.answers.push(new Response('{}', { status: 200 }));
    const handler = new ProxyHttpHandler({
      serverSettings: server.settings,
      service: 'sagemaker',
      region: 'us-east-1'
    });
    await handler.handle(
      new HttpRequest({
        method: 'POST',
        path: '/',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'SageMaker.DescribeEndpoint'
        },
        body
      })
    );
    expect(server.requests[0].method).toBe('POST');
    expect(server.bodies[0]).toBe(expected);
    expect(server.requests[0].headers.get('x-amz-target')).toBe(
      'SageMaker.DescribeEndpoint'
    );
    expect(server.requests[0].headers.get('content-type')).toBe(
      'application/x-amz-json-1.1'
    );
  });

  it('labels an untyped body as octet-stream instead of the JSON default of makeRequest', async () => {
    const server = fakeServer(BASE);
    server.answers.push(new Response('', { status: 200 }));
    const handler = new ProxyHttpHandler({
      serverSettings: server.settings,
      service: 's3',
      region: 'us-east-1'
    });
    await handler.handle(s3Request({ method: 'PUT', body: 'raw', query: {} }));
    expect(server.requests[0].headers.get('content-type')).toBe(
      'application/octet-stream'
    );
  });

  it('returns AWS error responses unchanged for the SDK to parse', async () => {
    const server = fakeServer(BASE);
    server.answers.push(
      new Response('{"__type":"ValidationException","message":"bad"}', {
        status: 400,
        headers: { 'x-amzn-ErrorType': 'ValidationException' }
      })
    );
    const handler = new ProxyHttpHandler({
      serverSettings: server.settings,
      service: 'sagemaker',
      region: 'us-east-1'
    });
    const { response } = await handler.handle(
      new HttpRequest({ method: 'POST', path: '/', body: '{}' })
    );
    expect(response.statusCode).toBe(400);
    expect(response.headers['x-amzn-errortype']).toBe('ValidationException');
    expect(
      new TextDecoder().decode(await streamCollector(response.body))
    ).toContain('bad');
  });

  it('maps an empty response body (HEAD) to an empty body the collector accepts', async () => {
    const server = fakeServer(BASE);
    server.answers.push(new Response(null, { status: 404 }));
    const handler = new ProxyHttpHandler({
      serverSettings: server.settings,
      service: 's3',
      region: 'us-east-1'
    });
    const { response } = await handler.handle(
      s3Request({ method: 'HEAD', query: {} })
    );
    expect(response.statusCode).toBe(404);
    expect((await streamCollector(response.body)).length).toBe(0);
  });

  it('raises the proxy’s own errors as ProxyError', async () => {
    const server = fakeServer(BASE);
    server.answers.push(
      proxyErrorResponse(
        'ReadOnly',
        'Read-only mode refuses DeleteEndpoint.',
        403
      )
    );
    const handler = new ProxyHttpHandler({
      serverSettings: server.settings,
      service: 'sagemaker',
      region: 'us-east-1'
    });
    const err = await handler
      .handle(new HttpRequest({ method: 'POST', path: '/', body: '{}' }))
      .catch(e => e);
    expect(err).toBeInstanceOf(ProxyError);
    expect(err.code).toBe('ReadOnly');
    expect(err.statusCode).toBe(403);
    expect(err.message).toBe('Read-only mode refuses DeleteEndpoint.');
  });

  it('does not send when the signal already fired, and aborts in flight', async () => {
    const server = fakeServer(BASE);
    const handler = new ProxyHttpHandler({
      serverSettings: server.settings,
      service: 'sagemaker',
      region: 'us-east-1'
    });
    const pre = new AbortController();
    pre.abort();
    await expect(
      handler.handle(new HttpRequest({ method: 'POST', path: '/' }), {
        abortSignal: pre.signal
      })
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(server.requests).toHaveLength(0);

    const live = new AbortController();
    server.answers.push(
      (request: Request) =>
        new Promise<Response>((_resolve, reject) => {
          request.signal.addEventListener('abort', () =>
            reject(new DOMException('aborted', 'AbortError'))
          );
          live.abort();
        })
    );
    await expect(
      handler.handle(new HttpRequest({ method: 'POST', path: '/' }), {
        abortSignal: live.signal
      })
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(server.requests).toHaveLength(1);
  });

  it('turns an exceeded requestTimeout into a TimeoutError', async () => {
    const server = fakeServer(BASE);
    server.answers.push(
      (request: Request) =>
        new Promise<Response>((_resolve, reject) => {
          request.signal.addEventListener('abort', () =>
            reject(new DOMException('aborted', 'AbortError'))
          );
        })
    );
    const handler = new ProxyHttpHandler({
      serverSettings: server.settings,
      service: 'sagemaker',
      region: 'us-east-1'
    });
    await expect(
      handler.handle(new HttpRequest({ method: 'POST', path: '/' }), {
        requestTimeout: 20
      })
    ).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('reports a network failure as a TypeError (ServerConnection.NetworkError)', async () => {
    const server = fakeServer(BASE);
    server.answers.push(() => {
      throw new TypeError('Failed to fetch');
    });
    const handler = new ProxyHttpHandler({
      serverSettings: server.settings,
      service: 'sagemaker',
      region: 'us-east-1'
    });
    await expect(
      handler.handle(new HttpRequest({ method: 'POST', path: '/' }))
    ).rejects.toBeInstanceOf(TypeError);
  });
});
