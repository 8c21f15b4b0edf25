"""The SageMaker API (JSON 1.1) of the local backend: experiments, models, endpoints, the model registry, tags;
pipelines, jobs, feature groups and projects come from the modules named in ``EXTENSIONS``.

``POST /`` with ``X-Amz-Target: SageMaker.<Operation>``. Every request is validated against botocore's model
(``validation.py``) before it touches the store. Answers have AWS's shapes, ARNs, timestamps (epoch seconds) and
errors (HTTP 400, ``x-amzn-ErrorType`` and ``{"__type", "message"}``), so boto3 and the JavaScript SDK parse them
as they parse AWS's. Resources live in ``sm_resources`` (``resources.py``); each document is what Describe returns.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Optional

from botocore.model import OperationModel

from . import json_protocol, lifecycle
from . import resources as res
from .protocol import LocalRequest, LocalResponse, ServiceError
from .store import Store, now
from .validation import service_model, validate_request

if TYPE_CHECKING:  # server.py imports this module when it starts; avoid the import cycle at run time.
    from .server import BackendInfo

log = logging.getLogger(__name__)

#: AWS allows 50 tags per resource.
MAX_TAGS = 50


@dataclass(frozen=True)
class Kind:
    """How one resource kind is named, addressed and listed (the table that drives the generic operations)."""

    kind: str
    #: Member holding the name, and the one holding the ARN.
    name_member: str
    arn_member: str
    #: Resource type in the ARN (``arn:aws:sagemaker:<region>:<account>:<arn_type>/<name>``).
    arn_type: str
    describe_op: str
    list_op: str
    #: Member of the List output holding the summaries.
    list_member: str
    #: Summary members whose value comes from a differently named document member.
    summary_renames: dict[str, str] = field(default_factory=dict)
    #: Messages; ``{arn}`` and ``{name}`` are filled in. AWS's wording, so callers matching on it keep working.
    not_found: str = "{label} '{arn}' does not exist."
    exists: str = "{label} '{arn}' already exists."
    label: str = ""
    #: Member holding the status (what ``SortBy: Status`` sorts on), if the kind has one.
    status_member: Optional[str] = None
    #: Error code for a name already taken (``ResourceInUse`` for jobs and feature groups, as AWS answers).
    exists_code: str = "ValidationException"

    def message(self, template: str, name: str, arn: str) -> str:
        """A message about one resource of this kind."""
        return template.format(label=self.label or self.kind, name=name, arn=arn)


KINDS: dict[str, Kind] = {
    k.kind: k
    for k in (
        Kind(
            "Experiment",
            "ExperimentName",
            "ExperimentArn",
            "experiment",
            "DescribeExperiment",
            "ListExperiments",
            "ExperimentSummaries",
            {"ExperimentSource": "Source"},
        ),
        Kind(
            "Trial",
            "TrialName",
            "TrialArn",
            "experiment-trial",
            "DescribeTrial",
            "ListTrials",
            "TrialSummaries",
            {"TrialSource": "Source"},
        ),
        Kind(
            "TrialComponent",
            "TrialComponentName",
            "TrialComponentArn",
            "experiment-trial-component",
            "DescribeTrialComponent",
            "ListTrialComponents",
            "TrialComponentSummaries",
            {"TrialComponentSource": "Source"},
        ),
        Kind(
            "Model",
            "ModelName",
            "ModelArn",
            "model",
            "DescribeModel",
            "ListModels",
            "Models",
            not_found='Could not find model "{arn}".',
            exists='Cannot create already existing model "{arn}".',
        ),
        Kind(
            "EndpointConfig",
            "EndpointConfigName",
            "EndpointConfigArn",
            "endpoint-config",
            "DescribeEndpointConfig",
            "ListEndpointConfigs",
            "EndpointConfigs",
            not_found='Could not find endpoint configuration "{arn}".',
            exists='Cannot create already existing endpoint configuration "{arn}".',
        ),
        Kind(
            "Endpoint",
            "EndpointName",
            "EndpointArn",
            "endpoint",
            "DescribeEndpoint",
            "ListEndpoints",
            "Endpoints",
            not_found='Could not find endpoint "{arn}".',
            exists='Cannot create already existing endpoint "{arn}".',
            status_member="EndpointStatus",
        ),
        Kind(
            "ModelPackageGroup",
            "ModelPackageGroupName",
            "ModelPackageGroupArn",
            "model-package-group",
            "DescribeModelPackageGroup",
            "ListModelPackageGroups",
            "ModelPackageGroupSummaryList",
            not_found="Model Package Group {name} does not exist.",
            exists="Model Package Group already exists: {arn}",
        ),
        Kind(
            "ModelPackage",
            "ModelPackageName",
            "ModelPackageArn",
            "model-package",
            "DescribeModelPackage",
            "ListModelPackages",
            "ModelPackageSummaryList",
            not_found="ModelPackage {arn} does not exist.",
            exists="Model package already exists: {arn}",
        ),
        # An artifact is stored under the id in its ARN: its name is optional and need not be unique.
        Kind(
            "Artifact",
            "ArtifactName",
            "ArtifactArn",
            "artifact",
            "DescribeArtifact",
            "ListArtifacts",
            "ArtifactSummaries",
            not_found="Artifact {arn} does not exist.",
        ),
    )
}

#: Kinds that take part in lineage associations.
LINEAGE_KINDS = ("Artifact", "TrialComponent")

#: ``SortBy`` values and the document member they sort on (``Name`` means the kind's name member; ``Status`` the
#: kind's status member; any other value names a document member, e.g. ``FeatureGroupStatus``).
SORT_MEMBERS = {"CreationTime": "CreationTime", "Name": None}

#: Modules adding resource kinds and operations to the SageMaker API (each has ``KINDS`` and ``Operations``).
EXTENSIONS = ("pipelines", "jobs", "feature_store", "projects", "notebook_instances", "studio", "monitoring")


def _now() -> float:
    """The current time with AWS's millisecond precision."""
    return round(now(), 3)


def _sort_value(value: Any) -> Any:
    """What a list sorts on: the value, or the ``Status`` of a status structure (``OfflineStoreStatus``)."""
    if isinstance(value, dict):
        value = value.get("Status")
    return "" if value is None else value


def _clean(result: dict[str, Any]) -> dict[str, Any]:
    """A response without private top-level keys (``_…``); nested user data such as a ``_seed`` parameter stays."""
    return {k: v for k, v in result.items() if not k.startswith("_")}


