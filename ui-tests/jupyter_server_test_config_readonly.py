"""Jupyter server configuration of the read-only Galata server: local mode and demo content like the main test
server (``jupyter_server_test_config.py``), but ``c.SageMakerStudio.read_only = True``, so the proxy refuses every
change. Its own port and data directory come from the environment ``playwright.config.js`` sets.
"""

import os
from tempfile import mkdtemp

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821 - `c` is the config object Jupyter injects

c.ServerApp.allow_root = True  # noqa: F821
c.ServerApp.port = int(os.environ.get("SAGEMAKER_STUDIO_UI_TESTS_READONLY_PORT", "8889"))  # noqa: F821
c.ServerApp.jpserver_extensions = {"jupyterlab_sagemaker_studio": True}  # noqa: F821

c.SageMakerStudio.mode = "local"  # noqa: F821
c.SageMakerStudio.data_dir = os.environ.get("SAGEMAKER_STUDIO_UI_TESTS_READONLY_DATA_DIR") or mkdtemp(  # noqa: F821
    prefix="sagemaker-studio-ui-tests-readonly-"
)
# The demo content is written by the server itself (not through the proxy), so it exists in read-only mode too.
c.SageMakerStudio.demo_content = True  # noqa: F821
c.SageMakerStudio.read_only = True  # noqa: F821
