"""The AWS JSON 1.1 protocol of the local backend's SageMaker, CloudWatch Logs and Service Quotas services.

A call is ``POST /`` with ``X-Amz-Target: <prefix>.<Operation>`` and a JSON body; an answer is JSON, and an error
is ``{"__type": code, "message": text}`` with the code also in ``x-amzn-ErrorType``, as AWS renders them. Each
service names its target prefix, its botocore model and its operations; this module does the rest.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any, Callable, Mapping

from botocore.model import ServiceModel

from .protocol import LocalRequest, LocalResponse, ServiceError

log = logging.getLogger(__name__)

JSON_CONTENT_TYPE = "application/x-amz-json-1.1"


def answer(
    request: LocalRequest,
    label: str,
    dispatch: Callable[[LocalRequest], Any],
    internal_code: str = "InternalFailure",
    clean: Callable[[Any], Any] = lambda result: result,
) -> LocalResponse:
    """Run ``dispatch`` and render its result, or its error (an unexpected one as a 500 naming the failure)."""
    request_id = str(uuid.uuid4())
    try:
        result = dispatch(request)
    except Exception as exc:  # every failure must reach the client in AWS's error format
        if isinstance(exc, ServiceError):
            err = exc
        else:
            log.exception("%s request %s failed", label, request.header("x-amz-target"))
            err = ServiceError(internal_code, f"The local backend failed to process the request: {exc}.", status=500)
        body = json.dumps({"__type": err.code, "message": err.message}).encode()
        headers = {"Content-Type": JSON_CONTENT_TYPE, "x-amzn-ErrorType": err.code, "x-amzn-RequestId": request_id}
        return LocalResponse(status=err.status, headers=headers, body=body)
    body = json.dumps(clean(result), separators=(",", ":")).encode()
    return LocalResponse(200, {"Content-Type": JSON_CONTENT_TYPE, "x-amzn-RequestId": request_id}, body)


def parse_call(
    request: LocalRequest, prefix: str, label: str, model: ServiceModel, implemented: Mapping[str, Any]
) -> tuple[str, dict[str, Any]]:
    """The operation a request calls and its (not yet validated) JSON body; errors as AWS words them."""
    target_prefix, _, op_name = (request.header("x-amz-target") or "").partition(".")
    if request.method != "POST" or target_prefix != prefix or not op_name:
        raise ServiceError("UnknownOperationException", f"{label} requests are POST / with X-Amz-Target.")
    if op_name not in model.operation_names:
        raise ServiceError("UnknownOperationException", f"{label} has no operation named {op_name}.")
    if op_name not in implemented:
        raise ServiceError(
            "NotImplemented",
            f"{label} operation {op_name} is not implemented in local mode yet; connect to an AWS account to use it.",
        )
    try:
        body = json.loads(request.body) if request.body.strip() else {}
    except (ValueError, UnicodeDecodeError) as exc:
        raise ServiceError("SerializationException", f"The request body is not valid JSON: {exc}.") from None
    return op_name, body
