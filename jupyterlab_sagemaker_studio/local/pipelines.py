"""SageMaker Pipelines in the local backend: pipelines (with versions), executions and their steps.

No step runs a container in local mode; an execution walks its definition's DAG over time instead. Each step
is ``Starting``/``Executing`` for one lifecycle delay (``SAGEMAKER_STUDIO_LOCAL_DELAY``) and then ``Succeeded``;
a step starts when every step it depends on (``DependsOn``, or a ``{"Get": "Steps.<name>..."}`` reference in its
arguments) has succeeded. Progress is computed lazily from the times stored with the execution, so it needs no
timer and survives restarts.

Failures are deterministic:

- a ``Fail`` step fails with its ``ErrorMessage`` (a string or a ``{"Get": "Parameters.<name>"}``);
- a step named in the execution's value of the pipeline parameter ``LocalModeFailSteps`` (declare it in the
  definition; comma-separated step names) fails on its first attempt and succeeds when retried.

Once a step fails no new step starts; steps already running finish, then the execution is ``Failed`` with the
first failure's reason, and the steps depending on the failed one never run. RetryPipelineExecution re-runs the
failed (and stopped) steps and continues the DAG. StopPipelineExecution: ``Stopping`` now (running steps too),
``Stopped`` after one delay. A ``Condition`` step succeeds with outcome ``True`` (its conditions read property
files no local step writes); then the steps nested in its ``IfSteps`` run, as steps depending on it, and those in
its ``ElseSteps`` never start.
"""

from __future__ import annotations

import json
import secrets
import string
from typing import TYPE_CHECKING, Any, Callable, Optional

from botocore.model import OperationModel

from . import lifecycle
from . import resources as res
from .protocol import ServiceError
from .sagemaker import Kind, _now, _page

if TYPE_CHECKING:
    from .sagemaker import SageMakerService

#: Pipeline parameter naming the steps that fail on their first attempt (comma-separated).
FAIL_STEPS_PARAMETER = "LocalModeFailSteps"
#: Step types of the SageMaker pipeline definition schema.
STEP_TYPES = (
    "Training",
    "Processing",
    "Transform",
    "Tuning",
    "Model",
    "CreateModel",
    "RegisterModel",
    "Condition",
    "Callback",
    "Lambda",
    "QualityCheck",
    "ClarifyCheck",
    "EMR",
    "Fail",
    "AutoML",
)
PARAMETER_TYPES = ("String", "Integer", "Float", "Boolean")
#: Members of a Condition step's arguments holding the steps run when it is true / false.
BRANCHES = ("IfSteps", "ElseSteps")
#: Part of a step's time spent ``Starting`` before it is ``Executing``.
STARTING_SHARE = 0.25

KINDS = (
    Kind(
        "Pipeline",
        "PipelineName",
        "PipelineArn",
        "pipeline",
        "DescribePipeline",
        "ListPipelines",
        "PipelineSummaries",
        {"LastExecutionTime": "LastRunTime"},
        exists="Pipeline names must be unique within an AWS account and region. Pipeline with name ({name}) "
        "already exists.",
        label="Pipeline",
    ),
    Kind(
        "PipelineExecution",
        "PipelineExecutionArn",
        "PipelineExecutionArn",
        "pipeline",
        "DescribePipelineExecution",
        "ListPipelineExecutions",
        "PipelineExecutionSummaries",
        {"StartTime": "CreationTime", "PipelineExecutionFailureReason": "FailureReason"},
        not_found="Pipeline execution {arn} does not exist.",
        status_member="PipelineExecutionStatus",
    ),
)
PIPELINE, EXECUTION = KINDS


def _invalid(message: str) -> ServiceError:
    return ServiceError("ValidationException", message)


def _references(value: Any) -> set[str]:
    """Step names a step's arguments read properties of (``{"Get": "Steps.<name>.…"}``): implicit dependencies."""
    found: set[str] = set()
    if isinstance(value, dict):
        get = value.get("Get")
        if isinstance(get, str) and get.startswith("Steps."):
            found.add(get.split(".")[1])
        for item in value.values():
            found |= _references(item)
    elif isinstance(value, list):
        for item in value:
            found |= _references(item)
    return found


