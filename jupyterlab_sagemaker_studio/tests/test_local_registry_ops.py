"""The local backend's registry operations (projects, pipelines, feature groups, jobs, InvokeEndpoint), driven by
unchanged boto3 clients against the backend subprocess with a short ``SAGEMAKER_STUDIO_LOCAL_DELAY``."""

from __future__ import annotations

import json
from typing import Any

import pytest
from local_backend import LocalBackendProcess, StartBackend, error_of, wait_for

DELAY = 0.4
ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/SageMakerRole"


@pytest.fixture(scope="module")
def backend(start_module_backend: StartBackend) -> LocalBackendProcess:
    """One backend for the module; each test uses its own names."""
    return start_module_backend(delay=DELAY)


@pytest.fixture(scope="module")
def sm(backend: LocalBackendProcess) -> Any:
    return backend.client("sagemaker")


def definition(steps: list[dict[str, Any]], parameters: list[dict[str, Any]] | None = None) -> str:
    return json.dumps({"Version": "2020-12-01", "Parameters": parameters or [], "Steps": steps})


DAG = [
    {"Name": "Prepare", "Type": "Processing", "Arguments": {}},
    {"Name": "Train", "Type": "Training", "DependsOn": ["Prepare"], "Arguments": {}},
    {
        "Name": "Evaluate",
        "Type": "Processing",
        "Arguments": {"Model": {"Get": "Steps.Train.ModelArtifacts.S3ModelArtifacts"}},
    },
    {"Name": "Register", "Type": "RegisterModel", "DependsOn": ["Evaluate"], "Arguments": {}},
]
FAIL_PARAM = [
    {"Name": "LocalModeFailSteps", "Type": "String", "DefaultValue": ""},
    {"Name": "Epochs", "Type": "Integer", "DefaultValue": 3},
]


# --- pipelines ---------------------------------------------------------------------------------------------------


def test_pipeline_crud_versions_and_listing(sm: Any) -> None:
    arn = sm.create_pipeline(PipelineName="crud-pipe", PipelineDefinition=definition(DAG), RoleArn=ROLE)["PipelineArn"]
    assert arn == f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:pipeline/crud-pipe"
    described = sm.describe_pipeline(PipelineName="crud-pipe")
    assert described["PipelineStatus"] == "Active"
    assert described["PipelineDisplayName"] == "crud-pipe"
    assert json.loads(described["PipelineDefinition"])["Steps"][0]["Name"] == "Prepare"
    err = error_of(sm.create_pipeline, PipelineName="crud-pipe", PipelineDefinition=definition(DAG), RoleArn=ROLE)
    assert err["Code"] == "ValidationException" and "already exists" in err["Message"]

    updated = sm.update_pipeline(
        PipelineName="crud-pipe", PipelineDefinition=definition(DAG[:1]), PipelineDescription="smaller"
    )
    assert updated["PipelineVersionId"] == 2
    assert len(json.loads(sm.describe_pipeline(PipelineName="crud-pipe")["PipelineDefinition"])["Steps"]) == 1
    first = sm.describe_pipeline(PipelineName="crud-pipe", PipelineVersionId=1)
    assert len(json.loads(first["PipelineDefinition"])["Steps"]) == 4

    sm.create_pipeline(PipelineName="crud-other", PipelineDefinition=definition(DAG), RoleArn=ROLE)
    names = [
        p["PipelineName"]
        for p in sm.list_pipelines(PipelineNamePrefix="crud", SortBy="Name", SortOrder="Ascending")["PipelineSummaries"]
    ]
    assert names == ["crud-other", "crud-pipe"]
    page = sm.list_pipelines(PipelineNamePrefix="crud", MaxResults=1)
    assert len(page["PipelineSummaries"]) == 1 and "NextToken" in page

    sm.delete_pipeline(PipelineName="crud-other")
    err = error_of(sm.describe_pipeline, PipelineName="crud-other")
    assert err["Code"] == "ResourceNotFound"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("{not json", "not valid JSON"),
        (json.dumps({"Steps": []}), "non-empty Steps"),
        (definition([{"Name": "A", "Type": "Bogus"}]), "type 'Bogus'"),
        (definition([{"Name": "A", "Type": "Training", "DependsOn": ["Nope"]}]), "depends on Nope"),
        (
            definition(
                [
                    {"Name": "A", "Type": "Training", "DependsOn": ["B"]},
                    {"Name": "B", "Type": "Training", "DependsOn": ["A"]},
                ]
            ),
            "cycle",
        ),
        (definition([{"Name": "A", "Type": "Training"}, {"Name": "A", "Type": "Processing"}]), "more than once"),
    ],
)
def test_pipeline_definition_is_validated(sm: Any, text: str, needle: str) -> None:
    err = error_of(sm.create_pipeline, PipelineName="bad-pipe", PipelineDefinition=text, RoleArn=ROLE)
    assert err["Code"] == "ValidationException" and needle in err["Message"], err


