"""The local backend's front door and durability: SigV4 (and S3 SigV2) authentication over real HTTP, file
permissions of the data directory, and state surviving SIGTERM and SIGKILL."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import stat
import time
import urllib.error
import urllib.request
from pathlib import Path

import botocore.exceptions
import pytest
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from local_backend import StartBackend

from jupyterlab_sagemaker_studio.local.jumpstart import content_bucket
from jupyterlab_sagemaker_studio.local.protocol import ServiceError
from jupyterlab_sagemaker_studio.local.sigv4 import verify_request

LOCAL_DIR = Path(__file__).resolve().parents[1] / "local"


@pytest.fixture
def backend(start_backend: StartBackend):
    b = start_backend()
    yield b
    b.kill()


def error_of(exc_info) -> tuple[str, int]:
    response = exc_info.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


# --- authentication --------------------------------------------------------------------------------------------


def test_wrong_secret_is_refused(backend):
    s3 = backend.client("s3", secret_key="not-the-secret")
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        s3.list_buckets()
    assert error_of(exc) == ("SignatureDoesNotMatch", 403)
    sts = backend.client("sts", secret_key="not-the-secret")
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        sts.get_caller_identity()
    assert error_of(exc) == ("SignatureDoesNotMatch", 403)


def test_unknown_access_key_is_refused(backend):
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        backend.client("s3", access_key="AKIAUNKNOWNKEY000000").list_buckets()
    assert error_of(exc) == ("InvalidAccessKeyId", 403)
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        backend.client("sts", access_key="AKIAUNKNOWNKEY000000").get_caller_identity()
    assert error_of(exc) == ("InvalidClientTokenId", 403)


def test_unsigned_requests_are_refused(backend):
    for method, path in (("GET", "/"), ("PUT", "/some-bucket"), ("POST", "/")):
        req = urllib.request.Request(
            backend.info["endpoint_url"] + path, method=method, data=b"" if method != "GET" else None
        )
        with pytest.raises(urllib.error.HTTPError) as exc:
            urllib.request.urlopen(req)
        assert exc.value.code == 403
        assert b"MissingAuthenticationToken" in exc.value.read()
    # Nothing was created by the refused PUT.
    assert backend.client("s3").list_buckets()["Buckets"] == []


def test_body_must_match_signed_payload_hash(backend):
    backend.client("s3").create_bucket(Bucket="payload-check")
    url = backend.info["endpoint_url"] + "/payload-check/obj"
    request = AWSRequest(
        "PUT", url, data=b"signed body", headers={"X-Amz-Content-SHA256": hashlib.sha256(b"signed body").hexdigest()}
    )
    S3SigV4Auth(Credentials(backend.info["access_key"], backend.info["secret_key"]), "s3", "us-east-1").add_auth(
        request
    )
    headers = dict(request.prepare().headers)
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(urllib.request.Request(url, data=b"forged body", method="PUT", headers=headers))
    assert exc.value.code == 400 and b"XAmzContentSHA256Mismatch" in exc.value.read()
    with urllib.request.urlopen(urllib.request.Request(url, data=b"signed body", method="PUT", headers=headers)) as r:
        assert r.status == 200


@pytest.mark.parametrize("signature_version", [None, "s3v4", "s3"])
def test_presigned_urls(backend, signature_version):
    """boto3's default presigning (SigV2 query auth for S3), explicit SigV4, and both request forms."""
    s3 = backend.client("s3")
    s3.create_bucket(Bucket="presign")
    s3.put_object(Bucket="presign", Key="dir/file ü.txt", Body=b"shared")
    config = {"signature_version": signature_version} if signature_version else {}
    signer = backend.client("s3", **config)
    url = signer.generate_presigned_url(
        "get_object", Params={"Bucket": "presign", "Key": "dir/file ü.txt"}, ExpiresIn=300
    )
    with urllib.request.urlopen(url) as resp:
        assert resp.read() == b"shared"

    # Tampering with the key or the signature breaks it.
    for tampered in (url.replace("file", "fila"), _flip_signature(url)):
        with pytest.raises(urllib.error.HTTPError) as exc:
            urllib.request.urlopen(tampered)
        assert exc.value.code == 403

    # A presigned PUT works too (an empty Content-Type, as signed; urllib would otherwise add a form type).
    put_url = signer.generate_presigned_url("put_object", Params={"Bucket": "presign", "Key": "up"}, ExpiresIn=300)
    put = urllib.request.Request(put_url, data=b"uploaded", method="PUT", headers={"Content-Type": ""})
    with urllib.request.urlopen(put) as resp:
        assert resp.status == 200
    assert s3.get_object(Bucket="presign", Key="up")["Body"].read() == b"uploaded"

    short = signer.generate_presigned_url(
        "get_object", Params={"Bucket": "presign", "Key": "dir/file ü.txt"}, ExpiresIn=1
    )
    time.sleep(2.2)
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(short)
    assert exc.value.code == 403 and b"expired" in exc.value.read()


