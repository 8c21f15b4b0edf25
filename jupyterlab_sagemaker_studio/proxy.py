"""The signing proxy: ``{base_url}sagemaker-studio/aws/{service}/{region}/{path}``.

The browser's AWS SDK builds a request as if for AWS but sends it here with the Jupyter token instead of a
signature. This handler checks the Jupyter login (and XSRF for cookie logins), applies the service allow-list
and the read-only policy, signs the request with SigV4 using the server's credentials, sends it to the upstream
the *server* resolved (AWS, a configured override, or the local backend) and streams the answer back unchanged.

Nothing in the request can change the destination: the upstream comes from :meth:`Connection.upstream` only, the
request's path is appended to that URL as an opaque, validated string, and only an allow-list of content and
``x-amz-*`` headers is forwarded.

Upstream HTTP is done on Tornado's ``HTTP1Connection`` with a small keep-alive pool rather than
``AsyncHTTPClient``: the simple client opens a new TCP (and TLS) connection per request, which would add a TLS
handshake to every AWS call, and its ``streaming_callback`` has no flow control, so a 1 GB ``GetObject`` to a slow
browser would pile up in memory. Here every chunk waits until the browser took the previous one.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
import ssl
import time
from dataclasses import dataclass
from functools import lru_cache
from http.client import responses
from typing import Any, Awaitable, Callable, Optional
from urllib.parse import parse_qsl, quote, unquote, urlsplit

import botocore.exceptions
import tornado.web
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado import httputil, iostream
from tornado.http1connection import HTTP1Connection, HTTP1ConnectionParameters
from tornado.tcpclient import TCPClient

from .connection import Connection, ConnectionError_, Upstream

log = logging.getLogger(__name__)

#: Region names AWS uses (``us-east-1``, ``us-gov-west-1``, ``us-isob-east-1`` …).
REGION_RE = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$")
#: Header that marks an error written by the proxy itself (not by AWS), for the frontend's error mapping.
PROXY_ERROR_HEADER = "X-SageMaker-Studio-Proxy-Error"
#: Request bodies above this size (S3 only) are streamed upstream instead of buffered.
STREAM_UPLOAD_THRESHOLD = 1024 * 1024
#: Responses above this size (or of unknown size) are flushed to the browser chunk by chunk, with flow control.
STREAM_RESPONSE_THRESHOLD = 256 * 1024
#: SageMaker Runtime operations by the last segment of their ``/endpoints/<name>/…`` path.
RUNTIME_OPERATIONS = {
    "invocations": "InvokeEndpoint",
    "async-invocations": "InvokeEndpointAsync",
    "invocations-response-stream": "InvokeEndpointWithResponseStream",
}
#: Operation-name prefixes allowed in read-only mode.
READ_ONLY_PREFIXES = ("Describe", "List", "Search", "Get", "BatchGet", "Head")

#: Browser request headers forwarded upstream (besides ``x-amz-*``); everything else is dropped.
FORWARDED_HEADERS = frozenset(
    {
        "accept",
        "content-type",
        "content-md5",
        "content-encoding",
        "content-language",
        "content-disposition",
        "cache-control",
        "expires",
        "range",
        "if-match",
        "if-none-match",
        "if-modified-since",
        "if-unmodified-since",
        "amz-sdk-invocation-id",
        "amz-sdk-request",
    }
)
#: ``x-amz-*`` headers the proxy sets itself; the browser's values are never forwarded.
PROXY_SET_AMZ_HEADERS = frozenset(
    {"x-amz-security-token", "x-amz-date", "x-amz-content-sha256", "x-amz-s3session-token"}
)
#: Response headers that describe the upstream connection, not the answer, or that must not reach the browser.
DROPPED_RESPONSE_HEADERS = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "set-cookie",
        "set-cookie2",
        "server",
    }
)
#: Unsigned payload markers the browser SDK may use for S3 (aws-chunked bodies with trailing checksums).
UNSIGNED_STREAMING_PAYLOAD = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"

_CONNECTION_PARAMS = HTTP1ConnectionParameters(
    no_keep_alive=False,
    chunk_size=64 * 1024,
    max_header_size=64 * 1024,
    # Responses are streamed, never buffered whole, so their size needs no cap here.
    max_body_size=1 << 62,
    decompress=False,
)


class ProxyError(tornado.web.HTTPError):
    """An error the proxy answers itself: ``{"message": <sentence>, "code": <machine-readable code>}``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(status, log_message=message.replace("%", "%%"), reason=responses.get(status, "Error"))
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Origin:
    """Where the proxy connects: scheme, host, port, the upstream's path prefix and the ``Host`` header."""

    scheme: str
    host: str
    port: int
    prefix: str
    host_header: str


