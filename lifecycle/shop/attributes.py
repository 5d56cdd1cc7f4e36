"""A product's typed attributes as values: the catalog's columns (catalog.csv, validated in
`facts.Product`) read by key. How shoppers ask for them is `lifecycle.understanding.attributes`."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from lifecycle.shop.facts import Product


@dataclass(frozen=True)
class Attribute:
    key: str  # the catalog column
    label: str = field(default="", compare=False)  # the shop's name for it (vocabulary.yml), English

    def value(self, product: Product) -> object:
        return getattr(product, self.key)

    def number(self, product: Product) -> float | None:
        value = self.value(product)
        return float(value) if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) else None


# Every typed column of the catalog, by key; labels come from the shop's vocabulary where it matters.
_NOT_ATTRIBUTES = {"sku", "name", "category", "stock", "features", "specs"}
BY_KEY: dict[str, Attribute] = {key: Attribute(key, key) for key in Product.__fields__ if key not in _NOT_ATTRIBUTES}
