"""S3 in local mode: the REST-XML API (path-style ``/bucket/key``) over durable local storage.

Metadata lives in SQLite tables (``s3_*``); object bytes live in immutable files written with
``Store.write_blob`` (fsynced) before the row that points at them commits, so an acknowledged write survives a
crash. A replaced or deleted object's file is removed after the commit; files orphaned by a crash in between are
collected at start-up.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import logging
import os
import re
import uuid
import zlib
from datetime import datetime, timezone
from email.utils import formatdate, parsedate_to_datetime
from typing import Callable, Iterable, Iterator, Optional
from urllib.parse import quote, unquote
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from .protocol import LocalRequest, LocalResponse, ServiceError
from .sigv4 import STREAMING_SIGNED, STREAMING_SIGNED_TRAILER, Scope, decode_aws_chunked
from .store import Store, now

log = logging.getLogger(__name__)

XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/"
BLOB_PREFIX = "s3-"
MIN_PART_SIZE = 5 * 1024 * 1024
MAX_PART_NUMBER = 10000
MAX_KEYS = 1000
MAX_KEY_BYTES = 1024
MAX_USER_METADATA_BYTES = 2048
READ_CHUNK = 1024 * 1024
#: Headers stored with an object and returned by GET/HEAD (besides ``x-amz-meta-*``).
STORED_HEADERS = (
    "content-type",
    "content-encoding",
    "content-disposition",
    "content-language",
    "cache-control",
    "expires",
)
DEFAULT_CONTENT_TYPE = "binary/octet-stream"
#: Query parameters naming S3 features local mode does not have; requests using them get NotImplemented
#: rather than being mistaken for a plain object or bucket operation.
UNSUPPORTED_SUBRESOURCES = frozenset(
    """accelerate acl analytics attributes cors encryption intelligent-tiering inventory legal-hold lifecycle logging
    metadataTable metrics notification object-lock ownershipControls policy policyStatus publicAccessBlock
    replication requestPayment restore retention select session tagging torrent versions website""".split()
)

DDL = """
CREATE TABLE IF NOT EXISTS s3_buckets(
    name TEXT PRIMARY KEY, created REAL NOT NULL, region TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS s3_objects(
    bucket TEXT NOT NULL REFERENCES s3_buckets(name), key TEXT NOT NULL, blob TEXT NOT NULL, size INTEGER NOT NULL,
    etag TEXT NOT NULL, last_modified REAL NOT NULL, headers TEXT NOT NULL, checksum TEXT,
    PRIMARY KEY(bucket, key));
CREATE TABLE IF NOT EXISTS s3_uploads(
    upload_id TEXT PRIMARY KEY, bucket TEXT NOT NULL REFERENCES s3_buckets(name), key TEXT NOT NULL,
    initiated REAL NOT NULL, headers TEXT NOT NULL, checksum_algorithm TEXT, checksum_type TEXT);
CREATE INDEX IF NOT EXISTS s3_uploads_key ON s3_uploads(bucket, key);
CREATE TABLE IF NOT EXISTS s3_parts(
    upload_id TEXT NOT NULL REFERENCES s3_uploads(upload_id) ON DELETE CASCADE, part_number INTEGER NOT NULL,
    blob TEXT NOT NULL, size INTEGER NOT NULL, etag TEXT NOT NULL, last_modified REAL NOT NULL, checksum TEXT,
    PRIMARY KEY(upload_id, part_number));
"""


class S3Service:
    """The S3 REST-XML API: buckets, objects, ranges, copies, listings and multipart uploads."""

    def __init__(self, store: Store, info) -> None:
        self.store = store
        self.info = info
        #: Buckets the backend itself owns (AWS's public buckets, e.g. the JumpStart catalog): any client with the
        #: backend's credentials can read them; they are not listed by ListBuckets and clients cannot write them.
        self.public_buckets: set[str] = set()
        store.ensure_schema(DDL)
        self._collect_orphans()

    # --- entry point -------------------------------------------------------------------------------------------

    def handle(self, request: LocalRequest) -> LocalResponse:
        """Answer one S3 request; errors become S3's XML error document (no body for HEAD)."""
        request_id = uuid.uuid4().hex[:16].upper()
        try:
            resp = self._dispatch(request)
        except ServiceError as err:
            resp = self._error(err, request, request_id)
        except Exception:  # A bug must still answer in S3's format so SDKs report it instead of hanging.
            log.exception("S3 request %s %s failed", request.method, request.path)
            resp = self._error(
                ServiceError("InternalError", "The local S3 backend failed to process the request.", 500),
                request,
                request_id,
            )
        resp.headers.setdefault("x-amz-request-id", request_id)
        resp.headers.setdefault("x-amz-id-2", base64.b64encode(request_id.encode()).decode())
        return resp

    def _dispatch(self, req: LocalRequest) -> LocalResponse:
        bucket, key = _split_path(req.path)
        q = dict(req.query_pairs())
        method = req.method
        unsupported = UNSUPPORTED_SUBRESOURCES.intersection(q)
        if unsupported:
            raise ServiceError(
                "NotImplemented",
                f"Local mode does not implement the S3 '{sorted(unsupported)[0]}' feature.",
                501,
            )
        if not bucket:
            if method == "GET":
                return self.list_buckets(q)
            raise _method_not_allowed(method)
        if bucket in self.public_buckets and method not in ("GET", "HEAD"):
            raise ServiceError("AccessDenied", "Access Denied", 403)
        if key is None:
            if method == "PUT":
                if "versioning" in q:
                    raise ServiceError("NotImplemented", "Local mode does not implement bucket versioning.", 501)
                return self.create_bucket(req, bucket)
            if method == "HEAD":
                return self.head_bucket(bucket)
            if method == "DELETE":
                return self.delete_bucket(bucket)
            if method == "GET":
                if "location" in q:
                    return self.get_bucket_location(bucket)
                if "versioning" in q:
                    return self.get_bucket_versioning(bucket)
                if "uploads" in q:
                    return self.list_multipart_uploads(bucket, q)
                if q.get("list-type") == "2":
                    return self.list_objects(bucket, q, v2=True)
                return self.list_objects(bucket, q, v2=False)
            if method == "POST" and "delete" in q:
                return self.delete_objects(req, bucket)
            raise _method_not_allowed(method)
        if method == "PUT":
            if "uploadId" in q or "partNumber" in q:
                if req.header("x-amz-copy-source"):
                    return self.upload_part_copy(req, bucket, key, q)
                return self.upload_part(req, bucket, key, q)
            if req.header("x-amz-copy-source"):
                return self.copy_object(req, bucket, key)
            return self.put_object(req, bucket, key)
        if method in ("GET", "HEAD"):
            if method == "GET" and "uploadId" in q:
                return self.list_parts(bucket, key, q)
            return self.get_object(req, bucket, key, q, head=method == "HEAD")
        if method == "DELETE":
            if "uploadId" in q:
                return self.abort_multipart_upload(bucket, key, q["uploadId"])
            return self.delete_object(bucket, key)
        if method == "POST":
            if "uploads" in q:
                return self.create_multipart_upload(req, bucket, key)
            if "uploadId" in q:
                return self.complete_multipart_upload(req, bucket, key, q["uploadId"])
        raise _method_not_allowed(method)

    # --- buckets -----------------------------------------------------------------------------------------------

    def create_bucket(self, req: LocalRequest, bucket: str) -> LocalResponse:
        """CreateBucket with AWS's naming rules and location constraint checks."""
        _check_bucket_name(bucket)
        if req.body.strip():
            root = _parse_xml(req.body)
            constraint = _child_text(root, "LocationConstraint")
            if constraint is not None and constraint != self.info.region:
                if self.info.region == "us-east-1" and constraint == "us-east-1":
                    pass
                else:
                    raise ServiceError(
                        "IllegalLocationConstraintException",
                        f"The {constraint or 'unspecified'} location constraint is incompatible for the region "
                        f"specific endpoint this request was sent to ({self.info.region}).",
                        400,
                    )
            if constraint == "us-east-1":
                raise ServiceError(
                    "InvalidLocationConstraint",
                    "The specified location-constraint is not valid.",
                    400,
                    LocationConstraint=constraint,
                )
        elif self.info.region != "us-east-1":
            raise ServiceError(
                "IllegalLocationConstraintException",
                f"The unspecified location constraint is incompatible for the region specific endpoint this "
                f"request was sent to ({self.info.region}).",
                400,
            )
        with self.store.transaction() as db:
            exists = db.execute("SELECT 1 FROM s3_buckets WHERE name=?", (bucket,)).fetchone()
            if exists:
                # AWS answers 200 in us-east-1 for legacy reasons and BucketAlreadyOwnedByYou everywhere else.
                if self.info.region != "us-east-1":
                    raise ServiceError(
                        "BucketAlreadyOwnedByYou",
                        "Your previous request to create the named bucket succeeded and you already own it.",
                        409,
                        BucketName=bucket,
                    )
            else:
                db.execute(
                    "INSERT INTO s3_buckets(name, created, region) VALUES (?, ?, ?)", (bucket, now(), self.info.region)
                )
        return LocalResponse(200, {"Location": f"/{bucket}"})

    def list_buckets(self, q: dict[str, str]) -> LocalResponse:
        """ListBuckets (with the optional prefix / max-buckets / continuation-token paging)."""
        prefix = q.get("prefix", "")
        after = _decode_token(q["continuation-token"])["k"] if q.get("continuation-token") else ""
        limit = _int_param(q, "max-buckets", 10000, 1, 10000)
        hidden = sorted(self.public_buckets)
        rows = self.store.query(
            "SELECT name, created, region FROM s3_buckets WHERE name > ? AND substr(name, 1, ?) = ? "
            f"AND name NOT IN ({', '.join('?' * len(hidden))}) ORDER BY name LIMIT ?",
            (after, len(prefix), prefix, *hidden, limit + 1),
        )
        more = len(rows) > limit
        rows = rows[:limit]
        parts = [f'<ListAllMyBucketsResult xmlns="{XMLNS}">', self._owner_xml("Owner"), "<Buckets>"]
        for row in rows:
            parts.append(
                "<Bucket>"
                + _el("Name", row["name"])
                + _el("CreationDate", _iso(row["created"]))
                + _el("BucketRegion", row["region"])
                + "</Bucket>"
            )
        parts.append("</Buckets>")
        if more:
            parts.append(_el("ContinuationToken", _encode_token({"k": rows[-1]["name"]})))
        if prefix:
            parts.append(_el("Prefix", prefix))
        parts.append("</ListAllMyBucketsResult>")
        return _xml_response(parts)

    def head_bucket(self, bucket: str) -> LocalResponse:
        """HeadBucket: 200 with the bucket's region, or 404."""
        row = self._bucket(bucket)
        return LocalResponse(200, {"x-amz-bucket-region": row["region"], "Content-Type": "application/xml"})

    def get_bucket_location(self, bucket: str) -> LocalResponse:
        """GetBucketLocation: empty for us-east-1, as AWS answers."""
        row = self._bucket(bucket)
        region = "" if row["region"] == "us-east-1" else row["region"]
        return _xml_response([f'<LocationConstraint xmlns="{XMLNS}">{escape(region)}</LocationConstraint>'])

    def get_bucket_versioning(self, bucket: str) -> LocalResponse:
        """GetBucketVersioning: versioning is never enabled in local mode."""
        self._bucket(bucket)
        return _xml_response([f'<VersioningConfiguration xmlns="{XMLNS}"/>'])

    def delete_bucket(self, bucket: str) -> LocalResponse:
        """DeleteBucket: only when empty (BucketNotEmpty otherwise); pending uploads go with it."""
        blobs: list[str] = []
        with self.store.transaction() as db:
            if not db.execute("SELECT 1 FROM s3_buckets WHERE name=?", (bucket,)).fetchone():
                raise _no_such_bucket(bucket)
            if db.execute("SELECT 1 FROM s3_objects WHERE bucket=? LIMIT 1", (bucket,)).fetchone():
                raise ServiceError(
                    "BucketNotEmpty", "The bucket you tried to delete is not empty.", 409, BucketName=bucket
                )
            blobs = [
                r["blob"]
                for r in db.execute(
                    "SELECT p.blob FROM s3_parts p JOIN s3_uploads u USING(upload_id) WHERE u.bucket=?", (bucket,)
                )
            ]
            db.execute("DELETE FROM s3_uploads WHERE bucket=?", (bucket,))
            db.execute("DELETE FROM s3_buckets WHERE name=?", (bucket,))
        self._unlink(blobs)
        return _no_body(204)

    # --- objects -----------------------------------------------------------------------------------------------

    def put_object(self, req: LocalRequest, bucket: str, key: str) -> LocalResponse:
        """PutObject: Content-MD5 and flexible checksums verified, metadata kept, ETag = MD5."""
        self._bucket(bucket)
        _check_key(key)
        data, trailers, encoding = self._payload(req)
        _check_content_md5(req, data)
        checksum = _verify_checksums(req, trailers, data)
        headers = _stored_headers(req, encoding)
        etag = f'"{hashlib.md5(data).hexdigest()}"'
        blob = self._write_blob(data)
        try:
            with self.store.transaction() as db:
                if req.header("if-none-match") == "*" and _object_row(db, bucket, key) is not None:
                    raise ServiceError(
                        "PreconditionFailed",
                        "At least one of the pre-conditions you specified did not hold",
                        412,
                        Condition="If-None-Match",
                    )
                old = self._upsert_object(db, bucket, key, blob, len(data), etag, headers, checksum)
        except BaseException:
            self._unlink([blob])
            raise
        self._unlink(old)
        out = {"ETag": etag}
        out.update(_checksum_headers(checksum))
        return LocalResponse(200, out)

    def get_object(self, req: LocalRequest, bucket: str, key: str, q: dict[str, str], head: bool) -> LocalResponse:
        """GetObject / HeadObject with Range, conditional headers and response-* overrides."""
        self._bucket(bucket)
        row = self._object(bucket, key)
        headers = self._object_headers(row)
        if _preconditions(req, row["etag"], row["last_modified"]):
            keep = {k: v for k, v in headers.items() if k in ("ETag", "Last-Modified")}
            return _no_body(304, keep)
        size = row["size"]
        start, end, status = 0, size - 1, 200
        rng = req.header("range")
        if rng:
            parsed = _parse_range(rng, size)
            if parsed is not None:
                start, end = parsed
                status = 206
                headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        length = max(0, end - start + 1)
        if status == 200 and (req.header("x-amz-checksum-mode") or "").upper() == "ENABLED":
            headers.update(_checksum_headers(_load_checksum(row["checksum"])))
        for param, header in (
            ("response-content-type", "Content-Type"),
            ("response-content-language", "Content-Language"),
            ("response-expires", "Expires"),
            ("response-cache-control", "Cache-Control"),
            ("response-content-disposition", "Content-Disposition"),
            ("response-content-encoding", "Content-Encoding"),
        ):
            if param in q:
                headers[header] = q[param]
        headers["Content-Length"] = str(length)
        if head:
            return LocalResponse(status, headers, b"", length)
        path = self.store.blob_dir / row["blob"]
        try:
            stream = open(path, "rb")
        except FileNotFoundError:
            raise ServiceError(
                "InternalError", f"The stored data of '{key}' is missing from the data directory.", 500
            ) from None
        stream.seek(start)
        return LocalResponse(status, headers, stream, length)

    def delete_object(self, bucket: str, key: str) -> LocalResponse:
        """DeleteObject: 204 whether or not the key existed, as AWS."""
        self._bucket(bucket)
        with self.store.transaction() as db:
            old = self._delete_row(db, bucket, key)
        self._unlink(old)
        return _no_body(204)

    def delete_objects(self, req: LocalRequest, bucket: str) -> LocalResponse:
        """DeleteObjects (POST ?delete): up to 1000 keys, Quiet mode, per-key results."""
        self._bucket(bucket)
        body = req.body
        if not req.header("content-md5") and not any(h.startswith("x-amz-checksum-") for h in req.headers):
            raise ServiceError(
                "InvalidRequest", "Missing required header for this request: Content-MD5 or x-amz-checksum-*.", 400
            )
        _check_content_md5(req, body)
        _verify_checksums(req, {}, body)
        root = _parse_xml(body)
        quiet = (_child_text(root, "Quiet") or "").lower() == "true"
        keys = [_child_text(obj, "Key") for obj in root if _local(obj.tag) == "Object"]
        if not keys or len(keys) > MAX_KEYS or any(k is None for k in keys):
            raise ServiceError(
                "MalformedXML",
                "The XML you provided was not well-formed or did not validate against our published schema "
                "(1 to 1000 Object elements, each with a Key).",
                400,
            )
        blobs: list[str] = []
        deleted, errors = [], []
        with self.store.transaction() as db:
            for key in keys:
                if len(key.encode("utf-8")) > MAX_KEY_BYTES:
                    errors.append((key, "KeyTooLongError", "Your key is too long."))
                    continue
                blobs += self._delete_row(db, bucket, key)
                deleted.append(key)
        self._unlink(blobs)
        parts = [f'<DeleteResult xmlns="{XMLNS}">']
        if not quiet:
            parts += [f"<Deleted>{_el('Key', k)}</Deleted>" for k in deleted]
        parts += [f"<Error>{_el('Key', k)}{_el('Code', c)}{_el('Message', m)}</Error>" for k, c, m in errors]
        parts.append("</DeleteResult>")
        return _xml_response(parts)

    def copy_object(self, req: LocalRequest, bucket: str, key: str) -> LocalResponse:
        """CopyObject: from x-amz-copy-source, with COPY or REPLACE metadata and copy-source conditions."""
        self._bucket(bucket)
        _check_key(key)
        src_bucket, src_key = _copy_source(req.header("x-amz-copy-source") or "")
        self._bucket(src_bucket)
        src = self._object(src_bucket, src_key)
        _copy_preconditions(req, src)
        directive = (req.header("x-amz-metadata-directive") or "COPY").upper()
        if directive not in ("COPY", "REPLACE"):
            raise ServiceError(
                "InvalidArgument",
                "Unknown metadata directive.",
                400,
                ArgumentName="x-amz-metadata-directive",
                ArgumentValue=directive,
            )
        if (src_bucket, src_key) == (bucket, key) and directive == "COPY":
            raise ServiceError(
                "InvalidRequest",
                "This copy request is illegal because it is trying to copy an object to itself without changing "
                "the object's metadata, storage class, website redirect location or encryption attributes.",
                400,
            )
        headers = json.loads(src["headers"]) if directive == "COPY" else _stored_headers(req, None)
        md5 = hashlib.md5()
        blob = self._write_blob(_tee(self._read_blob(src["blob"], 0, src["size"]), md5.update))
        etag = f'"{md5.hexdigest()}"'
        checksum = _load_checksum(src["checksum"])
        # A multipart object's composite checksum describes its parts; the copy is a single part.
        checksum = {k: v for k, v in checksum.items() if "-" not in v} or None
        try:
            with self.store.transaction() as db:
                old = self._upsert_object(db, bucket, key, blob, src["size"], etag, headers, checksum)
                modified = _object_row(db, bucket, key)["last_modified"]
        except BaseException:
            self._unlink([blob])
            raise
        self._unlink(old)
        return _xml_response(
            [
                f'<CopyObjectResult xmlns="{XMLNS}">',
                _el("LastModified", _iso(modified)),
                _el("ETag", etag),
                "</CopyObjectResult>",
            ]
        )

    # --- listings ----------------------------------------------------------------------------------------------

    def list_objects(self, bucket: str, q: dict[str, str], v2: bool) -> LocalResponse:
        """ListObjectsV2 / ListObjects: prefix, delimiter, paging, start-after / marker, encoding-type=url."""
        self._bucket(bucket)
        prefix = q.get("prefix", "")
        delimiter = q.get("delimiter", "")
        encoding = q.get("encoding-type")
        if encoding not in (None, "url"):
            raise ServiceError(
                "InvalidArgument",
                "Invalid Encoding Method specified in Request",
                400,
                ArgumentName="encoding-type",
                ArgumentValue=encoding,
            )
        enc = (lambda s: quote(s, safe="/")) if encoding == "url" else (lambda s: s)
        max_keys = _int_param(q, "max-keys", MAX_KEYS, 0, None)
        max_keys = min(max_keys, MAX_KEYS)
        token = q.get("continuation-token")
        start, skip_prefix = "", None
        if v2 and token is not None:
            state = _decode_token(token)
            start, skip_prefix = state["k"], state["k"] if state.get("p") else None
        elif v2:
            start = q.get("start-after", "")
        else:
            start = q.get("marker", "")
            if delimiter and start.endswith(delimiter) and start.startswith(prefix):
                skip_prefix = start
        items, truncated = self._walk(bucket, prefix, delimiter, start, skip_prefix, max_keys)
        name = "ListBucketResult"
        parts = [f'<{name} xmlns="{XMLNS}">', _el("Name", bucket), _el("Prefix", enc(prefix))]
        if v2:
            if token is not None:
                parts.append(_el("ContinuationToken", token))
            if "start-after" in q:
                parts.append(_el("StartAfter", enc(q["start-after"])))
            parts.append(_el("KeyCount", str(len(items))))
        else:
            parts.append(_el("Marker", enc(q.get("marker", ""))))
        parts.append(_el("MaxKeys", str(max_keys)))
        if delimiter:
            parts.append(_el("Delimiter", enc(delimiter)))
        if encoding:
            parts.append(_el("EncodingType", encoding))
        parts.append(_el("IsTruncated", "true" if truncated else "false"))
        if truncated and items:
            last_kind, last = items[-1]
            last_value = last if last_kind == "prefix" else last["key"]
            if v2:
                parts.append(_el("NextContinuationToken", _encode_token({"k": last_value, "p": last_kind == "prefix"})))
            elif delimiter:
                parts.append(_el("NextMarker", enc(last_value)))
        owner = self._owner_xml("Owner")
        for kind, item in items:
            if kind == "key":
                parts.append(
                    "<Contents>"
                    + _el("Key", enc(item["key"]))
                    + _el("LastModified", _iso(item["last_modified"]))
                    + _el("ETag", item["etag"])
                    + _el("Size", str(item["size"]))
                    + ("" if v2 else owner)
                    + _el("StorageClass", "STANDARD")
                    + "</Contents>"
                )
        for kind, item in items:
            if kind == "prefix":
                parts.append(f"<CommonPrefixes>{_el('Prefix', enc(item))}</CommonPrefixes>")
        parts.append(f"</{name}>")
        return _xml_response(parts)

    def _walk(
        self, bucket: str, prefix: str, delimiter: str, start: str, skip_prefix: Optional[str], max_keys: int
    ) -> tuple[list, bool]:
        """Keys and common prefixes after ``start`` in key order, at most ``max_keys`` of them; and whether more
        remain. Each common prefix counts once, like a key."""
        items: list = []
        if max_keys == 0:
            return items, False
        cursor = max(start, prefix) if start >= prefix else prefix
        inclusive = cursor == prefix and start < prefix
        current = skip_prefix
        while True:
            op = ">=" if inclusive else ">"
            rows = self.store.query(
                f"SELECT key, size, etag, last_modified FROM s3_objects WHERE bucket=? AND key {op} ? "
                "ORDER BY key LIMIT 1000",
                (bucket, cursor),
            )
            inclusive = False
            if not rows:
                return items, False
            for row in rows:
                key = row["key"]
                if not key.startswith(prefix):
                    return items, False
                if current is not None and key.startswith(current):
                    continue
                entry = None
                if delimiter:
                    idx = key.find(delimiter, len(prefix))
                    if idx >= 0:
                        current = key[: idx + len(delimiter)]
                        entry = ("prefix", current)
                if entry is None:
                    entry = ("key", row)
                if len(items) == max_keys:
                    return items, True
                items.append(entry)
            cursor = rows[-1]["key"]

    # --- multipart uploads -------------------------------------------------------------------------------------

    def create_multipart_upload(self, req: LocalRequest, bucket: str, key: str) -> LocalResponse:
        """CreateMultipartUpload: remembers metadata and the checksum algorithm for the final object."""
        self._bucket(bucket)
        _check_key(key)
        algorithm = (req.header("x-amz-checksum-algorithm") or "").upper() or None
        if algorithm is not None and algorithm not in CHECKSUMS:
            raise _bad_checksum_algorithm(algorithm)
        ctype = (req.header("x-amz-checksum-type") or "").upper() or None
        if ctype not in (None, "COMPOSITE", "FULL_OBJECT"):
            raise ServiceError("InvalidRequest", "Value for x-amz-checksum-type header is invalid.", 400)
        if algorithm is not None and ctype is None:
            # AWS's defaults: CRC64NVME is always full-object, the others composite.
            ctype = "FULL_OBJECT" if algorithm == "CRC64NVME" else "COMPOSITE"
        upload_id = base64.urlsafe_b64encode(os.urandom(24)).decode().rstrip("=")
        with self.store.transaction() as db:
            db.execute(
                "INSERT INTO s3_uploads(upload_id, bucket, key, initiated, headers, checksum_algorithm, checksum_type)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (upload_id, bucket, key, now(), json.dumps(_stored_headers(req, None)), algorithm, ctype),
            )
        headers = {}
        if algorithm:
            headers["x-amz-checksum-algorithm"] = algorithm
            headers["x-amz-checksum-type"] = ctype
        return _xml_response(
            [
                f'<InitiateMultipartUploadResult xmlns="{XMLNS}">',
                _el("Bucket", bucket),
                _el("Key", key),
                _el("UploadId", upload_id),
                "</InitiateMultipartUploadResult>",
            ],
            headers,
        )

    def upload_part(self, req: LocalRequest, bucket: str, key: str, q: dict[str, str]) -> LocalResponse:
        """UploadPart: stores one part durably; re-uploading a part number replaces it."""
        part_number = _part_number(q)
        upload = self._upload(bucket, key, q.get("uploadId", ""))
        data, trailers, _ = self._payload(req)
        _check_content_md5(req, data)
        checksum = _verify_checksums(req, trailers, data)
        etag = f'"{hashlib.md5(data).hexdigest()}"'
        blob = self._write_blob(data)
        old = self._store_part(upload["upload_id"], part_number, blob, len(data), etag, checksum)
        self._unlink(old)
        out = {"ETag": etag}
        out.update(_checksum_headers(checksum))
        return LocalResponse(200, out)

    def upload_part_copy(self, req: LocalRequest, bucket: str, key: str, q: dict[str, str]) -> LocalResponse:
        """UploadPartCopy: a part made from (a byte range of) an existing object."""
        part_number = _part_number(q)
        upload = self._upload(bucket, key, q.get("uploadId", ""))
        src_bucket, src_key = _copy_source(req.header("x-amz-copy-source") or "")
        self._bucket(src_bucket)
        src = self._object(src_bucket, src_key)
        _copy_preconditions(req, src)
        start, end = 0, src["size"] - 1
        rng = req.header("x-amz-copy-source-range")
        if rng:
            match = re.fullmatch(r"bytes=(\d+)-(\d+)", rng.strip())
            if not match or int(match.group(1)) > int(match.group(2)) or int(match.group(2)) >= src["size"]:
                raise ServiceError(
                    "InvalidArgument",
                    "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last "
                    "are the zero-based offsets of the first and last bytes to copy",
                    400,
                    ArgumentName="x-amz-copy-source-range",
                    ArgumentValue=rng,
                )
            start, end = int(match.group(1)), int(match.group(2))
        md5 = hashlib.md5()
        size = end - start + 1 if src["size"] else 0
        blob = self._write_blob(_tee(self._read_blob(src["blob"], start, size), md5.update))
        etag = f'"{md5.hexdigest()}"'
        old = self._store_part(upload["upload_id"], part_number, blob, size, etag, None)
        self._unlink(old)
        return _xml_response(
            [
                f'<CopyPartResult xmlns="{XMLNS}">',
                _el("LastModified", _iso(now())),
                _el("ETag", etag),
                "</CopyPartResult>",
            ]
        )

    def complete_multipart_upload(self, req: LocalRequest, bucket: str, key: str, upload_id: str) -> LocalResponse:
        """CompleteMultipartUpload: checks order, ETags and sizes, then joins the parts into one object."""
        upload = self._upload(bucket, key, upload_id)
        root = _parse_xml(req.body)
        requested = []
        for part in root:
            if _local(part.tag) != "Part":
                continue
            number, etag = _child_text(part, "PartNumber"), _child_text(part, "ETag")
            if number is None or etag is None or not number.isdigit():
                raise _malformed_xml()
            claimed = {
                algo: _child_text(part, f"Checksum{algo}") for algo in CHECKSUMS if _child_text(part, f"Checksum{algo}")
            }
            requested.append((int(number), etag.strip().strip('"'), claimed))
        if not requested:
            raise _malformed_xml()
        numbers = [n for n, _, _ in requested]
        if numbers != sorted(numbers) or len(set(numbers)) != len(numbers):
            raise ServiceError(
                "InvalidPartOrder",
                "The list of parts was not in ascending order. The parts list "
                "must be specified in order by part number.",
                400,
                UploadId=upload_id,
            )
        stored = {
            r["part_number"]: r for r in self.store.query("SELECT * FROM s3_parts WHERE upload_id=?", (upload_id,))
        }
        chosen = []
        for number, etag, claimed in requested:
            row = stored.get(number)
            if row is None or row["etag"].strip('"') != etag:
                raise ServiceError(
                    "InvalidPart",
                    "One or more of the specified parts could not be found. The part may not have been uploaded, "
                    "or the specified entity tag may not match the part's entity tag.",
                    400,
                    UploadId=upload_id,
                    PartNumber=str(number),
                    ETag=etag,
                )
            part_checksum = _load_checksum(row["checksum"])
            for algo, value in claimed.items():
                if part_checksum.get(algo) not in (None, value):
                    raise ServiceError(
                        "InvalidPart",
                        f"The checksum of part {number} does not match the one given for it.",
                        400,
                        UploadId=upload_id,
                        PartNumber=str(number),
                    )
            chosen.append(row)
        # Sizes only after every named part is known to exist, so a wrong list reports InvalidPart first.
        for row in chosen[:-1]:
            if row["size"] < MIN_PART_SIZE:
                raise ServiceError(
                    "EntityTooSmall",
                    "Your proposed upload is smaller than the minimum allowed object size.",
                    400,
                    ProposedSize=str(row["size"]),
                    MinSizeAllowed=str(MIN_PART_SIZE),
                    PartNumber=str(row["part_number"]),
                    ETag=row["etag"].strip('"'),
                )
        md5s = b"".join(binascii.unhexlify(r["etag"].strip('"')) for r in chosen)
        etag = f'"{hashlib.md5(md5s).hexdigest()}-{len(chosen)}"'
        checksum = self._final_checksum(req, upload, chosen)
        full = _full_object_hasher(upload["checksum_algorithm"]) if upload["checksum_type"] == "FULL_OBJECT" else None
        total = sum(r["size"] for r in chosen)

        def joined() -> Iterator[bytes]:
            for r in chosen:
                yield from self._read_blob(r["blob"], 0, r["size"])

        blob = self._write_blob(_tee(joined(), full.update) if full else joined())
        if full is not None:
            value = full.value()
            given = req.header(f"x-amz-checksum-{upload['checksum_algorithm'].lower()}")
            if given and given != value:
                self._unlink([blob])
                raise ServiceError(
                    "BadDigest",
                    f"The {upload['checksum_algorithm']} you specified for the "
                    "multipart upload did not match the calculated checksum.",
                    400,
                )
            checksum = {upload["checksum_algorithm"]: value}
        headers = json.loads(upload["headers"])
        all_parts = [r["blob"] for r in stored.values()]
        try:
            with self.store.transaction() as db:
                if not db.execute("SELECT 1 FROM s3_uploads WHERE upload_id=?", (upload_id,)).fetchone():
                    raise _no_such_upload(upload_id)
                old = self._upsert_object(db, bucket, key, blob, total, etag, headers, checksum)
                db.execute("DELETE FROM s3_uploads WHERE upload_id=?", (upload_id,))
        except BaseException:
            self._unlink([blob])
            raise
        self._unlink(old + all_parts)
        parts = [
            f'<CompleteMultipartUploadResult xmlns="{XMLNS}">',
            _el("Location", f"{self.info.endpoint_url}/{quote(bucket)}/{quote(key)}"),
            _el("Bucket", bucket),
            _el("Key", key),
            _el("ETag", etag),
        ]
        for algo, value in (checksum or {}).items():
            parts.append(_el(f"Checksum{algo}", value))
        if checksum:
            parts.append(_el("ChecksumType", upload["checksum_type"]))
        parts.append("</CompleteMultipartUploadResult>")
        return _xml_response(parts)

    def abort_multipart_upload(self, bucket: str, key: str, upload_id: str) -> LocalResponse:
        """AbortMultipartUpload: drops the upload and its parts (204)."""
        self._upload(bucket, key, upload_id)
        with self.store.transaction() as db:
            blobs = [r["blob"] for r in db.execute("SELECT blob FROM s3_parts WHERE upload_id=?", (upload_id,))]
            db.execute("DELETE FROM s3_uploads WHERE upload_id=?", (upload_id,))
        self._unlink(blobs)
        return _no_body(204)

    def list_parts(self, bucket: str, key: str, q: dict[str, str]) -> LocalResponse:
        """ListParts with max-parts / part-number-marker paging."""
        upload = self._upload(bucket, key, q.get("uploadId", ""))
        marker = _int_param(q, "part-number-marker", 0, 0, None)
        limit = _int_param(q, "max-parts", 1000, 0, None)
        limit = min(limit, 1000)
        rows = self.store.query(
            "SELECT * FROM s3_parts WHERE upload_id=? AND part_number>? ORDER BY part_number LIMIT ?",
            (upload["upload_id"], marker, limit + 1),
        )
        truncated = len(rows) > limit
        rows = rows[:limit]
        parts = [
            f'<ListPartsResult xmlns="{XMLNS}">',
            _el("Bucket", bucket),
            _el("Key", key),
            _el("UploadId", upload["upload_id"]),
            self._owner_xml("Initiator"),
            self._owner_xml("Owner"),
            _el("StorageClass", "STANDARD"),
            _el("PartNumberMarker", str(marker)),
            _el("NextPartNumberMarker", str(rows[-1]["part_number"] if rows else 0)),
            _el("MaxParts", str(limit)),
            _el("IsTruncated", "true" if truncated else "false"),
        ]
        if upload["checksum_algorithm"]:
            parts.append(_el("ChecksumAlgorithm", upload["checksum_algorithm"]))
            parts.append(_el("ChecksumType", upload["checksum_type"]))
        for r in rows:
            checks = "".join(_el(f"Checksum{a}", v) for a, v in _load_checksum(r["checksum"]).items())
            parts.append(
                "<Part>"
                + _el("PartNumber", str(r["part_number"]))
                + _el("LastModified", _iso(r["last_modified"]))
                + _el("ETag", r["etag"])
                + _el("Size", str(r["size"]))
                + checks
                + "</Part>"
            )
        parts.append("</ListPartsResult>")
        return _xml_response(parts)

    def list_multipart_uploads(self, bucket: str, q: dict[str, str]) -> LocalResponse:
        """ListMultipartUploads with prefix, key-marker / upload-id-marker and max-uploads."""
        self._bucket(bucket)
        prefix = q.get("prefix", "")
        key_marker = q.get("key-marker", "")
        id_marker = q.get("upload-id-marker", "")
        limit = min(_int_param(q, "max-uploads", 1000, 0, None), 1000)
        rows = self.store.query(
            "SELECT * FROM s3_uploads WHERE bucket=? AND substr(key, 1, ?) = ? AND (key > ? OR (key = ? AND "
            "upload_id > ?)) ORDER BY key, initiated, upload_id LIMIT ?",
            (bucket, len(prefix), prefix, key_marker, key_marker, id_marker, limit + 1),
        )
        truncated = len(rows) > limit
        rows = rows[:limit]
        parts = [
            f'<ListMultipartUploadsResult xmlns="{XMLNS}">',
            _el("Bucket", bucket),
            _el("KeyMarker", key_marker),
            _el("UploadIdMarker", id_marker),
            _el("NextKeyMarker", rows[-1]["key"] if rows else ""),
            _el("NextUploadIdMarker", rows[-1]["upload_id"] if rows else ""),
            _el("MaxUploads", str(limit)),
            _el("IsTruncated", "true" if truncated else "false"),
        ]
        if prefix:
            parts.append(_el("Prefix", prefix))
        for r in rows:
            parts.append(
                "<Upload>"
                + _el("Key", r["key"])
                + _el("UploadId", r["upload_id"])
                + self._owner_xml("Initiator")
                + self._owner_xml("Owner")
                + _el("StorageClass", "STANDARD")
                + _el("Initiated", _iso(r["initiated"]))
                + (_el("ChecksumAlgorithm", r["checksum_algorithm"]) if r["checksum_algorithm"] else "")
                + "</Upload>"
            )
        parts.append("</ListMultipartUploadsResult>")
        return _xml_response(parts)

    # --- storage helpers ---------------------------------------------------------------------------------------

    def _bucket(self, bucket: str):
        rows = self.store.query("SELECT * FROM s3_buckets WHERE name=?", (bucket,))
        if not rows:
            raise _no_such_bucket(bucket)
        return rows[0]

    def _object(self, bucket: str, key: str):
        rows = self.store.query("SELECT * FROM s3_objects WHERE bucket=? AND key=?", (bucket, key))
        if not rows:
            raise ServiceError("NoSuchKey", "The specified key does not exist.", 404, Key=key)
        return rows[0]

    def _upload(self, bucket: str, key: str, upload_id: str):
        self._bucket(bucket)
        rows = self.store.query(
            "SELECT * FROM s3_uploads WHERE upload_id=? AND bucket=? AND key=?", (upload_id, bucket, key)
        )
        if not rows:
            raise _no_such_upload(upload_id)
        return rows[0]

    def replace_bucket_contents(self, bucket: str, objects: dict[str, bytes], headers: dict[str, str]) -> None:
        """Make ``bucket`` (created in the backend's region if missing) hold exactly ``objects``, in one transaction.

        For the backend's own buckets (``public_buckets``), filled at start-up, not for client requests.
        """
        blobs = {BLOB_PREFIX + uuid.uuid4().hex: (key, data) for key, data in objects.items()}
        self.store.write_blobs({name: data for name, (_, data) in blobs.items()})
        stored = json.dumps(headers)
        try:
            with self.store.transaction() as db:
                if not db.execute("SELECT 1 FROM s3_buckets WHERE name=?", (bucket,)).fetchone():
                    db.execute(
                        "INSERT INTO s3_buckets(name, created, region) VALUES (?, ?, ?)",
                        (bucket, now(), self.info.region),
                    )
                old = [r[0] for r in db.execute("SELECT blob FROM s3_objects WHERE bucket=?", (bucket,))]
                db.execute("DELETE FROM s3_objects WHERE bucket=?", (bucket,))
                modified = now()
                db.executemany(
                    "INSERT INTO s3_objects(bucket, key, blob, size, etag, last_modified, headers, checksum) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
                    [
                        (bucket, key, name, len(data), f'"{hashlib.md5(data).hexdigest()}"', modified, stored)
                        for name, (key, data) in blobs.items()
                    ],
                )
        except BaseException:
            self._unlink(blobs)
            raise
        self._unlink(old)

    def _upsert_object(self, db, bucket, key, blob, size, etag, headers, checksum) -> list[str]:
        """Insert or replace an object row inside a transaction; returns the replaced blob (to unlink later)."""
        if not db.execute("SELECT 1 FROM s3_buckets WHERE name=?", (bucket,)).fetchone():
            raise _no_such_bucket(bucket)
        old = db.execute("SELECT blob FROM s3_objects WHERE bucket=? AND key=?", (bucket, key)).fetchone()
        db.execute(
            "INSERT OR REPLACE INTO s3_objects(bucket, key, blob, size, etag, last_modified, headers, checksum) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (bucket, key, blob, size, etag, now(), json.dumps(headers), json.dumps(checksum) if checksum else None),
        )
        return [old["blob"]] if old else []

    def _delete_row(self, db, bucket: str, key: str) -> list[str]:
        old = db.execute("SELECT blob FROM s3_objects WHERE bucket=? AND key=?", (bucket, key)).fetchone()
        if old is None:
            return []
        db.execute("DELETE FROM s3_objects WHERE bucket=? AND key=?", (bucket, key))
        return [old["blob"]]

    def _store_part(self, upload_id, part_number, blob, size, etag, checksum) -> list[str]:
        try:
            with self.store.transaction() as db:
                if not db.execute("SELECT 1 FROM s3_uploads WHERE upload_id=?", (upload_id,)).fetchone():
                    raise _no_such_upload(upload_id)
                old = db.execute(
                    "SELECT blob FROM s3_parts WHERE upload_id=? AND part_number=?", (upload_id, part_number)
                ).fetchone()
                db.execute(
                    "INSERT OR REPLACE INTO s3_parts(upload_id, part_number, blob, size, etag, last_modified, "
                    "checksum) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (upload_id, part_number, blob, size, etag, now(), json.dumps(checksum) if checksum else None),
                )
        except BaseException:
            self._unlink([blob])
            raise
        return [old["blob"]] if old else []

    def _final_checksum(self, req: LocalRequest, upload, parts) -> Optional[dict[str, str]]:
        """The composite checksum of a completed upload (checksum of the parts' checksums, ``-N``)."""
        algo = upload["checksum_algorithm"]
        if not algo or upload["checksum_type"] != "COMPOSITE":
            return None
        digests = []
        for r in parts:
            value = _load_checksum(r["checksum"]).get(algo)
            if value is None:
                return None
            digests.append(base64.b64decode(value))
        hasher = _full_object_hasher(algo)
        hasher.update(b"".join(digests))
        return {algo: f"{hasher.value()}-{len(parts)}"}

    def _object_headers(self, row) -> dict[str, str]:
        stored = json.loads(row["headers"])
        headers = {
            "ETag": row["etag"],
            "Last-Modified": formatdate(row["last_modified"], usegmt=True),
            "Accept-Ranges": "bytes",
            "Content-Type": stored.get("content-type", DEFAULT_CONTENT_TYPE),
        }
        for name, value in stored.items():
            if name != "content-type":
                headers[_header_case(name)] = value
        if "-" in row["etag"]:
            headers["x-amz-mp-parts-count"] = row["etag"].rsplit("-", 1)[1].strip('"')
        return headers

    def _payload(self, req: LocalRequest) -> tuple[bytes, dict[str, str], Optional[str]]:
        """The request's object bytes (aws-chunked decoded), its trailers, and the Content-Encoding to store."""
        declared = req.header("x-amz-content-sha256") or ""
        encodings = [e.strip() for e in (req.header("content-encoding") or "").split(",") if e.strip()]
        stored_encoding = ",".join(e for e in encodings if e != "aws-chunked") or None
        if not declared.startswith("STREAMING-") and "aws-chunked" not in encodings:
            return req.body, {}, stored_encoding
        if declared in (STREAMING_SIGNED, STREAMING_SIGNED_TRAILER):
            scope = getattr(req, "scope", None)
            if not isinstance(scope, Scope) or not scope.signing_key:
                raise ServiceError(
                    "NotImplemented",
                    "Local mode cannot check chunk signatures here; send the body unsigned-chunked or in one piece.",
                    501,
                )
        else:
            scope = Scope(req.access_key, req.region, req.signing_service, payload_hash=declared)
        decoded = decode_aws_chunked(req.body, scope)
        expected = req.header("x-amz-decoded-content-length")
        if expected is not None and (not expected.isdigit() or int(expected) != len(decoded.data)):
            raise ServiceError(
                "IncompleteBody",
                "The decoded body length does not match x-amz-decoded-content-length.",
                400,
            )
        return decoded.data, decoded.trailers, stored_encoding

    def _write_blob(self, data: bytes | Iterable[bytes]) -> str:
        name = BLOB_PREFIX + uuid.uuid4().hex
        self.store.write_blob(name, data if isinstance(data, bytes) else iter(data))
        return name

    def _read_blob(self, name: str, start: int, length: int) -> Iterator[bytes]:
        with open(self.store.blob_dir / name, "rb") as f:
            f.seek(start)
            remaining = length
            while remaining > 0:
                chunk = f.read(min(READ_CHUNK, remaining))
                if not chunk:
                    raise ServiceError("InternalError", "Stored object data is shorter than recorded.", 500)
                remaining -= len(chunk)
                yield chunk

    def _unlink(self, blobs: Iterable[str]) -> None:
        for name in blobs:
            try:
                os.unlink(self.store.blob_dir / name)
            except FileNotFoundError:
                pass

    def _collect_orphans(self) -> None:
        """Remove object files no row refers to (left by a crash between the file write and the commit)."""
        rows = self.store.query("SELECT blob FROM s3_objects UNION SELECT blob FROM s3_parts")
        referenced = {r["blob"] for r in rows}
        for entry in os.scandir(self.store.blob_dir):
            if entry.name.startswith(BLOB_PREFIX) and entry.name not in referenced:
                try:
                    os.unlink(entry.path)
                except FileNotFoundError:
                    pass

    def _owner_xml(self, tag: str) -> str:
        owner_id = hashlib.sha256(f"local-s3-owner/{self.info.account_id}".encode()).hexdigest()
        return f"<{tag}>{_el('ID', owner_id)}{_el('DisplayName', 'local')}</{tag}>"

    def _error(self, err: ServiceError, req: LocalRequest, request_id: str) -> LocalResponse:
        headers = {"Content-Type": "application/xml"}
        if req.method == "HEAD":
            return LocalResponse(err.status, headers, b"")
        extra = "".join(_el(k, v) for k, v in err.extra.items())
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Error>'
            + _el("Code", err.code)
            + _el("Message", err.message)
            + extra
            + _el("RequestId", request_id)
            + _el("HostId", base64.b64encode(request_id.encode()).decode())
            + "</Error>"
        )
        return LocalResponse(err.status, headers, body.encode("utf-8"))


