"""STS in local mode: ``GetCallerIdentity`` over the Query protocol, answering as a SageMaker execution role.

SDKs and the panels call it to learn the account and identity; in local mode the caller is always the assumed
role ``SageMakerStudioLocalExecutionRole`` of the local account, as in a SageMaker Studio space.
"""

from __future__ import annotations

import hashlib
import uuid
from urllib.parse import parse_qsl
from xml.sax.saxutils import escape

from .protocol import LocalRequest, LocalResponse, ServiceError
from .store import Store

API_VERSION = "2011-06-15"
XML_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/"
ROLE_NAME = "SageMakerStudioLocalExecutionRole"
#: The session name SageMaker Studio gives its execution role's sessions.
SESSION_NAME = "SageMaker"


def role_id(account: str) -> str:
    """A stable role id, shaped like AWS's (AROA + 17 upper-case alphanumerics), derived from the account."""
    return "AROA" + hashlib.sha256(f"{account}/{ROLE_NAME}".encode()).hexdigest()[:17].upper()


class StsService:
    """The STS Query API subset SDKs need in local mode."""

    def __init__(self, store: Store, info) -> None:
        self.store = store
        self.info = info

    def handle(self, request: LocalRequest) -> LocalResponse:
        """Answer one Query-protocol request (form body on POST, query string on GET)."""
        request_id = str(uuid.uuid4())
        try:
            params = query_params(request, API_VERSION)
            action = params["Action"]
            if action != "GetCallerIdentity":
                raise ServiceError(
                    "InvalidAction",
                    f"Local mode does not implement the STS operation {action}; only GetCallerIdentity is available.",
                    400,
                )
            return self._get_caller_identity(request_id)
        except ServiceError as err:
            return error_response(err, request_id)
        except UnicodeDecodeError:
            return error_response(
                ServiceError("MalformedQueryString", "The request body is not UTF-8 form data.", 400), request_id
            )

    def identity(self) -> dict[str, str]:
        """Account, ARN and user id of the local caller."""
        account = self.info.account_id
        return {
            "Arn": f"arn:aws:sts::{account}:assumed-role/{ROLE_NAME}/{SESSION_NAME}",
            "UserId": f"{role_id(account)}:{SESSION_NAME}",
            "Account": account,
        }

    def _get_caller_identity(self, request_id: str) -> LocalResponse:
        ident = self.identity()
        body = (
            f'<GetCallerIdentityResponse xmlns="{XML_NAMESPACE}">\n'
            "  <GetCallerIdentityResult>\n"
            f"    <Arn>{escape(ident['Arn'])}</Arn>\n"
            f"    <UserId>{escape(ident['UserId'])}</UserId>\n"
            f"    <Account>{escape(ident['Account'])}</Account>\n"
            "  </GetCallerIdentityResult>\n"
            "  <ResponseMetadata>\n"
            f"    <RequestId>{request_id}</RequestId>\n"
            "  </ResponseMetadata>\n"
            "</GetCallerIdentityResponse>\n"
        )
        return LocalResponse(200, _headers(request_id), body.encode("utf-8"))


def query_params(request: LocalRequest, version: str) -> dict[str, str]:
    """The parameters of a Query-protocol request, which must name an Action of this API ``version``."""
    params = dict(request.query_pairs())
    if request.method == "POST" and request.body:
        params.update(parse_qsl(request.body.decode("utf-8"), keep_blank_values=True))
    action = params.get("Action")
    if not action:
        raise ServiceError("MissingAction", "The request names no Action parameter.", 400)
    if params.get("Version") != version:
        raise ServiceError(
            "InvalidAction",
            f"Could not find operation {action} for version {params.get('Version', 'NO_VERSION_SPECIFIED')}.",
            400,
        )
    return params


def error_response(err: ServiceError, request_id: str, namespace: str = XML_NAMESPACE) -> LocalResponse:
    """An STS (or IAM: same shape, its own ``namespace``) error in the Query protocol's XML shape."""
    kind = "Sender" if err.status < 500 else "Receiver"
    body = (
        f'<ErrorResponse xmlns="{namespace}">\n'
        "  <Error>\n"
        f"    <Type>{kind}</Type>\n"
        f"    <Code>{escape(err.code)}</Code>\n"
        f"    <Message>{escape(err.message)}</Message>\n"
        "  </Error>\n"
        f"  <RequestId>{request_id}</RequestId>\n"
        "</ErrorResponse>\n"
    )
    return LocalResponse(err.status, _headers(request_id), body.encode("utf-8"))


def _headers(request_id: str) -> dict[str, str]:
    return {"Content-Type": "text/xml", "x-amzn-RequestId": request_id}
