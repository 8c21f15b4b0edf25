"""Model Monitor in the local backend: data quality job definitions, monitoring schedules and their executions,
computed for real from the endpoint's captured data (``model_monitor.py`` holds the computation).

- **Job definitions** (CreateDataQualityJobDefinition / Describe / List / Delete): stored like every other kind
  (``sm_resources``, kind ``DataQualityJobDefinition``). A definition in use by a schedule cannot be deleted.
- **Schedules** (Create / Describe / List / Update / Start / Stop / DeleteMonitoringSchedule): ``Pending``, then
  ``Scheduled`` after one lifecycle delay; ``Stopped`` by StopMonitoringSchedule. Local mode runs ``DataQuality``
  schedules that name a job definition (``MonitoringJobDefinitionName``); ``ScheduleExpression`` is one of the forms
  Model Monitor accepts: ``cron(0 * ? * * *)`` (hourly), ``cron(0 H ? * * *)`` (daily at hour H, UTC),
  ``cron(0 H/N ? * * *)`` or ``cron(0 */N ? * * *)`` (every N hours), or ``NOW`` (one execution at once; needs
  ``DataAnalysisStartTime`` / ``DataAnalysisEndTime``, ISO 8601 offsets such as ``-PT1H``).
- **Executions** are processing jobs, as in AWS: ``model-monitoring-<yyyymmddhhmm>-<hash>``, with
  ``MonitoringScheduleArn`` and the analyzer's ``Environment``; ``ProcessingOutputConfig.Outputs[0].S3Output.S3Uri``
  is the report prefix ``<output S3 URI>/<endpoint>/<schedule>/<yyyy>/<mm>/<dd>/<hh>``, where ``statistics.json`` and
  (with a baseline) ``constraint_violations.json`` are written. The analysis reads the capture files of the
  analysis window (``<capture prefix>/<endpoint>/<variant>/<yyyy>/<mm>/<dd>/<hh>/*.jsonl``, records by
  ``eventMetadata.inferenceTime``); by default the hour before the scheduled time. The execution is
  ``Completed``, ``CompletedWithViolations`` or ``Failed`` (no captured data in the window, a malformed baseline, …)
  after two lifecycle delays; the report files are written when the execution starts.
- **Scheduling**: a clock thread (``MonitorClock``) and every read of schedules or executions start the executions
  that fell due. Local-mode difference: on creation (and on StartMonitoringSchedule) up to ``MAX_CATCH_UP`` cron
  ticks before it run too when their analysis windows hold captured data, so an endpoint with captured history
  gets its executions at once; missed ticks without data are skipped.
- **Baselining**: a CreateProcessingJob shaped like the SageMaker Python SDK's ``DefaultModelMonitor.suggest_baseline``
  (image ``…/sagemaker-model-monitor-analyzer``, environment ``dataset_format``, ``dataset_source``,
  ``output_path``) computes ``statistics.json`` and ``constraints.json`` from the CSV input (``baseline_job``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Callable, Optional

from botocore.model import OperationModel

from . import lifecycle
from . import model_monitor as mm
from . import resources as res
from .jobs import EXECUTION_KEY
from .protocol import ServiceError
from .sagemaker import KINDS as SM_KINDS
from .sagemaker import Kind, _now, _page
from .store import Store

if TYPE_CHECKING:
    from .sagemaker import SageMakerService

log = logging.getLogger(__name__)

KINDS = (
    Kind(
        "MonitoringSchedule",
        "MonitoringScheduleName",
        "MonitoringScheduleArn",
        "monitoring-schedule",
        "DescribeMonitoringSchedule",
        "ListMonitoringSchedules",
        "MonitoringScheduleSummaries",
        label="Monitoring schedule",
        not_found="Monitoring Schedule {arn} does not exist.",
        exists="Monitoring Schedule {arn} already exists.",
        status_member="MonitoringScheduleStatus",
        exists_code="ResourceInUse",
    ),
    Kind(
        "DataQualityJobDefinition",
        "JobDefinitionName",
        "JobDefinitionArn",
        "data-quality-job-definition",
        "DescribeDataQualityJobDefinition",
        "ListDataQualityJobDefinitions",
        "JobDefinitionSummaries",
        {
            "MonitoringJobDefinitionName": "JobDefinitionName",
            "MonitoringJobDefinitionArn": "JobDefinitionArn",
            "EndpointName": "_EndpointName",
        },
        label="Data quality job definition",
        not_found="Job definition {arn} does not exist.",
        exists="Job definition {arn} already exists.",
        exists_code="ResourceInUse",
    ),
)
MONITORING_SCHEDULE, DATA_QUALITY_DEFINITION = KINDS

#: Environment variable: seconds between two looks of the clock thread for due executions (default 30).
TICK_ENV = "SAGEMAKER_STUDIO_LOCAL_MONITOR_TICK"
DEFAULT_TICK = 30.0
#: Cron ticks before a schedule's creation (or start) that may still run, when their window holds captured data.
MAX_CATCH_UP = 24
#: What the SageMaker Python SDK names the model monitor analyzer image's repository.
ANALYZER_REPOSITORY = "sagemaker-model-monitor-analyzer"
HOUR = 3600.0
CRON = re.compile(r"^cron\(0 (\*|\d{1,2})(?:/(\d{1,2}))? \? \* \* \*\)$")
DURATION = re.compile(r"^(-)?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


# --- schedule expressions -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cron:
    """A Model Monitor cron expression: minute 0 of the hours ``first, first + every, …`` (UTC)."""

    first: int
    every: int

    def matches(self, hour: int) -> bool:
        """Whether a tick falls in this hour of the day."""
        return hour >= self.first and (hour - self.first) % self.every == 0

    def ticks(self, after: float, until: float) -> list[float]:
        """Scheduled times in ``(after, until]``, oldest first."""
        start = int(after // HOUR) + 1
        return [h * HOUR for h in range(start, int(until // HOUR) + 1) if self.matches(h % 24)]


def parse_cron(expression: str) -> Optional[Cron]:
    """The cron of a schedule expression; None for ``NOW``; ValidationException for anything else."""
    if expression == "NOW":
        return None
    match = CRON.match(expression)
    if match is not None:
        hours, step = match.groups()
        first = 0 if hours == "*" else int(hours)
        every = int(step) if step else (1 if hours == "*" else 24)
        if first <= 23 and 1 <= every <= 24:
            return Cron(first, every)
    raise ServiceError(
        "ValidationException",
        f"Invalid ScheduleExpression {expression!r}. Model Monitor accepts cron(0 * ? * * *) (hourly), "
        "cron(0 H ? * * *) (daily at hour H UTC), cron(0 H/N ? * * *) (every N hours from hour H) and NOW.",
    )


def parse_offset(value: str, member: str) -> float:
    """Seconds of an ISO 8601 duration such as ``-PT1H`` (negative: before the scheduled time)."""
    match = DURATION.match(value)
    if match is None or value in ("P", "-P") or value.endswith("T"):
        raise ServiceError(
            "ValidationException",
            f"{member} {value!r} is not an ISO 8601 duration such as -PT1H (one hour before the scheduled time).",
        )
    sign, days, hours, minutes, seconds = match.groups()
    total = int(days or 0) * 86400 + int(hours or 0) * 3600 + int(minutes or 0) * 60 + int(seconds or 0)
    return -float(total) if sign else float(total)


def _window(config: dict[str, Any], scheduled: float) -> tuple[float, float]:
    """The analysis window of an execution: the schedule's offsets from the scheduled time, else the hour before."""
    schedule = config.get("ScheduleConfig", {})
    start = (
        scheduled + parse_offset(schedule["DataAnalysisStartTime"], "DataAnalysisStartTime")
        if ("DataAnalysisStartTime" in schedule)
        else scheduled - HOUR
    )
    end = (
        scheduled + parse_offset(schedule["DataAnalysisEndTime"], "DataAnalysisEndTime")
        if "DataAnalysisEndTime" in schedule
        else scheduled
    )
    return start, end


