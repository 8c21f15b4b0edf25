/**
 * Factory of the CloudWatch Logs SDK client (job logs); imported with `import()` so the SDK loads on first use.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';

import { ISdkClientOptions, retryPlugin, sdkClientConfig } from './sdkConfig';

/** A CloudWatch Logs client that sends through the Jupyter server's proxy. */
export function createLogsClient(
  options: ISdkClientOptions
): CloudWatchLogsClient {
  const client = new CloudWatchLogsClient(
    sdkClientConfig(
      options,
      'logs',
      `https://logs.${options.region}.amazonaws.com`
    )
  );
  client.middlewareStack.use(retryPlugin(options.retry));
  return client;
}
