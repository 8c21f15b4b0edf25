"""AWS request signature verification for the local backend (Signature Version 4, and S3's legacy version 2).

Checks requests exactly as botocore (and the AWS SDK for JavaScript) sign them: the ``Authorization`` header form
and the presigned-URL query form, plus the ``aws-chunked`` streaming body encodings S3 clients may use. S3 also
accepts signature version 2, because boto3's ``generate_presigned_url`` still produces it by default for S3. The
local backend has one key pair; a request whose signature does not verify against it is refused, which is what
keeps other users of the machine out.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, Optional
from urllib.parse import quote, unquote

from .protocol import ServiceError

ALGORITHM = "AWS4-HMAC-SHA256"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
#: aws-chunked body without chunk signatures, checksum in a trailer (botocore over TLS, JS SDK v3).
STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
#: aws-chunked body whose chunks are each signed, chained from the request's signature.
STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
STREAMING_SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
STREAMING_PAYLOADS = (STREAMING_UNSIGNED_TRAILER, STREAMING_SIGNED, STREAMING_SIGNED_TRAILER)
#: AWS refuses requests whose clock differs from its own by more than this.
MAX_SKEW_SECONDS = 15 * 60
#: Longest validity a presigned URL may ask for (seven days, as AWS).
MAX_PRESIGN_EXPIRES = 7 * 24 * 3600
TIMESTAMP_FORMAT = "%Y%m%dT%H%M%SZ"
#: Query-string characters SigV4 leaves unencoded (RFC 3986 unreserved).
UNRESERVED = "-_.~"


@dataclass(frozen=True)
class Scope:
    """Who signed a verified request, and for which region and service."""

    access_key: str
    region: str
    service: str
    #: ``X-Amz-Date`` of the request (``YYYYMMDDTHHMMSSZ``); chunk signatures repeat it.
    timestamp: str = ""
    #: The request's own signature: the seed of the chunk-signature chain of a signed aws-chunked body.
    seed_signature: str = ""
    #: Derived signing key, kept only to verify chunk signatures; never printed.
    signing_key: bytes = field(default=b"", repr=False, compare=False)
    #: The payload hash the request declared (``x-amz-content-sha256``, or what was computed).
    payload_hash: str = ""

    @property
    def credential_scope(self) -> str:
        """``date/region/service/aws4_request`` as it appears in strings to sign."""
        return f"{self.timestamp[:8]}/{self.region}/{self.service}/aws4_request"


def verify_request(
    method: str,
    raw_path: str,
    raw_query: str,
    headers: dict[str, str],
    body: bytes,
    secret_for: Callable[[str], Optional[str]],
    now: Callable[[], float] = time.time,
) -> Scope:
    """Verify a SigV4-signed request (header or presigned form); return its scope or raise a 403 ``ServiceError``.

    ``headers`` must have lower-case names; ``raw_path`` and ``raw_query`` are as received (still percent-encoded).
    """
    query_pairs = _split_query(raw_query)
    query_names = {unquote(k) for k, _ in query_pairs}
    authorization = headers.get("authorization")
    if authorization is not None and authorization.startswith("AWS "):
        return _verify_s3_v2(method, raw_path, query_pairs, headers, authorization, secret_for, now)
    if authorization is None and "AWSAccessKeyId" in query_names and "Signature" in query_names:
        return _verify_s3_v2(method, raw_path, query_pairs, headers, None, secret_for, now)
    if authorization is not None:
        return _verify_header_form(method, raw_path, query_pairs, headers, body, authorization, secret_for, now)
    if "X-Amz-Signature" in query_names or "X-Amz-Algorithm" in query_names:
        return _verify_query_form(method, raw_path, query_pairs, headers, body, secret_for, now)
    raise ServiceError(
        "MissingAuthenticationToken",
        "The request is not signed. The local backend only accepts requests signed with its own access key "
        "(AWS Signature Version 4).",
        403,
    )


def claimed_service(raw_query: str, headers: dict[str, str]) -> Optional[str]:
    """The service a request's credential scope names, without verifying anything (to pick an error format)."""
    authorization = headers.get("authorization", "")
    if authorization.startswith("AWS "):
        return "s3"
    credential = None
    for part in authorization.partition(" ")[2].split(","):
        name, _, value = part.strip().partition("=")
        if name == "Credential":
            credential = value
    if credential is None:
        params = {unquote(k): unquote(v) for k, v in _split_query(raw_query)}
        if "AWSAccessKeyId" in params:
            return "s3"
        credential = params.get("X-Amz-Credential")
    parts = (credential or "").split("/")
    return parts[3] if len(parts) == 5 else None


