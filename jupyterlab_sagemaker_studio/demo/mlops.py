"""The MLOps half of the demo: a project, two pipelines with executions, feature groups and a running training job.

Everything goes through boto3 and is idempotent like the rest of the demo. What costs money in AWS (pipeline
executions start processing, training and transform jobs; a training job bills per instance second) runs only in
local mode unless asked for (``start_jobs=True``). A project needs a Service Catalog product: in local mode the
demo names a plausible one (nothing is provisioned there); in AWS the project is created only when a product id
is given, since an AWS project provisions that product's CloudFormation stack.

Local-mode controls (``local/OPERATIONS.md``): the pipelines declare the parameter ``LocalModeFailSteps`` with
default ``""`` (so the definition stays valid in AWS) and the demo gives it a value only in local mode; the training
job gets the tag ``sagemaker-studio:local-duration-seconds`` only in local mode.
"""

from __future__ import annotations

import hashlib
import io
import json
import uuid
from dataclasses import dataclass
from typing import Any, Optional

from .catalog import EXPERIMENTS, S3_PREFIX
from .provisioner import Provisioner
from .scripts import EVALUATE, PREPARE_BATCH, PREPROCESS, SUMMARIZE, TRAIN, sourcedir_archive

#: The demo project: it owns the pipelines, the model groups, the endpoints and the training job.
PROJECT_NAME = "clinical-models-mlops"
PROJECT_DESCRIPTION = (
    "Build, register and batch-score the clinical models: the breast-cancer classifier's build pipeline, "
    "diabetes progression batch scoring, and their feature groups."
)
#: AWS's project tags; Studio lists a project's resources by them.
PROJECT_NAME_TAG = "sagemaker:project-name"
PROJECT_ID_TAG = "sagemaker:project-id"

#: The pipeline parameter the local backend reads to fail steps on purpose (declared with default "").
FAIL_STEPS_PARAMETER = "LocalModeFailSteps"
#: Local-mode tag giving a job's run time in seconds.
DURATION_TAG = "sagemaker-studio:local-duration-seconds"

BUILD_PIPELINE = "breast-cancer-gbm-build"
SCORING_PIPELINE = "diabetes-batch-scoring"
#: Retraining job left running: six hours in local mode, long enough to watch it (and its cost) in a session.
TRAINING_JOB = "breast-cancer-gbm-weekly-retrain"
TRAINING_JOB_SECONDS = 6 * 3600
#: A sweep job run with an ExperimentConfig: its trial component (``<job>-aws-training-job``) joins the
#: breast-cancer-gbm experiment's tuning-sweep trial, a run created by a SageMaker job next to the SDK's runs. In
#: local mode it is over as soon as it starts (a finished sweep point), so the running resources stay the
#: weekly retraining job alone.
SWEEP_JOB = "breast-cancer-gbm-sweep-lr-0-1-depth-5"
SWEEP_HYPERPARAMETERS = {"learning_rate": 0.1, "max_depth": 5, "n_estimators": 80}
SWEEP_TRIAL = "tuning-sweep"

#: Clinical names of the diabetes data set's six blood serum columns (scikit-learn calls them s1 … s6).
DIABETES_COLUMNS = {
    "s1": "total_serum_cholesterol",
    "s2": "ldl_cholesterol",
    "s3": "hdl_cholesterol",
    "s4": "cholesterol_hdl_ratio",
    "s5": "log_serum_triglycerides",
    "s6": "blood_sugar",
}


@dataclass(frozen=True)
class FeatureGroupSpec:
    """A feature group over one of the scikit-learn data sets (``description``: at most 128 characters)."""

    name: str
    description: str
    dataset: str
    record_identifier: str
    event_time: str
    #: ``Fractional`` (epoch seconds) or ``String`` (ISO 8601).
    event_time_type: str
    target: str
    target_type: str
    online: bool


FEATURE_GROUPS: tuple[FeatureGroupSpec, ...] = (
    FeatureGroupSpec(
        name="breast-cancer-biopsies",
        description="Cell-nucleus measurements of breast mass biopsies with the diagnosis (0 malignant, 1 benign).",
        dataset="load_breast_cancer",
        record_identifier="biopsy_id",
        event_time="event_time",
        event_time_type="Fractional",
        target="diagnosis",
        target_type="Integral",
        online=True,
    ),
    FeatureGroupSpec(
        name="diabetes-patients",
        description="Baseline measurements of diabetes patients (scaled) and their disease progression a year later.",
        dataset="load_diabetes",
        record_identifier="patient_id",
        event_time="event_time",
        event_time_type="String",
        target="disease_progression",
        target_type="Fractional",
        online=False,
    ),
)


