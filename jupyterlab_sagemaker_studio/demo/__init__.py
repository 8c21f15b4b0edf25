"""Demo content: a realistic SageMaker account created through the public API with boto3.

Three experiments whose runs really train gradient-boosted models on data sets scikit-learn ships, with their
parameters and per-iteration metrics; a model package group per experiment with versions approved, rejected and
pending review; the approved models deployed behind endpoints; and the MLOps around them (:mod:`.mlops`): a
project, a build pipeline and a batch-scoring pipeline with executions (one with a failed step), feature groups
a training job still running and a sweep job whose run joins an experiment; and Model Monitor on the diabetes
endpoint (:mod:`.model_monitor`): captured traffic whose later hours drift, a baseline, an hourly data quality
schedule with clean executions and executions with violations. Re-running creates nothing twice. With no
endpoint URL and no keys it uses boto3's normal credential chain, so it fills a real AWS account just the same.

Run it with ``python -m jupyterlab_sagemaker_studio.demo``; local mode runs it at its first start.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Any, Optional

import boto3

from .catalog import EXPERIMENTS, S3_PREFIX, ExperimentSpec, RunSpec
from .images import SKLEARN_IMAGE_VERSION, sklearn_image_uri
from .mlops import MlopsOptions, ensure_mlops
from .model_monitor import MONITORED_DATASET, capture_destination, ensure_model_monitor
from .provisioner import LogFn, Provisioner, Tally
from .training import evaluation_json, primary_score, train_run

__all__ = ["create_demo_content", "Tally", "EXPERIMENTS", "CONTENT_VERSION"]

#: Version of what the demo creates. Local mode runs the (idempotent) demo again at start-up when its data directory
#: was filled by an older version, so new kinds of demo content appear without touching what exists.
CONTENT_VERSION = 4

#: Instance types the registered models declare they can be served on.
REALTIME_INSTANCE_TYPES = ["ml.t2.medium", "ml.m5.large", "ml.m5.xlarge", "ml.g4dn.xlarge"]


@dataclass
class RunOutcome:
    """A finished run as the registry and deployment steps need it."""

    run: RunSpec
    component_name: str
    model_url: str
    evaluation_url: str
    evaluation: dict[str, Any]


def create_demo_content(
    endpoint_url: Optional[str] = None,
    region: Optional[str] = None,
    access_key: Optional[str] = None,
    secret_key: Optional[str] = None,
    log: LogFn = print,
    *,
    role_arn: Optional[str] = None,
    create_endpoints: bool = True,
    start_jobs: Optional[bool] = None,
    project_product_id: Optional[str] = None,
    project_artifact_id: Optional[str] = None,
) -> Tally:
    """Create whatever part of the demo account is missing; returns what was created and what already existed.

    ``endpoint_url``/``access_key``/``secret_key`` point at the local backend; left out, boto3 finds AWS the
    usual way (environment, profile, SSO, instance role). ``role_arn`` is the models' execution role
    (default ``arn:aws:iam::<account>:role/SageMakerStudioDemoRole``).

    ``start_jobs`` starts the pipeline executions and the training job; by default only in local mode, since
    in AWS they run (and bill) processing, training and transform instances. The project is created in local
    mode, and in AWS only with ``project_product_id`` (the Service Catalog product it provisions, e.g. the
    "MLOps template for model building, training, and deployment"; ``project_artifact_id`` its version).
    """
    started = time.monotonic()
    session = boto3.Session(aws_access_key_id=access_key, aws_secret_access_key=secret_key, region_name=region)
    # botocore reads AWS_DEFAULT_REGION and profiles; AWS_REGION is what newer SDKs and the kernels set.
    region = region or session.region_name or os.environ.get("AWS_REGION")
    if not region:
        raise RuntimeError("No AWS region is configured: pass --region or set AWS_REGION.")
    prov = Provisioner(session, region, endpoint_url, log)
    account, partition = prov.identity()
    where = "AWS" if prov.is_aws else prov.sagemaker.meta.endpoint_url
    log(f"Demo content: checking account {account} in {region} ({where})")

    bucket = f"sagemaker-{region}-{account}"
    prov.ensure_bucket(bucket)
    image = sklearn_image_uri(region)
    role = role_arn or f"arn:{partition}:iam::{account}:role/SageMakerStudioDemoRole"
    if create_endpoints and prov.is_aws:
        log(
            "Demo content: endpoints on AWS are billed per instance hour; delete them when done "
            "(they are tagged sagemaker-studio:demo=true) or pass --skip-endpoints."
        )

    if start_jobs is None:
        start_jobs = not prov.is_aws
    if start_jobs and prov.is_aws:
        log(
            "Demo content: the pipeline executions and the training job run billed instances in AWS "
            "(the training job up to 12 hours); stop them when done."
        )

    approved: dict[str, RunOutcome] = {}
    for experiment in EXPERIMENTS:
        outcomes = _ensure_experiment(prov, experiment, bucket)
        approved[experiment.name] = _ensure_registry(prov, experiment, outcomes, image)
        if create_endpoints:
            _ensure_deployment(prov, experiment, approved[experiment.name], image, role, bucket)
            if experiment.dataset == MONITORED_DATASET:
                # Model Monitor bills a processing instance per baseline and per hourly execution in AWS.
                if start_jobs:
                    ensure_model_monitor(prov, experiment, approved[experiment.name].model_url, bucket, role)
                else:
                    log("Demo content: no Model Monitor schedule without --start-jobs (its executions are billed).")

    options = MlopsOptions(
        bucket=bucket,
        image=image,
        role=role,
        account=account,
        project=not prov.is_aws or bool(project_product_id),
        product_id=project_product_id,
        artifact_id=project_artifact_id,
        start_jobs=start_jobs,
    )
    if prov.is_aws and not options.project:
        log("Demo content: no project in AWS without --project-product-id (a project provisions that product).")
    ensure_mlops(prov, options, approved)

    tally = prov.tally
    elapsed = time.monotonic() - started
    if tally.created:
        log(f"Demo content: created {len(tally.created)} resources in {elapsed:.1f} s.")
    else:
        log(f"Demo content: already complete, nothing created ({len(tally.existing)} resources checked).")
    return tally


def _ensure_experiment(prov: Provisioner, experiment: ExperimentSpec, bucket: str) -> list[RunOutcome]:
    """The experiment, its trials and its runs (trained only when missing), runs associated with their trials."""
    prov.ensure_experiment(experiment.name, experiment.description)
    trial_keys = list(dict.fromkeys(run.trial for run in experiment.runs))
    for key in trial_keys:
        prov.ensure_trial(experiment.trial_name(key), experiment.name)
    outcomes = [_ensure_run(prov, experiment, run, bucket) for run in experiment.runs]
    for key in trial_keys:
        members = [o.component_name for o in outcomes if o.run.trial == key]
        prov.ensure_associations(experiment.trial_name(key), members)
    return outcomes


def _ensure_run(prov: Provisioner, experiment: ExperimentSpec, run: RunSpec, bucket: str) -> RunOutcome:
    """One run: skipped when its trial component is Completed and its artifacts exist, else trained and logged."""
    name = experiment.trial_component_name(run)
    prefix = f"{S3_PREFIX}/{experiment.name}/{run.name}/output"
    model_key, eval_key = f"{prefix}/model.tar.gz", f"{prefix}/evaluation.json"
    model_url, eval_url = f"s3://{bucket}/{model_key}", f"s3://{bucket}/{eval_key}"

    component = prov.trial_component(name)
    done = component is not None and component.get("Status", {}).get("PrimaryStatus") == "Completed"
    if done and prov.object_exists(bucket, model_key) and prov.object_exists(bucket, eval_key):
        prov.record_existing(f"trial component {name}")
        return RunOutcome(run, name, model_url, eval_url, prov.read_json(bucket, eval_key))

    hp = ", ".join(f"{k}={v}" for k, v in run.hyperparameters.items())
    prov.log(f"Demo content: training {experiment.name}/{run.name} ({experiment.estimator}, {hp})")
    trained = train_run(experiment, run)
    data_prefix = f"{S3_PREFIX}/datasets/{experiment.dataset.removeprefix('load_')}"
    inputs = {
        split: {
            "Value": prov.ensure_object(bucket, f"{data_prefix}/{split}.csv", lambda b=body: b, "text/csv"),
            "MediaType": "text/csv",
        }
        for split, body in trained.datasets.items()
    }
    prov.ensure_object(bucket, model_key, lambda: trained.model_archive, "application/gzip")
    prov.ensure_object(bucket, eval_key, lambda: evaluation_json(trained.evaluation), "application/json")

    points = trained.metrics
    if component is None:
        arn = prov.create_trial_component(name, run.name, trained.start_time, trained.parameters, inputs)
    else:
        # Interrupted earlier while logging: send only the steps that did not arrive (training is deterministic).
        arn = component["TrialComponentArn"]
        logged = prov.logged_steps(arn, {p.name for p in points})
        points = [p for p in points if p.step not in logged.get(p.name, set())]
    sent = prov.put_metrics(name, points)
    prov.complete_trial_component(
        name,
        trained.end_time,
        {
            "model": {"Value": model_url, "MediaType": "application/gzip"},
            "evaluation": {"Value": eval_url, "MediaType": "application/json"},
        },
    )
    prov.log(f"Demo content: logged {sent} metric values for {name}")
    return RunOutcome(run, name, model_url, eval_url, trained.evaluation)


def _approval_plan(experiment: ExperimentSpec, outcomes: list[RunOutcome]) -> dict[str, tuple[str, str]]:
    """A reviewer's decisions: best score Approved, newest other candidate pending, the rest Rejected."""
    scores = [primary_score(experiment, o.evaluation) for o in outcomes]
    metric, _, higher_is_better = scores[0]
    sign = 1 if higher_is_better else -1
    # Ties go to the earlier run: it was approved first.
    best = max(range(len(outcomes)), key=lambda i: (sign * scores[i][1], -i))
    pending = max((i for i in range(len(outcomes)) if i != best), default=None)
    plan: dict[str, tuple[str, str]] = {}
    for i, outcome in enumerate(outcomes):
        value = scores[i][1]
        if i == best:
            plan[outcome.run.name] = ("Approved", f"Best {metric} of the candidates ({value:.4f}).")
        elif i == pending:
            plan[outcome.run.name] = ("PendingManualApproval", "")
        else:
            plan[outcome.run.name] = (
                "Rejected",
                f"The {metric} {value:.4f} is worse than the approved version's {scores[best][1]:.4f}.",
            )
    return plan


