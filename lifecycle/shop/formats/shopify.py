"""Shopify's product CSV export: one row per variant, grouped by Handle; the first row of a
handle holds the product (Title, Body (HTML), Type, Option names, Status); metafield columns,
"Name (product.metafields.NS.KEY)", are typed attributes ("reviews.rating" is the rating)."""

from __future__ import annotations

import csv
import json
import re
from typing import Any

from lifecycle.shop.facts import Variant
from lifecycle.shop.formats.records import (
    Imported,
    RowError,
    Skipped,
    build,
    grams,
    plain_text,
    price,
    set_custom,
    table_rows,
    variant,
    whole,
)
from lifecycle.shop.vocabulary import Vocabulary

NAME = "Shopify product CSV"
HEADER = {"Handle", "Variant Price"}
_METAFIELD = re.compile(r"^.*\(product\.metafields\.([\w-]+)\.([\w-]+)\)\s*$")
_STANDARD_METAFIELDS = {("reviews", "rating"): "rating", ("reviews", "rating_count"): "reviews"}
_LIST_FIELDS = {"features", "connectivity", "specs"}


def _metafield_value(value: str) -> str:
    """Shopify writes a rating metafield as JSON ({"value": "4.6", "scale_max": "5.0"})."""
    text = value.strip()
    if text.startswith("{"):
        try:
            return str(json.loads(text).get("value", ""))
        except (ValueError, AttributeError):
            return text
    return text


def _product_fields(row: dict[str, str], metafields: dict[str, tuple[str, str]],
                    vocabulary: Vocabulary) -> dict[str, Any]:
    title = row.get("Title", "").strip()
    if not title:
        raise RowError("Title is empty (the first row of each Handle names the product)")
    category = row.get("Type", "").strip() or row.get("Product Category", "").split(">")[-1].strip()
    if not category:
        raise RowError("Type and Product Category are both empty: the assistant lists products by category")
    fields: dict[str, Any] = {"name": title, "category": category.lower(), "brand": row.get("Vendor") or None,
                              "description": plain_text(row.get("Body (HTML)")),
                              "image": row.get("Image Src") or None, "attributes": {}}
    for column, (namespace, key) in metafields.items():
        value = _metafield_value(row.get(column, ""))
        if not value:
            continue
        field = _STANDARD_METAFIELDS.get((namespace, key), key)
        set_custom(fields, field, value.replace(",", "|") if field in _LIST_FIELDS and "|" not in value else value,
                   vocabulary)
    return fields


def _variant(row: dict[str, str], names: list[str], fallback_sku: str) -> Variant:
    """A variant with no Variant SKU (Shopify allows it) is named after its handle and position."""
    options = {name: row.get(f"Option{n} Value", "").strip() for n, name in enumerate(names, start=1)
               if name and name != "Title" and row.get(f"Option{n} Value", "").strip()}
    tracked = row.get("Variant Inventory Tracker", "shopify") != "" or "Variant Inventory Tracker" not in row
    stock = whole(row.get("Variant Inventory Qty"), "Variant Inventory Qty")
    return variant({"sku": row.get("Variant SKU", "").strip() or fallback_sku, "options": options,
                    "price_eur": price(row.get("Variant Price"), "Variant Price"),
                    "compare_at_eur": price(row.get("Variant Compare At Price"), "Variant Compare At Price",
                                            required=False),
                    "stock": stock if tracked else None, "weight_g": grams(row.get("Variant Grams"), "Variant Grams"),
                    "image": row.get("Variant Image") or None})


def _is_variant_row(row: dict[str, str]) -> bool:
    return any(row.get(column, "").strip() for column in ("Variant SKU", "Variant Price", "Option1 Value"))


def read(text: str, vocabulary: Vocabulary) -> Imported:
    imported = Imported(NAME)
    header = next(csv.reader(text.splitlines()[:1]), [])
    metafields = {column: (m.group(1), m.group(2)) for column in header if (m := _METAFIELD.match(column))}
    groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for line, row in table_rows(text):
        handle = row.get("Handle", "").strip()
        if not handle:
            imported.skipped.append(Skipped(line, "Handle is empty"))
            continue
        groups.setdefault(handle, []).append((line, row))
    for handle, rows in groups.items():
        line, first = rows[0]
        status = (first.get("Status") or "active").strip().lower()
        if status != "active":
            imported.skipped.append(Skipped(line, f"{first.get('Title') or handle}: status is {status}, not active"))
            continue
        try:
            fields = _product_fields(first, metafields, vocabulary)
        except RowError as error:
            imported.skipped.append(Skipped(line, f"{handle}: {error}"))
            continue
        names = [first.get(f"Option{n} Name", "").strip() for n in (1, 2, 3)]
        variants: list[Variant] = []
        for variant_line, row in rows:
            if not _is_variant_row(row):
                continue  # another image of the product
            try:
                variants.append(_variant(row, names, f"{handle}-{len(variants) + 1}"))
            except RowError as error:
                imported.skipped.append(Skipped(variant_line, f"{handle}: {error}"))
        if not variants:
            continue  # its rows were reported above
        try:
            imported.products.append(build({"sku": handle, **fields}, variants))
        except RowError as error:
            imported.skipped.append(Skipped(line, f"{handle}: {error}"))
    return imported