@lru_cache(maxsize=256)
def parse_origin(base_url: str) -> Origin:
    """Split a server-resolved upstream base URL (cached: the same few URLs serve every request)."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"'{base_url}' is not an http(s) URL.")
    default_port = 443 if parts.scheme == "https" else 80
    port = parts.port or default_port
    host = parts.hostname
    host_for_header = f"[{host}]" if ":" in host else host
    host_header = host_for_header if port == default_port else f"{host_for_header}:{port}"
    return Origin(parts.scheme, host, port, parts.path.rstrip("/"), host_header)


@lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    """Certificate verification like botocore's (its CA bundle, falling back to the system's)."""
    try:
        from botocore.httpsession import where

        return ssl.create_default_context(cafile=where())
    except (ImportError, OSError):  # pragma: no cover - botocore always ships a bundle
        return ssl.create_default_context()


class UpstreamPool:
    """Idle keep-alive connections per origin, so consecutive AWS calls skip TCP and TLS set-up."""

    def __init__(self, max_idle_per_origin: int = 32, idle_seconds: float = 15.0) -> None:
        self._tcp = TCPClient()
        self._idle: dict[Origin, list[tuple[iostream.IOStream, float]]] = {}
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self.max_idle_per_origin = max_idle_per_origin
        # Below the idle timeouts of AWS front ends and of the local backend (60 s), so a pooled connection is
        # rarely closed under us; when it is, the request is retried once on a new connection.
        self.idle_seconds = idle_seconds

    async def acquire(self, origin: Origin, timeout: float, fresh: bool = False) -> tuple[iostream.IOStream, bool]:
        """A connected stream to ``origin`` (a new one if ``fresh``) and whether it was reused."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            # Streams belong to the loop that opened them (one per server; tests start a loop per test).
            self.close()
            self._loop = loop
        idle = self._idle.get(origin) if not fresh else None
        now = time.monotonic()
        while idle:
            stream, since = idle.pop()
            if not stream.closed() and now - since < self.idle_seconds:
                return stream, True
            stream.close()
        stream = await self._tcp.connect(
            origin.host,
            origin.port,
            ssl_options=_tls_context() if origin.scheme == "https" else None,
            timeout=timeout,
        )
        stream.set_nodelay(True)
        return stream, False

    def release(self, origin: Origin, stream: iostream.IOStream) -> None:
        """Keep a stream whose last exchange ended cleanly for the next request to ``origin``."""
        if stream.closed():
            return
        idle = self._idle.setdefault(origin, [])
        if len(idle) >= self.max_idle_per_origin:
            stream.close()
            return
        # No close watch on idle streams (it costs an epoll registration per request): a stream the server
        # closed meanwhile fails on first use, before any answer, and the request is retried on a new one.
        idle.append((stream, time.monotonic()))

    def close(self) -> None:
        """Close every idle connection."""
        for idle in self._idle.values():
            for stream, _ in idle:
                try:
                    stream.close()
                except Exception:  # noqa: BLE001 - a stream of a loop that is already closed
                    pass
        self._idle.clear()


#: One pool per server process, shared by all requests.
POOL = UpstreamPool()


