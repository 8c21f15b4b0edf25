/**
 * Tests of the instance picker's catalog: the bundled table, filters (search, fast launch, GPU, minimum memory),
 * sorting by any column both ways with missing values last, recently used types first, the price and quota join,
 * the images per region and the recently-used list.
 */
import {
  IInstanceTable,
  InstanceCatalog,
  instanceSummary,
  loadInstanceTable,
  parseMinMemory
} from '../instances/catalog';
import { defaultImage, imagesFor } from '../instances/images';
import { rememberInstance } from '../instances/recent';
import { PriceTable } from '../pricing/table';

const row = (
  type: string,
  extra: Partial<IInstanceTable['instances'][number]> = {}
) => ({
  type,
  family: type.split('.')[1],
  category: 'standard' as const,
  vcpu: 2,
  memoryGiB: 8,
  gpuCount: 0,
  gpuModel: null,
  gpuMemoryGiB: 0,
  fastLaunch: false,
  notebook: true,
  training: true,
  ...extra
});

const table: IInstanceTable = {
  botocore: 'test',
  sources: [],
  skippedTypes: [],
  instances: [
    row('ml.t3.medium', { memoryGiB: 4, fastLaunch: true }),
    row('ml.m5.large', { fastLaunch: true }),
    row('ml.c5.xlarge', { category: 'compute', vcpu: 4 }),
    row('ml.r5.large', { category: 'memory', memoryGiB: 16 }),
    row('ml.g4dn.xlarge', {
      category: 'accelerated',
      vcpu: 4,
      memoryGiB: 16,
      gpuCount: 1,
      gpuModel: 'T4',
      gpuMemoryGiB: 16,
      fastLaunch: true
    }),
    row('ml.p4d.24xlarge', {
      category: 'accelerated',
      vcpu: 96,
      memoryGiB: 1152,
      gpuCount: 8,
      gpuModel: 'A100',
      gpuMemoryGiB: 320
    })
  ]
};

const prices = new PriceTable({
  source: {
    title: 'test prices',
    url: 'https://example.com',
    date: '2026-01-01'
  },
  prices: {
    'us-east-1': {
      training: { 'ml.m5.large': 0.115, 'ml.g4dn.xlarge': 0.736 },
      hosting: { 'ml.c5.xlarge': 0.204 }
    }
  }
});

const types = (rows: { type: string }[]) => rows.map(r => r.type);

describe('the bundled table', () => {
  it('has the figures Studio quotes and exactly four fast-launch types', async () => {
    const loaded = await loadInstanceTable();
    const byType = new Map(loaded.instances.map(r => [r.type, r]));
    expect(instanceSummary(byType.get('ml.g4dn.xlarge')!)).toBe(
      '4 vCPU + 16 GiB + 1 GPU'
    );
    expect(instanceSummary(byType.get('ml.t3.medium')!)).toBe('2 vCPU + 4 GiB');
    expect(byType.get('ml.g5.12xlarge')).toMatchObject({
      vcpu: 48,
      memoryGiB: 192,
      gpuCount: 4,
      gpuModel: 'A10G'
    });
    const catalog = new InstanceCatalog({ table: loaded, region: 'us-east-1' });
    expect(
      types(catalog.query({ filter: { fastLaunchOnly: true } })).sort()
    ).toEqual(['ml.c5.large', 'ml.g4dn.xlarge', 'ml.m5.large', 'ml.t3.medium']);
  });
});

