"""The Google Merchant Center product feed, as TSV or as RSS 2.0 XML with the `g:` namespace.

One item per variant; items sharing an item_group_id are one product. XML goes through
defusedxml: a feed that declares entities or a DTD is refused, never expanded."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from os.path import commonprefix
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from lifecycle.shop.facts import Variant
from lifecycle.shop.formats.records import (
    CatalogFileError,
    Imported,
    RowError,
    Skipped,
    build,
    grams,
    key_of,
    plain_text,
    price,
    table_rows,
    typed,
    variant,
)

NAME = "Google Merchant Center feed"
TSV = f"{NAME} (TSV)"
XML = f"{NAME} (RSS XML)"
HEADER = {"id", "title", "price"}
G = "{http://base.google.com/ns/1.0}"
OPTIONS = ("color", "size", "pattern")  # what tells a group's items apart
ATTRIBUTES = ("material", "gender", "age_group")  # facts of the product, kept as attributes
_AVAILABLE = {"in stock", "in_stock", "preorder", "backorder"}
Item = dict[str, Any]


def _details(value: str) -> list[tuple[str, str]]:
    """TSV product_detail: "section:attribute name:value", several separated by commas."""
    found = []
    for part in value.split(","):
        pieces = part.split(":", 2)
        if len(pieces) == 3 and pieces[1].strip() and pieces[2].strip():
            found.append((pieces[1].strip(), pieces[2].strip()))
    return found


def _tsv_items(text: str) -> Iterator[tuple[int, Item]]:
    for line, row in table_rows(text, "\t", lambda name: name.strip().removeprefix("g:")):
        item: Item = dict(row)
        item["details"] = _details(item.get("product_detail", ""))
        yield line, item


def _xml_items(text: str) -> Iterator[tuple[int, Item]]:
    try:
        root = fromstring(text.encode("utf-8"), forbid_dtd=True)
    except DefusedXmlException as error:
        raise CatalogFileError(f"the XML declares entities or a DTD ({type(error).__name__}); a product feed has "
                               "none, so it is refused rather than expanded") from None
    except Exception as error:  # ElementTree.ParseError: line and column in its message
        raise CatalogFileError(f"not well-formed XML: {error}") from None
    for number, element in enumerate(root.iter("item"), start=1):
        item: Item = {}
        for child in element:
            tag = child.tag.removeprefix(G) if isinstance(child.tag, str) else ""
            if tag == "product_detail":
                name, value = child.findtext(f"{G}attribute_name", ""), child.findtext(f"{G}attribute_value", "")
                item.setdefault("details", []).append((name.strip(), value.strip()))
            elif tag and not item.get(tag):  # <title> or <g:title>: the first one written
                item[tag] = (child.text or "").strip()
        yield number, item


def _variant(item: Item) -> Variant:
    listed = price(item.get("price"), "price")
    sale = price(item.get("sale_price"), "sale_price", required=False)
    return variant({"sku": item.get("id") or None, "price_eur": sale or listed,
                    "compare_at_eur": listed if sale and listed and sale < listed else None,
                    "options": {name: item[name] for name in OPTIONS if item.get(name)},
                    "available": item.get("availability", "in stock").lower() in _AVAILABLE,
                    "weight_g": grams(item.get("shipping_weight"), "shipping_weight"),
                    "image": item.get("image_link") or None})


def _product_fields(items: list[Item]) -> dict[str, Any]:
    first = items[0]
    titles = [item.get("title", "") for item in items]
    name = titles[0] if len(items) == 1 else commonprefix(titles).rstrip(" -–,/(") or titles[0]
    if len(name) < 2:
        raise RowError("title is empty")
    category = (first.get("product_type") or first.get("google_product_category") or "").split(">")[-1].strip()
    if not category:
        raise RowError("product_type and google_product_category are both empty")
    attributes = {key_of(detail): typed(value) for detail, value in first.get("details", [])}
    attributes |= {name: first[name] for name in ATTRIBUTES if first.get(name)}
    return {"sku": first.get("item_group_id") or first.get("id"), "name": name, "category": category.lower(),
            "description": plain_text(first.get("description")), "url": first.get("link") or None,
            "image": first.get("image_link") or None, "brand": first.get("brand") or None,
            "attributes": attributes}


def _assemble(format_name: str, items: Iterable[tuple[int, Item]], unit: str) -> Imported:
    imported = Imported(format_name)
    groups: dict[str, list[tuple[int, Item, Variant]]] = {}
    for where, item in items:
        try:
            found = _variant(item)
        except RowError as error:
            imported.skipped.append(Skipped(where, f"{item.get('id') or '(no id)'}: {error}", unit))
            continue
        groups.setdefault(item.get("item_group_id") or f"\0{item.get('id')}", []).append((where, item, found))
    for members in groups.values():
        try:
            fields = _product_fields([item for _, item, _ in members])
            imported.products.append(build(fields, [found for _, _, found in members]))
        except RowError as error:
            imported.skipped.append(Skipped(members[0][0], f"{members[0][1].get('id')}: {error}", unit))
    return imported


def read_tsv(text: str) -> Imported:
    return _assemble(TSV, _tsv_items(text), "line")


def read_xml(text: str) -> Imported:
    return _assemble(XML, _xml_items(text), "item")
