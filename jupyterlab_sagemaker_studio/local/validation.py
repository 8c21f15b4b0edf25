"""Validation of SageMaker (and CloudWatch Logs) requests against botocore's service models, with AWS's error
types and wording.

AWS checks every request before it acts: a member of the wrong JSON type is a ``SerializationException``;
constraint failures (required, length, range, enum, pattern) are collected into one ``ValidationException``:

    2 validation errors detected: Value null at 'experimentName' failed to satisfy constraint: Member must not
    be null; Value '500' at 'maxResults' failed to satisfy constraint: Member must have value less than or
    equal to 100

Members the model does not know are dropped rather than refused: AWS services accept members added in newer
SDK versions than the model they were built from, and a newer JavaScript SDK must keep working here.
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
import threading
import unicodedata
from typing import Any

import botocore.session
from botocore.model import ListShape, MapShape, OperationModel, ServiceModel, Shape, StructureShape

from .protocol import ServiceError

_model_lock = threading.Lock()
_models: dict[str, ServiceModel] = {}


def service_model(name: str = "sagemaker") -> ServiceModel:
    """botocore's service model of ``name`` (``sagemaker``, ``logs``), loaded once per process."""
    with _model_lock:
        if name not in _models:
            _models[name] = botocore.session.get_session().get_service_model(name)
        return _models[name]


# --- Java regular expressions (the models' dialect) in Python's ``re`` -------------------------------------


@functools.lru_cache(maxsize=1)
def _category_ranges() -> dict[str, list[tuple[int, int]]]:
    """Code point ranges of each major Unicode general category (``L``, ``N``, ...), built in one pass."""
    ranges: dict[str, list[tuple[int, int]]] = {}
    current, start = "", 0
    for cp in range(0x110001):
        major = unicodedata.category(chr(cp))[0] if cp <= 0x10FFFF else ""
        if major != current:
            if current:
                ranges.setdefault(current, []).append((start, cp - 1))
            current, start = major, cp
    return ranges


def _category_class(category: str) -> str:
    """Body of a character class matching one Unicode general category, written as escapes."""
    if len(category) != 1 or category not in _category_ranges():
        raise ValueError(f"Unsupported character class \\p{{{category}}} in a service model pattern.")

    def esc(cp: int) -> str:
        return f"\\U{cp:08X}"

    return "".join(esc(a) if a == b else f"{esc(a)}-{esc(b)}" for a, b in _category_ranges()[category])


_POSIX_CLASSES = {"Alnum": "a-zA-Z0-9", "Alpha": "a-zA-Z", "Digit": "0-9", "Upper": "A-Z", "Lower": "a-z"}


def java_to_python_regex(pattern: str) -> str:
    """Translate the Java-only parts of a model pattern (``\\p{..}`` classes, surrogate pairs, ``$`` quantifiers)."""
    # Java sees strings as UTF-16; this range pair means "any supplementary code point".
    text = pattern.replace("\\uD800\\uDC00-\\uDBFF\\uDFFF", "\\U00010000-\\U0010FFFF")
    # Java accepts a quantified end anchor (``$`` repeated 1..n times still means ``$``); Python does not.
    text = re.sub(r"\$\{\d+(?:,\d*)?\}", "$", text)
    out = []
    in_class = False
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            match = re.match(r"\\p\{(\w+)\}", text[i:])
            if match:
                name = match.group(1)
                body = _POSIX_CLASSES.get(name) or _category_class(name)
                out.append(body if in_class else f"[{body}]")
                i += len(match.group(0))
                continue
            out.append(text[i : i + 2])
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
        elif ch == "]" and in_class:
            in_class = False
        out.append(ch)
        i += 1
    return "".join(out)


@functools.lru_cache(maxsize=None)
def compiled_pattern(pattern: str) -> re.Pattern[str]:
    """The compiled Python form of a model pattern (matched against the whole value, as Java's ``matches``)."""
    # ASCII: Java's \w, \d, \s are ASCII-only by default.
    return re.compile(java_to_python_regex(pattern), re.ASCII)


# --- request validation -------------------------------------------------------------------------------------


def _wire_name(member: str) -> str:
    """AWS names members in messages with a lower-case first letter (``ExperimentName`` -> ``experimentName``)."""
    return member[:1].lower() + member[1:]


