"""Shopmate's own CSV: one row per product, the standard columns of `facts.Product` and any column
the shop declares in vocabulary.yml (its own typed attributes)."""

from __future__ import annotations

import csv
from decimal import Decimal, InvalidOperation

from pydantic import ValidationError

from lifecycle.shop.facts import Product
from lifecycle.shop.formats.records import CatalogFileError, Imported, RowError, Skipped, describe
from lifecycle.shop.vocabulary import Vocabulary

NAME = "Shopmate CSV"
HEADER = {"sku", "name", "category", "price_eur"}
VOCABULARY = "vocabulary.yml"


def _typed(column: str, value: str, kind: str) -> Decimal | str:
    if kind == "text":
        return value.strip()
    try:
        number = Decimal(value.strip().replace(",", "."))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise RowError(f"field {column!r}: {value.strip()!r} is not a number ({VOCABULARY} declares the column a "
                       "number; write it like 1.8, or declare `type: text`)")
    return number


def read(text: str, vocabulary: Vocabulary) -> Imported:
    imported = Imported(NAME)
    reader = csv.DictReader(text.splitlines(keepends=True))
    header = list(reader.fieldnames or [])
    declared = vocabulary.attributes
    own = [column for column in header if column not in Product.__fields__]
    if undeclared := [column for column in own if column not in declared]:
        raise CatalogFileError(f"column(s) {', '.join(undeclared)} are not catalog fields; to make one askable, "
                               f"declare it under attributes in {VOCABULARY} with its words")
    if absent := sorted(set(declared) - set(header) - set(Product.__fields__)):
        raise CatalogFileError(f"{VOCABULARY} declares attributes {', '.join(absent)}, which the catalog has no "
                               "column for")
    seen: dict[str, int] = {}
    line = 1
    for row in reader:
        start, line = line + 1, reader.line_num
        where = f"sku {row.get('sku')!r}"
        fields: dict[str, object] = {key: value for key, value in row.items() if key not in own and key is not None}
        try:
            fields["attributes"] = {key: _typed(key, row[key], declared[key].type) for key in own
                                    if (row[key] or "").strip()}
            product = Product.parse_obj(fields)
        except RowError as error:
            imported.skipped.append(Skipped(start, f"{where}, {error}"))
            continue
        except ValidationError as error:
            imported.skipped.append(Skipped(start, f"{where}, field {describe(error)}"))
            continue
        if product.sku in seen:
            imported.skipped.append(Skipped(start, f"{where}: already used on line {seen[product.sku]}"))
            continue
        seen[product.sku] = start
        imported.products.append(product)
    return imported
