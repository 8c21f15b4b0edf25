"""Demo content against a real local backend (subprocess), checked through boto3 like any AWS client would."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from typing import Any

import boto3
import pytest
from local_backend import LocalBackendProcess, StartBackend

from jupyterlab_sagemaker_studio.demo import EXPERIMENTS, create_demo_content
from jupyterlab_sagemaker_studio.demo.catalog import DEMO_TAG, ExperimentSpec
from jupyterlab_sagemaker_studio.demo.mlops import (
    BUILD_PIPELINE,
    EXECUTIONS,
    FEATURE_GROUPS,
    PROJECT_NAME,
    SCORING_PIPELINE,
    SWEEP_JOB,
    SWEEP_TRIAL,
    TRAINING_JOB,
)
from jupyterlab_sagemaker_studio.demo.model_monitor import (
    DRIFTED_HOURS,
    HISTORY_HOURS,
    MONITORED_DATASET,
    schedule_name,
)

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


def test_model_monitor_schedule_finds_the_drift_of_the_later_hours(demo_backend: LocalBackendProcess) -> None:
    sm, s3 = demo_backend.client("sagemaker"), demo_backend.client("s3")
    spec = next(e for e in EXPERIMENTS if e.dataset == MONITORED_DATASET)
    endpoint = sm.describe_endpoint(EndpointName=spec.deployment.endpoint_name)
    config = sm.describe_endpoint_config(EndpointConfigName=endpoint["EndpointConfigName"])
    assert config["DataCaptureConfig"]["DestinationS3Uri"].endswith("/sagemaker-studio-demo/data-capture")
    name = schedule_name(spec)
    schedule = sm.describe_monitoring_schedule(MonitoringScheduleName=name)
    assert schedule["EndpointName"] == spec.deployment.endpoint_name
    assert schedule["MonitoringScheduleConfig"]["ScheduleConfig"]["ScheduleExpression"] == "cron(0 * ? * * *)"
    definition = sm.describe_data_quality_job_definition(JobDefinitionName=name)
    assert definition["DataQualityAppSpecification"]["ImageUri"].endswith("/sagemaker-model-monitor-analyzer")

    def history() -> list[dict[str, Any]]:
        found = sm.list_monitoring_executions(
            MonitoringScheduleName=name,
            ScheduledTimeBefore=schedule["CreationTime"],
            SortBy="ScheduledTime",
            SortOrder="Ascending",
            MaxResults=100,
        )["MonitoringExecutionSummaries"]
        return found if all(e["MonitoringExecutionStatus"] != "InProgress" for e in found) else []

    statuses = [e["MonitoringExecutionStatus"] for e in _eventually(history)]
    # The clean hours come first, the drifted hours last (HISTORY_HOURS analysed hours, the last DRIFTED_HOURS drift).
    assert statuses == ["Completed"] * (HISTORY_HOURS - DRIFTED_HOURS) + ["CompletedWithViolations"] * DRIFTED_HOURS
    analysed = history()
    summary = sm.describe_monitoring_schedule(MonitoringScheduleName=name)["LastMonitoringExecutionSummary"]
    assert summary["ScheduledTime"] >= analysed[-1]["ScheduledTime"]
    job = sm.describe_processing_job(ProcessingJobName=analysed[-1]["ProcessingJobArn"].rsplit("/", 1)[1])
    bucket, _, prefix = (
        job["ProcessingOutputConfig"]["Outputs"][0]["S3Output"]["S3Uri"].removeprefix("s3://").partition("/")
    )
    violations = json.loads(s3.get_object(Bucket=bucket, Key=f"{prefix}/constraint_violations.json")["Body"].read())
    assert {(v["feature_name"], v["constraint_check_type"]) for v in violations["violations"]} >= {
        ("bmi", "baseline_drift_check")
    }


def _eventually(check: Any, timeout: float = 20.0) -> Any:
    """``check()``'s first truthy result, polling while the backend's lifecycles move on."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            assert result, f"still not true after {timeout} s"
            return result
        time.sleep(0.1)


