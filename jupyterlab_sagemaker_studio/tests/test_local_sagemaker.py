"""Conformance of the local backend's SageMaker API, driven over real HTTP by unchanged boto3 clients.

The backend runs as ``python -m jupyterlab_sagemaker_studio.local`` in a subprocess (as kernels and benchmarks
use it), with ``SAGEMAKER_STUDIO_LOCAL_DELAY`` set low so endpoint transitions take half a second.
"""

from __future__ import annotations

import json
import math
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError
from local_backend import LocalBackendProcess, StartBackend

DELAY = 0.5
ACCOUNT = "123456789012"


@pytest.fixture(scope="module")
def backend(start_module_backend: StartBackend) -> LocalBackendProcess:
    """One backend shared by the tests of this module (each test uses its own resource names)."""
    return start_module_backend(delay=DELAY)


@pytest.fixture
def fresh_backend(start_backend: StartBackend) -> LocalBackendProcess:
    """A backend with an empty data directory (for tests that count every resource)."""
    return start_backend(delay=DELAY)


@pytest.fixture(scope="module")
def sm(backend: LocalBackendProcess) -> Any:
    return backend.client("sagemaker")


@pytest.fixture(scope="module")
def sm_unchecked(backend: LocalBackendProcess) -> Any:
    """A client that sends what it is given (botocore's own parameter validation off), to test the server's."""
    return backend.client("sagemaker", parameter_validation=False)