def _own_arguments(step: dict[str, Any]) -> Any:
    """A step's arguments without the steps nested in a Condition's branches (they are steps of their own)."""
    arguments = step.get("Arguments", {})
    if step.get("Type") == "Condition" and isinstance(arguments, dict):
        return {k: v for k, v in arguments.items() if k not in BRANCHES}
    return arguments


def parse_definition(text: str) -> dict[str, Any]:
    """Check a pipeline definition; return ``{"steps": {name: step}, "order": [...], "deps": {...},
    "branches": {name: [condition, member]}, "parameters": [...]}`` with ``order`` a topological order (ties in
    definition order) and ``branches`` naming, for each step nested in a Condition, that step and its branch."""
    try:
        definition = json.loads(text)
    except ValueError as exc:
        raise _invalid(f"The PipelineDefinition is not valid JSON: {exc}.") from None
    if not isinstance(definition, dict):
        raise _invalid("The PipelineDefinition must be a JSON object with Steps (and optionally Parameters).")
    steps = definition.get("Steps")
    if not isinstance(steps, list) or not steps:
        raise _invalid("The PipelineDefinition must have a non-empty Steps list.")
    by_name: dict[str, dict[str, Any]] = {}
    branches: dict[str, list[str]] = {}

    def add(listed: list[Any], where: str, branch: Optional[list[str]]) -> None:
        for i, step in enumerate(listed, start=1):
            if not isinstance(step, dict) or not isinstance(step.get("Name"), str) or not step["Name"]:
                raise _invalid(f"Step {i} of {where} has no Name.")
            name = step["Name"]
            if name in by_name:
                raise _invalid(f"The step name {name} is used more than once in the PipelineDefinition.")
            if step.get("Type") not in STEP_TYPES:
                raise _invalid(
                    f"Step {name} has type {step.get('Type')!r}; the step types are {', '.join(STEP_TYPES)}."
                )
            if "Arguments" in step and not isinstance(step["Arguments"], dict):
                raise _invalid(f"The Arguments of step {name} must be a JSON object.")
            depends = step.get("DependsOn", [])
            if not isinstance(depends, list) or not all(isinstance(d, str) for d in depends):
                raise _invalid(f"The DependsOn of step {name} must be a list of step names.")
            by_name[name] = step
            if branch is not None:
                branches[name] = branch
            if step["Type"] == "Condition":
                for member in BRANCHES:
                    nested = step.get("Arguments", {}).get(member, [])
                    if not isinstance(nested, list):
                        raise _invalid(f"The {member} of condition step {name} must be a list of steps.")
                    add(nested, f"the {member} of condition step {name}", [name, member])

    add(steps, "the PipelineDefinition", None)
    deps: dict[str, list[str]] = {}
    for name, step in by_name.items():
        implicit = sorted(_references(_own_arguments(step)))
        condition = [branches[name][0]] if name in branches else []
        wanted = list(dict.fromkeys(condition + step.get("DependsOn", []) + implicit))
        for dep in wanted:
            if dep == name:
                raise _invalid(f"Step {name} depends on itself.")
            if dep not in by_name:
                raise _invalid(f"Step {name} depends on {dep}, which is not a step of the PipelineDefinition.")
        deps[name] = wanted
    order: list[str] = []
    placed: set[str] = set()
    while len(order) < len(by_name):
        ready = [n for n in by_name if n not in placed and all(d in placed for d in deps[n])]
        if not ready:
            cycle = sorted(n for n in by_name if n not in placed)
            raise _invalid(f"The steps {', '.join(cycle)} depend on each other in a cycle.")
        order.extend(ready)
        placed.update(ready)
    parameters = definition.get("Parameters", [])
    if not isinstance(parameters, list):
        raise _invalid("The Parameters of the PipelineDefinition must be a list.")
    seen: set[str] = set()
    for parameter in parameters:
        if not isinstance(parameter, dict) or not isinstance(parameter.get("Name"), str):
            raise _invalid("Every pipeline parameter needs a Name.")
        pname = parameter["Name"]
        if pname in seen:
            raise _invalid(f"The pipeline parameter {pname} is declared more than once.")
        seen.add(pname)
        if parameter.get("Type", "String") not in PARAMETER_TYPES:
            raise _invalid(
                f"Pipeline parameter {pname} has type {parameter.get('Type')!r}; the types are "
                f"{', '.join(PARAMETER_TYPES)}."
            )
    return {"steps": by_name, "order": order, "deps": deps, "branches": branches, "parameters": parameters}