def _iso(t: float) -> str:
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- local S3 -----------------------------------------------------------------------------------------------------


def split_uri(uri: str) -> tuple[str, str]:
    """``(bucket, key)`` of an ``s3://`` URI; AnalysisError otherwise."""
    if not uri.startswith("s3://"):
        raise mm.AnalysisError(f"{uri!r} is not an s3:// URI.")
    bucket, _, key = uri[len("s3://") :].partition("/")
    return bucket, key


def list_objects(store: Store, bucket: str, prefix: str) -> list[tuple[str, str]]:
    """``(key, blob file)`` of the objects under a prefix, in key order."""
    try:
        rows = store.query(
            "SELECT key, blob FROM s3_objects WHERE bucket = ? AND substr(key, 1, ?) = ? ORDER BY key",
            (bucket, len(prefix), prefix),
        )
    except Exception:  # noqa: BLE001 (no S3 tables yet: no objects)
        return []
    return [(r["key"], r["blob"]) for r in rows]


def read_object(store: Store, uri: str, what: str) -> bytes:
    """An object's bytes; AnalysisError naming ``what`` when it does not exist."""
    bucket, key = split_uri(uri)
    for found, blob in list_objects(store, bucket, key):
        if found == key:
            try:
                return (store.blob_dir / blob).read_bytes()
            except FileNotFoundError:
                raise mm.AnalysisError(f"The {what} {uri} changed while it was read; run the job again.") from None
    raise mm.AnalysisError(f"The {what} {uri} does not exist.")


def write_object(store: Store, uri: str, data: bytes, content_type: str) -> None:
    """Store an object as PutObject would (file first, then the row); AnalysisError when the bucket is missing."""
    from .s3 import BLOB_PREFIX

    bucket, key = split_uri(uri)
    blob = BLOB_PREFIX + uuid.uuid4().hex
    store.write_blob(blob, data)
    old: list[str] = []
    try:
        with store.transaction() as db:
            if not db.execute("SELECT 1 FROM s3_buckets WHERE name = ?", (bucket,)).fetchone():
                raise mm.AnalysisError(f"The output bucket {bucket} does not exist.")
            row = db.execute("SELECT blob FROM s3_objects WHERE bucket = ? AND key = ?", (bucket, key)).fetchone()
            old = [row["blob"]] if row else []
            db.execute(
                "INSERT OR REPLACE INTO s3_objects(bucket, key, blob, size, etag, last_modified, headers, checksum) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
                (
                    bucket,
                    key,
                    blob,
                    len(data),
                    f'"{hashlib.md5(data).hexdigest()}"',
                    _now(),
                    json.dumps({"Content-Type": content_type}),
                ),
            )
    except BaseException:
        old = [blob]
        raise
    finally:
        for name in old:
            try:
                os.unlink(store.blob_dir / name)
            except FileNotFoundError:
                pass


