"""Shared pytest set-up: Jupyter server fixtures (jp_serverapp, jp_fetch …) from pytest-jupyter."""

pytest_plugins = ["pytest_jupyter.jupyter_server"]
