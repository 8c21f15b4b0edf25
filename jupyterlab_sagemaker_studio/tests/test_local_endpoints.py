"""What an endpoint's tab asks of the local backend, driven by unchanged boto3 clients: ListMonitoringSchedules
(filters, validation), DeleteEndpoint (Deleting, then gone) and InvokeEndpoint's local-mode answer.

The backend runs in a thread of this process so the monitoring tests can store schedules of every monitoring type
directly (local mode creates DataQuality schedules only; ``test_local_model_monitor.py`` tests those).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from local_backend import LocalBackendThread, error_of, wait_for

from jupyterlab_sagemaker_studio.local import resources as res
from jupyterlab_sagemaker_studio.local.lifecycle import DELAY_ENV

DELAY = 0.4
ACCOUNT = "123456789012"
REGION = "us-east-1"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/SageMakerRole"
PREFIX = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}"


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalBackendThread]:
    """One backend for the module, with a short lifecycle delay; each test uses its own names."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DELAY_ENV, str(DELAY))
        with LocalBackendThread(tmp_path_factory.mktemp("endpoints") / "data", region=REGION, account_id=ACCOUNT) as b:
            yield b


@pytest.fixture(scope="module")
def sm(local: LocalBackendThread) -> Any:
    return local.client("sagemaker")


@pytest.fixture(scope="module")
def runtime(local: LocalBackendThread) -> Any:
    return local.client("sagemaker-runtime")


def create_endpoint(sm: Any, name: str) -> str:
    """An endpoint with one ml.m5.large variant and data capture; returns its ARN."""
    sm.create_model(ModelName=f"{name}-model", PrimaryContainer={"Image": "img:1"}, ExecutionRoleArn=ROLE)
    sm.create_endpoint_config(
        EndpointConfigName=f"{name}-config",
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": f"{name}-model",
                "InstanceType": "ml.m5.large",
                "InitialInstanceCount": 1,
            }
        ],
        DataCaptureConfig={
            "EnableCapture": True,
            "InitialSamplingPercentage": 20,
            "DestinationS3Uri": "s3://bucket/capture",
            "CaptureOptions": [{"CaptureMode": "Input"}, {"CaptureMode": "Output"}],
        },
    )
    return sm.create_endpoint(EndpointName=name, EndpointConfigName=f"{name}-config")["EndpointArn"]


def status(sm: Any, name: str) -> str:
    return sm.describe_endpoint(EndpointName=name)["EndpointStatus"]


# --- ListMonitoringSchedules -------------------------------------------------------------------------------------


def schedule(name: str, endpoint: str, status: str, monitoring_type: str, created: float) -> dict[str, Any]:
    """A schedule document as DescribeMonitoringSchedule returns it."""
    return {
        "MonitoringScheduleName": name,
        "MonitoringScheduleArn": f"{PREFIX}:monitoring-schedule/{name.lower()}",
        "MonitoringScheduleStatus": status,
        "MonitoringType": monitoring_type,
        "CreationTime": created,
        "LastModifiedTime": created,
        "EndpointName": endpoint,
        "MonitoringScheduleConfig": {
            "MonitoringJobDefinitionName": f"{name}-definition",
            "MonitoringType": monitoring_type,
        },
    }


def test_monitoring_schedules_are_empty_until_some_exist(sm: Any) -> None:
    assert sm.list_monitoring_schedules()["MonitoringScheduleSummaries"] == []
    assert sm.list_monitoring_schedules(EndpointName="anything")["MonitoringScheduleSummaries"] == []


def test_monitoring_schedules_are_validated_like_aws(local: LocalBackendThread) -> None:
    # parameter_validation is botocore's client-side check; off, the backend's own validation answers.
    raw = local.client("sagemaker", parameter_validation=False)
    err = error_of(raw.list_monitoring_schedules, StatusEquals="Running")
    assert err["Code"] == "ValidationException"
    assert "statusEquals" in err["Message"] and "Member must satisfy enum value set" in err["Message"]
    err = error_of(raw.list_monitoring_schedules, MaxResults=0)
    assert err["Code"] == "ValidationException" and "maxResults" in err["Message"]
    err = error_of(raw.list_monitoring_schedules, EndpointName="bad_name!")
    assert err["Code"] == "ValidationException" and "endpointName" in err["Message"]


