"""Comparisons, recommendations by need and superlatives over the catalog.

The product facts these rely on (people a device serves, field of view, wireless,
noise handling) are the catalog's typed attributes, so a new product in catalog.csv
takes part without code changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from lifecycle.shop.facts import Product, Shop
from lifecycle.shop.language import fold

NUMBER_WORDS = {w: n for n, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"])}
_NUM = r"(\d+|" + "|".join(NUMBER_WORDS) + r")"
_PEOPLE = re.compile(
    _NUM + r"\s*(?:people|persons|participants|attendees|colleagues|seats|of us)\b"
    r"|(?:team|group|room|meetings?) (?:of|for) " + _NUM, re.IGNORECASE)
_BUDGET = re.compile(
    r"(?:under|below|less than|up to|max(?:imum)?|at most|budget(?: of| is)?|within|no more than|cheaper than"
    r"|not more than|for about|around)\s*(?:€|eur(?:os?)?)?\s*(\d+(?:[.,]\d{1,2})?)"
    r"|(\d+(?:[.,]\d{1,2})?)\s*(?:€|eur(?:os?)?)\s*(?:max|budget|or less)", re.IGNORECASE)
_NOISY = re.compile(r"nois|loud|open[- ]?plan|open office|busy|caf[eé]|background|crowded", re.IGNORECASE)
_WIRELESS = re.compile(r"wireless|bluetooth|cordless|no cables?|without (?:a )?cable", re.IGNORECASE)


def spelled_number(text: str) -> int:
    return int(text) if text.isdigit() else NUMBER_WORDS[text.lower()]


@dataclass(frozen=True)
class Need:
    category: str | None = None
    budget_eur: Decimal | None = None
    people: int | None = None
    noisy: bool = False
    wireless: bool = False

    @property
    def is_empty(self) -> bool:
        return self == Need()


def find_category(text: str, shop: Shop) -> str | None:
    """The catalog category the text names first, by the words shop.yml lists for it in any language."""
    folded = fold(text)
    hits = [(m.start(), -len(word), category) for category, words in shop.policies.categories.items()
            for word in words if (m := re.search(r"\b" + re.escape(word) + r"\b", folded))]
    return min(hits)[2] if hits else None


def parse_need(text: str, shop: Shop) -> Need:
    people_match = _PEOPLE.search(text)
    people = spelled_number(people_match.group(1) or people_match.group(2)) if people_match else None
    rest = _PEOPLE.sub(" ", text)
    budget_match = _BUDGET.search(rest)
    budget = None
    if budget_match:
        budget = Decimal((budget_match.group(1) or budget_match.group(2)).replace(",", "."))
    return Need(find_category(text, shop), budget, people, bool(_NOISY.search(text)), bool(_WIRELESS.search(text)))


def capacity(product: Product) -> int | None:
    return product.max_people


def field_of_view(product: Product) -> int | None:
    return product.field_of_view_deg


def is_wireless(product: Product) -> bool:
    return product.wireless


def handles_noise(product: Product) -> str | None:
    return next((feature for feature in product.features if "noise" in feature.lower()), None)


@dataclass
class Recommendation:
    product: Product
    # Why it fits, as keys the chat words in the shopper's language: "budget", "people", "wireless",
    # "rating", or "feature:<the catalog's feature>" ("feature:active noise cancelling").
    reasons: list[str] = field(default_factory=list)


@dataclass
class Advice:
    picks: list[Recommendation]
    out_of_stock_matches: list[Product]


def recommend(shop: Shop, need: Need, limit: int = 3) -> Advice:
    """Products that meet every stated constraint, best rated first; out of stock ones set aside."""
    picks: list[Recommendation] = []
    unavailable: list[Product] = []
    for product in shop.products:
        reasons = _fit(product, need)
        if reasons is None:
            continue
        if not product.in_stock:
            unavailable.append(product)
            continue
        reasons.append("rating")
        picks.append(Recommendation(product, reasons))
    picks.sort(key=lambda pick: (-pick.product.rating, pick.product.price_eur))
    return Advice(picks[:limit], unavailable)


def _fit(product: Product, need: Need) -> list[str] | None:
    reasons: list[str] = []
    if need.category and product.category != need.category:
        return None
    if need.budget_eur is not None:
        if product.price_eur > need.budget_eur:
            return None
        reasons.append("budget")
    if need.people is not None and need.people > 1:
        room = capacity(product)
        if room is None or room < need.people:
            return None
        reasons.append("people")
    if need.noisy:
        noise = handles_noise(product)
        if noise is None:
            return None
        reasons.append("feature:" + noise)
    if need.wireless:
        if not is_wireless(product):
            return None
        reasons.append("wireless")
    return reasons


SUPERLATIVES: dict[str, Callable[[Product], float | None]] = {
    "cheapest": lambda p: -float(p.price_eur),
    "most_expensive": lambda p: float(p.price_eur),
    "best_rated": lambda p: p.rating,
    "most_reviewed": lambda p: p.reviews,
    "widest_view": lambda p: field_of_view(p),
    "largest_room": lambda p: capacity(p),
}
_SUPERLATIVE_WORDS = [
    ("widest_view", r"wides?t|field of view|angle"),
    ("largest_room", r"biggest room|largest room|most people|largest group"),
    ("most_reviewed", r"most review|most popular"),
    ("best_rated", r"best|top[- ]rated|highest[- ]rated|best[- ]rated|highest rating"),
    ("most_expensive", r"most expensive|priciest|premium"),
    ("cheapest", r"cheap|lowest price|least expensive|budget|affordable|inexpensive"),
]


def find_superlative(text: str) -> str | None:
    return next((key for key, pattern in _SUPERLATIVE_WORDS if re.search(pattern, text, re.IGNORECASE)), None)


def superlative(shop: Shop, key: str, category: str | None = None) -> Product | None:
    """The in-stock product that leads on `key`, within a category when one is given."""
    score = SUPERLATIVES[key]
    scored = [(value, p) for p in shop.products
              if p.in_stock and (category is None or p.category == category) and (value := score(p)) is not None]
    return max(scored, key=lambda pair: pair[0])[1] if scored else None
