"""Jobs created with an ExperimentConfig get their trial component, as in AWS: named after the job, sourced from
it, with its settings and hyperparameters as parameters, its status following the job, in the named trial.
Real HTTP, boto3, a backend subprocess."""

from __future__ import annotations

from typing import Any

import pytest
from local_backend import LocalBackendProcess, StartBackend, error_of, wait_for

DELAY = 0.4
ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/SageMakerRole"
IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"


@pytest.fixture(scope="module")
def backend(start_module_backend: StartBackend) -> LocalBackendProcess:
    return start_module_backend(delay=DELAY)


@pytest.fixture(scope="module")
def sm(backend: LocalBackendProcess) -> Any:
    client = backend.client("sagemaker")
    # These tests run several 2-instance ml.m5.xlarge jobs at once, beyond the local account's quota of 2.
    quotas = backend.client("service-quotas")
    pages = quotas.get_paginator("list_service_quotas").paginate(ServiceCode="sagemaker")
    code = next(q["QuotaCode"] for p in pages for q in p["Quotas"] if q["QuotaName"].startswith("ml.m5.xlarge "))
    quotas.request_service_quota_increase(ServiceCode="sagemaker", QuotaCode=code, DesiredValue=100)
    client.create_experiment(ExperimentName="jobs-exp")
    client.create_trial(TrialName="sweep", ExperimentName="jobs-exp")
    client.create_experiment(ExperimentName="other-exp")
    client.create_trial(TrialName="other-trial", ExperimentName="other-exp")
    return client


def training_request(name: str, **extra: Any) -> dict[str, Any]:
    request = {
        "TrainingJobName": name,
        "AlgorithmSpecification": {"TrainingImage": IMAGE, "TrainingInputMode": "File"},
        "RoleArn": ROLE,
        "InputDataConfig": [
            {
                "ChannelName": "train",
                "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://bucket/data/train"}},
            }
        ],
        "OutputDataConfig": {"S3OutputPath": "s3://bucket/output"},
        "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 2, "VolumeSizeInGB": 30},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
        "HyperParameters": {"max_depth": "5", "eta": "0.2", "objective": "binary:logistic"},
    }
    request.update(extra)
    return request


def search_components(sm: Any, *filters: dict[str, str]) -> list[dict[str, Any]]:
    results = sm.search(
        Resource="ExperimentTrialComponent", SearchExpression={"Filters": list(filters)}, MaxResults=100
    )["Results"]
    return [r["TrialComponent"] for r in results]


