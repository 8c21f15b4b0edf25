"""Seed a local-mode data directory with one experiment of many runs (1,000 runs x 1,000 steps by default), for
the experiments benchmark (browse the runs, compare them in charts).

Starts the local backend on ``--data-dir`` (``python -m jupyterlab_sagemaker_studio.local``) and writes what the
SageMaker Python SDK's ``Run`` writes, through the real API with boto3 and a thread pool: the experiment, its trial
``Default-Run-Group-<experiment>``, one trial component per run (``<experiment>-run-0001`` …, tagged
``sagemaker:trial-component-source=run``, Completed, with three parameters) and, per run, one metric
``train:loss`` with a value at every step: a noisy decaying curve whose rate and floor depend on the run's learning
rate and batch size. ``BatchPutMetrics`` takes 10 values per call, so 1,000 x 1,000 values are 100,000 calls.
Then it stops the backend, so a Jupyter server started afterwards on the same directory finds them. Run again on
the same directory, it only adds the runs and steps that are missing.

How the points are written (``--via``): ``api`` sends every ``BatchPutMetrics`` call; ``store`` writes the same
rows and running summaries through the backend's store layer in this process (``metrics.fold_points``, one
transaction per run, while the backend runs on the same SQLite database), skipping HTTP, SigV4 and validation;
``auto`` (the default) uses the API up to 20,000 calls and the store beyond. Honest reason: the backend commits
every call durably (``synchronous=FULL``, one fsync per call), so one backend takes about 170 calls/s (8 threads
on a 2-core machine, client and backend sharing it; ~3 ms of each call is the commit): 100,000 calls are about
10 minutes, the 1,000 x 1,000 default about 10 seconds through the store. The experiment, trial and run records
always go through the API. The figures printed at the end say how long the chosen path took.

    python bench/seed_experiment_runs.py --data-dir /tmp/bench-experiments
    python bench/experiment_fetch_bench.py --data-dir /tmp/bench-experiments
"""

from __future__ import annotations

import argparse
import math
import random
import signal
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from local_backend import REPO, client, start_backend

METRIC = "train:loss"
RUN_TAG = {"Key": "sagemaker:trial-component-source", "Value": "run"}
#: ``--via auto`` sends the points through the API up to this many BatchPutMetrics calls (about 2 minutes).
API_CALLS_LIMIT = 20_000
#: Seconds between two logged steps (the points of a run span its StartTime .. EndTime).
STEP_SECONDS = 0.05


def run_name(experiment: str, index: int) -> str:
    """Trial component name of run ``index`` (0-based), as the SDK names it: ``<experiment>-<run name>``."""
    return f"{experiment}-run-{index + 1:04d}"


def run_parameters(index: int) -> dict[str, Any]:
    """The run's hyperparameters: learning rate (log-uniform), batch size, optimizer."""
    rng = random.Random(index)
    return {
        "learning_rate": round(10 ** rng.uniform(-4, -1), 6),
        "batch_size": rng.choice([16, 32, 64, 128, 256]),
        "optimizer": rng.choice(["adam", "sgd", "rmsprop"]),
    }


def loss_curve(index: int, steps: int) -> list[float]:
    """A noisy decaying loss: faster with a higher learning rate, a higher floor with a larger batch."""
    params = run_parameters(index)
    rng = random.Random(10_000 + index)
    rate = math.sqrt(params["learning_rate"]) * 30 / steps  # lr 0.1: a time constant of ~steps/10
    floor = 0.05 + params["batch_size"] / 2560 + rng.uniform(0, 0.05)
    start = 2.0 + rng.uniform(-0.3, 0.3)
    return [
        max(1e-4, floor + (start - floor) * math.exp(-rate * step) + rng.gauss(0, 0.02 + 0.05 * math.exp(-step / 200)))
        for step in range(steps)
    ]


def ensure_runs(sm: Any, experiment: str, runs: int, t0: float, steps: int, threads: int) -> int:
    """The experiment, its run group and ``runs`` trial components (created when missing); returns how many were
    created."""
    trial = f"Default-Run-Group-{experiment}"
    try:
        sm.describe_experiment(ExperimentName=experiment)
    except sm.exceptions.ResourceNotFound:
        sm.create_experiment(
            ExperimentName=experiment, Description=f"{runs} runs x {steps} steps for the experiments benchmark"
        )
    try:
        sm.describe_trial(TrialName=trial)
    except sm.exceptions.ResourceNotFound:
        sm.create_trial(TrialName=trial, ExperimentName=experiment)
    existing = set()
    for page in sm.get_paginator("list_trial_components").paginate(TrialName=trial, PaginationConfig={"PageSize": 100}):
        existing.update(c["TrialComponentName"] for c in page["TrialComponentSummaries"])

    def create(index: int) -> None:
        name = run_name(experiment, index)
        start = t0 + index * steps * STEP_SECONDS / runs
        params = run_parameters(index)
        sm.create_trial_component(
            TrialComponentName=name,
            DisplayName=f"run-{index + 1:04d}",
            Status={"PrimaryStatus": "Completed"},
            StartTime=start,
            EndTime=start + steps * STEP_SECONDS,
            Parameters={
                k: {"StringValue": v} if isinstance(v, str) else {"NumberValue": float(v)} for k, v in params.items()
            },
            Tags=[RUN_TAG],
        )
        sm.associate_trial_component(TrialComponentName=name, TrialName=trial)

    todo = [i for i in range(runs) if run_name(experiment, i) not in existing]
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(create, todo))
    return len(todo)


