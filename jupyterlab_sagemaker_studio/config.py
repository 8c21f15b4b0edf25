"""Server configuration for the SageMaker Studio suite (traitlets, ``c.SageMakerStudio.*``)."""

from __future__ import annotations

import os
from pathlib import Path

from jupyter_core.paths import jupyter_data_dir
from traitlets import Bool, Dict, Enum, Float, Int, List, Unicode, default
from traitlets.config import Configurable

#: Services the panels use (``sagemaker-runtime``: an endpoint tab's Test inference; ``service-quotas`` and
#: ``pricing``: the instance picker's quotas and prices; ``logs``: notebook jobs' logs).
DEFAULT_ALLOWED_SERVICES = [
    "sagemaker",
    "sagemaker-metrics",
    "sagemaker-runtime",
    "s3",
    "sts",
    "service-quotas",
    "pricing",
    "logs",
]


class SageMakerStudio(Configurable):
    """Settings of the signing proxy and the local backend.

    Example (``jupyter_server_config.py``)::

        c.SageMakerStudio.mode = "aws"
        c.SageMakerStudio.profile = "ml-team"
        c.SageMakerStudio.region = "eu-west-1"
        c.SageMakerStudio.read_only = True
    """

    mode = Enum(
        ["auto", "local", "aws"],
        default_value="auto",
        config=True,
        help=(
            "'aws' sends requests to AWS with botocore's credential chain; 'local' uses the embedded local "
            "backend; 'auto' uses AWS when botocore finds credentials and the local backend otherwise."
        ),
    )
    profile = Unicode(
        None, allow_none=True, config=True, help="AWS profile (default: AWS_PROFILE or botocore's default)."
    )
    region = Unicode(
        None,
        allow_none=True,
        config=True,
        help="AWS region (default: the profile's region, AWS_REGION, AWS_DEFAULT_REGION, else us-east-1).",
    )
    allowed_services = List(
        Unicode(),
        default_value=list(DEFAULT_ALLOWED_SERVICES),
        config=True,
        help="Services the proxy forwards; any other service name is refused.",
    )
    endpoint_overrides = Dict(
        value_trait=Unicode(),
        default_value={},
        config=True,
        help=(
            "Upstream endpoint per service, e.g. {'s3': 'https://s3.internal:9000'}. The standard "
            "AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> environment variables are honoured too. "
            "Only server configuration can change where a request goes; the request never can."
        ),
    )
    read_only = Bool(
        False,
        config=True,
        help="Only let read operations (Describe/List/Search/Get/BatchGet/Head) through the proxy.",
    )
    upstream_timeout = Float(60.0, config=True, help="Seconds before an upstream request is abandoned.")
    max_body_size = Int(
        64 * 1024 * 1024,
        config=True,
        help="Largest request body (bytes) the proxy forwards; larger bodies get HTTP 413.",
    )
    data_dir = Unicode(config=True, help="Directory of the local backend's state (SQLite database and files).")
    local_port = Int(0, config=True, help="Port of the local backend on 127.0.0.1 (0: any free port).")
    demo_content = Bool(True, config=True, help="Create the demo content the first time the local backend starts.")
    local_account_id = Unicode("123456789012", config=True, help="Account id the local backend reports.")

    @default("data_dir")
    def _default_data_dir(self) -> str:
        return os.environ.get("SAGEMAKER_STUDIO_DATA_DIR", str(Path(jupyter_data_dir()) / "sagemaker_studio" / "local"))
