"""The example notebooks (``examples/``) run unchanged in a local-mode kernel, and what they write is there.

A local backend runs in this process (a thread), each notebook runs with nbclient in the ``sagemaker-sdk`` kernel
with exactly the environment ``LocalBackend.kernel_env()`` gives kernels, and the results are checked with boto3.

The kernel is the SageMaker Python SDK's interpreter: ``SAGEMAKER_SDK_PYTHON`` (as ``scripts/test.sh`` sets it;
this test registers a ``sagemaker-sdk`` kernelspec for it in a temporary Jupyter path), else a ``sagemaker-sdk``
kernelspec already installed (``scripts/sdk_kernel.sh``). Without either the tests are skipped with the reason.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any, Iterator

import nbformat
import pytest
from local_backend import LocalBackendThread

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
KERNEL = "sagemaker-sdk"
ACCOUNT = "123456789012"
REGION = "us-east-1"


@pytest.fixture(scope="module")
def kernel_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str | None]:
    """A Jupyter path holding a ``sagemaker-sdk`` kernelspec for SAGEMAKER_SDK_PYTHON (None: use the installed one)."""
    python = os.environ.get("SAGEMAKER_SDK_PYTHON")
    if python:
        probe = subprocess.run(
            [python, "-c", "import sagemaker, ipykernel, sklearn"], capture_output=True, text=True, timeout=300
        )
        if probe.returncode != 0:
            pytest.skip(
                f"SAGEMAKER_SDK_PYTHON={python} lacks sagemaker, ipykernel or scikit-learn "
                f"(scripts/sdk_kernel.sh installs them): {probe.stderr.strip()[-300:]}"
            )
        root = tmp_path_factory.mktemp("jupyter")
        spec = root / "kernels" / KERNEL
        spec.mkdir(parents=True)
        argv = [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
        display = "Python 3 (SageMaker SDK)"
        (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": display, "language": "python"}))
        yield str(root)
        return
    from jupyter_client.kernelspec import KernelSpecManager

    if KERNEL not in KernelSpecManager().find_kernel_specs():
        pytest.skip(
            f"no {KERNEL} kernel: set SAGEMAKER_SDK_PYTHON to a Python with the SageMaker SDK and ipykernel, or run "
            "scripts/sdk_kernel.sh"
        )
    yield None


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalBackendThread]:
    with LocalBackendThread(tmp_path_factory.mktemp("examples") / "data", region=REGION, account_id=ACCOUNT) as b:
        yield b


def run_notebook(name: str, local: LocalBackendThread, kernel_path: str | None, tmp_path: Path, monkeypatch) -> Any:
    """Execute ``examples/<name>`` in the sagemaker-sdk kernel with the local kernel environment; the run notebook."""
    from nbclient import NotebookClient

    if kernel_path is not None:
        monkeypatch.setenv("JUPYTER_PATH", kernel_path)
    nb = nbformat.read(EXAMPLES / name, as_version=4)
    assert nb.metadata.kernelspec.name == KERNEL
    assert all(not cell.get("outputs") for cell in nb.cells if cell.cell_type == "code"), "committed outputs"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(local.backend.kernel_env())
    # The kernel imports this checkout's botocore plugin, whatever version its venv has installed.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    env["HOME"] = str(tmp_path)  # no user SageMaker config or AWS files
    env["SAGEMAKER_SUPPRESS_V2_WARNING"] = "1"
    client = NotebookClient(nb, timeout=600, kernel_name=KERNEL, resources={"metadata": {"path": str(tmp_path)}})
    client.execute(env=env)
    return nb


def outputs_text(nb: Any) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", "") or json.dumps(out.get("data", {})))
    return "\n".join(parts)


def test_hello_studio(local: LocalBackendThread, kernel_path: str | None, tmp_path: Path, monkeypatch) -> None:
    nb = run_notebook("hello-studio.ipynb", local, kernel_path, tmp_path, monkeypatch)
    text = outputs_text(nb)
    bucket = f"sagemaker-{REGION}-{ACCOUNT}"
    assert f"region {REGION}" in text
    assert bucket in text
    assert f"arn:aws:iam::{ACCOUNT}:role/SageMakerStudioLocalExecutionRole" in text
    # get_execution_role() needed no warning (IAM GetRole answered).
    assert "get_role" not in text

    s3 = local.client("s3")
    s3.head_bucket(Bucket=bucket)
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="hello-studio/")["Contents"]]
    assert keys == ["hello-studio/iris-sample.csv"]
    body = s3.get_object(Bucket=bucket, Key=keys[0])["Body"].read().decode()
    assert body.splitlines()[0].endswith(",species") and len(body.splitlines()) == 16
    assert f"s3://{bucket}/hello-studio/iris-sample.csv" in text


def test_track_experiment(local: LocalBackendThread, kernel_path: str | None, tmp_path: Path, monkeypatch) -> None:
    nb = run_notebook("track-experiment.ipynb", local, kernel_path, tmp_path, monkeypatch)
    sm, metrics = local.client("sagemaker"), local.client("sagemaker-metrics")
    found = sm.search(
        Resource="ExperimentTrialComponent",
        SearchExpression={
            "Filters": [{"Name": "Parents.ExperimentName", "Operator": "Equals", "Value": "track-experiment-example"}]
        },
    )["Results"]
    (run,) = [r["TrialComponent"] for r in found]
    # The SDK names a run's component <experiment>-<run name>; the notebook's run names are sgd-<timestamp>.
    assert run["TrialComponentName"].startswith("track-experiment-example-sgd-")
    assert run["Status"]["PrimaryStatus"] == "Completed"
    assert run["Parameters"]["model"] == {"StringValue": "SGDClassifier"}
    assert run["Parameters"]["alpha"] == {"NumberValue": 1e-4}
    assert run["Parameters"]["epochs"] == {"NumberValue": 30.0}
    assert {m["MetricName"] for m in run["Metrics"]} == {"train:loss", "validation:accuracy"}
    assert run["Parents"] == [
        {"TrialName": "Default-Run-Group-track-experiment-example", "ExperimentName": "track-experiment-example"}
    ]

    results = metrics.batch_get_metrics(
        MetricQueries=[
            {
                "MetricName": name,
                "ResourceArn": run["TrialComponentArn"],
                "MetricStat": "Avg",
                "Period": "IterationNumber",
                "XAxisType": "IterationNumber",
            }
            for name in ("train:loss", "validation:accuracy")
        ]
    )["MetricQueryResults"]
    loss, accuracy = results
    assert loss["Status"] == accuracy["Status"] == "Complete"
    assert loss["XAxisValues"] == accuracy["XAxisValues"] == list(range(30))
    assert all(0 < v < 5 for v in loss["MetricValues"])
    assert all(0.5 <= v <= 1 for v in accuracy["MetricValues"]) and accuracy["MetricValues"][-1] > 0.9
    # The last cell read the run back through Search (ExperimentAnalytics).
    assert run["DisplayName"] in outputs_text(nb)
