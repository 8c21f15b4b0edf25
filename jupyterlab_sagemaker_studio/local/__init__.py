"""Local mode: an embedded backend that speaks the AWS wire protocols and keeps its state on disk.

Implemented operations are listed in ``OPERATIONS.md`` beside this file.
"""

from .server import LocalBackend

__all__ = ["LocalBackend"]
