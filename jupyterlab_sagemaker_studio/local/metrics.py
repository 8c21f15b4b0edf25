"""The sagemaker-metrics API (REST-JSON): ``PUT /BatchPutMetrics`` and ``POST /BatchGetMetrics``.

This is what the SageMaker Python SDK's experiment ``Run.log_metric`` calls, and what Studio-like charts read.
Raw points go to ``sm_metrics`` (the shared contract); a per-(trial component, metric) running summary in
``sm_metric_summaries`` is kept in the same transaction so Search and DescribeTrialComponent can return
``TrialComponentMetricSummary`` values for thousands of components without re-reading every point.
"""

from __future__ import annotations

import functools
import json
import math
import sqlite3
import uuid
from collections import defaultdict
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Iterable, Optional

import botocore.session

from .protocol import LocalRequest, LocalResponse, ServiceError
from .resources import DDL as RESOURCES_DDL
from .store import Store, now
from .validation import validate_request

if TYPE_CHECKING:  # server.py imports this module when it starts; avoid the import cycle at run time.
    from .server import BackendInfo

#: This module's own table (besides the shared ``sm_metrics``): running summaries, Welford mean/M2 for StdDev.
SUMMARY_DDL = """
CREATE TABLE IF NOT EXISTS sm_metric_summaries(trial_component_name TEXT NOT NULL, metric_name TEXT NOT NULL,
    count INTEGER NOT NULL, mean REAL NOT NULL, m2 REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL,
    last_value REAL NOT NULL, last_timestamp REAL NOT NULL, PRIMARY KEY(trial_component_name, metric_name));
"""

#: AWS accepts metric timestamps from two weeks ago to two hours ahead (the SDK checks the same window).
PAST_WINDOW = 14 * 24 * 3600
#: See PAST_WINDOW.
FUTURE_WINDOW = 2 * 3600
#: Buckets returned per query before the result is cut and marked ``Truncated``.
MAX_POINTS_PER_QUERY = 10_000
#: Length of each time ``Period`` in seconds.
PERIOD_SECONDS = {"OneMinute": 60, "FiveMinute": 300, "OneHour": 3600}
#: Start/End above this are taken as epoch milliseconds (seconds this large would be after the year 5000).
_MILLIS_THRESHOLD = 1e11

_OPERATIONS = {
    "/BatchPutMetrics": ("PUT", "BatchPutMetrics"),
    "/BatchGetMetrics": ("POST", "BatchGetMetrics"),
}


@functools.lru_cache(maxsize=1)
def _model() -> Any:
    """botocore's model of the sagemaker-metrics service (shipped with botocore, loaded once)."""
    return botocore.session.get_session().get_service_model("sagemaker-metrics")