def _load_json(store: Store, uri: str, what: str) -> Any:
    raw = read_object(store, uri, what)
    try:
        return json.loads(raw)
    except ValueError as err:
        raise mm.AnalysisError(f"The {what} {uri} is not valid JSON ({err}).") from None


def _json_bytes(doc: Any) -> bytes:
    return json.dumps(doc, indent=2).encode()


# --- the analysis of one execution --------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What an execution found: its final status, reason, violation count; ``no_data`` when the window was empty."""

    status: str
    failure: Optional[str] = None
    violations: int = 0
    no_data: bool = False


def _capture_prefix(sm: "SageMakerService", endpoint_name: str) -> tuple[str, list[str]]:
    """The endpoint's capture URI prefix (``<destination>/<endpoint>/``) and its variant names."""
    endpoint = sm.find(sm.store, SM_KINDS["Endpoint"], endpoint_name)
    if endpoint is None:
        raise mm.AnalysisError(f"The endpoint {endpoint_name} does not exist.")
    config = sm.find(sm.store, SM_KINDS["EndpointConfig"], endpoint.get("EndpointConfigName", ""))
    capture = (config or {}).get("DataCaptureConfig") or {}
    if not capture.get("DestinationS3Uri") or not capture.get("EnableCapture", True):
        raise mm.AnalysisError(
            f"The endpoint {endpoint['EndpointName']} does not capture data (its endpoint configuration has no "
            "enabled DataCaptureConfig), so there is nothing to monitor."
        )
    variants = [v["VariantName"] for v in (config or {}).get("ProductionVariants", [])]
    return f"{capture['DestinationS3Uri'].rstrip('/')}/{endpoint['EndpointName']}/", variants


def _hour_of(key: str, prefix_key: str) -> Optional[float]:
    """The hour (epoch seconds) a capture file's ``<variant>/yyyy/mm/dd/hh/<file>`` path names, or None."""
    parts = key[len(prefix_key) :].split("/")
    if len(parts) != 6:
        return None
    try:
        y, mo, d, h = (int(p) for p in parts[1:5])
        return datetime(y, mo, d, h, tzinfo=timezone.utc).timestamp()
    except ValueError:
        return None


def captured_records(sm: "SageMakerService", endpoint_name: str, start: float, end: float) -> tuple[str, list[dict]]:
    """The capture prefix and the capture records whose inference time lies in ``[start, end)``."""
    prefix, _ = _capture_prefix(sm, endpoint_name)
    bucket, prefix_key = split_uri(prefix)
    records: list[dict[str, Any]] = []
    for key, blob in list_objects(sm.store, bucket, prefix_key):
        hour = _hour_of(key, prefix_key)
        if hour is None or hour + HOUR <= start or hour >= end:
            continue
        try:
            text = (sm.store.blob_dir / blob).read_text("utf-8", "replace")
        except FileNotFoundError:
            continue
        for record in mm.capture_records(text.splitlines()):
            t = mm.inference_time(record)
            if t is not None and start <= t < end:
                records.append(record)
    return prefix, records


def analyze(sm: "SageMakerService", definition: dict[str, Any], start: float, end: float, report_uri: str) -> Outcome:
    """Run the data quality analysis of one window and write its reports under ``report_uri``."""
    endpoint_name = definition["DataQualityJobInput"]["EndpointInput"]["EndpointName"]
    try:
        prefix, records = captured_records(sm, endpoint_name, start, end)
        if not records:
            return Outcome(
                "Failed",
                f"No captured data in the analysis window {_iso(start)} to {_iso(end)} under {prefix}: the endpoint "
                "received no traffic then, or data capture was off.",
                no_data=True,
            )
        baseline = definition.get("DataQualityBaselineConfig") or {}
        constraints_uri = (baseline.get("ConstraintsResource") or {}).get("S3Uri")
        statistics_uri = (baseline.get("StatisticsResource") or {}).get("S3Uri")
        constraints = _load_json(sm.store, constraints_uri, "baseline constraints file") if constraints_uri else None
        baseline_stats = _load_json(sm.store, statistics_uri, "baseline statistics file") if statistics_uri else None
        if constraints is not None:
            mm.check_baseline(constraints, baseline_stats)
        names = [f["name"] for f in constraints["features"]] if constraints else None
        dataset = mm.captured_inputs(records, names)
        stats = mm.statistics(dataset)
        write_object(sm.store, f"{report_uri}/statistics.json", _json_bytes(stats), "application/json")
        if constraints is None:
            return Outcome("Completed")
        found = mm.violations(dataset, stats, constraints, baseline_stats)
        write_object(
            sm.store,
            f"{report_uri}/constraint_violations.json",
            _json_bytes({"violations": found}),
            "application/json",
        )
        return Outcome("CompletedWithViolations" if found else "Completed", violations=len(found))
    except mm.AnalysisError as err:
        return Outcome("Failed", str(err))
    except Exception as err:  # noqa: BLE001 (an input the analysis did not foresee fails the execution, not the server)
        log.exception("Model Monitor analysis of %s failed", report_uri)
        return Outcome("Failed", f"InternalServerError: the analysis failed unexpectedly ({err}).")


# --- baselining jobs ----------------------------------------------------------------------------------------------


def is_baseline_job(params: dict[str, Any]) -> bool:
    """Whether a CreateProcessingJob request is a ``suggest_baseline`` job of the SageMaker Python SDK."""
    image = params.get("AppSpecification", {}).get("ImageUri", "")
    env = params.get("Environment", {})
    return (
        ANALYZER_REPOSITORY in image
        and "dataset_source" in env
        and "output_path" in env
        and "sagemaker_endpoint_name" not in env
    )


