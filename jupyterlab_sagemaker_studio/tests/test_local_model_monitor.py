"""Model Monitor in the local backend, through real HTTP and unchanged boto3 clients: job definitions and schedules
(create / describe / list / update / stop / start / delete, AWS's validation errors), baselining jobs shaped like the
SageMaker Python SDK's ``suggest_baseline``, and executions computed from captured data whose drift is known.
"""

from __future__ import annotations

import json
import math
import random
import statistics
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import pytest
from local_backend import LocalBackendThread, error_of, wait_for

from jupyterlab_sagemaker_studio.local import model_monitor as mm
from jupyterlab_sagemaker_studio.local import monitoring
from jupyterlab_sagemaker_studio.local.lifecycle import DELAY_ENV

DELAY = 0.2
ACCOUNT = "123456789012"
REGION = "us-east-1"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/SageMakerRole"
BUCKET = "monitor-tests"
ANALYZER = f"156813124566.dkr.ecr.{REGION}.amazonaws.com/sagemaker-model-monitor-analyzer"
FINAL = ("Completed", "CompletedWithViolations", "Failed")


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalBackendThread]:
    """One backend for the module, with a short lifecycle delay; each test uses its own names."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DELAY_ENV, str(DELAY))
        with LocalBackendThread(tmp_path_factory.mktemp("monitor") / "data", region=REGION, account_id=ACCOUNT) as b:
            b.client("s3").create_bucket(Bucket=BUCKET)
            yield b


@pytest.fixture(scope="module")
def sm(local: LocalBackendThread) -> Any:
    return local.client("sagemaker")


@pytest.fixture(scope="module")
def s3(local: LocalBackendThread) -> Any:
    return local.client("s3")


# --- data with known drift ----------------------------------------------------------------------------------------


def rows(n: int, seed: int, shift: float = 0.0) -> list[tuple[float, int]]:
    """``(x, k)`` rows: x ~ N(shift, 1), k uniform in 0..9 (the same in every sample)."""
    rng = random.Random(seed)
    return [(round(rng.gauss(shift, 1.0), 6), rng.randrange(10)) for _ in range(n)]


def endpoint(sm: Any, name: str) -> None:
    """An endpoint whose variant captures its inputs under s3://BUCKET/capture."""
    sm.create_model(ModelName=f"{name}-model", PrimaryContainer={"Image": "img:1"}, ExecutionRoleArn=ROLE)
    sm.create_endpoint_config(
        EndpointConfigName=f"{name}-config",
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": f"{name}-model",
                "InstanceType": "ml.m5.large",
                "InitialInstanceCount": 1,
            }
        ],
        DataCaptureConfig={
            "EnableCapture": True,
            "InitialSamplingPercentage": 100,
            "DestinationS3Uri": f"s3://{BUCKET}/capture",
            "CaptureOptions": [{"CaptureMode": "Input"}, {"CaptureMode": "Output"}],
        },
    )
    sm.create_endpoint(EndpointName=name, EndpointConfigName=f"{name}-config")


def capture(s3: Any, name: str, data: list[tuple[float, int]], at: float) -> None:
    """Captured requests of ``data``, one a second from ``at``, in AWS's capture layout and record format."""
    files: dict[str, list[str]] = {}
    for i, row in enumerate(data):
        t = datetime.fromtimestamp(at + i, timezone.utc)
        record = {
            "captureData": {
                "endpointInput": {
                    "observedContentType": "text/csv",
                    "mode": "INPUT",
                    "data": ",".join(str(v) for v in row),
                    "encoding": "CSV",
                },
                "endpointOutput": {
                    "observedContentType": "text/csv; charset=utf-8",
                    "mode": "OUTPUT",
                    "data": "0.5",
                    "encoding": "CSV",
                },
            },
            "eventMetadata": {"eventId": str(uuid.uuid4()), "inferenceTime": t.strftime("%Y-%m-%dT%H:%M:%SZ")},
            "eventVersion": "0",
        }
        key = f"capture/{name}/AllTraffic/{t:%Y/%m/%d/%H}/{uuid.uuid4()}.jsonl"
        files.setdefault(t.strftime("%Y%m%d%H"), [key]).append(json.dumps(record))
    for lines in files.values():
        s3.put_object(Bucket=BUCKET, Key=lines[0], Body="\n".join(lines[1:]).encode())