def _flip_signature(url: str) -> str:
    for name in ("X-Amz-Signature=", "Signature="):
        at = url.find(name)
        if at >= 0:
            pos = at + len(name)
            return url[:pos] + ("0" if url[pos] != "0" else "1") + url[pos + 1 :]
    raise AssertionError("no signature in " + url)


def test_signature_version_2_header_requests(backend):
    s3 = backend.client("s3", signature_version="s3")
    s3.create_bucket(Bucket="legacy-signing")
    s3.put_object(Bucket="legacy-signing", Key="a b", Body=b"v2")
    assert s3.get_object(Bucket="legacy-signing", Key="a b")["Body"].read() == b"v2"
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="legacy-signing")["Contents"]] == ["a b"]
    wrong = backend.client("s3", secret_key="wrong", signature_version="s3")
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        wrong.list_objects_v2(Bucket="legacy-signing")
    assert error_of(exc) == ("SignatureDoesNotMatch", 403)


def _signed(service: str, method: str, url: str, body: bytes = b"", headers=None):
    """A request signed by botocore itself, split into the pieces the front door hands the verifier."""
    from urllib.parse import urlsplit

    request = AWSRequest(method, url, data=body, headers=headers or {})
    signer = S3SigV4Auth if service == "s3" else SigV4Auth
    signer(Credentials("AKIDLOCAL", "secret"), service, "us-east-1").add_auth(request)
    prepared = request.prepare()
    parts = urlsplit(prepared.url)
    lowered = {k.lower(): v for k, v in prepared.headers.items()}
    lowered.setdefault("host", parts.netloc)
    return dict(method=method, raw_path=parts.path, raw_query=parts.query, headers=lowered, body=body)


def _secret_for(key: str):
    return "secret" if key == "AKIDLOCAL" else None


def test_verifier_handles_each_services_canonical_path():
    # S3 signs the path as sent; other services sign it percent-encoded a second time.
    s3 = _signed("s3", "GET", "http://127.0.0.1:1/bucket/a%20b/%C3%BC%2Bc.txt?list-type=2&prefix=a%2Fb")
    assert verify_request(**s3, secret_for=_secret_for).service == "s3"
    sm = _signed("sagemaker", "POST", "http://127.0.0.1:1/BatchGetMetrics/a%20b", b"{}")
    assert verify_request(**sm, secret_for=_secret_for).service == "sagemaker"
    # The same request claimed under the other convention does not verify.
    with pytest.raises(ServiceError) as exc:
        verify_request(**{**sm, "raw_path": "/BatchGetMetrics/a%2520b"}, secret_for=_secret_for)
    assert exc.value.code == "SignatureDoesNotMatch"