def baseline_job(store: Store, params: dict[str, Any]) -> Optional[str]:
    """Compute a baselining job's ``statistics.json`` and ``constraints.json``; the failure reason, or None."""
    env = params["Environment"]
    try:
        try:
            dataset_format = json.loads(env.get("dataset_format") or '{"csv": {"header": true}}')
        except ValueError:
            raise mm.AnalysisError("The dataset_format environment variable is not JSON.") from None
        if not isinstance(dataset_format, dict) or "csv" not in dataset_format:
            raise mm.AnalysisError("Local mode computes baselines of CSV data sets only (dataset_format {'csv': …}).")
        header = bool((dataset_format.get("csv") or {}).get("header", False))
        source = _s3_of_local_path(params.get("ProcessingInputs", []), env["dataset_source"], "S3Input")
        output = _s3_of_local_path(
            params.get("ProcessingOutputConfig", {}).get("Outputs", []), env["output_path"], "S3Output"
        )
        bucket, prefix = split_uri(source)
        texts = []
        for key, blob in list_objects(store, bucket, prefix):
            if not key.endswith("/"):
                texts.append((store.blob_dir / blob).read_text("utf-8", "replace"))
        if not texts:
            raise mm.AnalysisError(f"No S3 objects found under {source}, the baseline data set.")
        # Each file of a header data set has its header; the rows of all files make the data set.
        first = mm.read_csv(texts[0], header)
        rows = list(first.rows)
        for text in texts[1:]:
            rows.extend(mm.read_csv(text, header).rows)
        stats = mm.statistics(mm.Dataset(first.names, rows))
        output = output.rstrip("/")
        write_object(store, f"{output}/statistics.json", _json_bytes(stats), "application/json")
        write_object(
            store, f"{output}/constraints.json", _json_bytes(mm.suggest_constraints(stats)), "application/json"
        )
    except mm.AnalysisError as err:
        return f"AlgorithmError: {err}"
    except Exception as err:  # noqa: BLE001 (an input the analysis did not foresee fails the job, not the server)
        log.exception("Model Monitor baselining failed")
        return f"AlgorithmError: the baseline could not be computed ({err})."
    return None


def _s3_of_local_path(items: list[dict[str, Any]], local_path: str, member: str) -> str:
    """The S3 URI of the processing input or output mounted at ``local_path``."""
    for item in items:
        s3 = item.get(member) or {}
        if s3.get("LocalPath", "").rstrip("/") == local_path.rstrip("/") and s3.get("S3Uri"):
            return s3["S3Uri"]
    raise mm.AnalysisError(f"No processing {member} is mounted at {local_path}.")


# --- the operations -----------------------------------------------------------------------------------------------


def _summary_source(doc: dict[str, Any]) -> dict[str, Any]:
    """A schedule document with the summary members that Describe nests in ``MonitoringScheduleConfig`` lifted."""
    config = doc.get("MonitoringScheduleConfig") or {}
    return {
        **doc,
        "MonitoringJobDefinitionName": config.get("MonitoringJobDefinitionName"),
        "MonitoringType": doc.get("MonitoringType") or config.get("MonitoringType"),
    }


def _execution_summary(job: dict[str, Any]) -> dict[str, Any]:
    """The MonitoringExecutionSummary of a processing job that is an execution."""
    info = job[EXECUTION_KEY]
    summary = {
        "MonitoringScheduleName": info["MonitoringScheduleName"],
        "ScheduledTime": info["ScheduledTime"],
        "CreationTime": job["CreationTime"],
        "LastModifiedTime": job.get("LastModifiedTime", job["CreationTime"]),
        "MonitoringExecutionStatus": info["Status"],
        "ProcessingJobArn": job["ProcessingJobArn"],
        "EndpointName": info["EndpointName"],
        "FailureReason": job.get("FailureReason"),
        "MonitoringJobDefinitionName": info["MonitoringJobDefinitionName"],
        "MonitoringType": info["MonitoringType"],
    }
    return {k: v for k, v in summary.items() if v is not None}


