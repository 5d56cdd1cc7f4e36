"""From a shopper's message to a `Query`: which products, which facts, which numbers and conditions.

Everything language-specific comes from the resource files (lexicon.py) and everything
shop-specific from the shop's data (its catalog names, categories and vocabulary.yml); the code
here only knows the shapes: a number followed by a unit is a measure, a comparative before it is
its direction, a number before a product's name is a quantity.
"""

from __future__ import annotations

import re
from decimal import Decimal

from lifecycle.shop.catalog import Catalog
from lifecycle.shop.facts import Shop
from lifecycle.shop.language import fold
from lifecycle.understanding.advice import find_category
from lifecycle.understanding.lexicon import Lexicon, lexicon
from lifecycle.understanding.places import find_country
from lifecycle.understanding.query import Aggregate, Measure, Query
from lifecycle.understanding.vocabulary import CompiledVocabulary, compiled

_NUMBER = re.compile(r"(?<![\w.,])(\d{1,6}(?:[.,]\d{1,2})?)(?![\d])")
# Between a number and its unit: at most one short word ("20 de ore"), never a sentence.
_JOIN = re.compile(r"\s*(?:[a-z]{1,2}\s+)?")
# Between a comparative and its number: a short word or a currency sign ("peste 20", "under the 200").
_GAP = re.compile(r"^(?:\s*(?:[a-z]{1,3}|€|eur)\s*){0,2}\s*$|^\s*$")
_TOKEN = re.compile(r"[a-z0-9]+")
_MAX_GROUP = 1000


def _without_products(folded: str, names: list[str]) -> str:
    """The text with the words of the named products blanked out (same length, so positions hold):
    "Lumo Room" must not read as a room and "Clara 27" not as 27 of something."""
    for name in names:
        for word in _TOKEN.findall(fold(name)):
            folded = re.sub(r"(?<![a-z0-9])" + re.escape(word) + r"(?![a-z0-9])", " " * len(word), folded)
    return re.sub(r"\b[a-z]{2,4}-?\d{3}\b", lambda m: " " * len(m.group()), folded)


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def _direction(words: Lexicon, before: str, after: str) -> bool | None:
    """True for "at least", False for "at most", None when the message gives no direction."""
    for key, at_least in (("at_least", True), ("at_most", False)):
        for match in words.all(key, before[-40:]):
            if _GAP.match(before[-40:][match.end():]):
                return at_least
    for key, at_least in (("or_more", True), ("or_less", False)):
        after_match = words.find(key, after[:20])
        if after_match and not after[:after_match.start()].strip(" ,."):
            return at_least
    return None


def measures(rest: str, vocabulary: CompiledVocabulary, words: Lexicon) -> list[Measure]:
    """Every number followed by one of the vocabulary's units, with its direction."""
    found: list[Measure] = []
    for match in _NUMBER.finditer(rest):
        joined = _JOIN.match(rest, match.end())
        start = joined.end() if joined else match.end()
        for attribute in vocabulary.attributes:
            if not attribute.filter or attribute.units is None:
                continue
            unit = attribute.units.match(rest, start) or attribute.units.match(rest, match.end())
            if unit:
                direction = _direction(words, rest[:match.start()], rest[unit.end():])
                if direction is None:
                    direction = _comparative(attribute.more, attribute.less, rest[:match.start()])
                found.append(Measure(attribute.key, _number(match.group(1)), True if direction is None else direction))
                break
    return found


def _comparative(more: re.Pattern[str] | None, less: re.Pattern[str] | None, before: str) -> bool | None:
    """"lighter than 150 g": the attribute's own comparative gives the direction."""
    window = before[-30:]
    if less and less.search(window):
        return False
    if more and more.search(window):
        return True
    return None


def _group(rest: str, words: Lexicon) -> int | None:
    """A group size without a unit: "a meeting of 10", "riunione da 10", "ședință de 10"."""
    for gathering in words.all("gathering", rest):
        tail = rest[gathering.end():gathering.end() + 16]
        if (number := re.match(r"\s*(?:[a-z]{1,4}\s+){0,2}(\d{1,4})(?![\d.,])", tail)) and \
                1 < int(number.group(1)) <= _MAX_GROUP:
            return int(number.group(1))
    return None


def _spelled(token: str, words: Lexicon) -> int | None:
    return int(token) if token.isdigit() else words.numbers.get(token)