def feature_columns(spec: FeatureGroupSpec) -> list[str]:
    """The data set's columns as feature names (lower case, underscores; the diabetes serum columns named)."""
    from sklearn import datasets

    names = getattr(datasets, spec.dataset)().feature_names
    return [DIABETES_COLUMNS.get(n, n).replace(" ", "_").lower() for n in names]


def feature_definitions(spec: FeatureGroupSpec) -> list[dict[str, str]]:
    """FeatureDefinitions: record identifier, every data set column, the target, the event time."""
    return (
        [{"FeatureName": spec.record_identifier, "FeatureType": "String"}]
        + [{"FeatureName": c, "FeatureType": "Fractional"} for c in feature_columns(spec)]
        + [{"FeatureName": spec.target, "FeatureType": spec.target_type}]
        + [{"FeatureName": spec.event_time, "FeatureType": spec.event_time_type}]
    )


def raw_table(spec: FeatureGroupSpec) -> bytes:
    """The data set as the feature group's records: a CSV with a header, one row per record (pipeline input)."""
    from sklearn import datasets

    X, y = getattr(datasets, spec.dataset)(return_X_y=True)
    columns = feature_columns(spec)
    prefix = spec.record_identifier[0].upper()
    # A fixed ingestion time (2024-06-03 08:00 UTC) keeps the table identical from run to run.
    stamp = 1717401600
    event = str(stamp) if spec.event_time_type == "Fractional" else "2024-06-03T08:00:00Z"
    out = io.StringIO()
    out.write(",".join([spec.record_identifier, *columns, spec.target, spec.event_time]) + "\n")
    for i, (row, target) in enumerate(zip(X, y), start=1):
        label = str(int(target)) if spec.target_type == "Integral" else repr(float(target))
        out.write(",".join([f"{prefix}{i:05d}", *(repr(float(v)) for v in row), label, event]) + "\n")
    return out.getvalue().encode()


def _join(*values: Any) -> dict[str, Any]:
    """``Std:Join`` with "/" (how the SDK builds per-execution S3 paths)."""
    return {"Std:Join": {"On": "/", "Values": list(values)}}


def _param(name: str) -> dict[str, str]:
    return {"Get": f"Parameters.{name}"}


def _processing(
    image: str, role: str, script_uri: str, inputs: list[tuple[str, Any, str]], outputs: list[tuple[str, Any, str]]
) -> dict[str, Any]:
    """A processing step's Arguments (a CreateProcessingJob request) running one script in the sklearn image."""
    script = script_uri.rsplit("/", 1)[1]
    return {
        "ProcessingResources": {
            "ClusterConfig": {
                "InstanceType": _param("ProcessingInstanceType"),
                "InstanceCount": 1,
                "VolumeSizeInGB": 30,
            }
        },
        "AppSpecification": {
            "ImageUri": image,
            "ContainerEntrypoint": ["python3", f"/opt/ml/processing/input/code/{script}"],
        },
        "RoleArn": role,
        "ProcessingInputs": [
            {
                "InputName": name,
                "AppManaged": False,
                "S3Input": {
                    "S3Uri": uri,
                    "LocalPath": path,
                    "S3DataType": "S3Prefix",
                    "S3InputMode": "File",
                    "S3DataDistributionType": "FullyReplicated",
                },
            }
            for name, uri, path in inputs + [("code", script_uri, "/opt/ml/processing/input/code")]
        ],
        "ProcessingOutputConfig": {
            "Outputs": [
                {
                    "OutputName": name,
                    "AppManaged": False,
                    "S3Output": {"S3Uri": uri, "LocalPath": path, "S3UploadMode": "EndOfJob"},
                }
                for name, uri, path in outputs
            ]
        },
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
    }


def _output(step: str, name: str) -> dict[str, str]:
    return {"Get": f"Steps.{step}.ProcessingOutputConfig.Outputs['{name}'].S3Output.S3Uri"}


