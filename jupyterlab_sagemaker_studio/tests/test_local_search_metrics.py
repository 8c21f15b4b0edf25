"""Search (experiments, trials, trial components) and the sagemaker-metrics API of the local backend.

Two levels: unit tests run ``search()`` and ``MetricsService`` on a store seeded through the shared table
contract (``resources.save``), and end-to-end tests drive the backend subprocess with unchanged boto3 clients.
"""

from __future__ import annotations

import json
import math
import signal
import statistics
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import botocore.exceptions
import pytest
from local_backend import LocalBackendProcess, StartBackend

from jupyterlab_sagemaker_studio.local import resources
from jupyterlab_sagemaker_studio.local.metrics import MetricsService, aggregate, metric_summaries
from jupyterlab_sagemaker_studio.local.protocol import LocalRequest, ServiceError
from jupyterlab_sagemaker_studio.local.search import search
from jupyterlab_sagemaker_studio.local.store import Store

REGION = "us-east-1"
ACCOUNT = "123456789012"
T0 = 1_700_000_000.0  # fixed creation times make sort order checks exact


class Info:
    """Stand-in for ``server.BackendInfo`` (search and metrics only read region/account)."""

    region = REGION
    account_id = ACCOUNT
    endpoint_url = "http://127.0.0.1:1"


def arn(kind: str, name: str) -> str:
    return f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:{kind}/{name.lower()}"


# -- seeding through the shared table contract -------------------------------------------------------------------


def seed_experiment(store: Store, name: str, created: float, display: str | None = None, tags=None) -> None:
    doc = {
        "ExperimentName": name,
        "ExperimentArn": arn("experiment", name),
        "DisplayName": display or name,
        "CreationTime": created,
        "LastModifiedTime": created,
        "Tags": tags or [],
        "_private": "never shown",
    }
    with store.transaction() as db:
        resources.save(db, "Experiment", name, doc["ExperimentArn"], doc)


def seed_trial(store: Store, name: str, experiment: str, created: float, tags=None) -> None:
    doc = {
        "TrialName": name,
        "TrialArn": arn("experiment-trial", name),
        "DisplayName": name,
        "ExperimentName": experiment,
        "CreationTime": created,
        "LastModifiedTime": created,
        "Tags": tags or [],
    }
    with store.transaction() as db:
        resources.save(db, "Trial", name, doc["TrialArn"], doc)


def seed_component(
    store: Store,
    name: str,
    created: float,
    trials=(),
    params=None,
    status="Completed",
    tags=None,
    display=None,
    source_arn=None,
) -> None:
    doc = {
        "TrialComponentName": name,
        "TrialComponentArn": arn("experiment-trial-component", name),
        "DisplayName": display or name,
        "Status": {"PrimaryStatus": status},
        "CreationTime": created,
        "LastModifiedTime": created,
        "StartTime": created,
        "Parameters": params or {},
        "InputArtifacts": {"train": {"MediaType": "text/csv", "Value": f"s3://data/{name}/train.csv"}},
        "Tags": tags or [],
    }
    if source_arn:
        doc["Source"] = {"SourceArn": source_arn, "SourceType": "SageMakerTrainingJob"}
    with store.transaction() as db:
        resources.save(db, "TrialComponent", name, doc["TrialComponentArn"], doc)
        for trial in trials:
            db.execute("INSERT INTO sm_trial_component_trials VALUES (?, ?)", (name, trial))


def put_metrics(service: MetricsService, tc: str, metric: str, values, start: float | None = None, steps=True):
    """Log values at one-second intervals (step = index) through the service."""
    base = start if start is not None else time.time() - 3600
    data = [
        {"MetricName": metric, "Timestamp": base + i, "Value": v, **({"Step": i} if steps else {})}
        for i, v in enumerate(values)
    ]
    for i in range(0, len(data), 10):
        result = service.batch_put_metrics({"TrialComponentName": tc, "MetricData": data[i : i + 10]})
        assert result == {}, result


@pytest.fixture()
def store(tmp_path: Path):
    s = Store(tmp_path / "data")
    s.ensure_schema(resources.DDL)
    yield s
    s.close()


@pytest.fixture()
def metrics(store: Store) -> MetricsService:
    return MetricsService(store, Info())


@pytest.fixture()
def world(store: Store, metrics: MetricsService) -> Store:
    """Two experiments, three trials, five runs with parameters, tags and metrics."""
    seed_experiment(store, "churn", T0, display="churn-model", tags=[{"Key": "team", "Value": "growth"}])
    seed_experiment(store, "fraud", T0 + 10, display="fraud-detection", tags=[{"Key": "team", "Value": "risk"}])
    seed_trial(store, "churn-gbm", "churn", T0 + 1)
    seed_trial(store, "churn-lr", "churn", T0 + 2)
    seed_trial(store, "fraud-gbm", "fraud", T0 + 11, tags=[{"Key": "stage", "Value": "prod"}])
    runs = [
        # name, trial, lr, depth, optimizer, status, accuracy curve
        ("run-a", "churn-gbm", 0.1, 3, "adam", "Completed", [0.5, 0.7, 0.8]),
        ("run-b", "churn-gbm", 0.05, 5, "sgd", "Completed", [0.6, 0.9, 0.85]),
        ("run-c", "churn-lr", 0.5, 1, "adam", "Failed", [0.4, 0.3]),
        ("run-d", "fraud-gbm", 0.01, 8, "Adam", "InProgress", [0.95]),
        ("run-e", "fraud-gbm", 0.2, 4, "rmsprop", "Completed", None),
    ]
    for i, (name, trial, lr, depth, opt, status, curve) in enumerate(runs):
        seed_component(
            store,
            name,
            T0 + 100 + i,
            trials=[trial],
            params={
                "lr": {"NumberValue": lr},
                "max_depth": {"NumberValue": depth},
                "optimizer": {"StringValue": opt},
                "model.kind": {"StringValue": "gbm" if "gbm" in trial else "linear"},
            },
            status=status,
            tags=[{"Key": "owner", "Value": "ana" if i % 2 == 0 else "ben"}],
            source_arn=arn("training-job", name) if name == "run-a" else None,
        )
        if curve:
            put_metrics(metrics, name, "accuracy", curve)
    put_metrics(metrics, "run-a", "train:loss", [1.0, 0.5, 0.25])
    # A component in two trials (of two experiments), to check Parents and nested filters.
    seed_component(store, "shared-prep", T0 + 50, trials=["churn-gbm", "fraud-gbm"], status="Completed")
    return store


