"""The local backend for benchmark scripts: started on a data directory, and boto3 clients for it.

``start_backend`` runs ``python -m jupyterlab_sagemaker_studio.local`` on ``--data-dir`` (this checkout's package)
and returns its announced JSON line (endpoint_url, access_key, secret_key, region); ``client`` makes a boto3 client
for any of its services with a connection pool as large as the caller's thread pool.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import botocore.config

REPO = Path(__file__).resolve().parents[1]


def start_backend(data_dir: Path) -> tuple[subprocess.Popen[bytes], dict[str, str]]:
    """The local backend on ``data_dir`` and its announced JSON line."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab_sagemaker_studio.local", "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE,
        env=env,
        cwd=REPO,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().decode()
    if not line:
        raise SystemExit(f"The local backend on {data_dir} exited with code {proc.wait()} before announcing itself.")
    return proc, json.loads(line)


def client(info: dict[str, str], threads: int, service: str = "sagemaker") -> Any:
    """A boto3 client for ``service`` on the backend, with a connection pool as large as the thread pool."""
    return boto3.client(
        service,
        endpoint_url=info["endpoint_url"],
        region_name=info["region"],
        aws_access_key_id=info["access_key"],
        aws_secret_access_key=info["secret_key"],
        config=botocore.config.Config(max_pool_connections=threads, retries={"total_max_attempts": 3}),
    )
