"""The price-table converter (scripts/build_price_table.py) on a small offer file in the Price List's shape, and
the bundled table's shape as the frontend reads it."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "build_price_table.py"
TABLE = ROOT / "src" / "pricing" / "instancePrices.json"

pytestmark = pytest.mark.skipif(not SCRIPT.exists(), reason="needs the source tree (scripts/)")


def load_script() -> Any:
    spec = importlib.util.spec_from_file_location("build_price_table", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def product(sku: str, instance: str, usage: str, region: str = "us-east-1", **extra: str) -> dict[str, Any]:
    attributes = {"instanceName": instance, "platoinstancetype": usage, "regionCode": region}
    attributes.update({"locationType": "AWS Region", **extra})
    return {"sku": sku, "productFamily": "ML Instance", "attributes": attributes}


def on_demand(sku: str, usd: str, unit: str = "Hrs") -> dict[str, Any]:
    """The OnDemand terms of one SKU: sku → offer term → price dimension."""
    term = {
        "sku": sku,
        "priceDimensions": {f"{sku}.JRTCKXETXF.6YS6EN2CT7": {"unit": unit, "pricePerUnit": {"USD": usd}}},
    }
    return {sku: {f"{sku}.JRTCKXETXF": term}}


def offer(products: list[dict[str, Any]], terms: dict[str, Any]) -> dict[str, Any]:
    """An offer file with made-up SKUs and prices (test data, not AWS figures)."""
    return {
        "offerCode": "AmazonSageMaker",
        "version": "20260901000000",
        "publicationDate": "2026-09-01T00:00:00Z",
        "products": {p["sku"]: p for p in products},
        "terms": {"OnDemand": terms},
    }


def test_converts_hourly_on_demand_prices_by_region_component_and_type() -> None:
    script = load_script()
    products = [
        product("A", "ml.m5.large", "Hosting"),
        product("B", "ml.m5.large", "Training"),
        product("C", "ml.t3.medium", "Notebook"),
        product("D", "ml.m5.large", "Hosting", region="eu-west-1"),
        # Not counted: an Outposts location, a non-instance family, a per-GB price, an unknown usage.
        product("E", "ml.m5.large", "Hosting", locationType="AWS Outposts"),
        {"sku": "F", "productFamily": "Storage", "attributes": {"regionCode": "us-east-1"}},
        product("G", "ml.c5.large", "Processing"),
        product("H", "ml.c5.large", "SpotTraining"),
    ]
    terms = {
        **on_demand("A", "1.5000000000"),
        **on_demand("B", "1.2500000000"),
        **on_demand("C", "0.1000000000"),
        **on_demand("D", "1.7500000000"),
        **on_demand("E", "9.0"),
        **on_demand("F", "9.0"),
        **on_demand("G", "0.1400000000", unit="GB-Mo"),
        **on_demand("H", "0.3"),
    }
    table = script.build([offer(products, terms)])
    assert table["prices"] == {
        "eu-west-1": {"hosting": {"ml.m5.large": 1.75}},
        "us-east-1": {
            "hosting": {"ml.m5.large": 1.5},
            "notebook": {"ml.t3.medium": 0.1},
            "training": {"ml.m5.large": 1.25},
        },
    }
    assert table["source"]["date"] == "2026-09-01"
    assert "AmazonSageMaker" in table["source"]["title"]


def test_rejects_files_that_are_not_sagemaker_offers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = load_script()
    ec2 = tmp_path / "ec2.json"
    ec2.write_text(json.dumps({"offerCode": "AmazonEC2", "products": {}}))
    assert script.main([str(ec2)]) == 2
    assert "not an AmazonSageMaker offer file" in capsys.readouterr().err
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    assert script.main([str(broken)]) == 2
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps(offer([], {})))
    assert script.main([str(empty)]) == 2
    assert "no on-demand ML instance prices" in capsys.readouterr().err


def test_bundled_table_has_the_shape_the_frontend_reads() -> None:
    table = json.loads(TABLE.read_text())
    assert set(table["source"]) == {"title", "url", "date"}
    components = {"hosting", "training", "processing", "transform", "notebook", "studio"}
    for region, usages in table["prices"].items():
        assert region.count("-") >= 2
        assert set(usages) <= components
        for prices in usages.values():
            for instance, price in prices.items():
                assert instance.startswith("ml.") and isinstance(price, float | int) and 0 < price < 200