def test_pipeline_model_validation(sm: Any) -> None:
    err = error_of(sm.create_pipeline, PipelineName="bad_name!", PipelineDefinition=definition(DAG), RoleArn=ROLE)
    assert err["Code"] == "ValidationException" and "pipelineName" in err["Message"]


def _steps(sm: Any, arn: str) -> dict[str, dict[str, Any]]:
    return {
        s["StepName"]: s
        for s in sm.list_pipeline_execution_steps(PipelineExecutionArn=arn, MaxResults=100)["PipelineExecutionSteps"]
    }


def test_execution_runs_steps_in_dag_order(sm: Any) -> None:
    sm.create_pipeline(PipelineName="dag-pipe", PipelineDefinition=definition(DAG, FAIL_PARAM), RoleArn=ROLE)
    arn = sm.start_pipeline_execution(PipelineName="dag-pipe", PipelineParameters=[{"Name": "Epochs", "Value": "5"}])[
        "PipelineExecutionArn"
    ]
    assert arn.startswith(f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:pipeline/dag-pipe/execution/")
    first = _steps(sm, arn)
    assert list(first) == ["Prepare"] and first["Prepare"]["StepStatus"] in ("Starting", "Executing")
    assert sm.describe_pipeline_execution(PipelineExecutionArn=arn)["PipelineExecutionStatus"] == "Executing"
    done = wait_for(
        lambda: sm.describe_pipeline_execution(PipelineExecutionArn=arn)["PipelineExecutionStatus"] == "Succeeded"
    )
    assert done
    steps = _steps(sm, arn)
    assert {s["StepStatus"] for s in steps.values()} == {"Succeeded"}
    # Each step starts no earlier than the steps it depends on (explicitly or through a Get) end.
    assert steps["Train"]["StartTime"] >= steps["Prepare"]["EndTime"]
    assert steps["Evaluate"]["StartTime"] >= steps["Train"]["EndTime"]
    assert steps["Register"]["StartTime"] >= steps["Evaluate"]["EndTime"]
    listed = sm.list_pipeline_execution_steps(PipelineExecutionArn=arn)["PipelineExecutionSteps"]
    assert [s["StepName"] for s in listed] == ["Register", "Evaluate", "Train", "Prepare"]
    params = sm.list_pipeline_parameters_for_execution(PipelineExecutionArn=arn)["PipelineParameters"]
    assert {p["Name"]: p["Value"] for p in params} == {"LocalModeFailSteps": "", "Epochs": "5"}
    definition_for = sm.describe_pipeline_definition_for_execution(PipelineExecutionArn=arn)
    assert json.loads(definition_for["PipelineDefinition"])["Steps"][1]["Name"] == "Train"
    summaries = sm.list_pipeline_executions(PipelineName="dag-pipe")["PipelineExecutionSummaries"]
    assert [s["PipelineExecutionArn"] for s in summaries] == [arn]
    assert summaries[0]["PipelineExecutionStatus"] == "Succeeded"
    assert sm.list_pipelines(PipelineNamePrefix="dag-pipe")["PipelineSummaries"][0]["LastExecutionTime"]


def test_execution_parameters_are_checked(sm: Any) -> None:
    sm.create_pipeline(PipelineName="param-pipe", PipelineDefinition=definition(DAG, FAIL_PARAM), RoleArn=ROLE)
    err = error_of(
        sm.start_pipeline_execution, PipelineName="param-pipe", PipelineParameters=[{"Name": "Nope", "Value": "1"}]
    )
    assert err["Code"] == "ValidationException" and "not declared" in err["Message"]
    err = error_of(
        sm.start_pipeline_execution, PipelineName="param-pipe", PipelineParameters=[{"Name": "Epochs", "Value": "many"}]
    )
    assert err["Code"] == "ValidationException" and "Integer" in err["Message"]
    err = error_of(sm.start_pipeline_execution, PipelineName="no-such-pipe")
    assert err["Code"] == "ResourceNotFound"
    err = error_of(
        sm.describe_pipeline_execution,
        PipelineExecutionArn=f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:pipeline/param-pipe/execution/zzzzzzzzzzzz",
    )
    assert err["Code"] == "ResourceNotFound"


def test_client_request_token_is_idempotent(sm: Any) -> None:
    sm.create_pipeline(PipelineName="token-pipe", PipelineDefinition=definition(DAG), RoleArn=ROLE)
    one = sm.start_pipeline_execution(PipelineName="token-pipe", ClientRequestToken="same-token-1234567890abcdef123456")
    two = sm.start_pipeline_execution(PipelineName="token-pipe", ClientRequestToken="same-token-1234567890abcdef123456")
    assert one["PipelineExecutionArn"] == two["PipelineExecutionArn"]


def test_failing_step_skips_dependants_and_retry_reruns_it(sm: Any) -> None:
    sm.create_pipeline(PipelineName="fail-pipe", PipelineDefinition=definition(DAG, FAIL_PARAM), RoleArn=ROLE)
    arn = sm.start_pipeline_execution(
        PipelineName="fail-pipe", PipelineParameters=[{"Name": "LocalModeFailSteps", "Value": "Train"}]
    )["PipelineExecutionArn"]
    failed = wait_for(
        lambda: (
            (d := sm.describe_pipeline_execution(PipelineExecutionArn=arn))["PipelineExecutionStatus"] == "Failed" and d
        )
    )
    assert "Step Train failed" in failed["FailureReason"]
    steps = _steps(sm, arn)
    assert steps["Prepare"]["StepStatus"] == "Succeeded"
    assert steps["Train"]["StepStatus"] == "Failed" and "LocalModeFailSteps" in steps["Train"]["FailureReason"]
    assert "Evaluate" not in steps and "Register" not in steps
    summary = sm.list_pipeline_executions(PipelineName="fail-pipe")["PipelineExecutionSummaries"][0]
    assert summary["PipelineExecutionFailureReason"] == failed["FailureReason"]

    err = error_of(sm.stop_pipeline_execution, PipelineExecutionArn=arn)
    assert err["Code"] == "ValidationException" and "only an Executing" in err["Message"]
    sm.retry_pipeline_execution(PipelineExecutionArn=arn)
    assert sm.describe_pipeline_execution(PipelineExecutionArn=arn)["PipelineExecutionStatus"] == "Executing"
    wait_for(lambda: sm.describe_pipeline_execution(PipelineExecutionArn=arn)["PipelineExecutionStatus"] == "Succeeded")
    steps = _steps(sm, arn)
    assert steps["Train"]["AttemptCount"] == 2 and steps["Train"]["StepStatus"] == "Succeeded"
    assert steps["Register"]["StepStatus"] == "Succeeded"
    err = error_of(sm.retry_pipeline_execution, PipelineExecutionArn=arn)
    assert err["Code"] == "ConflictException"


def test_fail_step_reports_its_error_message(sm: Any) -> None:
    steps = [
        {"Name": "Check", "Type": "Condition", "Arguments": {}},
        {
            "Name": "Stop",
            "Type": "Fail",
            "DependsOn": ["Check"],
            "Arguments": {"ErrorMessage": {"Get": "Parameters.Why"}},
        },
    ]
    sm.create_pipeline(
        PipelineName="failstep-pipe",
        PipelineDefinition=definition(steps, [{"Name": "Why", "Type": "String", "DefaultValue": "accuracy too low"}]),
        RoleArn=ROLE,
    )
    arn = sm.start_pipeline_execution(PipelineName="failstep-pipe")["PipelineExecutionArn"]
    wait_for(lambda: sm.describe_pipeline_execution(PipelineExecutionArn=arn)["PipelineExecutionStatus"] == "Failed")
    found = _steps(sm, arn)
    assert found["Check"]["Metadata"] == {"Condition": {"Outcome": "True"}}
    assert found["Stop"]["FailureReason"] == "accuracy too low"
    assert found["Stop"]["Metadata"] == {"Fail": {"ErrorMessage": "accuracy too low"}}


def test_stop_execution(sm: Any) -> None:
    sm.create_pipeline(PipelineName="stop-pipe", PipelineDefinition=definition(DAG), RoleArn=ROLE)
    arn = sm.start_pipeline_execution(PipelineName="stop-pipe")["PipelineExecutionArn"]
    sm.stop_pipeline_execution(PipelineExecutionArn=arn)
    described = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
    assert described["PipelineExecutionStatus"] in ("Stopping", "Stopped")
    wait_for(lambda: sm.describe_pipeline_execution(PipelineExecutionArn=arn)["PipelineExecutionStatus"] == "Stopped")
    steps = _steps(sm, arn)
    assert steps["Prepare"]["StepStatus"] == "Stopped" and "Train" not in steps


# --- training and processing jobs ---------------------------------------------------------------------------------


def training_request(name: str, **extra: Any) -> dict[str, Any]:
    return {
        "TrainingJobName": name,
        "AlgorithmSpecification": {
            "TrainingImage": "123.dkr.ecr.us-east-1.amazonaws.com/xgb:1",
            "TrainingInputMode": "File",
        },
        "RoleArn": ROLE,
        "OutputDataConfig": {"S3OutputPath": "s3://bucket/output/"},
        "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 10},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
        **extra,
    }


def test_training_job_progresses_to_completed(sm: Any) -> None:
    arn = sm.create_training_job(**training_request("train-ok"))["TrainingJobArn"]
    assert arn == f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:training-job/train-ok"
    first = sm.describe_training_job(TrainingJobName="train-ok")
    assert first["TrainingJobStatus"] == "InProgress" and first["SecondaryStatus"] in ("Starting", "Downloading")
    seen = set()

    def completed() -> bool:
        job = sm.describe_training_job(TrainingJobName="train-ok")
        seen.add(job["SecondaryStatus"])
        return job["TrainingJobStatus"] == "Completed"

    wait_for(completed)
    job = sm.describe_training_job(TrainingJobName="train-ok")
    assert job["ModelArtifacts"]["S3ModelArtifacts"] == "s3://bucket/output/train-ok/output/model.tar.gz"
    assert [t["Status"] for t in job["SecondaryStatusTransitions"]] == [
        "Starting",
        "Downloading",
        "Training",
        "Uploading",
        "Completed",
    ]
    assert job["TrainingEndTime"] > job["TrainingStartTime"] and "Training" in seen | {"Training"}
    err = error_of(sm.create_training_job, **training_request("train-ok"))
    assert err["Code"] == "ResourceInUse"
    err = error_of(sm.stop_training_job, TrainingJobName="train-ok")
    assert err["Code"] == "ValidationException" and "Completed" in err["Message"]
    listed = sm.list_training_jobs(NameContains="train-ok", StatusEquals="Completed")["TrainingJobSummaries"]
    assert [j["TrainingJobName"] for j in listed] == ["train-ok"]


def test_training_job_stop_and_failure_tag(sm: Any) -> None:
    sm.create_training_job(
        **training_request("train-stop", Tags=[{"Key": "sagemaker-studio:local-duration-seconds", "Value": "60"}])
    )
    sm.stop_training_job(TrainingJobName="train-stop")
    job = sm.describe_training_job(TrainingJobName="train-stop")
    assert job["TrainingJobStatus"] == "Stopping" and job["SecondaryStatus"] == "Stopping"
    wait_for(lambda: sm.describe_training_job(TrainingJobName="train-stop")["TrainingJobStatus"] == "Stopped")
    assert sm.describe_training_job(TrainingJobName="train-stop")["SecondaryStatus"] == "Stopped"
    running = sm.list_training_jobs(StatusEquals="InProgress", NameContains="train-stop")["TrainingJobSummaries"]
    assert running == []

    sm.create_training_job(
        **training_request(
            "train-bad",
            Tags=[{"Key": "sagemaker-studio:local-failure-reason", "Value": "AlgorithmError: out of memory"}],
        )
    )
    wait_for(lambda: sm.describe_training_job(TrainingJobName="train-bad")["TrainingJobStatus"] == "Failed")
    assert sm.describe_training_job(TrainingJobName="train-bad")["FailureReason"] == "AlgorithmError: out of memory"


def test_training_job_validation(sm: Any) -> None:
    request = training_request("train-invalid")
    del request["ResourceConfig"]
    err = error_of(sm.create_training_job, **request)
    assert err["Code"] == "ValidationException" and "ResourceConfig" in err["Message"]
    err = error_of(sm.describe_training_job, TrainingJobName="train-missing")
    assert err["Code"] == "ResourceNotFound"


def test_processing_job_lifecycle(sm: Any) -> None:
    request = {
        "ProcessingJobName": "proc-1",
        "ProcessingResources": {
            "ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 5}
        },
        "AppSpecification": {"ImageUri": "123.dkr.ecr.us-east-1.amazonaws.com/proc:1"},
        "RoleArn": ROLE,
    }
    sm.create_processing_job(**request)
    assert sm.describe_processing_job(ProcessingJobName="proc-1")["ProcessingJobStatus"] == "InProgress"
    wait_for(lambda: sm.describe_processing_job(ProcessingJobName="proc-1")["ProcessingJobStatus"] == "Completed")
    sm.create_processing_job(
        **{
            **request,
            "ProcessingJobName": "proc-2",
            "Tags": [{"Key": "sagemaker-studio:local-duration-seconds", "Value": "60"}],
        }
    )
    sm.stop_processing_job(ProcessingJobName="proc-2")
    wait_for(lambda: sm.describe_processing_job(ProcessingJobName="proc-2")["ProcessingJobStatus"] == "Stopped")
    names = [
        j["ProcessingJobName"]
        for j in sm.list_processing_jobs(NameContains="proc-", SortBy="Name", SortOrder="Ascending")[
            "ProcessingJobSummaries"
        ]
    ]
    assert names == ["proc-1", "proc-2"]


# --- feature groups and projects -------------------------------------------------------------------------------


FEATURES = [
    {"FeatureName": "customer_id", "FeatureType": "String"},
    {"FeatureName": "event_time", "FeatureType": "Fractional"},
    {"FeatureName": "spend", "FeatureType": "Fractional"},
]


def test_feature_group_lifecycle(sm: Any) -> None:
    arn = sm.create_feature_group(
        FeatureGroupName="customers",
        RecordIdentifierFeatureName="customer_id",
        EventTimeFeatureName="event_time",
        FeatureDefinitions=FEATURES,
        OnlineStoreConfig={"EnableOnlineStore": True},
        OfflineStoreConfig={"S3StorageConfig": {"S3Uri": "s3://bucket/fs"}},
        RoleArn=ROLE,
    )["FeatureGroupArn"]
    assert arn == f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:feature-group/customers"
    assert sm.describe_feature_group(FeatureGroupName="customers")["FeatureGroupStatus"] == "Creating"
    wait_for(lambda: sm.describe_feature_group(FeatureGroupName="customers")["FeatureGroupStatus"] == "Created")
    group = sm.describe_feature_group(FeatureGroupName="customers")
    assert group["OfflineStoreStatus"] == {"Status": "Active"}
    assert group["OfflineStoreConfig"]["S3StorageConfig"]["ResolvedOutputS3Uri"].startswith(
        f"s3://bucket/fs/{ACCOUNT}/sagemaker/us-east-1/offline-store/customers-"
    )
    assert [f["FeatureName"] for f in group["FeatureDefinitions"]] == ["customer_id", "event_time", "spend"]
    listed = sm.list_feature_groups(NameContains="custom", FeatureGroupStatusEquals="Created")["FeatureGroupSummaries"]
    assert [g["FeatureGroupName"] for g in listed] == ["customers"]
    sm.delete_feature_group(FeatureGroupName="customers")
    wait_for(lambda: not sm.list_feature_groups(NameContains="customers")["FeatureGroupSummaries"])
    assert error_of(sm.describe_feature_group, FeatureGroupName="customers")["Code"] == "ResourceNotFound"


def test_feature_group_validation(sm: Any) -> None:
    base = dict(
        FeatureGroupName="fg-bad",
        RecordIdentifierFeatureName="customer_id",
        EventTimeFeatureName="event_time",
        FeatureDefinitions=FEATURES,
        OnlineStoreConfig={"EnableOnlineStore": True},
    )
    err = error_of(sm.create_feature_group, **{**base, "EventTimeFeatureName": "missing"})
    assert err["Code"] == "ValidationException" and "missing" in err["Message"]
    err = error_of(
        sm.create_feature_group, **{**base, "OfflineStoreConfig": {"S3StorageConfig": {"S3Uri": "s3://b/fs"}}}
    )
    assert err["Code"] == "ValidationException" and "RoleArn is required" in err["Message"]
    err = error_of(sm.create_feature_group, **{**base, "OnlineStoreConfig": {"EnableOnlineStore": False}})
    assert "online store" in err["Message"]
    err = error_of(
        sm.create_feature_group,
        **{
            **base,
            "FeatureDefinitions": FEATURES + [{"FeatureName": "n", "FeatureType": "Integral"}],
            "EventTimeFeatureName": "n",
        },
    )
    assert "String (ISO 8601) or Fractional" in err["Message"]
    err = error_of(
        sm.create_feature_group,
        **{**base, "FeatureDefinitions": FEATURES + [{"FeatureName": "write_time", "FeatureType": "String"}]},
    )
    assert "reserved" in err["Message"]
    sm.create_feature_group(**{**base, "FeatureGroupName": "fg-twice"})
    assert error_of(sm.create_feature_group, **{**base, "FeatureGroupName": "fg-twice"})["Code"] == "ResourceInUse"


def test_project_lifecycle_and_tags(sm: Any) -> None:
    created = sm.create_project(
        ProjectName="churn",
        ProjectDescription="Churn model",
        ServiceCatalogProvisioningDetails={"ProductId": "prod-abc123", "ProvisioningArtifactId": "pa-abc123"},
    )
    assert created["ProjectArn"] == f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:project/churn"
    assert created["ProjectId"].startswith("p-") and len(created["ProjectId"]) == 14
    project = sm.describe_project(ProjectName="churn")
    assert project["ProjectStatus"] == "CreateInProgress"
    assert project["ServiceCatalogProvisioningDetails"]["ProductId"] == "prod-abc123"
    assert error_of(sm.delete_project, ProjectName="churn")["Code"] == "ConflictException"
    wait_for(lambda: sm.describe_project(ProjectName="churn")["ProjectStatus"] == "CreateCompleted")
    listed = sm.list_projects(NameContains="chu")["ProjectSummaryList"]
    assert [(p["ProjectName"], p["ProjectStatus"]) for p in listed] == [("churn", "CreateCompleted")]

    # A resource tagged with the project's name gets the project id tag too, as AWS's project tags go together.
    pipe = sm.create_pipeline(
        PipelineName="churn-pipe",
        PipelineDefinition=definition(DAG),
        RoleArn=ROLE,
        Tags=[{"Key": "sagemaker:project-name", "Value": "churn"}],
    )["PipelineArn"]
    tags = {t["Key"]: t["Value"] for t in sm.list_tags(ResourceArn=pipe)["Tags"]}
    assert tags == {"sagemaker:project-name": "churn", "sagemaker:project-id": created["ProjectId"]}

    sm.delete_project(ProjectName="churn")
    assert sm.describe_project(ProjectName="churn")["ProjectStatus"] == "DeleteInProgress"
    wait_for(lambda: not sm.list_projects(NameContains="churn")["ProjectSummaryList"])
    assert error_of(sm.describe_project, ProjectName="churn")["Code"] == "ValidationException"


# --- InvokeEndpoint ---------------------------------------------------------------------------------------------


def test_invoke_endpoint_errors(backend: LocalBackendProcess, sm: Any) -> None:
    runtime = backend.client("sagemaker-runtime")
    err = error_of(runtime.invoke_endpoint, EndpointName="nowhere", Body=b"{}", ContentType="application/json")
    assert err["Code"] == "ValidationError"
    assert err["Message"] == f"Endpoint nowhere of account {ACCOUNT} not found."

    sm.create_model(ModelName="inv-model", PrimaryContainer={"Image": "img:1"}, ExecutionRoleArn=ROLE)
    sm.create_endpoint_config(
        EndpointConfigName="inv-config",
        ProductionVariants=[
            {"VariantName": "v", "ModelName": "inv-model", "InstanceType": "ml.m5.large", "InitialInstanceCount": 1}
        ],
    )
    sm.create_endpoint(EndpointName="inv-endpoint", EndpointConfigName="inv-config")
    err = error_of(runtime.invoke_endpoint, EndpointName="inv-endpoint", Body=b"{}", ContentType="application/json")
    assert err["Code"] == "ValidationError" and "InService" in err["Message"]
    wait_for(lambda: sm.describe_endpoint(EndpointName="inv-endpoint")["EndpointStatus"] == "InService")
    with pytest.raises(runtime.exceptions.ModelError) as info:
        runtime.invoke_endpoint(EndpointName="inv-endpoint", Body=b'{"x": 1}', ContentType="application/json")
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 424
    assert "model containers do not run in local mode" in info.value.response["Error"]["Message"]


# --- persistence ------------------------------------------------------------------------------------------------


def test_pipelines_and_jobs_survive_a_restart(start_backend: StartBackend) -> None:
    backend = start_backend(delay=DELAY)
    sm = backend.client("sagemaker")
    sm.create_pipeline(PipelineName="keep-pipe", PipelineDefinition=definition(DAG, FAIL_PARAM), RoleArn=ROLE)
    arn = sm.start_pipeline_execution(PipelineName="keep-pipe")["PipelineExecutionArn"]
    sm.create_training_job(**training_request("keep-train"))
    sm.create_feature_group(
        FeatureGroupName="keep-fg",
        RecordIdentifierFeatureName="customer_id",
        EventTimeFeatureName="event_time",
        FeatureDefinitions=FEATURES,
        OnlineStoreConfig={"EnableOnlineStore": True},
    )
    backend.restart()
    sm = backend.client("sagemaker")
    # Progress continues across the restart, computed from the stored times.
    wait_for(lambda: sm.describe_pipeline_execution(PipelineExecutionArn=arn)["PipelineExecutionStatus"] == "Succeeded")
    assert len(_steps(sm, arn)) == 4
    wait_for(lambda: sm.describe_training_job(TrainingJobName="keep-train")["TrainingJobStatus"] == "Completed")
    backend.restart(sig=9)
    sm = backend.client("sagemaker")
    assert sm.describe_pipeline_execution(PipelineExecutionArn=arn)["PipelineExecutionStatus"] == "Succeeded"
    assert sm.describe_training_job(TrainingJobName="keep-train")["TrainingJobStatus"] == "Completed"
    assert sm.describe_feature_group(FeatureGroupName="keep-fg")["FeatureGroupStatus"] == "Created"
    assert (
        json.loads(sm.describe_pipeline(PipelineName="keep-pipe")["PipelineDefinition"])["Steps"][0]["Name"]
        == "Prepare"
    )
