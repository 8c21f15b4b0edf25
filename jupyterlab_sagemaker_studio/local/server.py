"""The local backend's front door: one HTTP listener on 127.0.0.1 speaking the AWS wire protocols.

Requests look exactly as they would to AWS (boto3 and the proxy only change the endpoint URL), so one port
serves every service. The SigV4 credential scope names the service (``s3``, ``sts``, ``iam``, ``sagemaker``,
``servicequotas``, ``logs``); ``logs`` is CloudWatch Logs (JSON 1.1, ``X-Amz-Target: Logs_20140328.<Operation>``);
within ``sagemaker`` the JSON 1.1 API is recognised by its ``X-Amz-Target`` header, the metrics API by its paths, the
runtime API (InvokeEndpoint) by its ``/endpoints/`` paths.
Every request must carry a SigV4 signature made with the backend's own key (kept in the data directory,
handed only to this Jupyter server and the kernels it starts), so nobody else on the machine can use it.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional, Protocol

from tornado import httpserver, httputil, netutil, web

from ..botocore_plugin import PLUGINS_ENV, plugins_value
from . import iam, sts
from .protocol import LocalRequest, LocalResponse, ServiceError
from .sigv4 import claimed_service, verify_request
from .store import Store

log = logging.getLogger(__name__)

#: Metrics API operations (REST-JSON, signing name ``sagemaker``).
METRICS_PATHS = ("/BatchPutMetrics", "/BatchGetMetrics")
CHUNK = 256 * 1024


@dataclass(frozen=True)
class Credentials:
    """The local backend's access key pair."""

    access_key: str
    secret_key: str


@dataclass(frozen=True)
class BackendInfo:
    """Facts every service needs: where it runs and who the account is."""

    region: str
    account_id: str
    endpoint_url: str


class Service(Protocol):
    """A protocol module: takes an authenticated request, returns the wire response (errors included)."""

    def handle(self, request: LocalRequest) -> LocalResponse: ...


def load_or_create_credentials(data_dir: Path) -> Credentials:
    """The backend's key pair, created once per data directory (file mode 0600)."""
    path = data_dir / "credentials.json"
    if path.exists():
        data = json.loads(path.read_text())
        return Credentials(data["access_key"], data["secret_key"])
    creds = Credentials("LSIA" + secrets.token_hex(8).upper(), secrets.token_urlsafe(30))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump({"access_key": creds.access_key, "secret_key": creds.secret_key}, f)
    return creds


def client_env(endpoint_url: str, credentials: Credentials, region: str) -> dict[str, str]:
    """Environment that makes boto3 (and the SageMaker Python SDK) talk to the backend at ``endpoint_url``: what
    kernels get, and the processes of the training jobs the backend runs (``jobs.py``)."""
    return {
        "AWS_ENDPOINT_URL": endpoint_url,
        "AWS_ACCESS_KEY_ID": credentials.access_key,
        "AWS_SECRET_ACCESS_KEY": credentials.secret_key,
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        "SAGEMAKER_STUDIO_MODE": "local",
        # Keeps clients created with an explicit AWS endpoint (the SageMaker SDK's STS client) on this backend.
        PLUGINS_ENV: plugins_value(os.environ.get(PLUGINS_ENV)),
    }


class _AwsHeaders(httputil.HTTPHeaders):
    """Response headers that keep ``x-amz-*`` names in lower case, as AWS sends them.

    Tornado title-cases header names; botocore copies ``x-amz-meta-*`` suffixes verbatim into user metadata,
    so ``x-amz-meta-owner`` must not come back as ``X-Amz-Meta-Owner``.
    """

    def get_all(self) -> Iterator[tuple[str, str]]:
        for name, value in super().get_all():
            yield (name.lower() if name.lower().startswith("x-amz-") else name), value