def test_training_job_creates_its_trial_component(sm: Any) -> None:
    config = {"ExperimentName": "jobs-exp", "TrialName": "sweep", "TrialComponentDisplayName": "depth-5"}
    job_arn = sm.create_training_job(**training_request("gbm-depth-5", ExperimentConfig=config))["TrainingJobArn"]
    component = sm.describe_trial_component(TrialComponentName="gbm-depth-5-aws-training-job")
    assert component["TrialComponentArn"] == (
        f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:experiment-trial-component/gbm-depth-5-aws-training-job"
    )
    assert component["DisplayName"] == "depth-5"
    assert component["Source"] == {"SourceArn": job_arn, "SourceType": "SageMakerTrainingJob"}
    assert component["Status"]["PrimaryStatus"] == "InProgress"
    assert component["Parameters"] == {
        "SageMaker.ImageUri": {"StringValue": IMAGE},
        "SageMaker.InstanceType": {"StringValue": "ml.m5.xlarge"},
        "SageMaker.InstanceCount": {"NumberValue": 2.0},
        "SageMaker.VolumeSizeInGB": {"NumberValue": 30.0},
        "max_depth": {"StringValue": "5"},
        "eta": {"StringValue": "0.2"},
        "objective": {"StringValue": "binary:logistic"},
    }
    assert component["InputArtifacts"] == {"train": {"Value": "s3://bucket/data/train"}}
    listed = sm.list_trial_components(TrialName="sweep")["TrialComponentSummaries"]
    assert [c["TrialComponentName"] for c in listed] == ["gbm-depth-5-aws-training-job"]
    by_source = sm.list_trial_components(SourceArn=job_arn)["TrialComponentSummaries"]
    assert [c["TrialComponentName"] for c in by_source] == ["gbm-depth-5-aws-training-job"]

    # The component follows the job to Completed, with the job's end and model artifact.
    wait_for(lambda: sm.describe_training_job(TrainingJobName="gbm-depth-5")["TrainingJobStatus"] == "Completed")
    job = sm.describe_training_job(TrainingJobName="gbm-depth-5")
    (found,) = search_components(sm, {"Name": "Source.SourceArn", "Operator": "Equals", "Value": job_arn})
    assert found["Status"]["PrimaryStatus"] == "Completed"
    assert found["EndTime"] == job["TrainingEndTime"]
    assert found["OutputArtifacts"] == {"SageMaker.ModelArtifact": {"Value": job["ModelArtifacts"]["S3ModelArtifacts"]}}
    assert found["Parents"] == [{"TrialName": "sweep", "ExperimentName": "jobs-exp"}]
    # What the experiments list's "show jobs" toggle filters on.
    jobs = search_components(
        sm,
        {"Name": "Parents.ExperimentName", "Operator": "Equals", "Value": "jobs-exp"},
        {"Name": "Source.SourceType", "Operator": "Equals", "Value": "SageMakerTrainingJob"},
    )
    assert [c["TrialComponentName"] for c in jobs] == ["gbm-depth-5-aws-training-job"]
    # No ExperimentConfig: no component.
    sm.create_training_job(**training_request("no-config"))
    assert search_components(sm, {"Name": "TrialComponentName", "Operator": "Contains", "Value": "no-config"}) == []


def test_stopped_and_failed_jobs_components_follow(sm: Any) -> None:
    config = {"ExperimentName": "jobs-exp", "TrialName": "sweep"}
    long = [{"Key": "sagemaker-studio:local-duration-seconds", "Value": "60"}]
    sm.create_training_job(**training_request("gbm-stop", ExperimentConfig=config, Tags=long))
    sm.stop_training_job(TrainingJobName="gbm-stop")
    name = "gbm-stop-aws-training-job"
    assert sm.describe_trial_component(TrialComponentName=name)["Status"]["PrimaryStatus"] == "Stopping"
    wait_for(lambda: sm.describe_trial_component(TrialComponentName=name)["Status"]["PrimaryStatus"] == "Stopped")
    assert "EndTime" in sm.describe_trial_component(TrialComponentName=name)

    failure = [{"Key": "sagemaker-studio:local-failure-reason", "Value": "AlgorithmError: out of memory"}]
    sm.create_training_job(**training_request("gbm-fail", ExperimentConfig=config, Tags=failure))
    name = "gbm-fail-aws-training-job"
    wait_for(lambda: sm.describe_trial_component(TrialComponentName=name)["Status"]["PrimaryStatus"] == "Failed")
    assert sm.describe_trial_component(TrialComponentName=name)["Status"]["Message"] == "AlgorithmError: out of memory"


