"""What SageMaker Model Monitor's data quality analyzer computes, in pure Python: baseline statistics and suggested
constraints from a CSV data set, statistics of the captured traffic of an analysis window, and the constraint
violations between the two. The local backend (``monitoring.py``) reads the inputs from local S3 and writes the
results back; nothing here touches the store.

The files have the shapes of AWS's analyzer (``statistics.json``, ``constraints.json``, ``constraint_violations.json``;
see ``shared/reference/FORMATS.md`` and the AWS developer guide pages "Schema for Statistics", "Schema for
Constraints" and "Schema for Violations").

**Baseline drift distance.** AWS documents ``baseline_drift_check`` as "the calculated distribution distance between
the current and the baseline datasets is more than ``comparison_threshold``", and states that the analyzer container
is built with Deequ (developer guide, "Create a Baseline"). Deequ's ``Distance`` (``awslabs/deequ``,
``com/amazon/deequ/analyzers/Distance.scala``) defines that distance: the L-infinity distance between the two
distributions -- for numbers, the largest difference of the two empirical cumulative distribution functions (the
two-sample Kolmogorov-Smirnov statistic); for categories, the largest difference of the two relative frequencies.
``comparison_method`` ``Simple`` uses that value as it is; ``Robust`` corrects it for small samples, as Deequ does:
``max(0, linf - 1.8 * sqrt((n + m) / (n * m)))`` with ``n`` and ``m`` the two sample sizes.

The standard library only: scikit-learn (and numpy with it) is an optional dependency of this package.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable, Optional, Sequence

#: KLL sketch parameters the analyzer reports; with at most ``SKETCH_K`` values the sketch holds them all.
SKETCH_C = 0.64
SKETCH_K = 2048
#: Buckets of a numerical distribution.
BUCKETS = 10
#: A String feature with at most this many distinct values gets a domain constraint.
MAX_DOMAIN = 20
#: ``monitoring_config`` of suggested constraints (the values AWS's schema page shows).
DEFAULT_MONITORING_CONFIG = {
    "evaluate_constraints": "Enabled",
    "emit_metrics": "Enabled",
    "datatype_check_threshold": 1.0,
    "domain_content_threshold": 1.0,
    "distribution_constraints": {
        "perform_comparison": "Enabled",
        "comparison_threshold": 0.1,
        "comparison_method": "Robust",
    },
}


class AnalysisError(ValueError):
    """An input the analyzer cannot use; the message is the execution's FailureReason."""


@dataclass(frozen=True)
class Dataset:
    """Rows of string cells (``None`` for a missing cell) and the column names."""

    names: list[str]
    rows: list[list[Optional[str]]]


# --- reading ------------------------------------------------------------------------------------------------------


def read_csv(text: str, header: bool) -> Dataset:
    """A CSV data set; without a header the columns are named ``_c0``, ``_c1``, … as the analyzer names them."""
    rows = [row for row in csv.reader(io.StringIO(text)) if row]
    if header:
        if not rows:
            raise AnalysisError("The baseline data set is empty: it has no header row.")
        names, rows = [n.strip() for n in rows[0]], rows[1:]
    else:
        width = max((len(r) for r in rows), default=0)
        names = [f"_c{i}" for i in range(width)]
    if not rows:
        raise AnalysisError("The data set has no records to analyze.")
    width = len(names)
    cells = [[_cell(r[i]) if i < len(r) else None for i in range(width)] for r in rows]
    return Dataset(names, cells)


def _cell(raw: str) -> Optional[str]:
    value = raw.strip()
    return value if value else None


def capture_records(lines: Iterable[str]) -> list[dict[str, Any]]:
    """Parsed data capture records (JSON Lines); lines that are not records are skipped, as noise in a log is."""
    out = []
    for line in lines:
        line = line.strip()
        if not line:
            continue
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and isinstance(record.get("captureData"), dict):
            out.append(record)
    return out


def inference_time(record: dict[str, Any]) -> Optional[float]:
    """The record's ``eventMetadata.inferenceTime`` (ISO 8601, UTC) as epoch seconds, or None."""
    raw = (record.get("eventMetadata") or {}).get("inferenceTime")
    if not isinstance(raw, str):
        return None
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.timestamp()