def raw(backend: LocalBackendProcess, target: str, body: bytes) -> tuple[int, dict[str, str], dict[str, Any]]:
    """POST a signed JSON 1.1 request with an arbitrary body; ``(status, headers, parsed body)``."""
    request = AWSRequest(
        method="POST",
        url=backend.info["endpoint_url"] + "/",
        data=body,
        headers={"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1"},
    )
    creds = Credentials(backend.info["access_key"], backend.info["secret_key"])
    SigV4Auth(creds, "sagemaker", backend.info["region"]).add_auth(request)
    req = urllib.request.Request(request.url, data=body, headers=dict(request.headers.items()), method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            status, headers, payload = resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        status, headers, payload = err.code, err.headers, err.read()
    # Header names are case-insensitive; compare them in lower case.
    return status, {k.lower(): v for k, v in headers.items()}, json.loads(payload or b"{}")


def error_of(call: Any, **kwargs: Any) -> tuple[str, str, int]:
    """``(code, message, HTTP status)`` of a call that must fail."""
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    err = info.value.response
    return err["Error"]["Code"], err["Error"]["Message"], err["ResponseMetadata"]["HTTPStatusCode"]


def arn(kind: str, name: str) -> str:
    return f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:{kind}/{name.lower()}"


def wait_for_status(sm: Any, name: str, status: str, timeout: float = 10.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        desc = sm.describe_endpoint(EndpointName=name)
        if desc["EndpointStatus"] == status or time.monotonic() > deadline:
            return desc
        time.sleep(0.1)


# --- experiments, trials, trial components ---------------------------------------------------------------------


def test_experiment_create_describe_update_delete(sm: Any) -> None:
    before = time.time()
    out = sm.create_experiment(ExperimentName="Churn-Exp", Description="first", Tags=[{"Key": "team", "Value": "ml"}])
    assert out["ExperimentArn"] == arn("experiment", "churn-exp")

    desc = sm.describe_experiment(ExperimentName="Churn-Exp")
    assert desc["ExperimentName"] == "Churn-Exp"
    assert desc["DisplayName"] == "Churn-Exp"
    assert desc["Description"] == "first"
    assert desc["CreatedBy"] == {} and desc["LastModifiedBy"] == {}
    assert before - 1 <= desc["CreationTime"].timestamp() <= time.time() + 1
    assert "Tags" not in desc

    # Names are case-insensitive, as in AWS: the same ARN cannot be created twice.
    code, message, status = error_of(sm.create_experiment, ExperimentName="churn-exp")
    assert (code, status) == ("ValidationException", 400)
    assert "already exists" in message

    sm.update_experiment(ExperimentName="Churn-Exp", DisplayName="Churn", Description="second")
    desc2 = sm.describe_experiment(ExperimentName="churn-exp")
    assert (desc2["DisplayName"], desc2["Description"]) == ("Churn", "second")
    assert desc2["LastModifiedTime"] >= desc["LastModifiedTime"]

    assert any(s["ExperimentName"] == "Churn-Exp" for s in sm.list_experiments(MaxResults=100)["ExperimentSummaries"])
    assert sm.delete_experiment(ExperimentName="Churn-Exp")["ExperimentArn"] == out["ExperimentArn"]
    code, message, _ = error_of(sm.describe_experiment, ExperimentName="Churn-Exp")
    assert code == "ResourceNotFound"
    assert "does not exist" in message


def test_trials_components_association_and_filters(sm: Any) -> None:
    sm.create_experiment(ExperimentName="assoc-exp")
    code, _, _ = error_of(sm.create_trial, TrialName="t-orphan", ExperimentName="no-such-exp")
    assert code == "ResourceNotFound"

    trial_arn = sm.create_trial(TrialName="assoc-trial", ExperimentName="assoc-exp")["TrialArn"]
    assert trial_arn == arn("experiment-trial", "assoc-trial")
    sm.create_trial(TrialName="assoc-trial-2", ExperimentName="assoc-exp")
    start = time.time() - 60
    tc_arn = sm.create_trial_component(
        TrialComponentName="assoc-tc",
        DisplayName="Run-1",
        Status={"PrimaryStatus": "InProgress", "Message": "training"},
        StartTime=start,
        Parameters={"lr": {"NumberValue": 0.1}, "algo": {"StringValue": "gbm"}, "depth": {"NumberValue": 3}},
        InputArtifacts={"train": {"Value": "s3://bucket/train.csv", "MediaType": "text/csv"}},
    )["TrialComponentArn"]
    assert tc_arn == arn("experiment-trial-component", "assoc-tc")
    sm.create_trial_component(TrialComponentName="assoc-tc-lonely")

    out = sm.associate_trial_component(TrialComponentName="assoc-tc", TrialName="assoc-trial")
    assert out == {"TrialComponentArn": tc_arn, "TrialArn": trial_arn, "ResponseMetadata": out["ResponseMetadata"]}
    sm.associate_trial_component(TrialComponentName="assoc-tc", TrialName="assoc-trial")  # twice is harmless

    by_experiment = sm.list_trial_components(ExperimentName="assoc-exp")["TrialComponentSummaries"]
    assert [s["TrialComponentName"] for s in by_experiment] == ["assoc-tc"]
    assert by_experiment[0]["DisplayName"] == "Run-1"
    assert by_experiment[0]["Status"]["PrimaryStatus"] == "InProgress"
    by_trial = sm.list_trial_components(TrialName="assoc-trial-2")["TrialComponentSummaries"]
    assert by_trial == []
    trials = sm.list_trials(TrialComponentName="assoc-tc")["TrialSummaries"]
    assert [t["TrialName"] for t in trials] == ["assoc-trial"]
    exp_trials = sm.list_trials(ExperimentName="assoc-exp", SortBy="Name", SortOrder="Ascending")["TrialSummaries"]
    assert [t["TrialName"] for t in exp_trials] == ["assoc-trial", "assoc-trial-2"]
    code, _, _ = error_of(sm.list_trials, ExperimentName="missing-exp")
    assert code == "ResourceNotFound"
    code, message, _ = error_of(sm.list_trial_components, ExperimentName="assoc-exp", TrialName="assoc-trial")
    assert code == "ValidationException" and "Only one of" in message

    sm.update_trial_component(
        TrialComponentName="assoc-tc",
        Status={"PrimaryStatus": "Completed"},
        EndTime=time.time(),
        Parameters={"lr": {"NumberValue": 0.05}, "_seed": {"NumberValue": 7}},
        ParametersToRemove=["algo"],
    )
    desc = sm.describe_trial_component(TrialComponentName=tc_arn)  # by ARN as well as by name
    assert desc["Parameters"] == {
        "lr": {"NumberValue": 0.05},
        "depth": {"NumberValue": 3.0},
        "_seed": {"NumberValue": 7.0},
    }
    assert desc["Status"] == {"PrimaryStatus": "Completed"}
    assert desc["InputArtifacts"]["train"]["Value"] == "s3://bucket/train.csv"
    assert abs(desc["StartTime"].timestamp() - start) < 1  # boto3 sends whole seconds
    assert desc["EndTime"] >= desc["StartTime"]
    code, _, _ = error_of(
        sm.update_trial_component,
        TrialComponentName="assoc-tc",
        Parameters={"x": {"NumberValue": 1}},
        ParametersToRemove=["x"],
    )
    assert code == "ValidationException"

    sm.update_trial(TrialName="assoc-trial", DisplayName="Trial-One")
    assert sm.describe_trial(TrialName="assoc-trial")["DisplayName"] == "Trial-One"
    assert sm.describe_trial(TrialName="assoc-trial")["ExperimentName"] == "assoc-exp"

    # Deletion order is enforced as AWS documents it.
    code, message, _ = error_of(sm.delete_trial_component, TrialComponentName="assoc-tc")
    assert code == "ValidationException" and "disassociate" in message
    code, _, _ = error_of(sm.delete_trial, TrialName="assoc-trial")
    assert code == "ValidationException"
    code, _, _ = error_of(sm.delete_experiment, ExperimentName="assoc-exp")
    assert code == "ValidationException"

    sm.disassociate_trial_component(TrialComponentName="assoc-tc", TrialName="assoc-trial")
    code, _, _ = error_of(sm.disassociate_trial_component, TrialComponentName="assoc-tc", TrialName="assoc-trial")
    assert code == "ResourceNotFound"
    assert sm.delete_trial_component(TrialComponentName="assoc-tc")["TrialComponentArn"] == tc_arn
    sm.delete_trial(TrialName="assoc-trial")
    sm.delete_trial(TrialName="assoc-trial-2")
    sm.delete_experiment(ExperimentName="assoc-exp")
    code, _, _ = error_of(sm.describe_trial_component, TrialComponentName="assoc-tc")
    assert code == "ResourceNotFound"


def test_describe_trial_component_reports_metric_summaries(backend: LocalBackendProcess, sm: Any) -> None:
    tc_arn = sm.create_trial_component(TrialComponentName="metrics-tc")["TrialComponentArn"]
    metrics = backend.client("sagemaker-metrics")
    t0 = time.time() - 100
    values = [0.9, 0.5, 0.7, 0.3]
    metrics.batch_put_metrics(
        TrialComponentName="metrics-tc",
        MetricData=[{"MetricName": "loss", "Timestamp": t0 + i, "Step": i, "Value": v} for i, v in enumerate(values)],
    )
    desc = sm.describe_trial_component(TrialComponentName="metrics-tc")
    (loss,) = desc["Metrics"]
    mean = sum(values) / 4
    stddev = (sum((v - mean) ** 2 for v in values) / 3) ** 0.5
    assert loss["MetricName"] == "loss" and loss["SourceArn"] == tc_arn
    assert (loss["Count"], loss["Max"], loss["Min"], loss["Last"]) == (4, 0.9, 0.3, 0.3)
    assert loss["Avg"] == pytest.approx(mean) and loss["StdDev"] == pytest.approx(stddev)
    assert loss["TimeStamp"].timestamp() == pytest.approx(t0 + 3, abs=1)  # boto3 sends whole seconds

    # Deleting the component deletes its metrics: a new component of the same name starts empty.
    sm.delete_trial_component(TrialComponentName="metrics-tc")
    sm.create_trial_component(TrialComponentName="metrics-tc")
    assert "Metrics" not in sm.describe_trial_component(TrialComponentName="metrics-tc")


# --- paging, sorting, validation ---------------------------------------------------------------------------------


def test_paging_and_sorting(fresh_backend: LocalBackendProcess) -> None:
    sm = fresh_backend.client("sagemaker")
    names = [f"page-{i:02d}" for i in range(25)]
    for name in names[:12]:
        sm.create_experiment(ExperimentName=name)
    # boto3 sends timestamps in whole seconds: put a second boundary between the two halves.
    boundary = math.ceil(time.time())
    time.sleep(boundary - time.time() + 0.05)
    for name in names[12:]:
        sm.create_experiment(ExperimentName=name)

    seen: list[str] = []
    sizes = []
    kwargs: dict[str, Any] = {"MaxResults": 10, "SortBy": "Name", "SortOrder": "Ascending"}
    while True:
        page = sm.list_experiments(**kwargs)
        sizes.append(len(page["ExperimentSummaries"]))
        seen += [s["ExperimentName"] for s in page["ExperimentSummaries"]]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert sizes == [10, 10, 5]
    assert seen == names

    # Default: newest first (CreationTime, Descending), 10 per page, as AWS documents.
    default = sm.list_experiments()
    assert [s["ExperimentName"] for s in default["ExperimentSummaries"]] == names[::-1][:10]
    descending = sm.list_experiments(SortBy="Name", SortOrder="Descending", MaxResults=3)["ExperimentSummaries"]
    assert [s["ExperimentName"] for s in descending] == ["page-24", "page-23", "page-22"]

    # The paginator (what most code uses) walks the same pages.
    paginated = [
        s["ExperimentName"]
        for p in sm.get_paginator("list_experiments").paginate(PaginationConfig={"PageSize": 7})
        for s in p["ExperimentSummaries"]
    ]
    assert sorted(paginated) == names and len(paginated) == 25

    # Time filters.
    newer = sm.list_experiments(CreatedAfter=boundary, MaxResults=100)["ExperimentSummaries"]
    assert sorted(s["ExperimentName"] for s in newer) == names[12:]
    older = sm.list_experiments(CreatedBefore=boundary, MaxResults=100)["ExperimentSummaries"]
    assert sorted(s["ExperimentName"] for s in older) == names[:12]

    # A token belongs to the request it came from.
    token = sm.list_experiments(MaxResults=10)["NextToken"]
    code, message, status = error_of(sm.list_experiments, MaxResults=10, SortBy="Name", NextToken=token)
    assert (code, status) == ("ValidationException", 400) and "NextToken" in message
    code, _, _ = error_of(sm.list_experiments, NextToken="garbage")
    assert code == "ValidationException"


def test_validation_errors_match_aws(sm_unchecked: Any) -> None:
    sm = sm_unchecked
    code, message, status = error_of(sm.create_experiment)
    assert (code, status) == ("ValidationException", 400)
    assert message == (
        "1 validation error detected: Value null at 'experimentName' failed to satisfy constraint: "
        "Member must not be null"
    )

    code, message, _ = error_of(sm.create_experiment, ExperimentName="bad_name")
    assert code == "ValidationException"
    assert message == (
        "1 validation error detected: Value 'bad_name' at 'experimentName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}"
    )

    code, message, _ = error_of(sm.create_experiment, ExperimentName="ok", Description="d" * 3073)
    assert code == "ValidationException"
    assert message == (
        "1 validation error detected: Value '" + "d" * 3073 + "' at 'description' failed to satisfy constraint: "
        "Member must have length less than or equal to 3072"
    )
    # A value can fail several constraints; each is reported, as AWS does.
    code, message, _ = error_of(sm.create_experiment, ExperimentName="x" * 121)
    assert message.startswith("2 validation errors detected: Value '" + "x" * 121 + "' at 'experimentName'")
    assert "Member must have length less than or equal to 120" in message

    code, message, _ = error_of(sm.list_experiments, SortOrder="Sideways", MaxResults=500)
    assert code == "ValidationException"
    assert message == (
        "2 validation errors detected: Value 'Sideways' at 'sortOrder' failed to satisfy constraint: Member must "
        "satisfy enum value set: [Ascending, Descending]; Value '500' at 'maxResults' failed to satisfy "
        "constraint: Member must have value less than or equal to 100"
    )

    # Nested members are named by their path, list items by position.
    code, message, _ = error_of(sm.create_experiment, ExperimentName="ok", Tags=[{"Key": "a"}])
    assert "Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null" in message

    code, message, _ = error_of(
        sm.create_endpoint_config,
        EndpointConfigName="cfg",
        ProductionVariants=[{"VariantName": "v", "ModelName": "m", "InstanceType": "ml.nope"}],
    )
    assert code == "ValidationException"
    assert "at 'productionVariants.1.member.instanceType' failed to satisfy constraint: Member must satisfy enum" in (
        message
    )

    code, message, _ = error_of(sm.update_model_package, ModelPackageArn="not-an-arn", ModelApprovalStatus="Maybe")
    assert code == "ValidationException" and message.startswith("2 validation errors detected")


def test_protocol_errors(backend: LocalBackendProcess) -> None:
    status, headers, body = raw(backend, "SageMaker.CreateExperiment", b'{"ExperimentName": 5}')
    assert status == 400 and body["__type"] == "SerializationException"
    assert headers["x-amzn-errortype"] == "SerializationException"

    status, _, body = raw(backend, "SageMaker.CreateExperiment", b"{not json")
    assert status == 400 and body["__type"] == "SerializationException"

    status, headers, body = raw(backend, "SageMaker.FlyToTheMoon", b"{}")
    assert status == 400 and body["__type"] == "UnknownOperationException"
    assert headers["x-amzn-errortype"] == "UnknownOperationException"

    status, _, body = raw(backend, "SageMaker.ListActions", b"{}")
    assert status == 400 and body["__type"] == "NotImplemented"
    assert "not implemented in local mode" in body["message"]

    # Members the model does not know are dropped (newer SDKs send members older models lack).
    status, _, body = raw(backend, "SageMaker.CreateExperiment", b'{"ExperimentName": "raw-exp", "Future": 1}')
    assert status == 200 and body == {"ExperimentArn": arn("experiment", "raw-exp")}
    status, _, body = raw(backend, "SageMaker.DescribeExperiment", b'{"ExperimentName": "raw-exp"}')
    assert status == 200 and "Future" not in body
    assert isinstance(body["CreationTime"], float)  # epoch seconds, as the JSON protocol encodes timestamps


# --- models, endpoint configs, endpoints -----------------------------------------------------------------------


def test_models_and_endpoint_configs(sm: Any) -> None:
    image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/xgboost:1"
    model_arn = sm.create_model(
        ModelName="cfg-model",
        PrimaryContainer={"Image": image, "ModelDataUrl": "s3://b/model.tar.gz", "Environment": {"A": "1"}},
        ExecutionRoleArn=f"arn:aws:iam::{ACCOUNT}:role/SageMakerRole",
    )["ModelArn"]
    assert model_arn == arn("model", "cfg-model")
    desc = sm.describe_model(ModelName="cfg-model")
    assert desc["PrimaryContainer"]["Environment"] == {"A": "1"}
    assert desc["EnableNetworkIsolation"] is False
    code, message, _ = error_of(sm.create_model, ModelName="cfg-model", PrimaryContainer={"Image": image})
    assert code == "ValidationException" and message == f'Cannot create already existing model "{model_arn}".'
    code, message, _ = error_of(sm.describe_model, ModelName="no-model")
    assert code == "ValidationException" and message == f'Could not find model "{arn("model", "no-model")}".'

    code, message, _ = error_of(
        sm.create_endpoint_config,
        EndpointConfigName="cfg-bad",
        ProductionVariants=[
            {"VariantName": "a", "ModelName": "no-model", "InstanceType": "ml.m5.large", "InitialInstanceCount": 1}
        ],
    )
    assert code == "ValidationException" and "Could not find model" in message

    cfg_arn = sm.create_endpoint_config(
        EndpointConfigName="cfg-1",
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": "cfg-model",
                "InstanceType": "ml.m5.large",
                "InitialInstanceCount": 2,
            }
        ],
        DataCaptureConfig={
            "EnableCapture": True,
            "InitialSamplingPercentage": 50,
            "DestinationS3Uri": "s3://b/capture",
            "CaptureOptions": [{"CaptureMode": "Input"}],
        },
    )["EndpointConfigArn"]
    desc = sm.describe_endpoint_config(EndpointConfigName="cfg-1")
    assert desc["EndpointConfigArn"] == cfg_arn
    assert desc["ProductionVariants"][0]["InstanceType"] == "ml.m5.large"
    assert desc["ProductionVariants"][0]["InitialVariantWeight"] == 1.0
    assert desc["DataCaptureConfig"]["InitialSamplingPercentage"] == 50

    listed = sm.list_endpoint_configs(NameContains="CFG-")["EndpointConfigs"]
    assert [c["EndpointConfigName"] for c in listed] == ["cfg-1"]
    assert [m["ModelName"] for m in sm.list_models(NameContains="cfg-model")["Models"]] == ["cfg-model"]

    sm.delete_endpoint_config(EndpointConfigName="cfg-1")
    sm.delete_model(ModelName="cfg-model")
    code, message, _ = error_of(sm.describe_endpoint_config, EndpointConfigName="cfg-1")
    assert code == "ValidationException" and "Could not find endpoint configuration" in message
    assert sm.list_models(NameContains="cfg-model")["Models"] == []