# --- the two request forms -------------------------------------------------------------------------------------


def _verify_header_form(
    method: str,
    raw_path: str,
    query_pairs: list[tuple[str, str]],
    headers: dict[str, str],
    body: bytes,
    authorization: str,
    secret_for: Callable[[str], Optional[str]],
    now: Callable[[], float],
) -> Scope:
    algorithm, _, rest = authorization.strip().partition(" ")
    if algorithm != ALGORITHM:
        raise _incomplete(f"The authorization header uses '{algorithm}'; only {ALGORITHM} is supported.")
    fields = {}
    for part in rest.split(","):
        name, sep, value = part.strip().partition("=")
        if sep:
            fields[name] = value.strip()
    for required in ("Credential", "SignedHeaders", "Signature"):
        if required not in fields:
            raise _incomplete(f"The authorization header has no {required}= component.")
    timestamp = headers.get("x-amz-date") or _timestamp_from_http_date(headers.get("date"))
    if not timestamp:
        raise _incomplete("The request has neither an X-Amz-Date nor a Date header.")
    access_key, date, region, service = _parse_credential(fields["Credential"], timestamp)
    signed_time = _parse_timestamp(timestamp)
    if abs(now() - signed_time) > MAX_SKEW_SECONDS:
        raise ServiceError(
            "RequestTimeTooSkewed",
            "The difference between the request time and the current time is too large (more than 15 minutes); "
            "check this machine's clock.",
            403,
        )
    secret = _secret_or_error(access_key, service, secret_for)
    signed_headers = fields["SignedHeaders"].split(";")
    if "host" not in signed_headers:
        raise _incomplete("The signed headers must include 'host'.")
    declared = headers.get("x-amz-content-sha256")
    payload_hash = declared if declared is not None else hashlib.sha256(body).hexdigest()
    signing_key = _signing_key(secret, date, region, service)
    provided = fields["Signature"]
    for canonical in _canonical_requests(
        method, raw_path, query_pairs, headers, signed_headers, payload_hash, service, drop_signature=False
    ):
        expected = _signature(signing_key, timestamp, f"{date}/{region}/{service}/aws4_request", canonical)
        if hmac.compare_digest(expected, provided):
            if declared is not None:
                # Only after the signature holds, so unauthenticated callers learn nothing about the body check.
                _check_declared_payload(declared, body)
            return Scope(access_key, region, service, timestamp, provided, signing_key, payload_hash)
    raise _mismatch()


def _verify_query_form(
    method: str,
    raw_path: str,
    query_pairs: list[tuple[str, str]],
    headers: dict[str, str],
    body: bytes,
    secret_for: Callable[[str], Optional[str]],
    now: Callable[[], float],
) -> Scope:
    params = {unquote(k): unquote(v) for k, v in query_pairs}
    for required in ("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Signature"):
        if required not in params:
            raise ServiceError(
                "AuthorizationQueryParametersError",
                f"The presigned URL has no {required} parameter.",
                400,
            )
    if params["X-Amz-Algorithm"] != ALGORITHM:
        raise ServiceError("AuthorizationQueryParametersError", f"X-Amz-Algorithm must be {ALGORITHM}.", 400)
    timestamp = params["X-Amz-Date"]
    access_key, date, region, service = _parse_credential(params["X-Amz-Credential"], timestamp)
    signed_time = _parse_timestamp(timestamp)
    try:
        expires = int(params.get("X-Amz-Expires", str(MAX_PRESIGN_EXPIRES)))
    except ValueError:
        raise ServiceError(
            "AuthorizationQueryParametersError", "X-Amz-Expires must be a whole number of seconds.", 400
        ) from None
    if not 1 <= expires <= MAX_PRESIGN_EXPIRES:
        raise ServiceError(
            "AuthorizationQueryParametersError",
            "X-Amz-Expires must be between 1 and 604800 seconds (seven days).",
            400,
        )
    current = now()
    if current > signed_time + expires:
        raise ServiceError("AccessDenied", "Request has expired: the presigned URL is no longer valid.", 403)
    if signed_time - current > MAX_SKEW_SECONDS:
        raise ServiceError("AccessDenied", "Request is not valid yet: the presigned URL is dated in the future.", 403)
    secret = _secret_or_error(access_key, service, secret_for)
    signed_headers = params["X-Amz-SignedHeaders"].split(";")
    if "host" not in signed_headers:
        raise ServiceError("AuthorizationQueryParametersError", "X-Amz-SignedHeaders must include 'host'.", 400)
    declared = params.get("X-Amz-Content-Sha256") or headers.get("x-amz-content-sha256")
    if declared is not None:
        candidates = [declared]
    elif service == "s3":
        # botocore and the JS SDK presign S3 URLs over an unsigned payload.
        candidates = [UNSIGNED_PAYLOAD]
    else:
        candidates = [hashlib.sha256(body).hexdigest()]
    signing_key = _signing_key(secret, date, region, service)
    provided = params["X-Amz-Signature"]
    for payload_hash in candidates:
        for canonical in _canonical_requests(
            method, raw_path, query_pairs, headers, signed_headers, payload_hash, service, drop_signature=True
        ):
            expected = _signature(signing_key, timestamp, f"{date}/{region}/{service}/aws4_request", canonical)
            if hmac.compare_digest(expected, provided):
                return Scope(access_key, region, service, timestamp, provided, signing_key, payload_hash)
    raise _mismatch()


