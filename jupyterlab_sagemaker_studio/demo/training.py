"""Real training runs for the demo: gradient boosting on data sets scikit-learn ships, evaluated per iteration.

Each run fits once, then replays the ensemble stage by stage (``staged_predict``/``staged_predict_proba``) to get
the training and validation curves a training job would have logged after every boosting iteration. The metric
timestamps spread each iteration over the measured fit time, so the time axis shows the real duration.
"""

from __future__ import annotations

import io
import json
import math
import tarfile
import time
from dataclasses import dataclass, field
from typing import Any, Iterator

from .catalog import ExperimentSpec, RunSpec

#: Fixed seed: the same data split and models on every machine and every re-run.
RANDOM_STATE = 42
#: Bootstrap resamples for the standard deviations in the model-quality report.
BOOTSTRAP_ROUNDS = 30

#: Serving entry point for the SageMaker scikit-learn container (packed as code/inference.py in model.tar.gz).
INFERENCE_SCRIPT = '''"""Serving entry point for the SageMaker scikit-learn container: load the fitted estimator."""
import os

import joblib


def model_fn(model_dir):
    """Load the model the demo trained (the container's default input/predict/output functions do the rest)."""
    return joblib.load(os.path.join(model_dir, "model.joblib"))
'''


@dataclass
class MetricPoint:
    """One logged metric value."""

    name: str
    step: int
    value: float
    timestamp: float


@dataclass
class TrainedRun:
    """A finished training run: what to record about it and what to upload."""

    parameters: dict[str, Any]
    metrics: list[MetricPoint]
    start_time: float
    end_time: float
    #: ``model.tar.gz`` bytes: ``model.joblib`` plus ``code/inference.py`` and ``code/requirements.txt``.
    model_archive: bytes
    #: Model-quality report in SageMaker Model Monitor's ``statistics`` format.
    evaluation: dict[str, Any]
    #: Train and validation splits as CSV (label first, no header — the SageMaker built-in convention).
    datasets: dict[str, bytes] = field(default_factory=dict)


def primary_score(experiment: ExperimentSpec, evaluation: dict[str, Any]) -> tuple[str, float, bool]:
    """The metric a reviewer approves models by: (name, value, higher_is_better)."""
    if experiment.task == "regression":
        return "validation RMSE", evaluation["regression_metrics"]["rmse"]["value"], False
    key = "binary_classification_metrics" if experiment.task == "binary" else "multiclass_classification_metrics"
    return "validation accuracy", evaluation[key]["accuracy"]["value"], True


def train_run(experiment: ExperimentSpec, run: RunSpec) -> TrainedRun:
    """Fit the run's estimator and collect per-iteration metrics, the model archive and its evaluation."""
    import joblib
    import numpy as np
    import sklearn
    from sklearn import datasets, ensemble
    from sklearn.model_selection import train_test_split
    from threadpoolctl import threadpool_limits

    X, y = getattr(datasets, experiment.dataset)(return_X_y=True)
    stratify = None if experiment.task == "regression" else y
    X_train, X_val, y_train, y_val = train_test_split(
        X, y, test_size=0.25, random_state=RANDOM_STATE, stratify=stratify
    )
    estimator_cls = getattr(ensemble, experiment.estimator)
    extra = {"early_stopping": False} if experiment.estimator.startswith("Hist") else {}
    model = estimator_cls(random_state=RANDOM_STATE, **run.hyperparameters, **extra)

    # One thread: the demo runs beside a Jupyter server (often in its process), and OpenMP threads competing for
    # busy cores are far slower than one thread.
    with threadpool_limits(limits=1):
        start = time.time()
        model.fit(X_train, y_train)
        end = time.time()
        metrics = list(_iteration_metrics(experiment.task, model, X_train, y_train, X_val, y_val, start, end))
        evaluation = _evaluation(experiment.task, model, X_val, y_val, np)

    parameters: dict[str, Any] = dict(run.hyperparameters)
    parameters.update(
        {
            "estimator": experiment.estimator,
            "dataset": f"sklearn.datasets.{experiment.dataset}",
            "scikit_learn_version": sklearn.__version__,
            "random_state": RANDOM_STATE,
            "train_samples": int(len(y_train)),
            "validation_samples": int(len(y_val)),
        }
    )
    return TrainedRun(
        parameters=parameters,
        metrics=metrics,
        start_time=start,
        end_time=end,
        model_archive=_model_archive(model, sklearn.__version__, joblib),
        evaluation=evaluation,
        datasets={"train": _csv(X_train, y_train, np), "validation": _csv(X_val, y_val, np)},
    )


