"""Jupyter server configuration for the Galata UI tests: local mode with a fresh data directory and demo content.

Started by Playwright's ``webServer`` (``jlpm start``). The port and data directory come from the environment
that ``playwright.config.js`` sets, so parallel runs on one machine do not clash.
"""

import os
from tempfile import mkdtemp

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821 - `c` is the config object Jupyter injects

# CI containers often run as root; this server only listens on localhost for the test run.
c.ServerApp.allow_root = True  # noqa: F821
c.ServerApp.port = int(os.environ.get("SAGEMAKER_STUDIO_UI_TESTS_PORT", "8888"))  # noqa: F821
# Load the installed server extension even if it was not enabled in this environment's config.
c.ServerApp.jpserver_extensions = {"jupyterlab_sagemaker_studio": True}  # noqa: F821

c.SageMakerStudio.mode = "local"  # noqa: F821
c.SageMakerStudio.data_dir = os.environ.get("SAGEMAKER_STUDIO_UI_TESTS_DATA_DIR") or mkdtemp(  # noqa: F821
    prefix="sagemaker-studio-ui-tests-"
)
c.SageMakerStudio.demo_content = True  # noqa: F821
