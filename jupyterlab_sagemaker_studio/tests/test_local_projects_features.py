"""Search over pipelines, model package groups and endpoints in the local backend — how a project's resources are
found by AWS's project tags (``sagemaker:project-name`` / ``sagemaker:project-id``) — and the feature group
members the feature group tab shows, driven by unchanged boto3 clients against the backend subprocess."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from local_backend import LocalBackendProcess, StartBackend, error_of, wait_for

from jupyterlab_sagemaker_studio.demo.catalog import S3_PREFIX
from jupyterlab_sagemaker_studio.demo.mlops import FEATURE_GROUPS, raw_table

DELAY = 0.4
ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/SageMakerRole"
NAME_TAG = "sagemaker:project-name"
ID_TAG = "sagemaker:project-id"
STEPS = [{"Name": "Prepare", "Type": "Processing", "Arguments": {}}]
DEFINITION = json.dumps({"Version": "2020-12-01", "Steps": STEPS})


@pytest.fixture(scope="module")
def backend(start_module_backend: StartBackend) -> LocalBackendProcess:
    return start_module_backend(delay=DELAY)


@pytest.fixture(scope="module")
def sm(backend: LocalBackendProcess) -> Any:
    return backend.client("sagemaker")


def _tag_filter(key: str, value: str, operator: str = "Equals") -> dict[str, Any]:
    return {"Filters": [{"Name": f"Tags.{key}", "Operator": operator, "Value": value}]}


def _names(sm: Any, resource: str, expression: dict[str, Any], **extra: Any) -> list[str]:
    key = {"Pipeline": "PipelineName", "ModelPackageGroup": "ModelPackageGroupName", "Endpoint": "EndpointName"}
    results = sm.search(Resource=resource, SearchExpression=expression, **extra)["Results"]
    return [r[resource][key[resource]] for r in results]


def _endpoint(sm: Any, name: str, tags: list[dict[str, str]]) -> str:
    sm.create_model(ModelName=f"{name}-model", PrimaryContainer={"Image": "img:1"}, ExecutionRoleArn=ROLE)
    sm.create_endpoint_config(
        EndpointConfigName=f"{name}-config",
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": f"{name}-model",
                "InstanceType": "ml.m5.large",
                "InitialInstanceCount": 2,
            }
        ],
    )
    return sm.create_endpoint(EndpointName=name, EndpointConfigName=f"{name}-config", Tags=tags)["EndpointArn"]


@pytest.fixture(scope="module")
def project(sm: Any) -> dict[str, Any]:
    """Project "fraud" with two pipelines, a model group and an endpoint tagged as AWS tags them, plus resources of
    another project and untagged ones that must not be found."""
    created = sm.create_project(
        ProjectName="fraud",
        ServiceCatalogProvisioningDetails={"ProductId": "prod-fraud01", "ProvisioningArtifactId": "pa-fraud01"},
    )
    sm.create_project(
        ProjectName="fraud-old",
        ServiceCatalogProvisioningDetails={"ProductId": "prod-fraud01", "ProvisioningArtifactId": "pa-fraud01"},
    )
    name_only = [{"Key": NAME_TAG, "Value": "fraud"}]  # the backend adds the id tag, as AWS's project tags go together
    both = [{"Key": NAME_TAG, "Value": "fraud"}, {"Key": ID_TAG, "Value": created["ProjectId"]}]
    other = [{"Key": NAME_TAG, "Value": "fraud-old"}]
    sm.create_pipeline(PipelineName="fraud-build", PipelineDefinition=DEFINITION, RoleArn=ROLE, Tags=name_only)
    sm.create_pipeline(PipelineName="fraud-score", PipelineDefinition=DEFINITION, RoleArn=ROLE, Tags=both)
    sm.create_pipeline(PipelineName="fraud-old-build", PipelineDefinition=DEFINITION, RoleArn=ROLE, Tags=other)
    sm.create_pipeline(PipelineName="untagged-build", PipelineDefinition=DEFINITION, RoleArn=ROLE)
    sm.create_model_package_group(ModelPackageGroupName="fraud-models", Tags=both)
    sm.create_model_package_group(ModelPackageGroupName="fraud-old-models", Tags=other)
    # Tagged after creation (AddTags), as the demo tags its resources.
    arn = sm.create_model_package_group(ModelPackageGroupName="fraud-later")["ModelPackageGroupArn"]
    sm.add_tags(ResourceArn=arn, Tags=both)
    _endpoint(sm, "fraud-live", both)
    _endpoint(sm, "fraud-old-live", other)
    return created


def test_pipelines_of_a_project_by_either_tag(sm: Any, project: dict[str, Any]) -> None:
    by_name = _names(sm, "Pipeline", _tag_filter(NAME_TAG, "fraud"), SortBy="PipelineName", SortOrder="Ascending")
    assert by_name == ["fraud-build", "fraud-score"]
    by_id = _names(sm, "Pipeline", _tag_filter(ID_TAG, project["ProjectId"]), SortBy="CreationTime")
    assert by_id == ["fraud-score", "fraud-build"]  # newest first: Descending is the default order
    record = sm.search(Resource="Pipeline", SearchExpression=_tag_filter(NAME_TAG, "fraud"))["Results"][0]["Pipeline"]
    assert "PipelineDefinition" not in record  # the Search shape has no definition
    assert {"PipelineArn", "PipelineStatus", "CreationTime", "Tags"} <= set(record)
    # Either tag, as the project tab asks: Or of both filters.
    either = {
        "Filters": [
            {"Name": f"Tags.{NAME_TAG}", "Operator": "Equals", "Value": "fraud"},
            {"Name": f"Tags.{ID_TAG}", "Operator": "Equals", "Value": project["ProjectId"]},
        ],
        "Operator": "Or",
    }
    assert sorted(_names(sm, "Pipeline", either)) == ["fraud-build", "fraud-score"]


def test_model_package_groups_of_a_project(sm: Any, project: dict[str, Any]) -> None:
    found = _names(sm, "ModelPackageGroup", _tag_filter(ID_TAG, project["ProjectId"]))
    # No SortBy: model package groups have no LastModifiedTime, so CreationTime (newest first) orders them.
    assert found == ["fraud-later", "fraud-models"]
    assert _names(sm, "ModelPackageGroup", _tag_filter(NAME_TAG, "fraud-old")) == ["fraud-old-models"]
    record = sm.search(Resource="ModelPackageGroup", SearchExpression=_tag_filter(NAME_TAG, "fraud"))["Results"][0]
    assert record["ModelPackageGroup"]["ModelPackageGroupStatus"] == "Completed"
    assert not any(k.startswith("_") for k in record["ModelPackageGroup"])


def test_endpoints_of_a_project_and_their_status(sm: Any, project: dict[str, Any]) -> None:
    def status() -> str:
        results = sm.search(Resource="Endpoint", SearchExpression=_tag_filter(NAME_TAG, "fraud"))["Results"]
        assert [r["Endpoint"]["EndpointName"] for r in results] == ["fraud-live"]
        return results[0]["Endpoint"]["EndpointStatus"]

    # The search applies the status changes that fell due, like DescribeEndpoint.
    assert wait_for(lambda: status() == "InService")
    count = {"Name": "ProductionVariants.CurrentInstanceCount", "Operator": "GreaterThan", "Value": "1"}
    numbers = {"Filters": [count]}
    assert "fraud-live" in _names(sm, "Endpoint", numbers)
    contains = _tag_filter(NAME_TAG, "FRAUD", operator="Contains")
    assert sorted(_names(sm, "Endpoint", contains)) == ["fraud-live", "fraud-old-live"]
    assert _names(sm, "Endpoint", _tag_filter(NAME_TAG, "fraud", operator="NotEquals")) == ["fraud-old-live"]


def test_search_requests_are_validated_like_the_rest(sm: Any, project: dict[str, Any]) -> None:
    err = error_of(sm.search, Resource="Pipeline", SearchExpression=_tag_filter(NAME_TAG, "fraud", "GreaterThan"))
    assert err["Code"] == "ValidationException" and "text property" in err["Message"]
    bad_name = {"Filters": [{"Name": "PipelineDefinition", "Operator": "Equals", "Value": "x"}]}
    err = error_of(sm.search, Resource="Pipeline", SearchExpression=bad_name)
    assert err["Code"] == "ValidationException" and "not a searchable property of Pipeline" in err["Message"]
    err = error_of(sm.search, Resource="Endpoint", SearchExpression=_tag_filter(NAME_TAG, "fraud"), MaxResults=500)
    assert err["Code"] == "ValidationException"
    err = error_of(sm.search, Resource="HyperParameterTuningJob")
    assert err["Code"] == "ValidationException" and "Endpoint" in err["Message"]


def test_search_pages_with_next_token(sm: Any, project: dict[str, Any]) -> None:
    first = sm.search(Resource="Pipeline", SearchExpression=_tag_filter(NAME_TAG, "fraud"), MaxResults=1)
    assert first["TotalHits"]["Value"] == 2 and "NextToken" in first
    second = sm.search(
        Resource="Pipeline", SearchExpression=_tag_filter(NAME_TAG, "fraud"), MaxResults=1, NextToken=first["NextToken"]
    )
    names = [r["Pipeline"]["PipelineName"] for r in first["Results"] + second["Results"]]
    assert sorted(names) == ["fraud-build", "fraud-score"] and "NextToken" not in second
    # boto3's paginator, as a client would page.
    pages = sm.get_paginator("search").paginate(
        Resource="ModelPackageGroup", SearchExpression=_tag_filter(NAME_TAG, "fraud"), PaginationConfig={"PageSize": 1}
    )
    assert sorted(r["ModelPackageGroup"]["ModelPackageGroupName"] for p in pages for r in p["Results"]) == [
        "fraud-later",
        "fraud-models",
    ]


def test_deleted_endpoint_leaves_the_project(sm: Any, project: dict[str, Any]) -> None:
    _endpoint(sm, "fraud-temp", [{"Key": NAME_TAG, "Value": "fraud"}])
    wait_for(lambda: sm.describe_endpoint(EndpointName="fraud-temp")["EndpointStatus"] == "InService")
    assert "fraud-temp" in _names(sm, "Endpoint", _tag_filter(NAME_TAG, "fraud"))
    sm.delete_endpoint(EndpointName="fraud-temp")
    wait_for(lambda: "fraud-temp" not in _names(sm, "Endpoint", _tag_filter(NAME_TAG, "fraud")))


def test_feature_group_members_the_tab_shows(sm: Any) -> None:
    sm.create_feature_group(
        FeatureGroupName="fg-tab",
        RecordIdentifierFeatureName="id",
        EventTimeFeatureName="ts",
        FeatureDefinitions=[
            {"FeatureName": "id", "FeatureType": "String"},
            {"FeatureName": "ts", "FeatureType": "Fractional"},
            {"FeatureName": "count", "FeatureType": "Integral"},
            {"FeatureName": "tags", "FeatureType": "String", "CollectionType": "List"},
        ],
        OnlineStoreConfig={"EnableOnlineStore": True, "TtlDuration": {"Unit": "Days", "Value": 7}},
        OfflineStoreConfig={"S3StorageConfig": {"S3Uri": "s3://bucket/fs"}, "TableFormat": "Iceberg"},
        RoleArn=ROLE,
        Description="Feature tab",
    )
    created = wait_for(
        lambda: (d := sm.describe_feature_group(FeatureGroupName="fg-tab"))["FeatureGroupStatus"] == "Created" and d
    )
    assert created["OfflineStoreStatus"] == {"Status": "Active"}
    assert [(f["FeatureName"], f["FeatureType"], f.get("CollectionType")) for f in created["FeatureDefinitions"]] == [
        ("id", "String", None),
        ("ts", "Fractional", None),
        ("count", "Integral", None),
        ("tags", "String", "List"),
    ]
    assert created["OnlineStoreConfig"]["TtlDuration"] == {"Unit": "Days", "Value": 7}
    offline = created["OfflineStoreConfig"]
    assert offline["TableFormat"] == "Iceberg"
    resolved = offline["S3StorageConfig"]["ResolvedOutputS3Uri"]
    assert resolved.startswith(f"s3://bucket/fs/{ACCOUNT}/sagemaker/us-east-1/offline-store/fg-tab-")
    assert offline["DataCatalogConfig"]["Database"] == "sagemaker_featurestore"


def test_demo_flow_reads_the_demo_biopsies_table() -> None:
    """The shipped Data Wrangler flow reads the S3 object the demo uploads, with the columns that table has."""
    pytest.importorskip("sklearn")
    flow = json.loads((Path(__file__).parents[1] / "demo" / "flows" / "breast-cancer-prep.flow").read_text())
    source = next(n for n in flow["nodes"] if n["type"] == "SOURCE")
    uri = source["parameters"]["dataset_definition"]["s3ExecutionContext"]["s3Uri"]
    assert uri == f"s3://sagemaker-us-east-1-{ACCOUNT}/{S3_PREFIX}/datasets/breast_cancer/raw/biopsies.csv"
    header = raw_table(FEATURE_GROUPS[0]).decode().splitlines()[0].split(",")
    schema = next(n for n in flow["nodes"] if n["operator"] == "sagemaker.spark.infer_and_cast_type_0.1")
    assert list(schema["trained_parameters"]["schema"]) == header
    ids = {n["node_id"] for n in flow["nodes"]}
    assert all(i["node_id"] in ids for n in flow["nodes"] for i in n["inputs"])
