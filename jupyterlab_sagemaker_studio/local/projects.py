"""SageMaker projects in the local backend: CreateProject, DescribeProject, ListProjects, DeleteProject.

A project is a record here: its Service Catalog provisioning details are kept and shown, but no product is
provisioned (local mode has no Service Catalog). Resources belong to a project by the tags AWS uses,
``sagemaker:project-name`` and ``sagemaker:project-id``; a create request carrying one of them gets the other
filled in from the project (``complete_project_tags``).
"""

from __future__ import annotations

import secrets
import string
from typing import TYPE_CHECKING, Any, Callable

from botocore.model import OperationModel

from . import lifecycle
from . import resources as res
from .protocol import ServiceError
from .sagemaker import Kind, _now
from .store import Store

if TYPE_CHECKING:
    from .sagemaker import SageMakerService

#: The tags that tie a resource to a project in AWS.
PROJECT_NAME_TAG = "sagemaker:project-name"
PROJECT_ID_TAG = "sagemaker:project-id"

KINDS = (
    Kind(
        "Project",
        "ProjectName",
        "ProjectArn",
        "project",
        "DescribeProject",
        "ListProjects",
        "ProjectSummaryList",
        not_found="Project {name} does not exist.",
        exists="Project {name} already exists.",
        status_member="ProjectStatus",
    ),
)
PROJECT = KINDS[0]


def new_project_id() -> str:
    """A project id as AWS forms them: ``p-`` and 12 lower-case letters and digits."""
    alphabet = string.ascii_lowercase + string.digits
    return "p-" + "".join(secrets.choice(alphabet) for _ in range(12))


def complete_project_tags(store: Store, tags: list[dict[str, str]]) -> list[dict[str, str]]:
    """``tags`` plus the missing one of the two project tags when the other names an existing project."""
    values = {t["Key"]: t.get("Value", "") for t in tags}
    has_name, has_id = PROJECT_NAME_TAG in values, PROJECT_ID_TAG in values
    if has_name == has_id:
        return tags
    for project in res.load_all(store, PROJECT.kind):
        if has_name and project["ProjectName"] == values[PROJECT_NAME_TAG]:
            return tags + [{"Key": PROJECT_ID_TAG, "Value": project["ProjectId"]}]
        if has_id and project["ProjectId"] == values[PROJECT_ID_TAG]:
            return tags + [{"Key": PROJECT_NAME_TAG, "Value": project["ProjectName"]}]
    return tags


class Operations:
    """The project operations, on the SageMaker service's store and helpers."""

    def __init__(self, sm: "SageMakerService") -> None:
        self.sm = sm

    def operations(self) -> dict[str, Callable[[dict[str, Any], OperationModel], dict[str, Any]]]:
        """Operation name -> handler."""
        return {
            "CreateProject": self.create_project,
            "DescribeProject": self.sm.describe,
            "ListProjects": self.list_projects,
            "DeleteProject": self.delete_project,
        }

    def create_project(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """CreateProject: CreateInProgress now, CreateCompleted after the lifecycle delay."""
        name = params["ProjectName"]
        t = _now()
        doc = self.sm._new_doc(PROJECT, name, params, t)
        doc["ProjectId"] = new_project_id()
        if "TemplateProviders" in params:
            doc["TemplateProviderDetails"] = params["TemplateProviders"]
        lifecycle.begin(doc, "ProjectStatus", "CreateInProgress", t, "CreateCompleted")
        with self.sm.store.transaction() as db:
            self.sm._insert(PROJECT, name, doc, db)
        return {"ProjectArn": doc["ProjectArn"], "ProjectId": doc["ProjectId"]}

    def list_projects(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """ListProjects with NameContains, creation-time filters, sorting and paging."""
        return self.sm._listing(PROJECT, params, operation, self.sm.settled_all(PROJECT))

    def delete_project(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """DeleteProject: DeleteInProgress now, gone after the delay; refused while it is still being created."""
        found = self.sm.require(self.sm.store, PROJECT, params["ProjectName"], operation)
        if self.sm.settled(PROJECT, found) is None:
            raise self.sm.not_found(PROJECT, params["ProjectName"], operation)
        with self.sm.store.transaction() as db:
            doc = self.sm.require(db, PROJECT, params["ProjectName"], operation)
            status = doc["ProjectStatus"]
            if status in ("CreateInProgress", "UpdateInProgress"):
                raise ServiceError(
                    "ConflictException",
                    f"Project {doc['ProjectName']} is in status {status}; it can be deleted once that completes.",
                )
            if status != "DeleteInProgress":
                lifecycle.begin(doc, "ProjectStatus", "DeleteInProgress", _now(), None)
                self.sm._save(db, PROJECT, doc)
        return {}
