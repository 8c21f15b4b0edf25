"""SageMaker ``Search`` over the local backend's experiments, trials, trial components, pipelines, model package
groups, endpoints and training jobs.

Records are built from the shared tables (``sm_resources``, ``sm_trial_component_trials``) and the metric
summaries kept by :mod:`.metrics`, shaped exactly like botocore's ``Experiment`` / ``Trial`` /
``TrialComponent`` / ``Pipeline`` / ``ModelPackageGroup`` / ``Endpoint`` search shapes, then filtered, sorted and
paged in Python: with 10,000 trial components this stays well under a second, and it keeps the semantics in one
readable place. Studio finds a project's pipelines, model groups and endpoints this way, by their project tags
(``Tags.sagemaker:project-name`` / ``Tags.sagemaker:project-id``).

Semantics (AWS's documented ones; where AWS documents nothing, the choice is stated here):
- Filter names are dotted paths into the record (``DisplayName``, ``Parents.TrialName``, ``Tags.<key>``,
  ``Parameters.<name>``, ``Metrics.<name>.<Max|Min|Last|Count|Avg|StdDev|TimeStamp>``; ``Metrics.<name>``
  alone means its ``Last`` value). A path through a list matches when any element matches.
- Equals / NotEquals / In compare text exactly (case-sensitive); Contains is case-insensitive.
- NotEquals and NotExists are the negations of Equals and Exists, so records without the property match them.
- GreaterThan/... are rejected on text properties and Contains/In on numeric or timestamp ones, as AWS
  documents; parameters are typed by their value (NumberValue numeric, StringValue text); the members of
  pipelines, model package groups and endpoints are typed by botocore's shapes (e.g. ``ProductionVariants.
  CurrentInstanceCount`` is a number).
- Records without ``LastModifiedTime`` (model package groups) sort by ``CreationTime`` when no SortBy is given.
- Timestamps compare as instants; a filter value is ISO 8601 (naive means UTC) or epoch seconds.
"""

from __future__ import annotations

import base64
import datetime as _dt
import functools
import gc
import hashlib
import json
import math
import threading
import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Optional

import botocore.session

from .metrics import metric_summaries
from .protocol import ServiceError
from .resources import DDL as RESOURCES_DDL
from .store import Store

if TYPE_CHECKING:  # server.py imports the services when it starts; avoid the import cycle at run time.
    from .server import BackendInfo

#: Search ``Resource`` -> (``sm_resources.kind``, key of the ``SearchRecord`` member and its shape name).
RESOURCES = {
    "Experiment": ("Experiment", "Experiment"),
    "ExperimentTrial": ("Trial", "Trial"),
    "ExperimentTrialComponent": ("TrialComponent", "TrialComponent"),
    "Pipeline": ("Pipeline", "Pipeline"),
    "ModelPackageGroup": ("ModelPackageGroup", "ModelPackageGroup"),
    "Endpoint": ("Endpoint", "Endpoint"),
    "TrainingJob": ("TrainingJob", "TrainingJob"),
}
#: Record key -> the member holding its name (ties in sorting are broken by it).
NAME_MEMBERS = {
    "Experiment": "ExperimentName",
    "Trial": "TrialName",
    "TrialComponent": "TrialComponentName",
    "Pipeline": "PipelineName",
    "ModelPackageGroup": "ModelPackageGroupName",
    "Endpoint": "EndpointName",
    "TrainingJob": "TrainingJobName",
}
#: Records whose properties are typed by their botocore shape (the experiment records keep the rules above).
SHAPE_TYPED = frozenset({"Pipeline", "ModelPackageGroup", "Endpoint", "TrainingJob"})
#: Kinds whose stored status changes over time (``lifecycle.py``): settled before they are searched.
LIFECYCLE_RESOURCES = frozenset({"Endpoint", "ExperimentTrialComponent", "TrainingJob"})
#: Page size when the request gives no MaxResults.
DEFAULT_MAX_RESULTS = 10
#: AWS's limits: Filters, NestedFilters and SubExpressions per expression, and all of them in one request.
MAX_LIST_ELEMENTS = 20
MAX_TOTAL_ELEMENTS = 50
#: Leaf names holding timestamps (compared as instants; filter values may be ISO 8601).
TIMESTAMP_FIELDS = frozenset({"CreationTime", "LastModifiedTime", "StartTime", "EndTime", "TimeStamp"})
#: Text members of a metric summary (its other members are numbers).
METRIC_TEXT_FIELDS = frozenset({"MetricName", "SourceArn"})
#: Operators AWS supports only for numbers/timestamps, and only for text.
RANGE_OPERATORS = frozenset({"GreaterThan", "GreaterThanOrEqualTo", "LessThan", "LessThanOrEqualTo"})
TEXT_ONLY_OPERATORS = frozenset({"Contains", "In"})
#: Properties on which AWS allows several Contains filters in one expression (others allow one in total).
MULTI_CONTAINS = {
    "Experiment": frozenset({"DisplayName", "ExperimentName", "Tags"}),
    "Trial": frozenset({"DisplayName", "TrialName", "Tags"}),
    "TrialComponent": frozenset({"DisplayName", "TrialComponentName", "Tags", "InputArtifacts", "OutputArtifacts"}),
    "Pipeline": frozenset({"PipelineName", "PipelineDisplayName", "Tags"}),
    "ModelPackageGroup": frozenset({"ModelPackageGroupName", "Tags"}),
    "Endpoint": frozenset({"EndpointName", "Tags"}),
    "TrainingJob": frozenset({"TrainingJobName", "Tags"}),
}

