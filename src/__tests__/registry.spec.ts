/**
 * Tests of the registry's endpoint calls (fake SageMaker client) and model (fake connection).
 *
 * @jest-environment-options {"customExportConditions": ["node", "require"]}
 */
import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  ListEndpointsCommand
} from '@aws-sdk/client-sagemaker';
import { nullTranslator } from '@jupyterlab/translation';
import { Signal } from '@lumino/signaling';

import { AwsServiceError, describeAwsError } from '../aws/errors';
import { fetchEndpoints } from '../registry/endpoints';
import { EndpointsModel } from '../registry/model';
import { instanceSummary } from '../registry/EndpointsView';

const trans = nullTranslator.load('jupyterlab_sagemaker_studio');

/** A fake SageMaker client answering the three commands from tables. */
function fakeSageMaker(total: number, options: { failDescribe?: string } = {}) {
  const calls: string[] = [];
  let inFlight = 0;
  let peak = 0;
  const send = async (command: any) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise(r => setTimeout(r, 1));
    inFlight--;
    const input = command.input;
    if (command instanceof ListEndpointsCommand) {
      calls.push(`List ${input.NextToken ?? ''}`);
      const start = Number(input.NextToken ?? 0);
      const names = Array.from(
        { length: Math.min(input.MaxResults, total - start) },
        (_, i) => `ep-${start + i}`
      );
      return {
        Endpoints: names.map(n => ({
          EndpointName: n,
          EndpointArn: `arn:aws:sagemaker:us-east-1:123456789012:endpoint/${n}`,
          EndpointStatus: 'Creating',
          CreationTime: new Date(1700000000000),
          LastModifiedTime: new Date(1700000000000)
        })),
        NextToken:
          start + names.length < total
            ? String(start + names.length)
            : undefined
      };
    }
    if (command instanceof DescribeEndpointCommand) {
      calls.push(`DescribeEndpoint ${input.EndpointName}`);
      if (input.EndpointName === options.failDescribe) {
        throw new AwsServiceError(
          'ValidationException',
          `Could not find endpoint "${input.EndpointName}".`,
          {
            httpStatusCode: 400
          }
        );
      }
      return {
        EndpointName: input.EndpointName,
        EndpointStatus: 'InService',
        EndpointConfigName: 'shared-config',
        ProductionVariants: [
          { VariantName: 'AllTraffic', CurrentInstanceCount: 2 }
        ]
      };
    }
    if (command instanceof DescribeEndpointConfigCommand) {
      calls.push(`DescribeEndpointConfig ${input.EndpointConfigName}`);
      return {
        ProductionVariants: [
          {
            VariantName: 'AllTraffic',
            InstanceType: 'ml.m5.large',
            InitialInstanceCount: 1
          }
        ]
      };
    }
    throw new Error('unexpected command');
  };
  return { client: { send } as any, calls, peak: () => peak };
}

describe('fetchEndpoints', () => {
  it('lists all pages, describes each endpoint with bounded concurrency and caches configs', async () => {
    const sm = fakeSageMaker(150);
    const cache = new Map();
    const result = await fetchEndpoints(sm.client, {
      concurrency: 3,
      limit: 1000,
      configCache: cache,
      describeError: e => describeAwsError(e, trans)
    });
    expect(result.truncated).toBe(false);
    expect(result.endpoints).toHaveLength(150);
    expect(result.endpoints[0]).toMatchObject({
      name: 'ep-0',
      status: 'InService',
      variants: [
        {
          name: 'AllTraffic',
          instanceType: 'ml.m5.large',
          instanceCount: 2,
          serverlessMemoryMB: null
        }
      ],
      detailsError: null
    });
    expect(sm.calls.filter(c => c.startsWith('List'))).toEqual([
      'List ',
      'List 100'
    ]);
    expect(
      sm.calls.filter(c => c.startsWith('DescribeEndpointConfig'))
    ).toHaveLength(1);
    expect(sm.peak()).toBeLessThanOrEqual(3);
    expect(instanceSummary(result.endpoints[0], trans)).toBe('ml.m5.large × 2');
  });

  it('keeps an endpoint whose details fail, with the reason', async () => {
    const sm = fakeSageMaker(2, { failDescribe: 'ep-1' });
    const result = await fetchEndpoints(sm.client, {
      concurrency: 2,
      limit: 10,
      configCache: new Map(),
      describeError: e => describeAwsError(e, trans)
    });
    expect(result.endpoints[1]).toMatchObject({
      name: 'ep-1',
      status: 'Creating',
      variants: [],
      detailsError:
        'AWS returned ValidationException: Could not find endpoint "ep-1".'
    });
  });

  it('stops at the limit and reports truncation', async () => {
    const sm = fakeSageMaker(250);
    const result = await fetchEndpoints(sm.client, {
      concurrency: 4,
      limit: 120,
      configCache: new Map(),
      describeError: String
    });
    expect(result.endpoints).toHaveLength(120);
    expect(result.truncated).toBe(true);
  });
});