def suggest_baseline(sm: Any, s3: Any, name: str, data: list[tuple[float, int]]) -> tuple[str, str]:
    """A baselining job as ``DefaultModelMonitor.suggest_baseline`` sends it; the constraints and statistics URIs."""
    body = "x,k\n" + "".join(f"{x},{k}\n" for x, k in data)
    s3.put_object(Bucket=BUCKET, Key=f"baselines/{name}/input/train.csv", Body=body.encode())
    output = f"s3://{BUCKET}/baselines/{name}/output"
    sm.create_processing_job(
        ProcessingJobName=f"{name}-baseline",
        ProcessingInputs=[
            {
                "InputName": "baseline_dataset_input",
                "S3Input": {
                    "S3Uri": f"s3://{BUCKET}/baselines/{name}/input/train.csv",
                    "LocalPath": "/opt/ml/processing/input/baseline_dataset_input",
                    "S3DataType": "S3Prefix",
                    "S3InputMode": "File",
                },
            }
        ],
        ProcessingOutputConfig={
            "Outputs": [
                {
                    "OutputName": "monitoring_output",
                    "S3Output": {"S3Uri": output, "LocalPath": "/opt/ml/processing/output", "S3UploadMode": "EndOfJob"},
                }
            ]
        },
        ProcessingResources={
            "ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.xlarge", "VolumeSizeInGB": 20}
        },
        AppSpecification={"ImageUri": ANALYZER},
        Environment={
            "dataset_format": json.dumps({"csv": {"header": True, "output_columns_position": "START"}}),
            "dataset_source": "/opt/ml/processing/input/baseline_dataset_input",
            "output_path": "/opt/ml/processing/output",
            "publish_cloudwatch_metrics": "Disabled",
        },
        RoleArn=ROLE,
    )
    job = wait_for(
        lambda: (
            (d := sm.describe_processing_job(ProcessingJobName=f"{name}-baseline"))["ProcessingJobStatus"]
            in ("Completed", "Failed")
            and d
        )
    )
    assert job["ProcessingJobStatus"] == "Completed", job.get("FailureReason")
    return f"{output}/constraints.json", f"{output}/statistics.json"


def definition(sm: Any, name: str, endpoint_name: str, constraints: str | None, stats: str | None) -> None:
    """A data quality job definition of the endpoint, reporting under s3://BUCKET/reports."""
    baseline = {}
    if constraints:
        baseline["ConstraintsResource"] = {"S3Uri": constraints}
    if stats:
        baseline["StatisticsResource"] = {"S3Uri": stats}
    sm.create_data_quality_job_definition(
        JobDefinitionName=name,
        **({"DataQualityBaselineConfig": baseline} if baseline else {}),
        DataQualityAppSpecification={"ImageUri": ANALYZER},
        DataQualityJobInput={"EndpointInput": {"EndpointName": endpoint_name, "LocalPath": "/opt/ml/processing/input"}},
        DataQualityJobOutputConfig={
            "MonitoringOutputs": [
                {"S3Output": {"S3Uri": f"s3://{BUCKET}/reports", "LocalPath": "/opt/ml/processing/output"}}
            ]
        },
        JobResources={"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.xlarge", "VolumeSizeInGB": 20}},
        RoleArn=ROLE,
        StoppingCondition={"MaxRuntimeInSeconds": 1800},
    )


def run_now(sm: Any, schedule: str, job_definition: str) -> dict[str, Any]:
    """A one-time schedule over the last hour; its execution once finished."""
    sm.create_monitoring_schedule(
        MonitoringScheduleName=schedule,
        MonitoringScheduleConfig={
            "ScheduleConfig": {
                "ScheduleExpression": "NOW",
                "DataAnalysisStartTime": "-PT1H",
                "DataAnalysisEndTime": "PT0H",
            },
            "MonitoringJobDefinitionName": job_definition,
            "MonitoringType": "DataQuality",
        },
    )

    def finished() -> Any:
        found = sm.list_monitoring_executions(MonitoringScheduleName=schedule)["MonitoringExecutionSummaries"]
        return found and found[0]["MonitoringExecutionStatus"] in FINAL and found[0]

    return wait_for(finished)


