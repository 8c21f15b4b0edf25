"""Training, processing and batch transform jobs in the local backend: Create/Describe/List/Stop for each.

No container runs in local mode; a job goes through the statuses AWS shows, on a timeline stored with it
(``lifecycle.schedule``) and applied when it is read, so progress survives restarts:

- training: ``InProgress`` with ``SecondaryStatus`` Starting -> Downloading -> Training -> Uploading, then
  ``Completed`` (``ModelArtifacts`` under the output path, as AWS names them);
- processing: ``InProgress`` -> ``Completed``;
- transform: ``InProgress`` -> ``Completed`` (its model must exist, as in AWS);
- StopTrainingJob / StopProcessingJob / StopTransformJob: ``Stopping`` now, ``Stopped`` after the lifecycle delay.

A training job whose ``ContainerEntrypoint`` is ``["python3", "/opt/ml/…/<script>.py"]`` (a notebook job,
``docs/NOTEBOOK_JOBS.md``) really runs, as a local process: see ``script_jobs.py``. Its output goes to CloudWatch
Logs (``logs.py``) and StopTrainingJob ends the process.

A simulated job runs for four lifecycle delays (``SAGEMAKER_STUDIO_LOCAL_DELAY``), or for the seconds given in its tag
``sagemaker-studio:local-duration-seconds``; the tag ``sagemaker-studio:local-failure-reason`` makes it end
``Failed`` with that reason instead of completing.

A job created with an ``ExperimentConfig`` gets its trial component, as in AWS: ``<job>-aws-training-job`` (or
``-aws-processing-job`` / ``-aws-transform-job``), ``Source`` the job, the job's settings and hyperparameters as
``Parameters``, its status following the job's, associated with the trial the config names (or a new trial of
the component's name in the named experiment).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Optional

from botocore.model import OperationModel

from . import lifecycle, quotas
from . import resources as res
from .protocol import ServiceError
from .sagemaker import KINDS as SM_KINDS
from .sagemaker import Kind, _now
from .script_jobs import script_entrypoint

if TYPE_CHECKING:
    from .sagemaker import SageMakerService

#: Tag giving a job's run time in seconds (default: four lifecycle delays).
DURATION_TAG = "sagemaker-studio:local-duration-seconds"
#: Private member of a processing job that is a Model Monitor execution (``monitoring.py``).
EXECUTION_KEY = "_Monitoring"
#: Tag making a job fail at the end of its run, with the tag's value as FailureReason.
FAILURE_TAG = "sagemaker-studio:local-failure-reason"

KINDS = (
    Kind(
        "TrainingJob",
        "TrainingJobName",
        "TrainingJobArn",
        "training-job",
        "DescribeTrainingJob",
        "ListTrainingJobs",
        "TrainingJobSummaries",
        not_found="Requested resource not found.",
        exists="Training job names must be unique within an AWS account and region, and a training job with this "
        "name already exists ({arn})",
        status_member="TrainingJobStatus",
        exists_code="ResourceInUse",
    ),
    Kind(
        "ProcessingJob",
        "ProcessingJobName",
        "ProcessingJobArn",
        "processing-job",
        "DescribeProcessingJob",
        "ListProcessingJobs",
        "ProcessingJobSummaries",
        not_found="Could not find requested job with name {name}",
        exists="Job name must be unique within an AWS account and region, and a job with this name already "
        "exists ({arn})",
        status_member="ProcessingJobStatus",
        exists_code="ResourceInUse",
    ),
    Kind(
        "TransformJob",
        "TransformJobName",
        "TransformJobArn",
        "transform-job",
        "DescribeTransformJob",
        "ListTransformJobs",
        "TransformJobSummaries",
        not_found="Could not find requested job with name {name}",
        exists="Job name must be unique within an AWS account and region, and a job with this name already "
        "exists ({arn})",
        status_member="TransformJobStatus",
        exists_code="ResourceInUse",
    ),
)
TRAINING, PROCESSING, TRANSFORM = KINDS
#: Labels for messages, and the member holding each kind's end time (set when a stopped job stops).
LABELS = {TRAINING.kind: "Training job", PROCESSING.kind: "Processing job", TRANSFORM.kind: "Transform job"}
END_MEMBERS = {
    TRAINING.kind: "TrainingEndTime",
    PROCESSING.kind: "ProcessingEndTime",
    TRANSFORM.kind: "TransformEndTime",
}

#: Training's secondary statuses while InProgress, with the messages AWS shows for them.
TRAINING_PHASES = (
    ("Starting", "Launching requested ML instances"),
    ("Downloading", "Downloading input data"),
    ("Training", "Training image download completed. Training in progress."),
    ("Uploading", "Uploading generated training model"),
)


#: What a job's ExperimentConfig creates: a trial component named ``<job><suffix>`` with this ``Source.SourceType``.
COMPONENT_SUFFIXES = {
    TRAINING.kind: "-aws-training-job",
    PROCESSING.kind: "-aws-processing-job",
    TRANSFORM.kind: "-aws-transform-job",
}
SOURCE_TYPES = {
    TRAINING.kind: "SageMakerTrainingJob",
    PROCESSING.kind: "SageMakerProcessingJob",
    TRANSFORM.kind: "SageMakerTransformJob",
}
#: Job statuses that end a run (the component gets its EndTime then).
FINAL_STATUSES = frozenset({"Completed", "Failed", "Stopped"})


def _tag(params: dict[str, Any], key: str) -> Optional[str]:
    for tag in params.get("Tags", []):
        if tag["Key"] == key:
            return tag.get("Value", "")
    return None


def run_time(params: dict[str, Any]) -> float:
    """How long a job runs: its duration tag, else four lifecycle delays."""
    raw = _tag(params, DURATION_TAG)
    if raw is not None:
        try:
            seconds = float(raw)
        except ValueError:
            seconds = -1.0
        if seconds < 0:
            raise ServiceError(
                "ValidationException", f"The tag {DURATION_TAG} must be a number of seconds (0 or more), not {raw!r}."
            )
        return seconds
    return 4 * lifecycle.delay()


def _transitions(done: list[tuple[str, str, float]], end: Optional[float]) -> list[dict[str, Any]]:
    """SecondaryStatusTransitions: each status ends when the next starts; the last ends at ``end`` (if any)."""
    out = []
    for i, (status, message, start) in enumerate(done):
        item: dict[str, Any] = {"Status": status, "StartTime": start, "StatusMessage": message}
        stop = done[i + 1][2] if i + 1 < len(done) else end
        if stop is not None:
            item["EndTime"] = stop
        out.append(item)
    return out


def training_plan(doc: dict[str, Any], t: float, seconds: float, failure: Optional[str]) -> None:
    """Put a new training job in InProgress/Starting and schedule the rest of its run."""
    step = seconds / len(TRAINING_PHASES)
    starts = [(status, message, round(t + i * step, 3)) for i, (status, message) in enumerate(TRAINING_PHASES)]
    doc.update(
        TrainingJobStatus="InProgress",
        SecondaryStatus="Starting",
        SecondaryStatusTransitions=_transitions(starts[:1], None),
    )
    stages: list[tuple[float, dict[str, Any]]] = []
    for i in range(1, len(starts)):
        changes: dict[str, Any] = {
            "SecondaryStatus": starts[i][0],
            "SecondaryStatusTransitions": _transitions(starts[: i + 1], None),
        }
        if starts[i][0] == "Downloading":  # the instances are ready: AWS starts the billed time here
            changes["TrainingStartTime"] = starts[i][2]
        stages.append((i * step, changes))
    end = round(t + seconds, 3)
    billed = max(1, int(round(seconds - step)))
    final = "Failed" if failure is not None else "Completed"
    message = failure if failure is not None else "Training job completed"
    last: dict[str, Any] = {
        "TrainingJobStatus": final,
        "SecondaryStatus": final,
        "SecondaryStatusTransitions": _transitions(starts + [(final, message, end)], None)[:-1]
        + [{"Status": final, "StartTime": end, "EndTime": end, "StatusMessage": message}],
        "TrainingStartTime": starts[1][2] if len(starts) > 1 else t,
        "TrainingEndTime": end,
        "TrainingTimeInSeconds": billed,
        "BillableTimeInSeconds": billed,
    }
    if failure is not None:
        last["FailureReason"] = failure
    else:
        output = doc["OutputDataConfig"]["S3OutputPath"].rstrip("/")
        last["ModelArtifacts"] = {"S3ModelArtifacts": f"{output}/{doc['TrainingJobName']}/output/model.tar.gz"}
    stages.append((seconds, last))
    lifecycle.schedule(doc, t, stages)


def processing_plan(doc: dict[str, Any], t: float, seconds: float, failure: Optional[str]) -> None:
    """Put a new processing job in InProgress and schedule its start and end."""
    doc["ProcessingJobStatus"] = "InProgress"
    last: dict[str, Any] = {
        "ProcessingJobStatus": "Failed" if failure is not None else "Completed",
        "ProcessingEndTime": round(t + seconds, 3),
    }
    if failure is not None:
        last["FailureReason"] = failure
        last["ExitMessage"] = failure
    lifecycle.schedule(doc, t, [(seconds / 4, {"ProcessingStartTime": round(t + seconds / 4, 3)}), (seconds, last)])


def transform_plan(doc: dict[str, Any], t: float, seconds: float, failure: Optional[str]) -> None:
    """Put a new transform job in InProgress and schedule its start (instances ready) and end."""
    doc["TransformJobStatus"] = "InProgress"
    last: dict[str, Any] = {
        "TransformJobStatus": "Failed" if failure is not None else "Completed",
        "TransformEndTime": round(t + seconds, 3),
    }
    if failure is not None:
        last["FailureReason"] = failure
    lifecycle.schedule(doc, t, [(seconds / 4, {"TransformStartTime": round(t + seconds / 4, 3)}), (seconds, last)])


def _job_parameters(kind: Kind, params: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A job's trial component Parameters: its image and instances (``SageMaker.*``), then its hyperparameters."""
    if kind is TRAINING:
        algorithm = params.get("AlgorithmSpecification", {})
        image = algorithm.get("TrainingImage")
        resources = params.get("ResourceConfig", {})
    elif kind is PROCESSING:
        image = params.get("AppSpecification", {}).get("ImageUri")
        resources = params.get("ProcessingResources", {}).get("ClusterConfig", {})
    else:
        image = None
        resources = params.get("TransformResources", {})
    out: dict[str, dict[str, Any]] = {}
    if image:
        out["SageMaker.ImageUri"] = {"StringValue": image}
    if kind is TRAINING and params.get("AlgorithmSpecification", {}).get("AlgorithmName"):
        out["SageMaker.AlgorithmName"] = {"StringValue": params["AlgorithmSpecification"]["AlgorithmName"]}
    if "InstanceType" in resources:
        out["SageMaker.InstanceType"] = {"StringValue": resources["InstanceType"]}
    if "InstanceCount" in resources:
        out["SageMaker.InstanceCount"] = {"NumberValue": float(resources["InstanceCount"])}
    if "VolumeSizeInGB" in resources:
        out["SageMaker.VolumeSizeInGB"] = {"NumberValue": float(resources["VolumeSizeInGB"])}
    for name, value in params.get("HyperParameters", {}).items():
        out[name] = {"StringValue": value}
    return out