class MetricsService:
    """The sagemaker-metrics REST-JSON API over the local store."""

    def __init__(self, store: Store, info: "BackendInfo") -> None:
        self.store = store
        self.info = info
        store.ensure_schema(RESOURCES_DDL + SUMMARY_DDL)

    def handle(self, request: LocalRequest) -> LocalResponse:
        """Answer one request; errors are rendered as REST-JSON errors (status, x-amzn-ErrorType, message)."""
        request_id = str(uuid.uuid4())
        try:
            method_and_op = _OPERATIONS.get(request.path)
            if method_and_op is None or method_and_op[0] != request.method:
                raise ServiceError(
                    "UnknownOperationException",
                    f"The sagemaker-metrics API has no operation {request.method} {request.path}.",
                    status=404,
                )
            op_name = method_and_op[1]
            body = _parse_body(request.body)
            _decode_non_finite(body)
            body = validate_request(_model().operation_model(op_name), body)
            if op_name == "BatchPutMetrics":
                result = self.batch_put_metrics(body)
            else:
                result = self.batch_get_metrics(body)
            return LocalResponse(
                200,
                {"Content-Type": "application/json", "x-amzn-RequestId": request_id},
                json.dumps(result, allow_nan=False).encode(),
            )
        except ServiceError as err:
            return LocalResponse(
                err.status,
                {
                    "Content-Type": "application/json",
                    "x-amzn-RequestId": request_id,
                    "x-amzn-ErrorType": err.code,
                },
                json.dumps({"message": err.message}).encode(),
            )

    # -- BatchPutMetrics -------------------------------------------------------------------------------------

    def batch_put_metrics(self, body: dict) -> dict:
        """Store the valid points; report each rejected one as ``{Code, MetricIndex}`` like AWS."""
        tc_name = self._trial_component_name(body["TrialComponentName"])
        current = now()
        errors = []
        accepted: list[tuple[str, float, Optional[int], float]] = []
        for index, item in enumerate(body["MetricData"]):
            ts = item["Timestamp"]
            value = item["Value"]
            if not (current - PAST_WINDOW <= ts <= current + FUTURE_WINDOW) or not math.isfinite(value):
                errors.append({"Code": "VALIDATION_ERROR", "MetricIndex": index})
                continue
            accepted.append((item["MetricName"], ts, item.get("Step"), value))
        if accepted:
            with self.store.transaction() as db:
                fold_points(db, tc_name, accepted)
        return {"Errors": errors} if errors else {}

    def _trial_component_name(self, name: str) -> str:
        """The stored name of a trial component (names are case-insensitive in SageMaker)."""
        # The exact name first (the primary key answers it); a case-insensitive match needs a scan.
        rows = self.store.query(
            "SELECT name FROM sm_resources WHERE kind = 'TrialComponent' AND name = ?", (name,)
        ) or self.store.query(
            "SELECT name FROM sm_resources WHERE kind = 'TrialComponent' AND name = ? COLLATE NOCASE", (name,)
        )
        if not rows:
            raise ServiceError("ResourceNotFoundException", f"Trial component '{name}' does not exist.", status=404)
        return rows[0]["name"]

    # -- BatchGetMetrics -------------------------------------------------------------------------------------

    def batch_get_metrics(self, body: dict) -> dict:
        """One result per query, in request order; a bad query gets ``Status: ValidationError``, not a 400."""
        return {"MetricQueryResults": [self._query(q) for q in body["MetricQueries"]]}

    def _query(self, query: dict) -> dict:
        arn = query["ResourceArn"]
        # ARNs are stored lower-cased, as AWS writes them.
        rows = self.store.query(
            "SELECT name FROM sm_resources WHERE kind = 'TrialComponent' AND arn = ?", (arn.lower(),)
        )
        if not rows:
            return _failed(f"No trial component with ARN {arn} exists; metrics are kept per trial component.")
        start = _epoch_seconds(query.get("Start"))
        end = _epoch_seconds(query.get("End"))
        if start is not None and end is not None and start > end:
            return _failed("Start must not be later than End.")
        sql = "SELECT timestamp, step, value FROM sm_metrics WHERE trial_component_name = ? AND metric_name = ?"
        params: list[Any] = [rows[0]["name"], query["MetricName"]]
        if start is not None:
            sql += " AND timestamp >= ?"
            params.append(start)
        if end is not None:
            sql += " AND timestamp <= ?"
            params.append(end)
        # Write order from the (component, metric) index, then a stable sort by time: the same order as
        # "ORDER BY timestamp, rowid" without SQLite's temporary B-tree (and almost free: runs log in time order).
        points = sorted(self.store.query_tuples(sql + " ORDER BY rowid", tuple(params)), key=itemgetter(0))
        xs, values = aggregate(points, query["MetricStat"], query["Period"], query["XAxisType"])
        if len(xs) > MAX_POINTS_PER_QUERY:
            return {
                "Status": "Truncated",
                "Message": f"Only the first {MAX_POINTS_PER_QUERY} of {len(xs)} points are returned; "
                "narrow Start/End or use a longer Period.",
                "XAxisValues": xs[:MAX_POINTS_PER_QUERY],
                "MetricValues": values[:MAX_POINTS_PER_QUERY],
            }
        return {"Status": "Complete", "XAxisValues": xs, "MetricValues": values}