def test_processing_and_transform_jobs(sm: Any) -> None:
    sm.create_processing_job(
        ProcessingJobName="prep-1",
        ProcessingResources={"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 5}},
        AppSpecification={"ImageUri": "123.dkr.ecr.us-east-1.amazonaws.com/proc:1"},
        ProcessingInputs=[
            {
                "InputName": "raw",
                "S3Input": {
                    "S3Uri": "s3://bucket/raw",
                    "LocalPath": "/opt/ml/processing/input",
                    "S3DataType": "S3Prefix",
                    "S3InputMode": "File",
                },
            }
        ],
        RoleArn=ROLE,
        ExperimentConfig={"ExperimentName": "jobs-exp", "TrialName": "sweep"},
    )
    component = sm.describe_trial_component(TrialComponentName="prep-1-aws-processing-job")
    assert component["Source"]["SourceType"] == "SageMakerProcessingJob"
    assert component["Parameters"]["SageMaker.InstanceType"] == {"StringValue": "ml.m5.large"}
    assert component["InputArtifacts"] == {"raw": {"Value": "s3://bucket/raw"}}

    sm.create_model(ModelName="jobs-model", PrimaryContainer={"Image": IMAGE}, ExecutionRoleArn=ROLE)
    sm.create_transform_job(
        TransformJobName="score-1",
        ModelName="jobs-model",
        TransformInput={"DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://bucket/in"}}},
        TransformOutput={"S3OutputPath": "s3://bucket/out"},
        TransformResources={"InstanceType": "ml.m5.large", "InstanceCount": 1},
        ExperimentConfig={"ExperimentName": "jobs-exp"},
    )
    name = "score-1-aws-transform-job"
    component = sm.describe_trial_component(TrialComponentName=name)
    assert component["Source"]["SourceType"] == "SageMakerTransformJob"
    # An experiment without a trial: the job gets a new trial in that experiment.
    (trial,) = [t for t in sm.list_trials(ExperimentName="jobs-exp")["TrialSummaries"] if t["TrialName"] == name]
    assert trial["TrialSource"]["SourceType"] == "SageMakerTransformJob"
    wait_for(lambda: sm.describe_trial_component(TrialComponentName=name)["Status"]["PrimaryStatus"] == "Completed")


def test_experiment_config_is_checked(sm: Any) -> None:
    err = error_of(sm.create_training_job, **training_request("bad-1", ExperimentConfig={"ExperimentName": "nope"}))
    assert err["Code"] == "ResourceNotFound" and "nope" in err["Message"]
    err = error_of(
        sm.create_training_job,
        **training_request("bad-2", ExperimentConfig={"ExperimentName": "jobs-exp", "TrialName": "nope"}),
    )
    assert err["Code"] == "ResourceNotFound"
    err = error_of(
        sm.create_training_job,
        **training_request("bad-3", ExperimentConfig={"ExperimentName": "jobs-exp", "TrialName": "other-trial"}),
    )
    assert err["Code"] == "ValidationException" and "other-exp" in err["Message"]
    err = error_of(sm.create_training_job, **training_request("bad-4", ExperimentConfig={"ExperimentName": "a_b"}))
    assert err["Code"] == "ValidationException" and "experimentName" in err["Message"]
    # A refused config creates nothing: the job name is still free.
    for name in ("bad-1", "bad-2", "bad-3"):
        assert error_of(sm.describe_training_job, TrainingJobName=name)["Code"] == "ResourceNotFound"


def test_training_jobs_are_searched_by_tag_with_their_status(sm: Any) -> None:
    """How the JumpStart "launched" list finds fine-tuning jobs: Search on TrainingJob by the SDK's model-id tag."""
    tag = {"Key": "sagemaker-sdk:jumpstart-model-id", "Value": "pytorch-ic-mobilenet-v2"}
    failure = {"Key": "sagemaker-studio:local-failure-reason", "Value": "AlgorithmError: bad data"}
    sm.create_training_job(**training_request("js-tuned", Tags=[tag]))
    sm.create_training_job(**training_request("js-tuned-fail", Tags=[tag, failure]))
    sm.create_training_job(**training_request("not-jumpstart"))
    expression = {"Filters": [{"Name": "Tags.sagemaker-sdk:jumpstart-model-id", "Operator": "Exists"}]}

    def found() -> dict[str, dict[str, Any]]:
        results = sm.search(Resource="TrainingJob", SearchExpression=expression, MaxResults=100)["Results"]
        return {r["TrainingJob"]["TrainingJobName"]: r["TrainingJob"] for r in results}

    assert set(found()) == {"js-tuned", "js-tuned-fail"}
    wait_for(lambda: found()["js-tuned-fail"]["TrainingJobStatus"] == "Failed")
    failed = found()["js-tuned-fail"]
    assert failed["FailureReason"] == "AlgorithmError: bad data"
    assert tag in failed["Tags"]
    by_name = sm.search(
        Resource="TrainingJob",
        SearchExpression={"Filters": [{"Name": "TrainingJobName", "Operator": "Contains", "Value": "TUNED"}]},
    )["Results"]
    assert {r["TrainingJob"]["TrainingJobName"] for r in by_name} == {"js-tuned", "js-tuned-fail"}
