"""Comparisons, recommendations by need and superlatives over the catalog.

The product facts these rely on (people a device serves, field of view, wireless,
noise handling) are the catalog's typed attributes, so a new product in catalog.csv
takes part without code changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from lifecycle.shop.facts import Product, Shop
from lifecycle.shop.language import fold
from lifecycle.understanding.attributes import find_superlative as ranking_of
from lifecycle.understanding.attributes import wireless_pattern
from lifecycle.understanding.engine import value_of
from lifecycle.understanding.lexicon import lexicon

_EUR = r"(?:€|eur(?:os?|o)?\b)"
_AMOUNT = r"(\d+(?:[.,]\d{1,2})?)"


@lru_cache(maxsize=8)
def _people(shop: Shop) -> re.Pattern[str]:
    """A group size: a number with one of the shop's words for people (vocabulary.yml's max_people
    units), or after a gathering word or "for" ("a meeting of 10", "dla 6")."""
    words = lexicon()
    # "una", "en", "ett" are articles as often as numbers, and a group of one is no group.
    numbers = r"(\d+|" + "|".join(re.escape(word) for word, n in words.numbers.items() if n > 1) + ")"
    attribute = shop.vocabulary.attributes.get("max_people")
    units = [*(attribute.units if attribute else ()), *words.words["group_after"]]
    with_unit = numbers + r"\s*(?:" + _alternatives(units) + r")\b|" if units else ""
    return re.compile(with_unit + r"(?:" + _alternatives(words.words["gathering"]) + r")\w* (?:"
                      + _alternatives(words.words["group_of"]) + ") " + numbers
                      + r"|\b(?:" + _alternatives(words.words["group_before"]) + r")\s+" + numbers + r"\b")


def _alternatives(words: tuple[str, ...] | list[str]) -> str:
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def _budget() -> re.Pattern[str]:
    """An amount with a budget word before it (or, for a short word such as "do", a currency), or
    with a currency and a budget word after it: "under 80", "do 60 euro", "80 € max"."""
    words = lexicon()
    return re.compile(
        r"\b(?:" + _alternatives(words.words["budget"]) + r")\s*(?:[a-z]{1,2} )?" + _EUR + r"?\s*" + _AMOUNT
        + r"|" + _AMOUNT + r"\s*" + _EUR + r"\s*(?:" + _alternatives(words.words["budget_after"]) + r")"
        + (r"|\b(?:" + _alternatives(words.words["budget_with_currency"]) + r")\s+" + _AMOUNT + r"\s*" + _EUR
           if words.words["budget_with_currency"] else ""))


def spelled_number(text: str) -> int:
    return int(text) if text.isdigit() else lexicon().numbers.get(text.lower(), 0)


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


def _inflected(phrase: str) -> str:
    """A category word of six letters or more also matches its inflected forms ("hogtalartelefonerna",
    "headseten", "camerelor web" for "camere web")."""
    return r"\s+".join(re.escape(word) + (r"[a-z]*" if len(word) >= 6 else "") for word in phrase.split()) + r"\b"


@lru_cache(maxsize=8)
def _category_patterns(shop: Shop) -> list[tuple[re.Pattern[str], int, str]]:
    return [(re.compile(r"\b" + _inflected(word)), -len(word), category)
            for category, words in shop.policies.categories.items() for word in words]


def find_category(text: str, shop: Shop) -> str | None:
    """The catalog category the text names first, by the words shop.yml lists for it in any language."""
    folded = fold(text)
    hits = [(m.start(), length, category) for pattern, length, category in _category_patterns(shop)
            if (m := pattern.search(folded))]
    return min(hits)[2] if hits else None


def parse_need(text: str, shop: Shop) -> Need:
    folded = fold(text)
    people_pattern = _people(shop)
    people_match = people_pattern.search(folded)
    people = spelled_number(next(g for g in people_match.groups() if g)) if people_match else None
    rest = people_pattern.sub(" ", folded)
    budget_match = _budget().search(rest)
    budget = None
    if budget_match:
        budget = Decimal(next(g for g in budget_match.groups() if g).replace(",", "."))
    wireless = wireless_pattern(shop)
    return Need(find_category(text, shop), budget, people, lexicon().has("noisy", folded),
                bool(wireless and wireless.search(folded)) or "bluetooth" in folded)


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
    picks.sort(key=lambda pick: (-(pick.product.rating or 0), pick.product.price_eur))
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


def find_superlative(text: str, shop: Shop) -> tuple[str, bool] | None:
    """The column a superlative ranks by and whether the highest wins: "widest" is (field of view,
    highest), "cheap" (price, lowest). The words are the shop's vocabulary and the language files'."""
    if ranked := ranking_of(text, shop):
        return ranked[0].key, ranked[1]
    if lexicon().has("bargain", fold(text)):
        return "price_eur", False
    return None


def superlative(shop: Shop, ranking: tuple[str, bool], category: str | None = None) -> Product | None:
    """The in-stock product that leads on the ranking's column, within a category when one is given."""
    key, highest = ranking
    scored = [(value, p) for p in shop.products if p.in_stock and (category is None or p.category == category)
              and (value := value_of(p, key)) is not None]
    if not scored:
        return None
    pick = max if highest else min
    return pick(scored, key=lambda pair: pair[0])[1]
