"""The local backend for tests: as a subprocess (``python -m jupyterlab_sagemaker_studio.local``) or in a thread of
this process, and boto3 clients pointed at it.

The subprocess is what scripts, benchmarks and kernels run, and the only way to test SIGTERM/SIGKILL durability;
the thread is for tests that need the ``LocalBackend`` object itself (``kernel_env()``).
"""

from __future__ import annotations

import asyncio
import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, Self

import boto3
import botocore.config
import pytest
from botocore.exceptions import ClientError

from jupyterlab_sagemaker_studio.local.server import LocalBackend

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0
STOP_TIMEOUT = 20.0

# Retries off (one attempt in all; botocore's "max_attempts" counts retries only): an assertion on an error must
# see the backend's first answer, and a flaky backend must fail a test rather than be papered over. The timeouts
# make a hung backend fail its test quickly instead of stalling the run.
CLIENT_CONFIG = botocore.config.Config(retries={"total_max_attempts": 1}, connect_timeout=5, read_timeout=60)


def boto3_client(
    info: dict[str, str],
    service: str,
    *,
    access_key: str | None = None,
    secret_key: str | None = None,
    **config: Any,
) -> Any:
    """A boto3 client for ``service`` on the backend described by ``info`` (its announced JSON line).

    ``access_key``/``secret_key`` replace the backend's own keys (to test refusals); ``config`` is merged into
    ``CLIENT_CONFIG`` (e.g. ``signature_version="s3"``, ``parameter_validation=False``).
    """
    return boto3.client(
        service,
        endpoint_url=info["endpoint_url"],
        region_name=info["region"],
        aws_access_key_id=access_key or info["access_key"],
        aws_secret_access_key=secret_key or info["secret_key"],
        config=CLIENT_CONFIG.merge(botocore.config.Config(**config)) if config else CLIENT_CONFIG,
    )


class BackendStartError(RuntimeError):
    """The local backend did not announce its endpoint."""


