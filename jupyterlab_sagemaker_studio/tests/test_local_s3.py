"""S3 and STS conformance of the local backend, driven over real HTTP by unchanged boto3 clients.

The backend runs as a subprocess (``python -m jupyterlab_sagemaker_studio.local``) on a free port, exactly as
scripts and kernels use it.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone

import botocore.exceptions
import pytest
from boto3.s3.transfer import TransferConfig
from local_backend import LocalBackendProcess, StartBackend

MiB = 1024 * 1024


@pytest.fixture(scope="module")
def backend(start_module_backend: StartBackend) -> LocalBackendProcess:
    return start_module_backend()


@pytest.fixture(scope="module")
def s3(backend):
    return backend.client("s3")


_counter = iter(range(10**6))


@pytest.fixture
def bucket(s3):
    name = f"test-bucket-{next(_counter)}-{os.getpid()}"
    s3.create_bucket(Bucket=name)
    return name


def error_code(exc_info) -> str:
    return exc_info.value.response["Error"]["Code"]


def status(exc_info) -> int:
    return exc_info.value.response["ResponseMetadata"]["HTTPStatusCode"]


# --- STS -------------------------------------------------------------------------------------------------------


def test_sts_get_caller_identity(backend):
    ident = backend.client("sts").get_caller_identity()
    assert ident["Account"] == "123456789012"
    assert ident["Arn"] == "arn:aws:sts::123456789012:assumed-role/SageMakerStudioLocalExecutionRole/SageMaker"
    assert ident["UserId"].startswith("AROA") and ident["UserId"].endswith(":SageMaker")


def test_sts_other_action_is_a_query_protocol_error(backend):
    sts = backend.client("sts")
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        sts.get_session_token()
    assert error_code(exc) == "InvalidAction"
    assert status(exc) == 400


def test_iam_get_role_answers_for_the_execution_role(backend):
    """What the SageMaker SDK's get_execution_role() asks after STS: the role's path, without a warning."""
    iam = backend.client("iam")
    role = iam.get_role(RoleName="SageMakerStudioLocalExecutionRole")["Role"]
    assert role["Arn"] == "arn:aws:iam::123456789012:role/SageMakerStudioLocalExecutionRole"
    assert role["Path"] == "/"
    assert role["RoleId"] == backend.client("sts").get_caller_identity()["UserId"].split(":")[0]
    principal = role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]
    assert principal == {"Service": "sagemaker.amazonaws.com"}
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        iam.get_role(RoleName="SomeoneElse")
    assert error_code(exc) == "NoSuchEntity" and status(exc) == 404
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        iam.list_roles()
    assert error_code(exc) == "InvalidAction" and status(exc) == 400


# --- buckets ---------------------------------------------------------------------------------------------------


def test_bucket_lifecycle(s3):
    s3.create_bucket(Bucket="lifecycle-bucket")
    names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    assert "lifecycle-bucket" in names
    assert s3.head_bucket(Bucket="lifecycle-bucket")["ResponseMetadata"]["HTTPHeaders"]["x-amz-bucket-region"] == (
        "us-east-1"
    )
    assert s3.get_bucket_location(Bucket="lifecycle-bucket")["LocationConstraint"] is None
    s3.put_object(Bucket="lifecycle-bucket", Key="k", Body=b"x")
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        s3.delete_bucket(Bucket="lifecycle-bucket")
    assert (error_code(exc), status(exc)) == ("BucketNotEmpty", 409)
    s3.delete_object(Bucket="lifecycle-bucket", Key="k")
    s3.delete_bucket(Bucket="lifecycle-bucket")
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        s3.head_bucket(Bucket="lifecycle-bucket")
    assert status(exc) == 404
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        s3.list_objects_v2(Bucket="lifecycle-bucket")
    assert (error_code(exc), status(exc)) == ("NoSuchBucket", 404)


@pytest.mark.parametrize(
    "name",
    ["ab", "a" * 64, "UpperCase", "-leading", "trailing-", "two..dots", "192.168.1.1", "xn--punycode", "x_y_z"],
)
def test_invalid_bucket_names(s3, name):
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        s3.create_bucket(Bucket=name)
    assert (error_code(exc), status(exc)) == ("InvalidBucketName", 400)


def test_recreating_own_bucket_in_us_east_1_succeeds_as_on_aws(s3, bucket):
    # S3 answers 200 here in us-east-1 (legacy behaviour); other regions answer BucketAlreadyOwnedByYou.
    s3.create_bucket(Bucket=bucket)
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]].count(bucket) == 1


def test_bucket_already_owned_in_other_region(tmp_path, start_backend):
    s3 = start_backend(tmp_path, region="eu-west-1").client("s3")
    config = {"LocationConstraint": "eu-west-1"}
    s3.create_bucket(Bucket="eu-bucket", CreateBucketConfiguration=config)
    assert s3.get_bucket_location(Bucket="eu-bucket")["LocationConstraint"] == "eu-west-1"
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        s3.create_bucket(Bucket="eu-bucket", CreateBucketConfiguration=config)
    assert (error_code(exc), status(exc)) == ("BucketAlreadyOwnedByYou", 409)
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        s3.create_bucket(Bucket="other-bucket", CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
    assert error_code(exc) == "IllegalLocationConstraintException"


# --- objects ---------------------------------------------------------------------------------------------------


def test_put_get_head_with_metadata(s3, bucket):
    body = b"hello, local s3"
    put = s3.put_object(
        Bucket=bucket,
        Key="doc.txt",
        Body=body,
        ContentType="text/plain",
        Metadata={"owner": "alice"},
        CacheControl="no-cache",
    )
    assert put["ETag"] == f'"{hashlib.md5(body).hexdigest()}"'
    got = s3.get_object(Bucket=bucket, Key="doc.txt")
    assert got["Body"].read() == body
    assert got["ContentType"] == "text/plain"
    assert got["CacheControl"] == "no-cache"
    assert got["ContentLength"] == len(body)
    assert got["ETag"] == put["ETag"]
    # AWS sends metadata names in lower case and botocore keeps them verbatim as the dictionary keys.
    assert got["Metadata"] == {"owner": "alice"}
    assert abs((got["LastModified"] - datetime.now(timezone.utc)).total_seconds()) < 60
    headers = got["ResponseMetadata"]["HTTPHeaders"]
    assert headers["x-amz-request-id"]
    head = s3.head_object(Bucket=bucket, Key="doc.txt")
    assert head["ContentLength"] == len(body) and head["ETag"] == put["ETag"]


def test_default_content_type_and_overwrite(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"one")
    s3.put_object(Bucket=bucket, Key="k", Body=b"second")
    got = s3.get_object(Bucket=bucket, Key="k")
    assert got["Body"].read() == b"second"
    assert got["ContentType"] == "binary/octet-stream"


def test_content_md5_mismatch_is_bad_digest(s3, bucket):
    wrong = base64.b64encode(hashlib.md5(b"other").digest()).decode()
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        s3.put_object(Bucket=bucket, Key="k", Body=b"data", ContentMD5=wrong)
    assert (error_code(exc), status(exc)) == ("BadDigest", 400)
    right = base64.b64encode(hashlib.md5(b"data").digest()).decode()
    s3.put_object(Bucket=bucket, Key="k", Body=b"data", ContentMD5=right)


def test_checksum_mismatch_is_bad_digest(s3, bucket):
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        s3.put_object(Bucket=bucket, Key="k", Body=b"data", ChecksumSHA256=base64.b64encode(b"0" * 32).decode())
    assert error_code(exc) == "BadDigest"
    good = base64.b64encode(hashlib.sha256(b"data").digest()).decode()
    put = s3.put_object(Bucket=bucket, Key="k", Body=b"data", ChecksumSHA256=good)
    assert put["ChecksumSHA256"] == good
    got = s3.get_object(Bucket=bucket, Key="k", ChecksumMode="ENABLED")
    assert got["ChecksumSHA256"] == good and got["Body"].read() == b"data"


def test_missing_key_and_bucket_errors(s3, bucket):
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        s3.get_object(Bucket=bucket, Key="absent")
    assert (error_code(exc), status(exc)) == ("NoSuchKey", 404)
    assert exc.value.response["Error"]["Key"] == "absent"
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        s3.head_object(Bucket=bucket, Key="absent")
    assert status(exc) == 404
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        s3.get_object(Bucket="no-such-bucket-here", Key="x")
    assert (error_code(exc), status(exc)) == ("NoSuchBucket", 404)
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        s3.put_object(Bucket="no-such-bucket-here", Key="x", Body=b"")
    assert error_code(exc) == "NoSuchBucket"


def test_head_error_has_no_body(backend, s3, bucket):
    url = s3.generate_presigned_url("head_object", Params={"Bucket": bucket, "Key": "absent"}, HttpMethod="HEAD")
    req = urllib.request.Request(url, method="HEAD")
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(req)
    assert exc.value.code == 404
    assert exc.value.read() == b""


@pytest.mark.parametrize(
    "key",
    [
        "with space.txt",
        "ünïcødé/ключ/鍵.bin",
        "plus+and=equals&amp;",
        "percent%20literal",
        "a/b/../c",
        "tilde~*()!'",
        "emoji-🚀.txt",
        "question?mark#hash",
        "trailing-slash/",
    ],
)
def test_special_keys_round_trip(s3, bucket, key):
    s3.put_object(Bucket=bucket, Key=key, Body=key.encode())
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == key.encode()
    listed = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert listed == [key]
    listed_v1 = [o["Key"] for o in s3.list_objects(Bucket=bucket)["Contents"]]
    assert listed_v1 == [key]
    s3.delete_object(Bucket=bucket, Key=key)
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0


def test_ranges(s3, bucket):
    body = bytes(range(256)) * 4
    s3.put_object(Bucket=bucket, Key="r", Body=body)
    cases = {"bytes=0-9": (0, 9), "bytes=1000-": (1000, 1023), "bytes=-24": (1000, 1023), "bytes=10-5000": (10, 1023)}
    for rng, (first, last) in cases.items():
        got = s3.get_object(Bucket=bucket, Key="r", Range=rng)
        assert got["ResponseMetadata"]["HTTPStatusCode"] == 206
        assert got["ContentRange"] == f"bytes {first}-{last}/1024"
        assert got["Body"].read() == body[first : last + 1]
        assert got["ContentLength"] == last - first + 1
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        s3.get_object(Bucket=bucket, Key="r", Range="bytes=1024-")
    assert (error_code(exc), status(exc)) == ("InvalidRange", 416)
    # A range S3 does not serve (several ranges) is ignored: the whole object comes back.
    whole = s3.get_object(Bucket=bucket, Key="r", Range="bytes=0-1,5-6")
    assert whole["ResponseMetadata"]["HTTPStatusCode"] == 200 and whole["Body"].read() == body


def test_conditional_get(s3, bucket):
    etag = s3.put_object(Bucket=bucket, Key="c", Body=b"conditional")["ETag"]
    assert s3.get_object(Bucket=bucket, Key="c", IfMatch=etag)["Body"].read() == b"conditional"
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        s3.get_object(Bucket=bucket, Key="c", IfMatch='"0000"')
    assert (error_code(exc), status(exc)) == ("PreconditionFailed", 412)
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        s3.get_object(Bucket=bucket, Key="c", IfNoneMatch=etag)
    assert status(exc) == 304
    later = datetime.now(timezone.utc) + timedelta(hours=1)
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        s3.get_object(Bucket=bucket, Key="c", IfModifiedSince=later)
    assert status(exc) == 304
    earlier = datetime.now(timezone.utc) - timedelta(hours=1)
    assert s3.get_object(Bucket=bucket, Key="c", IfModifiedSince=earlier)["Body"].read() == b"conditional"
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        s3.get_object(Bucket=bucket, Key="c", IfUnmodifiedSince=earlier)
    assert status(exc) == 412


def test_conditional_put_if_none_match(s3, bucket):
    s3.put_object(Bucket=bucket, Key="once", Body=b"1", IfNoneMatch="*")
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        s3.put_object(Bucket=bucket, Key="once", Body=b"2", IfNoneMatch="*")
    assert status(exc) == 412
    assert s3.get_object(Bucket=bucket, Key="once")["Body"].read() == b"1"


def test_delete_objects(s3, bucket):
    for i in range(5):
        s3.put_object(Bucket=bucket, Key=f"d/{i}", Body=b"x")
    result = s3.delete_objects(
        Bucket=bucket, Delete={"Objects": [{"Key": "d/0"}, {"Key": "d/1"}, {"Key": "never-existed"}]}
    )
    assert sorted(d["Key"] for d in result["Deleted"]) == ["d/0", "d/1", "never-existed"]
    quiet = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "d/2"}], "Quiet": True})
    assert "Deleted" not in quiet
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["d/3", "d/4"]
    s3.delete_object(Bucket=bucket, Key="never-existed-either")  # 204 like AWS


def test_copy_object(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src ü", Body=b"copy me", ContentType="text/plain", Metadata={"a": "1"})
    result = s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src ü"})
    assert result["CopyObjectResult"]["ETag"] == f'"{hashlib.md5(b"copy me").hexdigest()}"'
    got = s3.get_object(Bucket=bucket, Key="dst")
    assert got["Body"].read() == b"copy me"
    assert got["ContentType"] == "text/plain"
    assert got["Metadata"] == {"a": "1"}
    s3.copy_object(
        Bucket=bucket,
        Key="dst2",
        CopySource=f"{bucket}/src ü",
        MetadataDirective="REPLACE",
        ContentType="application/json",
        Metadata={"b": "2"},
    )
    got = s3.head_object(Bucket=bucket, Key="dst2")
    assert got["ContentType"] == "application/json"
    assert got["Metadata"] == {"b": "2"}
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "dst"})
    assert error_code(exc) == "InvalidRequest"
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        s3.copy_object(Bucket=bucket, Key="dst3", CopySource={"Bucket": bucket, "Key": "missing"})
    assert error_code(exc) == "NoSuchKey"


# --- listings --------------------------------------------------------------------------------------------------


def test_list_objects_v2_prefix_delimiter_and_paging(s3, bucket):
    keys = ["a/1", "a/2", "a/sub/3", "b/1", "c", "d/e/f", "é/1"]
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=key.encode())
    listed = s3.list_objects_v2(Bucket=bucket)
    assert [o["Key"] for o in listed["Contents"]] == keys
    assert listed["KeyCount"] == len(keys) and listed["IsTruncated"] is False

    top = s3.list_objects_v2(Bucket=bucket, Delimiter="/")
    assert [o["Key"] for o in top["Contents"]] == ["c"]
    assert [p["Prefix"] for p in top["CommonPrefixes"]] == ["a/", "b/", "d/", "é/"]
    assert top["KeyCount"] == 5

    under_a = s3.list_objects_v2(Bucket=bucket, Prefix="a/", Delimiter="/")
    assert [o["Key"] for o in under_a["Contents"]] == ["a/1", "a/2"]
    assert [p["Prefix"] for p in under_a["CommonPrefixes"]] == ["a/sub/"]

    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, StartAfter="b/1")["Contents"]] == ["c", "d/e/f", "é/1"]

    # Paging with continuation tokens: prefixes and keys each count once and nothing repeats.
    seen, token, pages = [], None, 0
    while True:
        kwargs = {"Bucket": bucket, "Delimiter": "/", "MaxKeys": 2}
        if token:
            kwargs["ContinuationToken"] = token
        page = s3.list_objects_v2(**kwargs)
        pages += 1
        assert page["KeyCount"] <= 2
        seen += [o["Key"] for o in page.get("Contents", [])] + [p["Prefix"] for p in page.get("CommonPrefixes", [])]
        if not page["IsTruncated"]:
            break
        token = page["NextContinuationToken"]
    assert sorted(seen) == sorted(["a/", "b/", "c", "d/", "é/"]) and pages == 3

    paginated = [
        o["Key"]
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, PaginationConfig={"PageSize": 3})
        for o in page["Contents"]
    ]
    assert paginated == keys
    assert s3.list_objects_v2(Bucket=bucket, Prefix="zzz")["KeyCount"] == 0


def test_list_objects_v1_marker_paging(s3, bucket):
    keys = [f"k{i:02d}" for i in range(7)]
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=b"")
    pages = list(s3.get_paginator("list_objects").paginate(Bucket=bucket, PaginationConfig={"PageSize": 3}))
    assert len(pages) == 3
    assert [o["Key"] for p in pages for o in p["Contents"]] == keys


def test_list_pagination_of_1000_plus_keys(s3, bucket):
    # More than one backend batch (1000 rows), so cursor continuation inside the walk is exercised.
    for i in range(1005):
        s3.put_object(Bucket=bucket, Key=f"dir/{i:05d}", Body=b"")
    s3.put_object(Bucket=bucket, Key="dir0", Body=b"")
    first = s3.list_objects_v2(Bucket=bucket)
    assert first["KeyCount"] == 1000 and first["IsTruncated"] is True
    second = s3.list_objects_v2(Bucket=bucket, ContinuationToken=first["NextContinuationToken"])
    assert [o["Key"] for o in second["Contents"]] == [
        "dir/01000",
        "dir/01001",
        "dir/01002",
        "dir/01003",
        "dir/01004",
        "dir0",
    ]
    rolled = s3.list_objects_v2(Bucket=bucket, Delimiter="/")
    assert [p["Prefix"] for p in rolled["CommonPrefixes"]] == ["dir/"]
    assert [o["Key"] for o in rolled["Contents"]] == ["dir0"]


# --- multipart -------------------------------------------------------------------------------------------------


def test_upload_fileobj_multipart_and_download(s3, bucket, tmp_path):
    data = os.urandom(12 * MiB)
    config = TransferConfig(multipart_threshold=5 * MiB, multipart_chunksize=5 * MiB)
    s3.upload_fileobj(io.BytesIO(data), bucket, "big.bin", Config=config)
    head = s3.head_object(Bucket=bucket, Key="big.bin")
    md5s = b"".join(hashlib.md5(data[i : i + 5 * MiB]).digest() for i in range(0, len(data), 5 * MiB))
    assert head["ETag"] == f'"{hashlib.md5(md5s).hexdigest()}-3"'
    assert head["ContentLength"] == len(data)
    target = tmp_path / "big.out"
    s3.download_file(bucket, "big.bin", str(target), Config=config)
    assert target.read_bytes() == data
    part = s3.get_object(Bucket=bucket, Key="big.bin", Range=f"bytes={5 * MiB - 3}-{5 * MiB + 2}")
    assert part["Body"].read() == data[5 * MiB - 3 : 5 * MiB + 3]


def test_multipart_low_level_api(s3, bucket):
    upload = s3.create_multipart_upload(Bucket=bucket, Key="mp", ContentType="text/csv", Metadata={"m": "1"})
    uid = upload["UploadId"]
    assert [u["UploadId"] for u in s3.list_multipart_uploads(Bucket=bucket)["Uploads"]] == [uid]
    first = os.urandom(5 * MiB)
    e1 = s3.upload_part(Bucket=bucket, Key="mp", UploadId=uid, PartNumber=1, Body=first)["ETag"]
    e2 = s3.upload_part(Bucket=bucket, Key="mp", UploadId=uid, PartNumber=2, Body=b"tail")["ETag"]
    parts = s3.list_parts(Bucket=bucket, Key="mp", UploadId=uid)["Parts"]
    assert [(p["PartNumber"], p["Size"], p["ETag"]) for p in parts] == [(1, 5 * MiB, e1), (2, 4, e2)]

    def complete(part_list):
        return s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=uid, MultipartUpload={"Parts": part_list})

    with pytest.raises(botocore.exceptions.ClientError) as exc:
        complete([{"PartNumber": 2, "ETag": e2}, {"PartNumber": 1, "ETag": e1}])
    assert error_code(exc) == "InvalidPartOrder"
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        complete([{"PartNumber": 1, "ETag": e2}, {"PartNumber": 2, "ETag": e2}])
    assert error_code(exc) == "InvalidPart"
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        complete([{"PartNumber": 2, "ETag": e2}, {"PartNumber": 3, "ETag": e2}])
    assert error_code(exc) == "InvalidPart"
    done = complete([{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}])
    assert done["ETag"].endswith('-2"')
    got = s3.get_object(Bucket=bucket, Key="mp")
    assert got["Body"].read() == first + b"tail"
    assert got["ContentType"] == "text/csv"
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        s3.list_parts(Bucket=bucket, Key="mp", UploadId=uid)
    assert (error_code(exc), status(exc)) == ("NoSuchUpload", 404)


def test_multipart_entity_too_small_and_abort(s3, bucket):
    uid = s3.create_multipart_upload(Bucket=bucket, Key="small")["UploadId"]
    e1 = s3.upload_part(Bucket=bucket, Key="small", UploadId=uid, PartNumber=1, Body=b"a" * 1024)["ETag"]
    e2 = s3.upload_part(Bucket=bucket, Key="small", UploadId=uid, PartNumber=2, Body=b"b")["ETag"]
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        s3.complete_multipart_upload(
            Bucket=bucket,
            Key="small",
            UploadId=uid,
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]},
        )
    assert error_code(exc) == "EntityTooSmall"
    s3.abort_multipart_upload(Bucket=bucket, Key="small", UploadId=uid)
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        s3.upload_part(Bucket=bucket, Key="small", UploadId=uid, PartNumber=3, Body=b"c")
    assert error_code(exc) == "NoSuchUpload"
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        s3.head_object(Bucket=bucket, Key="small")
    assert status(exc) == 404


def test_managed_copy_uses_upload_part_copy(s3, bucket):
    data = os.urandom(11 * MiB)
    s3.put_object(Bucket=bucket, Key="orig", Body=data)
    config = TransferConfig(multipart_threshold=5 * MiB, multipart_chunksize=5 * MiB)
    s3.copy({"Bucket": bucket, "Key": "orig"}, bucket, "copied", Config=config)
    head = s3.head_object(Bucket=bucket, Key="copied")
    assert head["ETag"].endswith('-3"')
    assert s3.get_object(Bucket=bucket, Key="copied")["Body"].read() == data


# --- checksum trailers (aws-chunked) ---------------------------------------------------------------------------


def test_aws_chunked_unsigned_trailer_body(backend, bucket):
    """What botocore sends over TLS and the JS SDK v3 sends by default: an aws-chunked body, checksum trailer."""
    import zlib

    from botocore.auth import S3SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    payload = b"chunked payload " * 1000
    crc = base64.b64encode(zlib.crc32(payload).to_bytes(4, "big")).decode()
    body = (
        f"{len(payload[:7000]):x}\r\n".encode()
        + payload[:7000]
        + b"\r\n"
        + f"{len(payload[7000:]):x}\r\n".encode()
        + payload[7000:]
        + b"\r\n"
        + b"0\r\n"
        + f"x-amz-checksum-crc32:{crc}\r\n\r\n".encode()
    )
    url = f"{backend.info['endpoint_url']}/{bucket}/chunked.bin"
    headers = {
        "Content-Encoding": "aws-chunked",
        "X-Amz-Content-SHA256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
        "X-Amz-Trailer": "x-amz-checksum-crc32",
        "X-Amz-Decoded-Content-Length": str(len(payload)),
        "Content-Type": "application/octet-stream",
    }
    request = AWSRequest("PUT", url, data=body, headers=headers)
    credentials = Credentials(backend.info["access_key"], backend.info["secret_key"])
    S3SigV4Auth(credentials, "s3", "us-east-1").add_auth(request)
    prepared = request.prepare()
    with urllib.request.urlopen(
        urllib.request.Request(url, data=body, method="PUT", headers=dict(prepared.headers))
    ) as resp:
        assert resp.status == 200
        assert resp.headers["ETag"] == f'"{hashlib.md5(payload).hexdigest()}"'
    got = backend.client("s3").get_object(Bucket=bucket, Key="chunked.bin")
    assert got["Body"].read() == payload
    assert "ContentEncoding" not in got  # aws-chunked is a transfer detail, not stored
