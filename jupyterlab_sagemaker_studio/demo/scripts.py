"""Code the demo's pipeline steps and training job run in the SageMaker scikit-learn container.

Uploaded to S3 next to the pipelines, so a definition that is executed in AWS finds real, working scripts (the
local backend runs no containers and never reads them). Each script follows the container's conventions: a
processing job's inputs and outputs under ``/opt/ml/processing``, a training job in script mode reading
``SM_CHANNEL_*`` and writing ``SM_MODEL_DIR``.
"""

from __future__ import annotations

import io
import tarfile

#: Breast-cancer build pipeline, step PreprocessData: raw table -> train / validation / test.
PREPROCESS = '''"""Split the raw biopsy table into train, validation and test CSVs (label first, no header)."""
import argparse
import glob
import os

import pandas as pd
from sklearn.model_selection import train_test_split

parser = argparse.ArgumentParser()
parser.add_argument("--label", default="diagnosis")
parser.add_argument("--holdout", type=float, default=0.15)
args = parser.parse_args()

base = "/opt/ml/processing"
raw = pd.concat(pd.read_csv(path) for path in sorted(glob.glob(f"{base}/input/raw/*.csv")))
features = [c for c in raw.columns if c not in (args.label, "biopsy_id", "event_time")]
data = raw[[args.label] + features]
train, rest = train_test_split(data, test_size=2 * args.holdout, random_state=42, stratify=data[args.label])
validation, test = train_test_split(rest, test_size=0.5, random_state=42, stratify=rest[args.label])
for name, part in (("train", train), ("validation", validation), ("test", test)):
    os.makedirs(f"{base}/{name}", exist_ok=True)
    part.to_csv(f"{base}/{name}/{name}.csv", header=False, index=False)
print(f"{len(train)} train, {len(validation)} validation, {len(test)} test rows")
'''

#: Training job / step TrainModel: scikit-learn script mode.
TRAIN = '''"""Fit a gradient-boosted classifier on label-first CSVs (SageMaker scikit-learn script mode)."""
import argparse
import glob
import os

import joblib
import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier



def load(directory):
    """Every CSV of a channel, label first, no header."""
    return pd.concat(pd.read_csv(path, header=None) for path in sorted(glob.glob(f"{directory}/*.csv")))


def model_fn(model_dir):
    """Serving entry point: the fitted estimator (the container imports this module, so training is guarded)."""
    return joblib.load(os.path.join(model_dir, "model.joblib"))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--learning_rate", type=float, default=0.1)
    parser.add_argument("--max_depth", type=int, default=3)
    parser.add_argument("--n_estimators", type=int, default=100)
    parser.add_argument("--model-dir", default=os.environ.get("SM_MODEL_DIR", "/opt/ml/model"))
    parser.add_argument("--train", default=os.environ.get("SM_CHANNEL_TRAIN", "/opt/ml/input/data/train"))
    parser.add_argument("--validation", default=os.environ.get("SM_CHANNEL_VALIDATION"))
    args, _ = parser.parse_known_args()
    train = load(args.train)
    model = GradientBoostingClassifier(
        learning_rate=args.learning_rate, max_depth=args.max_depth, n_estimators=args.n_estimators, random_state=42
    ).fit(train.iloc[:, 1:], train.iloc[:, 0])
    if args.validation:
        validation = load(args.validation)
        # The "validation:accuracy" line is what the job's metric definition scrapes from the log.
        print(f"validation:accuracy={model.score(validation.iloc[:, 1:], validation.iloc[:, 0]):.6f}")
    joblib.dump(model, os.path.join(args.model_dir, "model.joblib"))
'''

#: Breast-cancer build pipeline, step EvaluateModel: test-split metrics in the model registry's format.
EVALUATE = '''"""Score the trained model on the test split; write evaluation.json (model quality statistics format)."""
import json
import os
import tarfile

import joblib
import pandas as pd
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score

base = "/opt/ml/processing"
with tarfile.open(f"{base}/model/model.tar.gz") as archive:
    archive.extractall(f"{base}/model")
model = joblib.load(f"{base}/model/model.joblib")
test = pd.read_csv(f"{base}/test/test.csv", header=None)
y, X = test.iloc[:, 0], test.iloc[:, 1:]
predicted = model.predict(X)
report = {
    "binary_classification_metrics": {
        "accuracy": {"value": accuracy_score(y, predicted), "standard_deviation": "NaN"},
        "f1": {"value": f1_score(y, predicted), "standard_deviation": "NaN"},
        "auc": {"value": roc_auc_score(y, model.predict_proba(X)[:, 1]), "standard_deviation": "NaN"},
    }
}
os.makedirs(f"{base}/evaluation", exist_ok=True)
with open(f"{base}/evaluation/evaluation.json", "w") as out:
    json.dump(report, out)
print(json.dumps(report))
'''

#: Diabetes batch-scoring pipeline, step PrepareBatch: the model's input columns only.
PREPARE_BATCH = '''"""Turn the patient table into the model's input: feature columns, no header, patients in order."""
import glob
import os

import pandas as pd

base = "/opt/ml/processing"
patients = pd.concat(pd.read_csv(path) for path in sorted(glob.glob(f"{base}/input/patients/*.csv")))
features = patients.drop(columns=["patient_id", "event_time", "disease_progression"], errors="ignore")
os.makedirs(f"{base}/features", exist_ok=True)
os.makedirs(f"{base}/ids", exist_ok=True)
features.to_csv(f"{base}/features/features.csv", header=False, index=False)
patients[["patient_id"]].to_csv(f"{base}/ids/patient_ids.csv", index=False)
print(f"{len(features)} patients to score")
'''

#: Diabetes batch-scoring pipeline, step SummarizeScores: distribution of the predicted progression.
SUMMARIZE = '''"""Summarise the batch transform's predictions (count, mean, quartiles, share above the alert level)."""
import glob
import json
import os

import pandas as pd

base = "/opt/ml/processing"
scores = pd.concat(pd.read_csv(path, header=None) for path in sorted(glob.glob(f"{base}/scores/*.out")))[0]
summary = {
    "count": int(scores.count()),
    "mean": float(scores.mean()),
    "quartiles": [float(q) for q in scores.quantile([0.25, 0.5, 0.75])],
    "share_above_200": float((scores > 200).mean()),
}
os.makedirs(f"{base}/summary", exist_ok=True)
with open(f"{base}/summary/summary.json", "w") as out:
    json.dump(summary, out)
print(json.dumps(summary))
'''


def sourcedir_archive(script: str, name: str = "train.py") -> bytes:
    """A ``sourcedir.tar.gz`` holding one script, as the SageMaker Python SDK packs ``source_dir``."""
    data = script.encode()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as archive:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        info.mode = 0o644
        # A fixed mtime keeps the archive identical from run to run.
        info.mtime = 0
        archive.addfile(info, io.BytesIO(data))
    return buf.getvalue()