describe('InstanceCatalog', () => {
  const catalog = new InstanceCatalog({ table, region: 'us-east-1', prices });

  it('filters by text over type, family, category and GPU model', () => {
    expect(types(catalog.query({ filter: { search: 'a100' } }))).toEqual([
      'ml.p4d.24xlarge'
    ]);
    expect(types(catalog.query({ filter: { search: 'COMPUTE' } }))).toEqual([
      'ml.c5.xlarge'
    ]);
    expect(
      types(catalog.query({ filter: { search: 'accelerated t4' } }))
    ).toEqual(['ml.g4dn.xlarge']);
    expect(catalog.query({ filter: { search: 'm5 ' } })).toHaveLength(1);
  });

  it('filters fast launch only, GPU only and minimum memory', () => {
    expect(types(catalog.query({ filter: { fastLaunchOnly: true } }))).toEqual([
      'ml.t3.medium',
      'ml.m5.large',
      'ml.g4dn.xlarge'
    ]);
    expect(types(catalog.query({ filter: { gpuOnly: true } }))).toEqual([
      'ml.g4dn.xlarge',
      'ml.p4d.24xlarge'
    ]);
    expect(types(catalog.query({ filter: { minMemory: '16' } }))).toEqual([
      'ml.r5.large',
      'ml.g4dn.xlarge',
      'ml.p4d.24xlarge'
    ]);
    expect(
      types(
        catalog.query({
          filter: { minMemory: '16', gpuOnly: true, fastLaunchOnly: true }
        })
      )
    ).toEqual(['ml.g4dn.xlarge']);
  });

  it('ignores a minimum memory that is not a number of 0 or more', () => {
    for (const text of ['abc', '-4', '1e3x', '4 GiB', '--1']) {
      expect(parseMinMemory(text)).toEqual({ value: null, valid: false });
      expect(catalog.query({ filter: { minMemory: text } })).toHaveLength(6);
    }
    expect(parseMinMemory('')).toEqual({ value: null, valid: true });
    expect(parseMinMemory(' 7.5 ')).toEqual({ value: 7.5, valid: true });
    expect(parseMinMemory('0')).toEqual({ value: 0, valid: true });
  });

  it('sorts by any column both ways, numbers numerically, missing values last', () => {
    const sort = (
      column: InstanceCatalog.Column,
      direction: InstanceCatalog.Direction
    ) => types(catalog.query({ sort: { column, direction } }));
    expect(sort('memoryGiB', 'descending')).toEqual([
      'ml.p4d.24xlarge',
      'ml.r5.large',
      'ml.g4dn.xlarge',
      'ml.m5.large',
      'ml.c5.xlarge',
      'ml.t3.medium'
    ]);
    expect(sort('memoryGiB', 'ascending')[0]).toBe('ml.t3.medium');
    // Prices: only two are known; the others come last both ways.
    expect(sort('price', 'ascending').slice(0, 2)).toEqual([
      'ml.m5.large',
      'ml.g4dn.xlarge'
    ]);
    expect(sort('price', 'descending').slice(0, 2)).toEqual([
      'ml.g4dn.xlarge',
      'ml.m5.large'
    ]);
    expect(sort('price', 'descending').slice(2)).toEqual([
      'ml.t3.medium',
      'ml.c5.xlarge',
      'ml.r5.large',
      'ml.p4d.24xlarge'
    ]);
    expect(sort('type', 'ascending')).toEqual([
      'ml.c5.xlarge',
      'ml.g4dn.xlarge',
      'ml.m5.large',
      'ml.p4d.24xlarge',
      'ml.r5.large',
      'ml.t3.medium'
    ]);
    expect(sort('category', 'descending').slice(0, 2)).toEqual([
      'ml.g4dn.xlarge',
      'ml.p4d.24xlarge'
    ]);
    expect(sort('gpuCount', 'descending')[0]).toBe('ml.p4d.24xlarge');
    expect(sort('fastLaunch', 'ascending').slice(0, 3).sort()).toEqual([
      'ml.g4dn.xlarge',
      'ml.m5.large',
      'ml.t3.medium'
    ]);
    // Numbers numerically: ml.g4dn.12xlarge after ml.g4dn.2xlarge.
    const sized = new InstanceCatalog({
      table: {
        ...table,
        instances: [
          row('ml.g4dn.12xlarge', { vcpu: 48 }),
          row('ml.g4dn.2xlarge', { vcpu: 8 })
        ]
      },
      region: null
    });
    expect(
      types(sized.query({ sort: { column: 'type', direction: 'ascending' } }))
    ).toEqual(['ml.g4dn.2xlarge', 'ml.g4dn.12xlarge']);
    expect(
      types(sized.query({ sort: { column: 'vcpu', direction: 'ascending' } }))
    ).toEqual(['ml.g4dn.2xlarge', 'ml.g4dn.12xlarge']);
  });

  it('puts recently used types first, in their order, only when they pass the filter', () => {
    expect(
      types(
        catalog.query({
          recent: ['ml.p4d.24xlarge', 'ml.unknown.xlarge', 'ml.c5.xlarge']
        })
      )
    ).toEqual([
      'ml.p4d.24xlarge',
      'ml.c5.xlarge',
      'ml.t3.medium',
      'ml.m5.large',
      'ml.r5.large',
      'ml.g4dn.xlarge'
    ]);
    expect(
      types(
        catalog.query({
          filter: { gpuOnly: true },
          recent: ['ml.c5.xlarge', 'ml.p4d.24xlarge']
        })
      )
    ).toEqual(['ml.p4d.24xlarge', 'ml.g4dn.xlarge']);
  });

  it('joins the bundled training prices of the region, never another component', () => {
    expect(catalog.get('ml.m5.large')).toMatchObject({
      price: 0.115,
      priceFrom: 'bundled'
    });
    expect(catalog.get('ml.c5.xlarge')).toMatchObject({
      price: null,
      priceFrom: null
    });
    const elsewhere = new InstanceCatalog({
      table,
      region: 'eu-west-1',
      prices
    });
    expect(elsewhere.get('ml.m5.large')!.price).toBeNull();
    expect(catalog.priceSource?.title).toBe('test prices');
    expect(catalog.hasQuotas).toBe(false);
    expect(catalog.get('ml.m5.large')!.quota).toBeNull();
  });

  it('prefers live prices and joins quotas when given', () => {
    const live = new InstanceCatalog({
      table,
      region: 'us-east-1',
      prices,
      livePrices: new Map([
        ['ml.g4dn.xlarge', 0.75],
        ['ml.c5.xlarge', 0.2]
      ]),
      quotas: new Map([
        ['ml.p4d.24xlarge', 0],
        ['ml.m5.large', 20]
      ])
    });
    expect(live.hasLivePrices).toBe(true);
    expect(live.get('ml.g4dn.xlarge')).toMatchObject({
      price: 0.75,
      priceFrom: 'live'
    });
    expect(live.get('ml.c5.xlarge')).toMatchObject({
      price: 0.2,
      priceFrom: 'live'
    });
    expect(live.get('ml.m5.large')).toMatchObject({
      price: 0.115,
      priceFrom: 'bundled',
      quota: 20
    });
    expect(live.get('ml.p4d.24xlarge')!.quota).toBe(0);
    expect(live.get('ml.t3.medium')!.quota).toBeNull();
    expect(live.hasQuotas).toBe(true);
    expect(
      types(
        live.query({ sort: { column: 'quota', direction: 'ascending' } })
      ).slice(0, 2)
    ).toEqual(['ml.p4d.24xlarge', 'ml.m5.large']);
  });
});

describe('images', () => {
  it('builds SageMaker Distribution URIs for a known region and none for an unknown one', () => {
    const images = imagesFor('us-east-1')!;
    expect(images.map(i => i.uri)).toEqual([
      '885854791233.dkr.ecr.us-east-1.amazonaws.com/sagemaker-distribution-prod:3.2.0-cpu',
      '885854791233.dkr.ecr.us-east-1.amazonaws.com/sagemaker-distribution-prod:3.2.0-gpu'
    ]);
    expect(defaultImage(images, 1)!.processor).toBe('gpu');
    expect(defaultImage(images, 0)!.label).toBe(
      'SageMaker Distribution 3.2 (CPU)'
    );
    expect(imagesFor('xx-nowhere-1')).toBeNull();
    expect(imagesFor(null)).toBeNull();
  });
});

describe('rememberInstance', () => {
  it('keeps the last five, most recent first, without duplicates', () => {
    let list: string[] = [];
    for (const t of ['a', 'b', 'c', 'd', 'e', 'f', 'c']) {
      list = rememberInstance(list, t);
    }
    expect(list).toEqual(['c', 'f', 'e', 'd', 'b']);
  });
});