def _iteration_metrics(
    task: str, model: Any, X_train: Any, y_train: Any, X_val: Any, y_val: Any, start: float, end: float
) -> Iterator[MetricPoint]:
    """Training/validation curves, one point per boosting iteration (step 1 = after the first tree)."""
    import numpy as np

    def stamp(step: int, total: int) -> float:
        # Iteration i finished roughly i/total of the way through the fit.
        return start + (end - start) * step / total

    if task == "regression":
        train_stages = list(model.staged_predict(X_train))
        val_stages = list(model.staged_predict(X_val))
        total = len(val_stages)
        for step, (p_train, p_val) in enumerate(zip(train_stages, val_stages), start=1):
            ts = stamp(step, total)
            yield MetricPoint("train:rmse", step, _rmse(y_train, p_train, np), ts)
            yield MetricPoint("validation:rmse", step, _rmse(y_val, p_val, np), ts)
            yield MetricPoint("validation:r2", step, _r2(y_val, p_val, np), ts)
        return

    loss = "logloss" if task == "binary" else "mlogloss"
    # Column of each true label in predict_proba's output.
    train_idx = np.searchsorted(model.classes_, y_train)
    val_idx = np.searchsorted(model.classes_, y_val)
    train_stages = list(model.staged_predict_proba(X_train))
    val_stages = list(model.staged_predict_proba(X_val))
    total = len(val_stages)
    for step, (p_train, p_val) in enumerate(zip(train_stages, val_stages), start=1):
        ts = stamp(step, total)
        yield MetricPoint(f"train:{loss}", step, _log_loss(p_train, train_idx, np), ts)
        yield MetricPoint(f"validation:{loss}", step, _log_loss(p_val, val_idx, np), ts)
        yield MetricPoint("validation:accuracy", step, float(np.mean(p_val.argmax(axis=1) == val_idx)), ts)


# Plain numpy formulas: scikit-learn's metric functions validate their inputs on every call, which costs more
# than the arithmetic when evaluated for every iteration and bootstrap sample.


def _log_loss(proba: Any, true_idx: Any, np: Any) -> float:
    eps = np.finfo(proba.dtype).eps
    picked = np.clip(proba[np.arange(len(true_idx)), true_idx], eps, 1.0)
    return float(-np.mean(np.log(picked)))


def _rmse(y: Any, pred: Any, np: Any) -> float:
    return float(np.sqrt(np.mean((y - pred) ** 2)))


def _r2(y: Any, pred: Any, np: Any) -> float:
    return float(1.0 - np.sum((y - pred) ** 2) / np.sum((y - np.mean(y)) ** 2))


def _class_scores(y: Any, pred: Any, np: Any) -> dict[str, float]:
    """Accuracy, and precision/recall/F1 (positive class for two classes, support-weighted otherwise)."""
    labels = np.unique(y)
    tp = np.array([np.sum((pred == c) & (y == c)) for c in labels], dtype=float)
    predicted = np.array([np.sum(pred == c) for c in labels], dtype=float)
    support = np.array([np.sum(y == c) for c in labels], dtype=float)
    precision = np.divide(tp, predicted, out=np.zeros_like(tp), where=predicted > 0)
    recall = np.divide(tp, support, out=np.zeros_like(tp), where=support > 0)
    denom = precision + recall
    f1 = np.divide(2 * precision * recall, denom, out=np.zeros_like(tp), where=denom > 0)
    if len(labels) == 2:
        return {"accuracy": float(np.mean(y == pred)), "precision": precision[1], "recall": recall[1], "f1": f1[1]}
    w = support / support.sum()
    return {
        "accuracy": float(np.mean(y == pred)),
        "weighted_precision": float(precision @ w),
        "weighted_recall": float(recall @ w),
        "weighted_f1": float(f1 @ w),
    }


def _regression_scores(y: Any, pred: Any, np: Any) -> dict[str, float]:
    mse = float(np.mean((y - pred) ** 2))
    return {"mae": float(np.mean(np.abs(y - pred))), "mse": mse, "rmse": math.sqrt(mse), "r2": _r2(y, pred, np)}


def _evaluation(task: str, model: Any, X_val: Any, y_val: Any, np: Any) -> dict[str, Any]:
    """Validation metrics with bootstrap standard deviations, as SageMaker's model-quality statistics."""
    from sklearn.metrics import roc_auc_score

    pred = model.predict(X_val)
    scores = _regression_scores if task == "regression" else _class_scores
    point = scores(y_val, pred, np)
    rng = np.random.default_rng(RANDOM_STATE)
    resamples = [rng.integers(0, len(y_val), len(y_val)) for _ in range(BOOTSTRAP_ROUNDS)]
    spread = [scores(y_val[idx], pred[idx], np) for idx in resamples]
    report = {
        name: {
            "value": round(float(value), 6),
            "standard_deviation": round(float(np.std([s[name] for s in spread])), 6),
        }
        for name, value in point.items()
    }
    if task == "regression":
        return {"regression_metrics": report}
    if task == "binary":
        auc = roc_auc_score(y_val, model.predict_proba(X_val)[:, 1])
        report["auc"] = {"value": round(float(auc), 6), "standard_deviation": "NaN"}
        return {"binary_classification_metrics": report}
    return {"multiclass_classification_metrics": report}


def _model_archive(model: Any, sklearn_version: str, joblib: Any) -> bytes:
    """``model.tar.gz`` laid out as the SageMaker scikit-learn container expects (code under ``code/``)."""
    model_bytes = io.BytesIO()
    joblib.dump(model, model_bytes)
    # The container installs code/requirements.txt at start-up, so it unpickles with the training version.
    members = {
        "model.joblib": model_bytes.getvalue(),
        "code/inference.py": INFERENCE_SCRIPT.encode(),
        "code/requirements.txt": f"scikit-learn=={sklearn_version}\n".encode(),
    }
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = int(time.time())
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def _csv(X: Any, y: Any, np: Any) -> bytes:
    """Label-first CSV without a header."""
    out = io.StringIO()
    np.savetxt(out, np.column_stack([y, X]), delimiter=",", fmt="%.6g")
    return out.getvalue().encode()


def evaluation_json(evaluation: dict[str, Any]) -> bytes:
    """The evaluation report as uploaded to S3."""
    return json.dumps(evaluation, indent=2, sort_keys=True).encode()
