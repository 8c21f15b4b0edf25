"""Shared pytest set-up: Jupyter server fixtures (jp_serverapp, jp_fetch …) from pytest-jupyter, and local backend
subprocesses that are always stopped, even when a test fails half-way."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from local_backend import LocalBackendProcess, StartBackend

pytest_plugins = ["pytest_jupyter.jupyter_server"]


class _Backends:
    """Starts ``LocalBackendProcess``es and stops every one of them at teardown."""

    def __init__(self, default_dir: Callable[[], Path]) -> None:
        self._default_dir = default_dir
        self._started: list[LocalBackendProcess] = []

    def __call__(self, data_dir: str | os.PathLike[str] | None = None, **options: Any) -> LocalBackendProcess:
        backend = LocalBackendProcess(self._default_dir() if data_dir is None else data_dir, start=False, **options)
        self._started.append(backend)
        return backend.start()

    def stop_all(self) -> None:
        """SIGTERM each backend still running (newest first); report every one that would not stop."""
        errors = []
        for backend in reversed(self._started):
            try:
                backend.stop()
            except RuntimeError as err:
                errors.append(str(err))
        if errors:
            pytest.fail("\n".join(errors))


@pytest.fixture
def start_backend(tmp_path: Path) -> Iterator[StartBackend]:
    """``start_backend(data_dir=tmp_path/"data", region=, delay=, env=)``: a started backend subprocess, stopped
    after the test. Calls without ``data_dir`` share one directory, so a second call is a restart."""
    backends = _Backends(lambda: tmp_path / "data")
    yield backends
    backends.stop_all()


@pytest.fixture(scope="module")
def start_module_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartBackend]:
    """Like ``start_backend`` for module-scoped fixtures; each call without ``data_dir`` gets a fresh directory."""
    backends = _Backends(lambda: tmp_path_factory.mktemp("backend") / "data")
    yield backends
    backends.stop_all()