def report(sm: Any, s3: Any, execution: dict[str, Any], file: str) -> Any:
    """A report file of an execution, found as the panels find it: execution -> processing job -> output URI."""
    job = sm.describe_processing_job(ProcessingJobName=execution["ProcessingJobArn"].rsplit("/", 1)[1])
    uri = job["ProcessingOutputConfig"]["Outputs"][0]["S3Output"]["S3Uri"]
    bucket, _, prefix = uri[len("s3://") :].partition("/")
    return json.loads(s3.get_object(Bucket=bucket, Key=f"{prefix}/{file}")["Body"].read())


@pytest.fixture(scope="module")
def baseline(sm: Any, s3: Any) -> tuple[str, str, list[tuple[float, int]]]:
    """Baseline files of 600 rows of the reference distribution."""
    data = rows(600, seed=1)
    constraints, stats = suggest_baseline(sm, s3, "reference", data)
    return constraints, stats, data


# --- baselining ---------------------------------------------------------------------------------------------------


def test_baseline_job_computes_statistics_and_constraints(s3: Any, baseline: Any) -> None:
    constraints_uri, stats_uri, data = baseline
    get = lambda uri: json.loads(s3.get_object(Bucket=BUCKET, Key=uri.split("/", 3)[3])["Body"].read())  # noqa: E731
    stats, constraints = get(stats_uri), get(constraints_uri)
    assert stats["dataset"]["item_count"] == 600
    x, k = stats["features"]
    assert (x["name"], x["inferred_type"], k["name"], k["inferred_type"]) == ("x", "Fractional", "k", "Integral")
    xs = [r[0] for r in data]
    numeric = x["numerical_statistics"]
    assert numeric["common"] == {"num_present": 600, "num_missing": 0}
    assert math.isclose(numeric["mean"], statistics.fmean(xs), rel_tol=1e-9)
    assert math.isclose(numeric["std_dev"], statistics.pstdev(xs), rel_tol=1e-9)
    assert (numeric["min"], numeric["max"]) == (min(xs), max(xs))
    buckets = numeric["distribution"]["kll"]["buckets"]
    assert len(buckets) == 10 and sum(b["count"] for b in buckets) == 600
    assert buckets[0]["lower_bound"] == min(xs) and buckets[-1]["upper_bound"] == max(xs)
    assert sorted(numeric["distribution"]["kll"]["sketch"]["data"][0]) == sorted(xs)
    assert [f["name"] for f in constraints["features"]] == ["x", "k"]
    assert constraints["features"][1]["num_constraints"] == {"is_non_negative": True}
    assert constraints["features"][0]["completeness"] == 1.0
    assert constraints["monitoring_config"]["distribution_constraints"]["comparison_method"] == "Robust"


def test_baseline_job_without_data_fails(sm: Any) -> None:
    sm.create_processing_job(
        ProcessingJobName="empty-baseline",
        ProcessingInputs=[
            {
                "InputName": "baseline_dataset_input",
                "S3Input": {
                    "S3Uri": f"s3://{BUCKET}/nothing-here/",
                    "LocalPath": "/opt/ml/processing/input/baseline_dataset_input",
                    "S3DataType": "S3Prefix",
                    "S3InputMode": "File",
                },
            }
        ],
        ProcessingOutputConfig={
            "Outputs": [
                {
                    "OutputName": "monitoring_output",
                    "S3Output": {
                        "S3Uri": f"s3://{BUCKET}/x",
                        "LocalPath": "/opt/ml/processing/output",
                        "S3UploadMode": "EndOfJob",
                    },
                }
            ]
        },
        ProcessingResources={
            "ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.xlarge", "VolumeSizeInGB": 20}
        },
        AppSpecification={"ImageUri": ANALYZER},
        Environment={
            "dataset_format": json.dumps({"csv": {"header": True}}),
            "dataset_source": "/opt/ml/processing/input/baseline_dataset_input",
            "output_path": "/opt/ml/processing/output",
        },
        RoleArn=ROLE,
    )
    job = wait_for(
        lambda: (
            (d := sm.describe_processing_job(ProcessingJobName="empty-baseline"))["ProcessingJobStatus"] != "InProgress"
            and d
        )
    )
    assert job["ProcessingJobStatus"] == "Failed"
    assert "No S3 objects found" in job["FailureReason"]


