"""Shared SQLite schema of the local backend's SageMaker resources, and the small store helpers around it.

``sagemaker.py`` writes ``sm_resources``, ``sm_trial_component_trials`` and ``sm_lineage_associations`` (lineage
edges between artifacts and trial components, by lower-cased ARN); ``metrics.py`` writes ``sm_metrics``
(and gives per-metric summaries); ``search.py`` reads them all. A row's ``doc`` is the resource as its Describe
operation returns it, timestamps as epoch seconds, plus ``Tags`` and private keys (leading ``_``) that responses
never show.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any, Iterable, Optional, Union

from .store import Store

#: Tables every SageMaker-facing service of the local backend reads or writes; idempotent.
DDL = """
CREATE TABLE IF NOT EXISTS sm_resources(kind TEXT NOT NULL, name TEXT NOT NULL, arn TEXT NOT NULL,
    created REAL NOT NULL, modified REAL NOT NULL, doc TEXT NOT NULL, PRIMARY KEY(kind, name));
CREATE UNIQUE INDEX IF NOT EXISTS sm_resources_arn ON sm_resources(arn);
CREATE TABLE IF NOT EXISTS sm_trial_component_trials(trial_component_name TEXT NOT NULL, trial_name TEXT NOT NULL,
    PRIMARY KEY(trial_component_name, trial_name));
CREATE TABLE IF NOT EXISTS sm_metrics(trial_component_name TEXT NOT NULL, metric_name TEXT NOT NULL,
    timestamp REAL NOT NULL, step INTEGER, value REAL NOT NULL);
CREATE INDEX IF NOT EXISTS sm_metrics_tc ON sm_metrics(trial_component_name, metric_name);
CREATE TABLE IF NOT EXISTS sm_lineage_associations(source_arn TEXT NOT NULL, destination_arn TEXT NOT NULL,
    association_type TEXT, created REAL NOT NULL, PRIMARY KEY(source_arn, destination_arn));
CREATE INDEX IF NOT EXISTS sm_lineage_associations_dest ON sm_lineage_associations(destination_arn);
"""

# ``sm_resources.kind`` holds the names of the kinds the service modules declare (``sagemaker.KINDS`` and the
# ``KINDS`` of each module in ``sagemaker.EXTENSIONS``).

#: Either the store (reads outside a transaction) or the connection of an open transaction.
Reader = Union[Store, sqlite3.Connection]


def _rows(db: Reader, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
    if isinstance(db, Store):
        return db.query(sql, params)
    return db.execute(sql, params).fetchall()


def load(db: Reader, kind: str, name: str) -> Optional[dict[str, Any]]:
    """The stored document of one resource by exact name, or None."""
    rows = _rows(db, "SELECT doc FROM sm_resources WHERE kind = ? AND name = ?", (kind, name))
    return json.loads(rows[0]["doc"]) if rows else None


def load_by_arn(db: Reader, arn: str) -> Optional[tuple[str, dict[str, Any]]]:
    """``(kind, doc)`` of the resource with this ARN (ARNs are stored lower-cased, as AWS does), or None."""
    rows = _rows(db, "SELECT kind, doc FROM sm_resources WHERE arn = ?", (arn.lower(),))
    return (rows[0]["kind"], json.loads(rows[0]["doc"])) if rows else None


def load_all(db: Reader, kind: str) -> list[dict[str, Any]]:
    """Every stored document of a kind, oldest first."""
    rows = _rows(db, "SELECT doc FROM sm_resources WHERE kind = ? ORDER BY created, name", (kind,))
    return [json.loads(r["doc"]) for r in rows]


def save(conn: sqlite3.Connection, kind: str, name: str, arn: str, doc: dict[str, Any]) -> None:
    """Insert or replace a resource document (call inside ``Store.transaction()``)."""
    created = float(doc.get("CreationTime") or 0.0)
    modified = float(doc.get("LastModifiedTime") or created)
    conn.execute(
        "INSERT INTO sm_resources(kind, name, arn, created, modified, doc) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(kind, name) DO UPDATE SET arn = excluded.arn, modified = excluded.modified, doc = excluded.doc",
        (kind, name, arn.lower(), created, modified, json.dumps(doc, separators=(",", ":"))),
    )


def delete(conn: sqlite3.Connection, kind: str, name: str) -> None:
    """Remove a resource row (call inside ``Store.transaction()``)."""
    conn.execute("DELETE FROM sm_resources WHERE kind = ? AND name = ?", (kind, name))


def public_view(doc: dict[str, Any]) -> dict[str, Any]:
    """The document without private keys (leading ``_``); Tags stay (Search results show them)."""
    return {k: v for k, v in doc.items() if not k.startswith("_")}


def trials_of_component(db: Reader, trial_component_name: str) -> list[str]:
    """Names of the trials a trial component is associated with."""
    rows = _rows(
        db,
        "SELECT trial_name FROM sm_trial_component_trials WHERE trial_component_name = ? ORDER BY trial_name",
        (trial_component_name,),
    )
    return [r["trial_name"] for r in rows]


def delete_associations(conn: sqlite3.Connection, arn: str) -> None:
    """Remove every lineage association from or to an entity (call inside ``Store.transaction()``)."""
    conn.execute(
        "DELETE FROM sm_lineage_associations WHERE source_arn = ? OR destination_arn = ?", (arn.lower(), arn.lower())
    )


def components_of_trials(db: Reader, trial_names: Iterable[str]) -> set[str]:
    """Names of the trial components associated with any of these trials."""
    names = list(trial_names)
    if not names:
        return set()
    marks = ",".join("?" * len(names))
    rows = _rows(
        db,
        f"SELECT trial_component_name FROM sm_trial_component_trials WHERE trial_name IN ({marks})",
        tuple(names),
    )
    return {r["trial_component_name"] for r in rows}
