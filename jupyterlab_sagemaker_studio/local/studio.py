"""SageMaker Studio domains, user profiles and apps in the local backend.

Nothing runs in local mode; these are records going through the statuses AWS shows, one lifecycle delay
(``SAGEMAKER_STUDIO_LOCAL_DELAY``) per change, stored with the record (``lifecycle.begin``) so they survive
restarts:

- domain and user profile: ``Pending`` -> ``InService``; ``Deleting`` -> gone. A domain is deleted only once its
  user profiles are, a user profile only once its apps are (``ResourceInUse``), as AWS requires.
- app: ``Pending`` -> ``InService``; ``Deleting`` -> ``Deleted``. Like AWS, a deleted app stays listed and
  describable with status ``Deleted`` for a while (here ``DELETED_APP_RETENTION`` seconds), and its name can be
  used again at once.

Apps belong to a user profile (``UserProfileName``); spaces are not modelled, so ``SpaceName`` is refused with a
sentence saying so. An app's ``ResourceSpec.InstanceType`` is the request's, else the user profile's or the
domain's default for that app type, else AWS's default (``system`` for JupyterServer, ``ml.t3.medium`` otherwise).
"""

from __future__ import annotations

import secrets
import string
from typing import TYPE_CHECKING, Any, Callable, Optional

from botocore.model import OperationModel

from . import lifecycle
from . import resources as res
from .protocol import ServiceError
from .sagemaker import Kind, _now

if TYPE_CHECKING:
    from .sagemaker import SageMakerService

KINDS = (
    Kind(
        "Domain",
        "DomainId",
        "DomainArn",
        "domain",
        "DescribeDomain",
        "ListDomains",
        "Domains",
        not_found="Domain {name} does not exist.",
        status_member="Status",
    ),
    # Stored as "<domain id>/<profile name>", which is also the tail of its ARN (user-profile/<domain>/<name>).
    Kind(
        "UserProfile",
        "UserProfileName",
        "UserProfileArn",
        "user-profile",
        "DescribeUserProfile",
        "ListUserProfiles",
        "UserProfiles",
        not_found="User profile {name} does not exist.",
        exists="User profile {name} already exists.",
        status_member="Status",
        exists_code="ResourceInUse",
    ),
    # Stored as "<domain id>/<profile name>/<app type, lower case>/<app name>", the tail of its ARN.
    Kind(
        "App",
        "AppName",
        "AppArn",
        "app",
        "DescribeApp",
        "ListApps",
        "Apps",
        not_found="App {name} does not exist.",
        exists="App {name} already exists.",
        status_member="Status",
        exists_code="ResourceInUse",
    ),
)
DOMAIN, USER_PROFILE, APP = KINDS

#: Seconds a deleted app stays listed with status Deleted (AWS keeps them for a while; a day here).
DELETED_APP_RETENTION = 24 * 3600.0
#: The first POSIX uid AWS gives a user profile's home directory on the domain's EFS volume.
FIRST_HOME_UID = 200001
#: Instance type of an app when neither the request nor the settings name one.
DEFAULT_INSTANCE_TYPE = {"JupyterServer": "system"}
FALLBACK_INSTANCE_TYPE = "ml.t3.medium"


def _random_id(prefix: str, length: int, alphabet: str = string.ascii_lowercase + string.digits) -> str:
    return prefix + "".join(secrets.choice(alphabet) for _ in range(length))


def profile_key(domain_id: str, profile: str) -> str:
    """The stored name of a user profile."""
    return f"{domain_id}/{profile}"


def app_key(domain_id: str, profile: str, app_type: str, app_name: str) -> str:
    """The stored name of an app (the app type lower-cased, as in its ARN)."""
    return f"{domain_id}/{profile}/{app_type.lower()}/{app_name}"


def default_resource_spec(app_type: str, *settings: Optional[dict[str, Any]]) -> dict[str, Any]:
    """The first ``<AppType>AppSettings.DefaultResourceSpec`` of ``settings`` with an instance type, else AWS's."""
    for source in settings:
        spec = ((source or {}).get(f"{app_type}AppSettings") or {}).get("DefaultResourceSpec") or {}
        if spec.get("InstanceType"):
            return dict(spec)
    return {"InstanceType": DEFAULT_INSTANCE_TYPE.get(app_type, FALLBACK_INSTANCE_TYPE)}