def names(response: dict) -> list[str]:
    out = []
    for result in response["Results"]:
        ((key, record),) = result.items()
        out.append(record[{"Experiment": "ExperimentName", "Trial": "TrialName"}.get(key, "TrialComponentName")])
    return out


def tc_search(store: Store, expression: dict | None = None, **extra) -> list[str]:
    body = {"Resource": "ExperimentTrialComponent", "MaxResults": 100, **extra}
    if expression is not None:
        body["SearchExpression"] = expression
    return names(search(store, body, Info()))


def one(name: str, operator: str | None = None, value: str | None = None) -> dict:
    flt = {"Name": name}
    if operator:
        flt["Operator"] = operator
    if value is not None:
        flt["Value"] = value
    return {"Filters": [flt]}


# -- Search: records ---------------------------------------------------------------------------------------------


def test_records_are_shaped_like_botocore_search_records(world: Store) -> None:
    exp = search(world, {"Resource": "Experiment", "SortBy": "ExperimentName", "SortOrder": "Ascending"}, Info())
    first = exp["Results"][0]["Experiment"]
    assert first["ExperimentName"] == "churn"
    assert first["Tags"] == [{"Key": "team", "Value": "growth"}]
    assert "_private" not in first
    assert exp["TotalHits"] == {"Value": 2, "Relation": "EqualTo"}

    trial = search(
        world, {"Resource": "ExperimentTrial", "SearchExpression": one("TrialName", "Equals", "fraud-gbm")}, Info()
    )
    record = trial["Results"][0]["Trial"]
    assert record["ExperimentName"] == "fraud"
    assert sorted(s["TrialComponentName"] for s in record["TrialComponentSummaries"]) == [
        "run-d",
        "run-e",
        "shared-prep",
    ]

    tc = search(
        world,
        {"Resource": "ExperimentTrialComponent", "SearchExpression": one("TrialComponentName", "Equals", "run-a")},
        Info(),
    )
    record = tc["Results"][0]["TrialComponent"]
    assert record["Parents"] == [{"TrialName": "churn-gbm", "ExperimentName": "churn"}]
    assert record["Parameters"]["lr"] == {"NumberValue": 0.1}
    by_name = {m["MetricName"]: m for m in record["Metrics"]}
    acc = by_name["accuracy"]
    assert (acc["Min"], acc["Max"], acc["Last"], acc["Count"]) == (0.5, 0.8, 0.8, 3)
    assert acc["Avg"] == pytest.approx(statistics.mean([0.5, 0.7, 0.8]))
    assert acc["StdDev"] == pytest.approx(statistics.stdev([0.5, 0.7, 0.8]))
    assert acc["SourceArn"] == arn("experiment-trial-component", "run-a")
    assert isinstance(acc["TimeStamp"], float)
    # Only members of botocore's TrialComponent shape appear.
    import botocore.session

    shape = botocore.session.get_session().get_service_model("sagemaker").shape_for("TrialComponent")
    assert set(record) <= set(shape.members)


def test_shared_component_has_both_parents(world: Store) -> None:
    tc = search(
        world,
        {
            "Resource": "ExperimentTrialComponent",
            "SearchExpression": one("TrialComponentName", "Equals", "shared-prep"),
        },
        Info(),
    )
    assert tc["Results"][0]["TrialComponent"]["Parents"] == [
        {"TrialName": "churn-gbm", "ExperimentName": "churn"},
        {"TrialName": "fraud-gbm", "ExperimentName": "fraud"},
    ]


def test_other_resources_are_refused(world: Store) -> None:
    with pytest.raises(ServiceError) as err:
        search(world, {"Resource": "HyperParameterTuningJob"}, Info())
    assert err.value.code == "ValidationException"
    assert "ExperimentTrialComponent" in err.value.message


# -- Search: every operator --------------------------------------------------------------------------------------


def test_equals_and_default_operator(world: Store) -> None:
    assert tc_search(world, one("DisplayName", "Equals", "run-b")) == ["run-b"]
    assert tc_search(world, one("DisplayName", None, "run-b")) == ["run-b"]  # Value without Operator: Equals
    assert tc_search(
        world, one("Parameters.optimizer", "Equals", "adam"), SortBy="TrialComponentName", SortOrder="Ascending"
    ) == [
        "run-a",
        "run-c",
    ]  # case-sensitive: not run-d's "Adam"
    assert tc_search(world, one("Parameters.lr", "Equals", "0.05")) == ["run-b"]


def test_not_equals_includes_records_without_the_property(world: Store) -> None:
    got = tc_search(
        world, one("Parameters.optimizer", "NotEquals", "adam"), SortBy="TrialComponentName", SortOrder="Ascending"
    )
    assert got == ["run-b", "run-d", "run-e", "shared-prep"]


def test_numeric_comparisons_on_parameters_and_metrics(world: Store) -> None:
    asc = {"SortBy": "TrialComponentName", "SortOrder": "Ascending"}
    assert tc_search(world, one("Parameters.lr", "GreaterThan", "0.1"), **asc) == ["run-c", "run-e"]
    assert tc_search(world, one("Parameters.lr", "GreaterThanOrEqualTo", "0.1"), **asc) == ["run-a", "run-c", "run-e"]
    assert tc_search(world, one("Parameters.max_depth", "LessThan", "4"), **asc) == ["run-a", "run-c"]
    assert tc_search(world, one("Parameters.max_depth", "LessThanOrEqualTo", "4"), **asc) == ["run-a", "run-c", "run-e"]
    assert tc_search(world, one("Metrics.accuracy.Max", "GreaterThan", "0.85"), **asc) == ["run-b", "run-d"]
    assert tc_search(world, one("Metrics.accuracy", "GreaterThanOrEqualTo", "0.85"), **asc) == ["run-b", "run-d"]
    assert tc_search(world, one("Metrics.accuracy.Count", "Equals", "2"), **asc) == ["run-c"]
    assert tc_search(world, one("Metrics.train:loss.Min", "LessThan", "0.3"), **asc) == ["run-a"]
    # A string parameter never satisfies a numeric comparison.
    assert tc_search(world, one("Parameters.optimizer", "GreaterThan", "1")) == []


def test_contains_is_case_insensitive_and_text_only(world: Store) -> None:
    asc = {"SortBy": "TrialComponentName", "SortOrder": "Ascending"}
    assert tc_search(world, one("Parameters.optimizer", "Contains", "ADA"), **asc) == ["run-a", "run-c", "run-d"]
    assert tc_search(world, one("Tags", "Contains", "ana"), **asc) == ["run-a", "run-c", "run-e"]
    assert tc_search(world, one("InputArtifacts", "Contains", "run-b/"), **asc) == ["run-b"]
    with pytest.raises(ServiceError, match="only for text properties"):
        tc_search(world, one("Metrics.accuracy.Max", "Contains", "9"))


