"""Where requests go and with which credentials: AWS (botocore's chain) or the local backend.

The proxy asks this object for an upstream URL and signing credentials; nothing in a browser request can
change either. Switching region or profile happens here, on the server, through the connection route.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Optional

import botocore.exceptions
import botocore.session
from botocore.credentials import ReadOnlyCredentials

from .config import SageMakerStudio
from .local import LocalBackend

log = logging.getLogger(__name__)

#: botocore service names of the proxy's URL segment where they differ (the metrics API has its own model).
BOTOCORE_SERVICE = {"sagemaker-metrics": "sagemaker-metrics"}


@dataclass(frozen=True)
class Upstream:
    """Resolved destination and signing parameters of one proxied request."""

    base_url: str  # scheme://host[:port][/prefix], no trailing slash
    signing_name: str
    region: str
    credentials: ReadOnlyCredentials


class ConnectionError_(RuntimeError):
    """A request cannot be sent (no credentials, unknown region …); the message is for the user."""


class Connection:
    """The server's single source of truth for mode, region, profile and credentials."""

    def __init__(self, config: SageMakerStudio, local: Optional[LocalBackend] = None) -> None:
        self.config = config
        self.local = local
        self.profile: Optional[str] = config.profile or os.environ.get("AWS_PROFILE") or None
        self._session = self._new_session()
        # In local mode the backend's region is the only one its ARNs and kernels use, so the panels use it too.
        default_region = local.region if local is not None else self._profile_region()
        self.region: str = config.region or default_region or "us-east-1"
        self._endpoint_cache: dict[tuple[str, str], str] = {}
        self._signing_cache: dict[str, str] = {}

    @property
    def mode(self) -> str:
        """``local`` or ``aws``."""
        return "local" if self.local is not None else "aws"

    def _profile_region(self) -> Optional[str]:
        """``AWS_REGION``, else botocore's region (``AWS_DEFAULT_REGION``, the profile's), else None."""
        # botocore reads only AWS_DEFAULT_REGION; AWS_REGION is what the AWS CLI v2 and the other SDKs read first.
        if os.environ.get("AWS_REGION"):
            return os.environ["AWS_REGION"]
        try:
            return self._session.get_config_variable("region")
        except botocore.exceptions.ProfileNotFound:
            # Start anyway: the proxy then answers every request with a sentence naming the missing profile.
            log.warning("SageMaker Studio: the AWS profile '%s' does not exist in the AWS config files.", self.profile)
            return None

    def _new_session(self) -> botocore.session.Session:
        session = botocore.session.get_session()
        if self.profile:
            session.set_config_variable("profile", self.profile)
        return session

    @staticmethod
    def aws_credentials_available(profile: Optional[str] = None) -> bool:
        """Whether botocore's chain finds credentials (used by ``mode = auto``)."""
        session = botocore.session.get_session()
        if profile:
            session.set_config_variable("profile", profile)
        try:
            return session.get_credentials() is not None
        except Exception:  # a broken profile counts as "no credentials"
            return False

    def switch(self, region: Optional[str] = None, profile: Optional[str] = None) -> None:
        """Change region and/or profile (AWS mode) for subsequent requests; on bad input nothing changes."""
        # Validate everything before changing anything, so a refused request leaves the connection as it was.
        if profile is not None:
            if self.mode != "aws":
                raise ConnectionError_("Local mode has no AWS profiles; start JupyterLab in AWS mode to use one.")
            if profile not in self._session.available_profiles:
                raise ConnectionError_(f"There is no AWS profile named '{profile}' in the AWS config files.")
        if region is not None and region not in self.available_regions():
            raise ConnectionError_(f"'{region}' is not a SageMaker region.")
        if profile is not None:
            self.profile = profile
            self._session = self._new_session()
            self._endpoint_cache.clear()
        if region is not None:
            self.region = region

    def available_regions(self) -> list[str]:
        """Regions where SageMaker is offered (botocore's partition data)."""
        regions = self._session.get_available_regions("sagemaker")
        return sorted(set(regions) | {self.region})

    def profiles(self) -> list[str]:
        """Profiles defined in the user's AWS config files."""
        return sorted(self._session.available_profiles)

    def credentials(self) -> ReadOnlyCredentials:
        """Current signing credentials (refreshed by botocore when they are about to expire)."""
        if self.local is not None:
            c = self.local.credentials
            return ReadOnlyCredentials(c.access_key, c.secret_key, None)
        creds = self._session.get_credentials()
        if creds is None:
            raise ConnectionError_(
                "No AWS credentials were found. Configure a profile (aws configure or aws sso login) "
                "or start JupyterLab in local mode."
            )
        return creds.get_frozen_credentials()

    def upstream(self, service: str, region: str) -> Upstream:
        """Destination and signing parameters for ``service`` in ``region``, resolved on the server only."""
        override = self.config.endpoint_overrides.get(service) or _env_endpoint(service)
        if self.local is not None:
            base = self.local.endpoint_url
        elif override:
            base = override
        else:
            key = (service, region)
            if key not in self._endpoint_cache:
                client = self._session.create_client(BOTOCORE_SERVICE.get(service, service), region_name=region)
                self._endpoint_cache[key] = client.meta.endpoint_url
            base = self._endpoint_cache[key]
        return Upstream(base.rstrip("/"), self.signing_name(service), region, self.credentials())

    def signing_name(self, service: str) -> str:
        """SigV4 signing name of a service, from botocore's service model."""
        if service not in self._signing_cache:
            model = self._session.get_service_model(BOTOCORE_SERVICE.get(service, service))
            self._signing_cache[service] = model.signing_name or model.endpoint_prefix
        return self._signing_cache[service]

    def account_hint(self) -> Optional[str]:
        """Account id when known without a network call (local mode)."""
        return self.local.account_id if self.local is not None else None


def _env_endpoint(service: str) -> Optional[str]:
    """The standard ``AWS_ENDPOINT_URL_<SERVICE>`` / ``AWS_ENDPOINT_URL`` overrides."""
    specific = "AWS_ENDPOINT_URL_" + service.upper().replace("-", "_").replace(" ", "_")
    return os.environ.get(specific) or os.environ.get("AWS_ENDPOINT_URL") or None