def captured_inputs(records: Sequence[dict[str, Any]], names: Optional[Sequence[str]] = None) -> Dataset:
    """The endpoint inputs of capture records as a data set (CSV payloads; ``names`` by position, else ``_cN``)."""
    import base64

    rows: list[list[str]] = []
    for record in records:
        payload = (record["captureData"].get("endpointInput")) or {}
        data = payload.get("data", "")
        if payload.get("encoding") == "BASE64":
            data = base64.b64decode(data).decode("utf-8", "replace")
        if "csv" not in str(payload.get("observedContentType", "text/csv")).lower() and payload.get("encoding") not in (
            "CSV",
            "BASE64",
        ):
            raise AnalysisError(
                "The captured endpoint input is not CSV "
                f"({payload.get('observedContentType')!r}); local mode analyzes CSV payloads only."
            )
        rows.extend(row for row in csv.reader(io.StringIO(str(data))) if row)
    if not rows:
        raise AnalysisError("The captured data holds no endpoint input records.")
    width = max(len(r) for r in rows)
    column_names = [names[i] if names is not None and i < len(names) else f"_c{i}" for i in range(width)]
    cells = [[_cell(r[i]) if i < len(r) else None for i in range(width)] for r in rows]
    return Dataset(column_names, cells)


# --- statistics ---------------------------------------------------------------------------------------------------


def _is_integral(value: str) -> bool:
    try:
        int(value)
    except ValueError:
        return False
    return True


def _is_fractional(value: str) -> bool:
    try:
        number = float(value)
    except ValueError:
        return False
    return math.isfinite(number)


def infer_type(values: Sequence[str]) -> str:
    """``Integral`` when every value is an integer, ``Fractional`` when every value is a number, else ``String``
    (``Unknown`` when no value is present)."""
    if not values:
        return "Unknown"
    if all(_is_integral(v) for v in values):
        return "Integral"
    if all(_is_fractional(v) for v in values):
        return "Fractional"
    return "String"


def _buckets(numbers: Sequence[float]) -> list[dict[str, float]]:
    """Ten equal-width buckets from the minimum to the maximum (the last one closed)."""
    low, high = min(numbers), max(numbers)
    width = (high - low) / BUCKETS
    counts = [0] * BUCKETS
    for x in numbers:
        index = BUCKETS - 1 if width == 0 else min(BUCKETS - 1, int((x - low) / width))
        counts[index] += 1
    return [
        {
            "lower_bound": low + i * width,
            "upper_bound": high if i == BUCKETS - 1 else low + (i + 1) * width,
            "count": float(counts[i]),
        }
        for i in range(BUCKETS)
    ]


def _sketch(numbers: Sequence[float]) -> list[list[float]]:
    """The values a KLL sketch with ``k = SKETCH_K`` keeps: all of them up to ``k``, else ``k`` evenly spaced order
    statistics (what a compacted sketch approximates)."""
    ordered = sorted(numbers)
    if len(ordered) <= SKETCH_K:
        return [ordered]
    step = (len(ordered) - 1) / (SKETCH_K - 1)
    return [[ordered[round(i * step)] for i in range(SKETCH_K)]]


def feature_statistics(name: str, cells: Sequence[Optional[str]]) -> dict[str, Any]:
    """One feature of ``statistics.json``."""
    present = [c for c in cells if c is not None]
    common = {"num_present": len(present), "num_missing": len(cells) - len(present)}
    inferred = infer_type(present)
    feature: dict[str, Any] = {"name": name, "inferred_type": inferred}
    if inferred in ("Integral", "Fractional"):
        numbers = [float(v) for v in present]
        total = math.fsum(numbers)
        mean = total / len(numbers)
        # Deequ's StandardDeviation is the population standard deviation.
        std = math.sqrt(math.fsum((x - mean) ** 2 for x in numbers) / len(numbers))
        feature["numerical_statistics"] = {
            "common": common,
            "mean": mean,
            "sum": total,
            "std_dev": std,
            "min": min(numbers),
            "max": max(numbers),
            "distribution": {
                "kll": {
                    "buckets": _buckets(numbers),
                    "sketch": {"parameters": {"c": SKETCH_C, "k": float(SKETCH_K)}, "data": _sketch(numbers)},
                }
            },
        }
    else:
        counts: dict[str, int] = {}
        for value in present:
            counts[value] = counts.get(value, 0) + 1
        feature["string_statistics"] = {
            "common": common,
            "distinct_count": float(len(counts)),
            "distribution": {
                "categorical": {
                    "buckets": [{"value": v, "count": c} for v, c in sorted(counts.items(), key=lambda i: -i[1])]
                }
            },
        }
    return feature


def statistics(dataset: Dataset) -> dict[str, Any]:
    """``statistics.json`` of a data set."""
    columns = list(zip(*dataset.rows)) if dataset.rows else [() for _ in dataset.names]
    return {
        "version": 0.0,
        "dataset": {"item_count": len(dataset.rows)},
        "features": [feature_statistics(n, columns[i]) for i, n in enumerate(dataset.names)],
    }


