"""The query engine: a `Query` run over the shop's catalog and policies, giving facts, never words.

Filters, aggregates, capacity checks, points and the quickest delivery are computed here and
only here; the chat words the results in the shopper's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from lifecycle.shop.facts import Product, Shop
from lifecycle.shop.policies import Rate, shipping_for
from lifecycle.understanding.query import Aggregate, Measure


def value_of(product: Product, attribute: str) -> Decimal | None:
    value = getattr(product, attribute, None) if attribute in Product.__fields__ else product.attributes.get(attribute)
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    return Decimal(str(value))


def meets(product: Product, measure: Measure) -> bool:
    """A product whose catalog gives no value for the measured attribute never meets it."""
    value = value_of(product, measure.attribute)
    if value is None:
        return False
    return value >= measure.value if measure.at_least else value <= measure.value


@dataclass(frozen=True)
class Totals:
    products: tuple[Product, ...]
    kind: Aggregate
    count: int
    total: Decimal
    average: Decimal
    cheapest: Product
    dearest: Product

    @property
    def spread(self) -> Decimal:
        return self.dearest.price_eur - self.cheapest.price_eur


def aggregate(shop: Shop, category: str, kind: Aggregate) -> Totals | None:
    products = tuple(p for p in shop.products if p.category == category)
    if not products:
        return None
    total = sum((p.price_eur for p in products), Decimal("0"))
    average = (total / len(products)).quantize(Decimal("0.01"))
    return Totals(products, kind, len(products), total, average, min(products, key=lambda p: p.price_eur),
                  max(products, key=lambda p: p.price_eur))


@dataclass(frozen=True)
class Capacity:
    product: Product
    people: int
    fits: bool | None  # None: the catalog gives no group size for this product


def capacity(product: Product, people: int) -> Capacity:
    room = product.max_people
    return Capacity(product, people, None if room is None else people <= room)


def points(shop: Shop, products: list[Product], quantity: int = 1) -> tuple[Decimal, int]:
    """What buying the products earns: (the price paid, the points), by shop.yml's points per euro."""
    paid = sum((p.price_eur for p in products), Decimal("0")) * quantity
    return paid, shop.policies.loyalty.points_for(paid)


@dataclass(frozen=True)
class Quickest:
    country: str
    shipped: bool
    rate: Rate | None
    express: bool  # False: no express to this country, `rate` is standard


def quickest(shop: Shop, country: str) -> Quickest:
    quote = shipping_for(shop, country)
    if quote.express is not None:
        return Quickest(country, True, quote.express, True)
    return Quickest(country, quote.shipped and quote.standard is not None, quote.standard, False)


def spec_line(product: Product, marks: tuple[str, ...]) -> str | None:
    """The line of the product's specs a spec topic's marks find, trying the marks in order."""
    for mark in marks:
        for line in product.specs:
            if mark in f" {line.lower()} ":
                return line
    return None