class Operations:
    """The Studio domain, user profile and app operations, on the SageMaker service's store and helpers."""

    def __init__(self, sm: "SageMakerService") -> None:
        self.sm = sm

    def operations(self) -> dict[str, Callable[[dict[str, Any], OperationModel], dict[str, Any]]]:
        """Operation name -> handler."""
        return {
            "CreateDomain": self.create_domain,
            "DescribeDomain": self.sm.describe,
            "ListDomains": self.list_domains,
            "DeleteDomain": self.delete_domain,
            "CreateUserProfile": self.create_user_profile,
            "DescribeUserProfile": self.describe_user_profile,
            "ListUserProfiles": self.list_user_profiles,
            "DeleteUserProfile": self.delete_user_profile,
            "CreateApp": self.create_app,
            "DescribeApp": self.describe_app,
            "ListApps": self.list_apps,
            "DeleteApp": self.delete_app,
        }

    # --- shared ------------------------------------------------------------------------------------------------

    def _describe(self, kind: Kind, doc: dict[str, Any]) -> dict[str, Any]:
        members = self.sm._describe_members(kind)
        return {k: v for k, v in doc.items() if k in members}

    def _live(self, kind: Kind, key: str, label: str, operation: OperationModel) -> dict[str, Any]:
        """The resource stored under ``key`` with its due status changes applied; else the not-found error."""
        doc = res.load(self.sm.store, kind.kind, key)
        settled = self.sm.settled(kind, doc) if doc is not None else None
        if settled is not None and kind is APP and self._expired(settled):
            with self.sm.store.transaction() as db:
                res.delete(db, APP.kind, key)
            settled = None
        if settled is None:
            raise self.sm.not_found(kind, label, operation)
        return settled

    def _expired(self, app: dict[str, Any]) -> bool:
        """Whether a deleted app has been kept long enough to drop."""
        return app["Status"] == "Deleted" and _now() - app["LastModifiedTime"] > DELETED_APP_RETENTION

    def _domain(self, domain_id: str, operation: OperationModel) -> dict[str, Any]:
        """A domain that exists and is not being deleted, for creating something in it."""
        domain = self._live(DOMAIN, domain_id, domain_id, operation)
        if domain["Status"] not in ("Pending", "InService"):
            raise ServiceError(
                "ResourceInUse", f"Domain {domain_id} is {domain['Status']}; nothing can be created in it."
            )
        return domain

    @staticmethod
    def _owner(params: dict[str, Any]) -> str:
        """The user profile an app request names (spaces are not modelled in local mode)."""
        if "SpaceName" in params:
            raise ServiceError(
                "ValidationException",
                "Spaces are not available in local mode; give the app's UserProfileName instead of SpaceName.",
            )
        if "UserProfileName" not in params:
            raise ServiceError("ValidationException", "Either UserProfileName or SpaceName must be given.")
        return params["UserProfileName"]

    # --- domains -------------------------------------------------------------------------------------------------

    def create_domain(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """CreateDomain: Pending now, InService after the lifecycle delay; a new ``d-…`` id and Studio URL."""
        t = _now()
        domain_id = _random_id("d-", 12)
        doc = self.sm._new_doc(DOMAIN, domain_id, params, t)
        doc["HomeEfsFileSystemId"] = _random_id("fs-", 17, "0123456789abcdef")
        doc["Url"] = f"https://{domain_id}.studio.{self.sm.info.region}.sagemaker.aws"
        doc.setdefault("AppNetworkAccessType", "PublicInternetOnly")
        doc["_NextHomeUid"] = FIRST_HOME_UID
        lifecycle.begin(doc, "Status", "Pending", t, "InService")
        with self.sm.store.transaction() as db:
            self.sm._insert(DOMAIN, domain_id, doc, db)
        return {"DomainArn": doc["DomainArn"], "DomainId": domain_id, "Url": doc["Url"]}

    def list_domains(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """ListDomains, oldest first, paged."""
        ordered = {"SortBy": "CreationTime", "SortOrder": "Ascending", **params}
        return self.sm._listing(DOMAIN, ordered, operation, self.sm.settled_all(DOMAIN))

    def delete_domain(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """DeleteDomain: Deleting now, gone after the delay; refused while it has user profiles."""
        domain_id = params["DomainId"]
        self._live(DOMAIN, domain_id, domain_id, operation)
        self.sm.settled_all(USER_PROFILE)  # profiles whose deletion completed are gone before the check below
        with self.sm.store.transaction() as db:
            doc = self.sm.require(db, DOMAIN, domain_id, operation)
            profiles = [p["UserProfileName"] for p in res.load_all(db, USER_PROFILE.kind) if p["DomainId"] == domain_id]
            if profiles:
                raise ServiceError(
                    "ResourceInUse",
                    f"Domain {domain_id} still has {len(profiles)} user profile(s) (e.g. '{profiles[0]}'); delete "
                    "its user profiles before deleting the domain.",
                )
            if doc["Status"] == "Pending":
                raise ServiceError(
                    "ResourceInUse", f"Domain {domain_id} is still being created; delete it once it is InService."
                )
            if doc["Status"] != "Deleting":
                lifecycle.begin(doc, "Status", "Deleting", _now(), None)
                self.sm._save(db, DOMAIN, doc)
        return {}

    # --- user profiles -------------------------------------------------------------------------------------------

    def create_user_profile(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """CreateUserProfile in an existing domain: Pending now, InService after the delay."""
        domain_id, name = params["DomainId"], params["UserProfileName"]
        self._domain(domain_id, operation)
        key = profile_key(domain_id, name)
        t = _now()
        with self.sm.store.transaction() as db:
            domain = self.sm.require(db, DOMAIN, domain_id, operation)
            doc = self.sm._new_doc(USER_PROFILE, key, params, t)
            doc.update(UserProfileName=name, DomainId=domain_id, _StoredName=key)
            # Each profile gets the next uid of its domain's home file system, never reused.
            uid = domain.get("_NextHomeUid", FIRST_HOME_UID)
            doc["HomeEfsFileSystemUid"] = str(uid)
            domain["_NextHomeUid"] = uid + 1
            lifecycle.begin(doc, "Status", "Pending", t, "InService")
            self.sm._insert(USER_PROFILE, key, doc, db)
            self.sm._save(db, DOMAIN, domain)
        return {"UserProfileArn": doc["UserProfileArn"]}

    def describe_user_profile(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """DescribeUserProfile by domain and name."""
        key = profile_key(params["DomainId"], params["UserProfileName"])
        return self._describe(USER_PROFILE, self._live(USER_PROFILE, key, key, operation))

    def list_user_profiles(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """ListUserProfiles with DomainIdEquals and UserProfileNameContains; oldest first by default."""
        docs = self.sm.settled_all(USER_PROFILE)
        if "DomainIdEquals" in params:
            docs = [d for d in docs if d["DomainId"] == params["DomainIdEquals"]]
        if "UserProfileNameContains" in params:
            needle = params["UserProfileNameContains"].lower()
            docs = [d for d in docs if needle in d["UserProfileName"].lower()]
        ordered = {"SortBy": "CreationTime", "SortOrder": "Ascending", **params}
        return self.sm._listing(USER_PROFILE, ordered, operation, docs, name_of=lambda d: d["_StoredName"])

    def delete_user_profile(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """DeleteUserProfile: Deleting now, gone after the delay; refused while it has apps that are not deleted."""
        domain_id, name = params["DomainId"], params["UserProfileName"]
        key = profile_key(domain_id, name)
        self._live(USER_PROFILE, key, key, operation)
        for app in res.load_all(self.sm.store, APP.kind):
            if app["DomainId"] == domain_id and app["UserProfileName"] == name:
                self.sm.settled(APP, app)
        with self.sm.store.transaction() as db:
            doc = self.sm.require(db, USER_PROFILE, key, operation)
            apps = [
                a for a in res.load_all(db, APP.kind) if a["DomainId"] == domain_id and a["UserProfileName"] == name
            ]
            running = [a for a in apps if a["Status"] not in ("Deleted", "Failed")]
            if running:
                raise ServiceError(
                    "ResourceInUse",
                    f"User profile {name} still has {len(running)} app(s) that are not deleted (e.g. "
                    f"{running[0]['AppType']} '{running[0]['AppName']}', {running[0]['Status']}); delete its apps "
                    "before deleting the user profile.",
                )
            if doc["Status"] == "Pending":
                raise ServiceError(
                    "ResourceInUse", f"User profile {name} is still being created; delete it once it is InService."
                )
            if doc["Status"] != "Deleting":
                # The profile's deleted and failed apps go with it.
                for app in apps:
                    res.delete(db, APP.kind, app["_StoredName"])
                lifecycle.begin(doc, "Status", "Deleting", _now(), None)
                self.sm._save(db, USER_PROFILE, doc)
        return {}

    # --- apps ----------------------------------------------------------------------------------------------------

    def create_app(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """CreateApp for a user profile: Pending now, InService after the delay; a deleted app's name is reused."""
        domain_id, app_type, app_name = params["DomainId"], params["AppType"], params["AppName"]
        owner = self._owner(params)
        domain = self._domain(domain_id, operation)
        profile = self._live(USER_PROFILE, profile_key(domain_id, owner), owner, operation)
        if profile["Status"] not in ("Pending", "InService"):
            raise ServiceError(
                "ResourceInUse", f"User profile {owner} is {profile['Status']}; no app can be created for it."
            )
        key = app_key(domain_id, owner, app_type, app_name)
        existing = res.load(self.sm.store, APP.kind, key)
        if existing is not None:
            self.sm.settled(APP, existing)
        t = _now()
        with self.sm.store.transaction() as db:
            current = res.load(db, APP.kind, key)
            if current is not None:
                if current["Status"] not in ("Deleted", "Failed"):
                    raise ServiceError(
                        "ResourceInUse",
                        f"App {app_type} '{app_name}' of user profile {owner} already exists ({current['Status']}); "
                        "delete it first or choose another name.",
                    )
                res.delete(db, APP.kind, key)
            doc = self.sm._new_doc(APP, key, params, t)
            doc.update(DomainId=domain_id, UserProfileName=owner, AppType=app_type, AppName=app_name, _StoredName=key)
            spec = dict(params.get("ResourceSpec") or {})
            if not spec.get("InstanceType"):
                settings = (profile.get("UserSettings"), domain.get("DefaultUserSettings"))
                spec = {**default_resource_spec(app_type, *settings), **spec}
            doc["ResourceSpec"] = spec
            # The app answers its first health check when it comes into service.
            ready = round(t + lifecycle.delay(), 3)
            changes = {"LastHealthCheckTimestamp": ready, "LastUserActivityTimestamp": ready}
            lifecycle.begin(doc, "Status", "Pending", t, "InService", changes)
            self.sm._insert(APP, key, doc, db)
        return {"AppArn": doc["AppArn"]}

    def describe_app(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """DescribeApp of a user profile's app (deleted apps are described, with status Deleted, for a while)."""
        owner = self._owner(params)
        key = app_key(params["DomainId"], owner, params["AppType"], params["AppName"])
        return self._describe(APP, self._live(APP, key, params["AppName"], operation))

    def list_apps(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """ListApps with DomainIdEquals and UserProfileNameEquals; oldest first by default; recent deletions kept."""
        if "UserProfileNameEquals" in params and "SpaceNameEquals" in params:
            raise ServiceError("ValidationException", "UserProfileNameEquals and SpaceNameEquals cannot both be given.")
        docs = [d for d in self.sm.settled_all(APP) if not self._expired(d)]
        if "DomainIdEquals" in params:
            docs = [d for d in docs if d["DomainId"] == params["DomainIdEquals"]]
        if "UserProfileNameEquals" in params:
            docs = [d for d in docs if d["UserProfileName"] == params["UserProfileNameEquals"]]
        if "SpaceNameEquals" in params:
            docs = []  # spaces are not modelled, so no app belongs to one
        ordered = {"SortBy": "CreationTime", "SortOrder": "Ascending", **params}
        return self.sm._listing(APP, ordered, operation, docs, name_of=lambda d: d["_StoredName"])

    def delete_app(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """DeleteApp: Deleting now, Deleted after the delay; refused while the app is still starting."""
        owner = self._owner(params)
        key = app_key(params["DomainId"], owner, params["AppType"], params["AppName"])
        self._live(APP, key, params["AppName"], operation)
        with self.sm.store.transaction() as db:
            doc = self.sm.require(db, APP, key, operation)
            status = doc["Status"]
            if status == "Deleted":
                raise ServiceError(
                    "ResourceNotFound", f"App {params['AppType']} '{params['AppName']}' has already been deleted."
                )
            if status == "Pending":
                raise ServiceError(
                    "ResourceInUse",
                    f"App {params['AppType']} '{params['AppName']}' is still starting (Pending); delete it once it "
                    "is InService.",
                )
            if status != "Deleting":
                lifecycle.begin(doc, "Status", "Deleting", _now(), "Deleted")
                self.sm._save(db, APP, doc)
        return {}
