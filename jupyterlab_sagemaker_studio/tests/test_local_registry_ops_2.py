"""The local backend's notebook instances and Studio domains, user profiles and apps, driven by unchanged boto3
clients against the backend subprocess with a short ``SAGEMAKER_STUDIO_LOCAL_DELAY``."""

from __future__ import annotations

from typing import Any

import pytest
from local_backend import LocalBackendProcess, StartBackend, error_of, wait_for

DELAY = 0.4
ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/SageMakerRole"
PREFIX = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}"


@pytest.fixture(scope="module")
def backend(start_module_backend: StartBackend) -> LocalBackendProcess:
    """One backend for the module; each test uses its own names."""
    return start_module_backend(delay=DELAY)


@pytest.fixture(scope="module")
def sm(backend: LocalBackendProcess) -> Any:
    return backend.client("sagemaker")


# --- notebook instances ------------------------------------------------------------------------------------------


def notebook_status(sm: Any, name: str) -> str:
    return sm.describe_notebook_instance(NotebookInstanceName=name)["NotebookInstanceStatus"]


def test_notebook_instance_lifecycle(sm: Any) -> None:
    arn = sm.create_notebook_instance(
        NotebookInstanceName="Nb-Life",
        InstanceType="ml.t3.medium",
        RoleArn=ROLE,
        SecurityGroupIds=["sg-0123"],
        Tags=[{"Key": "team", "Value": "ml"}],
    )["NotebookInstanceArn"]
    assert arn == f"{PREFIX}:notebook-instance/nb-life"
    described = sm.describe_notebook_instance(NotebookInstanceName="Nb-Life")
    assert described["NotebookInstanceStatus"] == "Pending"
    assert described["Url"] == "nb-life.notebook.us-east-1.sagemaker.aws"
    assert described["SecurityGroups"] == ["sg-0123"]
    assert (described["VolumeSizeInGB"], described["RootAccess"], described["DirectInternetAccess"]) == (
        5,
        "Enabled",
        "Enabled",
    )
    assert "Tags" not in described
    assert sm.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "ml"}]
    err = error_of(
        sm.create_notebook_instance, NotebookInstanceName="nb-life", InstanceType="ml.t3.medium", RoleArn=ROLE
    )
    assert err["Code"] == "ValidationException" and "duplicate Notebook Instance" in err["Message"]

    # Pending: neither stop, update nor delete is allowed, with AWS's wording.
    err = error_of(sm.delete_notebook_instance, NotebookInstanceName="Nb-Life")
    assert err["Code"] == "ValidationException"
    assert err["Message"] == (
        f"Status (Pending) not in ([Stopped, Failed]). Unable to transition to (Deleting) for Notebook Instance "
        f"({arn})."
    )
    assert (
        "Unable to transition to (Stopping)"
        in error_of(sm.stop_notebook_instance, NotebookInstanceName="Nb-Life")["Message"]
    )

    wait_for(lambda: notebook_status(sm, "Nb-Life") == "InService")
    boto_waiter = sm.get_waiter("notebook_instance_in_service")
    boto_waiter.wait(NotebookInstanceName="Nb-Life", WaiterConfig={"Delay": 1, "MaxAttempts": 5})
    err = error_of(sm.start_notebook_instance, NotebookInstanceName="Nb-Life")
    assert "Status (InService) not in ([Stopped, Failed])" in err["Message"]
    err = error_of(sm.update_notebook_instance, NotebookInstanceName="Nb-Life", InstanceType="ml.m5.xlarge")
    assert "Status (InService) not in ([Stopped])" in err["Message"]

    sm.stop_notebook_instance(NotebookInstanceName="Nb-Life")
    assert notebook_status(sm, "Nb-Life") == "Stopping"
    sm.stop_notebook_instance(NotebookInstanceName="Nb-Life")  # stopping twice is harmless
    sm.get_waiter("notebook_instance_stopped").wait(
        NotebookInstanceName="Nb-Life", WaiterConfig={"Delay": 1, "MaxAttempts": 10}
    )

    sm.update_notebook_instance(
        NotebookInstanceName="Nb-Life", InstanceType="ml.m5.xlarge", VolumeSizeInGB=20, LifecycleConfigName="setup"
    )
    assert notebook_status(sm, "Nb-Life") == "Updating"
    wait_for(lambda: notebook_status(sm, "Nb-Life") == "Stopped")
    updated = sm.describe_notebook_instance(NotebookInstanceName="Nb-Life")
    assert (updated["InstanceType"], updated["VolumeSizeInGB"]) == ("ml.m5.xlarge", 20)
    assert updated["NotebookInstanceLifecycleConfigName"] == "setup"
    err = error_of(sm.update_notebook_instance, NotebookInstanceName="Nb-Life", VolumeSizeInGB=10)
    assert err["Code"] == "ValidationException" and "cannot be decreased" in err["Message"]
    err = error_of(
        sm.update_notebook_instance,
        NotebookInstanceName="Nb-Life",
        LifecycleConfigName="other",
        DisassociateLifecycleConfig=True,
    )
    assert err["Code"] == "ValidationException" and "cannot both be given" in err["Message"]
    sm.update_notebook_instance(NotebookInstanceName="Nb-Life", DisassociateLifecycleConfig=True)
    wait_for(lambda: notebook_status(sm, "Nb-Life") == "Stopped")
    assert "NotebookInstanceLifecycleConfigName" not in sm.describe_notebook_instance(NotebookInstanceName="Nb-Life")

    sm.start_notebook_instance(NotebookInstanceName="Nb-Life")
    assert notebook_status(sm, "Nb-Life") == "Pending"
    wait_for(lambda: notebook_status(sm, "Nb-Life") == "InService")
    sm.stop_notebook_instance(NotebookInstanceName="Nb-Life")
    wait_for(lambda: notebook_status(sm, "Nb-Life") == "Stopped")

    sm.delete_notebook_instance(NotebookInstanceName="Nb-Life")
    assert notebook_status(sm, "Nb-Life") == "Deleting"
    sm.get_waiter("notebook_instance_deleted").wait(
        NotebookInstanceName="Nb-Life", WaiterConfig={"Delay": 1, "MaxAttempts": 10}
    )
    err = error_of(sm.describe_notebook_instance, NotebookInstanceName="Nb-Life")
    assert (err["Code"], err["Message"]) == ("ValidationException", "RecordNotFound")
    assert error_of(sm.start_notebook_instance, NotebookInstanceName="Nb-Life")["Message"] == "RecordNotFound"