class LocalBackendProcess:
    """``python -m jupyterlab_sagemaker_studio.local`` on a data directory and a free port.

    ``info`` is the announced JSON line (endpoint_url, access_key, secret_key, region) of the current process;
    ``restart()`` starts a new process on the same data directory (its port, and so ``info``, change).
    """

    def __init__(
        self,
        data_dir: str | os.PathLike[str],
        *,
        region: str | None = None,
        delay: float | None = None,
        env: dict[str, str] | None = None,
        start: bool = True,
        start_timeout: float = START_TIMEOUT,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.region = region
        self.start_timeout = start_timeout
        self._env = dict(os.environ, **(env or {}))
        # This checkout's package, whatever is installed: the subprocess must run the code under test.
        self._env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), self._env.get("PYTHONPATH")]))
        if delay is not None:
            self._env["SAGEMAKER_STUDIO_LOCAL_DELAY"] = str(delay)
        self.proc: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self.info: dict[str, str] = {}
        if start:
            self.start()

    @property
    def endpoint_url(self) -> str:
        """Where every service of the running backend answers."""
        return self.info["endpoint_url"]

    @property
    def running(self) -> bool:
        """Whether the subprocess is alive."""
        return self.proc is not None and self.proc.poll() is None

    def start(self) -> Self:
        """Start the subprocess and wait for its JSON line; raises ``BackendStartError`` with its stderr."""
        if self.running:
            raise RuntimeError(f"The local backend on {self.data_dir} is already running.")
        command = [sys.executable, "-m", "jupyterlab_sagemaker_studio.local", "--data-dir", str(self.data_dir)]
        if self.region:
            command += ["--region", self.region]
        # stderr goes to an unnamed file, not a pipe: nobody reads it while tests run, and a full pipe would block
        # the backend. It is read back only to explain a failure.
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop(), after the process ends)
        self.proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=self._stderr, env=self._env, cwd=REPO)
        try:
            line = self._read_announcement()
            try:
                self.info = json.loads(line)
            except ValueError:
                raise BackendStartError(
                    f"The local backend on {self.data_dir} announced {line!r}, which is not the expected JSON "
                    f"line.{self._stderr_excerpt()}"
                ) from None
        except BaseException:
            self._terminate(signal.SIGKILL)
            raise
        return self

    def _read_announcement(self) -> str:
        """The first stdout line, or ``BackendStartError`` if the process exits or stays silent too long."""
        assert self.proc is not None and self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + self.start_timeout
        data = b""
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while b"\n" not in data:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise BackendStartError(
                        f"The local backend on {self.data_dir} did not announce its endpoint within "
                        f"{self.start_timeout:g} seconds.{self._stderr_excerpt()}"
                    )
                if not selector.select(remaining):
                    continue
                chunk = os.read(fd, 4096)  # unbuffered: a buffered read could hold back bytes select() saw
                if not chunk:
                    code = self.proc.wait(STOP_TIMEOUT)
                    raise BackendStartError(
                        f"The local backend on {self.data_dir} exited with code {code} before announcing its "
                        f"endpoint.{self._stderr_excerpt()}"
                    )
                data += chunk
        return data.split(b"\n", 1)[0].decode()

    def stderr_text(self) -> str:
        """Everything the current (or last) process wrote to stderr."""
        if self._stderr is None or self._stderr.closed:
            return ""
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")

    def _stderr_excerpt(self) -> str:
        text = self.stderr_text().strip()
        return f" Its stderr:\n{text[-4000:]}" if text else " It wrote nothing to stderr."

    def stop(self, sig: int = signal.SIGTERM, timeout: float = STOP_TIMEOUT) -> int | None:
        """Send ``sig`` (SIGTERM: a clean shutdown) and wait; returns the exit code (None if never started).

        A process still alive after ``timeout`` is killed and reported as an error: a backend that ignores
        SIGTERM is a bug the tests must show.
        """
        return self._terminate(sig, timeout)

    def kill(self) -> int | None:
        """SIGKILL: no chance to flush anything, as in a crash; returns the exit code."""
        return self._terminate(signal.SIGKILL)

    def restart(self, sig: int = signal.SIGTERM) -> Self:
        """Stop with ``sig`` (SIGTERM, or SIGKILL for a crash) and start again on the same data directory."""
        self._terminate(sig)
        return self.start()

    def _terminate(self, sig: int, timeout: float = STOP_TIMEOUT) -> int | None:
        proc = self.proc
        if proc is None:
            return None
        try:
            if proc.poll() is None:
                proc.send_signal(sig)
            try:
                return proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                raise RuntimeError(
                    f"The local backend on {self.data_dir} did not exit within {timeout:g} seconds of signal "
                    f"{signal.Signals(sig).name}; it was killed.{self._stderr_excerpt()}"
                ) from None
        finally:
            if proc.stdout is not None:
                proc.stdout.close()
            if self._stderr is not None:
                self._stderr.close()

    def client(self, service: str, **options: Any) -> Any:
        """A boto3 client for ``service`` on this backend (see ``boto3_client`` for the options)."""
        return boto3_client(self.info, service, **options)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class LocalBackendThread:
    """A ``LocalBackend`` served from a daemon thread with its own asyncio loop.

    ``backend`` is the live object, so tests can use what only it offers (``kernel_env()``, the store).
    """

    def __init__(
        self,
        data_dir: str | os.PathLike[str],
        *,
        region: str = "us-east-1",
        account_id: str = "123456789012",
        start_timeout: float = START_TIMEOUT,
    ) -> None:
        self.backend = LocalBackend(data_dir, region=region, account_id=account_id)
        self._loop = asyncio.new_event_loop()
        started = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            asyncio.set_event_loop(self._loop)
            try:
                self.backend.start(0)
            except BaseException as err:  # noqa: BLE001 (handed to the constructor, raised in the test's thread)
                failure.append(err)
                return
            finally:
                started.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, name="local-backend", daemon=True)
        self._thread.start()
        if not started.wait(start_timeout):
            raise BackendStartError(f"The local backend did not start within {start_timeout:g} seconds.")
        if failure:
            raise BackendStartError(f"The local backend did not start: {failure[0]}") from failure[0]
        self.info = {
            "endpoint_url": self.backend.endpoint_url,
            "access_key": self.backend.credentials.access_key,
            "secret_key": self.backend.credentials.secret_key,
            "region": self.backend.region,
        }

    @property
    def endpoint_url(self) -> str:
        """Where every service of the backend answers."""
        return self.info["endpoint_url"]

    def client(self, service: str, **options: Any) -> Any:
        """A boto3 client for ``service`` on this backend (see ``boto3_client`` for the options)."""
        return boto3_client(self.info, service, **options)

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """Stop serving and close the store, on the loop's own thread."""
        if not self._thread.is_alive():
            return
        done = threading.Event()

        def stop() -> None:
            try:
                self.backend.stop()
            finally:
                self._loop.stop()
                done.set()

        self._loop.call_soon_threadsafe(stop)
        done.wait(timeout)
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise RuntimeError(f"The local backend thread did not stop within {timeout:g} seconds.")
        self._loop.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


StartBackend = Callable[..., LocalBackendProcess]
"""Type of the ``start_backend`` fixtures (conftest.py): ``(data_dir=None, **LocalBackendProcess options)``."""


def wait_for(check: Callable[[], Any], timeout: float = 15.0) -> Any:
    """Poll ``check`` until it returns something truthy; fail with its last value after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"Condition not met within {timeout} s (last value {value!r}).")
        time.sleep(0.05)


def error_of(call: Callable[..., Any], **kwargs: Any) -> dict[str, str]:
    """The ``Error`` member (Code, Message) of the ClientError that ``call(**kwargs)`` must raise."""
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    return info.value.response["Error"]
