"""Transport-neutral request and response objects passed between the front door and the services.

The front door (``server.py``) turns a Tornado request into a :class:`LocalRequest`, hands it to the service
named by the request's SigV4 credential scope, and writes the :class:`LocalResponse` back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, BinaryIO, Optional, Union
from urllib.parse import parse_qsl


@dataclass
class LocalRequest:
    """One authenticated request to the local backend."""

    method: str
    #: Raw (still percent-encoded) path, e.g. ``/my-bucket/a%20b.txt``.
    path: str
    #: Raw query string without ``?``.
    query: str
    #: Header names in lower case.
    headers: dict[str, str]
    body: bytes
    #: Service from the credential scope (``sagemaker``, ``s3``, ``sts``) — the signing name.
    signing_service: str
    region: str
    access_key: str
    #: The verified SigV4 scope (``sigv4.Scope``): signing key and seed signature for aws-chunked bodies.
    scope: Optional[Any] = None

    def query_pairs(self) -> list[tuple[str, str]]:
        """Decoded query parameters, in order, blank values kept."""
        return parse_qsl(self.query, keep_blank_values=True)

    def header(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """A header by case-insensitive name."""
        return self.headers.get(name.lower(), default)


@dataclass
class LocalResponse:
    """What a service answers. ``body`` is bytes, or an open binary file streamed in chunks (``length`` bytes)."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: Union[bytes, BinaryIO] = b""
    length: Optional[int] = None


class ServiceError(Exception):
    """An AWS-style error; each protocol module renders it in its own wire format."""

    def __init__(self, code: str, message: str, status: int = 400, **extra: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.extra = extra