# --- request parsing -------------------------------------------------------------------------------------------


def _split_path(path: str) -> tuple[str, Optional[str]]:
    """``/bucket/key`` → (bucket, key); ``/bucket`` or ``/bucket/`` → (bucket, None); ``/`` → ("", None)."""
    if not path.startswith("/"):
        raise ServiceError("InvalidURI", "Couldn't parse the specified URI.", 400)
    bucket_raw, sep, key_raw = path[1:].partition("/")
    try:
        bucket = unquote(bucket_raw, errors="strict")
        key = unquote(key_raw, errors="strict") if key_raw else None
    except UnicodeDecodeError:
        raise ServiceError("InvalidURI", "Couldn't parse the specified URI: it is not UTF-8.", 400) from None
    return bucket, key


_BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_IP_ADDRESS = re.compile(r"\d+\.\d+\.\d+\.\d+")


def _check_bucket_name(name: str) -> None:
    """AWS's general-purpose bucket naming rules."""
    reason = None
    if not 3 <= len(name) <= 63:
        reason = "it must be between 3 and 63 characters long"
    elif not _BUCKET_NAME.fullmatch(name):
        reason = (
            "it may contain only lower-case letters, digits, dots and hyphens, and must begin and end with a "
            "letter or digit"
        )
    elif ".." in name or ".-" in name or "-." in name:
        reason = "it must not contain two adjacent periods or a period next to a hyphen"
    elif _IP_ADDRESS.fullmatch(name):
        reason = "it must not be formatted as an IP address"
    elif name.startswith(("xn--", "sthree-", "amzn-s3-demo-")):
        reason = "it must not start with a reserved prefix (xn--, sthree-, amzn-s3-demo-)"
    elif name.endswith(("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")):
        reason = "it must not end with a reserved suffix"
    if reason:
        raise ServiceError("InvalidBucketName", f"The specified bucket is not valid: {reason}.", 400, BucketName=name)


