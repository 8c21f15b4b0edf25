/**
 * Tests of the Model Monitor report parsers (valid, malformed, incomplete and oversized files), of drift
 * description parsing, and of the baseline-versus-execution comparison.
 */
import { nullTranslator } from '@jupyterlab/translation';

import {
  categoricalPairs,
  distributionPairs,
  estimateDistance,
  numericPairs,
  rebin
} from '../monitor/drift';
import {
  parseConstraints,
  parseDriftDescription,
  parseStatistics,
  parseViolations
} from '../monitor/reports';
import { constraints, kll, statistics, violations } from './monitorFixtures';

const trans = nullTranslator.load('jupyterlab_sagemaker_studio');

describe('parseStatistics', () => {
  it('reads item count, types, missing values, KLL buckets and categories', () => {
    const result = parseStatistics(
      JSON.stringify(statistics({ itemCount: 80, missing: 4 })),
      trans
    );
    expect(result.ok).toBe(true);
    if (!result.ok) {
      return;
    }
    expect(result.value.itemCount).toBe(80);
    const [age, city] = result.value.features;
    expect(age).toMatchObject({
      name: 'age',
      inferredType: 'Integral',
      numPresent: 76,
      numMissing: 4,
      mean: 40,
      min: 0,
      max: 100
    });
    expect(age.kll).toHaveLength(10);
    expect(age.kll[0]).toEqual({ lower: 0, upper: 10, count: 1 });
    expect(city.inferredType).toBe('String');
    expect(city.distinctCount).toBe(2);
    expect(city.categories).toEqual([
      { value: 'Paris', count: 50 },
      { value: 'Berlin', count: 26 }
    ]);
    expect(city.kll).toEqual([]);
  });

  it('says which file is not JSON', () => {
    const result = parseStatistics('{"features": [', trans);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(
      /^The execution’s statistics\.json is not valid JSON/
    );
    const baseline = parseStatistics('nope', trans, {
      kind: 'baseline-statistics'
    });
    expect(!baseline.ok && baseline.error).toMatch(
      /^The baseline statistics\.json is not valid JSON/
    );
  });

  it('refuses a file without features, a nameless feature and a broken bucket', () => {
    const noFeatures = parseStatistics('{"dataset": {"item_count": 3}}', trans);
    expect(!noFeatures.ok && noFeatures.error).toBe(
      'The execution’s statistics.json does not have the Model Monitor format: it has no “features” list.'
    );
    const nameless = parseStatistics(
      '{"features": [{"inferred_type": "String"}]}',
      trans
    );
    expect(!nameless.ok && nameless.error).toMatch(/feature 1 has no name/);
    const broken = statistics({});
    (
      broken.features[0] as any
    ).numerical_statistics.distribution.kll.buckets[2] = {
      lower_bound: 1
    };
    const bucket = parseStatistics(JSON.stringify(broken), trans);
    expect(!bucket.ok && bucket.error).toMatch(
      /a KLL bucket of “age” lacks lower_bound, upper_bound or count/
    );
    const array = parseStatistics('[1, 2]', trans);
    expect(!array.ok && array.error).toMatch(/is not a JSON object/);
  });

  it('refuses a file over the byte limit before parsing it', () => {
    const text = JSON.stringify(statistics({}));
    const result = parseStatistics(text, trans, { maxBytes: 100 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(
      /statistics\.json is 0\.0 MB, more than the 0 MB this dashboard reads/
    );
    const huge = ' '.repeat(21 * 1024 * 1024);
    const big = parseStatistics(huge, trans);
    expect(!big.ok && big.error).toMatch(
      /is 21\.0 MB, more than the 20 MB this dashboard reads, so it was not loaded/
    );
  });

  it('counts multi-byte characters as bytes', () => {
    const text = JSON.stringify({ features: [], note: 'é'.repeat(60) });
    expect(parseStatistics(text, trans, { maxBytes: 100 }).ok).toBe(false);
    expect(parseStatistics(text, trans, { maxBytes: 200 }).ok).toBe(true);
  });
});

describe('parseConstraints', () => {
  it('reads the comparison threshold and method and per-feature overrides', () => {
    const file = constraints(0.2);
    (file.features[1] as any).monitoringConfigOverrides = {
      comparison_threshold: 0.3
    };
    const result = parseConstraints(JSON.stringify(file), trans);
    expect(result.ok && result.value).toMatchObject({
      comparisonThreshold: 0.2,
      comparisonMethod: 'Robust',
      features: [
        { name: 'age', completeness: 1, comparisonThreshold: null },
        { name: 'city', comparisonThreshold: 0.3 }
      ]
    });
  });

  it('refuses a file without features', () => {
    const result = parseConstraints('{"monitoring_config": {}}', trans);
    expect(!result.ok && result.error).toBe(
      'The baseline constraints.json does not have the Model Monitor format: it has no “features” list.'
    );
  });
});

describe('parseViolations', () => {
  it('reads violations and parses drift descriptions', () => {
    const result = parseViolations(JSON.stringify(violations(0.27)), trans);
    expect(result.ok && result.value).toEqual([
      {
        featureName: 'age',
        checkType: 'baseline_drift_check',
        description:
          'Numerical distance: 0.27 exceeds numerical threshold: 0.1',
        drift: { distance: 0.27, threshold: 0.1 }
      },
      {
        featureName: 'city',
        checkType: 'completeness_check',
        description:
          'Data completeness is 0.9 whereas the baseline constraint requires 1.0',
        drift: null
      }
    ]);
  });

  it('accepts an empty list', () => {
    expect(parseViolations('{"violations": []}', trans)).toEqual({
      ok: true,
      value: []
    });
  });

  it('refuses a violation without feature or check type', () => {
    const result = parseViolations(
      '{"violations": [{"description": "x"}]}',
      trans
    );
    expect(!result.ok && result.error).toMatch(
      /constraint_violations\.json does not have the Model Monitor format: violation 1 lacks feature_name or constraint_check_type/
    );
    const notList = parseViolations('{"violations": {}}', trans);
    expect(!notList.ok && notList.error).toMatch(/no “violations” list/);
  });
});

describe('parseDriftDescription', () => {
  it.each([
    ['Numerical distance: 0.27 exceeds numerical threshold: 0.1', 0.27, 0.1],
    [
      'Categorical distance: 0.5 exceeds categorical threshold: 0.25',
      0.5,
      0.25
    ],
    [
      'Baseline drift distance 1.2e-1 exceeds threshold 1e-1 for feature x',
      0.12,
      0.1
    ],
    ['Numerical distance: .3 exceeds numerical threshold: 0.1', 0.3, 0.1]
  ])('parses %s', (text, distance, threshold) => {
    expect(parseDriftDescription(text)).toEqual({ distance, threshold });
  });

  it.each([
    'Data type Fractional is not the baseline type Integral',
    'Numerical distance: NaN exceeds numerical threshold: 0.1',
    ''
  ])('returns null for %s', text => {
    expect(parseDriftDescription(text)).toBeNull();
  });
});

describe('drift comparison', () => {
  const parse = (value: object) => {
    const result = parseStatistics(JSON.stringify(value), trans);
    if (!result.ok) {
      throw new Error(result.error);
    }
    return result.value;
  };

  it('rebins counts onto other bounds in proportion to the overlap', () => {
    const grid = kll(0, 10, [1, 1]).map(b => ({
      lower: b.lower_bound,
      upper: b.upper_bound,
      count: b.count
    }));
    expect(rebin([{ lower: 2, upper: 8, count: 6 }], grid)).toEqual([3, 3]);
    // Outside the grid: to the nearest end bucket.
    expect(rebin([{ lower: 10, upper: 20, count: 4 }], grid)).toEqual([0, 4]);
    expect(rebin([{ lower: 3, upper: 3, count: 2 }], grid)).toEqual([2, 0]);
  });

  it('pairs numeric buckets as shares on the baseline bounds', () => {
    const base = parse(statistics({})).features[0];
    const pairs = numericPairs(base.kll, base.kll);
    expect(pairs).toHaveLength(10);
    expect(pairs[0].label).toBe('0–10');
    expect(pairs.reduce((s, p) => s + p.baseline, 0)).toBeCloseTo(1);
    expect(pairs.every(p => Math.abs(p.baseline - p.current) < 1e-12)).toBe(
      true
    );
  });

  it('pairs categories by value, baseline order first', () => {
    const base = parse(statistics({ cities: { Paris: 3, Berlin: 1 } }))
      .features[1];
    const cur = parse(statistics({ cities: { Berlin: 2, Rome: 2 } }))
      .features[1];
    expect(categoricalPairs(base, cur)).toEqual([
      { label: 'Paris', baseline: 0.75, current: 0 },
      { label: 'Berlin', baseline: 0.25, current: 0.5 },
      { label: 'Rome', baseline: 0, current: 0.5 }
    ]);
    expect(distributionPairs(null, null)).toBeNull();
  });

  it('estimates no distance for equal distributions and a large one for shifted ones', () => {
    const base = parse(statistics({})).features[0];
    const same = parse(statistics({})).features[0];
    const shifted = parse(
      statistics({ ageCounts: [0, 0, 0, 0, 0, 1, 2, 5, 20, 40] })
    ).features[0];
    expect(estimateDistance(base, same)).toBeCloseTo(0);
    expect(estimateDistance(base, shifted)!).toBeGreaterThan(0.5);
    expect(estimateDistance(base, null)).toBeNull();
  });
});