#: One search record (botocore ``Experiment`` / ``Trial`` / ``TrialComponent`` shape) and a test on it.
Record = dict[str, Any]
Predicate = Callable[[Record], bool]


def _invalid(message: str) -> ServiceError:
    return ServiceError("ValidationException", message)


@functools.lru_cache(maxsize=None)
def _members(shape_name: str) -> tuple[str, ...]:
    """Member names of a SageMaker shape, in model order (the model ships with botocore)."""
    model = botocore.session.get_session().get_service_model("sagemaker")
    return tuple(model.shape_for(shape_name).members)


def search(store: Store, body: dict, info: "BackendInfo") -> dict:
    """Run a (model-validated) ``Search`` request and return the response body."""
    resource = body["Resource"]
    if resource not in RESOURCES:
        raise _invalid(
            f"The local backend searches only {', '.join(list(RESOURCES)[:-1])} and {list(RESOURCES)[-1]}, "
            f"not {resource}."
        )
    kind, record_key = RESOURCES[resource]
    expression = body.get("SearchExpression")
    predicate: Optional[Predicate] = None
    if expression is not None:
        _check_limits(expression)
        contains_budget = {"single": 0}
        predicate = _compile_expression(expression, record_key, contains_budget)
    sort_by = body.get("SortBy") or (
        "LastModifiedTime" if "LastModifiedTime" in _members(record_key) else "CreationTime"
    )
    sort_segs = _property_segments(sort_by, record_key)
    descending = (body.get("SortOrder") or "Descending") == "Descending"
    max_results = body.get("MaxResults") or DEFAULT_MAX_RESULTS
    if not 1 <= max_results <= 100:
        raise _invalid("MaxResults must be between 1 and 100.")
    fingerprint = _fingerprint(body)
    offset = _decode_token(body.get("NextToken"), fingerprint)

    records = _cached_records(store, kind)
    matched = [r for r in records if predicate is None or predicate(r)]
    ordered = _sort(matched, sort_segs, descending, record_key)
    page = ordered[offset : offset + max_results]
    response: dict[str, Any] = {
        "Results": [{record_key: r} for r in page],
        "TotalHits": {"Value": len(ordered), "Relation": "EqualTo"},
    }
    if offset + max_results < len(ordered):
        response["NextToken"] = _encode_token(offset + max_results, fingerprint)
    return response


# -- records -----------------------------------------------------------------------------------------------------


@dataclass
class _StoreCache:
    """What one store's searches reuse: built records per kind, and parsed documents per kind."""

    #: kind -> (database version, records built at that version)
    records: dict[str, tuple[tuple[int, int], list[Record]]] = field(default_factory=dict)
    #: kind -> name -> (document text, its shape-filtered record); only changed documents are parsed again.
    parsed: dict[str, dict[str, tuple[str, Record]]] = field(default_factory=dict)


_caches: "weakref.WeakKeyDictionary[Store, _StoreCache]" = weakref.WeakKeyDictionary()
_cache_lock = threading.Lock()


