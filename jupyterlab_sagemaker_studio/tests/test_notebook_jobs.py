"""Notebook jobs (docs/NOTEBOOK_JOBS.md): the runner on its own, then training jobs that the local backend runs as
local processes, their CloudWatch Logs, failure reasons and StopTrainingJob. Real HTTP, boto3, a backend
subprocess, real kernels."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from typing import Any, Optional

import nbformat
import pytest
from local_backend import LocalBackendProcess, StartBackend, error_of, wait_for

from jupyterlab_sagemaker_studio.notebook_jobs import RUNNER_PATH

DELAY = 0.4
ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/SageMakerRole"
IMAGE = "542918446943.dkr.ecr.us-west-2.amazonaws.com/sagemaker-distribution-prod:2-cpu"
BUCKET = f"sagemaker-us-east-1-{ACCOUNT}"
PREFIX = "sagemaker-studio/notebook-jobs"
GROUP = "/aws/sagemaker/TrainingJobs"


def notebook(*sources: str) -> bytes:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# A notebook job")] + [nbformat.v4.new_code_cell(s) for s in sources]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nbformat.writes(nb).encode()


@pytest.fixture(scope="module")
def backend(start_module_backend: StartBackend) -> LocalBackendProcess:
    return start_module_backend(delay=DELAY)


@pytest.fixture(scope="module")
def s3(backend: LocalBackendProcess) -> Any:
    client = backend.client("s3")
    client.create_bucket(Bucket=BUCKET)
    return client


@pytest.fixture(scope="module")
def sm(backend: LocalBackendProcess) -> Any:
    return backend.client("sagemaker")


@pytest.fixture(scope="module")
def logs(backend: LocalBackendProcess) -> Any:
    return backend.client("logs")


def runner_env(backend: LocalBackendProcess, opt_ml: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("AWS_PROFILE", None)
    env.update(
        AWS_ENDPOINT_URL=backend.endpoint_url,
        AWS_ACCESS_KEY_ID=backend.info["access_key"],
        AWS_SECRET_ACCESS_KEY=backend.info["secret_key"],
        AWS_DEFAULT_REGION=backend.info["region"],
        AWS_REGION=backend.info["region"],
        SAGEMAKER_STUDIO_OPT_ML=str(opt_ml),
    )
    return env


def output_notebook(s3: Any, key: str) -> Any:
    return nbformat.reads(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read().decode(), as_version=4)


# ---------------------------------------------------------------------------------------------- the runner alone


def test_runner_executes_and_uploads(backend: LocalBackendProcess, s3: Any, tmp_path: Path) -> None:
    path = tmp_path / "hello.ipynb"
    path.write_bytes(notebook("x = 6 * 7", "print('answer', x)"))
    proc = subprocess.run(
        [sys.executable, str(RUNNER_PATH), "--notebook", str(path), "--kernel", "python3", "--output",
         f"s3://{BUCKET}/runner/hello-out.ipynb"],
        env=runner_env(backend, tmp_path / "opt_ml"), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "[runner] cell 1/3 (markdown)" in proc.stdout and "[runner] cell 3/3 (code)" in proc.stdout
    out = output_notebook(s3, "runner/hello-out.ipynb")
    assert out.cells[2].outputs[0]["text"] == "answer 42\n"
    assert out.metadata["language_info"]["name"] == "python"
    assert not (tmp_path / "opt_ml" / "output" / "failure").exists()


def test_runner_failure_writes_the_cell_and_uploads_the_partial_notebook(
    backend: LocalBackendProcess, s3: Any, tmp_path: Path
) -> None:
    path = tmp_path / "boom.ipynb"
    path.write_bytes(notebook("a = 1", "raise ValueError('boom')", "print('never')"))
    proc = subprocess.run(
        [sys.executable, str(RUNNER_PATH), "--notebook", str(path), "--kernel", "no-such-kernel", "--output",
         f"s3://{BUCKET}/runner/boom-out.ipynb"],
        env=runner_env(backend, tmp_path / "opt_ml"), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "no kernel named 'no-such-kernel'" in proc.stdout and "using 'python3' instead" in proc.stdout
    # Cell 3 of the notebook (counting the markdown cell), the second code cell.
    assert (tmp_path / "opt_ml" / "output" / "failure").read_text() == "Cell 3: ValueError: boom"
    out = output_notebook(s3, "runner/boom-out.ipynb")
    assert out.cells[1].execution_count == 1
    assert out.cells[2].outputs[0]["output_type"] == "error" and out.cells[2].outputs[0]["ename"] == "ValueError"
    assert out.cells[3].outputs == [] and out.cells[3].execution_count is None


# ------------------------------------------------------------------------------------ jobs run by the backend


def submit(sm: Any, s3: Any, job: str, source: bytes, max_runtime: int = 3600, **extra: Any) -> str:
    """What the frontend does (docs/NOTEBOOK_JOBS.md): upload notebook and runner, CreateTrainingJob."""
    inputs = f"{PREFIX}/{job}/input/"
    s3.put_object(Bucket=BUCKET, Key=inputs + "analysis.ipynb", Body=source)
    s3.put_object(Bucket=BUCKET, Key=inputs + "runner.py", Body=RUNNER_PATH.read_bytes())
    output = f"s3://{BUCKET}/{PREFIX}/{job}/output/analysis-{job}.ipynb"
    sm.create_training_job(
        TrainingJobName=job,
        AlgorithmSpecification={
            "TrainingImage": IMAGE,
            "TrainingInputMode": "File",
            "ContainerEntrypoint": ["python3", "/opt/ml/input/data/notebook/runner.py"],
            "ContainerArguments": [
                "--notebook", "/opt/ml/input/data/notebook/analysis.ipynb", "--kernel", "python3", "--output", output,
            ],
        },
        InputDataConfig=[
            {
                "ChannelName": "notebook",
                "DataSource": {
                    "S3DataSource": {
                        "S3DataType": "S3Prefix",
                        "S3Uri": f"s3://{BUCKET}/{inputs}",
                        "S3DataDistributionType": "FullyReplicated",
                    }
                },
            }
        ],
        OutputDataConfig={"S3OutputPath": f"s3://{BUCKET}/{PREFIX}/"},
        ResourceConfig={"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 30},
        StoppingCondition={"MaxRuntimeInSeconds": max_runtime},
        RoleArn=ROLE,
        Tags=[
            {"Key": "sagemaker-studio:notebook-job", "Value": "work/analysis.ipynb"},
            {"Key": "sagemaker-studio:notebook-output", "Value": output},
        ],
        **extra,
    )  # fmt: skip
    return f"{PREFIX}/{job}/output/analysis-{job}.ipynb"


def wait_status(sm: Any, job: str, statuses: set[str], timeout: float = 90.0) -> dict[str, Any]:
    return wait_for(
        lambda: (d := sm.describe_training_job(TrainingJobName=job))["TrainingJobStatus"] in statuses and d,
        timeout=timeout,
    )


def log_messages(logs: Any, job: str) -> list[str]:
    streams = logs.describe_log_streams(logGroupName=GROUP, logStreamNamePrefix=f"{job}/")["logStreams"]
    assert len(streams) == 1
    events = logs.get_log_events(logGroupName=GROUP, logStreamName=streams[0]["logStreamName"], startFromHead=True)
    return [e["message"] for e in events["events"]]


def test_a_notebook_job_completes_with_outputs_and_logs(sm: Any, s3: Any, logs: Any) -> None:
    job = "analysis-20260101-120000"
    started = time.monotonic()
    key = submit(sm, s3, job, notebook("import os\nprint('region', os.environ['AWS_REGION'])", "print(sum(range(10)))"))
    first = sm.describe_training_job(TrainingJobName=job)
    assert first["TrainingJobStatus"] == "InProgress"
    assert first["SecondaryStatus"] in ("Starting", "Downloading", "Training")
    done = wait_status(sm, job, {"Completed", "Failed", "Stopped"})
    elapsed = time.monotonic() - started
    print(f"smallest notebook job: CreateTrainingJob to Completed in {elapsed:.2f} s")
    assert done["TrainingJobStatus"] == "Completed", done.get("FailureReason")
    assert done["SecondaryStatus"] == "Completed"
    assert [t["Status"] for t in done["SecondaryStatusTransitions"]] == [
        "Starting", "Downloading", "Training", "Uploading", "Completed",
    ]  # fmt: skip
    # <job dir>/model (empty here) is uploaded where SageMaker puts it.
    artifact = done["ModelArtifacts"]["S3ModelArtifacts"]
    assert artifact == f"s3://{BUCKET}/{PREFIX}/{job}/output/model.tar.gz"
    with tarfile.open(
        fileobj=io.BytesIO(s3.get_object(Bucket=BUCKET, Key=artifact.split("/", 3)[3])["Body"].read())
    ) as tar:
        assert tar.getnames() == []
    assert done["TrainingStartTime"] <= done["TrainingEndTime"]
    assert done["TrainingTimeInSeconds"] >= 1 and done["BillableTimeInSeconds"] == done["TrainingTimeInSeconds"]
    out = output_notebook(s3, key)
    assert out.cells[1].outputs[0]["text"] == "region us-east-1\n"
    assert out.cells[2].outputs[0]["text"] == "45\n"
    messages = log_messages(logs, job)
    assert "[runner] cell 2/3 (code)" in messages and "[runner] done" in messages
    stream = logs.describe_log_streams(logGroupName=GROUP, logStreamNamePrefix=f"{job}/")["logStreams"][0]
    start_seconds = int(stream["logStreamName"].rsplit("-", 1)[1])
    assert stream["logStreamName"] == f"{job}/algo-1-{start_seconds}"
    assert abs(start_seconds - done["TrainingStartTime"].timestamp()) < 2
    listed = sm.list_training_jobs(NameContains="analysis-2026")["TrainingJobSummaries"]
    assert [j["TrainingJobStatus"] for j in listed] == ["Completed"]


def test_a_failing_notebook_fails_the_job_with_the_cells_error(sm: Any, s3: Any, logs: Any) -> None:
    job = "failing-20260101-120000"
    key = submit(sm, s3, job, notebook("x = 1", "raise ValueError('boom')"))
    done = wait_status(sm, job, {"Completed", "Failed", "Stopped"})
    assert done["TrainingJobStatus"] == "Failed"
    assert done["FailureReason"] == "Cell 3: ValueError: boom"
    assert done["SecondaryStatusTransitions"][-1]["Status"] == "Failed"
    out = output_notebook(s3, key)
    assert out.cells[2].outputs[0]["ename"] == "ValueError"
    assert any("failed: Cell 3: ValueError: boom" in m for m in log_messages(logs, job))


def script_job(sm: Any, s3: Any, job: str, script: Optional[bytes], inputs: Optional[str] = None) -> None:
    """A training job running ``script`` (uploaded to the job's input folder, or an ``inputs`` prefix as it is)."""
    if inputs is None:
        inputs = f"{PREFIX}/{job}/input/"
    if script is not None:
        s3.put_object(Bucket=BUCKET, Key=inputs + "script.py", Body=script)
    sm.create_training_job(
        TrainingJobName=job,
        AlgorithmSpecification={
            "TrainingImage": IMAGE,
            "TrainingInputMode": "File",
            "ContainerEntrypoint": ["python3", "/opt/ml/input/data/code/script.py"],
        },
        InputDataConfig=[
            {
                "ChannelName": "code",
                "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": f"s3://{BUCKET}/{inputs}"}},
            }
        ],
        OutputDataConfig={"S3OutputPath": f"s3://{BUCKET}/out/"},
        ResourceConfig={"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 30},
        StoppingCondition={"MaxRuntimeInSeconds": 600},
        RoleArn=ROLE,
    )