def _job_inputs(kind: Kind, params: dict[str, Any]) -> dict[str, dict[str, str]]:
    """A job's trial component InputArtifacts: its S3 channels (training) or inputs (processing)."""
    out: dict[str, dict[str, str]] = {}
    if kind is TRAINING:
        for channel in params.get("InputDataConfig", []):
            uri = channel.get("DataSource", {}).get("S3DataSource", {}).get("S3Uri")
            if uri:
                out[channel["ChannelName"]] = {"Value": uri}
    elif kind is PROCESSING:
        for item in params.get("ProcessingInputs", []):
            uri = item.get("S3Input", {}).get("S3Uri")
            if uri:
                out[item["InputName"]] = {"Value": uri}
    return out


def _component_timeline(kind: Kind, job: dict[str, Any], component: dict[str, Any], t: float) -> None:
    """Plan the component's status changes from the job's own plan, so that it follows the job."""
    member = kind.status_member or ""
    stages: list[tuple[float, dict[str, Any]]] = []
    for due, changes in lifecycle.planned(job):
        status = changes.get(member)
        if status is None:
            continue
        update: dict[str, Any] = {"Status": {"PrimaryStatus": status, "Message": f"Status: {status}"}}
        if changes.get("FailureReason"):
            update["Status"]["Message"] = changes["FailureReason"]
        if status in FINAL_STATUSES:
            update["EndTime"] = due
        artifact = changes.get("ModelArtifacts", {}).get("S3ModelArtifacts")
        if artifact:
            update["OutputArtifacts"] = {
                **component.get("OutputArtifacts", {}),
                "SageMaker.ModelArtifact": {"Value": artifact},
            }
        stages.append((due - t, update))
    status = job[member]
    component["Status"] = {"PrimaryStatus": status, "Message": f"Status: {status}"}
    component["LastModifiedTime"] = t
    if stages:
        lifecycle.schedule(component, t, stages)