def test_notebook_instance_listing(sm: Any) -> None:
    for name, repo in (
        ("lst-b", "https://git.example/b-repo.git"),
        ("lst-a", None),
        ("lst-c", "https://git.example/c-repo"),
    ):
        extra = {"DefaultCodeRepository": repo, "AdditionalCodeRepositories": ["shared"]} if repo else {}
        sm.create_notebook_instance(NotebookInstanceName=name, InstanceType="ml.t3.medium", RoleArn=ROLE, **extra)
    listed = sm.list_notebook_instances(NameContains="LST-")["NotebookInstances"]
    # AWS's default order: by name, ascending.
    assert [n["NotebookInstanceName"] for n in listed] == ["lst-a", "lst-b", "lst-c"]
    assert listed[0]["Url"] == "lst-a.notebook.us-east-1.sagemaker.aws"
    assert listed[0]["NotebookInstanceArn"] == f"{PREFIX}:notebook-instance/lst-a"
    newest_first = sm.list_notebook_instances(NameContains="lst-", SortBy="CreationTime", SortOrder="Descending")
    assert [n["NotebookInstanceName"] for n in newest_first["NotebookInstances"]] == ["lst-c", "lst-a", "lst-b"]
    by_repo = sm.list_notebook_instances(DefaultCodeRepositoryContains="B-REPO")["NotebookInstances"]
    assert [n["NotebookInstanceName"] for n in by_repo] == ["lst-b"]
    shared = sm.list_notebook_instances(AdditionalCodeRepositoryEquals="shared")["NotebookInstances"]
    assert [n["NotebookInstanceName"] for n in shared] == ["lst-b", "lst-c"]

    wait_for(lambda: notebook_status(sm, "lst-b") == "InService")
    sm.stop_notebook_instance(NotebookInstanceName="lst-b")
    stopping = sm.list_notebook_instances(NameContains="lst-", StatusEquals="Stopping")["NotebookInstances"]
    assert [(n["NotebookInstanceName"], n["NotebookInstanceStatus"]) for n in stopping] == [("lst-b", "Stopping")]
    by_status = sm.list_notebook_instances(NameContains="lst-", SortBy="Status", SortOrder="Ascending")
    assert [n["NotebookInstanceStatus"] for n in by_status["NotebookInstances"]][-1] == "Stopping"

    pages = list(
        sm.get_paginator("list_notebook_instances").paginate(NameContains="lst-", PaginationConfig={"PageSize": 2})
    )
    assert [len(p["NotebookInstances"]) for p in pages] == [2, 1]

    err = error_of(sm.list_notebook_instances, StatusEquals="Sleeping")
    assert err["Code"] == "ValidationException" and "statusEquals" in err["Message"]
    err = error_of(
        sm.create_notebook_instance, NotebookInstanceName="bad_name", InstanceType="ml.t3.medium", RoleArn=ROLE
    )
    assert err["Code"] == "ValidationException" and "notebookInstanceName" in err["Message"]