class Operations:
    """The Model Monitor operations, on the SageMaker service's store and helpers."""

    def __init__(self, sm: "SageMakerService") -> None:
        self.sm = sm
        #: One look for due executions at a time (the clock thread and request handlers both look).
        self._due_lock = threading.Lock()
        self.clock = MonitorClock(self)
        sm.monitor_clock = self.clock  # type: ignore[attr-defined]

    def operations(self) -> dict[str, Callable[[dict[str, Any], OperationModel], dict[str, Any]]]:
        """Operation name -> handler."""
        return {
            "CreateDataQualityJobDefinition": self.create_data_quality_job_definition,
            "DescribeDataQualityJobDefinition": self.sm.describe,
            "ListDataQualityJobDefinitions": self.list_data_quality_job_definitions,
            "DeleteDataQualityJobDefinition": self.delete_data_quality_job_definition,
            "CreateMonitoringSchedule": self.create_monitoring_schedule,
            "DescribeMonitoringSchedule": self.describe_monitoring_schedule,
            "ListMonitoringSchedules": self.list_monitoring_schedules,
            "UpdateMonitoringSchedule": self.update_monitoring_schedule,
            "StartMonitoringSchedule": self.start_monitoring_schedule,
            "StopMonitoringSchedule": self.stop_monitoring_schedule,
            "DeleteMonitoringSchedule": self.delete_monitoring_schedule,
            "ListMonitoringExecutions": self.list_monitoring_executions,
        }

    # --- job definitions ----------------------------------------------------------------------------------------

    def create_data_quality_job_definition(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """CreateDataQualityJobDefinition: an endpoint input, an output, and optionally a baseline."""
        endpoint_input = params["DataQualityJobInput"].get("EndpointInput")
        if not endpoint_input:
            raise ServiceError(
                "ValidationException",
                "DataQualityJobInput must have an EndpointInput: local mode monitors endpoints, not batch transforms.",
            )
        outputs = params["DataQualityJobOutputConfig"].get("MonitoringOutputs", [])
        if not outputs or not outputs[0].get("S3Output", {}).get("S3Uri", "").startswith("s3://"):
            raise ServiceError(
                "ValidationException", "DataQualityJobOutputConfig needs a MonitoringOutput with an s3:// S3Uri."
            )
        name = params["JobDefinitionName"]
        doc = self.sm._new_doc(DATA_QUALITY_DEFINITION, name, params, _now())
        doc["_EndpointName"] = endpoint_input["EndpointName"]
        with self.sm.store.transaction() as db:
            self.sm._insert(DATA_QUALITY_DEFINITION, name, doc, db)
        return {"JobDefinitionArn": doc["JobDefinitionArn"]}

    def list_data_quality_job_definitions(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """ListDataQualityJobDefinitions with EndpointName, name and time filters, sorting and paging."""
        docs = res.load_all(self.sm.store, DATA_QUALITY_DEFINITION.kind)
        if "EndpointName" in params:
            wanted = params["EndpointName"].lower()
            docs = [d for d in docs if d.get("_EndpointName", "").lower() == wanted]
        return self.sm._listing(DATA_QUALITY_DEFINITION, params, operation, docs)

    def delete_data_quality_job_definition(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """DeleteDataQualityJobDefinition; refused while a monitoring schedule uses the definition."""
        with self.sm.store.transaction() as db:
            doc = self.sm.require(db, DATA_QUALITY_DEFINITION, params["JobDefinitionName"], operation)
            name = doc["JobDefinitionName"]
            users = [
                s["MonitoringScheduleName"]
                for s in res.load_all(db, MONITORING_SCHEDULE.kind)
                if s["MonitoringScheduleConfig"].get("MonitoringJobDefinitionName", "").lower() == name.lower()
            ]
            if users:
                raise ServiceError(
                    "ValidationException",
                    f"Job definition {name} is used by monitoring schedule {users[0]}; delete the schedule first.",
                )
            res.delete(db, DATA_QUALITY_DEFINITION.kind, name)
        return {}

    # --- schedules ----------------------------------------------------------------------------------------------

    def _check_config(self, db: Any, config: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """The job definition a schedule config names, after checking what local mode runs; the definition."""
        if "MonitoringJobDefinition" in config or "MonitoringJobDefinitionName" not in config:
            raise ServiceError(
                "ValidationException",
                "Local mode runs schedules that name a job definition (MonitoringJobDefinitionName); create it with "
                "CreateDataQualityJobDefinition.",
            )
        monitoring_type = config.get("MonitoringType", "DataQuality")
        if monitoring_type != "DataQuality":
            raise ServiceError(
                "ValidationException",
                f"Local mode runs DataQuality monitoring only; MonitoringType {monitoring_type} is not available.",
            )
        schedule = config.get("ScheduleConfig")
        if not schedule:
            raise ServiceError("ValidationException", "MonitoringScheduleConfig needs a ScheduleConfig.")
        cron = parse_cron(schedule["ScheduleExpression"])
        for member in ("DataAnalysisStartTime", "DataAnalysisEndTime"):
            if member in schedule:
                parse_offset(schedule[member], member)
            elif cron is None:
                raise ServiceError(
                    "ValidationException",
                    f"A one-time schedule (ScheduleExpression NOW) needs {member}, e.g. -PT1H and PT0H.",
                )
        start, end = _window(config, 0.0)
        if start >= end:
            raise ServiceError("ValidationException", "DataAnalysisStartTime must come before DataAnalysisEndTime.")
        definition = self.sm.find(db, DATA_QUALITY_DEFINITION, config["MonitoringJobDefinitionName"])
        if definition is None:
            arn = self.sm.arn(DATA_QUALITY_DEFINITION, config["MonitoringJobDefinitionName"])
            raise ServiceError(
                "ValidationException", DATA_QUALITY_DEFINITION.message(DATA_QUALITY_DEFINITION.not_found, "", arn)
            )
        return definition

    def create_monitoring_schedule(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """CreateMonitoringSchedule: Pending, Scheduled after one delay; NOW runs one execution at once."""
        name = params["MonitoringScheduleName"]
        config = params["MonitoringScheduleConfig"]
        t = _now()
        with self.sm.store.transaction() as db:
            definition = self._check_config(db, config, operation)
            doc = self.sm._new_doc(MONITORING_SCHEDULE, name, params, t)
            doc["MonitoringScheduleConfig"] = {
                **config,
                "MonitoringJobDefinitionName": definition["JobDefinitionName"],
                "MonitoringType": "DataQuality",
            }
            doc["MonitoringType"] = "DataQuality"
            doc["EndpointName"] = definition["_EndpointName"]
            doc["_ActiveSince"] = t
            doc["_LastTick"] = (t // HOUR - MAX_CATCH_UP) * HOUR
            lifecycle.begin(doc, "MonitoringScheduleStatus", "Pending", t, "Scheduled")
            self.sm._insert(MONITORING_SCHEDULE, name, doc, db)
        if config["ScheduleConfig"]["ScheduleExpression"] == "NOW":
            with self._due_lock:
                self._execute(doc, definition, t, t, catch_up=False)
        else:
            self.run_due()
        return {"MonitoringScheduleArn": doc["MonitoringScheduleArn"]}

    def update_monitoring_schedule(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """UpdateMonitoringSchedule: a new config (same checks as Create); status and executions stay."""
        config = params["MonitoringScheduleConfig"]
        with self.sm.store.transaction() as db:
            doc = self.sm.require(db, MONITORING_SCHEDULE, params["MonitoringScheduleName"], operation)
            definition = self._check_config(db, config, operation)
            doc["MonitoringScheduleConfig"] = {
                **config,
                "MonitoringJobDefinitionName": definition["JobDefinitionName"],
                "MonitoringType": "DataQuality",
            }
            doc["EndpointName"] = definition["_EndpointName"]
            self.sm._touch(doc, _now())
            self.sm._save(db, MONITORING_SCHEDULE, doc)
        return {"MonitoringScheduleArn": doc["MonitoringScheduleArn"]}

    def describe_monitoring_schedule(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """DescribeMonitoringSchedule, with the summary of its latest execution."""
        self.run_due()
        out = self.sm.describe(params, operation)
        executions = self._executions(out)
        if executions:
            latest = max(executions, key=lambda j: (j[EXECUTION_KEY]["ScheduledTime"], j["CreationTime"]))
            out["LastMonitoringExecutionSummary"] = _execution_summary(latest)
        return out

    def list_monitoring_schedules(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """ListMonitoringSchedules with its filters, sorting (Name, CreationTime, Status) and paging."""
        self.run_due()
        docs = [_summary_source(d) for d in self.sm.settled_all(MONITORING_SCHEDULE)]
        for param, member in (
            ("EndpointName", "EndpointName"),
            ("StatusEquals", "MonitoringScheduleStatus"),
            ("MonitoringTypeEquals", "MonitoringType"),
            ("MonitoringJobDefinitionName", "MonitoringJobDefinitionName"),
        ):
            if param in params:
                # Endpoint and definition names are case-insensitive in AWS, as every SageMaker name.
                wanted = str(params[param]).lower()
                docs = [d for d in docs if str(d.get(member) or "").lower() == wanted]
        return self.sm._listing(MONITORING_SCHEDULE, params, operation, docs)

    def _set_status(self, params: dict[str, Any], operation: OperationModel, start: bool) -> dict[str, Any]:
        found = self.sm.require(self.sm.store, MONITORING_SCHEDULE, params["MonitoringScheduleName"], operation)
        self.sm.settled(MONITORING_SCHEDULE, found)
        t = _now()
        with self.sm.store.transaction() as db:
            doc = self.sm.require(db, MONITORING_SCHEDULE, params["MonitoringScheduleName"], operation)
            status = doc["MonitoringScheduleStatus"]
            if start:
                if status == "Scheduled":
                    return {}
                if status != "Stopped":
                    raise ServiceError(
                        "ValidationException",
                        f"Monitoring schedule {doc['MonitoringScheduleName']} is {status}; only a Stopped schedule "
                        "can be started.",
                    )
                doc.pop("_Transition", None)
                doc["MonitoringScheduleStatus"] = "Scheduled"
                doc["_ActiveSince"] = t
            else:
                if status == "Stopped":
                    return {}
                if status not in ("Scheduled", "Pending"):
                    raise ServiceError(
                        "ValidationException",
                        f"Monitoring schedule {doc['MonitoringScheduleName']} is {status}; only a Scheduled schedule "
                        "can be stopped.",
                    )
                doc.pop("_Transition", None)
                doc["MonitoringScheduleStatus"] = "Stopped"
            self.sm._touch(doc, t)
            self.sm._save(db, MONITORING_SCHEDULE, doc)
        if start:
            self.run_due()
        return {}

    def start_monitoring_schedule(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """StartMonitoringSchedule: a Stopped schedule is Scheduled again (missed ticks with data catch up)."""
        return self._set_status(params, operation, start=True)

    def stop_monitoring_schedule(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """StopMonitoringSchedule: no further executions until it is started."""
        return self._set_status(params, operation, start=False)

    def delete_monitoring_schedule(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """DeleteMonitoringSchedule: the schedule and its execution history go; the processing jobs stay."""
        with self.sm.store.transaction() as db:
            doc = self.sm.require(db, MONITORING_SCHEDULE, params["MonitoringScheduleName"], operation)
            res.delete(db, MONITORING_SCHEDULE.kind, doc["MonitoringScheduleName"])
        return {}

    # --- executions ---------------------------------------------------------------------------------------------

    def _executions(self, schedule: Optional[dict[str, Any]] = None) -> list[dict[str, Any]]:
        """Processing jobs that are executions (of one schedule, or of every existing schedule), settled."""
        from .jobs import PROCESSING

        schedules = [schedule] if schedule is not None else res.load_all(self.sm.store, MONITORING_SCHEDULE.kind)
        # A re-created schedule of the same name does not inherit the history of the deleted one.
        wanted = {(s["MonitoringScheduleArn"], s["CreationTime"]) for s in schedules}
        self.sm.settle_pending(PROCESSING)
        rows = self.sm.store.query(
            "SELECT doc FROM sm_resources WHERE kind = ? AND instr(doc, ?)", (PROCESSING.kind, f'"{EXECUTION_KEY}"')
        )
        jobs = [json.loads(r["doc"]) for r in rows]
        return [
            j for j in jobs if (j.get("MonitoringScheduleArn"), j[EXECUTION_KEY].get("ScheduleCreationTime")) in wanted
        ]

    def list_monitoring_executions(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """ListMonitoringExecutions with every filter it declares, sorting and paging."""
        self.run_due()
        summaries = [_execution_summary(j) for j in self._executions()]
        for param, member in (
            ("MonitoringScheduleName", "MonitoringScheduleName"),
            ("EndpointName", "EndpointName"),
            ("MonitoringJobDefinitionName", "MonitoringJobDefinitionName"),
        ):
            if param in params:
                wanted = params[param].lower()
                summaries = [s for s in summaries if s.get(member, "").lower() == wanted]
        if "StatusEquals" in params:
            summaries = [s for s in summaries if s["MonitoringExecutionStatus"] == params["StatusEquals"]]
        if "MonitoringTypeEquals" in params:
            summaries = [s for s in summaries if s["MonitoringType"] == params["MonitoringTypeEquals"]]
        for prefix, member in (
            ("ScheduledTime", "ScheduledTime"),
            ("CreationTime", "CreationTime"),
            ("LastModifiedTime", "LastModifiedTime"),
        ):
            if f"{prefix}After" in params:
                summaries = [s for s in summaries if s[member] > params[f"{prefix}After"]]
            if f"{prefix}Before" in params:
                summaries = [s for s in summaries if s[member] < params[f"{prefix}Before"]]
        sort_by = params.get("SortBy", "CreationTime")
        member = "MonitoringExecutionStatus" if sort_by == "Status" else sort_by
        # Ties fall back to the scheduled time and the job so pages never overlap or skip.
        summaries.sort(key=lambda s: (s[member], s["ScheduledTime"], s["ProcessingJobArn"]))
        if params.get("SortOrder", "Descending") == "Descending":
            summaries.reverse()
        page, token = _page(summaries, params, operation.name, default_size=10)
        out: dict[str, Any] = {"MonitoringExecutionSummaries": page}
        if token:
            out["NextToken"] = token
        return out

    def run_due(self) -> None:
        """Start the executions of every Scheduled cron schedule whose ticks fell due since its last look."""
        with self._due_lock:
            t = _now()
            for schedule in self.sm.settled_all(MONITORING_SCHEDULE):
                if schedule["MonitoringScheduleStatus"] not in ("Scheduled", "Pending"):
                    continue
                config = schedule.get("MonitoringScheduleConfig") or {}
                try:
                    cron = parse_cron((config.get("ScheduleConfig") or {}).get("ScheduleExpression", "NOW"))
                except ServiceError:  # stored by an older version or by hand: not a schedule local mode runs
                    continue
                if cron is None:
                    continue
                ticks = cron.ticks(schedule.get("_LastTick", schedule["CreationTime"]), t)[-MAX_CATCH_UP:]
                if not ticks:
                    continue
                definition = self.sm.find(
                    self.sm.store, DATA_QUALITY_DEFINITION, config.get("MonitoringJobDefinitionName", "")
                )
                for tick in ticks:
                    if definition is not None:
                        self._execute(schedule, definition, tick, t, catch_up=tick < schedule.get("_ActiveSince", 0))
                with self.sm.store.transaction() as db:
                    current = res.load(db, MONITORING_SCHEDULE.kind, schedule["MonitoringScheduleName"])
                    if current is not None:
                        current["_LastTick"] = ticks[-1]
                        self.sm._save(db, MONITORING_SCHEDULE, current)

    def _execute(
        self, schedule: dict[str, Any], definition: dict[str, Any], scheduled: float, t: float, catch_up: bool
    ) -> None:
        """Run one execution (a processing job) for a scheduled time; a catch-up tick without data is skipped."""
        from .jobs import PROCESSING

        config = schedule["MonitoringScheduleConfig"]
        endpoint_name = definition["_EndpointName"]
        name = "model-monitoring-{}-{}".format(
            datetime.fromtimestamp(scheduled, timezone.utc).strftime("%Y%m%d%H%M"),
            hashlib.sha1(f"{schedule['MonitoringScheduleArn']}/{schedule['CreationTime']}".encode()).hexdigest()[:24],
        )
        if self.sm.find(self.sm.store, PROCESSING, name) is not None:
            return  # this tick already ran
        start, end = _window(config, scheduled)
        output = definition["DataQualityJobOutputConfig"]["MonitoringOutputs"][0]["S3Output"]
        stamp = datetime.fromtimestamp(scheduled, timezone.utc).strftime("%Y/%m/%d/%H")
        report_uri = f"{output['S3Uri'].rstrip('/')}/{endpoint_name}/{schedule['MonitoringScheduleName']}/{stamp}"
        outcome = analyze(self.sm, definition, start, end, report_uri)
        if catch_up and outcome.no_data:
            return
        # A catch-up execution ran, as AWS would have run it, shortly after its scheduled time.
        created = round(min(t, scheduled + 60.0) if catch_up else t, 3)
        run = 2 * lifecycle.delay()
        doc = self._processing_job(name, schedule, definition, start, end, report_uri, output, created)
        doc[EXECUTION_KEY] = {
            "MonitoringScheduleName": schedule["MonitoringScheduleName"],
            "ScheduleCreationTime": schedule["CreationTime"],
            "ScheduledTime": scheduled,
            "EndpointName": endpoint_name,
            "MonitoringJobDefinitionName": definition["JobDefinitionName"],
            "MonitoringType": "DataQuality",
            "Status": "Pending",
        }
        last: dict[str, Any] = {
            "ProcessingJobStatus": "Failed" if outcome.status == "Failed" else "Completed",
            "ProcessingEndTime": round(created + run, 3),
            EXECUTION_KEY: {**doc[EXECUTION_KEY], "Status": outcome.status},
        }
        if outcome.status == "Failed":
            last["FailureReason"] = outcome.failure
            last["ExitMessage"] = outcome.failure
        elif outcome.status == "CompletedWithViolations":
            last["ExitMessage"] = (
                f"CompletedWithViolations: Job completed successfully with {outcome.violations} violations."
            )
        else:
            last["ExitMessage"] = "Completed: Job completed successfully with no violations."
        started = {
            "ProcessingStartTime": round(created + run / 4, 3),
            EXECUTION_KEY: {**doc[EXECUTION_KEY], "Status": "InProgress"},
        }
        doc["ProcessingJobStatus"] = "InProgress"
        lifecycle.schedule(doc, created, [(run / 4, started), (run, last)])
        with self.sm.store.transaction() as db:
            self.sm._insert(PROCESSING, name, doc, db)

    def _processing_job(
        self,
        name: str,
        schedule: dict[str, Any],
        definition: dict[str, Any],
        start: float,
        end: float,
        report_uri: str,
        output: dict[str, Any],
        created: float,
    ) -> dict[str, Any]:
        """The processing job document of an execution, with what AWS's analyzer job is given."""
        from .jobs import PROCESSING

        endpoint_input = definition["DataQualityJobInput"]["EndpointInput"]
        endpoint_name = definition["_EndpointName"]
        app = definition["DataQualityAppSpecification"]
        baseline = definition.get("DataQualityBaselineConfig") or {}
        local_input = endpoint_input["LocalPath"].rstrip("/")
        environment = {
            **app.get("Environment", {}),
            "dataset_format": json.dumps({"sagemakerCaptureJson": {"captureIndexNames": ["endpointInput"]}}),
            "dataset_source": f"{local_input}/endpoint",
            "output_path": output.get("LocalPath", "/opt/ml/processing/output"),
            "publish_cloudwatch_metrics": "Disabled",
            "sagemaker_endpoint_name": endpoint_name,
            "sagemaker_monitoring_schedule_name": schedule["MonitoringScheduleName"],
            "start_time": _iso(start),
            "end_time": _iso(end),
        }
        for member, env in (
            ("ConstraintsResource", "baseline_constraints"),
            ("StatisticsResource", "baseline_statistics"),
        ):
            uri = (baseline.get(member) or {}).get("S3Uri")
            if uri:
                environment[env] = uri
        try:
            capture_prefix, _ = _capture_prefix(self.sm, endpoint_name)
        except mm.AnalysisError:
            capture_prefix = ""
        params: dict[str, Any] = {
            "ProcessingJobName": name,
            "ProcessingInputs": [
                {
                    "InputName": "endpoint_input_1",
                    "AppManaged": False,
                    "S3Input": {
                        "S3Uri": capture_prefix or f"s3://unknown/{endpoint_name}",
                        "LocalPath": f"{local_input}/endpoint/{endpoint_name}",
                        "S3DataType": "S3Prefix",
                        "S3InputMode": endpoint_input.get("S3InputMode", "File"),
                        "S3DataDistributionType": endpoint_input.get("S3DataDistributionType", "FullyReplicated"),
                    },
                }
            ],
            "ProcessingOutputConfig": {
                "Outputs": [
                    {
                        "OutputName": "result",
                        "S3Output": {
                            "S3Uri": report_uri,
                            "LocalPath": output.get("LocalPath", "/opt/ml/processing/output"),
                            "S3UploadMode": output.get("S3UploadMode", "Continuous"),
                        },
                        "AppManaged": False,
                    }
                ]
            },
            "ProcessingResources": definition["JobResources"],
            "StoppingCondition": definition.get("StoppingCondition", {"MaxRuntimeInSeconds": 3600}),
            "AppSpecification": {
                k: v for k, v in app.items() if k in ("ImageUri", "ContainerEntrypoint", "ContainerArguments")
            },
            "Environment": environment,
            "RoleArn": definition["RoleArn"],
        }
        if "NetworkConfig" in definition:
            params["NetworkConfig"] = definition["NetworkConfig"]
        doc = self.sm._new_doc(PROCESSING, name, params, created)
        doc["MonitoringScheduleArn"] = schedule["MonitoringScheduleArn"]
        return doc


class MonitorClock:
    """A daemon thread that starts due executions while the backend runs (``TICK_ENV`` seconds between looks)."""

    def __init__(self, ops: Operations) -> None:
        self.ops = ops
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None

    def start(self) -> None:
        """Start looking (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="model-monitor-clock", daemon=True)
            self._thread.start()

    def _loop(self) -> None:
        try:
            interval = max(0.05, float(os.environ.get(TICK_ENV) or DEFAULT_TICK))
        except ValueError:
            interval = DEFAULT_TICK
        while not self._stop.wait(interval):
            try:
                self.ops.run_due()
            except Exception:  # noqa: BLE001 (a failed look is retried at the next one; the server keeps serving)
                log.exception("Looking for due Model Monitor executions failed")

    def close(self) -> None:
        """Stop looking and wait for a look in progress (before the store closes)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
