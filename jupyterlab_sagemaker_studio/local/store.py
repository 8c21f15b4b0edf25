"""Durable state of the local backend: one SQLite database plus a directory of object files.

Every acknowledged write is on disk before the response leaves: WAL journal with ``synchronous=FULL``, and
object bytes are written and fsynced to their file before the row that points at them commits.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


class Store:
    """The local backend's database and file area, shared by all services."""

    def __init__(self, data_dir: str | os.PathLike[str]) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.data_dir, 0o700)
        self.blob_dir = self.data_dir / "objects"
        self.blob_dir.mkdir(exist_ok=True)
        self._lock = threading.RLock()
        self.db = sqlite3.connect(self.data_dir / "state.sqlite3", isolation_level=None, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("PRAGMA foreign_keys=ON")

    def ensure_schema(self, ddl: str) -> None:
        """Create a service's tables if they do not exist (``CREATE TABLE IF NOT EXISTS …`` statements)."""
        with self._lock:
            self.db.executescript(ddl)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction; committed (and durable) when the block exits without an exception."""
        with self._lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            else:
                self.db.execute("COMMIT")

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        """Rows of a read-only statement."""
        with self._lock:
            return self.db.execute(sql, params).fetchall()

    def query_tuples(self, sql: str, params: tuple | dict = ()) -> list[tuple]:
        """Rows of a read-only statement as plain tuples (much cheaper than ``sqlite3.Row`` for large results)."""
        with self._lock:
            cursor = self.db.cursor()
            cursor.row_factory = None
            try:
                return cursor.execute(sql, params).fetchall()
            finally:
                cursor.close()

    def write_blob(self, name: str, chunks: Iterator[bytes] | bytes) -> Path:
        """Write an object file durably (temp file, fsync, rename) and return its path."""
        path = self.blob_dir / name
        tmp = path.with_suffix(".part")
        with open(tmp, "wb") as f:
            if isinstance(chunks, (bytes, bytearray, memoryview)):
                f.write(chunks)
            else:
                for chunk in chunks:
                    f.write(chunk)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        dir_fd = os.open(self.blob_dir, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        return path

    def write_blobs(self, items: dict[str, bytes]) -> None:
        """Write many small object files durably before returning: the files, then one ``sync()`` for all of them.

        One sync instead of an fsync per file (start-up fills 1,400+ files; per-file fsyncs cost about a second).
        """
        for name, data in items.items():
            path = self.blob_dir / name
            tmp = path.with_suffix(".part")
            with open(tmp, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        os.sync()

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self.db.close()


def now() -> float:
    """Current time in seconds since the epoch (one place, so tests can patch the clock)."""
    return time.time()