def test_in_operator(world: Store) -> None:
    got = tc_search(
        world,
        one("Status.PrimaryStatus", "In", "Failed, InProgress"),
        SortBy="TrialComponentName",
        SortOrder="Ascending",
    )
    assert got == ["run-c", "run-d"]
    with pytest.raises(ServiceError, match="only for text properties"):
        tc_search(world, one("CreationTime", "In", "1,2"))


def test_exists_and_not_exists(world: Store) -> None:
    asc = {"SortBy": "TrialComponentName", "SortOrder": "Ascending"}
    assert tc_search(world, one("Metrics.train:loss", "Exists"), **asc) == ["run-a"]
    assert tc_search(world, one("Source.SourceArn"), **asc) == ["run-a"]  # neither Operator nor Value: Exists
    assert tc_search(world, one("Metrics", "NotExists"), **asc) == ["run-e", "shared-prep"]
    assert tc_search(world, one("Tags.owner", "Exists"), **asc) == ["run-a", "run-b", "run-c", "run-d", "run-e"]


def test_tags_and_parents_paths(world: Store) -> None:
    asc = {"SortBy": "TrialComponentName", "SortOrder": "Ascending"}
    assert tc_search(world, one("Tags.owner", "Equals", "ben"), **asc) == ["run-b", "run-d"]
    assert tc_search(world, one("Parents.ExperimentName", "Equals", "fraud"), **asc) == [
        "run-d",
        "run-e",
        "shared-prep",
    ]
    assert tc_search(world, one("Parents.TrialName", "NotEquals", "churn-gbm"), **asc) == ["run-c", "run-d", "run-e"]
    assert tc_search(world, one("Parameters.model.kind", "Equals", "linear")) == ["run-c"]  # dotted key
    exp = names(
        search(world, {"Resource": "Experiment", "SearchExpression": one("Tags.team", "Equals", "risk")}, Info())
    )
    assert exp == ["fraud"]


