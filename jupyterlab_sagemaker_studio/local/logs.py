"""CloudWatch Logs in local mode: the AWS JSON 1.1 API (``X-Amz-Target: Logs_20140328.<Operation>``, signing name
``logs``) over the local store, so boto3 and the JavaScript SDK read and write logs as they do in AWS.

Operations: CreateLogGroup, DescribeLogGroups, CreateLogStream, DescribeLogStreams, PutLogEvents, GetLogEvents,
FilterLogEvents. Requests are validated against botocore's ``logs`` model (``validation.py``) first. Log groups,
streams and events live in SQLite tables (``logs_*``), so they survive restarts. The local backend writes the
output of the training jobs it runs as processes (``jobs.py``) to ``/aws/sagemaker/TrainingJobs``, stream
``<job>/algo-1-<epoch seconds at start>``, as SageMaker does, with :func:`append_events`.

Tokens behave as AWS's: GetLogEvents answers ``nextForwardToken`` (``f/…``) and ``nextBackwardToken`` (``b/…``);
reading forward with a token when no new events exist returns the same ``nextForwardToken`` (how a follower knows
it is at the end). ``filterPattern`` is matched as a plain substring (AWS's pattern syntax is not implemented;
a pattern in double quotes is taken as the quoted text).
"""

from __future__ import annotations

import base64
import json
import logging
import sqlite3
from typing import Any, Callable, Iterable

from . import json_protocol
from .protocol import LocalRequest, LocalResponse, ServiceError
from .store import Store, now
from .validation import service_model, validate_request

log = logging.getLogger(__name__)

TARGET_PREFIX = "Logs_20140328"
#: The log group SageMaker writes training jobs' output to.
TRAINING_JOBS_GROUP = "/aws/sagemaker/TrainingJobs"
GROUP_NOT_FOUND = "The specified log group does not exist."
STREAM_NOT_FOUND = "The specified log stream does not exist."
MAX_EVENTS = 10000
#: GetLogEvents and FilterLogEvents answer at most 1 MB of messages, as AWS does.
MAX_RESPONSE_BYTES = 1024 * 1024

DDL = """
CREATE TABLE IF NOT EXISTS logs_groups(name TEXT PRIMARY KEY, created INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS logs_streams(
    group_name TEXT NOT NULL REFERENCES logs_groups(name) ON DELETE CASCADE, name TEXT NOT NULL,
    created INTEGER NOT NULL, first_event INTEGER, last_event INTEGER, last_ingestion INTEGER,
    PRIMARY KEY(group_name, name));
CREATE TABLE IF NOT EXISTS logs_events(
    id INTEGER PRIMARY KEY AUTOINCREMENT, group_name TEXT NOT NULL, stream_name TEXT NOT NULL,
    timestamp INTEGER NOT NULL, ingestion INTEGER NOT NULL, message TEXT NOT NULL,
    FOREIGN KEY(group_name, stream_name) REFERENCES logs_streams(group_name, name) ON DELETE CASCADE);
CREATE INDEX IF NOT EXISTS logs_events_stream ON logs_events(group_name, stream_name, timestamp, id);
CREATE INDEX IF NOT EXISTS logs_events_group ON logs_events(group_name, timestamp, id);
"""


def ensure_schema(store: Store) -> None:
    """Create the ``logs_*`` tables if they do not exist."""
    store.ensure_schema(DDL)


def _ms() -> int:
    return int(now() * 1000)


def _invalid(message: str) -> ServiceError:
    return ServiceError("InvalidParameterException", message)


def _ensure_stream(db: sqlite3.Connection, group: str, stream: str, t: int) -> None:
    db.execute("INSERT OR IGNORE INTO logs_groups(name, created) VALUES (?, ?)", (group, t))
    db.execute("INSERT OR IGNORE INTO logs_streams(group_name, name, created) VALUES (?, ?, ?)", (group, stream, t))