def test_failed_notebook_instance_can_be_started_or_deleted(sm: Any) -> None:
    reason = "The VPC has no route to the internet."
    tags = [{"Key": "sagemaker-studio:local-failure-reason", "Value": reason}]
    for name in ("nb-fail-a", "nb-fail-b"):
        sm.create_notebook_instance(NotebookInstanceName=name, InstanceType="ml.t3.medium", RoleArn=ROLE, Tags=tags)
    wait_for(lambda: notebook_status(sm, "nb-fail-a") == "Failed")
    assert sm.describe_notebook_instance(NotebookInstanceName="nb-fail-a")["FailureReason"] == reason
    err = error_of(sm.stop_notebook_instance, NotebookInstanceName="nb-fail-a")
    assert "Status (Failed) not in ([InService])" in err["Message"]
    sm.start_notebook_instance(NotebookInstanceName="nb-fail-a")
    started = sm.describe_notebook_instance(NotebookInstanceName="nb-fail-a")
    assert started["NotebookInstanceStatus"] == "Pending" and "FailureReason" not in started
    wait_for(lambda: notebook_status(sm, "nb-fail-a") == "InService")
    wait_for(lambda: notebook_status(sm, "nb-fail-b") == "Failed")
    sm.delete_notebook_instance(NotebookInstanceName="nb-fail-b")
    wait_for(lambda: not sm.list_notebook_instances(NameContains="nb-fail-b")["NotebookInstances"])


# --- Studio domains, user profiles and apps ----------------------------------------------------------------------


def new_domain(sm: Any, name: str, **extra: Any) -> str:
    settings = extra.pop("DefaultUserSettings", {"ExecutionRole": ROLE})
    created = sm.create_domain(
        DomainName=name, AuthMode="IAM", DefaultUserSettings=settings, SubnetIds=["subnet-1"], VpcId="vpc-1", **extra
    )
    return created["DomainId"]


def test_domain_lifecycle_and_listing(sm: Any) -> None:
    created = sm.create_domain(
        DomainName="studio-one",
        AuthMode="IAM",
        DefaultUserSettings={"ExecutionRole": ROLE},
        SubnetIds=["subnet-1"],
        VpcId="vpc-1",
    )
    domain_id = created["DomainId"]
    assert domain_id.startswith("d-") and len(domain_id) == 14
    assert created["DomainArn"] == f"{PREFIX}:domain/{domain_id}"
    assert created["Url"] == f"https://{domain_id}.studio.us-east-1.sagemaker.aws"
    described = sm.describe_domain(DomainId=domain_id)
    assert (described["Status"], described["DomainName"], described["AuthMode"]) == ("Pending", "studio-one", "IAM")
    assert described["HomeEfsFileSystemId"].startswith("fs-")
    assert described["DefaultUserSettings"] == {"ExecutionRole": ROLE}
    err = error_of(sm.delete_domain, DomainId=domain_id)
    assert err["Code"] == "ResourceInUse" and "still being created" in err["Message"]
    wait_for(lambda: sm.describe_domain(DomainId=domain_id)["Status"] == "InService")

    second = new_domain(sm, "studio-two")
    listed = [d for d in sm.list_domains()["Domains"] if d["DomainId"] in (domain_id, second)]
    assert [d["DomainName"] for d in listed] == ["studio-one", "studio-two"]
    assert listed[0]["Url"] == created["Url"] and listed[0]["Status"] == "InService"

    sm.delete_domain(DomainId=domain_id)
    assert sm.describe_domain(DomainId=domain_id)["Status"] == "Deleting"
    wait_for(lambda: domain_id not in {d["DomainId"] for d in sm.list_domains()["Domains"]})
    err = error_of(sm.describe_domain, DomainId=domain_id)
    assert err["Code"] == "ResourceNotFound" and domain_id in err["Message"]
    err = error_of(sm.create_domain, DomainName="x", AuthMode="Password", DefaultUserSettings={})
    assert err["Code"] == "ValidationException" and "authMode" in err["Message"]