def _hyperparameters(values: dict[str, Any], sourcedir: str, region: str) -> dict[str, str]:
    """Script-mode hyperparameters as the SageMaker Python SDK sends them (its own ones JSON-encoded)."""
    out = {k: str(v) for k, v in values.items()}
    out.update(
        sagemaker_program=json.dumps("train.py"),
        sagemaker_submit_directory=json.dumps(sourcedir),
        sagemaker_container_log_level="20",
        sagemaker_region=json.dumps(region),
    )
    return out


def _channel(name: str, uri: Any) -> dict[str, Any]:
    return {
        "ChannelName": name,
        "DataSource": {
            "S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": uri, "S3DataDistributionType": "FullyReplicated"}
        },
        "ContentType": "text/csv",
    }


def build_pipeline_definition(
    image: str, role: str, bucket: str, code: dict[str, str], hyperparameters: dict[str, Any], region: str
) -> str:
    """breast-cancer-gbm-build: PreprocessData -> TrainModel -> EvaluateModel -> CheckAccuracy -> RegisterModel
    (or Fail when the test accuracy is below MinAccuracy); schema version 2020-12-01."""
    spec = EXPERIMENTS[0]
    root = [f"s3://{bucket}/{S3_PREFIX}/pipelines/{BUILD_PIPELINE}", {"Get": "Execution.PipelineExecutionId"}]

    def under(*parts: str) -> dict[str, Any]:
        return _join(*root, *parts)

    splits = [(s, under("PreprocessData", s), f"/opt/ml/processing/{s}") for s in ("train", "validation", "test")]
    preprocess = _processing(
        image, role, code["preprocess"], [("raw", _param("InputDataUrl"), "/opt/ml/processing/input/raw")], splits
    )
    preprocess["AppSpecification"]["ContainerArguments"] = ["--label", "diagnosis", "--holdout", "0.15"]
    evaluate = _processing(
        image,
        role,
        code["evaluate"],
        [
            ("model", {"Get": "Steps.TrainModel.ModelArtifacts.S3ModelArtifacts"}, "/opt/ml/processing/model"),
            ("test", _output("PreprocessData", "test"), "/opt/ml/processing/test"),
        ],
        [("evaluation", under("EvaluateModel", "evaluation"), "/opt/ml/processing/evaluation")],
    )
    model_url = {"Get": "Steps.TrainModel.ModelArtifacts.S3ModelArtifacts"}
    evaluation_url = _join(
        {"Get": "Steps.EvaluateModel.ProcessingOutputConfig.Outputs['evaluation'].S3Output.S3Uri"},
        "evaluation.json",
    )
    definition = {
        "Version": "2020-12-01",
        "Metadata": {},
        "Parameters": [
            {"Name": "ProcessingInstanceType", "Type": "String", "DefaultValue": "ml.m5.large"},
            {"Name": "TrainingInstanceType", "Type": "String", "DefaultValue": "ml.m5.xlarge"},
            {"Name": "TrainingInstanceCount", "Type": "Integer", "DefaultValue": 1},
            {
                "Name": "InputDataUrl",
                "Type": "String",
                "DefaultValue": f"s3://{bucket}/{S3_PREFIX}/datasets/breast_cancer/raw/",
            },
            {"Name": "MinAccuracy", "Type": "Float", "DefaultValue": 0.95},
            {"Name": "ModelApprovalStatus", "Type": "String", "DefaultValue": "PendingManualApproval"},
            {"Name": FAIL_STEPS_PARAMETER, "Type": "String", "DefaultValue": ""},
        ],
        "Steps": [
            {
                "Name": "PreprocessData",
                "Type": "Processing",
                "DisplayName": "Preprocess biopsies",
                "Description": "Split the raw biopsy table into train, validation and test sets.",
                "Arguments": preprocess,
            },
            {
                "Name": "TrainModel",
                "Type": "Training",
                "DisplayName": "Train gradient boosting",
                "Description": f"{spec.estimator} with the approved run's hyperparameters.",
                "Arguments": {
                    "AlgorithmSpecification": {
                        "TrainingImage": image,
                        "TrainingInputMode": "File",
                        "MetricDefinitions": [
                            {"Name": "validation:accuracy", "Regex": "validation:accuracy=([0-9.]+)"}
                        ],
                    },
                    "OutputDataConfig": {"S3OutputPath": under("TrainModel")},
                    "StoppingCondition": {"MaxRuntimeInSeconds": 86400},
                    "ResourceConfig": {
                        "VolumeSizeInGB": 30,
                        "InstanceCount": _param("TrainingInstanceCount"),
                        "InstanceType": _param("TrainingInstanceType"),
                    },
                    "RoleArn": role,
                    "InputDataConfig": [
                        _channel("train", _output("PreprocessData", "train")),
                        _channel("validation", _output("PreprocessData", "validation")),
                    ],
                    "HyperParameters": _hyperparameters(hyperparameters, code["sourcedir"], region),
                },
            },
            {
                "Name": "EvaluateModel",
                "Type": "Processing",
                "DisplayName": "Evaluate on the test set",
                "Description": "Accuracy, F1 and AUC of the trained model on the held-out test split.",
                "Arguments": evaluate,
                "PropertyFiles": [
                    {"PropertyFileName": "EvaluationReport", "OutputName": "evaluation", "FilePath": "evaluation.json"}
                ],
            },
            {
                "Name": "CheckAccuracy",
                "Type": "Condition",
                "DisplayName": "Accuracy gate",
                "Description": "Register the model only when its test accuracy reaches MinAccuracy.",
                "Arguments": {
                    "Conditions": [
                        {
                            "Type": "GreaterThanOrEqualTo",
                            "LeftValue": {
                                "Std:JsonGet": {
                                    "PropertyFile": {"Get": "Steps.EvaluateModel.PropertyFiles.EvaluationReport"},
                                    "Path": "binary_classification_metrics.accuracy.value",
                                }
                            },
                            "RightValue": _param("MinAccuracy"),
                        }
                    ],
                    "IfSteps": [
                        {
                            "Name": "RegisterModel",
                            "Type": "RegisterModel",
                            "Arguments": {
                                "ModelPackageGroupName": spec.model_package_group,
                                "ModelPackageDescription": f"{spec.estimator} built by pipeline {BUILD_PIPELINE}.",
                                "ModelApprovalStatus": _param("ModelApprovalStatus"),
                                "InferenceSpecification": {
                                    "Containers": [
                                        {
                                            "Image": image,
                                            "ModelDataUrl": model_url,
                                            "Environment": {
                                                "SAGEMAKER_PROGRAM": "train.py",
                                                "SAGEMAKER_SUBMIT_DIRECTORY": code["sourcedir"],
                                                "SAGEMAKER_CONTAINER_LOG_LEVEL": "20",
                                                "SAGEMAKER_REGION": region,
                                            },
                                        }
                                    ],
                                    "SupportedContentTypes": ["text/csv"],
                                    "SupportedResponseMIMETypes": ["text/csv"],
                                    "SupportedRealtimeInferenceInstanceTypes": ["ml.t2.medium", "ml.m5.large"],
                                    "SupportedTransformInstanceTypes": ["ml.m5.large"],
                                },
                                "ModelMetrics": {
                                    "ModelQuality": {
                                        "Statistics": {"ContentType": "application/json", "S3Uri": evaluation_url}
                                    }
                                },
                            },
                        }
                    ],
                    "ElseSteps": [
                        {
                            "Name": "AccuracyTooLow",
                            "Type": "Fail",
                            "Arguments": {
                                "ErrorMessage": {
                                    "Std:Join": {
                                        "On": " ",
                                        "Values": ["Test accuracy is below", _param("MinAccuracy")],
                                    }
                                }
                            },
                        }
                    ],
                },
            },
        ],
    }
    return json.dumps(definition)


