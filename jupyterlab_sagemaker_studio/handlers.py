"""Routes of the server extension: the signing proxy, the connection settings, this machine's figures and the
notebook-job runner script (``GET sagemaker-studio/notebook-jobs/runner.py``)."""

from __future__ import annotations

import json
from typing import Any

import tornado
from jupyter_server.base.handlers import APIHandler, JupyterHandler
from jupyter_server.utils import url_path_join

from . import system
from .connection import Connection, ConnectionError_
from .notebook_jobs import RUNNER_PATH
from .proxy import ProxyHandler


class ConnectionHandler(APIHandler):
    """``GET``: mode, region, profile and choices; ``PUT {region?, profile?}``: switch them."""

    def initialize(self, connection: Connection) -> None:
        self.connection = connection

    def _state(self) -> dict[str, Any]:
        c = self.connection
        return {
            "mode": c.mode,
            "region": c.region,
            # An AWS_PROFILE in the environment means nothing in local mode; showing it would suggest otherwise.
            "profile": c.profile if c.mode == "aws" else None,
            "profiles": c.profiles() if c.mode == "aws" else [],
            "regions": c.available_regions(),
            "accountId": c.account_hint(),
            "readOnly": c.config.read_only,
            "services": list(c.config.allowed_services),
        }

    @tornado.web.authenticated
    def get(self) -> None:
        self.finish(json.dumps(self._state()))

    @tornado.web.authenticated
    def put(self) -> None:
        try:
            body = json.loads(self.request.body or b"{}")
            if not isinstance(body, dict):
                raise ValueError
        except ValueError:
            self.set_status(400)
            self.finish(json.dumps({"message": "The request body must be a JSON object."}))
            return
        unknown = sorted(set(body) - {"region", "profile"})
        if unknown:
            self.set_status(400)
            self.finish(json.dumps({"message": f"Only 'region' and 'profile' can be changed, not {unknown}."}))
            return
        region, profile = body.get("region"), body.get("profile")
        if (region is not None and not isinstance(region, str)) or (
            profile is not None and not isinstance(profile, str)
        ):
            self.set_status(400)
            self.finish(json.dumps({"message": "'region' and 'profile' must be strings."}))
            return
        try:
            self.connection.switch(region=region, profile=profile)
        except ConnectionError_ as err:
            self.set_status(400)
            self.finish(json.dumps({"message": str(err)}))
            return
        self.finish(json.dumps(self._state()))


class SystemHandler(APIHandler):
    """``GET [?kernel=<id>]``: this machine's CPUs, memory and GPUs and their use (the kernel bar's figures)."""

    @tornado.web.authenticated
    async def get(self) -> None:
        kernel_id = self.get_query_argument("kernel", None)
        pid = None
        if kernel_id:
            km = self.settings["kernel_manager"]
            if kernel_id not in km:
                self.set_status(404)
                self.finish(json.dumps({"message": f"No kernel with id {kernel_id!r} runs on this server."}))
                return
            pid = _kernel_pid(km.get_kernel(kernel_id))
        self.finish(json.dumps(await tornado.ioloop.IOLoop.current().run_in_executor(None, system.snapshot, pid)))


class RunnerScriptHandler(JupyterHandler):
    """``GET``: the notebook-job runner (``notebook_jobs/runner.py``), which the frontend uploads with each job.

    A plain Jupyter handler, not an ``APIHandler``: that one makes every answer ``application/json``."""

    @tornado.web.authenticated
    def get(self) -> None:
        self.set_header("Content-Type", "text/x-python; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(RUNNER_PATH.read_text(encoding="utf-8"))


def _kernel_pid(kernel: Any) -> int | None:
    """The process id of a local kernel (jupyter_client's local provisioner), or None for remote kernels."""
    process = getattr(getattr(kernel, "provisioner", None), "process", None)
    pid = getattr(process, "pid", None)
    return pid if isinstance(pid, int) else None


def setup_handlers(web_app: Any, connection: Connection) -> None:
    """Register the routes under the server's base URL."""
    base = url_path_join(web_app.settings["base_url"], "sagemaker-studio")
    web_app.add_handlers(
        ".*$",
        [
            (url_path_join(base, "connection"), ConnectionHandler, {"connection": connection}),
            (url_path_join(base, "system"), SystemHandler),
            (url_path_join(base, "notebook-jobs", "runner.py"), RunnerScriptHandler),
            (
                url_path_join(base, "aws", r"([a-z0-9-]+)", r"([a-z0-9-]+)", r"(.*)"),
                ProxyHandler,
                {"connection": connection},
            ),
        ],
    )
