/**
 * Factory of the SageMaker SDK client; imported with `import()` so the SDK loads on first use.
 */
import { SageMakerClient } from '@aws-sdk/client-sagemaker';

import { ISdkClientOptions, retryPlugin, sdkClientConfig } from './sdkConfig';

/** A SageMaker client that sends through the Jupyter server's proxy. */
export function createSageMakerClient(
  options: ISdkClientOptions
): SageMakerClient {
  const client = new SageMakerClient(
    sdkClientConfig(
      options,
      'sagemaker',
      `https://api.sagemaker.${options.region}.amazonaws.com`
    )
  );
  client.middlewareStack.use(retryPlugin(options.retry));
  return client;
}