def suggest_constraints(stats: dict[str, Any]) -> dict[str, Any]:
    """``constraints.json`` suggested from baseline statistics: type, completeness, non-negativity, small domains."""
    features = []
    for feature in stats["features"]:
        numeric = feature.get("numerical_statistics")
        block = numeric or feature.get("string_statistics") or {}
        common = block.get("common", {})
        total = common.get("num_present", 0) + common.get("num_missing", 0)
        constraint: dict[str, Any] = {
            "name": feature["name"],
            "inferred_type": feature["inferred_type"],
            "completeness": common.get("num_present", 0) / total if total else 0.0,
        }
        if numeric:
            constraint["num_constraints"] = {"is_non_negative": numeric["min"] >= 0}
        elif feature["inferred_type"] == "String":
            values = [b["value"] for b in block["distribution"]["categorical"]["buckets"]]
            if len(values) <= MAX_DOMAIN:
                constraint["string_constraints"] = {"domains": sorted(values)}
        features.append(constraint)
    return {
        "version": 0.0,
        "features": features,
        "monitoring_config": json.loads(json.dumps(DEFAULT_MONITORING_CONFIG)),
    }


# --- checking -----------------------------------------------------------------------------------------------------


def _numeric_values(feature: dict[str, Any]) -> Optional[list[float]]:
    """The values behind a numerical feature's statistics: its sketch data (every value, up to ``SKETCH_K``)."""
    numeric = feature.get("numerical_statistics")
    if not numeric:
        return None
    data = numeric.get("distribution", {}).get("kll", {}).get("sketch", {}).get("data")
    if not isinstance(data, list):
        return None
    values = [float(x) for level in data if isinstance(level, list) for x in level]
    return values or None


def _ecdf(ordered: Sequence[float], x: float) -> float:
    """Share of ``ordered`` (sorted) values that are <= x."""
    import bisect

    return bisect.bisect_right(ordered, x) / len(ordered)


def numerical_distance(baseline: Sequence[float], current: Sequence[float]) -> float:
    """Deequ's L-infinity distance between two samples' empirical CDFs (the module docstring has the source)."""
    a, b = sorted(baseline), sorted(current)
    return max(abs(_ecdf(a, x) - _ecdf(b, x)) for x in set(a) | set(b))


def categorical_distance(baseline: dict[str, float], current: dict[str, float]) -> float:
    """Deequ's L-infinity distance between two categorical frequency tables."""
    n, m = sum(baseline.values()), sum(current.values())
    if not n or not m:
        return 0.0
    return max(abs(baseline.get(k, 0) / n - current.get(k, 0) / m) for k in set(baseline) | set(current))


def robust(distance: float, n: float, m: float) -> float:
    """Deequ's small-sample correction of an L-infinity distance (``comparison_method: Robust``)."""
    return max(0.0, distance - 1.8 * math.sqrt((n + m) / (n * m)))


def _categories(feature: dict[str, Any]) -> dict[str, float]:
    buckets = feature.get("string_statistics", {}).get("distribution", {}).get("categorical", {}).get("buckets", [])
    return {str(b["value"]): float(b["count"]) for b in buckets}


def _percent(x: float) -> str:
    return f"{x * 100:.4g}%"


def check_baseline(constraints: Any, baseline_stats: Any) -> None:
    """Refuse a baseline the analyzer cannot use, with a sentence saying what is wrong with it."""
    if not isinstance(constraints, dict) or not isinstance(constraints.get("features"), list):
        raise AnalysisError("The baseline constraints file has no 'features' list; it is not a constraints.json.")
    for feature in constraints["features"]:
        if not isinstance(feature, dict) or "name" not in feature or "inferred_type" not in feature:
            raise AnalysisError(
                "A feature of the baseline constraints file lacks 'name' or 'inferred_type'; regenerate the baseline."
            )
    if baseline_stats is not None and (
        not isinstance(baseline_stats, dict) or not isinstance(baseline_stats.get("features"), list)
    ):
        raise AnalysisError("The baseline statistics file has no 'features' list; it is not a statistics.json.")


