"""Convert AWS Price List offer files for AmazonSageMaker into the suite's price table.

Usage::

    python scripts/build_price_table.py us-east-1/index.json [eu-west-1/index.json …] > src/pricing/instancePrices.json

Input: regional offer files of the AWS Price List bulk API
(``https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonSageMaker/current/<region>/index.json``).
Output (stdout): ``{"source": {title, url, date}, "prices": {region: {component: {instance type: USD per hour}}}}``,
the shape ``src/pricing/table.ts`` reads. See docs/PRICES.md. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from typing import Any

#: Price List usage values (``platoinstancetype`` / ``component``) → the components the suite shows.
USAGES = {
    "Hosting": "hosting",
    "Training": "training",
    "Processing": "processing",
    "BatchTransform": "transform",
    "Notebook": "notebook",
    "Studio-JupyterLab": "studio",
}

OFFER_URL = "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonSageMaker/current/{region}/index.json"


class OfferError(ValueError):
    """An input that is not an AmazonSageMaker offer file."""


def hourly_usd(terms: dict[str, Any]) -> float | None:
    """The on-demand USD price per hour of one SKU's terms, or None when it has none (or several that differ)."""
    prices = set()
    for term in terms.values():
        for dimension in term.get("priceDimensions", {}).values():
            if dimension.get("unit") != "Hrs":
                continue
            usd = dimension.get("pricePerUnit", {}).get("USD")
            if usd is not None:
                prices.add(float(usd))
    return prices.pop() if len(prices) == 1 else None


def convert(offer: dict[str, Any]) -> tuple[dict[str, dict[str, dict[str, float]]], dict[str, str]]:
    """The prices of one offer file by region, component and instance type, and its publication facts."""
    if offer.get("offerCode") != "AmazonSageMaker" or "products" not in offer:
        raise OfferError("not an AmazonSageMaker offer file (offerCode / products missing)")
    on_demand = offer.get("terms", {}).get("OnDemand", {})
    prices: dict[str, dict[str, dict[str, float]]] = {}
    for sku, product in offer["products"].items():
        attributes = product.get("attributes", {})
        if product.get("productFamily") != "ML Instance" or attributes.get("locationType") != "AWS Region":
            continue
        instance = attributes.get("instanceName", "")
        usage = USAGES.get(attributes.get("platoinstancetype") or attributes.get("component") or "")
        region = attributes.get("regionCode")
        if not instance.startswith("ml.") or usage is None or not region:
            continue
        price = hourly_usd(on_demand.get(sku, {}))
        if price is None:
            continue
        prices.setdefault(region, {}).setdefault(usage, {})[instance] = price
    facts = {"publicationDate": str(offer.get("publicationDate", "")), "version": str(offer.get("version", ""))}
    return prices, facts


def build(offers: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The table of several regional offer files."""
    merged: dict[str, dict[str, dict[str, float]]] = {}
    dates = []
    for offer in offers:
        prices, facts = convert(offer)
        for region, usages in prices.items():
            for usage, types in usages.items():
                merged.setdefault(region, {}).setdefault(usage, {}).update(types)
        dates.append(facts["publicationDate"][:10])
    if not merged:
        raise OfferError("the offer files hold no on-demand ML instance prices")
    regions = sorted(merged)
    return {
        "source": {
            "title": f"AWS Price List, AmazonSageMaker offer ({', '.join(regions)})",
            "url": OFFER_URL.format(region=regions[0])
            if len(regions) == 1
            else "https://aws.amazon.com/sagemaker/pricing/",
            "date": min(d for d in dates if d) if any(dates) else "",
        },
        "prices": {
            region: {usage: dict(sorted(types.items())) for usage, types in sorted(merged[region].items())}
            for region in regions
        },
    }


def main(argv: list[str] | None = None) -> int:
    """Read offer files, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("offers", nargs="+", help="regional AmazonSageMaker offer files (index.json)")
    args = parser.parse_args(argv)
    offers = []
    for path in args.offers:
        try:
            with open(path, encoding="utf-8") as file:
                offers.append(json.load(file))
        except (OSError, json.JSONDecodeError) as err:
            print(f"{path}: {err}", file=sys.stderr)
            return 2
    try:
        table = build(offers)
    except OfferError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    json.dump(table, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