# --- executions ---------------------------------------------------------------------------------------------------


def test_same_distribution_has_no_violations(sm: Any, s3: Any, baseline: Any) -> None:
    constraints, stats, _ = baseline
    endpoint(sm, "ep-same")
    capture(s3, "ep-same", rows(200, seed=2), time.time() - 1800)
    definition(sm, "dq-same", "ep-same", constraints, stats)
    execution = run_now(sm, "now-same", "dq-same")
    assert execution["MonitoringExecutionStatus"] == "Completed", execution.get("FailureReason")
    assert execution["EndpointName"] == "ep-same" and execution["MonitoringType"] == "DataQuality"
    assert execution["MonitoringJobDefinitionName"] == "dq-same"
    assert report(sm, s3, execution, "constraint_violations.json") == {"violations": []}
    current = report(sm, s3, execution, "statistics.json")
    assert current["dataset"]["item_count"] == 200
    assert [f["name"] for f in current["features"]] == ["x", "k"]


def test_shifted_mean_is_baseline_drift(sm: Any, s3: Any, baseline: Any) -> None:
    constraints, stats, _ = baseline
    endpoint(sm, "ep-shift")
    shifted = rows(200, seed=3, shift=1.5)
    capture(s3, "ep-shift", shifted, time.time() - 1800)
    definition(sm, "dq-shift", "ep-shift", constraints, stats)
    execution = run_now(sm, "now-shift", "dq-shift")
    assert execution["MonitoringExecutionStatus"] == "CompletedWithViolations"
    found = report(sm, s3, execution, "constraint_violations.json")["violations"]
    assert [(v["feature_name"], v["constraint_check_type"]) for v in found] == [("x", "baseline_drift_check")]
    assert found[0]["description"].startswith("Numerical distance: ")
    assert found[0]["description"].endswith("exceeds numerical threshold: 0.1")
    current = report(sm, s3, execution, "statistics.json")
    assert math.isclose(current["features"][0]["numerical_statistics"]["mean"], statistics.fmean(r[0] for r in shifted))
    job = sm.describe_processing_job(ProcessingJobName=execution["ProcessingJobArn"].rsplit("/", 1)[1])
    assert job["ProcessingJobStatus"] == "Completed"
    assert job["MonitoringScheduleArn"].endswith(":monitoring-schedule/now-shift")
    assert job["Environment"]["sagemaker_endpoint_name"] == "ep-shift"
    described = sm.describe_monitoring_schedule(MonitoringScheduleName="now-shift")
    last = described["LastMonitoringExecutionSummary"]
    assert last["MonitoringExecutionStatus"] == "CompletedWithViolations"
    assert last["ProcessingJobArn"] == execution["ProcessingJobArn"]
    assert described["EndpointName"] == "ep-shift" and described["MonitoringType"] == "DataQuality"


def test_type_and_completeness_violations(sm: Any, s3: Any, baseline: Any) -> None:
    constraints, stats, _ = baseline
    endpoint(sm, "ep-types")
    data: list[Any] = [(x, "" if i % 4 == 0 else k + 0.5) for i, (x, k) in enumerate(rows(200, seed=4))]
    capture(s3, "ep-types", data, time.time() - 1800)
    definition(sm, "dq-types", "ep-types", constraints, stats)
    execution = run_now(sm, "now-types", "dq-types")
    found = report(sm, s3, execution, "constraint_violations.json")["violations"]
    checks = {(v["feature_name"], v["constraint_check_type"]) for v in found}
    assert {("k", "completeness_check"), ("k", "data_type_check")} <= checks
    assert ("x", "baseline_drift_check") not in checks