def scoring_pipeline_definition(image: str, role: str, bucket: str, code: dict[str, str], model_name: str) -> str:
    """diabetes-batch-scoring: PrepareBatch -> ScoreBatch (batch transform) -> SummarizeScores."""
    root = [f"s3://{bucket}/{S3_PREFIX}/pipelines/{SCORING_PIPELINE}", {"Get": "Execution.PipelineExecutionId"}]
    prepare = _processing(
        image,
        role,
        code["prepare"],
        [("patients", _param("InputDataUrl"), "/opt/ml/processing/input/patients")],
        [
            ("features", _join(*root, "PrepareBatch", "features"), "/opt/ml/processing/features"),
            ("ids", _join(*root, "PrepareBatch", "ids"), "/opt/ml/processing/ids"),
        ],
    )
    summarize = _processing(
        image,
        role,
        code["summarize"],
        [("scores", {"Get": "Steps.ScoreBatch.TransformOutput.S3OutputPath"}, "/opt/ml/processing/scores")],
        [("summary", _join(*root, "SummarizeScores", "summary"), "/opt/ml/processing/summary")],
    )
    definition = {
        "Version": "2020-12-01",
        "Metadata": {},
        "Parameters": [
            {"Name": "ProcessingInstanceType", "Type": "String", "DefaultValue": "ml.m5.large"},
            {"Name": "TransformInstanceType", "Type": "String", "DefaultValue": "ml.m5.large"},
            {
                "Name": "InputDataUrl",
                "Type": "String",
                "DefaultValue": f"s3://{bucket}/{S3_PREFIX}/datasets/diabetes/raw/",
            },
            {"Name": "ModelName", "Type": "String", "DefaultValue": model_name},
            {"Name": FAIL_STEPS_PARAMETER, "Type": "String", "DefaultValue": ""},
        ],
        "Steps": [
            {
                "Name": "PrepareBatch",
                "Type": "Processing",
                "DisplayName": "Prepare the patient batch",
                "Description": "Keep the model's input columns, in patient order.",
                "Arguments": prepare,
            },
            {
                "Name": "ScoreBatch",
                "Type": "Transform",
                "DisplayName": "Predict disease progression",
                "Description": "Batch transform with the approved diabetes-regression model.",
                "Arguments": {
                    "ModelName": _param("ModelName"),
                    "TransformInput": {
                        "DataSource": {
                            "S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": _output("PrepareBatch", "features")}
                        },
                        "ContentType": "text/csv",
                        "SplitType": "Line",
                    },
                    "TransformOutput": {
                        "S3OutputPath": _join(*root, "ScoreBatch"),
                        "Accept": "text/csv",
                        "AssembleWith": "Line",
                    },
                    "TransformResources": {"InstanceCount": 1, "InstanceType": _param("TransformInstanceType")},
                    "DataProcessing": {"InputFilter": "$", "JoinSource": "None", "OutputFilter": "$"},
                },
            },
            {
                "Name": "SummarizeScores",
                "Type": "Processing",
                "DisplayName": "Summarise the scores",
                "Description": "Count, mean, quartiles and the share of patients above the alert level.",
                "Arguments": summarize,
            },
        ],
    }
    return json.dumps(definition)


