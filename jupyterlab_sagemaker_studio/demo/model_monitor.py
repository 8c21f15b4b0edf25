"""Demo Model Monitor content: the diabetes endpoint's captured traffic, a data quality baseline, a job definition and
an hourly schedule whose executions find the drift that the later hours of traffic really have.

Everything goes through the public API (boto3), so it means the same in AWS:

- the endpoint ``diabetes-regression-staging`` captures its inputs and outputs under
  ``s3://<bucket>/sagemaker-studio-demo/data-capture`` (its endpoint config's ``DataCaptureConfig``);
- ``HISTORY_HOURS`` hours of requests (and the current hour so far) are written in the capture format and layout
  (``<prefix>/<endpoint>/AllTraffic/yyyy/mm/dd/hh/<file>.jsonl``). Every request is a real row of scikit-learn's
  bundled diabetes data set, the response the approved model's real prediction for it. The early hours draw rows
  from the held-out split (the population the model was trained on); the last ``DRIFTED_HOURS`` hours and the current
  one draw rows from the patients in the top third of body-mass index, so ``bmi`` (and what correlates with it)
  drifts for real;
- the baseline is computed by a processing job shaped like the SageMaker Python SDK's
  ``DefaultModelMonitor.suggest_baseline`` on the training split's features (header row, no label);
- the job definition ``diabetes-regression-staging-data-quality`` checks against that baseline and reports under
  ``s3://<bucket>/sagemaker-studio-demo/model-monitor/reports``; the hourly schedule of the same name runs it. In
  local mode the schedule catches up the past hours with captured data at once (some clean, some with violations);
  in AWS the first execution runs at the next full hour.

In AWS the baseline job and each hourly execution run (and bill) a processing instance, so this content is created
there only with ``start_jobs``.
"""

from __future__ import annotations

import io
import json
import tarfile
import time
import uuid
from datetime import datetime, timezone
from typing import Any

from .catalog import S3_PREFIX, ExperimentSpec
from .provisioner import Provisioner

#: The experiment whose deployment is monitored.
MONITORED_DATASET = "load_diabetes"
CAPTURE_PREFIX = f"{S3_PREFIX}/data-capture"
MONITOR_PREFIX = f"{S3_PREFIX}/model-monitor"
#: Complete hours of captured traffic before the current one, and how many of the latest of them drift.
HISTORY_HOURS = 8
DRIFTED_HOURS = 3
REQUESTS_PER_HOUR = 60
VARIANT = "AllTraffic"
HOUR = 3600

#: AWS account of the ``sagemaker-model-monitor-analyzer`` image per region (the SageMaker Python SDK's
#: ``image_uri_config/model-monitor.json``).
ANALYZER_REGISTRIES = {
    "af-south-1": "875698925577",
    "ap-east-1": "001633400207",
    "ap-northeast-1": "574779866223",
    "ap-northeast-2": "709848358524",
    "ap-northeast-3": "990339680094",
    "ap-south-1": "126357580389",
    "ap-southeast-1": "245545462676",
    "ap-southeast-2": "563025443158",
    "ap-southeast-3": "669540362728",
    "ca-central-1": "536280801234",
    "eu-central-1": "048819808253",
    "eu-north-1": "895015795356",
    "eu-south-1": "933208885752",
    "eu-west-1": "468650794304",
    "eu-west-2": "749857270468",
    "eu-west-3": "680080141114",
    "me-south-1": "607024016150",
    "sa-east-1": "539772159869",
    "us-east-1": "156813124566",
    "us-east-2": "777275614652",
    "us-west-1": "890145073186",
    "us-west-2": "159807026194",
}
INSTANCE = {"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.xlarge", "VolumeSizeInGB": 20}}


def capture_destination(bucket: str) -> str:
    """Where the monitored endpoint captures its traffic."""
    return f"s3://{bucket}/{CAPTURE_PREFIX}"


def schedule_name(experiment: ExperimentSpec) -> str:
    """The monitored endpoint's schedule (and job definition) name."""
    return f"{experiment.deployment.endpoint_name}-data-quality"


def analyzer_image_uri(region: str) -> str:
    """The Model Monitor analyzer image of a region; a clear error for a region without one."""
    try:
        account = ANALYZER_REGISTRIES[region]
    except KeyError:
        raise ValueError(
            f"The demo does not know the Model Monitor image registry of region {region!r}; "
            f"use one of: {', '.join(sorted(ANALYZER_REGISTRIES))}."
        ) from None
    return f"{account}.dkr.ecr.{region}.amazonaws.com/sagemaker-model-monitor-analyzer"


