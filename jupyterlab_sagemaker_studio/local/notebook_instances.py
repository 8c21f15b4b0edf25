"""Notebook instances in the local backend: Create, Describe, List, Start, Stop, Update and Delete.

No instance runs in local mode; an instance goes through the statuses AWS shows, each change taking one lifecycle
delay (``SAGEMAKER_STUDIO_LOCAL_DELAY``) and stored with it (``lifecycle.begin``), so it survives restarts:

- create and start: ``Pending`` -> ``InService``;
- stop: ``Stopping`` -> ``Stopped`` (only from ``InService``);
- update: ``Updating`` -> ``Stopped`` (only from ``Stopped``);
- delete: ``Deleting`` -> gone (only from ``Stopped`` or ``Failed``).

A request in any other status is refused with AWS's ``ValidationException`` wording ("Status (InService) not in
([Stopped, Failed]). Unable to transition to (Deleting) for Notebook Instance (<arn>)."). The tag
``sagemaker-studio:local-failure-reason`` (as for jobs) makes a new instance end ``Failed`` with that reason
instead of coming into service.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, Callable, Optional

from botocore.model import OperationModel

from . import lifecycle
from .jobs import FAILURE_TAG
from .protocol import ServiceError
from .sagemaker import Kind, _now

if TYPE_CHECKING:
    from .sagemaker import SageMakerService

KINDS = (
    Kind(
        "NotebookInstance",
        "NotebookInstanceName",
        "NotebookInstanceArn",
        "notebook-instance",
        "DescribeNotebookInstance",
        "ListNotebookInstances",
        "NotebookInstances",
        # What AWS answers for a name it does not know (DescribeNotebookInstance declares no not-found error).
        not_found="RecordNotFound",
        exists="Cannot create a duplicate Notebook Instance ({arn})",
        status_member="NotebookInstanceStatus",
    ),
)
NOTEBOOK_INSTANCE = KINDS[0]
STATUS = "NotebookInstanceStatus"

#: Defaults AWS fills in when the request leaves them out.
DEFAULTS = {"DirectInternetAccess": "Enabled", "VolumeSizeInGB": 5, "RootAccess": "Enabled"}

#: Update members copied as they are (request member -> document member).
UPDATABLE = {
    "InstanceType": "InstanceType",
    "IpAddressType": "IpAddressType",
    "PlatformIdentifier": "PlatformIdentifier",
    "RoleArn": "RoleArn",
    "LifecycleConfigName": "NotebookInstanceLifecycleConfigName",
    "VolumeSizeInGB": "VolumeSizeInGB",
    "DefaultCodeRepository": "DefaultCodeRepository",
    "AdditionalCodeRepositories": "AdditionalCodeRepositories",
    "AcceleratorTypes": "AcceleratorTypes",
    "RootAccess": "RootAccess",
    "InstanceMetadataServiceConfiguration": "InstanceMetadataServiceConfiguration",
}
#: ``Disassociate…`` flags of UpdateNotebookInstance: the request member they conflict with, the member removed.
DISASSOCIATE = {
    "DisassociateLifecycleConfig": ("LifecycleConfigName", "NotebookInstanceLifecycleConfigName"),
    "DisassociateAcceleratorTypes": ("AcceleratorTypes", "AcceleratorTypes"),
    "DisassociateDefaultCodeRepository": ("DefaultCodeRepository", "DefaultCodeRepository"),
    "DisassociateAdditionalCodeRepositories": ("AdditionalCodeRepositories", "AdditionalCodeRepositories"),
}


def notebook_url(name: str, region: str) -> str:
    """The instance's Jupyter address as AWS forms it (host only, no scheme, name lower-cased)."""
    return f"{name.lower()}.notebook.{region}.sagemaker.aws"


def transition_error(doc: dict[str, Any], allowed: tuple[str, ...], target: str) -> ServiceError:
    """The ValidationException AWS gives for a status change the instance's current status does not allow."""
    return ServiceError(
        "ValidationException",
        f"Status ({doc[STATUS]}) not in ([{', '.join(allowed)}]). Unable to transition to ({target}) for "
        f"Notebook Instance ({doc['NotebookInstanceArn']}).",
    )


