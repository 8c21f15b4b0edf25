/**
 * The instance picker's fetchers: training quotas from Service Quotas and training prices from the Price List
 * API, with fake clients answering in the recorded shape of those APIs (several pages each).
 */
import {
  ListServiceQuotasCommand,
  ServiceQuotasClient
} from '@aws-sdk/client-service-quotas';
import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';

import {
  fetchTrainingPrices,
  fetchTrainingQuotas,
  parseTrainingPrice
} from '../instances/capacity';

/** A client whose `send` records each command and answers with the next page. */
function fakeClient<C>(pages: object[]): { client: C; sent: unknown[] } {
  const sent: unknown[] = [];
  const client = {
    send: jest.fn(async (command: unknown) => {
      sent.push(command);
      const page = pages.shift();
      if (!page) {
        throw new Error('no more pages');
      }
      return page;
    })
  };
  return { client: client as unknown as C, sent };
}

function quota(name: string, value: number | undefined, code: string) {
  return {
    ServiceCode: 'sagemaker',
    ServiceName: 'Amazon SageMaker',
    QuotaArn: `arn:aws:servicequotas:eu-west-1:123456789012:sagemaker/${code}`,
    QuotaCode: code,
    QuotaName: name,
    Value: value,
    Unit: 'None',
    Adjustable: true,
    GlobalQuota: false
  };
}

/** One PriceList entry as GetProducts returns it: a JSON string (made-up SKU and price, not AWS figures). */
function product(
  instance: string,
  usd: string,
  options: { component?: string; unit?: string; region?: string } = {}
): string {
  const sku = `SKU${instance.replace(/\W/g, '')}${options.component ?? ''}`;
  return JSON.stringify({
    product: {
      productFamily: 'ML Instance',
      attributes: {
        instanceName: instance,
        regionCode: options.region ?? 'eu-west-1',
        component: options.component ?? 'Training',
        usagetype: `EU-Train:${instance}`
      },
      sku
    },
    serviceCode: 'AmazonSageMaker',
    terms: {
      OnDemand: {
        [`${sku}.JRTCKXETXF`]: {
          priceDimensions: {
            [`${sku}.JRTCKXETXF.6YS6EN2CT7`]: {
              unit: options.unit ?? 'Hrs',
              pricePerUnit: { USD: usd }
            }
          },
          sku
        }
      }
    },
    version: '20260901000000',
    publicationDate: '2026-09-01T00:00:00Z'
  });
}

describe('fetchTrainingQuotas', () => {
  it('reads every page and keeps the training quotas by instance type', async () => {
    const { client, sent } = fakeClient<ServiceQuotasClient>([
      {
        Quotas: [
          quota('ml.g4dn.xlarge for training job usage', 2, 'L-AAAA0001'),
          quota('ml.m5.large for endpoint usage', 4, 'L-AAAA0002')
        ],
        NextToken: 'page-2'
      },
      {
        Quotas: [
          quota('ml.p4d.24xlarge for training job usage', 0, 'L-AAAA0003'),
          quota('Maximum number of training jobs', 100, 'L-AAAA0004'),
          quota('ml.m5.xlarge for training job usage', undefined, 'L-AAAA0005')
        ]
      }
    ]);
    const quotas = await fetchTrainingQuotas(client);
    expect([...quotas]).toEqual([
      ['ml.g4dn.xlarge', 2],
      ['ml.p4d.24xlarge', 0]
    ]);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toBeInstanceOf(ListServiceQuotasCommand);
    const inputs = sent.map(c => (c as ListServiceQuotasCommand).input);
    expect(inputs).toEqual([
      { ServiceCode: 'sagemaker', MaxResults: 100 },
      { ServiceCode: 'sagemaker', MaxResults: 100, NextToken: 'page-2' }
    ]);
  });

  it('passes the service error on', async () => {
    const client = {
      send: jest.fn(async () => {
        throw Object.assign(new Error('not allowed'), {
          name: 'AccessDeniedException'
        });
      })
    } as unknown as ServiceQuotasClient;
    await expect(fetchTrainingQuotas(client)).rejects.toThrow('not allowed');
  });
});

describe('fetchTrainingPrices', () => {
  it('asks for the region training instances and reads every page', async () => {
    const { client, sent } = fakeClient<PricingClient>([
      {
        FormatVersion: 'aws_v1',
        PriceList: [
          product('ml.m5.large', '0.115'),
          '{"product": ', // malformed JSON: skipped
          product('ml.g4dn.xlarge', '0.736')
        ],
        NextToken: 'next/page+1='
      },
      {
        FormatVersion: 'aws_v1',
        PriceList: [
          product('ml.c5.xlarge', '0.204'),
          JSON.stringify({ product: { attributes: {} } }), // no instance: skipped
          JSON.stringify([1, 2]), // not an object: skipped
          product('ml.m5.xlarge', '0.23', { unit: 'Quantity' }), // not hourly: skipped
          product('ml.t3.medium', '0.05', { component: 'Hosting' }) // not training: skipped
        ]
      }
    ]);
    const prices = await fetchTrainingPrices(client, 'eu-west-1');
    expect(Object.fromEntries(prices)).toEqual({
      'ml.m5.large': 0.115,
      'ml.g4dn.xlarge': 0.736,
      'ml.c5.xlarge': 0.204
    });
    expect(sent[0]).toBeInstanceOf(GetProductsCommand);
    const inputs = sent.map(c => (c as GetProductsCommand).input);
    expect(inputs[0]).toEqual({
      ServiceCode: 'AmazonSageMaker',
      FormatVersion: 'aws_v1',
      MaxResults: 100,
      Filters: [
        { Type: 'TERM_MATCH', Field: 'regionCode', Value: 'eu-west-1' },
        { Type: 'TERM_MATCH', Field: 'productFamily', Value: 'ML Instance' },
        { Type: 'TERM_MATCH', Field: 'component', Value: 'Training' }
      ]
    });
    expect(inputs[1]).toEqual({ ...inputs[0], NextToken: 'next/page+1=' });
  });

  it('returns an empty map for a region without prices', async () => {
    const { client } = fakeClient<PricingClient>([{ PriceList: [] }]);
    expect((await fetchTrainingPrices(client, 'eu-south-2')).size).toBe(0);
  });
});

describe('parseTrainingPrice', () => {
  it('reads one entry and refuses ambiguous or broken ones', () => {
    expect(parseTrainingPrice(product('ml.m5.large', '0.115'))).toEqual({
      instanceType: 'ml.m5.large',
      usd: 0.115
    });
    expect(parseTrainingPrice(product('ml.m5.large', 'n/a'))).toBeUndefined();
    expect(parseTrainingPrice('not json')).toBeUndefined();
    expect(parseTrainingPrice(42)).toBeUndefined();
    const two = JSON.parse(product('ml.m5.large', '0.115'));
    two.terms.OnDemand.other = {
      priceDimensions: { d: { unit: 'Hrs', pricePerUnit: { USD: '0.2' } } }
    };
    expect(parseTrainingPrice(JSON.stringify(two))).toBeUndefined();
    const broken = JSON.parse(product('ml.m5.large', '0.115'));
    broken.terms.OnDemand = { x: null, y: { priceDimensions: [null] } };
    expect(parseTrainingPrice(JSON.stringify(broken))).toBeUndefined();
  });
});