def test_a_script_without_a_failure_file_fails_with_its_exit_status(sm: Any, s3: Any) -> None:
    job = "exit-status-20260101"
    script_job(sm, s3, job, b"import sys\nsys.exit(3)\n")
    done = wait_status(sm, job, {"Completed", "Failed", "Stopped"})
    assert done["FailureReason"] == "AlgorithmError: the script exited with status 3"


def test_a_chatty_script_gets_every_line_in_its_log(sm: Any, s3: Any, logs: Any) -> None:
    job = "chatty-20260101"
    script = (
        b"import os, sys\n"
        b"open(os.environ['SAGEMAKER_STUDIO_OPT_ML'] + '/model/weights.txt', 'w').write('0.5')\n"
        b"for i in range(20000):\n    print('line', i)\n"
        b"sys.stdout.write('no newline at the end')\n"
    )
    script_job(sm, s3, job, script)
    done = wait_status(sm, job, {"Completed", "Failed", "Stopped"}, timeout=60)
    assert done["TrainingJobStatus"] == "Completed", done.get("FailureReason")
    body = s3.get_object(Bucket=BUCKET, Key=f"out/{job}/output/model.tar.gz")["Body"].read()
    with tarfile.open(fileobj=io.BytesIO(body)) as tar:
        assert tar.getnames() == ["weights.txt"]
        assert tar.extractfile("weights.txt").read() == b"0.5"
    stream = logs.describe_log_streams(logGroupName=GROUP, logStreamNamePrefix=f"{job}/")["logStreams"][0]
    seen, token = [], None
    while True:
        kwargs = {"nextToken": token} if token else {"startFromHead": True}
        page = logs.get_log_events(logGroupName=GROUP, logStreamName=stream["logStreamName"], **kwargs)
        seen += [e["message"] for e in page["events"]]
        if page["nextForwardToken"] == token:
            break
        token = page["nextForwardToken"]
    assert seen == [f"line {i}" for i in range(20000)] + ["no newline at the end"]