def _tags(sm: Any, arn: str) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in sm.list_tags(ResourceArn=arn)["Tags"]}


def test_project_groups_pipelines_model_groups_and_endpoints(demo_backend: LocalBackendProcess) -> None:
    sm = demo_backend.client("sagemaker")
    assert [p["ProjectName"] for p in sm.list_projects(NameContains="clinical")["ProjectSummaryList"]] == [PROJECT_NAME]
    project = _eventually(
        lambda: (d := sm.describe_project(ProjectName=PROJECT_NAME))["ProjectStatus"] == "CreateCompleted" and d
    )
    details = project["ServiceCatalogProvisioningDetails"]
    assert details["ProductId"].startswith("prod-") and details["ProvisioningArtifactId"].startswith("pa-")
    owned = [sm.describe_pipeline(PipelineName=p)["PipelineArn"] for p in (BUILD_PIPELINE, SCORING_PIPELINE)]
    for spec in EXPERIMENTS:
        owned.append(
            sm.describe_model_package_group(ModelPackageGroupName=spec.model_package_group)["ModelPackageGroupArn"]
        )
        owned.append(sm.describe_endpoint(EndpointName=spec.deployment.endpoint_name)["EndpointArn"])
    owned.append(sm.describe_training_job(TrainingJobName=TRAINING_JOB)["TrainingJobArn"])
    for arn in owned:
        tags = _tags(sm, arn)
        assert tags["sagemaker:project-name"] == PROJECT_NAME, arn
        assert tags["sagemaker:project-id"] == project["ProjectId"], arn
        assert tags[DEMO_TAG["Key"]] == DEMO_TAG["Value"], arn


def _execution(sm: Any, pipeline: str, display: str) -> dict[str, Any]:
    summaries = sm.list_pipeline_executions(PipelineName=pipeline)["PipelineExecutionSummaries"]
    (arn,) = [s["PipelineExecutionArn"] for s in summaries if s.get("PipelineExecutionDisplayName") == display]
    return sm.describe_pipeline_execution(PipelineExecutionArn=arn)


