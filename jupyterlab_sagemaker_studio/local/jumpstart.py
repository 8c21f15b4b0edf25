"""The JumpStart catalog in local mode: a local copy of AWS's public content bucket ``jumpstart-cache-prod-<region>``.

Real JumpStart clients read ``models_manifest.json`` from that bucket (a JSON array of
``{model_id, version, min_version, spec_key, deprecated?, provider?, search_keywords?}``, one entry per model id and
version) and then the spec file at each entry's ``spec_key``. The local backend serves the same two kinds of objects,
built from ``jumpstart_data/`` (see ``jumpstart_data/PROVENANCE.md``), so catalog code runs unchanged against it.

What the bucket holds
---------------------
- The three real model spec files (``pytorch-ic-mobilenet-v2``, ``meta-textgeneration-llama-3-1-70b``,
  ``openai-reasoning-gpt-oss-20b``) **byte for byte**, at the ``spec_key`` of their three real manifest entries
  (``community_models/<model_id>/specs_v<version>.json``); those three manifest entries are copied unchanged.
- For every record of ``catalog.json`` (1,079 model ids) one entry for the model table's version, and for the 332
  records with ``hosting`` data a second entry for the version that data was collected from (``hosting.version``; it
  never equals the table's version in the data). Both use the real key scheme above.

Mapping of ``catalog.json`` to real spec field names (a field the data does not hold is left out, never invented):

==================================================  ==================================================================
spec / manifest field                               from ``catalog.json``
==================================================  ==================================================================
``model_id``                                        ``model_id``
``version``                                         ``version`` (table entry) / ``hosting.version`` (hosting entry)
``min_sdk_version`` (spec), ``min_version``         ``min_sdk_version`` — table entry only; the data has no min SDK
(manifest)                                          version for the hosting version, so that entry has neither field
``training_supported``                              ``fine_tunable`` — table entry only (the table's version)
``url``                                             ``source.url`` (a model-level fact: both entries)
``search_keywords`` (manifest)                      ``[task]`` where the table names a problem type (both entries)
``default_inference_instance_type``                 ``hosting.default_inference_instance_type``
``supported_inference_instance_types``              ``hosting.supported_inference_instance_types``
``hosting_artifact_key``                            ``hosting.artifact_key``
``hosting_prepacked_artifact_key``                  ``hosting.prepacked_artifact_key``
``inference_environment_variables``                 ``hosting.environment``: one ``{name, type, default, scope}`` per
                                                    variable, in the real files' shape: ``default`` is the value,
                                                    ``type`` is ``"int"`` for an integer value and ``"text"`` for a
                                                    string (as in the real files), ``scope`` is ``"container"`` (it
                                                    is the container environment). ``required_for_model_class`` is
                                                    not in the data and is left out.
``hosting_instance_type_variants``                  ``hosting.image_uri_us_east_1``: only
                                                    ``{"regional_aliases": {"us-east-1": {"alias_ecr_uri_<n>": uri}}}``
                                                    — the data does not say which instance family uses which image,
                                                    so there is no ``variants`` map, and no other region.
==================================================  ==================================================================

Not produced for those models (the data does not hold them): ``hosting_ecr_specs``, ``hosting_script_key``,
``hosting_use_script_uri``, ``provider``, ``deprecated``, ``hosting_eula_key``, all training fields except
``training_supported``, ``hyperparameters``, ``metrics``. ``proprietary`` and ``source.name`` have no real spec
field and are not written.

Derived from the id
-------------------
No stored field is derived from the model id. Where the table names no problem type (``task`` null), the SDK derives
framework and task from the id (``<framework>-<task>-<rest>``, e.g. ``pytorch-ic-…`` = image classification);
``framework_and_task()`` does the same split for callers, and nothing else in this module uses it.

Start-up
--------
``install()`` puts the objects into the local S3 bucket of the backend's region at every start, in one transaction,
and skips the work when the bucket already holds the same content version (a hash of the data files and of
``FORMAT``). The bucket is the backend's own, like AWS's public bucket: readable with the backend's credentials,
not listed by ListBuckets and not writable by clients (see ``S3Service.public_buckets``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).with_name("jumpstart_data")
MANIFEST_KEY = "models_manifest.json"
#: Bump when the mapping in this module changes, so existing data directories get the new objects.
FORMAT = "1"
#: The three real spec files, by model id (their manifest entries are in ``manifest.json``).
REAL_SPEC_FILES = {
    "pytorch-ic-mobilenet-v2": "pytorch-ic-mobilenet-v2.json",
    "meta-textgeneration-llama-3-1-70b": "meta-textgeneration-llama-3-1-70b.json",
    "openai-reasoning-gpt-oss-20b": "openai-reasoning-gpt-oss-20b.json",
}
_DATA_FILES = ("catalog.json", "manifest.json", "region_config.json", *REAL_SPEC_FILES.values())

SCHEMA = """
CREATE TABLE IF NOT EXISTS jumpstart_content(bucket TEXT PRIMARY KEY, content_version TEXT NOT NULL);
"""


def content_bucket(region: str) -> str:
    """The public content bucket of a region (``region_config.json``; the same naming for an unlisted region)."""
    config = json.loads((DATA_DIR / "region_config.json").read_bytes())
    return config.get(region, {}).get("content_bucket") or f"jumpstart-cache-prod-{region}"


def spec_key(model_id: str, version: str) -> str:
    """The real key scheme of a spec file, as in the real manifest entries."""
    return f"community_models/{model_id}/specs_v{version}.json"


def framework_and_task(model_id: str) -> Optional[tuple[str, str]]:
    """``(framework, task)`` split from an id ``<framework>-<task>-<rest>`` as the SDK does, or None."""
    parts = model_id.split("-")
    return (parts[0], parts[1]) if len(parts) >= 3 else None


@lru_cache(maxsize=1)
def content_version() -> str:
    """Hash of the data files and of ``FORMAT``: the objects change only when this changes."""
    digest = hashlib.sha256(FORMAT.encode())
    for name in _DATA_FILES:
        digest.update(name.encode() + b"\0" + (DATA_DIR / name).read_bytes())
    return digest.hexdigest()[:32]


def _environment(env: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for name in sorted(env):
        value = env[name]
        kind = "int" if isinstance(value, int) and not isinstance(value, bool) else "text"
        out.append({"default": value, "name": name, "scope": "container", "type": kind})
    return out


def _hosting_spec(record: dict[str, Any]) -> dict[str, Any]:
    hosting = record["hosting"]
    spec: dict[str, Any] = {
        "default_inference_instance_type": hosting["default_inference_instance_type"],
        "hosting_artifact_key": hosting["artifact_key"],
    }
    images = hosting.get("image_uri_us_east_1") or []
    if images:
        aliases = {f"alias_ecr_uri_{i}": uri for i, uri in enumerate(images, 1)}
        spec["hosting_instance_type_variants"] = {"regional_aliases": {"us-east-1": aliases}}
    if hosting.get("prepacked_artifact_key"):
        spec["hosting_prepacked_artifact_key"] = hosting["prepacked_artifact_key"]
    spec["inference_environment_variables"] = _environment(hosting.get("environment") or {})
    spec["model_id"] = record["model_id"]
    spec["supported_inference_instance_types"] = hosting["supported_inference_instance_types"]
    if record["source"].get("url"):
        spec["url"] = record["source"]["url"]
    spec["version"] = hosting["version"]
    return spec


def _table_spec(record: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "min_sdk_version": record["min_sdk_version"],
        "model_id": record["model_id"],
        "training_supported": record["fine_tunable"],
    }
    if record["source"].get("url"):
        spec["url"] = record["source"]["url"]
    spec["version"] = record["version"]
    return spec


def build() -> dict[str, bytes]:
    """Every object of the content bucket, key → bytes: ``models_manifest.json`` and one spec file per entry."""
    objects: dict[str, bytes] = {}
    entries: dict[tuple[str, str], dict[str, Any]] = {}
    for entry in json.loads((DATA_DIR / "manifest.json").read_bytes()):
        entries[(entry["model_id"], entry["version"])] = entry
        objects[entry["spec_key"]] = (DATA_DIR / REAL_SPEC_FILES[entry["model_id"]]).read_bytes()
    for record in json.loads((DATA_DIR / "catalog.json").read_bytes())["models"]:
        keywords = [record["task"]] if record.get("task") else None
        specs = [_table_spec(record)]
        if record.get("hosting"):
            specs.append(_hosting_spec(record))
        for spec in specs:
            model_id, version = spec["model_id"], spec["version"]
            if (model_id, version) in entries:  # a real entry (or an earlier one) wins
                continue
            entry: dict[str, Any] = {"model_id": model_id, "version": version}
            if "min_sdk_version" in spec:
                entry["min_version"] = spec["min_sdk_version"]
            entry["spec_key"] = spec_key(model_id, version)
            if keywords:
                entry["search_keywords"] = keywords
            entries[(model_id, version)] = entry
            objects[entry["spec_key"]] = json.dumps(spec, indent=1, sort_keys=True).encode()
    manifest = [entries[k] for k in sorted(entries)]
    objects[MANIFEST_KEY] = json.dumps(manifest, indent=1).encode()
    return objects


def install(s3, region: str) -> None:
    """Put the catalog into ``jumpstart-cache-prod-<region>`` unless that bucket already holds this content version.

    ``s3`` is the backend's ``S3Service``; the bucket becomes one of its public (read-only, unlisted) buckets.
    """
    started = time.perf_counter()
    bucket = content_bucket(region)
    s3.public_buckets.add(bucket)
    store = s3.store
    store.ensure_schema(SCHEMA)
    version = content_version()
    row = store.query("SELECT content_version FROM jumpstart_content WHERE bucket=?", (bucket,))
    if row and row[0]["content_version"] == version and store.query("SELECT 1 FROM s3_buckets WHERE name=?", (bucket,)):
        log.debug("JumpStart catalog in %s is current (%.3f s)", bucket, time.perf_counter() - started)
        return
    objects = build()
    s3.replace_bucket_contents(bucket, objects, {"content-type": "application/json"})
    with store.transaction() as db:
        db.execute("INSERT OR REPLACE INTO jumpstart_content(bucket, content_version) VALUES (?, ?)", (bucket, version))
    log.info("JumpStart catalog: %d objects into %s in %.2f s", len(objects), bucket, time.perf_counter() - started)
