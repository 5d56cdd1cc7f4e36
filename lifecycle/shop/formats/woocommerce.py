"""WooCommerce's product CSV export: simple products, variable products (parents) and their
variations, which name their parent as "id:<ID>" or by its SKU; "Attribute N name/value(s)" are a
variation's options, "Meta: <key>" columns typed attributes."""

from __future__ import annotations

from typing import Any

from lifecycle.shop.facts import Product, Variant
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

NAME = "WooCommerce product CSV"
HEADER = {"Type", "SKU", "Name", "Regular price"}
Row = dict[str, str]


def _options(row: Row) -> dict[str, str]:
    options = {}
    for n in range(1, 10):
        name, value = row.get(f"Attribute {n} name", ""), row.get(f"Attribute {n} value(s)", "")
        if name and value:
            options[name] = value
    return options


def _variant(row: Row, fallback_sku: str) -> Variant:
    regular = price(row.get("Regular price"), "Regular price")
    sale = price(row.get("Sale price"), "Sale price", required=False)
    stock = whole(row.get("Stock"), "Stock")
    return variant({"sku": row.get("SKU") or fallback_sku, "options": _options(row),
                    "price_eur": sale or regular, "compare_at_eur": regular if sale and regular and sale < regular
                    else None, "stock": stock, "available": row.get("In stock?", "1") not in {"0", "outofstock"},
                    "weight_g": grams(row.get("Weight (kg)"), "Weight (kg)", unit="kg"),
                    "image": (row.get("Images") or "").split(",")[0].strip() or None})


def _product_fields(row: Row, vocabulary: Vocabulary) -> dict[str, Any]:
    if len(row.get("Name", "")) < 2:
        raise RowError("Name is empty")
    category = (row.get("Categories") or "").split(",")[0].split(">")[-1].strip()
    if not category:
        raise RowError("Categories is empty: the assistant lists products by category")
    fields: dict[str, Any] = {"sku": row.get("SKU") or f"id-{row.get('ID')}", "name": row["Name"],
                              "category": category.lower(),
                              "description": plain_text(row.get("Description") or row.get("Short description")),
                              "image": (row.get("Images") or "").split(",")[0].strip() or None, "attributes": {}}
    for column, value in row.items():
        if not column.startswith("Meta: ") or not value:
            continue
        set_custom(fields, column.removeprefix("Meta: ").strip(), value, vocabulary)
    return fields


def read(text: str, vocabulary: Vocabulary) -> Imported:
    imported = Imported(NAME)
    parents: dict[str, tuple[int, Row]] = {}
    by_id: dict[str, str] = {}
    variations: dict[str, list[tuple[int, Row]]] = {}
    singles: list[tuple[int, Row]] = []
    for line, row in table_rows(text):
        kind = row.get("Type", "").lower()
        if row.get("Published", "1") not in {"1", "publish"}:
            imported.skipped.append(Skipped(line, f"{row.get('Name') or row.get('SKU')}: not published"))
        elif kind == "variable":
            key = row.get("SKU") or f"id:{row.get('ID')}"
            parents[key] = (line, row)
            by_id[f"id:{row.get('ID')}"] = key
        elif kind == "variation":
            variations.setdefault(row.get("Parent", ""), []).append((line, row))
        elif kind in {"simple", "external", ""}:
            singles.append((line, row))
        else:
            imported.skipped.append(Skipped(line, f"{row.get('Name')}: type {kind!r} is not sold on its own"))
    ordered: list[tuple[int, Product]] = []  # in the file's order, whatever the rows' types
    for line, row in singles:
        try:
            ordered.append((line, build(_product_fields(row, vocabulary), [_variant(row, f"id-{row.get('ID')}")])))
        except RowError as error:
            imported.skipped.append(Skipped(line, f"{row.get('Name') or row.get('SKU')}: {error}"))
    for parent, children in variations.items():
        if by_id.get(parent, parent) not in parents:
            for line, row in children:
                imported.skipped.append(Skipped(line, f"{row.get('Name')}: its parent {parent} is not in the file"))
    for key, (line, row) in parents.items():
        children = [*variations.get(key, []),
                    *(child for ref, rows in variations.items() if by_id.get(ref) == key for child in rows)]
        found: list[Variant] = []
        for child_line, child in sorted(children, key=lambda pair: pair[0]):
            try:
                found.append(_variant(child, f"{key}-{len(found) + 1}"))
            except RowError as error:
                imported.skipped.append(Skipped(child_line, f"{child.get('Name')}: {error}"))
        if not found:
            imported.skipped.append(Skipped(line, f"{row.get('Name')}: a variable product with no variation"))
            continue
        try:
            ordered.append((line, build(_product_fields(row, vocabulary), found)))
        except RowError as error:
            imported.skipped.append(Skipped(line, f"{row.get('Name')}: {error}"))
    imported.products = [product for _, product in sorted(ordered, key=lambda pair: pair[0])]
    imported.skipped.sort(key=lambda skipped: skipped.line)
    return imported
