"""Idempotent creation of AWS resources through boto3: each ``ensure_*`` looks first and creates only what is missing.

Only public API calls are used, so the same code fills the local backend or a real AWS account. Every resource is
tagged ``sagemaker-studio:demo=true``; what was created and what already existed is counted for the final report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Iterator, Optional
from urllib.parse import urlencode, urlparse

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from .catalog import DEMO_TAG

#: Error codes a Describe* call answers for a resource that does not exist (SageMaker uses both).
NOT_FOUND_CODES = {"ResourceNotFound", "ValidationException"}
#: HTTP codes / S3 error codes meaning "no such bucket or object".
S3_NOT_FOUND_CODES = {"404", "NoSuchBucket", "NoSuchKey", "NotFound"}
#: BatchPutMetrics accepts at most this many values per call.
METRICS_BATCH = 10

LogFn = Callable[[str], Any]


@dataclass
class Tally:
    """What a provisioning pass created and what it found already in place."""

    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)


def _is_aws_host(url: str) -> bool:
    host = urlparse(url).hostname or ""
    return host.endswith((".amazonaws.com", ".amazonaws.com.cn", ".api.aws"))


def _utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=timezone.utc)


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Consecutive lists of at most ``size`` items."""
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def parameter_values(parameters: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Trial component ``Parameters``: numbers as NumberValue, everything else as StringValue."""
    out: dict[str, dict[str, Any]] = {}
    for name, value in parameters.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out[name] = {"NumberValue": float(value)}
        else:
            out[name] = {"StringValue": str(value)}
    return out


class Provisioner:
    """boto3 clients for one account and region, with look-before-create helpers."""

    def __init__(
        self,
        session: boto3.Session,
        region: str,
        endpoint_url: Optional[str],
        log: LogFn,
    ) -> None:
        retry = Config(retries={"mode": "standard", "max_attempts": 8})

        def client(name: str, config: Config = retry) -> Any:
            return session.client(name, region_name=region, endpoint_url=endpoint_url, config=config)

        self.region = region
        self.sagemaker = client("sagemaker")
        self.metrics = client("sagemaker-metrics")
        self.sts = client("sts")
        self.s3 = client("s3")
        #: Whether requests go to AWS itself (not the local backend or another AWS-compatible service).
        self.is_aws = _is_aws_host(self.sagemaker.meta.endpoint_url)
        if not _is_aws_host(self.s3.meta.endpoint_url):
            # Elsewhere (the local backend, a gateway; also when set by AWS_ENDPOINT_URL) bucket names are not
            # host names: address buckets by path.
            self.s3 = client("s3", retry.merge(Config(s3={"addressing_style": "path"})))
        self.log = log
        self.tally = Tally()

    # -- bookkeeping -------------------------------------------------------------------------------------------

    def record_created(self, what: str) -> None:
        """Count and log a resource this pass created."""
        self.tally.created.append(what)
        self.log(f"Demo content: created {what}")

    def record_existing(self, what: str) -> None:
        """Count a resource that was already there."""
        self.tally.existing.append(what)

    @staticmethod
    def tags(*extra: tuple[str, str]) -> list[dict[str, str]]:
        """The demo tag plus any extra (key, value) tags."""
        return [dict(DEMO_TAG)] + [{"Key": k, "Value": v} for k, v in extra]

    def _describe(self, operation: str, **kwargs: Any) -> Optional[dict[str, Any]]:
        """A SageMaker Describe* response, or None when the resource does not exist."""
        try:
            return getattr(self.sagemaker, operation)(**kwargs)
        except ClientError as err:
            if err.response.get("Error", {}).get("Code") in NOT_FOUND_CODES:
                return None
            raise

    # -- account and S3 ----------------------------------------------------------------------------------------

    def identity(self) -> tuple[str, str]:
        """(account id, ARN partition) of the caller."""
        ident = self.sts.get_caller_identity()
        return ident["Account"], ident["Arn"].split(":")[1]

    def ensure_bucket(self, bucket: str) -> None:
        """Create the bucket when missing (it is SageMaker's shared default bucket, so it is never tagged)."""
        try:
            self.s3.head_bucket(Bucket=bucket)
            self.record_existing(f"bucket {bucket}")
            return
        except ClientError as err:
            code = err.response.get("Error", {}).get("Code")
            if code in ("403", "AccessDenied"):
                raise RuntimeError(
                    f"The S3 bucket {bucket} exists but this identity may not use it; "
                    "grant access to it or run the demo in an account that owns it."
                ) from err
            if code not in S3_NOT_FOUND_CODES:
                raise
        kwargs: dict[str, Any] = {"Bucket": bucket}
        if self.region != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": self.region}
        try:
            self.s3.create_bucket(**kwargs)
        except ClientError as err:
            if err.response.get("Error", {}).get("Code") != "BucketAlreadyOwnedByYou":
                raise
            self.record_existing(f"bucket {bucket}")
            return
        self.record_created(f"bucket {bucket}")

    def object_exists(self, bucket: str, key: str) -> bool:
        """Whether ``s3://bucket/key`` exists."""
        try:
            self.s3.head_object(Bucket=bucket, Key=key)
            return True
        except ClientError as err:
            if err.response.get("Error", {}).get("Code") in S3_NOT_FOUND_CODES:
                return False
            raise

    def ensure_object(self, bucket: str, key: str, body: Callable[[], bytes], content_type: str) -> str:
        """Upload ``body()`` unless the object exists; returns its ``s3://`` URI."""
        uri = f"s3://{bucket}/{key}"
        if self.object_exists(bucket, key):
            self.record_existing(uri)
            return uri
        self.s3.put_object(
            Bucket=bucket,
            Key=key,
            Body=body(),
            ContentType=content_type,
            Tagging=urlencode({DEMO_TAG["Key"]: DEMO_TAG["Value"]}),
        )
        self.record_created(uri)
        return uri

    def read_json(self, bucket: str, key: str) -> dict[str, Any]:
        """A JSON object stored in S3."""
        return json.loads(self.s3.get_object(Bucket=bucket, Key=key)["Body"].read())

    # -- experiments -------------------------------------------------------------------------------------------

    def ensure_experiment(self, name: str, description: str) -> None:
        """Create the experiment when missing."""
        if self._describe("describe_experiment", ExperimentName=name):
            self.record_existing(f"experiment {name}")
            return
        self.sagemaker.create_experiment(ExperimentName=name, Description=description, Tags=self.tags())
        self.record_created(f"experiment {name}")

    def ensure_trial(self, name: str, experiment: str) -> None:
        """Create the trial (in ``experiment``) when missing."""
        if self._describe("describe_trial", TrialName=name):
            self.record_existing(f"trial {name}")
            return
        self.sagemaker.create_trial(TrialName=name, ExperimentName=experiment, Tags=self.tags())
        self.record_created(f"trial {name}")

    def trial_component(self, name: str) -> Optional[dict[str, Any]]:
        """DescribeTrialComponent, or None when it does not exist."""
        return self._describe("describe_trial_component", TrialComponentName=name)

    def create_trial_component(
        self,
        name: str,
        display_name: str,
        start_time: float,
        parameters: dict[str, Any],
        input_artifacts: dict[str, dict[str, str]],
    ) -> str:
        """Create a run's trial component, InProgress until its metrics are in; returns its ARN."""
        resp = self.sagemaker.create_trial_component(
            TrialComponentName=name,
            DisplayName=display_name,
            Status={"PrimaryStatus": "InProgress", "Message": "Training"},
            StartTime=_utc(start_time),
            Parameters=parameter_values(parameters),
            InputArtifacts=input_artifacts,
            Tags=self.tags(),
        )
        self.record_created(f"trial component {name}")
        return resp["TrialComponentArn"]

    def complete_trial_component(self, name: str, end_time: float, output_artifacts: dict[str, dict[str, str]]) -> None:
        """Mark a run Completed with its end time and output artifacts."""
        self.sagemaker.update_trial_component(
            TrialComponentName=name,
            Status={"PrimaryStatus": "Completed", "Message": "Training finished"},
            EndTime=_utc(end_time),
            OutputArtifacts=output_artifacts,
        )

    def ensure_associations(self, trial: str, component_names: Iterable[str]) -> None:
        """Associate each trial component with ``trial`` unless it already is."""
        present: set[str] = set()
        for page in self.sagemaker.get_paginator("list_trial_components").paginate(TrialName=trial):
            present.update(s["TrialComponentName"] for s in page.get("TrialComponentSummaries", []))
        for name in component_names:
            if name in present:
                self.record_existing(f"association {name} -> {trial}")
                continue
            self.sagemaker.associate_trial_component(TrialComponentName=name, TrialName=trial)
            self.record_created(f"association {name} -> {trial}")

    # -- metrics -----------------------------------------------------------------------------------------------

    def logged_steps(self, component_arn: str, metric_names: Iterable[str]) -> dict[str, set[int]]:
        """Steps already logged per metric (to resume a run that was interrupted while logging)."""
        names = sorted(set(metric_names))
        out: dict[str, set[int]] = {name: set() for name in names}
        for batch in _batches(names, 100):
            resp = self.metrics.batch_get_metrics(
                MetricQueries=[
                    {
                        "MetricName": name,
                        "ResourceArn": component_arn,
                        "MetricStat": "Last",
                        "Period": "IterationNumber",
                        "XAxisType": "IterationNumber",
                    }
                    for name in batch
                ]
            )
            for name, result in zip(batch, resp.get("MetricQueryResults", [])):
                if result.get("Status") in ("Complete", "Truncated"):
                    out[name].update(int(x) for x in result.get("XAxisValues", []))
        return out

    def put_metrics(self, component: str, points: Iterable[Any]) -> int:
        """BatchPutMetrics in batches of 10; returns how many values were sent. Raises on rejected values."""
        sent = 0
        for batch in _batches(points, METRICS_BATCH):
            resp = self.metrics.batch_put_metrics(
                TrialComponentName=component,
                MetricData=[
                    {"MetricName": p.name, "Timestamp": _utc(p.timestamp), "Step": p.step, "Value": p.value}
                    for p in batch
                ],
            )
            errors = resp.get("Errors") or []
            if errors:
                codes = ", ".join(sorted({e.get("Code", "?") for e in errors}))
                raise RuntimeError(f"SageMaker rejected {len(errors)} metric values of {component} ({codes}).")
            sent += len(batch)
        return sent

    # -- model registry ----------------------------------------------------------------------------------------

    def ensure_model_package_group(self, name: str, description: str) -> None:
        """Create the model package group when missing."""
        if self._describe("describe_model_package_group", ModelPackageGroupName=name):
            self.record_existing(f"model package group {name}")
            return
        self.sagemaker.create_model_package_group(
            ModelPackageGroupName=name, ModelPackageGroupDescription=description, Tags=self.tags()
        )
        self.record_created(f"model package group {name}")

    def model_packages_by_data_url(self, group: str) -> dict[str, dict[str, Any]]:
        """The group's versions keyed by their model artifact URL (how the demo recognises its own versions)."""
        out: dict[str, dict[str, Any]] = {}
        for page in self.sagemaker.get_paginator("list_model_packages").paginate(ModelPackageGroupName=group):
            for summary in page.get("ModelPackageSummaryList", []):
                desc = self.sagemaker.describe_model_package(ModelPackageName=summary["ModelPackageArn"])
                for container in desc.get("InferenceSpecification", {}).get("Containers", []):
                    if container.get("ModelDataUrl"):
                        out[container["ModelDataUrl"]] = desc
        return out

    def create_model_package(self, group: str, **kwargs: Any) -> str:
        """Register a new version in ``group`` (PendingManualApproval, as AWS defaults); returns its ARN."""
        resp = self.sagemaker.create_model_package(ModelPackageGroupName=group, Tags=self.tags(), **kwargs)
        arn = resp["ModelPackageArn"]
        self.record_created(f"model package {arn.split('/', 1)[1]}")
        return arn

    def set_approval(self, arn: str, status: str, reason: str) -> None:
        """Record a reviewer's decision on a model package version."""
        self.sagemaker.update_model_package(ModelPackageArn=arn, ModelApprovalStatus=status, ApprovalDescription=reason)
        self.log(f"Demo content: {arn.split('/', 1)[1]} is now {status}")

    # -- hosting -----------------------------------------------------------------------------------------------

    def ensure_model(self, name: str, container: dict[str, Any], role_arn: str) -> None:
        """Create the model when missing."""
        if self._describe("describe_model", ModelName=name):
            self.record_existing(f"model {name}")
            return
        self.sagemaker.create_model(
            ModelName=name, PrimaryContainer=container, ExecutionRoleArn=role_arn, Tags=self.tags()
        )
        self.record_created(f"model {name}")

    def ensure_endpoint_config(
        self, name: str, model: str, instance_type: str, stage: str, capture_uri: Optional[str] = None
    ) -> None:
        """Create a one-variant endpoint config when missing; with ``capture_uri`` it captures inputs and outputs."""
        if self._describe("describe_endpoint_config", EndpointConfigName=name):
            self.record_existing(f"endpoint config {name}")
            return
        extra: dict[str, Any] = {}
        if capture_uri:
            extra["DataCaptureConfig"] = {
                "EnableCapture": True,
                "InitialSamplingPercentage": 100,
                "DestinationS3Uri": capture_uri,
                "CaptureOptions": [{"CaptureMode": "Input"}, {"CaptureMode": "Output"}],
                "CaptureContentTypeHeader": {"CsvContentTypes": ["text/csv"]},
            }
        self.sagemaker.create_endpoint_config(
            **extra,
            EndpointConfigName=name,
            ProductionVariants=[
                {
                    "VariantName": "AllTraffic",
                    "ModelName": model,
                    "InitialInstanceCount": 1,
                    "InstanceType": instance_type,
                    "InitialVariantWeight": 1.0,
                }
            ],
            Tags=self.tags(("stage", stage)),
        )
        self.record_created(f"endpoint config {name}")

    def ensure_endpoint(self, name: str, config: str, stage: str) -> None:
        """Create the endpoint when missing (it becomes InService on its own; nothing waits for it)."""
        if self._describe("describe_endpoint", EndpointName=name):
            self.record_existing(f"endpoint {name}")
            return
        self.sagemaker.create_endpoint(EndpointName=name, EndpointConfigName=config, Tags=self.tags(("stage", stage)))
        self.record_created(f"endpoint {name}")

    # -- projects, pipelines, feature store, jobs --------------------------------------------------------------

    def find(self, operation: str, **kwargs: Any) -> Optional[dict[str, Any]]:
        """A SageMaker Describe* response (``operation`` in boto3 spelling), or None when the resource is missing."""
        return self._describe(operation, **kwargs)

    def find_project(self, name: str) -> Optional[dict[str, Any]]:
        """DescribeProject, or None when no project has that name (DescribeProject answers ValidationException)."""
        return self._describe("describe_project", ProjectName=name)

    def ensure_project(self, name: str, description: str, provisioning: dict[str, Any]) -> dict[str, Any]:
        """Create the project when missing; returns its DescribeProject (ProjectName, ProjectId, ProjectArn, …)."""
        found = self.find_project(name)
        if found is not None:
            self.record_existing(f"project {name}")
            return found
        resp = self.sagemaker.create_project(
            ProjectName=name,
            ProjectDescription=description,
            ServiceCatalogProvisioningDetails=provisioning,
            Tags=self.tags(),
        )
        self.record_created(f"project {name}")
        return {"ProjectName": name, "ProjectId": resp["ProjectId"], "ProjectArn": resp["ProjectArn"]}

    def ensure_tags(self, arn: str, wanted: list[dict[str, str]]) -> None:
        """Add the tags of ``wanted`` the resource lacks. AWS may refuse some keys on some resources (reserved
        prefixes): that is logged and the demo goes on, since the tags only group resources in the UI."""
        present = {
            (t["Key"], t["Value"])
            for page in self.sagemaker.get_paginator("list_tags").paginate(ResourceArn=arn)
            for t in page.get("Tags", [])
        }
        missing = [t for t in wanted if (t["Key"], t["Value"]) not in present]
        if not missing:
            self.record_existing(f"tags of {arn}")
            return
        try:
            self.sagemaker.add_tags(ResourceArn=arn, Tags=missing)
        except ClientError as err:
            if err.response.get("Error", {}).get("Code") != "ValidationException":
                raise
            self.log(f"Demo content: could not tag {arn} ({err.response['Error'].get('Message', err)}); going on.")
            return
        self.record_created(f"tags {', '.join(t['Key'] for t in missing)} on {arn}")

    def ensure_pipeline(
        self, name: str, display_name: str, description: str, definition: str, role_arn: str, tags: list[dict]
    ) -> str:
        """Create the pipeline when missing (an existing one keeps its definition); returns its ARN."""
        found = self._describe("describe_pipeline", PipelineName=name)
        if found is not None:
            self.record_existing(f"pipeline {name}")
            return found["PipelineArn"]
        resp = self.sagemaker.create_pipeline(
            PipelineName=name,
            PipelineDisplayName=display_name,
            PipelineDescription=description,
            PipelineDefinition=definition,
            RoleArn=role_arn,
            ParallelismConfiguration={"MaxParallelExecutionSteps": 4},
            Tags=tags,
        )
        self.record_created(f"pipeline {name}")
        return resp["PipelineArn"]

    def ensure_pipeline_execution(
        self,
        pipeline: str,
        display_name: str,
        description: str,
        parameters: dict[str, str],
        token: str,
    ) -> str:
        """Start an execution named ``display_name`` unless the pipeline already has one; returns its ARN."""
        for page in self.sagemaker.get_paginator("list_pipeline_executions").paginate(PipelineName=pipeline):
            for summary in page.get("PipelineExecutionSummaries", []):
                if summary.get("PipelineExecutionDisplayName") == display_name:
                    self.record_existing(f"pipeline execution {pipeline}/{display_name}")
                    return summary["PipelineExecutionArn"]
        resp = self.sagemaker.start_pipeline_execution(
            PipelineName=pipeline,
            PipelineExecutionDisplayName=display_name,
            PipelineExecutionDescription=description,
            PipelineParameters=[{"Name": k, "Value": v} for k, v in parameters.items()],
            ClientRequestToken=token,
        )
        self.record_created(f"pipeline execution {pipeline}/{display_name}")
        return resp["PipelineExecutionArn"]

    def ensure_feature_group(self, name: str, request: Callable[[], dict[str, Any]]) -> None:
        """Create the feature group from ``request()`` when missing (it becomes Created on its own; nothing
        waits for it)."""
        if self._describe("describe_feature_group", FeatureGroupName=name):
            self.record_existing(f"feature group {name}")
            return
        self.sagemaker.create_feature_group(FeatureGroupName=name, **request())
        self.record_created(f"feature group {name}")

    def ensure_training_job(self, name: str, **kwargs: Any) -> None:
        """Create the training job when no job has that name (a finished one counts: names are never reused)."""
        if self._describe("describe_training_job", TrainingJobName=name):
            self.record_existing(f"training job {name}")
            return
        self.sagemaker.create_training_job(TrainingJobName=name, **kwargs)
        self.record_created(f"training job {name}")