def _cached_records(store: Store, kind: str) -> list[Record]:
    """Records of a kind, rebuilt only after the database changed (paging and repeated searches reuse them).

    ``total_changes`` counts every row this process's connection wrote; ``PRAGMA data_version`` changes when
    any other connection commits. Together they say whether anything was written since the records were built.
    The cached records are shared between responses and never modified.
    """
    store.ensure_schema(RESOURCES_DDL)
    with _cache_lock:
        cache = _caches.setdefault(store, _StoreCache())
        version = (store.db.total_changes, store.query("PRAGMA data_version")[0][0])
        cached = cache.records.get(kind)
        if cached is not None and cached[0] == version:
            return cached[1]
        # Building tens of thousands of small acyclic dicts triggers generational GC passes that scan the whole
        # heap (including the cache itself) over and over; pausing it makes a rebuild about a third faster.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            records = load_records(store, kind, cache.parsed)
        finally:
            if gc_was_enabled:
                gc.enable()
        cache.records[kind] = (version, records)
        return records


def _base_records(store: Store, kind: str, parsed: dict[str, dict[str, tuple[str, Record]]]) -> dict[str, Record]:
    """Shape-filtered documents by name, parsing only those whose text changed since the last call."""
    members = frozenset(_members(kind))
    previous = parsed.get(kind, {})
    current: dict[str, tuple[str, Record]] = {}
    for row in store.query("SELECT name, doc FROM sm_resources WHERE kind = ? ORDER BY name", (kind,)):
        name, text = row[0], row[1]
        hit = previous.get(name)
        if hit is not None and hit[0] == text:
            current[name] = hit
        else:
            doc = json.loads(text)
            current[name] = (text, {k: v for k, v in doc.items() if k in members and v is not None})
    parsed[kind] = current
    return {name: record for name, (_, record) in current.items()}


def load_records(
    store: Store, kind: str, parsed: Optional[dict[str, dict[str, tuple[str, Record]]]] = None
) -> list[Record]:
    """Every resource of ``kind`` as its Search record (botocore shape members only, None values dropped)."""
    parsed = {} if parsed is None else parsed
    records = [dict(base) for base in _base_records(store, kind, parsed).values()]
    if kind == "Trial":
        _add_trial_component_summaries(store, records, _base_records(store, "TrialComponent", parsed))
    elif kind == "TrialComponent":
        _add_parents_and_metrics(store, records)
    return records


def _add_trial_component_summaries(store: Store, trials: list[Record], components: dict[str, Record]) -> None:
    by_trial: dict[str, list[dict]] = defaultdict(list)
    rows = store.query("SELECT trial_name, trial_component_name FROM sm_trial_component_trials")
    for trial_name, component_name in rows:
        doc = components.get(component_name)
        if doc is None:
            continue
        summary = {
            "TrialComponentName": doc.get("TrialComponentName"),
            "TrialComponentArn": doc.get("TrialComponentArn"),
            "TrialComponentSource": doc.get("Source"),
            "CreationTime": doc.get("CreationTime"),
            "CreatedBy": doc.get("CreatedBy"),
        }
        by_trial[trial_name].append({k: v for k, v in summary.items() if v is not None})
    for summaries in by_trial.values():
        summaries.sort(key=lambda s: (s.get("CreationTime") or 0.0, s.get("TrialComponentName") or ""))
    for trial in trials:
        trial["TrialComponentSummaries"] = by_trial.get(trial.get("TrialName", ""), [])


def _add_parents_and_metrics(store: Store, components: list[Record]) -> None:
    experiment_of = {
        name: experiment
        for name, experiment in store.query(
            "SELECT name, json_extract(doc, '$.ExperimentName') FROM sm_resources WHERE kind = 'Trial'"
        )
    }
    parents: dict[str, list[dict]] = defaultdict(list)
    rows = store.query("SELECT trial_component_name, trial_name FROM sm_trial_component_trials ORDER BY trial_name")
    for component_name, trial_name in rows:
        experiment = experiment_of.get(trial_name)
        parent = {"TrialName": trial_name, "ExperimentName": experiment} if experiment else {"TrialName": trial_name}
        parents[component_name].append(parent)
    metrics = metric_summaries(store)
    for component in components:
        name = component.get("TrialComponentName", "")
        component["Parents"] = parents.get(name, [])
        # AWS always returns these maps, empty when nothing was set; the SageMaker Python SDK's
        # ExperimentAnalytics calls ``.items()`` on them without a check.
        for member in ("Parameters", "InputArtifacts", "OutputArtifacts"):
            component.setdefault(member, {})
        summaries = metrics.get(name)
        if summaries:
            # Same as DescribeTrialComponent: the points were logged against the component itself.
            arn = component.get("TrialComponentArn")
            component["Metrics"] = [{**s, "SourceArn": arn} for s in summaries]


