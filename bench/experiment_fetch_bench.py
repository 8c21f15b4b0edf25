"""What the experiments UI pays to load runs and their curves from the local backend, with boto3.

For the experiment seeded by ``bench/seed_experiment_runs.py`` (default ``bench-1000-runs``), for the first 100
runs and for all of them: the ``Search`` calls (``ExperimentTrialComponent``, ``Parents.ExperimentName`` equals the
experiment, 100 per page) and the ``BatchGetMetrics`` calls (100 queries per call, 4 calls in flight, ``Period``
and ``XAxisType`` ``IterationNumber``, ``MetricStat`` ``Avg``) needed to fetch every run and every series: calls,
wall time, values. Each measurement runs ``--repeat`` times; the first (cold: the backend builds its search records)
and the best are printed. Figures only, no assertions.

    python bench/experiment_fetch_bench.py --data-dir /tmp/bench-experiments
"""

from __future__ import annotations

import argparse
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from local_backend import client, start_backend

METRIC = "train:loss"
IN_FLIGHT = 4


def search_runs(sm: Any, experiment: str, limit: int) -> tuple[list[dict[str, Any]], int]:
    """The first ``limit`` runs of the experiment, 100 per Search page; returns them and the number of calls."""
    runs: list[dict[str, Any]] = []
    calls = 0
    token = None
    while len(runs) < limit:
        request: dict[str, Any] = {
            "Resource": "ExperimentTrialComponent",
            "SearchExpression": {
                "Filters": [{"Name": "Parents.ExperimentName", "Operator": "Equals", "Value": experiment}]
            },
            "SortBy": "CreationTime",
            "SortOrder": "Ascending",
            "MaxResults": min(100, limit - len(runs)),
        }
        if token:
            request["NextToken"] = token
        page = sm.search(**request)
        calls += 1
        runs.extend(r["TrialComponent"] for r in page["Results"])
        token = page.get("NextToken")
        if not token:
            break
    return runs, calls


def fetch_series(metrics: Any, arns: list[str]) -> tuple[int, int]:
    """Every run's series, 100 queries per BatchGetMetrics call, IN_FLIGHT calls at once; (calls, values)."""
    batches = [arns[i : i + 100] for i in range(0, len(arns), 100)]

    def get(batch: list[str]) -> int:
        results = metrics.batch_get_metrics(
            MetricQueries=[
                {
                    "MetricName": METRIC,
                    "ResourceArn": arn,
                    "MetricStat": "Avg",
                    "Period": "IterationNumber",
                    "XAxisType": "IterationNumber",
                }
                for arn in batch
            ]
        )["MetricQueryResults"]
        bad = [r for r in results if r["Status"] != "Complete"]
        if bad:
            raise SystemExit(f"BatchGetMetrics answered {bad[0]['Status']}: {bad[0].get('Message')}")
        return sum(len(r["MetricValues"]) for r in results)

    with ThreadPoolExecutor(IN_FLIGHT) as pool:
        values = sum(pool.map(get, batches))
    return len(batches), values


def timed(fn: Any, repeat: int) -> tuple[Any, float, float]:
    """``fn()``'s result, the first run's seconds and the best run's seconds."""
    times = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return result, times[0], min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--experiment", default="bench-1000-runs")
    parser.add_argument("--runs", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    proc, info = start_backend(args.data_dir)
    try:
        sm = client(info, 1)
        metrics = client(info, IN_FLIGHT, "sagemaker-metrics")
        for limit in args.runs:
            (runs, search_calls), cold, best = timed(lambda n=limit: search_runs(sm, args.experiment, n), args.repeat)
            print(
                f"{len(runs)} runs: Search {search_calls} calls, {cold * 1000:.0f} ms first, {best * 1000:.0f} ms best"
            )
            arns = [r["TrialComponentArn"] for r in runs]
            (get_calls, values), cold, best = timed(lambda a=arns: fetch_series(metrics, a), args.repeat)
            print(
                f"{len(runs)} series: BatchGetMetrics {get_calls} calls ({IN_FLIGHT} in flight), {values:,} values, "
                f"{cold * 1000:.0f} ms first, {best * 1000:.0f} ms best"
            )
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)


if __name__ == "__main__":
    main()
