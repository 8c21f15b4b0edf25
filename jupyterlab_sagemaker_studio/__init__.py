"""JupyterLab SageMaker Studio: Studio's panels for any JupyterLab 4, with a local AWS-compatible backend."""

from __future__ import annotations

try:
    from ._version import __version__
except ImportError:  # pragma: no cover - only in a source tree without a build
    import warnings

    warnings.warn("Importing 'jupyterlab_sagemaker_studio' outside a proper installation.", stacklevel=2)
    __version__ = "dev"


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "jupyterlab-sagemaker-studio"}]


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "jupyterlab_sagemaker_studio"}]


def _load_jupyter_server_extension(server_app) -> None:  # noqa: ANN001 - jupyter_server's ServerApp
    """Resolve the mode, start the local backend when needed, and register the routes."""
    from .extension import load

    load(server_app)


# For backward compatibility with notebook server, which uses the old name.
load_jupyter_server_extension = _load_jupyter_server_extension
