"""The instance picker's bundled table (src/instances/instanceTypes.json): it is what
scripts/build_instance_table.py makes from botocore's enums, it agrees with the SageMaker Python SDK's GPU facts,
and it has the figures the Studio docs quote."""

from __future__ import annotations

import glob
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "build_instance_table.py"
TABLE = ROOT / "src" / "instances" / "instanceTypes.json"
SDK_GPU_INFO = sorted(
    glob.glob("/tmp/sagemaker-sdk-venv/lib/python3*/site-packages/sagemaker/image_uri_config/instance_gpu_info.json")
)

pytestmark = pytest.mark.skipif(not SCRIPT.exists(), reason="needs the source tree (scripts/)")


def load_script() -> Any:
    spec = importlib.util.spec_from_file_location("build_instance_table", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def committed() -> dict[str, Any]:
    return json.loads(TABLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rows(committed: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["type"]: row for row in committed["instances"]}


def test_regenerating_gives_the_committed_table(committed: dict[str, Any]) -> None:
    pytest.importorskip("botocore")
    script = load_script()
    training, app, version = script.service_enums()
    if version != committed["botocore"]:
        # Another botocore may list other types; the rows both know must still carry the same facts.
        fresh = {r["type"]: r for r in script.build(training, app, version)["instances"]}
        for row in committed["instances"]:
            if row["type"] in fresh:
                assert fresh[row["type"]] == row
        return
    assert script.build(training, app, version) == committed


@pytest.mark.parametrize(
    "instance_type, vcpu, gpus, gpu_model, memory",
    [
        ("ml.t3.medium", 2, 0, None, 4),
        ("ml.m5.large", 2, 0, None, 8),
        ("ml.c5.large", 2, 0, None, 4),
        ("ml.g4dn.xlarge", 4, 1, "T4", 16),
        ("ml.g5.xlarge", 4, 1, "A10G", 16),
        ("ml.g5.12xlarge", 48, 4, "A10G", 192),
        ("ml.p3.2xlarge", 8, 1, "V100", 61),
    ],
)
def test_the_figures_studio_quotes(
    rows: dict[str, dict[str, Any]], instance_type: str, vcpu: int, gpus: int, gpu_model: str | None, memory: int
) -> None:
    row = rows[instance_type]
    assert (row["vcpu"], row["gpuCount"], row["gpuModel"], row["memoryGiB"]) == (vcpu, gpus, gpu_model, memory)


def test_fast_launch_types_and_categories(rows: dict[str, dict[str, Any]], committed: dict[str, Any]) -> None:
    fast = sorted(t for t, r in rows.items() if r["fastLaunch"])
    assert fast == ["ml.c5.large", "ml.g4dn.xlarge", "ml.m5.large", "ml.t3.medium"]
    assert all(rows[t]["notebook"] for t in fast)
    assert {r["category"] for r in rows.values()} == {"standard", "compute", "memory", "accelerated"}
    for row in rows.values():
        assert (row["gpuCount"] > 0) == (row["gpuModel"] is not None) == (row["gpuMemoryGiB"] > 0)
        assert row["notebook"] or row["training"]
    assert all(s["url"].startswith("https://") and s["title"] and s["supplied"] for s in committed["sources"])


@pytest.mark.skipif(not SDK_GPU_INFO, reason="needs the SageMaker Python SDK's instance_gpu_info.json")
def test_gpu_facts_agree_with_the_sagemaker_sdk(committed: dict[str, Any]) -> None:
    script = load_script()
    gpu_info = json.loads(Path(SDK_GPU_INFO[0]).read_text(encoding="utf-8"))
    both = [r for r in committed["instances"] if r["type"] in gpu_info["us-east-1"]]
    assert len(both) >= 20
    differences = script.sdk_differences(committed, gpu_info)
    assert {(t, field) for t, field, _, _ in differences} == script.KNOWN_SDK_DIFFERENCES