def _check_key(key: str) -> None:
    if len(key.encode("utf-8")) > MAX_KEY_BYTES:
        raise ServiceError("KeyTooLongError", "Your key is too long (more than 1024 bytes in UTF-8).", 400)


def _stored_headers(req: LocalRequest, encoding: Optional[str]) -> dict[str, str]:
    """Content headers and user metadata to keep with an object (names lower-case)."""
    stored = {}
    for name in STORED_HEADERS:
        value = req.header(name)
        if value is not None:
            stored[name] = value
    if encoding is None:
        stored.pop("content-encoding", None)
    else:
        stored["content-encoding"] = encoding
    user = {k: v for k, v in req.headers.items() if k.startswith("x-amz-meta-")}
    if (
        sum(len(k) - len("x-amz-meta-") + len(v.encode("utf-8", "replace")) for k, v in user.items())
        > MAX_USER_METADATA_BYTES
    ):
        raise ServiceError(
            "MetadataTooLarge",
            "Your metadata headers exceed the maximum allowed metadata size.",
            400,
            MaxSizeAllowed=str(MAX_USER_METADATA_BYTES),
        )
    stored.update(user)
    return stored


def _header_case(name: str) -> str:
    if name.startswith("x-amz-"):
        return name
    return "-".join(part.capitalize() for part in name.split("-"))


