"""The SageMaker Runtime API (REST-JSON, signing name ``sagemaker``) of the local backend: InvokeEndpoint.

Model containers do not run in local mode, so no invocation can be answered; what matters is that callers get
the answer AWS would give for the endpoint's state, in the SageMaker Runtime error format (``x-amzn-ErrorType``
and ``{"message": …}``, with the error shapes of botocore's ``sagemaker-runtime`` model):

- no such endpoint: ``ValidationError`` (400) "Endpoint <name> of account <account> not found.", as AWS says;
- an endpoint that is not ``InService``: ``ValidationError`` naming its status;
- an ``InService`` endpoint: ``ModelError`` (424) saying that model containers do not run in local mode.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import TYPE_CHECKING, Optional
from urllib.parse import unquote

from . import lifecycle
from . import resources as res
from .protocol import LocalRequest, LocalResponse, ServiceError
from .store import Store, now

if TYPE_CHECKING:
    from .server import BackendInfo

#: InvokeEndpoint's path; the endpoint name is its one variable part.
INVOKE_PATH = re.compile(r"^/endpoints/([^/]+)/invocations$")
#: AWS refuses payloads over 6 MB.
MAX_PAYLOAD = 6 * 1024 * 1024


class RuntimeService:
    """``POST /endpoints/<name>/invocations`` over the endpoints of the local store."""

    def __init__(self, store: Store, info: "BackendInfo") -> None:
        self.store = store
        self.info = info
        store.ensure_schema(res.DDL)

    def handle(self, request: LocalRequest) -> LocalResponse:
        """Answer one runtime request; every answer is an error in AWS's REST-JSON form (see the module doc)."""
        try:
            self._invoke(request)
            raise ServiceError("InternalFailure", "The local backend produced no answer.", status=500)
        except ServiceError as err:
            body: dict[str, object] = {"message": err.message, **err.extra}
            headers = {
                "Content-Type": "application/json",
                "x-amzn-ErrorType": err.code,
                "x-amzn-RequestId": str(uuid.uuid4()),
            }
            return LocalResponse(status=err.status, headers=headers, body=json.dumps(body).encode())

    def _invoke(self, request: LocalRequest) -> None:
        match = INVOKE_PATH.match(request.path)
        if request.method != "POST" or match is None:
            raise ServiceError(
                "UnknownOperationException",
                "The local backend serves only InvokeEndpoint (POST /endpoints/<name>/invocations) of the "
                "SageMaker Runtime API.",
            )
        name = unquote(match.group(1))
        if len(request.body) > MAX_PAYLOAD:
            raise ServiceError(
                "ValidationError", f"Request payload size {len(request.body)} bytes exceeds the 6 MB limit."
            )
        endpoint = self._endpoint(name)
        if endpoint is None:
            raise ServiceError("ValidationError", f"Endpoint {name} of account {self.info.account_id} not found.")
        status = endpoint["EndpointStatus"]
        if status != "InService":
            raise ServiceError(
                "ValidationError",
                f"Endpoint {endpoint['EndpointName']} of account {self.info.account_id} is {status}; it can be "
                "invoked once it is InService.",
            )
        message = (
            f"Endpoint {endpoint['EndpointName']} is InService, but model containers do not run in local mode, so "
            "nothing can answer this invocation. Connect to an AWS account to test inference."
        )
        raise ServiceError("ModelError", message, status=424, OriginalMessage=message)

    def _endpoint(self, name: str) -> Optional[dict]:
        """The endpoint (case-insensitive name) with its due status change applied, or None."""
        arn = f"arn:aws:sagemaker:{self.info.region}:{self.info.account_id}:endpoint/{name.lower()}"
        found = res.load_by_arn(self.store, arn)
        if found is None or found[0] != "Endpoint":
            return None
        # Read-only view: the SageMaker API stores the settled state on its next read of this endpoint.
        _, settled = lifecycle.settle_all(found[1], now())
        return settled