def test_endpoint_lifecycle(sm: Any) -> None:
    sm.create_model(ModelName="life-model", PrimaryContainer={"Image": "img:1"})
    sm.create_model(ModelName="life-model-2", PrimaryContainer={"Image": "img:2"})
    for cfg, model in (("life-cfg-1", "life-model"), ("life-cfg-2", "life-model-2")):
        sm.create_endpoint_config(
            EndpointConfigName=cfg,
            ProductionVariants=[
                {
                    "VariantName": "AllTraffic",
                    "ModelName": model,
                    "InstanceType": "ml.m5.large",
                    "InitialInstanceCount": 1,
                }
            ],
        )
    code, message, _ = error_of(sm.create_endpoint, EndpointName="life-ep", EndpointConfigName="no-cfg")
    assert code == "ValidationException" and "Could not find endpoint configuration" in message

    ep_arn = sm.create_endpoint(EndpointName="life-ep", EndpointConfigName="life-cfg-1")["EndpointArn"]
    assert ep_arn == arn("endpoint", "life-ep")
    desc = sm.describe_endpoint(EndpointName="life-ep")
    assert desc["EndpointStatus"] == "Creating"
    assert [e["EndpointName"] for e in sm.list_endpoints(StatusEquals="Creating")["Endpoints"]] == ["life-ep"]
    code, message, _ = error_of(sm.update_endpoint, EndpointName="life-ep", EndpointConfigName="life-cfg-2")
    assert code == "ValidationException" and "in-progress" in message

    desc = wait_for_status(sm, "life-ep", "InService")
    assert desc["EndpointStatus"] == "InService"
    (variant,) = desc["ProductionVariants"]
    assert variant["VariantName"] == "AllTraffic"
    assert (variant["CurrentInstanceCount"], variant["DesiredInstanceCount"]) == (1, 1)
    assert variant["DeployedImages"][0]["SpecifiedImage"] == "img:1"
    assert desc["LastModifiedTime"] > desc["CreationTime"]
    # The waiter boto3 users call polls DescribeEndpoint until InService.
    sm.get_waiter("endpoint_in_service").wait(EndpointName="life-ep", WaiterConfig={"Delay": 1, "MaxAttempts": 5})

    sm.update_endpoint(EndpointName="life-ep", EndpointConfigName="life-cfg-2")
    updating = sm.describe_endpoint(EndpointName="life-ep")
    assert updating["EndpointStatus"] == "Updating"
    assert updating["EndpointConfigName"] == "life-cfg-1"
    assert updating["PendingDeploymentSummary"]["EndpointConfigName"] == "life-cfg-2"
    updated = wait_for_status(sm, "life-ep", "InService")
    assert updated["EndpointConfigName"] == "life-cfg-2"
    assert updated["ProductionVariants"][0]["DeployedImages"][0]["SpecifiedImage"] == "img:2"
    assert "PendingDeploymentSummary" not in updated

    sm.delete_endpoint(EndpointName="life-ep")
    assert sm.describe_endpoint(EndpointName="life-ep")["EndpointStatus"] == "Deleting"
    sm.get_waiter("endpoint_deleted").wait(EndpointName="life-ep", WaiterConfig={"Delay": 1, "MaxAttempts": 5})
    code, message, _ = error_of(sm.describe_endpoint, EndpointName="life-ep")
    assert code == "ValidationException" and message == f'Could not find endpoint "{ep_arn}".'
    assert "life-ep" not in [e["EndpointName"] for e in sm.list_endpoints(MaxResults=100)["Endpoints"]]