def test_malformed_baseline_fails_with_a_reason(sm: Any, s3: Any, baseline: Any) -> None:
    _, stats, _ = baseline
    s3.put_object(Bucket=BUCKET, Key="broken/constraints.json", Body=b'{"version": 0, "feature": []}')
    endpoint(sm, "ep-broken")
    capture(s3, "ep-broken", rows(50, seed=5), time.time() - 1800)
    definition(sm, "dq-broken", "ep-broken", f"s3://{BUCKET}/broken/constraints.json", stats)
    execution = run_now(sm, "now-broken", "dq-broken")
    assert execution["MonitoringExecutionStatus"] == "Failed"
    assert "no 'features' list" in execution["FailureReason"]
    job = sm.describe_processing_job(ProcessingJobName=execution["ProcessingJobArn"].rsplit("/", 1)[1])
    assert job["ProcessingJobStatus"] == "Failed" and job["FailureReason"] == execution["FailureReason"]


def test_no_captured_data_fails(sm: Any, baseline: Any) -> None:
    constraints, stats, _ = baseline
    endpoint(sm, "ep-quiet")
    definition(sm, "dq-quiet", "ep-quiet", constraints, stats)
    execution = run_now(sm, "now-quiet", "dq-quiet")
    assert execution["MonitoringExecutionStatus"] == "Failed"
    assert execution["FailureReason"].startswith("No captured data in the analysis window")
    # Deleting the schedule takes its history out of the list; the processing job stays.
    sm.delete_monitoring_schedule(MonitoringScheduleName="now-quiet")
    assert not sm.list_monitoring_executions(MonitoringScheduleName="now-quiet")["MonitoringExecutionSummaries"]
    job = sm.describe_processing_job(ProcessingJobName=execution["ProcessingJobArn"].rsplit("/", 1)[1])
    assert job["ProcessingJobStatus"] == "Failed"