def _check_content_md5(req: LocalRequest, data: bytes) -> None:
    given = req.header("content-md5")
    if given is None:
        return
    try:
        digest = base64.b64decode(given, validate=True)
    except (binascii.Error, ValueError):
        digest = b""
    if len(digest) != 16:
        raise ServiceError("InvalidDigest", "The Content-MD5 you specified was invalid.", 400, **{"Content-MD5": given})
    if digest != hashlib.md5(data).digest():
        raise ServiceError(
            "BadDigest", "The Content-MD5 you specified did not match what we received.", 400, ExpectedDigest=given
        )


def _copy_source(header: str) -> tuple[str, str]:
    raw = header.split("?", 1)[0]
    source = unquote(raw).lstrip("/")
    bucket, _, key = source.partition("/")
    if not bucket or not key:
        raise ServiceError(
            "InvalidArgument",
            "Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
            400,
            ArgumentName="x-amz-copy-source",
            ArgumentValue=header,
        )
    return bucket, key


def _part_number(q: dict[str, str]) -> int:
    text = q.get("partNumber", "")
    if not text.isdigit() or not 1 <= int(text) <= MAX_PART_NUMBER:
        raise ServiceError(
            "InvalidArgument",
            "Part number must be an integer between 1 and 10000, inclusive",
            400,
            ArgumentName="partNumber",
            ArgumentValue=text,
        )
    return int(text)