def test_user_profiles_and_apps(sm: Any) -> None:
    domain_id = new_domain(
        sm,
        "studio-apps",
        DefaultUserSettings={
            "ExecutionRole": ROLE,
            "KernelGatewayAppSettings": {"DefaultResourceSpec": {"InstanceType": "ml.m5.large"}},
        },
    )
    wait_for(lambda: sm.describe_domain(DomainId=domain_id)["Status"] == "InService")
    arn = sm.create_user_profile(DomainId=domain_id, UserProfileName="Alice")["UserProfileArn"]
    assert arn == f"{PREFIX}:user-profile/{domain_id}/alice"
    sm.add_tags(ResourceArn=arn, Tags=[{"Key": "team", "Value": "ml"}])
    assert sm.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "ml"}]
    sm.create_user_profile(DomainId=domain_id, UserProfileName="bob")
    err = error_of(sm.create_user_profile, DomainId=domain_id, UserProfileName="bob")
    assert err["Code"] == "ResourceInUse"
    err = error_of(sm.create_user_profile, DomainId="d-nosuchdomain1", UserProfileName="carol")
    assert err["Code"] == "ValidationException" and "d-nosuchdomain1" in err["Message"]
    alice = sm.describe_user_profile(DomainId=domain_id, UserProfileName="Alice")
    assert (alice["Status"], alice["UserProfileName"], alice["HomeEfsFileSystemUid"]) == ("Pending", "Alice", "200001")
    assert sm.describe_user_profile(DomainId=domain_id, UserProfileName="bob")["HomeEfsFileSystemUid"] == "200002"
    wait_for(lambda: sm.describe_user_profile(DomainId=domain_id, UserProfileName="Alice")["Status"] == "InService")
    profiles = sm.list_user_profiles(DomainIdEquals=domain_id)["UserProfiles"]
    assert [p["UserProfileName"] for p in profiles] == ["Alice", "bob"]
    assert [p["UserProfileName"] for p in sm.list_user_profiles(UserProfileNameContains="BO")["UserProfiles"]] == [
        "bob"
    ]
    err = error_of(sm.describe_user_profile, DomainId=domain_id, UserProfileName="nobody")
    assert err["Code"] == "ResourceNotFound"

    server = sm.create_app(DomainId=domain_id, UserProfileName="Alice", AppType="JupyterServer", AppName="default")
    assert server["AppArn"] == f"{PREFIX}:app/{domain_id}/alice/jupyterserver/default"
    sm.create_app(DomainId=domain_id, UserProfileName="Alice", AppType="KernelGateway", AppName="datascience-cpu")
    sm.create_app(
        DomainId=domain_id,
        UserProfileName="Alice",
        AppType="KernelGateway",
        AppName="gpu",
        ResourceSpec={"InstanceType": "ml.g4dn.xlarge"},
    )
    app = sm.describe_app(DomainId=domain_id, UserProfileName="Alice", AppType="KernelGateway", AppName="gpu")
    assert (app["Status"], app["ResourceSpec"]["InstanceType"]) == ("Pending", "ml.g4dn.xlarge")
    err = error_of(sm.create_app, DomainId=domain_id, UserProfileName="Alice", AppType="KernelGateway", AppName="gpu")
    assert err["Code"] == "ResourceInUse" and "already exists" in err["Message"]
    err = error_of(sm.delete_app, DomainId=domain_id, UserProfileName="Alice", AppType="KernelGateway", AppName="gpu")
    assert err["Code"] == "ResourceInUse" and "Pending" in err["Message"]
    err = error_of(sm.create_app, DomainId=domain_id, SpaceName="shared", AppType="JupyterLab", AppName="default")
    assert err["Code"] == "ValidationException" and "Spaces" in err["Message"]

    def apps() -> dict[str, dict[str, Any]]:
        return {a["AppName"]: a for a in sm.list_apps(DomainIdEquals=domain_id, UserProfileNameEquals="Alice")["Apps"]}

    wait_for(lambda: {a["Status"] for a in apps().values()} == {"InService"})
    listed = apps()
    assert list(listed) == ["default", "datascience-cpu", "gpu"]
    assert listed["default"]["ResourceSpec"]["InstanceType"] == "system"
    assert listed["datascience-cpu"]["ResourceSpec"]["InstanceType"] == "ml.m5.large"  # the domain's default

    # A profile with apps cannot be deleted; a deleted app stays listed as Deleted and its name can be reused.
    err = error_of(sm.delete_user_profile, DomainId=domain_id, UserProfileName="Alice")
    assert err["Code"] == "ResourceInUse" and "apps" in err["Message"]
    sm.delete_app(DomainId=domain_id, UserProfileName="Alice", AppType="KernelGateway", AppName="gpu")
    assert apps()["gpu"]["Status"] == "Deleting"
    wait_for(lambda: apps()["gpu"]["Status"] == "Deleted")
    deleted = sm.describe_app(DomainId=domain_id, UserProfileName="Alice", AppType="KernelGateway", AppName="gpu")
    assert deleted["Status"] == "Deleted"
    err = error_of(sm.delete_app, DomainId=domain_id, UserProfileName="Alice", AppType="KernelGateway", AppName="gpu")
    assert err["Code"] == "ResourceNotFound"
    sm.create_app(DomainId=domain_id, UserProfileName="Alice", AppType="KernelGateway", AppName="gpu")
    assert apps()["gpu"]["Status"] == "Pending"

    err = error_of(sm.delete_domain, DomainId=domain_id)
    assert err["Code"] == "ResourceInUse" and "user profile" in err["Message"]
    wait_for(lambda: apps()["gpu"]["Status"] == "InService")
    for name, app_type in (
        ("default", "JupyterServer"),
        ("datascience-cpu", "KernelGateway"),
        ("gpu", "KernelGateway"),
    ):
        sm.delete_app(DomainId=domain_id, UserProfileName="Alice", AppType=app_type, AppName=name)
    wait_for(lambda: {a["Status"] for a in apps().values()} == {"Deleted"})
    for profile in ("Alice", "bob"):
        wait_for(
            lambda p=profile: sm.describe_user_profile(DomainId=domain_id, UserProfileName=p)["Status"] == "InService"
        )
        sm.delete_user_profile(DomainId=domain_id, UserProfileName=profile)
    wait_for(lambda: not sm.list_user_profiles(DomainIdEquals=domain_id)["UserProfiles"])
    assert not sm.list_apps(DomainIdEquals=domain_id)["Apps"]  # a deleted profile's deleted apps go with it
    sm.delete_domain(DomainId=domain_id)
    wait_for(lambda: domain_id not in {d["DomainId"] for d in sm.list_domains()["Domains"]})


