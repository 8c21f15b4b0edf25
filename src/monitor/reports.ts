/**
 * Model Monitor report files (statistics.json, constraints.json, constraint_violations.json): shape checks that
 * turn a malformed, incomplete or oversized file into one sentence for the user, and the parsing of drift
 * descriptions. Pure functions, no DOM and no AWS code, so every part of the dashboard can fail on its own.
 */
import type { TranslationBundle } from '@jupyterlab/translation';

/** Reports larger than this are not downloaded (20 MB); the dashboard's setting may lower or raise it. */
export const DEFAULT_MAX_REPORT_BYTES = 20 * 1024 * 1024;

/** Either the parsed value or the sentence saying why there is none. */
export type ParseResult<T> =
  { ok: true; value: T } | { ok: false; error: string };

/** One bucket of a numeric feature's KLL sketch. */
export interface IKllBucket {
  /** Lower bound (inclusive). */
  lower: number;
  /** Upper bound. */
  upper: number;
  /** Values in the bucket. */
  count: number;
}

/** One bucket of a string feature's categorical distribution. */
export interface ICategoryBucket {
  /** The category. */
  value: string;
  /** How often it occurred. */
  count: number;
}

/** One feature of statistics.json. */
export interface IFeatureStatistics {
  /** Feature (column) name. */
  name: string;
  /** Fractional, Integral, String or Unknown. */
  inferredType: string;
  /** Non-missing values. */
  numPresent: number | null;
  /** Missing values. */
  numMissing: number | null;
  /** Mean of a numeric feature. */
  mean: number | null;
  /** Standard deviation of a numeric feature. */
  stdDev: number | null;
  /** Minimum of a numeric feature. */
  min: number | null;
  /** Maximum of a numeric feature. */
  max: number | null;
  /** Distinct values of a string feature. */
  distinctCount: number | null;
  /** KLL buckets of a numeric feature (usually 10), else empty. */
  kll: IKllBucket[];
  /** Categorical buckets of a string feature, else empty. */
  categories: ICategoryBucket[];
}

/** statistics.json. */
export interface IStatistics {
  /** Rows the dataset held. */
  itemCount: number | null;
  /** The features. */
  features: IFeatureStatistics[];
}

/** One feature of constraints.json. */
export interface IFeatureConstraint {
  /** Feature name. */
  name: string;
  /** Inferred type. */
  inferredType: string | null;
  /** Required share of present values (0–1). */
  completeness: number | null;
  /** A per-feature drift threshold from monitoringConfigOverrides, if any. */
  comparisonThreshold: number | null;
}

/** constraints.json. */
export interface IConstraints {
  /** The features. */
  features: IFeatureConstraint[];
  /** monitoring_config.distribution_constraints.comparison_threshold (AWS's default is 0.1). */
  comparisonThreshold: number | null;
  /** monitoring_config.distribution_constraints.comparison_method: Simple or Robust. */
  comparisonMethod: string | null;
}

/** One violation of constraint_violations.json. */
export interface IViolation {
  /** The feature it concerns. */
  featureName: string;
  /** data_type_check, completeness_check, baseline_drift_check, missing_column_check, … */
  checkType: string;
  /** AWS's sentence. */
  description: string;
  /** Distance and threshold, parsed from a drift description; null otherwise. */
  drift: IDrift | null;
}

/** A drift description's numbers. */
export interface IDrift {
  /** Measured distance from the baseline distribution. */
  distance: number;
  /** The threshold it was compared with. */
  threshold: number;
}

/** What a report file is, for the sentences. */
export type ReportKind =
  'statistics' | 'constraints' | 'violations' | 'baseline-statistics';

/** The user-facing name of a report file. */
export function reportName(kind: ReportKind, trans: TranslationBundle): string {
  switch (kind) {
    case 'statistics':
      return trans.__('The execution’s statistics.json');
    case 'baseline-statistics':
      return trans.__('The baseline statistics.json');
    case 'constraints':
      return trans.__('The baseline constraints.json');
    case 'violations':
      return trans.__('The execution’s constraint_violations.json');
  }
}

/** The sentence for a report larger than the limit (also used before downloading, from ContentLength). */
export function tooLargeMessage(
  kind: ReportKind,
  bytes: number,
  maxBytes: number,
  trans: TranslationBundle
): string {
  return trans.__(
    '%1 is %2 MB, more than the %3 MB this dashboard reads, so it was not loaded. Raise “Largest report” in the Model Monitor settings to read it.',
    reportName(kind, trans),
    (bytes / (1024 * 1024)).toFixed(1),
    (maxBytes / (1024 * 1024)).toFixed(0)
  );
}

