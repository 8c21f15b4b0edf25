"""Service Quotas in the local backend (JSON 1.1, ``X-Amz-Target: ServiceQuotasV20190624.<Operation>``).

Only the SageMaker service (ServiceCode ``sagemaker``) and only its training quotas are served: one quota per ML
instance type of botocore's ``TrainingInstanceType`` enum, named as AWS names them
(``ml.g4dn.xlarge for training job usage``), unit ``None``, adjustable.

What is local here, not AWS's:

- **QuotaCodes** are made up: ``L-`` and 8 hex digits of the instance type's SHA-256, stable across releases and
  data directories, but *not* the codes AWS uses for the same quotas. Look quotas up by name, as the suite does.
- **Values** are the local account's choice (:data:`DEFAULT_TRAINING_INSTANCES`, :data:`ZERO_QUOTA_TYPES`,
  :data:`ZERO_QUOTA_PREFIXES`): 2 instances per type, and 0 for the largest accelerated types, mirroring that a
  new AWS account starts at 0 for those. They are not AWS's defaults for any real account.

RequestServiceQuotaIncrease is approved at once (status ``APPROVED``) and the new value is stored, so it survives
restarts. CreateTrainingJob calls :func:`check_training_quota`, which refuses a job whose instances, with those of
the training jobs ``InProgress``, exceed the quota, with SageMaker's ``ResourceLimitExceeded`` error and message.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import json
import uuid
from typing import TYPE_CHECKING, Any, Callable

import botocore.session
from botocore.model import ServiceModel

from . import json_protocol
from .protocol import LocalRequest, LocalResponse, ServiceError
from .store import Store, now
from .validation import validate_request

if TYPE_CHECKING:  # server.py imports this module when it starts; avoid the import cycle at run time.
    from .sagemaker import SageMakerService
    from .server import BackendInfo

TARGET_PREFIX = "ServiceQuotasV20190624"
SERVICE_CODE = "sagemaker"
SERVICE_NAME = "Amazon SageMaker"
#: The local account's quota for most ML instance types (instances for training job usage).
DEFAULT_TRAINING_INSTANCES = 2
#: Types whose local quota starts at 0, as a new AWS account's does for the largest accelerated instances.
ZERO_QUOTA_TYPES = frozenset({"ml.p4d.24xlarge", "ml.p4de.24xlarge", "ml.p5.48xlarge"})
#: Families whose every type starts at 0 locally.
ZERO_QUOTA_PREFIXES = ("ml.p5", "ml.p6", "ml.trn2")
#: Page size of the List operations when the request gives no MaxResults.
DEFAULT_PAGE_SIZE = 100

DDL = """
CREATE TABLE IF NOT EXISTS sq_quota_values(quota_code TEXT PRIMARY KEY, value REAL NOT NULL);
CREATE TABLE IF NOT EXISTS sq_requests(id TEXT PRIMARY KEY, created REAL NOT NULL, doc TEXT NOT NULL);
"""


@functools.lru_cache(maxsize=1)
def _model() -> ServiceModel:
    """botocore's ``service-quotas`` model (loaded once)."""
    return botocore.session.get_session().get_service_model("service-quotas")


@functools.lru_cache(maxsize=1)
def training_instance_types() -> tuple[str, ...]:
    """The ML instance types a training job can use, from botocore's ``sagemaker`` model."""
    model = botocore.session.get_session().get_service_model("sagemaker")
    return tuple(sorted(model.shape_for("TrainingInstanceType").enum))


def quota_name(instance_type: str) -> str:
    """AWS's name of the training quota of an instance type."""
    return f"{instance_type} for training job usage"


def quota_code(instance_type: str) -> str:
    """The local, made-up QuotaCode of an instance type's training quota (stable; not AWS's code)."""
    return "L-" + hashlib.sha256(quota_name(instance_type).encode()).hexdigest()[:8].upper()


def default_value(instance_type: str) -> float:
    """The local account's starting quota for an instance type."""
    if instance_type in ZERO_QUOTA_TYPES or instance_type.startswith(ZERO_QUOTA_PREFIXES):
        return 0.0
    return float(DEFAULT_TRAINING_INSTANCES)


@functools.lru_cache(maxsize=1)
def _types_by_code() -> dict[str, str]:
    return {quota_code(t): t for t in training_instance_types()}


def _stored_values(store: Store) -> dict[str, float]:
    store.ensure_schema(DDL)
    return {row[0]: row[1] for row in store.query_tuples("SELECT quota_code, value FROM sq_quota_values")}


def current_value(store: Store, instance_type: str) -> float:
    """The quota now in force for an instance type (an approved increase, else the default)."""
    return _stored_values(store).get(quota_code(instance_type), default_value(instance_type))


def _instances(value: float) -> str:
    """A count as AWS prints it in quota messages (``2``, not ``2.0``)."""
    return str(int(value)) if float(value).is_integer() else str(value)