# --- S3 signature version 2 (HMAC-SHA1) ----------------------------------------------------------------------

#: Query parameters that are part of a version 2 string to sign (S3's "sub-resources").
V2_SUBRESOURCES = frozenset(
    """accelerate acl analytics cors defaultObjectAcl delete inventory lifecycle location logging metrics
    notification object-lock partNumber policy replication requestPayment response-cache-control
    response-content-disposition response-content-encoding response-content-language response-content-type
    response-expires restore select select-type storageClass tagging torrent uploadId uploads versionId versioning
    versions website""".split()
)


def _verify_s3_v2(
    method: str,
    raw_path: str,
    query_pairs: list[tuple[str, str]],
    headers: dict[str, str],
    authorization: Optional[str],
    secret_for: Callable[[str], Optional[str]],
    now: Callable[[], float],
) -> Scope:
    """Verify S3's version 2 signature: ``Authorization: AWS key:sig`` or ``?AWSAccessKeyId&Signature&Expires``."""
    params = {unquote(k): unquote(v) for k, v in query_pairs}
    # Presigned URLs carry the signed x-amz-*/content-* values as query parameters instead of headers.
    values = dict(headers)
    if authorization is None:
        access_key, provided = params["AWSAccessKeyId"], params["Signature"]
        expires = params.get("Expires", "")
        if not expires.isdigit():
            raise ServiceError("AccessDenied", "Query-string authentication requires the Expires parameter.", 403)
        if now() > int(expires):
            raise ServiceError("AccessDenied", "Request has expired: the presigned URL is no longer valid.", 403)
        date_line = expires
        values.update(
            {
                k.lower(): v
                for k, v in params.items()
                if k.lower().startswith("x-amz-") or k.lower() in ("content-md5", "content-type")
            }
        )
    else:
        access_key, sep, provided = authorization[4:].strip().rpartition(":")
        if not sep or not access_key:
            raise _incomplete("The authorization header must look like 'AWS ACCESS_KEY:signature'.")
        stamp = _timestamp_from_http_date(headers.get("x-amz-date") or headers.get("date"))
        if stamp is None:
            raise _incomplete("The request has neither a valid x-amz-date nor Date header.")
        if abs(now() - _parse_timestamp(stamp)) > MAX_SKEW_SECONDS:
            raise ServiceError(
                "RequestTimeTooSkewed",
                "The difference between the request time and the current time is too large (more than 15 minutes); "
                "check this machine's clock.",
                403,
            )
        # With x-amz-date present it is signed among the x-amz-* headers and the Date line stays empty.
        date_line = "" if "x-amz-date" in headers else headers.get("date", "").strip()
    secret = _secret_or_error(access_key, "s3", secret_for)
    amz = sorted((k, " ".join(v.split())) for k, v in values.items() if k.startswith("x-amz-"))
    path = raw_path or "/"
    # A bucket-level resource is signed as "/bucket/" (botocore's auth_path) though the URL may be "/bucket".
    paths = [path + "/", path] if path.count("/") == 1 and path != "/" else [path]
    sub = sorted(
        ((unquote(k), unquote(v)) for k, v in query_pairs if unquote(k) in V2_SUBRESOURCES), key=lambda kv: kv[0]
    )
    suffix = "?" + "&".join(f"{k}={v}" if v else k for k, v in sub) if sub else ""
    lines = [method.upper(), values.get("content-md5", "").strip(), values.get("content-type", "").strip(), date_line]
    head = "\n".join(lines) + "\n" + "".join(f"{k}:{v}\n" for k, v in amz)
    for resource in paths:
        string_to_sign = head + resource + suffix
        digest = hmac.new(secret.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha1).digest()
        if hmac.compare_digest(base64.b64encode(digest).decode(), provided):
            return Scope(access_key, "us-east-1", "s3", payload_hash=UNSIGNED_PAYLOAD)
    raise _mismatch()


