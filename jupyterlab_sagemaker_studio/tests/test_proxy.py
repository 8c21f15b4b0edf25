"""The signing proxy over real HTTP: authentication, XSRF, allow-list, destination, signing, limits, errors.

AWS mode tests point every service at a *recording upstream* (a small Tornado app on 127.0.0.1) through
``SageMakerStudio.endpoint_overrides`` and use fake static credentials from the environment, so the test can
check exactly what would have reached AWS and recompute its SigV4 signature with botocore.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
import socket
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Optional
from urllib.parse import quote

import pytest
import tornado.web
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from jupyter_server.utils import JupyterServerAuthWarning
from tornado import httpserver, netutil
from tornado.httpclient import HTTPClientError, HTTPResponse

from jupyterlab_sagemaker_studio import proxy
from jupyterlab_sagemaker_studio.handlers import ConnectionHandler, setup_handlers
from jupyterlab_sagemaker_studio.proxy import PROXY_ERROR_HEADER, ProxyHandler

ACCESS_KEY = "AKIAPROXYTEST7EXAMPL"
SECRET_KEY = "pr0xyTestS3cretKey/DoNotLeak+abcdefghijk"
REGION = "eu-west-1"


# ---------------------------------------------------------------------- recording upstream


@dataclass
class Recorded:
    """One request as the upstream saw it."""

    method: str
    uri: str
    headers: dict[str, str]
    body: bytes
    connection: int


@dataclass
class Recorder:
    """A fake AWS endpoint that records requests and answers as told (default: 200 ``{"ok": true}``)."""

    port: int = 0
    requests: list[Recorded] = field(default_factory=list)
    #: path prefix -> async function(handler) writing the response
    routes: dict[str, Callable[[tornado.web.RequestHandler], Any]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class _RecordingHandler(tornado.web.RequestHandler):
    SUPPORTED_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH")

    def initialize(self, recorder: Recorder) -> None:
        self.recorder = recorder

    def check_xsrf_cookie(self) -> None:
        return

    async def _any(self) -> None:
        req = self.request
        self.recorder.requests.append(
            Recorded(req.method or "", req.uri or "", dict(req.headers.get_all()), req.body, id(req.connection.stream))
        )
        for prefix, respond in self.recorder.routes.items():
            if req.path.startswith(prefix):
                await respond(self)
                return
        self.set_header("Content-Type", "application/x-amz-json-1.1")
        self.set_header("x-amzn-RequestId", "req-1")
        if req.method != "HEAD":
            self.write(b'{"ok": true}')

    get = head = post = put = delete = patch = _any


def _start_recorder() -> Recorder:
    recorder = Recorder()
    sockets = netutil.bind_sockets(0, address="127.0.0.1")
    recorder.port = sockets[0].getsockname()[1]
    server = httpserver.HTTPServer(tornado.web.Application([(r"/.*", _RecordingHandler, {"recorder": recorder})]))
    server.add_sockets(sockets)
    recorder.server = server  # type: ignore[attr-defined]
    return recorder


@pytest.fixture
def upstream(jp_asyncio_loop):
    """The recording upstream every allowed service is pointed at."""
    recorder = jp_asyncio_loop.run_until_complete(_async(_start_recorder))
    yield recorder
    recorder.server.stop()  # type: ignore[attr-defined]
    proxy.POOL.close()


@pytest.fixture
def evil(jp_asyncio_loop):
    """A second server that must never receive anything (the address attackers try to redirect to)."""
    recorder = jp_asyncio_loop.run_until_complete(_async(_start_recorder))
    yield recorder
    recorder.server.stop()  # type: ignore[attr-defined]


async def _async(fn: Callable[[], Any]) -> Any:
    return fn()


# ---------------------------------------------------------------------- server configuration


@pytest.fixture
def studio_settings(request) -> dict[str, Any]:
    """Extra ``SageMakerStudio`` settings for one test (``indirect`` parametrisation)."""
    return dict(getattr(request, "param", {}))


@pytest.fixture
def server_settings(request) -> dict[str, Any]:
    """Extra ``ServerApp`` settings for one test (``indirect`` parametrisation)."""
    return dict(getattr(request, "param", {}))


@pytest.fixture
def aws_env(monkeypatch, tmp_path):
    """Fake static credentials in the environment and nothing else botocore could pick up."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ENDPOINT_URL", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    empty = tmp_path / "aws-empty"
    empty.write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(empty))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)


@pytest.fixture
def jp_server_config(upstream, aws_env, studio_settings, server_settings, tmp_path):
    """AWS mode with every service pointed at the recording upstream."""
    studio = {
        "mode": "aws",
        "region": REGION,
        "endpoint_overrides": {
            s: upstream.url for s in ("sagemaker", "sagemaker-metrics", "sagemaker-runtime", "s3", "sts")
        },
        "data_dir": str(tmp_path / "unused-data"),
        "demo_content": False,
    }
    studio.update(studio_settings)
    server = {"jpserver_extensions": {"jupyterlab_sagemaker_studio": True}}
    server.update(server_settings)
    return {"ServerApp": server, "SageMakerStudio": studio}


@pytest.fixture
def logs(caplog):
    """Everything logged at DEBUG and above, including the proxy's per-request line."""
    caplog.set_level(logging.DEBUG)
    return caplog


@pytest.fixture
def call(jp_serverapp, http_server_client, jp_base_url):
    """``call(service, region, path, …)``: a request to the proxy route; never raises on HTTP errors."""
    token = jp_serverapp.identity_provider.token

    async def _call(
        service: str,
        region: str,
        path: str = "",
        *,
        method: str = "POST",
        body: Optional[bytes] = None,
        headers: Optional[dict[str, str]] = None,
        query: str = "",
        auth: bool = True,
        **kwargs: Any,
    ) -> HTTPResponse:
        all_headers = {"Authorization": f"token {token}"} if auth else {}
        all_headers.update(headers or {})
        url = f"{jp_base_url}sagemaker-studio/aws/{service}/{region}/{path}" + (f"?{query}" if query else "")
        if body is None and method in ("POST", "PUT", "PATCH"):
            body = b""
        try:
            return await http_server_client.fetch(
                url, method=method, body=body, headers=all_headers, follow_redirects=False, **kwargs
            )
        except HTTPClientError as err:
            if err.response is None:  # the connection itself failed (HTTP 599)
                raise
            return err.response

    return _call


