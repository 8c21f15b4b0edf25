"""Demo content against a real local backend (subprocess), checked through boto3 like any AWS client would."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import boto3
import pytest
from local_backend import LocalBackendProcess, StartBackend

from jupyterlab_sagemaker_studio.demo import EXPERIMENTS, create_demo_content
from jupyterlab_sagemaker_studio.demo.catalog import DEMO_TAG, ExperimentSpec

pytest.importorskip("sklearn")

REGION = "us-east-1"
ACCOUNT = "123456789012"
APPROVAL_STATES = {"Approved", "Rejected", "PendingManualApproval"}
DELAY = 0.2  # endpoints go InService quickly, so the demo's deployments settle within the test


def _run_demo(backend: LocalBackendProcess, log: Any = None) -> Any:
    """create_demo_content in this process, against this backend."""
    return create_demo_content(
        endpoint_url=backend.info["endpoint_url"],
        region=REGION,
        access_key=backend.info["access_key"],
        secret_key=backend.info["secret_key"],
        log=log or (lambda msg: None),
    )


@pytest.fixture(scope="module")
def demo_backend(start_module_backend: StartBackend, tmp_path_factory: pytest.TempPathFactory) -> LocalBackendProcess:
    """A fresh backend with the demo content created once (shared by the read-only checks below)."""
    backend = start_module_backend(tmp_path_factory.mktemp("demo-data"), delay=DELAY)
    backend.first_run = _run_demo(backend)  # type: ignore[attr-defined]
    return backend


def _iteration_values(metrics: Any, arn: str, name: str, stat: str = "Avg") -> tuple[list[float], list[float]]:
    result = metrics.batch_get_metrics(
        MetricQueries=[
            {
                "MetricName": name,
                "ResourceArn": arn,
                "MetricStat": stat,
                "Period": "IterationNumber",
                "XAxisType": "IterationNumber",
            }
        ]
    )["MetricQueryResults"][0]
    assert result["Status"] == "Complete", result
    return result["XAxisValues"], result["MetricValues"]


def _model_from_s3(s3: Any, uri: str) -> Any:
    bucket, key = uri.removeprefix("s3://").split("/", 1)
    body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    names = set(tarfile.open(fileobj=io.BytesIO(body), mode="r:gz").getnames())
    assert {"model.joblib", "code/inference.py", "code/requirements.txt"} <= names
    return _unpack_model(body)


def _validation_split(spec: ExperimentSpec) -> tuple[Any, Any]:
    from sklearn import datasets
    from sklearn.model_selection import train_test_split

    from jupyterlab_sagemaker_studio.demo.training import RANDOM_STATE

    X, y = getattr(datasets, spec.dataset)(return_X_y=True)
    stratify = None if spec.task == "regression" else y
    _, X_val, _, y_val = train_test_split(X, y, test_size=0.25, random_state=RANDOM_STATE, stratify=stratify)
    return X_val, y_val


def test_experiments_trials_and_runs(demo_backend: LocalBackendProcess) -> None:
    sm = demo_backend.client("sagemaker")
    names = {e["ExperimentName"] for e in sm.list_experiments(MaxResults=100)["ExperimentSummaries"]}
    assert {e.name for e in EXPERIMENTS} <= names
    for spec in EXPERIMENTS:
        trials = {t["TrialName"] for t in sm.list_trials(ExperimentName=spec.name)["TrialSummaries"]}
        assert trials == {spec.trial_name(r.trial) for r in spec.runs}
        for run in spec.runs:
            members = sm.list_trial_components(TrialName=spec.trial_name(run.trial))["TrialComponentSummaries"]
            assert spec.trial_component_name(run) in {m["TrialComponentName"] for m in members}
            tc = sm.describe_trial_component(TrialComponentName=spec.trial_component_name(run))
            assert tc["Status"]["PrimaryStatus"] == "Completed"
            assert tc["StartTime"] <= tc["EndTime"]
            for name, value in run.hyperparameters.items():
                assert tc["Parameters"][name] == {"NumberValue": float(value)}
            assert tc["Parameters"]["estimator"] == {"StringValue": spec.estimator}
            assert tc["OutputArtifacts"]["model"]["Value"].startswith(f"s3://sagemaker-{REGION}-{ACCOUNT}/")
            assert tc["InputArtifacts"]["train"]["Value"].endswith("/train.csv")
        exp_arn = sm.describe_experiment(ExperimentName=spec.name)["ExperimentArn"]
        assert DEMO_TAG in sm.list_tags(ResourceArn=exp_arn)["Tags"]


def test_metrics_are_per_iteration_and_match_the_stored_model(demo_backend: LocalBackendProcess) -> None:
    sm, metrics, s3 = (demo_backend.client(s) for s in ("sagemaker", "sagemaker-metrics", "s3"))
    for spec in EXPERIMENTS:
        run = spec.runs[0]
        tc = sm.describe_trial_component(TrialComponentName=spec.trial_component_name(run))
        iterations = run.hyperparameters.get("n_estimators") or run.hyperparameters["max_iter"]
        metric = "validation:rmse" if spec.task == "regression" else "validation:accuracy"
        steps, values = _iteration_values(metrics, tc["TrialComponentArn"], metric)
        assert steps == list(range(1, iterations + 1))
        # The curve is a real training curve: it changes over the iterations.
        assert len(set(values)) > 3

        # The last iteration's value is what the uploaded model scores on the validation split.
        model = _model_from_s3(s3, tc["OutputArtifacts"]["model"]["Value"])
        X_val, y_val = _validation_split(spec)
        pred = model.predict(X_val)
        if spec.task == "regression":
            expected = float(((pred - y_val) ** 2).mean() ** 0.5)
        else:
            expected = float((pred == y_val).mean())
        assert values[-1] == pytest.approx(expected, rel=1e-9)


def test_model_registry_has_every_approval_state(demo_backend: LocalBackendProcess) -> None:
    sm = demo_backend.client("sagemaker")
    for spec in EXPERIMENTS:
        versions = sm.list_model_packages(ModelPackageGroupName=spec.model_package_group)["ModelPackageSummaryList"]
        assert len(versions) == len(spec.runs)
        assert {v["ModelApprovalStatus"] for v in versions} == APPROVAL_STATES
        for summary in versions:
            desc = sm.describe_model_package(ModelPackageName=summary["ModelPackageArn"])
            container = desc["InferenceSpecification"]["Containers"][0]
            assert container["Image"] == (
                "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"
            )
            assert container["ModelDataUrl"].endswith("/output/model.tar.gz")
            if desc["ModelApprovalStatus"] == "Rejected":
                assert "worse than the approved version" in desc["ApprovalDescription"]


def test_endpoints_serve_the_approved_models(demo_backend: LocalBackendProcess) -> None:
    sm = demo_backend.client("sagemaker")
    endpoints = {e["EndpointName"] for e in sm.list_endpoints(MaxResults=100)["Endpoints"]}
    assert {spec.deployment.endpoint_name for spec in EXPERIMENTS} <= endpoints
    for spec in EXPERIMENTS:
        endpoint = sm.describe_endpoint(EndpointName=spec.deployment.endpoint_name)
        assert endpoint["EndpointStatus"] in ("Creating", "InService")
        config = sm.describe_endpoint_config(EndpointConfigName=endpoint["EndpointConfigName"])
        variant = config["ProductionVariants"][0]
        assert variant["InstanceType"] == spec.deployment.instance_type
        model = sm.describe_model(ModelName=variant["ModelName"])
        approved = sm.list_model_packages(
            ModelPackageGroupName=spec.model_package_group, ModelApprovalStatus="Approved"
        )["ModelPackageSummaryList"]
        approved_desc = sm.describe_model_package(ModelPackageName=approved[0]["ModelPackageArn"])
        assert (
            model["PrimaryContainer"]["ModelDataUrl"]
            == (approved_desc["InferenceSpecification"]["Containers"][0]["ModelDataUrl"])
        )
        assert model["ExecutionRoleArn"] == f"arn:aws:iam::{ACCOUNT}:role/SageMakerStudioDemoRole"


def _inventory(backend: LocalBackendProcess) -> dict[str, Any]:
    sm, metrics, s3 = (backend.client(s) for s in ("sagemaker", "sagemaker-metrics", "s3"))
    inv: dict[str, Any] = {
        "experiments": sorted(e["ExperimentName"] for e in sm.list_experiments(MaxResults=100)["ExperimentSummaries"]),
        "trials": sorted(t["TrialName"] for t in sm.list_trials(MaxResults=100)["TrialSummaries"]),
        "components": sorted(
            t["TrialComponentName"] for t in sm.list_trial_components(MaxResults=100)["TrialComponentSummaries"]
        ),
        "packages": sorted(
            p["ModelPackageArn"]
            for g in sm.list_model_package_groups(MaxResults=100)["ModelPackageGroupSummaryList"]
            for p in sm.list_model_packages(ModelPackageGroupName=g["ModelPackageGroupName"])["ModelPackageSummaryList"]
        ),
        "models": sorted(m["ModelName"] for m in sm.list_models(MaxResults=100)["Models"]),
        "endpoint_configs": sorted(
            c["EndpointConfigName"] for c in sm.list_endpoint_configs(MaxResults=100)["EndpointConfigs"]
        ),
        "endpoints": sorted(e["EndpointName"] for e in sm.list_endpoints(MaxResults=100)["Endpoints"]),
        "objects": sorted(
            o["Key"] for o in s3.list_objects_v2(Bucket=f"sagemaker-{REGION}-{ACCOUNT}").get("Contents", [])
        ),
    }
    spec = EXPERIMENTS[0]
    arn = sm.describe_trial_component(TrialComponentName=spec.trial_component_name(spec.runs[0]))["TrialComponentArn"]
    inv["metric_points"] = sum(_iteration_values(metrics, arn, "train:logloss", "Count")[1])
    return inv


def test_second_run_creates_nothing(demo_backend: LocalBackendProcess) -> None:
    assert demo_backend.first_run.created  # type: ignore[attr-defined]
    before = _inventory(demo_backend)
    # The command line, as a user runs it against local mode from outside.
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "jupyterlab_sagemaker_studio.demo",
            "--local",
            str(demo_backend.data_dir),
            "--endpoint-url",
            demo_backend.info["endpoint_url"],
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert "nothing created" in out
    assert "training" not in out
    assert _inventory(demo_backend) == before

    # With no options, as in a local-mode kernel: boto3 finds the backend through the standard environment.
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ENDPOINT_URL=demo_backend.info["endpoint_url"],
        AWS_ACCESS_KEY_ID=demo_backend.info["access_key"],
        AWS_SECRET_ACCESS_KEY=demo_backend.info["secret_key"],
        AWS_REGION=REGION,
    )
    cli = [sys.executable, "-m", "jupyterlab_sagemaker_studio.demo"]
    out = subprocess.run(cli, capture_output=True, text=True, timeout=120, check=True, env=env).stdout
    assert demo_backend.info["endpoint_url"] in out
    assert "nothing created" in out
    assert _inventory(demo_backend) == before
    assert len(before["packages"]) == sum(len(spec.runs) for spec in EXPERIMENTS)


def test_interrupted_run_is_resumed_without_duplicate_metrics(tmp_path: Path, start_backend: StartBackend) -> None:
    """A run left InProgress with part of its metrics gets only the missing steps, then completes."""
    from jupyterlab_sagemaker_studio.demo import _ensure_run
    from jupyterlab_sagemaker_studio.demo.provisioner import Provisioner
    from jupyterlab_sagemaker_studio.demo.training import train_run

    backend = start_backend(tmp_path, delay=DELAY)
    spec = next(e for e in EXPERIMENTS if e.task == "regression")
    run = spec.runs[0]
    name = spec.trial_component_name(run)
    session = boto3.Session(
        aws_access_key_id=backend.info["access_key"], aws_secret_access_key=backend.info["secret_key"]
    )
    prov = Provisioner(session, REGION, backend.info["endpoint_url"], lambda msg: None)
    bucket = f"sagemaker-{REGION}-{ACCOUNT}"
    prov.ensure_bucket(bucket)
    trained = train_run(spec, run)
    prov.create_trial_component(name, run.name, trained.start_time, trained.parameters, {})
    first = [p for p in trained.metrics if p.step <= 7]
    prov.put_metrics(name, first)

    _ensure_run(prov, spec, run, bucket)

    sm, metrics = backend.client("sagemaker"), backend.client("sagemaker-metrics")
    tc = sm.describe_trial_component(TrialComponentName=name)
    assert tc["Status"]["PrimaryStatus"] == "Completed"
    for metric in ("train:rmse", "validation:rmse", "validation:r2"):
        steps, counts = _iteration_values(metrics, tc["TrialComponentArn"], metric, "Count")
        assert steps == list(range(1, run.hyperparameters["n_estimators"] + 1))
        assert set(counts) == {1.0}, f"{metric} has duplicated steps"


def _unpack_model(archive: bytes) -> Any:
    import joblib

    member = tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz").extractfile("model.joblib")
    assert member is not None
    return joblib.load(io.BytesIO(member.read()))


def test_iteration_metrics_agree_with_scikit_learn() -> None:
    """The fast numpy formulas give scikit-learn's values."""
    from sklearn.metrics import accuracy_score, f1_score, log_loss, mean_squared_error, r2_score

    from jupyterlab_sagemaker_studio.demo.training import train_run

    spec, run = EXPERIMENTS[0], EXPERIMENTS[0].runs[2]
    trained = train_run(spec, run)
    model = _unpack_model(trained.model_archive)
    X_val, y_val = _validation_split(spec)
    last = {p.name: p.value for p in trained.metrics if p.step == run.hyperparameters["n_estimators"]}
    assert last["validation:logloss"] == pytest.approx(log_loss(y_val, model.predict_proba(X_val)), rel=1e-9)
    assert last["validation:accuracy"] == pytest.approx(accuracy_score(y_val, model.predict(X_val)))
    f1 = trained.evaluation["binary_classification_metrics"]["f1"]["value"]
    assert f1 == pytest.approx(f1_score(y_val, model.predict(X_val)), abs=1e-6)

    reg = next(e for e in EXPERIMENTS if e.task == "regression")
    trained = train_run(reg, reg.runs[0])
    report = trained.evaluation["regression_metrics"]
    X_val, y_val = _validation_split(reg)
    pred = _unpack_model(trained.model_archive).predict(X_val)
    assert report["r2"]["value"] == pytest.approx(r2_score(y_val, pred), abs=1e-6)
    assert report["mse"]["value"] == pytest.approx(mean_squared_error(y_val, pred), rel=1e-6)