def logged_steps(metrics: Any, arns: list[str]) -> list[set[int]]:
    """The steps of ``train:loss`` each run already has (BatchGetMetrics, 100 runs per call)."""
    out: list[set[int]] = []
    for i in range(0, len(arns), 100):
        results = metrics.batch_get_metrics(
            MetricQueries=[
                {
                    "MetricName": METRIC,
                    "ResourceArn": arn,
                    "MetricStat": "Count",
                    "Period": "IterationNumber",
                    "XAxisType": "IterationNumber",
                }
                for arn in arns[i : i + 100]
            ]
        )["MetricQueryResults"]
        out.extend(set(r["XAxisValues"]) for r in results)
    return out


def points_to_log(
    experiment: str, runs: int, steps: int, t0: float, have: list[set[int]]
) -> list[tuple[str, list[tuple[int, float, float]]]]:
    """Per run missing any step: ``(trial component name, [(step, timestamp, value)])``."""
    out = []
    for index in range(runs):
        missing = [s for s in range(steps) if s not in have[index]]
        if not missing:
            continue
        start = t0 + index * steps * STEP_SECONDS / runs
        curve = loss_curve(index, steps)
        out.append((run_name(experiment, index), [(s, start + s * STEP_SECONDS, curve[s]) for s in missing]))
    return out


def put_via_api(info: dict[str, str], work: list[tuple[str, list[tuple[int, float, float]]]], threads: int) -> int:
    """BatchPutMetrics, 10 values per call, ``threads`` calls in flight; returns the number of calls."""
    metrics = client(info, threads, "sagemaker-metrics")
    calls = [(name, points[i : i + 10]) for name, points in work for i in range(0, len(points), 10)]
    started = time.monotonic()

    def put(call: tuple[str, list[tuple[int, float, float]]]) -> None:
        name, batch = call
        resp = metrics.batch_put_metrics(
            TrialComponentName=name,
            MetricData=[{"MetricName": METRIC, "Timestamp": ts, "Step": s, "Value": v} for s, ts, v in batch],
        )
        if resp.get("Errors"):
            raise SystemExit(f"BatchPutMetrics refused points of {name}: {resp['Errors']}")

    with ThreadPoolExecutor(threads) as pool:
        for done, _ in enumerate(pool.map(put, calls), start=1):
            if done % 10_000 == 0:
                elapsed = time.monotonic() - started
                print(f"  {done}/{len(calls)} BatchPutMetrics calls ({elapsed:.0f} s, {done / elapsed:.0f}/s)")
    return len(calls)


def put_via_store(data_dir: Path, work: list[tuple[str, list[tuple[int, float, float]]]]) -> None:
    """The same rows and summaries BatchPutMetrics writes, through the store (one transaction per run)."""
    sys.path.insert(0, str(REPO))
    from jupyterlab_sagemaker_studio.local.metrics import SUMMARY_DDL, fold_points
    from jupyterlab_sagemaker_studio.local.resources import DDL
    from jupyterlab_sagemaker_studio.local.store import Store

    store = Store(data_dir)
    store.ensure_schema(DDL + SUMMARY_DDL)
    try:
        for name, points in work:
            with store.transaction() as db:
                fold_points(db, name, [(METRIC, ts, step, value) for step, ts, value in points])
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--experiment", default="bench-1000-runs")
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--via", choices=("auto", "api", "store"), default="auto", help="how points are written")
    args = parser.parse_args()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    proc, info = start_backend(args.data_dir)
    try:
        sm = client(info, args.threads)
        # Points must be within AWS's window (two weeks ago .. two hours ahead): the runs end about now.
        t0 = time.time() - args.steps * STEP_SECONDS * 2 - 3600
        started = time.monotonic()
        created = ensure_runs(sm, args.experiment, args.runs, t0, args.steps, args.threads)
        print(f"{args.runs} runs ({created} created) in {time.monotonic() - started:.1f} s")
        arns = [
            sm.describe_trial_component(TrialComponentName=run_name(args.experiment, i))["TrialComponentArn"]
            for i in range(args.runs)
        ]
        have = logged_steps(client(info, 1, "sagemaker-metrics"), arns)
        work = points_to_log(args.experiment, args.runs, args.steps, t0, have)
        values = sum(len(points) for _, points in work)
        started = time.monotonic()
        calls = sum(math.ceil(len(points) / 10) for _, points in work)
        via = args.via if args.via != "auto" else ("api" if calls <= API_CALLS_LIMIT else "store")
        if via == "store":
            put_via_store(args.data_dir, work)
            how = f"through the store (--via {args.via}; the API would take {calls} calls)"
        else:
            calls = put_via_api(info, work, args.threads)
            how = f"with {calls} BatchPutMetrics calls, {args.threads} in flight"
        elapsed = time.monotonic() - started
        rate = values / elapsed if elapsed else 0.0
        print(f"{values} values of {METRIC} for {len(work)} runs {how}: {elapsed:.1f} s ({rate:,.0f} values/s)")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)


if __name__ == "__main__":
    main()
