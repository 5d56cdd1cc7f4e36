"""What a shopper's message asks, as a typed query: the one shape every part of Shopmate reads.

`understand` (parse.py) builds it from the text, the shop's vocabulary and the language resource
files; the engine (engine.py) runs it over the catalog; the chat only words the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Aggregate = Literal["count", "sum", "average", "range", "spread"]


@dataclass(frozen=True)
class Measure:
    """A number with a unit other than money, as a condition: "battery over 20 hours"."""

    attribute: str  # the catalog column the unit belongs to ("battery_hours")
    value: Decimal
    at_least: bool  # True: the product's value must be at least `value`; False: at most


@dataclass(frozen=True)
class Query:
    products: tuple[str, ...] = ()  # SKUs named in the message, in the order named
    ambiguous: tuple[tuple[str, ...], ...] = ()  # names that fit several products ("the calla")
    named_at: tuple[tuple[int, int, str], ...] = ()  # where each of `products` is written: (start, end, SKU)
    category: str | None = None
    measures: tuple[Measure, ...] = ()
    people: int | None = None  # a group the shopper needs a product for ("good for 6 people?")
    aggregate: Aggregate | None = None
    facets: tuple[str, ...] = ()  # every fact asked, in order: price, stock, warranty, rating, a column, spec:<topic>
    quantity: int = 1
    points: bool = False  # loyalty points for buying the products
    country: str | None = None
    fastest: bool = False  # "by tomorrow", "asap": the quickest delivery option
    topics: tuple[str, ...] = ()  # shop policies asked about: shipping, duration, payment, returns
    wants_total: bool = False  # a price with shipping or in total
    difference: bool = False
    cost: bool = False  # asks what something costs ("how much", "vad blir det")
    pointing: bool = False  # points at a product already shown ("the second one", "that one", "the cheaper")
