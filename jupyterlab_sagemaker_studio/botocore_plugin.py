"""A botocore client plugin for kernels in local mode: every AWS client talks to the local backend.

Kernels in local mode get ``AWS_ENDPOINT_URL`` (the local backend) and the backend's own keys. botocore prefers
an endpoint passed to ``client(..., endpoint_url=...)`` over that variable, and some libraries pass AWS's own
endpoint explicitly: the SageMaker Python SDK creates its STS client with
``endpoint_url="https://sts.<region>.amazonaws.com"`` in ``default_bucket()``, ``get_execution_role()`` and
``Session.account_id()``. With local keys such a call can only fail (or hang without a network), and it would
send a signed request to AWS. botocore imports the modules named in ``BOTOCORE_EXPERIMENTAL__PLUGINS``
(``name=module,...``) for every client it creates; this one sends requests whose endpoint is an AWS host to the
local backend instead. It does nothing unless ``SAGEMAKER_STUDIO_MODE`` is ``local`` and ``AWS_ENDPOINT_URL`` is
set, and endpoints that are not AWS hosts (a user's own proxy, MinIO, ...) are left alone.

The plugin is enabled by the kernel environment the local backend hands out (``LocalBackend.kernel_env()``).
botocore versions without plugin support simply ignore the variable.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

#: The variable botocore reads, and the entry that names this plugin in it.
PLUGINS_ENV = "BOTOCORE_EXPERIMENTAL__PLUGINS"
PLUGIN_ENTRY = "sagemaker_studio_local=jupyterlab_sagemaker_studio.botocore_plugin"
#: Host suffixes of AWS's public endpoints (commercial, China, dual-stack).
AWS_HOST_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws")
#: The endpoint built-in of botocore's endpoint rule sets (what ``endpoint_url`` becomes).
ENDPOINT_BUILTIN = "SDK::Endpoint"


def local_endpoint() -> str | None:
    """The local backend's URL when this process is a local-mode kernel, else None."""
    if os.environ.get("SAGEMAKER_STUDIO_MODE") != "local":
        return None
    return os.environ.get("AWS_ENDPOINT_URL") or None


def is_aws_endpoint(url: str) -> bool:
    """True when a URL points at one of AWS's public endpoints."""
    host = (urlsplit(url).hostname or "").lower()
    return host.endswith(AWS_HOST_SUFFIXES)


def initialize_client_plugin(client: Any) -> None:
    """botocore's plugin entry point, called once for each new client."""
    target = local_endpoint()
    if target is None:
        return

    def redirect(builtins: dict[str, Any], **_: Any) -> None:
        # Called before each request's endpoint is resolved; botocore expects the dict to be changed in place.
        endpoint = builtins.get(ENDPOINT_BUILTIN)
        if endpoint and is_aws_endpoint(endpoint):
            builtins[ENDPOINT_BUILTIN] = target

    client.meta.events.register("before-endpoint-resolution", redirect, unique_id="sagemaker-studio-local-endpoint")


def plugins_value(existing: str | None) -> str:
    """``BOTOCORE_EXPERIMENTAL__PLUGINS`` with this plugin added to what the environment already names.

    ``DISABLED`` (botocore's switch that turns every plugin off) is the user's choice and is kept as it is.
    """
    if (existing or "").strip() == "DISABLED":
        return "DISABLED"
    entries = [e.strip() for e in (existing or "").split(",") if e.strip()]
    if PLUGIN_ENTRY not in entries:
        entries.append(PLUGIN_ENTRY)
    return ",".join(entries)