def test_pipelines_run_and_one_execution_fails_at_a_step(demo_backend: LocalBackendProcess) -> None:
    sm = demo_backend.client("sagemaker")
    names = {p["PipelineName"] for p in sm.list_pipelines()["PipelineSummaries"]}
    assert {BUILD_PIPELINE, SCORING_PIPELINE} <= names
    for name in (BUILD_PIPELINE, SCORING_PIPELINE):
        pipeline = sm.describe_pipeline(PipelineName=name)
        assert pipeline["RoleArn"] == f"arn:aws:iam::{ACCOUNT}:role/SageMakerStudioDemoRole"
        definition = json.loads(pipeline["PipelineDefinition"])
        assert definition["Version"] == "2020-12-01"
        # Declared with an empty default, so the definition runs unchanged in AWS.
        assert {"Name": "LocalModeFailSteps", "Type": "String", "DefaultValue": ""} in definition["Parameters"]
    build = json.loads(sm.describe_pipeline(PipelineName=BUILD_PIPELINE)["PipelineDefinition"])
    assert [(s["Name"], s["Type"]) for s in build["Steps"]] == [
        ("PreprocessData", "Processing"),
        ("TrainModel", "Training"),
        ("EvaluateModel", "Processing"),
        ("CheckAccuracy", "Condition"),
    ]
    assert build["Steps"][3]["Arguments"]["IfSteps"][0]["Type"] == "RegisterModel"
    # The build retrains with the approved run's hyperparameters.
    approved = sm.list_model_packages(
        ModelPackageGroupName=EXPERIMENTS[0].model_package_group, ModelApprovalStatus="Approved"
    )["ModelPackageSummaryList"][0]
    run = sm.describe_model_package(ModelPackageName=approved["ModelPackageArn"])["CustomerMetadataProperties"]["run"]
    hp = build["Steps"][1]["Arguments"]["HyperParameters"]
    spec = EXPERIMENTS[0]
    (chosen,) = [r for r in spec.runs if spec.trial_component_name(r) == run]
    assert {k: hp[k] for k in chosen.hyperparameters} == {k: str(v) for k, v in chosen.hyperparameters.items()}

    expected = {(p, d): ("Failed" if fail else "Succeeded") for p, d, _, fail in EXECUTIONS}
    assert list(expected.values()).count("Failed") == 1
    for (pipeline, display), status in expected.items():

        def finished(pipeline: str = pipeline, display: str = display) -> Any:
            execution = _execution(sm, pipeline, display)
            return execution["PipelineExecutionStatus"] in ("Succeeded", "Failed") and execution

        done = _eventually(finished)
        assert done["PipelineExecutionStatus"] == status, done
        steps = sm.list_pipeline_execution_steps(PipelineExecutionArn=done["PipelineExecutionArn"])[
            "PipelineExecutionSteps"
        ]
        statuses = {s["StepName"]: s["StepStatus"] for s in steps}
        if status == "Succeeded":
            assert set(statuses.values()) == {"Succeeded"}
            continue
        assert statuses == {"PreprocessData": "Succeeded", "TrainModel": "Succeeded", "EvaluateModel": "Failed"}
        (failed,) = [s for s in steps if s["StepStatus"] == "Failed"]
        assert "EvaluateModel" in failed["FailureReason"]
        assert done["FailureReason"] == failed["FailureReason"]
        values = sm.list_pipeline_parameters_for_execution(PipelineExecutionArn=done["PipelineExecutionArn"])
        assert {"Name": "LocalModeFailSteps", "Value": "EvaluateModel"} in values["PipelineParameters"]


def test_feature_groups_follow_the_data_sets(demo_backend: LocalBackendProcess) -> None:
    from sklearn import datasets

    sm, s3 = demo_backend.client("sagemaker"), demo_backend.client("s3")
    bucket = f"sagemaker-{REGION}-{ACCOUNT}"
    listed = {g["FeatureGroupName"] for g in sm.list_feature_groups()["FeatureGroupSummaries"]}
    assert {spec.name for spec in FEATURE_GROUPS} <= listed
    for spec in FEATURE_GROUPS:

        def created(name: str = spec.name) -> Any:
            group = sm.describe_feature_group(FeatureGroupName=name)
            return group["FeatureGroupStatus"] == "Created" and group

        group = _eventually(created)
        features = {f["FeatureName"]: f["FeatureType"] for f in group["FeatureDefinitions"]}
        columns = getattr(datasets, spec.dataset)().feature_names
        # Record identifier, target and event time besides one feature per data set column.
        assert len(features) == len(columns) + 3
        assert features[group["RecordIdentifierFeatureName"]] == "String"
        assert features[group["EventTimeFeatureName"]] in ("String", "Fractional")
        assert group["OfflineStoreConfig"]["S3StorageConfig"]["S3Uri"].startswith(f"s3://{bucket}/")
        assert group["OfflineStoreStatus"]["Status"] == "Active"
        assert group.get("OnlineStoreConfig", {}).get("EnableOnlineStore", False) == spec.online
        assert DEMO_TAG in sm.list_tags(ResourceArn=group["FeatureGroupArn"])["Tags"]
    breast = sm.describe_feature_group(FeatureGroupName="breast-cancer-biopsies")
    assert {"mean_radius", "worst_concave_points", "diagnosis"} <= {
        f["FeatureName"] for f in breast["FeatureDefinitions"]
    }
    diabetes = sm.describe_feature_group(FeatureGroupName="diabetes-patients")
    assert {"bmi", "ldl_cholesterol", "blood_sugar"} <= {f["FeatureName"] for f in diabetes["FeatureDefinitions"]}
    # The pipelines' raw input is the feature group's records: same columns, one row per sample.
    table = s3.get_object(Bucket=bucket, Key="sagemaker-studio-demo/datasets/diabetes/raw/patients.csv")["Body"]
    lines = table.read().decode().splitlines()
    assert lines[0].split(",") == [f["FeatureName"] for f in diabetes["FeatureDefinitions"]]
    assert len(lines) == 1 + len(datasets.load_diabetes().target)


