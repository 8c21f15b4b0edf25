"""CloudWatch Logs in the local backend: groups, streams, events, AWS's token semantics and errors; persistence
across a restart. Real HTTP, boto3, a backend subprocess."""

from __future__ import annotations

from typing import Any

import pytest
from local_backend import LocalBackendProcess, StartBackend, error_of

GROUP = "/test/app"


@pytest.fixture(scope="module")
def backend(start_module_backend: StartBackend) -> LocalBackendProcess:
    return start_module_backend()


@pytest.fixture(scope="module")
def logs(backend: LocalBackendProcess) -> Any:
    client = backend.client("logs")
    client.create_log_group(logGroupName=GROUP)
    client.create_log_stream(logGroupName=GROUP, logStreamName="job-b/algo-1-100")
    client.create_log_stream(logGroupName=GROUP, logStreamName="job-a/algo-1-200")
    client.create_log_stream(logGroupName=GROUP, logStreamName="other")
    client.put_log_events(
        logGroupName=GROUP,
        logStreamName="job-a/algo-1-200",
        logEvents=[{"timestamp": 1_700_000_000_000 + i, "message": f"line {i}"} for i in range(25)],
    )
    client.put_log_events(
        logGroupName=GROUP,
        logStreamName="job-b/algo-1-100",
        logEvents=[{"timestamp": 1_700_000_000_010, "message": "error: boom"}],
    )
    return client


def test_describe_log_streams_orders_filters_and_pages(logs: Any) -> None:
    names = [s["logStreamName"] for s in logs.describe_log_streams(logGroupName=GROUP)["logStreams"]]
    assert names == ["job-a/algo-1-200", "job-b/algo-1-100", "other"]
    got = logs.describe_log_streams(logGroupName=GROUP, logStreamNamePrefix="job-", descending=True)["logStreams"]
    assert [s["logStreamName"] for s in got] == ["job-b/algo-1-100", "job-a/algo-1-200"]
    first = logs.describe_log_streams(logGroupName=GROUP, limit=2)
    assert len(first["logStreams"]) == 2 and first["nextToken"]
    rest = logs.describe_log_streams(logGroupName=GROUP, limit=2, nextToken=first["nextToken"])
    assert [s["logStreamName"] for s in rest["logStreams"]] == ["other"] and "nextToken" not in rest
    by_time = logs.describe_log_streams(logGroupName=GROUP, orderBy="LastEventTime", descending=True)["logStreams"]
    assert by_time[0]["logStreamName"] == "job-a/algo-1-200"
    assert by_time[0]["firstEventTimestamp"] == 1_700_000_000_000
    assert by_time[0]["lastEventTimestamp"] == 1_700_000_000_024
    assert by_time[0]["arn"].endswith(":log-group:/test/app:log-stream:job-a/algo-1-200")
    code, message = _error(
        logs.describe_log_streams, logGroupName=GROUP, orderBy="LastEventTime", logStreamNamePrefix="j"
    )
    assert code == "InvalidParameterException" and "LastEventTime" in message


def test_get_log_events_tokens_follow_aws(logs: Any) -> None:
    stream = "job-a/algo-1-200"
    head = logs.get_log_events(logGroupName=GROUP, logStreamName=stream, startFromHead=True, limit=10)
    assert [e["message"] for e in head["events"]] == [f"line {i}" for i in range(10)]
    assert head["nextForwardToken"].startswith("f/") and head["nextBackwardToken"].startswith("b/")
    more = logs.get_log_events(logGroupName=GROUP, logStreamName=stream, nextToken=head["nextForwardToken"], limit=10)
    assert [e["message"] for e in more["events"]] == [f"line {i}" for i in range(10, 20)]
    back = logs.get_log_events(logGroupName=GROUP, logStreamName=stream, nextToken=more["nextBackwardToken"], limit=3)
    assert [e["message"] for e in back["events"]] == ["line 7", "line 8", "line 9"]
    last = logs.get_log_events(logGroupName=GROUP, logStreamName=stream, nextToken=more["nextForwardToken"])
    assert [e["message"] for e in last["events"]] == [f"line {i}" for i in range(20, 25)]
    # At the end: no events, and the same forward token again (how followers know they are caught up).
    end = logs.get_log_events(logGroupName=GROUP, logStreamName=stream, nextToken=last["nextForwardToken"])
    assert end["events"] == [] and end["nextForwardToken"] == last["nextForwardToken"]
    # New events appear after that token.
    logs.put_log_events(
        logGroupName=GROUP, logStreamName=stream, logEvents=[{"timestamp": 1_700_000_000_100, "message": "late"}]
    )
    new = logs.get_log_events(logGroupName=GROUP, logStreamName=stream, nextToken=last["nextForwardToken"])
    assert [e["message"] for e in new["events"]] == ["late"]
    # Without a token and startFromHead, the newest events (in time order).
    tail = logs.get_log_events(logGroupName=GROUP, logStreamName=stream, limit=2)
    assert [e["message"] for e in tail["events"]] == ["line 24", "late"]
    # Following forward tokens until one repeats (what SDK followers do) reads every event once.
    seen, token = [], None
    while True:
        kwargs = {"nextToken": token} if token else {"startFromHead": True}
        page = logs.get_log_events(logGroupName=GROUP, logStreamName=stream, limit=7, **kwargs)
        seen += [e["message"] for e in page["events"]]
        if page["nextForwardToken"] == token:
            break
        token = page["nextForwardToken"]
    assert seen == [f"line {i}" for i in range(25)] + ["late"]