def _parameter_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def resolve_parameters(parsed: dict[str, Any], given: list[dict[str, str]]) -> list[dict[str, str]]:
    """The execution's parameter values (declared order): given values checked against their types, else
    defaults. An undeclared name, a value of the wrong type or a missing value without default is refused."""
    declared = {p["Name"]: p for p in parsed["parameters"]}
    values: dict[str, str] = {}
    for item in given:
        name, value = item["Name"], item["Value"]
        if name not in declared:
            names = ", ".join(declared) or "none"
            raise _invalid(f"Parameter {name} is not declared in the pipeline definition (declared: {names}).")
        kind = declared[name].get("Type", "String")
        try:
            if kind == "Integer":
                int(value)
            elif kind == "Float":
                float(value)
            elif kind == "Boolean" and value.lower() not in ("true", "false"):
                raise ValueError(value)
        except ValueError:
            raise _invalid(f"Parameter {name} is of type {kind}; {value!r} is not a valid {kind} value.") from None
        values[name] = value
    out = []
    for name, parameter in declared.items():
        if name in values:
            out.append({"Name": name, "Value": values[name]})
        elif "DefaultValue" in parameter:
            out.append({"Name": name, "Value": _parameter_text(parameter["DefaultValue"])})
        else:
            raise _invalid(f"Parameter {name} has no default value; give it a value in PipelineParameters.")
    return out


# --- the execution engine: pure functions over an execution document -------------------------------------------


def _branch_taken(doc: dict[str, Any], name: str) -> bool:
    """Whether a step runs as far as Condition branches go: top-level steps always; a nested step when its
    condition's outcome chose its branch (``IfSteps`` on True, ``ElseSteps`` on False)."""
    branch = doc.get("_Branches", {}).get(name)
    if branch is None:
        return True
    condition, member = branch
    outcome = doc["_Steps"].get(condition, {}).get("Metadata", {}).get("Condition", {}).get("Outcome")
    return outcome == ("True" if member == "IfSteps" else "False")


def _start_ready(doc: dict[str, Any], t: float) -> None:
    """Start, at ``t``, every step not started yet whose dependencies have all succeeded (and, for a step in a
    Condition's branch, whose branch the condition chose)."""
    steps = doc["_Steps"]
    for name in doc["_Order"]:
        if name in steps or not _branch_taken(doc, name):
            continue
        if all(steps.get(dep, {}).get("StepStatus") == "Succeeded" for dep in doc["_Deps"][name]):
            steps[name] = {"StepStatus": "Executing", "StartTime": t, "Due": round(t + doc["_StepSeconds"], 3)}
            steps[name]["AttemptCount"] = 1


def _run(doc: dict[str, Any], name: str, t: float) -> None:
    """(Re)start one step at ``t``."""
    record = doc["_Steps"][name]
    record.update(StepStatus="Executing", StartTime=t, Due=round(t + doc["_StepSeconds"], 3))
    record["AttemptCount"] = record.get("AttemptCount", 0) + 1
    for key in ("EndTime", "FailureReason", "Metadata"):
        record.pop(key, None)


def _parameter(doc: dict[str, Any], name: str) -> Optional[str]:
    for item in doc["_Parameters"]:
        if item["Name"] == name:
            return item["Value"]
    return None


def _resolve(doc: dict[str, Any], value: Any) -> Any:
    """A definition value with a ``{"Get": "Parameters.<name>"}`` reference replaced by the parameter's value."""
    if isinstance(value, dict) and isinstance(value.get("Get"), str) and value["Get"].startswith("Parameters."):
        return _parameter(doc, value["Get"].split(".", 1)[1])
    return value