def test_training_job_is_running(demo_backend: LocalBackendProcess) -> None:
    sm, s3 = demo_backend.client("sagemaker"), demo_backend.client("s3")
    running = sm.list_training_jobs(StatusEquals="InProgress")["TrainingJobSummaries"]
    assert TRAINING_JOB in {j["TrainingJobName"] for j in running}
    job = sm.describe_training_job(TrainingJobName=TRAINING_JOB)
    assert job["TrainingJobStatus"] == "InProgress"
    assert job["AlgorithmSpecification"]["TrainingImage"].endswith("/sagemaker-scikit-learn:1.2-1-cpu-py3")
    assert job["ResourceConfig"]["InstanceType"] == "ml.m5.xlarge"
    assert _tags(sm, job["TrainingJobArn"])["sagemaker-studio:local-duration-seconds"] == str(6 * 3600)
    # Everything the job would read in AWS is there: its code and both channels.
    source = json.loads(job["HyperParameters"]["sagemaker_submit_directory"])
    for uri in [source] + [c["DataSource"]["S3DataSource"]["S3Uri"] for c in job["InputDataConfig"]]:
        bucket, key = uri.removeprefix("s3://").split("/", 1)
        s3.head_object(Bucket=bucket, Key=key)
    archive = s3.get_object(Bucket=bucket, Key=source.split("/", 3)[3])["Body"].read()
    assert tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz").getnames() == ["train.py"]


def test_sweep_job_run_joins_the_experiment(demo_backend: LocalBackendProcess) -> None:
    """A run created by a SageMaker job (what the experiments list's "show jobs" toggle hides or shows)."""
    sm = demo_backend.client("sagemaker")
    spec = EXPERIMENTS[0]
    job = sm.describe_training_job(TrainingJobName=SWEEP_JOB)
    name = f"{SWEEP_JOB}-aws-training-job"
    members = sm.list_trial_components(TrialName=spec.trial_name(SWEEP_TRIAL))["TrialComponentSummaries"]
    assert name in {m["TrialComponentName"] for m in members}
    component = sm.describe_trial_component(TrialComponentName=name)
    assert component["Source"] == {"SourceArn": job["TrainingJobArn"], "SourceType": "SageMakerTrainingJob"}
    assert component["Parameters"]["learning_rate"] == {"StringValue": "0.1"}
    assert component["Parameters"]["SageMaker.InstanceType"] == {"StringValue": "ml.m5.large"}
    # Over at once in local mode: the run is Completed and the job is not among the running resources.
    assert job["TrainingJobStatus"] == "Completed" and component["Status"]["PrimaryStatus"] == "Completed"
    found = sm.search(
        Resource="ExperimentTrialComponent",
        SearchExpression={
            "Filters": [
                {"Name": "Parents.ExperimentName", "Operator": "Equals", "Value": spec.name},
                {"Name": "Source.SourceType", "Operator": "Equals", "Value": "SageMakerTrainingJob"},
            ]
        },
    )["Results"]
    assert [r["TrialComponent"]["TrialComponentName"] for r in found] == [name]


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
    inv["projects"] = sorted(p["ProjectName"] for p in sm.list_projects(MaxResults=100)["ProjectSummaryList"])
    inv["pipelines"] = sorted(p["PipelineName"] for p in sm.list_pipelines(MaxResults=100)["PipelineSummaries"])
    inv["executions"] = sorted(
        e["PipelineExecutionArn"]
        for p in inv["pipelines"]
        for e in sm.list_pipeline_executions(PipelineName=p, MaxResults=100)["PipelineExecutionSummaries"]
    )
    inv["feature_groups"] = sorted(
        g["FeatureGroupName"] for g in sm.list_feature_groups(MaxResults=100)["FeatureGroupSummaries"]
    )
    inv["training_jobs"] = sorted(
        j["TrainingJobName"] for j in sm.list_training_jobs(MaxResults=100)["TrainingJobSummaries"]
    )
    inv["pipeline_tags"] = [
        sorted(sm.list_tags(ResourceArn=sm.describe_pipeline(PipelineName=p)["PipelineArn"])["Tags"], key=str)
        for p in inv["pipelines"]
    ]
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


