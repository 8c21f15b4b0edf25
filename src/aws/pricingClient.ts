/**
 * Factory of the AWS Price List SDK client; loaded on first use.
 *
 * The Price List API answers only in a few regions (us-east-1 among them) and serves every region's prices from
 * there, so the client always uses us-east-1, whatever the connection's region.
 */
import { PricingClient } from '@aws-sdk/client-pricing';

import { ISdkClientOptions, retryPlugin, sdkClientConfig } from './sdkConfig';

/** The region the Price List API is called in. */
export const PRICING_REGION = 'us-east-1';

/** A Price List client that sends through the Jupyter server's proxy. */
export function createPricingClient(options: ISdkClientOptions): PricingClient {
  const client = new PricingClient(
    sdkClientConfig(
      { ...options, region: PRICING_REGION },
      'pricing',
      `https://api.pricing.${PRICING_REGION}.amazonaws.com`
    )
  );
  client.middlewareStack.use(retryPlugin(options.retry));
  return client;
}