def test_filter_log_events(logs: Any) -> None:
    got = logs.filter_log_events(logGroupName=GROUP, filterPattern="boom")
    assert [(e["logStreamName"], e["message"]) for e in got["events"]] == [("job-b/algo-1-100", "error: boom")]
    got = logs.filter_log_events(
        logGroupName=GROUP, logStreamNamePrefix="job-a", startTime=1_700_000_000_005, endTime=1_700_000_000_007
    )
    assert [e["message"] for e in got["events"]] == ["line 5", "line 6", "line 7"]
    page = logs.filter_log_events(logGroupName=GROUP, logStreamNames=["job-a/algo-1-200"], limit=20)
    assert len(page["events"]) == 20 and page["nextToken"]
    rest = logs.filter_log_events(logGroupName=GROUP, logStreamNames=["job-a/algo-1-200"], nextToken=page["nextToken"])
    assert rest["events"][0]["message"] == "line 20" and "nextToken" not in rest
    code, _ = _error(logs.filter_log_events, logGroupName=GROUP, logStreamNames=["a"], logStreamNamePrefix="a")
    assert code == "InvalidParameterException"


def test_errors_are_awss(logs: Any) -> None:
    assert _error(logs.describe_log_streams, logGroupName="/no/such/group") == (
        "ResourceNotFoundException",
        "The specified log group does not exist.",
    )
    assert _error(logs.get_log_events, logGroupName=GROUP, logStreamName="no-such-stream") == (
        "ResourceNotFoundException",
        "The specified log stream does not exist.",
    )
    assert _error(logs.get_log_events, logGroupName="/no/such/group", logStreamName="x")[0] == (
        "ResourceNotFoundException"
    )
    assert _error(logs.create_log_group, logGroupName=GROUP)[0] == "ResourceAlreadyExistsException"
    code, message = _error(logs.describe_log_streams)
    assert (code, message) == ("InvalidParameterException", "Should provide either logGroupName or logGroupIdentifier.")
    assert _error(logs.get_log_events, logGroupName=GROUP, logStreamName="x", nextToken="garbage")[0] == (
        "InvalidParameterException"
    )
    out_of_order = [{"timestamp": 2, "message": "b"}, {"timestamp": 1, "message": "a"}]
    assert _error(logs.put_log_events, logGroupName=GROUP, logStreamName="other", logEvents=out_of_order)[0] == (
        "InvalidParameterException"
    )


def test_requests_are_validated_against_the_model(backend: LocalBackendProcess) -> None:
    raw = backend.client("logs", parameter_validation=False)
    code, message = _error(raw.get_log_events, logGroupName=GROUP)
    assert code == "ValidationException"
    assert message == (
        "1 validation error detected: Value null at 'logStreamName' failed to satisfy constraint: "
        "Member must not be null"
    )
    code, message = _error(raw.describe_log_streams, logGroupName=GROUP, limit=500)
    assert code == "ValidationException" and "less than or equal to 50" in message
    code, message = _error(raw.create_log_group)
    assert code == "ValidationException" and "'logGroupName'" in message


def test_log_group_identifier_accepts_an_arn(logs: Any, backend: LocalBackendProcess) -> None:
    arn = f"arn:aws:logs:{backend.info['region']}:123456789012:log-group:{GROUP}"
    got = logs.get_log_events(logGroupIdentifier=arn, logStreamName="job-b/algo-1-100", startFromHead=True)
    assert [e["message"] for e in got["events"]] == ["error: boom"]
    groups = logs.describe_log_groups(logGroupNamePrefix="/test/")["logGroups"]
    assert [g["logGroupName"] for g in groups] == [GROUP]


def test_events_survive_a_restart(start_backend: StartBackend) -> None:
    backend = start_backend()
    client = backend.client("logs")
    client.create_log_group(logGroupName="g")
    client.create_log_stream(logGroupName="g", logStreamName="s")
    client.put_log_events(logGroupName="g", logStreamName="s", logEvents=[{"timestamp": 5, "message": "kept"}])
    backend.restart()
    client = backend.client("logs")
    got = client.get_log_events(logGroupName="g", logStreamName="s", startFromHead=True)
    assert [e["message"] for e in got["events"]] == ["kept"]


def _error(call: Any, **kwargs: Any) -> tuple[str, str]:
    err = error_of(call, **kwargs)
    return err["Code"], err["Message"]
