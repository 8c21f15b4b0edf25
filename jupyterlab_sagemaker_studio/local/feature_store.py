"""Feature groups in the local backend: CreateFeatureGroup, DescribeFeatureGroup, ListFeatureGroups,
DeleteFeatureGroup (``Creating`` -> ``Created``, ``Deleting`` -> gone, after the lifecycle delay).

The group's definition is checked as AWS checks it (the record identifier and event time features must be
defined, names unique and not reserved, the event time a String or Fractional feature). No records are stored:
the Feature Store runtime is not served in local mode.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from botocore.model import OperationModel

from . import lifecycle
from .protocol import ServiceError
from .sagemaker import Kind, _now

if TYPE_CHECKING:
    from .sagemaker import SageMakerService

KINDS = (
    Kind(
        "FeatureGroup",
        "FeatureGroupName",
        "FeatureGroupArn",
        "feature-group",
        "DescribeFeatureGroup",
        "ListFeatureGroups",
        "FeatureGroupSummaries",
        not_found="Resource Not Found: Amazon SageMaker can't find a FeatureGroup with name {name}",
        exists="Resource Already Exists: FeatureGroup with name {name} already exists. Choose a different name.",
        status_member="FeatureGroupStatus",
        exists_code="ResourceInUse",
    ),
)
FEATURE_GROUP = KINDS[0]

#: Feature names the offline store adds to every record, so a group may not define them.
RESERVED_FEATURE_NAMES = ("is_deleted", "write_time", "api_invocation_time")


def check_definition(params: dict[str, Any]) -> None:
    """Refuse a feature group definition AWS would refuse, with a sentence naming the problem."""
    types: dict[str, str] = {}
    for feature in params["FeatureDefinitions"]:
        name = feature["FeatureName"]
        if name.lower() in types:
            raise ServiceError("ValidationException", f"The feature name {name} is defined more than once.")
        if name.lower() in RESERVED_FEATURE_NAMES:
            raise ServiceError(
                "ValidationException",
                f"The feature name {name} is reserved ({', '.join(RESERVED_FEATURE_NAMES)} are added by the "
                "offline store); choose another name.",
            )
        types[name.lower()] = feature.get("FeatureType", "")
    for member in ("RecordIdentifierFeatureName", "EventTimeFeatureName"):
        if params[member].lower() not in types:
            raise ServiceError(
                "ValidationException",
                f"{member} {params[member]} is not one of the FeatureDefinitions; define it as a feature.",
            )
    event_type = types[params["EventTimeFeatureName"].lower()]
    if event_type not in ("String", "Fractional"):
        raise ServiceError(
            "ValidationException",
            f"The event time feature {params['EventTimeFeatureName']} has type {event_type or 'none'}; it must be "
            "String (ISO 8601) or Fractional (seconds since the epoch).",
        )
    if "OfflineStoreConfig" in params and "RoleArn" not in params:
        raise ServiceError("ValidationException", "A RoleArn is required when an OfflineStoreConfig is given.")
    online = params.get("OnlineStoreConfig", {}).get("EnableOnlineStore", False)
    if not online and "OfflineStoreConfig" not in params:
        raise ServiceError(
            "ValidationException",
            "A feature group needs an online store (OnlineStoreConfig.EnableOnlineStore) or an offline store "
            "(OfflineStoreConfig), or both.",
        )


class Operations:
    """The feature group operations, on the SageMaker service's store and helpers."""

    def __init__(self, sm: "SageMakerService") -> None:
        self.sm = sm

    def operations(self) -> dict[str, Callable[[dict[str, Any], OperationModel], dict[str, Any]]]:
        """Operation name -> handler."""
        return {
            "CreateFeatureGroup": self.create_feature_group,
            "DescribeFeatureGroup": self.sm.describe,
            "ListFeatureGroups": self.list_feature_groups,
            "DeleteFeatureGroup": self.delete_feature_group,
        }

    def create_feature_group(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """CreateFeatureGroup: Creating now, Created (offline store Active) after the lifecycle delay."""
        check_definition(params)
        name = params["FeatureGroupName"]
        t = _now()
        info = self.sm.info
        doc = self.sm._new_doc(FEATURE_GROUP, name, params, t)
        doc["ThroughputConfig"] = params.get("ThroughputConfig", {"ThroughputMode": "OnDemand"})
        changes: dict[str, Any] = {}
        offline = params.get("OfflineStoreConfig")
        if offline is not None:
            # Where AWS writes the offline store: under the given URI, by account, region and group.
            stamp = int(t)
            s3 = dict(offline["S3StorageConfig"])
            s3["ResolvedOutputS3Uri"] = (
                f"{s3['S3Uri'].rstrip('/')}/{info.account_id}/sagemaker/{info.region}/offline-store/{name}-{stamp}/data"
            )
            offline = {**offline, "S3StorageConfig": s3}
            if not offline.get("DisableGlueTableCreation", False) and "DataCatalogConfig" not in offline:
                offline["DataCatalogConfig"] = {
                    "TableName": f"{name.replace('-', '_').lower()}_{stamp}",
                    "Catalog": "AwsDataCatalog",
                    "Database": "sagemaker_featurestore",
                }
            offline.setdefault("TableFormat", "Glue")
            doc["OfflineStoreConfig"] = offline
            changes["OfflineStoreStatus"] = {"Status": "Active"}
        lifecycle.begin(doc, "FeatureGroupStatus", "Creating", t, "Created", changes)
        with self.sm.store.transaction() as db:
            self.sm._insert(FEATURE_GROUP, name, doc, db)
        return {"FeatureGroupArn": doc["FeatureGroupArn"]}

    def list_feature_groups(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """ListFeatureGroups with the status filters, NameContains, creation-time filters, sorting and paging."""
        docs = self.sm.settled_all(FEATURE_GROUP)
        if "FeatureGroupStatusEquals" in params:
            docs = [d for d in docs if d["FeatureGroupStatus"] == params["FeatureGroupStatusEquals"]]
        if "OfflineStoreStatusEquals" in params:
            wanted = params["OfflineStoreStatusEquals"]
            docs = [d for d in docs if d.get("OfflineStoreStatus", {}).get("Status") == wanted]
        return self.sm._listing(FEATURE_GROUP, params, operation, docs)

    def delete_feature_group(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """DeleteFeatureGroup: Deleting now, gone after the delay; refused while the group is being created."""
        found = self.sm.require(self.sm.store, FEATURE_GROUP, params["FeatureGroupName"], operation)
        if self.sm.settled(FEATURE_GROUP, found) is None:
            raise self.sm.not_found(FEATURE_GROUP, params["FeatureGroupName"], operation)
        with self.sm.store.transaction() as db:
            doc = self.sm.require(db, FEATURE_GROUP, params["FeatureGroupName"], operation)
            status = doc["FeatureGroupStatus"]
            if status == "Creating":
                raise ServiceError(
                    "ResourceInUse",
                    f"Feature group {doc['FeatureGroupName']} is still being created; delete it once it is Created.",
                )
            if status != "Deleting":
                lifecycle.begin(doc, "FeatureGroupStatus", "Deleting", _now(), None)
                self.sm._save(db, FEATURE_GROUP, doc)
        return {}
