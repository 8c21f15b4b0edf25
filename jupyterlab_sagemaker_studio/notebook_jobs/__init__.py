"""Notebook jobs: the runner script that executes a saved notebook inside a SageMaker training job (or, in local
mode, as a local process of the local backend). See ``docs/NOTEBOOK_JOBS.md``."""

from pathlib import Path

#: The runner script; the Jupyter server serves its text at ``sagemaker-studio/notebook-jobs/runner.py``.
RUNNER_PATH = Path(__file__).with_name("runner.py")