def test_stopping_the_processing_job_stops_the_execution(
    sm: Any, s3: Any, baseline: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    constraints, stats, _ = baseline
    endpoint(sm, "ep-stop")
    capture(s3, "ep-stop", rows(30, seed=8), time.time() - 1800)
    definition(sm, "dq-stop", "ep-stop", constraints, stats)
    monkeypatch.setenv(DELAY_ENV, "2")  # the execution runs 4 s: long enough to be stopped
    sm.create_monitoring_schedule(
        MonitoringScheduleName="now-stop",
        MonitoringScheduleConfig={
            "ScheduleConfig": {
                "ScheduleExpression": "NOW",
                "DataAnalysisStartTime": "-PT1H",
                "DataAnalysisEndTime": "PT0H",
            },
            "MonitoringJobDefinitionName": "dq-stop",
        },
    )
    (execution,) = sm.list_monitoring_executions(MonitoringScheduleName="now-stop")["MonitoringExecutionSummaries"]
    sm.stop_processing_job(ProcessingJobName=execution["ProcessingJobArn"].rsplit("/", 1)[1])

    def status() -> str:
        found = sm.list_monitoring_executions(MonitoringScheduleName="now-stop")["MonitoringExecutionSummaries"]
        return found[0]["MonitoringExecutionStatus"]

    assert status() == "Stopping"
    wait_for(lambda: status() == "Stopped")


def test_hourly_schedule_catches_up_ticks_with_data(sm: Any, s3: Any, baseline: Any) -> None:
    constraints, stats, _ = baseline
    hour = (time.time() // 3600) * 3600
    endpoint(sm, "ep-hourly")
    capture(s3, "ep-hourly", rows(60, seed=6), hour - 3 * 3600 + 60)  # analysed by the tick at hour - 2h
    capture(s3, "ep-hourly", rows(60, seed=7, shift=2.0), hour - 2 * 3600 + 60)  # by the tick at hour - 1h
    definition(sm, "dq-hourly", "ep-hourly", constraints, stats)
    created = time.time()
    sm.create_monitoring_schedule(
        MonitoringScheduleName="hourly",
        MonitoringScheduleConfig={
            "ScheduleConfig": {"ScheduleExpression": "cron(0 * ? * * *)"},
            "MonitoringJobDefinitionName": "dq-hourly",
            "MonitoringType": "DataQuality",
        },
    )
    assert sm.describe_monitoring_schedule(MonitoringScheduleName="hourly")["MonitoringScheduleStatus"] == "Pending"
    wait_for(
        lambda: (
            sm.describe_monitoring_schedule(MonitoringScheduleName="hourly")["MonitoringScheduleStatus"] == "Scheduled"
        )
    )

    def history() -> list[dict[str, Any]]:
        return sm.list_monitoring_executions(
            MonitoringScheduleName="hourly", ScheduledTimeBefore=created, SortBy="ScheduledTime", SortOrder="Ascending"
        )["MonitoringExecutionSummaries"]

    wait_for(lambda: all(e["MonitoringExecutionStatus"] in FINAL for e in history()))
    found = history()
    assert [e["ScheduledTime"].timestamp() for e in found] == [hour - 2 * 3600, hour - 3600]
    assert [e["MonitoringExecutionStatus"] for e in found] == ["Completed", "CompletedWithViolations"]
    violating = sm.list_monitoring_executions(EndpointName="ep-hourly", StatusEquals="CompletedWithViolations")
    assert [e["ScheduledTime"].timestamp() for e in violating["MonitoringExecutionSummaries"]] == [hour - 3600]
    first = sm.list_monitoring_executions(MonitoringScheduleName="hourly", ScheduledTimeBefore=created, MaxResults=1)
    assert len(first["MonitoringExecutionSummaries"]) == 1
    second = sm.list_monitoring_executions(
        MonitoringScheduleName="hourly", ScheduledTimeBefore=created, MaxResults=1, NextToken=first["NextToken"]
    )
    assert "NextToken" not in second
    both = first["MonitoringExecutionSummaries"] + second["MonitoringExecutionSummaries"]
    assert {e["ProcessingJobArn"] for e in both} == {e["ProcessingJobArn"] for e in found}
    assert not sm.list_monitoring_executions(MonitoringScheduleName="hourly", MonitoringTypeEquals="ModelQuality")[
        "MonitoringExecutionSummaries"
    ]


def test_the_clock_runs_executions_when_their_tick_falls_due(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch, baseline: Any, s3: Any
) -> None:
    constraints, stats, _ = baseline
    monkeypatch.setenv(DELAY_ENV, str(DELAY))
    monkeypatch.setenv(monitoring.TICK_ENV, "0.1")
    with LocalBackendThread(tmp_path / "data", region=REGION, account_id=ACCOUNT) as other:
        sm2, s3b = other.client("sagemaker"), other.client("s3")
        s3b.create_bucket(Bucket=BUCKET)
        for uri in (constraints, stats):
            key = uri.split("/", 3)[3]
            s3b.put_object(Bucket=BUCKET, Key=key, Body=s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())
        endpoint(sm2, "ep-clock")
        definition(sm2, "dq-clock", "ep-clock", constraints, stats)
        sm2.create_monitoring_schedule(
            MonitoringScheduleName="clock",
            MonitoringScheduleConfig={
                "ScheduleConfig": {"ScheduleExpression": "cron(0 * ? * * *)"},
                "MonitoringJobDefinitionName": "dq-clock",
                "MonitoringType": "DataQuality",
            },
        )
        store = other.backend.store
        assert not store.query("SELECT 1 FROM sm_resources WHERE instr(doc, '\"_Monitoring\"')")
        # The next tick falls due: no request asks, the clock thread alone starts its execution.
        next_tick = (time.time() // 3600 + 1) * 3600
        monkeypatch.setattr(monitoring, "_now", lambda: next_tick + 1.0)
        rows = wait_for(lambda: store.query("SELECT doc FROM sm_resources WHERE instr(doc, '\"_Monitoring\"')"))
        execution = json.loads(rows[0]["doc"])["_Monitoring"]
        assert execution["MonitoringScheduleName"] == "clock" and execution["ScheduledTime"] == next_tick


# --- operations ---------------------------------------------------------------------------------------------------


def test_job_definition_and_schedule_round_trip(sm: Any, baseline: Any) -> None:
    constraints, stats, _ = baseline
    endpoint(sm, "ep-ops")
    definition(sm, "dq-ops", "ep-ops", constraints, stats)
    described = sm.describe_data_quality_job_definition(JobDefinitionName="dq-ops")
    assert described["JobDefinitionArn"] == f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:data-quality-job-definition/dq-ops"
    assert described["DataQualityBaselineConfig"]["ConstraintsResource"]["S3Uri"] == constraints
    listed = sm.list_data_quality_job_definitions(EndpointName="ep-ops")["JobDefinitionSummaries"]
    assert [(d["MonitoringJobDefinitionName"], d["EndpointName"]) for d in listed] == [("dq-ops", "ep-ops")]
    assert error_of(sm.create_data_quality_job_definition, **_definition_request("dq-ops"))["Code"] == "ResourceInUse"

    config = {
        "ScheduleConfig": {"ScheduleExpression": "cron(0 */6 ? * * *)"},
        "MonitoringJobDefinitionName": "dq-ops",
        "MonitoringType": "DataQuality",
    }
    arn = sm.create_monitoring_schedule(MonitoringScheduleName="ops", MonitoringScheduleConfig=config)[
        "MonitoringScheduleArn"
    ]
    assert arn == f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:monitoring-schedule/ops"
    summaries = sm.list_monitoring_schedules(EndpointName="ep-ops")["MonitoringScheduleSummaries"]
    assert [(s["MonitoringScheduleName"], s["MonitoringJobDefinitionName"]) for s in summaries] == [("ops", "dq-ops")]
    wait_for(
        lambda: sm.describe_monitoring_schedule(MonitoringScheduleName="ops")["MonitoringScheduleStatus"] == "Scheduled"
    )
    sm.stop_monitoring_schedule(MonitoringScheduleName="ops")
    assert sm.describe_monitoring_schedule(MonitoringScheduleName="ops")["MonitoringScheduleStatus"] == "Stopped"
    assert sm.list_monitoring_schedules(StatusEquals="Stopped", EndpointName="ep-ops")["MonitoringScheduleSummaries"]
    sm.start_monitoring_schedule(MonitoringScheduleName="ops")
    assert sm.describe_monitoring_schedule(MonitoringScheduleName="ops")["MonitoringScheduleStatus"] == "Scheduled"
    sm.update_monitoring_schedule(
        MonitoringScheduleName="ops",
        MonitoringScheduleConfig={**config, "ScheduleConfig": {"ScheduleExpression": "cron(0 3 ? * * *)"}},
    )
    updated = sm.describe_monitoring_schedule(MonitoringScheduleName="ops")
    assert updated["MonitoringScheduleConfig"]["ScheduleConfig"]["ScheduleExpression"] == "cron(0 3 ? * * *)"

    in_use = error_of(sm.delete_data_quality_job_definition, JobDefinitionName="dq-ops")
    assert in_use["Code"] == "ValidationException" and "ops" in in_use["Message"]
    sm.delete_monitoring_schedule(MonitoringScheduleName="ops")
    assert error_of(sm.describe_monitoring_schedule, MonitoringScheduleName="ops")["Code"] == "ResourceNotFound"
    sm.delete_data_quality_job_definition(JobDefinitionName="dq-ops")
    gone = error_of(sm.describe_data_quality_job_definition, JobDefinitionName="dq-ops")
    assert gone["Code"] == "ResourceNotFound"


def _definition_request(name: str) -> dict[str, Any]:
    return {
        "JobDefinitionName": name,
        "DataQualityAppSpecification": {"ImageUri": ANALYZER},
        "DataQualityJobInput": {"EndpointInput": {"EndpointName": "ep-ops", "LocalPath": "/opt/ml/processing/input"}},
        "DataQualityJobOutputConfig": {
            "MonitoringOutputs": [{"S3Output": {"S3Uri": f"s3://{BUCKET}/r", "LocalPath": "/o"}}]
        },
        "JobResources": {"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.xlarge", "VolumeSizeInGB": 20}},
        "RoleArn": ROLE,
    }


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"ScheduleConfig": {"ScheduleExpression": "rate(1 hour)"}}, "Invalid ScheduleExpression"),
        ({"ScheduleConfig": {"ScheduleExpression": "cron(0 25 ? * * *)"}}, "Invalid ScheduleExpression"),
        ({"ScheduleConfig": {"ScheduleExpression": "NOW"}}, "needs DataAnalysisStartTime"),
        (
            {
                "ScheduleConfig": {
                    "ScheduleExpression": "NOW",
                    "DataAnalysisStartTime": "-1h",
                    "DataAnalysisEndTime": "PT0H",
                }
            },
            "not an ISO 8601 duration",
        ),
        (
            {"ScheduleConfig": {"ScheduleExpression": "cron(0 * ? * * *)"}, "MonitoringType": "ModelQuality"},
            "DataQuality",
        ),
        (
            {"ScheduleConfig": {"ScheduleExpression": "cron(0 * ? * * *)"}, "MonitoringJobDefinitionName": "missing"},
            "does not exist",
        ),
    ],
)
def test_schedule_validation(sm: Any, config: dict[str, Any], message: str) -> None:
    request = {"MonitoringJobDefinitionName": "dq-validation", "MonitoringType": "DataQuality", **config}
    if not sm.list_data_quality_job_definitions(NameContains="dq-validation")["JobDefinitionSummaries"]:
        sm.create_data_quality_job_definition(**_definition_request("dq-validation"))
    error = error_of(sm.create_monitoring_schedule, MonitoringScheduleName="invalid", MonitoringScheduleConfig=request)
    assert error["Code"] == "ValidationException"
    assert message in error["Message"]