def aggregate(
    points: Iterable[tuple[float, Optional[int], float]], stat: str, period: str, x_axis: str
) -> tuple[list[int], list[float]]:
    """Group time-ordered ``(timestamp, step, value)`` points into period buckets and reduce each with ``stat``.

    ``IterationNumber`` groups by step; time periods group by ``floor(timestamp / period)``. Points without a
    step are left out whenever steps are needed (IterationNumber period or x-axis). The x value is the step
    (the bucket's step, or its highest step for time buckets) or epoch seconds (the bucket's start, or the
    latest timestamp of a step bucket).
    """
    need_step = period == "IterationNumber" or x_axis == "IterationNumber"
    if period == "IterationNumber":
        fast = _one_point_per_step(points, stat, x_axis)
        if fast is not None:
            return fast
    buckets: dict[int, list[tuple[float, Optional[int], float]]] = defaultdict(list)
    for ts, step, value in points:
        if need_step and step is None:
            continue
        key = step if period == "IterationNumber" else int(math.floor(ts / PERIOD_SECONDS[period]))
        buckets[key].append((ts, step, value))
    xs: list[int] = []
    values: list[float] = []
    for key in sorted(buckets):
        members = buckets[key]
        if x_axis == "IterationNumber":
            xs.append(key if period == "IterationNumber" else max(m[1] for m in members))  # type: ignore[type-var]
        elif period == "IterationNumber":
            xs.append(int(math.floor(max(m[0] for m in members))))
        else:
            xs.append(key * PERIOD_SECONDS[period])
        values.append(_reduce(stat, members))
    return xs, values


#: What each statistic makes of a group of one value.
_SINGLE_VALUE_STATS = {"Min", "Max", "Avg", "Last"}


def _one_point_per_step(
    points: Iterable[tuple[float, Optional[int], float]], stat: str, x_axis: str
) -> Optional[tuple[list[int], list[float]]]:
    """The ``IterationNumber`` result when steps only increase with time (one point per step, the way runs log):
    every group is one point, so no grouping is needed. None when that is not the case."""
    rows = [p for p in points if p[1] is not None]
    steps = [p[1] for p in rows]
    if any(a >= b for a, b in zip(steps, steps[1:])):  # type: ignore[operator]
        return None
    if stat in _SINGLE_VALUE_STATS:
        values = [p[2] for p in rows]
    else:
        values = [1.0 if stat == "Count" else 0.0] * len(rows)  # Count, StdDev (0 for one point)
    if x_axis == "IterationNumber":
        return steps, values  # type: ignore[return-value]
    return [int(math.floor(p[0])) for p in rows], values


def _reduce(stat: str, members: list[tuple[float, Optional[int], float]]) -> float:
    vals = [m[2] for m in members]
    if stat == "Min":
        return min(vals)
    if stat == "Max":
        return max(vals)
    if stat == "Count":
        return float(len(vals))
    if stat == "Last":
        # Members are in (timestamp, insertion) order, so the last one is the latest write of the latest time.
        return vals[-1]
    mean = math.fsum(vals) / len(vals)
    if stat == "Avg":
        return mean
    return _sample_stddev(len(vals), math.fsum((v - mean) ** 2 for v in vals))


def _sample_stddev(count: int, m2: float) -> float:
    """Sample standard deviation (n - 1); 0 for a single value."""
    return math.sqrt(m2 / (count - 1)) if count > 1 else 0.0


def _failed(message: str) -> dict:
    return {"Status": "ValidationError", "Message": message, "XAxisValues": [], "MetricValues": []}


def _epoch_seconds(value: Optional[int]) -> Optional[float]:
    if value is None:
        return None
    return value / 1000.0 if abs(value) > _MILLIS_THRESHOLD else float(value)