class FrontDoorHandler(web.RequestHandler):
    """Catch-all handler: authenticate, route to a service, write its response."""

    SUPPORTED_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE")

    def initialize(self, backend: "LocalBackend") -> None:
        self.backend = backend

    def clear(self) -> None:
        super().clear()
        self._headers = _AwsHeaders(self._headers)

    def check_xsrf_cookie(self) -> None:  # AWS clients carry no XSRF token; SigV4 authenticates them.
        return

    def compute_etag(self) -> None:
        return None

    async def _serve(self) -> None:
        req = self.request
        headers = {k.lower(): v for k, v in req.headers.get_all()}
        raw_query = req.query or ""
        try:
            scope = verify_request(
                method=req.method or "GET",
                raw_path=req.path,
                raw_query=raw_query,
                headers=headers,
                body=req.body or b"",
                secret_for=self.backend.secret_for,
            )
        except ServiceError as err:
            self._write_auth_error(err, headers)
            return
        local_req = LocalRequest(
            method=req.method or "GET",
            path=req.path,
            query=raw_query,
            headers=headers,
            body=req.body or b"",
            signing_service=scope.service,
            region=scope.region,
            access_key=scope.access_key,
            scope=scope,
        )
        service = self.backend.route(local_req)
        if service is None:
            self._write_auth_error(
                ServiceError("UnknownOperationException", "The local backend does not serve this request."),
                headers,
            )
            return
        resp = service.handle(local_req)
        await self._write_response(resp)

    def _write_auth_error(self, err: ServiceError, headers: dict[str, str]) -> None:
        """Render a front-door error in the wire format of the service the request claims to be for."""
        service = claimed_service(self.request.query or "", headers)
        if service in ("sts", "iam"):
            resp = sts.error_response(
                err, uuid.uuid4().hex, iam.XML_NAMESPACE if service == "iam" else sts.XML_NAMESPACE
            )
            self.set_status(resp.status)
            for name, value in resp.headers.items():
                self.set_header(name, value)
            self.finish(resp.body if isinstance(resp.body, bytes) else b"")
            return
        self.set_status(err.status)
        if service in ("sagemaker", "logs") or headers.get("x-amz-target"):
            self.set_header("Content-Type", "application/x-amz-json-1.1")
            self.set_header("x-amzn-ErrorType", err.code)
            self.finish(json.dumps({"__type": err.code, "message": err.message}))
        else:
            self.set_header("Content-Type", "application/xml")
            body = (
                "<?xml version='1.0' encoding='UTF-8'?>\n<Error><Code>{}</Code><Message>{}</Message></Error>"
            ).format(err.code, _xml_escape(err.message))
            self.finish(body)

    async def _write_response(self, resp: LocalResponse) -> None:
        self.set_status(resp.status)
        for name, value in resp.headers.items():
            self.set_header(name, value)
        body = resp.body
        if isinstance(body, (bytes, bytearray)):
            if self.request.method == "HEAD":
                if "Content-Length" not in resp.headers:
                    self.set_header("Content-Length", str(resp.length if resp.length is not None else len(body)))
                self.finish()
            elif body:
                self.finish(bytes(body))
            else:  # 204/304 must not carry a body, not even an empty write
                self.finish()
            return
        try:
            if resp.length is not None:
                self.set_header("Content-Length", str(resp.length))
            remaining = resp.length
            while remaining is None or remaining > 0:
                chunk = body.read(CHUNK if remaining is None else min(CHUNK, remaining))
                if not chunk:
                    break
                if remaining is not None:
                    remaining -= len(chunk)
                self.write(chunk)
                await self.flush()
            self.finish()
        finally:
            body.close()

    get = head = post = put = delete = _serve  # type: ignore[assignment]