def test_requests_are_checked_against_the_service_model(sm: Any) -> None:
    error = error_of(sm.describe_monitoring_schedule, MonitoringScheduleName="bad_name")
    assert error["Code"] == "ValidationException"
    assert "failed to satisfy constraint: Member must satisfy regular expression pattern" in error["Message"]
    error = error_of(sm.list_monitoring_executions, StatusEquals="Done")
    assert error["Code"] == "ValidationException" and "enum value set" in error["Message"]
    assert error_of(sm.stop_monitoring_schedule, MonitoringScheduleName="nope")["Code"] == "ResourceNotFound"


# --- the computation ----------------------------------------------------------------------------------------------


def test_numerical_distance_is_the_largest_cdf_gap() -> None:
    assert mm.numerical_distance([1, 2, 3, 4], [1, 2, 3, 4]) == 0.0
    assert mm.numerical_distance([1, 2, 3, 4], [3, 4, 5, 6]) == 0.5
    assert mm.numerical_distance([0, 0], [1, 1]) == 1.0
    assert math.isclose(mm.robust(0.5, 100, 100), 0.5 - 1.8 * math.sqrt(200 / 10000))
    assert mm.robust(0.1, 10, 10) == 0.0
    assert mm.categorical_distance({"a": 5, "b": 5}, {"a": 9, "b": 1}) == 0.4