def _splits() -> tuple[list[str], Any, Any, Any]:
    """Feature names, the training features, the held-out features and the high-BMI subgroup (real rows)."""
    import numpy as np
    from sklearn import datasets
    from sklearn.model_selection import train_test_split

    from .training import RANDOM_STATE

    data = datasets.load_diabetes()
    X, y = data.data, data.target
    # The split training.py trains on, so the baseline is the model's own training data.
    X_train, X_val, _, _ = train_test_split(X, y, test_size=0.25, random_state=RANDOM_STATE)
    bmi = X[:, list(data.feature_names).index("bmi")]
    high_bmi = X[bmi >= np.quantile(bmi, 2 / 3)]
    return list(data.feature_names), X_train, X_val, high_bmi


def _row(values: Any) -> str:
    return ",".join(f"{v:.6g}" for v in values)


def _load_model(prov: Provisioner, model_url: str) -> Any:
    """The approved model, from its archive in S3."""
    import joblib

    bucket, key = model_url.removeprefix("s3://").split("/", 1)
    archive = prov.s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    member = tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz").extractfile("model.joblib")
    if member is None:
        raise RuntimeError(f"The model archive {model_url} has no model.joblib.")
    return joblib.load(io.BytesIO(member.read()))


def capture_file(hour: int, rows: Any, predictions: Any, until: float) -> str:
    """One hour of captured requests (JSON Lines, AWS's capture record format), spread evenly over the hour."""
    lines = []
    step = HOUR / len(rows)
    for i, (features, prediction) in enumerate(zip(rows, predictions)):
        t = hour + (i + 0.5) * step
        if t >= until:
            break
        record = {
            "captureData": {
                "endpointInput": {
                    "observedContentType": "text/csv",
                    "mode": "INPUT",
                    "data": _row(features),
                    "encoding": "CSV",
                },
                "endpointOutput": {
                    "observedContentType": "text/csv; charset=utf-8",
                    "mode": "OUTPUT",
                    "data": f"{prediction:.6g}",
                    "encoding": "CSV",
                },
            },
            "eventMetadata": {
                "eventId": str(uuid.uuid5(uuid.NAMESPACE_URL, f"demo-capture/{hour}/{i}")),
                "inferenceTime": datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
            },
            "eventVersion": "0",
        }
        lines.append(json.dumps(record))
    return "\n".join(lines) + "\n" if lines else ""