#: Executions the demo starts: (pipeline, display name, description, steps that fail in local mode).
EXECUTIONS: tuple[tuple[str, str, str, str], ...] = (
    (BUILD_PIPELINE, "initial-build", "First build with the approved hyperparameters.", ""),
    (
        BUILD_PIPELINE,
        "nightly-build",
        "Nightly rebuild; its evaluation step fails in the demo (local mode).",
        "EvaluateModel",
    ),
    (SCORING_PIPELINE, "june-cohort", "Scores the June patient cohort.", ""),
)


def project_provisioning(account: str, product_id: Optional[str], artifact_id: Optional[str]) -> dict[str, Any]:
    """ServiceCatalogProvisioningDetails: the given product, or (local mode) ids shaped like Service Catalog's,
    stable per account, for the "MLOps template for model building, training, and deployment"."""
    if product_id:
        out: dict[str, Any] = {"ProductId": product_id}
        if artifact_id:
            out["ProvisioningArtifactId"] = artifact_id
        return out
    digest = hashlib.sha256(f"{account}/{PROJECT_NAME}".encode()).hexdigest()
    return {"ProductId": f"prod-{digest[:13]}", "ProvisioningArtifactId": f"pa-{digest[13:26]}"}


@dataclass
class MlopsOptions:
    """What the MLOps part may do in this account."""

    bucket: str
    image: str
    role: str
    account: str
    #: Create the project (local mode, or AWS with a product id).
    project: bool
    product_id: Optional[str]
    artifact_id: Optional[str]
    #: Start pipeline executions and the training job (they cost money in AWS).
    start_jobs: bool


