"""Training jobs the local backend runs as local processes: those whose ``ContainerEntrypoint`` is
``["python3", "/opt/ml/…/<script>.py"]`` (notebook jobs, ``docs/NOTEBOOK_JOBS.md``). Other jobs keep the simulated
timeline of ``jobs.py``.

A run, as SageMaker runs a container:

1. ``InProgress`` / ``Starting``: a job directory ``<data dir>/jobs/training/<job>/`` stands in for ``/opt/ml``;
2. ``Downloading``: each input channel (``S3Prefix``) is copied from local S3 to ``<job dir>/input/data/<channel>/``
   (a channel with no objects fails the job, as in AWS);
3. ``Training``: ``sys.executable <script> <args>`` starts in its own process group, with ``/opt/ml`` in the
   entrypoint and arguments replaced by the job directory, and in its environment this backend's endpoint and keys
   (as kernels get them, ``server.client_env``) and ``SAGEMAKER_STUDIO_OPT_ML`` = the job directory. Its stdout and
   stderr go line by line to CloudWatch Logs (``/aws/sagemaker/TrainingJobs``, stream
   ``<job>/algo-1-<epoch seconds at start>``); ``TrainingStartTime`` is set;
4. at exit 0: ``Uploading``: ``<job dir>/model`` goes to local S3 as ``<S3OutputPath>/<job>/output/model.tar.gz``
   (through this backend's S3 API), then ``Completed`` with ``ModelArtifacts``; at any other exit ``Failed`` with
   ``FailureReason`` = the text of ``<job dir>/output/failure``, else ``AlgorithmError: the script exited with
   status N``. ``TrainingEndTime``, ``TrainingTimeInSeconds`` and ``BillableTimeInSeconds`` are set.

StopTrainingJob makes the job ``Stopping``, sends SIGTERM to the process group (SIGKILL after
``KILL_AFTER`` seconds), then ``Stopped`` when the process has ended. ``StoppingCondition.MaxRuntimeInSeconds``
is enforced the same way (``Stopped``, SecondaryStatus ``MaxRuntimeExceeded``). A job's trial component (jobs with an
``ExperimentConfig``) follows its status. A process-run job still ``InProgress``/``Stopping`` when the backend starts
belonged to an earlier backend process and ends ``Failed``: "The local backend restarted while the job ran.".
"""

from __future__ import annotations

import logging
import os
import selectors
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional

from . import logs
from . import resources as res
from .server import client_env, load_or_create_credentials
from .store import now

if TYPE_CHECKING:
    from .jobs import Operations

log = logging.getLogger(__name__)

#: A job's output is written to its log at least this often (seconds), in batches of at most ``MAX_BATCH`` lines.
FLUSH_EVERY = 0.25
MAX_BATCH = 1000
#: CloudWatch Logs' largest event (256 KB, less its 26 bytes of overhead).
MAX_MESSAGE_BYTES = 256 * 1024 - 26
#: Seconds between SIGTERM and SIGKILL when a run is stopped.
KILL_AFTER = 5.0
OPT_ML = "/opt/ml"
OPT_ML_ENV = "SAGEMAKER_STUDIO_OPT_ML"
#: Private document member marking a job the backend runs as a process.
PROCESS_KEY = "_Process"
RESTARTED = "The local backend restarted while the job ran."
FAILURE_MAX = 1024
_KIND = "TrainingJob"


def script_entrypoint(params: dict[str, Any]) -> Optional[list[str]]:
    """The ``ContainerEntrypoint`` when the job is a Python script under /opt/ml that this backend runs, else None."""
    entry = params.get("AlgorithmSpecification", {}).get("ContainerEntrypoint")
    if (
        isinstance(entry, list)
        and len(entry) == 2
        and entry[0] in ("python3", "python")
        and entry[1].startswith(OPT_ML + "/")
        and entry[1].endswith(".py")
    ):
        return entry
    return None


def _now() -> float:
    return round(now(), 3)


def _transitions(done: list[tuple[str, str, float]], end: Optional[float] = None) -> list[dict[str, Any]]:
    from .jobs import _transitions as shared

    return shared(done, end)


def _done(doc: dict[str, Any]) -> list[tuple[str, str, float]]:
    """The job's secondary status transitions so far, as ``(status, message, start)``."""
    transitions = doc.get("SecondaryStatusTransitions", [])
    return [(x["Status"], x.get("StatusMessage", ""), x["StartTime"]) for x in transitions]