def _log_request(handler: web.RequestHandler) -> None:
    """Access log at debug level on our own logger: in Jupyter's log, lines like "200 POST /" only confuse."""
    log.debug(
        "local backend %s %s %s %.2fms",
        handler.get_status(),
        handler.request.method,
        handler.request.path,
        1000.0 * handler.request.request_time(),
    )


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class LocalBackend:
    """The embedded, persistent, AWS-wire-compatible backend used in local mode."""

    def __init__(self, data_dir: str | os.PathLike[str], region: str = "us-east-1", account_id: str = "123456789012"):
        self.data_dir = Path(data_dir)
        self.store = Store(self.data_dir)
        self.credentials = load_or_create_credentials(self.data_dir)
        self.region = region
        self.account_id = account_id
        self.port: Optional[int] = None
        self._server: Optional[httpserver.HTTPServer] = None
        self._services: dict[str, Service] = {}

    @property
    def endpoint_url(self) -> str:
        """Base URL every AWS client uses for every service in local mode."""
        if self.port is None:
            raise RuntimeError("The local backend is not started.")
        return f"http://127.0.0.1:{self.port}"

    @property
    def info(self) -> BackendInfo:
        return BackendInfo(self.region, self.account_id, self.endpoint_url)

    def secret_for(self, access_key: str) -> Optional[str]:
        """Secret of a known access key, or None."""
        if secrets.compare_digest(access_key, self.credentials.access_key):
            return self.credentials.secret_key
        return None

    def start(self, port: int = 0) -> None:
        """Listen on 127.0.0.1 (the current IOLoop) and create the services."""
        from .iam import IamService
        from .logs import LogsService
        from .metrics import MetricsService
        from .quotas import QuotasService
        from .runtime import RuntimeService
        from .s3 import S3Service
        from .sagemaker import SageMakerService
        from .sts import StsService

        sockets = netutil.bind_sockets(port, address="127.0.0.1")
        self.port = sockets[0].getsockname()[1]
        info = self.info
        self._services = {
            "sagemaker": SageMakerService(self.store, info),
            "metrics": MetricsService(self.store, info),
            "runtime": RuntimeService(self.store, info),
            "s3": S3Service(self.store, info),
            "sts": StsService(self.store, info),
            "iam": IamService(self.store, info),
            "servicequotas": QuotasService(self.store, info),
            "logs": LogsService(self.store, info),
        }
        from .jumpstart import install as install_jumpstart

        install_jumpstart(self._services["s3"], self.region)  # AWS's public JumpStart bucket (not demo content)
        clock = getattr(self._services["sagemaker"], "monitor_clock", None)
        if clock is not None:  # Model Monitor schedules run on their cron while the backend serves
            clock.start()
        app = web.Application([(r"/.*", FrontDoorHandler, {"backend": self})], log_function=_log_request)
        self._server = httpserver.HTTPServer(app, max_body_size=5 * 1024**3, idle_connection_timeout=60)
        self._server.add_sockets(sockets)

    def route(self, request: LocalRequest) -> Optional[Service]:
        """The service that answers a request (by signing name, then target header or path)."""
        svc = request.signing_service
        if svc in ("s3", "sts", "iam", "servicequotas"):
            return self._services[svc]
        if svc == "logs":
            return self._services["logs"] if request.header("x-amz-target") else None
        if svc == "sagemaker":
            if (request.header("x-amz-target") or "").startswith("SageMaker."):
                return self._services["sagemaker"]
            if request.path in METRICS_PATHS:
                return self._services["metrics"]
            if request.path.startswith("/endpoints/"):
                return self._services["runtime"]
        return None

    def service(self, name: str) -> Service:
        """A started service by name (``sagemaker``, ``metrics``, ``runtime``, ``s3``, ``sts``, ``iam``, ``logs`` …)."""
        return self._services[name]

    def kernel_env(self) -> dict[str, str]:
        """Environment that makes boto3 (and the SageMaker Python SDK) in a kernel talk to this backend."""
        return client_env(self.endpoint_url, self.credentials, self.region)

    def stop(self) -> None:
        """Stop listening, end the training jobs running as processes, and close the database."""
        runner = getattr(self._services.get("sagemaker"), "script_jobs", None)
        if runner is not None:
            runner.close()
        clock = getattr(self._services.get("sagemaker"), "monitor_clock", None)
        if clock is not None:
            clock.close()
        if self._server is not None:
            self._server.stop()
            self._server = None
        self.store.close()
