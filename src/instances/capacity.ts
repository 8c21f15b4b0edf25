/**
 * What an ML instance type can be used for in training, from the account's point of view: its quota (Service
 * Quotas, "<type> for training job usage") and its on-demand price per hour (the AWS Price List API).
 *
 * No DOM and no React: the instance picker calls these with the clients of `IAwsConnection.serviceQuotas()` and
 * `IAwsConnection.pricing()`. The SDK commands are imported on first use, like the clients themselves.
 */
import type {
  ListServiceQuotasCommandOutput,
  ServiceQuota,
  ServiceQuotasClient
} from '@aws-sdk/client-service-quotas';
import type {
  GetProductsCommandInput,
  GetProductsCommandOutput,
  PricingClient
} from '@aws-sdk/client-pricing';

import { paginate } from '../aws/paginate';

/** Service Quotas' code of SageMaker. */
export const SAGEMAKER_SERVICE_CODE = 'sagemaker';
/** The Price List's code of the SageMaker offer. */
export const SAGEMAKER_OFFER_CODE = 'AmazonSageMaker';
/** The Price List component (`component` attribute) of training instances. */
export const TRAINING_COMPONENT = 'Training';

/** AWS's name of a training quota: `ml.g4dn.xlarge for training job usage`. */
const TRAINING_QUOTA_NAME = /^(ml\.[a-z0-9.-]+) for training job usage$/;
/** Largest page both APIs allow. */
const PAGE_SIZE = 100;

/** The instance type a quota limits for training, or undefined for any other quota. */
export function trainingQuotaType(quota: ServiceQuota): string | undefined {
  const match = TRAINING_QUOTA_NAME.exec(quota.QuotaName ?? '');
  return match ? match[1] : undefined;
}

/** The account's quota (instances) per ML instance type for training job usage, from Service Quotas (all pages). */
export async function fetchTrainingQuotas(
  client: ServiceQuotasClient
): Promise<Map<string, number>> {
  const { ListServiceQuotasCommand } =
    await import('@aws-sdk/client-service-quotas');
  const quotas = new Map<string, number>();
  const pages = paginate(
    (input: { ServiceCode: string }): Promise<ListServiceQuotasCommandOutput> =>
      client.send(new ListServiceQuotasCommand(input)),
    { ServiceCode: SAGEMAKER_SERVICE_CODE },
    { pageSize: PAGE_SIZE }
  );
  for await (const page of pages) {
    for (const quota of page.Quotas ?? []) {
      const type = trainingQuotaType(quota);
      if (type !== undefined && typeof quota.Value === 'number') {
        quotas.set(type, quota.Value);
      }
    }
  }
  return quotas;
}

/** One ML instance's on-demand hourly price, read from a Price List product. */
export interface IHourlyPrice {
  /** ML instance type, e.g. `ml.m5.large`. */
  instanceType: string;
  /** US dollars per hour. */
  usd: number;
}

/** The members of a Price List product that are read here (the rest of the JSON is ignored). */
interface IPriceListProduct {
  product?: {
    productFamily?: string;
    attributes?: Record<string, string | undefined>;
  };
  terms?: {
    OnDemand?: Record<
      string,
      {
        priceDimensions?: Record<
          string,
          { unit?: string; pricePerUnit?: Record<string, string | undefined> }
        >;
      }
    >;
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The on-demand USD prices per hour of a product's terms (each dimension with unit `Hrs`). */
function hourlyUsd(terms: IPriceListProduct['terms']): number[] {
  const prices: number[] = [];
  for (const term of Object.values(terms?.OnDemand ?? {})) {
    if (!isObject(term) || !isObject(term.priceDimensions)) {
      continue;
    }
    for (const dimension of Object.values(term.priceDimensions)) {
      const usd = Number(dimension?.pricePerUnit?.USD);
      if (
        dimension?.unit === 'Hrs' &&
        dimension.pricePerUnit?.USD &&
        isFinite(usd)
      ) {
        prices.push(usd);
      }
    }
  }
  return prices;
}

/**
 * The training price in one PriceList entry (a JSON string), or undefined when the entry is malformed, is not an
 * ML training instance, or has no single on-demand hourly USD price.
 */
export function parseTrainingPrice(entry: unknown): IHourlyPrice | undefined {
  let data: unknown;
  try {
    data = typeof entry === 'string' ? JSON.parse(entry) : entry;
  } catch {
    return undefined;
  }
  if (!isObject(data)) {
    return undefined;
  }
  const { product, terms } = data as IPriceListProduct;
  const attributes = isObject(product?.attributes) ? product.attributes : {};
  const instanceType = attributes.instanceName;
  // The offer names the usage `component` (older files: `platoinstancetype`); the filter already asked for it.
  const usage = attributes.component ?? attributes.platoinstancetype;
  if (
    typeof instanceType !== 'string' ||
    !instanceType.startsWith('ml.') ||
    (usage !== undefined && usage !== TRAINING_COMPONENT) ||
    (product?.productFamily !== undefined &&
      product.productFamily !== 'ML Instance')
  ) {
    return undefined;
  }
  const prices = hourlyUsd(isObject(terms) ? terms : undefined);
  const distinct = new Set(prices);
  return distinct.size === 1 ? { instanceType, usd: prices[0] } : undefined;
}

/** The GetProducts filters of the training instances of a region. */
export function trainingPriceFilters(
  region: string
): NonNullable<GetProductsCommandInput['Filters']> {
  return [
    { Type: 'TERM_MATCH', Field: 'regionCode', Value: region },
    { Type: 'TERM_MATCH', Field: 'productFamily', Value: 'ML Instance' },
    { Type: 'TERM_MATCH', Field: 'component', Value: TRAINING_COMPONENT }
  ];
}

/** On-demand USD per hour for training, per ML instance type, in `region`, from the Price List API (all pages). */
export async function fetchTrainingPrices(
  client: PricingClient,
  region: string
): Promise<Map<string, number>> {
  const { GetProductsCommand } = await import('@aws-sdk/client-pricing');
  const prices = new Map<string, number>();
  const pages = paginate(
    (input: GetProductsCommandInput): Promise<GetProductsCommandOutput> =>
      client.send(new GetProductsCommand(input)),
    {
      ServiceCode: SAGEMAKER_OFFER_CODE,
      Filters: trainingPriceFilters(region),
      FormatVersion: 'aws_v1'
    },
    { pageSize: PAGE_SIZE }
  );
  for await (const page of pages) {
    const entries: unknown = page.PriceList;
    for (const entry of Array.isArray(entries) ? entries : []) {
      const price = parseTrainingPrice(entry);
      if (price !== undefined) {
        prices.set(price.instanceType, price.usd);
      }
    }
  }
  return prices;
}