class _Run:
    """One running job: its process (once started) and why it is being stopped."""

    def __init__(self) -> None:
        self.proc: Optional[subprocess.Popen[bytes]] = None
        self.stop_reason: Optional[str] = None  # "stop" or "max-runtime"
        self.lock = threading.Lock()


class ScriptJobs:
    """Runs script training jobs for the training job operations of ``jobs.py``."""

    def __init__(self, ops: "Operations") -> None:
        self.ops = ops
        self.sm = ops.sm
        self.store = ops.sm.store
        self.runs: dict[str, _Run] = {}
        self._lock = threading.Lock()
        self._closed = False
        logs.ensure_schema(self.store)
        self.fail_orphans()

    # --- state ----------------------------------------------------------------------------------------------------

    def fail_orphans(self) -> None:
        """Jobs left InProgress/Stopping by an earlier backend process: their process is gone, so they failed."""
        rows = self.store.query(
            "SELECT name FROM sm_resources WHERE kind = ? AND instr(doc, ?)", (_KIND, f'"{PROCESS_KEY}"')
        )
        for row in rows:
            if row["name"] in self.runs:
                continue

            def lost(doc: dict[str, Any], t: float) -> None:
                self._finish(doc, t, "Failed", RESTARTED)

            self._update(row["name"], lost, only_active=True)

    def _update(self, name: str, change: Callable[[dict[str, Any], float], None], only_active: bool = True) -> None:
        """Apply ``change`` to the stored job (and its trial component) in one transaction."""
        from .jobs import TRAINING

        if self._closed:
            return
        t = _now()
        try:
            with self.store.transaction() as db:
                doc = res.load(db, _KIND, name)
                if doc is None:
                    return
                if only_active and doc.get("TrainingJobStatus") not in ("InProgress", "Stopping"):
                    return
                change(doc, t)
                doc["LastModifiedTime"] = t
                self.sm._save(db, TRAINING, doc)
                self._follow(doc, db, t)
        except Exception:  # noqa: BLE001 (a closed store at shutdown; the next start fails the job)
            if not self._closed:
                log.exception("Could not update training job %s", name)

    def _follow(self, job: dict[str, Any], db: Any, t: float) -> None:
        """The job's trial component (if any) takes the job's status; EndTime once the job ended."""
        from .jobs import FINAL_STATUSES, TRAINING, component_name

        component = res.load(db, "TrialComponent", component_name(TRAINING, job["TrainingJobName"]))
        if component is None or component.get("Source", {}).get("SourceArn") != job["TrainingJobArn"]:
            return
        status = job["TrainingJobStatus"]
        component["Status"] = {"PrimaryStatus": status, "Message": job.get("FailureReason") or f"Status: {status}"}
        if status in FINAL_STATUSES:
            component["EndTime"] = t
        artifact = job.get("ModelArtifacts", {}).get("S3ModelArtifacts")
        if artifact:
            component["OutputArtifacts"] = {
                **component.get("OutputArtifacts", {}),
                "SageMaker.ModelArtifact": {"Value": artifact},
            }
        component["LastModifiedTime"] = t
        from .sagemaker import KINDS as SM_KINDS

        self.sm._save(db, SM_KINDS["TrialComponent"], component)

    @staticmethod
    def _secondary(doc: dict[str, Any], status: str, message: str, t: float) -> None:
        done = _done(doc)
        doc["SecondaryStatus"] = status
        doc["SecondaryStatusTransitions"] = _transitions(done + [(status, message, t)])

    def _finish(self, doc: dict[str, Any], t: float, status: str, reason: Optional[str], secondary: str = "") -> None:
        """End a job: status, reason, end time, billed seconds and the last secondary status."""
        messages = {
            "Completed": "Training job completed",
            "Failed": reason or "Training job failed",
            "Stopped": "Training job stopped",
        }
        secondary = secondary or status
        done = _done(doc)
        message = "The job exceeded its maximum runtime." if secondary == "MaxRuntimeExceeded" else messages[status]
        doc["SecondaryStatusTransitions"] = _transitions(done, t) + [
            {"Status": secondary, "StartTime": t, "EndTime": t, "StatusMessage": message}
        ]
        doc["TrainingJobStatus"] = status
        doc["SecondaryStatus"] = secondary
        if reason and status == "Failed":
            doc["FailureReason"] = reason[:FAILURE_MAX]
        start = doc.get("TrainingStartTime")
        doc["TrainingEndTime"] = t
        if start is not None:
            seconds = max(1, int(round(t - start)))
            doc["TrainingTimeInSeconds"] = seconds
            doc["BillableTimeInSeconds"] = seconds
        doc.pop(PROCESS_KEY, None)

    # --- create / stop ------------------------------------------------------------------------------------------

    def plan(self, doc: dict[str, Any], t: float) -> None:
        """A new script job: InProgress/Starting, marked as run by a process (call before it is stored)."""
        doc.update(
            TrainingJobStatus="InProgress",
            SecondaryStatus="Starting",
            SecondaryStatusTransitions=_transitions([("Starting", "Launching requested ML instances", t)]),
        )
        doc[PROCESS_KEY] = {"JobDir": str(self.job_dir(doc["TrainingJobName"]))}

    def register(self, name: str) -> None:
        """The job is stored (in the create's transaction): from now on this backend process owns its run."""
        with self._lock:
            self.runs[name] = _Run()

    def forget(self, name: str) -> None:
        """The job was not stored after all (its create failed)."""
        with self._lock:
            self.runs.pop(name, None)

    def start(self, doc: dict[str, Any]) -> None:
        """Run the stored job in a thread (download, process, logs, final status)."""
        params = dict(doc)
        thread = threading.Thread(
            target=self._run, args=(params,), name=f"training-job-{doc['TrainingJobName']}", daemon=True
        )
        thread.start()

    def job_dir(self, name: str) -> Path:
        return self.store.data_dir / "jobs" / "training" / name

    def stop(self, name: str) -> bool:
        """StopTrainingJob on a job this backend runs: Stopping now, the process is ended; False if not ours."""
        with self._lock:
            run = self.runs.get(name)
        if run is None:
            return False

        def stopping(doc: dict[str, Any], t: float) -> None:
            doc["TrainingJobStatus"] = "Stopping"
            self._secondary(doc, "Stopping", "Stopping the training job", t)

        self._update(name, stopping)
        self._end_process(run, "stop")
        return True

    def _end_process(self, run: _Run, reason: str) -> None:
        with run.lock:
            if run.stop_reason is None:
                run.stop_reason = reason
            proc = run.proc
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return

        def kill_later() -> None:
            try:
                proc.wait(KILL_AFTER)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

        threading.Thread(target=kill_later, daemon=True).start()

    def close(self) -> None:
        """Backend shutdown: kill every running process group (their jobs fail at the next start)."""
        self._closed = True
        with self._lock:
            runs = list(self.runs.values())
        for run in runs:
            proc = run.proc
            if proc is not None and proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

    # --- the run --------------------------------------------------------------------------------------------------

    def _run(self, doc: dict[str, Any]) -> None:
        name = doc["TrainingJobName"]
        run = self.runs[name]
        try:
            self._run_job(name, doc, run)
        except Exception as err:  # noqa: BLE001 (the job must end, whatever went wrong)
            log.exception("Training job %s: the local run failed", name)
            reason = f"InternalServerError: {err}"
            self._update(name, lambda d, t: self._finish(d, t, "Failed", reason))
        finally:
            with self._lock:
                self.runs.pop(name, None)

    def _run_job(self, name: str, doc: dict[str, Any], run: _Run) -> None:
        job_dir = self.job_dir(name)
        if job_dir.exists():
            shutil.rmtree(job_dir)
        for sub in ("input/data", "input/config", "model", "output/data", "code"):
            (job_dir / sub).mkdir(parents=True, exist_ok=True)
        self._update(name, lambda d, t: self._secondary(d, "Downloading", "Downloading input data", t))
        problem = self._download(doc, job_dir)
        if problem is not None:
            self._update(name, lambda d, t: self._finish(d, t, "Failed", problem))
            return

        entry = script_entrypoint(doc) or []
        args = doc.get("AlgorithmSpecification", {}).get("ContainerArguments", [])
        command = [sys.executable] + [_local_path(a, job_dir) for a in entry[1:] + list(args)]
        env = dict(os.environ)
        for var in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
            env.pop(var, None)
        info = self.sm.info
        env.update(client_env(info.endpoint_url, load_or_create_credentials(self.store.data_dir), info.region))
        env.update(
            {
                OPT_ML_ENV: str(job_dir),
                "PYTHONUNBUFFERED": "1",
                "TRAINING_JOB_NAME": name,
                "TRAINING_JOB_ARN": doc["TrainingJobArn"],
            }
        )
        for key, value in doc.get("Environment", {}).items():
            env[key] = value
        with run.lock:
            if run.stop_reason is not None:
                reason = run.stop_reason
                self._update(name, lambda d, t: self._finish(d, t, "Stopped", None, _stopped_secondary(reason)))
                return
            started = _now()
            stream = f"{name}/algo-1-{int(started)}"
            run.proc = subprocess.Popen(
                command,
                cwd=str(job_dir),
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        proc = run.proc
        logs.append_events(self.store, logs.TRAINING_JOBS_GROUP, stream, [])  # the stream exists from the start

        def training(d: dict[str, Any], t: float) -> None:
            d["TrainingStartTime"] = started
            self._secondary(d, "Training", "Training image download completed. Training in progress.", started)

        self._update(name, training)
        max_runtime = doc.get("StoppingCondition", {}).get("MaxRuntimeInSeconds")
        timer = None
        if max_runtime:
            timer = threading.Timer(float(max_runtime), self._end_process, args=(run, "max-runtime"))
            timer.daemon = True
            timer.start()
        try:
            self._stream_output(proc, stream)
            code = proc.wait()
        finally:
            if timer is not None:
                timer.cancel()
        with run.lock:
            reason = run.stop_reason
        if reason is not None:
            self._update(name, lambda d, t: self._finish(d, t, "Stopped", None, _stopped_secondary(reason)))
        elif code == 0:
            self._update(name, lambda d, t: self._secondary(d, "Uploading", "Uploading generated training model", t))
            artifact, problem = self._upload_model(doc, job_dir)
            if problem is not None:
                self._update(name, lambda d, t: self._finish(d, t, "Failed", problem))
                return

            def completed(d: dict[str, Any], t: float) -> None:
                d["ModelArtifacts"] = {"S3ModelArtifacts": artifact}
                self._finish(d, t, "Completed", None)

            self._update(name, completed)
        else:
            failure = _failure_text(job_dir, code)
            self._update(name, lambda d, t: self._finish(d, t, "Failed", failure))

    def _stream_output(self, proc: subprocess.Popen[bytes], stream: str) -> None:
        """The process's output lines as log events: written in batches at least every ``FLUSH_EVERY`` seconds, so
        the log is live without one transaction per line (a chatty notebook prints thousands)."""
        assert proc.stdout is not None
        fd = proc.stdout.fileno()
        pending = b""
        batch: list[tuple[int, str]] = []
        last_flush = time.monotonic()

        def flush() -> None:
            nonlocal batch, last_flush
            last_flush = time.monotonic()
            if not batch or self._closed:
                batch = []
                return
            try:
                logs.append_events(self.store, logs.TRAINING_JOBS_GROUP, stream, batch)
            except Exception:  # noqa: BLE001 (a closed store at shutdown)
                if not self._closed:
                    log.exception("Could not write log lines of %s", stream)
            batch = []

        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while True:
                ready = selector.select(FLUSH_EVERY)
                if ready:
                    chunk = os.read(fd, 65536)
                    if not chunk:
                        break
                    pending += chunk
                    *lines, pending = pending.split(b"\n")
                    t = int(time.time() * 1000)
                    batch += [(t, _log_message(line)) for line in lines]
                if batch and (not ready or len(batch) >= MAX_BATCH or time.monotonic() - last_flush >= FLUSH_EVERY):
                    flush()
        if pending:
            batch.append((int(time.time() * 1000), _log_message(pending)))
        flush()
        proc.stdout.close()

    def _upload_model(self, doc: dict[str, Any], job_dir: Path) -> tuple[str, Optional[str]]:
        """``<job dir>/model`` as ``<S3OutputPath>/<job>/output/model.tar.gz`` in local S3, as SageMaker uploads it:
        ``(S3 URI, None)``, or ``("", failure reason)``. Sent through this backend's own S3 API, like any client."""
        import tarfile
        import tempfile

        import boto3

        output = doc["OutputDataConfig"]["S3OutputPath"].rstrip("/")
        uri = f"{output}/{doc['TrainingJobName']}/output/model.tar.gz"
        bucket, _, key = uri[len("s3://") :].partition("/")
        info = self.sm.info
        credentials = load_or_create_credentials(self.store.data_dir)
        try:
            with tempfile.TemporaryFile() as archive:
                with tarfile.open(fileobj=archive, mode="w:gz") as tar:
                    for path in sorted((job_dir / "model").rglob("*")):
                        tar.add(path, arcname=str(path.relative_to(job_dir / "model")), recursive=False)
                archive.seek(0)
                client = boto3.session.Session().client(
                    "s3",
                    endpoint_url=info.endpoint_url,
                    region_name=info.region,
                    aws_access_key_id=credentials.access_key,
                    aws_secret_access_key=credentials.secret_key,
                )
                client.put_object(Bucket=bucket, Key=key, Body=archive)
        except Exception as err:  # noqa: BLE001 (the job fails with the reason, as in AWS)
            return "", f"ClientError: Failed to upload the model to {uri}: {err}"
        return uri, None

    def _download(self, doc: dict[str, Any], job_dir: Path) -> Optional[str]:
        """Copy each S3Prefix channel from local S3; the failure reason when a channel has no objects."""
        for channel in doc.get("InputDataConfig", []):
            source = channel.get("DataSource", {}).get("S3DataSource", {})
            uri = source.get("S3Uri", "")
            target = job_dir / "input" / "data" / channel["ChannelName"]
            target.mkdir(parents=True, exist_ok=True)
            bucket, _, prefix = uri[len("s3://") :].partition("/") if uri.startswith("s3://") else ("", "", "")
            try:
                rows = self.store.query(
                    "SELECT key, blob FROM s3_objects WHERE bucket = ? AND substr(key, 1, ?) = ? ORDER BY key",
                    (bucket, len(prefix), prefix),
                )
            except Exception:  # noqa: BLE001 (no S3 tables yet: no objects)
                rows = []
            copied = 0
            for row in rows:
                key = row["key"]
                if source.get("S3DataType", "S3Prefix") == "S3Prefix":
                    relative = key[len(prefix) :].lstrip("/") or key.rsplit("/", 1)[-1]
                else:
                    relative = key.rsplit("/", 1)[-1]
                if key.endswith("/") or not relative:
                    continue
                dest = (target / relative).resolve()
                if not str(dest).startswith(str(target.resolve()) + os.sep):
                    continue
                dest.parent.mkdir(parents=True, exist_ok=True)
                try:
                    shutil.copyfile(self.store.blob_dir / row["blob"], dest)
                except FileNotFoundError:  # replaced while we copied: take the new version
                    continue
                copied += 1
            if copied == 0:
                return (
                    f'ClientError: No S3 objects found under S3 URL "{uri}" given in input data source. Please '
                    f"ensure that the bucket exists in the selected region ({self.sm.info.region}), that objects "
                    "exist under that S3 prefix, and that the role has s3:ListBucket permissions on the bucket."
                )
        return None


def _log_message(raw: bytes) -> str:
    """One output line as a log event's message (at most CloudWatch's 256 KB)."""
    return raw[:MAX_MESSAGE_BYTES].decode("utf-8", "replace").rstrip("\r")


def _stopped_secondary(reason: str) -> str:
    return "MaxRuntimeExceeded" if reason == "max-runtime" else "Stopped"


def _local_path(arg: str, job_dir: Path) -> str:
    """An argument with its /opt/ml prefix replaced by the job directory."""
    if arg == OPT_ML:
        return str(job_dir)
    if arg.startswith(OPT_ML + "/"):
        return str(job_dir) + arg[len(OPT_ML) :]
    return arg


def _failure_text(job_dir: Path, code: int) -> str:
    """The failure file's text, else the exit status, as SageMaker reports them."""
    path = job_dir / "output" / "failure"
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        text = ""
    if text:
        return text[:FAILURE_MAX]
    if code < 0:
        return f"AlgorithmError: the script was ended by signal {signal.Signals(-code).name}"
    return f"AlgorithmError: the script exited with status {code}"
