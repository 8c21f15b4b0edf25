/**
 * Model Monitor report files in the AWS format (FORMATS.md "Model Monitor reports"), shared by the monitor specs.
 */

/** KLL buckets of 10 equal ranges between lo and hi with the given counts. */
export function kll(lo: number, hi: number, counts: number[]) {
  const width = (hi - lo) / counts.length;
  return counts.map((count, i) => ({
    lower_bound: lo + i * width,
    upper_bound: lo + (i + 1) * width,
    count
  }));
}

/** A statistics.json with one numeric feature (`age`) and one string feature (`city`). */
export function statistics(options: {
  itemCount?: number;
  ageCounts?: number[];
  cities?: Record<string, number>;
  missing?: number;
}) {
  const ageCounts = options.ageCounts ?? [1, 2, 5, 10, 20, 20, 10, 5, 2, 1];
  const present = ageCounts.reduce((a, b) => a + b, 0);
  return {
    version: 0.0,
    dataset: { item_count: options.itemCount ?? present },
    features: [
      {
        name: 'age',
        inferred_type: 'Integral',
        numerical_statistics: {
          common: { num_present: present, num_missing: options.missing ?? 0 },
          mean: 40,
          sum: 40 * present,
          std_dev: 10,
          min: 0,
          max: 100,
          distribution: {
            kll: {
              buckets: kll(0, 100, ageCounts),
              sketch: { parameters: { c: 0.64, k: 2048 }, data: [[1, 2, 3]] }
            }
          }
        }
      },
      {
        name: 'city',
        inferred_type: 'String',
        string_statistics: {
          common: { num_present: present, num_missing: 0 },
          distinct_count: 2,
          distribution: {
            categorical: {
              buckets: Object.entries(
                options.cities ?? { Paris: 50, Berlin: 26 }
              ).map(([value, count]) => ({ value, count }))
            }
          }
        }
      }
    ]
  };
}

/** A constraints.json for the two features. */
export function constraints(threshold = 0.1) {
  return {
    version: 0.0,
    features: [
      {
        name: 'age',
        inferred_type: 'Integral',
        completeness: 1.0,
        num_constraints: { is_non_negative: true }
      },
      {
        name: 'city',
        inferred_type: 'String',
        completeness: 1.0,
        string_constraints: { domains: ['Paris', 'Berlin'] }
      }
    ],
    monitoring_config: {
      evaluate_constraints: 'Enabled',
      emit_metrics: 'Enabled',
      datatype_check_threshold: 1.0,
      domain_content_threshold: 1.0,
      distribution_constraints: {
        perform_comparison: 'Enabled',
        comparison_threshold: threshold,
        comparison_method: 'Robust'
      }
    }
  };
}

/** A constraint_violations.json with a drift violation of `age` and a completeness violation of `city`. */
export function violations(distance = 0.27) {
  return {
    violations: [
      {
        feature_name: 'age',
        constraint_check_type: 'baseline_drift_check',
        description: `Numerical distance: ${distance} exceeds numerical threshold: 0.1`
      },
      {
        feature_name: 'city',
        constraint_check_type: 'completeness_check',
        description:
          'Data completeness is 0.9 whereas the baseline constraint requires 1.0'
      }
    ]
  };
}
