/**
 * Send the three deploy requests in order, undo what was created when a later one fails, and follow the endpoint
 * until it is InService or Failed. Every step is reported, so the form can show a progress list.
 */
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand
} from '@aws-sdk/client-sagemaker';

import type { IAwsConnection } from '../tokens';
import type { IDeployRequests } from './deployRequest';

/** The steps of a deployment, in order. */
export type DeployStep =
  | 'CreateModel'
  | 'CreateEndpointConfig'
  | 'CreateEndpoint'
  | 'DeleteEndpointConfig'
  | 'DeleteModel'
  | 'Endpoint';

/** One progress report. */
export interface IDeployProgress {
  /** Which step. */
  step: DeployStep;
  /** 'running' when it starts, 'done' or 'failed' when it ends; for 'Endpoint', each status read. */
  state: 'running' | 'done' | 'failed';
  /** The endpoint status (step 'Endpoint'), or the error sentence (state 'failed'). */
  detail?: string;
}

/** How a deployment ended. */
export interface IDeployResult {
  /** 'InService', 'Failed', 'cancelled', or 'error' when a create call failed (after rollback). */
  outcome: 'InService' | 'Failed' | 'cancelled' | 'error';
  /** The endpoint name. */
  endpointName: string;
  /** SageMaker's FailureReason, or the sentence of the failed call. */
  reason?: string;
}

/** Options of {@link deployModel}. */
export interface IDeployOptions {
  /** Stops polling (created resources are kept) when aborted. */
  signal?: AbortSignal;
  /** Milliseconds between DescribeEndpoint calls (default 5 s). */
  interval?: number;
  /** Waits `ms` (tests pass a fast one). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Create model, endpoint config and endpoint, rolling back the earlier ones when a later call fails, then poll
 * DescribeEndpoint until InService or Failed.
 */
export async function deployModel(
  connection: Pick<IAwsConnection, 'sagemaker' | 'describeError'>,
  requests: IDeployRequests,
  onProgress: (progress: IDeployProgress) => void,
  options: IDeployOptions = {}
): Promise<IDeployResult> {
  const endpointName = requests.endpoint.EndpointName!;
  const client = await connection.sagemaker();
  const created: Array<'model' | 'config'> = [];
  const run = async (step: DeployStep, send: () => Promise<unknown>) => {
    onProgress({ step, state: 'running' });
    try {
      await send();
      onProgress({ step, state: 'done' });
      return null;
    } catch (err) {
      const detail = connection.describeError(err);
      onProgress({ step, state: 'failed', detail });
      return detail;
    }
  };

  const steps: Array<
    [DeployStep, () => Promise<unknown>, 'model' | 'config' | null]
  > = [
    [
      'CreateModel',
      () => client.send(new CreateModelCommand(requests.model)),
      'model'
    ],
    [
      'CreateEndpointConfig',
      () =>
        client.send(new CreateEndpointConfigCommand(requests.endpointConfig)),
      'config'
    ],
    [
      'CreateEndpoint',
      () => client.send(new CreateEndpointCommand(requests.endpoint)),
      null
    ]
  ];
  for (const [step, send, resource] of steps) {
    const failure = await run(step, send);
    if (failure !== null) {
      await Private.rollback(client, requests, created, run);
      return { outcome: 'error', endpointName, reason: failure };
    }
    if (resource) {
      created.push(resource);
    }
  }
  return Private.follow(client, endpointName, onProgress, connection, options);
}

/** Module-private helpers. */
namespace Private {
  /** Delete what was created, newest first (endpoint config before model). */
  export async function rollback(
    client: SageMakerClient,
    requests: IDeployRequests,
    created: Array<'model' | 'config'>,
    run: (
      step: DeployStep,
      send: () => Promise<unknown>
    ) => Promise<string | null>
  ): Promise<void> {
    for (const resource of [...created].reverse()) {
      if (resource === 'config') {
        await run('DeleteEndpointConfig', () =>
          client.send(
            new DeleteEndpointConfigCommand({
              EndpointConfigName: requests.endpointConfig.EndpointConfigName
            })
          )
        );
      } else {
        await run('DeleteModel', () =>
          client.send(
            new DeleteModelCommand({ ModelName: requests.model.ModelName })
          )
        );
      }
    }
  }

  /** Poll DescribeEndpoint until it settles, the signal aborts, or reading fails three times in a row. */
  export async function follow(
    client: SageMakerClient,
    endpointName: string,
    onProgress: (progress: IDeployProgress) => void,
    connection: Pick<IAwsConnection, 'describeError'>,
    options: IDeployOptions
  ): Promise<IDeployResult> {
    const sleep = options.sleep ?? wait;
    const interval = options.interval ?? 5000;
    let failures = 0;
    for (;;) {
      if (options.signal?.aborted) {
        return { outcome: 'cancelled', endpointName };
      }
      try {
        const out = await client.send(
          new DescribeEndpointCommand({ EndpointName: endpointName })
        );
        failures = 0;
        const status = out.EndpointStatus ?? 'Unknown';
        if (status === 'InService') {
          onProgress({ step: 'Endpoint', state: 'done', detail: status });
          return { outcome: 'InService', endpointName };
        }
        if (status === 'Failed') {
          onProgress({
            step: 'Endpoint',
            state: 'failed',
            detail: out.FailureReason ?? status
          });
          return { outcome: 'Failed', endpointName, reason: out.FailureReason };
        }
        onProgress({ step: 'Endpoint', state: 'running', detail: status });
      } catch (err) {
        failures += 1;
        if (failures >= 3) {
          const detail = connection.describeError(err);
          onProgress({ step: 'Endpoint', state: 'failed', detail });
          return { outcome: 'error', endpointName, reason: detail };
        }
      }
      await sleep(interval, options.signal);
    }
  }

  /** A delay that ends early when the signal aborts. */
  export function wait(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise(resolve => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done);
    });
  }
}