# --- transform jobs ----------------------------------------------------------------------------------------------


def transform_request(name: str, model: str, **extra: Any) -> dict[str, Any]:
    return {
        "TransformJobName": name,
        "ModelName": model,
        "TransformInput": {"DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://bucket/in/"}}},
        "TransformOutput": {"S3OutputPath": "s3://bucket/out/"},
        "TransformResources": {"InstanceType": "ml.m5.large", "InstanceCount": 2},
        **extra,
    }


def transform_status(sm: Any, name: str) -> str:
    return sm.describe_transform_job(TransformJobName=name)["TransformJobStatus"]


def test_transform_jobs(sm: Any) -> None:
    err = error_of(sm.create_transform_job, **transform_request("tj-orphan", "no-such-model"))
    assert err["Code"] == "ValidationException"
    assert err["Message"] == f'Could not find model "{PREFIX}:model/no-such-model".'
    sm.create_model(ModelName="tj-model", PrimaryContainer={"Image": "img:1"}, ExecutionRoleArn=ROLE)

    arn = sm.create_transform_job(**transform_request("tj-done", "tj-model"))["TransformJobArn"]
    assert arn == f"{PREFIX}:transform-job/tj-done"
    job = sm.describe_transform_job(TransformJobName="tj-done")
    assert (job["TransformJobStatus"], job["ModelName"]) == ("InProgress", "tj-model")
    assert job["TransformResources"] == {"InstanceType": "ml.m5.large", "InstanceCount": 2}
    assert "TransformEndTime" not in job
    err = error_of(sm.create_transform_job, **transform_request("tj-done", "tj-model"))
    assert err["Code"] == "ResourceInUse"
    sm.get_waiter("transform_job_completed_or_stopped").wait(
        TransformJobName="tj-done", WaiterConfig={"Delay": 1, "MaxAttempts": 15}
    )
    done = sm.describe_transform_job(TransformJobName="tj-done")
    assert done["TransformJobStatus"] == "Completed"
    assert done["CreationTime"] <= done["TransformStartTime"] <= done["TransformEndTime"]
    err = error_of(sm.stop_transform_job, TransformJobName="tj-done")
    assert err["Code"] == "ValidationException" and "only an InProgress job can be stopped" in err["Message"]

    sm.create_transform_job(
        **transform_request(
            "tj-fail", "tj-model", Tags=[{"Key": "sagemaker-studio:local-failure-reason", "Value": "ClientError: bad"}]
        )
    )
    sm.create_transform_job(
        **transform_request(
            "tj-stop", "tj-model", Tags=[{"Key": "sagemaker-studio:local-duration-seconds", "Value": "60"}]
        )
    )
    sm.stop_transform_job(TransformJobName="tj-stop")
    assert transform_status(sm, "tj-stop") == "Stopping"
    wait_for(lambda: transform_status(sm, "tj-stop") == "Stopped")
    assert "TransformEndTime" in sm.describe_transform_job(TransformJobName="tj-stop")
    wait_for(lambda: transform_status(sm, "tj-fail") == "Failed")
    assert sm.describe_transform_job(TransformJobName="tj-fail")["FailureReason"] == "ClientError: bad"

    listed = sm.list_transform_jobs(NameContains="tj-", SortBy="Name", SortOrder="Ascending")["TransformJobSummaries"]
    assert [(j["TransformJobName"], j["TransformJobStatus"]) for j in listed] == [
        ("tj-done", "Completed"),
        ("tj-fail", "Failed"),
        ("tj-stop", "Stopped"),
    ]
    failed = sm.list_transform_jobs(StatusEquals="Failed", NameContains="tj-")["TransformJobSummaries"]
    assert [j["TransformJobName"] for j in failed] == ["tj-fail"] and failed[0]["FailureReason"] == "ClientError: bad"
    err = error_of(sm.describe_transform_job, TransformJobName="tj-none")
    assert err["Code"] == "ResourceNotFound" and "tj-none" in err["Message"]


