/**
 * Factory of the S3 SDK client; imported with `import()` so the SDK loads on first use.
 */
import { S3Client } from '@aws-sdk/client-s3';

import { ISdkClientOptions, retryPlugin, sdkClientConfig } from './sdkConfig';

/** An S3 client with path-style addressing (bucket in the path, as the proxy route needs) via the proxy. */
export function createS3Client(options: ISdkClientOptions): S3Client {
  const client = new S3Client({
    ...sdkClientConfig(
      options,
      's3',
      `https://s3.${options.region}.amazonaws.com`
    ),
    forcePathStyle: true
  });
  client.middlewareStack.use(retryPlugin(options.retry));
  return client;
}