def _container(image: str, model_url: str, region: str) -> dict[str, Any]:
    """Serving container: the SageMaker scikit-learn image running code/inference.py from the model archive."""
    return {
        "Image": image,
        "ModelDataUrl": model_url,
        "Environment": {
            "SAGEMAKER_PROGRAM": "inference.py",
            "SAGEMAKER_SUBMIT_DIRECTORY": "/opt/ml/model/code",
            "SAGEMAKER_CONTAINER_LOG_LEVEL": "20",
            "SAGEMAKER_REGION": region,
        },
    }


def _ensure_registry(
    prov: Provisioner, experiment: ExperimentSpec, outcomes: list[RunOutcome], image: str
) -> RunOutcome:
    """The experiment's model package group, one version per run, each with its review decision; the approved run."""
    group = experiment.model_package_group
    prov.ensure_model_package_group(
        group, f"Candidate models of experiment {experiment.name}: {experiment.description}"
    )
    registered = prov.model_packages_by_data_url(group)
    plan = _approval_plan(experiment, outcomes)
    approved = outcomes[0]
    for outcome in outcomes:
        status, reason = plan[outcome.run.name]
        if status == "Approved":
            approved = outcome
        existing = registered.get(outcome.model_url)
        if existing is not None:
            arn, current = existing["ModelPackageArn"], existing.get("ModelApprovalStatus")
            prov.record_existing(f"model package {arn.split('/', 1)[1]}")
        else:
            metric, value, _ = primary_score(experiment, outcome.evaluation)
            container = _container(image, outcome.model_url, prov.region)
            container.update({"Framework": "SKLEARN", "FrameworkVersion": SKLEARN_IMAGE_VERSION.split("-")[0]})
            description = f"{experiment.estimator} from run {outcome.component_name}; {metric} {value:.4f}."
            quality = {"ContentType": "application/json", "S3Uri": outcome.evaluation_url}
            arn = prov.create_model_package(
                group,
                ModelPackageDescription=description,
                InferenceSpecification={
                    "Containers": [container],
                    "SupportedContentTypes": ["text/csv"],
                    "SupportedResponseMIMETypes": ["text/csv"],
                    "SupportedRealtimeInferenceInstanceTypes": REALTIME_INSTANCE_TYPES,
                    "SupportedTransformInstanceTypes": ["ml.m5.large"],
                },
                ModelMetrics={"ModelQuality": {"Statistics": quality}},
                CustomerMetadataProperties={"experiment": experiment.name, "run": outcome.component_name},
            )
            current = "PendingManualApproval"
        # Only a version still awaiting review gets a decision: one a person already decided stays as it is.
        if current == "PendingManualApproval" and status != current:
            prov.set_approval(arn, status, reason)
    return approved


def _ensure_deployment(
    prov: Provisioner, experiment: ExperimentSpec, approved: RunOutcome, image: str, role: str, bucket: str
) -> None:
    """The approved run as a model, an endpoint config on the deployment's instance type, and the endpoint (the
    monitored one captures its traffic)."""
    deployment = experiment.deployment
    model = f"{experiment.name}-{approved.run.name}"
    config = f"{deployment.endpoint_name}-config"
    prov.ensure_model(model, _container(image, approved.model_url, prov.region), role)
    capture = capture_destination(bucket) if experiment.dataset == MONITORED_DATASET else None
    prov.ensure_endpoint_config(config, model, deployment.instance_type, deployment.stage, capture)
    prov.ensure_endpoint(deployment.endpoint_name, config, deployment.stage)