class SageMakerService:
    """The SageMaker JSON 1.1 API over the local store."""

    def __init__(self, store: Store, info: "BackendInfo") -> None:
        self.store = store
        self.info = info
        self.model = service_model()
        store.ensure_schema(res.DDL)
        self._operations: dict[str, Callable[[dict[str, Any], OperationModel], dict[str, Any]]] = {
            "CreateExperiment": self.create_experiment,
            "DescribeExperiment": self.describe,
            "ListExperiments": self.list_experiments,
            "UpdateExperiment": self.update_experiment,
            "DeleteExperiment": self.delete_experiment,
            "CreateTrial": self.create_trial,
            "DescribeTrial": self.describe,
            "ListTrials": self.list_trials,
            "UpdateTrial": self.update_trial,
            "DeleteTrial": self.delete_trial,
            "CreateTrialComponent": self.create_trial_component,
            "DescribeTrialComponent": self.describe_trial_component,
            "ListTrialComponents": self.list_trial_components,
            "UpdateTrialComponent": self.update_trial_component,
            "DeleteTrialComponent": self.delete_trial_component,
            "AssociateTrialComponent": self.associate_trial_component,
            "DisassociateTrialComponent": self.disassociate_trial_component,
            "CreateModel": self.create_model,
            "DescribeModel": self.describe,
            "ListModels": self.list_simple,
            "DeleteModel": self.delete_simple,
            "CreateEndpointConfig": self.create_endpoint_config,
            "DescribeEndpointConfig": self.describe,
            "ListEndpointConfigs": self.list_simple,
            "DeleteEndpointConfig": self.delete_simple,
            "CreateEndpoint": self.create_endpoint,
            "DescribeEndpoint": self.describe,
            "ListEndpoints": self.list_endpoints,
            "UpdateEndpoint": self.update_endpoint,
            "DeleteEndpoint": self.delete_endpoint,
            "CreateModelPackageGroup": self.create_model_package_group,
            "DescribeModelPackageGroup": self.describe,
            "ListModelPackageGroups": self.list_simple,
            "DeleteModelPackageGroup": self.delete_model_package_group,
            "CreateModelPackage": self.create_model_package,
            "DescribeModelPackage": self.describe,
            "ListModelPackages": self.list_model_packages,
            "UpdateModelPackage": self.update_model_package,
            "DeleteModelPackage": self.delete_simple,
            "BatchDescribeModelPackage": self.batch_describe_model_package,
            "CreateArtifact": self.create_artifact,
            "DescribeArtifact": self.describe_artifact,
            "ListArtifacts": self.list_artifacts,
            "UpdateArtifact": self.update_artifact,
            "DeleteArtifact": self.delete_artifact,
            "AddAssociation": self.add_association,
            "ListAssociations": self.list_associations,
            "DeleteAssociation": self.delete_association,
            "AddTags": self.add_tags,
            "ListTags": self.list_tags,
            "DeleteTags": self.delete_tags,
            "Search": self.search,
        }
        for module in self._extensions():
            KINDS.update({k.kind: k for k in module.KINDS})
            self._operations.update(module.Operations(self).operations())
        self._kind_by_op = {
            op: kind
            for kind in KINDS.values()
            for op in (
                kind.describe_op,
                kind.list_op,
                kind.describe_op.replace("Describe", "Delete", 1),
            )
        }

    @staticmethod
    def _extensions() -> list[Any]:
        """The extension modules (imported here: they import this module for ``Kind`` and the helpers)."""
        import importlib

        return [importlib.import_module(f"{__package__}.{name}") for name in EXTENSIONS]

    @property
    def operations(self) -> list[str]:
        """Names of the implemented operations."""
        return sorted(self._operations)

    # --- protocol ---------------------------------------------------------------------------------------------

    def handle(self, request: LocalRequest) -> LocalResponse:
        """Answer one JSON 1.1 request; errors are rendered the way AWS renders them."""
        return json_protocol.answer(request, "SageMaker", self._dispatch, clean=_clean)

    def _dispatch(self, request: LocalRequest) -> dict[str, Any]:
        op_name, body = json_protocol.parse_call(request, "SageMaker", "SageMaker", self.model, self._operations)
        operation = self.model.operation_model(op_name)
        return self._operations[op_name](validate_request(operation, body), operation)

    # --- addressing -------------------------------------------------------------------------------------------

    def arn(self, kind: Kind, name: str) -> str:
        """The ARN of a resource (names lower-cased, as AWS writes them)."""
        return f"arn:aws:sagemaker:{self.info.region}:{self.info.account_id}:{kind.arn_type}/{name.lower()}"

    def _arn_of(self, kind: Kind, name_or_arn: str) -> str:
        return name_or_arn.lower() if name_or_arn.startswith("arn:") else self.arn(kind, name_or_arn)

    def find(self, db: res.Reader, kind: Kind, name_or_arn: str) -> Optional[dict[str, Any]]:
        """A resource by name or ARN (case-insensitive, as AWS), or None."""
        found = res.load_by_arn(db, self._arn_of(kind, name_or_arn))
        if found is None or found[0] != kind.kind:
            return None
        return found[1]

    def require(self, db: res.Reader, kind: Kind, name_or_arn: str, operation: OperationModel) -> dict[str, Any]:
        """A resource that must exist; else the error AWS gives for this operation."""
        doc = self.find(db, kind, name_or_arn)
        if doc is None:
            raise self.not_found(kind, name_or_arn, operation)
        return doc

    def not_found(self, kind: Kind, name_or_arn: str, operation: OperationModel) -> ServiceError:
        """``ResourceNotFound`` where the operation declares it, else ``ValidationException`` (as AWS does)."""
        code = (
            "ResourceNotFound"
            if any(e.name == "ResourceNotFound" for e in operation.error_shapes)
            else ("ValidationException")
        )
        name = name_or_arn.rsplit("/", 1)[-1] if name_or_arn.startswith("arn:") else name_or_arn
        return ServiceError(code, kind.message(kind.not_found, name, self._arn_of(kind, name_or_arn)))

    def _describe_members(self, kind: Kind) -> set[str]:
        return set(self.model.operation_model(kind.describe_op).output_shape.members)

    def _new_doc(self, kind: Kind, name: str, params: dict[str, Any], t: float) -> dict[str, Any]:
        """A new document: the request members Describe returns, plus name, ARN, times, creator and Tags."""
        members = self._describe_members(kind)
        doc = {k: v for k, v in params.items() if k in members}
        doc[kind.name_member] = name
        doc[kind.arn_member] = self.arn(kind, name)
        for stamp in ("CreationTime", "LastModifiedTime"):
            if stamp in members:
                doc[stamp] = t
        # Outside SageMaker Studio AWS records no user profile, so the creator is an empty UserContext.
        for who in ("CreatedBy", "LastModifiedBy"):
            if who in members:
                doc[who] = {}
        doc["Tags"] = self._with_project_tags(_merge_tags([], params.get("Tags", [])))
        return doc

    def _with_project_tags(self, tags: list[dict[str, str]]) -> list[dict[str, str]]:
        """Tags with both project tags when one names an existing project (how AWS ties resources to a project)."""
        from .projects import complete_project_tags

        return complete_project_tags(self.store, tags)

    def _insert(self, kind: Kind, name: str, doc: dict[str, Any], db: Any) -> None:
        """Store a new resource, refusing a name already taken (AWS names are case-insensitive)."""
        arn = self.arn(kind, name)
        if res.load_by_arn(db, arn) is not None:
            raise ServiceError(kind.exists_code, kind.message(kind.exists, name, arn))
        res.save(db, kind.kind, name, arn, doc)

    def _touch(self, doc: dict[str, Any], t: float) -> None:
        doc["LastModifiedTime"] = t
        if "LastModifiedBy" in doc or "CreatedBy" in doc:
            doc["LastModifiedBy"] = {}

    def _save(self, db: Any, kind: Kind, doc: dict[str, Any]) -> None:
        res.save(db, kind.kind, self._stored_name(kind, doc), doc[kind.arn_member], doc)

    # --- generic Describe / List / Delete ------------------------------------------------------------------------

    def describe(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """Describe* of any kind: the stored document, limited to the members Describe returns."""
        kind = self._kind_by_op[operation.name]
        doc = self.require(self.store, kind, params[kind.name_member], operation)
        settled = self.settled(kind, doc)
        if settled is None:
            raise self.not_found(kind, params[kind.name_member], operation)
        doc = settled
        members = self._describe_members(kind)
        return {k: v for k, v in doc.items() if k in members}

    def _listing(
        self,
        kind: Kind,
        params: dict[str, Any],
        operation: OperationModel,
        docs: list[dict[str, Any]],
        name_of: Optional[Callable[[dict[str, Any]], str]] = None,
    ) -> dict[str, Any]:
        """The common part of every List*: time and name filters, sorting, paging, summaries."""
        name_of = name_of or (lambda d: d[kind.name_member])
        after = params.get("CreatedAfter", params.get("CreationTimeAfter"))
        before = params.get("CreatedBefore", params.get("CreationTimeBefore"))
        if after is not None:
            docs = [d for d in docs if d["CreationTime"] > after]
        if before is not None:
            docs = [d for d in docs if d["CreationTime"] < before]
        if "LastModifiedTimeAfter" in params:
            docs = [d for d in docs if d.get("LastModifiedTime", d["CreationTime"]) > params["LastModifiedTimeAfter"]]
        if "LastModifiedTimeBefore" in params:
            docs = [d for d in docs if d.get("LastModifiedTime", d["CreationTime"]) < params["LastModifiedTimeBefore"]]
        if "NameContains" in params:
            needle = params["NameContains"].lower()
            docs = [d for d in docs if needle in name_of(d).lower()]
        sort_by = params.get("SortBy", "CreationTime")
        member = kind.status_member if sort_by == "Status" else SORT_MEMBERS.get(sort_by, sort_by)
        # Ties (same second, same status) fall back to the name so pages never overlap or skip.
        if member is None:
            docs.sort(key=lambda d: (name_of(d).lower(), d.get("ModelPackageVersion", 0)))
        else:
            docs.sort(key=lambda d: (_sort_value(d.get(member)), name_of(d).lower(), d.get("ModelPackageVersion", 0)))
        if params.get("SortOrder", "Descending") == "Descending":
            docs.reverse()
        page, token = _page(docs, params, operation.name, default_size=10)
        summary_shape = operation.output_shape.members[kind.list_member].member
        summaries = []
        for doc in page:
            summary = {}
            for name in summary_shape.members:
                value = doc.get(kind.summary_renames.get(name, name))
                if value is not None:
                    summary[name] = value
            summaries.append(summary)
        out: dict[str, Any] = {kind.list_member: summaries}
        if token:
            out["NextToken"] = token
        return out

    def list_simple(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """ListModels, ListEndpointConfigs, ListModelPackageGroups: filters common to all lists only."""
        kind = self._kind_by_op[operation.name]
        return self._listing(kind, params, operation, res.load_all(self.store, kind.kind))

    def delete_simple(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """DeleteModel, DeleteEndpointConfig, DeleteModelPackage: remove the resource (nothing depends on it)."""
        kind = self._kind_by_op[operation.name]
        with self.store.transaction() as db:
            doc = self.require(db, kind, params[kind.name_member], operation)
            res.delete(db, kind.kind, self._stored_name(kind, doc))
        return {}

    def _stored_name(self, kind: Kind, doc: dict[str, Any]) -> str:
        """The ``sm_resources.name`` of a document (``<group>/<version>`` for a versioned model package)."""
        # Kinds addressed by several members (a user profile by domain and name) keep their stored name.
        if "_StoredName" in doc:
            return doc["_StoredName"]
        if kind.kind == "ModelPackage" and "ModelPackageVersion" in doc:
            return f"{doc['ModelPackageGroupName']}/{doc['ModelPackageVersion']}"
        if kind.kind == "Artifact":
            return doc["ArtifactArn"].rsplit("/", 1)[-1]
        return doc[kind.name_member]

    # --- experiments -------------------------------------------------------------------------------------------

    def create_experiment(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """CreateExperiment; DisplayName defaults to the name, as AWS shows it."""
        kind = KINDS["Experiment"]
        name = params["ExperimentName"]
        doc = self._new_doc(kind, name, params, _now())
        doc.setdefault("DisplayName", name)
        with self.store.transaction() as db:
            self._insert(kind, name, doc, db)
        return {"ExperimentArn": doc["ExperimentArn"]}

    def list_experiments(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """ListExperiments."""
        kind = KINDS["Experiment"]
        return self._listing(kind, params, operation, res.load_all(self.store, kind.kind))

    def update_experiment(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """UpdateExperiment (DisplayName, Description)."""
        return self._update_fields(KINDS["Experiment"], params, operation, ("DisplayName", "Description"))

    def _update_fields(
        self, kind: Kind, params: dict[str, Any], operation: OperationModel, fields: tuple[str, ...]
    ) -> dict[str, Any]:
        with self.store.transaction() as db:
            doc = self.require(db, kind, params[kind.name_member], operation)
            for name in fields:
                if name in params:
                    doc[name] = params[name]
            self._touch(doc, _now())
            self._save(db, kind, doc)
        return {kind.arn_member: doc[kind.arn_member]}

    def delete_experiment(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """DeleteExperiment; like AWS, only once its trials are deleted."""
        kind = KINDS["Experiment"]
        with self.store.transaction() as db:
            doc = self.require(db, kind, params["ExperimentName"], operation)
            name = doc["ExperimentName"]
            trials = [t["TrialName"] for t in res.load_all(db, "Trial") if t.get("ExperimentName") == name]
            if trials:
                raise ServiceError(
                    "ValidationException",
                    f"Experiment '{name}' still has {len(trials)} trial(s) (e.g. '{trials[0]}'); "
                    "delete its trials before deleting the experiment.",
                )
            res.delete(db, kind.kind, name)
        return {"ExperimentArn": doc["ExperimentArn"]}

    # --- trials --------------------------------------------------------------------------------------------------

    def create_trial(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """CreateTrial in an existing experiment."""
        kind = KINDS["Trial"]
        name = params["TrialName"]
        with self.store.transaction() as db:
            experiment = self.require(db, KINDS["Experiment"], params["ExperimentName"], operation)
            doc = self._new_doc(kind, name, params, _now())
            doc["ExperimentName"] = experiment["ExperimentName"]
            doc.setdefault("DisplayName", name)
            self._insert(kind, name, doc, db)
        return {"TrialArn": doc["TrialArn"]}

    def list_trials(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """ListTrials, optionally of one experiment or of the trials a trial component belongs to."""
        kind = KINDS["Trial"]
        docs = res.load_all(self.store, kind.kind)
        if "ExperimentName" in params:
            experiment = self.require(self.store, KINDS["Experiment"], params["ExperimentName"], operation)
            docs = [d for d in docs if d.get("ExperimentName") == experiment["ExperimentName"]]
        if "TrialComponentName" in params:
            component = self.require(self.store, KINDS["TrialComponent"], params["TrialComponentName"], operation)
            linked = set(res.trials_of_component(self.store, component["TrialComponentName"]))
            docs = [d for d in docs if d["TrialName"] in linked]
        return self._listing(kind, params, operation, docs)

    def update_trial(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """UpdateTrial (DisplayName)."""
        return self._update_fields(KINDS["Trial"], params, operation, ("DisplayName",))

    def delete_trial(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """DeleteTrial; like AWS, only once no trial component is associated with it."""
        kind = KINDS["Trial"]
        with self.store.transaction() as db:
            doc = self.require(db, kind, params["TrialName"], operation)
            name = doc["TrialName"]
            components = sorted(res.components_of_trials(db, [name]))
            if components:
                raise ServiceError(
                    "ValidationException",
                    f"Trial '{name}' still has {len(components)} trial component(s) (e.g. '{components[0]}'); "
                    "disassociate or delete them before deleting the trial.",
                )
            res.delete(db, kind.kind, name)
        return {"TrialArn": doc["TrialArn"]}

    # --- trial components ----------------------------------------------------------------------------------------

    def create_trial_component(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """CreateTrialComponent."""
        kind = KINDS["TrialComponent"]
        name = params["TrialComponentName"]
        doc = self._new_doc(kind, name, params, _now())
        doc.setdefault("DisplayName", name)
        with self.store.transaction() as db:
            self._insert(kind, name, doc, db)
        return {"TrialComponentArn": doc["TrialComponentArn"]}

    def describe_trial_component(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """DescribeTrialComponent, with metric summaries from the metrics store."""
        from .metrics import metric_summaries

        out = self.describe(params, operation)
        summaries = metric_summaries(self.store, [out["TrialComponentName"]]).get(out["TrialComponentName"], [])
        if summaries:
            out["Metrics"] = [{**s, "SourceArn": out["TrialComponentArn"]} for s in summaries]
        return out

    def list_trial_components(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """ListTrialComponents, optionally of one experiment, one trial or one source (at most one of them)."""
        kind = KINDS["TrialComponent"]
        chosen = [k for k in ("ExperimentName", "TrialName", "SourceArn") if k in params]
        if len(chosen) > 1:
            raise ServiceError(
                "ValidationException",
                "Only one of ExperimentName, TrialName and SourceArn may be given; "
                f"the request has {', '.join(chosen)}.",
            )
        docs = self.settled_all(kind)  # a job's component follows the job's status
        if "ExperimentName" in params:
            experiment = self.require(self.store, KINDS["Experiment"], params["ExperimentName"], operation)
            trials = [
                t["TrialName"]
                for t in res.load_all(self.store, "Trial")
                if t.get("ExperimentName") == experiment["ExperimentName"]
            ]
            linked = res.components_of_trials(self.store, trials)
            docs = [d for d in docs if d["TrialComponentName"] in linked]
        elif "TrialName" in params:
            trial = self.require(self.store, KINDS["Trial"], params["TrialName"], operation)
            linked = res.components_of_trials(self.store, [trial["TrialName"]])
            docs = [d for d in docs if d["TrialComponentName"] in linked]
        elif "SourceArn" in params:
            docs = [d for d in docs if (d.get("Source") or {}).get("SourceArn") == params["SourceArn"]]
        return self._listing(kind, params, operation, docs)

    def update_trial_component(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """UpdateTrialComponent: replace scalars, merge Parameters and artifacts, remove the ``…ToRemove`` keys."""
        kind = KINDS["TrialComponent"]
        for member in ("Parameters", "InputArtifacts", "OutputArtifacts"):
            both = set(params.get(member, {})) & set(params.get(f"{member}ToRemove", []))
            if both:
                raise ServiceError(
                    "ValidationException",
                    f"{member} and {member}ToRemove both name {', '.join(sorted(both))}; a key can be set or "
                    "removed, not both.",
                )
        with self.store.transaction() as db:
            doc = self.require(db, kind, params["TrialComponentName"], operation)
            for member in ("DisplayName", "Status", "StartTime", "EndTime"):
                if member in params:
                    doc[member] = params[member]
            for member in ("Parameters", "InputArtifacts", "OutputArtifacts"):
                merged = {**doc.get(member, {}), **params.get(member, {})}
                for key in params.get(f"{member}ToRemove", []):
                    merged.pop(key, None)
                if merged or member in doc:
                    doc[member] = merged
            self._touch(doc, _now())
            self._save(db, kind, doc)
        return {"TrialComponentArn": doc["TrialComponentArn"]}

    def delete_trial_component(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """DeleteTrialComponent (and its metrics); like AWS, only once it is in no trial."""
        from .metrics import delete_metrics

        kind = KINDS["TrialComponent"]
        with self.store.transaction() as db:
            doc = self.require(db, kind, params["TrialComponentName"], operation)
            name = doc["TrialComponentName"]
            trials = res.trials_of_component(db, name)
            if trials:
                raise ServiceError(
                    "ValidationException",
                    f"Trial component '{name}' is associated with trial(s) {', '.join(trials)}; disassociate it "
                    "from every trial before deleting it.",
                )
            res.delete(db, kind.kind, name)
            res.delete_associations(db, doc["TrialComponentArn"])
            delete_metrics(db, name)
        return {"TrialComponentArn": doc["TrialComponentArn"]}

    def associate_trial_component(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """AssociateTrialComponent (associating twice is harmless)."""
        with self.store.transaction() as db:
            component = self.require(db, KINDS["TrialComponent"], params["TrialComponentName"], operation)
            trial = self.require(db, KINDS["Trial"], params["TrialName"], operation)
            db.execute(
                "INSERT OR IGNORE INTO sm_trial_component_trials(trial_component_name, trial_name) VALUES (?, ?)",
                (component["TrialComponentName"], trial["TrialName"]),
            )
        return {"TrialComponentArn": component["TrialComponentArn"], "TrialArn": trial["TrialArn"]}

    def disassociate_trial_component(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """DisassociateTrialComponent."""
        with self.store.transaction() as db:
            component = self.require(db, KINDS["TrialComponent"], params["TrialComponentName"], operation)
            trial = self.require(db, KINDS["Trial"], params["TrialName"], operation)
            gone = db.execute(
                "DELETE FROM sm_trial_component_trials WHERE trial_component_name = ? AND trial_name = ?",
                (component["TrialComponentName"], trial["TrialName"]),
            ).rowcount
            if not gone:
                raise ServiceError(
                    "ResourceNotFound",
                    f"Trial component '{component['TrialComponentName']}' is not associated with trial "
                    f"'{trial['TrialName']}'.",
                )
        return {"TrialComponentArn": component["TrialComponentArn"], "TrialArn": trial["TrialArn"]}

    # --- models and endpoint configs -------------------------------------------------------------------------

    def create_model(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """CreateModel with a PrimaryContainer or Containers."""
        if "PrimaryContainer" not in params and not params.get("Containers"):
            raise ServiceError(
                "ValidationException", "A model needs a PrimaryContainer or Containers; the request has neither."
            )
        kind = KINDS["Model"]
        doc = self._new_doc(kind, params["ModelName"], params, _now())
        doc.setdefault("EnableNetworkIsolation", False)
        with self.store.transaction() as db:
            self._insert(kind, params["ModelName"], doc, db)
        return {"ModelArn": doc["ModelArn"]}

    def create_endpoint_config(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """CreateEndpointConfig; every variant's model must exist, as AWS checks."""
        kind = KINDS["EndpointConfig"]
        variants = [dict(v) for v in params["ProductionVariants"]]
        names = [v["VariantName"] for v in variants]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ServiceError(
                "ValidationException", f"Variant names must be unique; {', '.join(duplicates)} appears twice."
            )
        for variant in variants:
            if "ServerlessConfig" not in variant:
                variant.setdefault("InitialVariantWeight", 1.0)
        with self.store.transaction() as db:
            for variant in variants:
                if "ModelName" in variant:
                    self.require(db, KINDS["Model"], variant["ModelName"], operation)
            doc = self._new_doc(kind, params["EndpointConfigName"], params, _now())
            doc["ProductionVariants"] = variants
            self._insert(kind, params["EndpointConfigName"], doc, db)
        return {"EndpointConfigArn": doc["EndpointConfigArn"]}

    # --- endpoints ---------------------------------------------------------------------------------------------

    def _deployment(self, db: Any, config: dict[str, Any], t: float) -> dict[str, Any]:
        """What an endpoint shows once a config is deployed: variant summaries, data capture, the config name."""
        variants = []
        for variant in config["ProductionVariants"]:
            summary: dict[str, Any] = {"VariantName": variant["VariantName"]}
            model = self.find(db, KINDS["Model"], variant.get("ModelName", "")) if variant.get("ModelName") else None
            if model is not None:
                containers = [model["PrimaryContainer"]] if "PrimaryContainer" in model else model.get("Containers", [])
                images = [c["Image"] for c in containers if c.get("Image")]
                if images:
                    summary["DeployedImages"] = [{"SpecifiedImage": i, "ResolutionTime": t} for i in images]
            if "ServerlessConfig" in variant:
                summary["CurrentServerlessConfig"] = variant["ServerlessConfig"]
                summary["DesiredServerlessConfig"] = variant["ServerlessConfig"]
            else:
                weight = variant.get("InitialVariantWeight", 1.0)
                count = variant.get("InitialInstanceCount", 1)
                summary.update(
                    CurrentWeight=weight, DesiredWeight=weight, CurrentInstanceCount=count, DesiredInstanceCount=count
                )
            variants.append(summary)
        changes: dict[str, Any] = {
            "EndpointConfigName": config["EndpointConfigName"],
            "ProductionVariants": variants,
            "PendingDeploymentSummary": None,
            "DataCaptureConfig": None,
        }
        capture = config.get("DataCaptureConfig")
        if capture:
            enabled = capture.get("EnableCapture", True)
            changes["DataCaptureConfig"] = {
                k: v
                for k, v in {
                    "EnableCapture": enabled,
                    "CaptureStatus": "Started" if enabled else "Stopped",
                    "CurrentSamplingPercentage": capture.get("InitialSamplingPercentage"),
                    "DestinationS3Uri": capture.get("DestinationS3Uri"),
                    "KmsKeyId": capture.get("KmsKeyId"),
                }.items()
                if v is not None
            }
        for member in ("AsyncInferenceConfig", "ExplainerConfig", "MetricsConfig"):
            changes[member] = config.get(member)
        return changes

    def _settle_endpoint(self, doc: dict[str, Any]) -> Optional[dict[str, Any]]:
        """Apply a due status transition to an endpoint and store the result; None once it is deleted."""
        return self.settled(KINDS["Endpoint"], doc)

    def settled_all(self, kind: Kind) -> list[dict[str, Any]]:
        """Every resource of a kind with its due status changes applied (those that are gone left out)."""
        return [d for d in (self.settled(kind, d) for d in res.load_all(self.store, kind.kind)) if d is not None]

    def settle_pending(self, kind: Kind) -> None:
        """Store the due status changes of the resources of a kind that have some planned (others are not read)."""
        rows = self.store.query(
            "SELECT doc FROM sm_resources WHERE kind = ? AND (instr(doc, '\"_Timeline\"') OR "
            "instr(doc, '\"_Transition\"'))",
            (kind.kind,),
        )
        for row in rows:
            self.settled(kind, json.loads(row["doc"]))

    def settled(self, kind: Kind, doc: dict[str, Any]) -> Optional[dict[str, Any]]:
        """A document with its due status changes applied and stored (``lifecycle.py``); None once it is gone."""
        t = _now()
        if not lifecycle.due(doc, t):
            return doc
        name = self._stored_name(kind, doc)
        with self.store.transaction() as db:
            current = res.load(db, kind.kind, name)
            if current is None:
                return None
            changed, settled = lifecycle.settle_all(current, _now())
            if settled is None:
                res.delete(db, kind.kind, name)
            elif changed:
                self._save(db, kind, settled)
        return settled

    def create_endpoint(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """CreateEndpoint: Creating now, InService after the configured delay."""
        kind = KINDS["Endpoint"]
        name = params["EndpointName"]
        t = _now()
        with self.store.transaction() as db:
            config = self.require(db, KINDS["EndpointConfig"], params["EndpointConfigName"], operation)
            doc = self._new_doc(kind, name, params, t)
            doc["EndpointConfigName"] = config["EndpointConfigName"]
            if "DeploymentConfig" in params:
                doc["LastDeploymentConfig"] = params["DeploymentConfig"]
            lifecycle.begin(doc, "EndpointStatus", "Creating", t, "InService", self._deployment(db, config, t))
            self._insert(kind, name, doc, db)
        return {"EndpointArn": doc["EndpointArn"]}

    def list_endpoints(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """ListEndpoints, with StatusEquals and the common filters."""
        kind = KINDS["Endpoint"]
        docs = [d for d in map(self._settle_endpoint, res.load_all(self.store, kind.kind)) if d is not None]
        if "StatusEquals" in params:
            docs = [d for d in docs if d["EndpointStatus"] == params["StatusEquals"]]
        return self._listing(kind, params, operation, docs)

    def update_endpoint(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """UpdateEndpoint: Updating now, InService with the new config after the delay; only when InService."""
        kind = KINDS["Endpoint"]
        found = self.require(self.store, kind, params["EndpointName"], operation)
        if self._settle_endpoint(found) is None:
            raise self.not_found(kind, params["EndpointName"], operation)
        t = _now()
        with self.store.transaction() as db:
            doc = self.require(db, kind, params["EndpointName"], operation)
            if doc["EndpointStatus"] != "InService":
                raise ServiceError(
                    "ValidationException",
                    f'Cannot update in-progress endpoint "{doc["EndpointArn"]}" (status {doc["EndpointStatus"]}).',
                )
            config = self.require(db, KINDS["EndpointConfig"], params["EndpointConfigName"], operation)
            doc["PendingDeploymentSummary"] = {"EndpointConfigName": config["EndpointConfigName"], "StartTime": t}
            if "DeploymentConfig" in params:
                doc["LastDeploymentConfig"] = params["DeploymentConfig"]
            lifecycle.begin(doc, "EndpointStatus", "Updating", t, "InService", self._deployment(db, config, t))
            self._save(db, kind, doc)
        return {"EndpointArn": doc["EndpointArn"]}

    def delete_endpoint(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """DeleteEndpoint: Deleting now, gone after the delay (deleting twice is harmless)."""
        kind = KINDS["Endpoint"]
        found = self.require(self.store, kind, params["EndpointName"], operation)
        if self._settle_endpoint(found) is None:
            raise self.not_found(kind, params["EndpointName"], operation)
        with self.store.transaction() as db:
            doc = self.require(db, kind, params["EndpointName"], operation)
            if doc["EndpointStatus"] != "Deleting":
                lifecycle.begin(doc, "EndpointStatus", "Deleting", _now(), None)
                self._save(db, kind, doc)
        return {}

    # --- model registry ------------------------------------------------------------------------------------------

    def create_model_package_group(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """CreateModelPackageGroup."""
        kind = KINDS["ModelPackageGroup"]
        doc = self._new_doc(kind, params["ModelPackageGroupName"], params, _now())
        doc["ModelPackageGroupStatus"] = "Completed"
        # Versions are never reused, even after a version is deleted, as in AWS.
        doc["_LastVersion"] = 0
        with self.store.transaction() as db:
            self._insert(kind, params["ModelPackageGroupName"], doc, db)
        return {"ModelPackageGroupArn": doc["ModelPackageGroupArn"]}

    def delete_model_package_group(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """DeleteModelPackageGroup; refused while the group holds model packages, as AWS does."""
        kind = KINDS["ModelPackageGroup"]
        with self.store.transaction() as db:
            doc = self.require(db, kind, params["ModelPackageGroupName"], operation)
            name = doc["ModelPackageGroupName"]
            count = sum(1 for p in res.load_all(db, "ModelPackage") if p.get("ModelPackageGroupName") == name)
            if count:
                raise ServiceError(
                    "ConflictException",
                    f"Model package group {name} still holds {count} model package version(s); delete them first.",
                )
            res.delete(db, kind.kind, name)
        return {}

    def create_model_package(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """CreateModelPackage: a new version in a group (or an unversioned package when only a name is given)."""
        kind = KINDS["ModelPackage"]
        group_ref = params.get("ModelPackageGroupName")
        if (group_ref is None) == ("ModelPackageName" not in params):
            raise ServiceError(
                "ValidationException",
                "Give ModelPackageGroupName for a versioned model package or ModelPackageName for an unversioned "
                "one (exactly one of them).",
            )
        t = _now()
        with self.store.transaction() as db:
            if group_ref is None:
                name = params["ModelPackageName"]
                doc = self._new_doc(kind, name, params, t)
            else:
                group = self.require(db, KINDS["ModelPackageGroup"], group_ref, operation)
                group_name = group["ModelPackageGroupName"]
                group["_LastVersion"] = version = group.get("_LastVersion", 0) + 1
                self._save(db, KINDS["ModelPackageGroup"], group)
                name = f"{group_name}/{version}"
                doc = self._new_doc(kind, name, params, t)
                doc.update(ModelPackageName=group_name, ModelPackageGroupName=group_name, ModelPackageVersion=version)
                doc.setdefault("ModelApprovalStatus", "PendingManualApproval")
                doc["_ApprovalHistory"] = [
                    {"ModelApprovalStatus": doc["ModelApprovalStatus"], "Time": t, "Description": "Created"}
                ]
            doc["ModelPackageStatus"] = "Completed"
            doc["ModelPackageStatusDetails"] = {"ValidationStatuses": [], "ImageScanStatuses": []}
            doc.setdefault("CertifyForMarketplace", False)
            self._insert(kind, name, doc, db)
        return {"ModelPackageArn": doc["ModelPackageArn"]}

    def list_model_packages(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """ListModelPackages: a group's versions, or (ModelPackageType, default Unversioned) across the account."""
        kind = KINDS["ModelPackage"]
        docs = res.load_all(self.store, kind.kind)
        if "ModelPackageGroupName" in params:
            group = self.find(self.store, KINDS["ModelPackageGroup"], params["ModelPackageGroupName"])
            group_name = group["ModelPackageGroupName"] if group else params["ModelPackageGroupName"]
            docs = [d for d in docs if d.get("ModelPackageGroupName") == group_name]
        else:
            wanted = params.get("ModelPackageType", "Unversioned")
            if wanted != "Both":
                docs = [d for d in docs if ("ModelPackageVersion" in d) == (wanted == "Versioned")]
        if "ModelApprovalStatus" in params:
            docs = [d for d in docs if d.get("ModelApprovalStatus") == params["ModelApprovalStatus"]]
        return self._listing(kind, params, operation, docs)

    def update_model_package(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """UpdateModelPackage: approval status (with history), description, metadata, inference specs."""
        kind = KINDS["ModelPackage"]
        to_remove = set(params.get("CustomerMetadataPropertiesToRemove", []))
        both = to_remove & set(params.get("CustomerMetadataProperties", {}))
        if both:
            raise ServiceError(
                "ValidationException",
                "CustomerMetadataProperties and CustomerMetadataPropertiesToRemove both name "
                f"{', '.join(sorted(both))}.",
            )
        t = _now()
        with self.store.transaction() as db:
            doc = self.require(db, kind, params["ModelPackageArn"], operation)
            status = params.get("ModelApprovalStatus")
            if status is not None:
                if "ModelPackageVersion" not in doc:
                    raise ServiceError(
                        "ValidationException", "Only versioned model packages (in a group) have an approval status."
                    )
                doc["ModelApprovalStatus"] = status
                doc.setdefault("_ApprovalHistory", []).append(
                    {"ModelApprovalStatus": status, "Time": t, "Description": params.get("ApprovalDescription")}
                )
            for member in (
                "ApprovalDescription",
                "InferenceSpecification",
                "SourceUri",
                "ModelCard",
                "ModelLifeCycle",
                "ModelPackageRegistrationType",
            ):
                if member in params:
                    doc[member] = params[member]
            if "CustomerMetadataProperties" in params or to_remove:
                merged = {**doc.get("CustomerMetadataProperties", {}), **params.get("CustomerMetadataProperties", {})}
                for key in to_remove:
                    merged.pop(key, None)
                doc["CustomerMetadataProperties"] = merged
            if params.get("AdditionalInferenceSpecificationsToAdd"):
                doc["AdditionalInferenceSpecifications"] = (
                    doc.get("AdditionalInferenceSpecifications", []) + params["AdditionalInferenceSpecificationsToAdd"]
                )
            self._touch(doc, t)
            self._save(db, kind, doc)
        return {"ModelPackageArn": doc["ModelPackageArn"]}

    def batch_describe_model_package(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """BatchDescribeModelPackage: summaries by ARN, and an error entry per ARN that is not found."""
        kind = KINDS["ModelPackage"]
        summary_shape = operation.output_shape.members["ModelPackageSummaries"].value
        summaries: dict[str, Any] = {}
        errors: dict[str, Any] = {}
        for arn in params["ModelPackageArnList"]:
            doc = self.find(self.store, kind, arn)
            if doc is None:
                errors[arn] = {
                    "ErrorCode": "ValidationException",
                    "ErrorResponse": kind.message(kind.not_found, arn, arn),
                }
                continue
            summaries[arn] = {k: doc[k] for k in summary_shape.members if k in doc}
        out: dict[str, Any] = {"ModelPackageSummaries": summaries}
        if errors:
            out["BatchDescribeModelPackageErrorMap"] = errors
        return out

    # --- lineage: artifacts and associations -----------------------------------------------------------------

    def _artifact_by_source(self, db: res.Reader, source: dict[str, Any]) -> Optional[dict[str, Any]]:
        """The artifact with exactly this source (URI and source ids), or None."""
        wanted = _source_key(source)
        for doc in res.load_all(db, "Artifact"):
            if _source_key(doc["Source"]) == wanted:
                return doc
        return None

    def create_artifact(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """CreateArtifact. An artifact's ARN carries a generated id; one artifact per source, as in AWS (the
        SageMaker Python SDK treats the "already exists" error as "reuse it")."""
        kind = KINDS["Artifact"]
        with self.store.transaction() as db:
            existing = self._artifact_by_source(db, params["Source"])
            if existing is not None:
                raise ServiceError(
                    "ValidationException",
                    f"Artifact {existing['ArtifactArn']} already exists with source "
                    f"{params['Source']['SourceUri']} and the same source ids.",
                )
            artifact_id = uuid.uuid4().hex
            doc = self._new_doc(kind, artifact_id, params, _now())
            doc.pop("ArtifactName")
            if "ArtifactName" in params:
                doc["ArtifactName"] = params["ArtifactName"]
            res.save(db, kind.kind, artifact_id, doc["ArtifactArn"], doc)
        return {"ArtifactArn": doc["ArtifactArn"]}

    def describe_artifact(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """DescribeArtifact by ARN."""
        kind = KINDS["Artifact"]
        doc = self.require(self.store, kind, params["ArtifactArn"], operation)
        members = self._describe_members(kind)
        return {k: v for k, v in doc.items() if k in members}

    def list_artifacts(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """ListArtifacts, optionally of one source URI and/or one artifact type."""
        kind = KINDS["Artifact"]
        docs = res.load_all(self.store, kind.kind)
        if "SourceUri" in params:
            docs = [d for d in docs if d["Source"]["SourceUri"] == params["SourceUri"]]
        if "ArtifactType" in params:
            docs = [d for d in docs if d.get("ArtifactType") == params["ArtifactType"]]
        return self._listing(kind, params, operation, docs, name_of=lambda d: d["ArtifactArn"])

    def update_artifact(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """UpdateArtifact: name, Properties merged, PropertiesToRemove removed."""
        kind = KINDS["Artifact"]
        both = set(params.get("Properties", {})) & set(params.get("PropertiesToRemove", []))
        if both:
            raise ServiceError(
                "ValidationException",
                f"Properties and PropertiesToRemove both name {', '.join(sorted(both))}; a key can be set or "
                "removed, not both.",
            )
        with self.store.transaction() as db:
            doc = self.require(db, kind, params["ArtifactArn"], operation)
            if "ArtifactName" in params:
                doc["ArtifactName"] = params["ArtifactName"]
            properties = {**doc.get("Properties", {}), **params.get("Properties", {})}
            for key in params.get("PropertiesToRemove", []):
                properties.pop(key, None)
            if properties or "Properties" in doc:
                doc["Properties"] = properties
            self._touch(doc, _now())
            self._save(db, kind, doc)
        return {"ArtifactArn": doc["ArtifactArn"]}

    def delete_artifact(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """DeleteArtifact by ARN or by source; its associations go with it."""
        kind = KINDS["Artifact"]
        if "ArtifactArn" not in params and "Source" not in params:
            raise ServiceError("ValidationException", "DeleteArtifact needs an ArtifactArn or a Source.")
        with self.store.transaction() as db:
            if "ArtifactArn" in params:
                doc = self.require(db, kind, params["ArtifactArn"], operation)
            else:
                found = self._artifact_by_source(db, params["Source"])
                if found is None:
                    raise ServiceError(
                        "ResourceNotFound", f"No artifact has the source {params['Source']['SourceUri']}."
                    )
                doc = found
            res.delete(db, kind.kind, self._stored_name(kind, doc))
            res.delete_associations(db, doc["ArtifactArn"])
        return {"ArtifactArn": doc["ArtifactArn"]}

    def _lineage_entity(self, db: res.Reader, arn: str) -> tuple[str, dict[str, Any]]:
        """``(kind, doc)`` of an artifact or trial component by ARN; else the error AWS gives."""
        found = res.load_by_arn(db, arn)
        if found is None:
            raise ServiceError("ResourceNotFound", f"Resource {arn} does not exist.")
        if found[0] not in LINEAGE_KINDS:
            raise ServiceError(
                "ValidationException",
                f"Resource {arn} is a {found[0]}; the local backend associates only artifacts and trial components.",
            )
        return found

    def add_association(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """AddAssociation between two lineage entities (an existing edge is a ValidationException, as in AWS)."""
        with self.store.transaction() as db:
            source_kind, source = self._lineage_entity(db, params["SourceArn"])
            dest_kind, dest = self._lineage_entity(db, params["DestinationArn"])
            source_arn = source[KINDS[source_kind].arn_member]
            dest_arn = dest[KINDS[dest_kind].arn_member]
            inserted = db.execute(
                "INSERT OR IGNORE INTO sm_lineage_associations(source_arn, destination_arn, association_type, created)"
                " VALUES (?, ?, ?, ?)",
                (source_arn.lower(), dest_arn.lower(), params.get("AssociationType"), _now()),
            ).rowcount
            if not inserted:
                raise ServiceError(
                    "ValidationException", f"The association from {source_arn} to {dest_arn} already exists."
                )
        return {"SourceArn": source_arn, "DestinationArn": dest_arn}

    def list_associations(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """ListAssociations with every filter the operation declares; entities described by type and name."""
        rows = self.store.query(
            "SELECT source_arn, destination_arn, association_type, created FROM sm_lineage_associations"
        )
        entities: dict[str, tuple[str, str, Optional[str]]] = {}

        def entity(arn: str) -> tuple[str, str, Optional[str]]:
            # (ARN as stored in the document, type, name) of one end of an edge.
            if arn not in entities:
                found = res.load_by_arn(self.store, arn)
                if found is None:
                    entities[arn] = (arn, "", None)
                elif found[0] == "Artifact":
                    doc = found[1]
                    entities[arn] = (doc["ArtifactArn"], doc.get("ArtifactType", ""), doc.get("ArtifactName"))
                else:
                    doc = found[1]
                    entities[arn] = (doc["TrialComponentArn"], "TrialComponent", doc["TrialComponentName"])
            return entities[arn]

        summaries = []
        for source_arn, dest_arn, association_type, created in rows:
            source, dest = entity(source_arn), entity(dest_arn)
            summary = {
                "SourceArn": source[0],
                "DestinationArn": dest[0],
                "SourceType": source[1],
                "DestinationType": dest[1],
                "AssociationType": association_type,
                "SourceName": source[2],
                "DestinationName": dest[2],
                "CreationTime": created,
                "CreatedBy": {},
            }
            summaries.append({k: v for k, v in summary.items() if v is not None})
        for member in ("SourceArn", "DestinationArn"):
            if member in params:
                summaries = [s for s in summaries if s[member].lower() == params[member].lower()]
        for member in ("SourceType", "DestinationType", "AssociationType"):
            if member in params:
                summaries = [s for s in summaries if s.get(member) == params[member]]
        if "CreatedAfter" in params:
            summaries = [s for s in summaries if s["CreationTime"] > params["CreatedAfter"]]
        if "CreatedBefore" in params:
            summaries = [s for s in summaries if s["CreationTime"] < params["CreatedBefore"]]
        sort_by = params.get("SortBy", "CreationTime")
        # Ties fall back to the edge itself so pages never overlap or skip.
        summaries.sort(key=lambda s: (s.get(sort_by) or "", s["SourceArn"], s["DestinationArn"]))
        if params.get("SortOrder", "Descending") == "Descending":
            summaries.reverse()
        page, token = _page(summaries, params, operation.name, default_size=10)
        out: dict[str, Any] = {"AssociationSummaries": page}
        if token:
            out["NextToken"] = token
        return out

    def delete_association(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """DeleteAssociation (ARNs compared case-insensitively)."""
        source_arn, dest_arn = params["SourceArn"], params["DestinationArn"]
        with self.store.transaction() as db:
            gone = db.execute(
                "DELETE FROM sm_lineage_associations WHERE source_arn = ? AND destination_arn = ?",
                (source_arn.lower(), dest_arn.lower()),
            ).rowcount
        if not gone:
            raise ServiceError("ResourceNotFound", f"There is no association from {source_arn} to {dest_arn}.")
        return {"SourceArn": source_arn, "DestinationArn": dest_arn}

    # --- tags ------------------------------------------------------------------------------------------------

    def _tagged(self, db: res.Reader, arn: str) -> tuple[Kind, dict[str, Any]]:
        found = res.load_by_arn(db, arn)
        if found is None:
            raise ServiceError("ValidationException", f"Resource {arn} does not exist.")
        return KINDS[found[0]], found[1]

    def add_tags(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """AddTags: set tags on any stored resource (same key: new value)."""
        with self.store.transaction() as db:
            kind, doc = self._tagged(db, params["ResourceArn"])
            tags = _merge_tags(doc.get("Tags", []), params["Tags"])
            if len(tags) > MAX_TAGS:
                raise ServiceError(
                    "ValidationException",
                    f"A resource can have at most {MAX_TAGS} tags; this request would give it {len(tags)}.",
                )
            doc["Tags"] = tags
            self._save(db, kind, doc)
        return {"Tags": params["Tags"]}

    def list_tags(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """ListTags of a stored resource, paged."""
        _, doc = self._tagged(self.store, params["ResourceArn"])
        page, token = _page(doc.get("Tags", []), params, operation.name, default_size=MAX_TAGS)
        out: dict[str, Any] = {"Tags": page}
        if token:
            out["NextToken"] = token
        return out

    def delete_tags(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """DeleteTags: remove tags by key (keys that are not set are ignored, as in AWS)."""
        with self.store.transaction() as db:
            kind, doc = self._tagged(db, params["ResourceArn"])
            drop = set(params["TagKeys"])
            doc["Tags"] = [t for t in doc.get("Tags", []) if t["Key"] not in drop]
            self._save(db, kind, doc)
        return {}

    # --- search -------------------------------------------------------------------------------------------------

    def search(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """Search, answered by ``search.py`` over the same store."""
        try:
            from .search import search
        except ModuleNotFoundError as exc:
            if exc.name != f"{__package__}.search":
                raise
            raise ServiceError(
                "NotImplemented", "SageMaker operation Search is not implemented in local mode yet."
            ) from None
        from .search import LIFECYCLE_RESOURCES, RESOURCES

        if params.get("Resource") in LIFECYCLE_RESOURCES:
            # Status changes that fell due (an endpoint gone InService or deleted, a job's trial component
            # completed) are stored before searching.
            self.settle_pending(KINDS[RESOURCES[params["Resource"]][0]])
        return search(self.store, params, self.info)


def _source_key(source: dict[str, Any]) -> tuple[str, tuple[tuple[str, str], ...]]:
    """What identifies an artifact's source: its URI and its source ids in any order."""
    ids = sorted((t.get("SourceIdType", ""), t.get("Value", "")) for t in source.get("SourceTypes", []))
    return source["SourceUri"], tuple(ids)


def _merge_tags(existing: list[dict[str, str]], new: list[dict[str, str]]) -> list[dict[str, str]]:
    """Tags with ``new`` applied: a key keeps its place and takes the newest value."""
    merged = {t["Key"]: t.get("Value", "") for t in existing}
    for tag in new:
        merged[tag["Key"]] = tag.get("Value", "")
    return [{"Key": k, "Value": v} for k, v in merged.items()]


def _page(
    items: list[Any], params: dict[str, Any], operation: str, default_size: int
) -> tuple[list[Any], Optional[str]]:
    """One page of ``items`` and the NextToken of the next page (None on the last page).

    The token is opaque to clients; it carries the offset and a fingerprint of the request's filters so a token
    is only accepted with the request it came from.
    """
    filters = {k: v for k, v in params.items() if k not in ("NextToken", "MaxResults")}
    fingerprint = hashlib.sha256(json.dumps([operation, filters], sort_keys=True, default=str).encode()).hexdigest()[
        :16
    ]
    offset = 0
    token = params.get("NextToken")
    if token:
        try:
            data = json.loads(base64.urlsafe_b64decode(token.encode() + b"=" * (-len(token) % 4)))
            offset = int(data["o"])
            if data["f"] != fingerprint or offset < 0:
                raise ValueError("token of another request")
        except (ValueError, KeyError, TypeError):
            raise ServiceError(
                "ValidationException",
                "The NextToken is not valid for this request; repeat the request without NextToken to start over.",
            ) from None
    size = params.get("MaxResults", default_size)
    page = items[offset : offset + size]
    if offset + size >= len(items):
        return page, None
    raw = json.dumps({"o": offset + size, "f": fingerprint}).encode()
    return page, base64.urlsafe_b64encode(raw).decode().rstrip("=")