def _requested(resource_config: dict[str, Any]) -> dict[str, int]:
    """Instances per type of a ResourceConfig (one type, or the groups of a heterogeneous cluster)."""
    wanted: dict[str, int] = {}
    if resource_config.get("InstanceType"):
        wanted[resource_config["InstanceType"]] = int(resource_config.get("InstanceCount", 1))
    for group in resource_config.get("InstanceGroups", []):
        kind = group.get("InstanceType")
        if kind:
            wanted[kind] = wanted.get(kind, 0) + int(group.get("InstanceCount", 0))
    return wanted


def check_training_quota(sm: "SageMakerService", params: dict[str, Any]) -> None:
    """Refuse a CreateTrainingJob whose instances, with the InProgress jobs', exceed the account's quota.

    Raises ``ResourceLimitExceeded`` with the message SageMaker gives, e.g. ``The account-level service limit
    'ml.p4d.24xlarge for training job usage' is 0 Instances, with current utilization of 0 Instances and a request
    delta of 1 Instances. …``.
    """
    wanted = _requested(params.get("ResourceConfig") or {})
    if not wanted:
        return
    from .sagemaker import KINDS  # at call time: jobs.py (which calls this) registers the TrainingJob kind

    in_use: dict[str, int] = {}
    for job in sm.settled_all(KINDS["TrainingJob"]):
        if job.get("TrainingJobStatus") == "InProgress":
            for kind, count in _requested(job.get("ResourceConfig") or {}).items():
                in_use[kind] = in_use.get(kind, 0) + count
    values = _stored_values(sm.store)
    for kind, delta in sorted(wanted.items()):
        if kind not in training_instance_types():
            continue
        limit = values.get(quota_code(kind), default_value(kind))
        used = in_use.get(kind, 0)
        if used + delta > limit:
            raise ServiceError(
                "ResourceLimitExceeded",
                f"The account-level service limit '{quota_name(kind)}' is {_instances(limit)} Instances, with "
                f"current utilization of {used} Instances and a request delta of {delta} Instances. Please use AWS "
                "Service Quotas to request an increase for this quota. If AWS Service Quotas is not available, "
                "contact AWS support to request an increase for this quota.",
            )


