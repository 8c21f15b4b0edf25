"""Server extension wiring: configuration → connection (AWS or local backend) → routes and kernel environment."""

from __future__ import annotations

import threading
from typing import Any

from .config import SageMakerStudio
from .connection import Connection
from .handlers import setup_handlers
from .local import LocalBackend


def load(server_app: Any) -> None:
    """Set the suite up inside a running Jupyter server."""
    config = SageMakerStudio(parent=server_app)
    log = server_app.log
    use_local = config.mode == "local" or (
        config.mode == "auto" and not Connection.aws_credentials_available(config.profile)
    )
    local = None
    if use_local:
        local = LocalBackend(config.data_dir, region=config.region or "us-east-1", account_id=config.local_account_id)
        local.start(config.local_port)
        _give_kernels_local_env(server_app, local)
        log.info("SageMaker Studio: local mode, backend on %s, data in %s", local.endpoint_url, config.data_dir)
        if config.demo_content:
            _create_demo_content_once(local, log)
    connection = Connection(config, local)
    if local is None:
        log.info("SageMaker Studio: AWS mode, region %s, profile %s", connection.region, connection.profile)
    server_app.web_app.settings["sagemaker_studio_connection"] = connection
    setup_handlers(server_app.web_app, connection)


def _give_kernels_local_env(server_app: Any, local: LocalBackend) -> None:
    """Make kernels started by this server use the local backend (boto3 and the SageMaker SDK, unchanged)."""
    km = server_app.kernel_manager
    original = km.start_kernel
    extra = local.kernel_env()

    async def start_kernel(*args: Any, **kwargs: Any) -> Any:
        import os

        env = dict(kwargs.get("env") or os.environ)
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
            env.pop(name, None)
        env.update(extra)
        kwargs["env"] = env
        return await original(*args, **kwargs)

    km.start_kernel = start_kernel


def _create_demo_content_once(local: LocalBackend, log: Any) -> None:
    """Run the demo content script when a data directory has none yet, or content of an older version."""
    from .demo import CONTENT_VERSION

    marker = local.data_dir / "demo-content.done"
    done = marker.read_text().strip() if marker.exists() else ""
    if done == f"version {CONTENT_VERSION}":
        return

    def run() -> None:
        from .demo import create_demo_content

        try:
            create_demo_content(
                endpoint_url=local.endpoint_url,
                region=local.region,
                access_key=local.credentials.access_key,
                secret_key=local.credentials.secret_key,
                log=log.info,
            )
            marker.write_text(f"version {CONTENT_VERSION}\n")
        except Exception:  # the server keeps running; the user can run the demo command by hand
            log.exception("SageMaker Studio: creating the demo content failed")

    threading.Thread(target=run, name="sagemaker-studio-demo", daemon=True).start()