class Operations:
    """The notebook instance operations, on the SageMaker service's store and helpers."""

    def __init__(self, sm: "SageMakerService") -> None:
        self.sm = sm

    def operations(self) -> dict[str, Callable[[dict[str, Any], OperationModel], dict[str, Any]]]:
        """Operation name -> handler."""
        return {
            "CreateNotebookInstance": self.create_notebook_instance,
            "DescribeNotebookInstance": self.sm.describe,
            "ListNotebookInstances": self.list_notebook_instances,
            "StartNotebookInstance": self.start_notebook_instance,
            "StopNotebookInstance": self.stop_notebook_instance,
            "UpdateNotebookInstance": self.update_notebook_instance,
            "DeleteNotebookInstance": self.delete_notebook_instance,
        }

    def create_notebook_instance(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """CreateNotebookInstance: Pending now, InService after the lifecycle delay."""
        name = params["NotebookInstanceName"]
        t = _now()
        doc = self.sm._new_doc(NOTEBOOK_INSTANCE, name, params, t)
        for member, value in DEFAULTS.items():
            doc.setdefault(member, value)
        if "SecurityGroupIds" in params:
            doc["SecurityGroups"] = params["SecurityGroupIds"]
        if "LifecycleConfigName" in params:
            doc["NotebookInstanceLifecycleConfigName"] = params["LifecycleConfigName"]
        if "SubnetId" in params:
            # AWS attaches an elastic network interface in the subnet; its id is made up here.
            doc["NetworkInterfaceId"] = "eni-" + uuid.uuid4().hex[:17]
        doc["Url"] = notebook_url(name, self.sm.info.region)
        failure = next((tag.get("Value", "") for tag in params.get("Tags", []) if tag["Key"] == FAILURE_TAG), None)
        if failure is None:
            lifecycle.begin(doc, STATUS, "Pending", t, "InService")
        else:
            lifecycle.begin(doc, STATUS, "Pending", t, "Failed", {"FailureReason": failure})
        with self.sm.store.transaction() as db:
            self.sm._insert(NOTEBOOK_INSTANCE, name, doc, db)
        return {"NotebookInstanceArn": doc["NotebookInstanceArn"]}

    def list_notebook_instances(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """ListNotebookInstances with every filter the operation declares; sorted by Name, ascending, by default."""
        docs = self.sm.settled_all(NOTEBOOK_INSTANCE)
        if "StatusEquals" in params:
            docs = [d for d in docs if d[STATUS] == params["StatusEquals"]]
        if "NotebookInstanceLifecycleConfigNameContains" in params:
            needle = params["NotebookInstanceLifecycleConfigNameContains"].lower()
            docs = [d for d in docs if needle in d.get("NotebookInstanceLifecycleConfigName", "").lower()]
        if "DefaultCodeRepositoryContains" in params:
            needle = params["DefaultCodeRepositoryContains"].lower()
            docs = [d for d in docs if needle in d.get("DefaultCodeRepository", "").lower()]
        if "AdditionalCodeRepositoryEquals" in params:
            wanted = params["AdditionalCodeRepositoryEquals"]
            docs = [d for d in docs if wanted in d.get("AdditionalCodeRepositories", [])]
        # Fill in the defaults before _listing, whose own defaults (CreationTime, Descending) are other lists'.
        ordered = {"SortBy": "Name", "SortOrder": "Ascending", **params}
        return self.sm._listing(NOTEBOOK_INSTANCE, ordered, operation, docs)

    def _change(
        self,
        params: dict[str, Any],
        operation: OperationModel,
        allowed: tuple[str, ...],
        status: str,
        then: Optional[str],
        apply: Optional[Callable[[dict[str, Any]], None]] = None,
        already: Optional[str] = None,
    ) -> dict[str, Any]:
        """Move an instance from one of ``allowed`` to ``status`` now and ``then`` after the delay (None: gone).

        A request for the status the instance is already moving to (``already``) succeeds without change.
        """
        name = params["NotebookInstanceName"]
        found = self.sm.require(self.sm.store, NOTEBOOK_INSTANCE, name, operation)
        if self.sm.settled(NOTEBOOK_INSTANCE, found) is None:
            raise self.sm.not_found(NOTEBOOK_INSTANCE, name, operation)
        with self.sm.store.transaction() as db:
            doc = self.sm.require(db, NOTEBOOK_INSTANCE, name, operation)
            if already is not None and doc[STATUS] == already:
                return {}
            if doc[STATUS] not in allowed:
                raise transition_error(doc, allowed, status)
            if apply is not None:
                apply(doc)
            doc.pop("FailureReason", None)
            lifecycle.begin(doc, STATUS, status, _now(), then)
            self.sm._save(db, NOTEBOOK_INSTANCE, doc)
        return {}

    def start_notebook_instance(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """StartNotebookInstance: Pending now, InService after the delay; only from Stopped or Failed."""
        return self._change(params, operation, ("Stopped", "Failed"), "Pending", "InService")

    def stop_notebook_instance(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """StopNotebookInstance: Stopping now, Stopped after the delay; only from InService."""
        return self._change(params, operation, ("InService",), "Stopping", "Stopped", already="Stopping")

    def update_notebook_instance(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """UpdateNotebookInstance: Updating now, Stopped with the changes after the delay; only from Stopped."""
        for flag, (member, _) in DISASSOCIATE.items():
            if params.get(flag) and member in params:
                raise ServiceError(
                    "ValidationException", f"{flag} and {member} cannot both be given; set one or remove it."
                )

        def apply(doc: dict[str, Any]) -> None:
            size = params.get("VolumeSizeInGB")
            if size is not None and size < doc.get("VolumeSizeInGB", DEFAULTS["VolumeSizeInGB"]):
                raise ServiceError(
                    "ValidationException",
                    f"VolumeSizeInGB cannot be decreased (from {doc['VolumeSizeInGB']} to {size} GB); a notebook "
                    "instance's storage volume can only grow.",
                )
            for member, target in UPDATABLE.items():
                if member in params:
                    doc[target] = params[member]
            for flag, (_, target) in DISASSOCIATE.items():
                if params.get(flag):
                    doc.pop(target, None)

        return self._change(params, operation, ("Stopped",), "Updating", "Stopped", apply)

    def delete_notebook_instance(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """DeleteNotebookInstance: Deleting now, gone after the delay; only from Stopped or Failed."""
        return self._change(params, operation, ("Stopped", "Failed"), "Deleting", None, already="Deleting")