def test_list_endpoints_filters_and_sort(sm: Any) -> None:
    sm.create_model(ModelName="sort-model", PrimaryContainer={"Image": "img"})
    sm.create_endpoint_config(
        EndpointConfigName="sort-cfg",
        ProductionVariants=[
            {
                "VariantName": "v",
                "ModelName": "sort-model",
                "ServerlessConfig": {"MemorySizeInMB": 2048, "MaxConcurrency": 5},
            }
        ],
    )
    for name in ("sort-b", "sort-a", "sort-c"):
        sm.create_endpoint(EndpointName=name, EndpointConfigName="sort-cfg")
    by_name = sm.list_endpoints(NameContains="sort-", SortBy="Name", SortOrder="Ascending")["Endpoints"]
    assert [e["EndpointName"] for e in by_name] == ["sort-a", "sort-b", "sort-c"]
    newest_first = sm.list_endpoints(NameContains="sort-")["Endpoints"]
    assert [e["EndpointName"] for e in newest_first] == ["sort-c", "sort-a", "sort-b"]
    desc = wait_for_status(sm, "sort-a", "InService")
    assert desc["ProductionVariants"][0]["CurrentServerlessConfig"]["MemorySizeInMB"] == 2048
    assert len(sm.list_endpoints(NameContains="sort-", StatusEquals="InService")["Endpoints"]) == 3
    assert sm.list_endpoints(NameContains="sort-", StatusEquals="Failed")["Endpoints"] == []
    for name in ("sort-b", "sort-a", "sort-c"):
        sm.delete_endpoint(EndpointName=name)