# --- canonical request -----------------------------------------------------------------------------------------


def _canonical_requests(
    method: str,
    raw_path: str,
    query_pairs: list[tuple[str, str]],
    headers: dict[str, str],
    signed_headers: list[str],
    payload_hash: str,
    service: str,
    drop_signature: bool,
) -> list[str]:
    """Canonical requests a correct signer could have produced for this request (usually one).

    SigV4 says to decode and re-encode every query name and value; botocore instead sorts the encoded pairs as
    they appear in the URL. Both agree for canonically encoded URLs; trying both accepts every legitimate
    signer without weakening the check (each candidate is a function of the request as received).
    """
    pairs = [(k, v) for k, v in query_pairs if not (drop_signature and unquote(k) == "X-Amz-Signature")]
    queries = [
        "&".join(f"{k}={v}" for k, v in sorted((_encode(unquote(k)), _encode(unquote(v))) for k, v in pairs)),
        "&".join(f"{k}={v}" for k, v in sorted(pairs)),
    ]
    header_lines = []
    for name in signed_headers:
        value = headers.get(name)
        if value is None:
            raise _mismatch()
        header_lines.append(f"{name}:{' '.join(value.split())}\n")
    canonical_headers = "".join(header_lines)
    path = _canonical_path(raw_path, service)
    results = []
    for query in dict.fromkeys(queries):
        results.append(
            "\n".join([method.upper(), path, query, canonical_headers, ";".join(signed_headers), payload_hash])
        )
    return results


def _canonical_path(raw_path: str, service: str) -> str:
    """The canonical URI: S3 signs the path as sent; other services sign it normalised and encoded once more."""
    path = raw_path or "/"
    if service == "s3":
        return path
    return quote(_remove_dot_segments(path), safe="/~")


def _remove_dot_segments(path: str) -> str:
    """Resolve ``.``/``..`` and collapse repeated slashes (RFC 3986 §5.2.4, plus AWS's empty-segment rule)."""
    segments: list[str] = []
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if segments:
                segments.pop()
            continue
        segments.append(segment)
    joined = "/".join(segments)
    lead = "/" if path.startswith("/") else ""
    trail = "/" if path.endswith("/") and segments else ""
    return lead + joined + trail or "/"


def _split_query(raw_query: str) -> list[tuple[str, str]]:
    """Raw (still encoded) name/value pairs of a query string; a bare name has an empty value."""
    if not raw_query:
        return []
    pairs = []
    for part in raw_query.split("&"):
        if part:
            name, _, value = part.partition("=")
            pairs.append((name, value))
    return pairs


def _encode(text: str) -> str:
    return quote(text, safe=UNRESERVED)


# --- keys and signatures ---------------------------------------------------------------------------------------


def _signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    key = _hmac(("AWS4" + secret).encode(), date)
    key = _hmac(key, region)
    key = _hmac(key, service)
    return _hmac(key, "aws4_request")