def component_name(kind: Kind, job_name: str) -> str:
    """The name of the trial component AWS creates for a job run with an ExperimentConfig."""
    return job_name + COMPONENT_SUFFIXES[kind.kind]


class Operations:
    """The training and processing job operations, on the SageMaker service's store and helpers."""

    def __init__(self, sm: "SageMakerService") -> None:
        from .script_jobs import ScriptJobs

        self.sm = sm
        #: Training jobs run as local processes; the backend closes it when it stops.
        self.script_jobs = ScriptJobs(self)
        sm.script_jobs = self.script_jobs  # type: ignore[attr-defined]

    def operations(self) -> dict[str, Callable[[dict[str, Any], OperationModel], dict[str, Any]]]:
        """Operation name -> handler."""
        return {
            "CreateTrainingJob": self.create_training_job,
            "DescribeTrainingJob": self.sm.describe,
            "ListTrainingJobs": self.list_training_jobs,
            "StopTrainingJob": self.stop_training_job,
            "CreateProcessingJob": self.create_processing_job,
            "DescribeProcessingJob": self.sm.describe,
            "ListProcessingJobs": self.list_processing_jobs,
            "StopProcessingJob": self.stop_processing_job,
            "CreateTransformJob": self.create_transform_job,
            "DescribeTransformJob": self.sm.describe,
            "ListTransformJobs": self.list_transform_jobs,
            "StopTransformJob": self.stop_transform_job,
        }

    def _experiment_component(
        self, kind: Kind, job: dict[str, Any], params: dict[str, Any], db: Any, operation: OperationModel, t: float
    ) -> None:
        """The trial component of a job created with an ExperimentConfig, in the trial the config names.

        As in AWS: a named experiment or trial must exist (``ResourceNotFound``), a trial named with an experiment
        must belong to it, and a config naming an experiment but no trial gets a new trial named like the component.
        """
        config = params.get("ExperimentConfig")
        if not config:
            return
        experiment_name = config.get("ExperimentName")
        trial_name = config.get("TrialName")
        if config.get("RunName") and not experiment_name:
            raise ServiceError("ValidationException", "ExperimentConfig.RunName needs an ExperimentName.")
        experiment = None
        if experiment_name:
            experiment = self.sm.require(db, SM_KINDS["Experiment"], experiment_name, operation)
        name = component_name(kind, job[kind.name_member])
        if trial_name:
            trial = self.sm.require(db, SM_KINDS["Trial"], trial_name, operation)
            if experiment is not None and trial["ExperimentName"] != experiment["ExperimentName"]:
                raise ServiceError(
                    "ValidationException",
                    f"Trial '{trial['TrialName']}' belongs to experiment '{trial['ExperimentName']}', not to "
                    f"'{experiment['ExperimentName']}'.",
                )
        elif experiment is not None:
            trial_kind = SM_KINDS["Trial"]
            trial = self.sm._new_doc(trial_kind, name, {"TrialName": name}, t)
            trial.update(ExperimentName=experiment["ExperimentName"], DisplayName=name)
            trial["Source"] = {"SourceArn": job[kind.arn_member], "SourceType": SOURCE_TYPES[kind.kind]}
            self.sm._insert(trial_kind, name, trial, db)
        else:
            trial = None
        component_kind = SM_KINDS["TrialComponent"]
        component = self.sm._new_doc(component_kind, name, {}, t)
        component.update(
            DisplayName=config.get("TrialComponentDisplayName") or name,
            Source={"SourceArn": job[kind.arn_member], "SourceType": SOURCE_TYPES[kind.kind]},
            StartTime=t,
            Parameters=_job_parameters(kind, params),
            InputArtifacts=_job_inputs(kind, params),
            OutputArtifacts={},
        )
        _component_timeline(kind, job, component, t)
        self.sm._insert(component_kind, name, component, db)
        if trial is not None:
            db.execute(
                "INSERT OR IGNORE INTO sm_trial_component_trials(trial_component_name, trial_name) VALUES (?, ?)",
                (name, trial["TrialName"]),
            )

    def _follow_job(self, kind: Kind, job: dict[str, Any], db: Any, t: float) -> None:
        """Re-plan a job's trial component (if it has one) after the job's plan changed (a stop)."""
        component = res.load(db, "TrialComponent", component_name(kind, job[kind.name_member]))
        if component is None or component.get("Source", {}).get("SourceArn") != job[kind.arn_member]:
            return
        _component_timeline(kind, job, component, t)
        self.sm._save(db, SM_KINDS["TrialComponent"], component)

    def create_training_job(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """CreateTrainingJob: InProgress through the secondary statuses, then Completed (or Failed, by tag)."""
        quotas.check_training_quota(self.sm, params)  # ResourceLimitExceeded beyond the instance type's quota
        algorithm = params.get("AlgorithmSpecification")
        if not algorithm or not (algorithm.get("TrainingImage") or algorithm.get("AlgorithmName")):
            raise ServiceError(
                "ValidationException",
                "AlgorithmSpecification must name a TrainingImage or an AlgorithmName.",
            )
        if "ResourceConfig" not in params and "ServerlessJobConfig" not in params:
            raise ServiceError(
                "ValidationException", "ResourceConfig (instance type, count and volume size) is required."
            )
        seconds = run_time(params)
        name = params["TrainingJobName"]
        t = _now()
        doc = self.sm._new_doc(TRAINING, name, params, t)
        for flag in ("EnableNetworkIsolation", "EnableInterContainerTrafficEncryption", "EnableManagedSpotTraining"):
            doc.setdefault(flag, False)
        script = script_entrypoint(params) is not None
        if script:
            self.script_jobs.plan(doc, t)
        else:
            training_plan(doc, t, seconds, _tag(params, FAILURE_TAG))
        registered = False
        try:
            with self.sm.store.transaction() as db:
                self.sm._insert(TRAINING, name, doc, db)
                if script:
                    self.script_jobs.register(name)
                    registered = True
                self._experiment_component(TRAINING, doc, params, db, operation, t)
        except BaseException:
            if registered:  # not when the name was taken: that job's run is not this request's
                self.script_jobs.forget(name)
            raise
        if script:
            self.script_jobs.start(doc)
        return {"TrainingJobArn": doc["TrainingJobArn"]}

    def create_processing_job(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """CreateProcessingJob: InProgress, then Completed (or Failed, by tag)."""
        from .monitoring import baseline_job, is_baseline_job

        seconds = run_time(params)
        name = params["ProcessingJobName"]
        if self.sm.find(self.sm.store, PROCESSING, name) is not None:
            raise ServiceError(
                PROCESSING.exists_code, PROCESSING.message(PROCESSING.exists, name, self.sm.arn(PROCESSING, name))
            )
        failure = _tag(params, FAILURE_TAG)
        if is_baseline_job(params):
            # A Model Monitor baselining job really computes its statistics and constraints (monitoring.py).
            failure = baseline_job(self.sm.store, params) or failure
        t = _now()
        doc = self.sm._new_doc(PROCESSING, name, params, t)
        processing_plan(doc, t, seconds, failure)
        with self.sm.store.transaction() as db:
            self.sm._insert(PROCESSING, name, doc, db)
            self._experiment_component(PROCESSING, doc, params, db, operation, t)
        return {"ProcessingJobArn": doc["ProcessingJobArn"]}

    def create_transform_job(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """CreateTransformJob with an existing model: InProgress, then Completed (or Failed, by tag)."""
        seconds = run_time(params)
        name = params["TransformJobName"]
        t = _now()
        doc = self.sm._new_doc(TRANSFORM, name, params, t)
        with self.sm.store.transaction() as db:
            model_kind = SM_KINDS["Model"]
            model = self.sm.find(db, model_kind, params["ModelName"])
            if model is None:
                # AWS answers a missing model with a ValidationException naming its ARN.
                arn = self.sm.arn(model_kind, params["ModelName"])
                raise ServiceError(
                    "ValidationException", model_kind.message(model_kind.not_found, params["ModelName"], arn)
                )
            doc["ModelName"] = model["ModelName"]
            doc.setdefault("DataProcessing", {"InputFilter": "$", "OutputFilter": "$", "JoinSource": "None"})
            transform_plan(doc, t, seconds, _tag(params, FAILURE_TAG))
            self.sm._insert(TRANSFORM, name, doc, db)
            self._experiment_component(TRANSFORM, doc, params, db, operation, t)
        return {"TransformJobArn": doc["TransformJobArn"]}

    def _list(self, kind: Kind, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        docs = self.sm.settled_all(kind)
        if "StatusEquals" in params:
            docs = [d for d in docs if d[kind.status_member or ""] == params["StatusEquals"]]
        if "WarmPoolStatusEquals" in params:
            docs = [d for d in docs if d.get("WarmPoolStatus", {}).get("Status") == params["WarmPoolStatusEquals"]]
        if "TrainingPlanArnEquals" in params:
            wanted = params["TrainingPlanArnEquals"]
            docs = [d for d in docs if wanted in d.get("ResourceConfig", {}).get("TrainingPlanArn", "")]
        return self.sm._listing(kind, params, operation, docs)

    def list_training_jobs(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """ListTrainingJobs with StatusEquals, NameContains, time filters, sorting and paging."""
        return self._list(TRAINING, params, operation)

    def list_processing_jobs(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """ListProcessingJobs with StatusEquals, NameContains, time filters, sorting and paging."""
        return self._list(PROCESSING, params, operation)

    def list_transform_jobs(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """ListTransformJobs with StatusEquals, NameContains, time filters, sorting and paging."""
        return self._list(TRANSFORM, params, operation)

    def _stop(self, kind: Kind, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """Stopping now, Stopped after the lifecycle delay; only an InProgress job can be stopped."""
        status_member = kind.status_member or ""
        label = LABELS[kind.kind]
        found = self.sm.require(self.sm.store, kind, params[kind.name_member], operation)
        self.sm.settled(kind, found)
        if (
            kind is TRAINING
            and found.get("TrainingJobStatus") == "InProgress"
            and self.script_jobs.stop(found["TrainingJobName"])
        ):
            return {}
        t = _now()
        with self.sm.store.transaction() as db:
            doc = self.sm.require(db, kind, params[kind.name_member], operation)
            status = doc[status_member]
            if status == "Stopping":
                return {}
            if status != "InProgress":
                raise ServiceError(
                    "ValidationException",
                    f"{label} {doc[kind.name_member]} is {status}; only an InProgress job can be stopped.",
                )
            end = round(t + lifecycle.delay(), 3)
            doc[status_member] = "Stopping"
            doc["LastModifiedTime"] = t
            last: dict[str, Any] = {status_member: "Stopped"}
            if kind is TRAINING:
                done = [
                    (x["Status"], x.get("StatusMessage", ""), x["StartTime"])
                    for x in doc.get("SecondaryStatusTransitions", [])
                ]
                stopping = done + [("Stopping", "Stopping the training job", t)]
                doc["SecondaryStatus"] = "Stopping"
                doc["SecondaryStatusTransitions"] = _transitions(stopping, None)
                last.update(
                    SecondaryStatus="Stopped",
                    SecondaryStatusTransitions=_transitions(stopping, end)
                    + [
                        {"Status": "Stopped", "StartTime": end, "EndTime": end, "StatusMessage": "Training job stopped"}
                    ],
                    TrainingEndTime=end,
                )
            else:
                last[END_MEMBERS[kind.kind]] = end
            if EXECUTION_KEY in doc:  # a Model Monitor execution follows its processing job
                doc[EXECUTION_KEY] = {**doc[EXECUTION_KEY], "Status": "Stopping"}
                last[EXECUTION_KEY] = {**doc[EXECUTION_KEY], "Status": "Stopped"}
            lifecycle.schedule(doc, t, [(end - t, last)])
            self.sm._save(db, kind, doc)
            self._follow_job(kind, doc, db, t)
        return {}

    def stop_training_job(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """StopTrainingJob."""
        return self._stop(TRAINING, params, operation)

    def stop_processing_job(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """StopProcessingJob."""
        return self._stop(PROCESSING, params, operation)

    def stop_transform_job(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """StopTransformJob."""
        return self._stop(TRANSFORM, params, operation)