def _int_param(q: dict[str, str], name: str, default: int, low: int, high: Optional[int]) -> int:
    if name not in q:
        return default
    text = q[name]
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or value < low or (high is not None and value > high):
        raise ServiceError(
            "InvalidArgument", f"Provided {name} is not a valid integer.", 400, ArgumentName=name, ArgumentValue=text
        )
    return value


def _parse_range(header: str, size: int) -> Optional[tuple[int, int]]:
    """(first, last) of a single ``bytes=`` range; None to ignore the header (as S3 does for forms it does not
    serve, like several ranges); raises InvalidRange (416) when unsatisfiable."""
    match = re.fullmatch(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", header)
    if not match or (not match.group(1) and not match.group(2)):
        return None
    first, last = match.group(1), match.group(2)
    if first:
        start = int(first)
        end = min(int(last), size - 1) if last else size - 1
        if last and int(last) < start:
            return None
        if start >= size:
            raise _invalid_range(header, size)
        return start, end
    suffix = int(last)
    if suffix == 0 or size == 0:
        raise _invalid_range(header, size)
    return max(0, size - suffix), size - 1


def _invalid_range(header: str, size: int) -> ServiceError:
    return ServiceError(
        "InvalidRange", "The requested range is not satisfiable", 416, RangeRequested=header, ActualObjectSize=str(size)
    )


def _etag_matches(header: str, etag: str) -> bool:
    bare = etag.strip('"')
    for candidate in header.split(","):
        candidate = candidate.strip()
        if candidate == "*":
            return True
        if candidate.startswith("W/"):
            candidate = candidate[2:]
        if candidate.strip('"') == bare:
            return True
    return False


def _http_time(value: Optional[str]) -> Optional[float]:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None


def _preconditions(req: LocalRequest, etag: str, modified: float) -> bool:
    """Evaluate GET/HEAD conditional headers (RFC 7232 precedence, as S3): True means 304 Not Modified;
    a failed If-Match / If-Unmodified-Since raises 412."""
    seconds = int(modified)
    if_match = req.header("if-match")
    if if_match is not None:
        if not _etag_matches(if_match, etag):
            raise _precondition_failed("If-Match")
    else:
        since = _http_time(req.header("if-unmodified-since"))
        if since is not None and seconds > since:
            raise _precondition_failed("If-Unmodified-Since")
    if_none = req.header("if-none-match")
    if if_none is not None:
        return _etag_matches(if_none, etag)
    since = _http_time(req.header("if-modified-since"))
    return since is not None and seconds <= since


def _copy_preconditions(req: LocalRequest, src) -> None:
    seconds = int(src["last_modified"])
    match = req.header("x-amz-copy-source-if-match")
    none_match = req.header("x-amz-copy-source-if-none-match")
    modified = _http_time(req.header("x-amz-copy-source-if-modified-since"))
    unmodified = _http_time(req.header("x-amz-copy-source-if-unmodified-since"))
    if match is not None and not _etag_matches(match, src["etag"]):
        raise _precondition_failed("x-amz-copy-source-If-Match")
    if match is None and unmodified is not None and seconds > unmodified:
        raise _precondition_failed("x-amz-copy-source-If-Unmodified-Since")
    if none_match is not None and _etag_matches(none_match, src["etag"]):
        raise _precondition_failed("x-amz-copy-source-If-None-Match")
    if none_match is None and modified is not None and seconds <= modified:
        raise _precondition_failed("x-amz-copy-source-If-Modified-Since")


def _precondition_failed(condition: str) -> ServiceError:
    return ServiceError(
        "PreconditionFailed", "At least one of the pre-conditions you specified did not hold", 412, Condition=condition
    )


# --- checksums -------------------------------------------------------------------------------------------------


def _crc_table(poly: int) -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ poly if crc & 1 else crc >> 1
        table.append(crc)
    return table


class _Checksum:
    """Incremental checksum with S3's wire value (base64 of the big-endian digest)."""

    def __init__(self, update: Callable[[bytes], None], value: Callable[[], bytes]) -> None:
        self.update = update
        self._value = value

    def value(self) -> str:
        """The base64 wire form."""
        return base64.b64encode(self._value()).decode()


def _reflected_crc(poly: int, width: int) -> Callable[[], _Checksum]:
    """A table-driven reflected CRC (used for CRC32C and CRC64NVME, which zlib lacks)."""
    table = _crc_table(poly)
    mask = (1 << width) - 1

    def make() -> _Checksum:
        state = [mask]

        def update(data: bytes) -> None:
            crc = state[0]
            for b in data:
                crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8)
            state[0] = crc

        return _Checksum(update, lambda: (state[0] ^ mask).to_bytes(width // 8, "big"))

    return make


def _crc32() -> _Checksum:
    state = [0]

    def update(data: bytes) -> None:
        state[0] = zlib.crc32(data, state[0])

    return _Checksum(update, lambda: state[0].to_bytes(4, "big"))


def _hashlib(name: str) -> Callable[[], _Checksum]:
    def make() -> _Checksum:
        h = hashlib.new(name)
        return _Checksum(h.update, h.digest)

    return make


CHECKSUMS: dict[str, Callable[[], _Checksum]] = {
    "CRC32": _crc32,
    "CRC32C": _reflected_crc(0x82F63B78, 32),
    "CRC64NVME": _reflected_crc(0x9A6C9329AC4BC9B5, 64),
    "SHA1": _hashlib("sha1"),
    "SHA256": _hashlib("sha256"),
}


def _full_object_hasher(algorithm: str) -> _Checksum:
    return CHECKSUMS[algorithm]()


def _verify_checksums(req: LocalRequest, trailers: dict[str, str], data: bytes) -> Optional[dict[str, str]]:
    """Check every ``x-amz-checksum-*`` value (header or trailer) against the data; return them by algorithm."""
    given = {}
    for source in (req.headers, trailers):
        for name, value in source.items():
            if name.startswith("x-amz-checksum-") and name not in (
                "x-amz-checksum-mode",
                "x-amz-checksum-type",
                "x-amz-checksum-algorithm",
            ):
                algo = name[len("x-amz-checksum-") :].upper()
                if algo not in CHECKSUMS:
                    raise _bad_checksum_algorithm(algo)
                given[algo] = value
    for algo, value in given.items():
        hasher = CHECKSUMS[algo]()
        hasher.update(data)
        if hasher.value() != value:
            raise ServiceError("BadDigest", f"The {algo} you specified did not match the calculated checksum.", 400)
    return given or None


def _bad_checksum_algorithm(algo: str) -> ServiceError:
    return ServiceError(
        "InvalidRequest", f"Checksum algorithm '{algo}' is not supported; use one of {', '.join(CHECKSUMS)}.", 400
    )


def _checksum_headers(checksum: Optional[dict[str, str]]) -> dict[str, str]:
    out = {}
    for algo, value in (checksum or {}).items():
        out[f"x-amz-checksum-{algo.lower()}"] = value
        out["x-amz-checksum-type"] = "COMPOSITE" if "-" in value else "FULL_OBJECT"
    return out


def _load_checksum(text: Optional[str]) -> dict[str, str]:
    return json.loads(text) if text else {}


# --- XML and formatting ----------------------------------------------------------------------------------------


def _el(name: str, value: str) -> str:
    return f"<{name}>{escape(value)}</{name}>"


def _xml_response(parts: list[str], headers: Optional[dict[str, str]] = None) -> LocalResponse:
    body = '<?xml version="1.0" encoding="UTF-8"?>\n' + "".join(parts)
    out = {"Content-Type": "application/xml"}
    out.update(headers or {})
    return LocalResponse(200, out, body.encode("utf-8"))


def _parse_xml(body: bytes) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(body)
    except ElementTree.ParseError:
        raise _malformed_xml() from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child_text(element: ElementTree.Element, name: str) -> Optional[str]:
    for child in element:
        if _local(child.tag) == name:
            return child.text or ""
    return None


def _malformed_xml() -> ServiceError:
    return ServiceError(
        "MalformedXML",
        "The XML you provided was not well-formed or did not validate against our published schema.",
        400,
    )


def _iso(timestamp: float) -> str:
    moment = datetime.fromtimestamp(timestamp, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _encode_token(state: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(state).encode("utf-8")).decode()


def _decode_token(token: str) -> dict:
    try:
        state = json.loads(base64.urlsafe_b64decode(token.encode()))
        if isinstance(state, dict) and isinstance(state.get("k"), str):
            return state
    except (ValueError, binascii.Error):
        pass
    raise ServiceError(
        "InvalidArgument", "The continuation token provided is incorrect", 400, ArgumentName="continuation-token"
    )


def _tee(chunks: Iterable[bytes], observe: Callable[[bytes], None]) -> Iterator[bytes]:
    for chunk in chunks:
        observe(chunk)
        yield chunk


def _object_row(db, bucket: str, key: str):
    return db.execute("SELECT * FROM s3_objects WHERE bucket=? AND key=?", (bucket, key)).fetchone()


def _no_such_bucket(bucket: str) -> ServiceError:
    return ServiceError("NoSuchBucket", "The specified bucket does not exist", 404, BucketName=bucket)


def _no_such_upload(upload_id: str) -> ServiceError:
    return ServiceError(
        "NoSuchUpload",
        "The specified upload does not exist. The upload ID may be invalid, or the "
        "upload may have been aborted or completed.",
        404,
        UploadId=upload_id,
    )


def _no_body(status: int, headers: Optional[dict[str, str]] = None) -> LocalResponse:
    """A 204/304 answer. The front door passes byte bodies to ``finish(body)``, which Tornado refuses for these
    statuses even when empty; an empty stream of length 0 goes through its streaming path instead."""
    return LocalResponse(status, dict(headers or {}), io.BytesIO(b""), 0)


def _method_not_allowed(method: str) -> ServiceError:
    return ServiceError(
        "MethodNotAllowed",
        f"The specified method ({method}) is not allowed against this resource.",
        405,
        Method=method,
        ResourceType="OBJECT",
    )
