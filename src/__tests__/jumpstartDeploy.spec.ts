import { deployModel, IDeployProgress } from '../jumpstart/deploy';
import type { IDeployRequests } from '../jumpstart/deployRequest';

const requests: IDeployRequests = {
  model: { ModelName: 'ep', ExecutionRoleArn: 'arn:aws:iam::1:role/r' },
  endpointConfig: { EndpointConfigName: 'ep', ProductionVariants: [] },
  endpoint: { EndpointName: 'ep', EndpointConfigName: 'ep' }
};

/** A SageMaker client that records command names and answers from a script. */
function fakeConnection(answer: (name: string, input: any) => unknown) {
  const calls: string[] = [];
  const client = {
    send: jest.fn(async (command: any) => {
      const name = command.constructor.name.replace(/Command$/, '');
      calls.push(name);
      const out = answer(name, command.input);
      if (out instanceof Error) {
        throw out;
      }
      return out ?? {};
    })
  };
  return {
    calls,
    connection: {
      sagemaker: async () => client as any,
      describeError: (err: unknown) => `Sentence: ${(err as Error).message}`
    }
  };
}

const fast = { interval: 1, sleep: async () => undefined };

describe('deployModel', () => {
  it('sends the three calls in order, then polls until InService', async () => {
    const statuses = ['Creating', 'Creating', 'InService'];
    const { calls, connection } = fakeConnection(name =>
      name === 'DescribeEndpoint' ? { EndpointStatus: statuses.shift() } : {}
    );
    const progress: IDeployProgress[] = [];
    const result = await deployModel(
      connection,
      requests,
      p => progress.push(p),
      fast
    );
    expect(result).toEqual({ outcome: 'InService', endpointName: 'ep' });
    expect(calls).toEqual([
      'CreateModel',
      'CreateEndpointConfig',
      'CreateEndpoint',
      'DescribeEndpoint',
      'DescribeEndpoint',
      'DescribeEndpoint'
    ]);
    expect(progress.map(p => `${p.step} ${p.state} ${p.detail ?? ''}`)).toEqual(
      [
        'CreateModel running ',
        'CreateModel done ',
        'CreateEndpointConfig running ',
        'CreateEndpointConfig done ',
        'CreateEndpoint running ',
        'CreateEndpoint done ',
        'Endpoint running Creating',
        'Endpoint running Creating',
        'Endpoint done InService'
      ]
    );
  });

  it('rolls back config then model when CreateEndpoint fails', async () => {
    const { calls, connection } = fakeConnection(name =>
      name === 'CreateEndpoint' ? new Error('quota exceeded') : {}
    );
    const progress: IDeployProgress[] = [];
    const result = await deployModel(
      connection,
      requests,
      p => progress.push(p),
      fast
    );
    expect(result).toEqual({
      outcome: 'error',
      endpointName: 'ep',
      reason: 'Sentence: quota exceeded'
    });
    expect(calls).toEqual([
      'CreateModel',
      'CreateEndpointConfig',
      'CreateEndpoint',
      'DeleteEndpointConfig',
      'DeleteModel'
    ]);
    expect(
      progress.filter(p => p.state !== 'running').map(p => p.step)
    ).toEqual([
      'CreateModel',
      'CreateEndpointConfig',
      'CreateEndpoint',
      'DeleteEndpointConfig',
      'DeleteModel'
    ]);
  });

  it('deletes only the model when CreateEndpointConfig fails', async () => {
    const { calls, connection } = fakeConnection(name =>
      name === 'CreateEndpointConfig' ? new Error('bad type') : {}
    );
    await deployModel(connection, requests, () => undefined, fast);
    expect(calls).toEqual([
      'CreateModel',
      'CreateEndpointConfig',
      'DeleteModel'
    ]);
  });

  it('deletes nothing when CreateModel fails', async () => {
    const { calls, connection } = fakeConnection(() => new Error('no role'));
    const result = await deployModel(
      connection,
      requests,
      () => undefined,
      fast
    );
    expect(result.outcome).toBe('error');
    expect(calls).toEqual(['CreateModel']);
  });

  it('reports Failed with the FailureReason', async () => {
    const { connection } = fakeConnection(name =>
      name === 'DescribeEndpoint'
        ? { EndpointStatus: 'Failed', FailureReason: 'Image not found' }
        : {}
    );
    const progress: IDeployProgress[] = [];
    const result = await deployModel(
      connection,
      requests,
      p => progress.push(p),
      fast
    );
    expect(result).toEqual({
      outcome: 'Failed',
      endpointName: 'ep',
      reason: 'Image not found'
    });
    expect(progress[progress.length - 1]).toEqual({
      step: 'Endpoint',
      state: 'failed',
      detail: 'Image not found'
    });
  });

  it('stops polling when cancelled', async () => {
    const controller = new AbortController();
    const { calls, connection } = fakeConnection(name => {
      if (name === 'DescribeEndpoint') {
        controller.abort();
        return { EndpointStatus: 'Creating' };
      }
      return {};
    });
    const result = await deployModel(connection, requests, () => undefined, {
      ...fast,
      signal: controller.signal
    });
    expect(result.outcome).toBe('cancelled');
    expect(calls.filter(c => c === 'DescribeEndpoint')).toHaveLength(1);
  });
});