def fold_points(db: sqlite3.Connection, tc_name: str, points: list[tuple[str, float, Optional[int], float]]) -> None:
    """Store accepted ``(metric, timestamp, step, value)`` points of one trial component and fold them into its
    running summaries (call inside a transaction; the trial component must exist)."""
    db.executemany(
        "INSERT INTO sm_metrics(trial_component_name, metric_name, timestamp, step, value) VALUES (?, ?, ?, ?, ?)",
        [(tc_name, name, ts, step, value) for name, ts, step, value in points],
    )
    by_metric: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for name, ts, _step, value in points:
        by_metric[name].append((ts, value))
    for name, items in by_metric.items():
        _update_summary(db, tc_name, name, items)


def _update_summary(db: sqlite3.Connection, tc_name: str, metric: str, items: list[tuple[float, float]]) -> None:
    """Fold ``(timestamp, value)`` points, in order, into the running summary (Welford's update keeps StdDev
    accurate); one read and one write per metric."""
    row = db.execute(
        "SELECT count, mean, m2, min, max, last_value, last_timestamp FROM sm_metric_summaries"
        " WHERE trial_component_name = ? AND metric_name = ?",
        (tc_name, metric),
    ).fetchone()
    if row is None:
        ts, value = items[0]
        count, mean, m2, lo, hi, last_value, last_ts = 1, value, 0.0, value, value, value, ts
        rest = items[1:]
    else:
        count, mean, m2, lo, hi, last_value, last_ts = tuple(row)
        rest = items
    for ts, value in rest:
        count += 1
        delta = value - mean
        mean += delta / count
        m2 += delta * (value - mean)
        lo, hi = min(lo, value), max(hi, value)
        if ts >= last_ts:
            last_value, last_ts = value, ts
    db.execute(
        "INSERT INTO sm_metric_summaries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(trial_component_name,"
        " metric_name) DO UPDATE SET count = excluded.count, mean = excluded.mean, m2 = excluded.m2,"
        " min = excluded.min, max = excluded.max, last_value = excluded.last_value,"
        " last_timestamp = excluded.last_timestamp",
        (tc_name, metric, count, mean, m2, lo, hi, last_value, last_ts),
    )


def metric_summaries(store: Store, trial_component_names: Optional[list[str]] = None) -> dict[str, list[dict]]:
    """``TrialComponentMetricSummary`` lists by trial component name (all components when names is None)."""
    store.ensure_schema(RESOURCES_DDL + SUMMARY_DDL)
    sql = "SELECT * FROM sm_metric_summaries"
    params: tuple = ()
    if trial_component_names is not None:
        if not trial_component_names:
            return {}
        sql += " WHERE trial_component_name IN (SELECT value FROM json_each(?))"
        params = (json.dumps(trial_component_names),)
    out: dict[str, list[dict]] = defaultdict(list)
    for row in store.query(sql + " ORDER BY trial_component_name, metric_name", params):
        out[row["trial_component_name"]].append(
            {
                "MetricName": row["metric_name"],
                "TimeStamp": row["last_timestamp"],
                "Max": row["max"],
                "Min": row["min"],
                "Last": row["last_value"],
                "Count": row["count"],
                "Avg": row["mean"],
                "StdDev": _sample_stddev(row["count"], row["m2"]),
            }
        )
    return dict(out)


def delete_metrics(db: sqlite3.Connection, trial_component_name: str) -> None:
    """Remove a trial component's points and summaries (call inside the DeleteTrialComponent transaction)."""
    db.execute("DELETE FROM sm_metrics WHERE trial_component_name = ?", (trial_component_name,))
    db.execute("DELETE FROM sm_metric_summaries WHERE trial_component_name = ?", (trial_component_name,))


# -- request parsing and validation against botocore's model ----------------------------------------------------


def _parse_body(raw: bytes) -> dict:
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ServiceError("SerializationException", f"The request body is not valid JSON: {exc}.") from exc
    if not isinstance(body, dict):
        raise ServiceError("SerializationException", "The request body must be a JSON object.")
    return body


def _decode_non_finite(body: dict) -> None:
    """Smithy JSON protocols (the JS SDK) send non-finite doubles as strings; turn them back into floats."""
    for item in body.get("MetricData") or []:
        if isinstance(item, dict) and item.get("Value") in ("NaN", "Infinity", "-Infinity"):
            item["Value"] = float(item["Value"])