def _json_target(op: str) -> dict[str, str]:
    return {"X-Amz-Target": f"SageMaker.{op}", "Content-Type": "application/x-amz-json-1.1"}


def _proxy_error(resp: HTTPResponse, status: int, code: str) -> dict[str, Any]:
    assert resp.code == status, (resp.code, resp.body)
    assert resp.headers.get(PROXY_ERROR_HEADER) == "1"
    data = json.loads(resp.body)
    assert data["code"] == code
    assert isinstance(data["message"], str) and data["message"].endswith((".", ")"))
    return data


# ---------------------------------------------------------------------- SigV4 check (independent of the proxy)


_AUTH_RE = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/(?P<service>[^/]+)/aws4_request, "
    r"SignedHeaders=(?P<signed>[a-z0-9;-]+), Signature=(?P<sig>[0-9a-f]{64})$"
)


def assert_valid_sigv4(rec: Recorded, service: str, region: str) -> None:
    """Recompute the request's signature with botocore from what the upstream received."""
    lower = {k.lower(): v for k, v in rec.headers.items()}
    auth = lower.get("authorization", "")
    m = _AUTH_RE.match(auth)
    assert m, f"not a SigV4 Authorization header: {auth[:40]}"
    assert m["key"] == ACCESS_KEY and m["region"] == region and m["service"] == service
    signed = m["signed"].split(";")
    assert "host" in signed and "x-amz-date" in signed
    request = AWSRequest(method=rec.method, url=f"http://{lower['host']}{rec.uri}", data=rec.body)
    for name in signed:
        request.headers[name] = lower[name]
    request.context["timestamp"] = lower["x-amz-date"]
    signer_cls = S3SigV4Auth if service == "s3" else SigV4Auth
    signer = signer_cls(Credentials(ACCESS_KEY, SECRET_KEY), service, region)
    if service != "s3":
        # Non-S3 services sign the body's hash; botocore recomputes it from the received body.
        if "x-amz-content-sha256" in request.headers:
            del request.headers["x-amz-content-sha256"]
    canonical = signer.canonical_request(request)
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    assert m["sig"] == expected, "the signature does not verify"


# ---------------------------------------------------------------------- authentication


async def test_unauthenticated_requests_are_refused(call, upstream):
    for method in ("GET", "POST", "PUT", "DELETE", "HEAD"):
        resp = await call("sagemaker", REGION, method=method, headers=_json_target("ListEndpoints"), auth=False)
        assert resp.code == 403, (method, resp.code)
    # Positive control: the same request with the token goes through.
    resp = await call("sagemaker", REGION, headers=_json_target("ListEndpoints"))
    assert resp.code == 200
    assert len(upstream.requests) == 1


async def test_cookie_login_requires_xsrf(call, jp_fetch, upstream):
    # Log in with the token once; Jupyter answers with its login cookie.
    resp = await jp_fetch("api", "status")
    cookies = [c.split(";", 1)[0] for c in resp.headers.get_list("Set-Cookie") if c.startswith("username-")]
    assert cookies, "Jupyter did not set a login cookie"
    cookie = cookies[0] + "; _xsrf=0123456789abcdef"
    resp = await call("sagemaker", REGION, headers={"Cookie": cookie, **_json_target("ListEndpoints")}, auth=False)
    assert resp.code == 403
    assert upstream.requests == []
    # With the XSRF header matching the cookie the browser request is accepted.
    resp = await call(
        "sagemaker",
        REGION,
        headers={"Cookie": cookie, "X-XSRFToken": "0123456789abcdef", **_json_target("ListEndpoints")},
        auth=False,
    )
    assert resp.code == 200, resp.body
    assert len(upstream.requests) == 1
    assert "Cookie" not in upstream.requests[0].headers
    assert "X-Xsrftoken" not in upstream.requests[0].headers


@pytest.mark.parametrize("server_settings", [{"allow_unauthenticated_access": False}], indirect=True)
async def test_every_handler_is_authenticated(jp_serverapp, call, upstream):
    web_app = jp_serverapp.web_app
    assert web_app.settings["allow_unauthenticated_access"] is False
    # jupyter_server's own check (what it warns about for extension handlers) finds nothing of ours...
    for handler in (ProxyHandler, ConnectionHandler):
        assert web_app._check_handler_auth("route", handler) == []

    # ...and it would find an undecorated verb (so the check above can fail).
    class Careless(tornado.web.RequestHandler):
        def get(self) -> None:  # not decorated on purpose
            self.finish("open")

    assert web_app._check_handler_auth("route", Careless)
    # Registering our routes again raises no JupyterServerAuthWarning.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        setup_handlers(web_app, web_app.settings["sagemaker_studio_connection"])
    assert not [w for w in caught if issubclass(w.category, JupyterServerAuthWarning)]
    resp = await call("sagemaker", REGION, method="GET", auth=False)
    assert resp.code == 403
    resp = await call("sagemaker", REGION, headers=_json_target("ListEndpoints"))
    assert resp.code == 200


# ---------------------------------------------------------------------- allow-list and request checks


async def test_service_outside_allow_list_is_refused(call, upstream):
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    resp = await call("iam", REGION, headers=form, body=b"Action=ListUsers")
    data = _proxy_error(resp, 403, "ServiceNotAllowed")
    assert "'iam'" in data["message"]
    resp = await call("sagemaker", "not-a-region-x", headers=_json_target("ListEndpoints"))
    _proxy_error(resp, 400, "InvalidRegion")
    assert upstream.requests == []


