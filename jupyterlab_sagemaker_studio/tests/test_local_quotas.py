"""Service Quotas in the local backend (SageMaker's training quotas) and their enforcement by CreateTrainingJob.

Real HTTP, boto3, a backend subprocess. Quota values and codes here are the local account's (see local/quotas.py),
not AWS facts.
"""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest
from local_backend import LocalBackendProcess, StartBackend, error_of

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"
#: A long run, so jobs stay InProgress while the test counts them.
LONG = [{"Key": "sagemaker-studio:local-duration-seconds", "Value": "600"}]
LIMIT_TAIL = (
    "Please use AWS Service Quotas to request an increase for this quota. If AWS Service Quotas is not available, "
    "contact AWS support to request an increase for this quota."
)


def training_types() -> list[str]:
    model = botocore.session.get_session().get_service_model("sagemaker")
    return sorted(model.shape_for("TrainingInstanceType").enum)


@pytest.fixture
def backend(start_backend: StartBackend) -> LocalBackendProcess:
    return start_backend()


@pytest.fixture
def quotas(backend: LocalBackendProcess) -> Any:
    return backend.client("service-quotas")


@pytest.fixture
def sm(backend: LocalBackendProcess) -> Any:
    return backend.client("sagemaker")


def training_request(name: str, instance_type: str, count: int) -> dict[str, Any]:
    return {
        "TrainingJobName": name,
        "AlgorithmSpecification": {"TrainingImage": IMAGE, "TrainingInputMode": "File"},
        "RoleArn": ROLE,
        "OutputDataConfig": {"S3OutputPath": "s3://bucket/output"},
        "ResourceConfig": {"InstanceType": instance_type, "InstanceCount": count, "VolumeSizeInGB": 30},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
        "Tags": LONG,
    }


def by_name(quotas: Any) -> dict[str, dict[str, Any]]:
    pages = quotas.get_paginator("list_service_quotas").paginate(ServiceCode="sagemaker")
    return {q["QuotaName"]: q for page in pages for q in page["Quotas"]}


def test_list_quotas_paged(quotas: Any) -> None:
    first = quotas.list_service_quotas(ServiceCode="sagemaker", MaxResults=7)
    assert len(first["Quotas"]) == 7 and first["NextToken"]
    second = quotas.list_service_quotas(ServiceCode="sagemaker", MaxResults=7, NextToken=first["NextToken"])
    assert {q["QuotaCode"] for q in first["Quotas"]}.isdisjoint(q["QuotaCode"] for q in second["Quotas"])
    everything = by_name(quotas)
    # One quota per training instance type, named as AWS names it.
    assert sorted(everything) == sorted(f"{t} for training job usage" for t in training_types())
    g4dn = everything["ml.g4dn.xlarge for training job usage"]
    assert g4dn["Value"] == 2.0 and g4dn["Unit"] == "None" and g4dn["Adjustable"] is True
    assert g4dn["ServiceCode"] == "sagemaker" and g4dn["QuotaCode"].startswith("L-")
    assert g4dn["QuotaArn"].endswith(f":sagemaker/{g4dn['QuotaCode']}")
    # The largest accelerated types start at 0, as in a new AWS account.
    for name in ("ml.p4d.24xlarge", "ml.p4de.24xlarge", "ml.p5.48xlarge"):
        assert everything[f"{name} for training job usage"]["Value"] == 0.0
    for name, quota in everything.items():
        if name.startswith(("ml.p5", "ml.p6", "ml.trn2")):
            assert quota["Value"] == 0.0, name
    assert len({q["QuotaCode"] for q in everything.values()}) == len(everything)
    defaults = quotas.list_aws_default_service_quotas(ServiceCode="sagemaker", MaxResults=100)
    assert len(defaults["Quotas"]) == 100 and defaults["NextToken"]
    assert quotas.list_services()["Services"] == [{"ServiceCode": "sagemaker", "ServiceName": "Amazon SageMaker"}]
    # Errors as Service Quotas gives them.
    err = error_of(quotas.list_service_quotas, ServiceCode="sagemaker", NextToken="bm90LWEtdG9rZW4=")
    assert err["Code"] == "InvalidPaginationTokenException"
    err = error_of(quotas.list_service_quotas, ServiceCode="ec2")
    assert err["Code"] == "NoSuchResourceException"
    err = error_of(quotas.get_service_quota, ServiceCode="sagemaker", QuotaCode="L-00000000")
    assert err["Code"] == "NoSuchResourceException"