def test_verifier_rejects_skewed_clock_and_reordered_query():
    signed = _signed(
        "sts",
        "POST",
        "http://127.0.0.1:1/",
        b"Action=GetCallerIdentity&Version=2011-06-15",
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert verify_request(**signed, secret_for=_secret_for).access_key == "AKIDLOCAL"
    with pytest.raises(ServiceError) as exc:
        verify_request(**signed, secret_for=_secret_for, now=lambda: time.time() + 16 * 60)
    assert (exc.value.code, exc.value.status) == ("RequestTimeTooSkewed", 403)
    # A body that differs from the signed one (no x-amz-content-sha256 header: the hash is of the body).
    with pytest.raises(ServiceError) as exc:
        verify_request(**{**signed, "body": b"Action=AssumeRole&Version=2011-06-15"}, secret_for=_secret_for)
    assert exc.value.code == "SignatureDoesNotMatch"
    query = _signed("s3", "GET", "http://127.0.0.1:1/b?list-type=2&prefix=x")
    assert verify_request(**{**query, "raw_query": "prefix=x&list-type=2"}, secret_for=_secret_for)
    with pytest.raises(ServiceError):
        verify_request(**{**query, "raw_query": "list-type=2&prefix=y"}, secret_for=_secret_for)


def test_data_dir_and_credentials_are_private(backend):
    data_dir = backend.data_dir
    assert stat.S_IMODE(os.stat(data_dir).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(data_dir / "credentials.json").st_mode) == 0o600
    keys = json.loads((data_dir / "credentials.json").read_text())
    assert keys["access_key"] == backend.info["access_key"]


# --- persistence -----------------------------------------------------------------------------------------------


def test_state_survives_sigterm_restart(tmp_path, start_backend):
    data = tmp_path / "data"
    first = start_backend(data)
    s3 = first.client("s3")
    s3.create_bucket(Bucket="kept-bucket")
    s3.create_bucket(Bucket="empty-bucket")
    s3.put_object(
        Bucket="kept-bucket", Key="notes/ü.txt", Body=b"persisted", ContentType="text/plain", Metadata={"k": "v"}
    )
    upload = s3.create_multipart_upload(Bucket="kept-bucket", Key="pending")["UploadId"]
    s3.upload_part(Bucket="kept-bucket", Key="pending", UploadId=upload, PartNumber=1, Body=b"part one")
    assert first.stop(signal.SIGTERM) == 0

    second = start_backend(data)
    assert second.info["access_key"] == first.info["access_key"]  # the same key pair after a restart
    s3 = second.client("s3")
    assert sorted(b["Name"] for b in s3.list_buckets()["Buckets"]) == ["empty-bucket", "kept-bucket"]
    got = s3.get_object(Bucket="kept-bucket", Key="notes/ü.txt")
    assert got["Body"].read() == b"persisted" and got["ContentType"] == "text/plain"
    assert [p["PartNumber"] for p in s3.list_parts(Bucket="kept-bucket", Key="pending", UploadId=upload)["Parts"]] == [
        1
    ]


def test_acknowledged_writes_survive_sigkill(tmp_path, start_backend):
    data = tmp_path / "data"
    first = start_backend(data)
    s3 = first.client("s3")
    s3.create_bucket(Bucket="crash-bucket")
    acknowledged = {}
    for i in range(50):
        body = os.urandom(1000 + i)
        s3.put_object(Bucket="crash-bucket", Key=f"obj-{i:02d}", Body=body)
        acknowledged[f"obj-{i:02d}"] = body
    s3.put_object(Bucket="crash-bucket", Key="obj-00", Body=b"overwritten")  # replaced, old file deleted
    acknowledged["obj-00"] = b"overwritten"
    s3.delete_object(Bucket="crash-bucket", Key="obj-01")
    del acknowledged["obj-01"]
    first.stop(signal.SIGKILL)  # no chance to flush anything after the last acknowledged response

    second = start_backend(data)
    s3 = second.client("s3")
    listed = [
        o["Key"]
        for o in s3.get_paginator("list_objects_v2").paginate(Bucket="crash-bucket").build_full_result()["Contents"]
    ]
    assert listed == sorted(acknowledged)
    for key, body in acknowledged.items():
        assert s3.get_object(Bucket="crash-bucket", Key=key)["Body"].read() == body
    # Exactly one stored file per object: replaced and deleted objects left nothing behind. (The backend's own
    # JumpStart catalog bucket holds the other object files.)
    catalog = s3.get_paginator("list_objects_v2").paginate(Bucket=content_bucket(second.info["region"]))
    catalog_objects = len(catalog.build_full_result()["Contents"])
    blobs = [p for p in (data / "objects").iterdir() if p.name.startswith("s3-")]
    assert len(blobs) == len(acknowledged) + catalog_objects


def test_orphaned_object_files_are_collected_at_start(tmp_path, start_backend):
    data = tmp_path / "data"
    first = start_backend(data)
    first.client("s3").create_bucket(Bucket="orphans")
    first.client("s3").put_object(Bucket="orphans", Key="real", Body=b"kept")
    first.stop()
    # What a crash between the durable file write and the commit leaves behind.
    (data / "objects" / "s3-0123456789abcdef0123456789abcdef").write_bytes(b"never committed")
    (data / "objects" / "s3-fedcba9876543210fedcba9876543210.part").write_bytes(b"half written")
    second = start_backend(data)
    assert second.client("s3").get_object(Bucket="orphans", Key="real")["Body"].read() == b"kept"
    names = {p.name for p in (data / "objects").iterdir()}
    assert "s3-0123456789abcdef0123456789abcdef" not in names
    assert "s3-fedcba9876543210fedcba9876543210.part" not in names
    # One file for "real"; the rest belong to the backend's own JumpStart catalog bucket.
    catalog = (
        second.client("s3").get_paginator("list_objects_v2").paginate(Bucket=content_bucket(second.info["region"]))
    )
    assert len([n for n in names if n.startswith("s3-")]) == 1 + len(catalog.build_full_result()["Contents"])


@pytest.mark.skipif(not (LOCAL_DIR / "sagemaker.py").exists(), reason="the local SageMaker service is not built yet")
def test_acknowledged_experiment_survives_sigkill(tmp_path, start_backend):
    data = tmp_path / "data"
    first = start_backend(data)
    sm = first.client("sagemaker")
    names = [f"crash-experiment-{i}" for i in range(10)]
    for name in names:
        sm.create_experiment(ExperimentName=name, Description="written before a crash")
    first.stop(signal.SIGKILL)
    second = start_backend(data)
    sm = second.client("sagemaker")
    for name in names:
        described = sm.describe_experiment(ExperimentName=name)
        assert described["Description"] == "written before a crash"


# AWS's published streaming-upload example (S3 API reference, "Signature Calculations for the Authorization Header:
# Transferring Payload in Multiple Chunks"): the seed signature and every chunk signature must verify.
EXAMPLE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
EXAMPLE_HEADERS = {
    "host": "s3.amazonaws.com",
    "x-amz-date": "20130524T000000Z",
    "x-amz-storage-class": "REDUCED_REDUNDANCY",
    "authorization": "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
    "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
    "x-amz-decoded-content-length;x-amz-storage-class,"
    "Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
    "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
    "content-encoding": "aws-chunked",
    "x-amz-decoded-content-length": "66560",
    "content-length": "66824",
}
EXAMPLE_CHUNKS = [
    (65536, "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648"),
    (1024, "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497"),
    (0, "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"),
]


def _example_body(fill: bytes = b"a") -> bytes:
    return b"".join(
        f"{size:x};chunk-signature={sig}\r\n".encode() + fill * size + b"\r\n" for size, sig in EXAMPLE_CHUNKS
    )


def test_signed_aws_chunked_example_from_aws_docs():
    from calendar import timegm

    from jupyterlab_sagemaker_studio.local.sigv4 import decode_aws_chunked

    when = timegm((2013, 5, 24, 0, 0, 0))
    body = _example_body()
    scope = verify_request(
        "PUT",
        "/examplebucket/chunkObject.txt",
        "",
        EXAMPLE_HEADERS,
        body,
        secret_for=lambda key: EXAMPLE_SECRET,
        now=lambda: when,
    )
    decoded = decode_aws_chunked(body, scope)
    assert decoded.data == b"a" * 66560 and decoded.trailers == {}
    # Same framing and signatures, different bytes: the chunk chain no longer verifies.
    with pytest.raises(ServiceError) as exc:
        decode_aws_chunked(_example_body(b"b"), scope)
    assert exc.value.code == "SignatureDoesNotMatch"