@pytest.mark.parametrize("studio_settings", [{"allowed_services": ["sagemaker"]}], indirect=True)
async def test_allow_list_is_configurable(call, upstream):
    resp = await call("s3", REGION, "bucket", method="GET")
    _proxy_error(resp, 403, "ServiceNotAllowed")
    resp = await call("sagemaker", REGION, headers=_json_target("ListEndpoints"))
    assert resp.code == 200


async def test_request_cannot_change_the_destination(call, upstream, evil, jp_serverapp):
    evil_host = f"127.0.0.1:{evil.port}"
    reached = [
        # Headers that proxies or SDKs use to name a destination.
        ("", {"Host": evil_host}),
        ("", {"X-Forwarded-Host": evil_host, "X-Forwarded-Proto": "http", "X-Forwarded-Port": str(evil.port)}),
        ("", {"X-Amz-Endpoint": evil.url, "Forwarded": f"host={evil_host}"}),
        # URLs smuggled into the path stay part of the path on the configured upstream.
        (f"http://{evil_host}/x", {}),
        (f"https:%2F%2F{evil_host}/x", {}),
        (f"user@{evil_host}/x", {}),
        (f"%40{evil_host}", {}),
    ]
    for path, headers in reached:
        before = len(upstream.requests)
        resp = await call("sagemaker", REGION, path, headers={**_json_target("ListEndpoints"), **headers})
        assert resp.code == 200, (path, headers, resp.code, resp.body)
        rec = upstream.requests[before]
        assert rec.headers["Host"] == f"127.0.0.1:{upstream.port}"
        assert rec.uri == "/" + path
        assert not any(k.lower().startswith(("x-forwarded", "forwarded")) for k in rec.headers)
    refused = [f"/{evil_host}/x", "a/../b", "%2e%2e/b", "a/%2E%2E", "./a", "a%0d%0aHost:%20evil", "a%00b"]
    for path in refused:
        before = len(upstream.requests)
        resp = await call("s3", REGION, path, method="GET")
        _proxy_error(resp, 400, "InvalidPath")
        assert len(upstream.requests) == before
    assert evil.requests == []


async def test_upstream_override_keeps_its_path_prefix(call, upstream, jp_serverapp):
    connection = jp_serverapp.web_app.settings["sagemaker_studio_connection"]
    connection.config.endpoint_overrides = {**connection.config.endpoint_overrides, "s3": upstream.url + "/prefix/"}
    resp = await call("s3", REGION, "bucket/key%20one.txt", method="GET")
    assert resp.code == 200
    rec = upstream.requests[-1]
    assert rec.uri == "/prefix/bucket/key%20one.txt"
    assert_valid_sigv4(rec, "s3", REGION)


# ---------------------------------------------------------------------- signing and header hygiene


async def test_sagemaker_json_request_is_signed_and_cleaned(call, upstream, logs, jp_fetch):
    body = json.dumps({"MaxResults": 5}).encode()
    resp = await call(
        "sagemaker",
        "us-west-2",
        body=body,
        headers={
            **_json_target("ListEndpoints"),
            "Cookie": "username-x=abc; _xsrf=123",
            "X-XSRFToken": "123",
            "X-Amz-Security-Token": "browser-token",
            "X-Amz-Date": "20000101T000000Z",
            "X-Amz-Content-SHA256": "0" * 64,
            "X-Custom-Browser": "1",
            "Origin": "http://127.0.0.1",
            "amz-sdk-invocation-id": "inv-1",
            "Accept": "application/json",
        },
    )
    assert resp.code == 200
    assert json.loads(resp.body) == {"ok": True}
    assert resp.headers["Content-Type"] == "application/x-amz-json-1.1"
    rec = upstream.requests[-1]
    assert rec.body == body
    assert rec.headers["X-Amz-Target"] == "SageMaker.ListEndpoints"
    assert rec.headers["Content-Type"] == "application/x-amz-json-1.1"
    assert rec.headers["Amz-Sdk-Invocation-Id"] == "inv-1"
    lower = {k.lower() for k in rec.headers}
    for leaked in ("cookie", "x-xsrftoken", "x-amz-security-token", "x-custom-browser", "origin"):
        assert leaked not in lower, leaked
    assert rec.headers["X-Amz-Date"] != "20000101T000000Z"
    assert_valid_sigv4(rec, "sagemaker", "us-west-2")
    _assert_no_secret(resp, logs)
    assert re.search(r"sagemaker ListEndpoints -> 200 in [\d.]+ ms", logs.text)


async def test_s3_requests_keep_the_sdk_encoding_and_verify(call, upstream, logs):
    key = quote("reports/2024 Q1/a+b=c&d.csv", safe="/-_.~")
    # PutObject with metadata, a query-less path and percent-encoded key.
    resp = await call(
        "s3",
        REGION,
        f"my-bucket/{key}",
        method="PUT",
        body=b"a,b\n1,2\n",
        headers={"Content-Type": "text/csv", "x-amz-meta-owner": "team", "Content-MD5": "abc"},
    )
    assert resp.code == 200
    rec = upstream.requests[-1]
    assert rec.uri == f"/my-bucket/{key}"
    assert rec.body == b"a,b\n1,2\n"
    assert rec.headers["X-Amz-Meta-Owner"] == "team"
    assert rec.headers["X-Amz-Content-Sha256"] == hashlib.sha256(b"a,b\n1,2\n").hexdigest()
    assert_valid_sigv4(rec, "s3", REGION)
    # ListObjectsV2 with a query that needs canonical encoding.
    query = "list-type=2&prefix=reports%2F2024%20Q1%2F&delimiter=%2F"
    resp = await call("s3", REGION, "my-bucket", method="GET", query=query)
    assert resp.code == 200
    rec = upstream.requests[-1]
    assert rec.uri == "/my-bucket?list-type=2&prefix=reports%2F2024%20Q1%2F&delimiter=%2F"
    assert_valid_sigv4(rec, "s3", REGION)
    # Sub-resources without values (?uploads) keep their form.
    resp = await call("s3", REGION, f"my-bucket/{key}", method="POST", query="uploads")
    assert upstream.requests[-1].uri == f"/my-bucket/{key}?uploads"
    assert_valid_sigv4(upstream.requests[-1], "s3", REGION)
    _assert_no_secret(resp, logs)