def quantity(folded: str, first_name: str, words: Lexicon) -> int:
    """How many of the named product: a number right before its name ("2 calla wired", "3x glow",
    "2 st calla"), at most two short words between them."""
    brand = _TOKEN.findall(fold(first_name))[:1]
    if not brand:
        return 1
    at = re.search(r"(?<![a-z0-9])" + re.escape(brand[0]), folded)
    if not at:
        return 1
    before = folded[:at.start()].rstrip()
    tokens = _TOKEN.findall(before)[-3:]
    for distance, token in enumerate(reversed(tokens)):
        count = _spelled(token, words)
        if count is not None:
            return count if 1 < count <= 999 else 1
        if distance >= 2 or len(token) > 5:
            break
    multiplied = re.search(r"(\d{1,3})\s*x\s*$", before)
    return int(multiplied.group(1)) if multiplied and int(multiplied.group(1)) > 1 else 1


def _aggregate(folded: str, words: Lexicon, category: str | None, named: bool, asks_people: bool) -> Aggregate | None:
    if not category or named:
        return None
    both_ends = words.has("cheapest", folded) and words.has("most_expensive", folded)
    if both_ends:
        return "spread" if words.has("difference", folded) else "range"
    if words.has("average", folded):
        return "average"
    if words.has("range", folded):
        return "range"
    if words.has("count", folded) and not words.has("cost", folded) and not asks_people:
        return "count"
    if words.has("total", folded) and words.has("cost", folded):
        return "sum"
    return None


def facets(rest: str, vocabulary: CompiledVocabulary, words: Lexicon) -> tuple[str, ...]:
    """Every fact the message asks for, in the order asked: "price of the echo room and how many
    people is it for" is (price, max_people). Where two words overlap ("plugged in" and "plug"),
    the longer one says what is asked."""
    hits: list[tuple[int, int, str]] = []
    for key in ("price", "stock", "warranty", "rating"):
        hits += [(m.start(), m.end(), key) for m in words.all(key, rest)][:1]
    hits += [(m.start(), m.end(), "spec:" + spec.topic) for spec in vocabulary.specs if (m := spec.asks.search(rest))]
    hits += [(m.start(), m.end(), attribute.key) for attribute in vocabulary.attributes
             if attribute.asks and (m := attribute.asks.search(rest))]
    kept = [hit for hit in hits if not any(other != hit and other[0] <= hit[0] and hit[1] <= other[1]
                                           and other[1] - other[0] > hit[1] - hit[0] for other in hits)]
    if not kept and (match := words.find("how_much", rest)):  # "how much is it?"; "how much does it weigh" is weight
        kept.append((match.start(), match.end(), "price"))
    ordered: list[str] = []
    for _, _, key in sorted(kept):
        if key not in ordered:
            ordered.append(key)
    return tuple(ordered)


def understand(text: str, catalog: Catalog) -> Query:
    shop: Shop = catalog.shop
    words = lexicon()
    vocabulary = compiled(shop)
    folded = fold(text)
    match = catalog.find(text, catalog.common or words.common)
    named = [p.name for p in match.products] + [p.name for group in match.ambiguous for p in group]
    rest = _without_products(folded, named)
    found = measures(rest, vocabulary, words)
    people = next((int(m.value) for m in found if m.attribute == "max_people"), None) or _group(rest, words)
    if match.products:  # "is the echo mini good for 6 people?": a check of that product, not a filter
        found = [m for m in found if m.attribute != "max_people"]
    asked = facets(rest, vocabulary, words)
    category = find_category(rest, shop)
    return Query(
        products=tuple(p.sku for p in match.products),
        ambiguous=tuple(tuple(p.sku for p in group) for group in match.ambiguous),
        named_at=tuple((start, end, p.sku) for start, end, p in match.spans),
        category=category,
        measures=tuple(found),
        people=people,
        aggregate=_aggregate(rest, words, category, bool(match.products), "max_people" in asked),
        facets=asked,
        quantity=quantity(folded, match.products[0].name, words) if len(match.products) == 1 else 1,
        points=words.has("points", rest),
        country=find_country(text),
        fastest=words.has("fastest", rest),
        topics=tuple(topic for topic in ("shipping", "duration", "payment", "returns") if words.has(topic, rest)),
        wants_total=words.has("shipping", rest) or words.has("total", rest),
        difference=words.has("difference", rest),
        cost=words.has("cost", rest) or "price" in asked,
        pointing=words.has("pointing", rest) or words.has("cheaper", rest) or words.has("dearer", rest)
        or any(re.search(r"(?<![a-z0-9])" + re.escape(word), rest) for word in words.ordinals),
    )