# --- model registry ----------------------------------------------------------------------------------------------


def test_model_package_groups_versions_and_approval(sm: Any) -> None:
    group_arn = sm.create_model_package_group(
        ModelPackageGroupName="reg-group", ModelPackageGroupDescription="churn models"
    )["ModelPackageGroupArn"]
    assert group_arn == arn("model-package-group", "reg-group")
    group = sm.describe_model_package_group(ModelPackageGroupName="reg-group")
    assert group["ModelPackageGroupStatus"] == "Completed" and group["ModelPackageGroupDescription"] == "churn models"
    code, message, _ = error_of(sm.describe_model_package_group, ModelPackageGroupName="no-group")
    assert code == "ValidationException" and "does not exist" in message

    spec = {
        "Containers": [{"Image": "img:1", "ModelDataUrl": "s3://b/m.tar.gz"}],
        "SupportedContentTypes": ["text/csv"],
        "SupportedResponseMIMETypes": ["text/csv"],
    }
    arns = [
        sm.create_model_package(
            ModelPackageGroupName="reg-group",
            ModelPackageDescription=f"v{i}",
            InferenceSpecification=spec,
            CustomerMetadataProperties={"auc": f"0.{80 + i}"},
            ModelMetrics={
                "ModelQuality": {"Statistics": {"ContentType": "application/json", "S3Uri": "s3://b/stats.json"}}
            },
        )["ModelPackageArn"]
        for i in (1, 2, 3)
    ]
    assert arns == [arn("model-package", f"reg-group/{v}") for v in (1, 2, 3)]

    desc = sm.describe_model_package(ModelPackageName=arns[1])
    assert desc["ModelPackageGroupName"] == "reg-group" and desc["ModelPackageVersion"] == 2
    assert desc["ModelApprovalStatus"] == "PendingManualApproval"
    assert desc["ModelPackageStatus"] == "Completed"
    assert desc["CustomerMetadataProperties"] == {"auc": "0.82"}
    assert desc["ModelMetrics"]["ModelQuality"]["Statistics"]["S3Uri"] == "s3://b/stats.json"
    assert sm.describe_model_package(ModelPackageName="reg-group/3")["ModelPackageDescription"] == "v3"

    sm.update_model_package(ModelPackageArn=arns[1], ModelApprovalStatus="Approved", ApprovalDescription="good auc")
    sm.update_model_package(ModelPackageArn=arns[2], ModelApprovalStatus="Rejected")
    approved = sm.describe_model_package(ModelPackageName=arns[1])
    assert (approved["ModelApprovalStatus"], approved["ApprovalDescription"]) == ("Approved", "good auc")
    assert approved["LastModifiedTime"] >= approved["CreationTime"]

    listed = sm.list_model_packages(ModelPackageGroupName="reg-group", SortBy="CreationTime", SortOrder="Ascending")
    assert [(p["ModelPackageVersion"], p["ModelApprovalStatus"]) for p in listed["ModelPackageSummaryList"]] == [
        (1, "PendingManualApproval"),
        (2, "Approved"),
        (3, "Rejected"),
    ]
    only_approved = sm.list_model_packages(ModelPackageGroupName="reg-group", ModelApprovalStatus="Approved")
    assert [p["ModelPackageArn"] for p in only_approved["ModelPackageSummaryList"]] == [arns[1]]
    # Without a group, AWS lists unversioned packages unless ModelPackageType says otherwise.
    assert arns[0] not in [p["ModelPackageArn"] for p in sm.list_model_packages()["ModelPackageSummaryList"]]
    both = sm.list_model_packages(ModelPackageType="Both", MaxResults=100)["ModelPackageSummaryList"]
    assert set(arns) <= {p["ModelPackageArn"] for p in both}
    groups = sm.list_model_package_groups(NameContains="reg-")["ModelPackageGroupSummaryList"]
    assert [g["ModelPackageGroupName"] for g in groups] == ["reg-group"]

    batch = sm.batch_describe_model_package(ModelPackageArnList=[arns[0], arns[2] + "9"])
    assert batch["ModelPackageSummaries"][arns[0]]["ModelPackageVersion"] == 1
    assert batch["ModelPackageSummaries"][arns[0]]["ModelApprovalStatus"] == "PendingManualApproval"
    assert list(batch["BatchDescribeModelPackageErrorMap"]) == [arns[2] + "9"]

    code, _, _ = error_of(sm.delete_model_package_group, ModelPackageGroupName="reg-group")
    assert code == "ConflictException"
    for package in arns:
        sm.delete_model_package(ModelPackageName=package)
    # Versions are not reused after deletion.
    next_arn = sm.create_model_package(ModelPackageGroupName="reg-group", InferenceSpecification=spec)
    assert next_arn["ModelPackageArn"] == arn("model-package", "reg-group/4")
    sm.delete_model_package(ModelPackageName=next_arn["ModelPackageArn"])
    sm.delete_model_package_group(ModelPackageGroupName="reg-group")
    code, _, _ = error_of(sm.describe_model_package, ModelPackageName=arns[0])
    assert code == "ValidationException"