async def test_sts_and_metrics_are_signed_with_their_signing_names(call, upstream, logs):
    resp = await call(
        "sts",
        REGION,
        body=b"Action=GetCallerIdentity&Version=2011-06-15",
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    assert resp.code == 200
    assert_valid_sigv4(upstream.requests[-1], "sts", REGION)
    resp = await call(
        "sagemaker-metrics",
        REGION,
        "BatchGetMetrics",
        body=b'{"MetricQueries": []}',
        headers={"Content-Type": "application/json"},
    )
    assert resp.code == 200
    rec = upstream.requests[-1]
    assert rec.uri == "/BatchGetMetrics"
    # The metrics API is signed as "sagemaker" (botocore's signingName for sagemaker-metrics).
    assert_valid_sigv4(rec, "sagemaker", REGION)
    _assert_no_secret(resp, logs)


async def test_sagemaker_runtime_is_allowed_and_signed_as_sagemaker(call, upstream, logs):
    body = b"1.0,2.0,3.0\n"
    resp = await call(
        "sagemaker-runtime",
        REGION,
        "endpoints/my%20endpoint/invocations",
        body=body,
        headers={"Content-Type": "text/csv", "Accept": "application/json", "X-Amzn-SageMaker-Custom-Attributes": "a"},
    )
    assert resp.code == 200, resp.body
    rec = upstream.requests[-1]
    assert rec.uri == "/endpoints/my%20endpoint/invocations"
    assert rec.body == body
    assert rec.headers["Content-Type"] == "text/csv"
    # botocore's model signs the runtime API as "sagemaker", like the SageMaker API itself.
    assert_valid_sigv4(rec, "sagemaker", REGION)
    assert re.search(r"sagemaker-runtime InvokeEndpoint -> 200 in [\d.]+ ms", logs.text)
    _assert_no_secret(resp, logs)


def test_sagemaker_runtime_resolves_to_the_runtime_endpoint(aws_env):
    """Without an override, AWS mode sends runtime calls to runtime.sagemaker.<region>, signed as "sagemaker"."""
    from jupyterlab_sagemaker_studio.config import DEFAULT_ALLOWED_SERVICES, SageMakerStudio
    from jupyterlab_sagemaker_studio.connection import Connection

    assert "sagemaker-runtime" in DEFAULT_ALLOWED_SERVICES
    connection = Connection(SageMakerStudio(mode="aws", region=REGION))
    upstream = connection.upstream("sagemaker-runtime", "ap-southeast-2")
    assert upstream.base_url == "https://runtime.sagemaker.ap-southeast-2.amazonaws.com"
    assert (upstream.signing_name, upstream.region) == ("sagemaker", "ap-southeast-2")


def test_logs_is_allowed_and_resolves_to_cloudwatch_logs(aws_env):
    """AWS mode: CloudWatch Logs (notebook jobs) goes to logs.<region>.amazonaws.com, signed as "logs"."""
    from jupyterlab_sagemaker_studio.config import DEFAULT_ALLOWED_SERVICES, SageMakerStudio
    from jupyterlab_sagemaker_studio.connection import Connection

    assert "logs" in DEFAULT_ALLOWED_SERVICES
    connection = Connection(SageMakerStudio(mode="aws", region=REGION))
    upstream = connection.upstream("logs", "ap-southeast-2")
    assert upstream.base_url == "https://logs.ap-southeast-2.amazonaws.com"
    assert (upstream.signing_name, upstream.region) == ("logs", "ap-southeast-2")


@pytest.mark.parametrize(
    "segment, region, signing_name, target",
    [
        ("service-quotas", REGION, "servicequotas", "ServiceQuotasV20190624.ListServiceQuotas"),
        ("pricing", "us-east-1", "pricing", "AWSPriceListService.GetProducts"),
    ],
)
async def test_quotas_and_pricing_are_signed_with_their_signing_names(
    call, upstream, jp_serverapp, logs, segment, region, signing_name, target
):
    """The instance picker's services: allowed by default, signed with botocore's signingName, not the segment."""
    connection = jp_serverapp.web_app.settings["sagemaker_studio_connection"]
    connection.config.endpoint_overrides = {**connection.config.endpoint_overrides, segment: upstream.url}
    body = b'{"ServiceCode": "sagemaker"}'
    resp = await call(
        segment, region, body=body, headers={"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1"}
    )
    assert resp.code == 200, resp.body
    rec = upstream.requests[-1]
    assert rec.uri == "/" and rec.body == body and rec.headers["X-Amz-Target"] == target
    # The credential scope names the signing name: ".../<region>/servicequotas/aws4_request" for Service Quotas.
    assert f"/{region}/{signing_name}/aws4_request" in rec.headers["Authorization"]
    assert_valid_sigv4(rec, signing_name, region)
    assert re.search(rf"{segment} {target.split('.')[1]} -> 200 in [\d.]+ ms", logs.text)
    _assert_no_secret(resp, logs)


def test_quotas_and_pricing_resolve_to_their_aws_endpoints(aws_env):
    """Without an override, AWS mode takes host and signing name from botocore's model (endpointPrefix, signingName)."""
    import botocore.session

    from jupyterlab_sagemaker_studio.config import DEFAULT_ALLOWED_SERVICES, SageMakerStudio
    from jupyterlab_sagemaker_studio.connection import Connection

    assert {"service-quotas", "pricing"} <= set(DEFAULT_ALLOWED_SERVICES)
    connection = Connection(SageMakerStudio(mode="aws", region=REGION))
    quotas = connection.upstream("service-quotas", "ap-southeast-2")
    assert quotas.base_url == "https://servicequotas.ap-southeast-2.amazonaws.com"
    assert (quotas.signing_name, quotas.region) == ("servicequotas", "ap-southeast-2")
    pricing = connection.upstream("pricing", "us-east-1")
    assert pricing.base_url == "https://api.pricing.us-east-1.amazonaws.com"
    assert (pricing.signing_name, pricing.region) == ("pricing", "us-east-1")
    # Both come from the model's metadata, not from a table of ours.
    model = botocore.session.get_session().get_service_model("service-quotas")
    assert (model.signing_name, model.endpoint_prefix) == ("servicequotas", "servicequotas")


def _assert_no_secret(resp: HTTPResponse, logs: pytest.LogCaptureFixture) -> None:
    everything = resp.body + str(list(resp.headers.get_all())).encode()
    for secret in (SECRET_KEY, ACCESS_KEY):
        assert secret.encode() not in everything
        assert secret not in logs.text


# ---------------------------------------------------------------------- read-only mode


@pytest.mark.parametrize("studio_settings", [{"read_only": True}], indirect=True)
async def test_read_only_mode(call, upstream):
    allowed = [
        ("sagemaker", "", "POST", _json_target("ListEndpoints"), b"{}"),
        ("sagemaker", "", "POST", _json_target("DescribeEndpoint"), b"{}"),
        ("sagemaker", "", "POST", _json_target("Search"), b"{}"),
        ("sagemaker", "", "POST", _json_target("BatchGetRecord"), b"{}"),
        ("sagemaker-metrics", "BatchGetMetrics", "POST", {"Content-Type": "application/json"}, b"{}"),
        ("s3", "bucket/key", "GET", {}, None),
        ("s3", "bucket/key", "HEAD", {}, None),
        ("sts", "", "POST", {"Content-Type": "application/x-www-form-urlencoded"}, b"Action=GetCallerIdentity"),
    ]
    for service, path, method, headers, body in allowed:
        resp = await call(service, REGION, path, method=method, headers=headers, body=body)
        assert resp.code == 200, (service, path, method, headers, resp.body)
    count = len(upstream.requests)
    refused = [
        ("sagemaker", "", "POST", _json_target("CreateEndpoint"), b"{}", "CreateEndpoint"),
        ("sagemaker", "", "POST", _json_target("DeleteExperiment"), b"{}", "DeleteExperiment"),
        ("sagemaker-metrics", "BatchPutMetrics", "POST", {}, b"{}", "BatchPutMetrics"),
        ("s3", "bucket/key", "PUT", {}, b"data", "PutObject"),
        ("s3", "bucket/key", "DELETE", {}, None, "DeleteObject"),
        ("s3", "bucket", "POST", {}, b"<Delete/>", "DeleteObjects"),
        ("sts", "", "POST", {"Content-Type": "application/x-www-form-urlencoded"}, b"Action=AssumeRole", "AssumeRole"),
        ("sagemaker-runtime", "endpoints/ep/invocations", "POST", {}, b"{}", "InvokeEndpoint"),
    ]
    for service, path, method, headers, body, op in refused:
        query = "delete" if op == "DeleteObjects" else ""
        resp = await call(service, REGION, path, method=method, headers=headers, body=body, query=query)
        data = _proxy_error(resp, 403, "ReadOnly")
        assert op in data["message"]
    assert len(upstream.requests) == count


# ---------------------------------------------------------------------- limits, timeouts, upstream failures


@pytest.mark.parametrize("studio_settings", [{"max_body_size": 1000}], indirect=True)
async def test_body_size_limit(call, upstream):
    resp = await call("s3", REGION, "bucket/key", method="PUT", body=b"x" * 2000)
    data = _proxy_error(resp, 413, "BodyTooLarge")
    assert "1000" in data["message"]
    resp = await call("s3", REGION, "bucket/key", method="PUT", body=b"x" * 1000)
    assert resp.code == 200
    assert [len(r.body) for r in upstream.requests] == [1000]


@pytest.mark.parametrize("studio_settings", [{"upstream_timeout": 0.5}], indirect=True)
async def test_upstream_timeout(call, upstream, logs):
    async def slow(handler: tornado.web.RequestHandler) -> None:
        await asyncio.sleep(3)
        handler.write("late")

    upstream.routes["/slow"] = slow
    loop = asyncio.get_running_loop()
    start = loop.time()
    resp = await call("s3", REGION, "slow/key", method="GET")
    _proxy_error(resp, 504, "UpstreamTimeout")
    assert loop.time() - start < 2.5
    _assert_no_secret(resp, logs)


async def test_unreachable_upstream(call, jp_serverapp, logs):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    connection = jp_serverapp.web_app.settings["sagemaker_studio_connection"]
    connection.config.endpoint_overrides = {"sagemaker": f"http://127.0.0.1:{closed_port}"}
    resp = await call("sagemaker", REGION, headers=_json_target("ListEndpoints"))
    data = _proxy_error(resp, 502, "UpstreamUnreachable")
    assert str(closed_port) in data["message"]
    _assert_no_secret(resp, logs)


async def test_missing_credentials(call, jp_serverapp, monkeypatch, upstream, logs):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    connection = jp_serverapp.web_app.settings["sagemaker_studio_connection"]
    connection._session = connection._new_session()  # forget the credentials resolved at start-up
    resp = await call("sagemaker", REGION, headers=_json_target("ListEndpoints"))
    data = _proxy_error(resp, 401, "NoCredentials")
    assert "credentials" in data["message"].lower()
    assert upstream.requests == []


async def test_missing_profile_is_a_credentials_error(call, jp_serverapp, upstream, logs):
    connection = jp_serverapp.web_app.settings["sagemaker_studio_connection"]
    connection.profile = "deleted-profile"
    connection._session = connection._new_session()
    resp = await call("sagemaker", REGION, headers=_json_target("ListEndpoints"))
    data = _proxy_error(resp, 401, "NoCredentials")
    assert "deleted-profile" in data["message"]
    assert upstream.requests == []
    _assert_no_secret(resp, logs)


async def test_aws_errors_pass_through_unchanged(call, upstream):
    error = b'{"__type":"ValidationException","message":"1 validation error detected"}'

    async def fail(handler: tornado.web.RequestHandler) -> None:
        handler.set_status(400)
        handler.set_header("Content-Type", "application/x-amz-json-1.1")
        handler.set_header("x-amzn-RequestId", "11111111-2222")
        handler.set_header("x-amzn-ErrorType", "ValidationException:http://internal.amazon.com/")
        handler.write(error)

    async def s3_missing(handler: tornado.web.RequestHandler) -> None:
        handler.set_status(404)
        handler.set_header("Content-Type", "application/xml")
        handler.set_header("x-amz-request-id", "ABC123")
        handler.set_header("x-amz-id-2", "host-id")
        handler.write(b"<?xml version='1.0'?><Error><Code>NoSuchKey</Code></Error>")

    upstream.routes["/fail"] = fail
    upstream.routes["/bucket/missing"] = s3_missing
    resp = await call("sagemaker", REGION, "fail", headers=_json_target("CreateExperiment"), body=b"{}")
    assert resp.code == 400
    assert resp.body == error
    assert resp.headers["Content-Type"] == "application/x-amz-json-1.1"
    assert resp.headers["x-amzn-RequestId"] == "11111111-2222"
    assert resp.headers["x-amzn-ErrorType"].startswith("ValidationException")
    assert PROXY_ERROR_HEADER not in resp.headers
    assert resp.headers["Cache-Control"] == "no-store"  # AWS answers stay out of the browser's cache
    resp = await call("s3", REGION, "bucket/missing", method="GET")
    assert resp.code == 404
    assert b"NoSuchKey" in resp.body
    assert resp.headers["Content-Type"] == "application/xml"
    assert resp.headers["x-amz-request-id"] == "ABC123"
    assert PROXY_ERROR_HEADER not in resp.headers


async def test_object_cache_control_is_object_metadata(call, upstream):
    """An S3 object's Cache-Control is its metadata (the SDK returns it as CacheControl): it passes unchanged."""

    async def obj(handler: tornado.web.RequestHandler) -> None:
        handler.set_header("Cache-Control", "max-age=60")
        handler.write(b"content")

    upstream.routes["/bucket/cached"] = obj
    resp = await call("s3", REGION, "bucket/cached", method="GET")
    assert resp.code == 200
    assert resp.headers["Cache-Control"] == "max-age=60"


async def test_bodyless_answers_pass_through(call, upstream):
    async def deleted(handler: tornado.web.RequestHandler) -> None:
        handler.set_status(204)
        handler.set_header("x-amz-request-id", "DEL1")
        handler.set_header("x-amz-delete-marker", "true")

    async def not_modified(handler: tornado.web.RequestHandler) -> None:
        assert handler.request.headers["If-None-Match"] == '"v1"'
        handler.set_status(304)
        handler.set_header("ETag", '"v1"')

    upstream.routes["/bucket/deleted"] = deleted
    upstream.routes["/bucket/cached"] = not_modified
    resp = await call("s3", REGION, "bucket/deleted", method="DELETE")
    assert resp.code == 204 and resp.body == b""
    assert resp.headers["x-amz-delete-marker"] == "true" and resp.headers["x-amz-request-id"] == "DEL1"
    resp = await call("s3", REGION, "bucket/cached", method="GET", headers={"If-None-Match": '"v1"'})
    assert resp.code == 304 and resp.headers["ETag"] == '"v1"'
    # Both connections stay usable.
    resp = await call("sagemaker", REGION, headers=_json_target("ListEndpoints"))
    assert resp.code == 200


# ---------------------------------------------------------------------- streaming and connection reuse


async def test_large_bodies_stream_both_ways(call, upstream, logs):
    size = 8 * 1024 * 1024
    block = bytes(range(256)) * 256  # 64 KiB

    async def big(handler: tornado.web.RequestHandler) -> None:
        handler.set_header("Content-Type", "application/octet-stream")
        handler.set_header("Content-Length", str(size))
        handler.set_header("ETag", '"big"')
        if handler.request.method == "HEAD":
            return
        for _ in range(size // len(block)):
            handler.write(block)
            await handler.flush()

    upstream.routes["/bucket/big"] = big
    resp = await call("s3", REGION, "bucket/big", method="GET")
    assert resp.code == 200
    assert len(resp.body) == size and resp.body[:65536] == block
    assert resp.headers["ETag"] == '"big"'
    resp = await call("s3", REGION, "bucket/big", method="HEAD")
    assert resp.code == 200 and resp.headers["Content-Length"] == str(size) and resp.body == b""
    # A large upload is passed on as it arrives, signed with UNSIGNED-PAYLOAD.
    payload = block * 48  # 3 MiB
    resp = await call("s3", REGION, "bucket/upload.bin", method="PUT", body=payload)
    assert resp.code == 200
    rec = upstream.requests[-1]
    assert rec.body == payload
    assert rec.headers["X-Amz-Content-Sha256"] == "UNSIGNED-PAYLOAD"
    assert_valid_sigv4(rec, "s3", REGION)
    _assert_no_secret(resp, logs)


async def test_keep_alive_connections_are_reused(call, upstream):
    for _ in range(5):
        resp = await call("sagemaker", REGION, headers=_json_target("ListEndpoints"))
        assert resp.code == 200
    connections = {r.connection for r in upstream.requests}
    assert len(upstream.requests) == 5
    assert len(connections) == 1


async def test_stale_pooled_connection_is_retried(call, upstream):
    resp = await call("sagemaker", REGION, headers=_json_target("ListEndpoints"))
    assert resp.code == 200
    # The upstream drops its idle keep-alive connections (as AWS front ends do after a while).
    await upstream.server.close_all_connections()  # type: ignore[attr-defined]
    resp = await call("sagemaker", REGION, headers=_json_target("ListEndpoints"), body=b'{"a": 1}')
    assert resp.code == 200
    assert len(upstream.requests) == 2
    assert upstream.requests[1].body == b'{"a": 1}'
    assert upstream.requests[0].connection != upstream.requests[1].connection


async def test_upstream_failure_mid_response_cuts_the_browser_connection(call, upstream, logs):
    async def truncated(handler: tornado.web.RequestHandler) -> None:
        handler.set_header("Content-Length", str(4 * 1024 * 1024))
        handler.write(b"x" * (512 * 1024))
        await handler.flush()
        handler.request.connection.close()

    upstream.routes["/bucket/truncated"] = truncated
    # A truncated body must never look like a complete answer: the browser sees the connection fail.
    with pytest.raises(HTTPClientError) as info:
        await call("s3", REGION, "bucket/truncated", method="GET")
    assert info.value.code == 599
    assert "closing the browser connection" in logs.text
    assert not [r for r in logs.records if r.levelno >= logging.ERROR]
    # The proxy keeps serving.
    resp = await call("sagemaker", REGION, headers=_json_target("ListEndpoints"))
    assert resp.code == 200


async def test_browser_leaving_mid_download_stops_the_upstream(
    jp_serverapp, http_server_client, jp_http_port, jp_base_url, upstream, logs
):
    from tornado.iostream import StreamClosedError
    from tornado.tcpclient import TCPClient

    outcome: list[str] = []

    async def endless(handler: tornado.web.RequestHandler) -> None:
        handler.set_header("Content-Length", str(1024**3))
        try:
            for _ in range(1024**3 // 65536):
                handler.write(b"y" * 65536)
                await handler.flush()
            outcome.append("completed")
        except StreamClosedError:
            outcome.append("stopped")

    upstream.routes["/bucket/huge"] = endless
    token = jp_serverapp.identity_provider.token
    stream = await TCPClient().connect("127.0.0.1", jp_http_port)
    await stream.write(
        f"GET {jp_base_url}sagemaker-studio/aws/s3/{REGION}/bucket/huge HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{jp_http_port}\r\nAuthorization: token {token}\r\n\r\n".encode()
    )
    head = await stream.read_until(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    await stream.read_bytes(1024 * 1024)
    stream.close()
    for _ in range(100):
        if outcome:
            break
        await asyncio.sleep(0.05)
    # The 1 GB download stopped soon after the browser left (flow control: nothing piles up in memory).
    assert outcome == ["stopped"]
    assert not [r for r in logs.records if r.levelno >= logging.ERROR]


def test_operation_names_and_read_only_policy():
    from tornado.httputil import HTTPHeaders

    h = HTTPHeaders()
    assert proxy.operation_name("s3", "GET", "", "", h, None) == "ListBuckets"
    assert proxy.operation_name("s3", "PUT", "b/k", "partNumber=1&uploadId=x", h, None) == "UploadPart"
    h2 = HTTPHeaders({"x-amz-copy-source": "/b/k"})
    assert proxy.operation_name("s3", "PUT", "b/k2", "", h2, None) == "CopyObject"
    form = HTTPHeaders({"Content-Type": "application/x-www-form-urlencoded"})
    body = b"Version=1&Action=GetCallerIdentity"
    assert proxy.operation_name("sts", "POST", "", "", form, body) == "GetCallerIdentity"
    assert proxy.operation_name("sagemaker-runtime", "POST", "endpoints/e/invocations", "", h, b"") == "InvokeEndpoint"
    assert proxy.operation_name("sagemaker-runtime", "POST", "endpoints/e/async-invocations", "", h, None) == (
        "InvokeEndpointAsync"
    )
    assert not proxy.is_read_only("sagemaker-runtime", "POST", "InvokeEndpoint")
    assert proxy.is_read_only("logs", "POST", "GetLogEvents") and proxy.is_read_only("logs", "POST", "FilterLogEvents")
    assert not proxy.is_read_only("logs", "POST", "PutLogEvents")
    assert proxy.is_read_only("s3", "GET", "GetObject")
    assert not proxy.is_read_only("s3", "POST", "SelectObjectContent")
    assert not proxy.is_read_only("sagemaker", "POST", "CreateEndpoint")
    assert proxy.normalise_query("b=2&a=x+y&uploads") == "b=2&a=x%2By&uploads"
    for region in ("us-east-1", "us-gov-west-1", "us-isob-east-1", "ap-southeast-2"):
        assert proxy.REGION_RE.match(region)
    for region in ("us-east", "useast1", "127-0-0-1", "us-east-1-evil"):
        assert not proxy.REGION_RE.match(region)


# ---------------------------------------------------------------------- local mode, end to end


@pytest.mark.parametrize("studio_settings", [{"mode": "local"}], indirect=True)
async def test_local_mode_through_the_real_backend(jp_serverapp, call, logs):
    connection = jp_serverapp.web_app.settings["sagemaker_studio_connection"]
    assert connection.mode == "local"
    resp = await call("sagemaker", REGION, headers=_json_target("ListEndpoints"), body=b"{}")
    assert resp.code == 200, resp.body
    assert json.loads(resp.body)["Endpoints"] == []
    resp = await call(
        "sagemaker", REGION, headers=_json_target("CreateExperiment"), body=b'{"ExperimentName": "proxy-exp"}'
    )
    assert resp.code == 200, resp.body
    resp = await call("sagemaker", REGION, headers=_json_target("ListExperiments"), body=b"{}")
    names = [e["ExperimentName"] for e in json.loads(resp.body)["ExperimentSummaries"]]
    assert names == ["proxy-exp"]
    # A validation error from the backend comes back as SageMaker would send it.
    resp = await call("sagemaker", REGION, headers=_json_target("DescribeExperiment"), body=b"{}")
    assert resp.code == 400 and PROXY_ERROR_HEADER not in resp.headers
    assert "ValidationException" in json.loads(resp.body)["__type"]
    # S3 through the proxy, including a streamed (UNSIGNED-PAYLOAD) upload.
    location = (
        '<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
        f"<LocationConstraint>{REGION}</LocationConstraint></CreateBucketConfiguration>"
    )
    resp = await call("s3", REGION, "proxy-bucket", method="PUT", body=location.encode())
    assert resp.code == 200, resp.body
    payload = b"z" * (3 * 1024 * 1024)
    resp = await call("s3", REGION, "proxy-bucket/big.bin", method="PUT", body=payload)
    assert resp.code == 200, resp.body
    resp = await call("s3", REGION, "proxy-bucket/big.bin", method="GET")
    assert resp.code == 200 and resp.body == payload
    secret = connection.local.credentials.secret_key
    assert secret not in logs.text and connection.local.credentials.access_key not in logs.text


@pytest.mark.parametrize("studio_settings", [{"mode": "local"}], indirect=True)
async def test_local_mode_routes_logs_to_the_local_backend(jp_serverapp, call):
    """CloudWatch Logs through the proxy reaches the local backend's logs API (JSON 1.1, AWS's errors)."""
    headers = {"X-Amz-Target": "Logs_20140328.CreateLogGroup", "Content-Type": "application/x-amz-json-1.1"}
    resp = await call("logs", REGION, headers=headers, body=b'{"logGroupName": "/aws/sagemaker/TrainingJobs"}')
    assert resp.code == 200, resp.body
    headers["X-Amz-Target"] = "Logs_20140328.DescribeLogStreams"
    resp = await call("logs", REGION, headers=headers, body=b'{"logGroupName": "/aws/sagemaker/TrainingJobs"}')
    assert resp.code == 200, resp.body
    assert json.loads(resp.body) == {"logStreams": []}
    resp = await call("logs", REGION, headers=headers, body=b'{"logGroupName": "/no/such/group"}')
    assert resp.code == 400 and PROXY_ERROR_HEADER not in resp.headers
    assert json.loads(resp.body) == {
        "__type": "ResourceNotFoundException",
        "message": "The specified log group does not exist.",
    }


@pytest.mark.parametrize("studio_settings", [{"mode": "local"}], indirect=True)
async def test_local_mode_routes_sagemaker_runtime_to_the_local_runtime(jp_serverapp, call):
    """InvokeEndpoint reaches the local backend's runtime API, which answers in the SageMaker Runtime error form."""
    resp = await call(
        "sagemaker-runtime",
        REGION,
        "endpoints/no-such-endpoint/invocations",
        body=b'{"x": 1}',
        headers={"Content-Type": "application/json"},
    )
    assert resp.code == 400 and PROXY_ERROR_HEADER not in resp.headers
    assert resp.headers["x-amzn-ErrorType"] == "ValidationError"
    assert json.loads(resp.body)["message"] == "Endpoint no-such-endpoint of account 123456789012 not found."


@pytest.mark.parametrize("studio_settings", [{"mode": "local"}], indirect=True)
async def test_local_mode_forwards_quotas_and_pricing_to_the_local_backend(jp_serverapp, call):
    """Service Quotas is answered by the local backend; Price List calls reach it too (and get its refusal)."""
    resp = await call(
        "service-quotas",
        REGION,
        body=b'{"ServiceCode": "sagemaker", "MaxResults": 3}',
        headers={
            "X-Amz-Target": "ServiceQuotasV20190624.ListServiceQuotas",
            "Content-Type": "application/x-amz-json-1.1",
        },
    )
    assert resp.code == 200, resp.body
    quotas = json.loads(resp.body)["Quotas"]
    assert len(quotas) == 3 and all(q["QuotaName"].endswith(" for training job usage") for q in quotas)
    resp = await call(
        "pricing",
        "us-east-1",
        body=b'{"ServiceCode": "AmazonSageMaker"}',
        headers={"X-Amz-Target": "AWSPriceListService.GetProducts", "Content-Type": "application/x-amz-json-1.1"},
    )
    # Not a proxy error: the request was signed for the backend, which answers in the JSON protocol's error form.
    assert resp.code == 400 and PROXY_ERROR_HEADER not in resp.headers
    assert json.loads(resp.body)["__type"] == "UnknownOperationException"


@pytest.mark.parametrize(
    "service, signing_name, method, path, query, headers, body, token",
    [
        ("sagemaker", "sagemaker", "POST", "/", "", {"x-amz-target": "SageMaker.ListEndpoints"}, b"{}", None),
        ("sagemaker-metrics", "sagemaker", "POST", "/BatchGetMetrics", "", {}, b'{"MetricQueries":[]}', "tok/en+="),
        ("sagemaker", "sagemaker", "GET", "/a//b/%20c", "b=2&a=1&a=0", {"x-amz-meta-x": "  two   spaces "}, b"", None),
        ("s3", "s3", "GET", "/bucket/k%C3%A9y%20%2B%2F//x", "list-type=2&prefix=a%2Fb&delimiter=%2F", {}, b"", None),
        ("s3", "s3", "POST", "/bucket/key", "uploads", {"content-type": "text/plain"}, b"", "session-token"),
        ("s3", "s3", "PUT", "/bucket/key", "partNumber=1&uploadId=abc", {"content-md5": "x=="}, b"data", None),
    ],
)
def test_signer_matches_botocore(service, signing_name, method, path, query, headers, body, token):
    """Every signature the proxy makes verifies with botocore's own SigV4 implementation."""
    from botocore.credentials import ReadOnlyCredentials

    from jupyterlab_sagemaker_studio.connection import Upstream

    up = Upstream("http://127.0.0.1:9", signing_name, REGION, ReadOnlyCredentials(ACCESS_KEY, SECRET_KEY, token))
    headers = {"host": "127.0.0.1:9", "content-length": str(len(body)), **headers}
    payload = hashlib.sha256(body).hexdigest() if service != "s3" or method != "PUT" else "UNSIGNED-PAYLOAD"
    signed = proxy.sign(up, service, method, path, query, headers, payload)
    if token:
        assert signed["x-amz-security-token"] == token
    rec = Recorded(method, path + (f"?{query}" if query else ""), signed, body, 0)
    assert_valid_sigv4(rec, signing_name if service != "s3" else "s3", REGION)
    # A different secret, body or path does not verify (the check can fail).
    tampered = Recorded(method, rec.uri.replace("/", "/x", 1), signed, body, 0)
    with pytest.raises(AssertionError):
        assert_valid_sigv4(tampered, signing_name if service != "s3" else "s3", REGION)
