"""Execute a notebook and upload the executed copy to S3: the entry point of a SageMaker Studio notebook job.

Runs inside a SageMaker training job's container (SageMaker Distribution images), or as a local process of the
local backend, so it uses only the standard library, nbclient, nbformat and boto3. See ``docs/NOTEBOOK_JOBS.md``.

    python3 runner.py --notebook /opt/ml/input/data/notebook/analysis.ipynb --kernel python3 \
        --output s3://bucket/sagemaker-studio/notebook-jobs/<job>/output/analysis-<job>.ipynb

- Executes every cell with nbclient (no per-cell timeout; a raised error stops the run) in the kernel named by
  ``--kernel``, or in ``python3`` when no such kernelspec exists (and says so).
- Prints ``[runner] cell i/n`` before each cell, where ``i`` is the cell's 1-based position among **all** cells of
  the notebook (markdown and raw cells included, so it is the position a reader counts in the notebook).
- Echoes the cells' stdout and stderr streams to its own output as they arrive, so the job's log shows them live.
- Always uploads the executed notebook, also a partly executed one, to ``--output`` (``put_object``).
- When a cell raises, writes ``Cell <i>: <ename>: <evalue>`` (``i`` as above) to ``<opt_ml>/output/failure``,
  which SageMaker shows as the job's ``FailureReason``, and exits with status 1. ``<opt_ml>`` is
  ``$SAGEMAKER_STUDIO_OPT_ML`` when set (the local backend sets it), else ``/opt/ml``.
- SIGTERM (StopTrainingJob) ends the run like an error: the partial notebook is uploaded, the exit status is 1.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path
from typing import Optional

OPT_ML_ENV = "SAGEMAKER_STUDIO_OPT_ML"
FALLBACK_KERNEL = "python3"
#: Longest FailureReason SageMaker keeps (1024 characters).
MAX_FAILURE = 1024


def log(message: str) -> None:
    """One line of the job's log (flushed at once, so CloudWatch shows progress while cells run)."""
    print(f"[runner] {message}", flush=True)


def opt_ml() -> Path:
    """The SageMaker container directory (``/opt/ml``), or the local backend's job directory."""
    return Path(os.environ.get(OPT_ML_ENV) or "/opt/ml")


def parse_s3_uri(uri: str) -> tuple[str, str]:
    """``s3://bucket/key`` -> ``(bucket, key)``; anything else is a usage error."""
    if not uri.startswith("s3://"):
        raise SystemExit(f"--output must be an s3://bucket/key URI, not {uri!r}.")
    bucket, _, key = uri[len("s3://") :].partition("/")
    if not bucket or not key:
        raise SystemExit(f"--output must name a bucket and a key: {uri!r}.")
    return bucket, key


def resolve_kernel(name: str) -> str:
    """The kernelspec to use: ``name`` when it exists, else ``python3`` (logged)."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(name)
        return name
    except NoSuchKernel:
        log(f"There is no kernel named {name!r} here; using {FALLBACK_KERNEL!r} instead.")
        return FALLBACK_KERNEL


class Stopped(Exception):
    """SIGTERM arrived (StopTrainingJob)."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Stopped()


def execute(nb, kernel: str, cwd: str) -> Optional[str]:
    """Run the notebook's cells in order; return the failure text (``Cell i: ename: evalue``) or None."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, DeadKernelError

    class EchoingClient(NotebookClient):
        """Writes the cells' stream output to the log as it arrives (the notebook keeps it too)."""

        def process_message(self, msg, cell, cell_index):  # type: ignore[no-untyped-def]
            if msg.get("msg_type") == "stream":
                sys.stdout.write(msg["content"].get("text", ""))
                sys.stdout.flush()
            return super().process_message(msg, cell, cell_index)

    client = EchoingClient(
        nb,
        timeout=None,
        kernel_name=kernel,
        allow_errors=False,
        shutdown_kernel="immediate",
        resources={"metadata": {"path": cwd}},
    )
    total = len(nb.cells)
    index = 0
    try:
        with client.setup_kernel():
            info = client.wait_for_reply(client.kc.kernel_info())
            if info is not None and "language_info" in info["content"]:
                nb.metadata["language_info"] = info["content"]["language_info"]
            for index, cell in enumerate(nb.cells):
                log(f"cell {index + 1}/{total} ({cell.cell_type})")
                started = time.monotonic()
                client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
                if cell.cell_type == "code":
                    log(f"cell {index + 1}/{total} done in {time.monotonic() - started:.1f} s")
            client.set_widgets_metadata()
    except CellExecutionError as err:
        return f"Cell {index + 1}: {err.ename}: {err.evalue}"
    except DeadKernelError as err:
        return f"Cell {index + 1}: DeadKernelError: {err}"
    except Stopped:
        return f"Cell {index + 1}: Stopped: the job was stopped while this cell ran."
    return None


def upload(nb, uri: str) -> None:
    """Put the notebook (as it is now) at ``uri``."""
    import boto3
    import nbformat

    bucket, key = parse_s3_uri(uri)
    body = nbformat.writes(nb).encode("utf-8")
    boto3.client("s3").put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/x-ipynb+json")
    log(f"uploaded the executed notebook to {uri} ({len(body)} bytes)")


def write_failure(text: str) -> None:
    """``<opt_ml>/output/failure``: SageMaker's FailureReason."""
    path = opt_ml() / "output" / "failure"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text[:MAX_FAILURE], encoding="utf-8")
    except OSError as err:
        log(f"could not write {path}: {err}")


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Execute a notebook and upload the result to S3.")
    parser.add_argument("--notebook", required=True, help="the notebook to execute")
    parser.add_argument("--kernel", default=FALLBACK_KERNEL, help="kernelspec name")
    parser.add_argument("--output", required=True, help="s3://bucket/key of the executed notebook")
    args = parser.parse_args(argv)
    parse_s3_uri(args.output)  # a bad URI is a usage error before anything runs

    import nbformat

    signal.signal(signal.SIGTERM, _on_sigterm)
    path = Path(args.notebook).resolve()
    log(f"notebook {path}")
    nb = nbformat.read(str(path), as_version=4)
    failure: Optional[str] = None
    try:
        kernel = resolve_kernel(args.kernel)
        log(f"kernel {kernel}; {len(nb.cells)} cells")
        failure = execute(nb, kernel, str(path.parent))
    except Stopped:
        failure = "Stopped: the job was stopped before the notebook ran."
    except Exception as err:  # noqa: BLE001 (the job must still upload and report why it failed)
        failure = f"{type(err).__name__}: {err}"
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        try:
            upload(nb, args.output)
        except Exception as err:  # noqa: BLE001
            log(f"could not upload the executed notebook to {args.output}: {type(err).__name__}: {err}")
            failure = failure or f"Upload of the executed notebook to {args.output} failed: {err}"
    if failure is not None:
        log(f"failed: {failure}")
        write_failure(failure)
        return 1
    log("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