def test_tags_on_any_resource(sm: Any) -> None:
    exp_arn = sm.create_experiment(ExperimentName="tag-exp", Tags=[{"Key": "a", "Value": "1"}])["ExperimentArn"]
    sm.add_tags(ResourceArn=exp_arn, Tags=[{"Key": "b", "Value": "2"}, {"Key": "a", "Value": "3"}])
    assert sm.list_tags(ResourceArn=exp_arn)["Tags"] == [{"Key": "a", "Value": "3"}, {"Key": "b", "Value": "2"}]
    sm.delete_tags(ResourceArn=exp_arn, TagKeys=["a", "never-set"])
    assert sm.list_tags(ResourceArn=exp_arn)["Tags"] == [{"Key": "b", "Value": "2"}]
    # Tags are not part of Describe, but stay with the resource.
    sm.update_experiment(ExperimentName="tag-exp", Description="x")
    assert sm.list_tags(ResourceArn=exp_arn)["Tags"] == [{"Key": "b", "Value": "2"}]
    code, _, _ = error_of(sm.list_tags, ResourceArn=arn("experiment", "no-such"))
    assert code == "ValidationException"
    code, message, _ = error_of(
        sm.add_tags, ResourceArn=exp_arn, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)]
    )
    assert code == "ValidationException" and "at most 50" in message
    # Tag patterns use Java's Unicode classes (\p{L}…): letters of any script pass, '#' does not.
    sm.add_tags(ResourceArn=exp_arn, Tags=[{"Key": "équipe", "Value": "données 日本"}])
    assert {"Key": "équipe", "Value": "données 日本"} in sm.list_tags(ResourceArn=exp_arn)["Tags"]
    code, message, _ = error_of(sm.add_tags, ResourceArn=exp_arn, Tags=[{"Key": "a#b", "Value": "v"}])
    assert code == "ValidationException" and "at 'tags.1.member.key'" in message