def _finish(doc: dict[str, Any], name: str) -> None:
    """End a running step at its due time: Succeeded, or Failed by the rules in the module docstring."""
    record = doc["_Steps"][name]
    step = doc["_Definition"]["Steps"][name]
    record["EndTime"] = record.pop("Due")
    failure: Optional[str] = None
    if step["Type"] == "Fail":
        message = _resolve(doc, step.get("Arguments", {}).get("ErrorMessage"))
        failure = message if isinstance(message, str) and message else f"The pipeline reached the Fail step {name}."
        record["Metadata"] = {"Fail": {"ErrorMessage": failure}}
    else:
        fail_steps = {s.strip() for s in (_parameter(doc, FAIL_STEPS_PARAMETER) or "").split(",") if s.strip()}
        if name in fail_steps and record["AttemptCount"] == 1:
            failure = (
                f"Step {name} failed on its first attempt because the execution's {FAIL_STEPS_PARAMETER} "
                "parameter names it (a failure simulated in local mode); retry the execution to run it again."
            )
        elif step["Type"] == "Condition":
            record["Metadata"] = {"Condition": {"Outcome": "True"}}
    if failure is None:
        record["StepStatus"] = "Succeeded"
    else:
        record.update(StepStatus="Failed", FailureReason=failure)


def advance(doc: dict[str, Any], now: float) -> bool:
    """Bring an execution up to ``now``: finish due steps in time order, start the steps they unblock, and
    settle the execution's status. Returns whether anything changed."""
    status = doc["PipelineExecutionStatus"]
    steps = doc["_Steps"]
    if status == "Stopping":
        stop_at = doc["_StopDue"]
        if now < stop_at:
            return False
        for record in steps.values():
            if record["StepStatus"] in ("Executing", "Stopping"):
                record.update(StepStatus="Stopped", EndTime=stop_at)
                record.pop("Due", None)
        doc.pop("_StopDue")
        doc.update(PipelineExecutionStatus="Stopped", LastModifiedTime=stop_at)
        return True
    if status != "Executing":
        return False
    order = doc["_Order"]
    changed = False
    while True:
        running = [(r["Due"], order.index(n), n) for n, r in steps.items() if r["StepStatus"] == "Executing"]
        if not running:
            break
        due, _, name = min(running)
        if due > now:
            return changed
        _finish(doc, name)
        changed = True
        if not any(r["StepStatus"] == "Failed" for r in steps.values()):
            _start_ready(doc, due)
    failed = sorted((r["EndTime"], order.index(n), n) for n, r in steps.items() if r["StepStatus"] == "Failed")
    end = max((r.get("EndTime", doc["CreationTime"]) for r in steps.values()), default=doc["CreationTime"])
    if failed:
        first = steps[failed[0][2]]
        doc.update(PipelineExecutionStatus="Failed", FailureReason=first["FailureReason"], LastModifiedTime=end)
    else:
        doc.update(PipelineExecutionStatus="Succeeded", LastModifiedTime=end)
    return True


def step_view(doc: dict[str, Any], name: str, now: float) -> dict[str, Any]:
    """A step as ListPipelineExecutionSteps shows it (``Starting`` during the first part of its run)."""
    record = doc["_Steps"][name]
    step = doc["_Definition"]["Steps"][name]
    status = record["StepStatus"]
    if status == "Executing":
        share = (now - record["StartTime"]) / max(record["Due"] - record["StartTime"], 1e-9)
        if share < STARTING_SHARE:
            status = "Starting"
    view: dict[str, Any] = {"StepName": name, "StepStatus": status, "StartTime": record["StartTime"]}
    for member, source in (("StepDisplayName", "DisplayName"), ("StepDescription", "Description")):
        if step.get(source):
            view[member] = step[source]
    for member in ("EndTime", "FailureReason", "Metadata", "AttemptCount"):
        if member in record:
            view[member] = record[member]
    return view


def new_execution_id() -> str:
    """An execution id as AWS forms them: 12 lower-case letters and digits."""
    alphabet = string.ascii_lowercase + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(12))


