"""The local backend's model registry as the model registry tabs use it, driven by unchanged boto3 clients: a
group's versions listed newest or oldest first and paged with NextToken, and UpdateModelPackage validating and
persisting approval decisions (across a restart of the backend)."""

from __future__ import annotations

from typing import Any

import pytest
from local_backend import LocalBackendProcess, StartBackend, error_of

GROUP = "registry-tab-models"
OTHER = "registry-tab-others"
VERSIONS = 23


@pytest.fixture(scope="module")
def backend(start_module_backend: StartBackend) -> LocalBackendProcess:
    return start_module_backend()


@pytest.fixture(scope="module")
def sm(backend: LocalBackendProcess) -> Any:
    client = backend.client("sagemaker")
    for group in (GROUP, OTHER):
        client.create_model_package_group(ModelPackageGroupName=group, ModelPackageGroupDescription=f"{group} group")
    for i in range(VERSIONS):
        client.create_model_package(ModelPackageGroupName=GROUP, ModelPackageDescription=f"candidate {i + 1}")
    client.create_model_package(ModelPackageGroupName=OTHER, ModelPackageDescription="other")
    return client


def all_pages(sm: Any, **params: Any) -> list[list[dict[str, Any]]]:
    """Every page of ListModelPackages, following NextToken."""
    pages = []
    token = None
    while True:
        out = sm.list_model_packages(**params, **({"NextToken": token} if token else {}))
        pages.append(out["ModelPackageSummaryList"])
        token = out.get("NextToken")
        if not token:
            return pages


def test_versions_of_one_group_newest_first_in_pages(sm: Any) -> None:
    pages = all_pages(sm, ModelPackageGroupName=GROUP, SortBy="CreationTime", SortOrder="Descending", MaxResults=10)
    assert [len(p) for p in pages] == [10, 10, 3]
    versions = [s["ModelPackageVersion"] for p in pages for s in p]
    assert versions == list(range(VERSIONS, 0, -1))
    first = pages[0][0]
    assert first["ModelPackageGroupName"] == GROUP
    assert first["ModelPackageArn"].endswith(f":model-package/{GROUP}/{VERSIONS}")
    assert first["ModelApprovalStatus"] == "PendingManualApproval"
    assert first["ModelPackageStatus"] == "Completed"
    assert first["ModelPackageDescription"] == f"candidate {VERSIONS}"


def test_versions_oldest_first_and_by_group_arn(sm: Any) -> None:
    group_arn = sm.describe_model_package_group(ModelPackageGroupName=GROUP)["ModelPackageGroupArn"]
    pages = all_pages(sm, ModelPackageGroupName=group_arn, SortBy="CreationTime", SortOrder="Ascending", MaxResults=7)
    assert [s["ModelPackageVersion"] for p in pages for s in p] == list(range(1, VERSIONS + 1))


def test_page_size_is_bounded_like_aws(sm: Any) -> None:
    err = error_of(sm.list_model_packages, ModelPackageGroupName=GROUP, MaxResults=101)
    assert err["Code"] == "ValidationException"
    assert "less than or equal to 100" in err["Message"]


def test_approval_decision_is_validated(backend: LocalBackendProcess, sm: Any) -> None:
    arn = sm.list_model_packages(ModelPackageGroupName=GROUP, MaxResults=1)["ModelPackageSummaryList"][0][
        "ModelPackageArn"
    ]
    raw = backend.client("sagemaker", parameter_validation=False)
    err = error_of(raw.update_model_package, ModelPackageArn=arn, ModelApprovalStatus="Maybe")
    assert err["Code"] == "ValidationException"
    assert "enum value set: [Approved, Rejected, PendingManualApproval]" in err["Message"]
    err = error_of(
        raw.update_model_package, ModelPackageArn=arn, ModelApprovalStatus="Approved", ApprovalDescription="x" * 1025
    )
    assert err["Code"] == "ValidationException"
    assert "length less than or equal to 1024" in err["Message"]
    err = error_of(
        raw.update_model_package, ModelPackageArn=arn, ModelApprovalStatus="Approved", ApprovalDescription="a\nb"
    )
    assert err["Code"] == "ValidationException"
    # Nothing changed.
    desc = sm.describe_model_package(ModelPackageName=arn)
    assert desc["ModelApprovalStatus"] == "PendingManualApproval"
    assert "ApprovalDescription" not in desc
    missing = arn.rsplit("/", 1)[0] + "/999"
    err = error_of(sm.update_model_package, ModelPackageArn=missing, ModelApprovalStatus="Approved")
    assert err["Code"] == "ValidationException"
    assert "does not exist" in err["Message"]


def test_approval_decision_persists(backend: LocalBackendProcess, sm: Any) -> None:
    summary = sm.list_model_packages(ModelPackageGroupName=GROUP, SortOrder="Ascending", MaxResults=1)[
        "ModelPackageSummaryList"
    ][0]
    arn = summary["ModelPackageArn"]
    before = sm.describe_model_package(ModelPackageName=arn)
    out = sm.update_model_package(
        ModelPackageArn=arn, ModelApprovalStatus="Approved", ApprovalDescription="AUC 0.93 on holdout ✓"
    )
    assert out == {"ModelPackageArn": arn, "ResponseMetadata": out["ResponseMetadata"]}
    after = sm.describe_model_package(ModelPackageName=arn)
    assert after["ModelApprovalStatus"] == "Approved"
    assert after["ApprovalDescription"] == "AUC 0.93 on holdout ✓"
    assert after["LastModifiedTime"] >= before["LastModifiedTime"]
    listed = sm.list_model_packages(ModelPackageGroupName=GROUP, ModelApprovalStatus="Approved")
    assert [s["ModelPackageArn"] for s in listed["ModelPackageSummaryList"]] == [arn]

    # An empty comment clears the previous decision's comment, as the tab sends it.
    sm.update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Rejected", ApprovalDescription="")
    assert sm.describe_model_package(ModelPackageName=arn).get("ApprovalDescription", "") == ""
    sm.update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Approved", ApprovalDescription="second look")

    backend.restart()
    again = backend.client("sagemaker").describe_model_package(ModelPackageName=arn)
    assert again["ModelApprovalStatus"] == "Approved"
    assert again["ApprovalDescription"] == "second look"
