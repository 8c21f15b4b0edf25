"""IAM in local mode: ``GetRole`` of the execution role STS reports, over the Query protocol.

The SageMaker Python SDK's ``get_execution_role()`` turns the caller's assumed-role ARN into a role ARN and asks
IAM ``GetRole`` for the role's path (it warns when it cannot). Answering for the local execution role keeps that
call clean; any other role does not exist here (``NoSuchEntity``) and other actions are refused.
"""

from __future__ import annotations

import json
import uuid
from urllib.parse import quote
from xml.sax.saxutils import escape

from .protocol import LocalRequest, LocalResponse, ServiceError
from .store import Store
from .sts import ROLE_NAME, error_response, query_params, role_id

API_VERSION = "2010-05-08"
XML_NAMESPACE = "https://iam.amazonaws.com/doc/2010-05-08/"
#: Who may assume the role: SageMaker, as for a Studio execution role.
TRUST_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
#: A fixed creation date: the role is part of every local account, not something created at a known time.
CREATE_DATE = "2024-01-01T00:00:00Z"


class IamService:
    """The IAM Query API subset the SageMaker Python SDK needs in local mode."""

    def __init__(self, store: Store, info) -> None:
        self.store = store
        self.info = info

    def handle(self, request: LocalRequest) -> LocalResponse:
        """Answer one Query-protocol request (form body on POST, query string on GET)."""
        request_id = str(uuid.uuid4())
        try:
            params = query_params(request, API_VERSION)
            action = params["Action"]
            if action != "GetRole":
                raise ServiceError(
                    "InvalidAction",
                    f"Local mode does not implement the IAM operation {action}; only GetRole is available.",
                    400,
                )
            return self._get_role(params.get("RoleName", ""), request_id)
        except ServiceError as err:
            return error_response(err, request_id, XML_NAMESPACE)
        except UnicodeDecodeError:
            err = ServiceError("MalformedQueryString", "The request body is not UTF-8 form data.", 400)
            return error_response(err, request_id, XML_NAMESPACE)

    def _get_role(self, name: str, request_id: str) -> LocalResponse:
        if not name:
            raise ServiceError("ValidationError", "The request names no RoleName.", 400)
        if name != ROLE_NAME:  # IAM role names are case-sensitive in GetRole
            raise ServiceError("NoSuchEntity", f"The role with name {name} cannot be found.", 404)
        account = self.info.account_id
        body = (
            f'<GetRoleResponse xmlns="{XML_NAMESPACE}">\n'
            "  <GetRoleResult>\n"
            "    <Role>\n"
            "      <Path>/</Path>\n"
            f"      <RoleName>{ROLE_NAME}</RoleName>\n"
            f"      <RoleId>{role_id(account)}</RoleId>\n"
            f"      <Arn>arn:aws:iam::{escape(account)}:role/{ROLE_NAME}</Arn>\n"
            f"      <CreateDate>{CREATE_DATE}</CreateDate>\n"
            # IAM returns policy documents URL-encoded; botocore decodes them.
            f"      <AssumeRolePolicyDocument>{quote(json.dumps(TRUST_POLICY))}</AssumeRolePolicyDocument>\n"
            "      <MaxSessionDuration>3600</MaxSessionDuration>\n"
            "    </Role>\n"
            "  </GetRoleResult>\n"
            "  <ResponseMetadata>\n"
            f"    <RequestId>{request_id}</RequestId>\n"
            "  </ResponseMetadata>\n"
            "</GetRoleResponse>\n"
        )
        return LocalResponse(200, {"Content-Type": "text/xml", "x-amzn-RequestId": request_id}, body.encode())
