"""What the demo account contains: experiments, their runs' hyperparameters, and where the best models are deployed.

Everything here is a plain description; :mod:`.training` trains the runs and :mod:`.provisioner` creates the
resources. Names follow the SageMaker Python SDK's conventions (a run's trial component is
``<experiment>-<run>``, lower case, because the metrics API only accepts lower-case trial component names).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Tag put on every resource the demo creates, so it can be found (and cleaned up) later.
DEMO_TAG = {"Key": "sagemaker-studio:demo", "Value": "true"}

#: S3 key prefix (inside the SageMaker default bucket) of everything the demo uploads.
S3_PREFIX = "sagemaker-studio-demo"


@dataclass(frozen=True)
class RunSpec:
    """One training run: its name within the experiment, the trial that groups it, and its hyperparameters."""

    name: str
    trial: str
    hyperparameters: dict[str, Any]


@dataclass(frozen=True)
class DeploymentSpec:
    """Where the experiment's approved model is served."""

    endpoint_name: str
    instance_type: str
    #: Why this instance type, shown as the endpoint config's purpose in its tags.
    stage: str


@dataclass(frozen=True)
class ExperimentSpec:
    """An experiment: a scikit-learn data set, an estimator, runs, and the registry group of its models."""

    name: str
    description: str
    #: Name of the ``sklearn.datasets.load_*`` function (shipped with scikit-learn, nothing downloaded).
    dataset: str
    #: ``binary``, ``multiclass`` or ``regression`` — chooses the metrics recorded per iteration.
    task: str
    estimator: str
    runs: tuple[RunSpec, ...]
    deployment: DeploymentSpec

    @property
    def model_package_group(self) -> str:
        """Model registry group holding one version per run."""
        return f"{self.name}-models"

    def trial_name(self, trial: str) -> str:
        """Full trial name of a trial key."""
        return f"{self.name}-{trial}"

    def trial_component_name(self, run: RunSpec) -> str:
        """The run's trial component name (lower case, as BatchPutMetrics requires)."""
        return f"{self.name}-{run.name}".lower()


EXPERIMENTS: tuple[ExperimentSpec, ...] = (
    ExperimentSpec(
        name="breast-cancer-gbm",
        description=(
            "Classifies breast masses as malignant or benign from 30 cell-nucleus features "
            "(Wisconsin diagnostic data set) with gradient-boosted trees."
        ),
        dataset="load_breast_cancer",
        task="binary",
        estimator="GradientBoostingClassifier",
        runs=(
            RunSpec("baseline", "baseline", {"learning_rate": 0.1, "max_depth": 3, "n_estimators": 100}),
            RunSpec("lr-0-05-depth-2", "tuning-sweep", {"learning_rate": 0.05, "max_depth": 2, "n_estimators": 150}),
            RunSpec("lr-0-3-depth-4", "tuning-sweep", {"learning_rate": 0.3, "max_depth": 4, "n_estimators": 60}),
        ),
        deployment=DeploymentSpec("breast-cancer-gbm-prod", "ml.m5.large", "production"),
    ),
    ExperimentSpec(
        name="diabetes-regression",
        description=(
            "Predicts disease progression one year after baseline from ten clinical measurements "
            "with gradient-boosted regression trees."
        ),
        dataset="load_diabetes",
        task="regression",
        estimator="GradientBoostingRegressor",
        runs=(
            RunSpec("baseline", "baseline", {"learning_rate": 0.1, "max_depth": 3, "n_estimators": 100}),
            RunSpec("lr-0-03-depth-2", "tuning-sweep", {"learning_rate": 0.03, "max_depth": 2, "n_estimators": 150}),
            RunSpec("lr-0-2-depth-4", "tuning-sweep", {"learning_rate": 0.2, "max_depth": 4, "n_estimators": 80}),
        ),
        deployment=DeploymentSpec("diabetes-regression-staging", "ml.t2.medium", "staging"),
    ),
    ExperimentSpec(
        name="digits-classifier",
        description="Recognises 8x8 images of handwritten digits (0-9) with histogram-based gradient boosting.",
        dataset="load_digits",
        task="multiclass",
        estimator="HistGradientBoostingClassifier",
        runs=(
            RunSpec("baseline", "baseline", {"learning_rate": 0.1, "max_depth": 3, "max_iter": 60}),
            RunSpec("lr-0-3-depth-4", "tuning-sweep", {"learning_rate": 0.3, "max_depth": 4, "max_iter": 50}),
            RunSpec("lr-0-05-depth-6", "tuning-sweep", {"learning_rate": 0.05, "max_depth": 6, "max_iter": 40}),
        ),
        deployment=DeploymentSpec("digits-classifier-gpu", "ml.g4dn.xlarge", "load-test"),
    ),
)