def test_monitoring_schedules_filter_by_endpoint_type_and_status(local: LocalBackendThread, sm: Any) -> None:
    docs = [
        schedule("prod-quality", "Prod-Endpoint", "Scheduled", "DataQuality", 1000.0),
        schedule("prod-bias", "prod-endpoint", "Stopped", "ModelBias", 2000.0),
        schedule("staging-quality", "staging-endpoint", "Scheduled", "DataQuality", 3000.0),
    ]
    store = local.backend.store
    with store.transaction() as db:
        for doc in docs:
            res.save(db, "MonitoringSchedule", doc["MonitoringScheduleName"], doc["MonitoringScheduleArn"], doc)
    try:
        listed = sm.list_monitoring_schedules(EndpointName="prod-endpoint", SortBy="Name", SortOrder="Ascending")
        summaries = listed["MonitoringScheduleSummaries"]
        assert [s["MonitoringScheduleName"] for s in summaries] == ["prod-bias", "prod-quality"]
        assert summaries[1]["MonitoringType"] == "DataQuality"
        assert summaries[1]["MonitoringJobDefinitionName"] == "prod-quality-definition"
        assert summaries[1]["MonitoringScheduleArn"] == f"{PREFIX}:monitoring-schedule/prod-quality"
        names = [
            s["MonitoringScheduleName"]
            for s in sm.list_monitoring_schedules(StatusEquals="Scheduled")["MonitoringScheduleSummaries"]
        ]
        # Default order: newest first, as AWS lists.
        assert names == ["staging-quality", "prod-quality"]
        typed = sm.list_monitoring_schedules(MonitoringTypeEquals="ModelBias")["MonitoringScheduleSummaries"]
        assert [s["MonitoringScheduleName"] for s in typed] == ["prod-bias"]
        page = sm.list_monitoring_schedules(MaxResults=2)
        rest = sm.list_monitoring_schedules(MaxResults=2, NextToken=page["NextToken"])
        assert len(page["MonitoringScheduleSummaries"]) == 2 and len(rest["MonitoringScheduleSummaries"]) == 1
        assert "NextToken" not in rest
    finally:
        with store.transaction() as db:
            for doc in docs:
                res.delete(db, "MonitoringSchedule", doc["MonitoringScheduleName"])
    assert sm.list_monitoring_schedules()["MonitoringScheduleSummaries"] == []


# --- DescribeEndpoint / DeleteEndpoint / InvokeEndpoint ------------------------------------------------------------


def test_endpoint_describe_has_what_the_tab_shows(sm: Any) -> None:
    create_endpoint(sm, "tab-endpoint")
    wait_for(lambda: status(sm, "tab-endpoint") == "InService")
    described = sm.describe_endpoint(EndpointName="tab-endpoint")
    assert described["EndpointConfigName"] == "tab-endpoint-config"
    [variant] = described["ProductionVariants"]
    assert (variant["VariantName"], variant["CurrentInstanceCount"]) == ("AllTraffic", 1)
    capture = described["DataCaptureConfig"]
    assert (capture["EnableCapture"], capture["CurrentSamplingPercentage"]) == (True, 20)
    assert capture["DestinationS3Uri"] == "s3://bucket/capture"
    config = sm.describe_endpoint_config(EndpointConfigName="tab-endpoint-config")
    assert [o["CaptureMode"] for o in config["DataCaptureConfig"]["CaptureOptions"]] == ["Input", "Output"]
    assert config["ProductionVariants"][0]["InstanceType"] == "ml.m5.large"


def test_delete_endpoint_goes_through_deleting_then_is_gone(sm: Any, runtime: Any) -> None:
    arn = create_endpoint(sm, "doomed-endpoint")
    wait_for(lambda: status(sm, "doomed-endpoint") == "InService")
    sm.delete_endpoint(EndpointName="doomed-endpoint")
    assert status(sm, "doomed-endpoint") == "Deleting"
    listed = sm.list_endpoints(NameContains="doomed")["Endpoints"]
    assert [(e["EndpointName"], e["EndpointStatus"]) for e in listed] == [("doomed-endpoint", "Deleting")]
    # Deleting twice is harmless, as in AWS; invoking a deleting endpoint names its status.
    sm.delete_endpoint(EndpointName="doomed-endpoint")
    err = error_of(runtime.invoke_endpoint, EndpointName="doomed-endpoint", Body=b"{}", ContentType="application/json")
    assert err["Code"] == "ValidationError" and "Deleting" in err["Message"]

    wait_for(lambda: not sm.list_endpoints(NameContains="doomed")["Endpoints"])
    err = error_of(sm.describe_endpoint, EndpointName="doomed-endpoint")
    # What the tab reads as "deleted": AWS's ValidationException "Could not find endpoint …".
    assert err["Code"] == "ValidationException"
    assert err["Message"] == f'Could not find endpoint "{arn}".'
    assert error_of(sm.delete_endpoint, EndpointName="doomed-endpoint")["Code"] == "ValidationException"
    # The endpoint config stays, as in AWS, so the endpoint can be created again.
    assert sm.describe_endpoint_config(EndpointConfigName="doomed-endpoint-config")["EndpointConfigName"]


def test_invoke_endpoint_in_service_says_model_containers_do_not_run_locally(sm: Any, runtime: Any) -> None:
    create_endpoint(sm, "invoked-endpoint")
    wait_for(lambda: status(sm, "invoked-endpoint") == "InService")
    for body, content_type in ((b'{"instances": [[1, 2]]}', "application/json"), (b"1,2\n3,4\n", "text/csv")):
        with pytest.raises(runtime.exceptions.ModelError) as info:
            runtime.invoke_endpoint(EndpointName="invoked-endpoint", Body=body, ContentType=content_type)
        response = info.value.response
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 424
        assert response["Error"]["Message"] == (
            "Endpoint invoked-endpoint is InService, but model containers do not run in local mode, so nothing can "
            "answer this invocation. Connect to an AWS account to test inference."
        )
