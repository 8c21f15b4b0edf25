"""Seed a local-mode data directory with one model package group holding many versions (10,000 by default), for
the model registry benchmark (ui-tests/bench/modelPackages.bench.ts).

Starts the local backend on ``--data-dir`` (``python -m jupyterlab_sagemaker_studio.local``), creates the group and
the versions through boto3 with a thread pool, and stops the backend, so a Jupyter server started afterwards on
the same directory finds them. Run again on the same directory, it only tops the group up to ``--count``.

    python bench/seed_model_packages.py --data-dir /tmp/bench-data --count 10000
"""

from __future__ import annotations

import argparse
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from local_backend import client, start_backend

GROUP = "bench-10k-models"
APPROVALS = ("Approved", "Rejected", "PendingManualApproval")


def existing_versions(sm: Any) -> int:
    """How many versions the group holds."""
    count = 0
    for page in sm.get_paginator("list_model_packages").paginate(
        ModelPackageGroupName=GROUP, PaginationConfig={"PageSize": 100}
    ):
        count += len(page["ModelPackageSummaryList"])
    return count


def seed(info: dict[str, str], count: int, threads: int) -> None:
    sm = client(info, threads)
    try:
        sm.describe_model_package_group(ModelPackageGroupName=GROUP)
    except sm.exceptions.ClientError:
        sm.create_model_package_group(
            ModelPackageGroupName=GROUP, ModelPackageGroupDescription=f"{count} versions for the registry benchmark"
        )
    have = existing_versions(sm)
    todo = max(0, count - have)
    started = time.monotonic()

    def create(i: int) -> None:
        arn = sm.create_model_package(
            ModelPackageGroupName=GROUP,
            ModelPackageDescription=f"benchmark candidate {i + 1}: xgboost depth {3 + i % 6}, eta 0.{1 + i % 9}",
            InferenceSpecification={
                "Containers": [{"Image": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"}],
                "SupportedContentTypes": ["text/csv"],
                "SupportedResponseMIMETypes": ["text/csv"],
            },
        )["ModelPackageArn"]
        status = APPROVALS[i % 3]
        if status != "PendingManualApproval":
            sm.update_model_package(ModelPackageArn=arn, ModelApprovalStatus=status, ApprovalDescription="bench")

    with ThreadPoolExecutor(threads) as pool:
        for done, _ in enumerate(pool.map(create, range(have, have + todo)), start=1):
            if done % 1000 == 0:
                print(f"{done}/{todo} versions created ({time.monotonic() - started:.0f} s)", flush=True)
    print(f"Group {GROUP}: {have + todo} versions ({todo} created in {time.monotonic() - started:.1f} s).")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    proc, info = start_backend(args.data_dir)
    try:
        seed(info, args.count, args.threads)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)


if __name__ == "__main__":
    main()