# -- property paths ----------------------------------------------------------------------------------------------


def _property_segments(name: str, record_key: str) -> list[str]:
    """Split a property name into path segments and check that it names a property of the record."""
    segs = name.split(".")
    members = _members(record_key)
    if segs[0] == record_key and segs[0] not in members and len(segs) > 1:
        segs = segs[1:]  # AWS also writes properties qualified by the resource, e.g. ``Trial.DisplayName``.
    if segs[0] not in members:
        raise _invalid(
            f"'{name}' is not a searchable property of {record_key}; valid top-level properties are "
            f"{', '.join(members)}."
        )
    return segs


def _resolve_plain(node: Any, segs: list[str], i: int = 0) -> list[Any]:
    """Values at a dotted path; lists fan out, and map keys may themselves contain dots (``Parameters.a.b``)."""
    if i == len(segs):
        return [node]
    if isinstance(node, dict):
        key = segs[i]
        if key in node:
            found = _resolve_plain(node[key], segs, i + 1)
            if found:
                return found
        for j in range(i + 1, len(segs)):
            key = f"{key}.{segs[j]}"
            if key in node:
                found = _resolve_plain(node[key], segs, j + 1)
                if found:
                    return found
        return []
    if isinstance(node, list):
        out: list[Any] = []
        for item in node:
            out.extend(_resolve_plain(item, segs, i))
        return out
    return []


def _resolve_record(record: Record, segs: list[str]) -> list[Any]:
    """Like :func:`_resolve_plain`, with AWS's shortcuts ``Tags.<key>`` and ``Metrics.<name>[.<stat>]``."""
    head, rest = segs[0], segs[1:]
    if head == "Tags" and rest:
        key = ".".join(rest)
        values = [t.get("Value") for t in record.get("Tags") or [] if t.get("Key") == key]
        if values or key not in ("Key", "Value"):
            return values
    elif head == "Metrics" and rest:
        summaries = record.get("Metrics")
        if summaries:
            for k in range(len(rest), 0, -1):
                metric = ".".join(rest[:k]) if k > 1 else rest[0]
                for summary in summaries:
                    if summary["MetricName"] == metric:
                        remaining = rest[k:]
                        return [summary.get("Last")] if not remaining else _resolve_plain(summary, remaining)
    return _resolve_plain(record, segs)


def _scalars(values: list[Any]) -> list[Any]:
    """Comparable leaves: parameter values unwrapped, lists flattened, other objects by their scalar values."""
    if all(isinstance(v, (str, int, float)) for v in values):
        return values
    out: list[Any] = []
    for value in values:
        if value is None:
            continue
        if isinstance(value, list):
            out.extend(_scalars(value))
        elif isinstance(value, dict):
            if value.keys() <= {"StringValue", "NumberValue"} and value:
                out.append(value.get("NumberValue", value.get("StringValue")))
            else:
                out.extend(_scalars(list(value.values())))
        else:
            out.append(value)
    return out


def _property_type(segs: list[str], record_key: str) -> str:
    """``text``, ``number``, ``timestamp`` or ``dynamic`` (parameters: typed by each value)."""
    head, last = segs[0], segs[-1]
    if head == "Tags":
        return "text"
    if record_key in SHAPE_TYPED:
        return _shape_type(record_key, tuple(segs))
    if head == "Parameters":
        return "dynamic"
    if last in TIMESTAMP_FIELDS:
        return "timestamp"
    if head == "Metrics":
        return "text" if last in METRIC_TEXT_FIELDS else "number"
    return "text"


@functools.lru_cache(maxsize=None)
def _shape_type(record_key: str, segs: tuple[str, ...]) -> str:
    """The type of a property path by the record's botocore shape (lists are walked through their members)."""
    shape = botocore.session.get_session().get_service_model("sagemaker").shape_for(record_key)
    for seg in segs:
        while shape.type_name == "list":
            shape = shape.member
        if shape.type_name != "structure" or seg not in shape.members:
            return "text"
        shape = shape.members[seg]
    while shape.type_name == "list":
        shape = shape.member
    if shape.type_name in ("integer", "long", "float", "double"):
        return "number"
    if shape.type_name == "timestamp":
        return "timestamp"
    return "text"