def _insert_events(db: sqlite3.Connection, group: str, stream: str, events: list[tuple[int, str]], t: int) -> None:
    if not events:
        return
    db.executemany(
        "INSERT INTO logs_events(group_name, stream_name, timestamp, ingestion, message) VALUES (?, ?, ?, ?, ?)",
        [(group, stream, ts, t, message) for ts, message in events],
    )
    first = min(ts for ts, _ in events)
    last = max(ts for ts, _ in events)
    db.execute(
        "UPDATE logs_streams SET first_event = min(coalesce(first_event, ?), ?), "
        "last_event = max(coalesce(last_event, ?), ?), last_ingestion = ? WHERE group_name = ? AND name = ?",
        (first, first, last, last, t, group, stream),
    )


def append_events(store: Store, group: str, stream: str, events: Iterable[tuple[int, str]]) -> None:
    """Write events (``(epoch milliseconds, message)``) to a stream, creating its group and stream when missing."""
    batch = list(events)
    t = _ms()
    with store.transaction() as db:
        _ensure_stream(db, group, stream, t)
        _insert_events(db, group, stream, batch, t)


def _encode(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode(token: str) -> dict[str, Any]:
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if not isinstance(data, dict):
            raise ValueError
        return data
    except ValueError:
        raise _invalid("The specified nextToken is invalid.") from None


def _position_token(direction: str, key: tuple[int, int]) -> str:
    """A GetLogEvents token: ``f/`` or ``b/``, the event position (timestamp, id) as digits, ``/s`` (AWS's shape)."""
    return f"{direction}/{key[0]:020d}{key[1]:020d}/s"


def _parse_position(token: str) -> tuple[str, tuple[int, int]]:
    parts = token.split("/")
    if len(parts) != 3 or parts[0] not in ("f", "b") or len(parts[1]) != 40 or not parts[1].isdigit():
        raise _invalid("The specified nextToken is invalid.")
    return parts[0], (int(parts[1][:20]), int(parts[1][20:]))


class LogsService:
    """The CloudWatch Logs JSON 1.1 API subset notebook jobs and SDK clients use."""

    def __init__(self, store: Store, info: Any) -> None:
        self.store = store
        self.info = info
        self.model = service_model("logs")
        ensure_schema(store)
        self._operations: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "CreateLogGroup": self.create_log_group,
            "DescribeLogGroups": self.describe_log_groups,
            "CreateLogStream": self.create_log_stream,
            "DescribeLogStreams": self.describe_log_streams,
            "PutLogEvents": self.put_log_events,
            "GetLogEvents": self.get_log_events,
            "FilterLogEvents": self.filter_log_events,
        }

    @property
    def operations(self) -> list[str]:
        """Names of the implemented operations."""
        return sorted(self._operations)

    def handle(self, request: LocalRequest) -> LocalResponse:
        """Answer one JSON 1.1 request; errors as AWS renders them (``__type`` and ``message``)."""
        return json_protocol.answer(request, "CloudWatch Logs", self._dispatch, "ServiceUnavailableException")

    def _dispatch(self, request: LocalRequest) -> dict[str, Any]:
        op_name, body = json_protocol.parse_call(
            request, TARGET_PREFIX, "CloudWatch Logs", self.model, self._operations
        )
        return self._operations[op_name](validate_request(self.model.operation_model(op_name), body))

    # --- helpers ------------------------------------------------------------------------------------------------

    def _group_arn(self, group: str) -> str:
        return f"arn:aws:logs:{self.info.region}:{self.info.account_id}:log-group:{group}"

    def _group_name(self, params: dict[str, Any]) -> str:
        """The group a request names (``logGroupName``, or ``logGroupIdentifier``: a name or an ARN)."""
        name, ident = params.get("logGroupName"), params.get("logGroupIdentifier")
        if name is not None and ident is not None:
            raise _invalid("LogGroup name and LogGroup ARN are mutually exclusive parameters.")
        if name is None and ident is None:
            raise _invalid("Should provide either logGroupName or logGroupIdentifier.")
        if ident is not None and ident.startswith("arn:"):
            parts = ident.split(":", 6)
            if len(parts) < 7 or parts[5] != "log-group":
                raise _invalid(f"Invalid log group ARN: {ident}")
            name = parts[6][:-2] if parts[6].endswith(":*") else parts[6]
        return name if name is not None else ident  # type: ignore[return-value]

    def _require_group(self, db: Any, group: str) -> None:
        if not db.execute("SELECT 1 FROM logs_groups WHERE name = ?", (group,)).fetchone():
            raise ServiceError("ResourceNotFoundException", GROUP_NOT_FOUND)

    def _require_stream(self, db: Any, group: str, stream: str) -> None:
        self._require_group(db, group)
        if not db.execute("SELECT 1 FROM logs_streams WHERE group_name = ? AND name = ?", (group, stream)).fetchone():
            raise ServiceError("ResourceNotFoundException", STREAM_NOT_FOUND)

    def _rows(self, sql: str, args: tuple = ()) -> list[sqlite3.Row]:
        return self.store.query(sql, args)

    # --- groups and streams -------------------------------------------------------------------------------------

    def create_log_group(self, params: dict[str, Any]) -> dict[str, Any]:
        """CreateLogGroup; an existing name is ``ResourceAlreadyExistsException``."""
        with self.store.transaction() as db:
            if db.execute("SELECT 1 FROM logs_groups WHERE name = ?", (params["logGroupName"],)).fetchone():
                raise ServiceError("ResourceAlreadyExistsException", "The specified log group already exists")
            db.execute("INSERT INTO logs_groups(name, created) VALUES (?, ?)", (params["logGroupName"], _ms()))
        return {}

    def describe_log_groups(self, params: dict[str, Any]) -> dict[str, Any]:
        """DescribeLogGroups by ``logGroupNamePrefix`` (or ``logGroupNamePattern``: a substring), name order."""
        prefix = params.get("logGroupNamePrefix")
        pattern = params.get("logGroupNamePattern")
        if prefix is not None and pattern is not None:
            raise _invalid("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.")
        rows = self._rows("SELECT name, created FROM logs_groups ORDER BY name")
        groups = [
            r
            for r in rows
            if (prefix is None or r["name"].startswith(prefix)) and (pattern is None or pattern in r["name"])
        ]
        start, limit = self._page(params, 50)
        out = [
            {
                "logGroupName": r["name"],
                "creationTime": r["created"],
                "metricFilterCount": 0,
                "arn": self._group_arn(r["name"]) + ":*",
                "logGroupArn": self._group_arn(r["name"]),
                "storedBytes": 0,
                "logGroupClass": "STANDARD",
            }
            for r in groups[start : start + limit]
        ]
        result: dict[str, Any] = {"logGroups": out}
        if start + limit < len(groups):
            result["nextToken"] = _encode({"o": start + limit})
        return result

    def _page(self, params: dict[str, Any], default: int) -> tuple[int, int]:
        start = 0
        if params.get("nextToken"):
            offset = _decode(params["nextToken"]).get("o")
            if not isinstance(offset, int) or offset < 0:
                raise _invalid("The specified nextToken is invalid.")
            start = offset
        return start, params.get("limit", default)

    def create_log_stream(self, params: dict[str, Any]) -> dict[str, Any]:
        """CreateLogStream in an existing group; an existing name is ``ResourceAlreadyExistsException``."""
        group, stream = params["logGroupName"], params["logStreamName"]
        with self.store.transaction() as db:
            self._require_group(db, group)
            if db.execute("SELECT 1 FROM logs_streams WHERE group_name = ? AND name = ?", (group, stream)).fetchone():
                raise ServiceError("ResourceAlreadyExistsException", "The specified log stream already exists")
            db.execute("INSERT INTO logs_streams(group_name, name, created) VALUES (?, ?, ?)", (group, stream, _ms()))
        return {}

    def describe_log_streams(self, params: dict[str, Any]) -> dict[str, Any]:
        """DescribeLogStreams: by name (default) or ``LastEventTime``, ``descending``, ``limit`` (≤ 50), paged."""
        group = self._group_name(params)
        order = params.get("orderBy", "LogStreamName")
        prefix = params.get("logStreamNamePrefix")
        if prefix is not None and order == "LastEventTime":
            raise _invalid("Cannot order by LastEventTime with a logStreamNamePrefix.")
        with self.store.transaction() as db:
            self._require_group(db, group)
            rows = db.execute("SELECT * FROM logs_streams WHERE group_name = ?", (group,)).fetchall()
        if prefix is not None:
            rows = [r for r in rows if r["name"].startswith(prefix)]
        if order == "LastEventTime":
            rows.sort(key=lambda r: (r["last_event"] or 0, r["name"]), reverse=bool(params.get("descending")))
        else:
            rows.sort(key=lambda r: r["name"], reverse=bool(params.get("descending")))
        start, limit = self._page(params, 50)
        streams = []
        for r in rows[start : start + limit]:
            item: dict[str, Any] = {
                "logStreamName": r["name"],
                "creationTime": r["created"],
                "arn": f"{self._group_arn(group)}:log-stream:{r['name']}",
                "storedBytes": 0,
            }
            if r["first_event"] is not None:
                item.update(
                    firstEventTimestamp=r["first_event"],
                    lastEventTimestamp=r["last_event"],
                    lastIngestionTime=r["last_ingestion"],
                    uploadSequenceToken=str(r["last_ingestion"]),
                )
            streams.append(item)
        result: dict[str, Any] = {"logStreams": streams}
        if start + limit < len(rows):
            result["nextToken"] = _encode({"o": start + limit})
        return result

    # --- events ---------------------------------------------------------------------------------------------------

    def put_log_events(self, params: dict[str, Any]) -> dict[str, Any]:
        """PutLogEvents into an existing stream; the batch must be in chronological order (as AWS requires)."""
        group, stream = params["logGroupName"], params["logStreamName"]
        events = [(int(e["timestamp"]), e["message"]) for e in params["logEvents"]]
        if any(events[i][0] > events[i + 1][0] for i in range(len(events) - 1)):
            raise _invalid("Log events in a single PutLogEvents request must be in chronological order.")
        t = _ms()
        with self.store.transaction() as db:
            self._require_stream(db, group, stream)
            _insert_events(db, group, stream, events, t)
        return {"nextSequenceToken": str(t)}

    def get_log_events(self, params: dict[str, Any]) -> dict[str, Any]:
        """GetLogEvents of one stream, from the head or the tail, or forward/backward from a token."""
        group, stream = self._group_name(params), params["logStreamName"]
        limit = params.get("limit", MAX_EVENTS)
        token = params.get("nextToken")
        where = ["group_name = ?", "stream_name = ?"]
        args: list[Any] = [group, stream]
        if "startTime" in params:
            where.append("timestamp >= ?")
            args.append(int(params["startTime"]))
        if "endTime" in params:
            where.append("timestamp < ?")
            args.append(int(params["endTime"]))
        if token:
            direction, key = _parse_position(token)
            forward = direction == "f"
            where.append("(timestamp, id) > (?, ?)" if forward else "(timestamp, id) < (?, ?)")
            args += list(key)
        else:
            forward = bool(params.get("startFromHead"))
            key = (0, 0)
        order = "ASC" if forward else "DESC"
        sql = (
            f"SELECT id, timestamp, ingestion, message FROM logs_events WHERE {' AND '.join(where)} "
            f"ORDER BY timestamp {order}, id {order} LIMIT ?"
        )
        with self.store.transaction() as db:
            self._require_stream(db, group, stream)
            rows = db.execute(sql, (*args, limit)).fetchall()
        picked, size = [], 0
        for r in rows:
            size += len(r["message"].encode()) + 26
            if picked and size > MAX_RESPONSE_BYTES:
                break
            picked.append(r)
        if not forward:
            picked.reverse()
        events = [
            {"timestamp": r["timestamp"], "message": r["message"], "ingestionTime": r["ingestion"]} for r in picked
        ]
        if picked:
            first = (picked[0]["timestamp"], picked[0]["id"])
            last = (picked[-1]["timestamp"], picked[-1]["id"])
            return {
                "events": events,
                "nextForwardToken": _position_token("f", last),
                "nextBackwardToken": _position_token("b", first),
            }
        # Nothing (more) in this direction: the same position both ways, so a follower sees the same token again.
        forward_token = token if token and token.startswith("f/") else _position_token("f", key)
        backward_token = token if token and token.startswith("b/") else _position_token("b", key)
        return {"events": [], "nextForwardToken": forward_token, "nextBackwardToken": backward_token}

    def filter_log_events(self, params: dict[str, Any]) -> dict[str, Any]:
        """FilterLogEvents across a group's streams (by names or a prefix), time range, substring pattern, paged."""
        group = self._group_name(params)
        names, prefix = params.get("logStreamNames"), params.get("logStreamNamePrefix")
        if names is not None and prefix is not None:
            raise _invalid("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.")
        limit = params.get("limit", MAX_EVENTS)
        where = ["group_name = ?"]
        args: list[Any] = [group]
        if names is not None:
            where.append(f"stream_name IN ({', '.join('?' * len(names))})")
            args += names
        if prefix is not None:
            where.append("substr(stream_name, 1, ?) = ?")
            args += [len(prefix), prefix]
        if "startTime" in params:
            where.append("timestamp >= ?")
            args.append(int(params["startTime"]))
        if "endTime" in params:
            where.append("timestamp <= ?")
            args.append(int(params["endTime"]))
        pattern = (params.get("filterPattern") or "").strip()
        if len(pattern) >= 2 and pattern[0] == pattern[-1] == '"':
            pattern = pattern[1:-1]
        if pattern:
            where.append("instr(message, ?) > 0")
            args.append(pattern)
        if params.get("nextToken"):
            data = _decode(params["nextToken"])
            key = data.get("k")
            if data.get("g") != group or not (isinstance(key, list) and len(key) == 2):
                raise _invalid("The specified nextToken is invalid.")
            where.append("(timestamp, id) > (?, ?)")
            args += [int(key[0]), int(key[1])]
        with self.store.transaction() as db:
            self._require_group(db, group)
            rows = db.execute(
                f"SELECT id, stream_name, timestamp, ingestion, message FROM logs_events WHERE {' AND '.join(where)} "
                "ORDER BY timestamp, id LIMIT ?",
                (*args, limit + 1),
            ).fetchall()
            searched = db.execute(
                "SELECT name FROM logs_streams WHERE group_name = ? ORDER BY name", (group,)
            ).fetchall()
        more = len(rows) > limit
        rows = rows[:limit]
        picked, size = [], 0
        for r in rows:
            size += len(r["message"].encode()) + 26
            if picked and size > MAX_RESPONSE_BYTES:
                more = True
                break
            picked.append(r)
        events = [
            {
                "logStreamName": r["stream_name"],
                "timestamp": r["timestamp"],
                "message": r["message"],
                "ingestionTime": r["ingestion"],
                "eventId": f"{r['timestamp']:020d}{r['id']:020d}",
            }
            for r in picked
        ]
        result: dict[str, Any] = {
            "events": events,
            "searchedLogStreams": [
                {"logStreamName": s["name"], "searchedCompletely": not more}
                for s in searched
                if (names is None or s["name"] in names) and (prefix is None or s["name"].startswith(prefix))
            ],
        }
        if more and picked:
            result["nextToken"] = _encode({"g": group, "k": [picked[-1]["timestamp"], picked[-1]["id"]]})
        return result