def test_timestamp_filters_accept_iso_and_epoch(world: Store) -> None:
    boundary = datetime.fromtimestamp(T0 + 102, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    asc = {"SortBy": "TrialComponentName", "SortOrder": "Ascending"}
    assert tc_search(world, one("CreationTime", "GreaterThanOrEqualTo", boundary), **asc) == ["run-c", "run-d", "run-e"]
    assert tc_search(world, one("CreationTime", "LessThan", str(T0 + 101)), **asc) == ["run-a", "shared-prep"]
    assert names(
        search(
            world,
            {
                "Resource": "Experiment",
                "SearchExpression": one("CreationTime", "GreaterThan", boundary[:10] + "T00:00:00Z"),
            },
            Info(),
        )
    ) == ["fraud", "churn"]
    with pytest.raises(ServiceError, match="must be a timestamp"):
        tc_search(world, one("CreationTime", "GreaterThan", "yesterday"))


def test_range_operators_are_refused_on_text(world: Store) -> None:
    with pytest.raises(ServiceError, match="not supported for the text property DisplayName"):
        tc_search(world, one("DisplayName", "GreaterThan", "a"))


def test_unknown_property_and_missing_value(world: Store) -> None:
    with pytest.raises(ServiceError, match="not a searchable property"):
        tc_search(world, one("Colour", "Equals", "red"))
    with pytest.raises(ServiceError, match="needs a Value"):
        tc_search(world, one("DisplayName", "Equals"))
    # Properties may be qualified by the resource, as AWS writes them.
    assert tc_search(world, one("TrialComponent.DisplayName", "Equals", "run-c")) == ["run-c"]


# -- Search: nested filters and subexpressions ---------------------------------------------------------------------


def test_nested_filters_need_one_element_matching_all(world: Store) -> None:
    nested = {
        "NestedFilters": [
            {
                "NestedPropertyName": "Parents",
                "Filters": [
                    {"Name": "Parents.TrialName", "Operator": "Equals", "Value": "churn-gbm"},
                    {"Name": "Parents.ExperimentName", "Operator": "Equals", "Value": "churn"},
                ],
            }
        ]
    }
    assert tc_search(world, nested, SortBy="TrialComponentName", SortOrder="Ascending") == [
        "run-a",
        "run-b",
        "shared-prep",
    ]
    # No single parent is (churn-gbm, fraud), though shared-prep has both values in different parents.
    nested["NestedFilters"][0]["Filters"][1]["Value"] = "fraud"
    assert tc_search(world, nested) == []
    assert tc_search(
        world,
        one("Parents.TrialName", "Equals", "churn-gbm")
        | {
            "Filters": [
                {"Name": "Parents.TrialName", "Operator": "Equals", "Value": "churn-gbm"},
                {"Name": "Parents.ExperimentName", "Operator": "Equals", "Value": "fraud"},
            ]
        },
    ) == ["shared-prep"]


def test_nested_filters_on_metrics(world: Store) -> None:
    expr = {
        "NestedFilters": [
            {
                "NestedPropertyName": "Metrics",
                "Filters": [
                    {"Name": "Metrics.MetricName", "Operator": "Equals", "Value": "accuracy"},
                    {"Name": "Metrics.Last", "Operator": "LessThan", "Value": "0.85"},
                ],
            }
        ]
    }
    assert tc_search(world, expr, SortBy="TrialComponentName", SortOrder="Ascending") == ["run-a", "run-c"]
    bad = {"NestedFilters": [{"NestedPropertyName": "Metrics", "Filters": [{"Name": "DisplayName", "Value": "x"}]}]}
    with pytest.raises(ServiceError, match="must name a property of it"):
        tc_search(world, bad)


def test_subexpressions_and_or(world: Store) -> None:
    expr = {
        "Operator": "Or",
        "SubExpressions": [
            {
                "Filters": [
                    {"Name": "Parents.ExperimentName", "Operator": "Equals", "Value": "churn"},
                    {"Name": "Status.PrimaryStatus", "Operator": "Equals", "Value": "Failed"},
                ]
            },
            {
                "Operator": "And",
                "Filters": [
                    {"Name": "Parameters.lr", "Operator": "LessThan", "Value": "0.02"},
                ],
            },
        ],
    }
    assert tc_search(world, expr, SortBy="TrialComponentName", SortOrder="Ascending") == ["run-c", "run-d"]
    expr["Filters"] = [{"Name": "Tags.owner", "Operator": "Equals", "Value": "ben"}]  # Or over all parts
    assert tc_search(world, expr, SortBy="TrialComponentName", SortOrder="Ascending") == ["run-b", "run-c", "run-d"]


def test_limits(world: Store) -> None:
    flt = {"Name": "DisplayName", "Operator": "NotEquals", "Value": "x"}
    with pytest.raises(ServiceError, match="at most 20 Filters"):
        tc_search(world, {"Filters": [flt] * 21})
    with pytest.raises(ServiceError, match="at most 20 SubExpressions"):
        tc_search(world, {"SubExpressions": [{"Filters": [flt]}] * 21})
    with pytest.raises(ServiceError, match="at most 20 NestedFilters"):
        tc_search(
            world,
            {
                "NestedFilters": [
                    {"NestedPropertyName": "Parents", "Filters": [{"Name": "Parents.TrialName", "Value": "x"}]}
                ]
                * 21
            },
        )
    # 3 subexpressions of 17 filters = 54 elements > 50.
    with pytest.raises(ServiceError, match="the limit is 50"):
        tc_search(world, {"SubExpressions": [{"Filters": [flt] * 17}] * 3})
    assert len(tc_search(world, {"SubExpressions": [{"Filters": [flt] * 15}] * 3})) == 6  # 48 elements: fine
    with pytest.raises(ServiceError, match="at least one filter"):
        tc_search(world, {"Operator": "And"})
    with pytest.raises(ServiceError, match="'CONTAINS' operator usage limit of 1 exceeded"):
        tc_search(
            world,
            {
                "Filters": [
                    {"Name": "Parameters.optimizer", "Operator": "Contains", "Value": "a"},
                    {"Name": "Status.PrimaryStatus", "Operator": "Contains", "Value": "C"},
                ]
            },
        )
    # Several Contains on the properties AWS lists are fine.
    assert tc_search(
        world,
        {
            "Filters": [
                {"Name": "DisplayName", "Operator": "Contains", "Value": "run"},
                {"Name": "DisplayName", "Operator": "Contains", "Value": "-a"},
                {"Name": "Parameters.optimizer", "Operator": "Contains", "Value": "a"},
            ]
        },
    ) == ["run-a"]


# -- Search: sorting and paging ------------------------------------------------------------------------------------


def test_default_sort_is_last_modified_descending(world: Store) -> None:
    assert tc_search(world) == ["run-e", "run-d", "run-c", "run-b", "run-a", "shared-prep"]


def test_sort_by_metric_and_parameter_with_missing_last(world: Store) -> None:
    assert tc_search(world, SortBy="Metrics.accuracy.Max", SortOrder="Descending") == [
        "run-d",
        "run-b",
        "run-a",
        "run-c",
        "run-e",
        "shared-prep",
    ]
    assert tc_search(world, SortBy="Metrics.accuracy.Max", SortOrder="Ascending") == [
        "run-c",
        "run-a",
        "run-b",
        "run-d",
        "run-e",
        "shared-prep",
    ]
    assert tc_search(world, SortBy="Parameters.lr", SortOrder="Ascending") == [
        "run-d",
        "run-b",
        "run-a",
        "run-e",
        "run-c",
        "shared-prep",
    ]
    assert tc_search(world, SortBy="CreationTime", SortOrder="Ascending")[0] == "shared-prep"
    with pytest.raises(ServiceError, match="not a searchable property"):
        tc_search(world, SortBy="Nope")


def test_paging_with_next_token(world: Store) -> None:
    body = {
        "Resource": "ExperimentTrialComponent",
        "MaxResults": 4,
        "SortBy": "TrialComponentName",
        "SortOrder": "Ascending",
    }
    first = search(world, body, Info())
    assert names(first) == ["run-a", "run-b", "run-c", "run-d"]
    assert first["TotalHits"]["Value"] == 6
    second = search(world, {**body, "NextToken": first["NextToken"]}, Info())
    assert names(second) == ["run-e", "shared-prep"]
    assert "NextToken" not in second
    with pytest.raises(ServiceError, match="different search"):
        search(world, {**body, "SortOrder": "Descending", "NextToken": first["NextToken"]}, Info())
    with pytest.raises(ServiceError, match="not valid"):
        search(world, {**body, "NextToken": "garbage"}, Info())
    # Default page size is 10.
    assert len(search(world, {"Resource": "ExperimentTrialComponent"}, Info())["Results"]) == 6


def test_search_over_ten_thousand_components_is_fast(store: Store) -> None:
    """10,000 components with parameters and metric summaries: a filtered, sorted search stays interactive."""
    rows = []
    summaries = []
    for i in range(10_000):
        name = f"tc-{i:05d}"
        doc = {
            "TrialComponentName": name,
            "TrialComponentArn": arn("experiment-trial-component", name),
            "DisplayName": name,
            "Status": {"PrimaryStatus": "Completed"},
            "CreationTime": T0 + i,
            "LastModifiedTime": T0 + i,
            "Parameters": {"lr": {"NumberValue": (i % 100) / 100}, "opt": {"StringValue": ["adam", "sgd"][i % 2]}},
            "Tags": [{"Key": "batch", "Value": str(i % 7)}],
        }
        rows.append(("TrialComponent", name, doc["TrialComponentArn"], T0 + i, T0 + i, json.dumps(doc)))
        summaries.append((name, "accuracy", 10, (i % 1000) / 1000, 0.1, 0.0, (i % 1000) / 1000, 0.5, T0 + i))
    with store.transaction() as db:
        db.executemany("INSERT INTO sm_resources VALUES (?, ?, ?, ?, ?, ?)", rows)
        db.executemany("INSERT INTO sm_trial_component_trials VALUES (?, 'trial')", [(r[1],) for r in rows])
    MetricsService(store, Info())  # creates the summary table
    with store.transaction() as db:
        db.executemany("INSERT INTO sm_metric_summaries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", summaries)
    body = {
        "Resource": "ExperimentTrialComponent",
        "SearchExpression": {
            "Filters": [
                {"Name": "Parameters.lr", "Operator": "GreaterThan", "Value": "0.5"},
                {"Name": "Parameters.opt", "Operator": "Equals", "Value": "adam"},
            ],
            "NestedFilters": [
                {
                    "NestedPropertyName": "Parents",
                    "Filters": [{"Name": "Parents.TrialName", "Operator": "Equals", "Value": "trial"}],
                }
            ],
        },
        "SortBy": "Metrics.accuracy.Max",
        "SortOrder": "Descending",
        "MaxResults": 100,
    }
    search(store, {"Resource": "Experiment"}, Info())  # loads botocore's model, outside the measurement

    def timed() -> tuple[dict, float]:
        started = time.perf_counter()
        result = search(store, body, Info())
        return result, (time.perf_counter() - started) * 1000

    _, cold = timed()
    with store.transaction() as db:  # one changed run: only its document is parsed again
        db.execute("UPDATE sm_resources SET doc = json_set(doc, '$.DisplayName', 'renamed') WHERE name = 'tc-00004'")
    result, after_write = timed()
    _, warm = timed()
    print(
        f"\nSearch over 10,000 trial components (2 filters + nested filter, sorted by a metric): "
        f"cold {cold:.0f} ms, after one write {after_write:.0f} ms, repeated {warm:.0f} ms"
    )
    assert {"TrialComponentName": "tc-00004", "DisplayName": "renamed"}.items() <= next(
        r["TrialComponent"]
        for r in search(
            store,
            {**body, "SearchExpression": {"Filters": [{"Name": "TrialComponentName", "Value": "tc-00004"}]}},
            Info(),
        )["Results"]
    ).items()
    assert result["TotalHits"]["Value"] == sum(1 for i in range(10_000) if (i % 100) / 100 > 0.5 and i % 2 == 0)
    top = [r["TrialComponent"]["Metrics"][0]["Max"] for r in result["Results"]]
    assert top == sorted(top, reverse=True) and top[0] == 0.998


# -- metrics: aggregation --------------------------------------------------------------------------------------------


def test_aggregate_by_iteration_number() -> None:
    pts = [(100.0, 0, 1.0), (101.0, 0, 3.0), (102.0, 1, 5.0), (103.0, None, 7.0), (104.0, 2, 2.0)]
    assert aggregate(pts, "Avg", "IterationNumber", "IterationNumber") == ([0, 1, 2], [2.0, 5.0, 2.0])
    assert aggregate(pts, "Count", "IterationNumber", "IterationNumber") == ([0, 1, 2], [2.0, 1.0, 1.0])
    assert aggregate(pts, "Last", "IterationNumber", "Timestamp") == ([101, 102, 104], [3.0, 5.0, 2.0])
    xs, vals = aggregate(pts, "StdDev", "IterationNumber", "IterationNumber")
    assert vals == [pytest.approx(statistics.stdev([1.0, 3.0])), 0.0, 0.0]


def test_aggregate_by_time_periods() -> None:
    base = 1_700_000_000 - 1_700_000_000 % 3600  # an hour boundary
    pts = [(base + 5, 0, 1.0), (base + 59, 1, 2.0), (base + 60, 2, 3.0), (base + 299, 3, 4.0), (base + 300, None, 9.0)]
    assert aggregate(pts, "Max", "OneMinute", "Timestamp") == (
        [base, base + 60, base + 240, base + 300],
        [2.0, 3.0, 4.0, 9.0],
    )
    assert aggregate(pts, "Min", "FiveMinute", "Timestamp") == ([base, base + 300], [1.0, 9.0])
    assert aggregate(pts, "Sum" if False else "Avg", "OneHour", "Timestamp") == ([base], [19.0 / 5])
    # IterationNumber x-axis with a time period: the bucket's highest step; step-less points are left out.
    assert aggregate(pts, "Count", "FiveMinute", "IterationNumber") == ([3], [4.0])


@pytest.mark.parametrize("stat", ["Min", "Max", "Avg", "Count", "StdDev", "Last"])
@pytest.mark.parametrize("x_axis", ["IterationNumber", "Timestamp"])
def test_aggregate_one_point_per_step_matches_the_reference(stat: str, x_axis: str) -> None:
    """The shortcut for runs logging one point per step in time order, and the fall-back when they do not."""
    in_order = [(1000.0 + s * 1.5, s, math.sin(s) + 2) for s in range(50)]
    assert aggregate(in_order, stat, "IterationNumber", x_axis) == expected_series(
        in_order, stat, "IterationNumber", x_axis
    )
    # Steps logged out of order (a resumed run), repeated steps and step-less points: the general path.
    mixed = in_order[:10] + [(1020.0, 3, 9.0), (1021.0, None, 4.0), (1022.0, 2, 1.0)] + in_order[10:]
    mixed.sort(key=lambda p: p[0])
    with_steps = [p for p in mixed if p[1] is not None]
    xs, ys = aggregate(mixed, stat, "IterationNumber", x_axis)
    ref_xs, ref_ys = expected_series(with_steps, stat, "IterationNumber", x_axis)
    assert xs == ref_xs and ys == pytest.approx(ref_ys)


# -- metrics: service level ------------------------------------------------------------------------------------------


def request(path: str, body, method: str | None = None) -> LocalRequest:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return LocalRequest(
        method=method or ("PUT" if path == "/BatchPutMetrics" else "POST"),
        path=path,
        query="",
        headers={"content-type": "application/json"},
        body=raw,
        signing_service="sagemaker",
        region=REGION,
        access_key="test",
    )


def call(service: MetricsService, path: str, body, method: str | None = None) -> tuple[int, dict, dict]:
    resp = service.handle(request(path, body, method))
    return resp.status, resp.headers, json.loads(resp.body)


def test_put_reports_per_item_errors(store: Store, metrics: MetricsService) -> None:
    seed_component(store, "Run-One", T0)
    now = time.time()
    status, _, body = call(
        metrics,
        "/BatchPutMetrics",
        {
            "TrialComponentName": "run-one",  # names are case-insensitive; the SDK sends them lower-cased
            "MetricData": [
                {"MetricName": "loss", "Timestamp": now - 10, "Step": 0, "Value": 1.5},
                {"MetricName": "loss", "Timestamp": now - 15 * 24 * 3600, "Value": 1.0},  # older than two weeks
                {"MetricName": "loss", "Timestamp": now + 3 * 3600, "Value": 1.0},  # more than two hours ahead
                {"MetricName": "loss", "Timestamp": now, "Step": 1, "Value": "NaN"},
                {"MetricName": "loss", "Timestamp": now, "Step": 1, "Value": 0.5},
            ],
        },
    )
    assert status == 200
    assert body == {"Errors": [{"Code": "VALIDATION_ERROR", "MetricIndex": i} for i in (1, 2, 3)]}
    summary = metric_summaries(store, ["Run-One"])["Run-One"][0]
    assert (summary["Count"], summary["Last"], summary["Min"]) == (2, 0.5, 0.5)


def test_summaries_of_mixed_out_of_order_batches(store: Store, metrics: MetricsService) -> None:
    """Several metrics per call, points out of time order within and across calls: the summaries Search filters
    on (``Metrics.<name>.Last`` …) are those of all points, Last being the latest timestamp's."""
    seed_component(store, "mixed", T0)
    base = time.time() - 600
    loss = [(base + 5, 0.9), (base + 1, 1.4), (base + 9, 0.2), (base + 3, 1.1)]
    acc = [(base + 2, 0.6), (base + 8, 0.8)]
    first = [{"MetricName": "loss", "Timestamp": t, "Value": v} for t, v in loss[:3]]
    first += [{"MetricName": "acc", "Timestamp": t, "Value": v} for t, v in acc]
    assert metrics.batch_put_metrics({"TrialComponentName": "mixed", "MetricData": first}) == {}
    later = [{"MetricName": "loss", "Timestamp": loss[3][0], "Value": loss[3][1]}]
    assert metrics.batch_put_metrics({"TrialComponentName": "mixed", "MetricData": later}) == {}
    summaries = {m["MetricName"]: m for m in metric_summaries(store, ["mixed"])["mixed"]}
    values = [v for _, v in loss]
    got = summaries["loss"]
    assert (got["Count"], got["Min"], got["Max"], got["Last"]) == (4, 0.2, 1.4, 0.2)
    assert got["TimeStamp"] == base + 9
    assert got["Avg"] == pytest.approx(statistics.mean(values))
    assert got["StdDev"] == pytest.approx(statistics.stdev(values))
    assert (summaries["acc"]["Count"], summaries["acc"]["Last"]) == (2, 0.8)
    assert tc_search(store, one("Metrics.loss.Last", "LessThan", "0.3")) == ["mixed"]
    assert tc_search(store, one("Metrics.acc.Last", "GreaterThan", "0.8")) == []


def test_put_validation_errors(store: Store, metrics: MetricsService) -> None:
    seed_component(store, "run", T0)
    item = {"MetricName": "loss", "Timestamp": time.time(), "Value": 1.0}
    status, headers, body = call(metrics, "/BatchPutMetrics", {"TrialComponentName": "run", "MetricData": [item] * 11})
    assert status == 400 and headers["x-amzn-ErrorType"] == "ValidationException"
    assert "Member must have length less than or equal to 10" in body["message"]
    status, headers, body = call(metrics, "/BatchPutMetrics", {"MetricData": [dict(item, Step=-1)]})
    assert headers["x-amzn-ErrorType"] == "ValidationException"
    assert body["message"].startswith("2 validation errors detected")
    assert "'trialComponentName' failed to satisfy constraint: Member must not be null" in body["message"]
    assert "metricData.1.member.step" in body["message"]
    status, headers, body = call(metrics, "/BatchPutMetrics", {"TrialComponentName": "Run_1", "MetricData": [item]})
    assert "regular expression pattern" in body["message"]
    status, headers, body = call(
        metrics, "/BatchPutMetrics", {"TrialComponentName": "run", "MetricData": [dict(item, Value="high")]}
    )
    assert (status, headers["x-amzn-ErrorType"]) == (400, "SerializationException")
    status, headers, body = call(metrics, "/BatchPutMetrics", b"{not json")
    assert headers["x-amzn-ErrorType"] == "SerializationException"
    status, headers, body = call(metrics, "/BatchPutMetrics", {"TrialComponentName": "ghost", "MetricData": [item]})
    assert (status, headers["x-amzn-ErrorType"]) == (404, "ResourceNotFoundException")
    assert "ghost" in body["message"]
    status, headers, body = call(
        metrics, "/BatchPutMetrics", {"TrialComponentName": "run", "MetricData": [item]}, method="POST"
    )
    assert (status, headers["x-amzn-ErrorType"]) == (404, "UnknownOperationException")


def test_get_validation(store: Store, metrics: MetricsService) -> None:
    query = {
        "MetricName": "loss",
        "ResourceArn": arn("experiment-trial-component", "x"),
        "MetricStat": "Avg",
        "Period": "OneMinute",
        "XAxisType": "Timestamp",
    }
    status, headers, body = call(metrics, "/BatchGetMetrics", {"MetricQueries": [query] * 101})
    assert status == 400 and "less than or equal to 100" in body["message"]
    status, headers, body = call(metrics, "/BatchGetMetrics", {"MetricQueries": [dict(query, Period="OneDay")]})
    assert "Member must satisfy enum value set: [OneMinute, FiveMinute, OneHour, IterationNumber]" in body["message"]
    status, headers, body = call(metrics, "/BatchGetMetrics", {"MetricQueries": [dict(query, ResourceArn="nope")]})
    assert "metricQueries.1.member.resourceArn" in body["message"]
    status, headers, body = call(metrics, "/BatchGetMetrics", {"MetricQueries": []})
    assert "greater than or equal to 1" in body["message"]
    # A well-formed query for an unknown component fails alone, not the whole call.
    status, _, body = call(metrics, "/BatchGetMetrics", {"MetricQueries": [query]})
    assert status == 200
    assert body["MetricQueryResults"][0]["Status"] == "ValidationError"
    assert body["MetricQueryResults"][0]["XAxisValues"] == []


# -- end to end: the backend subprocess and unchanged boto3 clients --------------------------------------------------


@pytest.fixture(scope="module")
def backend(start_module_backend: StartBackend) -> LocalBackendProcess:
    """``python -m jupyterlab_sagemaker_studio.local`` on a free port."""
    return start_module_backend()


@pytest.fixture(scope="module")
def sm(backend):
    return backend.client("sagemaker")


@pytest.fixture(scope="module")
def sm_metrics(backend):
    return backend.client("sagemaker-metrics")


@pytest.fixture(scope="module")
def logged(sm, sm_metrics) -> dict:
    """An experiment with two trials and four runs, created and logged through boto3 as the SageMaker SDK does."""
    sm.create_experiment(ExperimentName="e2e-exp", DisplayName="end-to-end", Tags=[{"Key": "team", "Value": "ml"}])
    for trial in ("e2e-gbm", "e2e-forest"):
        sm.create_trial(TrialName=trial, ExperimentName="e2e-exp")
    hour = math.floor((time.time() - 3 * 3600) / 3600) * 3600  # an hour boundary inside the accepted window
    runs = {
        "e2e-run-1": ("e2e-gbm", 0.1, [0.50, 0.62, 0.71, 0.75]),
        "e2e-run-2": ("e2e-gbm", 0.3, [0.55, 0.70, 0.81, 0.80]),
        "e2e-run-3": ("e2e-forest", 0.2, [0.40, 0.45]),
        "e2e-run-4": ("e2e-forest", 0.05, []),
    }
    arns = {}
    for name, (trial, lr, curve) in runs.items():
        arns[name] = sm.create_trial_component(
            TrialComponentName=name,
            Status={"PrimaryStatus": "Completed"},
            Parameters={"lr": {"NumberValue": lr}, "booster": {"StringValue": trial.split("-")[1]}},
        )["TrialComponentArn"]
        sm.associate_trial_component(TrialComponentName=name, TrialName=trial)
        # Two points per step, 100 s apart: steps and minutes both have something to aggregate.
        data = []
        for step, value in enumerate(curve):
            for j, delta in enumerate((0.0, 0.02)):
                ts = hour + step * 200 + j * 100
                # The SDK sends Timestamp as a string of epoch seconds; botocore turns it into a number.
                data.append({"MetricName": "accuracy", "Timestamp": str(int(ts)), "Step": step, "Value": value + delta})
        for i in range(0, len(data), 10):
            result = sm_metrics.batch_put_metrics(TrialComponentName=name, MetricData=data[i : i + 10])
            assert "Errors" not in result
    return {"hour": hour, "arns": arns, "runs": runs}


def test_e2e_search_filters_nested_sort_and_paging(sm, logged) -> None:
    search_all = dict(
        Resource="ExperimentTrialComponent",
        SearchExpression={
            "Filters": [{"Name": "Parents.ExperimentName", "Operator": "Equals", "Value": "e2e-exp"}],
        },
    )
    resp = sm.search(**search_all, SortBy="Metrics.accuracy.Max", SortOrder="Descending")
    got = [r["TrialComponent"]["TrialComponentName"] for r in resp["Results"]]
    assert got == ["e2e-run-2", "e2e-run-1", "e2e-run-3", "e2e-run-4"]
    assert resp["TotalHits"] == {"Value": 4, "Relation": "EqualTo"}
    top = resp["Results"][0]["TrialComponent"]
    assert top["Parents"] == [{"TrialName": "e2e-gbm", "ExperimentName": "e2e-exp"}]
    acc = top["Metrics"][0]
    assert (acc["MetricName"], acc["Count"]) == ("accuracy", 8)
    assert (acc["Max"], acc["Last"]) == (pytest.approx(0.83), pytest.approx(0.82))
    assert isinstance(acc["TimeStamp"], datetime) and isinstance(top["CreationTime"], datetime)

    nested = sm.search(
        Resource="ExperimentTrialComponent",
        SearchExpression={
            "NestedFilters": [
                {
                    "NestedPropertyName": "Parents",
                    "Filters": [{"Name": "Parents.TrialName", "Operator": "Equals", "Value": "e2e-forest"}],
                }
            ],
            "SubExpressions": [
                {
                    "Operator": "Or",
                    "Filters": [
                        {"Name": "Metrics.accuracy.Max", "Operator": "GreaterThan", "Value": "0.4"},
                        {"Name": "Parameters.lr", "Operator": "LessThan", "Value": "0.06"},
                    ],
                }
            ],
        },
        SortBy="Parameters.lr",
        SortOrder="Ascending",
    )
    assert [r["TrialComponent"]["TrialComponentName"] for r in nested["Results"]] == ["e2e-run-4", "e2e-run-3"]

    pages = sm.get_paginator("search").paginate(
        **search_all, SortBy="TrialComponentName", SortOrder="Ascending", PaginationConfig={"PageSize": 3}
    )
    sizes, seen = [], []
    for page in pages:
        sizes.append(len(page["Results"]))
        seen += [r["TrialComponent"]["TrialComponentName"] for r in page["Results"]]
    assert sizes == [3, 1] and seen == sorted(runs_of(logged))

    experiments = sm.search(
        Resource="Experiment",
        SearchExpression={"Filters": [{"Name": "Tags.team", "Operator": "Equals", "Value": "ml"}]},
    )
    assert [r["Experiment"]["ExperimentName"] for r in experiments["Results"]] == ["e2e-exp"]
    trials = sm.search(
        Resource="ExperimentTrial",
        SearchExpression={"Filters": [{"Name": "ExperimentName", "Operator": "Equals", "Value": "e2e-exp"}]},
        SortBy="TrialName",
        SortOrder="Ascending",
    )
    gbm = trials["Results"][1]["Trial"]
    assert gbm["TrialName"] == "e2e-gbm"
    assert sorted(s["TrialComponentName"] for s in gbm["TrialComponentSummaries"]) == ["e2e-run-1", "e2e-run-2"]


def runs_of(logged: dict) -> list[str]:
    return list(logged["runs"])


def test_e2e_search_errors(backend, sm, logged) -> None:
    with pytest.raises(botocore.exceptions.ClientError) as err:
        sm.search(
            Resource="ExperimentTrialComponent",
            SearchExpression={"Filters": [{"Name": "DisplayName", "Operator": "GreaterThan", "Value": "a"}]},
        )
    assert err.value.response["Error"]["Code"] == "ValidationException"
    assert "not supported for the text property" in err.value.response["Error"]["Message"]
    with pytest.raises(botocore.exceptions.ClientError) as err:
        sm.search(Resource="HyperParameterTuningJob")
    assert "searches only" in err.value.response["Error"]["Message"]
    unchecked = backend.client("sagemaker", parameter_validation=False)
    with pytest.raises(botocore.exceptions.ClientError) as err:
        unchecked.search(Resource="Experiment", MaxResults=101)
    assert err.value.response["Error"]["Code"] == "ValidationException"
    assert "maxResults" in err.value.response["Error"]["Message"]


def expected_series(points, stat, period, x_axis):
    """Independent reference for BatchGetMetrics: brute-force grouping of the logged points."""
    groups: dict[int, list] = {}
    for ts, step, value in points:
        key = (
            step
            if period == "IterationNumber"
            else int(ts // {"OneMinute": 60, "FiveMinute": 300, "OneHour": 3600}[period])
        )
        groups.setdefault(key, []).append((ts, step, value))
    xs, ys = [], []
    for key in sorted(groups):
        g = groups[key]
        vals = [v for _, _, v in g]
        if x_axis == "IterationNumber":
            xs.append(key if period == "IterationNumber" else max(s for _, s, _ in g))
        else:
            xs.append(
                int(max(t for t, _, _ in g))
                if period == "IterationNumber"
                else key * {"OneMinute": 60, "FiveMinute": 300, "OneHour": 3600}[period]
            )
        ys.append(
            {
                "Min": min,
                "Max": max,
                "Count": len,
                "Last": lambda v: v[-1],
                "Avg": statistics.mean,
                "StdDev": lambda v: statistics.stdev(v) if len(v) > 1 else 0.0,
            }[stat](vals)
        )
    return xs, [float(y) for y in ys]


@pytest.mark.parametrize("period", ["OneMinute", "FiveMinute", "OneHour", "IterationNumber"])
@pytest.mark.parametrize("x_axis", ["IterationNumber", "Timestamp"])
def test_e2e_batch_get_metrics_every_period_and_axis(sm_metrics, logged, period, x_axis) -> None:
    name = "e2e-run-2"
    hour = logged["hour"]
    curve = logged["runs"][name][2]
    points = [(hour + s * 200 + j * 100, s, v + d) for s, v in enumerate(curve) for j, d in enumerate((0.0, 0.02))]
    stats = ["Min", "Max", "Avg", "Count", "StdDev", "Last"]
    resp = sm_metrics.batch_get_metrics(
        MetricQueries=[
            {
                "MetricName": "accuracy",
                "ResourceArn": logged["arns"][name],
                "MetricStat": stat,
                "Period": period,
                "XAxisType": x_axis,
            }
            for stat in stats
        ]
    )
    for stat, result in zip(stats, resp["MetricQueryResults"]):
        xs, ys = expected_series(points, stat, period, x_axis)
        assert result["Status"] == "Complete"
        assert result["XAxisValues"] == xs, (stat, period, x_axis)
        assert result["MetricValues"] == pytest.approx(ys), (stat, period, x_axis)


def test_e2e_batch_get_metrics_start_end_and_unknown(sm_metrics, logged) -> None:
    hour = logged["hour"]
    arn_ = logged["arns"]["e2e-run-1"]
    base = {
        "MetricName": "accuracy",
        "ResourceArn": arn_,
        "MetricStat": "Count",
        "Period": "IterationNumber",
        "XAxisType": "IterationNumber",
    }
    resp = sm_metrics.batch_get_metrics(
        MetricQueries=[
            dict(base, Start=hour + 200, End=hour + 450),  # steps 1 (two points) and 2 (first point) only
            dict(base, Start=(hour + 200) * 1000, End=(hour + 450) * 1000),  # epoch milliseconds work too
            dict(base, Start=hour + 300, End=hour + 500),  # both ends inclusive
            dict(base, MetricName="no-such-metric"),
            dict(base, ResourceArn=arn_.replace("e2e-run-1", "ghost")),
            dict(base, Start=hour + 500, End=hour),
        ]
    )
    r = resp["MetricQueryResults"]
    assert (r[0]["XAxisValues"], r[0]["MetricValues"]) == ([1, 2], [2.0, 1.0])
    assert r[1] == r[0]
    assert (r[2]["XAxisValues"], r[2]["MetricValues"]) == ([1, 2], [1.0, 2.0])
    assert r[3] == {"Status": "Complete", "XAxisValues": [], "MetricValues": []}
    assert r[4]["Status"] == "ValidationError" and "ghost" in r[4]["Message"]
    assert r[5]["Status"] == "ValidationError" and "Start" in r[5]["Message"]


def test_e2e_batch_put_metrics_errors_and_validation(backend, sm, sm_metrics, logged) -> None:
    now = datetime.now(timezone.utc)
    resp = sm_metrics.batch_put_metrics(
        TrialComponentName="e2e-run-4",
        MetricData=[
            {"MetricName": "loss", "Timestamp": now, "Value": 1.0},
            {"MetricName": "loss", "Timestamp": now - timedelta(days=15), "Value": 1.0},
            {"MetricName": "loss", "Timestamp": now + timedelta(hours=3), "Value": 1.0},
        ],
    )
    assert resp["Errors"] == [
        {"Code": "VALIDATION_ERROR", "MetricIndex": 1},
        {"Code": "VALIDATION_ERROR", "MetricIndex": 2},
    ]
    described = sm.describe_trial_component(TrialComponentName="e2e-run-4")
    assert [(m["MetricName"], m["Count"]) for m in described["Metrics"]] == [("loss", 1)]

    unchecked = backend.client("sagemaker-metrics", parameter_validation=False)
    item = {"MetricName": "loss", "Timestamp": now, "Value": 1.0}
    with pytest.raises(botocore.exceptions.ClientError) as err:
        unchecked.batch_put_metrics(TrialComponentName="e2e-run-4", MetricData=[item] * 11)
    assert err.value.response["Error"]["Code"] == "ValidationException"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "metricData" in err.value.response["Error"]["Message"]
    with pytest.raises(botocore.exceptions.ClientError) as err:
        unchecked.batch_get_metrics(
            MetricQueries=[
                {
                    "MetricName": "a",
                    "ResourceArn": logged["arns"]["e2e-run-1"],
                    "MetricStat": "Median",
                    "Period": "OneMinute",
                    "XAxisType": "Timestamp",
                }
            ]
        )
    assert err.value.response["Error"]["Code"] == "ValidationException"
    assert "enum value set" in err.value.response["Error"]["Message"]
    with pytest.raises(botocore.exceptions.ClientError) as err:
        sm_metrics.batch_put_metrics(TrialComponentName="never-created", MetricData=[item])
    assert err.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_e2e_metrics_survive_a_restart(start_backend: StartBackend) -> None:
    """Points are durable: a second backend process on the same data directory serves them."""
    backend = start_backend()
    arn_ = backend.client("sagemaker").create_trial_component(TrialComponentName="durable")["TrialComponentArn"]
    backend.client("sagemaker-metrics").batch_put_metrics(
        TrialComponentName="durable",
        MetricData=[{"MetricName": "m", "Timestamp": time.time(), "Step": 3, "Value": 4.5}],
    )
    backend.restart(signal.SIGKILL)  # SIGKILL: nothing acknowledged may be lost
    result = backend.client("sagemaker-metrics").batch_get_metrics(
        MetricQueries=[
            {
                "MetricName": "m",
                "ResourceArn": arn_,
                "MetricStat": "Last",
                "Period": "IterationNumber",
                "XAxisType": "IterationNumber",
            }
        ]
    )["MetricQueryResults"][0]
    assert (result["XAxisValues"], result["MetricValues"]) == ([3], [4.5])


def test_long_series_are_truncated(store: Store, metrics: MetricsService, monkeypatch) -> None:
    from jupyterlab_sagemaker_studio.local import metrics as metrics_module

    seed_component(store, "long-run", T0)
    put_metrics(metrics, "long-run", "loss", [float(i) for i in range(5)])
    monkeypatch.setattr(metrics_module, "MAX_POINTS_PER_QUERY", 3)
    result = metrics.batch_get_metrics(
        {
            "MetricQueries": [
                {
                    "MetricName": "loss",
                    "ResourceArn": arn("experiment-trial-component", "long-run"),
                    "MetricStat": "Max",
                    "Period": "IterationNumber",
                    "XAxisType": "IterationNumber",
                }
            ]
        }
    )["MetricQueryResults"][0]
    assert result["Status"] == "Truncated" and "first 3 of 5" in result["Message"]
    assert (result["XAxisValues"], result["MetricValues"]) == ([0, 1, 2], [0.0, 1.0, 2.0])