# -- filters -----------------------------------------------------------------------------------------------------


def _check_limits(expression: dict) -> None:
    total = _count_elements(expression)
    if total > MAX_TOTAL_ELEMENTS:
        raise _invalid(
            f"The search expression has {total} filters, nested filters and subexpressions in total; "
            f"the limit is {MAX_TOTAL_ELEMENTS}."
        )


def _count_elements(expression: dict) -> int:
    filters = expression.get("Filters") or []
    nested = expression.get("NestedFilters") or []
    subs = expression.get("SubExpressions") or []
    for label, items in (("Filters", filters), ("NestedFilters", nested), ("SubExpressions", subs)):
        if len(items) > MAX_LIST_ELEMENTS:
            raise _invalid(f"A search expression can have at most {MAX_LIST_ELEMENTS} {label}; got {len(items)}.")
    if not (filters or nested or subs):
        raise _invalid("Each search expression needs at least one filter, nested filter or subexpression.")
    count = len(filters) + len(nested) + len(subs)
    for nf in nested:
        count += len(nf.get("Filters") or [])
    return count + sum(_count_elements(sub) for sub in subs)


def _compile_expression(expression: dict, record_key: str, budget: dict) -> Predicate:
    parts: list[Predicate] = []
    for flt in expression.get("Filters") or []:
        segs = _property_segments(flt["Name"], record_key)
        parts.append(_compile_filter(flt, segs, record_key, budget, nested_prefix=None))
    for nested in expression.get("NestedFilters") or []:
        parts.append(_compile_nested(nested, record_key, budget))
    for sub in expression.get("SubExpressions") or []:
        parts.append(_compile_expression(sub, record_key, budget))
    if (expression.get("Operator") or "And") == "Or":
        return lambda r: any(p(r) for p in parts)
    return lambda r: all(p(r) for p in parts)


def _compile_nested(nested: dict, record_key: str, budget: dict) -> Predicate:
    """True when one element of the nested list satisfies every filter (AWS's NestedFilters semantics)."""
    prefix_segs = _property_segments(nested["NestedPropertyName"], record_key)
    prefix = ".".join(prefix_segs)
    inner: list[Predicate] = []
    filters = nested.get("Filters") or []
    if not filters:
        raise _invalid(f"Nested filters on {nested['NestedPropertyName']} need at least one filter.")
    for flt in filters:
        segs = _property_segments(flt["Name"], record_key)
        if len(segs) <= len(prefix_segs) or segs[: len(prefix_segs)] != prefix_segs:
            raise _invalid(
                f"Filter '{flt['Name']}' inside nested filters on '{prefix}' must name a property of it, "
                f"such as '{prefix}.<property>'."
            )
        inner.append(_compile_filter(flt, segs, record_key, budget, nested_prefix=len(prefix_segs)))

    def predicate(record: Record) -> bool:
        elements: list[Any] = []
        for value in _resolve_plain(record, prefix_segs):
            elements.extend(value if isinstance(value, list) else [value])
        return any(all(p(element) for p in inner) for element in elements)

    return predicate


def _compile_filter(
    flt: dict, segs: list[str], record_key: str, budget: dict, nested_prefix: Optional[int]
) -> Predicate:
    name = flt["Name"]
    value = flt.get("Value")
    operator = flt.get("Operator") or ("Equals" if value is not None else "Exists")
    ptype = _property_type(segs, record_key)
    if operator == "Contains" and segs[0] not in MULTI_CONTAINS[record_key]:
        budget["single"] += 1
        if budget["single"] > 1:
            raise _invalid("'CONTAINS' operator usage limit of 1 exceeded.")
    if operator in RANGE_OPERATORS and ptype == "text":
        raise _invalid(f"The {operator} operator is not supported for the text property {name}.")
    if operator in TEXT_ONLY_OPERATORS and ptype in ("number", "timestamp"):
        raise _invalid(f"The {operator} operator is supported only for text properties, and {name} is not one.")
    if operator not in ("Exists", "NotExists") and value is None:
        raise _invalid(f"The filter on {name} with operator {operator} needs a Value.")

    if nested_prefix is None:

        def leaves(record: Record) -> list[Any]:
            return _scalars(_resolve_record(record, segs))

    else:
        inner_segs = segs[nested_prefix:]

        def leaves(record: Record) -> list[Any]:
            return _scalars(_resolve_plain(record, inner_segs))

    if operator == "Exists":
        return lambda r: bool(leaves(r))
    if operator == "NotExists":
        return lambda r: not leaves(r)

    match = _matcher(operator if operator != "NotEquals" else "Equals", value, ptype, name)
    if operator == "NotEquals":
        return lambda r: not any(match(v) for v in leaves(r))
    return lambda r: any(match(v) for v in leaves(r))