class _IdleTimer:
    """Fires when the upstream has been silent for ``timeout`` seconds (a slow but moving download is fine)."""

    def __init__(self, timeout: float, on_expire: Callable[[], None]) -> None:
        self._loop = asyncio.get_running_loop()
        self._timeout = timeout
        self._on_expire = on_expire
        self._deadline = self._loop.time() + timeout
        self._handle: Optional[asyncio.TimerHandle] = self._loop.call_at(self._deadline, self._check)
        self.expired = False

    def kick(self) -> None:
        """Note upstream activity (re-arming is lazy: one timer, checked when it fires)."""
        self._deadline = self._loop.time() + self._timeout

    def remaining(self) -> float:
        """Seconds left before the timer fires."""
        return max(0.0, self._deadline - self._loop.time())

    def _check(self) -> None:
        if self._handle is None:
            return
        if self._loop.time() >= self._deadline:
            self._handle = None
            self.expired = True
            self._on_expire()
        else:
            self._handle = self._loop.call_at(self._deadline, self._check)

    def cancel(self) -> None:
        """Stop watching."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None


class _ResponseRelay(httputil.HTTPMessageDelegate):
    """Copies the upstream response to the browser as it arrives, waiting for the browser between chunks."""

    def __init__(self, handler: "ProxyHandler", timer: _IdleTimer, abort: Callable[[], None]) -> None:
        self.handler = handler
        self.timer = timer
        self.abort = abort
        self.started = False
        self.stream_back = False
        self.keep_alive = False
        self.client_gone = False

    def headers_received(
        self, start_line: httputil.RequestStartLine | httputil.ResponseStartLine, headers: httputil.HTTPHeaders
    ) -> None:
        assert isinstance(start_line, httputil.ResponseStartLine)
        self.timer.kick()
        h = self.handler
        self.started = True
        self.keep_alive = start_line.version == "HTTP/1.1" and (headers.get("Connection") or "").lower() != "close"
        h.set_status(start_line.code, start_line.reason or responses.get(start_line.code, "Unknown"))
        # Tornado's defaults (Content-Type text/html) must not show through when AWS sent none.
        h.clear_header("Content-Type")
        seen: set[str] = set()
        for name, value in headers.get_all():
            lower = name.lower()
            if lower in DROPPED_RESPONSE_HEADERS:
                continue
            if lower in seen:
                h.add_header(name, value)
            else:
                # set_header replaces Tornado's own value (e.g. Date) instead of sending both.
                h.set_header(name, value)
                seen.add(lower)
        if "cache-control" not in seen:
            # AWS data must not land in the browser's HTTP cache; an S3 object's own Cache-Control is its
            # metadata (the SDK reads it back), so that one passes unchanged.
            h.set_header("Cache-Control", "no-store")
        length = headers.get("Content-Length")
        self.stream_back = length is None or not length.isdigit() or int(length) > STREAM_RESPONSE_THRESHOLD

    def data_received(self, chunk: bytes) -> Optional[Awaitable[None]]:
        self.timer.kick()
        if self.client_gone:
            return None
        self.handler.write(chunk)
        if self.stream_back:
            return self._flush()
        return None

    async def _flush(self) -> None:
        try:
            await self.handler.flush()
        except iostream.StreamClosedError:
            # The browser went away: stop reading from the upstream too.
            self.client_gone = True
            self.abort()

    def finish(self) -> None:
        self.timer.kick()

    def on_connection_close(self) -> None:
        pass


def operation_name(
    service: str, method: str, tail: str, query: str, headers: httputil.HTTPHeaders, body: Optional[bytes]
) -> str:
    """The AWS operation a request calls, as well as the proxy can tell (for read-only checks and logs)."""
    target = headers.get("X-Amz-Target")
    if target:
        return target.rsplit(".", 1)[-1]
    if service == "s3":
        return _s3_operation(method, tail, query, headers)
    if service == "sagemaker-runtime":
        # REST paths /endpoints/<name>/<verb>: name the operation, so logs and read-only refusals say InvokeEndpoint.
        verb = tail.rstrip("/").rsplit("/", 1)[-1]
        if tail.startswith("endpoints/") and verb in RUNTIME_OPERATIONS:
            return RUNTIME_OPERATIONS[verb]
    action = dict(parse_qsl(query)).get("Action")
    if action is None and body and "x-www-form-urlencoded" in (headers.get("Content-Type") or ""):
        action = dict(parse_qsl(body.decode("utf-8", "replace"))).get("Action")
    if action:
        return action
    last = tail.rstrip("/").rsplit("/", 1)[-1]
    if last and last[0].isupper():  # REST-JSON APIs such as sagemaker-metrics name the operation in the path
        return last
    return f"{method} /{tail}"


def _s3_operation(method: str, tail: str, query: str, headers: httputil.HTTPHeaders) -> str:
    """Name the common S3 REST operations (path-style URLs: ``bucket/key``)."""
    params = {k for k, _ in parse_qsl(query, keep_blank_values=True)}
    bucket, _, key = tail.partition("/")
    if not bucket:
        return "ListBuckets" if method == "GET" else f"{method} /"
    if key:
        if method == "GET":
            return "GetObject"
        if method == "HEAD":
            return "HeadObject"
        if method == "DELETE":
            return "AbortMultipartUpload" if "uploadId" in params else "DeleteObject"
        if method == "PUT":
            if "partNumber" in params:
                return "UploadPartCopy" if "x-amz-copy-source" in headers else "UploadPart"
            return "CopyObject" if "x-amz-copy-source" in headers else "PutObject"
        if method == "POST":
            if "uploads" in params:
                return "CreateMultipartUpload"
            if "uploadId" in params:
                return "CompleteMultipartUpload"
            if "select" in params:
                return "SelectObjectContent"
        return f"{method} object"
    if method == "GET":
        return "ListObjectsV2" if "list-type" in params else "ListObjects"
    if method == "HEAD":
        return "HeadBucket"
    if method == "PUT":
        return "CreateBucket" if not params else f"PutBucket ({'/'.join(sorted(params))})"
    if method == "DELETE":
        return "DeleteBucket" if not params else f"DeleteBucket ({'/'.join(sorted(params))})"
    if method == "POST" and "delete" in params:
        return "DeleteObjects"
    return f"{method} bucket"


def is_read_only(service: str, method: str, operation: str) -> bool:
    """Whether read-only mode lets this call through."""
    if service == "s3":
        # S3 reads are exactly its GET and HEAD requests (SelectObjectContent and the like are POSTs).
        return method in ("GET", "HEAD")
    if service == "sagemaker-metrics":
        return operation == "BatchGetMetrics"
    if service == "logs" and operation == "FilterLogEvents":  # a read (a notebook job's log search)
        return True
    return operation.startswith(READ_ONLY_PREFIXES)


def normalise_query(raw: str) -> str:
    """The query in AWS's canonical encoding (RFC 3986, ``%20`` not ``+``), order and blank values kept.

    SigV4 signs the query as AWS re-encodes it, so the proxy sends exactly what it signs. The browser SDK already
    encodes this way, so for its requests this changes nothing.
    """
    if not raw:
        return ""
    pairs = []
    for pair in raw.split("&"):
        if not pair:
            continue
        key, sep, value = pair.partition("=")
        pairs.append(quote(unquote(key), safe="-_.~") + sep + quote(unquote(value), safe="-_.~"))
    return "&".join(pairs)


def check_path(tail: str) -> None:
    """Refuse paths that an intermediary could rewrite after signing (dot segments, control characters)."""
    decoded = unquote(tail)
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in decoded):
        raise ProxyError(400, "InvalidPath", "The request path contains control characters.")
    if tail.startswith("/"):
        # "//host/…" is how a scheme-relative URL starts; no AWS API path begins with an empty segment.
        raise ProxyError(400, "InvalidPath", "The request path must not start with '//'.")
    for segment in decoded.split("/"):
        if segment in (".", ".."):
            raise ProxyError(400, "InvalidPath", "The request path must not contain '.' or '..' segments.")


class _KnownPayloadSigV4(SigV4Auth):
    """botocore's SigV4 signer, told the payload hash instead of hashing a body (which may still be streaming)."""

    def payload(self, request: AWSRequest) -> str:
        return request.context["payload_hash"]