# --- persistence ------------------------------------------------------------------------------------------------


def test_notebook_instances_and_studio_survive_a_restart(start_backend: StartBackend) -> None:
    backend = start_backend(delay=DELAY)
    sm = backend.client("sagemaker")
    sm.create_notebook_instance(NotebookInstanceName="keep-nb", InstanceType="ml.t3.medium", RoleArn=ROLE)
    domain_id = new_domain(sm, "keep-studio")
    wait_for(lambda: sm.describe_domain(DomainId=domain_id)["Status"] == "InService")
    sm.create_user_profile(DomainId=domain_id, UserProfileName="keeper")
    sm.create_app(DomainId=domain_id, UserProfileName="keeper", AppType="JupyterLab", AppName="default")
    sm.create_model(ModelName="keep-model", PrimaryContainer={"Image": "img:1"}, ExecutionRoleArn=ROLE)
    sm.create_transform_job(**transform_request("keep-transform", "keep-model"))
    backend.restart()
    sm = backend.client("sagemaker")
    # Transitions that fell due while the backend was down complete on the next read.
    wait_for(lambda: notebook_status(sm, "keep-nb") == "InService")
    sm.stop_notebook_instance(NotebookInstanceName="keep-nb")
    wait_for(
        lambda: (
            sm.describe_app(DomainId=domain_id, UserProfileName="keeper", AppType="JupyterLab", AppName="default")[
                "Status"
            ]
            == "InService"
        )
    )
    backend.restart(sig=9)
    sm = backend.client("sagemaker")
    wait_for(lambda: notebook_status(sm, "keep-nb") == "Stopped")
    app = sm.list_apps(DomainIdEquals=domain_id)["Apps"][0]
    assert (app["AppName"], app["Status"], app["ResourceSpec"]["InstanceType"]) == (
        "default",
        "InService",
        "ml.t3.medium",
    )
    assert sm.describe_user_profile(DomainId=domain_id, UserProfileName="keeper")["Status"] == "InService"
    assert sm.describe_domain(DomainId=domain_id)["DomainName"] == "keep-studio"
    wait_for(lambda: transform_status(sm, "keep-transform") == "Completed")