def _signature(signing_key: bytes, timestamp: str, credential_scope: str, canonical_request: str) -> str:
    string_to_sign = "\n".join(
        [ALGORITHM, timestamp, credential_scope, hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()]
    )
    return hmac.new(signing_key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()


def _parse_credential(credential: str, timestamp: str) -> tuple[str, str, str, str]:
    """Split ``AKID/date/region/service/aws4_request`` and check it agrees with the request's date."""
    parts = credential.split("/")
    if len(parts) != 5 or parts[4] != "aws4_request" or not all(parts):
        raise _incomplete("The credential must look like ACCESS_KEY/YYYYMMDD/region/service/aws4_request.")
    access_key, date, region, service, _ = parts
    if date != timestamp[:8]:
        raise _incomplete(f"The credential date {date} does not match the request date {timestamp[:8]}.")
    return access_key, date, region, service


def _parse_timestamp(timestamp: str) -> float:
    try:
        return datetime.strptime(timestamp, TIMESTAMP_FORMAT).replace(tzinfo=timezone.utc).timestamp()
    except ValueError:
        raise _incomplete(f"The request date '{timestamp}' is not in the form YYYYMMDDTHHMMSSZ.") from None


def _timestamp_from_http_date(value: Optional[str]) -> Optional[str]:
    if not value:
        return None
    from email.utils import parsedate_to_datetime

    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return parsed.astimezone(timezone.utc).strftime(TIMESTAMP_FORMAT)


def _secret_or_error(access_key: str, service: str, secret_for: Callable[[str], Optional[str]]) -> str:
    secret = secret_for(access_key)
    if secret is None:
        if service == "s3":
            raise ServiceError(
                "InvalidAccessKeyId",
                "The AWS Access Key Id you provided does not exist in our records: use the local backend's key.",
                403,
            )
        raise ServiceError(
            "InvalidClientTokenId",
            "The security token included in the request is invalid: use the local backend's access key.",
            403,
        )
    return secret


def _check_declared_payload(declared: str, body: bytes) -> None:
    """A declared hex payload hash must match the body (AWS: XAmzContentSHA256Mismatch)."""
    if declared == UNSIGNED_PAYLOAD or declared in STREAMING_PAYLOADS:
        return
    if len(declared) != 64 or any(c not in "0123456789abcdef" for c in declared):
        raise ServiceError(
            "InvalidArgument", "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, a STREAMING-* value or a SHA-256.", 400
        )
    if not hmac.compare_digest(hashlib.sha256(body).hexdigest(), declared):
        raise ServiceError(
            "XAmzContentSHA256Mismatch",
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
            400,
        )


def _mismatch() -> ServiceError:
    return ServiceError(
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check your key and "
        "signing method.",
        403,
    )


def _incomplete(message: str) -> ServiceError:
    return ServiceError("IncompleteSignature", message, 403)


# --- aws-chunked bodies ----------------------------------------------------------------------------------------


@dataclass
class ChunkedBody:
    """A decoded aws-chunked body: the object bytes and the trailing headers (lower-case names)."""

    data: bytes
    trailers: dict[str, str]


def decode_aws_chunked(body: bytes, scope: Scope) -> ChunkedBody:
    """Decode an ``aws-chunked`` body; with a signed streaming payload every chunk signature is checked.

    Layout: ``hex-size[;chunk-signature=sig]\\r\\n data \\r\\n`` repeated, a zero-size chunk, then optional
    ``name:value\\r\\n`` trailers and a final ``\\r\\n``.
    """
    signed = scope.payload_hash in (STREAMING_SIGNED, STREAMING_SIGNED_TRAILER)
    previous = scope.seed_signature
    out = bytearray()
    pos = 0
    while True:
        line_end = body.find(b"\r\n", pos)
        if line_end < 0:
            raise _bad_chunk("a chunk header is not terminated by CRLF")
        header = body[pos:line_end].decode("latin-1")
        size_text, _, extension = header.partition(";")
        try:
            size = int(size_text.strip(), 16)
        except ValueError:
            raise _bad_chunk(f"'{size_text}' is not a hexadecimal chunk size") from None
        data_start = line_end + 2
        data = body[data_start : data_start + size]
        if len(data) != size:
            raise _bad_chunk("the body ends inside a chunk")
        if signed:
            name, _, provided = extension.partition("=")
            if name.strip() != "chunk-signature":
                raise _bad_chunk("a chunk has no chunk-signature")
            string_to_sign = "\n".join(
                [
                    "AWS4-HMAC-SHA256-PAYLOAD",
                    scope.timestamp,
                    scope.credential_scope,
                    previous,
                    EMPTY_SHA256,
                    hashlib.sha256(data).hexdigest(),
                ]
            )
            expected = hmac.new(scope.signing_key, string_to_sign.encode(), hashlib.sha256).hexdigest()
            if not hmac.compare_digest(expected, provided.strip()):
                raise _mismatch()
            previous = expected
        out += data
        pos = data_start + size
        if size == 0:
            break
        if body[pos : pos + 2] != b"\r\n":
            raise _bad_chunk("chunk data is not followed by CRLF")
        pos += 2
    trailers: dict[str, str] = {}
    for line in body[pos:].decode("latin-1").split("\r\n"):
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise _bad_chunk(f"trailer line '{line}' has no ':'")
        trailers[name.strip().lower()] = value.strip()
    # A signed trailer (x-amz-trailer-signature) is accepted without re-deriving it: the chunk chain already
    # proves who sent the data, and the trailer's checksum is verified against the data by the caller.
    trailers.pop("x-amz-trailer-signature", None)
    return ChunkedBody(bytes(out), trailers)


def _bad_chunk(reason: str) -> ServiceError:
    return ServiceError("IncompleteBody", f"The aws-chunked request body is malformed: {reason}.", 400)
