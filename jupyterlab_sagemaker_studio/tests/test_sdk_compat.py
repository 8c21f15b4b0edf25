"""The SageMaker Python SDK, unchanged, in a local-mode kernel: experiments, runs, metrics, lineage, role, bucket.

The backend runs in this process (a thread with its own event loop) so the kernel environment is exactly what
``LocalBackend.kernel_env()`` hands to kernels. The SDK snippet runs in a subprocess with that environment, as a
notebook cell would, and the results are checked with plain boto3.

The SDK test needs the ``sagemaker`` package (v2 or v3): in this interpreter, or in the one named by
``SAGEMAKER_SDK_PYTHON`` (e.g. a separate venv, so the SDK's boto3 pin cannot change the one the other tests use).
Without it that test is skipped; the rest (the botocore plugin, lineage operations the SDK calls, Search
shapes the SDK's analytics need) run with boto3 alone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Iterator

import boto3
import botocore.config
import botocore.exceptions
import pytest
from local_backend import LocalBackendThread

from jupyterlab_sagemaker_studio.botocore_plugin import PLUGIN_ENTRY, PLUGINS_ENV, is_aws_endpoint, plugins_value

REPO = Path(__file__).resolve().parents[2]
ACCOUNT = "123456789012"
REGION = "us-east-1"


@pytest.fixture(scope="module")
def local(tmp_path_factory) -> Iterator[LocalBackendThread]:
    with LocalBackendThread(tmp_path_factory.mktemp("sdk-compat") / "data", region=REGION, account_id=ACCOUNT) as b:
        yield b


@pytest.fixture(scope="module")
def sm(local: LocalBackendThread) -> Any:
    return local.client("sagemaker")


def error_of(exc: pytest.ExceptionInfo) -> tuple[str, str]:
    err = exc.value.response["Error"]
    return err["Code"], err["Message"]


# -- the botocore plugin that keeps explicit AWS endpoints local -------------------------------------------------


def test_kernel_env_enables_the_endpoint_plugin(local: LocalBackendThread, monkeypatch) -> None:
    monkeypatch.delenv(PLUGINS_ENV, raising=False)
    env = local.backend.kernel_env()
    assert env[PLUGINS_ENV] == PLUGIN_ENTRY
    assert env["SAGEMAKER_STUDIO_MODE"] == "local"
    assert env["AWS_ENDPOINT_URL"] == local.backend.endpoint_url
    # The user's own plugins are kept; botocore's off switch is respected.
    monkeypatch.setenv(PLUGINS_ENV, "mine=my.plugin")
    assert local.backend.kernel_env()[PLUGINS_ENV] == f"mine=my.plugin,{PLUGIN_ENTRY}"
    assert plugins_value(f"mine=my.plugin,{PLUGIN_ENTRY}") == f"mine=my.plugin,{PLUGIN_ENTRY}"
    assert plugins_value("DISABLED") == "DISABLED"


def test_aws_endpoint_recognition() -> None:
    assert is_aws_endpoint("https://sts.us-east-1.amazonaws.com")
    assert is_aws_endpoint("https://s3.cn-north-1.amazonaws.com.cn/bucket")
    assert is_aws_endpoint("https://sts.us-east-1.api.aws")
    assert not is_aws_endpoint("http://127.0.0.1:8080")
    assert not is_aws_endpoint("https://minio.example.org")
    assert not is_aws_endpoint("https://evilamazonaws.com")


def test_explicit_aws_endpoint_goes_to_the_local_backend_in_local_mode(local: LocalBackendThread, monkeypatch) -> None:
    """What the SageMaker SDK does for STS: ``client("sts", endpoint_url="https://sts.<region>.amazonaws.com")``."""
    for name, value in local.backend.kernel_env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    session = boto3.Session()
    sts = session.client("sts", region_name=REGION, endpoint_url=f"https://sts.{REGION}.amazonaws.com")
    identity = sts.get_caller_identity()
    assert identity["Account"] == ACCOUNT
    assert ":assumed-role/" in identity["Arn"]
    # An endpoint that is not AWS's (a user's own service) is left alone: here nothing listens on it.
    other = session.client(
        "sts",
        region_name=REGION,
        endpoint_url="http://127.0.0.1:9",
        config=botocore.config.Config(retries={"max_attempts": 1}, connect_timeout=2),
    )
    with pytest.raises(botocore.exceptions.EndpointConnectionError):
        other.get_caller_identity()


def test_plugin_does_nothing_outside_local_mode(local: LocalBackendThread, monkeypatch) -> None:
    for name, value in local.backend.kernel_env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SAGEMAKER_STUDIO_MODE", "aws")
    sts = boto3.Session().client("sts", region_name=REGION, endpoint_url=f"https://sts.{REGION}.amazonaws.com")
    resolved: list[str] = []

    def stop_before_sending(request: Any, **_: Any) -> Any:
        # Record where the request would go and answer it here, so the test never touches the network.
        resolved.append(request.url)
        raise RuntimeError("stopped before sending")

    sts.meta.events.register("before-send", stop_before_sending)
    with pytest.raises(RuntimeError, match="stopped before sending"):
        sts.get_caller_identity()
    assert resolved == [f"https://sts.{REGION}.amazonaws.com/"]


# -- lineage operations the SDK's Run.log_confusion_matrix / log_roc_curve / log_precision_recall call ------------


def test_artifacts_and_associations(sm) -> None:
    sm.create_experiment(ExperimentName="lineage-exp")
    tc_arn = sm.create_trial_component(TrialComponentName="lineage-run")["TrialComponentArn"]
    source = {
        "SourceUri": "s3://bucket/trial-component-artifacts/lineage-run/cm.json",
        "SourceTypes": [{"SourceIdType": "S3ETag", "Value": '"abc"'}],
    }
    arn = sm.create_artifact(ArtifactName="cm", ArtifactType="ConfusionMatrix", Source=source)["ArtifactArn"]
    assert arn.startswith(f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:artifact/")
    assert len(arn.rsplit("/", 1)[1]) == 32
    described = sm.describe_artifact(ArtifactArn=arn)
    assert described["ArtifactName"] == "cm"
    assert described["Source"] == source
    assert described["ArtifactType"] == "ConfusionMatrix"
    assert described["CreationTime"] == described["LastModifiedTime"]

    # One artifact per source: the SDK reads "already exists" as "reuse it".
    with pytest.raises(sm.exceptions.ClientError) as exc:
        sm.create_artifact(ArtifactName="again", ArtifactType="ConfusionMatrix", Source=source)
    code, message = error_of(exc)
    assert code == "ValidationException" and "already exists" in message and arn in message
    other = sm.create_artifact(
        ArtifactType="DataSet", Source={"SourceUri": "s3://bucket/data.csv"}, Properties={"rows": "10"}
    )["ArtifactArn"]
    assert "ArtifactName" not in sm.describe_artifact(ArtifactArn=other)

    listed = sm.list_artifacts(SourceUri=source["SourceUri"])["ArtifactSummaries"]
    assert [a["ArtifactArn"] for a in listed] == [arn]
    assert [a["ArtifactArn"] for a in sm.list_artifacts(ArtifactType="DataSet")["ArtifactSummaries"]] == [other]

    sm.update_artifact(ArtifactArn=other, ArtifactName="data", Properties={"cols": "3"}, PropertiesToRemove=["rows"])
    updated = sm.describe_artifact(ArtifactArn=other)
    assert updated["ArtifactName"] == "data" and updated["Properties"] == {"cols": "3"}

    # The run produced the matrix; the data set contributed to the run (the SDK's two edge types).
    sm.add_association(SourceArn=tc_arn, DestinationArn=arn, AssociationType="Produced")
    sm.add_association(SourceArn=other, DestinationArn=tc_arn, AssociationType="ContributedTo")
    with pytest.raises(sm.exceptions.ClientError) as exc:
        sm.add_association(SourceArn=tc_arn, DestinationArn=arn, AssociationType="Produced")
    code, message = error_of(exc)
    assert code == "ValidationException" and "already exists" in message
    missing = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:artifact/{'0' * 32}"
    with pytest.raises(sm.exceptions.ResourceNotFound):
        sm.add_association(SourceArn=tc_arn, DestinationArn=missing)
    with pytest.raises(sm.exceptions.ClientError) as exc:
        sm.add_association(
            SourceArn=tc_arn, DestinationArn=f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:experiment/lineage-exp"
        )
    assert error_of(exc)[0] == "ValidationException"

    produced = sm.list_associations(SourceArn=tc_arn)["AssociationSummaries"]
    assert len(produced) == 1
    edge = produced[0]
    assert edge["DestinationArn"] == arn and edge["AssociationType"] == "Produced"
    assert edge["SourceType"] == "TrialComponent" and edge["SourceName"] == "lineage-run"
    assert edge["DestinationType"] == "ConfusionMatrix" and edge["DestinationName"] == "cm"
    into_run = sm.list_associations(DestinationArn=tc_arn)["AssociationSummaries"]
    assert [(e["SourceArn"], e["AssociationType"]) for e in into_run] == [(other, "ContributedTo")]
    assert len(sm.list_associations(AssociationType="Produced")["AssociationSummaries"]) == 1
    page = sm.list_associations(MaxResults=1, SortBy="SourceArn", SortOrder="Ascending")
    rest = sm.list_associations(MaxResults=1, SortBy="SourceArn", SortOrder="Ascending", NextToken=page["NextToken"])
    assert [page["AssociationSummaries"][0]["SourceArn"], rest["AssociationSummaries"][0]["SourceArn"]] == sorted(
        [tc_arn, other]
    )

    sm.delete_association(SourceArn=tc_arn, DestinationArn=arn)
    with pytest.raises(sm.exceptions.ResourceNotFound):
        sm.delete_association(SourceArn=tc_arn, DestinationArn=arn)
    # Deleting an entity removes its edges.
    sm.delete_artifact(Source={"SourceUri": "s3://bucket/data.csv"})
    assert sm.list_associations(DestinationArn=tc_arn)["AssociationSummaries"] == []
    with pytest.raises(sm.exceptions.ResourceNotFound):
        sm.describe_artifact(ArtifactArn=other)
    sm.add_association(SourceArn=tc_arn, DestinationArn=arn)
    sm.delete_trial_component(TrialComponentName="lineage-run")
    assert sm.list_associations(DestinationArn=arn)["AssociationSummaries"] == []
    assert sm.delete_artifact(ArtifactArn=arn)["ArtifactArn"] == arn
    with pytest.raises(sm.exceptions.ClientError) as exc:
        sm.delete_artifact()
    assert error_of(exc)[0] == "ValidationException"


def test_search_returns_the_maps_the_sdk_analytics_read(sm) -> None:
    """ExperimentAnalytics calls ``.items()`` on Parameters and the artifact maps of every search result."""
    sm.create_trial_component(TrialComponentName="bare-run")
    found = sm.search(
        Resource="ExperimentTrialComponent",
        SearchExpression={"Filters": [{"Name": "TrialComponentName", "Operator": "Equals", "Value": "bare-run"}]},
    )["Results"]
    component = found[0]["TrialComponent"]
    assert component["Parameters"] == {}
    assert component["InputArtifacts"] == {}
    assert component["OutputArtifacts"] == {}
    # Empty maps do not count as existing properties.
    assert (
        sm.search(
            Resource="ExperimentTrialComponent",
            SearchExpression={
                "Filters": [
                    {"Name": "TrialComponentName", "Operator": "Equals", "Value": "bare-run"},
                    {"Name": "Parameters", "Operator": "Exists"},
                ]
            },
        )["Results"]
        == []
    )


# -- the SageMaker Python SDK itself ---------------------------------------------------------------------------

SDK_SNIPPET = textwrap.dedent(
    """
    import json, os, tempfile
    from importlib.metadata import version
    try:  # SageMaker Python SDK v3
        from sagemaker.core.helper.session_helper import Session, get_execution_role
        from sagemaker.core.experiments.run import Run, load_run, list_runs
        from sagemaker.core.analytics import ExperimentAnalytics
    except ImportError:  # v2
        from sagemaker import Session, get_execution_role
        from sagemaker.experiments.run import Run, load_run, list_runs
        from sagemaker.analytics import ExperimentAnalytics
    try:
        import sklearn  # noqa: F401 - Run.log_confusion_matrix needs it
        with_sklearn = True
    except ImportError:
        with_sklearn = False

    session = Session()
    out = {"version": version("sagemaker"), "bucket": session.default_bucket(), "role": get_execution_role(session)}
    with Run(experiment_name="sdk-exp", run_name="run-1", sagemaker_session=session) as run:
        run.log_parameters({"lr": 0.1, "depth": 3})
        run.log_parameter("optimizer", "adam")
        for i in range(20):
            run.log_metric(name="loss", value=1 / (i + 1), step=i)
        path = os.path.join(tempfile.mkdtemp(), "notes.txt")
        with open(path, "w") as f:
            f.write("hello")
        run.log_file(path, name="notes")
        if with_sklearn:
            run.log_confusion_matrix([0, 1, 1, 0], [0, 1, 0, 0], title="cm")
    with load_run(experiment_name="sdk-exp", run_name="run-1", sagemaker_session=session) as run:
        out["loaded_parameters"] = dict(run._trial_component.parameters)
        run.log_parameter("resumed", 1)
    out["runs"] = [r.run_name for r in list_runs(experiment_name="sdk-exp", sagemaker_session=session)]
    frame = ExperimentAnalytics(experiment_name="sdk-exp", sagemaker_session=session).dataframe()
    out["analytics"] = json.loads(frame.to_json(orient="records"))
    out["lineage"] = with_sklearn
    print("RESULT " + json.dumps(out))
    """
)


def sdk_python() -> str:
    """An interpreter that has the SageMaker Python SDK, or skip the test with the reason."""
    explicit = os.environ.get("SAGEMAKER_SDK_PYTHON")
    if not explicit:
        pytest.importorskip(
            "sagemaker",
            reason="the SageMaker Python SDK is not installed (pip install sagemaker, or set SAGEMAKER_SDK_PYTHON "
            "to a Python that has it)",
        )
        return sys.executable
    probe = subprocess.run([explicit, "-c", "import sagemaker"], capture_output=True, text=True, timeout=300)
    if probe.returncode != 0:
        pytest.fail(f"SAGEMAKER_SDK_PYTHON={explicit} cannot import sagemaker: {probe.stderr.strip()[-300:]}")
    return explicit


def test_sagemaker_sdk_unchanged_in_a_local_kernel(local: LocalBackendThread, sm, tmp_path) -> None:
    python = sdk_python()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(local.backend.kernel_env())
    # The kernel imports this package (the botocore plugin) from the source tree, as an installed kernel would.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    env["HOME"] = str(tmp_path)  # no user SageMaker config or AWS files
    env["SAGEMAKER_SUPPRESS_V2_WARNING"] = "1"
    proc = subprocess.run(
        [python, "-c", SDK_SNIPPET], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    assert proc.returncode == 0 and lines, f"the SDK snippet failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}"
    out = json.loads(lines[-1][len("RESULT ") :])

    # default_bucket() and get_execution_role() answered from the local STS and S3.
    assert out["bucket"] == f"sagemaker-{REGION}-{ACCOUNT}"
    local.client("s3").head_bucket(Bucket=out["bucket"])
    assert out["role"] == f"arn:aws:iam::{ACCOUNT}:role/SageMakerStudioLocalExecutionRole"
    # The SDK asked IAM for the role's path and got it: no "Couldn't call 'get_role'" warning.
    assert "get_role" not in proc.stderr, proc.stderr[-3000:]
    assert out["runs"] == ["run-1"]
    assert out["loaded_parameters"] == {"lr": 0.1, "depth": 3, "optimizer": "adam"}

    # What the SDK wrote, read back with boto3.
    experiment = sm.describe_experiment(ExperimentName="sdk-exp")
    assert experiment["ExperimentArn"].endswith(":experiment/sdk-exp")
    trials = [t["TrialName"] for t in sm.list_trials(ExperimentName="sdk-exp")["TrialSummaries"]]
    assert trials == ["Default-Run-Group-sdk-exp"]
    components = sm.list_trial_components(TrialName=trials[0])["TrialComponentSummaries"]
    assert [c["TrialComponentName"] for c in components] == ["sdk-exp-run-1"]
    component = sm.describe_trial_component(TrialComponentName="sdk-exp-run-1")
    assert component["Parameters"] == {
        "lr": {"NumberValue": 0.1},
        "depth": {"NumberValue": 3.0},
        "optimizer": {"StringValue": "adam"},
        "resumed": {"NumberValue": 1.0},
    }
    assert component["Status"]["PrimaryStatus"] == "Completed"
    assert component["StartTime"] <= component["EndTime"]
    notes = component["OutputArtifacts"]["notes"]
    assert notes["Value"].startswith(f"s3://{out['bucket']}/")
    bucket, key = notes["Value"][len("s3://") :].split("/", 1)
    assert local.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read() == b"hello"
    (loss,) = [m for m in component["Metrics"] if m["MetricName"] == "loss"]
    assert loss["Count"] == 20 and loss["Min"] == pytest.approx(0.05) and loss["Max"] == 1.0

    values = local.client("sagemaker-metrics").batch_get_metrics(
        MetricQueries=[
            {
                "MetricName": "loss",
                "ResourceArn": component["TrialComponentArn"],
                "MetricStat": "Last",
                "Period": "IterationNumber",
                "XAxisType": "IterationNumber",
            }
        ]
    )["MetricQueryResults"][0]
    assert values["Status"] == "Complete"
    assert values["XAxisValues"] == list(range(20))
    assert values["MetricValues"] == pytest.approx([1 / (i + 1) for i in range(20)])

    (row,) = out["analytics"]
    assert row["TrialComponentName"] == "sdk-exp-run-1"
    assert row["lr"] == 0.1 and row["optimizer"] == "adam"
    assert row["loss - Count"] == 20 and row["loss - Last"] == pytest.approx(0.05)
    assert row["Experiments"] == ["sdk-exp"] and row["Trials"] == ["Default-Run-Group-sdk-exp"]

    if out["lineage"]:
        (edge,) = sm.list_associations(SourceArn=component["TrialComponentArn"])["AssociationSummaries"]
        assert edge["AssociationType"] == "Produced" and edge["DestinationType"] == "ConfusionMatrix"
        artifact = sm.describe_artifact(ArtifactArn=edge["DestinationArn"])
        assert artifact["ArtifactName"] == "cm"
        bucket, key = artifact["Source"]["SourceUri"][len("s3://") :].split("/", 1)
        matrix = json.loads(local.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read())
        assert matrix["type"] == "ConfusionMatrix" and matrix["confusionMatrix"] == [[2, 0], [1, 1]]
