/**
 * Tests of the running-resources model: prices from a table, totals, cost so far, kinds that fail to list,
 * stop / delete and its refusal as a sentence.
 */
import { nullTranslator } from '@jupyterlab/translation';

import { AwsServiceError, describeAwsError } from '../aws/errors';
import { PriceTable } from '../pricing/table';
import { RunningModel } from '../registry/running/model';

const trans = nullTranslator.load('jupyterlab_sagemaker_studio');
const describeError = (err: unknown) => describeAwsError(err, trans);

const table = new PriceTable({
  source: {
    title: 'test prices',
    url: 'https://example.org',
    date: '2026-01-01'
  },
  prices: {
    'us-east-1': {
      hosting: { 'ml.m5.large': 0.115, 'ml.g4dn.xlarge': 0.736 },
      training: { 'ml.m5.xlarge': 0.23 }
    }
  }
});

const HOUR = 3_600_000;

/** A resource of a kind with units. */
function resource(
  kind: RunningModel.Kind,
  name: string,
  units: RunningModel.IUnit[],
  since: number | null,
  usage: RunningModel.Usage = kind === 'endpoint' ? 'hosting' : 'training'
): RunningModel.IResource {
  return {
    kind,
    name,
    arn: `arn:${name}`,
    status: 'InService',
    usage,
    units,
    since,
    app: null
  };
}

const unit = (instanceType: string | null, count = 1, serverless = false) => ({
  instanceType,
  count,
  serverless
});

/** A model over fixed resources and errors, recording stops. */
function model(
  result: RunningModel.IPartialResult,
  stop: (r: RunningModel.IResource) => Promise<void> = async () => undefined
) {
  return new RunningModel({
    fetch: async () => result,
    stop,
    prices: async () => table,
    region: () => 'us-east-1',
    describeError
  });
}

describe('RunningModel', () => {
  it('prices each resource by its units and sums the total per hour', async () => {
    const m = model({
      resources: [
        resource(
          'endpoint',
          'prod',
          [unit('ml.m5.large', 2), unit('ml.g4dn.xlarge', 1)],
          0
        ),
        resource('training-job', 'train', [unit('ml.m5.xlarge', 3)], 0)
      ],
      errors: []
    });
    await m.refresh();
    expect(m.status).toBe('ready');
    expect(m.rows.map(r => r.name)).toEqual(['prod', 'train']);
    expect(m.rows[0].perHour).toBeCloseTo(2 * 0.115 + 0.736, 6);
    expect(m.rows[1].perHour).toBeCloseTo(0.69, 6);
    expect(m.totalPerHour).toBeCloseTo(0.966 + 0.69, 6);
    expect(m.unpriced).toBe(0);
    expect(m.priceSource?.title).toBe('test prices');
  });

  it('computes the cost so far from the start of billing', async () => {
    const start = Date.UTC(2026, 0, 1);
    const m = model({
      resources: [
        resource('endpoint', 'prod', [unit('ml.m5.large', 2)], start)
      ],
      errors: []
    });
    await m.refresh();
    expect(m.costSoFar(m.rows[0], start + 3 * HOUR)).toBeCloseTo(0.69, 6);
    // A clock behind the start never gives a negative cost.
    expect(m.costSoFar(m.rows[0], start - HOUR)).toBe(0);
  });

  it('leaves unknown instance types and serverless variants out of the total and says which', async () => {
    const m = model({
      resources: [
        resource('endpoint', 'odd', [unit('ml.x99.huge')], 0),
        resource('endpoint', 'serverless', [unit(null, 0, true)], 0),
        resource('endpoint', 'prod', [unit('ml.m5.large')], 0)
      ],
      errors: []
    });
    await m.refresh();
    const odd = m.rows.find(r => r.name === 'odd')!;
    expect(odd.perHour).toBeNull();
    expect(odd.unpricedTypes).toEqual(['ml.x99.huge']);
    expect(m.rows.find(r => r.name === 'serverless')!.perHour).toBeNull();
    expect(m.unpriced).toBe(2);
    expect(m.totalPerHour).toBeCloseTo(0.115, 6);
    expect(m.costSoFar(odd, HOUR)).toBeNull();
  });

  it('shows the kinds that listed while naming the kinds that failed', async () => {
    const m = model({
      resources: [resource('endpoint', 'prod', [unit('ml.m5.large')], 0)],
      errors: [{ kind: 'app', message: 'Access denied to sagemaker:ListApps.' }]
    });
    await m.refresh();
    expect(m.status).toBe('ready');
    expect(m.rows).toHaveLength(1);
    expect(m.kindErrors).toEqual([
      { kind: 'app', message: 'Access denied to sagemaker:ListApps.' }
    ]);
  });

  it('is an error when no kind could be listed', async () => {
    const m = model({
      resources: [],
      errors: RunningModel.KINDS.map(kind => ({ kind, message: `no ${kind}` }))
    });
    await m.refresh();
    expect(m.status).toBe('error');
    expect(m.error).toBe('no endpoint');
  });

  it('stops a resource, then lists again', async () => {
    let resources = [
      resource('training-job', 'train', [unit('ml.m5.xlarge')], 0)
    ];
    const stopped: string[] = [];
    const m = new RunningModel({
      fetch: async () => ({ resources, errors: [] }),
      stop: async r => {
        stopped.push(r.name);
        resources = [];
      },
      prices: async () => table,
      region: () => 'us-east-1',
      describeError
    });
    await m.refresh();
    expect(await m.stop(m.rows[0])).toBe(true);
    await m.refresh();
    expect(stopped).toEqual(['train']);
    expect(m.rows).toHaveLength(0);
    expect(m.error).toBeNull();
  });

  it('keeps the resource and says why when AWS refuses the stop', async () => {
    const m = model(
      {
        resources: [resource('endpoint', 'prod', [unit('ml.m5.large')], 0)],
        errors: []
      },
      async () => {
        throw new AwsServiceError(
          'AccessDeniedException',
          'User: arn:aws:iam::123456789012:user/ds is not authorized to perform: sagemaker:DeleteEndpoint on resource: arn',
          { httpStatusCode: 400 }
        );
      }
    );
    await m.refresh();
    expect(await m.stop(m.rows[0])).toBe(false);
    expect(m.error).toMatch(/DeleteEndpoint/);
    await m.refresh();
    expect(m.rows).toHaveLength(1);
  });
});

describe('PriceTable', () => {
  it('returns null for unknown regions, components and types', () => {
    expect(table.price('us-east-1', 'hosting', 'ml.m5.large')).toBe(0.115);
    expect(table.price('eu-west-1', 'hosting', 'ml.m5.large')).toBeNull();
    expect(table.price('us-east-1', 'studio', 'ml.m5.large')).toBeNull();
    expect(table.price('us-east-1', 'hosting', 'ml.nope')).toBeNull();
  });
});