def ensure_model_monitor(prov: Provisioner, experiment: ExperimentSpec, model_url: str, bucket: str, role: str) -> None:
    """Captured traffic, baseline, job definition and hourly schedule of the experiment's endpoint."""
    import numpy as np

    endpoint = experiment.deployment.endpoint_name
    name = schedule_name(experiment)
    if prov.find("describe_monitoring_schedule", MonitoringScheduleName=name):
        prov.record_existing(f"monitoring schedule {name}")
        return
    if not _ensure_capture(prov, experiment, bucket):
        return

    features, X_train, X_val, high_bmi = _splits()
    monitor = f"s3://{bucket}/{MONITOR_PREFIX}/{endpoint}"
    baseline_input = prov.ensure_object(
        bucket,
        f"{MONITOR_PREFIX}/{endpoint}/baseline/input/train.csv",
        lambda: (",".join(features) + "\n" + "".join(_row(r) + "\n" for r in X_train)).encode(),
        "text/csv",
    )
    baseline_output = f"{monitor}/baseline/output"
    _ensure_baseline_job(prov, f"{endpoint}-baseline", baseline_input, baseline_output, role)

    model = _load_model(prov, model_url)
    now = time.time()
    current = int(now // HOUR) * HOUR
    for back in range(HISTORY_HOURS, -1, -1):
        hour = current - back * HOUR
        # The same hour always gets the same requests, so the traffic is reproducible.
        rng = np.random.default_rng(hour // HOUR)
        source = high_bmi if back <= DRIFTED_HOURS else X_val
        rows = source[rng.integers(0, len(source), REQUESTS_PER_HOUR)]
        body = capture_file(hour, rows, model.predict(rows), now)
        if not body:
            continue
        stamp = datetime.fromtimestamp(hour, timezone.utc)
        file = uuid.uuid5(uuid.NAMESPACE_URL, f"demo-capture/{endpoint}/{hour}")
        key = f"{CAPTURE_PREFIX}/{endpoint}/{VARIANT}/{stamp:%Y/%m/%d/%H}/{file}.jsonl"
        prov.ensure_object(bucket, key, lambda b=body: b.encode(), "application/jsonl")

    if not prov.find("describe_data_quality_job_definition", JobDefinitionName=name):
        prov.sagemaker.create_data_quality_job_definition(
            JobDefinitionName=name,
            DataQualityBaselineConfig={
                "ConstraintsResource": {"S3Uri": f"{baseline_output}/constraints.json"},
                "StatisticsResource": {"S3Uri": f"{baseline_output}/statistics.json"},
            },
            DataQualityAppSpecification={"ImageUri": analyzer_image_uri(prov.region)},
            DataQualityJobInput={
                "EndpointInput": {
                    "EndpointName": endpoint,
                    "LocalPath": "/opt/ml/processing/input/endpoint",
                    "S3InputMode": "File",
                    "S3DataDistributionType": "FullyReplicated",
                }
            },
            DataQualityJobOutputConfig={
                "MonitoringOutputs": [
                    {
                        "S3Output": {
                            "S3Uri": f"s3://{bucket}/{MONITOR_PREFIX}/reports",
                            "LocalPath": "/opt/ml/processing/output",
                            "S3UploadMode": "EndOfJob",
                        }
                    }
                ]
            },
            JobResources=INSTANCE,
            RoleArn=role,
            StoppingCondition={"MaxRuntimeInSeconds": 1800},
            Tags=prov.tags(),
        )
        prov.record_created(f"data quality job definition {name}")
    else:
        prov.record_existing(f"data quality job definition {name}")
    prov.sagemaker.create_monitoring_schedule(
        MonitoringScheduleName=name,
        MonitoringScheduleConfig={
            "ScheduleConfig": {"ScheduleExpression": "cron(0 * ? * * *)"},
            "MonitoringJobDefinitionName": name,
            "MonitoringType": "DataQuality",
        },
        Tags=prov.tags(),
    )
    prov.record_created(f"monitoring schedule {name}")


def _ensure_capture(prov: Provisioner, experiment: ExperimentSpec, bucket: str) -> bool:
    """Whether the endpoint captures its traffic; an endpoint deployed by an older demo (without capture) is updated
    to a capturing endpoint config first (in local mode the update is waited for; in AWS the next run continues)."""
    endpoint = experiment.deployment.endpoint_name
    described = prov.find("describe_endpoint", EndpointName=endpoint)
    if described is None:
        return False
    config = prov.find("describe_endpoint_config", EndpointConfigName=described["EndpointConfigName"]) or {}
    if config.get("DataCaptureConfig"):
        return True
    variant = config["ProductionVariants"][0]
    capturing = f"{endpoint}-capture-config"
    prov.ensure_endpoint_config(
        capturing,
        variant["ModelName"],
        variant["InstanceType"],
        experiment.deployment.stage,
        capture_destination(bucket),
    )
    if described["EndpointStatus"] != "InService":
        prov.log(f"Demo content: endpoint {endpoint} is {described['EndpointStatus']}; run the demo again later.")
        return False
    prov.sagemaker.update_endpoint(EndpointName=endpoint, EndpointConfigName=capturing)
    prov.record_created(f"endpoint {endpoint} update to {capturing} (data capture)")
    if prov.is_aws:
        prov.log(f"Demo content: run the demo again once {endpoint} is InService to add its Model Monitor content.")
        return False
    prov.sagemaker.get_waiter("endpoint_in_service").wait(
        EndpointName=endpoint, WaiterConfig={"Delay": 1, "MaxAttempts": 300}
    )
    return True


def _ensure_baseline_job(prov: Provisioner, name: str, dataset_uri: str, output_uri: str, role: str) -> None:
    """The baselining job, as ``DefaultModelMonitor.suggest_baseline`` creates it (CSV with a header row)."""
    if prov.find("describe_processing_job", ProcessingJobName=name):
        prov.record_existing(f"processing job {name}")
        return
    prov.sagemaker.create_processing_job(
        ProcessingJobName=name,
        ProcessingInputs=[
            {
                "InputName": "baseline_dataset_input",
                "S3Input": {
                    "S3Uri": dataset_uri,
                    "LocalPath": "/opt/ml/processing/input/baseline_dataset_input",
                    "S3DataType": "S3Prefix",
                    "S3InputMode": "File",
                    "S3DataDistributionType": "FullyReplicated",
                },
            }
        ],
        ProcessingOutputConfig={
            "Outputs": [
                {
                    "OutputName": "monitoring_output",
                    "S3Output": {
                        "S3Uri": output_uri,
                        "LocalPath": "/opt/ml/processing/output",
                        "S3UploadMode": "EndOfJob",
                    },
                }
            ]
        },
        ProcessingResources=INSTANCE,
        StoppingCondition={"MaxRuntimeInSeconds": 3600},
        AppSpecification={"ImageUri": analyzer_image_uri(prov.region)},
        Environment={
            "dataset_format": json.dumps({"csv": {"header": True, "output_columns_position": "START"}}),
            "dataset_source": "/opt/ml/processing/input/baseline_dataset_input",
            "output_path": "/opt/ml/processing/output",
            "publish_cloudwatch_metrics": "Disabled",
        },
        RoleArn=role,
        Tags=prov.tags(),
    )
    prov.record_created(f"processing job {name}")