def test_cron_forms_and_their_ticks() -> None:
    day = 1_700_000_000 // 86400 * 86400  # a midnight, UTC
    hourly = monitoring.parse_cron("cron(0 * ? * * *)")
    assert hourly is not None and hourly.ticks(day - 1, day + 3 * 3600) == [day + h * 3600 for h in range(4)]
    every_six = monitoring.parse_cron("cron(0 */6 ? * * *)")
    assert every_six is not None and every_six.ticks(day, day + 86400) == [day + h * 3600 for h in (6, 12, 18, 24)]
    daily = monitoring.parse_cron("cron(0 3 ? * * *)")
    assert daily is not None and daily.ticks(day, day + 2 * 86400) == [day + 3 * 3600, day + 86400 + 3 * 3600]
    assert monitoring.parse_cron("NOW") is None
    assert monitoring.parse_offset("-PT1H30M", "DataAnalysisStartTime") == -5400
    assert monitoring.parse_offset("PT0H", "DataAnalysisEndTime") == 0


def test_categorical_features_have_domains_and_drift() -> None:
    baseline = mm.read_csv("color,n\n" + "red,1\nblue,2\n" * 50, header=True)
    stats = mm.statistics(baseline)
    constraints = mm.suggest_constraints(stats)
    assert stats["features"][0]["inferred_type"] == "String"
    assert constraints["features"][0]["string_constraints"] == {"domains": ["blue", "red"]}
    same = mm.read_csv("color,n\n" + "blue,1\nred,2\n" * 40, header=True)
    assert mm.violations(same, mm.statistics(same), constraints, stats) == []
    shifted = mm.read_csv("color,n\n" + "green,1\n" * 30 + "red,2\n" * 50, header=True)
    found = mm.violations(shifted, mm.statistics(shifted), constraints, stats)
    assert {(v["feature_name"], v["constraint_check_type"]) for v in found} == {
        ("color", "categorical_values_check"),
        ("color", "baseline_drift_check"),
    }