def ensure_mlops(prov: Provisioner, options: MlopsOptions, approved: dict[str, Any]) -> None:
    """Project, its tags on the demo's resources, feature groups, pipelines, executions, the training job.

    ``approved`` maps experiment name -> the approved run (with ``run.name`` and ``run.hyperparameters``).
    """
    project_tags: list[tuple[str, str]] = []
    if options.project:
        project = prov.ensure_project(
            PROJECT_NAME,
            PROJECT_DESCRIPTION,
            project_provisioning(options.account, options.product_id, options.artifact_id),
        )
        project_tags = [(PROJECT_NAME_TAG, project["ProjectName"]), (PROJECT_ID_TAG, project["ProjectId"])]
    tags = prov.tags(*project_tags)

    bucket = options.bucket
    _ensure_feature_groups(prov, options)
    code = _ensure_code(prov, bucket)

    build, scoring = EXPERIMENTS[0], next(e for e in EXPERIMENTS if e.dataset == "load_diabetes")
    prov.ensure_pipeline(
        BUILD_PIPELINE,
        "BreastCancer-GBM-Build",
        "Preprocess, train, evaluate and (above the accuracy gate) register the breast-cancer classifier.",
        build_pipeline_definition(
            options.image, options.role, bucket, code, approved[build.name].run.hyperparameters, prov.region
        ),
        options.role,
        tags,
    )
    prov.ensure_pipeline(
        SCORING_PIPELINE,
        "Diabetes-Batch-Scoring",
        "Predict one-year disease progression for a cohort of patients with the approved model.",
        scoring_pipeline_definition(
            options.image, options.role, bucket, code, f"{scoring.name}-{approved[scoring.name].run.name}"
        ),
        options.role,
        tags,
    )
    if project_tags:
        _tag_project_resources(prov, tags[1:])

    if options.start_jobs:
        for pipeline, display, description, fail_steps in EXECUTIONS:
            parameters = {}
            if not prov.is_aws and fail_steps:
                parameters[FAIL_STEPS_PARAMETER] = fail_steps
            # A stable token: AWS itself answers a retried start with the same execution.
            token = uuid.uuid5(uuid.NAMESPACE_URL, f"{options.account}/{prov.region}/{pipeline}/{display}").hex
            prov.ensure_pipeline_execution(pipeline, display, description, parameters, token)
        _ensure_training_job(prov, options, approved[build.name].run.hyperparameters, code, project_tags)
        _ensure_sweep_job(prov, options, code)


def _ensure_feature_groups(prov: Provisioner, options: MlopsOptions) -> None:
    """The feature groups (offline store in the default bucket, online store where the spec says)."""
    for spec in FEATURE_GROUPS:

        def request(spec: FeatureGroupSpec = spec) -> dict[str, Any]:
            kwargs: dict[str, Any] = {
                "RecordIdentifierFeatureName": spec.record_identifier,
                "EventTimeFeatureName": spec.event_time,
                "FeatureDefinitions": feature_definitions(spec),
                "OfflineStoreConfig": {
                    "S3StorageConfig": {"S3Uri": f"s3://{options.bucket}/{S3_PREFIX}/feature-store"},
                    "DisableGlueTableCreation": False,
                },
                "RoleArn": options.role,
                "Description": spec.description,
                "Tags": prov.tags(),
            }
            if spec.online:
                kwargs["OnlineStoreConfig"] = {"EnableOnlineStore": True}
            return kwargs

        prov.ensure_feature_group(spec.name, request)


def _ensure_code(prov: Provisioner, bucket: str) -> dict[str, str]:
    """Scripts and raw tables the pipelines and the training job read; their S3 URIs by role."""
    base = f"{S3_PREFIX}/pipelines"
    py = "text/x-python"
    code = {
        "preprocess": prov.ensure_object(bucket, f"{base}/{BUILD_PIPELINE}/code/preprocess.py", PREPROCESS.encode, py),
        "evaluate": prov.ensure_object(bucket, f"{base}/{BUILD_PIPELINE}/code/evaluate.py", EVALUATE.encode, py),
        "prepare": prov.ensure_object(bucket, f"{base}/{SCORING_PIPELINE}/code/prepare.py", PREPARE_BATCH.encode, py),
        "summarize": prov.ensure_object(bucket, f"{base}/{SCORING_PIPELINE}/code/summarize.py", SUMMARIZE.encode, py),
        "sourcedir": prov.ensure_object(
            bucket, f"{S3_PREFIX}/code/train/sourcedir.tar.gz", lambda: sourcedir_archive(TRAIN), "application/gzip"
        ),
    }
    raw = (("breast_cancer/raw/biopsies.csv", FEATURE_GROUPS[0]), ("diabetes/raw/patients.csv", FEATURE_GROUPS[1]))
    for key, spec in raw:
        prov.ensure_object(bucket, f"{S3_PREFIX}/datasets/{key}", lambda s=spec: raw_table(s), "text/csv")
    return code


