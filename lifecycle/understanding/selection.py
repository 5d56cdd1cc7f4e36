"""Lists and filters over the whole catalog: "wireless headsets", "webcams under 60 euros
with autofocus", "the lightest headset" (which product "the first one" means is
`lifecycle.understanding.pointing`).

Every answer is computed from the catalog's typed attributes, never guessed: a filter the
catalog cannot decide (an attribute a product does not have) leaves that product out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache

from lifecycle.shop.attributes import Attribute
from lifecycle.shop.facts import Product, Shop
from lifecycle.shop.language import fold
from lifecycle.understanding.advice import Need, find_category, parse_need
from lifecycle.understanding.attributes import asked_features, find_attribute, find_superlative, has_feature

_MIN_PRICE = re.compile(r"(?:over|above|more than|at least|from|starting at|sopra|oltre|piu di|almeno|over|mer an"
                        r"|minst|powyzej|ponad|wiecej niz|peste|mai mult de|cel putin)\s*(?:i |de )?"
                        r"(?:€|eur(?:os?|o)?)?\s*(\d+(?:[.,]\d{1,2})?)\s*(?:€|eur(?:os?|o)?)?", re.IGNORECASE)
_BETWEEN = re.compile(r"between\s*(?:€|eur(?:os?)?)?\s*(\d+(?:[.,]\d{1,2})?)\s*(?:€|eur(?:os?)?)?\s*(?:and|-|to)\s*"
                      r"(?:€|eur(?:os?)?)?\s*(\d+(?:[.,]\d{1,2})?)", re.IGNORECASE)


@lru_cache(maxsize=8)
def _video_words(shop: Shop) -> re.Pattern[str] | None:
    """The video formats the catalog itself names ("4K", "1080p"): the words of its video column that
    carry a number, so a shop selling 8K cameras is filtered on 8K with no code change."""
    formats = {word for product in shop.products if product.video
               for word in re.findall(r"[a-z0-9]+", product.video.lower()) if re.search(r"\d", word)
               and not word.isdigit()}
    return re.compile(r"\b(" + "|".join(map(re.escape, sorted(formats, key=len, reverse=True))) + r")\b",
                      re.IGNORECASE) if formats else None
_OUT_OF_STOCK = re.compile(r"out of stock|sold out|unavailable|not (?:in stock|available)|esaurit|non disponibil"
                           r"|slutsald|slut i lager|wyprzedan|niedostepn|epuizat|nu (?:e|este) (?:in|pe) stoc",
                           re.IGNORECASE)
_IN_STOCK = re.compile(r"in stock|available now|can (?:i|you) (?:get|ship) (?:now|today)|disponibil|in magazzino"
                       r"|i lager|na stanie|dostepn|in stoc|pe stoc", re.IGNORECASE)


@dataclass(frozen=True)
class Selection:
    category: str | None = None
    max_price: Decimal | None = None
    min_price: Decimal | None = None
    min_people: int | None = None
    features: frozenset[str] = field(default_factory=frozenset)
    in_stock_only: bool = False
    out_of_stock_only: bool = False
    ranked_by: tuple[Attribute, bool] | None = None  # (attribute, highest first) for superlatives
    having: Attribute | None = None  # "speakerphones with a battery": the attribute must have a value
    video: str | None = None  # "webcams with 4K"


def _without_categories(text: str, shop: Shop) -> str:
    lowered = fold(text)
    for words in shop.policies.categories.values():
        for word in sorted(words, key=len, reverse=True):
            lowered = re.sub(r"\b" + re.escape(word) + r"\b", " ", lowered)
    return lowered


def parse_selection(text: str, shop: Shop) -> Selection:
    need = parse_need(text, shop)
    folded = fold(text)
    low = _MIN_PRICE.search(folded)
    if between := _BETWEEN.search(folded):  # "between 50 and 200 euros"
        cheap, dear = sorted(Decimal(value.replace(",", ".")) for value in between.groups())
        return replace(_parse(text, shop, need, None), min_price=cheap, max_price=dear)
    return _parse(text, shop, need, Decimal(low.group(1).replace(",", ".")) if low else None)


def _parse(text: str, shop: Shop, need: Need, min_price: Decimal | None) -> Selection:
    # Categories first: "speaker" names a category here, not the video bar's built-in speaker.
    rest = _without_categories(text, shop)
    features = asked_features(rest, shop)
    attribute = find_attribute(rest, shop)
    video_words = _video_words(shop)
    video = video_words.search(text) if video_words else None
    # "lamps with a battery": a number column of the shop's, which a product either has or not
    present = {key for key, words in shop.vocabulary.attributes.items() if words.type == "number" and words.filter}
    return Selection(having=attribute if attribute and attribute.key in present else None,
                     video=video.group(1).upper() if video else None,
                     category=find_category(text, shop), max_price=need.budget_eur,
                     min_price=min_price,
                     min_people=need.people if need.people and need.people > 1 else None,
                     features=features, out_of_stock_only=bool(_OUT_OF_STOCK.search(fold(text))),
                     in_stock_only=bool(_IN_STOCK.search(fold(text))) and not _OUT_OF_STOCK.search(fold(text)),
                     ranked_by=find_superlative(text, shop))


def select(shop: Shop, selection: Selection) -> list[Product]:
    """The products meeting every condition, cheapest first (or best first on a superlative)."""
    candidates = shop.by_category.get(selection.category, []) if selection.category else shop.products
    found = [p for p in candidates if _meets(p, selection, shop)]
    if selection.ranked_by:
        attribute, highest = selection.ranked_by
        found = [p for p in found if attribute.number(p) is not None]
        found.sort(key=lambda p: attribute.number(p) or 0.0, reverse=highest)
        return found
    return sorted(found, key=lambda p: p.price_eur)


def _meets(product: Product, selection: Selection, shop: Shop) -> bool:
    if selection.category and product.category != selection.category:
        return False
    if selection.max_price is not None and product.price_eur > selection.max_price:
        return False
    if selection.min_price is not None and product.price_eur < selection.min_price:
        return False
    if selection.min_people and (product.max_people or 0) < selection.min_people:
        return False
    if selection.in_stock_only and not product.in_stock:
        return False
    if selection.out_of_stock_only and product.in_stock:
        return False
    if selection.having and selection.having.value(product) is None:
        return False
    if selection.video and selection.video.lower() not in (product.video or "").lower():
        return False
    return not selection.features or has_feature(product, selection.features, shop) is not None
