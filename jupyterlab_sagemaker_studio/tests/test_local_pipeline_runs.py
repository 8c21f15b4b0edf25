"""Pipeline executions of the local backend as the pipeline tab watches them: steps progress over time in dependency
order (Starting -> Executing -> Succeeded), a Condition's chosen branch runs, steps fail on request and are retried,
stopping works, the definition and parameters of an execution are kept, and runs survive a backend restart.
Driven by unchanged boto3 clients against the backend subprocess."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from local_backend import LocalBackendProcess, StartBackend, error_of, wait_for

from jupyterlab_sagemaker_studio.local import lifecycle

#: Seconds per step: long enough to observe Starting and Executing between polls, short enough for a quick test.
DELAY = 0.8
ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
FAIL = {"Name": "LocalModeFailSteps", "Type": "String", "DefaultValue": ""}


@pytest.fixture(scope="module")
def backend(start_module_backend: StartBackend) -> LocalBackendProcess:
    return start_module_backend(delay=DELAY)


@pytest.fixture(scope="module")
def sm(backend: LocalBackendProcess) -> Any:
    return backend.client("sagemaker")


def definition(steps: list[dict[str, Any]], parameters: list[dict[str, Any]] | None = None) -> str:
    return json.dumps({"Version": "2020-12-01", "Parameters": parameters or [FAIL], "Steps": steps})


#: The demo build pipeline's shape: a chain through a property reference and DependsOn, then a Condition whose
#: if-branch reads an earlier step's output and whose else-branch fails.
BUILD = [
    {"Name": "Prepare", "Type": "Processing", "Arguments": {}},
    {
        "Name": "Train",
        "Type": "Training",
        "Arguments": {"Data": {"Get": "Steps.Prepare.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri"}},
    },
    {"Name": "Evaluate", "Type": "Processing", "DependsOn": ["Train"], "Arguments": {}},
    {
        "Name": "Check",
        "Type": "Condition",
        "Arguments": {
            "Conditions": [
                {
                    "Type": "GreaterThanOrEqualTo",
                    "LeftValue": {
                        "Std:JsonGet": {
                            "PropertyFile": {"Get": "Steps.Evaluate.PropertyFiles.Report"},
                            "Path": "accuracy",
                        }
                    },
                    "RightValue": 0.9,
                }
            ],
            "IfSteps": [
                {
                    "Name": "Register",
                    "Type": "RegisterModel",
                    "Arguments": {"ModelDataUrl": {"Get": "Steps.Train.ModelArtifacts.S3ModelArtifacts"}},
                }
            ],
            "ElseSteps": [{"Name": "TooLow", "Type": "Fail", "Arguments": {"ErrorMessage": "accuracy too low"}}],
        },
    },
]
ORDER = ["Prepare", "Train", "Evaluate", "Check", "Register"]


def steps_of(sm: Any, arn: str) -> dict[str, dict[str, Any]]:
    listed = sm.list_pipeline_execution_steps(PipelineExecutionArn=arn, MaxResults=100)["PipelineExecutionSteps"]
    return {s["StepName"]: s for s in listed}


def status_of(sm: Any, arn: str) -> str:
    return sm.describe_pipeline_execution(PipelineExecutionArn=arn)["PipelineExecutionStatus"]


def watch(sm: Any, arn: str, timeout: float = 30.0) -> list[dict[str, str]]:
    """Poll an execution until it ends, every 0.1 s; the distinct step-status snapshots seen, in order."""
    seen: list[dict[str, str]] = []
    deadline = time.monotonic() + timeout
    while True:
        status = status_of(sm, arn)
        snapshot = {name: s["StepStatus"] for name, s in steps_of(sm, arn).items()}
        if not seen or seen[-1] != snapshot:
            seen.append(snapshot)
        if status not in ("Executing", "Stopping"):
            return seen
        assert time.monotonic() < deadline, f"still {status} after {timeout} s: {seen[-1]}"
        time.sleep(0.1)


def test_default_step_time_and_the_delay_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(lifecycle.DELAY_ENV, raising=False)
    assert lifecycle.delay() == 8.0
    monkeypatch.setenv(lifecycle.DELAY_ENV, "1.5")
    assert lifecycle.delay() == 1.5
    monkeypatch.setenv(lifecycle.DELAY_ENV, "not a number")
    assert lifecycle.delay() == 8.0


def test_steps_progress_in_dependency_order_and_the_chosen_branch_runs(sm: Any) -> None:
    sm.create_pipeline(PipelineName="runs-build", PipelineDefinition=definition(BUILD), RoleArn=ROLE)
    arn = sm.start_pipeline_execution(PipelineName="runs-build")["PipelineExecutionArn"]
    seen = watch(sm, arn)
    assert status_of(sm, arn) == "Succeeded"
    # Each step went through Starting and Executing to Succeeded, one after the other.
    for name in ORDER:
        statuses = [snap[name] for snap in seen if name in snap]
        assert list(dict.fromkeys(statuses)) == ["Starting", "Executing", "Succeeded"], (name, statuses)
    # No step was ever seen running before every step it depends on had succeeded.
    deps = {"Train": ["Prepare"], "Evaluate": ["Train"], "Check": ["Evaluate"], "Register": ["Check", "Train"]}
    for snap in seen:
        for name, needs in deps.items():
            if name in snap:
                assert all(snap.get(d) == "Succeeded" for d in needs), snap
    # The else-branch never started; the if-branch ran after the condition chose it.
    steps = steps_of(sm, arn)
    assert "TooLow" not in steps
    assert steps["Check"]["Metadata"] == {"Condition": {"Outcome": "True"}}
    assert steps["Register"]["StartTime"] >= steps["Check"]["EndTime"]
    # A step takes the configured delay.
    for step in steps.values():
        assert (step["EndTime"] - step["StartTime"]).total_seconds() == pytest.approx(DELAY, abs=0.01)


def test_a_step_fails_on_request_and_retry_reruns_it(sm: Any) -> None:
    sm.create_pipeline(PipelineName="runs-fail", PipelineDefinition=definition(BUILD), RoleArn=ROLE)
    arn = sm.start_pipeline_execution(
        PipelineName="runs-fail", PipelineParameters=[{"Name": "LocalModeFailSteps", "Value": "Evaluate"}]
    )["PipelineExecutionArn"]
    watch(sm, arn)
    failed = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
    assert failed["PipelineExecutionStatus"] == "Failed"
    steps = steps_of(sm, arn)
    assert {n: s["StepStatus"] for n, s in steps.items()} == {
        "Prepare": "Succeeded",
        "Train": "Succeeded",
        "Evaluate": "Failed",
    }
    assert "Evaluate" in steps["Evaluate"]["FailureReason"]
    assert failed["FailureReason"] == steps["Evaluate"]["FailureReason"]

    sm.retry_pipeline_execution(PipelineExecutionArn=arn)
    assert status_of(sm, arn) == "Executing"
    # Succeeded steps are kept; the failed one starts again.
    again = steps_of(sm, arn)
    assert again["Prepare"]["EndTime"] == steps["Prepare"]["EndTime"]
    assert again["Evaluate"]["StepStatus"] in ("Starting", "Executing")
    watch(sm, arn)
    assert status_of(sm, arn) == "Succeeded"
    done = steps_of(sm, arn)
    assert done["Evaluate"]["AttemptCount"] == 2 and "FailureReason" not in done["Evaluate"]
    assert done["Register"]["StepStatus"] == "Succeeded" and "TooLow" not in done


def test_a_step_of_a_branch_can_fail(sm: Any) -> None:
    sm.create_pipeline(PipelineName="runs-branch-fail", PipelineDefinition=definition(BUILD), RoleArn=ROLE)
    arn = sm.start_pipeline_execution(
        PipelineName="runs-branch-fail", PipelineParameters=[{"Name": "LocalModeFailSteps", "Value": "Register"}]
    )["PipelineExecutionArn"]
    watch(sm, arn)
    assert status_of(sm, arn) == "Failed"
    steps = steps_of(sm, arn)
    assert steps["Register"]["StepStatus"] == "Failed" and steps["Check"]["StepStatus"] == "Succeeded"


def test_stop_then_retry(sm: Any) -> None:
    sm.create_pipeline(PipelineName="runs-stop", PipelineDefinition=definition(BUILD), RoleArn=ROLE)
    arn = sm.start_pipeline_execution(PipelineName="runs-stop")["PipelineExecutionArn"]
    wait_for(lambda: steps_of(sm, arn).get("Train", {}).get("StepStatus") in ("Starting", "Executing"))
    sm.stop_pipeline_execution(PipelineExecutionArn=arn)
    assert status_of(sm, arn) == "Stopping"
    assert steps_of(sm, arn)["Train"]["StepStatus"] == "Stopping"
    # Stopping twice is accepted (the execution already stops).
    sm.stop_pipeline_execution(PipelineExecutionArn=arn)
    wait_for(lambda: status_of(sm, arn) == "Stopped")
    steps = steps_of(sm, arn)
    assert steps["Train"]["StepStatus"] == "Stopped" and "Evaluate" not in steps
    err = error_of(sm.stop_pipeline_execution, PipelineExecutionArn=arn)
    assert err["Code"] == "ValidationException" and "Stopped" in err["Message"]

    sm.retry_pipeline_execution(PipelineExecutionArn=arn)
    watch(sm, arn)
    assert status_of(sm, arn) == "Succeeded"
    assert set(steps_of(sm, arn)) == set(ORDER)


def test_an_execution_keeps_its_definition_and_parameters(sm: Any) -> None:
    parameters = [FAIL, {"Name": "Epochs", "Type": "Integer", "DefaultValue": 3}]
    sm.create_pipeline(PipelineName="runs-versions", PipelineDefinition=definition(BUILD[:1], parameters), RoleArn=ROLE)
    arn = sm.start_pipeline_execution(
        PipelineName="runs-versions",
        PipelineExecutionDisplayName="first-run",
        PipelineParameters=[{"Name": "Epochs", "Value": "7"}],
    )["PipelineExecutionArn"]
    sm.update_pipeline(PipelineName="runs-versions", PipelineDefinition=definition(BUILD, parameters))
    kept = json.loads(sm.describe_pipeline_definition_for_execution(PipelineExecutionArn=arn)["PipelineDefinition"])
    assert [s["Name"] for s in kept["Steps"]] == ["Prepare"]
    latest = json.loads(sm.describe_pipeline(PipelineName="runs-versions")["PipelineDefinition"])
    assert len(latest["Steps"]) == len(BUILD)
    values = sm.list_pipeline_parameters_for_execution(PipelineExecutionArn=arn)["PipelineParameters"]
    assert values == [{"Name": "LocalModeFailSteps", "Value": ""}, {"Name": "Epochs", "Value": "7"}]
    page = sm.list_pipeline_parameters_for_execution(PipelineExecutionArn=arn, MaxResults=1)
    assert len(page["PipelineParameters"]) == 1 and "NextToken" in page
    rest = sm.list_pipeline_parameters_for_execution(PipelineExecutionArn=arn, NextToken=page["NextToken"])
    assert rest["PipelineParameters"] == [{"Name": "Epochs", "Value": "7"}]
    summary = sm.list_pipeline_executions(PipelineName="runs-versions")["PipelineExecutionSummaries"][0]
    assert summary["PipelineExecutionDisplayName"] == "first-run"
    err = error_of(sm.list_pipeline_parameters_for_execution, PipelineExecutionArn=f"{arn[:-12]}zzzzzzzzzzzz")
    assert err["Code"] == "ResourceNotFound"
    err = error_of(sm.describe_pipeline_definition_for_execution, PipelineExecutionArn=f"{arn[:-12]}zzzzzzzzzzzz")
    assert err["Code"] == "ResourceNotFound"


@pytest.mark.parametrize(
    ("branches", "needle"),
    [
        ({"IfSteps": {"Name": "X"}}, "The IfSteps of condition step Check must be a list of steps."),
        ({"IfSteps": [{"Name": "Prepare", "Type": "Processing"}]}, "The step name Prepare is used more than once"),
        ({"ElseSteps": [{"Type": "Fail"}]}, "Step 1 of the ElseSteps of condition step Check has no Name."),
        (
            {"IfSteps": [{"Name": "R", "Type": "RegisterModel", "DependsOn": ["Ghost"]}]},
            "Step R depends on Ghost, which is not a step of the PipelineDefinition.",
        ),
    ],
)
def test_condition_branches_are_validated(sm: Any, branches: dict[str, Any], needle: str) -> None:
    steps = [BUILD[0], {"Name": "Check", "Type": "Condition", "Arguments": {"Conditions": [], **branches}}]
    err = error_of(sm.create_pipeline, PipelineName="runs-bad", PipelineDefinition=definition(steps), RoleArn=ROLE)
    assert err["Code"] == "ValidationException" and needle in err["Message"]


def test_a_run_continues_across_a_backend_restart(start_backend: StartBackend) -> None:
    backend = start_backend(delay=DELAY)
    sm = backend.client("sagemaker")
    sm.create_pipeline(PipelineName="runs-restart", PipelineDefinition=definition(BUILD), RoleArn=ROLE)
    arn = sm.start_pipeline_execution(PipelineName="runs-restart")["PipelineExecutionArn"]
    backend.restart()
    sm = backend.client("sagemaker")
    wait_for(lambda: status_of(sm, arn) == "Succeeded", timeout=30)
    assert set(steps_of(sm, arn)) == set(ORDER)