def _render(value: Any) -> str:
    """A value as AWS prints it in validation messages (Java ``toString`` style)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_render(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={_render(v)}" for k, v in value.items()) + "}"
    return str(value)


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "null"


class _Walk:
    """One validation pass over a request body; collects constraint failures, raises on type errors."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, value: Any, path: str, shape: Shape, constraint: str) -> None:
        if shape.metadata.get("sensitive") and value is not None:
            self.errors.append(f"Value at '{path}' failed to satisfy constraint: {constraint}")
        else:
            shown = "null" if value is None else f"'{_render(value)}'"
            self.errors.append(f"Value {shown} at '{path}' failed to satisfy constraint: {constraint}")

    def wrong_type(self, value: Any, path: str, expected: str) -> ServiceError:
        where = f" at '{path}'" if path else ""
        return ServiceError(
            "SerializationException",
            f"Expected {expected}{where}, but the request has {_json_type(value)}.",
        )

    def check_length(self, value: Any, size: int, path: str, shape: Shape) -> None:
        meta = shape.metadata
        if "min" in meta and size < meta["min"]:
            self.fail(value, path, shape, f"Member must have length greater than or equal to {meta['min']}")
        if "max" in meta and size > meta["max"]:
            self.fail(value, path, shape, f"Member must have length less than or equal to {meta['max']}")

    def value(self, value: Any, shape: Shape, path: str) -> Any:
        """Check one present (non-null) value; return its cleaned form."""
        kind = shape.type_name
        if kind == "structure":
            assert isinstance(shape, StructureShape)
            return self.structure(value, shape, path)
        if kind == "list":
            assert isinstance(shape, ListShape)
            if not isinstance(value, list):
                raise self.wrong_type(value, path, "a list")
            self.check_length(value, len(value), path, shape)
            return [
                self.value(item, shape.member, f"{path}.{i}.member")
                for i, item in enumerate(value, start=1)
                if item is not None
            ]
        if kind == "map":
            assert isinstance(shape, MapShape)
            return self.map(value, shape, path)
        if kind == "string":
            if not isinstance(value, str):
                raise self.wrong_type(value, path, "a string")
            self.check_length(value, len(value), path, shape)
            pattern = shape.metadata.get("pattern")
            if pattern is not None and not compiled_pattern(pattern).fullmatch(value):
                shown = pattern if pattern.startswith("^") else "^" + pattern
                self.fail(value, path, shape, f"Member must satisfy regular expression pattern: {shown}")
            enum = shape.metadata.get("enum")
            if enum and value not in enum:
                self.fail(value, path, shape, f"Member must satisfy enum value set: [{', '.join(enum)}]")
            return value
        if kind in ("integer", "long"):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise self.wrong_type(value, path, "an integer")
            if isinstance(value, float):
                if not value.is_integer():
                    raise self.wrong_type(value, path, "an integer")
                value = int(value)
            self.check_range(value, path, shape)
            return value
        if kind in ("float", "double"):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise self.wrong_type(value, path, "a number")
            self.check_range(value, path, shape)
            return float(value)
        if kind == "boolean":
            if not isinstance(value, bool):
                raise self.wrong_type(value, path, "a boolean")
            return value
        if kind == "timestamp":
            # The JSON protocol sends timestamps as epoch seconds (botocore and the JS SDK both do).
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise self.wrong_type(value, path, "a timestamp in seconds since the epoch")
            return round(float(value), 3)
        if kind == "blob":
            if not isinstance(value, str):
                raise self.wrong_type(value, path, "a base64-encoded string")
            try:
                raw = base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError):
                raise ServiceError("SerializationException", f"The value at '{path}' is not valid base64.") from None
            self.check_length(value, len(raw), path, shape)
            return value
        # A type this model does not use (e.g. document): accept as sent.
        return value

    def check_range(self, value: float, path: str, shape: Shape) -> None:
        meta = shape.metadata
        if "min" in meta and value < meta["min"]:
            self.fail(value, path, shape, f"Member must have value greater than or equal to {meta['min']}")
        if "max" in meta and value > meta["max"]:
            self.fail(value, path, shape, f"Member must have value less than or equal to {meta['max']}")

    def structure(self, value: Any, shape: StructureShape, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.wrong_type(value, path, "an object")
        prefix = f"{path}." if path else ""
        cleaned: dict[str, Any] = {}
        for name, member in shape.members.items():
            item = value.get(name)
            member_path = prefix + _wire_name(name)
            if item is None:
                if name in shape.required_members:
                    self.fail(None, member_path, member, "Member must not be null")
                continue
            cleaned[name] = self.value(item, member, member_path)
        if shape.metadata.get("union") and len(cleaned) > 1:
            self.errors.append(
                f"Value at '{path or 'request'}' failed to satisfy constraint: Exactly one member of "
                f"{', '.join(cleaned)} may be set"
            )
        return cleaned

    def map(self, value: Any, shape: MapShape, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.wrong_type(value, path, "an object")
        self.check_length(value, len(value), path, shape)
        cleaned: dict[str, Any] = {}
        for key, item in value.items():
            inner = _Walk()
            inner.value(key, shape.key, path)
            if inner.errors:
                reasons = [e.split("failed to satisfy constraint: ", 1)[1] for e in inner.errors]
                self.fail(value, path, shape, f"Map keys must satisfy constraint: [{', '.join(reasons)}]")
            if item is None:
                continue
            if shape.value.type_name in ("structure", "list", "map"):
                cleaned[key] = self.value(item, shape.value, f"{path}.{key}.member")
                continue
            inner = _Walk()
            cleaned[key] = inner.value(item, shape.value, path)
            if inner.errors:
                reasons = [e.split("failed to satisfy constraint: ", 1)[1] for e in inner.errors]
                self.fail(value, path, shape, f"Map value must satisfy constraint: [{', '.join(reasons)}]")
        return cleaned


def validate_request(operation: OperationModel, body: Any) -> dict[str, Any]:
    """Check a request body against the operation's input shape; return it with unknown members dropped.

    Raises :class:`ServiceError` (``SerializationException`` or ``ValidationException``) as AWS would.
    """
    shape = operation.input_shape
    if shape is None:
        return {}
    walk = _Walk()
    cleaned = walk.structure(body, shape, "")
    if walk.errors:
        count = len(walk.errors)
        noun = "validation error" if count == 1 else "validation errors"
        raise ServiceError("ValidationException", f"{count} {noun} detected: " + "; ".join(walk.errors))
    return cleaned