class _KnownPayloadS3SigV4(S3SigV4Auth):
    """botocore's S3 signer (path signed as sent, ``x-amz-content-sha256`` set) with a given payload hash."""

    def payload(self, request: AWSRequest) -> str:
        return request.context["payload_hash"]


def sign(
    upstream: Upstream,
    service: str,
    method: str,
    path: str,
    query: str,
    headers: dict[str, str],
    payload_hash: str,
) -> dict[str, str]:
    """SigV4-sign a request whose path and query are already percent-encoded as they will be sent.

    botocore does the signing (``S3SigV4Auth`` for S3, ``SigV4Auth`` otherwise), so the canonical form is
    exactly the one AWS SDKs use. ``headers`` are lower-case and include ``host``; the result is lower-case and
    adds ``x-amz-date``, ``authorization`` and, when needed, ``x-amz-security-token`` / ``x-amz-content-sha256``.
    """
    url = f"http://{headers['host']}{path}" + (f"?{query}" if query else "")
    request = AWSRequest(method=method, url=url, headers=dict(headers))
    request.context["payload_hash"] = payload_hash
    signer_class = _KnownPayloadS3SigV4 if service == "s3" else _KnownPayloadSigV4
    signer_class(upstream.credentials, upstream.signing_name, upstream.region).add_auth(request)
    return {name.lower(): value for name, value in request.headers.items()}