def test_get_one_quota(quotas: Any) -> None:
    listed = by_name(quotas)["ml.m5.xlarge for training job usage"]
    got = quotas.get_service_quota(ServiceCode="sagemaker", QuotaCode=listed["QuotaCode"])["Quota"]
    assert got == listed
    filtered = quotas.list_service_quotas(ServiceCode="sagemaker", QuotaCode=listed["QuotaCode"])["Quotas"]
    assert filtered == [listed]


def test_request_is_validated_against_the_model(backend: LocalBackendProcess) -> None:
    raw = backend.client("service-quotas", parameter_validation=False)
    err = error_of(raw.get_service_quota, ServiceCode="sagemaker")
    assert err["Code"] == "ValidationException"
    assert "Value null at 'quotaCode' failed to satisfy constraint: Member must not be null" in err["Message"]
    err = error_of(raw.list_service_quotas, ServiceCode="sagemaker", MaxResults=500)
    assert "Member must have value less than or equal to 100" in err["Message"]


def test_quota_refuses_then_an_increase_lets_the_job_run(quotas: Any, sm: Any, backend: LocalBackendProcess) -> None:
    sm.create_training_job(**training_request("g4-a", "ml.g4dn.xlarge", 1))
    err = error_of(sm.create_training_job, **training_request("g4-b", "ml.g4dn.xlarge", 2))
    assert err["Code"] == "ResourceLimitExceeded"
    assert err["Message"] == (
        "The account-level service limit 'ml.g4dn.xlarge for training job usage' is 2 Instances, with current "
        "utilization of 1 Instances and a request delta of 2 Instances. " + LIMIT_TAIL
    )
    err = error_of(sm.create_training_job, **training_request("p4d", "ml.p4d.24xlarge", 1))
    assert err["Message"] == (
        "The account-level service limit 'ml.p4d.24xlarge for training job usage' is 0 Instances, with current "
        "utilization of 0 Instances and a request delta of 1 Instances. " + LIMIT_TAIL
    )
    # A refused job is not created.
    assert [j["TrainingJobName"] for j in sm.list_training_jobs()["TrainingJobSummaries"]] == ["g4-a"]
    # Other types have their own quota.
    sm.create_training_job(**training_request("m5", "ml.m5.xlarge", 2))

    code = by_name(quotas)["ml.g4dn.xlarge for training job usage"]["QuotaCode"]
    change = quotas.request_service_quota_increase(ServiceCode="sagemaker", QuotaCode=code, DesiredValue=4)
    requested = change["RequestedQuota"]
    assert requested["Status"] == "APPROVED" and requested["DesiredValue"] == 4.0
    assert requested["QuotaName"] == "ml.g4dn.xlarge for training job usage"
    again = quotas.get_requested_service_quota_change(RequestId=requested["Id"])["RequestedQuota"]
    assert again["Status"] == "APPROVED"
    assert quotas.get_service_quota(ServiceCode="sagemaker", QuotaCode=code)["Quota"]["Value"] == 4.0
    default = quotas.get_aws_default_service_quota(ServiceCode="sagemaker", QuotaCode=code)["Quota"]
    assert default["Value"] == 2.0
    # The job that was refused is accepted now (1 running + 2 requested ≤ 4).
    sm.create_training_job(**training_request("g4-b", "ml.g4dn.xlarge", 2))
    err = error_of(sm.create_training_job, **training_request("g4-c", "ml.g4dn.xlarge", 2))
    assert "is 4 Instances, with current utilization of 3 Instances and a request delta of 2" in err["Message"]
    # An increase must increase.
    err = error_of(quotas.request_service_quota_increase, ServiceCode="sagemaker", QuotaCode=code, DesiredValue=3)
    assert err["Code"] == "IllegalArgumentException"

    # The increase is stored: it survives a restart.
    backend.restart()
    restarted = backend.client("service-quotas")
    assert restarted.get_service_quota(ServiceCode="sagemaker", QuotaCode=code)["Quota"]["Value"] == 4.0


def test_finished_jobs_free_their_instances(start_backend: StartBackend) -> None:
    backend = start_backend(delay=0.05)
    sm = backend.client("sagemaker")
    short = training_request("short", "ml.c5.xlarge", 2)
    short["Tags"] = [{"Key": "sagemaker-studio:local-duration-seconds", "Value": "0.2"}]
    sm.create_training_job(**short)
    err = error_of(sm.create_training_job, **training_request("blocked", "ml.c5.xlarge", 1))
    assert "current utilization of 2 Instances" in err["Message"]
    from local_backend import wait_for

    wait_for(lambda: sm.describe_training_job(TrainingJobName="short")["TrainingJobStatus"] == "Completed")
    sm.create_training_job(**training_request("after", "ml.c5.xlarge", 2))
