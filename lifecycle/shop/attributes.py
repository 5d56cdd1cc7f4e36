"""A product's typed attributes as values: catalog.csv's standard columns (validated in
`facts.Product`) and the shop's own columns (declared in vocabulary.yml, in `Product.attributes`),
read by key. How shoppers ask for them is `lifecycle.understanding.attributes`."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from lifecycle.shop.facts import Product, Shop


@dataclass(frozen=True)
class Attribute:
    key: str  # the catalog column
    label: str = field(default="", compare=False)  # the shop's name for it (vocabulary.yml), English
    unit: str = field(default="", compare=False)  # written after a value ("m", "dB"); empty for counts

    def value(self, product: Product) -> object:
        if self.key in Product.__fields__:
            return getattr(product, self.key)
        return product.attributes.get(self.key)

    def number(self, product: Product) -> float | None:
        value = self.value(product)
        return float(value) if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) else None


# Every typed column of the catalog, by key; labels come from the shop's vocabulary where it matters.
_NOT_ATTRIBUTES = {"sku", "name", "category", "stock", "features", "specs", "attributes"}
BY_KEY: dict[str, Attribute] = {key: Attribute(key, key) for key in Product.__fields__ if key not in _NOT_ATTRIBUTES}


def attribute_of(shop: Shop, key: str) -> Attribute | None:
    """A standard column or one of the shop's own, with the shop's label and unit for it."""
    words = shop.vocabulary.attributes.get(key)
    if key not in BY_KEY and words is None:
        return None
    return Attribute(key, words.label if words else key.removesuffix("_eur").replace("_", " "),
                     words.unit if words else "")


def own_attributes(shop: Shop) -> list[Attribute]:
    """The shop's own columns (not catalog.csv's standard ones), for a generic answer sentence."""
    return [found for key in shop.vocabulary.attributes if key not in BY_KEY
            if (found := attribute_of(shop, key)) is not None]