describe('EndpointsModel', () => {
  function fakeConnection() {
    const changed = new Signal<any, void>({});
    const connection = {
      changed,
      state: { mode: 'local', region: 'us-east-1', profile: null },
      region: 'us-east-1',
      sagemaker: async () => ({}),
      describeError: (e: unknown) =>
        describeAwsError(e, trans, { mode: 'local' })
    };
    return connection as any;
  }

  it('goes idle → loading → ready and records when', async () => {
    const connection = fakeConnection();
    const fetch = jest.fn().mockResolvedValue({
      endpoints: [{ name: 'a', arn: 'arn', status: 'InService', variants: [] }],
      truncated: false
    });
    const model = new EndpointsModel({
      connection,
      load: async () => ({ fetchEndpoints: fetch }) as any
    });
    const seen: string[] = [];
    model.changed.connect(() => seen.push(model.status));
    expect(model.status).toBe('idle');
    const done = model.ensureLoaded();
    expect(model.isLoading).toBe(true);
    await done;
    expect(model.status).toBe('ready');
    expect(model.endpoints.map(e => e.name)).toEqual(['a']);
    expect(model.updatedAt).not.toBeNull();
    expect(seen).toEqual(['loading', 'ready']);
    await model.ensureLoaded();
    expect(fetch).toHaveBeenCalledTimes(1);
    model.dispose();
  });

  it('shares one fetch between concurrent refreshes', async () => {
    const connection = fakeConnection();
    const fetch = jest
      .fn()
      .mockResolvedValue({ endpoints: [], truncated: false });
    const model = new EndpointsModel({
      connection,
      load: async () => ({ fetchEndpoints: fetch }) as any
    });
    await Promise.all([model.refresh(), model.refresh(), model.refresh()]);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('shows the mapped sentence on failure', async () => {
    const connection = fakeConnection();
    const fetch = jest.fn().mockRejectedValue(
      new AwsServiceError(
        'AccessDeniedException',
        'is not authorized to perform: sagemaker:ListEndpoints',
        {
          httpStatusCode: 400
        }
      )
    );
    const model = new EndpointsModel({
      connection,
      load: async () => ({ fetchEndpoints: fetch }) as any
    });
    await model.refresh();
    expect(model.status).toBe('error');
    expect(model.error).toBe(
      'You are not allowed to perform sagemaker:ListEndpoints. Ask your AWS administrator to grant this permission.'
    );
  });

  it('fetches again after a region switch once it has been shown', async () => {
    const connection = fakeConnection();
    const fetch = jest
      .fn()
      .mockResolvedValue({ endpoints: [], truncated: false });
    const model = new EndpointsModel({
      connection,
      load: async () => ({ fetchEndpoints: fetch }) as any
    });
    connection.changed.emit();
    await model.refresh();
    connection.changed.emit();
    expect(fetch).toHaveBeenCalledTimes(1);
    connection.state = { mode: 'local', region: 'eu-west-1', profile: null };
    connection.region = 'eu-west-1';
    connection.changed.emit();
    await model.refresh();
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(model.region).toBe('eu-west-1');
  });
});
