"""What every catalog reader shares: the result with its skipped rows, and the parsing of the
values shops write (prices with a currency, weights with a unit, HTML descriptions).

A bad row never stops the others: it is skipped with its line and a reason the shop owner can act
on, and the summary says how many and why (issue 22)."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from typing import Any

from pydantic import ValidationError

from lifecycle.shop.facts import Product, Variant
from lifecycle.shop.vocabulary import Vocabulary


class CatalogFileError(ValueError):
    """The file as a whole cannot be read as a catalog; the message says what to fix."""


class RowError(ValueError):
    """One row is wrong: it is skipped and the message names the column and the value."""


@dataclass(frozen=True)
class Skipped:
    line: int  # the line of a CSV or TSV row, the position of an XML feed's item
    reason: str
    unit: str = "line"


@dataclass
class Imported:
    format: str
    products: list[Product] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def summary(self, shown: int = 5) -> str:
        variants = sum(len(product.variants) for product in self.products)
        text = f"{len(self.products)} products ({variants} variants) from a {self.format}"
        if self.skipped:
            rows = "; ".join(f"{s.unit} {s.line}: {s.reason}" for s in self.skipped[:shown])
            more = f"; and {len(self.skipped) - shown} more" if len(self.skipped) > shown else ""
            text += f"; skipped {len(self.skipped)} rows ({rows}{more})"
        return text


_AMOUNT = re.compile(r"^\s*(?:€|EUR)?\s*(\d{1,9}(?:[.,]\d{1,2})?)\s*(?:€|EUR)?\s*$", re.IGNORECASE)
_WEIGHT = re.compile(r"^\s*(\d{1,7}(?:[.,]\d{1,3})?)\s*(g|kg|lb|oz)?\s*$", re.IGNORECASE)
_GRAMS = {"g": Decimal(1), "kg": Decimal(1000), "lb": Decimal("453.592"), "oz": Decimal("28.3495")}


def table_rows(text: str, delimiter: str = ",",
               rename: Callable[[str], str] = str.strip) -> Iterator[tuple[int, dict[str, str]]]:
    """A CSV or TSV file's rows as {column: value}, each with the line it starts on (a quoted
    description may span lines), so a skipped row names the line the shop owner sees."""
    reader = csv.DictReader(text.splitlines(keepends=True), delimiter=delimiter)
    reader.fieldnames = [rename(name) for name in reader.fieldnames or []]
    line = 1
    for row in reader:
        yield line + 1, {key: (value or "").strip() for key, value in row.items() if key is not None}
        line = reader.line_num


def price(value: str | None, column: str, required: bool = True) -> Decimal | None:
    """"49.90", "49,90 EUR", "€49.90": euros. Another currency is refused: the assistant quotes euros."""
    text = (value or "").strip()
    if not text:
        if required:
            raise RowError(f"{column} is empty")
        return None
    match = _AMOUNT.match(text)
    if not match:
        raise RowError(f"{column} {text!r} is not a price in euros (write 49.90 or 49.90 EUR)")
    amount = Decimal(match.group(1).replace(",", "."))
    if amount <= 0:
        if required:
            raise RowError(f"{column} {text!r} must be more than zero")
        return None
    return amount


def whole(value: str | None, column: str) -> int | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        number = int(Decimal(text))
    except (InvalidOperation, ValueError):
        raise RowError(f"{column} {text!r} is not a whole number") from None
    if number < 0:
        raise RowError(f"{column} {text!r} is below zero")
    return number


def grams(value: str | None, column: str, unit: str = "g") -> int | None:
    """"420 g", "0.41 kg", "1.2 lb", or a bare number in `unit`."""
    text = (value or "").strip()
    if not text:
        return None
    match = _WEIGHT.match(text)
    if not match:
        raise RowError(f"{column} {text!r} is not a weight (write 420 g or 0.42 kg)")
    weight = Decimal(match.group(1).replace(",", ".")) * _GRAMS[(match.group(2) or unit).lower()]
    return int(weight.to_integral_value()) or None


def typed(value: str) -> Decimal | str:
    """A metafield or detail as the shop wrote it: a plain number is a number, anything else text."""
    text = value.strip()
    try:
        number = Decimal(text.replace(",", ".")) if re.fullmatch(r"-?\d+(?:[.,]\d+)?", text) else None
    except InvalidOperation:
        number = None
    return number if number is not None else text


_SET_BY_THE_ROW = {"attributes", "variants", "sku", "name", "category"}


def set_custom(fields: dict[str, Any], name: str, value: str, vocabulary: Vocabulary) -> None:
    """A column of the shop's own (a Shopify metafield, a WooCommerce "Meta:" column): a standard
    field of `Product` by its name ("warranty_years"), else a typed attribute, text where
    vocabulary.yml declares it so."""
    if name in Product.__fields__ and name not in _SET_BY_THE_ROW:
        fields[name] = value
    else:
        declared = vocabulary.attributes.get(name)
        fields["attributes"][name] = value.strip() if declared and declared.type == "text" else typed(value)


def key_of(name: str) -> str:
    """A column or detail name as an attribute key: "Waterproof rating" -> "waterproof_rating"."""
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


class _Text(HTMLParser):
    """Visible text of a description: scripts and styles dropped, blocks joined by spaces."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "template"}:
            self._hidden += 1
        elif tag in {"p", "br", "li", "div", "h1", "h2", "h3", "h4", "tr"}:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "template"} and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def plain_text(html: str | None, limit: int = 20_000) -> str:
    parser = _Text()
    parser.feed(html or "")
    parser.close()
    return " ".join("".join(parser.parts).split())[:limit]


def build(fields: dict[str, Any], variants: Iterable[Variant]) -> Product:
    """A product from its own fields and its variants: one variant is the product itself; several
    give the product the lowest price (and that variant's price before a sale) and the sum of the
    stock when every variant is counted."""
    variants = list(variants)
    if len(variants) == 1:
        only = variants[0]
        fields = {**fields, "sku": only.sku, "price_eur": only.price_eur, "compare_at_eur": only.compare_at_eur,
                  "stock": only.stock, "available": only.available,
                  "weight_g": fields.get("weight_g") or only.weight_g, "image": fields.get("image") or only.image}
        variants = []
    elif variants:
        cheapest = min(variants, key=lambda v: v.price_eur)
        counted = [v.stock for v in variants if v.stock is not None]
        fields = {**fields, "price_eur": cheapest.price_eur,
                  "compare_at_eur": cheapest.compare_at_eur if cheapest.on_sale else None,
                  "stock": sum(counted) if len(counted) == len(variants) else None,
                  "available": any(v.in_stock for v in variants),
                  "image": fields.get("image") or next((v.image for v in variants if v.image), None)}
    try:
        return Product.parse_obj({**fields, "variants": tuple(variants)})
    except ValidationError as error:
        raise RowError(describe(error)) from None


def variant(fields: dict[str, Any]) -> Variant:
    try:
        return Variant.parse_obj(fields)
    except ValidationError as error:
        raise RowError(describe(error)) from None


def describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}"