def _matcher(operator: str, value: str, ptype: str, name: str) -> Callable[[Any], bool]:
    """A test for one leaf value."""
    if ptype == "timestamp":
        target: Any = _parse_time(value, name)
    elif ptype == "number":
        target = _parse_number(value)
        if target is None:
            raise _invalid(f"The value '{value}' for {name} must be a number.")
    else:
        target = None

    if operator == "In":
        options = frozenset(part.strip() for part in value.split(","))
        return lambda leaf: isinstance(leaf, str) and leaf in options
    if operator == "Contains":
        needle = value.lower()
        return lambda leaf: isinstance(leaf, str) and needle in leaf.lower()

    number = target if target is not None else _parse_number(value)
    compare = _COMPARE[operator]

    def test(leaf: Any) -> bool:
        if isinstance(leaf, bool):
            leaf = str(leaf).lower()
        if isinstance(leaf, (int, float)):
            return number is not None and compare(float(leaf), number)
        if isinstance(leaf, str) and operator == "Equals" and ptype in ("text", "dynamic"):
            return leaf == value
        return False

    return test


_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "Equals": lambda a, b: a == b,
    "GreaterThan": lambda a, b: a > b,
    "GreaterThanOrEqualTo": lambda a, b: a >= b,
    "LessThan": lambda a, b: a < b,
    "LessThanOrEqualTo": lambda a, b: a <= b,
}


def _parse_number(value: str) -> Optional[float]:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _parse_time(value: str, name: str) -> float:
    """Epoch seconds from an ISO 8601 date-time (naive = UTC) or a number of epoch seconds."""
    number = _parse_number(value)
    if number is not None:
        return number
    try:
        parsed = _dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise _invalid(
            f"The value '{value}' for {name} must be a timestamp such as 2024-05-01T12:00:00 (ISO 8601)."
        ) from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=_dt.timezone.utc)
    return parsed.timestamp()


# -- sorting and paging ------------------------------------------------------------------------------------------


def _sort(records: list[Record], segs: list[str], descending: bool, record_key: str) -> list[Record]:
    """Order by the property (numbers before text); records without it come last in either order."""
    name_key = NAME_MEMBERS[record_key]
    present: list[tuple[tuple, Record]] = []
    missing: list[Record] = []
    for record in records:
        leaves = [v for v in _scalars(_resolve_record(record, segs)) if isinstance(v, (int, float, str))]
        if not leaves:
            missing.append(record)
            continue
        keys = [(0, float(v), "") if isinstance(v, (int, float)) else (1, 0.0, v) for v in leaves]
        present.append((max(keys) if descending else min(keys), record))
    # Stable sorts: ties keep name order, so pages are deterministic.
    present.sort(key=lambda item: str(item[1].get(name_key, "")))
    present.sort(key=lambda item: item[0], reverse=descending)
    missing.sort(key=lambda r: str(r.get(name_key, "")))
    return [record for _, record in present] + missing


def _fingerprint(body: dict) -> str:
    """Ties a NextToken to the query that produced it."""
    query = {k: body.get(k) for k in ("Resource", "SearchExpression", "SortBy", "SortOrder")}
    return hashlib.sha256(json.dumps(query, sort_keys=True).encode()).hexdigest()[:16]


def _encode_token(offset: int, fingerprint: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset, "q": fingerprint}).encode()).decode()


def _decode_token(token: Optional[str], fingerprint: str) -> int:
    if not token:
        return 0
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
        offset = int(data["o"])
        same_query = data["q"] == fingerprint
    except (ValueError, KeyError, TypeError) as exc:
        raise _invalid("The NextToken is not valid; start again without it.") from exc
    if not same_query or offset < 0:
        raise _invalid("The NextToken belongs to a different search; start again without it.")
    return offset