class Operations:
    """The pipeline operations, on the SageMaker service's store and helpers."""

    def __init__(self, sm: "SageMakerService") -> None:
        self.sm = sm

    def operations(self) -> dict[str, Callable[[dict[str, Any], OperationModel], dict[str, Any]]]:
        """Operation name -> handler."""
        return {
            "CreatePipeline": self.create_pipeline,
            "DescribePipeline": self.describe_pipeline,
            "ListPipelines": self.list_pipelines,
            "UpdatePipeline": self.update_pipeline,
            "DeletePipeline": self.delete_pipeline,
            "StartPipelineExecution": self.start_pipeline_execution,
            "DescribePipelineExecution": self.describe_pipeline_execution,
            "ListPipelineExecutions": self.list_pipeline_executions,
            "ListPipelineExecutionSteps": self.list_pipeline_execution_steps,
            "StopPipelineExecution": self.stop_pipeline_execution,
            "RetryPipelineExecution": self.retry_pipeline_execution,
            "DescribePipelineDefinitionForExecution": self.describe_pipeline_definition_for_execution,
            "ListPipelineParametersForExecution": self.list_pipeline_parameters_for_execution,
        }

    # --- pipelines ------------------------------------------------------------------------------------------

    @staticmethod
    def _definition_text(params: dict[str, Any], required: bool) -> Optional[str]:
        if "PipelineDefinitionS3Location" in params:
            raise _invalid(
                "Local mode takes the pipeline definition inline (PipelineDefinition); "
                "PipelineDefinitionS3Location is not supported."
            )
        text = params.get("PipelineDefinition")
        if text is None and required:
            raise _invalid("A PipelineDefinition is required.")
        if text is not None:
            parse_definition(text)
        return text

    def create_pipeline(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """CreatePipeline: the definition is checked (JSON, steps, dependencies, parameters) and kept as version 1."""
        text = self._definition_text(params, required=True)
        name = params["PipelineName"]
        t = _now()
        doc = self.sm._new_doc(PIPELINE, name, params, t)
        doc.setdefault("PipelineDisplayName", name)
        doc["PipelineStatus"] = "Active"
        doc["_Versions"] = [{"Id": 1, "PipelineDefinition": text, "CreationTime": t}]
        with self.sm.store.transaction() as db:
            self.sm._insert(PIPELINE, name, doc, db)
        return {"PipelineArn": doc["PipelineArn"]}

    def _version(self, doc: dict[str, Any], version_id: Optional[int]) -> dict[str, Any]:
        versions = doc["_Versions"]
        if version_id is None:
            return versions[-1]
        for version in versions:
            if version["Id"] == version_id:
                return version
        raise ServiceError(
            "ResourceNotFound",
            f"Pipeline {doc['PipelineName']} has no version {version_id} (its versions are 1 to {len(versions)}).",
        )

    def describe_pipeline(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """DescribePipeline, of the latest version or of ``PipelineVersionId``."""
        doc = self.sm.require(self.sm.store, PIPELINE, params["PipelineName"], operation)
        version = self._version(doc, params.get("PipelineVersionId"))
        out = {k: v for k, v in doc.items() if k in self.sm._describe_members(PIPELINE)}
        out["PipelineDefinition"] = version["PipelineDefinition"]
        return out

    def list_pipelines(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """ListPipelines with PipelineNamePrefix, creation-time filters, sorting and paging."""
        docs = res.load_all(self.sm.store, PIPELINE.kind)
        if "PipelineNamePrefix" in params:
            prefix = params["PipelineNamePrefix"].lower()
            docs = [d for d in docs if d["PipelineName"].lower().startswith(prefix)]
        return self.sm._listing(PIPELINE, params, operation, docs)

    def update_pipeline(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """UpdatePipeline: display name, description, role, parallelism; a new definition is a new version."""
        text = self._definition_text(params, required=False)
        t = _now()
        with self.sm.store.transaction() as db:
            doc = self.sm.require(db, PIPELINE, params["PipelineName"], operation)
            for member in ("PipelineDisplayName", "PipelineDescription", "RoleArn", "ParallelismConfiguration"):
                if member in params:
                    doc[member] = params[member]
            if text is not None:
                versions = doc["_Versions"]
                versions.append({"Id": versions[-1]["Id"] + 1, "PipelineDefinition": text, "CreationTime": t})
            self.sm._touch(doc, t)
            self.sm._save(db, PIPELINE, doc)
        return {"PipelineArn": doc["PipelineArn"], "PipelineVersionId": doc["_Versions"][-1]["Id"]}

    def delete_pipeline(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """DeletePipeline, with its executions."""
        with self.sm.store.transaction() as db:
            doc = self.sm.require(db, PIPELINE, params["PipelineName"], operation)
            for execution in self._executions(db, doc["PipelineName"]):
                res.delete(db, EXECUTION.kind, execution["PipelineExecutionArn"])
            res.delete(db, PIPELINE.kind, doc["PipelineName"])
        return {"PipelineArn": doc["PipelineArn"]}

    # --- executions -----------------------------------------------------------------------------------------

    @staticmethod
    def _executions(db: res.Reader, pipeline_name: str) -> list[dict[str, Any]]:
        return [d for d in res.load_all(db, EXECUTION.kind) if d["_PipelineName"] == pipeline_name]

    def _load_execution(self, db: res.Reader, arn: str, operation: OperationModel) -> dict[str, Any]:
        return self.sm.require(db, EXECUTION, arn, operation)

    def _current(self, doc: dict[str, Any]) -> dict[str, Any]:
        """An execution brought up to now, stored if it moved on."""
        probe = json.loads(json.dumps(doc))
        if not advance(probe, _now()):
            return doc
        with self.sm.store.transaction() as db:
            current = res.load(db, EXECUTION.kind, doc["PipelineExecutionArn"])
            if current is None:
                return probe
            if advance(current, _now()):
                res.save(db, EXECUTION.kind, current["PipelineExecutionArn"], current["PipelineExecutionArn"], current)
        return current

    def start_pipeline_execution(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """StartPipelineExecution: the first steps start now; a repeated ClientRequestToken returns the same run."""
        t = _now()
        with self.sm.store.transaction() as db:
            pipeline = self.sm.require(db, PIPELINE, params["PipelineName"], operation)
            for execution in self._executions(db, pipeline["PipelineName"]):
                if execution.get("_Token") == params["ClientRequestToken"]:
                    return {"PipelineExecutionArn": execution["PipelineExecutionArn"]}
            version = self._version(pipeline, params.get("PipelineVersionId"))
            parsed = parse_definition(version["PipelineDefinition"])
            arn = f"{pipeline['PipelineArn']}/execution/{new_execution_id()}"
            doc: dict[str, Any] = {
                "PipelineArn": pipeline["PipelineArn"],
                "PipelineExecutionArn": arn,
                "PipelineExecutionDisplayName": params.get("PipelineExecutionDisplayName", arn.rsplit("/", 1)[-1]),
                "PipelineExecutionStatus": "Executing",
                "CreationTime": t,
                "LastModifiedTime": t,
                "CreatedBy": {},
                "LastModifiedBy": {},
                "PipelineVersionId": version["Id"],
                "Tags": [],
                "_PipelineName": pipeline["PipelineName"],
                "_Token": params["ClientRequestToken"],
                "_DefinitionText": version["PipelineDefinition"],
                "_Definition": {"Steps": parsed["steps"]},
                "_Order": parsed["order"],
                "_Deps": parsed["deps"],
                "_Branches": parsed["branches"],
                "_Parameters": resolve_parameters(parsed, params.get("PipelineParameters", [])),
                "_StepSeconds": lifecycle.delay(),
                "_Steps": {},
            }
            for member in (
                "PipelineExecutionDescription",
                "ParallelismConfiguration",
                "SelectiveExecutionConfig",
            ):
                if member in params:
                    doc[member] = params[member]
            if "ParallelismConfiguration" not in doc and "ParallelismConfiguration" in pipeline:
                doc["ParallelismConfiguration"] = pipeline["ParallelismConfiguration"]
            _start_ready(doc, t)
            res.save(db, EXECUTION.kind, arn, arn, doc)
            pipeline["LastRunTime"] = t
            self.sm._save(db, PIPELINE, pipeline)
        return {"PipelineExecutionArn": arn}

    def describe_pipeline_execution(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """DescribePipelineExecution, brought up to now."""
        doc = self._current(self._load_execution(self.sm.store, params["PipelineExecutionArn"], operation))
        members = self.sm._describe_members(EXECUTION)
        return {k: v for k, v in doc.items() if k in members}

    def list_pipeline_executions(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """ListPipelineExecutions of one pipeline (ResourceNotFound if it does not exist)."""
        pipeline = self.sm.require(self.sm.store, PIPELINE, params["PipelineName"], operation)
        docs = [self._current(d) for d in self._executions(self.sm.store, pipeline["PipelineName"])]
        return self.sm._listing(EXECUTION, params, operation, docs)

    def list_pipeline_execution_steps(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """ListPipelineExecutionSteps: the steps that have started, newest first by default."""
        if "PipelineExecutionArn" not in params:
            raise _invalid("PipelineExecutionArn is required.")
        doc = self._current(self._load_execution(self.sm.store, params["PipelineExecutionArn"], operation))
        t = _now()
        order = doc["_Order"]
        names = sorted(doc["_Steps"], key=lambda n: (doc["_Steps"][n]["StartTime"], order.index(n)))
        if params.get("SortOrder", "Descending") == "Descending":
            names.reverse()
        page, token = _page([step_view(doc, n, t) for n in names], params, operation.name, default_size=10)
        out: dict[str, Any] = {"PipelineExecutionSteps": page}
        if token:
            out["NextToken"] = token
        return out

    def stop_pipeline_execution(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """StopPipelineExecution: Stopping now (running steps too), Stopped after the lifecycle delay."""
        found = self._load_execution(self.sm.store, params["PipelineExecutionArn"], operation)
        self._current(found)
        t = _now()
        with self.sm.store.transaction() as db:
            doc = self._load_execution(db, params["PipelineExecutionArn"], operation)
            advance(doc, t)
            status = doc["PipelineExecutionStatus"]
            if status == "Stopping":
                return {"PipelineExecutionArn": doc["PipelineExecutionArn"]}
            if status != "Executing":
                raise _invalid(
                    f"Pipeline execution {doc['PipelineExecutionArn']} is {status}; only an Executing execution "
                    "can be stopped."
                )
            for record in doc["_Steps"].values():
                if record["StepStatus"] == "Executing":
                    record["StepStatus"] = "Stopping"
            doc.update(PipelineExecutionStatus="Stopping", LastModifiedTime=t, _StopDue=round(t + lifecycle.delay(), 3))
            res.save(db, EXECUTION.kind, doc["PipelineExecutionArn"], doc["PipelineExecutionArn"], doc)
        return {"PipelineExecutionArn": doc["PipelineExecutionArn"]}

    def retry_pipeline_execution(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """RetryPipelineExecution: re-run the failed and stopped steps of a Failed or Stopped execution."""
        found = self._load_execution(self.sm.store, params["PipelineExecutionArn"], operation)
        self._current(found)
        t = _now()
        with self.sm.store.transaction() as db:
            doc = self._load_execution(db, params["PipelineExecutionArn"], operation)
            advance(doc, t)
            status = doc["PipelineExecutionStatus"]
            if status not in ("Failed", "Stopped"):
                raise ServiceError(
                    "ConflictException",
                    f"Pipeline execution {doc['PipelineExecutionArn']} is {status}; only a Failed or Stopped "
                    "execution can be retried.",
                )
            doc["_StepSeconds"] = lifecycle.delay()
            for name, record in doc["_Steps"].items():
                if record["StepStatus"] in ("Failed", "Stopped"):
                    _run(doc, name, t)
            _start_ready(doc, t)
            doc.pop("FailureReason", None)
            doc.update(PipelineExecutionStatus="Executing", LastModifiedTime=t)
            if "ParallelismConfiguration" in params:
                doc["ParallelismConfiguration"] = params["ParallelismConfiguration"]
            res.save(db, EXECUTION.kind, doc["PipelineExecutionArn"], doc["PipelineExecutionArn"], doc)
        return {"PipelineExecutionArn": doc["PipelineExecutionArn"]}

    def describe_pipeline_definition_for_execution(
        self, params: dict[str, Any], operation: OperationModel
    ) -> dict[str, Any]:
        """DescribePipelineDefinitionForExecution: the definition the execution runs (as it was at its start)."""
        doc = self._load_execution(self.sm.store, params["PipelineExecutionArn"], operation)
        return {"PipelineDefinition": doc["_DefinitionText"], "CreationTime": doc["CreationTime"]}

    def list_pipeline_parameters_for_execution(
        self, params: dict[str, Any], operation: OperationModel
    ) -> dict[str, Any]:
        """ListPipelineParametersForExecution: every declared parameter with the value the execution uses."""
        doc = self._load_execution(self.sm.store, params["PipelineExecutionArn"], operation)
        page, token = _page(doc["_Parameters"], params, operation.name, default_size=50)
        out: dict[str, Any] = {"PipelineParameters": page}
        if token:
            out["NextToken"] = token
        return out
