/**
 * Tests of the retry policy, alone (fake timers) and inside a real SDK client.
 *
 * @jest-environment-options {"customExportConditions": ["node", "require"]}
 */
// jsdom's default "browser" condition would mix the SDK's browser ESM submodules into its CommonJS entry points.
import { ListEndpointsCommand } from '@aws-sdk/client-sagemaker';
import { ServerConnection } from '@jupyterlab/services';
import { ReadableStream } from 'stream/web';

import { AwsServiceError, ProxyError } from '../aws/errors';
import { isRetryableError, retryDelay, withRetries } from '../aws/retry';
import { createSageMakerClient } from '../aws/sagemakerClient';
import {
  awsJsonError,
  fakeServer,
  json,
  proxyErrorResponse
} from './fakeServer';

const throttled = () =>
  new AwsServiceError('ThrottlingException', 'Rate exceeded', {
    httpStatusCode: 400
  });
const serverError = () =>
  new AwsServiceError('InternalFailure', 'oops', { httpStatusCode: 500 });

describe('isRetryableError', () => {
  it.each([
    ['throttling', throttled(), true],
    [
      'HTTP 429',
      new AwsServiceError('TooManyRequests', '', { httpStatusCode: 429 }),
      true
    ],
    ['5xx', serverError(), true],
    [
      '503 SlowDown',
      new AwsServiceError('SlowDown', '', { httpStatusCode: 503 }),
      true
    ],
    [
      '501',
      new AwsServiceError('NotImplemented', '', { httpStatusCode: 501 }),
      false
    ],
    [
      'validation',
      new AwsServiceError('ValidationException', '', { httpStatusCode: 400 }),
      false
    ],
    [
      'access denied',
      new AwsServiceError('AccessDeniedException', '', { httpStatusCode: 400 }),
      false
    ],
    [
      'network',
      new ServerConnection.NetworkError(new TypeError('Failed to fetch')),
      true
    ],
    ['a bug, not the network', new TypeError('x is not a function'), false],
    ['proxy timeout', new ProxyError('UpstreamTimeout', 'slow', 504), true],
    [
      'proxy unreachable',
      new ProxyError('UpstreamUnreachable', 'down', 502),
      true
    ],
    ['proxy read-only', new ProxyError('ReadOnly', 'no', 403), false],
    ['no credentials', new ProxyError('NoCredentials', 'none', 401), false]
  ])('%s -> %s', (_name, err, expected) => {
    expect(isRetryableError(err)).toBe(expected);
  });

  it('never retries a cancelled request', () => {
    const err = new Error('cancelled');
    err.name = 'AbortError';
    expect(isRetryableError(err)).toBe(false);
  });
});

describe('retryDelay', () => {
  it('grows exponentially with a longer base for throttling, capped, with full jitter', () => {
    const max = { maxAttempts: 10, random: () => 0.999999 };
    expect(retryDelay(1, serverError(), max)).toBe(99);
    expect(retryDelay(2, serverError(), max)).toBe(199);
    expect(retryDelay(3, serverError(), max)).toBe(399);
    expect(retryDelay(1, throttled(), max)).toBe(499);
    expect(retryDelay(2, throttled(), max)).toBe(999);
    expect(retryDelay(20, throttled(), max)).toBe(19999);
    expect(
      retryDelay(3, throttled(), { maxAttempts: 10, random: () => 0 })
    ).toBe(0);
  });
});