def test_a_missing_input_prefix_fails_the_job(sm: Any, s3: Any) -> None:
    job = "no-input-20260101"
    script_job(sm, s3, job, None, inputs="nothing/here/")
    done = wait_status(sm, job, {"Completed", "Failed", "Stopped"})
    assert done["FailureReason"].startswith('ClientError: No S3 objects found under S3 URL "s3://')


def test_stop_ends_the_process_and_the_job_is_stopped(sm: Any, s3: Any, logs: Any) -> None:
    job = "sleeper-20260101-120000"
    key = submit(sm, s3, job, notebook("print('going to sleep', flush=True)", "import time\ntime.sleep(60)"))
    wait_for(lambda: any("going to sleep" in m for m in _maybe_messages(logs, job)), timeout=60)
    # The cell's output reached the log while the cell still runs; a second job of that name is refused.
    assert sm.describe_training_job(TrainingJobName=job)["SecondaryStatus"] == "Training"
    assert error_of(submit, sm=sm, s3=s3, job=job, source=notebook("1"))["Code"] == "ResourceInUse"
    sm.stop_training_job(TrainingJobName=job)
    stopped_at = time.monotonic()
    assert sm.describe_training_job(TrainingJobName=job)["TrainingJobStatus"] in ("Stopping", "Stopped")
    done = wait_status(sm, job, {"Completed", "Failed", "Stopped"}, timeout=15)
    assert done["TrainingJobStatus"] == "Stopped", done.get("FailureReason")
    assert time.monotonic() - stopped_at < 10
    assert [t["Status"] for t in done["SecondaryStatusTransitions"]][-2:] == ["Stopping", "Stopped"]
    # The runner caught SIGTERM and uploaded what had run.
    out = output_notebook(s3, key)
    assert out.cells[1].outputs[0]["text"] == "going to sleep\n"