/** Parse statistics.json text. */
export function parseStatistics(
  text: string,
  trans: TranslationBundle,
  options: IParseOptions = {}
): ParseResult<IStatistics> {
  const kind = options.kind ?? 'statistics';
  return Private.parse(kind, text, trans, options, (root, fail) => {
    const dataset = root.dataset;
    if (dataset !== undefined && !Private.isObject(dataset)) {
      return fail(trans.__('“dataset” is not an object'));
    }
    if (!Array.isArray(root.features)) {
      return fail(trans.__('it has no “features” list'));
    }
    const features: IFeatureStatistics[] = [];
    for (const [index, raw] of root.features.entries()) {
      if (!Private.isObject(raw) || typeof raw.name !== 'string') {
        return fail(trans.__('feature %1 has no name', index + 1));
      }
      const numeric = Private.isObject(raw.numerical_statistics)
        ? raw.numerical_statistics
        : null;
      const string = Private.isObject(raw.string_statistics)
        ? raw.string_statistics
        : null;
      const stats = numeric ?? string;
      const common =
        stats && Private.isObject(stats.common) ? stats.common : {};
      const distribution =
        stats && Private.isObject(stats.distribution) ? stats.distribution : {};
      const kll: IKllBucket[] = [];
      if (numeric && Private.isObject(distribution.kll)) {
        const buckets = distribution.kll.buckets;
        if (buckets !== undefined && !Array.isArray(buckets)) {
          return fail(
            trans.__('the KLL buckets of “%1” are not a list', raw.name)
          );
        }
        for (const b of (buckets as unknown[]) ?? []) {
          if (
            !Private.isObject(b) ||
            typeof b.lower_bound !== 'number' ||
            typeof b.upper_bound !== 'number' ||
            typeof b.count !== 'number'
          ) {
            return fail(
              trans.__(
                'a KLL bucket of “%1” lacks lower_bound, upper_bound or count',
                raw.name
              )
            );
          }
          kll.push({
            lower: b.lower_bound,
            upper: b.upper_bound,
            count: b.count
          });
        }
      }
      const categories: ICategoryBucket[] = [];
      if (string && Private.isObject(distribution.categorical)) {
        const buckets = distribution.categorical.buckets;
        if (buckets !== undefined && !Array.isArray(buckets)) {
          return fail(
            trans.__('the categories of “%1” are not a list', raw.name)
          );
        }
        for (const b of (buckets as unknown[]) ?? []) {
          if (!Private.isObject(b) || typeof b.count !== 'number') {
            return fail(
              trans.__('a category of “%1” lacks value or count', raw.name)
            );
          }
          categories.push({ value: String(b.value ?? ''), count: b.count });
        }
      }
      features.push({
        name: raw.name,
        inferredType:
          typeof raw.inferred_type === 'string' ? raw.inferred_type : 'Unknown',
        numPresent: Private.num(common.num_present),
        numMissing: Private.num(common.num_missing),
        mean: numeric ? Private.num(numeric.mean) : null,
        stdDev: numeric ? Private.num(numeric.std_dev) : null,
        min: numeric ? Private.num(numeric.min) : null,
        max: numeric ? Private.num(numeric.max) : null,
        distinctCount: string ? Private.num(string.distinct_count) : null,
        kll,
        categories
      });
    }
    return {
      itemCount: Private.isObject(dataset)
        ? Private.num(dataset.item_count)
        : null,
      features
    };
  });
}

/** Parse constraints.json text. */
export function parseConstraints(
  text: string,
  trans: TranslationBundle,
  options: IParseOptions = {}
): ParseResult<IConstraints> {
  return Private.parse('constraints', text, trans, options, (root, fail) => {
    if (!Array.isArray(root.features)) {
      return fail(trans.__('it has no “features” list'));
    }
    const features: IFeatureConstraint[] = [];
    for (const [index, raw] of root.features.entries()) {
      if (!Private.isObject(raw) || typeof raw.name !== 'string') {
        return fail(trans.__('feature %1 has no name', index + 1));
      }
      let comparisonThreshold: number | null = null;
      const overrides = raw.monitoringConfigOverrides;
      if (Private.isObject(overrides)) {
        comparisonThreshold = Private.num(overrides.comparison_threshold);
      }
      features.push({
        name: raw.name,
        inferredType:
          typeof raw.inferred_type === 'string' ? raw.inferred_type : null,
        completeness: Private.num(raw.completeness),
        comparisonThreshold
      });
    }
    const config = Private.isObject(root.monitoring_config)
      ? root.monitoring_config
      : {};
    const distribution = Private.isObject(config.distribution_constraints)
      ? config.distribution_constraints
      : {};
    return {
      features,
      comparisonThreshold: Private.num(distribution.comparison_threshold),
      comparisonMethod:
        typeof distribution.comparison_method === 'string'
          ? distribution.comparison_method
          : null
    };
  });
}