describe('withRetries', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('waits the backoff between attempts, then succeeds', async () => {
    const attempt = jest
      .fn()
      .mockRejectedValueOnce(throttled())
      .mockRejectedValueOnce(serverError())
      .mockResolvedValueOnce('done');
    const result = withRetries(attempt, { maxAttempts: 4, random: () => 0.5 });
    await jest.advanceTimersByTimeAsync(0);
    expect(attempt).toHaveBeenCalledTimes(1);
    // Throttled first: 0.5 * 500 ms.
    await jest.advanceTimersByTimeAsync(249);
    expect(attempt).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(attempt).toHaveBeenCalledTimes(2);
    // Then a 5xx on the second retry: 0.5 * 200 ms.
    await jest.advanceTimersByTimeAsync(100);
    expect(attempt).toHaveBeenCalledTimes(3);
    await expect(result).resolves.toBe('done');
    expect(attempt.mock.calls.map(c => c[0])).toEqual([1, 2, 3]);
  });

  it('gives up after maxAttempts with the last error', async () => {
    const attempt = jest.fn().mockRejectedValue(serverError());
    const result = withRetries(attempt, { maxAttempts: 3, random: () => 1 });
    const settled = result.catch(e => e);
    await jest.advanceTimersByTimeAsync(10000);
    const err = (await settled) as Error;
    expect(err.name).toBe('InternalFailure');
    expect(attempt).toHaveBeenCalledTimes(3);
  });

  it('does not retry what will fail again', async () => {
    const attempt = jest.fn().mockRejectedValue(
      new AwsServiceError('ValidationException', 'bad', {
        httpStatusCode: 400
      })
    );
    await expect(withRetries(attempt, { maxAttempts: 5 })).rejects.toThrow(
      'bad'
    );
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('stops waiting when the signal fires', async () => {
    const controller = new AbortController();
    const attempt = jest.fn().mockRejectedValue(throttled());
    const settled = withRetries(
      attempt,
      { maxAttempts: 5, random: () => 1 },
      controller.signal
    ).catch(e => e);
    await jest.advanceTimersByTimeAsync(10);
    controller.abort();
    const err = (await settled) as Error;
    expect(err.name).toBe('AbortError');
    expect(attempt).toHaveBeenCalledTimes(1);
  });
});

describe('retries inside the SageMaker SDK client', () => {
  // Browsers have ReadableStream, which the SDK's stream collector checks for; jsdom lacks it.
  beforeAll(() => {
    (globalThis as any).ReadableStream ??= ReadableStream;
  });

  it('retries throttling and 5xx answers through the proxy and parses the final answer', async () => {
    const server = fakeServer();
    server.answers.push(
      awsJsonError('ThrottlingException', 'Rate exceeded'),
      proxyErrorResponse('UpstreamTimeout', 'AWS did not answer in time.', 504),
      json({
        Endpoints: [
          {
            EndpointName: 'ep-1',
            EndpointArn:
              'arn:aws:sagemaker:us-east-1:123456789012:endpoint/ep-1',
            CreationTime: 1700000000,
            LastModifiedTime: 1700000000,
            EndpointStatus: 'InService'
          }
        ]
      })
    );
    const client = createSageMakerClient({
      serverSettings: server.settings,
      region: 'us-east-1',
      retry: { maxAttempts: 4, random: () => 0 }
    });
    const out = await client.send(new ListEndpointsCommand({ MaxResults: 10 }));
    expect(out.Endpoints?.[0].EndpointName).toBe('ep-1');
    expect(out.Endpoints?.[0].CreationTime).toEqual(
      new Date(1700000000 * 1000)
    );
    expect(server.requests).toHaveLength(3);
    const sent = server.requests[2];
    expect(sent.url).toBe(
      'http://localhost:8888/lab/base/sagemaker-studio/aws/sagemaker/us-east-1/'
    );
    expect(sent.headers.get('x-amz-target')).toBe('SageMaker.ListEndpoints');
    // No AWS signature leaves the browser: the placeholder signer adds nothing.
    expect(sent.headers.get('authorization')).toBe('token test-token');
    expect(JSON.parse(server.bodies[2])).toEqual({ MaxResults: 10 });
  });

  it('stops at maxAttempts and surfaces the SDK error named after the AWS code', async () => {
    const server = fakeServer();
    server.answers.push(
      awsJsonError('ThrottlingException', 'Rate exceeded'),
      awsJsonError('ThrottlingException', 'Rate exceeded')
    );
    const client = createSageMakerClient({
      serverSettings: server.settings,
      region: 'us-east-1',
      retry: { maxAttempts: 2, random: () => 0 }
    });
    const err = await client.send(new ListEndpointsCommand({})).catch(e => e);
    expect(err.name).toBe('ThrottlingException');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(server.requests).toHaveLength(2);
  });
});