def violations(
    dataset: Dataset, current: dict[str, Any], constraints: dict[str, Any], baseline_stats: Optional[dict[str, Any]]
) -> list[dict[str, str]]:
    """``constraint_violations.json``'s list: the current data set and its statistics checked against the baseline."""
    current_columns = len(dataset.names)
    check_baseline(constraints, baseline_stats)
    config = {**DEFAULT_MONITORING_CONFIG, **(constraints.get("monitoring_config") or {})}
    distribution = {
        **DEFAULT_MONITORING_CONFIG["distribution_constraints"],
        **(config.get("distribution_constraints") or {}),
    }
    found: list[dict[str, str]] = []

    def flag(feature: str, check: str, description: str) -> None:
        found.append({"feature_name": feature, "constraint_check_type": check, "description": description})

    expected = constraints["features"]
    if current_columns < len(expected):
        flag(
            "",
            "missing_column_check",
            f"There are missing columns in current dataset. Number of columns in current dataset: {current_columns}, "
            f"Number of columns in baseline constraints: {len(expected)}",
        )
    elif current_columns > len(expected):
        flag(
            "",
            "extra_column_check",
            f"There are extra columns in current dataset. Number of columns in current dataset: {current_columns}, "
            f"Number of columns in baseline constraints: {len(expected)}",
        )
    by_name = {f["name"]: f for f in current["features"]}
    baseline_by_name = {f["name"]: f for f in (baseline_stats or {}).get("features", []) if isinstance(f, dict)}
    for constraint in expected:
        name = constraint["name"]
        feature = by_name.get(name)
        if feature is None:
            continue
        overrides = constraint.get("monitoringConfigOverrides") or {}
        block = feature.get("numerical_statistics") or feature.get("string_statistics") or {}
        common = block.get("common", {})
        present, missing = common.get("num_present", 0), common.get("num_missing", 0)
        if present + missing == 0:
            continue
        completeness = present / (present + missing)
        wanted_completeness = float(constraint.get("completeness", 0.0))
        if completeness < wanted_completeness:
            flag(
                name,
                "completeness_check",
                f"Data completeness requirement is not met. Expected: at least {_percent(wanted_completeness)} of "
                f"values present. Observed: {_percent(completeness)}.",
            )
        wanted_type = constraint["inferred_type"]
        observed_type = feature["inferred_type"]
        threshold = float(overrides.get("datatype_check_threshold", config.get("datatype_check_threshold", 1.0)))
        if wanted_type in ("Integral", "Fractional") and present:
            column = dataset.names.index(name)
            conforming = _conforming_share([r[column] for r in dataset.rows if r[column] is not None], wanted_type)
            if conforming < threshold:
                flag(
                    name,
                    "data_type_check",
                    f"Data type match requirement is not met. Expected data type: {wanted_type}, Expected match: "
                    f"{_percent(threshold)}. Observed: Only {_percent(conforming)} of data is {wanted_type}.",
                )
        domains = (constraint.get("string_constraints") or {}).get("domains")
        if domains and observed_type == "String":
            counts = _categories(feature)
            inside = sum(c for v, c in counts.items() if v in set(domains)) / max(1.0, sum(counts.values()))
            domain_threshold = float(
                overrides.get("domain_content_threshold", config.get("domain_content_threshold", 1.0))
            )
            if inside < domain_threshold:
                flag(
                    name,
                    "categorical_values_check",
                    f"Data content requirement is not met. Expected: at least {_percent(domain_threshold)} of values "
                    f"in the baseline domain. Observed: {_percent(inside)}.",
                )
        if distribution.get("perform_comparison", "Enabled") == "Enabled" and name in baseline_by_name:
            distance = _drift(baseline_by_name[name], feature, str(distribution.get("comparison_method", "Robust")))
            limit = float(overrides.get("comparison_threshold", distribution.get("comparison_threshold", 0.1)))
            if distance is not None and distance > limit:
                kind = "Numerical" if feature.get("numerical_statistics") else "Categorical"
                flag(
                    name,
                    "baseline_drift_check",
                    f"{kind} distance: {distance:.4g} exceeds {kind.lower()} threshold: {limit:.4g}",
                )
    return found


def _conforming_share(values: Sequence[str], wanted: str) -> float:
    """Share of present values that have the wanted numeric type (an integer is also a Fractional value)."""
    test = _is_integral if wanted == "Integral" else _is_fractional
    return sum(1 for v in values if test(v)) / len(values)


def _drift(baseline: dict[str, Any], current: dict[str, Any], method: str) -> Optional[float]:
    """The baseline drift distance of one feature, or None when the two are not comparable (types differ)."""
    base_values, values = _numeric_values(baseline), _numeric_values(current)
    if base_values is not None and values is not None:
        distance = numerical_distance(base_values, values)
        n, m = len(base_values), len(values)
    elif baseline.get("string_statistics") and current.get("string_statistics"):
        a, b = _categories(baseline), _categories(current)
        distance = categorical_distance(a, b)
        n, m = sum(a.values()), sum(b.values())
    else:
        return None
    if not n or not m:
        return None
    return distance if method == "Simple" else robust(distance, n, m)