class QuotasService:
    """The Service Quotas JSON 1.1 API for SageMaker's training quotas."""

    def __init__(self, store: Store, info: "BackendInfo") -> None:
        self.store = store
        self.info = info
        store.ensure_schema(DDL)
        self._operations: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "ListServices": self.list_services,
            "ListServiceQuotas": self.list_service_quotas,
            "ListAWSDefaultServiceQuotas": self.list_default_service_quotas,
            "GetServiceQuota": self.get_service_quota,
            "GetAWSDefaultServiceQuota": self.get_default_service_quota,
            "RequestServiceQuotaIncrease": self.request_increase,
            "GetRequestedServiceQuotaChange": self.get_requested_change,
        }

    @property
    def operations(self) -> list[str]:
        """Names of the implemented operations."""
        return sorted(self._operations)

    def handle(self, request: LocalRequest) -> LocalResponse:
        """Answer one request; errors in the JSON 1.1 form (``__type``, ``message``, ``x-amzn-ErrorType``)."""
        return json_protocol.answer(request, "Service Quotas", self._dispatch, "ServiceException")

    def _dispatch(self, request: LocalRequest) -> dict[str, Any]:
        op_name, body = json_protocol.parse_call(request, TARGET_PREFIX, "Service Quotas", _model(), self._operations)
        return self._operations[op_name](validate_request(_model().operation_model(op_name), body))

    # --- helpers ----------------------------------------------------------------------------------------------

    def _quota(self, instance_type: str, value: float) -> dict[str, Any]:
        code = quota_code(instance_type)
        return {
            "ServiceCode": SERVICE_CODE,
            "ServiceName": SERVICE_NAME,
            "QuotaArn": f"arn:aws:servicequotas:{self.info.region}:{self.info.account_id}:{SERVICE_CODE}/{code}",
            "QuotaCode": code,
            "QuotaName": quota_name(instance_type),
            "Value": value,
            "Unit": "None",
            "Adjustable": True,
            "GlobalQuota": False,
            "QuotaAppliedAtLevel": "ACCOUNT",
            "Description": f"The maximum number of {instance_type} instances that training jobs can use at the "
            "same time in this account (local mode: the local account's value, not AWS's).",
        }

    @staticmethod
    def _service(params: dict[str, Any]) -> None:
        if params["ServiceCode"] != SERVICE_CODE:
            raise ServiceError(
                "NoSuchResourceException",
                f"The service code {params['ServiceCode']} does not exist in local mode (only {SERVICE_CODE}).",
            )

    @staticmethod
    def _type_of(params: dict[str, Any]) -> str:
        QuotasService._service(params)
        instance_type = _types_by_code().get(params["QuotaCode"])
        if instance_type is None:
            raise ServiceError(
                "NoSuchResourceException",
                f"The quota {params['QuotaCode']} of service {SERVICE_CODE} does not exist.",
            )
        return instance_type

    @staticmethod
    def _page(items: list[dict[str, Any]], params: dict[str, Any], member: str) -> dict[str, Any]:
        """One page of ``items`` under ``member``, with a NextToken (standard base64: the model's pattern)."""
        filters = {k: v for k, v in params.items() if k not in ("NextToken", "MaxResults")}
        fingerprint = hashlib.sha256(json.dumps(filters, sort_keys=True).encode()).hexdigest()[:16]
        offset = 0
        if params.get("NextToken"):
            try:
                data = json.loads(base64.b64decode(params["NextToken"], validate=True))
                if data["f"] != fingerprint or not isinstance(data["o"], int) or data["o"] < 0:
                    raise ValueError("another request's token")
                offset = data["o"]
            except (ValueError, KeyError, TypeError, binascii.Error):
                raise ServiceError(
                    "InvalidPaginationTokenException", "Invalid input: The NextToken is not valid for this request."
                ) from None
        size = params.get("MaxResults", DEFAULT_PAGE_SIZE)
        out: dict[str, Any] = {member: items[offset : offset + size]}
        if offset + size < len(items):
            out["NextToken"] = base64.b64encode(json.dumps({"o": offset + size, "f": fingerprint}).encode()).decode()
        return out

    # --- operations -------------------------------------------------------------------------------------------

    def list_services(self, params: dict[str, Any]) -> dict[str, Any]:
        """ListServices: SageMaker only."""
        return self._page([{"ServiceCode": SERVICE_CODE, "ServiceName": SERVICE_NAME}], params, "Services")

    def list_service_quotas(self, params: dict[str, Any]) -> dict[str, Any]:
        """ListServiceQuotas: the values in force, by instance type, paged; QuotaCode filters to one."""
        self._service(params)
        values = _stored_values(self.store)
        quotas = [
            self._quota(t, values.get(quota_code(t), default_value(t)))
            for t in training_instance_types()
            if params.get("QuotaCode") in (None, quota_code(t))
        ]
        return self._page(quotas, params, "Quotas")

    def list_default_service_quotas(self, params: dict[str, Any]) -> dict[str, Any]:
        """ListAWSDefaultServiceQuotas: the local account's starting values, paged."""
        self._service(params)
        quotas = [self._quota(t, default_value(t)) for t in training_instance_types()]
        return self._page(quotas, params, "Quotas")

    def get_service_quota(self, params: dict[str, Any]) -> dict[str, Any]:
        """GetServiceQuota: the value in force."""
        instance_type = self._type_of(params)
        return {"Quota": self._quota(instance_type, current_value(self.store, instance_type))}

    def get_default_service_quota(self, params: dict[str, Any]) -> dict[str, Any]:
        """GetAWSDefaultServiceQuota: the local starting value."""
        instance_type = self._type_of(params)
        return {"Quota": self._quota(instance_type, default_value(instance_type))}

    def request_increase(self, params: dict[str, Any]) -> dict[str, Any]:
        """RequestServiceQuotaIncrease: approved and applied at once in local mode, the request kept."""
        instance_type = self._type_of(params)
        code = quota_code(instance_type)
        desired = float(params["DesiredValue"])
        t = round(now(), 3)
        with self.store.transaction() as db:
            row = db.execute("SELECT value FROM sq_quota_values WHERE quota_code = ?", (code,)).fetchone()
            value = row[0] if row is not None else default_value(instance_type)
            if desired <= value:
                raise ServiceError(
                    "IllegalArgumentException",
                    f"Invalid input: the desired value {_instances(desired)} must be greater than the current "
                    f"value {_instances(value)} of quota {code}.",
                )
            quota = self._quota(instance_type, desired)
            change = {
                "Id": uuid.uuid4().hex,
                "ServiceCode": SERVICE_CODE,
                "ServiceName": SERVICE_NAME,
                "QuotaCode": code,
                "QuotaName": quota["QuotaName"],
                "DesiredValue": desired,
                "Status": "APPROVED",
                "Created": t,
                "LastUpdated": t,
                "Requester": f"arn:aws:iam::{self.info.account_id}:root",
                "QuotaArn": quota["QuotaArn"],
                "GlobalQuota": False,
                "Unit": "None",
                "QuotaRequestedAtLevel": "ACCOUNT",
            }
            db.execute(
                "INSERT INTO sq_quota_values(quota_code, value) VALUES (?, ?) "
                "ON CONFLICT(quota_code) DO UPDATE SET value = excluded.value",
                (code, desired),
            )
            db.execute(
                "INSERT INTO sq_requests(id, created, doc) VALUES (?, ?, ?)", (change["Id"], t, json.dumps(change))
            )
        return {"RequestedQuota": change}

    def get_requested_change(self, params: dict[str, Any]) -> dict[str, Any]:
        """GetRequestedServiceQuotaChange by the Id RequestServiceQuotaIncrease returned."""
        rows = self.store.query_tuples("SELECT doc FROM sq_requests WHERE id = ?", (params["RequestId"],))
        if not rows:
            raise ServiceError("NoSuchResourceException", f"The request {params['RequestId']} does not exist.")
        return {"RequestedQuota": json.loads(rows[0][0])}
