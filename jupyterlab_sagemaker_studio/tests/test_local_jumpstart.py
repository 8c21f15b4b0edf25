"""The JumpStart catalog bucket of the local backend, read over real HTTP by unchanged boto3 clients."""

from __future__ import annotations

import json
from pathlib import Path

import botocore.exceptions
import pytest
from local_backend import LocalBackendProcess, StartBackend

from jupyterlab_sagemaker_studio.local import jumpstart

DATA = Path(jumpstart.__file__).with_name("jumpstart_data")
REGION = "eu-west-1"
BUCKET = f"jumpstart-cache-prod-{REGION}"
HOSTING_FIELDS = {
    "default_inference_instance_type",
    "supported_inference_instance_types",
    "inference_environment_variables",
    "hosting_artifact_key",
    "hosting_prepacked_artifact_key",
    "hosting_script_key",
    "hosting_ecr_specs",
    "hosting_instance_type_variants",
}


@pytest.fixture(scope="module")
def backend(start_module_backend: StartBackend) -> LocalBackendProcess:
    return start_module_backend(region=REGION)


@pytest.fixture(scope="module")
def s3(backend):
    return backend.client("s3")


@pytest.fixture(scope="module")
def manifest(s3) -> list[dict]:
    return json.loads(s3.get_object(Bucket=BUCKET, Key="models_manifest.json")["Body"].read())


@pytest.fixture(scope="module")
def catalog() -> dict[str, dict]:
    return {r["model_id"]: r for r in json.loads((DATA / "catalog.json").read_bytes())["models"]}


def _spec(s3, manifest, model_id, version) -> dict:
    entry = next(e for e in manifest if e["model_id"] == model_id and e["version"] == version)
    return json.loads(s3.get_object(Bucket=BUCKET, Key=entry["spec_key"])["Body"].read())


def test_manifest_lists_the_catalog(manifest, catalog):
    assert len(manifest) >= 1000
    assert {e["model_id"] for e in manifest} >= set(catalog)
    assert len({(e["model_id"], e["version"]) for e in manifest}) == len(manifest)
    for entry in manifest:
        assert entry["spec_key"] == f"community_models/{entry['model_id']}/specs_v{entry['version']}.json"
        assert set(entry) <= {
            "model_id",
            "version",
            "min_version",
            "spec_key",
            "deprecated",
            "provider",
            "search_keywords",
        }


def test_every_spec_key_exists(s3, manifest):
    keys = set()
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix="community_models/"):
        keys.update(o["Key"] for o in page.get("Contents", []))
    assert {e["spec_key"] for e in manifest} == keys


def test_real_entries_and_specs_are_verbatim(s3, manifest):
    for real in json.loads((DATA / "manifest.json").read_bytes()):
        assert real in manifest
        body = s3.get_object(Bucket=BUCKET, Key=real["spec_key"])["Body"].read()
        assert body == (DATA / jumpstart.REAL_SPEC_FILES[real["model_id"]]).read_bytes()


def test_model_with_hosting_data(s3, manifest, catalog):
    record = catalog["deepseek-llm-r1-distill-llama-8b"]
    hosting = record["hosting"]
    spec = _spec(s3, manifest, record["model_id"], hosting["version"])
    assert spec["default_inference_instance_type"] == hosting["default_inference_instance_type"] == "ml.g6.12xlarge"
    assert spec["supported_inference_instance_types"] == hosting["supported_inference_instance_types"]
    assert spec["hosting_artifact_key"] == hosting["artifact_key"]
    env = {v["name"]: v for v in spec["inference_environment_variables"]}
    assert env["NUM_SHARD"] == {"default": 4, "name": "NUM_SHARD", "scope": "container", "type": "int"}
    assert env["SAGEMAKER_PROGRAM"]["type"] == "text"
    aliases = spec["hosting_instance_type_variants"]["regional_aliases"]
    assert list(aliases) == ["us-east-1"] and list(aliases["us-east-1"].values()) == hosting["image_uri_us_east_1"]
    # The version the hosting data came from has no min SDK version in the data: none is invented.
    assert "min_sdk_version" not in spec and "training_supported" not in spec
    table = _spec(s3, manifest, record["model_id"], record["version"])
    assert table == {
        "min_sdk_version": record["min_sdk_version"],
        "model_id": record["model_id"],
        "training_supported": record["fine_tunable"],
        "url": record["source"]["url"],
        "version": record["version"],
    }


def test_model_without_hosting_data_has_no_invented_fields(s3, manifest, catalog):
    record = catalog["autogluon-classification-ensemble"]
    assert "hosting" not in record
    versions = [e for e in manifest if e["model_id"] == record["model_id"]]
    assert len(versions) == 1 and versions[0]["search_keywords"] == ["Classification"]
    assert versions[0]["min_version"] == record["min_sdk_version"]
    spec = _spec(s3, manifest, record["model_id"], record["version"])
    assert not HOSTING_FIELDS & set(spec)
    assert set(spec) == {"min_sdk_version", "model_id", "training_supported", "url", "version"}
    untasked = next(r for r in catalog.values() if r["task"] is None and "hosting" not in r)
    entry = next(e for e in manifest if e["model_id"] == untasked["model_id"])
    assert "search_keywords" not in entry


def test_bucket_is_public_not_the_accounts(s3, backend):
    assert BUCKET not in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    assert s3.head_bucket(Bucket=BUCKET)["ResponseMetadata"]["HTTPHeaders"]["x-amz-bucket-region"] == REGION
    with pytest.raises(botocore.exceptions.ClientError) as err:
        s3.put_object(Bucket=BUCKET, Key="models_manifest.json", Body=b"[]")
    assert err.value.response["Error"]["Code"] == "AccessDenied"
    with pytest.raises(botocore.exceptions.ClientError) as err:
        s3.delete_object(Bucket=BUCKET, Key="models_manifest.json")
    assert err.value.response["Error"]["Code"] == "AccessDenied"


def test_restart_is_idempotent(start_backend: StartBackend):
    first = start_backend(region=REGION)
    s3 = first.client("s3")
    before = {o["Key"]: (o["ETag"], o["LastModified"]) for o in _all_objects(s3)}
    first.restart()
    after = {o["Key"]: (o["ETag"], o["LastModified"]) for o in _all_objects(first.client("s3"))}
    assert after == before and len(after) > 1000
    blobs = [p for p in (first.data_dir / "objects").iterdir()]
    assert len(blobs) == len(after)


def _all_objects(s3) -> list[dict]:
    out = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        out.extend(page.get("Contents", []))
    return out