def _tag_project_resources(prov: Provisioner, project_tags: list[dict[str, str]]) -> None:
    """Put the project tags on the demo's pipelines, model groups and endpoints (created without them)."""
    arns = [prov.sagemaker.describe_pipeline(PipelineName=p)["PipelineArn"] for p in (BUILD_PIPELINE, SCORING_PIPELINE)]
    for spec in EXPERIMENTS:
        group = prov.find("describe_model_package_group", ModelPackageGroupName=spec.model_package_group)
        if group is not None:
            arns.append(group["ModelPackageGroupArn"])
        endpoint = prov.find("describe_endpoint", EndpointName=spec.deployment.endpoint_name)
        if endpoint is not None:
            arns.append(endpoint["EndpointArn"])
    for arn in arns:
        prov.ensure_tags(arn, project_tags)


def _ensure_sweep_job(prov: Provisioner, options: MlopsOptions, code: dict[str, str]) -> None:
    """One more point of the breast-cancer tuning sweep, trained by a SageMaker job in the sweep's trial."""
    experiment = EXPERIMENTS[0]
    trial = experiment.trial_name(SWEEP_TRIAL)
    if prov.find("describe_trial", TrialName=trial) is None:  # AWS refuses a job whose trial does not exist
        prov.log(f"Demo content: no trial {trial}, so the sweep job {SWEEP_JOB} is not started")
        return
    data = f"s3://{options.bucket}/{S3_PREFIX}/datasets/breast_cancer"
    prov.ensure_training_job(
        SWEEP_JOB,
        AlgorithmSpecification={
            "TrainingImage": options.image,
            "TrainingInputMode": "File",
            "MetricDefinitions": [{"Name": "validation:accuracy", "Regex": "validation:accuracy=([0-9.]+)"}],
        },
        RoleArn=options.role,
        HyperParameters=_hyperparameters(SWEEP_HYPERPARAMETERS, code["sourcedir"], prov.region),
        InputDataConfig=[_channel("train", f"{data}/train.csv"), _channel("validation", f"{data}/validation.csv")],
        OutputDataConfig={"S3OutputPath": f"s3://{options.bucket}/{S3_PREFIX}/training-jobs"},
        ResourceConfig={"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 10},
        StoppingCondition={"MaxRuntimeInSeconds": 3600},
        ExperimentConfig={
            "ExperimentName": experiment.name,
            "TrialName": trial,
            "TrialComponentDisplayName": "sweep-lr-0-1-depth-5",
        },
        Tags=prov.tags() if prov.is_aws else prov.tags((DURATION_TAG, "0")),
    )


def _ensure_training_job(
    prov: Provisioner,
    options: MlopsOptions,
    hyperparameters: dict[str, Any],
    code: dict[str, str],
    project_tags: list[tuple[str, str]],
) -> None:
    """The weekly retraining job of the breast-cancer classifier on an ml.m5.xlarge, still running."""
    data = f"s3://{options.bucket}/{S3_PREFIX}/datasets/breast_cancer"
    extra = list(project_tags)
    if not prov.is_aws:
        extra.append((DURATION_TAG, str(TRAINING_JOB_SECONDS)))
    prov.ensure_training_job(
        TRAINING_JOB,
        AlgorithmSpecification={
            "TrainingImage": options.image,
            "TrainingInputMode": "File",
            "MetricDefinitions": [{"Name": "validation:accuracy", "Regex": "validation:accuracy=([0-9.]+)"}],
        },
        RoleArn=options.role,
        HyperParameters=_hyperparameters(hyperparameters, code["sourcedir"], prov.region),
        InputDataConfig=[_channel("train", f"{data}/train.csv"), _channel("validation", f"{data}/validation.csv")],
        OutputDataConfig={"S3OutputPath": f"s3://{options.bucket}/{S3_PREFIX}/training-jobs"},
        ResourceConfig={"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 30},
        StoppingCondition={"MaxRuntimeInSeconds": 12 * 3600},
        Tags=prov.tags(*extra),
    )