/** Parse constraint_violations.json text. */
export function parseViolations(
  text: string,
  trans: TranslationBundle,
  options: IParseOptions = {}
): ParseResult<IViolation[]> {
  return Private.parse('violations', text, trans, options, (root, fail) => {
    if (!Array.isArray(root.violations)) {
      return fail(trans.__('it has no “violations” list'));
    }
    const violations: IViolation[] = [];
    for (const [index, raw] of root.violations.entries()) {
      if (
        !Private.isObject(raw) ||
        typeof raw.feature_name !== 'string' ||
        typeof raw.constraint_check_type !== 'string'
      ) {
        return fail(
          trans.__(
            'violation %1 lacks feature_name or constraint_check_type',
            index + 1
          )
        );
      }
      const description =
        typeof raw.description === 'string' ? raw.description : '';
      violations.push({
        featureName: raw.feature_name,
        checkType: raw.constraint_check_type,
        description,
        drift: parseDriftDescription(description)
      });
    }
    return violations;
  });
}

/**
 * The distance and threshold of a drift description, e.g. `Numerical distance: 0.27 exceeds numerical threshold:
 * 0.1` or `Categorical distance: 0.5 exceeds categorical threshold: 0.1`; null when the sentence has no such pair.
 */
export function parseDriftDescription(description: string): IDrift | null {
  const number = '([-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)';
  const match = new RegExp(
    `distance\\s*(?:of|:|=)?\\s*${number}[^\\d+-]*?threshold\\s*(?:of|:|=)?\\s*${number}`,
    'i'
  ).exec(description);
  if (!match) {
    return null;
  }
  const distance = Number(match[1]);
  const threshold = Number(match[2]);
  return Number.isFinite(distance) && Number.isFinite(threshold)
    ? { distance, threshold }
    : null;
}

/** Options of the parsers. */
export interface IParseOptions {
  /** Refuse text longer than this many bytes (default {@link DEFAULT_MAX_REPORT_BYTES}). */
  maxBytes?: number;
  /** Which file it is, for the sentences (statistics.json is either an execution's or the baseline's). */
  kind?: ReportKind;
}

namespace Private {
  /** Whether a value is a plain JSON object. */
  export function isObject(value: unknown): value is Record<string, any> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  }

  /** A finite number, or null. */
  export function num(value: unknown): number | null {
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  }

  /** Size check, JSON parse, object check, then the file's own shape check; each failure is one sentence. */
  export function parse<T>(
    kind: ReportKind,
    text: string,
    trans: TranslationBundle,
    options: IParseOptions,
    shape: (
      root: Record<string, any>,
      fail: (why: string) => ParseResult<T>
    ) => T | ParseResult<T>
  ): ParseResult<T> {
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_REPORT_BYTES;
    // UTF-16 length is a lower bound of the UTF-8 size, and cheap; encode only when it could matter.
    const bytes =
      text.length * 3 > maxBytes
        ? new TextEncoder().encode(text).length
        : text.length;
    if (bytes > maxBytes) {
      return {
        ok: false,
        error: tooLargeMessage(kind, bytes, maxBytes, trans)
      };
    }
    let root: unknown;
    try {
      root = JSON.parse(text);
    } catch (err) {
      return {
        ok: false,
        error: trans.__(
          '%1 is not valid JSON (%2), so it cannot be shown.',
          reportName(kind, trans),
          (err as Error).message
        )
      };
    }
    if (!isObject(root)) {
      return {
        ok: false,
        error: trans.__(
          '%1 is not a JSON object, so it cannot be shown.',
          reportName(kind, trans)
        )
      };
    }
    const failure = { failed: false };
    const fail = (why: string): ParseResult<T> => {
      failure.failed = true;
      return {
        ok: false,
        error: trans.__(
          '%1 does not have the Model Monitor format: %2.',
          reportName(kind, trans),
          why
        )
      };
    };
    const result = shape(root, fail);
    if (failure.failed) {
      return result as ParseResult<T>;
    }
    return { ok: true, value: result as T };
  }
}