def test_search_is_wired(sm: Any) -> None:
    pytest.importorskip("jupyterlab_sagemaker_studio.local.search")
    sm.create_experiment(ExperimentName="search-wired-exp")
    out = sm.search(
        Resource="Experiment",
        SearchExpression={"Filters": [{"Name": "ExperimentName", "Operator": "Equals", "Value": "search-wired-exp"}]},
    )
    assert [r["Experiment"]["ExperimentName"] for r in out["Results"]] == ["search-wired-exp"]
    code, _, _ = error_of(sm.search, Resource="NotAResource")
    assert code == "ValidationException"


# --- durability -----------------------------------------------------------------------------------------------


def test_state_survives_restart_and_pending_transitions_complete(tmp_path: Path, start_backend: StartBackend) -> None:
    data_dir = tmp_path / "data"
    first = start_backend(data_dir, delay=DELAY)
    sm = first.client("sagemaker")
    sm.create_experiment(ExperimentName="durable-exp", Description="kept")
    sm.create_trial(TrialName="durable-trial", ExperimentName="durable-exp")
    sm.create_trial_component(TrialComponentName="durable-tc", Parameters={"k": {"StringValue": "v"}})
    sm.associate_trial_component(TrialComponentName="durable-tc", TrialName="durable-trial")
    sm.create_model(ModelName="durable-model", PrimaryContainer={"Image": "img"})
    sm.create_endpoint_config(
        EndpointConfigName="durable-cfg",
        ProductionVariants=[
            {"VariantName": "v", "ModelName": "durable-model", "InstanceType": "ml.m5.large", "InitialInstanceCount": 1}
        ],
    )
    sm.create_endpoint(EndpointName="durable-ep", EndpointConfigName="durable-cfg")
    sm.create_model_package_group(ModelPackageGroupName="durable-group")
    pkg = sm.create_model_package(
        ModelPackageGroupName="durable-group",
        InferenceSpecification={
            "Containers": [{"Image": "img"}],
            "SupportedContentTypes": ["a/b"],
            "SupportedResponseMIMETypes": ["a/b"],
        },
    )["ModelPackageArn"]
    sm.update_model_package(ModelPackageArn=pkg, ModelApprovalStatus="Approved")
    assert sm.describe_endpoint(EndpointName="durable-ep")["EndpointStatus"] == "Creating"
    first.stop()

    time.sleep(DELAY + 0.1)  # the endpoint's transition falls due while the backend is down
    second = start_backend(data_dir, delay=DELAY)
    sm = second.client("sagemaker")
    assert second.info["access_key"] == first.info["access_key"]
    assert sm.describe_experiment(ExperimentName="durable-exp")["Description"] == "kept"
    assert sm.describe_trial_component(TrialComponentName="durable-tc")["Parameters"] == {"k": {"StringValue": "v"}}
    listed = sm.list_trial_components(TrialName="durable-trial")["TrialComponentSummaries"]
    assert [c["TrialComponentName"] for c in listed] == ["durable-tc"]
    assert sm.describe_endpoint(EndpointName="durable-ep")["EndpointStatus"] == "InService"
    assert sm.describe_model_package(ModelPackageName=pkg)["ModelApprovalStatus"] == "Approved"
    # The version counter survived too.
    again = sm.create_model_package(
        ModelPackageGroupName="durable-group",
        InferenceSpecification={
            "Containers": [{"Image": "img"}],
            "SupportedContentTypes": ["a/b"],
            "SupportedResponseMIMETypes": ["a/b"],
        },
    )
    assert again["ModelPackageArn"].endswith("/durable-group/2")


def test_acknowledged_writes_survive_sigkill(tmp_path: Path, start_backend: StartBackend) -> None:
    data_dir = tmp_path / "data"
    first = start_backend(data_dir, delay=DELAY)
    sm = first.client("sagemaker")
    sm.create_experiment(ExperimentName="killed-exp")
    sm.create_model_package_group(ModelPackageGroupName="killed-group")
    sm.add_tags(ResourceArn=arn("experiment", "killed-exp"), Tags=[{"Key": "k", "Value": "v"}])
    first.kill()  # no clean shutdown: only what reached the disk survives
    second = start_backend(data_dir, delay=DELAY)
    sm = second.client("sagemaker")
    assert sm.describe_experiment(ExperimentName="killed-exp")["ExperimentName"] == "killed-exp"
    assert sm.list_tags(ResourceArn=arn("experiment", "killed-exp"))["Tags"] == [{"Key": "k", "Value": "v"}]
    assert sm.describe_model_package_group(ModelPackageGroupName="killed-group")["ModelPackageGroupStatus"] == (
        "Completed"
    )