def test_mlops_without_project_or_jobs_creates_only_the_free_resources(
    tmp_path: Path, start_backend: StartBackend
) -> None:
    """As in AWS without --project-product-id or --start-jobs: pipelines and feature groups, nothing that runs."""
    from jupyterlab_sagemaker_studio.demo.mlops import MlopsOptions, ensure_mlops
    from jupyterlab_sagemaker_studio.demo.provisioner import Provisioner

    backend = start_backend(tmp_path, delay=DELAY)
    session = boto3.Session(
        aws_access_key_id=backend.info["access_key"], aws_secret_access_key=backend.info["secret_key"]
    )
    prov = Provisioner(session, REGION, backend.info["endpoint_url"], lambda msg: None)
    bucket = f"sagemaker-{REGION}-{ACCOUNT}"
    prov.ensure_bucket(bucket)
    options = MlopsOptions(
        bucket=bucket,
        image="683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3",
        role=f"arn:aws:iam::{ACCOUNT}:role/SageMakerStudioDemoRole",
        account=ACCOUNT,
        project=False,
        product_id=None,
        artifact_id=None,
        start_jobs=False,
    )
    approved = {spec.name: type("Approved", (), {"run": spec.runs[0]})() for spec in EXPERIMENTS}
    ensure_mlops(prov, options, approved)
    assert not [c for c in prov.tally.created if c.startswith(("project", "pipeline execution", "training job"))]

    sm = backend.client("sagemaker")
    assert sm.list_projects()["ProjectSummaryList"] == []
    assert sm.list_training_jobs()["TrainingJobSummaries"] == []
    for name in (BUILD_PIPELINE, SCORING_PIPELINE):
        assert sm.list_pipeline_executions(PipelineName=name)["PipelineExecutionSummaries"] == []
        tags = _tags(sm, sm.describe_pipeline(PipelineName=name)["PipelineArn"])
        assert tags == {DEMO_TAG["Key"]: DEMO_TAG["Value"]}
    scoring = json.loads(sm.describe_pipeline(PipelineName=SCORING_PIPELINE)["PipelineDefinition"])
    model = next(p for p in scoring["Parameters"] if p["Name"] == "ModelName")
    assert model["DefaultValue"] == f"diabetes-regression-{EXPERIMENTS[1].runs[0].name}"
    assert {g["FeatureGroupName"] for g in sm.list_feature_groups()["FeatureGroupSummaries"]} == {
        spec.name for spec in FEATURE_GROUPS
    }

    # Asked for later (--start-jobs): the same call adds exactly the executions and the job (not the sweep job,
    # whose experiment this test does not create).
    options.start_jobs = True
    again = Provisioner(session, REGION, backend.info["endpoint_url"], lambda msg: None)
    ensure_mlops(again, options, approved)
    assert sorted(again.tally.created) == sorted(
        [f"pipeline execution {p}/{d}" for p, d, _, _ in EXECUTIONS] + [f"training job {TRAINING_JOB}"]
    )