@tornado.web.stream_request_body
class ProxyHandler(APIHandler):
    """Signs browser AWS SDK requests with the server's credentials and relays them to the resolved upstream."""

    def initialize(self, connection: Connection) -> None:
        self.connection = connection
        #: True once an upstream answer is being relayed (its headers, not the proxy's JSON ones, apply).
        self.relaying = False
        self._started = time.perf_counter()
        self._service = "?"
        self._operation = "?"
        self._chunks: list[bytes] = []
        self._upload: Optional[_StreamingUpload] = None
        self._upstream: Optional[Upstream] = None
        self._tail = ""
        self._query = ""

    # ------------------------------------------------------------------ request checks (before the body)

    async def prepare(self) -> None:
        """Authenticate, validate and authorise the request before any body byte is read."""
        await super().prepare()
        if self.request.method == "OPTIONS":
            return  # CORS preflight: answered by APIHandler.options, never forwarded
        # With a streamed body, prepare() runs before the verb's @authenticated check, so check the login here
        # too: nothing may reach an upstream for an anonymous request.
        if self.current_user is None:
            raise tornado.web.HTTPError(403)
        service, region = self.path_args[0], self.path_args[1]
        self._service = service
        config = self.connection.config
        if service not in config.allowed_services:
            raise ProxyError(
                403,
                "ServiceNotAllowed",
                f"This JupyterLab server does not forward requests to the '{service}' service. "
                "An administrator can allow it with c.SageMakerStudio.allowed_services.",
            )
        if not REGION_RE.match(region):
            raise ProxyError(400, "InvalidRegion", f"'{region}' is not an AWS region name.")
        self._tail = self._raw_tail(service, region)
        check_path(self._tail)
        self._query = normalise_query(self.request.query or "")
        method = self.request.method or "GET"
        length = self.request.headers.get("Content-Length")
        if length is not None:
            if not length.isdigit():
                raise ProxyError(400, "InvalidRequest", "The Content-Length header is not a number.")
            if int(length) > config.max_body_size:
                raise ProxyError(
                    413,
                    "BodyTooLarge",
                    f"The request body ({int(length)} bytes) is larger than this server's limit of "
                    f"{config.max_body_size} bytes (c.SageMakerStudio.max_body_size).",
                )
        # A body without Content-Length (chunked) is cut off by Tornado at the same limit.
        self.request.connection.set_max_body_size(config.max_body_size)
        sha = (self.request.headers.get("X-Amz-Content-SHA256") or "").upper()
        if sha.startswith("STREAMING-") and sha != UNSIGNED_STREAMING_PAYLOAD:
            raise ProxyError(
                400,
                "SignedStreamingNotSupported",
                "The browser sent a chunk-signed upload, which the proxy cannot re-sign. "
                "Configure the SDK client without request signing.",
            )
        # STS names its operation in a form body; everything else can be judged now, before the body is read.
        if not (service == "sts" and method == "POST"):
            self._authorise(method, None)
        self._upstream = await self._resolve_upstream(service, region)
        if (
            service == "s3"
            and method in ("PUT", "POST")
            and length is not None
            and int(length) > STREAM_UPLOAD_THRESHOLD
        ):
            # S3 (and the local backend) accept UNSIGNED-PAYLOAD, so the body need not be hashed before sending.
            self._upload = _StreamingUpload(self)
            await self._upload.start(int(length), sha if sha == UNSIGNED_STREAMING_PAYLOAD else UNSIGNED_PAYLOAD)

    def _raw_tail(self, service: str, region: str) -> str:
        """The SDK's own path after ``…/{service}/{region}/``, still percent-encoded (the signature covers it)."""
        prefix = url_path_join(self.base_url, "sagemaker-studio", "aws", service, region) + "/"
        path = self.request.path
        if not path.startswith(prefix):
            raise ProxyError(400, "InvalidPath", "The request path does not follow …/aws/{service}/{region}/.")
        return path[len(prefix) :]

    def _authorise(self, method: str, body: Optional[bytes]) -> None:
        """Apply the read-only policy (and name the operation for the log)."""
        self._operation = operation_name(self._service, method, self._tail, self._query, self.request.headers, body)
        if self.connection.config.read_only and not is_read_only(self._service, method, self._operation):
            raise ProxyError(
                403,
                "ReadOnly",
                f"This JupyterLab server is read-only, so {self._operation} ({self._service}) is not allowed. "
                "Only Describe, List, Search, Get and Head operations pass (c.SageMakerStudio.read_only).",
            )

    async def _resolve_upstream(self, service: str, region: str) -> Upstream:
        try:
            if self.connection.local is not None:
                return self.connection.upstream(service, region)
            # In AWS mode botocore may refresh credentials (SSO, assume-role, instance metadata) or load an
            # endpoint's service model: network and disk work that must not freeze the server's event loop.
            return await asyncio.to_thread(self.connection.upstream, service, region)
        except ConnectionError_ as err:
            raise ProxyError(401, "NoCredentials", str(err)) from None
        except botocore.exceptions.BotoCoreError as err:
            name = type(err).__name__.lower()
            # A missing profile (ProfileNotFound) is a credentials problem too, not an unknown endpoint.
            if any(word in name for word in ("credential", "token", "sso", "profile")):
                raise ProxyError(
                    401,
                    "NoCredentials",
                    f"The server's AWS credentials could not be loaded: {str(err).rstrip('.')}. Check the profile "
                    "in the AWS config files (or run aws sso login) and restart JupyterLab.",
                ) from None
            raise ProxyError(
                502,
                "UpstreamUnresolved",
                f"The server could not find the {service} endpoint for {region}: {str(err).rstrip('.')}.",
            ) from None

    # ------------------------------------------------------------------ body

    def data_received(self, chunk: bytes) -> Optional[Awaitable[None]]:
        """Buffer the body, or pass it straight on for a streamed S3 upload (with flow control)."""
        if self._finished:
            return None
        if self._upload is not None:
            return self._upload.write(chunk)
        self._chunks.append(chunk)
        return None

    # ------------------------------------------------------------------ verbs

    @tornado.web.authenticated
    async def _forward(self, *args: str) -> None:
        """Send the request upstream and relay the answer."""
        if self._upload is not None:
            await self._upload.finish()
            return
        method = self.request.method or "GET"
        body = b"".join(self._chunks)
        self._chunks = []
        if self._service == "sts" and method == "POST":
            self._authorise(method, body)
        await self._send_buffered(method, body)

    get = head = post = put = delete = patch = _forward

    # ------------------------------------------------------------------ upstream exchange

    def upstream_request(
        self, method: str, body: Optional[bytes], payload_hash: Optional[str], length: int
    ) -> tuple[Origin, str, dict[str, str]]:
        """Origin, request target and signed headers of the outgoing request."""
        assert self._upstream is not None
        try:
            origin = parse_origin(self._upstream.base_url)
        except ValueError as err:
            raise ProxyError(502, "UpstreamUnresolved", f"The configured endpoint is unusable: {err}") from None
        path = f"{origin.prefix}/{self._tail}"
        target = path + (f"?{self._query}" if self._query else "")
        headers: dict[str, str] = {}
        for name, value in self.request.headers.get_all():
            lower = name.lower()
            if lower in FORWARDED_HEADERS or (lower.startswith("x-amz-") and lower not in PROXY_SET_AMZ_HEADERS):
                headers[lower] = f"{headers[lower]},{value}" if lower in headers else value
        headers["host"] = origin.host_header
        if body or method in ("POST", "PUT", "PATCH"):
            headers["content-length"] = str(length)
        if payload_hash is None:
            payload_hash = hashlib.sha256(body or b"").hexdigest()
        signed = sign(self._upstream, self._service, method, path, self._query, headers, payload_hash)
        return origin, target, signed

    async def _send_buffered(self, method: str, body: bytes) -> None:
        origin, target, headers = self.upstream_request(method, body, None, len(body))
        timeout = self.connection.config.upstream_timeout
        for attempt in (1, 2):
            stream, reused = await _connect(origin, timeout)
            exchange = _Exchange(self, stream, timeout)
            try:
                # Headers and a buffered body leave in one write (one syscall, one TCP segment for small calls).
                await exchange.send_headers(method, target, headers, body)
                exchange.end_request()
                await exchange.relay(origin)
                return
            except (iostream.StreamClosedError, httputil.HTTPInputError, OSError):
                # A pooled keep-alive connection the server had already closed: retry once on a fresh one.
                if not self.upstream_failed(exchange, retriable=reused and attempt == 1):
                    return
            finally:
                exchange.timer.cancel()

    def upstream_failed(self, exchange: "_Exchange", retriable: bool) -> bool:
        """After an upstream failure: True to retry; otherwise answer with a proxy error or cut the browser off."""
        exchange.close()
        if exchange.relay_state.client_gone:
            log.debug("SageMaker Studio proxy: the browser closed the connection during %s", self._operation)
            self._close_browser()
            return False
        if self._headers_written:
            # Part of the answer is already out: the only honest signal left is to cut the connection.
            log.warning(
                "SageMaker Studio proxy: the %s endpoint %s mid-response (%s); closing the browser connection.",
                self._service,
                "stalled" if exchange.timer.expired else "closed the connection",
                self._operation,
            )
            self._close_browser()
            return False
        if exchange.timer.expired:
            raise ProxyError(
                504,
                "UpstreamTimeout",
                f"The {self._service} endpoint did not answer within {self.connection.config.upstream_timeout:g} "
                "seconds (c.SageMakerStudio.upstream_timeout).",
            )
        if retriable and not exchange.relay_state.started:
            return True
        raise ProxyError(
            502,
            "UpstreamUnreachable",
            f"The {self._service} endpoint closed the connection without a complete answer. Try again.",
        )

    def _close_browser(self) -> None:
        self.request.connection.close()  # type: ignore[union-attr]
        try:
            self.finish()
        except Exception:  # noqa: BLE001 - the stream is closed; finishing only releases the handler
            pass

    def on_connection_close(self) -> None:
        """The browser left: abandon a streamed upload instead of waiting for the idle timer."""
        if self._upload is not None and self._upload.exchange is not None:
            self._upload.exchange.close()
            self._upload.exchange.timer.cancel()

    # ------------------------------------------------------------------ responses

    def finish(self, chunk: Any = None) -> Any:
        """Relayed responses keep the upstream's content type; the proxy's own answers are JSON."""
        if self.relaying:
            self.update_api_activity()
            return super(APIHandler, self).finish(chunk)
        return super().finish(chunk)

    def compute_etag(self) -> Optional[str]:
        """Never add an ETag (or answer 304) on AWS's behalf."""
        return None

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Proxy errors as ``{"message", "code"}`` JSON, marked with ``X-SageMaker-Studio-Proxy-Error``."""
        self.relaying = False
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, ProxyError):
            code, message = exc.code, exc.message
        elif isinstance(exc, tornado.web.HTTPError):
            code = {401: "NotAuthenticated", 403: "Forbidden", 404: "NotFound"}.get(status_code, "HttpError")
            message = exc.log_message or responses.get(status_code, "Unknown HTTP error")
            if status_code == 403 and not exc.log_message:
                message = "The request is not authenticated with this Jupyter server (log in again or send the token)."
        else:
            code = "InternalError"
            message = "The SageMaker Studio proxy failed unexpectedly; see the Jupyter server log."
        self.set_header(PROXY_ERROR_HEADER, "1")
        self.finish(json.dumps({"message": message, "code": code}))

    def on_finish(self) -> None:
        """One debug line per request (no headers, no body, no credentials)."""
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "SageMaker Studio proxy: %s %s -> %d in %.1f ms",
                self._service,
                self._operation,
                self.get_status(),
                (time.perf_counter() - self._started) * 1000,
            )


async def _connect(origin: Origin, timeout: float, fresh: bool = False) -> tuple[iostream.IOStream, bool]:
    """A pooled or new connection, with connection failures turned into 502/504 proxy errors."""
    try:
        return await POOL.acquire(origin, timeout, fresh)
    except (TimeoutError, asyncio.TimeoutError):
        raise ProxyError(
            504, "UpstreamTimeout", f"Connecting to {origin.host} took longer than {timeout:g} seconds."
        ) from None
    except (OSError, iostream.StreamClosedError, ssl.SSLError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else type(err).__name__
        raise ProxyError(
            502,
            "UpstreamUnreachable",
            f"The server could not connect to {origin.host}:{origin.port} ({reason}). "
            "Check the network, the region and any endpoint override.",
        ) from None


class _Exchange:
    """One request/response over one upstream connection, watched by an idle timer."""

    def __init__(self, handler: ProxyHandler, stream: iostream.IOStream, timeout: float) -> None:
        self.handler = handler
        self.stream = stream
        self.conn = HTTP1Connection(stream, True, _CONNECTION_PARAMS)
        self.timer = _IdleTimer(timeout, self.close)
        self.relay_state = _ResponseRelay(handler, self.timer, self.close)
        self.request_complete = False

    async def send_headers(
        self, method: str, target: str, headers: dict[str, str], body: Optional[bytes] = None
    ) -> None:
        """Write the request line and headers (and the body, when it is already complete)."""
        h = httputil.HTTPHeaders()
        for name, value in headers.items():
            h[name] = value
        await self.conn.write_headers(httputil.RequestStartLine(method, target, "HTTP/1.1"), h, body or None)
        self.timer.kick()

    async def write(self, chunk: bytes) -> None:
        """Write body bytes (waits until the socket took them)."""
        await self.conn.write(chunk)
        self.timer.kick()

    def end_request(self) -> None:
        """Mark the request complete."""
        self.conn.finish()
        self.request_complete = True

    async def relay(self, origin: Origin) -> None:
        """Read the response into the browser; return the connection to the pool if it can be reused."""
        self.handler.relaying = True
        still_open = await self.conn.read_response(self.relay_state)
        if self.timer.expired:
            raise iostream.StreamClosedError()
        if self.relay_state.client_gone:
            raise iostream.StreamClosedError()
        self.timer.cancel()
        if still_open and self.request_complete and self.relay_state.keep_alive:
            POOL.release(origin, self.stream)
        else:
            self.stream.close()
        self.handler.finish()

    def close(self) -> None:
        """Drop the connection (timeout, browser gone, or failure)."""
        self.conn.close()
        self.stream.close()


class _StreamingUpload:
    """A large S3 upload passed to the upstream as the browser sends it (signed with an unsigned payload)."""

    def __init__(self, handler: ProxyHandler) -> None:
        self.handler = handler
        self.exchange: Optional[_Exchange] = None
        self.origin: Optional[Origin] = None
        self.failed: Optional[BaseException] = None

    async def start(self, length: int, payload_hash: str) -> None:
        """Connect and send the signed headers before the body arrives."""
        method = self.handler.request.method or "PUT"
        origin, target, headers = self.handler.upstream_request(method, None, payload_hash, length)
        timeout = self.handler.connection.config.upstream_timeout
        # A streamed body cannot be replayed, so it never risks a pooled connection the server may have closed.
        stream, _ = await _connect(origin, timeout, fresh=True)
        self.origin = origin
        self.exchange = _Exchange(self.handler, stream, timeout)
        try:
            await self.exchange.send_headers(method, target, headers)
        except (iostream.StreamClosedError, OSError):
            self.exchange.close()
            self.exchange.timer.cancel()
            raise ProxyError(
                502, "UpstreamUnreachable", "The S3 endpoint closed the connection before the upload started."
            ) from None

    async def write(self, chunk: bytes) -> None:
        """Pass one body chunk on; the browser is read no faster than the upstream accepts."""
        if self.failed is not None or self.exchange is None:
            return
        try:
            await self.exchange.write(chunk)
        except (iostream.StreamClosedError, OSError) as err:
            # The upstream may have answered early (e.g. AccessDenied) and closed; the answer is read in finish().
            self.failed = err

    async def finish(self) -> None:
        """Complete the request and relay the answer."""
        assert self.exchange is not None and self.origin is not None
        exchange = self.exchange
        try:
            if self.failed is None:
                exchange.end_request()
            await exchange.relay(self.origin)
        except (iostream.StreamClosedError, httputil.HTTPInputError, OSError):
            self.handler.upstream_failed(exchange, retriable=False)
        finally:
            exchange.timer.cancel()
