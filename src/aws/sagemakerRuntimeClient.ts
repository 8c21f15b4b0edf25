/**
 * Factory of the SageMaker Runtime SDK client (InvokeEndpoint); imported with `import()` so the SDK loads on first
 * use.
 */
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';

import { ISdkClientOptions, retryPlugin, sdkClientConfig } from './sdkConfig';

/**
 * A SageMaker Runtime client that sends through the Jupyter server's proxy (service segment `sagemaker-runtime`).
 * The server decides where that goes: `runtime.sagemaker.<region>.amazonaws.com` signed as "sagemaker" in AWS
 * mode, the local backend's runtime API in local mode.
 */
export function createSageMakerRuntimeClient(
  options: ISdkClientOptions
): SageMakerRuntimeClient {
  const client = new SageMakerRuntimeClient(
    sdkClientConfig(
      options,
      'sagemaker-runtime',
      `https://runtime.sagemaker.${options.region}.amazonaws.com`
    )
  );
  client.middlewareStack.use(retryPlugin(options.retry));
  return client;
}