def _maybe_messages(logs: Any, job: str) -> list[str]:
    """The job's log lines so far (none before its process started and created the group and stream)."""
    try:
        streams = logs.describe_log_streams(logGroupName=GROUP, logStreamNamePrefix=f"{job}/")["logStreams"]
    except logs.exceptions.ResourceNotFoundException:
        return []
    if not streams:
        return []
    name = streams[0]["logStreamName"]
    return [e["message"] for e in logs.get_log_events(logGroupName=GROUP, logStreamName=name)["events"]]


def test_max_runtime_stops_the_job(sm: Any, s3: Any) -> None:
    job = "too-long-20260101"
    submit(sm, s3, job, notebook("import time\ntime.sleep(60)"), max_runtime=3)
    done = wait_status(sm, job, {"Completed", "Failed", "Stopped"}, timeout=30)
    assert (done["TrainingJobStatus"], done["SecondaryStatus"]) == ("Stopped", "MaxRuntimeExceeded")


def test_the_trial_component_follows_a_notebook_job(sm: Any, s3: Any) -> None:
    sm.create_experiment(ExperimentName="notebook-jobs")
    job = "tracked-20260101"
    submit(sm, s3, job, notebook("print(1)"), ExperimentConfig={"ExperimentName": "notebook-jobs"})
    component = sm.describe_trial_component(TrialComponentName=f"{job}-aws-training-job")
    assert component["Status"]["PrimaryStatus"] == "InProgress"
    wait_status(sm, job, {"Completed"})
    component = sm.describe_trial_component(TrialComponentName=f"{job}-aws-training-job")
    assert component["Status"]["PrimaryStatus"] == "Completed" and "EndTime" in component
    assert component["OutputArtifacts"]["SageMaker.ModelArtifact"]["Value"].endswith(f"/{job}/output/model.tar.gz")


