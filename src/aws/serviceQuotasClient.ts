/**
 * Factory of the Service Quotas SDK client (the account's limits per instance type); loaded on first use.
 */
import { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';

import { ISdkClientOptions, retryPlugin, sdkClientConfig } from './sdkConfig';

/** A Service Quotas client that sends through the Jupyter server's proxy (proxy segment `service-quotas`). */
export function createServiceQuotasClient(
  options: ISdkClientOptions
): ServiceQuotasClient {
  const client = new ServiceQuotasClient(
    sdkClientConfig(
      options,
      'service-quotas',
      `https://servicequotas.${options.region}.amazonaws.com`
    )
  );
  client.middlewareStack.use(retryPlugin(options.retry));
  return client;
}