def test_other_training_jobs_keep_the_simulated_timeline(sm: Any) -> None:
    sm.create_training_job(
        TrainingJobName="simulated-20260101",
        AlgorithmSpecification={"TrainingImage": IMAGE, "TrainingInputMode": "File"},
        OutputDataConfig={"S3OutputPath": f"s3://{BUCKET}/out/"},
        ResourceConfig={"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 30},
        StoppingCondition={"MaxRuntimeInSeconds": 600},
        RoleArn=ROLE,
    )
    done = wait_status(sm, "simulated-20260101", {"Completed"}, timeout=10)
    assert done["ModelArtifacts"]["S3ModelArtifacts"].endswith("/simulated-20260101/output/model.tar.gz")


def test_a_job_running_when_the_backend_restarts_fails(start_backend: StartBackend) -> None:
    backend = start_backend(delay=DELAY)
    s3, sm = backend.client("s3"), backend.client("sagemaker")
    s3.create_bucket(Bucket=BUCKET)
    job = "restart-20260101"
    submit(sm, s3, job, notebook("import time\ntime.sleep(60)"))
    wait_status(sm, job, {"InProgress"})
    wait_for(lambda: sm.describe_training_job(TrainingJobName=job)["SecondaryStatus"] == "Training", timeout=30)
    backend.restart()
    sm = backend.client("sagemaker")
    done = sm.describe_training_job(TrainingJobName=job)
    assert done["TrainingJobStatus"] == "Failed"
    assert done["FailureReason"] == "The local backend restarted while the job ran."
    # The logs written before the restart are still there.
    logs = backend.client("logs")
    assert logs.describe_log_streams(logGroupName=GROUP, logStreamNamePrefix=job)["logStreams"]


# ----------------------------------------------------------------------------------------------- the runner route


@pytest.fixture
def jp_server_config(tmp_path: Path) -> dict[str, Any]:
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_sagemaker_studio": True}},
        "SageMakerStudio": {"mode": "local", "data_dir": str(tmp_path / "data"), "demo_content": False},
    }


async def test_the_runner_route_serves_the_script(jp_fetch: Any) -> None:
    resp = await jp_fetch("sagemaker-studio", "notebook-jobs", "runner.py")
    assert resp.code == 200
    assert resp.headers["Content-Type"].startswith("text/x-python")
    assert resp.body.decode() == RUNNER_PATH.read_text()


async def test_the_runner_route_needs_a_login(jp_serverapp: Any, http_server_client: Any, jp_base_url: str) -> None:
    resp = await http_server_client.fetch(
        f"{jp_base_url}sagemaker-studio/notebook-jobs/runner.py", raise_error=False, follow_redirects=False
    )
    assert resp.code in (302, 403)
    assert b"argparse" not in (resp.body or b"")


def test_json_output_of_describe_is_serialisable(sm: Any) -> None:
    """A process-run job's private bookkeeping never shows in Describe."""
    jobs = sm.list_training_jobs(MaxResults=100)["TrainingJobSummaries"]
    for summary in jobs:
        described = sm.describe_training_job(TrainingJobName=summary["TrainingJobName"])
        assert not any(k.startswith("_") for k in described)
        json.dumps(described, default=str)
